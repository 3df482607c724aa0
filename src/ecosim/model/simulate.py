"""Run a scenario end to end: burn-in (not reported) plus horizon -> tidy metrics frame."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pandas as pd

from ecosim.scenario.schema import Scenario

_WARM = False


def warmup_scenario() -> Scenario:
    """A tiny two-district scenario that exercises every kernel (for JIT compilation)."""
    share = {"none": 0.1, "level1": 0.15, "level2": 0.2, "level3": 0.25, "level4_5": 0.1,
             "level6_plus": 0.2}
    district = {"working_age_population": 3000, "deprivation": 0.3, "level_mix": share,
                "school_leaver_level_mix": share}
    sector = {"employment_share": 0.5, "annual_growth": 0.01, "level_mix": share}
    terms = {"fee_gbp": 1000, "delivery_cost_gbp": 900, "duration_quarters": 2, "glh": 100}
    seats = {"level1": 100, "level2": 100, "level3": 100, "level4_5": 50, "level6_plus": 50}
    return Scenario.model_validate({
        "name": "warmup",
        "run": {"persons_per_agent": 10, "burn_in_years": 0, "horizon_years": 1},
        "region": {"districts": [{"name": "A", **district}, {"name": "B", **district}],
                   "travel_minutes": [[20, 40], [40, 20]]},
        "sectors": [{"name": "x", **sector, "priority": True}, {"name": "y", **sector}],
        "employers": {"n_agents": 20},
        "providers": {
            "colleges": [{"name": "C", "district": "A", "seats": seats}],
            "universities": [{"name": "U", "seats": seats, "online": True}],
            "course_terms": {k: terms for k in ("level1", "level2", "level3", "level4_5",
                                                "level6_plus")},
            "supply": {"adjust_every_quarters": 1},  # exercise the provider-supply kernel
        },
        # exercise the account prompt
        "policies": {"training_accounts": {"state_underwrites": True}},
    })


def warmup(progress_message: bool = True) -> float:
    """Load every kernel once in this process (a few quarters of a tiny model): from the kernel
    cache if it holds them, otherwise compiling them (about a minute; see ``kernel_cache``).

    With ``progress_message``, one line goes to stderr only if something actually compiles.
    Returns the seconds spent; a second call returns 0 at once."""
    global _WARM
    if _WARM:
        return 0.0
    from ecosim.model import kernel_cache
    from ecosim.model.model import SkillsEcosystem

    msg = (f"compiling kernels (once per kernel version; kept in {kernel_cache.cache_dir()})…")
    t0 = time.perf_counter()
    with (kernel_cache.announce_compiles(msg) if progress_message
          else contextlib.nullcontext()):
        m = SkillsEcosystem(warmup_scenario(), rng=1)
        for _ in range(3):
            m.step()
        m.metrics_frame()
    _WARM = True
    return time.perf_counter() - t0


def simulate(scenario: Scenario, seed: int,
             progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Run ``scenario`` with ``seed``: burn-in plus horizon; return the reported quarters.

    Columns: ``quarter`` (1..horizon_years*4), ``year``, ``area`` ('region' or a district name)
    and float64 metrics (see ``ecosim.model.metrics.METRICS``, plus ``<policy>_<key>`` ledger
    columns). ``progress(k)`` is called with the number of quarters just done.
    """
    from ecosim.model.model import SkillsEcosystem

    warmup()
    model = SkillsEcosystem(scenario, rng=seed, burn_in_metrics=False)  # burn-in not reported
    model.run_quarters(model.burn_in_quarters + model.horizon_quarters, progress)
    return model.metrics_frame()
