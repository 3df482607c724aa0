"""Jobs: separations, who searches, applications, employer selection and acceptance.

Matching is O(applications): each searcher looks at ``C`` vacancies drawn from a distance-decay
distribution over districts and, within a district, uniformly over open posts (a look-up table
from post to slot), and applies to the best ``A`` of them. Employers rank qualified applicants
(level band >= the post's) by skill, level and a counter-based taste draw and offer their open
posts to the best (a bounded heap per post: O(applicants x log posts)); a searcher with several
offers takes the one they value most. Unqualified "stretch" applications are rejected and mark
the post as a skills-shortage vacancy.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.kernels.top_k import insert_ranked
from ecosim.model.rng import (
    EMPLOYER_UID_BASE,
    GUMBEL_MAX,
    Purpose,
    gumbel,
    gumbel_of,
    gumbel_upper,
    uniform,
)
from ecosim.model.state import EMPLOYED, INACTIVE, UNEMPLOYED  # noqa: F401

P_SEARCH = np.int64(Purpose.JOB_SEARCH)
P_CAND = np.int64(Purpose.JOB_CANDIDATE)
P_RANK = np.int64(Purpose.EMPLOYER_RANK)
P_SEP = np.int64(Purpose.JOB_SEPARATION)
P_EMP = np.int64(Purpose.INIT_EMPLOYER)
EMP_BASE = np.int64(EMPLOYER_UID_BASE)


@njit(cache=True, parallel=True)
def assign_initial_jobs(seed, uid, district, sector, emp_idx, sector_off, cum, out_employer):
    """Initial employer of each employed learner: within their sector, an employer drawn with
    weight size x distance decay from the learner's district. ``cum[D, total]`` holds, for each
    residence district, cumulative weights over ``emp_idx[sector_off[s]:sector_off[s+1]]``
    (restarting at each sector)."""
    for i in prange(uid.shape[0]):
        s = sector[i]
        lo = sector_off[s]
        hi = sector_off[s + 1]
        if hi <= lo:
            out_employer[i] = -1
            continue
        base = cum[district[i], lo - 1] if lo > 0 else 0.0
        top = cum[district[i], hi - 1]
        x = base + (top - base) * uniform(seed, uid[i], 0, P_EMP, 0)
        a, b = lo, hi
        while a < b:
            mid = (a + b) // 2
            if cum[district[i], mid] > x:
                b = mid
            else:
                a = mid + 1
        j = min(a, hi - 1)
        out_employer[i] = emp_idx[j]


@njit(cache=True, parallel=True)
def separations(seed, quarter, uid, status, employer, post_level, wage, emp_high_road,
                turnover, high_road_factor, layoff, separated):
    """Quits to non-employment and layoffs. layoff[e, L]: extra separation chance at posts over
    target. Separated workers become unemployed; separated[i] flags them."""
    for i in prange(uid.shape[0]):
        separated[i] = False
        if status[i] != EMPLOYED:
            continue
        e = employer[i]
        hr = emp_high_road[e]
        p = turnover * (1.0 - (1.0 - high_road_factor) * hr) + layoff[e, post_level[i]]
        if uniform(seed, uid[i], quarter, P_SEP, 0) < p:
            separated[i] = True
            status[i] = UNEMPLOYED
            employer[i] = -1
            post_level[i] = -1
            wage[i] = 0.0


@njit(cache=True, parallel=True)
def choose_searchers(seed, quarter, uid, status, level, post_level, employed_rate,
                     overqualified_factor, out):
    """out[i] = True if learner i searches this quarter: all unemployed; employed with
    ``employed_rate`` (``overqualified_factor`` times that, at most 1, if over-qualified for
    their post)."""
    for i in prange(uid.shape[0]):
        s = status[i]
        if s == UNEMPLOYED:
            out[i] = True
        elif s == EMPLOYED:
            r = employed_rate
            if post_level[i] < level[i]:
                r = min(1.0, overqualified_factor * r)
            out[i] = uniform(seed, uid[i], quarter, P_SEARCH, 0) < r
        else:
            out[i] = False


@njit(cache=True)
def post_owner(post_cum):
    """owner[p] = the first slot m with post_cum[m] > p, for posts p = 0 .. total (owner[total]
    = number of slots): the slot a uniform point on the cumulative posts falls in is then a
    table look-up instead of a binary search. Empty unless ``post_cum`` is a non-decreasing run
    of non-negative whole numbers (counts of posts), for which the look-up is exact."""
    n = post_cum.shape[0]
    empty = np.empty(0, np.int64)
    if n == 0 or not (post_cum[n - 1] >= 0.0 and post_cum[n - 1] <= 2.0 ** 26):
        return empty
    prev = 0.0
    for j in range(n):
        c = post_cum[j]
        if not (c >= prev and c == np.floor(c)):
            return empty
        prev = c
    total = np.int64(post_cum[n - 1])
    owner = np.empty(total + 1, np.int64)
    p = 0
    for j in range(n):
        c = np.int64(post_cum[j])
        while p < c:
            owner[p] = j
            p += 1
    owner[total] = n
    return owner


@njit(cache=True, parallel=True)
def applications(seed, quarter, rnd, searchers, uid, level, district, sector, status,
                 employer, wage, slot_emp, slot_level, slot_district, slot_sector, slot_offer,
                 dist_cum, seg_off, post_cum, travel, max_commute, commute_cost, switch_pen,
                 margin, stretch_share, noise_gbp, n_cand, n_apps, out_slot, out_util):
    """Each searcher draws ``n_cand`` candidate posts and keeps the best ``n_apps``.

    dist_cum[D, D]: cumulative chance of looking in each destination district from each home
    district. Slots are grouped by district: slots of district d are seg_off[d]:seg_off[d+1],
    and post_cum holds cumulative open posts (slot j holds posts post_cum[j - 1] ..
    post_cum[j]; whole numbers make the slot a table look-up). Writes
    out_slot[k, a] (-1 if unused) and the searcher's value of it out_util[k, a].
    """
    n_d = dist_cum.shape[0]
    bounded = noise_gbp >= 0.0  # the taste then grows with its uniform
    owner = post_owner(post_cum)
    n_owner = owner.shape[0]
    for k in prange(searchers.shape[0]):
        i = searchers[k]
        u = uid[i]
        d = district[i]
        for a in range(n_apps):
            out_slot[k, a] = -1
            out_util[k, a] = -np.inf
        if dist_cum[d, n_d - 1] <= 0.0:
            continue
        seen = np.empty(n_cand, np.int64)
        n_seen = 0
        cur = -np.inf
        if status[i] == EMPLOYED:
            cur = wage[i] * (1.0 + margin)
        for c in range(n_cand):
            kk = np.int64(rnd) * 4096 + c * 4
            x = uniform(seed, u, quarter, P_CAND, kk) * dist_cum[d, n_d - 1]
            dd = 0
            while dd < n_d - 1 and dist_cum[d, dd] <= x:
                dd += 1
            lo = seg_off[dd]
            hi = seg_off[dd + 1]
            if hi <= lo:
                continue
            top = post_cum[hi - 1]
            base = post_cum[lo - 1] if lo > 0 else 0.0
            if top - base <= 0.0:
                continue
            y = base + (top - base) * uniform(seed, u, quarter, P_CAND, kk + 1)
            if n_owner > 0:  # whole posts: the slot holding post floor(y)
                j = min(owner[min(np.int64(y), n_owner - 1)], hi - 1)
            else:
                a0, b0 = lo, hi
                while a0 < b0:
                    mid = (a0 + b0) // 2
                    if post_cum[mid] > y:
                        b0 = mid
                    else:
                        a0 = mid + 1
                j = min(a0, hi - 1)
            lv = slot_level[j]
            stretch = uniform(seed, u, quarter, P_CAND, kk + 2) < stretch_share
            if stretch:
                if lv != level[i] + 1:
                    continue
            elif lv > level[i]:
                continue
            if employer[i] == slot_emp[j]:
                continue
            t = travel[d, slot_district[j]]
            if t > max_commute:
                continue
            v = slot_offer[j] - commute_cost * t
            if slot_sector[j] != sector[i]:
                v -= switch_pen
            if slot_offer[j] - commute_cost * t < cur:  # employed: needs a pay rise
                continue
            # a post seen before counts once (its first sighting); then insert into the
            # top-n_apps list (kept sorted, descending; earlier sighting wins ties)
            dup = False
            for a in range(n_seen):
                if seen[a] == j:
                    dup = True
            if dup:
                continue
            seen[n_seen] = j
            n_seen += 1
            # the searcher's taste for the post: a post that cannot enter the list even with
            # the largest draw its uniform allows is dropped without the logs (same result)
            last = out_util[k, n_apps - 1]
            if bounded and v + noise_gbp * GUMBEL_MAX <= last:
                continue
            u_taste = uniform(seed, u, quarter, P_CAND, kk + 3)
            if bounded and v + noise_gbp * gumbel_upper(u_taste) <= last:
                continue
            v += noise_gbp * gumbel_of(u_taste)
            if v <= last:
                continue
            insert_ranked(out_slot, out_util, k, n_apps, j, v)


@njit(cache=True, inline="always")
def _offered_before(s1, u1, m1, s2, u2, m2):
    """True if applicant (score s1, uid u1, position m1) comes before (s2, u2, m2) in a post's
    offers: higher score, then lower uid, then earlier position (one scan per offer picks the
    applicants in this order)."""
    return s1 > s2 or (s1 == s2 and (u1 < u2 or (u1 == u2 and m1 < m2)))


@njit(cache=True)
def _heap_up(heap, lo, pos, score, app_uid):
    """Restore the heap of applications heap[lo:lo + pos + 1] (the worst offer on top)."""
    while pos > 0:
        par = (pos - 1) // 2
        a = heap[lo + pos]
        b = heap[lo + par]
        if _offered_before(score[b], app_uid[b], b, score[a], app_uid[a], a):  # a is worse
            heap[lo + pos] = b
            heap[lo + par] = a
            pos = par
        else:
            return


@njit(cache=True)
def _heap_down(heap, lo, n, score, app_uid):
    """Sift the top of the heap heap[lo:lo + n] down after it was replaced."""
    pos = 0
    while True:
        w = pos
        for c in (2 * pos + 1, 2 * pos + 2):
            if c < n:
                a = heap[lo + c]
                b = heap[lo + w]
                if _offered_before(score[b], app_uid[b], b, score[a], app_uid[a], a):
                    w = c  # the child is worse: it goes up
        if w == pos:
            return
        heap[lo + pos], heap[lo + w] = heap[lo + w], heap[lo + pos]
        pos = w


@njit(cache=True)
def select_and_accept(seed, quarter, rnd, searchers, uid, level, skill, app_slot, app_util,
                      slot_emp, slot_level, slot_left, n_employers, level_weight, rank_noise,
                      shortage_flag, hired_slot):
    """Employers offer open posts to their best qualified applicants (score = skill +
    ``level_weight`` x level band + ``rank_noise`` x a Gumbel draw); searchers accept their
    best offer. Decrements slot_left, sets shortage_flag[j] when an unqualified applicant was
    turned away, and writes hired_slot[k] (slot accepted by searcher k, or -1)."""
    n_s, n_a = app_slot.shape
    n_slots = slot_emp.shape[0]
    # counting sort of applications by slot
    counts = np.zeros(n_slots + 1, np.int64)
    for k in range(n_s):
        for a in range(n_a):
            j = app_slot[k, a]
            if j >= 0:
                counts[j + 1] += 1
    for j in range(n_slots):
        counts[j + 1] += counts[j]
    fill = counts[:-1].copy()
    tot = counts[n_slots]
    app_k = np.empty(tot, np.int64)
    app_a = np.empty(tot, np.int64)
    # the applicant's uid, level and skill copied next to each application while searchers
    # are read in order (the per-post pass below then reads no learner column at random)
    app_uid = np.empty(tot, np.int64)
    app_lv = np.empty(tot, level.dtype)
    app_skill = np.empty(tot, np.float64)
    for k in range(n_s):
        i = searchers[k]
        for a in range(n_a):
            j = app_slot[k, a]
            if j >= 0:
                f = fill[j]
                app_k[f] = k
                app_a[f] = a
                app_uid[f] = uid[i]
                app_lv[f] = level[i]
                app_skill[f] = skill[i]
                fill[j] += 1
    offered = np.zeros((n_s, n_a), np.bool_)
    score = np.empty(tot, np.float64)
    heap = np.empty(tot, np.int64)
    for j in range(n_slots):
        lo = counts[j]
        hi = counts[j + 1]
        if hi <= lo or slot_left[j] <= 0:
            continue
        lv = slot_level[j]
        key = np.int64(rnd) * 8388608 + np.int64(slot_emp[j]) * 6 + lv
        n_q = 0
        plain = True  # every qualified score is a number above -inf
        for m in range(lo, hi):
            if app_lv[m] >= lv:
                score[m] = app_skill[m] + level_weight * app_lv[m] + rank_noise * gumbel(
                    seed, app_uid[m], quarter, P_RANK, key)
                n_q += 1
                plain = plain and score[m] > -np.inf
            else:
                score[m] = -np.inf
                shortage_flag[j] = True
        # offer to the best min(slot_left, n_q) qualified applicants (ties by uid)
        n_off = min(slot_left[j], n_q)
        if plain and n_off == n_q:  # every qualified applicant gets an offer
            for m in range(lo, hi):
                if score[m] > -np.inf:
                    offered[app_k[m], app_a[m]] = True
            continue
        if plain:  # the n_off best, kept in a heap with the worst on top: O(n log n_off)
            h = 0
            for m in range(lo, hi):
                if score[m] == -np.inf:
                    continue
                if h < n_off:
                    heap[lo + h] = m
                    _heap_up(heap, lo, h, score, app_uid)
                    h += 1
                elif _offered_before(score[m], app_uid[m], m, score[heap[lo]],
                                     app_uid[heap[lo]], heap[lo]):
                    heap[lo] = m
                    _heap_down(heap, lo, h, score, app_uid)
            for t in range(h):
                m = heap[lo + t]
                offered[app_k[m], app_a[m]] = True
            continue
        for _ in range(n_off):  # (scores that are not plain numbers: one scan per offer)
            best = -1
            for m in range(lo, hi):
                if score[m] == -np.inf:
                    continue
                if best < 0 or score[m] > score[best] or (
                        score[m] == score[best] and app_uid[m] < app_uid[best]):
                    best = m
            offered[app_k[best], app_a[best]] = True
            score[best] = -np.inf
    for k in range(n_s):
        hired_slot[k] = -1
        best_a = -1
        for a in range(n_a):  # app lists are sorted by the searcher's value, best first
            if offered[k, a]:
                best_a = a
                break
        if best_a >= 0:
            j = app_slot[k, best_a]
            hired_slot[k] = j
            slot_left[j] -= 1


@njit(cache=True)
def apply_hires(quarter, searchers, hired_slot, slot_emp, slot_level, slot_sector, slot_offer,
                status, employer, post_level, sector, skill, wage, last_hire_quarter,
                last_trained_quarter, skill_transfer, quits, poached):
    """Move hired searchers into their new posts; count quits (and poached trainees) at the
    employers they leave. Returns (hires, job_to_job moves)."""
    hires = 0
    j2j = 0
    for k in range(searchers.shape[0]):
        j = hired_slot[k]
        if j < 0:
            continue
        i = searchers[k]
        old = employer[i]
        if old >= 0:
            j2j += 1
            quits[old] += 1
            if last_trained_quarter[i] >= 0 and quarter - last_trained_quarter[i] <= 4:
                poached[old] += 1
        hires += 1
        status[i] = EMPLOYED
        employer[i] = slot_emp[j]
        post_level[i] = slot_level[j]
        if sector[i] != slot_sector[j]:
            sector[i] = slot_sector[j]
            skill[i] = skill[i] * skill_transfer
        wage[i] = slot_offer[j]
        last_hire_quarter[i] = quarter
    return hires, j2j
