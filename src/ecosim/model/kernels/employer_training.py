"""Employer training and on-the-job learning.

An employer trains each worker this quarter with chance

    p[e] = base * hr[e] ** power * (1 - sensitivity * poaching_risk[e])

(absorptive capacity = high-road score; poaching risk = recent job-to-job quits). Training
closes ``gain * (a0 + (1 - a0) hr)`` of the worker's remaining skill gap (``a0`` =
``employers.low_road_absorption``); work itself closes ``ojt * (a0 + (1 - a0) hr)`` of it; time
out of work erodes skill by ``decay``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, uniform
from ecosim.model.state import EMPLOYED

P_TRAIN = np.int64(Purpose.EMPLOYER_TRAINING)


@njit(cache=True, parallel=True)
def train_and_learn(seed, quarter, uid, status, employer, skill, last_trained_quarter,
                    train_prob, emp_high_road, gain, ojt, decay, absorb_low, trained):
    """Update skills; trained[i] flags workers trained by their employer this quarter."""
    for i in prange(uid.shape[0]):
        trained[i] = False
        if status[i] == EMPLOYED:
            e = employer[i]
            hr = emp_high_road[e]
            absorb = absorb_low + (1.0 - absorb_low) * hr
            s = skill[i]
            if uniform(seed, uid[i], quarter, P_TRAIN, 0) < train_prob[e]:
                trained[i] = True
                last_trained_quarter[i] = quarter
                s = s + gain * absorb * (1.0 - s)
            s = s + ojt * absorb * (1.0 - s)
            skill[i] = min(1.0, s)
        else:
            skill[i] = skill[i] * (1.0 - decay)


@njit(cache=True)
def training_probability(emp_high_road, poaching_risk, base, power, sensitivity, out):
    """out[e]: chance each worker of employer e is trained this quarter."""
    for e in range(emp_high_road.shape[0]):
        p = base * emp_high_road[e] ** power * (1.0 - sensitivity * poaching_risk[e])
        out[e] = min(1.0, max(0.0, p))
