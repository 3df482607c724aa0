"""50+ retraining (seed 001, "retrain, regain, retain"): a ring-fenced yearly budget for
publicly funded places of residents aged 50+ below Level 3.

While its money lasts (until the first quarter in which it cannot pay for one of its learners'
starts), the programme makes its learners publicly eligible and pays for their starts itself,
before any general funder settles (``funding.public_paid``). When a general public funder runs
(``funding.general_funder``: the AEB), the programme pays that funder's course rates, so the two
never price the same course differently, and the general funder's own budget goes further; its
learners who are not eligible for the general funder lose public funding once the ring-fenced
money is spent for the year. Without a general funder it sets national rates itself and
rations courses like the AEB, so it never overspends. Ledger money is GBP at people scale.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.ledger import flow
from ecosim.model.policies.public_funder import FUNDER_LEDGER, PublicFunder
from ecosim.model.state import INACTIVE, WORKING_AGE_END


class Retraining50Plus(PublicFunder):
    """Ring-fenced public funding for the 50+ workforce below Level 3 (docs/odd.md 8.6)."""

    name = "retraining_50_plus"
    LEDGER = (*FUNDER_LEDGER,
              flow("starts_50_plus", "starts paid from the ring-fenced budget (persons/yr)",
                   unit="persons", report="sum"))

    def setup(self, model) -> None:
        self.q_own_starts = 0.0
        self._elig = np.zeros(0, np.bool_)
        self.spent_out = False     # a start went unpaid this year: eligibility ends until the next
        super().setup(model)

    def own_rates(self, model) -> bool:
        """Whether this programme sets course rates itself (no general funder runs)."""
        return not model.state.funding.general_funder

    def eligible(self, model) -> np.ndarray:
        """The 50+ workforce below ``below_level`` (inactive residents too, if set)."""
        s = self.settings
        L = model.state.learners
        t = (L.age >= s.min_age) & (L.age < WORKING_AGE_END) & (L.level < s.below_level)
        if not s.include_inactive:
            t &= L.status != INACTIVE
        return t

    def base_rates(self, model) -> np.ndarray:
        s = self.settings
        return self.national_rates(model, s.rate_per_glh_gbp, s.rate_per_glh_gbp, [],
                                   s.max_level)

    def begin_year(self, model) -> None:
        self.spent_out = False
        super().begin_year(model)

    def begin_quarter(self, model) -> None:
        self.q_own_starts = 0.0
        super().begin_quarter(model)

    def fund_learners(self, model) -> None:
        """Eligibility lasts while the ring-fenced money does: until the quarter in which it
        could not pay for one of its learners' starts."""
        self._elig = self.eligible(model) if self.pot > 0.0 and not self.spent_out else \
            np.zeros(model.state.learners.n, np.bool_)
        self.q_eligible = float(self._elig.sum()) * self.ppa
        self._open_band = self.open_band(model)
        f = model.state.funding
        f.public_eligible = f.public_eligible | self._elig

    def price_courses(self, model) -> None:
        if self.own_rates(model):
            super().price_courses(model)
        else:
            self.q_allowance = self.pot

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        """Pay for this programme's learners' public starts, in row order, while the money
        left this year covers them; the rest fall to the general funder (if any)."""
        L = model.state.learners
        s = self.public_starters(model, starters)
        if self._elig.size == L.n:
            s = s[self._elig[s]]
        if s.size and not self.own_rates(model):
            pay = model.state.courses.public_rate[L.course[s].astype(np.int64)] * self.ppa
            fits = np.cumsum(pay) <= self.pot + 1e-6
            self.spent_out = not fits.all()
            s = s[fits]
        self.q_own_starts = float(s.size) * self.ppa
        self.pay_for(model, s)

    def ledger(self) -> dict[str, float]:
        out = super().ledger()
        out["starts_50_plus"] = self.q_own_starts
        return out
