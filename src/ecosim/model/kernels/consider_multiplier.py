"""A per-learner multiplier on the chance of considering training (``funding.consider_multiplier``:
1 by default, each policy multiplies in its own factor each quarter, e.g. the 50+ programme's
outreach and an account scheme's prompt).

After ``training_decision.choose_considering`` and ``training_disposition.thin_by_level`` a
learner eligible to consider (not on a course, of age in [min_age, max_age)) considers with
chance ``p0 = share * ratio[level]``. With multiplier ``m`` the chance becomes
``p1 = min(1, m * p0)``: for ``m > 1`` a learner not yet considering starts to with chance
``(p1 - p0) / (1 - p0)``; for ``m < 1`` a considering learner keeps considering with chance
``m``. One draw keyed by (uid, quarter, ``CONSIDER_TRAINING``, k = 2), made only where
``m != 1``, so runs in which nobody has a multiplier draw nothing extra and stay identical.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, uniform

P_MULTIPLIER = np.int64(Purpose.CONSIDER_TRAINING)
K_MULTIPLIER = np.int64(2)


@njit(cache=True, parallel=True)
def apply_multiplier(seed, quarter, uid, course, age, level, min_age, max_age, share, ratio,
                     multiplier, considering):
    """Scale each learner's chance of considering training by ``multiplier[i]`` (in place)."""
    for i in prange(uid.shape[0]):
        m = multiplier[i]
        if m == 1.0 or course[i] >= 0 or age[i] < min_age or age[i] >= max_age:
            continue
        p0 = min(1.0, share * min(1.0, ratio[level[i]]))
        if m > 1.0:
            if considering[i] or p0 >= 1.0:
                continue
            p1 = min(1.0, m * p0)
            u = uniform(seed, uid[i], quarter, P_MULTIPLIER, K_MULTIPLIER)
            considering[i] = u < (p1 - p0) / (1.0 - p0)
        elif considering[i]:
            u = uniform(seed, uid[i], quarter, P_MULTIPLIER, K_MULTIPLIER)
            considering[i] = u < max(0.0, m)
