"""Adult Education Budget: national per-learner rates (centralised) or combined-authority
commissioning (devolved), paid per publicly funded start out of a yearly budget.

Rates: a course's national rate is its guided learning hours x the GBP-per-hour band of its
sector (standard or high-cost), for courses up to ``max_level``. Centralised: every provider is
paid that rate for every eligible start, in area or out. Devolved: only the ``max_providers``
best providers on quality and outcomes are commissioned; rates are weighted by level and
priority sector and re-weighted each year from unfilled vacancies; low-paid workers become
eligible; out-of-area delivery is capped. In both regimes every adult is funded on courses
to ``entitlement_max_level`` (English, maths, digital and ESOL entitlements), at least
``entitlement_rate_gbp`` a start. The budget is never overspent: before learners decide, the
AEB keeps funded only as many courses as the free places on them could cost out of the money
left this year (the learning phase never fills more than the free places); starts are paid
for while the year's money lasts, as providers' allocations are, not paced evenly. Allocations
are capped: in a year when the money ran short, courses the AEB paid for most starts on do not
grow at the providers' revision (``adjust_supply``).
Ledger money is GBP at people scale (agent-scale amounts x persons_per_agent).
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import (
    COURSE_UID_BASE,
    draws,
    free_seats,
    index_of,
    ppa,
    priority_sectors,
    ration_courses,
)
from ecosim.model.state import EMPLOYED, FUND_PUBLIC, N_LEVELS, UNEMPLOYED

K_RATION = 11  # sub-index of the course rationing draw


class PublicFunder(Policy):
    """A yearly budget paid out per publicly funded start, with course rationing and a ledger.

    Subclasses define ``base_rates``, ``course_weights``, ``eligible`` and ``commission``."""

    name = "public_funder"

    # ---- to override ---------------------------------------------------------------
    def budget(self) -> float:
        return float(self.settings.budget_gbp_per_year)

    def base_rates(self, model) -> np.ndarray:
        raise NotImplementedError

    def course_weights(self, model) -> np.ndarray:
        """Rate multiplier per course (1 = national rate)."""
        return np.ones(model.state.courses.n)

    def eligible(self, model) -> np.ndarray:
        raise NotImplementedError

    def commission(self, model) -> None:
        """Choose the providers that hold public contracts this year."""

    def open_band(self, model) -> np.ndarray:
        """int8 per learner: courses to this band and below are funded for the learner whatever
        ``eligible`` says (entitlements; 0 = none)."""
        return np.zeros(model.state.learners.n, np.int8)

    def ration_order(self, model, rates: np.ndarray) -> np.ndarray:
        """Order in which courses keep funding when the allowance binds (random by default)."""
        u = draws(model, COURSE_UID_BASE + np.arange(rates.size, dtype=np.int64), K_RATION)
        return np.lexsort((np.arange(rates.size), u))

    def out_of_area_cap(self) -> float:
        return np.inf

    def carry_over(self) -> bool:
        return bool(getattr(self.settings, "carry_over_unspent", False))

    # ---- hooks ---------------------------------------------------------------------
    def setup(self, model) -> None:
        st = model.state
        self.ppa = ppa(model)
        C = st.courses
        self.n_courses = C.n
        self.allocated = 0.0       # cumulative new money (GBP)
        self.spent = 0.0           # cumulative spend (GBP)
        self.pot = 0.0             # money usable for the rest of this year (GBP)
        self.unspent_prior = 0.0   # unspent in earlier years and not carried into the pot
        self.overcommitted = 0.0   # spend beyond the pot (never expected)
        self.quarters_left = 0
        self.years = 0
        self.unspent_last_year = 0.0
        self.outcome_starts = np.zeros(st.providers.n)
        self.outcome_completions = np.zeros(st.providers.n)
        st.learners.add(f"{self.name}_provider", np.int32, -1)
        self._reset_quarter()
        self.commission(model)

    def _reset_quarter(self) -> None:
        self.q_spend = 0.0
        self.q_spend_level = np.zeros(N_LEVELS)
        self.q_spend_priority = 0.0
        self.q_spend_out = 0.0
        self.q_starts = 0.0
        self.q_exposure = 0.0
        self.q_allowance = 0.0
        self.q_funded_courses = 0
        self.q_eligible = 0.0
        self.q_rationed = False

    def begin_year(self, model) -> None:
        if self.years > 0:
            self.unspent_last_year = self.pot
            if not self.carry_over():
                self.unspent_prior += self.pot
                self.pot = 0.0
        self.years += 1
        new = self.budget()
        self.allocated += new
        self.pot += new
        self.quarters_left = 4
        self.year_update(model)
        self.commission(model)

    def year_update(self, model) -> None:
        """Yearly re-weighting (devolved AEB)."""

    def begin_quarter(self, model) -> None:
        self._reset_quarter()
        if self.quarters_left <= 0:  # a model started mid-year: open a year now
            self.begin_year(model)

    def price_courses(self, model) -> None:
        st = model.state
        C = st.courses
        rates = self.base_rates(model) * self.course_weights(model)
        rates = np.where(st.providers.commissioned[C.provider], rates, 0.0)
        elig = self.eligible(model)
        self.q_eligible = float(elig.sum()) * self.ppa
        # learners other policies add to public eligibility are paid for by this funder too
        widened = elig.copy()
        for pol in model.policies:
            widen = getattr(pol, "widen_public_eligibility", None)
            if widen is not None and pol is not self:
                widened |= widen(model)
        # the most the funder could owe on each course this quarter (its free places)
        exposure = free_seats(model) * rates * self.ppa
        # funding is not paced evenly: worst-case exposure (every free place filled by a funded
        # learner) is several times what is spent, so an even quarterly share left most of the
        # budget unspent; starts are funded while the year's money lasts
        self.q_allowance = self.pot
        out = ~st.providers.in_area[C.provider]
        ob = self.open_band(model)
        n_new = int(np.count_nonzero((widened | (ob > 0)) & (st.learners.course < 0)))
        learner_bound = n_new * float(rates.max(initial=0.0)) * self.ppa
        # out-of-area places may take at most the capped share of what the funder could owe
        share = self.out_of_area_cap()
        inside = float(exposure[~out & (rates > 0)].sum())
        cap = share * min(self.q_allowance, inside / max(1.0 - share, 1e-9)) \
            if np.isfinite(share) else np.inf
        short = min(exposure.sum(), learner_bound) > self.q_allowance
        if not short and exposure[out].sum() <= cap:
            keep = rates > 0
        else:
            keep = ration_courses(exposure, self.ration_order(model, rates), self.q_allowance,
                                  out, cap) & (rates > 0)
        C.public_rate = np.where(keep, rates, 0.0)
        # the money (not the out-of-area cap) left some course unfunded this quarter
        self.q_rationed = bool(short and np.any(keep != (rates > 0)))
        self.q_exposure = float(exposure[keep].sum())
        self.q_funded_courses = int(np.count_nonzero(keep))
        st.funding.public_eligible = st.funding.public_eligible | elig
        f = st.funding
        f.public_open_band = np.maximum(f.public_open_band, ob) if \
            f.public_open_band.shape == ob.shape else ob

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        st = model.state
        L = st.learners
        C = st.courses
        s = starters[(L.funding_source[starters] == FUND_PUBLIC) & (L.course[starters] >= 0)]
        if s.size == 0:
            return
        c = L.course[s].astype(np.int64)
        pay = C.public_rate[c] * self.ppa
        total = float(pay.sum())
        if total > self.pot + 1e-6:
            self.overcommitted += total - self.pot
        self.pot -= total
        self.spent += total
        self.q_spend += total
        self.q_starts += s.size * self.ppa
        self.q_spend_level += np.bincount(C.level[c], weights=pay, minlength=N_LEVELS)
        prio = priority_sectors(model)
        self.q_spend_priority += float(pay[prio[C.sector[c]]].sum())
        prov = C.provider[c]
        self.q_spend_out += float(pay[~st.providers.in_area[prov]].sum())
        st.providers.funding_received = st.providers.funding_received + np.bincount(
            prov, weights=pay, minlength=st.providers.n)
        getattr(L, f"{self.name}_provider")[s] = prov
        self._fit_providers(st.providers.n)
        self.outcome_starts += np.bincount(prov, minlength=st.providers.n)

    def _fit_providers(self, n: int) -> None:
        """Grow the per-provider outcome counts when providers were added (entrants)."""
        if self.outcome_starts.size < n:
            pad = n - self.outcome_starts.size
            self.outcome_starts = np.concatenate([self.outcome_starts, np.zeros(pad)])
            self.outcome_completions = np.concatenate([self.outcome_completions, np.zeros(pad)])

    def end_quarter(self, model) -> None:
        L = model.state.learners
        self._fit_providers(model.state.providers.n)
        col = getattr(L, f"{self.name}_provider")
        done = (L.last_completion_quarter == model.quarter) & (col >= 0) & \
            (L.funding_source == FUND_PUBLIC)
        self.outcome_completions += np.bincount(col[done], minlength=self.outcome_starts.size)
        col[L.course < 0] = -1
        self.quarters_left -= 1

    def ledger(self) -> dict[str, float]:
        out = {
            "public_spend_gbp": self.q_spend,
            "allocated_gbp": self.allocated,
            "spent_gbp": self.spent,
            "carried_forward_gbp": self.allocated - self.spent,
            "available_this_year_gbp": self.pot,
            "unspent_prior_years_gbp": self.unspent_prior,
            "unspent_last_year_gbp": self.unspent_last_year,
            "overcommitted_gbp": self.overcommitted,
            "funded_starts": self.q_starts,
            "eligible_learners": self.q_eligible,
            "quarter_allowance_gbp": self.q_allowance,
            "funded_courses": float(self.q_funded_courses),
            "spend_priority_gbp": self.q_spend_priority,
            "spend_out_of_area_gbp": self.q_spend_out,
        }
        for band, key in ((1, "l1"), (2, "l2"), (3, "l3"), (4, "l4_plus")):
            v = self.q_spend_level[band] if band < 4 else self.q_spend_level[4:].sum()
            out[f"spend_{key}_gbp"] = float(v)
        return out

    # ---- shared helpers --------------------------------------------------------------
    def national_rates(self, model, per_glh: float, high_per_glh: float,
                       high_cost: list[str], max_level: int) -> np.ndarray:
        """GLH x GBP per GLH (the sector's band) for courses to bands 1..max_level."""
        C = model.state.courses
        names = [s.name for s in model.scenario.sectors]
        band = np.full(len(names), float(per_glh))
        if high_cost:
            band[index_of(names, high_cost, "sector")] = float(high_per_glh)
        r = C.glh * band[C.sector]
        return np.where((C.level >= 1) & (C.level <= max_level), r, 0.0)


class AdultEducationBudget(PublicFunder):
    """The AEB, centralised or devolved (see the module docstring and docs/odd.md 8.1)."""

    name = "aeb"

    def setup(self, model) -> None:
        self.sector_factor = np.ones(model.scenario.n_sectors)
        self.vac_year = np.zeros(model.scenario.n_sectors)
        self.unf_year = np.zeros(model.scenario.n_sectors)
        self.rationed_year = False                     # the year's money ran short of a course
        self.capacity_before = np.zeros(0)             # course capacities before this revision
        self.course_starts = np.zeros(0)               # starts per course since the revision
        self.course_funded_starts = np.zeros(0)        # of which AEB-funded
        super().setup(model)

    def begin_year(self, model) -> None:
        self.rationed_year = False
        super().begin_year(model)

    @property
    def devolved(self) -> bool:
        return self.settings.regime == "devolved"

    def base_rates(self, model) -> np.ndarray:
        s = self.settings
        r = self.national_rates(model, s.rate_per_glh_gbp, s.high_cost_rate_per_glh_gbp,
                                s.high_cost_sectors, s.max_level)
        lv = model.state.courses.level
        ent = (lv >= 1) & (lv <= min(int(s.entitlement_max_level), int(s.max_level)))
        return np.where(ent, np.maximum(r, float(s.entitlement_rate_gbp)), r)

    def course_weights(self, model) -> np.ndarray:
        C = model.state.courses
        if not self.devolved:
            return np.ones(C.n)
        dv = self.settings.devolved
        lw = np.array(dv.level_weights.as_list())
        pw = np.where(priority_sectors(model), dv.priority_sector_weight, dv.other_sector_weight)
        return lw[C.level] * pw[C.sector] * self.sector_factor[C.sector]

    def eligible(self, model) -> np.ndarray:
        s = self.settings
        L = model.state.learners
        base = (L.age >= s.min_age) & (L.level < s.max_level)
        who = L.level < s.low_qualified_below_level
        if s.unemployed_eligible:
            who = who | (L.status == UNEMPLOYED)
        if self.devolved:
            dv = s.devolved
            who = who | ((L.status == EMPLOYED) & (L.wage < dv.low_pay_threshold_gbp)
                         & (L.level < dv.low_paid_below_level))
        return base & who

    def open_band(self, model) -> np.ndarray:
        """Every adult aged ``min_age`` or over is funded on courses to
        ``entitlement_max_level`` (English, maths, digital and ESOL entitlements)."""
        s = self.settings
        L = model.state.learners
        band = min(int(s.entitlement_max_level), int(s.max_level))
        return np.where(L.age >= s.min_age, band, 0).astype(np.int8)

    def commission(self, model) -> None:
        st = model.state
        P = st.providers
        C = st.courses
        s = self.settings
        offers = np.bincount(C.provider[(C.level >= 1) & (C.level <= s.max_level)],
                             minlength=P.n) > 0
        if not self.devolved:
            P.commissioned = np.ones(P.n, np.bool_)
            return
        dv = s.devolved
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
        if not self.devolved or self.vac_year.sum() <= 0:
            return
        s = self.settings.devolved.reweight_strength
        vs = self.vac_year / self.vac_year.sum()
        us = self.unf_year / self.unf_year.sum() if self.unf_year.sum() > 0 else vs
        ratio = np.where(vs > 0, us / np.where(vs > 0, vs, 1.0), 1.0)
        self.sector_factor = np.clip(1.0 + s * (ratio - 1.0), 0.5, 2.0)
        self.vac_year[:] = 0.0
        self.unf_year[:] = 0.0

    def ration_order(self, model, rates: np.ndarray) -> np.ndarray:
        u = draws(model, COURSE_UID_BASE + np.arange(rates.size, dtype=np.int64), K_RATION)
        if not self.devolved:
            return np.lexsort((np.arange(rates.size), u))
        w = self.course_weights(model)
        return np.lexsort((np.arange(rates.size), u, -w))  # highest weight first

    def out_of_area_cap(self) -> float:
        return float(self.settings.devolved.out_of_area_cap) if self.devolved else np.inf

    def end_quarter(self, model) -> None:
        m = model.state.market
        self.vac_year += np.asarray(m.vacancies).sum(axis=0)
        self.unf_year += np.asarray(m.unfilled).sum(axis=0)
        super().end_quarter(model)

    def ledger(self) -> dict[str, float]:
        out = super().ledger()
        out["commissioned_providers"] = float(self._n_commissioned)
        return out

    def price_courses(self, model) -> None:
        self._n_commissioned = int(model.state.providers.commissioned.sum())
        super().price_courses(model)
        self.rationed_year |= self.q_rationed
        C = model.state.courses
        if "capacity" in C.columns():
            self.capacity_before = C.capacity.copy()

    _n_commissioned = 0

    # ---- capped allocations ------------------------------------------------------------
    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        super().settle_enrolments(model, starters)
        L = model.state.learners
        n = model.state.courses.n
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

    def adjust_supply(self, model) -> None:
        """Providers' AEB allocations are capped: in a year when the money ran short of a course
        (rationing), courses the AEB paid for most starts on keep their places at the revision
        instead of growing; while the budget has room they grow as the provider phase says."""
        sp = model.scenario.providers.supply
        if model.quarter % sp.adjust_every_quarters != 0:
            return
        C = model.state.courses
        n = min(self.capacity_before.size, self.course_starts.size, C.n)
        if self.rationed_year and n > 0:
            share = self.course_funded_starts[:n] / np.maximum(self.course_starts[:n], 1.0)
            hold = np.flatnonzero((share > 0.5) & (C.capacity[:n] > self.capacity_before[:n]))
            C.capacity[hold] = self.capacity_before[hold]
            C.seats[hold] = np.maximum(np.floor(C.capacity[hold] + 0.5).astype(C.seats.dtype),
                                       C.enrolled[hold])
        self.course_starts[:] = 0.0
        self.course_funded_starts[:] = 0.0
