"""Wages: employers' offers by level band, local norms (isomorphism) and individual pay.

An employer's own offer for a post at band L is

    own[e, L] = base * sector_index[s] * (1 + premium[L]) * (1 + high_road_premium * hr[e])
                * (1 - deprivation_penalty * deprivation[d]) * (1 + idiosyncratic[e])

and its actual offer leans towards the local norm (headcount-weighted mean of own offers for the
same district, sector and band): offer = (1 - iso) * own + iso * norm. A worker's target pay is
the offer for their post, plus a share ``over_share`` of the premium of their own band over the
post's (partial return to over-qualification), plus a skill premium that a low-road employer
pays only a share ``low_road_share`` of (rising linearly to all of it at a high-road one).
Stayers close ``speed`` of the gap each quarter; new hires start at their target.
"""

from __future__ import annotations

from numba import njit, prange

from ecosim.model.state import EMPLOYED


@njit(cache=True)
def own_offers(base, sector_index, premium, hr_premium, deprivation, dep_penalty, emp_sector,
               emp_district, emp_high_road, emp_premium, out):
    """out[e, L]: the employer's own offer before isomorphism (GBP per year)."""
    n_e, n_l = out.shape
    for e in range(n_e):
        f = (base * sector_index[emp_sector[e]] * (1.0 + hr_premium * emp_high_road[e])
             * (1.0 - dep_penalty * deprivation[emp_district[e]]) * (1.0 + emp_premium[e]))
        for lv in range(n_l):
            out[e, lv] = f * (1.0 + premium[lv])


@njit(cache=True)
def local_norms(own, filled, emp_district, emp_sector, n_d, n_s, out_norm, out_weight):
    """Headcount-weighted mean of own offers by district, sector, band (serial: fixed order)."""
    n_e, n_l = own.shape
    out_norm[:, :, :] = 0.0
    out_weight[:, :, :] = 0.0
    for e in range(n_e):
        d = emp_district[e]
        s = emp_sector[e]
        for lv in range(n_l):
            w = filled[e, lv] + 1e-3  # tiny weight so empty employers still define a norm
            out_norm[d, s, lv] += w * own[e, lv]
            out_weight[d, s, lv] += w
    for d in range(n_d):
        for s in range(n_s):
            for lv in range(n_l):
                if out_weight[d, s, lv] > 0.0:
                    out_norm[d, s, lv] /= out_weight[d, s, lv]


@njit(cache=True)
def offers(own, norm, emp_district, emp_sector, iso, out):
    """out[e, L] = (1 - iso) * own + iso * norm[d, s, L]."""
    n_e, n_l = own.shape
    for e in range(n_e):
        for lv in range(n_l):
            nm = norm[emp_district[e], emp_sector[e], lv]
            if nm <= 0.0:
                nm = own[e, lv]
            out[e, lv] = (1.0 - iso) * own[e, lv] + iso * nm


@njit(cache=True, parallel=True)
def update_wages(quarter, status, employer, post_level, level, skill, last_hire_quarter,
                 offer, premium, emp_high_road, skill_premium, over_share, low_road_share,
                 speed, wage):
    """Move each worker's pay towards its target; zero for those not employed."""
    for i in prange(status.shape[0]):
        if status[i] != EMPLOYED:
            wage[i] = 0.0
            continue
        e = employer[i]
        p = post_level[i]
        hr = emp_high_road[e]
        over = over_share * (premium[level[i]] - premium[p]) / (1.0 + premium[p])
        over = max(over, 0.0)
        target = offer[e, p] * (1.0 + over) * (
            1.0 + skill_premium * (low_road_share + (1.0 - low_road_share) * hr)
            * (skill[i] - 0.5))
        if last_hire_quarter[i] == quarter or wage[i] <= 0.0:
            wage[i] = target
        else:
            wage[i] = wage[i] + speed * (target - wage[i])
