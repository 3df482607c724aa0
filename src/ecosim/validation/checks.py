"""Judging a fact: the measured mean over replications, its 90% interval, and the status.

``pass`` when the mean lies in the target (or, for ``judge: interval``, the whole 90% interval
does: facts that are a direction must hold beyond replication noise); ``fail`` otherwise;
``not reproduced`` when the runs give no finite value or the fact is a declared known gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

PASS, FAIL, NOT_REPRODUCED = "pass", "fail", "not reproduced"


@dataclass(frozen=True)
class Outcome:
    measured: float
    ci_low: float
    ci_high: float
    n: int
    status: str
    reason: str = ""


def interval90(values: np.ndarray) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of the finite values: a t interval for the mean at 90%; the interval
    is NaN with a single value, everything NaN with none."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = int(v.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(v.mean())
    if n == 1:
        return mean, math.nan, math.nan, 1
    half = float(stats.t.ppf(0.95, n - 1) * v.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


def _inside(x: float, low: float | None, high: float | None) -> bool:
    return (low is None or x >= low) and (high is None or x <= high)


def judge(values: np.ndarray, target: tuple[float | None, float | None],
          rule: str = "mean", known_gap: str | None = None) -> Outcome:
    """The outcome of one fact from its per-replication values. A declared known gap is
    ``not reproduced`` whatever the values; they are still reported when there are any (a
    gap with a measure shows how far off the model is)."""
    mean, lo, hi, n = interval90(values)
    if known_gap is not None:
        return Outcome(mean, lo, hi, n, NOT_REPRODUCED, known_gap)
    if n == 0:
        return Outcome(mean, lo, hi, 0, NOT_REPRODUCED,
                       "the runs gave no finite value (a metric missing or undefined)")
    low, high = target
    if rule == "interval":
        if n < 2:
            return Outcome(mean, lo, hi, n, FAIL,
                           "a direction needs an interval: at least 2 replications")
        ok = _inside(lo, low, high) and _inside(hi, low, high)
        why = "" if ok else "the 90% interval is not wholly inside the target"
    else:
        ok = _inside(mean, low, high)
        why = "" if ok else "the mean is outside the target"
    return Outcome(mean, lo, hi, n, PASS if ok else FAIL, why)


def counts_as_failure(status: str, known_gap: str | None) -> bool:
    """Whether a status makes ``ecosim validate`` exit 1."""
    return status == FAIL or (status == NOT_REPRODUCED and known_gap is None)
