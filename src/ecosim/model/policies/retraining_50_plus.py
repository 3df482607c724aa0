"""50+ retraining (seed 001, "retrain, regain, retain"): a ring-fenced yearly budget for
publicly funded places of residents aged 50+ below Level 3.

While its money lasts (until the first quarter in which it cannot pay for one of its learners'
starts), the programme makes its learners publicly eligible and pays for their starts itself,
before any general funder settles (``funding.public_paid``). When a general public funder runs
(``funding.general_funder``: the AEB), the programme pays that funder's course rates, so the two
never price the same course differently, and the general funder's own budget goes further; its
learners who are not eligible for the general funder lose public funding once the ring-fenced
money is spent for the year. Without a general funder it sets national rates itself and
rations courses like the AEB, so it never overspends.

Outreach: at the start of each year ``outreach_share`` of the budget pays for reaching eligible
residents not on a course, at ``outreach_cost_gbp_per_person`` each (who is reached: a draw
keyed on the learner); for that year a reached resident's chance of considering training is
multiplied by ``outreach_consider_multiplier`` (its factor in
``funding.consider_multiplier``, read by the learning phase). Places alone do not raise 50+
participation where few of the 50+ consider learning at all. Ledger money is GBP at people scale.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.ledger import flow, stock
from ecosim.model.policies.public_funder import FUNDER_LEDGER, SPEND, PublicFunder
from ecosim.model.state import INACTIVE, WORKING_AGE_END

K_OUTREACH = 31  # sub-index of the draw that chooses whom outreach reaches


class Retraining50Plus(PublicFunder):
    """Ring-fenced public funding for the 50+ workforce below Level 3 (docs/odd.md 8.6)."""

    name = "retraining_50_plus"
    LEDGER = (*FUNDER_LEDGER,
              flow("starts_50_plus", "starts paid from the ring-fenced budget (persons/yr)",
                   unit="persons", report="sum"),
              flow("outreach_spend_gbp", "spend on outreach and guidance (GBP)", payer="public",
                   part_of=SPEND),
              flow("outreach_reached", "residents reached by outreach (persons/yr)",
                   unit="persons", report="sum"),
              stock("outreach_spent_gbp", "spent on outreach, run total (GBP; part of "
                    "spent_gbp, paid to no provider)", payer="public", report="end"))

    def setup(self, model) -> None:
        self.q_own_starts = 0.0
        self._elig = np.zeros(0, np.bool_)
        self.spent_out = False     # a start went unpaid this year: eligibility ends until the next
        self.outreach_spent = 0.0
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
        super().begin_quarter(model)  # resets this quarter's spend, may open a year, reaches

    def yearly_outreach(self, model) -> None:
        """Pay for this year's outreach out of the pot and mark the residents it reaches
        (``learners.retraining_50_plus_reached``, for the year)."""
        s = self.settings
        L = model.state.learners
        L.retraining_50_plus_reached[:] = False
        money = min(s.outreach_share * self.budget(), self.pot)
        if money <= 0.0 or s.outreach_consider_multiplier == 1.0:
            return
        pool = np.flatnonzero(self.eligible(model) & (L.course < 0))
        hit, pay = self.reach_residents(model, pool, money, s.outreach_cost_gbp_per_person,
                                        K_OUTREACH)
        L.retraining_50_plus_reached[hit] = True
        self.outreach_spent += pay

    def fund_learners(self, model) -> None:
        """Eligibility lasts while the ring-fenced money does: until the quarter in which it
        could not pay for one of its learners' starts."""
        self._elig = self.eligible(model) if self.pot > 0.0 and not self.spent_out else \
            np.zeros(model.state.learners.n, np.bool_)
        self.q_eligible = float(self._elig.sum()) * self.ppa
        self._open_band = self.open_band(model)
        f = model.state.funding
        f.public_eligible = f.public_eligible | self._elig
        reached = model.state.learners.retraining_50_plus_reached
        if reached.any():
            f.consider_multiplier = f.consider_multiplier * np.where(
                reached, self.settings.outreach_consider_multiplier, 1.0)

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
        out["outreach_spend_gbp"] = self.q_outreach
        out["outreach_reached"] = self.q_reached
        out["outreach_spent_gbp"] = self.outreach_spent
        return out
