"""Demography: new residents' attributes, ageing, retirement, migration, activity flows.

All draws come from ``rng`` keyed on the learner's uid, so the result does not depend on array
order or thread count. Kernels calling ``rng`` are not cached (see kernels/__init__.py).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, normal, uniform
from ecosim.model.state import (  # noqa: F401  (status codes, said once)
    EMPLOYED,
    INACTIVE,
    OLDER_AGE_START,
    PRIME_AGE_START,
    UNEMPLOYED,
    WORKING_AGE_END,
    YEARS_PER_QUARTER,
    YOUNG_GRADUATE_AGE_END,
)

P_AGE = np.int64(Purpose.INIT_AGE)
P_LEVEL = np.int64(Purpose.INIT_LEVEL)
P_SKILL = np.int64(Purpose.INIT_SKILL)
P_STATUS = np.int64(Purpose.INIT_STATUS)
P_MOT = np.int64(Purpose.INIT_MOTIVATION)
P_BAR = np.int64(Purpose.INIT_BARRIERS)
P_SECTOR = np.int64(Purpose.INIT_SECTOR)
P_RETIRE = np.int64(Purpose.RETIRE)
P_MIGRATION = np.int64(Purpose.MIGRATION)
P_ACTIVITY = np.int64(Purpose.EXIT_ACTIVITY)

STAY, EXIT_RETIRED, EXIT_MIGRATED = 0, 1, 2


@njit(cache=True, inline="always")
def pick_cum(cum: np.ndarray, u: float) -> int:
    """Index of the first cumulative weight above ``u * total`` (cum is non-decreasing)."""
    n = cum.shape[0]
    x = u * cum[n - 1]
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True, parallel=True)
def draw_residents(seed, quarter, uid, district, level_cum, age_lo, age_hi, p_emp, p_unemp,
                   motivation_sd, care_mean, transport_mean, sector_cum, skill_lo, skill_hi,
                   exper_years, exper_weight, fixed_level, age, level, status, sector, skill,
                   motivation, barrier_care, barrier_transport):
    """Attributes of new residents (initial population at quarter 0, entrants later).

    level_cum[D, 6]: cumulative level mix by district; p_emp[D, 6, 4], p_unemp[D, 6, 4]: chance
    of being employed, and of being unemployed if not employed, by district, level and age band
    (0: 16-24, 1: 25-49, 2: 50-64, 3: 65+, the bands of ``age_and_flows``); sector_cum[6, S]:
    cumulative sector weights by level; transport_mean[D]; fixed_level[i] >= 0 overrides the
    level draw.
    Skill is ``skill_lo + (skill_hi - skill_lo) * ((1 - w) * u + w * x)``: ``u`` uniform, ``x``
    experience, ``min(1, (age - age_lo) / exper_years)``, ``w = exper_weight``.
    """
    n = uid.shape[0]
    for i in prange(n):
        u = uid[i]
        d = district[i]
        age[i] = age_lo + (age_hi - age_lo) * uniform(seed, u, quarter, P_AGE, 0)
        if fixed_level[i] >= 0:
            lv = fixed_level[i]
        else:
            lv = pick_cum(level_cum[d], uniform(seed, u, quarter, P_LEVEL, 0))
        level[i] = lv
        a = age[i]
        band = 0 if a < PRIME_AGE_START else (
            1 if a < OLDER_AGE_START else (2 if a < WORKING_AGE_END else 3))
        r = uniform(seed, u, quarter, P_STATUS, 0)
        if r < p_emp[d, lv, band]:
            status[i] = EMPLOYED
        elif uniform(seed, u, quarter, P_STATUS, 1) < p_unemp[d, lv, band]:
            status[i] = UNEMPLOYED
        else:
            status[i] = INACTIVE
        sector[i] = pick_cum(sector_cum[lv], uniform(seed, u, quarter, P_SECTOR, 0))
        exper = min(1.0, (age[i] - age_lo) / exper_years)
        sk = skill_lo + (skill_hi - skill_lo) * (
            (1.0 - exper_weight) * uniform(seed, u, quarter, P_SKILL, 0) + exper_weight * exper)
        skill[i] = min(1.0, max(0.0, sk))
        motivation[i] = motivation_sd * normal(seed, u, quarter, P_MOT, 0)
        # exponential barriers with the given mean, capped at 1
        uc = uniform(seed, u, quarter, P_BAR, 0)
        ut = uniform(seed, u, quarter, P_BAR, 1)
        barrier_care[i] = min(1.0, -care_mean * np.log(1.0 - uc))
        barrier_transport[i] = min(1.0, -transport_mean[d] * np.log(1.0 - ut))


@njit(cache=True, parallel=True)
def age_and_flows(seed, quarter, uid, age, level, status, employer, post_level, wage,
                  retirement_age, to_active, to_inactive, grad_base, grad_scarce, scarcity,
                  exit_code):
    """One quarter of ageing, retirement, young-graduate out-migration and activity flows.

    to_active[L]: chance inactive -> unemployed; to_inactive[band, L]: chance employed or
    unemployed -> inactive by age band (0: 16-24, 1: 25-49, 2: 50-64, 3: 65+).
    A young graduate (Level 6+, under 30) not in a Level 4+ post leaves with chance
    grad_base + grad_scarce * scarcity; one in such a post with grad_base.
    Writes exit_code (0 stay, 1 retired, 2 migrated); leavers' posts are freed.
    """
    n = uid.shape[0]
    for i in prange(n):
        u = uid[i]
        a = age[i] + YEARS_PER_QUARTER
        age[i] = a
        exit_code[i] = STAY
        if a >= retirement_age:
            exit_code[i] = EXIT_RETIRED
        elif level[i] == 5 and a < YOUNG_GRADUATE_AGE_END:
            p = grad_base
            if not (status[i] == EMPLOYED and post_level[i] >= 4):
                p += grad_scarce * scarcity
            if uniform(seed, u, quarter, P_MIGRATION, 0) < p:
                exit_code[i] = EXIT_MIGRATED
        if exit_code[i] != STAY:
            continue
        band = 0 if a < PRIME_AGE_START else (
            1 if a < OLDER_AGE_START else (2 if a < WORKING_AGE_END else 3))
        r = uniform(seed, u, quarter, P_ACTIVITY, 0)
        if status[i] == INACTIVE:
            if r < to_active[level[i]]:
                status[i] = UNEMPLOYED
        elif r < to_inactive[band, level[i]]:
            status[i] = INACTIVE
            employer[i] = -1
            post_level[i] = -1
            wage[i] = 0.0


@njit(cache=True, parallel=True)
def draw_migrant_posts(seed, quarter, uid, post_cum, out_slot):
    """For each in-migrant (by uid), the unfilled post that drew them, from cumulative counts."""
    for i in prange(uid.shape[0]):
        out_slot[i] = pick_cum(post_cum, uniform(seed, uid[i], quarter, P_MIGRATION, 1))
