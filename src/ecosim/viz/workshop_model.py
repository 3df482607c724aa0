"""WorkshopModel: the room's run and its baseline, stepped in lock-step (what SolaraViz shows).

Mesa's SolaraViz rebuilds a model on Reset as ``type(model)(**model_params)``, so every lever is
a keyword argument here (see ``ecosim.viz.levers``). The "policy" model runs the scenario with
the room's changes; the "baseline" model runs the same scenario without them, with the same seed:
both draw the same random numbers (counter-based generator), so their difference is the effect of
the room's changes, not noise. While no lever differs from the scenario the two runs are
identical bit for bit, so one model stands for both (no second run is stepped).

The page plots a run from its first quarter: burn-in quarters are shown (shaded) because the room
watches the model settle; the run stops at the end of the scenario's horizon.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from ecosim.errors import InputError
from ecosim.model.model import SkillsEcosystem
from ecosim.model.state import EMPLOYED, UNEMPLOYED
from ecosim.scenario import apply_overrides, resolve_file, validate_data
from ecosim.scenario.schema import Scenario
from ecosim.scenario.yamlio import display_name
from ecosim.viz import levers as lev

DEFAULT_SCENARIO = "scenarios/tiny.yaml"
#: region metrics kept per quarter for the plots (policy and baseline)
PLOTTED = (
    "share_level2_plus", "share_level3_plus", "share_level4_plus",
    "employment_rate", "vacancies", "unemployment_rate",
    "participation_rate_adult", "participation_rate_low_qualified",
    "participation_rate_50_plus", "participation_rate_low_paid",
    "funded_enrolled", "funded_share_level1", "funded_share_level2", "funded_share_level3",
    "funded_share_level4_plus", "public_spend_gbp", "mean_wage_gbp",
)
N_SAMPLE_LEARNERS = 8

_lock = threading.Lock()
_resolved: dict[tuple[str, float], tuple[dict, dict, Scenario]] = {}


def _resolve(path: str) -> tuple[dict, dict, Scenario]:
    """The scenario file's resolved data, key locations and validated Scenario (cached by
    path and modification time; every session reads the same file)."""
    p = Path(path)
    try:
        key = (str(p.resolve()), p.stat().st_mtime)
    except OSError:
        raise InputError(f"{path}: no such scenario file") from None
    with _lock:
        hit = _resolved.get(key)
    if hit is None:
        data, locs = resolve_file(p)
        scn = validate_data(copy.deepcopy(data), locs, Scenario, display_name(p))
        hit = (data, locs, scn)
        with _lock:
            _resolved[key] = hit
    return hit


def base_scenario(path: str) -> Scenario:
    """The scenario file as written (validated; ``InputError`` if it is not valid)."""
    return _resolve(path)[2]


def scenario_with(path: str, overrides: list[tuple[str, Any]]) -> Scenario:
    """The scenario file with lever overrides applied and validated."""
    data, locs, scn = _resolve(path)
    if not overrides:
        return scn
    data, locs = copy.deepcopy(data), dict(locs)
    apply_overrides(data, locs, overrides, Scenario)
    return validate_data(data, locs, Scenario, display_name(Path(path)))


def parse_seed(seed: Any, default: int) -> tuple[int, str]:
    """A seed from a widget (text input gives a string): (seed, note for the page)."""
    if seed is None or (isinstance(seed, str) and not seed.strip()):
        return int(default), ""
    try:
        value = int(str(seed).strip())
    except ValueError:
        return int(default), f"seed {seed!r} is not a whole number: using {default}"
    if value < 0:
        return int(default), f"seed {value} is negative: using {default}"
    return value, ""


@dataclass
class Series:
    """Region metrics of one run, one value per quarter (quarter 1 = first step)."""

    quarters: list[int] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in PLOTTED})

    def add(self, model: SkillsEcosystem) -> None:
        self.quarters.append(model.quarter)
        for k in PLOTTED:
            self.values[k].append(float(model.current_metrics[k][0]))

    def array(self, name: str) -> np.ndarray:
        return np.asarray(self.values[name], dtype=np.float64)


class WorkshopModel(mesa.Model):
    """The room's scenario (policy) and the unchanged scenario (baseline), same seed.

    Every argument is a widget or a fixed value of the page; ``None`` means "as in the scenario
    file". ``policy``/``baseline`` are the two ``SkillsEcosystem`` models.
    """

    def __init__(self, *, scenario_path: str = DEFAULT_SCENARIO, seed: str | int | None = None,
                 aeb_regime: str | None = None, aeb_budget: float | None = None,
                 aeb_recruitment: float | None = None, level3_weight: float | None = None,
                 priority_weight: float | None = None,
                 non_priority_share: float | None = None, account_credit: float | None = None,
                 account_cap: float | None = None, account_units: str | None = None,
                 certification: bool | None = None, collaboration_share: float | None = None,
                 guidance_quality: float | None = None, business_support: float | None = None,
                 policy_churn: bool | None = None, apprenticeships: bool | None = None,
                 levy_short_course_share: float | None = None, levy_rate: float | None = None,
                 levy_co_investment: float | None = None,
                 levy_expiry_months: int | None = None,
                 apprenticeship_min_months: int | None = None,
                 # ---- Lifelong Learning Entitlement levers ----
                 lle_entitlement: float | None = None, lle_max_age: float | None = None,
                 lle_modular: bool | None = None, lle_maintenance: bool | None = None):
        base = base_scenario(scenario_path)
        seed_int, self.seed_note = parse_seed(seed, base.run.seed)
        super().__init__(rng=seed_int)
        self.scenario_path = scenario_path
        self.scenario_name = base.name
        self.seed_value = seed_int
        given = dict(aeb_regime=aeb_regime, aeb_budget=aeb_budget,
                     aeb_recruitment=aeb_recruitment, level3_weight=level3_weight,
                     priority_weight=priority_weight, non_priority_share=non_priority_share,
                     account_credit=account_credit,
                     account_cap=account_cap, account_units=account_units,
                     certification=certification, collaboration_share=collaboration_share,
                     guidance_quality=guidance_quality, business_support=business_support,
                     policy_churn=policy_churn, apprenticeships=apprenticeships,
                     levy_short_course_share=levy_short_course_share, levy_rate=levy_rate,
                     levy_co_investment=levy_co_investment,
                     levy_expiry_months=levy_expiry_months,
                     apprenticeship_min_months=apprenticeship_min_months,
                     lle_entitlement=lle_entitlement, lle_max_age=lle_max_age,
                     lle_modular=lle_modular, lle_maintenance=lle_maintenance)
        self.lever_values = {k: v for k, v in given.items() if v is not None}
        self.overrides = lev.overrides(base, self.lever_values)
        #: why the levers could not be applied (the run is then the scenario itself)
        self.lever_error = ""
        try:
            self.policy_scenario = scenario_with(scenario_path, self.overrides)
        except InputError as e:  # a lever combination the schema refuses: say so, run as is
            self.lever_error = " ".join(str(e).split())
            self.lever_values, self.overrides = {}, []
            self.policy_scenario = base
        self.baseline_scenario = base
        self.policy = SkillsEcosystem(self.policy_scenario, rng=seed_int)
        self.baseline = SkillsEcosystem(base, rng=seed_int) if self.overrides else self.policy
        self.burn_in_quarters = self.policy.burn_in_quarters
        self.total_quarters = self.policy.burn_in_quarters + self.policy.horizon_quarters
        self.policy_series = Series()
        self.baseline_series = Series() if self.has_baseline else self.policy_series
        self.sample_uids = self._sample_learners()
        self.pathways: dict[int, list[tuple[int, str]]] = {u: [] for u in self.sample_uids}
        self._record_pathways()

    # ---------------------------------------------------------------------------- state
    @property
    def has_baseline(self) -> bool:
        """True when the room changed something (a separate baseline run is stepped)."""
        return self.baseline is not self.policy

    @property
    def quarter(self) -> int:
        return self.policy.quarter

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(lever label, scenario value, room's value) for the levers the room changed."""
        out = []
        for lv in lev.LEVERS:
            if lv.name in self.lever_values:
                b = lev.scenario_value(self.baseline_scenario, lv)
                v = self.lever_values[lv.name]
                if not lev._same(v, b):
                    out.append((lv.label, b, v))
        return out

    # ----------------------------------------------------------------------------- step
    def step(self) -> None:
        """One quarter of both runs."""
        if self.policy.quarter >= self.total_quarters:
            self.running = False
            return
        self.policy.step()
        self.policy_series.add(self.policy)
        if self.has_baseline:
            self.baseline.step()
            self.baseline_series.add(self.baseline)
        self._record_pathways()
        self.running = self.policy.quarter < self.total_quarters

    # ------------------------------------------------------------------------- learners
    def _sample_learners(self) -> list[int]:
        """Learners to follow: evenly spaced over the initial learners aged 19-40 ordered by uid
        (no random draw: the same rule for every seed and lever setting)."""
        lr = self.policy.state.learners
        uids = np.sort(lr.uid[(lr.age >= 19) & (lr.age <= 40)])
        if uids.size == 0:
            return []
        idx = np.linspace(0, uids.size - 1, min(N_SAMPLE_LEARNERS, uids.size)).round()
        return [int(uids[int(i)]) for i in idx]

    def _record_pathways(self) -> None:
        st = self.policy.state
        lr = st.learners
        for uid in self.sample_uids:
            row = st.row_of(uid)
            if row < 0:
                label = "left the region or retired"
            else:
                level = LEVEL_LABELS[int(lr.level[row])]
                if lr.course[row] >= 0:
                    c = int(lr.course[row])
                    what = f"on a {LEVEL_LABELS[int(st.courses.level[c])]} course"
                elif lr.status[row] == EMPLOYED:
                    what = "employed"
                elif lr.status[row] == UNEMPLOYED:
                    what = "unemployed"
                else:
                    what = "inactive"
                label = f"{level}, {what}"
            path = self.pathways[uid]
            if not path or path[-1][1] != label:
                path.append((self.policy.quarter, label))


LEVEL_LABELS = ("no qualification", "Level 1", "Level 2", "Level 3", "Level 4-5", "Level 6+")
