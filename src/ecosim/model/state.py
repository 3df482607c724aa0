"""Model state as a struct of arrays: the single source of truth (see docs/architecture.md).

A :class:`Table` holds one numpy array per attribute, all with the same first dimension. Learners
are removed (``compact``) and appended (``append``) each quarter; every array registered on the
table follows, so a phase that adds its own per-learner array with ``add`` gets compaction and
ordering for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# learner status codes
EMPLOYED, UNEMPLOYED, INACTIVE = 0, 1, 2
# funding sources
FUND_SELF, FUND_PUBLIC, FUND_ACCOUNT = 0, 1, 2
N_LEVELS = 6
KIND_COLLEGE, KIND_UNIVERSITY = 0, 1


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

    def __init__(self, n: int, spec: dict[str, tuple[Any, Any]] | None = None):
        object.__setattr__(self, "_cols", {})
        object.__setattr__(self, "_fill", {})
        object.__setattr__(self, "n", int(n))
        for name, (dtype, fill) in (spec or {}).items():
            self.add(name, dtype, fill)

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


LEARNER_SPEC: dict[str, tuple[Any, Any]] = {
    "uid": (np.int64, -1),
    "district": (np.int16, 0),
    "age": (np.float64, 16.0),
    "level": (np.int8, 0),
    "sector": (np.int8, 0),
    "skill": (np.float64, 0.0),
    "status": (np.int8, INACTIVE),
    "employer": (np.int32, -1),
    "post_level": (np.int8, -1),         # level band of the post held, -1 if none
    "wage": (np.float64, 0.0),
    "balance": (np.float64, 0.0),
    "motivation": (np.float64, 0.0),
    "barrier_care": (np.float64, 0.0),
    "barrier_transport": (np.float64, 0.0),
    "course": (np.int32, -1),
    "course_left": (np.int16, 0),
    "funding_source": (np.int8, FUND_SELF),
    "last_completion_level": (np.int8, -1),
    "last_completion_quarter": (np.int32, -1),
    "last_start_quarter": (np.int32, -1),
    "last_trained_quarter": (np.int32, -1),   # employer training, for poaching
    "last_hire_quarter": (np.int32, -1),
    "entry_quarter": (np.int32, 0),           # quarter the resident joined (0 = initial)
    "start_level": (np.int8, -1),             # band at quarter 0 (build); -1 = joined later
}

EMPLOYER_SPEC: dict[str, tuple[Any, Any]] = {
    "sector": (np.int8, 0),
    "district": (np.int16, 0),
    "high_road": (np.float64, 0.0),
    "size_weight": (np.float64, 1.0),
    "target": (np.float64, 0.0),          # target headcount (agents) this quarter
    "base_target": (np.float64, 0.0),     # target headcount at quarter 0 (agents)
    "wage_premium": (np.float64, 0.0),
    "levy_payer": (np.bool_, False),
    "training_spend": (np.float64, 0.0),  # GBP this year (per agent-scale; x persons_per_agent)
    "headcount": (np.int32, 0),
    "poaching_risk": (np.float64, 0.0),
    "skill_availability": (np.float64, 0.5),
    "support_multiplier": (np.float64, 1.0),  # business-support hook (policies set it)
    "trained": (np.int32, 0),             # workers trained this quarter
    "high_road0": (np.float64, 0.0),      # high-road score at quarter 0
    "quits": (np.int32, 0),               # job-to-job quits this quarter
    "poached": (np.int32, 0),             # quits of workers trained in the last year
    "payroll": (np.float64, 0.0),         # annual pay bill of its workers, GBP (agent scale)
}

# per-employer matrices by level band [n_employers, 6]
EMPLOYER_LEVEL_COLS: dict[str, tuple[Any, Any]] = {
    "base_posts": (np.float64, 0.0),   # posts at quarter 0 (agents)
    "target_posts": (np.float64, 0.0),  # target posts this quarter (agents)
    "filled": (np.int32, 0),           # posts filled (agents), refreshed by phases
    "vacancies": (np.int32, 0),        # open posts at matching time (agents)
    "vacancies_posted": (np.int32, 0),  # posts opened this quarter (agents)
    "hires": (np.int32, 0),            # posts filled by matching this quarter (agents)
    "shortage": (np.int32, 0),         # unfilled posts for which only under-qualified applied
    "offer": (np.float64, 0.0),        # wage offer, GBP per year
}

PROVIDER_SPEC: dict[str, tuple[Any, Any]] = {
    "kind": (np.int8, KIND_COLLEGE),
    "district": (np.int16, -1),
    "in_area": (np.bool_, True),
    "online": (np.bool_, False),
    "quality": (np.float64, 0.6),
    "certified": (np.bool_, True),
    "funding_received": (np.float64, 0.0),
    "adaptation": (np.float64, 1.0),      # 0..1 how far providers have adapted to the funding
                                          # regime (policy churn resets it; scales supply moves)
    "commissioned": (np.bool_, True),     # holds a public (AEB) contract this year
}

COURSE_SPEC: dict[str, tuple[Any, Any]] = {
    "provider": (np.int32, 0),
    "sector": (np.int8, 0),
    "level": (np.int8, 1),
    "seats": (np.int32, 0),
    "fee": (np.float64, 0.0),
    "delivery_cost": (np.float64, 0.0),
    "duration": (np.int16, 1),
    "glh": (np.float64, 0.0),
    "online": (np.bool_, False),
    "enrolled": (np.int32, 0),
    "starts": (np.int32, 0),
    "completions": (np.int32, 0),
    "public_rate": (np.float64, 0.0),
    "account_eligible": (np.bool_, True),
    "district": (np.int16, -1),             # where it is taught; -1 = the provider's district
                                            # (satellite provision sets another district)
    "progression_bonus": (np.float64, 0.0),  # utility (logit units) for learners one band below
                                            # (articulated routes between partners)
    "completion_bonus": (np.float64, 0.0),   # added to the quarterly completion probability
    "max_capacity": (np.float64, np.inf),    # most places the providers' revision may grow the
                                            # course to this quarter (policies; inf = no cap)
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
    account_copay: float = 0.0
    participation_shift: float = 0.0   # utility (logit units) added to every course (trust)
    guidance_quality: float = 0.0      # careers-guidance quality 0..1 (0 = no guidance)
    # a policy pays for every publicly eligible start at its own rates (the AEB); others that
    # widen eligibility then pay nothing themselves (set in ``setup``)
    general_funder: bool = False

    def open_quarter(self, learners: Table) -> None:
        """Reset the per-learner fields before the ``fund_learners`` hook."""
        n = learners.n
        self.public_eligible = np.zeros(n, np.bool_)
        self.public_open_band = np.zeros(n, np.int8)
        self.account_usable = learners.balance.copy()


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
