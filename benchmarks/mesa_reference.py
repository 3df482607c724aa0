"""The learner side of one quarter written the plain-Mesa way, to time the kernels against.

One ``Learner(mesa.Agent)`` object per person holds its attributes as Python values; its
``step()`` runs, for that one person, the same mechanisms the numba kernels run over arrays, in
the model's order; ``LearnerModel.step()`` activates them with ``self.agents.shuffle_do("step")``.
Random numbers come from ``pyphilox`` (a pure-Python port of ``ecosim.model.rng``, checked
bit-identical), keyed on the same (seed, uid, quarter, purpose, k), so the Mesa version and the
kernels must produce the same numbers on the same inputs, in any activation order.

Mechanisms mirrored (each line-for-line from its kernel; see MECHANISMS):

* ``demography.age_and_flows``: ageing, retirement, young-graduate out-migration, activity flows
* ``employer_training.train_and_learn``: employer training, on-the-job learning, skill decay
  (the learner's skill dynamics)
* training decision and learning progress: added from the learning engineer's kernels
  (``kernels/training_decision.py``, ``kernels/learning_progress.py``) when they are in the model;
  ``available_mechanisms()`` lists what is there.

Course allocation (deferred acceptance, an interaction between learners and providers) is not in
the per-agent ``step``: see ``benchmark`` for how it is handled.
"""

from __future__ import annotations

import importlib
import math
import statistics
import time
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np
import pyphilox as px

EMPLOYED, UNEMPLOYED, INACTIVE = 0, 1, 2
STAY, EXIT_RETIRED, EXIT_MIGRATED = 0, 1, 2

#: learner columns a Mesa Learner carries (read from and compared with the arrays)
LEARNER_ATTRS = ("uid", "age", "level", "status", "employer", "post_level", "wage", "skill",
                 "last_trained_quarter")
#: per-learner outputs of the kernels that are not state columns
OUTPUT_ATTRS = ("exit_code", "trained")


# ------------------------------------------------------------------------------ inputs
@dataclass
class Inputs:
    """A snapshot of everything one learner quarter reads: learner arrays, employer arrays,
    parameters, the run seed and the quarter."""

    learners: dict[str, np.ndarray]
    employers: dict[str, np.ndarray]
    params: dict[str, Any]
    seed: np.uint64
    quarter: int

    @property
    def n(self) -> int:
        return int(self.learners["uid"].shape[0])

    def fresh_arrays(self) -> dict[str, np.ndarray]:
        """Copies of the learner arrays plus zeroed output arrays (the kernels write these)."""
        out = {k: v.copy() for k, v in self.learners.items()}
        out["exit_code"] = np.zeros(self.n, np.int8)
        out["trained"] = np.zeros(self.n, np.bool_)
        return out


def make_inputs(n_learners: int, quarter: int = 1) -> Inputs:
    """North East baseline scaled to about ``n_learners``, as built at quarter 0 (initial jobs
    and pay set), seen at the start of ``quarter``."""
    import common

    from ecosim.model import SkillsEcosystem
    from ecosim.model.kernels import employer_training as ktrain

    sc = common.load_scenario(sets={"run.persons_per_agent": common.ppa_for(n_learners)})
    m = SkillsEcosystem(sc, rng=sc.run.seed, collect=False)
    L = m.state.learners
    E = m.state.employers
    es = sc.employers
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
    }
    return Inputs(learners={k: getattr(L, k).copy() for k in LEARNER_ATTRS},
                  employers={"high_road": E.high_road.copy(), "train_prob": train_prob},
                  params=params, seed=m.seed, quarter=quarter)


# ------------------------------------------------------------------------------ kernels side
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
    # leavers are removed by the model before anything else runs; here they stay in the arrays,
    # so the later mechanisms skip them the same way on both sides
    ktrain.train_and_learn(inp.seed, q, a["uid"], a["status"], a["employer"], a["skill"],
                           a["last_trained_quarter"], inp.employers["train_prob"],
                           inp.employers["high_road"], p["training_gain"], p["ojt_rate"],
                           p["skill_decay"], a["trained"])
    # leavers: the skill update above ran for them too; mirror that on the Mesa side


# ------------------------------------------------------------------------------ Mesa side
class Learner(mesa.Agent):
    """One person. Attributes are plain Python values; ``step`` is one quarter."""

    def __init__(self, model: LearnerModel, row: int):
        super().__init__(model)
        self.row = row
        self.load(row)

    def load(self, row: int) -> None:
        L = self.model.inputs.learners
        self.uid = int(L["uid"][row])
        self.age = float(L["age"][row])
        self.level = int(L["level"][row])
        self.status = int(L["status"][row])
        self.employer = int(L["employer"][row])
        self.post_level = int(L["post_level"][row])
        self.wage = float(L["wage"][row])
        self.skill = float(L["skill"][row])
        self.last_trained_quarter = int(L["last_trained_quarter"][row])
        self.exit_code = STAY
        self.trained = False

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

    def train_and_learn(self) -> None:
        m = self.model
        p = m.p
        self.trained = False
        if self.status == EMPLOYED:
            e = self.employer
            absorb = 0.5 + 0.5 * m.emp_high_road[e]
            s = self.skill
            if px.uniform(m.seed, self.uid, m.quarter, m.P_TRAIN, 0) < m.emp_train_prob[e]:
                self.trained = True
                self.last_trained_quarter = m.quarter
                s = s + p["training_gain"] * absorb * (1.0 - s)
            s = s + p["ojt_rate"] * absorb * (1.0 - s)
            self.skill = min(1.0, s)
        else:
            self.skill = self.skill * (1.0 - p["skill_decay"])

    def step(self) -> None:
        self.age_and_flows()
        self.train_and_learn()


class LearnerModel(mesa.Model):
    """Plain-Mesa model of the learner quarter: parameters as Python values, one agent each."""

    def __init__(self, inputs: Inputs, rng: int = 0):
        super().__init__(rng=rng)
        from ecosim.model.rng import Purpose

        self.inputs = inputs
        self.seed = int(inputs.seed)
        self.quarter = int(inputs.quarter)
        self.p = {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                  for k, v in inputs.params.items()}
        self.emp_high_road = inputs.employers["high_road"].tolist()
        self.emp_train_prob = inputs.employers["train_prob"].tolist()
        self.P_MIGRATION = int(Purpose.MIGRATION)
        self.P_ACTIVITY = int(Purpose.EXIT_ACTIVITY)
        self.P_TRAIN = int(Purpose.EMPLOYER_TRAINING)
        self.learners = [Learner(self, i) for i in range(inputs.n)]

    def reset(self) -> None:
        """Back to the snapshot (so each timed repeat simulates the same quarter)."""
        for a in self.learners:
            a.load(a.row)

    def step(self) -> None:
        self.agents.shuffle_do("step")

    def arrays(self) -> dict[str, np.ndarray]:
        """The agents' state as arrays in row order, for comparison with the kernels."""
        out = {}
        for k in LEARNER_ATTRS + OUTPUT_ATTRS:
            out[k] = np.array([getattr(a, k) for a in self.learners])
        return out


# ------------------------------------------------------------------------------ comparison
def compare(kern: dict[str, np.ndarray], mesa_out: dict[str, np.ndarray]) -> dict[str, float]:
    """Largest absolute difference per attribute (0.0 = identical)."""
    diffs = {}
    for k in LEARNER_ATTRS + OUTPUT_ATTRS:
        a = np.asarray(kern[k], dtype=np.float64)
        b = np.asarray(mesa_out[k], dtype=np.float64)
        diffs[k] = float(np.max(np.abs(a - b))) if a.size else 0.0
    return diffs


def agree(n_learners: int = 2000, quarter: int = 1, shuffle_seed: int = 7) -> dict[str, float]:
    """Run both versions on the same inputs; return the per-attribute differences."""
    inp = make_inputs(n_learners, quarter)
    a = inp.fresh_arrays()
    kernels_quarter(inp, a)
    model = LearnerModel(inp, rng=shuffle_seed)
    model.step()
    return compare(a, model.arrays())


def mechanisms() -> list[str]:
    return ["demography.age_and_flows (ageing, retirement, migration, activity)",
            "employer_training.train_and_learn (training, on-the-job learning, skill decay)"]


def _learning_kernels_present() -> list[str]:
    have = []
    for name in ("training_decision", "course_allocation", "learning_progress"):
        try:
            importlib.import_module(f"ecosim.model.kernels.{name}")
            have.append(name)
        except ModuleNotFoundError:
            pass
    return have


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
    missing = [k for k in ("training_decision", "learning_progress")
               if k not in _learning_kernels_present()]
    if missing:
        rep.p("_Training decision and learning progress are not in this comparison: "
              f"kernels {', '.join(missing)} are not in the repository yet._")
    rep.p("Timed: the kernels' calls on copies of the arrays vs `model.step()` on agents reset to "
          "the same snapshot (creating the agents is not timed); the two alternate in each "
          "repeat; median of repeats after one warm-up. Both start from the North East baseline "
          "built at quarter 0 and simulate quarter 1.")
    t = Table(["learners", "kernels (median)", "Mesa (median)", "Mesa spread",
               "Mesa / kernels", "max abs difference (all attributes)"])
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

        reps = cfg["mesa_repeats"]
        run_kernels()
        run_mesa()
        tk, tm = [], []
        for r in range(reps):
            tk.append(run_kernels())
            tm.append(run_mesa())
            progress(f"  repeat {r + 1}/{reps}: kernels {fmt_s(tk[-1])}, Mesa {fmt_s(tm[-1])}")
        diffs = compare(holder["a"], model.arrays())
        worst = max(diffs.values())
        mk, mm = statistics.median(tk), statistics.median(tm)
        spread = f"{min(tm) / mm:.2f}-{max(tm) / mm:.2f}"
        t.add(f"{inp.n:,}", fmt_s(mk), fmt_s(mm), spread, f"x{mm / mk:,.0f}",
              "0 (identical)" if worst == 0 else f"{worst:.3g} ({max(diffs, key=diffs.get)})")
        targets.add(f"kernels >= 100x faster than plain Mesa at {inp.n:,} learners",
                    f"x{mm / mk:,.0f}", verdict(mm / mk, 100.0, True))
        targets.add(f"same results at {inp.n:,} learners", "identical" if worst == 0 else
                    f"max difference {worst:.3g}", "**met**" if worst == 0 else "**missed**")
        out[n] = {"kernels": tk, "mesa": tm, "diffs": diffs}
        del model
    rep.table(t)
    rep.table(targets)
    if not math.isfinite(sum(statistics.median(v["mesa"]) for v in out.values())):
        raise RuntimeError("Mesa timing failed")
    return out
