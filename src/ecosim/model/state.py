"""Model state as a struct of arrays: the single source of truth (see docs/architecture.md).

A :class:`Table` holds one numpy array per attribute, all with the same first dimension. Learners
are removed (``compact``) and appended (``append``) each quarter; every array registered on the
table follows. Every column of every table is declared below (``*_SPEC``) with its owner (the
phase or policy that writes it) and built by ``model/build.py``; nobody adds columns later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

# definitional constants, said once (kernels import them from here)
# learner status codes
EMPLOYED, UNEMPLOYED, INACTIVE = 0, 1, 2
# funding sources of a learner's current course
FUND_SELF, FUND_PUBLIC, FUND_ACCOUNT = 0, 1, 2
#: employer-chosen provider training paid from the employer's levy account or co-funded
#: (apprenticeships and levy-funded short courses; not a learner's own decision)
FUND_EMPLOYER = 3
#: a Lifelong Learning Entitlement loan
FUND_LOAN = 4
N_LEVELS = 6
KIND_COLLEGE, KIND_UNIVERSITY = 0, 1
#: working age is 16-64: residents younger than this (years; the ONS/APS definition)
WORKING_AGE_END = 65.0
#: a young graduate (graduate retention, out-migration): Level 6+ and younger than this (years)
YOUNG_GRADUATE_AGE_END = 30.0
#: age bands of the activity flows and of ``learners.inactivity_share``: 16-24, 25-49, 50-64 and
#: 65+ start at min_age, these two ages and WORKING_AGE_END (years); 50 is also where the 50+
#: participation group starts
PRIME_AGE_START, OLDER_AGE_START = 25.0, 50.0
N_AGE_BANDS = 4
#: adult learners (adult participation; DfE FE and skills statistics count ages 19+): from this age
ADULT_AGE_START = 19.0
#: one step of the model is one quarter of a year (years)
YEARS_PER_QUARTER = 0.25


ENTRANT_QUARTER_SHIFT = 24
ENTRANT_STREAM_SHIFT = 22


def entrant_uids(quarter: int, stream: int, m: int) -> np.ndarray:
    """Fresh uids for ``m`` residents entering in ``quarter`` through ``stream`` (0 school
    leavers, 1 in-migrants): ``quarter * 2**24 + stream * 2**22 + i``. They exceed every earlier
    uid (the initial population has uids below 2**22) and do not depend on how many people
    entered through other streams, so a school leaver keeps their uid, and so their random
    draws, when a policy changes migration (common random numbers)."""
    if m >= 1 << ENTRANT_STREAM_SHIFT:
        raise ValueError("too many entrants in one quarter")
    base = (int(quarter) << ENTRANT_QUARTER_SHIFT) + (int(stream) << ENTRANT_STREAM_SHIFT)
    return base + np.arange(m, dtype=np.int64)


class Table:
    """Named columns of equal length; ``table.x`` is the numpy array for column ``x``."""

    def __init__(self, n: int, spec: dict[str, Column] | None = None):
        object.__setattr__(self, "_cols", {})
        object.__setattr__(self, "_fill", {})
        object.__setattr__(self, "n", int(n))
        for name, col in (spec or {}).items():
            self.add(name, col[0], col[1])

    # columns -------------------------------------------------------------------------
    def add(self, name: str, dtype: Any, fill: Any = 0, shape: tuple[int, ...] = ()) -> np.ndarray:
        """Register a column (idempotent); returns the array."""
        if name in self._cols:
            return self._cols[name]
        arr = np.full((self.n, *shape), fill, dtype=dtype)
        self._cols[name] = arr
        self._fill[name] = fill
        return arr

    def columns(self) -> list[str]:
        return list(self._cols)

    def __getattr__(self, name: str) -> np.ndarray:
        cols = object.__getattribute__(self, "_cols")
        if name in cols:
            return cols[name]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._cols:
            arr = np.asarray(value)
            if arr.shape[:1] != (self.n,):
                raise ValueError(f"column {name}: length {arr.shape[:1]} != {self.n}")
            self._cols[name] = arr.astype(self._cols[name].dtype, copy=False)
        else:
            object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return self.n

    # rows ----------------------------------------------------------------------------
    def take(self, idx: np.ndarray) -> None:
        """Keep rows ``idx`` in that order (compaction, reordering)."""
        for k, a in self._cols.items():
            self._cols[k] = np.ascontiguousarray(a[idx])
        object.__setattr__(self, "n", len(idx))

    def compact(self, keep: np.ndarray) -> None:
        """Drop rows where ``keep`` is False, preserving order."""
        self.take(np.flatnonzero(keep))

    def append(self, m: int, values: dict[str, np.ndarray]) -> None:
        """Append ``m`` rows; columns missing from ``values`` get their fill value."""
        if m <= 0:
            return
        for k, a in self._cols.items():
            if k in values:
                new = np.asarray(values[k], dtype=a.dtype).reshape((m, *a.shape[1:]))
            else:
                new = np.full((m, *a.shape[1:]), self._fill[k], dtype=a.dtype)
            self._cols[k] = np.concatenate([a, new])
        unknown = set(values) - set(self._cols)
        if unknown:
            raise KeyError(f"unknown columns {sorted(unknown)}")
        object.__setattr__(self, "n", self.n + m)

    def splice(self, keep: np.ndarray | None, blocks: list[tuple[int, dict[str, np.ndarray]]]
               ) -> None:
        """Drop rows where ``keep`` is False (none if ``keep`` is None), then append each
        ``(m, values)`` block in turn: the rows ``compact`` then ``append`` give, with one copy
        of each column instead of one per call."""
        blocks = [(m, v) for m, v in blocks if m > 0]
        for _, values in blocks:
            unknown = set(values) - set(self._cols)
            if unknown:
                raise KeyError(f"unknown columns {sorted(unknown)}")
        if keep is None and not blocks:
            return
        idx = None if keep is None else np.flatnonzero(keep)
        n_keep = self.n if idx is None else idx.size
        total = n_keep + sum(m for m, _ in blocks)
        for k, a in self._cols.items():
            out = np.empty((total, *a.shape[1:]), dtype=a.dtype)
            if idx is None:
                out[:n_keep] = a
            else:
                np.take(a, idx, axis=0, out=out[:n_keep], mode="clip")  # (unbuffered)
            pos = n_keep
            for m, values in blocks:
                if k in values:
                    out[pos:pos + m] = np.asarray(values[k], dtype=a.dtype).reshape(
                        (m, *a.shape[1:]))
                else:
                    out[pos:pos + m] = self._fill[k]
                pos += m
            self._cols[k] = out
        object.__setattr__(self, "n", total)

    def copy(self) -> Table:
        t = Table(0)
        object.__setattr__(t, "n", self.n)
        object.__setattr__(t, "_cols", {k: a.copy() for k, a in self._cols.items()})
        object.__setattr__(t, "_fill", dict(self._fill))
        return t


class Column(NamedTuple):
    """One declared column: numpy dtype, fill value for new rows, the phase or policy that
    writes it (its owner) and what it means."""

    dtype: Any
    fill: Any
    owner: str
    meaning: str = ""


C_ = Column
# owners: build = model/build.py (quarter 0); phases/<x>.py by name; policies by section name;
# "model" = model/model.py. Readers never test whether a column exists: every column is here.

LEARNER_SPEC: dict[str, Column] = {
    "uid": C_(np.int64, -1, "build, demography", "persistent identity; keys every draw"),
    "district": C_(np.int16, 0, "build, demography", "district of residence"),
    "age": C_(np.float64, 16.0, "build, demography", "years"),
    "level": C_(np.int8, 0, "build, demography, learning", "RQF band 0..5"),
    "sector": C_(np.int8, 0, "build, demography, jobs, learning", "sector of work or skill"),
    "skill": C_(np.float64, 0.0, "build, learning, employers, jobs", "sector skill 0..1"),
    "status": C_(np.int8, INACTIVE, "build, demography, jobs", "EMPLOYED/UNEMPLOYED/INACTIVE"),
    "employer": C_(np.int32, -1, "build, demography, jobs", "employer row, -1 if none"),
    "post_level": C_(np.int8, -1, "build, demography, jobs", "band of the post held, -1 none"),
    "wage": C_(np.float64, 0.0, "build, demography, jobs, wages", "GBP per year"),
    "balance": C_(np.float64, 0.0, "build, training_accounts", "training account, GBP"),
    "motivation": C_(np.float64, 0.0, "build, demography", "taste for learning"),
    "barrier_care": C_(np.float64, 0.0, "build, demography", "0..1"),
    "barrier_transport": C_(np.float64, 0.0, "build, demography", "0..1"),
    "course": C_(np.int32, -1, "learning, apprenticeships",
                 "course row enrolled on, -1 if none"),
    "course_left": C_(np.int16, 0, "learning, apprenticeships", "quarters left on the course"),
    "funding_source": C_(np.int8, FUND_SELF, "learning, apprenticeships",
                         "FUND_SELF/PUBLIC/ACCOUNT/EMPLOYER/LOAN"),
    "last_completion_level": C_(np.int8, -1, "learning", "level of the last completion"),
    "last_completion_quarter": C_(np.int32, -1, "learning", "quarter of that completion"),
    "last_start_quarter": C_(np.int32, -1, "learning, apprenticeships",
                             "quarter of the last start"),
    "last_fe_quarter": C_(np.int32, -1, "learning, apprenticeships",
                          "last quarter on a course below degree level (FE participation)"),
    "last_funded_fe_quarter": C_(np.int32, -1, "learning, apprenticeships",
                                 "last quarter on a course below degree level that public "
                                 "money funded or a government loan financed (the DfE's "
                                 "government-funded FE and skills participation)"),
    "last_trained_quarter": C_(np.int32, -1, "employers", "last employer training (poaching)"),
    "last_hire_quarter": C_(np.int32, -1, "jobs", "quarter of the last hire"),
    "entry_quarter": C_(np.int32, 0, "demography", "quarter the resident joined (0 initial)"),
    "start_level": C_(np.int8, -1, "build", "band at quarter 0, for the who-gains metrics; "
                      "-1 = joined later"),
    # credit from units of a qualification (courses with credit_share < 1, e.g. modules)
    "unit_credit": C_(np.float64, 0.0, "learning",
                      "share of a qualification banked from completed units (0..1)"),
    "unit_credit_level": C_(np.int8, -1, "learning", "band the banked credit is toward, -1"),
    "unit_credit_sector": C_(np.int8, -1, "learning", "sector of the banked credit"),
    "unit_credit_provider": C_(np.int32, -1, "learning", "provider that awarded the credit"),
    # policy-owned (inert when the policy is off)
    "aeb_provider": C_(np.int32, -1, "aeb", "provider paid for the AEB-funded course"),
    "aeb_reached": C_(np.bool_, False, "aeb", "reached by this year's AEB recruitment"),
    "retraining_50_plus_provider": C_(np.int32, -1, "retraining_50_plus",
                                      "provider paid from the 50+ budget"),
    "retraining_50_plus_reached": C_(np.bool_, False, "retraining_50_plus",
                                     "reached by this year's outreach"),
    "account_on_course": C_(np.float64, 0.0, "training_accounts",
                            "account money on the current course, GBP"),
    "account_uncertified": C_(np.bool_, False, "training_accounts",
                              "the account course is with an uncertified provider"),
    "account_start_level": C_(np.int8, -1, "training_accounts",
                              "level when the account course began"),
    "account_start_skill": C_(np.float64, 0.0, "training_accounts", "sector skill then"),
    # apprenticeships (policies/apprenticeships.py; phases/employers.py selects, the policy
    # places and pays; learning progress reads course_hazard)
    "course_hazard": C_(np.float64, -1.0, "apprenticeships",
                        "quarterly dropout hazard of the current course set by a policy; "
                        "-1 = from the course (learning progress)"),
    "apprenticeship_weight": C_(np.float64, 0.0, "apprenticeships",
                                "relative chance of an apprenticeship start (age, prior "
                                "level, age limits); 0 = not eligible"),
    "apprenticeship_selected": C_(np.bool_, False, "employers",
                                  "chosen by the employer this quarter for levy or "
                                  "co-funded provider training"),
    "apprentice_level": C_(np.int8, -1, "apprenticeships",
                           "band of the apprenticeship on programme, -1 = not an apprentice"),
    "apprentice_employer": C_(np.int32, -1, "apprenticeships",
                              "employer row of the apprenticeship"),
    "apprentice_young": C_(np.bool_, False, "apprenticeships", "aged 16-24 at the start"),
    "levy_course": C_(np.int32, -1, "apprenticeships",
                      "course row of the place opened for the learner's apprenticeship or "
                      "levy-funded short course, -1 none"),
    "apprentice_full_wage": C_(np.float64, 0.0, "apprenticeships",
                               "pay before the apprentice pay ratio, GBP per year"),
    # ---- lifelong_learning_entitlement (docs/odd.md 8.10) ----
    "lle_used": C_(np.float64, 0.0, "lifelong_learning_entitlement",
                   "tuition entitlement used, GBP per person"),
    "lle_balance": C_(np.float64, 0.0, "lifelong_learning_entitlement",
                      "outstanding loan (tuition + maintenance), GBP per person"),
    "lle_first_quarter": C_(np.int32, -1, "lifelong_learning_entitlement",
                            "quarter of the first loan, -1 never (write-off clock)"),
    # ---- end lifelong_learning_entitlement ----
}

EMPLOYER_SPEC: dict[str, Column] = {
    "sector": C_(np.int8, 0, "build"),
    "district": C_(np.int16, 0, "build"),
    "high_road": C_(np.float64, 0.0, "build, employers, collaboration", "business model 0..1"),
    "size_weight": C_(np.float64, 1.0, "build"),
    "target": C_(np.float64, 0.0, "labour_demand", "target headcount this quarter (agents)"),
    "base_target": C_(np.float64, 0.0, "build", "target headcount at quarter 0 (agents)"),
    "wage_premium": C_(np.float64, 0.0, "build"),
    "levy_payer": C_(np.bool_, False, "wages"),
    "training_spend": C_(np.float64, 0.0, "employers", "GBP this year (agent scale)"),
    "headcount": C_(np.int32, 0, "build, jobs"),
    "poaching_risk": C_(np.float64, 0.0, "employers"),
    "skill_availability": C_(np.float64, 0.5, "employers"),
    "support_multiplier": C_(np.float64, 1.0, "business_support", "upgrading multiplier"),
    "trained": C_(np.int32, 0, "employers", "workers trained this quarter"),
    "high_road0": C_(np.float64, 0.0, "build", "high-road score at quarter 0"),
    "quits": C_(np.int32, 0, "jobs", "job-to-job quits this quarter"),
    "poached": C_(np.int32, 0, "jobs", "quits of workers trained in the last year"),
    "payroll": C_(np.float64, 0.0, "wages", "annual pay bill, GBP (agent scale)"),
    # apprenticeships (policies/apprenticeships.py)
    "apprenticeship_rate": C_(np.float64, 0.0, "apprenticeships",
                              "base chance a quarter that a weighted worker is chosen for "
                              "levy or co-funded training (read by phases/employers.py)"),
    "levy_balance": C_(np.float64, 0.0, "apprenticeships",
                       "apprenticeship levy account, GBP (people scale)"),
}

# per-employer matrices by level band [n_employers, 6]
EMPLOYER_LEVEL_COLS: dict[str, Column] = {
    "base_posts": C_(np.float64, 0.0, "build", "posts at quarter 0 (agents)"),
    "target_posts": C_(np.float64, 0.0, "build, labour_demand", "target posts (agents)"),
    "filled": C_(np.int32, 0, "build, jobs", "posts filled (agents)"),
    "vacancies": C_(np.int32, 0, "labour_demand, jobs", "open posts at matching (agents)"),
    "vacancies_posted": C_(np.int32, 0, "labour_demand, jobs", "posts opened this quarter"),
    "hires": C_(np.int32, 0, "jobs", "posts filled by matching this quarter (agents)"),
    "shortage": C_(np.int32, 0, "jobs", "unfilled posts only under-qualified applied for"),
    "offer": C_(np.float64, 0.0, "jobs (kernels/wages.py)", "wage offer, GBP per year"),
}

PROVIDER_SPEC: dict[str, Column] = {
    "kind": C_(np.int8, KIND_COLLEGE, "build, training_accounts (entrants)"),
    "district": C_(np.int16, -1, "build", "-1 out of area or online"),
    "in_area": C_(np.bool_, True, "build"),
    "online": C_(np.bool_, False, "build"),
    "quality": C_(np.float64, 0.6, "build", "0..1"),
    "certified": C_(np.bool_, True, "build"),
    "funding_received": C_(np.float64, 0.0,
                           "aeb, retraining_50_plus, training_accounts, apprenticeships",
                           "GBP paid to the provider, run total"),
    "adaptation": C_(np.float64, 1.0, "policy_churn",
                     "0..1 how far providers adapted to the funding regime (scales supply)"),
    "commissioned": C_(np.bool_, True, "aeb", "holds a public (AEB) contract this year"),
}

COURSE_SPEC: dict[str, Column] = {
    "provider": C_(np.int32, 0, "build, collaboration, training_accounts (new rows)"),
    "sector": C_(np.int8, 0, "build"),
    "level": C_(np.int8, 1, "build", "the band a completer reaches"),
    "seats": C_(np.int32, 0, "build, providers, collaboration, partnership, training_accounts, "
                "apprenticeships, lifelong_learning_entitlement (module rows)", "places"),
    "fee": C_(np.float64, 0.0, "build", "GBP list price per learner"),
    "delivery_cost": C_(np.float64, 0.0, "build", "GBP per learner"),
    "duration": C_(np.int16, 1, "build", "quarters"),
    "glh": C_(np.float64, 0.0, "build", "guided learning hours"),
    "online": C_(np.bool_, False, "build"),
    "enrolled": C_(np.int32, 0, "learning, demography (leavers), apprenticeships",
                   "learners on the course"),
    "starts": C_(np.int32, 0, "learning", "this quarter"),
    "completions": C_(np.int32, 0, "learning", "this quarter"),
    "public_rate": C_(np.float64, 0.0, "aeb, retraining_50_plus", "GBP paid per funded start"),
    "account_eligible": C_(np.bool_, True, "training_accounts", "buyable with an account"),
    "district": C_(np.int16, -1, "build, collaboration",
                   "where it is taught; -1 = the provider's district"),
    "progression_bonus": C_(np.float64, 0.0, "collaboration, partnership, training_accounts",
                            "utility (logit units) for learners one band below"),
    "completion_bonus": C_(np.float64, 0.0, "collaboration, partnership, training_accounts",
                           "added to the quarterly completion probability"),
    "max_capacity": C_(np.float64, np.inf, "model (reset each quarter), aeb",
                       "most places the providers' revision may grow the course to"),
    "capacity": C_(np.float64, 0.0, "model (start: places after policy setup), providers, "
                   "partnership, training_accounts, lifelong_learning_entitlement (set_places), "
                   "apprenticeships (with the places it opens and closes)",
                   "real-valued places the revision works on"),
    "capacity0": C_(np.float64, 0.0, "model (start), training_accounts (entrants), "
                    "lifelong_learning_entitlement (module rows)",
                    "initial places: the base of the growth limits"),
    "alloc_enrolled": C_(np.int32, 0, "learning", "learners after this quarter's starts"),
    "rejected": C_(np.float64, 0.0, "learning", "applicants turned away this quarter"),
    # observations since the last revision, written by learning, reset by providers
    "obs_fill": C_(np.float64, 0.0, "learning, providers", "sum of quarterly fill"),
    "obs_pressure": C_(np.float64, 0.0, "learning, providers", "sum of quarterly pressure"),
    "obs_n": C_(np.float64, 0.0, "learning, providers", "quarters observed"),
    "obs_starts": C_(np.float64, 0.0, "learning, providers", "starts"),
    "obs_public_starts": C_(np.float64, 0.0, "learning, providers", "publicly funded starts"),
    "recognition": C_(np.float64, 1.0, "training_accounts (uncertified entrants' rows)",
                      "0..1 chance factor that a completion counts as a qualification"),
    "credit_share": C_(np.float64, 1.0, "build, lifelong_learning_entitlement (module rows)",
                       "share of a qualification a completion gives (1 whole course, < 1 unit)"),
    # ---- lifelong_learning_entitlement (docs/odd.md 8.10) ----
    "loan_entitled": C_(np.bool_, False, "lifelong_learning_entitlement",
                        "fees may be paid with the entitlement's loan this quarter"),
    # ---- end lifelong_learning_entitlement ----
}


@dataclass
class Market:
    """Lagged market signals by level band x sector (refreshed at the end of each quarter)."""

    wage: np.ndarray            # [L, S] mean annual wage, GBP
    employment: np.ndarray      # [L, S] employed / (employed + unemployed)
    vacancies: np.ndarray       # [L, S] vacancies posted this quarter (agents)
    unfilled: np.ndarray        # [L, S] vacancies left unfilled (agents)
    wage_by_level: np.ndarray   # [L]
    employment_by_level: np.ndarray  # [L]
    local_norm: np.ndarray      # [D, S, L] mean wage of employed by district, sector, post level
    graduate_scarcity: float = 0.0   # 0 graduate jobs plentiful .. 1 none
    unfilled_by_employer: np.ndarray | None = None  # [E, L] unfilled last quarter
    skill_fill_rate: np.ndarray | None = None       # [D] fill rate of Level 3+ posts


@dataclass
class Funding:
    """Funding context set by policy hooks before learners decide (docs/architecture.md, the
    funding contract). The per-learner arrays are reset each quarter by ``open_funding``."""

    public_eligible: np.ndarray      # bool[n_learners]: may take publicly funded places
    # int8[n_learners]: courses to this band and below are publicly funded for the learner even
    # when not public_eligible (entitlements such as English, maths and digital; 0 = none)
    public_open_band: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    # float64[n_learners]: account balance the learner may spend this quarter (GBP, agent
    # scale); the balance itself unless an account scheme rations spending
    account_usable: np.ndarray = field(default_factory=lambda: np.zeros(0))
    account_salience: float = 1.0
    # float64[n_learners]: multiplier on the learner's chance of considering training this
    # quarter (1 = none; policies multiply theirs in: outreach, account prompts; read by
    # kernels/consider_multiplier.py)
    consider_multiplier: np.ndarray = field(default_factory=lambda: np.ones(0))
    account_copay: float = 0.0
    participation_shift: float = 0.0   # utility (logit units) added to every course (trust)
    guidance_quality: float = 0.0      # careers-guidance quality 0..1 (0 = no guidance)
    # bool[n_learners]: this quarter's publicly funded start is already paid for by a
    # ring-fenced funder (50+ retraining), so the general funder must not pay for it again
    public_paid: np.ndarray = field(default_factory=lambda: np.zeros(0, np.bool_))
    # a policy pays for every publicly eligible start at its own rates (the AEB); a
    # ring-fenced funder then pays only for its own learners, at those rates (set in ``setup``)
    general_funder: bool = False
    # credit from units (courses with credit_share < 1) counts at any provider, not only the
    # one that awarded it (a skills passport; the partnership sets it in ``setup``)
    credit_transfer: bool = False
    # ---- loans (the lifelong_learning_entitlement writes them in ``price_courses``) ----
    # float64[n_learners]: tuition the learner may borrow this quarter (GBP per person; 0 = none)
    loan_left: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # float64[n_learners]: expected repayment a year once the course is over (GBP per person)
    loan_repay_per_year: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # float64[n_learners]: years repayments can run (to write-off or retirement)
    loan_years: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # float64[n_learners]: loan already outstanding (GBP per person; repaid first)
    loan_debt: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # the loan also replaces the earnings given up while studying (maintenance support)
    loan_maintenance: bool = False

    def open_quarter(self, learners: Table) -> None:
        """Reset the per-learner fields before the ``fund_learners`` hook."""
        n = learners.n
        self.public_eligible = np.zeros(n, np.bool_)
        self.public_open_band = np.zeros(n, np.int8)
        self.public_paid = np.zeros(n, np.bool_)
        self.account_usable = learners.balance.copy()
        self.consider_multiplier = np.ones(n)
        self.loan_left = np.zeros(n)
        self.loan_repay_per_year = np.zeros(n)
        self.loan_years = np.zeros(n)
        self.loan_debt = np.zeros(n)


@dataclass
class Counters:
    """Flows this quarter (agents), reset at the start of each step."""

    entries_school: int = 0
    entries_migrant: int = 0
    exits_retired: int = 0
    exits_migrant: int = 0
    graduate_leavers: int = 0
    recent_graduates: int = 0
    separations: int = 0
    hires: int = 0
    job_to_job: int = 0
    vacancies: int = 0
    filled: int = 0
    shortage_vacancies: int = 0
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class State:
    """Everything the kernels read and write."""

    learners: Table
    employers: Table
    providers: Table
    courses: Table
    market: Market
    funding: Funding
    counters: Counters
    travel: np.ndarray                 # [D, D] minutes, float64
    quarter: int = 0                   # last completed quarter (0 = initial state)
    # per-district fractional carry for deterministic cohort sizes
    entrant_carry: np.ndarray = field(default_factory=lambda: np.zeros(0))
    migrant_carry: float = 0.0
    history: dict[str, list[float]] = field(default_factory=dict)  # rolling flows for metrics

    def canonicalise(self) -> None:
        """Put learners in uid order (results must not depend on storage order)."""
        uid = self.learners.uid
        if uid.size and np.any(uid[1:] < uid[:-1]):
            self.learners.take(np.argsort(uid, kind="stable"))

    def row_of(self, uid: int) -> int:
        """Row of the learner with ``uid`` (learners are in uid order), or -1."""
        u = self.learners.uid
        i = int(np.searchsorted(u, uid))
        return i if i < u.size and u[i] == uid else -1
