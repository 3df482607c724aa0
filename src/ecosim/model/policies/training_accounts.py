"""Personal training accounts (France's CPF, seed 004), funded by an employer levy.

Each quarter employed learners are credited a quarter of the yearly credit up to the cap (more
for those below Level 3); employers with at least ``levy_min_employees`` pay ``levy_rate`` of
their pay bill into a fund. A learner spends the balance on any account-eligible course without
employer approval; the account pays ``min(balance, (1 - copay) x fee)`` at the start. Balances
follow the person across jobs and unemployment and leave with them. Unless the state
underwrites the fund, account places are rationed before learners decide so that the most
they could cost this quarter never exceeds the fund: courses stay account-eligible in a random
order keyed on the course while their free places fit the fund; the others may not be bought
with an account this quarter (balances are untouched). A balance that can be spent is also a
prompt to learn: its holder's chance of considering training rises by ``consider_uplift``
(times the salience of the units: a factor 1 + uplift in ``funding.consider_multiplier``, read
by ``kernels/consider_multiplier.py``). Without ``certification_required`` every course is
account-eligible and low-quality uncertified providers enter and grow; completions of their
courses count as qualifications less often (``uncertified_market.recognition_share``, written
into ``courses.recognition``).
Account spend is paid from the levy fund; when the state underwrites the fund, what it adds to
cover a deficit is public spend. Ledger money is GBP at people scale (agent balances x
persons_per_agent).
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import (
    COURSE_UID_BASE,
    draws,
    free_seats,
    ppa,
    ration_courses,
    set_places,
    supply_limit,
)
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.state import EMPLOYED, FUND_ACCOUNT, KIND_COLLEGE

K_ADMIT = 21  # sub-index of the draw that orders courses when the fund rations account places


class TrainingAccounts(Policy):
    """CPF-style accounts: credits, levy fund, spending, certification (docs/odd.md 8.2)."""

    name = "training_accounts"
    LEDGER = (
        flow("account_spend_gbp", "account spend (GBP)", payer="levy"),
        flow("quarter_underwriting_gbp", "state cover of the fund's deficit (GBP)",
             payer="public"),
        stock("credits_gbp", "credits, run total (GBP)", report="end"),
        stock("spend_gbp", "account spend, run total (GBP)", payer="levy", report="end"),
        stock("balances_removed_gbp", "balances that left the region, run total (GBP)"),
        stock("balances_gbp", "balances held (GBP)", report="end"),
        stock("initial_balances_gbp", "balances at the start (GBP)"),
        stock("levy_income_gbp", "levy income, run total (GBP)", payer="employer",
              report="end"),
        stock("state_underwriting_gbp", "state underwriting (GBP)", payer="public",
              report="end"),
        stock("fund_income_gbp", "fund income, run total (GBP)"),
        stock("fund_spend_gbp", "fund spend, run total (GBP)", payer="levy"),
        stock("fund_balance_gbp", "fund balance (GBP)", report="end"),
        stock("overdrawn_gbp", "fund overdrawn, run total (GBP; never expected)"),
        flow("quarter_credits_gbp", "credits this quarter (GBP)"),
        flow("quarter_levy_gbp", "levy this quarter (GBP)", payer="employer"),
        flow("account_starts", "account-funded starts (persons)", unit="persons"),
        flow("spend_uncertified_gbp", "account spend on uncertified providers (GBP)",
             payer="levy", part_of="account_spend_gbp",
             report="ratio:spend_uncertified_gbp/account_spend_gbp",
             report_label="uncertified share of account spend"),
        stock("spend_uncertified_total_gbp", "spend on uncertified providers, run total (GBP)",
              payer="levy"),
        flow("completions", "account-funded completions (persons)", unit="persons"),
        stock("completions_total", "account-funded completions, run total (persons)",
              unit="persons"),
        flow("completions_uncertified", "completions with uncertified providers (persons)",
             unit="persons"),
        flow("level_gains", "account completions that raised a level (persons)",
             unit="persons"),
        stock("level_gains_total", "level gains, run total (persons)", unit="persons"),
        flow("skill_gain", "skill gained on account courses (persons x skill)", unit="count"),
        stock("skill_gain_total", "skill gained, run total (persons x skill)", unit="count"),
        stock("admitted_share", "share of account-eligible free places the fund kept open",
              unit="share"),
        flow("places_added", "places opened by account starts (persons)", unit="persons"),
        stock("balances_hours", "balances held (hours)", unit="hours"),
        stock("unexplained_balance_change_gbp",
              "balance change not explained by credits, spend and departures (GBP; check)"),
    )

    def setup(self, model) -> None:
        st = model.state
        L = st.learners
        self.ppa = ppa(model)
        self._learners = L
        self.credits = 0.0
        self.spend = 0.0
        self.removed = 0.0
        self.levy = 0.0
        self.underwritten = 0.0
        self.q_underwritten = 0.0
        self.fund = 0.0
        self.overdrawn = 0.0
        self.spend_uncert = 0.0
        self.completions = 0.0
        self.completions_uncert = 0.0
        self.level_gains = 0.0
        self.skill_gain = 0.0
        self.unexplained = 0.0
        self.initial_balances = float(L.balance.sum()) * self.ppa
        self._snap_uid = np.zeros(0, np.int64)
        self._snap_bal = np.zeros(0)
        self.entrants = np.zeros(0, np.int64)
        self._acc_starts = np.zeros(0)
        self._carry = np.zeros(0)
        if not self.settings.certification_required:
            self._add_entrants(model)
        self._reset_quarter()

    def _reset_quarter(self) -> None:
        self.q_credits = 0.0
        self.q_levy = 0.0
        self.q_spend = 0.0
        self.q_underwritten = 0.0
        self.q_spend_uncert = 0.0
        self.q_starts = 0.0
        self.q_admitted_share = 1.0
        self.q_completions = 0.0
        self.q_completions_uncert = 0.0
        self.q_places_added = 0.0
        self.q_level_gains = 0.0
        self.q_skill_gain = 0.0

    # ---- low-quality entrants (no certification) ---------------------------------------
    def _add_entrants(self, model) -> None:
        """Append uncertified online providers with short Level 1-2 courses in every sector,
        priced at the band's full fee (to capture account balances) but cheap to deliver; the
        first opens at once, the others one a year (``adjust_supply``)."""
        st = model.state
        P, C = st.providers, st.courses
        um = self.settings.uncertified_market
        k = int(um.entrants)
        if k == 0:
            return
        first = P.n
        P.append(k, {"kind": np.full(k, KIND_COLLEGE), "district": np.full(k, -1),
                     "in_area": np.zeros(k, np.bool_), "online": np.ones(k, np.bool_),
                     "quality": np.full(k, um.quality), "certified": np.zeros(k, np.bool_),
                     "commissioned": np.zeros(k, np.bool_)})
        self.entrants = np.arange(first, first + k)
        terms = model.scenario.providers.course_terms
        S = model.scenario.n_sectors
        rows: dict[str, list] = {x: [] for x in ("provider", "sector", "level", "seats", "fee",
                                                 "delivery_cost", "duration", "glh", "online",
                                                 "account_eligible", "completion_bonus",
                                                 "progression_bonus", "recognition")}
        per = max(1, int(round(um.initial_seats / self.ppa / (2 * S))))
        self.entry_seats = per
        for j in self.entrants:
            for band in (1, 2):
                t = terms.for_band(band)
                for s in range(S):
                    # short, cheap versions of the band's courses: glh_share of the hours
                    rows["provider"].append(j)
                    rows["sector"].append(s)
                    rows["level"].append(band)
                    rows["seats"].append(per if j == self.entrants[0] else 0)
                    rows["fee"].append(um.price_share * t.fee_gbp)
                    rows["delivery_cost"].append(um.delivery_cost_share * t.delivery_cost_gbp)
                    rows["duration"].append(1)
                    rows["glh"].append(um.glh_share * t.glh)
                    rows["online"].append(True)
                    rows["account_eligible"].append(True)
                    rows["completion_bonus"].append(-um.completion_penalty)
                    rows["progression_bonus"].append(um.appeal)
                    # their certificates count as qualifications less often
                    rows["recognition"].append(um.recognition_share)
        m = len(rows["provider"])
        C.append(m, {key: np.asarray(v) for key, v in rows.items()})
        self.entrant_courses = np.arange(C.n - m, C.n)

    # ---- hooks -------------------------------------------------------------------------
    def begin_quarter(self, model) -> None:
        self._reset_quarter()
        st = model.state
        L = st.learners
        s = self.settings
        # credits: a quarter of the yearly credit, up to the cap
        who = L.age >= 16.0
        if not s.credit_unemployed:
            who &= L.status == EMPLOYED
        low = L.level < s.low_qualified_below_level
        credit = np.where(low, s.low_qualified_credit_gbp_per_year, s.credit_gbp_per_year) / 4.0
        cap = np.where(low, s.low_qualified_cap_gbp, s.cap_gbp)
        add = np.where(who, np.clip(np.minimum(credit, cap - L.balance), 0.0, None), 0.0)
        L.balance = L.balance + add
        self.q_credits = float(add.sum()) * self.ppa
        self.credits += self.q_credits
        # levy on the pay bill of employers at or above the size threshold
        E = st.employers
        payer = E.headcount * self.ppa >= s.levy_min_employees
        self.q_levy = float(E.payroll[payer].sum()) * self.ppa * s.levy_rate / 4.0
        self.levy += self.q_levy
        self.fund += self.q_levy
        # who holds what, to account for balances that leave the region in demography
        has = L.balance > 0
        self._snap_uid = L.uid[has].copy()
        self._snap_bal = L.balance[has].copy()

    def after_demography(self, model) -> None:
        """Balances that left with their holders, and a check that the stayers' did not move."""
        L = model.state.learners
        stay = np.isin(self._snap_uid, L.uid)
        gone = float(self._snap_bal[~stay].sum()) * self.ppa
        self.removed += gone
        expect = float(self._snap_bal[stay].sum()) * self.ppa
        self.unexplained += abs(float(L.balance.sum()) * self.ppa - expect)

    def price_courses(self, model) -> None:
        st = model.state
        C = st.courses
        s = self.settings
        f = st.funding
        f.account_salience = 1.0 if s.units == "money" else float(s.hours_salience)
        f.account_copay = float(s.copay_share)
        if s.certification_required:
            C.account_eligible = st.providers.certified[C.provider]
        else:
            C.account_eligible = np.ones(C.n, np.bool_)
        if not s.state_underwrites:
            self._ration(model)
        self._prompt(model)

    def _prompt(self, model) -> None:
        """A balance that can buy a course this quarter prompts its holder to consider one
        (``consider_uplift``, scaled by the salience of the units): its holder's factor in
        ``funding.consider_multiplier`` is multiplied by 1 + uplift."""
        s = self.settings
        f = model.state.funding
        up = float(s.consider_uplift) * float(f.account_salience)
        if up <= 0.0 or not model.state.courses.account_eligible.any():
            return
        f.consider_multiplier = f.consider_multiplier * np.where(f.account_usable > 0.0,
                                                                 1.0 + up, 1.0)

    def _ration(self, model) -> None:
        """Keep account-eligible only as many courses as their free places could cost the fund
        this quarter, visiting courses in a random order keyed on the course: the most a
        course could draw is its free places x the account's share of its fee (no more than
        the largest balance). The others are not account-eligible this quarter; nobody's
        balance changes. Rationing places rather than holders keeps the bound safe without
        charging every holder the dearest course: a bigger credit does not shut people out."""
        st = model.state
        L = st.learners
        C = st.courses
        copay = float(self.settings.copay_share)
        free = free_seats(model)
        elig = C.account_eligible & (free > 0)
        if not elig.any():
            return
        most = float(L.balance[L.course < 0].max(initial=0.0))
        exposure = np.where(elig, free * np.minimum((1.0 - copay) * C.fee, most), 0.0) * self.ppa
        if exposure.sum() <= self.fund:
            return
        u = draws(model, COURSE_UID_BASE + np.arange(C.n, dtype=np.int64), K_ADMIT)
        order = np.lexsort((np.arange(C.n), u))
        keep = ration_courses(exposure, order, self.fund) & elig
        self.q_admitted_share = float(free[keep].sum()) / max(float(free[elig].sum()), 1.0)
        C.account_eligible = C.account_eligible & (keep | (free <= 0))

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        st = model.state
        L = st.learners
        C = st.courses
        s = starters[(L.funding_source[starters] == FUND_ACCOUNT) & (L.course[starters] >= 0)]
        if s.size:
            c = L.course[s].astype(np.int64)
            debit = np.minimum(L.balance[s], (1.0 - self.settings.copay_share) * C.fee[c])
            debit = np.maximum(debit, 0.0)
            L.balance[s] = L.balance[s] - debit
            gbp = debit * self.ppa
            total = float(gbp.sum())
            uncert = ~st.providers.certified[C.provider[c]]
            self.q_spend += total
            self.spend += total
            self.q_spend_uncert += float(gbp[uncert].sum())
            self.spend_uncert += float(gbp[uncert].sum())
            self.q_starts += s.size * self.ppa
            L.account_on_course[s] = debit
            L.account_start_level[s] = L.level[s]
            L.account_start_skill[s] = L.skill[s]
            if self._acc_starts.size != C.n:
                self._acc_starts = np.resize(self._acc_starts, C.n) * 0.0
                self._carry = np.resize(self._carry, C.n) * 0.0
            self._acc_starts += np.bincount(c, minlength=C.n)
            L.account_uncertified[s] = uncert
            st.providers.funding_received = st.providers.funding_received + np.bincount(
                C.provider[c], weights=gbp, minlength=st.providers.n)
            self.fund -= total
            if self.fund < -1e-6:
                if self.settings.state_underwrites:
                    self.underwritten += -self.fund
                    self.q_underwritten += -self.fund
                else:
                    self.overdrawn += -self.fund
                self.fund = 0.0

    def adjust_supply(self, model) -> None:
        C = model.state.courses
        # account money draws places into the market, course by course
        if self._acc_starts.size and self.settings.supply_response > 0:
            n = self._acc_starts.size
            want = self._carry + self.settings.supply_response * self._acc_starts
            add = np.floor(want)
            self._carry = want - add
            # within a multiple of initial places: without a bound the places that account
            # starts open fill and open more, quarter after quarter
            room = supply_limit(model, self.settings.supply_max_multiple)[:n] - C.seats[:n]
            add = np.minimum(add, np.maximum(room, 0.0))
            set_places(model, slice(0, n), C.seats[:n] + add.astype(C.seats.dtype))
            self.q_places_added = float(add.sum()) * self.ppa
            self._acc_starts = np.zeros(C.n)
        if self.entrants.size == 0:
            return
        um = self.settings.uncertified_market
        ec = self.entrant_courses
        seats = C.seats[ec].astype(np.float64)
        full = (seats > 0) & (C.enrolled[ec] > um.growth_fill_share * seats)
        grow = np.where(full, np.ceil(seats * (1.0 + um.growth_per_quarter)), seats)
        # one more entrant opens at the end of each year while account money keeps coming
        if model.quarter % 4 == 0:
            k = min(model.quarter // 4, self.entrants.size - 1)
            new = (C.provider[ec] == self.entrants[k]) & (grow == 0)
            grow[new] = self.entry_seats
        set_places(model, ec, grow)
        # online entrants have no estate to limit them: the provider revision's growth cap
        # (a multiple of initial places) counts from the places they have opened
        C.capacity0[ec] = np.maximum(C.capacity0[ec], C.seats[ec])

    def end_quarter(self, model) -> None:
        L = model.state.learners
        q = model.quarter
        done = (L.last_completion_quarter == q) & (L.account_on_course > 0)
        self.q_completions = float(done.sum()) * self.ppa
        self.q_level_gains = float((done & (L.level > L.account_start_level)).sum()) * self.ppa
        self.q_skill_gain = float(np.maximum(L.skill[done] - L.account_start_skill[done],
                                             0.0).sum()) * self.ppa
        self.level_gains += self.q_level_gains
        self.skill_gain += self.q_skill_gain
        self.q_completions_uncert = float((done & L.account_uncertified).sum()) * self.ppa
        self.completions += self.q_completions
        self.completions_uncert += self.q_completions_uncert
        off = L.course < 0
        L.account_on_course[off] = 0.0
        L.account_uncertified[off] = False

    def ledger(self) -> dict[str, float]:
        bal = self._balances
        return {
            "account_spend_gbp": self.q_spend,
            "quarter_underwriting_gbp": self.q_underwritten,
            "credits_gbp": self.credits,
            "spend_gbp": self.spend,
            "balances_removed_gbp": self.removed,
            "balances_gbp": bal(),
            "initial_balances_gbp": self.initial_balances,
            "levy_income_gbp": self.levy,
            "state_underwriting_gbp": self.underwritten,
            "fund_income_gbp": self.levy + self.underwritten,
            "fund_spend_gbp": self.spend,
            "fund_balance_gbp": self.fund,
            "overdrawn_gbp": self.overdrawn,
            "quarter_credits_gbp": self.q_credits,
            "quarter_levy_gbp": self.q_levy,
            "account_starts": self.q_starts,
            "spend_uncertified_gbp": self.q_spend_uncert,
            "spend_uncertified_total_gbp": self.spend_uncert,
            "completions": self.q_completions,
            "completions_total": self.completions,
            "completions_uncertified": self.q_completions_uncert,
            "level_gains": self.q_level_gains,
            "level_gains_total": self.level_gains,
            "skill_gain": self.q_skill_gain,
            "skill_gain_total": self.skill_gain,
            "admitted_share": self.q_admitted_share,
            "places_added": self.q_places_added,
            "balances_hours": bal() / float(self.settings.gbp_per_hour),
            "unexplained_balance_change_gbp": self.unexplained,
        }

    def _balances(self) -> float:
        L = self._learners
        return float(L.balance.sum()) * self.ppa if L is not None else 0.0

    _learners = None
