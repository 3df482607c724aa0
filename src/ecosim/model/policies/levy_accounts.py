"""Employers' levy accounts: quarterly payments in, spending oldest money first, expiry.

Each employer's account is a ring of ``expiry_quarters`` tranches, one per quarter's payment.
At the start of a quarter the tranche paid ``expiry_quarters`` ago expires (whatever of it is
still unspent) and this quarter's payment takes its slot; spending draws on the oldest tranches
first (ESFA: funds are used first in, first out and expire 24 months after they enter the
account). Money is GBP at people scale. By construction income = spend + expired + balance.
"""

from __future__ import annotations

import numpy as np


class LevyAccounts:
    """The levy accounts of ``n`` employers, with running totals."""

    def __init__(self, n: int, expiry_quarters: int):
        self.x = int(max(1, expiry_quarters))
        self.tranches = np.zeros((n, self.x), np.float64)
        self.quarter = 0
        self.income_total = 0.0
        self.spend_total = 0.0
        self.expired_total = 0.0

    def pay_in(self, quarter: int, payment: np.ndarray) -> tuple[float, float]:
        """Expire the tranche that is ``expiry_quarters`` old and put this quarter's
        ``payment`` (GBP per employer) in its slot; returns (income, expired) this quarter."""
        self.quarter = int(quarter)
        slot = self.quarter % self.x
        expired = float(self.tranches[:, slot].sum())
        self.tranches[:, slot] = payment
        income = float(payment.sum())
        self.income_total += income
        self.expired_total += expired
        return income, expired

    def balance(self) -> np.ndarray:
        """GBP per employer."""
        return self.tranches.sum(axis=1)

    def total(self) -> float:
        return float(self.tranches.sum())

    def spend(self, e: int, amount: float) -> float:
        """Spend up to ``amount`` from employer ``e``, oldest tranche first; returns what
        was taken (at most the balance)."""
        want = float(amount)
        taken = 0.0
        for k in range(1, self.x + 1):  # oldest first: the slot after this quarter's
            slot = (self.quarter + k) % self.x
            have = self.tranches[e, slot]
            if have <= 0.0:
                continue
            t = min(have, want - taken)
            self.tranches[e, slot] = have - t
            taken += t
            if taken >= want - 1e-9:
                break
        self.spend_total += taken
        return taken

    def spend_each(self, amount: np.ndarray) -> np.ndarray:
        """Spend up to ``amount[e]`` from every employer's account at once, oldest tranche
        first; returns what was taken from each (at most its balance)."""
        want = np.asarray(amount, dtype=np.float64).copy()
        taken = np.zeros_like(want)
        for k in range(1, self.x + 1):
            slot = (self.quarter + k) % self.x
            t = np.minimum(self.tranches[:, slot], want - taken)
            t = np.maximum(t, 0.0)
            self.tranches[:, slot] -= t
            taken += t
        self.spend_total += float(taken.sum())
        return taken
