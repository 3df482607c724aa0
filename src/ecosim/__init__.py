"""ecosim: an agent-based simulation of a regional skills ecosystem.

Python API (imported lazily, so ``import ecosim`` is fast)::

    import ecosim
    scn = ecosim.load_scenario("scenarios/north_east_baseline.yaml", ["run.horizon_years=5"])
    res = ecosim.run(scn, replications=4)       # -> ecosim.store.Results
    res = ecosim.open_results("results/north_east_baseline-20250101-120000")
    res.manifest, res.summary, res.metrics      # dict, dict, pandas DataFrame
    sw = ecosim.open_sweep("results/aeb_sobol-20250101-120000")
    sw.results, sw.samples, sw.indices          # tidy tables of a finished sweep

User mistakes raise ``ecosim.InputError`` (= ``ecosim.errors.InputError``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecosim.errors import InputError

if TYPE_CHECKING:
    from ecosim.api import run
    from ecosim.experiments.sweepdir import Sweep, open_sweep
    from ecosim.scenario import dump_scenario, load_scenario
    from ecosim.store import Results, open_results

__all__ = ["InputError", "Results", "Sweep", "__version__", "dump_scenario", "load_scenario",
           "open_results", "open_sweep", "run"]

_LAZY = {
    "run": ("ecosim.api", "run"),
    "load_scenario": ("ecosim.scenario", "load_scenario"),
    "dump_scenario": ("ecosim.scenario", "dump_scenario"),
    "open_results": ("ecosim.store", "open_results"),
    "Results": ("ecosim.store", "Results"),
    "open_sweep": ("ecosim.experiments.sweepdir", "open_sweep"),
    "Sweep": ("ecosim.experiments.sweepdir", "Sweep"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name]
        value = getattr(importlib.import_module(mod), attr)
        globals()[name] = value
        return value
    if name == "__version__":
        try:
            from importlib.metadata import version

            return version("ecosim")
        except Exception:  # noqa: BLE001
            return "0+unknown"
    raise AttributeError(f"module 'ecosim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
