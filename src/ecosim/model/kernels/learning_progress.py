"""Learning progress and completion for learners on a course.

A learner with average motivation and no barriers completes a whole course at reference quality
with chance ``base``; in general the log-odds of completing are

    logit(P) = logit(base) + guidance_effect * (guidance - 0.5)
               + quality_effect * (quality - reference) + motivation_effect * m
               - barrier_effect * (care + transport),

(the guidance term is folded into ``base_logit`` by the caller), spread over the course's
``duration`` quarters as a quarterly dropout hazard ``h = 1 - P ** (1 / duration)``, less the
course's ``completion_bonus`` (recognised credit). A policy may set a learner's own quarterly
hazard instead (``course_hazard`` >= 0: apprenticeships, whose achievement rates are by level).
When ``course_left`` reaches 0 the learner completes: their band rises to the course's if
higher; a course in another sector moves a non-employed learner's sector and restarts their
skill at ``retraining_skill`` (a worker keeps their employer's sector and skill; the level gained
shows when they move job); then they close ``skill_gain * quality`` of their skill gap (low-quality
providers give smaller gains). Learners who started this quarter begin next quarter.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, uniform

P_DROP = np.int64(Purpose.LEARNING_DROPOUT)
NONE, CONTINUING, DROPPED, COMPLETED = 0, 1, 2, 3


@njit(cache=True)
def dropout_hazard(quality, motivation, care, transport, duration, bonus, base_logit,
                   reference, quality_effect, motivation_effect, barrier_effect):
    """Chance a learner drops out this quarter."""
    x = base_logit + quality_effect * (quality - reference) + motivation_effect * motivation \
        - barrier_effect * (care + transport)
    p_complete = 1.0 / (1.0 + np.exp(-x))
    h = 1.0 - p_complete ** (1.0 / max(duration, 1))
    return min(1.0, max(0.0, h - bonus))


@njit(cache=True, parallel=True)
def progress(seed, quarter, uid, course, course_left, level, sector, status, skill, motivation,
             barrier_care, barrier_transport, last_start_quarter, last_completion_level,
             last_completion_quarter, c_level, c_sector, c_duration, c_bonus, c_provider,
             p_quality, base_logit, reference, quality_effect, motivation_effect,
             barrier_effect, skill_gain, retraining_skill, course_hazard, out_event):
    """One quarter of learning; out_event[i] is NONE (not learning or just started),
    CONTINUING, DROPPED or COMPLETED. The caller updates course counters from out_event and
    the course each learner was on before the call."""
    for i in prange(uid.shape[0]):
        out_event[i] = NONE
        c = course[i]
        if c < 0 or last_start_quarter[i] == quarter:
            continue
        qual = p_quality[c_provider[c]]
        h = dropout_hazard(qual, motivation[i], barrier_care[i], barrier_transport[i],
                           c_duration[c], c_bonus[c], base_logit, reference, quality_effect,
                           motivation_effect, barrier_effect)
        if course_hazard[i] >= 0.0:
            h = course_hazard[i]
        if uniform(seed, uid[i], quarter, P_DROP, 0) < h:
            out_event[i] = DROPPED
            course[i] = -1
            course_left[i] = 0
            continue
        left = course_left[i] - 1
        if left > 0:
            course_left[i] = left
            out_event[i] = CONTINUING
            continue
        out_event[i] = COMPLETED
        course[i] = -1
        course_left[i] = 0
        lc = c_level[c]
        last_completion_level[i] = lc
        last_completion_quarter[i] = quarter
        if lc > level[i]:
            level[i] = lc
        s = skill[i]
        if c_sector[c] != sector[i]:
            if status[i] == 0:
                continue  # a worker's sector is their employer's until they move job
            sector[i] = c_sector[c]
            s = retraining_skill

        s = s + skill_gain * qual * (1.0 - s)
        skill[i] = min(1.0, max(0.0, s))
