"""Lifelong Learning Entitlement (seed 000: "now scheduled for 2026/7"): an income-contingent
loan for Level 4-6 courses and modules, usable over a working life.

From ``start_year`` every resident aged ``min_age`` to under ``max_age`` may borrow the tuition
of Level 4-5 and degree courses (and, with ``modular``, of modules: units of those courses)
until ``entitlement_gbp`` is used. The learner pays nothing up front; before deciding they see
the expected discounted repayment of the loan (``kernels/loan_repayment.py``): ``repayment_rate``
of their expected pay above ``repayment_threshold_gbp`` a year until it is repaid, written off
after ``write_off_years`` or at retirement, so the loan costs little to a learner who expects low
pay or has few working years left. With ``maintenance`` the loan also replaces the earnings a
learner gives up while studying. Borrowers repay from their actual pay each quarter once off
the course; what is owed when a borrower leaves the region (or retires) leaves the books.
The policy works through the funding contract only: it writes ``funding.loan_*`` and
``courses.loan_entitled`` before learners decide; the learning phase records loan-financed
starters as ``FUND_LOAN``. Modules are course rows with ``courses.credit_share`` < 1, whose
credit the learning phase banks towards the qualification (across providers when another
policy sets ``funding.credit_transfer``). Ledger money is GBP at people scale; loans issued are
public outlay, repayments come back to the public purse.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.build import largest_remainder
from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import ppa, set_places
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.state import EMPLOYED, FUND_LOAN, N_LEVELS

#: the bands the entitlement pays for: Level 4-5 and Level 6 (degree) courses
LOAN_BANDS = (4, 5)
#: age bands of the take-up counts (years: lower bounds; the last is open)
AGE_BANDS = ((18.0, "age_18_24"), (25.0, "age_25_39"), (40.0, "age_40_49"),
             (50.0, "age_50_59"), (60.0, "age_60_plus"))
#: prior-qualification groups of the take-up counts (band -> key suffix)
PRIOR_KEYS = ("prior_below_level3",) * 3 + ("prior_level3", "prior_level4_5",
                                             "prior_level6_plus")


def _take_up_entries():
    """Ledger flows of loan-financed starts by age band and by prior qualification."""
    out = []
    for _, key in AGE_BANDS:
        band = key[4:].replace("_plus", "+").replace("_", "-")
        out.append(flow(f"loan_starts_{key}", f"loan-financed starts, aged {band} (persons)",
                        unit="persons"))
    prior = {"prior_below_level3": "below Level 3", "prior_level3": "Level 3",
             "prior_level4_5": "Level 4-5", "prior_level6_plus": "Level 6+"}
    for key in dict.fromkeys(PRIOR_KEYS):
        out.append(flow(f"loan_starts_{key}",
                        f"loan-financed starts, qualified {prior[key]} before (persons)",
                        unit="persons"))
    return tuple(out)


class LifelongLearningEntitlement(Policy):
    """Loans for Level 4-6 courses and modules (docs/odd.md 8.10)."""

    name = "lifelong_learning_entitlement"
    LEDGER = (
        flow("loans_issued_gbp", "loans issued, tuition and maintenance (GBP; public outlay)",
             payer="public"),
        flow("tuition_loans_gbp", "tuition loans issued (GBP)", payer="public",
             part_of="loans_issued_gbp"),
        flow("maintenance_loans_gbp", "maintenance loans issued (GBP)", payer="public",
             part_of="loans_issued_gbp"),
        flow("repayments_gbp", "repayments (GBP)", payer="learner", report="sum"),
        flow("written_off_gbp", "written off after the write-off period (GBP)"),
        flow("balances_left_gbp", "owed by borrowers who left the region or retired (GBP)"),
        flow("expected_repayment_gbp",
             "expected repayment of the loans issued (GBP; real, undiscounted)",
             report="sum"),
        flow("expected_write_off_gbp",
             "expected write-off of the loans issued (GBP; the expected public cost)",
             report="sum"),
        stock("loans_total_gbp", "loans issued, run total (GBP)", payer="public", report="end"),
        stock("repayments_total_gbp", "repayments, run total (GBP)", payer="learner",
              report="end"),
        stock("written_off_total_gbp", "written off, run total (GBP)"),
        stock("balances_left_total_gbp", "owed by borrowers who left, run total (GBP)"),
        stock("outstanding_gbp", "outstanding loan balance (GBP)", report="end"),
        stock("unexplained_balance_gbp",
              "balance not explained by loans, repayments, write-offs and leavers (GBP; check)"),
        stock("entitlement_used_gbp", "tuition entitlement used by residents (GBP)"),
        stock("borrowers", "residents owing a loan (persons)", unit="persons", report="end"),
        stock("eligible", "residents who may borrow this quarter (persons)", unit="persons"),
        flow("loan_starts", "loan-financed starts (persons)", unit="persons", report="sum"),
        flow("loan_starts_level4_5", "loan-financed Level 4-5 starts (persons)",
             unit="persons"),
        flow("loan_starts_level6_plus", "loan-financed degree starts (persons)",
             unit="persons"),
        flow("module_starts", "loan-financed module starts (persons)", unit="persons",
             report="sum"),
        *_take_up_entries(),
        stock("module_places", "module places (persons)", unit="persons"),
    )

    # ---- setup -------------------------------------------------------------------------
    def setup(self, model) -> None:
        s = self.settings
        sc = model.scenario
        self.ppa = ppa(model)
        burn_in, _ = sc.quarters()
        #: first model quarter the entitlement pays for (quarter 1 of its calendar year)
        self.open_quarter = burn_in + 1 + 4 * (int(s.start_year) - int(sc.run.start_year))
        self.opened = False
        self.loans = self.repaid = self.written = self.left = 0.0
        self.module_rows = np.zeros(0, np.int64)
        self.module_parent = np.zeros(0, np.int64)
        if s.modular:
            self._add_modules(model)
        self._snap_uid = np.zeros(0, np.int64)
        self._snap_bal = np.zeros(0)
        self._reset_quarter()
        self.q_eligible = 0.0
        self._outstanding = self._used = self._borrowers = self._module_places = 0.0

    def _reset_quarter(self) -> None:
        self.q = {e.key: 0.0 for e in self.LEDGER if e.kind == "flow"}

    def _add_modules(self, model) -> None:
        """One module row per Level 4-6 course longer than a module: the same provider,
        sector, band and place of teaching, ``module_quarters`` long, with that share of the
        course's fee, delivery cost and hours, credit share = module length / course length.
        A module keeps its course's quarterly dropout hazard at the reference completion rate
        (a completion bonus makes up for the kernel's whole-course odds on a shorter course)
        and its bonuses. Places open with the entitlement (none before)."""
        C = model.state.courses
        s = self.settings
        mq = int(s.module_quarters)
        parents = np.flatnonzero(np.isin(C.level, LOAN_BANDS) & (C.credit_share >= 1.0)
                                 & (C.duration > mq))
        if parents.size == 0:
            return
        share = mq / C.duration[parents].astype(np.float64)
        p0 = float(model.scenario.learning.base_completion)
        same_hazard = p0 ** (1.0 / C.duration[parents]) - p0 ** (1.0 / mq)
        m = parents.size
        C.append(m, {
            "provider": C.provider[parents], "sector": C.sector[parents],
            "level": C.level[parents], "seats": np.zeros(m, np.int32),
            "fee": C.fee[parents] * share, "delivery_cost": C.delivery_cost[parents] * share,
            "duration": np.full(m, mq), "glh": C.glh[parents] * share,
            "online": C.online[parents], "district": C.district[parents],
            "account_eligible": C.account_eligible[parents],
            "progression_bonus": C.progression_bonus[parents],
            "completion_bonus": C.completion_bonus[parents] + same_hazard,
            "credit_share": share,
        })
        self.module_rows = np.arange(C.n - m, C.n)
        self.module_parent = parents

    def _open_modules(self, model) -> None:
        """Module places when the entitlement opens: ``module_places_share`` of the courses'
        places, shared among the modules in proportion to their course's places (largest
        remainders, so small courses at agent scale do not each round up to a place)."""
        C = model.state.courses
        if self.module_rows.size == 0:
            return
        par = C.seats[self.module_parent].astype(np.float64)
        total = int(round(self.settings.module_places_share * par.sum()))
        seats = largest_remainder(total, par).astype(np.float64) if par.sum() > 0 else par * 0
        r = self.module_rows
        set_places(model, r, seats)
        C.capacity0[r] = seats

    def is_open(self, model) -> bool:
        return model.quarter >= self.open_quarter

    # ---- hooks -------------------------------------------------------------------------
    def begin_quarter(self, model) -> None:
        self._reset_quarter()
        if not self.is_open(model):
            return
        if not self.opened:
            self.opened = True
            self._open_modules(model)
        s = self.settings
        L = model.state.learners
        owe = L.lle_balance > 0
        # write-off once the period since the first loan has run
        old = owe & (model.quarter - L.lle_first_quarter >= 4.0 * s.write_off_years)
        w = float(L.lle_balance[old].sum())
        L.lle_balance[old] = 0.0
        self.q["written_off_gbp"] = w * self.ppa
        self.written += w * self.ppa
        # repayments from actual pay, once off a loan-financed course
        studying = (L.course >= 0) & (L.funding_source == FUND_LOAN)
        pay_now = owe & ~old & (L.status == EMPLOYED) & ~studying
        due = s.repayment_rate * np.maximum(0.0, L.wage - s.repayment_threshold_gbp) / 4.0
        pay = np.where(pay_now, np.minimum(L.lle_balance, due), 0.0)
        L.lle_balance = L.lle_balance - pay
        r = float(pay.sum()) * self.ppa
        self.q["repayments_gbp"] = r
        self.repaid += r
        has = L.lle_balance > 0
        self._snap_uid = L.uid[has].copy()
        self._snap_bal = L.lle_balance[has].copy()

    def after_demography(self, model) -> None:
        """What borrowers who left the region or retired still owed leaves the books."""
        if self._snap_uid.size == 0:
            return
        stay = np.isin(self._snap_uid, model.state.learners.uid)
        gone = float(self._snap_bal[~stay].sum()) * self.ppa
        self.q["balances_left_gbp"] = gone
        self.left += gone
        self._snap_uid = np.zeros(0, np.int64)
        self._snap_bal = np.zeros(0)

    def price_courses(self, model) -> None:
        st = model.state
        C, f = st.courses, st.funding
        if not self.is_open(model):
            self.q_eligible = 0.0
            return
        s = self.settings
        L = st.learners
        C.loan_entitled = np.isin(C.level, LOAN_BANDS)
        ok = (L.age >= s.min_age) & (L.age < s.max_age)
        left = np.where(ok, np.maximum(0.0, s.entitlement_gbp - L.lle_used), 0.0)
        f.loan_left = left
        f.loan_repay_per_year = self.expected_repayment_per_year(model)
        f.loan_years = self.repayment_years(model)
        f.loan_debt = L.lle_balance.copy()
        f.loan_maintenance = bool(s.maintenance)
        self.q_eligible = float(np.count_nonzero(left > 0)) * self.ppa

    def expected_repayment_per_year(self, model) -> np.ndarray:
        """What each learner expects to repay a year after a Level 4-6 course (GBP): the
        repayment rate times the part above the threshold of the regional mean pay at the
        band such a course leads to in their sector (Level 4-5, or degree for those already
        at Level 4+), scaled by how their own pay compares with their band's mean (0.5-2x;
        1 when not in work), times the employment rate at that band."""
        st = model.state
        L = st.learners
        m = st.market
        s = self.settings
        target = np.clip(L.level.astype(np.int64) + 1, LOAN_BANDS[0], N_LEVELS - 1)
        sec = L.sector.astype(np.int64)
        own_mean = m.wage[L.level.astype(np.int64), sec]
        rel = np.where((L.status == EMPLOYED) & (own_mean > 0),
                       np.clip(L.wage / np.where(own_mean > 0, own_mean, 1.0), 0.5, 2.0), 1.0)
        pay = m.wage[target, sec] * rel
        return m.employment[target, sec] * s.repayment_rate * np.maximum(
            0.0, pay - s.repayment_threshold_gbp)

    def repayment_years(self, model) -> np.ndarray:
        """Years repayments can run for each learner from now: to the write-off (counted
        from their first loan) or retirement, whichever is sooner."""
        L = model.state.learners
        s = self.settings
        since = np.where(L.lle_first_quarter >= 0, (model.quarter - L.lle_first_quarter) / 4.0,
                         0.0)
        return np.maximum(0.0, np.minimum(s.write_off_years - since,
                                          model.scenario.learners.retirement_age - L.age))

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        if not self.is_open(model):
            return
        st = model.state
        L, C, f = st.learners, st.courses, st.funding
        s = self.settings
        rows = starters[(L.funding_source[starters] == FUND_LOAN) & (L.course[starters] >= 0)]
        if rows.size == 0:
            return
        c = L.course[rows].astype(np.int64)
        tuition = np.minimum(C.fee[c], f.loan_left[rows])
        maint = np.zeros(rows.size)
        if s.maintenance:
            tr = model.scenario.training
            hourly = np.where(L.status[rows] == EMPLOYED,
                              L.wage[rows] / tr.annual_work_hours * tr.forgone_earnings_share,
                              0.0)
            maint = C.glh[c] * hourly
        debt = L.lle_balance[rows]
        borrow = tuition + maint
        # expected repayment (real, undiscounted): what the expected yearly repayment covers
        # within the years left, of the new loan on top of what is owed
        cap = f.loan_repay_per_year[rows] * np.maximum(0.0, f.loan_years[rows]
                                                       - C.duration[c] / 4.0)
        expected = np.minimum(debt + borrow, cap) - np.minimum(debt, cap)
        L.lle_balance[rows] = debt + borrow
        L.lle_used[rows] = L.lle_used[rows] + tuition
        first = L.lle_first_quarter[rows] < 0
        L.lle_first_quarter[rows[first]] = model.quarter
        k = self.ppa
        q = self.q
        q["tuition_loans_gbp"] = float(tuition.sum()) * k
        q["maintenance_loans_gbp"] = float(maint.sum()) * k
        q["loans_issued_gbp"] = q["tuition_loans_gbp"] + q["maintenance_loans_gbp"]
        q["expected_repayment_gbp"] = float(expected.sum()) * k
        q["expected_write_off_gbp"] = q["loans_issued_gbp"] - q["expected_repayment_gbp"]
        self.loans += q["loans_issued_gbp"]
        q["loan_starts"] = rows.size * k
        q["loan_starts_level4_5"] = float(np.count_nonzero(C.level[c] == 4)) * k
        q["loan_starts_level6_plus"] = float(np.count_nonzero(C.level[c] == 5)) * k
        q["module_starts"] = float(np.count_nonzero(C.credit_share[c] < 1.0)) * k
        age = L.age[rows]
        for j, (lo, key) in enumerate(AGE_BANDS):
            hi = AGE_BANDS[j + 1][0] if j + 1 < len(AGE_BANDS) else np.inf
            q[f"loan_starts_{key}"] = float(np.count_nonzero((age >= lo) & (age < hi))) * k
        lv = L.level[rows]
        for key in dict.fromkeys(PRIOR_KEYS):
            bands = [b for b, kk in enumerate(PRIOR_KEYS) if kk == key]
            q[f"loan_starts_{key}"] = float(np.count_nonzero(np.isin(lv, bands))) * k

    def ledger(self) -> dict[str, float]:
        out = dict(self.q)
        out["loans_total_gbp"] = self.loans
        out["repayments_total_gbp"] = self.repaid
        out["written_off_total_gbp"] = self.written
        out["balances_left_total_gbp"] = self.left
        out["outstanding_gbp"] = self._outstanding
        out["unexplained_balance_gbp"] = self._outstanding - (
            self.loans - self.repaid - self.written - self.left)
        out["entitlement_used_gbp"] = self._used
        out["borrowers"] = self._borrowers
        out["eligible"] = self.q_eligible
        out["module_places"] = self._module_places
        return out

    def end_quarter(self, model) -> None:
        """The stocks the ledger reports (read from the learners at the quarter's end)."""
        L = model.state.learners
        self._outstanding = float(L.lle_balance.sum()) * self.ppa
        self._used = float(L.lle_used.sum()) * self.ppa
        self._borrowers = float(np.count_nonzero(L.lle_balance > 0)) * self.ppa
        C = model.state.courses
        self._module_places = float(C.seats[self.module_rows].sum()) * self.ppa


__all__ = ["LifelongLearningEntitlement"]
