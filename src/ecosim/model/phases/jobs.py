"""Phase 6: separations (quits, layoffs where over target) and job matching in rounds
(``kernels/job_matching.py``); employers' wage offers are set first (``kernels/wages.py``)."""

from __future__ import annotations

import numpy as np

from ecosim.model.kernels import job_matching as kjob
from ecosim.model.kernels import vacancies as kvac
from ecosim.model.kernels import wages as kwage
from ecosim.model.state import N_LEVELS


def set_offers(model) -> None:
    """Employers' wage offers by band (own offer blended with the local norm)."""
    sc = model.scenario
    st = model.state
    emp = st.employers
    lm = sc.labour_market
    own = np.empty((emp.n, N_LEVELS))
    kwage.own_offers(lm.wage_level2_gbp, model.params["sector_wage_index"],
                     model.params["premia"], lm.high_road_premium, model.params["deprivation"],
                     lm.deprivation_wage_penalty, emp.sector, emp.district, emp.high_road,
                     emp.wage_premium, own)
    norm = st.market.local_norm
    weight = np.empty_like(norm)
    kwage.local_norms(own, emp.filled, emp.district, emp.sector, sc.n_districts, sc.n_sectors,
                      norm, weight)
    kwage.offers(own, norm, emp.district, emp.sector, lm.wage_isomorphism, emp.offer)


def run(model) -> None:
    sc = model.scenario
    st = model.state
    lm = sc.labour_market
    L = st.learners
    emp = st.employers
    q = np.int64(model.quarter)
    seed = model.seed
    c = st.counters
    # separations: turnover plus layoffs where filled posts exceed target by more than one
    f = emp.filled.astype(np.float64)
    layoff = np.where(f > 0, np.maximum(0.0, f - emp.target_posts - 1.0) / np.maximum(f, 1), 0.0)
    sep = np.empty(L.n, np.bool_)
    kjob.separations(seed, q, L.uid, L.status, L.employer, L.post_level, L.wage, emp.high_road,
                     sc.employers.turnover_rate, sc.employers.turnover_high_road_factor, layoff,
                     sep)
    c.separations = int(np.count_nonzero(sep))
    kvac.count_posts(L.employer, L.post_level, emp.n, emp.filled)
    kvac.open_vacancies(seed, q, emp.target_posts, emp.filled, emp.vacancies)
    emp.vacancies_posted = emp.vacancies.copy()
    set_offers(model)
    search = np.empty(L.n, np.bool_)
    kjob.choose_searchers(seed, q, L.uid, L.status, L.level, L.post_level,
                          lm.employed_search_rate, lm.overqualified_search_factor, search)
    searchers = np.flatnonzero(search)
    emp.hires[:] = 0
    emp.quits[:] = 0
    emp.poached[:] = 0
    shortage = np.zeros((emp.n, N_LEVELS), np.bool_)
    hires = j2j = 0
    travel = st.travel
    reach = np.exp(-travel / lm.local_search_decay_minutes) * (travel <= lm.max_commute_minutes)
    for rnd in range(lm.matching_rounds):
        if searchers.size == 0:
            break
        vac = emp.vacancies
        e_idx, l_idx = np.nonzero(vac > 0)
        if e_idx.size == 0:
            break
        d_idx = emp.district[e_idx]
        order = np.argsort(d_idx, kind="stable")  # by (district, employer, band): nonzero
        # already lists (employer, band) in order
        e_idx, l_idx, d_idx = e_idx[order], l_idx[order], d_idx[order]
        left = vac[e_idx, l_idx].astype(np.int64)
        seg_off = np.concatenate([[0], np.cumsum(np.bincount(d_idx, minlength=sc.n_districts))])
        post_cum = np.cumsum(left).astype(np.float64)
        v_d = np.bincount(d_idx, weights=left, minlength=sc.n_districts)
        dist_cum = np.cumsum(reach * v_d[None, :], axis=1)
        n_s = searchers.size
        A = lm.applications_per_searcher
        s_emp = e_idx.astype(np.int32)  # slot columns, shared by the three kernels
        s_lv = l_idx.astype(np.int8)
        s_sector = emp.sector[e_idx]
        s_offer = emp.offer[e_idx, l_idx]
        app_slot = np.empty((n_s, A), np.int64)
        app_util = np.empty((n_s, A), np.float64)
        kjob.applications(seed, q, rnd, searchers, L.uid, L.level, L.district, L.sector,
                          L.status, L.employer, L.wage, s_emp, s_lv, d_idx.astype(np.int16),
                          s_sector, s_offer, dist_cum, seg_off.astype(np.int64),
                          post_cum, travel, lm.max_commute_minutes,
                          lm.commute_cost_gbp_per_minute, lm.sector_switch_penalty_gbp,
                          lm.job_to_job_margin, lm.stretch_application_share,
                          model.params["application_noise_gbp"], lm.candidates_per_searcher,
                          A, app_slot, app_util)
        flag = np.zeros(e_idx.size, np.bool_)
        hired = np.empty(n_s, np.int64)
        kjob.select_and_accept(seed, q, rnd, searchers, L.uid, L.level, L.skill, app_slot,
                               app_util, s_emp, s_lv, left, emp.n, lm.employer_rank_level_weight,
                               lm.employer_rank_noise, flag, hired)
        h, m = kjob.apply_hires(q, searchers, hired, s_emp, s_lv, s_sector, s_offer, L.status,
                                L.employer, L.post_level,
                                L.sector, L.skill, L.wage, L.last_hire_quarter,
                                L.last_trained_quarter, lm.sector_skill_transfer, emp.quits,
                                emp.poached)
        hires += h
        j2j += m
        got = hired >= 0
        emp.hires += np.bincount(e_idx[hired[got]] * N_LEVELS + l_idx[hired[got]],
                                 minlength=emp.hires.size).reshape(emp.hires.shape).astype(
                                     emp.hires.dtype)
        vac[e_idx, l_idx] = left
        shortage[e_idx[flag], l_idx[flag]] = True
        searchers = searchers[~got]
    c.hires = hires
    c.job_to_job = j2j
    c.vacancies = int(emp.vacancies_posted.sum())
    c.filled = int(emp.hires.sum())
    emp.shortage = np.where(shortage, emp.vacancies, 0)
    c.shortage_vacancies = int(emp.shortage.sum())
    st.market.unfilled_by_employer = emp.vacancies.copy()
    kvac.count_posts(L.employer, L.post_level, emp.n, emp.filled)
    emp.headcount = emp.filled.sum(axis=1).astype(np.int32)
