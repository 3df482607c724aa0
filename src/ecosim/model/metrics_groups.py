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


def _by_group(key: np.ndarray, n_groups: int, D: int, weights: np.ndarray | None = None
              ) -> np.ndarray:
    """float64 ``[n_groups, 1 + D]``: for each group the region total, then each district.
    ``key`` is (group + 1) x D + district per learner, group -1 for learners in none (their
    bins are dropped). One bincount over every learner: each bin adds its learners in array
    order, as a bincount of one group's learners would."""
    g = np.bincount(key, weights=weights, minlength=(n_groups + 1) * D)[D:]
    g = g.reshape(n_groups, D)
    return np.concatenate([g.sum(axis=1, keepdims=True), g], axis=1).astype(np.float64)


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

    def fill(col_of, keys, group, kpi, num):
        """The group KPIs for every group at once (``group``: index into ``keys``, -1 none)."""
        n_g = len(keys)
        g1 = group + 1

        def key(mask=None):
            """The bincount key of the group's learners in ``mask`` (the others in none)."""
            return (g1 if mask is None else g1 * mask) * D + d

        n = _by_group(key(), n_g, D)
        k_emp = key(emp)
        ne = _by_group(k_emp, n_g, D)
        pay = _by_group(k_emp, n_g, D, wage)
        k_num = _by_group(key(num), n_g, D)
        part = _by_group(key(participating), n_g, D)
        for r, key in enumerate(keys):
            out[col_of(kpi, key)] = _ratio(k_num[r], n[r])
            out[col_of("employment_rate", key)] = _ratio(ne[r], n[r])
            out[col_of("mean_wage_gbp", key)] = _ratio(pay[r], ne[r])
            out[col_of("participation_rate", key)] = _ratio(part[r], n[r])

    start = L.start_level.astype(np.int64)
    bands = [key for key, _ in START_BANDS[:N_LEVELS]]
    by_start = np.where((start >= 0) & (start < len(bands)), start, -1)
    fill(start_column, bands, by_start, "share_progressed", L.level > L.start_level)
    by_age = np.full(L.n, -1, np.int64)
    for r, (_, _, lo, hi) in enumerate(AGE_BANDS):
        by_age[(L.age >= lo) & (L.age < hi)] = r
    fill(age_column, [key for key, _, _, _ in AGE_BANDS], by_age, "share_level3_plus",
         L.level >= 3)
    return out
