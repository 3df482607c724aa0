"""Jobs: separations, who searches, applications, employer selection and acceptance.

Matching is O(applications): each searcher looks at ``C`` vacancies drawn from a distance-decay
distribution over districts and, within a district, uniformly over open posts (binary search in
cumulative counts), and applies to the best ``A`` of them. Employers rank qualified applicants
(level band >= the post's) by skill, level and a counter-based taste draw and offer their open
posts to the best; a searcher with several offers takes the one they value most. Unqualified
"stretch" applications are rejected and mark the post as a skills-shortage vacancy.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ecosim.model.rng import EMPLOYER_UID_BASE, Purpose, gumbel, uniform

P_SEARCH = np.int64(Purpose.JOB_SEARCH)
P_CAND = np.int64(Purpose.JOB_CANDIDATE)
P_RANK = np.int64(Purpose.EMPLOYER_RANK)
P_SEP = np.int64(Purpose.JOB_SEPARATION)
P_EMP = np.int64(Purpose.INIT_EMPLOYER)
EMP_BASE = np.int64(EMPLOYER_UID_BASE)
EMPLOYED, UNEMPLOYED, INACTIVE = 0, 1, 2


@njit(parallel=True)
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


@njit(parallel=True)
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


@njit(parallel=True)
def choose_searchers(seed, quarter, uid, status, level, post_level, employed_rate, out):
    """out[i] = True if learner i searches this quarter: all unemployed; employed with
    ``employed_rate`` (three times that if over-qualified for their post)."""
    for i in prange(uid.shape[0]):
        s = status[i]
        if s == UNEMPLOYED:
            out[i] = True
        elif s == EMPLOYED:
            r = employed_rate
            if post_level[i] < level[i]:
                r = min(1.0, 3.0 * r)
            out[i] = uniform(seed, uid[i], quarter, P_SEARCH, 0) < r
        else:
            out[i] = False


@njit(parallel=True)
def applications(seed, quarter, rnd, searchers, uid, level, district, sector, status,
                 employer, wage, slot_emp, slot_level, slot_district, slot_sector, slot_offer,
                 dist_cum, seg_off, post_cum, travel, max_commute, commute_cost, switch_pen,
                 margin, stretch_share, noise_gbp, n_cand, n_apps, out_slot, out_util):
    """Each searcher draws ``n_cand`` candidate posts and keeps the best ``n_apps``.

    dist_cum[D, D]: cumulative chance of looking in each destination district from each home
    district. Slots are grouped by district: slots of district d are seg_off[d]:seg_off[d+1],
    and post_cum holds cumulative open posts restarting at each segment. Writes
    out_slot[k, a] (-1 if unused) and the searcher's value of it out_util[k, a].
    """
    n_d = dist_cum.shape[0]
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
            v += noise_gbp * gumbel(seed, u, quarter, P_CAND, kk + 3)
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
            if v <= out_util[k, n_apps - 1]:
                continue
            pos = n_apps - 1
            while pos > 0 and out_util[k, pos - 1] < v:
                out_slot[k, pos] = out_slot[k, pos - 1]
                out_util[k, pos] = out_util[k, pos - 1]
                pos -= 1
            out_slot[k, pos] = j
            out_util[k, pos] = v


@njit
def select_and_accept(seed, quarter, rnd, searchers, uid, level, skill, app_slot, app_util,
                      slot_emp, slot_level, slot_left, n_employers, shortage_flag, hired_slot):
    """Employers offer open posts to their best qualified applicants; searchers accept their
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
    for k in range(n_s):
        for a in range(n_a):
            j = app_slot[k, a]
            if j >= 0:
                app_k[fill[j]] = k
                app_a[fill[j]] = a
                fill[j] += 1
    offered = np.zeros((n_s, n_a), np.bool_)
    score = np.empty(tot, np.float64)
    for j in range(n_slots):
        lo = counts[j]
        hi = counts[j + 1]
        if hi <= lo or slot_left[j] <= 0:
            continue
        lv = slot_level[j]
        key = np.int64(rnd) * 8388608 + np.int64(slot_emp[j]) * 6 + lv
        n_q = 0
        for m in range(lo, hi):
            i = searchers[app_k[m]]
            if level[i] >= lv:
                score[m] = skill[i] + 0.15 * level[i] + 0.3 * gumbel(seed, uid[i], quarter,
                                                                     P_RANK, key)
                n_q += 1
            else:
                score[m] = -np.inf
                shortage_flag[j] = True
        # offer to the best min(slot_left, n_q) qualified applicants (ties by uid)
        n_off = min(slot_left[j], n_q)
        for _ in range(n_off):
            best = -1
            for m in range(lo, hi):
                if score[m] == -np.inf:
                    continue
                if best < 0 or score[m] > score[best] or (
                        score[m] == score[best]
                        and uid[searchers[app_k[m]]] < uid[searchers[app_k[best]]]):
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


@njit
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
