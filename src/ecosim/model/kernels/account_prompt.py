"""Account prompt: a training account that can pay for a course makes its holder think of one.

Holding money earmarked for training, shown on a statement or an app, is itself a prompt to
learn: England's Individual Learning Accounts drew 2.6 million account holders and about three
in five of the learning they paid for would not have happened otherwise (York Consulting for
DfES, RR294, 2001: "around two-fifths may have been able to pay for, or undertake anyway"); a
price cut alone moves only those who already consider a course. After
``training_decision.choose_considering`` and ``training_disposition.thin_by_level`` have
picked who considers training this quarter (chance ``p0 = share * ratio[level]``), a learner
with an account uplift ``u > 0`` who is not yet considering, not on a course and of age in
[``min_age``, ``max_age``) starts considering with chance ``p0 * u / (1 - p0)``, so that their
chance of considering is ``min(1, p0 * (1 + u))``. The draw is keyed by (uid, quarter,
``CONSIDER_TRAINING``, k = 2), apart from the two draws before it, so learners without an
uplift draw exactly as they would without the accounts.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, uniform

P_PROMPT = np.int64(Purpose.CONSIDER_TRAINING)
K_PROMPT = np.int64(2)


@njit(cache=True, parallel=True)
def prompt(seed, quarter, uid, course, age, level, min_age, max_age, share, ratio, uplift,
           considering):
    """Raise learner i's chance of considering training to ``min(1, p0 * (1 + uplift[i]))``,
    ``p0 = share * ratio[level[i]]`` (in place on ``considering``)."""
    for i in prange(uid.shape[0]):
        u = uplift[i]
        if u <= 0.0 or considering[i] or course[i] >= 0 or age[i] < min_age or \
                age[i] >= max_age:
            continue
        p0 = share * min(ratio[level[i]], 1.0)
        if p0 <= 0.0:
            continue
        x = 1.0 if p0 >= 1.0 else min(1.0, p0 * u / (1.0 - p0))
        considering[i] = uniform(seed, uid[i], quarter, P_PROMPT, K_PROMPT) < x
