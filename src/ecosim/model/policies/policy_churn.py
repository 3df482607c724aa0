"""Policy churn (seed 004): every ``period_years`` a reform resets part of providers'
adaptation to the funding regime (``providers.adaptation``, which scales how fast they move
places) and lowers trust in learning (a negative ``funding.participation_shift``) that returns
linearly over ``trust_recovery_years``; adaptation recovers a share a year. No money moves.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import SharedShift
from ecosim.model.policies.ledger import flow, stock


class PolicyChurn(Policy):
    """Periodic reforms that cost adaptation and trust (docs/odd.md 8.7)."""

    name = "policy_churn"
    LEDGER = (
        stock("reforms", "reforms so far", unit="count", report="end"),
        flow("reform_this_quarter", "a reform this quarter (0/1)", unit="count"),
        stock("trust_deficit", "trust lost to reforms (logit units)", unit="count"),
    )

    def setup(self, model) -> None:
        s = self.settings
        self.period_q = max(1, int(round(4.0 * s.period_years)))
        self.first_q = 4 * (int(s.first_reform_year) - 1) + 1
        self.deficit = 0.0
        self.shift = SharedShift()
        self.reforms = 0
        self.q_reform = 0.0

    def begin_quarter(self, model) -> None:
        s = self.settings
        q = model.quarter
        self.q_reform = 0.0
        self.deficit = max(0.0, self.deficit - s.trust_drop / (4.0 * s.trust_recovery_years))
        if q >= self.first_q and (q - self.first_q) % self.period_q == 0:
            P = model.state.providers
            P.adaptation = P.adaptation * (1.0 - s.adaptation_reset)
            self.deficit += s.trust_drop
            self.reforms += 1
            self.q_reform = 1.0
        self.shift.set(model, -self.deficit)

    def adjust_supply(self, model) -> None:
        r = 1.0 - (1.0 - self.settings.adaptation_recovery_per_year) ** 0.25
        P = model.state.providers
        P.adaptation = np.minimum(1.0, P.adaptation + (1.0 - P.adaptation) * r)

    def ledger(self) -> dict[str, float]:
        return {"reforms": float(self.reforms),
                "reform_this_quarter": self.q_reform, "trust_deficit": self.deficit}
