"""Main effects of a grid sweep: each parameter's level means, and its share of variance.

A grid has no Sobol or Morris design, so its sensitivity summary is the classic one for a
full factorial: for every output and parameter, the mean of the output at each level of the
parameter (averaged over every other parameter and the replications), with an interval over
the samples at that level, and ``eta2``: the share of the variance of the sample means that
the parameter's level means explain (between-level variance / total; exact for a balanced
full factorial: the shares of additive parameters sum to about 1, the rest is interaction).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def _sample_means(results: pd.DataFrame, labels: list[str], out: str) -> pd.DataFrame:
    sub = results[(results["output"] == out) & results["quarter"].isna()]
    return sub.groupby("sample", sort=True).agg(
        **{p: (p, "first") for p in labels}, value=("value", "mean")).reset_index()


def main_effects(results: pd.DataFrame, plan: pd.DataFrame, labels: list[str],
                 outputs: list[str], conf_level: float = 0.95) -> pd.DataFrame:
    """Tidy level means: output, parameter, level, mean, sd, n (samples), low, high."""
    from scipy import stats

    rows: list[dict[str, Any]] = []
    for out in outputs:
        sm = _sample_means(results, labels, out)
        for p in labels:
            for level, g in sm.groupby(p, sort=True, dropna=False):
                v = g["value"].dropna().to_numpy(float)
                n = int(v.size)
                mean = float(v.mean()) if n else math.nan
                sd = float(v.std(ddof=1)) if n > 1 else math.nan
                half = (float(stats.t.ppf(0.5 + conf_level / 2, n - 1)) * sd / math.sqrt(n)
                        if n > 1 else math.nan)
                rows.append({"output": out, "parameter": p, "level": _plain(level),
                             "mean": mean, "sd": sd, "n": n, "low": mean - half,
                             "high": mean + half})
    return pd.DataFrame(rows, columns=["output", "parameter", "level", "mean", "sd", "n",
                                       "low", "high"])


def _plain(level: Any) -> Any:
    return level.item() if hasattr(level, "item") else level


def main_effect_shares(results: pd.DataFrame, plan: pd.DataFrame, labels: list[str],
                       outputs: list[str], replications: int) -> list[dict[str, Any]]:
    """Index rows (``index`` = "eta2") in the format of ``analyze``'s indices table."""
    rows = []
    for out in outputs:
        sm = _sample_means(results, labels, out).dropna(subset=["value"])
        y = sm["value"].to_numpy(float)
        total = float(np.var(y)) if y.size > 1 else math.nan
        for p in labels:
            if not total or total != total:
                share = math.nan
            else:
                g = sm.groupby(p, sort=False)["value"]
                between = float(((g.mean() - y.mean()) ** 2 * g.size()).sum() / y.size)
                share = between / total
            rows.append({"output": out, "parameter": p, "index": "eta2", "value": share,
                         "conf": math.nan, "low": math.nan, "high": math.nan,
                         "N": int(y.size), "runs": int(y.size) * replications,
                         "analytic": math.nan})
    return rows
