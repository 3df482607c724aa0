"""From metrics frames to one value per replication, for each kind of measure.

Every function here takes ordinary metrics frames (as ``ecosim.model.simulate`` returns them,
one per replication) and returns a float array with one value per replication (NaN where the
frame cannot give one). They know nothing about facts or targets: ``checks.judge`` compares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def year_row(frame: pd.DataFrame, year: str, how: str, area: str = "region") -> pd.DataFrame:
    """The frame's rows of ``area`` in the first or last reported year, aggregated to one row
    (``how``: mean for stocks and rates, sum for flows)."""
    rows = frame[frame["area"] == area]
    if rows.empty:
        return pd.DataFrame()
    q = rows["quarter"].to_numpy()
    years = (q - 1) // 4
    pick = years.min() if year == "first" else years.max()
    sel = rows[years == pick].select_dtypes("number")
    agg = sel.mean() if how == "mean" else sel.sum(min_count=1)
    return agg.to_frame().T


def evaluate(row: pd.DataFrame, expression: str) -> float:
    """``expression`` (a column name or a pandas.eval expression over columns) on one row.
    NaN if the row is empty or a column is missing."""
    if row.empty:
        return float("nan")
    if expression in row.columns:
        return float(row[expression].iloc[0])
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = row.eval(expression, engine="python")
    except (pd.errors.UndefinedVariableError, NameError, KeyError, SyntaxError):
        return float("nan")
    return float(np.asarray(value, dtype=float).ravel()[0])


def level(frames: list[pd.DataFrame], metric: str, year: str = "last", how: str = "mean",
          area: str = "region", scale: float = 1.0) -> np.ndarray:
    """The metric in one year, per replication."""
    return np.array([evaluate(year_row(f, year, how, area), metric) * scale for f in frames])


def annual_values(frame: pd.DataFrame, metric: str, how: str = "mean",
                  area: str = "region") -> tuple[np.ndarray, np.ndarray]:
    """(reported year 1, 2, ..., the metric's value in each year)."""
    rows = frame[frame["area"] == area]
    if rows.empty:
        return np.zeros(0), np.zeros(0)
    years = (rows["quarter"].to_numpy() - 1) // 4 + 1
    out_y, out_v = [], []
    for y in np.unique(years):
        sel = rows[years == y].select_dtypes("number")
        agg = (sel.mean() if how == "mean" else sel.sum(min_count=1)).to_frame().T
        out_y.append(float(y))
        out_v.append(evaluate(agg, metric))
    return np.array(out_y), np.array(out_v)


def drift(frames: list[pd.DataFrame], metric: str, years: tuple[int, int] | None = None,
          how: str = "mean", area: str = "region", scale: float = 1.0) -> np.ndarray:
    """Least-squares slope of annual values per year, per replication (NaN under 3 years)."""
    out = []
    for f in frames:
        y, v = annual_values(f, metric, how, area)
        if years is not None:
            keep = (y >= years[0]) & (y <= years[1])
            y, v = y[keep], v[keep]
        ok = np.isfinite(v)
        out.append(float(np.polyfit(y[ok], v[ok], 1)[0]) * scale if ok.sum() >= 3
                   else float("nan"))
    return np.array(out)


def paired(policy: list[pd.DataFrame], baseline: list[pd.DataFrame], metric: str,
           compare: str, baseline_metric: str | None = None, year: str = "last",
           how: str = "mean", area: str = "region", scale: float = 1.0) -> np.ndarray:
    """Replication i of the policy against replication i of the baseline (same seeds)."""
    if len(policy) != len(baseline):
        raise ValueError("paired measures need as many policy as baseline replications")
    p = level(policy, metric, year, how, area)
    b = level(baseline, baseline_metric or metric, year, how, area)
    with np.errstate(divide="ignore", invalid="ignore"):
        if compare == "ratio":
            v = p / b
        elif compare == "percent_change":
            v = (p / b - 1.0) * 100.0
        else:
            v = p - b
    v = np.where(np.isfinite(v), v, np.nan)
    return v * scale


def correlation(by_value: list[list[pd.DataFrame]], metric: str, metric2: str,
                year: str = "last", how: str = "mean", area: str = "region") -> np.ndarray:
    """Per replication, Pearson's r between ``metric`` and ``metric2`` across the runs of each
    varied value (``by_value[k][r]``: value k, replication r)."""
    n_rep = min(len(runs) for runs in by_value)
    out = []
    for r in range(n_rep):
        x = np.array([evaluate(year_row(runs[r], year, how, area), metric) for runs in by_value])
        y = np.array([evaluate(year_row(runs[r], year, how, area), metric2)
                      for runs in by_value])
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() < 3 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
            out.append(float("nan"))
        else:
            out.append(float(np.corrcoef(x[ok], y[ok])[0, 1]))
    return np.array(out)
