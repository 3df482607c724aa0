"""50+ retraining (seed 001, "retrain, regain, retain"): residents aged 50+ below Level 3 get
publicly funded places. With an AEB running, they are added to its eligibility and the AEB pays
its own rates from its budget; without one, this policy pays national rates from its own budget
(the same never-overspend rationing as the AEB). Ledger money is GBP at people scale.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.aeb import AdultEducationBudget, PublicFunder
from ecosim.model.state import FUND_PUBLIC, INACTIVE


class Retraining50Plus(PublicFunder):
    """Public eligibility (and, without an AEB, funding) for the 50+ workforce."""

    name = "retraining_50_plus"

    def setup(self, model) -> None:
        self.aeb = next((p for p in model.policies if isinstance(p, AdultEducationBudget)),
                        None)
        self._extra = np.zeros(0, np.bool_)
        self.q_extra_starts = 0.0
        super().setup(model)

    def budget(self) -> float:
        return 0.0 if self.aeb is not None else float(self.settings.budget_gbp_per_year)

    def target(self, model) -> np.ndarray:
        s = self.settings
        L = model.state.learners
        t = (L.age >= s.min_age) & (L.age < 65.0) & (L.level < s.below_level)
        if not s.include_inactive:
            t &= L.status != INACTIVE
        return t

    def widen_public_eligibility(self, model) -> np.ndarray:
        """Learners this policy makes eligible for the AEB's places."""
        return self.target(model)

    eligible = target

    def base_rates(self, model) -> np.ndarray:
        s = self.settings
        return self.national_rates(model, s.rate_per_glh_gbp, s.rate_per_glh_gbp, [],
                                   s.max_level)

    def begin_quarter(self, model) -> None:
        self.q_extra_starts = 0.0
        super().begin_quarter(model)

    def price_courses(self, model) -> None:
        f = model.state.funding
        if self.aeb is None:
            super().price_courses(model)
            self._extra = self.target(model)
            return
        t = self.target(model)
        self._extra = t & ~f.public_eligible
        self.q_eligible = float(self._extra.sum()) * self.ppa
        f.public_eligible = f.public_eligible | t

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        L = model.state.learners
        if self._extra.size == L.n and starters.size:
            pub = L.funding_source[starters] == FUND_PUBLIC
            self.q_extra_starts = float(np.count_nonzero(pub & self._extra[starters])) * self.ppa
        if self.aeb is None:
            super().settle_enrolments(model, starters)

    def ledger(self) -> dict[str, float]:
        out = super().ledger()
        out["extra_eligible"] = self.q_eligible
        out["starts_50_plus"] = self.q_extra_starts
        return out
