"""The shared base of policies that pay providers per publicly funded start out of a yearly
budget (the AEB in both regimes, 50+ retraining when it pays for itself): course rationing so
the budget is never overspent, payment at settling and a typed ledger.

Subclasses define ``base_rates``, ``course_weights``, ``eligible`` and ``commission``. In
``fund_learners`` the funder writes the learners it makes eligible into
``funding.public_eligible`` (and entitlements into ``funding.public_open_band``); in
``price_courses`` it sets ``courses.public_rate`` so that the free places could not cost more
than the money left this year, counting every learner any policy made eligible.
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
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.state import FUND_PUBLIC, N_LEVELS

K_RATION = 11  # sub-index of the course rationing draw

SPEND = "public_spend_gbp"

#: the ledger every public funder keeps (GBP at people scale, persons)
FUNDER_LEDGER = (
    flow(SPEND, "public spend (GBP)", payer="public"),
    stock("allocated_gbp", "allocated, run total (GBP)", payer="public", report="end"),
    stock("spent_gbp", "spent, run total (GBP)", payer="public", report="end"),
    stock("carried_forward_gbp", "carried forward / unspent (GBP)", payer="public",
          report="end"),
    stock("available_this_year_gbp", "money left this year (GBP)", payer="public"),
    stock("unspent_prior_years_gbp", "unspent in earlier years, not carried over (GBP)",
          payer="public"),
    stock("unspent_last_year_gbp", "unspent last year (GBP)", payer="public"),
    stock("overcommitted_gbp", "spend beyond the money left (GBP; never expected)",
          payer="public"),
    flow("funded_starts", "publicly funded starts (persons)", unit="persons"),
    stock("eligible_learners", "eligible learners (persons)", unit="persons"),
    stock("quarter_allowance_gbp", "money usable this quarter (GBP)", payer="public"),
    stock("funded_courses", "courses with public funding this quarter", unit="courses"),
    flow("spend_l1_gbp", "spend on Level 1 courses (GBP)", payer="public", part_of=SPEND),
    flow("spend_l2_gbp", "spend on Level 2 courses (GBP)", payer="public", part_of=SPEND),
    flow("spend_l3_gbp", "spend on Level 3 courses (GBP)", payer="public", part_of=SPEND,
         report=f"ratio:spend_l3_gbp/{SPEND}", report_label="Level 3 share of spend"),
    flow("spend_l4_plus_gbp", "spend on Level 4+ courses (GBP)", payer="public", part_of=SPEND),
    flow("spend_priority_gbp", "spend on priority sectors (GBP)", payer="public", part_of=SPEND,
         report=f"ratio:spend_priority_gbp/{SPEND}",
         report_label="priority-sector share of spend"),
    flow("spend_out_of_area_gbp", "spend out of area (GBP)", payer="public", part_of=SPEND,
         report=f"ratio:spend_out_of_area_gbp/{SPEND}",
         report_label="out-of-area share of spend"),
)


class PublicFunder(Policy):
    """A yearly budget paid out per publicly funded start, with course rationing and a ledger.

    Subclasses define ``base_rates``, ``course_weights``, ``eligible`` and ``commission``."""

    name = "public_funder"
    LEDGER = FUNDER_LEDGER

    # ---- to override ---------------------------------------------------------------
    def budget(self) -> float:
        return float(self.settings.budget_gbp_per_year)

    def base_rates(self, model) -> np.ndarray:
        raise NotImplementedError

    def course_weights(self, model) -> np.ndarray:
        """Rate multiplier per course (1 = national rate)."""
        return np.ones(model.state.courses.n)

    def rate_floor(self, model) -> np.ndarray:
        """The least a fundable course is paid per start, whatever its weight (0 = none)."""
        return np.zeros(model.state.courses.n)

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
        return np.lexsort((np.arange(rates.size), self.ration_draws(model, rates.size)))

    def ration_draws(self, model, n: int) -> np.ndarray:
        """One uniform per course, keyed on the course (the random part of ``ration_order``)."""
        return draws(model, COURSE_UID_BASE + np.arange(n, dtype=np.int64), K_RATION)

    def out_of_area_cap(self) -> float:
        return np.inf

    def commissioned_courses(self, model) -> np.ndarray:
        """bool per course: the funder pays for starts on it (every course of a commissioned
        provider by default)."""
        C = model.state.courses
        return model.state.providers.commissioned[C.provider]

    def carry_over(self) -> bool:
        return bool(getattr(self.settings, "carry_over_unspent", False))

    def year_update(self, model) -> None:
        """Yearly re-weighting (devolved AEB)."""

    # ---- hooks ---------------------------------------------------------------------
    def setup(self, model) -> None:
        st = model.state
        self.ppa = ppa(model)
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
        self._open_band = np.zeros(0, np.int8)
        self.outreach_due = False  # a year opened: its outreach is paid in its first quarter
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
        self.q_outreach = 0.0  # spent on outreach this quarter (GBP)
        self.q_reached = 0.0   # residents it reached (persons)

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
        self.outreach_due = True

    def begin_quarter(self, model) -> None:
        self._reset_quarter()
        if self.quarters_left <= 0:  # a model started mid-year: open a year now
            self.begin_year(model)
        if self.outreach_due:
            self.outreach_due = False
            self.yearly_outreach(model)

    def yearly_outreach(self, model) -> None:
        """Outreach paid in the first quarter of each year (none by default; see
        ``reach_residents``)."""

    def fund_learners(self, model) -> None:
        """Write who this funder pays for into the funding arrays."""
        f = model.state.funding
        elig = self.eligible(model)
        self.q_eligible = float(elig.sum()) * self.ppa
        self._open_band = self.open_band(model)
        f.public_eligible = f.public_eligible | elig
        f.public_open_band = np.maximum(f.public_open_band, self._open_band)

    def price_courses(self, model) -> None:
        st = model.state
        C = st.courses
        base = self.base_rates(model)
        rates = np.where(base > 0.0, np.maximum(base * self.course_weights(model),
                                                self.rate_floor(model)), 0.0)
        rates = np.where(self.commissioned_courses(model), rates, 0.0)
        # every learner a policy made eligible (fund_learners) is paid for at these rates
        widened = st.funding.public_eligible
        # the most the funder could owe on each course this quarter (its free places)
        exposure = free_seats(model) * rates * self.ppa
        # funding is not paced evenly: worst-case exposure (every free place filled by a funded
        # learner) is several times what is spent, so an even quarterly share left most of the
        # budget unspent; starts are funded while the year's money lasts
        self.q_allowance = self.pot
        out = ~st.providers.in_area[C.provider]
        ob = self._open_band
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

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        """Pay for every publicly funded start no ring-fenced funder paid for already."""
        self.pay_for(model, self.public_starters(model, starters))

    @staticmethod
    def public_starters(model, starters: np.ndarray) -> np.ndarray:
        """The publicly funded starters this quarter that nobody has paid for yet."""
        L = model.state.learners
        paid = model.state.funding.public_paid
        ok = (L.funding_source[starters] == FUND_PUBLIC) & (L.course[starters] >= 0)
        if paid.size == L.n:
            ok &= ~paid[starters]
        return starters[ok]

    def pay_for(self, model, s: np.ndarray) -> None:
        """Pay the course's public rate for the starters ``s`` out of this year's money, mark
        them paid and book the spend by level, priority sector, area and provider."""
        st = model.state
        L = st.learners
        C = st.courses
        if s.size == 0:
            return
        if st.funding.public_paid.size == L.n:
            st.funding.public_paid[s] = True
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
            SPEND: self.q_spend,
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
    def reach_residents(self, model, pool: np.ndarray, money: float, cost_per_person: float,
                        k: int) -> tuple[np.ndarray, float]:
        """Outreach: spend up to ``money`` (never more than the pot) reaching learners of
        ``pool`` (rows) at ``cost_per_person`` each (GBP at people scale), each reached with
        the same chance (a draw keyed on the learner, sub-index ``k``). The spend is paid to
        no provider. Returns the rows reached and what was spent."""
        L = model.state.learners
        money = min(money, self.pot)
        if pool.size == 0 or money <= 0.0:
            return pool[:0], 0.0
        share = min(1.0, money / cost_per_person / (pool.size * self.ppa))
        hit = pool[draws(model, L.uid[pool], k) < share]
        pay = min(hit.size * self.ppa * cost_per_person, self.pot)
        self.pot -= pay
        self.spent += pay
        self.q_spend += pay
        self.q_outreach = pay
        self.q_reached = hit.size * self.ppa
        return hit, pay

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
