"""Employer training and on-the-job learning.

An employer trains each worker this quarter with chance

    p[e] = base * hr[e] ** power * (1 - sensitivity * poaching_risk[e])

(absorptive capacity = high-road score; poaching risk = recent job-to-job quits). Training
closes ``gain * (a0 + (1 - a0) hr)`` of the worker's remaining skill gap (``a0`` =
``employers.low_road_absorption``); work itself closes ``ojt * (a0 + (1 - a0) hr)`` of it; time
out of work erodes skill by ``decay``.

Employers also choose whom to put on provider training paid from their levy account or
co-funded by the state (apprenticeships; short courses where the levy allows): the same three
considerations, with the employer's expected retention of the worker. A worker ``i`` of
employer ``e`` who is not on a course is chosen this quarter with chance

    q[i] = rate[e] * hr[e] ** power * (1 - sensitivity * poaching_risk[e])
           * (1 - separation[e]) ** 4 * weight[i]

where ``rate`` is set by the apprenticeship policy (0 for every employer when it is off: no
draw is made), ``separation`` is the employer's quarterly chance of losing a worker to
non-employment (turnover, lower on the high road) and ``weight`` the worker's relative chance
(age, prior level and eligibility, also set by the policy). The draw is the training draw's
purpose with counter k = 1, so switching the policy on leaves every other draw unchanged.
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


K_PROVIDER_TRAINING = np.int64(1)


@njit(cache=True)
def provider_training_probability(emp_high_road, poaching_risk, rate, power, sensitivity,
                                  turnover, turnover_high_road_factor, out):
    """out[e]: chance a worker of weight 1 at employer e is chosen for levy or co-funded
    provider training this quarter (before the worker's weight)."""
    for e in range(emp_high_road.shape[0]):
        hr = emp_high_road[e]
        sep = turnover * (1.0 - (1.0 - turnover_high_road_factor) * hr)
        keep = max(0.0, 1.0 - sep) ** 4
        p = rate[e] * hr ** power * (1.0 - sensitivity * poaching_risk[e]) * keep
        out[e] = min(1.0, max(0.0, p))


@njit(cache=True, parallel=True)
def choose_for_provider_training(seed, quarter, uid, status, employer, course, weight,
                                 emp_prob, out_selected):
    """out_selected[i]: employed worker i, not on a course, with weight > 0, is chosen by
    their employer this quarter (chance emp_prob[employer] * weight, at most 1)."""
    for i in prange(uid.shape[0]):
        out_selected[i] = False
        if status[i] != 0 or course[i] >= 0 or weight[i] <= 0.0:
            continue
        p = emp_prob[employer[i]] * weight[i]
        if p > 0.0 and uniform(seed, uid[i], quarter, P_TRAIN, K_PROVIDER_TRAINING) < p:
            out_selected[i] = True
