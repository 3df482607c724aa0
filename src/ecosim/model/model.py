"""SkillsEcosystem: the Mesa model that owns the state and runs the quarterly step.

``step`` is the schedule of docs/odd.md section 3, line by line: the model calls the phases
(``model/phases/``) and the policy hooks (``model/policies/base.py``) in turn; phases never call
back into the model or the policies. ``open_quarter`` and ``price`` are the named sub-steps that
tests may drive without the phases.

``model.scenario`` is the ecosim :class:`~ecosim.scenario.schema.Scenario` (pydantic); Mesa's
own scenario object (which Mesa creates for every model) is kept at ``model.mesa_scenario``.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
from mesa.experimental.scenarios import Scenario as MesaScenario

from ecosim.model import metrics as metrics_mod
from ecosim.model import rng as rng_mod
from ecosim.model.agents import College, Employer, Learner, University
from ecosim.model.build import (
    activity_rates,
    build_state,
    sector_level_weights,
    transport_means,
)
from ecosim.model.phases import (
    demography,
    employers,
    jobs,
    labour_demand,
    learning,
    providers,
    wages,
)
from ecosim.model.policies import build_policies
from ecosim.model.policies import ledger as ledger_mod
from ecosim.model.state import KIND_UNIVERSITY, State
from ecosim.scenario.schema import Scenario


class SkillsEcosystem(mesa.Model):
    """A regional skills ecosystem; one ``step()`` is one quarter."""

    def __init__(self, scenario: Scenario, rng: int | None = None, *,
                 state: State | None = None, collect: bool = True,
                 burn_in_metrics: bool = True):
        seed = int(scenario.run.seed if rng is None else rng)
        super().__init__(rng=seed)
        self.scenario = scenario
        self.seed = rng_mod.as_seed(seed)
        self.seed_int = seed
        self.quarter = 0
        self.burn_in_quarters, self.horizon_quarters = scenario.quarters()
        self.params = self._derived_params()
        self.state = build_state(scenario, seed) if state is None else state
        self.state.canonicalise()
        self.policies = build_policies(scenario)
        self.current_metrics: dict[str, np.ndarray] = {}
        self._build_views()
        self.collect = collect
        #: False: burn-in quarters keep only the rolling flows the reported metrics need (no
        #: KPIs, nothing collected; ``metrics_frame(include_burn_in=True)`` then has none)
        self.burn_in_metrics = burn_in_metrics
        self.datacollector = mesa.DataCollector(model_reporters={
            name: (lambda m, name=name: m.current_metrics[name])  # Mesa stores a deep copy
            for name in metrics_mod.METRICS
        } | {"quarter": lambda m: m.quarter, "policy_ledger": lambda m: m._ledger()})
        # initial pay: offers from the initial workforce, everyone at their target
        jobs.set_offers(self)
        wages.run(self)
        metrics_mod.refresh_market(self)
        for pol in self.policies:
            pol.setup(self)
        # providers' capacities start from the places after the policies' setup
        learning.ensure_columns(self.state.courses, self.state.learners)

    # ---- the ecosim scenario lives at .scenario; Mesa's own at .mesa_scenario -------------
    @property
    def scenario(self):  # type: ignore[override]
        return self._ecosim_scenario

    @scenario.setter
    def scenario(self, value) -> None:
        if isinstance(value, MesaScenario):
            self.mesa_scenario = value
            value.model = self
        else:
            self._ecosim_scenario = value

    # ---- setup -------------------------------------------------------------------------
    def _derived_params(self) -> dict:
        sc = self.scenario
        to_active, to_inactive = activity_rates(sc)
        return {
            "to_active": to_active,
            "to_inactive": to_inactive,
            "premia": sc.labour_market.level_premia.as_array(),
            "sector_wage_index": np.array([s.wage_index for s in sc.sectors]),
            "deprivation": np.array([d.deprivation for d in sc.region.districts]),
            "application_noise_gbp": sc.labour_market.application_noise_gbp,
            # for new residents each quarter (phases/demography.py)
            "sector_cum": np.cumsum(sector_level_weights(sc), axis=1),
            "transport_means": transport_means(sc),
            "district_population": np.array([d.working_age_population
                                             for d in sc.region.districts], dtype=np.float64),
            "school_level_cum": np.cumsum(np.array([d.school_leaver_level_mix.as_array()
                                                    for d in sc.region.districts]), axis=1),
        }

    def _build_views(self) -> None:
        st = self.state
        for e in range(st.employers.n):
            Employer(self, e)
        names = [p.name for p in self.scenario.providers.colleges] + \
                [p.name for p in self.scenario.providers.universities]
        for j in range(st.providers.n):
            cls = University if st.providers.kind[j] == KIND_UNIVERSITY else College
            cls(self, j, names[j])

    def learner_agents(self) -> mesa.agent.AgentSet:
        """Learner views for the current learners (built on request; never in sweeps).

        Views of learners who have left are removed, views for new learners added.
        """
        have = {a.uid_: a for a in self.agents_by_type.get(Learner, [])}
        uids = self.state.learners.uid
        live = set(uids.tolist())
        for uid, a in have.items():
            if uid not in live:
                a.remove()
        for uid in uids.tolist():
            if uid not in have:
                Learner(self, uid)
        return self.agents_by_type[Learner]

    # ---- hooks -------------------------------------------------------------------------
    def _hook(self, name: str, *args) -> None:
        for pol in self.policies:
            getattr(pol, name)(self, *args)

    def settle_enrolments(self, starters: np.ndarray) -> None:
        """Every policy's ``settle_enrolments`` with the learner rows that started a course
        this quarter (funders pay, accounts are debited)."""
        self._hook("settle_enrolments", starters)

    # ---- the step: docs/odd.md section 3 -----------------------------------------------
    def step(self) -> None:
        self.open_quarter()                      # 1. hooks begin_year, begin_quarter
        demography.run(self)                     # 2. demography
        self._hook("after_demography")           #    hook after_demography
        labour_demand.run(self)                  # 3. labour demand
        self.price()                             # 4. hooks fund_learners, price_courses
        starters = learning.enrol(self)          # 5. learning: decisions and allocation,
        self.settle_enrolments(starters.rows)    #    hook settle_enrolments,
        learning.progress(self, starters)        #    progress and completion
        jobs.run(self)                           # 6. jobs
        wages.run(self)                          # 7. wages
        employers.run(self)                      # 8. employers,
        self._hook("adjust_employers")           #    hook adjust_employers
        providers.run(self)                      # 9. provider supply,
        self._hook("adjust_supply")              #    hook adjust_supply
        report = self.record_metrics()           # 10. metrics, market signals
        self._hook("end_quarter")                # 11. hook end_quarter,
        if self.collect and report:              #     the DataCollector records the quarter
            self.datacollector.collect(self)

    def open_quarter(self) -> None:
        """Sub-step 1: advance the quarter, reset this quarter's counters and per-course caps,
        run the hooks ``begin_year`` (quarters 1, 5, 9, ...) and ``begin_quarter``."""
        st = self.state
        first_of_year = self.quarter % 4 == 0
        self.quarter += 1
        st.quarter = self.quarter
        st.counters = type(st.counters)()
        st.courses.max_capacity[:] = np.inf
        if first_of_year:
            self._hook("begin_year")
        self._hook("begin_quarter")

    def price(self) -> None:
        """Sub-step 4: reset the per-learner funding arrays, then the hooks ``fund_learners``
        (each policy writes whom it funds) and ``price_courses`` (rates, account rules)."""
        self.state.funding.open_quarter(self.state.learners)
        self._hook("fund_learners")
        self._hook("price_courses")

    def record_metrics(self) -> bool:
        """Sub-step 10: this quarter's metrics (or, in an unreported burn-in quarter, only the
        rolling flows later metrics need) and next quarter's market signals. Returns whether
        the quarter is reported."""
        report = self.burn_in_metrics or self.quarter > self.burn_in_quarters
        if report:
            self.current_metrics = metrics_mod.compute(self)
        else:
            metrics_mod.update_history(self)
        metrics_mod.refresh_market(self)
        return report

    def run_quarters(self, n: int, progress=None) -> None:
        for _ in range(n):
            self.step()
            if progress is not None:
                progress(1)

    # ---- results -----------------------------------------------------------------------
    def _ledger(self) -> dict[str, float]:
        """Every policy's declared ledger as ``<policy>_<key>`` (plus its public spend)."""
        out: dict[str, float] = {}
        for pol in self.policies:
            for k, v in ledger_mod.checked(pol.name, pol.LEDGER, pol.ledger()).items():
                out[f"{pol.name}_{k}"] = v
        return out

    def metrics_frame(self, include_burn_in: bool = False) -> pd.DataFrame:
        """Tidy metrics: one row per collected quarter and area ('region' or a district).

        ``quarter`` counts reported quarters (1 = first after burn-in; burn-in quarters are
        <= 0 and dropped unless ``include_burn_in``); ``year`` starts at ``run.start_year``.
        """
        mv = self.datacollector.model_vars
        if not mv.get("quarter"):
            return pd.DataFrame(columns=["quarter", "year", "area", *metrics_mod.METRICS])
        areas = ["region"] + [d.name for d in self.scenario.region.districts]
        n_a = len(areas)
        qs = np.asarray(mv["quarter"], dtype=np.int64) - self.burn_in_quarters
        keep = np.ones(qs.size, bool) if include_burn_in else qs >= 1
        idx = np.flatnonzero(keep)
        data: dict[str, np.ndarray] = {
            "quarter": np.repeat(qs[idx], n_a),
            "year": np.repeat(self.scenario.run.start_year + (qs[idx] - 1) / 4.0, n_a),
            "area": np.tile(np.array(areas, dtype=object), idx.size),
        }
        for name in metrics_mod.METRICS:
            vals = mv[name]
            data[name] = np.concatenate([vals[i] for i in idx]) if idx.size else np.zeros(0)
        ledgers = [mv["policy_ledger"][i] for i in idx]
        keys = sorted({k for lg in ledgers for k in lg})
        for k in keys:
            col = np.full((idx.size, n_a), np.nan)
            col[:, 0] = [lg.get(k, np.nan) for lg in ledgers]
            data[k] = col.ravel()
        df = pd.DataFrame(data)
        df["quarter"] = df["quarter"].astype(np.int64)
        df["year"] = df["year"].astype(np.float64)
        for c in df.columns[3:]:
            if df[c].dtype != np.float64:
                df[c] = df[c].astype(np.float64)
        return df
