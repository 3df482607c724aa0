"""Labour demand: target posts by employer and level band, and the vacancies they open.

An employer's target posts at level band L are its initial posts there, scaled by its sector's
growth path and tilted towards higher bands as its business model moves up the high-road scale
(and down as it moves down), keeping total size unchanged by the tilt:

    target[e, L] = base[e, L] * growth[e] * exp(tilt * (hr[e] - hr0[e]) * (L - 2.5)) * norm[e]

Vacancies are the shortfall of filled posts, rounded stochastically (counter-based draw keyed
on the employer), so turnover and retirements reopen posts automatically.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import EMPLOYER_UID_BASE, Purpose, uniform

P_VACANCY = np.int64(Purpose.VACANCY)
EMP_BASE = np.int64(EMPLOYER_UID_BASE)


@njit(cache=True)
def target_posts(base, growth, high_road, high_road0, tilt, out):
    """Fill out[e, L] with target posts (agents, fractional)."""
    n_e, n_l = base.shape
    for e in range(n_e):
        tot0 = 0.0
        tot1 = 0.0
        for lv in range(n_l):
            w = np.exp(tilt * (high_road[e] - high_road0[e]) * (lv - 2.5))
            out[e, lv] = base[e, lv] * w
            tot0 += base[e, lv]
            tot1 += out[e, lv]
        scale = growth[e] * (tot0 / tot1 if tot1 > 0.0 else 0.0)
        for lv in range(n_l):
            out[e, lv] *= scale


@njit(cache=True, parallel=True)
def open_vacancies(seed, quarter, target, filled, out):
    """out[e, L] = floor(max(0, target - filled) + u), u uniform keyed on (employer, L)."""
    n_e, n_l = target.shape
    for e in prange(n_e):
        for lv in range(n_l):
            gap = target[e, lv] - filled[e, lv]
            if gap <= 0.0:
                out[e, lv] = 0
            else:
                u = uniform(seed, EMP_BASE + e, quarter, P_VACANCY, lv)
                out[e, lv] = np.int32(np.floor(gap + u))


@njit(cache=True)
def count_posts(employer, post_level, n_employers, out):
    """out[e, L] = number of learners holding a post at employer e, level band L."""
    out[:, :] = 0
    for i in range(employer.shape[0]):
        e = employer[i]
        if e >= 0:
            out[e, post_level[i]] += 1
