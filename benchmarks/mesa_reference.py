"""The learner side of one quarter written the plain-Mesa way, to time the kernels against.

One ``Learner(mesa.Agent)`` object per person holds its attributes as Python values; its
``step()`` runs, for that one person, the same mechanisms the numba kernels run over arrays, in
the model's order; ``LearnerModel.step()`` activates them with ``self.agents.shuffle_do("step")``.
Random numbers come from ``pyphilox`` (a pure-Python port of ``ecosim.model.rng``, checked
bit-identical), keyed on the same (seed, uid, quarter, purpose, k), so the Mesa version and the
kernels must produce the same numbers on the same inputs, in any activation order.

Mechanisms mirrored, each line for line from its kernel (``mechanisms()`` lists them):

* ``demography.age_and_flows``: ageing, retirement, young-graduate out-migration, activity flows
* ``training_decision.choose_considering`` + ``rank_courses``: who considers a course and the
  ranked list of courses that beat the outside option
* ``learning_progress.progress``: dropout, progress and completion (level, sector, skill)
* ``employer_training.train_and_learn``: employer training, on-the-job learning, skill decay

Course allocation (deferred acceptance with seat capacities) is an interaction between all
applicants and all courses, not a rule one person follows, so it is not in ``Learner.step``: on
both sides the same code allocates (the model's ``course_allocation.priorities`` and
``deferred_acceptance`` kernels, and the phase's starting rule). The Mesa model gathers the
ranked lists from its agents after ``shuffle_do`` in activation order (deferred acceptance gives
the same stable matching in any proposal order; ties go to the lower uid) and tells each
applicant its course (``Learner.start``). Both sides time it.

Re-syncing with the kernels: parameters are not copied by hand. ``make_inputs`` runs the real
model and records the arguments the learning phase passes to each learning kernel (by the
kernel's own argument names); the kernels side replays those calls on the snapshot's learner
arrays, and the Mesa side reads ``p["name"]`` with the kernels' names (a field of a
named-tuple argument as ``p[prefix + field]``, ``GROUP_PREFIX``). A changed parameter value
needs nothing here; a changed mechanism shows as a difference in ``agree()`` and needs the
matching line below changed.
"""

from __future__ import annotations

import inspect
import math
import statistics
import time
from dataclasses import dataclass
from typing import Any

import mesa
import numba
import numpy as np
import pyphilox as px

EMPLOYED, UNEMPLOYED, INACTIVE = 0, 1, 2
STAY, EXIT_RETIRED, EXIT_MIGRATED = 0, 1, 2
FUND_SELF, FUND_PUBLIC, FUND_ACCOUNT = 0, 1, 2
EV_NONE, EV_CONTINUING, EV_DROPPED, EV_COMPLETED = 0, 1, 2, 3

#: learner columns a Mesa Learner carries (read from the snapshot)
LEARNER_ATTRS = ("uid", "district", "age", "level", "sector", "skill", "status", "employer",
                 "post_level", "wage", "balance", "motivation", "barrier_care",
                 "barrier_transport", "course", "course_left", "funding_source",
                 "last_completion_level", "last_completion_quarter", "last_start_quarter",
                 "last_trained_quarter", "eligible", "open_band", "course_hazard")
#: per-learner outputs of the quarter that are not state columns
OUTPUT_ATTRS = ("exit_code", "trained", "considering", "event")
#: learning kernels whose arguments make_inputs records from the model (module, function)
LEARNING_KERNELS = (("training_decision", "choose_considering"),
                    ("training_decision", "rank_courses"),
                    ("course_allocation", "priorities"),
                    ("course_allocation", "deferred_acceptance"),
                    ("learning_progress", "progress"))
#: kernel arguments that are per-call outputs or applicant rows (never taken from the record)
CALL_ARGS = {"out", "considering", "out_course", "out_util", "applicants", "choices", "prio",
             "rejected", "out_event"}
#: named-tuple arguments whose fields are learner columns (rebuilt from the simulated arrays)
LEARNER_GROUPS = {"learners"}
#: named-tuple arguments flattened for the Mesa side: field ``f`` of argument ``a`` is read as
#: ``p[prefix + f]`` (the kernels' field names)
GROUP_PREFIX = {"courses": "c_", "market": "m_", "cand": "cand_", "prm": "", "terms": "",
                "loans": "loan_"}


# ------------------------------------------------------------------------------ inputs
@dataclass
class Inputs:
    """A snapshot of everything one learner quarter reads: learner arrays, employer arrays,
    demography/training parameters, the learning kernels' recorded arguments, seed, quarter."""

    learners: dict[str, np.ndarray]
    employers: dict[str, np.ndarray]
    params: dict[str, Any]
    learning: dict[str, dict[str, Any]]
    seed: np.uint64
    quarter: int

    @property
    def n(self) -> int:
        return int(self.learners["uid"].shape[0])

    @property
    def k_choices(self) -> int:
        return int(self.learning["rank_courses"]["out_course"].shape[1])

    def fresh_arrays(self) -> dict[str, np.ndarray]:
        """Copies of the learner arrays plus zeroed output arrays (the kernels write these)."""
        out = {k: v.copy() for k, v in self.learners.items()}
        out["exit_code"] = np.zeros(self.n, np.int8)
        out["trained"] = np.zeros(self.n, np.bool_)
        out["considering"] = np.zeros(self.n, np.bool_)
        out["event"] = np.zeros(self.n, np.int8)
        out["choices"] = np.full((self.n, self.k_choices), -1, np.int64)
        out["utils"] = np.full((self.n, self.k_choices), -np.inf)
        return out


def _kernel(module: str, name: str):
    import importlib

    return getattr(importlib.import_module(f"ecosim.model.kernels.{module}"), name)


def _copy(v: Any) -> Any:
    """A copy of an array argument, or of each array in a named-tuple argument."""
    if isinstance(v, np.ndarray):
        return v.copy()
    if hasattr(v, "_fields"):
        return type(v)(*(_copy(x) for x in v))
    return v


def flat_args(rec: dict[str, Any]) -> dict[str, Any]:
    """A kernel's recorded arguments with named-tuple groups spread into ``prefix + field``
    (see ``GROUP_PREFIX``); learner groups are left out (the Mesa side has its own)."""
    out: dict[str, Any] = {}
    for k, v in rec.items():
        if k in LEARNER_GROUPS:
            continue
        if hasattr(v, "_fields"):
            pre = GROUP_PREFIX[k]
            out.update({pre + f: x for f, x in v._asdict().items()})
        else:
            out[k] = v
    return out


def record_learning_args(model) -> dict[str, dict[str, Any]]:
    """Run one ``model.step()`` and record (copies of) the arguments of the first call of each
    learning kernel, by argument name."""
    import importlib

    rec: dict[str, dict[str, Any]] = {}
    patched = []
    for mod_name, fn_name in LEARNING_KERNELS:
        mod = importlib.import_module(f"ecosim.model.kernels.{mod_name}")
        disp = getattr(mod, fn_name)
        sig = inspect.signature(disp.py_func)

        def wrapper(*args, _disp=disp, _sig=sig, _name=fn_name, **kw):
            if _name not in rec:
                bound = _sig.bind(*args, **kw).arguments
                rec[_name] = {k: _copy(v) for k, v in bound.items()}
            return _disp(*args, **kw)

        patched.append((mod, fn_name, disp))
        setattr(mod, fn_name, wrapper)
    try:
        model.step()
    finally:
        for mod, fn_name, disp in patched:
            setattr(mod, fn_name, disp)
    missing = [f for _, f in LEARNING_KERNELS if f not in rec]
    if missing:
        raise RuntimeError(f"the learning phase did not call {missing} in quarter "
                           f"{model.quarter} (no one considered training?)")
    return rec


def make_inputs(n_learners: int, warm_quarters: int = 4) -> Inputs:
    """North East baseline scaled to about ``n_learners``, run for ``warm_quarters`` quarters
    (so some learners are on courses), seen at the start of the next quarter. The learning
    kernels' course-side inputs and parameters are those the model passes in that quarter."""
    import common

    from ecosim.model import SkillsEcosystem
    from ecosim.model.kernels import employer_training as ktrain

    sc = common.load_scenario(sets={"run.persons_per_agent": common.ppa_for(n_learners)})
    m = SkillsEcosystem(sc, rng=sc.run.seed, collect=False)
    m.run_quarters(warm_quarters)
    L = m.state.learners
    E = m.state.employers
    es = sc.employers
    learners = {k: getattr(L, k).copy() for k in LEARNER_ATTRS
                if k not in ("eligible", "open_band")}
    # funding contract per learner, as set for the last quarter (phases/learning.py)
    f = m.state.funding
    elig = f.public_eligible
    learners["eligible"] = elig.copy() if elig.shape[0] == L.n else np.zeros(L.n, np.bool_)
    ob = getattr(f, "public_open_band", np.zeros(0, np.int8))
    learners["open_band"] = ob.copy() if ob.shape[0] == L.n else np.zeros(L.n, np.int8)
    # employers' training chance this quarter, as phases/employers.py computes it
    train_prob = np.empty(E.n)
    ktrain.training_probability(E.high_road, E.poaching_risk, es.training_base_rate,
                                es.training_high_road_power, es.training_poaching_sensitivity,
                                train_prob)
    params = {
        "retirement_age": float(sc.learners.retirement_age),
        "to_active": m.params["to_active"].copy(),
        "to_inactive": m.params["to_inactive"].copy(),
        "grad_base": float(sc.learners.graduate_out_migration_base),
        "grad_scarce": float(sc.learners.graduate_out_migration_rate),
        "scarcity": float(m.state.market.graduate_scarcity),
        "training_gain": float(es.training_skill_gain),
        "ojt_rate": float(es.ojt_rate),
        "skill_decay": float(es.skill_decay_unemployed),
        "absorb_low": float(es.low_road_absorption),
    }
    employers = {"high_road": E.high_road.copy(), "train_prob": train_prob}
    seed, quarter = m.seed, warm_quarters + 1
    learning = record_learning_args(m)
    for name, args in learning.items():
        if int(args.get("quarter", quarter)) != quarter:
            raise RuntimeError(f"{name} recorded at quarter {args['quarter']}, not {quarter}")
    return Inputs(learners=learners, employers=employers, params=params, learning=learning,
                  seed=seed, quarter=quarter)


# ------------------------------------------------------------------------------ kernels side
def _call(inp: Inputs, module: str, name: str, a: dict[str, np.ndarray], **given) -> None:
    """Call a learning kernel with its recorded arguments, except learner columns (taken from
    ``a``, the arrays being simulated) and the ``given`` per-call arrays."""
    disp = _kernel(module, name)
    rec = inp.learning[name]
    args = []
    for arg in inspect.signature(disp.py_func).parameters:
        if arg in given:
            args.append(given[arg])
        elif arg in a and arg not in CALL_ARGS:
            args.append(a[arg])
        elif arg in CALL_ARGS:
            raise KeyError(f"{name}: per-call argument {arg} not given")
        elif arg in LEARNER_GROUPS:
            group = rec[arg]
            args.append(type(group)(*(a[f] for f in group._fields)))
        else:
            args.append(rec[arg])
    disp(*args)


def kernels_quarter(inp: Inputs, a: dict[str, np.ndarray]) -> None:
    """The learner quarter with the model's numba kernels, in place on arrays ``a``."""
    from ecosim.model.kernels import demography as kdem
    from ecosim.model.kernels import employer_training as ktrain

    p = inp.params
    q = np.int64(inp.quarter)
    kdem.age_and_flows(inp.seed, q, a["uid"], a["age"], a["level"], a["status"], a["employer"],
                       a["post_level"], a["wage"], p["retirement_age"], p["to_active"],
                       p["to_inactive"], p["grad_base"], p["grad_scarce"], p["scarcity"],
                       a["exit_code"])
    # leavers are removed by the model before anything else runs; here they stay in the arrays
    # and every later mechanism runs for them too, on both sides alike
    # ---- training decision (phases/learning.py decide_and_allocate)
    _call(inp, "training_decision", "choose_considering", a, out=a["considering"])
    rows = np.flatnonzero(a["considering"])
    K = inp.k_choices
    choice = np.empty((rows.size, K), np.int64)
    util = np.empty((rows.size, K), np.float64)
    _call(inp, "training_decision", "rank_courses", a, considering=rows, out_course=choice,
          out_util=util)
    a["choices"][rows] = choice
    a["utils"][rows] = util
    # ---- course allocation (the interaction; the Mesa side runs this same code)
    got = allocate(inp, rows, a["uid"], a["level"], choice)
    # ---- starts (phases/learning.py run)
    ok = got >= 0
    starters = rows[ok]
    course = got[ok]
    a["course"][starters] = course.astype(np.int32)
    a["course_left"][starters] = inp.learning["progress"]["c_duration"][course]
    a["last_start_quarter"][starters] = q
    a["funding_source"][starters] = funding_sources(
        inp, a["eligible"][starters], a["open_band"][starters], a["balance"][starters], course)
    # ---- learning progress and completion
    _call(inp, "learning_progress", "progress", a, out_event=a["event"])
    # ---- employer training, on-the-job learning, skill decay
    ktrain.train_and_learn(inp.seed, q, a["uid"], a["status"], a["employer"], a["skill"],
                           a["last_trained_quarter"], inp.employers["train_prob"],
                           inp.employers["high_road"], p["training_gain"], p["ojt_rate"],
                           p["skill_decay"], p["absorb_low"], a["trained"])


def allocate(inp: Inputs, rows: np.ndarray, uid: np.ndarray, level: np.ndarray,
             choice: np.ndarray) -> np.ndarray:
    """Course per applicant (-1 none): provider priorities, then deferred acceptance, with the
    model's kernels (shared by both sides)."""
    from ecosim.model.kernels import course_allocation as kalloc

    pr = inp.learning["priorities"]
    da = inp.learning["deferred_acceptance"]
    prio = np.empty(choice.shape, np.float64)
    kalloc.priorities(inp.seed, np.int64(inp.quarter), rows, uid, level, choice, pr["c_level"],
                      pr["fit_weight"], prio)
    got = np.empty(rows.size, np.int64)
    rejected = np.zeros(da["seats_left"].shape[0], np.int64)
    kalloc.deferred_acceptance(rows, uid, choice, prio, da["seats_left"], got, rejected)
    return got


def funding_sources(inp: Inputs, eligible: np.ndarray, open_band: np.ndarray,
                    balance: np.ndarray, course: np.ndarray) -> np.ndarray:
    """Funding source of each starter (phases/learning.py funding_sources)."""
    rc = flat_args(inp.learning["rank_courses"])
    eligible = eligible | (rc["c_level"][course] <= open_band)
    public = eligible & (rc["c_public_rate"][course] > 0)
    account = ~public & rc["c_account_eligible"][course] & (balance > 0)
    return np.where(public, FUND_PUBLIC, np.where(account, FUND_ACCOUNT, FUND_SELF)).astype(
        np.int8)


# ------------------------------------------------------------------------------ Mesa side
class Learner(mesa.Agent):
    """One person. Attributes are plain Python values; ``step`` is one quarter."""

    def __init__(self, model: LearnerModel, row: int):
        super().__init__(model)
        self.row = row
        self.load(row)

    def load(self, row: int) -> None:
        for k, v in self.model.rows[row].items():
            setattr(self, k, v)
        self.exit_code = STAY
        self.trained = False
        self.considering = False
        self.event = EV_NONE
        self.choices: list[int] = []
        self.utils: list[float] = []

    # ---- mechanisms (mirroring the kernels line for line) --------------------------------
    def age_and_flows(self) -> None:
        m = self.model
        p = m.p
        seed, q = m.seed, m.quarter
        a = self.age + 0.25
        self.age = a
        self.exit_code = STAY
        if a >= p["retirement_age"]:
            self.exit_code = EXIT_RETIRED
        elif self.level == 5 and a < 30.0:
            prob = p["grad_base"]
            if not (self.status == EMPLOYED and self.post_level >= 4):
                prob += p["grad_scarce"] * p["scarcity"]
            if px.uniform(seed, self.uid, q, m.P_MIGRATION, 0) < prob:
                self.exit_code = EXIT_MIGRATED
        if self.exit_code != STAY:
            return
        band = 0 if a < 25.0 else (1 if a < 50.0 else (2 if a < 65.0 else 3))
        r = px.uniform(seed, self.uid, q, m.P_ACTIVITY, 0)
        if self.status == INACTIVE:
            if r < p["to_active"][self.level]:
                self.status = UNEMPLOYED
        elif r < p["to_inactive"][band][self.level]:
            self.status = INACTIVE
            self.employer = -1
            self.post_level = -1
            self.wage = 0.0

    def consider_training(self) -> None:
        """training_decision.choose_considering"""
        m = self.model
        p = m.consider
        self.considering = False
        if self.course < 0 and self.age >= p["min_age"] and self.age < p["max_age"]:
            self.considering = px.uniform(m.seed, self.uid, m.quarter, m.P_CONSIDER, 0) \
                < p["share"]

    def rank_courses(self) -> None:
        """training_decision.rank_courses for this learner: self.choices (best first) and
        self.utils, at most K courses that beat the outside option."""
        m = self.model
        p = m.rank
        seed, q, u = m.seed, m.quarter, self.uid
        d, li, si = self.district, self.level, self.sector
        n_k = m.K
        out_course = [-1] * n_k
        out_util = [-math.inf] * n_k
        u0 = px.gumbel(seed, u, q, m.P_TASTE, 0) - px.gumbel(seed, u, q, m.P_TASTE, 1)
        m_wage, m_emp = p["m_wage"], p["m_employment"]
        base_w = m_wage[li][si] * m_emp[li][si]
        hourly = 0.0
        if self.status == 0:
            hourly = self.wage / p["work_hours"] * p["forgone_share"]
        fixed = p["constant"] + p["motivation_w"] * self.motivation \
            - p["care_w"] * self.barrier_care + p["shift"]
        tfac = 1.0 + p["transport_w"] * self.barrier_transport
        noise: dict[int, float] = {}
        fit: dict[int, float] = {}
        w, resid_sd = m.w, m.resid_sd
        c_level, c_sector, c_duration = p["c_level"], p["c_sector"], p["c_duration"]
        c_glh, minutes_d = p["c_glh"], p["cand_minutes"][d]
        g0 = d * 6 + li
        for c in p["cand_course"][p["cand_off"][g0]:p["cand_off"][g0 + 1]]:
            lc = c_level[c]
            sc = c_sector[c]
            lg = max(lc, li)  # a course below the learner's band keeps their band
            slot = lg * 64 + sc
            if slot not in noise:
                # quarter 0: a lasting belief, not a new draw each quarter
                noise[slot] = px.normal(seed, u, 0, m.P_NOISE, slot)
                fit[slot] = 0.0 if p["fit_sd"] <= 0.0 else \
                    p["fit_sd"] * px.normal(seed, u, 0, m.P_FIT, slot)
            if lc < li:  # skill only: band and sector pay unchanged
                true_gain = p["below_gain"]
            else:
                true_gain = m_wage[lg][sc] * m_emp[lg][sc] - base_w + fit[slot]
            gain = p["prior_mean"] + w * (true_gain - p["prior_mean"]) + resid_sd * noise[slot]
            years = min(p["horizon_cap"], p["retirement_age"] - self.age - c_duration[c] / 4.0)
            annuity = 0.0
            if years > 0.0:
                annuity = years
                if p["discount"] > 0.0:
                    annuity = (1.0 - (1.0 + p["discount"]) ** (-years)) / p["discount"]
            src, pay, perceived = self.learner_price(c, self.eligible or lc <= self.open_band)
            own = self.wage if self.status == 0 else 0.0
            w_up = p["upfront_weight"] * (p["reference_income"] / max(own, p["income_floor"])) \
                ** p["liquidity_elasticity"]
            if src == FUND_SELF and lc >= p["loan_min_level"]:
                perceived = perceived * p["loan_weight"]
            elif src == FUND_ACCOUNT and lc >= p["loan_min_level"]:
                perceived = pay * p["loan_weight"] + (perceived - pay) * w_up
            else:
                perceived = perceived * w_up
            time_cost = c_glh[c] * (p["value_of_time"] + hourly)
            trip = minutes_d[c] * c_glh[c] * p["travel_cost"] * tfac
            v = (annuity * gain - perceived - time_cost - trip) / p["money"] + fixed \
                + p["level_w"] * (min(li, lc) - 2)
            if li == lc - 1:
                v += p["c_progression"][c]
            v += p["taste_scale"] * px.gumbel(seed, u, q, m.P_TASTE, c + 2)
            if v <= u0 or v <= out_util[n_k - 1]:
                continue
            pos = n_k - 1
            while pos > 0 and out_util[pos - 1] < v:
                out_course[pos] = out_course[pos - 1]
                out_util[pos] = out_util[pos - 1]
                pos -= 1
            out_course[pos] = c
            out_util[pos] = v
        self.choices = out_course
        self.utils = out_util

    def learner_price(self, c: int, eligible: bool) -> tuple[int, float, float]:
        """training_decision.learner_price: (source, learner pays, perceived cost)."""
        p = self.model.rank
        fee = p["c_fee"][c]
        if eligible and p["c_public_rate"][c] > 0.0:
            return FUND_PUBLIC, 0.0, 0.0  # fully funded
        if p["c_account_eligible"][c] and self.balance > 0.0:
            pay = max(p["copay"] * fee, fee - self.balance)
            return FUND_ACCOUNT, pay, fee - p["salience"] * (fee - pay)
        return FUND_SELF, fee, fee

    def learn(self) -> None:
        """learning_progress.progress for this learner."""
        m = self.model
        p = m.prog
        self.event = EV_NONE
        c = self.course
        if c < 0 or self.last_start_quarter == m.quarter:
            return
        qual = p["p_quality"][p["c_provider"][c]]
        x = p["base_logit"] + p["quality_effect"] * (qual - p["reference"]) \
            + p["motivation_effect"] * self.motivation \
            - p["barrier_effect"] * (self.barrier_care + self.barrier_transport)
        p_complete = 1.0 / (1.0 + math.exp(-x))
        h = 1.0 - p_complete ** (1.0 / max(p["c_duration"][c], 1))
        h = min(1.0, max(0.0, h - p["c_bonus"][c]))
        if self.course_hazard >= 0.0:  # a policy's own hazard (apprentices)
            h = self.course_hazard
        if px.uniform(m.seed, self.uid, m.quarter, m.P_DROP, 0) < h:
            self.event = EV_DROPPED
            self.course = -1
            self.course_left = 0
            return
        left = self.course_left - 1
        if left > 0:
            self.course_left = left
            self.event = EV_CONTINUING
            return
        self.event = EV_COMPLETED
        self.course = -1
        self.course_left = 0
        lc = p["c_level"][c]
        self.last_completion_level = lc
        self.last_completion_quarter = m.quarter
        if lc > self.level:
            self.level = lc
        s = self.skill
        if p["c_sector"][c] != self.sector:
            if self.status == 0:
                return  # a worker's sector is their employer's until they move job
            self.sector = p["c_sector"][c]
            s = p["retraining_skill"]
        s = s + p["skill_gain"] * qual * (1.0 - s)
        self.skill = min(1.0, max(0.0, s))

    def train_and_learn(self) -> None:
        m = self.model
        p = m.p
        self.trained = False
        if self.status == EMPLOYED:
            e = self.employer
            absorb = p["absorb_low"] + (1.0 - p["absorb_low"]) * m.emp_high_road[e]
            s = self.skill
            if px.uniform(m.seed, self.uid, m.quarter, m.P_TRAIN, 0) < m.emp_train_prob[e]:
                self.trained = True
                self.last_trained_quarter = m.quarter
                s = s + p["training_gain"] * absorb * (1.0 - s)
            s = s + p["ojt_rate"] * absorb * (1.0 - s)
            self.skill = min(1.0, s)
        else:
            self.skill = self.skill * (1.0 - p["skill_decay"])

    def start(self, c: int) -> None:
        """Told by the model's course allocation: start course c this quarter."""
        m = self.model
        self.course = c
        self.course_left = m.prog["c_duration"][c]
        self.last_start_quarter = m.quarter
        eligible = self.eligible or m.rank["c_level"][c] <= self.open_band
        public = eligible and m.rank["c_public_rate"][c] > 0
        account = not public and m.rank["c_account_eligible"][c] and self.balance > 0
        self.funding_source = FUND_PUBLIC if public else (FUND_ACCOUNT if account else FUND_SELF)

    def step(self) -> None:
        self.age_and_flows()
        self.choices = []
        self.utils = []
        self.consider_training()
        if self.considering:
            self.rank_courses()
            if self.choices[0] >= 0:
                self.model.applicants.append(self)
        self.learn()
        self.train_and_learn()


def _plain(v: Any) -> Any:
    return v.tolist() if isinstance(v, np.ndarray) else (v.item() if isinstance(v, np.generic)
                                                          else v)


class LearnerModel(mesa.Model):
    """Plain-Mesa model of the learner quarter: parameters as Python values, one agent each."""

    def __init__(self, inputs: Inputs, rng: int = 0):
        super().__init__(rng=rng)
        from ecosim.model.kernels import demography as kdem
        from ecosim.model.kernels import employer_training as ktrain
        from ecosim.model.kernels import learning_progress as kprog
        from ecosim.model.kernels import training_decision as kdec

        self.inputs = inputs
        self.seed = int(inputs.seed)
        self.quarter = int(inputs.quarter)
        self.p = {k: _plain(v) for k, v in inputs.params.items()}
        self.emp_high_road = inputs.employers["high_road"].tolist()
        self.emp_train_prob = inputs.employers["train_prob"].tolist()
        rec = inputs.learning
        self.consider = {k: _plain(v) for k, v in rec["choose_considering"].items()
                         if k not in CALL_ARGS and k not in inputs.learners}
        self.rank = {k: _plain(v) for k, v in flat_args(rec["rank_courses"]).items()
                     if k not in CALL_ARGS and k not in inputs.learners}
        self.prog = {k: _plain(v) for k, v in rec["progress"].items()
                     if k not in CALL_ARGS and k not in inputs.learners}
        self.K = inputs.k_choices
        # the reference covers the model without the Lifelong Learning Entitlement: no course
        # is loan-entitled and every course is a whole qualification
        if np.any(self.rank["loan_loan"]) or np.any(np.asarray(self.rank["loan_credit"]) != 1):
            raise ValueError("the Mesa reference does not model entitlement loans or modules")
        # computed once per call in the kernel, so once here
        ps, ns = self.rank["prior_sd"], self.rank["noise_sd"]
        self.w = ps * ps / (ps * ps + ns * ns)
        self.resid_sd = self.w * ns
        self.P_MIGRATION = int(kdem.P_MIGRATION)
        self.P_ACTIVITY = int(kdem.P_ACTIVITY)
        self.P_TRAIN = int(ktrain.P_TRAIN)
        self.P_CONSIDER = int(kdec.P_CONSIDER)
        self.P_TASTE = int(kdec.P_TASTE)
        self.P_NOISE = int(kdec.P_NOISE)
        self.P_FIT = int(kdec.P_FIT)
        self.P_DROP = int(kprog.P_DROP)
        cols = {k: inputs.learners[k].tolist() for k in LEARNER_ATTRS}
        self.rows = [{k: cols[k][i] for k in LEARNER_ATTRS} for i in range(inputs.n)]
        self.learners = [Learner(self, i) for i in range(inputs.n)]
        self.applicants: list[Learner] = []
        self.alloc_seconds = 0.0

    def reset(self) -> None:
        """Back to the snapshot (so each timed repeat simulates the same quarter)."""
        for a in self.learners:
            a.load(a.row)

    def step(self) -> None:
        self.applicants = []
        self.agents.shuffle_do("step")
        self.allocate_courses()

    def allocate_courses(self) -> None:
        """The interaction: the same allocation code as the kernels side, on the agents'
        ranked lists gathered in activation order; each applicant is told its course."""
        t0 = time.perf_counter()
        apps = self.applicants
        n = len(apps)
        uid = np.array([a.uid for a in apps], np.int64)
        level = np.array([a.level for a in apps], np.int8)
        choice = np.array([a.choices for a in apps], np.int64).reshape(n, self.K)
        got = allocate(self.inputs, np.arange(n, dtype=np.int64), uid, level, choice)
        for a, c in zip(apps, got.tolist(), strict=True):
            if c >= 0:
                a.start(c)
        self.alloc_seconds = time.perf_counter() - t0

    def arrays(self) -> dict[str, np.ndarray]:
        """The agents' state as arrays in row order, for comparison with the kernels."""
        out = {}
        for k in LEARNER_ATTRS + OUTPUT_ATTRS:
            out[k] = np.array([getattr(a, k) for a in self.learners])
        K = self.K
        out["choices"] = np.array([a.choices or [-1] * K for a in self.learners]).reshape(-1, K)
        out["utils"] = np.array([a.utils or [-math.inf] * K for a in self.learners],
                                dtype=np.float64).reshape(-1, K)
        return out


# ------------------------------------------------------------------------------ comparison
COMPARED = LEARNER_ATTRS + OUTPUT_ATTRS + ("choices", "utils")


def compare(kern: dict[str, np.ndarray], mesa_out: dict[str, np.ndarray]) -> dict[str, float]:
    """Largest absolute difference per attribute (0.0 = identical; -inf pads compare equal)."""
    diffs = {}
    for k in COMPARED:
        a = np.asarray(kern[k], dtype=np.float64)
        b = np.asarray(mesa_out[k], dtype=np.float64)
        if a.shape != b.shape:
            diffs[k] = math.inf
            continue
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if same.all():
            diffs[k] = 0.0
            continue
        with np.errstate(invalid="ignore"):
            d = np.abs(a[~same] - b[~same])
        diffs[k] = float(np.max(np.where(np.isfinite(d), d, math.inf)))
    return diffs


def activity(inp: Inputs, a: dict[str, np.ndarray]) -> dict[str, int]:
    """How many learners the quarter touched, by mechanism (the comparison is not vacuous)."""
    return {
        "considered": int(a["considering"].sum()),
        "ranked a course": int((a["choices"][:, 0] >= 0).sum()),
        "started": int((a["last_start_quarter"] == inp.quarter).sum()),
        "continued": int((a["event"] == EV_CONTINUING).sum()),
        "dropped out": int((a["event"] == EV_DROPPED).sum()),
        "completed": int((a["event"] == EV_COMPLETED).sum()),
        "level raised": int((a["level"] > inp.learners["level"]).sum()),
        "trained by employer": int(a["trained"].sum()),
        "left (retired/migrated)": int((a["exit_code"] != STAY).sum()),
    }


def agree(n_learners: int = 2000, warm_quarters: int = 4, shuffle_seed: int = 7,
          inp: Inputs | None = None) -> tuple[dict[str, float], dict[str, int]]:
    """Run both versions on the same inputs; return the per-attribute differences and the
    kernels side's activity counts."""
    inp = inp or make_inputs(n_learners, warm_quarters)
    a = inp.fresh_arrays()
    kernels_quarter(inp, a)
    model = LearnerModel(inp, rng=shuffle_seed)
    model.step()
    return compare(a, model.arrays()), activity(inp, a)


def mechanisms() -> list[str]:
    return ["demography.age_and_flows (ageing, retirement, migration, activity)",
            "training_decision.choose_considering + rank_courses (who considers training; "
            "ranked courses that beat the outside option)",
            "course allocation (shared: course_allocation.priorities + deferred_acceptance, "
            "then starts with their funding source)",
            "learning_progress.progress (dropout, progress, completion: level, sector, skill)",
            "employer_training.train_and_learn (training, on-the-job learning, skill decay)"]


# ------------------------------------------------------------------------------ benchmark
def benchmark(rep, cfg: dict) -> dict:
    """Section 1 of benchmarks/run.py."""
    from common import Table, fmt_s, progress, verdict

    check = px.check_against_rng(500)
    ok_rng = all(v == 0.0 for v in check.values())
    rep.p("Mesa version: `benchmarks/mesa_reference.py` (one `Learner(mesa.Agent)` per person, "
          "plain Python attributes, `step()` per person, `model.agents.shuffle_do(\"step\")`), "
          "random numbers from `benchmarks/pyphilox.py`, a pure-Python Philox port "
          + ("**bit-identical** to `ecosim.model.rng` on 500 random counters"
             if ok_rng else f"that DIFFERS from ecosim.model.rng: {check}")
          + ". Mechanisms in the learner quarter: " + "; ".join(mechanisms()) + ".")
    rep.p("Course allocation is an interaction (all applicants against all courses' seats), "
          "not a per-person rule, so it is handled the same way on both sides: after "
          "`shuffle_do(\"step\")` the Mesa model gathers the agents' ranked lists in activation "
          "order and runs the model's own `course_allocation.priorities` + "
          "`deferred_acceptance` kernels on them, then calls `Learner.start(course)`; the "
          "kernels side runs the same two kernels on the arrays. Deferred acceptance gives the "
          "same stable matching in any proposal order (ties by uid), so the shuffled order "
          "cannot change the result. Its time is included on both sides (column 'allocation').")
    rep.p("Inputs: the North East baseline scaled, run for 4 quarters by the model (so learners "
          "are on courses), then quarter 5 on a snapshot of the learner arrays; the learning "
          "kernels' course-side inputs and parameters are recorded from the model's own calls "
          "in quarter 5. Timed: the kernels' calls on copies of the arrays vs `model.step()` on "
          "agents reset to the same snapshot (creating the agents is not timed); the two "
          "alternate in each repeat; median of repeats after one warm-up. The kernels are timed "
          "with the default numba threads and with 1 thread: on this shared 2-core machine, when "
          "other processes hold a core, each `parallel=True` kernel can wait for a descheduled "
          "thread at its barrier (milliseconds per kernel), which the 1-thread figure avoids.")
    t = Table(["learners", "kernels (median)", "kernels, 1 thread", "Mesa (median)",
               "Mesa spread", "Mesa / kernels", "Mesa / kernels 1 thread",
               "allocation (Mesa side)", "activity in the quarter",
               "max abs difference (all attributes)"])
    targets = Table(["target", "measured", "result"])
    out = {}
    for n in cfg["mesa_sizes"]:
        progress(f"Mesa vs kernels at {n:,} learners: building inputs and {n:,} agents")
        inp = make_inputs(n)
        model = LearnerModel(inp, rng=11)
        holder: dict = {}

        def run_kernels(_=None, inp=inp, holder=holder):
            holder["a"] = a = inp.fresh_arrays()
            t0 = time.perf_counter()
            kernels_quarter(inp, a)
            return time.perf_counter() - t0

        def run_mesa(_=None, model=model):
            model.reset()
            t0 = time.perf_counter()
            model.step()
            return time.perf_counter() - t0

        def run_kernels_1t(_=None):
            nt = numba.get_num_threads()
            numba.set_num_threads(1)
            try:
                return run_kernels()
            finally:
                numba.set_num_threads(nt)

        reps = cfg["mesa_repeats"]
        run_kernels()
        run_kernels_1t()
        run_mesa()
        tk, tk1, tm, ta = [], [], [], []
        for r in range(reps):
            tk.append(run_kernels())
            tk1.append(run_kernels_1t())
            tm.append(run_mesa())
            ta.append(model.alloc_seconds)
            progress(f"  repeat {r + 1}/{reps}: kernels {fmt_s(tk[-1])}, Mesa {fmt_s(tm[-1])}")
        diffs = compare(holder["a"], model.arrays())
        act = activity(inp, holder["a"])
        worst = max(diffs.values())
        mk, mm = statistics.median(tk), statistics.median(tm)
        mk1 = statistics.median(tk1)
        spread = f"{min(tm) / mm:.2f}-{max(tm) / mm:.2f}"
        t.add(f"{inp.n:,}", fmt_s(mk), fmt_s(mk1), fmt_s(mm), spread, f"x{mm / mk:,.0f}",
              f"x{mm / mk1:,.0f}",
              fmt_s(statistics.median(ta)),
              ", ".join(f"{v:,} {k}" for k, v in act.items()),
              "0 (identical)" if worst == 0 else f"{worst:.3g} ({max(diffs, key=diffs.get)})")
        targets.add(f"kernels >= 100x faster than plain Mesa at {inp.n:,} learners "
                    f"({numba.get_num_threads()} numba threads)",
                    f"x{mm / mk:,.0f}", verdict(mm / mk, 100.0, True))
        targets.add(f"same, kernels on 1 thread (Mesa is single-threaded) at {inp.n:,} "
                    "learners", f"x{mm / mk1:,.0f}", verdict(mm / mk1, 100.0, True))
        targets.add(f"same results at {inp.n:,} learners", "identical" if worst == 0 else
                    f"max difference {worst:.3g}", "**met**" if worst == 0 else "**missed**")
        out[n] = {"kernels": tk, "kernels_1thread": tk1, "mesa": tm, "alloc": ta,
                  "diffs": diffs, "activity": act}
        del model
    rep.table(t)
    rep.table(targets)
    if not math.isfinite(sum(statistics.median(v["mesa"]) for v in out.values())):
        raise RuntimeError("Mesa timing failed")
    return out
