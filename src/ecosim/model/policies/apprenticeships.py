"""Apprenticeships and the employer levy (docs/odd.md 8.9).

An apprenticeship is a job and a course at once. Employers choose whom to put on provider
training in the employer phase (``phases/employers.py``, ``kernels/employer_training.py``: by
absorptive capacity, expected retention and poaching risk, at the rate and worker weights this
policy sets before it); this policy then, in ``adjust_employers``, places each chosen worker
on an apprenticeship at a level (Level 2 to 6+) with a provider of their sector within reach
(a place the provider opens for the off-the-job training, and closes when the apprentice
leaves it: apprenticeship provision is contracted apart from classroom places), and pays the
apprentice a share of their wage. The training price is paid to the provider as the ESFA pays
it: ``1 - completion_payment_share`` of it in equal quarterly instalments while the apprentice
is on programme, the rest on achievement, each instalment from the employer's levy account
while it holds money, otherwise co-funded (state and employer). The
learning phase carries the apprenticeship like any course: its hazard is this policy's
(``learners.course_hazard``, from the achievement rates in post by level), and completion
raises the level and sector skill through the usual completion path. Leaving the job ends the
apprenticeship. Where the levy may buy short courses (growth and skills levy), levy payers buy
some short courses instead of apprenticeships.

Levy: employers with an annual pay bill above the threshold pay ``levy_rate`` of the excess a
quarter at a time into their account (``policies/levy_accounts.py``; unspent money expires).
Apprentices count in adult participation (``learners.last_fe_quarter``) at every level, as the
DfE's further education and skills figures count them. Money is GBP at people scale.
"""

from __future__ import annotations

import math

import numpy as np

from ecosim.model.phases.learning import course_minutes
from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import draws, ppa
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.policies.levy_accounts import LevyAccounts
from ecosim.model.state import EMPLOYED, FUND_EMPLOYER

#: apprenticeship bands and their ledger names
BANDS = ((2, "level2"), (3, "level3"), (4, "level4_5"), (5, "level6_plus"))
BAND_LABELS = {"level2": "Level 2", "level3": "Level 3", "level4_5": "Level 4-5",
               "level6_plus": "Level 6+"}
#: an apprentice aged under this at the start is in the 16-24 band (years; DfE age bands)
YOUNG_AGE_END = 25.0
#: draw counters (Purpose.POLICY, keyed on the learner's uid)
K_SHORT, K_BAND = 0, 1


def _band_entries(prefix: str, label: str) -> tuple:
    return tuple(flow(f"{prefix}_{name}", f"{label}, {BAND_LABELS[name]} (persons)",
                      unit="persons", report="sum") for _, name in BANDS) + (
        flow(f"{prefix}_16_24", f"{label}, aged 16-24 (persons)", unit="persons",
             report="sum"),
        flow(f"{prefix}_25_plus", f"{label}, aged 25+ (persons)", unit="persons",
             report="sum"))


class Apprenticeships(Policy):
    """Apprenticeships with the employer levy (docs/odd.md 8.9)."""

    name = "apprenticeships"
    LEDGER = (
        flow("co_investment_public_gbp", "state co-investment in apprenticeships (GBP)",
             payer="public", report="sum"),
        flow("co_investment_employer_gbp", "employers' co-investment (GBP)", payer="employer",
             report="sum"),
        flow("levy_income_gbp", "levy paid into accounts (GBP)", payer="levy", report="sum"),
        flow("levy_spend_gbp", "levy spent on training (GBP)", payer="levy", report="sum"),
        flow("levy_spend_short_courses_gbp", "levy spent on short courses (GBP)",
             payer="levy", report="sum", part_of="levy_spend_gbp"),
        flow("levy_expired_gbp", "levy funds expired unspent (GBP)", payer="levy",
             report="sum"),
        stock("levy_balance_gbp", "levy account balances (GBP)", payer="levy", report="end"),
        stock("levy_income_total_gbp", "levy paid in, run total (GBP)", payer="levy"),
        stock("levy_spend_total_gbp", "levy spent, run total (GBP)", payer="levy"),
        stock("levy_expired_total_gbp", "levy expired, run total (GBP)", payer="levy"),
        flow("starts", "apprenticeship starts (persons)", unit="persons", report="sum"),
        *_band_entries("starts", "apprenticeship starts"),
        flow("achievements", "apprenticeships achieved (persons)", unit="persons",
             report="sum"),
        *_band_entries("achievements", "apprenticeships achieved"),
        flow("withdrawals", "apprenticeships left unfinished: withdrawn, job lost or moved "
             "away (persons)", unit="persons", report="sum"),
        flow("withdrawals_job_loss", "withdrawals because the apprentice left the job "
             "(persons)",
             unit="persons", report="sum"),
        flow("programme_exits", "apprentices leaving the programme: achieved + withdrawn "
             "(persons)", unit="persons"),
        flow("achievement_rate_q", "achievements / programme exits this quarter",
             unit="share", report="ratio:achievements/programme_exits",
             report_label="achievement rate"),
        flow("short_course_starts", "levy-funded short-course starts (persons)",
             unit="persons", report="sum"),
        flow("no_place", "chosen workers with no course place within reach (persons)",
             unit="persons"),
        stock("apprentices", "apprentices on programme (persons)", unit="persons",
              report="end"),
        stock("apprentice_share_of_employment", "apprentices, share of residents in work",
              unit="share", report="end"),
        stock("levy_paying_employers", "employers paying the levy (agents)", unit="agents",
              report="end"),
    )

    # ---- setup --------------------------------------------------------------------------
    def setup(self, model) -> None:
        s = self.settings
        E = model.state.employers
        self.ppa = ppa(model)
        self.accounts = LevyAccounts(E.n, s.expiry_months // 3)
        self.short_allowance = np.zeros(E.n)   # GBP each employer may still spend on short
        self.short_prob = np.zeros(E.n)        # chance a chosen worker gets a short course
        self.levy_q = np.zeros(E.n)
        min_q = math.ceil(s.min_duration_months / 3.0)
        self.duration = np.maximum(s.duration_quarters.as_array(1.0), min_q).astype(np.int16)
        self.price = s.price_gbp.as_array()
        self.max_age = s.max_start_age.as_array(99.0)
        cip = s.completion_in_post.as_array(1.0)
        # quarterly hazard giving completion cip over the planned length, for those in post
        self.hazard = 1.0 - cip ** (1.0 / np.maximum(self.duration, 1))
        self.places = np.zeros(model.state.courses.n, np.int64)  # places opened, by course
        self.n_on = 0
        self.employed = 0
        self.levy_payers = 0
        self._reset_flows()

    def _reset_flows(self) -> None:
        self.f = {e.key: 0.0 for e in self.LEDGER if e.kind == "flow"}

    # ---- the levy --------------------------------------------------------------------------
    def begin_quarter(self, model) -> None:
        s = self.settings
        L = model.state.learners
        E = model.state.employers
        self._reset_flows()
        on = L.apprentice_level >= 0  # pay is restored before the wage phase moves it
        L.wage[on] = L.apprentice_full_wage[on]
        pay_bill = E.payroll * self.ppa
        self.levy_q = s.levy_rate * np.maximum(0.0, pay_bill - s.pay_bill_threshold_gbp) / 4.0
        income, expired = self.accounts.pay_in(model.quarter, self.levy_q)
        self.short_allowance += s.short_course_share * self.levy_q
        self.f["levy_income_gbp"] = income
        self.f["levy_expired_gbp"] = expired
        E.levy_balance = self.accounts.balance()

    def after_demography(self, model) -> None:
        L = model.state.learners
        on = L.apprentice_level >= 0
        left = self.n_on - int(np.count_nonzero(on))  # moved away or retired
        self.f["withdrawals"] += left * self.ppa
        self.f["programme_exits"] += left * self.ppa
        lost = np.flatnonzero(on & (L.status != EMPLOYED))
        self.f["withdrawals_job_loss"] += lost.size * self.ppa
        self._end(model, lost, withdraw=True)
        self._close_places(model)

    # ---- before the employer phase: whom employers may choose, and at what rate -----------
    def price_courses(self, model) -> None:
        s = self.settings
        L = model.state.learners
        E = model.state.employers
        young = L.age < YOUNG_AGE_END
        w = s.prior_level_weight.as_array()[L.level] * np.where(young, s.young_weight, 1.0)
        L.apprenticeship_weight = np.where(L.age >= 16.0, w, 0.0)
        bal = self.accounts.balance()
        funded = (self.levy_q > 0) & (bal >= self.price[3] * self.ppa)
        rate = s.base_rate * np.where(funded, s.levy_funds_uplift, 1.0)
        # growth and skills levy: levy payers buy some short courses instead (docs/odd.md 8.9)
        pref, k = s.short_course_preference, s.short_courses_per_apprenticeship
        short_fee = self._typical_short_fee(model)
        can_short = (s.short_course_share > 0) & (self.levy_q > 0) & (short_fee > 0) & \
            (self.short_allowance >= short_fee) & (bal >= short_fee)
        scale = (1.0 - pref) + pref * k
        self.short_prob = np.where(can_short & (scale > 0), pref * k / max(scale, 1e-12), 0.0)
        E.apprenticeship_rate = np.where(can_short, rate * scale, rate)

    def _typical_short_fee(self, model) -> float:
        """Mean fee of the short courses on offer (GBP at people scale; 0 if none)."""
        C = model.state.courses
        short = C.duration <= self.settings.short_course_max_quarters
        return float(C.fee[short].mean()) * self.ppa if short.any() else 0.0

    # ---- after the employer phase: outcomes, job losses, new starts, apprentice pay -------
    def adjust_employers(self, model) -> None:
        st = model.state
        L = st.learners
        q = model.quarter
        on = L.apprentice_level >= 0
        # outcomes of this quarter's learning progress
        off = on & (L.course < 0)
        done = off & (L.last_completion_quarter == q)
        self._count(L, "achievements", np.flatnonzero(done))
        self._pay(model, np.flatnonzero(done), self.settings.completion_payment_share)
        self.f["achievements"] += np.count_nonzero(done) * self.ppa
        dropped = np.count_nonzero(off & ~done)
        self.f["withdrawals"] += dropped * self.ppa
        self.f["programme_exits"] += np.count_nonzero(off) * self.ppa
        self._end(model, np.flatnonzero(off), withdraw=False)
        # leaving the job (separation, a move to another employer) ends the apprenticeship
        on = L.apprentice_level >= 0
        lost = on & ((L.status != EMPLOYED) | (L.employer != L.apprentice_employer))
        self.f["withdrawals_job_loss"] += np.count_nonzero(lost) * self.ppa
        self._end(model, np.flatnonzero(lost), withdraw=True)
        self._close_places(model)
        self._start(model, np.flatnonzero(L.apprenticeship_selected))
        on = L.apprentice_level >= 0
        inst = (1.0 - self.settings.completion_payment_share) / self.duration
        self._pay(model, np.flatnonzero(on), inst)
        L.last_fe_quarter[on] = q  # the DfE counts apprentices at every level
        L.last_funded_fe_quarter[on] = q
        L.apprentice_full_wage[on] = L.wage[on]
        L.wage[on] = self.settings.pay_ratio * L.wage[on]
        self.n_on = int(np.count_nonzero(on))
        st.employers.levy_balance = self.accounts.balance()
        self.f["achievement_rate_q"] = self.f["achievements"] / self.f["programme_exits"] \
            if self.f["programme_exits"] > 0 else 0.0

    def _pay(self, model, rows: np.ndarray, share) -> None:
        """Pay the providers ``share`` (a number, or one per band) of the price of the
        apprenticeships of ``rows``: from each employer's levy account (oldest money first)
        while it holds enough, the rest co-funded by the state and the employer."""
        if rows.size == 0:
            return
        st = model.state
        L = st.learners
        C = st.courses
        band = L.apprentice_level[rows]
        sh = share[band] if np.ndim(share) else share
        amount = sh * self.price[band] * self.ppa
        e = L.apprentice_employer[rows]
        due = np.bincount(e, weights=amount, minlength=st.employers.n)
        levy = self.accounts.spend_each(due)
        rest = float(due.sum() - levy.sum())
        co = self.settings.co_investment_rate
        self.f["levy_spend_gbp"] += float(levy.sum())
        self.f["co_investment_employer_gbp"] += co * rest
        self.f["co_investment_public_gbp"] += (1.0 - co) * rest
        course = np.where(L.course[rows] >= 0, L.course[rows], L.levy_course[rows])
        st.providers.funding_received += np.bincount(
            C.provider[course], weights=amount, minlength=st.providers.n)

    def _close_places(self, model) -> None:
        """Close the places opened for learners who are no longer on them (finished, left
        the course or the region): places and the revision's capacity fall with them."""
        L = model.state.learners
        C = model.state.courses
        if self.places.size < C.n:  # courses added by other policies
            self.places = np.concatenate([self.places, np.zeros(C.n - self.places.size,
                                                                np.int64)])
        still = (L.levy_course >= 0) & (L.course == L.levy_course)
        L.levy_course[~still] = -1
        now = np.bincount(L.levy_course[still], minlength=C.n)
        gone = self.places - now
        if gone.any():
            C.seats = np.maximum(C.seats - gone, np.minimum(C.seats, C.enrolled)).astype(
                np.int32)
            C.capacity = np.maximum(C.capacity - gone, 0.0)
        self.places = now

    def _end(self, model, rows: np.ndarray, withdraw: bool) -> None:
        """Take apprentices ``rows`` off the programme; ``withdraw``: they leave the course
        unfinished now (counted as withdrawals), else they already left it this quarter."""
        if rows.size == 0:
            return
        L = model.state.learners
        if withdraw:
            C = model.state.courses
            on = rows[L.course[rows] >= 0]
            C.enrolled = C.enrolled - np.bincount(L.course[on], minlength=C.n).astype(np.int32)
            L.course[rows] = -1
            L.course_left[rows] = 0
            self.f["withdrawals"] += rows.size * self.ppa
            self.f["programme_exits"] += rows.size * self.ppa
        L.apprentice_level[rows] = -1
        L.apprentice_employer[rows] = -1
        L.course_hazard[rows] = -1.0

    def _count(self, L, prefix: str, rows: np.ndarray) -> None:
        """Add ``rows`` (apprentices) to the flows ``<prefix>_<band>`` and by age band."""
        lv = L.apprentice_level[rows]
        for b, name in BANDS:
            self.f[f"{prefix}_{name}"] += np.count_nonzero(lv == b) * self.ppa
        young = L.apprentice_young[rows]
        self.f[f"{prefix}_16_24"] += np.count_nonzero(young) * self.ppa
        self.f[f"{prefix}_25_plus"] += np.count_nonzero(~young) * self.ppa

    def _start(self, model, rows: np.ndarray) -> None:
        """Place the workers chosen this quarter on an apprenticeship or a short course."""
        if rows.size == 0:
            return
        s = self.settings
        st = model.state
        L = st.learners
        C = st.courses
        P = st.providers
        q = model.quarter
        minutes = course_minutes(model)
        reach = model.scenario.training.max_travel_minutes
        uids = L.uid[rows]
        u_short = draws(model, uids, K_SHORT)
        u_band = draws(model, uids, K_BAND)
        # which course a worker gets depends only on their district, sector and band, and
        # courses do not move within the quarter: each choice is made once per key
        in_reach: dict[tuple[int, int], np.ndarray] = {}
        short_of: dict[tuple[int, int, int], int] = {}
        nearest_of: dict[tuple[int, int, int], int] = {}
        started: list[int] = []  # apprentices, with their band and employer
        bands: list[int] = []
        bosses: list[int] = []
        enrolled: list[tuple[int, int, int]] = []  # (learner, course, quarters): every start
        for j, i in enumerate(rows.tolist()):
            e = int(L.employer[i])
            lv = int(L.level[i])
            home, sec = int(L.district[i]), int(L.sector[i])
            ok = in_reach.get((home, sec))
            if ok is None:
                ok = ((minutes[home] <= reach) | C.online) & (C.sector == sec)
                in_reach[(home, sec)] = ok
            if u_short[j] < self.short_prob[e]:
                c = short_of.get((home, sec, lv))
                if c is None:
                    c = self._short_course(C, ok, lv, minutes[home])
                    short_of[(home, sec, lv)] = c
                if c < 0:
                    self.f["no_place"] += self.ppa
                    continue
                fee = float(C.fee[c]) * self.ppa
                if self.short_allowance[e] < fee or self.accounts.tranches[e].sum() < fee:
                    continue
                self.accounts.spend(e, fee)
                self.short_allowance[e] -= fee
                self.f["levy_spend_gbp"] += fee
                self.f["levy_spend_short_courses_gbp"] += fee
                self.f["short_course_starts"] += self.ppa
                P.funding_received[C.provider[c]] += fee
                enrolled.append((i, c, int(C.duration[c])))
                continue
            band = max(2, min(5, lv + 1))
            if u_band[j] < s.same_level_share:
                band = max(2, min(5, lv))
            if L.age[i] >= self.max_age[band]:
                continue
            c = nearest_of.get((home, sec, band))
            if c is None:
                cand = np.flatnonzero(ok & (C.level == band))
                # nearest, then lowest row; -1 if none
                c = int(cand[np.argmin(minutes[home, cand])]) if cand.size else -1
                nearest_of[(home, sec, band)] = c
            if c < 0:
                self.f["no_place"] += self.ppa
                continue
            enrolled.append((i, c, int(self.duration[band])))
            started.append(i)
            bands.append(band)
            bosses.append(e)
        # the starts are written after the loop: nothing in it reads what they change
        self._enrol(L, C, np.array(enrolled, dtype=np.int64).reshape(-1, 3), q)
        new = np.array(started, dtype=np.int64)
        band_of = np.array(bands, dtype=np.int64)
        L.course_hazard[new] = self.hazard[band_of]
        L.apprentice_level[new] = band_of
        L.apprentice_employer[new] = np.array(bosses, dtype=np.int64)
        L.apprentice_young[new] = L.age[new] < YOUNG_AGE_END
        self._count(L, "starts", new)
        self.f["starts"] += new.size * self.ppa

    def _short_course(self, C, ok: np.ndarray, level: int, minutes: np.ndarray) -> int:
        """The short course for a worker at band ``level``: the highest band up to one above
        theirs among short courses (``short_course_max_quarters``) of their sector within
        reach, the nearest of those; -1 if none."""
        cand = np.flatnonzero(ok & (C.duration <= self.settings.short_course_max_quarters)
                              & (C.level <= max(1, level + 1)))
        if cand.size == 0:
            return -1
        top = cand[C.level[cand] == C.level[cand].max()]
        return int(top[np.argmin(minutes[top])])

    def _enrol(self, L, C, starts: np.ndarray, q: int) -> None:
        """Start each (learner, course, quarters) row of ``starts`` on its course, on a place
        opened for it (paid by the apprenticeship or the levy)."""
        if starts.size == 0:
            return
        i, c, quarters = starts[:, 0], starts[:, 1], starts[:, 2]
        np.add.at(C.seats, c, 1)
        np.add.at(C.capacity, c, 1.0)
        np.add.at(self.places, c, 1)
        np.add.at(C.enrolled, c, 1)
        L.levy_course[i] = c
        L.course[i] = c
        L.course_left[i] = quarters
        L.last_start_quarter[i] = q
        L.funding_source[i] = FUND_EMPLOYER
        L.last_fe_quarter[i] = q
        L.last_funded_fe_quarter[i] = q

    # ---- ledger -------------------------------------------------------------------------
    def end_quarter(self, model) -> None:
        E = model.state.employers
        self.employed = int(np.count_nonzero(model.state.learners.status == EMPLOYED))
        self.levy_payers = int(np.count_nonzero(self.levy_q > 0))
        E.levy_balance = self.accounts.balance()

    def ledger(self) -> dict[str, float]:
        a = self.accounts
        out = dict(self.f)
        out.update({
            "levy_balance_gbp": a.total(),
            "levy_income_total_gbp": a.income_total,
            "levy_spend_total_gbp": a.spend_total,
            "levy_expired_total_gbp": a.expired_total,
            "apprentices": self.n_on * self.ppa,
            "apprentice_share_of_employment": self.n_on / self.employed if self.employed
            else 0.0,
            "levy_paying_employers": float(self.levy_payers),
        })
        return out

