"""Course allocation: learner-proposing deferred acceptance with seat capacities.

Learners propose to their ranked courses in order; a course holds at most its free seats,
keeping the applicants it prefers. Providers rank applicants by priority = ``fit_weight`` for a
learner ready for the course (one band below it, or Level 3 for a degree) plus a uid-keyed
uniform lottery; equal priorities go to the lower uid. The result is the learner-optimal stable
matching, so it does not depend on the order in which learners propose. A course with more
applicants than free seats keeps its held applicants in a binary min-heap (worst on top), so the
work is O(applications x log seats) there; a course with a place for every applicant takes them
without comparing (O(1) each).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import Purpose, uniform

P_RANK = np.int64(Purpose.PROVIDER_RANK)


@njit(cache=True, parallel=True)
def priorities(seed, quarter, applicants, uid, level, choices, c_level, fit_weight, out):
    """out[k, a]: the priority course ``choices[k, a]`` gives applicant k (row applicants[k])."""
    for k in prange(applicants.shape[0]):
        i = applicants[k]
        for a in range(choices.shape[1]):
            c = choices[k, a]
            if c < 0:
                out[k, a] = -np.inf
                continue
            lc = c_level[c]
            ready = level[i] == lc - 1 or (level[i] == 3 and lc == 5)
            fit = fit_weight if ready else 0.0
            out[k, a] = fit + uniform(seed, uid[i], quarter, P_RANK, c)


@njit(cache=True, inline="always")
def _worse(p1, u1, p2, u2):
    """True if (priority p1, uid u1) ranks below (p2, u2) at a course."""
    return p1 < p2 or (p1 == p2 and u1 > u2)


@njit(cache=True)
def _sift_down(hk, hp, hu, lo, n, pos):
    while True:
        left = 2 * pos + 1
        if left >= n:
            return
        m = left
        right = left + 1
        if right < n and _worse(hp[lo + right], hu[lo + right], hp[lo + left], hu[lo + left]):
            m = right
        if _worse(hp[lo + m], hu[lo + m], hp[lo + pos], hu[lo + pos]):
            hk[lo + m], hk[lo + pos] = hk[lo + pos], hk[lo + m]
            hp[lo + m], hp[lo + pos] = hp[lo + pos], hp[lo + m]
            hu[lo + m], hu[lo + pos] = hu[lo + pos], hu[lo + m]
            pos = m
        else:
            return


@njit(cache=True)
def _sift_up(hk, hp, hu, lo, pos):
    while pos > 0:
        parent = (pos - 1) // 2
        if _worse(hp[lo + pos], hu[lo + pos], hp[lo + parent], hu[lo + parent]):
            hk[lo + pos], hk[lo + parent] = hk[lo + parent], hk[lo + pos]
            hp[lo + pos], hp[lo + parent] = hp[lo + parent], hp[lo + pos]
            hu[lo + pos], hu[lo + parent] = hu[lo + parent], hu[lo + pos]
            pos = parent
        else:
            return


@njit(cache=True)
def deferred_acceptance(applicants, uid, choices, prio, seats_left, out_course, rejected):
    """Assign applicant k (row applicants[k]) to a course out_course[k] (-1 none) from their
    ranked ``choices[k]`` (-1 pads) with ``seats_left[c]`` places per course; ``prio[k, a]``
    is course choices[k, a]'s priority for k. rejected[c] += the proposals course c turned
    down (unmet demand)."""
    n, n_k = choices.shape
    n_c = seats_left.shape[0]
    cnt = np.zeros(n_c, np.int64)
    for k in range(n):
        for a in range(n_k):
            c = choices[k, a]
            if c >= 0:
                cnt[c] += 1
    off = np.zeros(n_c + 1, np.int64)
    for c in range(n_c):
        off[c + 1] = off[c] + min(cnt[c], max(seats_left[c], 0))
    hk = np.empty(off[n_c], np.int64)
    hp = np.empty(off[n_c], np.float64)
    hu = np.empty(off[n_c], np.int64)
    held = np.zeros(n_c, np.int64)
    nxt = np.zeros(n, np.int64)
    stack = np.empty(n, np.int64)
    for k in range(n):
        out_course[k] = -1
        stack[k] = n - 1 - k
    top = n
    while top > 0:
        top -= 1
        k = stack[top]
        u = uid[applicants[k]]
        while nxt[k] < n_k:
            a = nxt[k]
            c = choices[k, a]
            nxt[k] += 1
            if c < 0:
                nxt[k] = n_k
                break
            p = prio[k, a]
            lo = off[c]
            cap = off[c + 1] - lo
            if held[c] < cap:
                pos = held[c]
                hk[lo + pos] = k
                hp[lo + pos] = p
                hu[lo + pos] = u
                held[c] += 1
                if cnt[c] > cap:  # a course with places for every applicant never compares
                    _sift_up(hk, hp, hu, lo, pos)
                out_course[k] = c
                break
            rejected[c] += 1
            if cap > 0 and _worse(hp[lo], hu[lo], p, u):
                loser = hk[lo]
                hk[lo] = k
                hp[lo] = p
                hu[lo] = u
                _sift_down(hk, hp, hu, lo, cap, 0)
                out_course[k] = c
                out_course[loser] = -1
                stack[top] = loser
                top += 1
                break
