"""Sample designs (SALib's Python API, seeded) and the run plan: samples x replications -> runs.

Sobol designs come from ``SALib.sample.sobol`` (scrambled, seeded, N a power of two). Its rows
are laid out per base point (A, AB_1..AB_D, [BA_1..BA_D], B), so the first n x (D + 2) rows are
themselves a complete design of size n: that nesting gives index-versus-N convergence for free.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ecosim.experiments.resolve import Study, coerce, run_identity, scenario_digest

if TYPE_CHECKING:
    from ecosim.experiments.schema import Parameter


def salib_problem(study: Study) -> dict[str, Any]:
    """The SALib problem dict: names, bounds (in SALib's per-distribution form), dists."""
    params = study.experiment.parameters
    return {"num_vars": len(params), "names": study.labels,
            "bounds": [_salib_bounds(p) for p in params],
            "dists": [p.distribution for p in params]}


def _salib_bounds(p: Parameter) -> list[float]:
    assert p.bounds is not None
    lo, hi = p.bounds
    if p.distribution == "triang":
        assert p.peak is not None
        return [lo, hi, (p.peak - lo) / (hi - lo)]
    if p.distribution == "truncnorm":
        assert p.mean is not None and p.sd is not None
        return [lo, hi, p.mean, p.sd]
    return [lo, hi]


def sobol_row_step(n_params: int, second_order: bool) -> int:
    """Sobol (Saltelli) design rows per base point: D + 2, or 2D + 2 with second-order
    indices (A, AB_1..AB_D, [BA_1..BA_D], B)."""
    return 2 * n_params + 2 if second_order else n_params + 2


def row_step(study: Study) -> int:
    """Sobol design rows per base point of ``study``."""
    return sobol_row_step(len(study.experiment.parameters), study.experiment.second_order)


def sample(study: Study) -> pd.DataFrame:
    """The design: one row per sample (index 0..S-1), one column per parameter label."""
    exp = study.experiment
    labels = study.labels
    if exp.method == "grid":
        axes = [_grid_axis(p, k) for p, k in zip(exp.parameters, study.kinds, strict=True)]
        rows = list(itertools.product(*axes))
        df = pd.DataFrame(rows, columns=labels)
    else:
        problem = salib_problem(study)
        assert exp.N is not None
        if exp.method == "sobol":
            from SALib.sample import sobol

            x = sobol.sample(problem, exp.N, calc_second_order=exp.second_order,
                             scramble=True, seed=exp.seed)
        elif exp.method == "lhs":
            from SALib.sample import latin

            x = latin.sample(problem, exp.N, seed=exp.seed)
        else:
            from SALib.sample import morris

            x = morris.sample(problem, exp.N, num_levels=exp.levels, seed=exp.seed)
        df = pd.DataFrame(np.asarray(x, dtype=float), columns=labels)
        for label, kind in zip(labels, study.kinds, strict=True):
            if kind == "int":
                df[label] = np.rint(df[label].to_numpy()).astype(np.int64)
    df.index.name = "sample"
    return df


def _grid_axis(p: Parameter, kind: str) -> list[Any]:
    if p.values is not None:
        vals = [coerce(v, kind) if kind in ("float", "int") else v for v in p.values]
    else:
        assert p.bounds is not None and p.points is not None
        vals = [coerce(v, kind) for v in np.linspace(p.bounds[0], p.bounds[1], p.points)]
    out: list[Any] = []
    for v in vals:  # keep order, drop repeats (e.g. an int grid over a short range)
        if v not in out:
            out.append(v)
    return out


def run_seeds(study: Study, n_samples: int) -> np.ndarray:
    """Seeds [sample, replication] from ``SeedSequence(root).spawn``; with common random
    numbers replication r of every sample shares one seed."""
    from ecosim.model.rng import replication_seeds

    exp = study.experiment
    r = exp.replications
    if exp.common_random_numbers:
        row = np.array(replication_seeds(exp.seed, r), dtype=np.uint64)
        return np.tile(row, (n_samples, 1))
    return np.array(replication_seeds(exp.seed, n_samples * r),
                    dtype=np.uint64).reshape(n_samples, r)


def plan(study: Study) -> pd.DataFrame:
    """Every run of the sweep: sample, replication, seed, run_id and the parameter values.

    ``run_id`` hashes the run's resolved scenario and seed, so two samples that resolve to
    the same scenario share a run (and it is computed once).
    """
    from ecosim.scenario.loader import apply_overrides
    from ecosim.scenario.schema import Scenario

    design = sample(study)
    seeds = run_seeds(study, len(design))
    labels = study.labels
    values = design[labels].to_numpy(dtype=object)
    if study.base is not None:
        work = _copy(study.base)
        resolved = []
        for row in values:
            apply_overrides(work, {}, study.overrides(row), Scenario)
            resolved.append(scenario_digest(work))
    else:
        fopts = study.function_options()
        resolved = [scenario_digest({"function": study.experiment.function, "options": fopts,
                                     "x": [float(v) for v in row]}) for row in values]
    rows = []
    reps = study.experiment.replications
    for s in range(len(design)):
        for r in range(reps):
            seed = int(seeds[s, r])
            rows.append((s, r, seed, run_identity(resolved[s], seed)))
    runs = pd.DataFrame(rows, columns=["sample", "replication", "seed", "run_id"])
    runs["sample"] = runs["sample"].astype(np.int64)
    runs["replication"] = runs["replication"].astype(np.int32)
    runs["seed"] = runs["seed"].astype(np.uint64)
    params = design.reset_index(drop=True).iloc[runs["sample"].to_numpy()]
    runs = pd.concat([runs, params.reset_index(drop=True)], axis=1)
    return runs


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(data)
