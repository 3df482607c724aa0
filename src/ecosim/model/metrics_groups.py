"""Who-gains KPIs: the same few outcomes for groups of residents, from the state arrays.

Two breakdowns, each for the region and every district (index 0 = region, as in ``metrics``):

- by **starting qualification band**: residents present when the run began (quarter 0, before
  any policy acted), grouped by the band they held then (``learners.start_level``); people who
  joined later are in no group. Their share now above that band, employment rate, mean pay and
  participation in learning say who a policy lifted.
- by **age band** now (16-24, 25-49, 50 to retirement): share at Level 3+, employment rate,
  mean pay and participation.

Rates and means are not scaled by persons_per_agent; a group with nobody in it is NaN.
"""

from __future__ import annotations

import numpy as np

# (the names below need nothing from the model: ecosim.metric_info loads this file on its own,
# without importing numba; compute_groups imports the state codes when it runs)

#: band keys (as in the scenario's level fields) and readable names
START_BANDS: tuple[tuple[str, str], ...] = (
    ("none", "no qualification"), ("level1", "Level 1"), ("level2", "Level 2"),
    ("level3", "Level 3"), ("level4_5", "Level 4-5"), ("level6_plus", "Level 6+"))
#: age-band keys, readable names and [low, high) ages in years
AGE_BANDS: tuple[tuple[str, str, float, float], ...] = (
    ("16_24", "aged 16-24", 0.0, 25.0), ("25_49", "aged 25-49", 25.0, 50.0),
    ("50_plus", "aged 50+", 50.0, float("inf")))

_START_KPIS = {
    "share_progressed": "share whose highest qualification is now above their starting band",
    "employment_rate": "share in work",
    "mean_wage_gbp": "mean annual pay of those in work (GBP)",
    "participation_rate": "share on a course below degree level in the last 4 quarters",
}
_AGE_KPIS = {
    "share_level3_plus": "share at Level 3 or above",
    "employment_rate": "share in work",
    "mean_wage_gbp": "mean annual pay of those in work (GBP)",
    "participation_rate": "share on a course below degree level in the last 4 quarters",
}


def start_column(kpi: str, band: str) -> str:
    """Column name of ``kpi`` for residents who started in ``band`` (a START_BANDS key)."""
    return f"{kpi}_start_{band}"


def age_column(kpi: str, band: str) -> str:
    """Column name of ``kpi`` for residents in age band ``band`` (an AGE_BANDS key)."""
    return f"{kpi}_age_{band}"


GROUP_METRICS: dict[str, str] = {}
for _kpi, _desc in _START_KPIS.items():
    for _b, _name in START_BANDS:
        GROUP_METRICS[start_column(_kpi, _b)] = \
            f"{_desc}, residents at the start of the run with {_name} then"
for _kpi, _desc in _AGE_KPIS.items():
    for _b, _name, _, _ in AGE_BANDS:
        GROUP_METRICS[age_column(_kpi, _b)] = f"{_desc}, residents {_name}"


def _by_district(mask: np.ndarray, d: np.ndarray, D: int, weights: np.ndarray | None = None
                 ) -> np.ndarray:
    g = np.bincount(d[mask], weights=None if weights is None else weights[mask], minlength=D)
    return np.concatenate([[g.sum()], g]).astype(np.float64)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.full(a.shape, np.nan)
    np.divide(a, b, out=out, where=b > 0)
    return out


def compute_groups(model, d: np.ndarray, participating: np.ndarray) -> dict[str, np.ndarray]:
    """``{column: float64[1 + n_districts]}`` for every column of ``GROUP_METRICS``.
    ``d`` is the learners' district (int64); ``participating`` the FE-participation mask."""
    from ecosim.model.state import EMPLOYED, N_LEVELS

    L = model.state.learners
    D = model.scenario.n_districts
    emp = L.status == EMPLOYED
    wage = L.wage
    out: dict[str, np.ndarray] = {}

    def fill(col_of, key, mask, extra):
        n = _by_district(mask, d, D)
        ne = _by_district(mask & emp, d, D)
        for kpi, num in extra.items():
            out[col_of(kpi, key)] = _ratio(_by_district(mask & num, d, D), n)
        out[col_of("employment_rate", key)] = _ratio(ne, n)
        out[col_of("mean_wage_gbp", key)] = _ratio(_by_district(mask & emp, d, D, wage), ne)
        out[col_of("participation_rate", key)] = _ratio(
            _by_district(mask & participating, d, D), n)

    start = L.start_level
    for band, (key, _) in enumerate(START_BANDS[:N_LEVELS]):
        fill(start_column, key, start == band, {"share_progressed": L.level > start})
    for key, _, lo, hi in AGE_BANDS:
        fill(age_column, key, (L.age >= lo) & (L.age < hi), {"share_level3_plus": L.level >= 3})
    return out
