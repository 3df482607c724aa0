"""50+ retraining (seed 001, "retrain, regain, retain"): residents aged 50+ below Level 3 get
publicly funded places. When a general public funder runs (``funding.general_funder``: the AEB),
they are added to public eligibility and that funder pays its own rates from its budget;
without one, this policy pays national rates from its own budget (the same never-overspend
rationing as the AEB). Ledger money is GBP at people scale.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ecosim.model.policies.ledger import flow, stock
from ecosim.model.policies.public_funder import FUNDER_LEDGER, PublicFunder
from ecosim.model.state import FUND_PUBLIC, INACTIVE


class Retraining50Plus(PublicFunder):
    """Public eligibility (and, without a general funder, funding) for the 50+ workforce."""

    name = "retraining_50_plus"
    LEDGER = (*(replace(e, report=None) for e in FUNDER_LEDGER if e.key != "spent_gbp"),
              stock("spent_gbp", "own spend, run total (GBP)", payer="public", report="end"),
              stock("extra_eligible", "learners made eligible (persons)", unit="persons"),
              flow("starts_50_plus", "starts made eligible (persons/yr)", unit="persons",
                   report="sum"))

    def setup(self, model) -> None:
        # another policy pays for every publicly eligible start: only widen eligibility
        self.own_budget = not model.state.funding.general_funder
        self._extra = np.zeros(0, np.bool_)
        self.q_extra_starts = 0.0
        super().setup(model)

    def budget(self) -> float:
        return float(self.settings.budget_gbp_per_year) if self.own_budget else 0.0

    def eligible(self, model) -> np.ndarray:
        """The 50+ workforce below ``below_level`` (computed once a quarter, in
        ``fund_learners``)."""
        s = self.settings
        L = model.state.learners
        t = (L.age >= s.min_age) & (L.age < 65.0) & (L.level < s.below_level)
        if not s.include_inactive:
            t &= L.status != INACTIVE
        return t

    def base_rates(self, model) -> np.ndarray:
        s = self.settings
        return self.national_rates(model, s.rate_per_glh_gbp, s.rate_per_glh_gbp, [],
                                   s.max_level)

    def begin_quarter(self, model) -> None:
        self.q_extra_starts = 0.0
        super().begin_quarter(model)

    def fund_learners(self, model) -> None:
        f = model.state.funding
        t = self.eligible(model)
        if self.own_budget:
            self._extra = t
            self.q_eligible = float(t.sum()) * self.ppa
            self._open_band = self.open_band(model)
            f.public_open_band = np.maximum(f.public_open_band, self._open_band)
        else:
            # the learners no funder before this one had made eligible
            self._extra = t & ~f.public_eligible
            self.q_eligible = float(self._extra.sum()) * self.ppa
        f.public_eligible = f.public_eligible | t

    def price_courses(self, model) -> None:
        if self.own_budget:
            super().price_courses(model)

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        L = model.state.learners
        if self._extra.size == L.n and starters.size:
            pub = L.funding_source[starters] == FUND_PUBLIC
            self.q_extra_starts = float(np.count_nonzero(pub & self._extra[starters])) * self.ppa
        if self.own_budget:
            super().settle_enrolments(model, starters)

    def ledger(self) -> dict[str, float]:
        out = super().ledger()
        out["extra_eligible"] = self.q_eligible
        out["starts_50_plus"] = self.q_extra_starts
        return out
