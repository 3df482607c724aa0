"""Employer upgrading on the low- to high-road scale.

Skill availability for employer e is a weighted mean of its district's Level 3+ vacancy fill
rate (weight ``employers.availability_fill_weight``) and its workforce's mean skill. Each
quarter the employer steps up with chance ``up * support[e] * availability`` (support =
business-support multiplier, 1 by default; set by policies) or down with chance
``down * (1 - availability)``, one draw keyed on the employer.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import EMPLOYER_UID_BASE, Purpose, uniform

P_UPGRADE = np.int64(Purpose.EMPLOYER_UPGRADE)
EMP_BASE = np.int64(EMPLOYER_UID_BASE)


@njit(cache=True, parallel=True)
def upgrade(seed, quarter, high_road, availability, support, up, down, step, moved):
    """Move employers up or down the high-road scale; moved[e] = +1, -1 or 0."""
    for e in prange(high_road.shape[0]):
        a = min(1.0, max(0.0, availability[e]))
        p_up = min(1.0, up * support[e] * a)
        p_down = min(1.0 - p_up, down * (1.0 - a))
        u = uniform(seed, EMP_BASE + e, quarter, P_UPGRADE, 0)
        moved[e] = 0
        if u < p_up:
            if high_road[e] < 1.0:
                high_road[e] = min(1.0, high_road[e] + step)
                moved[e] = 1
        elif u >= 1.0 - p_down:
            if high_road[e] > 0.0:
                high_road[e] = max(0.0, high_road[e] - step)
                moved[e] = -1


@njit(cache=True)
def availability(emp_district, district_fill, mean_skill, fill_weight, out):
    """out[e] = fill_weight * fill rate of Level 3+ posts in e's district + (1 - fill_weight)
    * mean workforce skill."""
    for e in range(emp_district.shape[0]):
        out[e] = fill_weight * district_fill[emp_district[e]] + \
            (1.0 - fill_weight) * mean_skill[e]
