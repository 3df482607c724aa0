"""Qualification award: whether a completed course counts as a qualification.

Much entry-level and Level 1 learning is non-accredited or a component of a qualification
(a unit, an award, community learning), so it builds skill but does not change a learner's
highest qualification. A learner who completes a course to band ``Lc`` this quarter keeps the
band the course gave them with chance ``share[Lc]``; otherwise their band returns to what it was
before the course (sector and skill gains stay). A course whose awards are not recognised
everywhere (an uncertified provider's certificate, ``courses.recognition`` < 1) keeps the band
with chance ``share[Lc] * recognition``. The draw is keyed by (uid, quarter,
``LEARNING_DROPOUT``, k = 1): the same purpose as the completion itself, a different counter.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, uniform

P_AWARD = np.int64(Purpose.LEARNING_DROPOUT)
K_AWARD = np.int64(1)


@njit(cache=True, parallel=True)
def award(seed, quarter, uid, completed, course_level, level_before, level, share, recognition,
          out_awarded):
    """For every learner i with ``completed[i]`` (course band ``course_level[i]``): keep
    ``level[i]`` with chance ``share[course_level[i]] * recognition[i]`` (the recognition of
    the course learner i completed, 1 = full), else reset it to ``level_before[i]``.
    out_awarded[i] = True if the completion counts as a qualification."""
    for i in prange(uid.shape[0]):
        out_awarded[i] = False
        if not completed[i]:
            continue
        s = share[course_level[i]]
        if recognition[i] < 1.0:
            s = s * recognition[i]
        if s >= 1.0 or uniform(seed, uid[i], quarter, P_AWARD, K_AWARD) < s:
            out_awarded[i] = True
        else:
            level[i] = level_before[i]
