"""Adult Education Budget: national per-learner rates (``CentralisedAEB``) or combined-authority
commissioning (``DevolvedAEB``), paid per publicly funded start out of a yearly budget. The
registry picks the class by ``policies.aeb.regime``.

Rates: a course's national rate is its guided learning hours x the GBP-per-hour band of its
sector (standard or high-cost), for courses up to ``max_level``. Centralised: every provider is
paid that rate for every eligible start, in area or out. Devolved: only the ``max_providers``
best providers on quality and outcomes are commissioned; rates are weighted by level and
priority sector and re-weighted each year from unfilled vacancies; low-paid workers become
eligible; out-of-area delivery is capped; of the vocational courses outside the priority sectors
only ``non_priority_share`` are commissioned. In both regimes every adult is funded on courses
to ``entitlement_max_level`` (English, maths, digital and ESOL entitlements), at least
``entitlement_rate_gbp`` a start. The budget is never overspent: before learners decide, the
AEB keeps funded only as many courses as the free places on them could cost out of the money
left this year (the learning phase never fills more than the free places); starts are paid
for while the year's money lasts, as providers' allocations are, not paced evenly. Allocations
are capped: in a year when the money ran short, courses the AEB paid for most starts on may not
grow at the providers' revision (the AEB sets their ``courses.max_capacity`` to their places).
The AEB pays for every start any policy makes publicly eligible (``funding.general_funder``)
that a ring-fenced funder has not paid for (``funding.public_paid``).
Recruitment: providers hold allocations they must deliver, so they do not only wait for
learners. At the start of each year ``recruitment_share`` of the budget pays for reaching the
residents the AEB fully funds who are not on a course, at ``recruitment_cost_gbp_per_person``
each (who is reached: a draw keyed on the learner); for that year a reached resident's chance of
considering training is multiplied by ``recruitment_consider_multiplier`` (the AEB's factor in
``funding.consider_multiplier``). A larger budget reaches more of them; no budget, nobody.
Ledger money is GBP at people scale (agent-scale amounts x persons_per_agent).
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.common import COURSE_UID_BASE, draws, priority_sectors
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.policies.public_funder import FUNDER_LEDGER, SPEND, PublicFunder
from ecosim.model.state import EMPLOYED, FUND_PUBLIC, UNEMPLOYED, WORKING_AGE_END

K_RECRUIT = 12  # sub-index of the draw that chooses whom providers' recruitment reaches
#: sub-index of the lasting draw that picks the vocational courses outside the priority sectors
#: a combined authority commissions
K_NON_PRIORITY = 13

#: a course counts as AEB-funded for the allocation cap when more than this share of its starts
#: since the last revision were AEB-funded (definition)
FUNDED_MAJORITY = 0.5


class AdultEducationBudget(PublicFunder):
    """What both AEB regimes share (docs/odd.md 8.1): rates, eligibility, entitlements and
    capped allocations. ``CentralisedAEB`` and ``DevolvedAEB`` add the regime."""

    name = "aeb"
    LEDGER = (*FUNDER_LEDGER,
              stock("commissioned_providers", "commissioned providers", unit="providers",
                    report="end"),
              flow("recruitment_spend_gbp", "spend on recruiting learners (GBP)",
                   payer="public", part_of=SPEND),
              flow("recruitment_reached", "residents reached by recruitment (persons/yr)",
                   unit="persons", report="sum"),
              stock("recruitment_spent_gbp", "spent on recruitment, run total (GBP; part of "
                    "spent_gbp, paid to no provider)", payer="public", report="end"))

    def setup(self, model) -> None:
        model.state.funding.general_funder = True
        self.recruit_spent = 0.0
        self.rationed_year = False                     # the year's money ran short of a course
        self.course_starts = np.zeros(0)               # starts per course since the revision
        self.course_funded_starts = np.zeros(0)        # of which AEB-funded
        self.n_commissioned = 0
        super().setup(model)

    def begin_year(self, model) -> None:
        self.rationed_year = False
        super().begin_year(model)

    def yearly_outreach(self, model) -> None:
        """Pay for this year's recruitment out of the pot and mark the residents it reaches
        (``learners.aeb_reached``, for the year): those the AEB fully funds, not on a course,
        of working age."""
        s = self.settings
        L = model.state.learners
        L.aeb_reached[:] = False
        if s.recruitment_share <= 0.0 or s.recruitment_consider_multiplier == 1.0:
            return
        pool = np.flatnonzero(self.eligible(model) & (L.course < 0) & (L.age < WORKING_AGE_END))
        hit, pay = self.reach_residents(model, pool, s.recruitment_share * self.budget(),
                                        s.recruitment_cost_gbp_per_person, K_RECRUIT)
        L.aeb_reached[hit] = True
        self.recruit_spent += pay

    def fund_learners(self, model) -> None:
        super().fund_learners(model)
        reached = model.state.learners.aeb_reached
        if reached.any():
            f = model.state.funding
            f.consider_multiplier = f.consider_multiplier * np.where(
                reached, self.settings.recruitment_consider_multiplier, 1.0)

    def base_rates(self, model) -> np.ndarray:
        s = self.settings
        r = self.national_rates(model, s.rate_per_glh_gbp, s.high_cost_rate_per_glh_gbp,
                                s.high_cost_sectors, s.max_level)
        return np.where(self.entitlement_courses(model),
                        np.maximum(r, float(s.entitlement_rate_gbp)), r)

    def entitlement_courses(self, model) -> np.ndarray:
        """bool per course: leads to a band from 1 to ``entitlement_max_level`` (within
        ``max_level``), the English, maths and digital entitlement courses."""
        s = self.settings
        lv = model.state.courses.level
        return (lv >= 1) & (lv <= min(int(s.entitlement_max_level), int(s.max_level)))

    def rate_floor(self, model) -> np.ndarray:
        """Entitlement courses (to ``entitlement_max_level``) are paid at least
        ``entitlement_rate_gbp`` in both regimes: the statutory English, maths and digital
        entitlements are funded wherever the AEB is devolved, so the authority's weights move
        money between the other courses but do not cut these below the national rate."""
        return np.where(self.entitlement_courses(model),
                        float(self.settings.entitlement_rate_gbp), 0.0)

    def eligible(self, model) -> np.ndarray:
        s = self.settings
        L = model.state.learners
        base = (L.age >= s.min_age) & (L.level < s.max_level)
        who = L.level < s.low_qualified_below_level
        if s.unemployed_eligible:
            who = who | (L.status == UNEMPLOYED)
        return base & (who | self.also_eligible(model))

    def also_eligible(self, model) -> np.ndarray:
        """Learners the regime adds to the national eligibility (none when centralised)."""
        return np.zeros(model.state.learners.n, np.bool_)

    def open_band(self, model) -> np.ndarray:
        """Every adult aged ``min_age`` or over is funded on courses to
        ``entitlement_max_level`` (English, maths, digital and ESOL entitlements)."""
        s = self.settings
        L = model.state.learners
        band = min(int(s.entitlement_max_level), int(s.max_level))
        who = (L.age >= s.min_age) & (L.level < s.entitlement_below_level)
        return np.where(who, band, 0).astype(np.int8)

    def offering(self, model) -> np.ndarray:
        """bool per provider: offers a course the AEB can fund."""
        C, P = model.state.courses, model.state.providers
        lv = (C.level >= 1) & (C.level <= self.settings.max_level)
        return np.bincount(C.provider[lv], minlength=P.n) > 0

    def price_courses(self, model) -> None:
        self.n_commissioned = int(model.state.providers.commissioned.sum())
        super().price_courses(model)
        self.rationed_year |= self.q_rationed

    # ---- capped allocations ------------------------------------------------------------
    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        super().settle_enrolments(model, starters)
        L = model.state.learners
        C = model.state.courses
        n = C.n
        if self.course_starts.size < n:
            pad = n - self.course_starts.size
            self.course_starts = np.concatenate([self.course_starts, np.zeros(pad)])
            self.course_funded_starts = np.concatenate([self.course_funded_starts,
                                                        np.zeros(pad)])
        on = starters[L.course[starters] >= 0]
        c = L.course[on].astype(np.int64)
        self.course_starts += np.bincount(c, minlength=self.course_starts.size)
        pub = L.funding_source[on] == FUND_PUBLIC
        self.course_funded_starts += np.bincount(c[pub], minlength=self.course_starts.size)
        # providers' AEB allocations are capped: in a year when the money ran short of a course
        # (rationing), courses the AEB paid for most starts on keep their places at the
        # revision instead of growing; while the budget has room they grow as providers decide
        if self.rationed_year:
            share = self.course_funded_starts / np.maximum(self.course_starts, 1.0)
            held = np.flatnonzero(share[:n] > FUNDED_MAJORITY)
            C.max_capacity[held] = np.minimum(C.max_capacity[held], C.capacity[held])

    def adjust_supply(self, model) -> None:
        """After a revision the count of starts per course begins again."""
        if model.quarter % model.scenario.providers.supply.adjust_every_quarters == 0:
            self.course_starts[:] = 0.0
            self.course_funded_starts[:] = 0.0

    def ledger(self) -> dict[str, float]:
        out = super().ledger()
        out["commissioned_providers"] = float(self.n_commissioned)
        out["recruitment_spend_gbp"] = self.q_outreach
        out["recruitment_reached"] = self.q_reached
        out["recruitment_spent_gbp"] = self.recruit_spent
        return out


class CentralisedAEB(AdultEducationBudget):
    """National rates paid to every provider for every eligible start, in area or out."""

    def commission(self, model) -> None:
        P = model.state.providers
        P.commissioned = np.ones(P.n, np.bool_)


class DevolvedAEB(AdultEducationBudget):
    """Combined-authority commissioning: the best providers, weighted rates re-weighted yearly
    from unfilled vacancies, low-paid workers eligible, out-of-area delivery capped."""

    def setup(self, model) -> None:
        S = model.scenario.n_sectors
        self.sector_factor = np.ones(S)
        self.vac_year = np.zeros(S)
        self.unf_year = np.zeros(S)
        super().setup(model)

    def course_weights(self, model) -> np.ndarray:
        """Level x sector x re-weighting factor, scaled so that the weighted rates of every
        fundable place cost what the national rates would: the authority moves money between
        courses within the national rates' envelope; it does not raise or cut rates overall."""
        C = model.state.courses
        dv = self.settings.devolved
        lw = np.array(dv.level_weights.as_list())
        pw = np.where(priority_sectors(model), dv.priority_sector_weight, dv.other_sector_weight)
        w = lw[C.level] * pw[C.sector] * self.sector_factor[C.sector]
        value = self.base_rates(model) * np.maximum(C.capacity, 0.0)
        weighted = float((value * w).sum())
        return w * (float(value.sum()) / weighted) if weighted > 0.0 else w

    def also_eligible(self, model) -> np.ndarray:
        dv = self.settings.devolved
        L = model.state.learners
        return (L.status == EMPLOYED) & (L.wage < dv.low_pay_threshold_gbp) & \
            (L.level < dv.low_paid_below_level)

    def commission(self, model) -> None:
        P = model.state.providers
        dv = self.settings.devolved
        offers = self.offering(model)
        self._fit_providers(P.n)
        rate = np.where(self.outcome_starts > 0,
                        self.outcome_completions / np.maximum(self.outcome_starts, 1), P.quality)
        score = dv.quality_weight * P.quality + (1.0 - dv.quality_weight) * np.minimum(rate, 1.0)
        cand = np.flatnonzero(offers)
        order = cand[np.lexsort((cand, -score[cand]))]  # best first, ties by provider uid
        chosen = np.zeros(P.n, np.bool_)
        chosen[order[:dv.max_providers]] = True
        P.commissioned = chosen
        # outcomes are judged on the last year only
        self.outcome_starts[:] = 0.0
        self.outcome_completions[:] = 0.0

    def year_update(self, model) -> None:
        if self.vac_year.sum() <= 0:
            return
        s = self.settings.devolved.reweight_strength
        vs = self.vac_year / self.vac_year.sum()
        us = self.unf_year / self.unf_year.sum() if self.unf_year.sum() > 0 else vs
        ratio = np.where(vs > 0, us / np.where(vs > 0, vs, 1.0), 1.0)
        dv = self.settings.devolved
        self.sector_factor = np.clip(1.0 + s * (ratio - 1.0), dv.reweight_min, dv.reweight_max)
        self.vac_year[:] = 0.0
        self.unf_year[:] = 0.0

    def ration_order(self, model, rates: np.ndarray) -> np.ndarray:
        """Highest-weighted courses keep funding first (random among equal weights)."""
        u = self.ration_draws(model, rates.size)
        return np.lexsort((np.arange(rates.size), u, -self.course_weights(model)))

    def out_of_area_cap(self) -> float:
        return float(self.settings.devolved.out_of_area_cap)

    def commissioned_courses(self, model) -> np.ndarray:
        """The commissioned providers' courses, except that of the vocational courses outside
        the priority sectors (Level 2 up, entitlement courses left out) the authority funds
        only ``non_priority_share``: it commissions provision aligned to regional need, not
        only pays it more. Which ones is a lasting draw per course (the same every year)."""
        C = model.state.courses
        keep = super().commissioned_courses(model)
        share = float(self.settings.devolved.non_priority_share)
        if share >= 1.0:
            return keep
        other = (C.level >= 2) & (C.level <= self.settings.max_level) & \
            ~priority_sectors(model)[C.sector] & ~self.entitlement_courses(model)
        u = draws(model, COURSE_UID_BASE + np.arange(C.n, dtype=np.int64), K_NON_PRIORITY,
                  lasting=True)
        return keep & (~other | (u < share))

    def end_quarter(self, model) -> None:
        m = model.state.market
        self.vac_year += np.asarray(m.vacancies).sum(axis=0)
        self.unf_year += np.asarray(m.unfilled).sum(axis=0)
        super().end_quarter(model)
