"""The KPI head-count kernels against numpy masks and ``bincount`` of the selected districts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecosim.model.kernels import district_counts as kcount
from ecosim.model.state import EMPLOYED, FUND_PUBLIC, INACTIVE, UNEMPLOYED


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 500), n_d=st.integers(1, 9),
       share=st.floats(0, 1))
def test_count_by_district(seed, n, n_d, share):
    g = np.random.default_rng(seed)
    district = g.integers(0, n_d, n).astype(np.int64)
    mask = g.uniform(0, 1, n) < share
    got = kcount.count_by_district(district, mask, n_d)
    by_d = np.bincount(district[mask], minlength=n_d).astype(np.float64)
    assert got.dtype == np.float64
    assert np.array_equal(got, np.concatenate([[by_d.sum()], by_d]))
    assert got[0] == np.count_nonzero(mask)


def ref_kpi_counts(q, d, age, lv, st, wage, line, course, fund, lsq, lcq, lcl, lhq, fe, c_level,
                   c_prio, c_ooa, n_d):
    """The indicators as numpy masks (how ``metrics.compute`` wrote them before the kernel)."""
    on = course >= 0
    cl = np.where(on, c_level[np.maximum(course, 0)], -1)
    prio = on & c_prio[np.maximum(course, 0)]
    ooa = on & c_ooa[np.maximum(course, 0)]
    wa = age < 65.0
    adult = wa & (age >= 19.0)
    emp = st == EMPLOYED
    low = emp & (wage < line)
    part = (fe >= 0) & (q - fe < 4)
    recent = (lcq >= 0) & (q - lcq <= 4)
    funded = on & (fund == FUND_PUBLIC)
    fs = funded & (lsq == q)
    age50 = wa & (age >= 50.0)
    masks = {
        "wa": wa, "wa_l0": wa & (lv == 0), "wa_l2p": wa & (lv >= 2), "wa_l3p": wa & (lv >= 3),
        "wa_l4p": wa & (lv >= 4), "wa_emp": wa & emp, "emp": emp,
        "wa_une": wa & (st == UNEMPLOYED), "wa_inactive": wa & (st == INACTIVE),
        "adult": adult, "adult_part": adult & part, "lowq": adult & (lv < 2),
        "lowq_part": adult & (lv < 2) & part, "age50": age50, "age50_part": age50 & part,
        "adult_lowpaid": adult & low, "adult_lowpaid_part": adult & low & part, "on": on,
        "starts": lsq == q, "completions": lcq == q, "f": funded, "f_cl1": funded & (cl <= 1),
        "f_cl2": funded & (cl == 2), "f_cl3": funded & (cl == 3), "f_cl4p": funded & (cl >= 4),
        "f_prio": funded & prio, "job_outcome": (lhq == q) & recent, "lowpaid": low,
        "he_progression": (lsq == q) & (cl >= 4) & (lcl == 3) & recent,
        "l3_completions": (lcq == q) & (lcl == 3), "completions_l3p": (lcq == q) & (lcl >= 3),
        "fs": fs, "fs_cl1": fs & (cl <= 1), "fs_cl3": fs & (cl == 3), "fs_prio": fs & prio,
        "fs_out_of_area": fs & ooa, "fs_prio_cl2p": fs & prio & (cl >= 2),
    }
    assert tuple(masks) == kcount.INDICATORS
    rows = []
    for m in masks.values():
        by_d = np.bincount(d[m], minlength=n_d).astype(np.float64)
        rows.append(np.concatenate([[by_d.sum()], by_d]))
    return np.array(rows)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 400), n_d=st.integers(1, 6),
       q=st.integers(0, 12), line=st.floats(0, 40000))
def test_kpi_counts(seed, n, n_d, q, line):
    g = np.random.default_rng(seed)
    n_c = 7
    d = g.integers(0, n_d, n).astype(np.int64)
    age = g.uniform(16, 70, n)
    age[0] = 30.0  # at least one resident of working age, so some indicator counts someone
    args = (d, age, g.integers(0, 6, n).astype(np.int8),
            g.integers(0, 3, n).astype(np.int8), g.uniform(0, 50000, n), line,
            g.integers(-1, n_c, n).astype(np.int32), g.integers(0, 3, n).astype(np.int8),
            g.integers(-1, q + 2, n).astype(np.int32), g.integers(-1, q + 2, n).astype(np.int32),
            g.integers(-1, 6, n).astype(np.int8), g.integers(-1, q + 2, n).astype(np.int32),
            g.integers(-1, q + 2, n).astype(np.int32), g.integers(0, 6, n_c).astype(np.int8),
            g.uniform(0, 1, n_c) < 0.5, g.uniform(0, 1, n_c) < 0.3, n_d)
    got = kcount.kpi_counts(q, *args)
    assert np.array_equal(got, ref_kpi_counts(q, *args))
    assert got.sum() > 0  # not vacuous: some indicator counted someone


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 80), kind=st.integers(0, 3))
def test_pay_quantiles_equal_numpy(seed, n, kind):
    """metrics._pay_quantiles gives np.percentile(w, [10, 50, 90]) and np.median(w) bit for bit
    (ties, repeated values and NaN included)."""
    from ecosim.model.metrics import _pay_quantiles

    g = np.random.default_rng(seed)
    w = [g.uniform(0, 9e4, n), np.round(g.uniform(0, 5, n)) * 1e4, g.lognormal(10, 0.6, n),
         g.uniform(0, 9e4, n)][kind]
    if kind == 3:
        w[g.integers(0, n)] = np.nan
    exp = [*np.percentile(w, [10, 50, 90]), np.median(w)]
    got = _pay_quantiles(w.copy())
    assert np.array_equal(np.array(got), np.array(exp, dtype=np.float64), equal_nan=True)


def test_pay_quantiles_equal_numpy_on_large_arrays():
    """The partition path (more than 4,096 workers) too."""
    from ecosim.model.metrics import _pay_quantiles

    g = np.random.default_rng(11)
    for n in (4097, 5000, 10001):
        for w in (g.lognormal(10, 0.6, n), np.round(g.uniform(0, 5, n)) * 1e4):
            exp = [*np.percentile(w, [10, 50, 90]), np.median(w)]
            assert np.array_equal(np.array(_pay_quantiles(w.copy())), np.array(exp))
        w[17] = np.nan
        assert np.isnan(_pay_quantiles(w.copy())).all()
