"""Sweeps and sensitivity analysis: experiment files, designs, the Dask runner, Sobol indices.

``load_experiment(path)`` validates an experiment file against its scenario;
``run_sweep(experiment, out)`` runs it (crash-safe, resumable) and ``analyze(out)`` computes the
indices and figures. The command line is ``ecosim sweep`` / ``ecosim analyze`` (``cli.py``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["analyze", "load_experiment", "run_sweep"]


def __getattr__(name: str) -> Any:  # light import: numba, dask and SALib only when used
    if name == "load_experiment":
        from ecosim.experiments.resolve import load_experiment

        return load_experiment
    if name == "run_sweep":
        from ecosim.experiments.runner import run_sweep

        return run_sweep
    if name == "analyze":
        from ecosim.experiments.analyze import analyze

        return analyze
    raise AttributeError(name)
