"""Unit tests of the validation's judging and measuring on synthetic inputs: every check can
fail, and NaN, empty and single-replication inputs never pass vacuously."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ecosim.validation import checks, measures


def test_mean_rule_passes_inside_and_fails_outside():
    assert checks.judge(np.array([5.0, 5.2, 4.8]), (4.0, 6.0)).status == checks.PASS
    assert checks.judge(np.array([7.0, 7.2, 6.8]), (4.0, 6.0)).status == checks.FAIL
    assert checks.judge(np.array([3.0]), (None, 2.0)).status == checks.FAIL
    assert checks.judge(np.array([1.0]), (None, 2.0)).status == checks.PASS


def test_interval_rule_needs_the_whole_interval_inside():
    noisy = np.array([-1.0, 3.0, 1.0])  # mean 1 > 0 but the interval spans zero
    out = checks.judge(noisy, (0.0, None), "interval")
    assert out.status == checks.FAIL and out.ci_low < 0 < out.ci_high
    clear = np.array([1.0, 1.1, 0.9])
    assert checks.judge(clear, (0.0, None), "interval").status == checks.PASS


def test_nan_empty_and_single_inputs():
    assert checks.judge(np.array([]), (0.0, 1.0)).status == checks.NOT_REPRODUCED
    assert checks.judge(np.array([np.nan, np.nan]), (0.0, 1.0)).status == checks.NOT_REPRODUCED
    one = checks.judge(np.array([0.5]), (0.0, 1.0))
    assert one.status == checks.PASS and math.isnan(one.ci_low) and one.n == 1
    assert checks.judge(np.array([0.5]), (0.0, 1.0), "interval").status == checks.FAIL
    # a NaN among values is dropped, not averaged in
    out = checks.judge(np.array([0.5, np.nan, 0.7]), (0.0, 1.0))
    assert out.n == 2 and out.measured == pytest.approx(0.6)


def test_known_gap_is_not_reproduced_and_does_not_count_as_failure():
    out = checks.judge(np.array([0.5]), (0.0, 1.0), known_gap="no metric")
    assert out.status == checks.NOT_REPRODUCED and out.reason == "no metric"
    assert out.measured == 0.5  # a gap with a measure still shows the model's value
    inside = checks.judge(np.array([0.4, 0.6]), (0.0, 1.0), known_gap="wrong mechanism")
    assert inside.status == checks.NOT_REPRODUCED  # never a pass, even inside the target
    assert math.isnan(checks.judge(np.zeros(0), (0.0, 1.0), known_gap="g").measured)
    assert not checks.counts_as_failure(out.status, "no metric")
    assert checks.counts_as_failure(checks.NOT_REPRODUCED, None)
    assert checks.counts_as_failure(checks.FAIL, None)
    assert not checks.counts_as_failure(checks.PASS, None)


def test_interval_is_a_t_interval():
    v = np.array([1.0, 2.0, 3.0, 4.0])
    mean, lo, hi, n = checks.interval90(v)
    from scipy import stats

    half = stats.t.ppf(0.95, 3) * v.std(ddof=1) / 2
    assert (mean, n) == (2.5, 4) and lo == pytest.approx(2.5 - half)
    assert hi == pytest.approx(2.5 + half)


def frame(values: dict[str, list[float]], areas=("region",)) -> pd.DataFrame:
    """Quarters 1..n of each column, for each area (same values)."""
    n = len(next(iter(values.values())))
    rows = []
    for q in range(1, n + 1):
        for a in areas:
            rows.append({"quarter": q, "year": 2025 + (q - 1) / 4, "area": a,
                         **{k: v[q - 1] for k, v in values.items()}})
    return pd.DataFrame(rows)


def test_level_aggregates_the_chosen_year_and_evaluates_expressions():
    f = frame({"a": [1, 2, 3, 4, 10, 10, 10, 10], "b": [1, 1, 1, 1, 2, 2, 2, 2]})
    assert measures.level([f], "a", "first")[0] == 2.5
    assert measures.level([f], "a", "last")[0] == 10
    assert measures.level([f], "a", "last", how="sum")[0] == 40
    assert measures.level([f], "a / b", "last")[0] == 5
    assert measures.level([f], "a", "last", scale=100)[0] == 1000
    assert math.isnan(measures.level([f], "missing_metric")[0])
    assert math.isnan(measures.level([f], "a", area="Nowhere")[0])


def test_drift_is_the_slope_of_annual_values():
    vals = [y * 0.5 + 3 for y in range(1, 6) for _ in range(4)]  # 0.5 a year
    f = frame({"a": vals})
    assert measures.drift([f], "a")[0] == pytest.approx(0.5)
    assert measures.drift([f], "a", years=(2, 4))[0] == pytest.approx(0.5)
    assert math.isnan(measures.drift([f], "a", years=(1, 2))[0])  # under three years


def test_paired_compares_replication_by_replication():
    base = [frame({"a": [2.0] * 4}), frame({"a": [4.0] * 4})]
    pol = [frame({"a": [3.0] * 4}), frame({"a": [5.0] * 4})]
    assert list(measures.paired(pol, base, "a", "difference")) == [1.0, 1.0]
    assert list(measures.paired(pol, base, "a", "ratio")) == [1.5, 1.25]
    assert list(measures.paired(pol, base, "a", "percent_change")) == [50.0, 25.0]
    zero = [frame({"a": [0.0] * 4})] * 2
    assert np.isnan(measures.paired(pol, zero, "a", "ratio")).all()
    with pytest.raises(ValueError):
        measures.paired(pol, base[:1], "a", "ratio")


def test_correlation_across_varied_runs():
    by_value = [[frame({"v": [x] * 4, "u": [10 - x] * 4})] for x in (1.0, 2.0, 3.0, 5.0)]
    assert measures.correlation(by_value, "v", "u")[0] == pytest.approx(-1.0)
    flat = [[frame({"v": [1.0] * 4, "u": [x] * 4})] for x in (1.0, 2.0, 3.0)]
    assert math.isnan(measures.correlation(flat, "v", "u")[0])
