"""Disposition to learn: the chance of considering training falls with prior qualification.

Adults with fewer qualifications are less likely to think of learning at all (the Learning and
Work Institute adult participation surveys: participation falls with prior attainment, and most
non-learners say nothing would encourage them). After ``training_decision.choose_considering``
picks who considers a course this quarter (chance ``share``), a learner at band ``l`` keeps
considering with chance ``ratio[l]``, so the chance of considering is ``share * ratio[l]``. The
draw is keyed by (uid, quarter, ``CONSIDER_TRAINING``, k = 1).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, uniform

P_DISPOSITION = np.int64(Purpose.CONSIDER_TRAINING)
K_DISPOSITION = np.int64(1)


@njit(cache=True, parallel=True)
def thin_by_level(seed, quarter, uid, level, ratio, considering):
    """considering[i] stays True with chance ``ratio[level[i]]`` (in place)."""
    for i in prange(uid.shape[0]):
        if considering[i]:
            r = ratio[level[i]]
            if r < 1.0:
                considering[i] = uniform(seed, uid[i], quarter, P_DISPOSITION, K_DISPOSITION) < r
