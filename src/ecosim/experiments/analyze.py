"""Sensitivity indices from a finished sweep (SALib's Python API, seeded bootstrap).

Sobol: S1 and ST (and S2 when asked) with bootstrap intervals, and their convergence against
N from the nested prefixes of the design. Morris: mu, mu* (with interval) and sigma. Every
method: per-sample summaries over replications and, with replications, the share of output
variance that is replication noise. Writes ``indices.parquet``/``.csv``, ``convergence.csv``,
``variance.csv``, ``samples.parquet``/``.csv`` and figures into the sweep directory. Grid
sweeps get main effects instead (``main_effects.csv``; ``indices`` holds each parameter's
share of the variance of the sample means, ``eta2``).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim.errors import InputError
from ecosim.experiments import sweepdir as sd
from ecosim.experiments.schema import DEFAULT_G_A, Experiment

INDICES = "indices.parquet"
INDICES_CSV = "indices.csv"
CONVERGENCE = "convergence.csv"
VARIANCE = "variance.csv"
SAMPLES = "samples.parquet"
MAIN_EFFECTS = "main_effects.csv"
MIN_CONVERGENCE_N = 16


@dataclass
class Analysis:
    """The tables an analysis wrote, and notes on what it could not do."""

    path: Path
    indices: pd.DataFrame
    convergence: pd.DataFrame
    variance: pd.DataFrame
    samples: pd.DataFrame
    figures: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)


def finished_sweep(path: str | os.PathLike) -> tuple[Path, dict[str, Any], Experiment]:
    """A finished sweep directory, its plan metadata and experiment; ``InputError`` if not."""
    p = Path(path)
    if not p.is_dir():
        raise InputError(f"{p}: no such sweep directory")
    if not (p / sd.SWEEP).is_file():
        raise InputError(f"{p}: not a sweep directory (no {sd.SWEEP})")
    if not (p / sd.MANIFEST).is_file() or not (p / sd.RESULTS).is_file():
        raise InputError(f"{p}: the sweep has not finished; complete it with "
                         f"'ecosim sweep EXPERIMENT --out {p} --resume'")
    meta = sd.read_sweep(p)
    return p, meta, Experiment.model_validate(meta["experiment"])


def analyze(path: str | os.PathLike, figures: bool = True) -> Analysis:
    """Compute and write the indices (and figures) of the finished sweep in ``path``."""
    from ecosim.store import write_parquet_atomic, write_text_atomic

    p, meta, exp = finished_sweep(path)
    plan = sd.read_plan(p)
    results = pd.read_parquet(p / sd.RESULTS)
    labels = list(meta["parameters"])
    n_samples = int(meta["samples"])
    outputs = [o.label for o in exp.outputs]
    scalar = [o.label for o in exp.outputs if o.when != "path"]
    agg = {o.label: o.aggregate for o in exp.outputs}
    notes: list[str] = []
    idx_rows: list[dict[str, Any]] = []
    conv_rows: list[dict[str, Any]] = []
    effects = pd.DataFrame()
    problem = _problem(exp, labels)
    analytic = _analytic(exp)
    for out in scalar:
        y = sd.per_sample(results, agg, n_samples, out)
        missing = int(np.isnan(y).sum())
        if exp.method in ("sobol", "morris") and missing:
            notes.append(f"{out}: {missing} of {n_samples} samples have no result (their runs "
                         f"failed); {exp.method} indices need every sample, so none are given")
            continue
        if exp.method == "sobol":
            r, c = _sobol(exp, problem, y, out, analytic)
            idx_rows += r
            conv_rows += c
            notes += _small_n_notes(r, out)
        elif exp.method == "morris":
            x = plan.drop_duplicates("sample").sort_values("sample")[labels].to_numpy(float)
            idx_rows += _morris(exp, problem, x, y, out)
    if exp.method == "grid" and scalar:
        from ecosim.experiments.main_effects import main_effect_shares, main_effects

        effects = main_effects(results, plan, labels, scalar, exp.conf_level)
        idx_rows += main_effect_shares(results, plan, labels, scalar, exp.replications)
    if not scalar:
        notes.append("no scalar outputs (only paths): no indices")
    indices = pd.DataFrame(idx_rows, columns=["output", "parameter", "index", "value", "conf",
                                              "low", "high", "N", "runs", "analytic"])
    convergence = pd.DataFrame(conv_rows, columns=["output", "parameter", "index", "N",
                                                   "value", "conf", "low", "high"])
    variance = _variance(results, scalar, exp.replications)
    for _, v in variance.iterrows():
        if exp.method in ("sobol", "morris") and v["noise_share_of_means"] > 0.5:
            notes.append(f"{v['output']}: replication noise is {v['noise_share_of_means']:.0%} "
                         "of the variance of the sample means, so its indices mostly measure "
                         "noise; use more replications or a larger population")
    samples = _samples(results, plan, labels, outputs, exp.conf_level)
    write_parquet_atomic(indices, p / INDICES)
    write_text_atomic(indices.to_csv(index=False), p / INDICES_CSV)
    write_text_atomic(convergence.to_csv(index=False), p / CONVERGENCE)
    write_text_atomic(variance.to_csv(index=False), p / VARIANCE)
    write_parquet_atomic(samples, p / SAMPLES)
    write_text_atomic(samples.to_csv(index=False), p / "samples.csv")
    if exp.method == "grid":
        write_text_atomic(effects.to_csv(index=False), p / MAIN_EFFECTS)
    res = Analysis(p, indices, convergence, variance, samples, notes=notes, effects=effects)
    if figures:
        from ecosim.experiments.figures import draw_all

        res.figures = draw_all(p, exp, indices=indices, convergence=convergence,
                               variance=variance, effects=effects)
    return res


def _small_n_notes(rows: list[dict[str, Any]], out: str) -> list[str]:
    """Warn when the estimates are impossible for true indices (S1 > 1, or ST < S1): with a
    small N the estimator's error is larger than the indices."""
    s1 = {r["parameter"]: r["value"] for r in rows if r["index"] == "S1"}
    st = {r["parameter"]: r["value"] for r in rows if r["index"] == "ST"}
    bad = [f"{p} (S1 = {v:.2f} > 1)" for p, v in s1.items() if v > 1]
    bad += [f"{p} (ST = {st[p]:.2f} < S1 = {v:.2f})" for p, v in s1.items()
            if p in st and st[p] < v]
    if not bad:
        return []
    n = rows[0]["N"] if rows else 0
    return [f"{out}: N = {n} is too small for reliable Sobol indices: {', '.join(bad)}; "
            "increase N (e.g. --set N=...)"]


# ------------------------------------------------------------------------------- sobol
def _problem(exp: Experiment, labels: list[str]) -> dict[str, Any]:
    from ecosim.experiments.design import salib_problem
    from ecosim.experiments.resolve import Study

    if exp.method == "grid":
        return {}
    return salib_problem(Study(exp, Path("."), exp.name, kinds=["float"] * len(labels)))


def _analytic(exp: Experiment) -> dict[str, list[float]] | None:
    if exp.function is None:
        return None
    from ecosim.experiments.execute import analytic_indices

    return analytic_indices(exp.function, exp.function_options.a or DEFAULT_G_A)


def _sobol_once(exp: Experiment, problem: dict[str, Any], y: np.ndarray, seed: int,
                resamples: int) -> dict[str, Any]:
    import warnings

    from SALib.analyze import sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return sobol.analyze(problem, y, calc_second_order=exp.second_order,
                             num_resamples=resamples, conf_level=exp.conf_level,
                             print_to_console=False, seed=seed)


def _sobol(exp: Experiment, problem: dict[str, Any], y: np.ndarray, out: str,
           analytic: dict[str, list[float]] | None
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    d = problem["num_vars"]
    step = 2 * d + 2 if exp.second_order else d + 2
    n_full = len(y) // step
    runs = len(y) * exp.replications
    names = problem["names"]
    rows: list[dict[str, Any]] = []
    if float(np.var(y)) == 0.0:
        for nm in names:
            for ix in ("S1", "ST"):
                rows.append(_row(out, nm, ix, math.nan, math.nan, n_full, runs, None))
        return rows, []
    si = _sobol_once(exp, problem, y, exp.seed, exp.bootstrap)
    for i, nm in enumerate(names):
        for ix in ("S1", "ST"):
            a = analytic[ix][i] if analytic else None
            rows.append(_row(out, nm, ix, si[ix][i], si[f"{ix}_conf"][i], n_full, runs, a))
    if exp.second_order:
        for i in range(d):
            for j in range(i + 1, d):
                rows.append(_row(out, f"{names[i]} x {names[j]}", "S2", si["S2"][i, j],
                                 si["S2_conf"][i, j], n_full, runs, None))
    conv: list[dict[str, Any]] = []
    n = MIN_CONVERGENCE_N
    while n <= n_full:
        part = si if n == n_full else _sobol_once(exp, problem, y[: n * step], exp.seed,
                                                   exp.bootstrap)
        for i, nm in enumerate(names):
            for ix in ("S1", "ST"):
                v, c = float(part[ix][i]), float(part[f"{ix}_conf"][i])
                conv.append({"output": out, "parameter": nm, "index": ix, "N": n, "value": v,
                             "conf": c, "low": v - c, "high": v + c})
        n *= 2
    return rows, conv


def _row(out: str, param: str, index: str, value: float, conf: float, n: int, runs: int,
         analytic: float | None) -> dict[str, Any]:
    v, c = float(value), float(conf)
    return {"output": out, "parameter": param, "index": index, "value": v, "conf": c,
            "low": v - c, "high": v + c, "N": n, "runs": runs,
            "analytic": math.nan if analytic is None else float(analytic)}


# ------------------------------------------------------------------------------ morris
def _morris(exp: Experiment, problem: dict[str, Any], x: np.ndarray, y: np.ndarray,
            out: str) -> list[dict[str, Any]]:
    from SALib.analyze import morris

    si = morris.analyze(problem, x, y, num_resamples=exp.bootstrap, conf_level=exp.conf_level,
                        num_levels=exp.levels, seed=exp.seed, print_to_console=False)
    runs = len(y) * exp.replications
    rows = []
    for i, nm in enumerate(problem["names"]):
        r = _row(out, nm, "mu_star", si["mu_star"][i], si["mu_star_conf"][i], exp.N or 0,
                 runs, None)
        r["low"] = max(0.0, r["low"])  # mu* is a mean of absolute values: never below 0
        rows.append(r)
        rows.append(_row(out, nm, "mu", si["mu"][i], math.nan, exp.N or 0, runs, None))
        rows.append(_row(out, nm, "sigma", si["sigma"][i], math.nan, exp.N or 0, runs, None))
    return rows


# ------------------------------------------------------------------- noise and samples
def _variance(results: pd.DataFrame, outputs: list[str], reps: int) -> pd.DataFrame:
    """Per output: total run-to-run variance and the share that is replication noise (the
    mean within-sample variance); also that noise's share in the replication means."""
    rows = []
    for out in outputs:
        sub = results[(results["output"] == out) & results["quarter"].isna()]
        total = float(sub["value"].var(ddof=1)) if len(sub) > 1 else math.nan
        if reps > 1:
            within = float(sub.groupby("sample")["value"].var(ddof=1).mean())
            means = sub.groupby("sample")["value"].mean()
            var_means = float(means.var(ddof=1)) if len(means) > 1 else math.nan
            share = within / total if total > 0 else math.nan
            share_means = (within / reps) / var_means if var_means > 0 else math.nan
        else:
            within = share = share_means = math.nan
        rows.append({"output": out, "runs": int(len(sub)), "replications": reps,
                     "total_variance": total, "noise_variance": within,
                     "noise_share": min(share, 1.0) if share == share else share,
                     "noise_share_of_means": min(share_means, 1.0)
                     if share_means == share_means else share_means})
    return pd.DataFrame(rows, columns=["output", "runs", "replications", "total_variance",
                                       "noise_variance", "noise_share",
                                       "noise_share_of_means"])


def _samples(results: pd.DataFrame, plan: pd.DataFrame, labels: list[str],
             outputs: list[str], conf_level: float) -> pd.DataFrame:
    """Tidy per-sample summaries: sample, parameters, output, quarter, mean, sd, n, interval."""
    from scipy import stats

    keys = ["sample", "output", "quarter"]
    r = results.copy()
    r["quarter"] = r["quarter"].astype("Int32")
    g = r.groupby(keys, dropna=False, sort=False)["value"]
    s = g.agg(["mean", "std", "count", "median", "min", "max"]).reset_index()
    s = s.rename(columns={"std": "sd", "count": "n"})
    tq = np.array([stats.t.ppf(0.5 + conf_level / 2, k - 1) if k > 1 else np.nan
                   for k in s["n"]])
    half = tq * s["sd"].to_numpy(float) / np.sqrt(s["n"].to_numpy(float))
    s["low"], s["high"] = s["mean"] - half, s["mean"] + half
    params = plan.drop_duplicates("sample")[["sample", *labels]]
    s = params.merge(s, on="sample", how="inner")
    s["output"] = pd.Categorical(s["output"], categories=outputs, ordered=True)
    s = s.sort_values(["sample", "output", "quarter"], kind="stable", na_position="first")
    s["output"] = s["output"].astype(str)
    return s.reset_index(drop=True)
