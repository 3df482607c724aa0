"""KPIs from the state arrays, for the region and each district, and the lagged market signals.

``compute(model)`` returns ``{metric: float64 array [1 + n_districts]}`` (index 0 = region).
Counts are scaled to people (x persons_per_agent); rates and shares are not. Metrics with no
district meaning (policy spend, district gaps) are NaN on district rows. The DataCollector's
reporters read these arrays (see ``model.py``); no reporter loops over learners.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.kernels import district_counts as kcount
from ecosim.model.metrics_catalogue import METRICS
from ecosim.model.metrics_groups import compute_groups
from ecosim.model.policies import ledger as ledger_mod
from ecosim.model.state import (
    ADULT_AGE_START,
    EMPLOYED,
    N_LEVELS,
    UNEMPLOYED,
    WORKING_AGE_END,
)


def _grp(values, groups, n_groups, weights=None):
    """Sums by group: index 0 = all, 1.. = groups (district index + 1)."""
    g = np.bincount(groups, weights=weights, minlength=n_groups)
    out = np.empty(g.size + 1)
    out[1:] = g
    out[0] = out[1:].sum()
    return out


def _ratio(a, b):
    """a / b where b > 0, NaN elsewhere."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    out = np.full(a.shape if a.shape == b.shape else np.broadcast(a, b).shape, np.nan)
    np.divide(a, b, out=out, where=b > 0)
    return out


#: the quantiles np.percentile(w, [10, 50, 90]) computes
_PCT = [float(x) for x in np.true_divide([10, 50, 90], 100)]


def _pay_quantiles(w: np.ndarray) -> tuple[float, float, float, float]:
    """(p10, p50, p90, median) of ``w`` (size >= 1), equal bit for bit to
    ``np.percentile(w, [10, 50, 90])`` (linear method) and ``np.median(w)``, from one partition
    and scalar arithmetic in numpy's order (np.percentile's own overhead was most of the
    metrics' time at small sizes)."""
    n = w.size
    idx = []
    for q in _PCT:
        virt = (n - 1) * q
        if virt >= n - 1:
            idx.append((n - 1, n - 1, virt + 1.0))  # above the last index: the maximum
        else:
            lo = int(np.floor(virt))
            idx.append((lo, lo + 1, virt - lo))
    half = n // 2
    if n <= 4096:  # a sort is quicker than a partition at several places for small arrays
        part = np.sort(w)
    else:
        part = np.partition(w, sorted({k for a, b, _ in idx for k in (a, b)}
                                      | {half, max(half - 1, 0), n - 1}))
    if np.isnan(part[n - 1]):  # NaN sorts last: numpy then returns NaN
        return np.nan, np.nan, np.nan, np.nan
    out = []
    for a_i, b_i, t in idx:
        a = float(part[a_i])
        b = float(part[b_i])
        diff = b - a
        out.append(b - diff * (1.0 - t) if t >= 0.5 else a + diff * t)
    med = float(part[half]) if n % 2 else (float(part[half - 1]) + float(part[half])) / 2.0
    return out[0], out[1], out[2], med


def _rolling(model, key: str, value: np.ndarray) -> np.ndarray:
    """Sum of the last 4 quarters of ``value`` (kept in state.history)."""
    h = model.state.history.setdefault(key, [])
    h.append(np.asarray(value, dtype=np.float64))
    if len(h) > 4:
        del h[0]
    return np.sum(h, axis=0)


def _base(model):
    """(district as int64, employed mask, their pay, pay quantiles of all, head counts)."""
    sc = model.scenario
    st = model.state
    L = st.learners
    C = st.courses
    P = st.providers
    d = L.district.astype(np.int64)
    emp = L.status == EMPLOYED
    we = L.wage[emp]
    q_all = _pay_quantiles(we) if we.size else None
    med_all = q_all[3] if we.size else 0.0
    prio = np.array([s.priority for s in sc.sectors], np.bool_)
    k = _counts(model, d, sc.labour_market.low_pay_threshold * med_all,
                prio[C.sector] if C.n else np.zeros(0, np.bool_),
                ~P.in_area[C.provider] if C.n else np.zeros(0, np.bool_))
    return d, emp, we, q_all, k


def _public_spend(model) -> float:
    """Public money paid this quarter: the sum of every policy's public flows."""
    spend = 0.0
    for pol in model.policies:
        spend += ledger_mod.public_spend(pol.LEDGER, pol.ledger())
    return spend


def update_history(model) -> None:
    """Only what ``compute`` carries from quarter to quarter (the 4-quarter rolling flows in
    ``state.history``), for quarters whose KPIs nobody reads (``simulate``'s burn-in)."""
    D = model.scenario.n_districts
    k = _base(model)[4]
    _rolling(model, "spend", np.concatenate([[_public_spend(model)], np.zeros(D)]))
    _rolling(model, "completions", k["completions"])
    _rolling(model, "job_outcomes", k["job_outcome"])
    _rolling(model, "prog", k["he_progression"])
    _rolling(model, "l3c", k["l3_completions"])


def compute(model) -> dict[str, np.ndarray]:
    sc = model.scenario
    st = model.state
    L = st.learners
    E = st.employers
    C = st.courses
    P = st.providers
    D = sc.n_districts
    ppa = sc.run.persons_per_agent
    out: dict[str, np.ndarray] = {}

    d, emp, we, q_all, k = _base(model)
    n_wa = k["wa"]
    out["population"] = _grp(None, d, D) * ppa
    out["working_age_population"] = n_wa * ppa
    out["share_no_qualifications"] = _ratio(k["wa_l0"], n_wa)
    out["share_level2_plus"] = _ratio(k["wa_l2p"], n_wa)
    out["share_level3_plus"] = _ratio(k["wa_l3p"], n_wa)
    out["share_level4_plus"] = _ratio(k["wa_l4p"], n_wa)
    n_emp_wa = k["wa_emp"]
    out["employed"] = k["emp"] * ppa
    out["employment_rate"] = _ratio(n_emp_wa, n_wa)
    out["unemployment_rate"] = _ratio(k["wa_une"], n_emp_wa + k["wa_une"])
    out["inactivity_rate"] = _ratio(k["wa_inactive"], n_wa)

    ed = E.district.astype(np.int64)
    vac = _grp(None, ed, D, E.vacancies_posted.sum(axis=1))
    hires = _grp(None, ed, D, E.hires.sum(axis=1))
    ssv = _grp(None, ed, D, E.shortage.sum(axis=1))
    out["vacancies"] = vac * ppa
    out["vacancies_unfilled"] = _grp(None, ed, D, E.vacancies.sum(axis=1)) * ppa
    out["hires"] = hires * ppa
    out["vacancy_fill_rate"] = _ratio(hires, vac)
    out["skills_shortage_vacancies"] = ssv * ppa
    out["skills_shortage_share"] = _ratio(ssv, vac)

    # participation in learning
    for name, grp in (("participation_rate_adult", "adult"),
                      ("participation_rate_low_qualified", "lowq"),
                      ("participation_rate_50_plus", "age50"),
                      ("participation_rate_low_paid", "adult_lowpaid")):
        out[name] = _ratio(k[grp + "_part"], k[grp])
    out["enrolled"] = k["on"] * ppa
    compl = k["completions"]
    out["starts"] = k["starts"] * ppa
    out["completions"] = compl * ppa
    nf = k["f"]
    out["funded_enrolled"] = nf * ppa
    out["funded_share_level1"] = _ratio(k["f_cl1"], nf)
    out["funded_share_level2"] = _ratio(k["f_cl2"], nf)
    out["funded_share_level3"] = _ratio(k["f_cl3"], nf)
    out["funded_share_level4_plus"] = _ratio(k["f_cl4p"], nf)
    out["funded_share_priority_sectors"] = _ratio(k["f_prio"], nf)
    _learning_flows(model, out, k)

    # money
    spend = _public_spend(model)
    nan_d = np.full(D, np.nan)
    out["public_spend_gbp"] = np.concatenate([[spend], nan_d])
    bal = _grp(None, d, D, L.balance)
    out["account_balance_total_gbp"] = bal * ppa
    out["account_balance_mean_gbp"] = _ratio(bal, _grp(None, d, D))
    spend4 = _rolling(model, "spend", np.concatenate([[spend], np.zeros(D)]))
    compl4 = _rolling(model, "completions", compl)
    outc4 = _rolling(model, "job_outcomes", k["job_outcome"])
    cpq = _ratio(spend4, compl4 * ppa)
    cpj = _ratio(spend4, outc4 * ppa)
    cpq[1:] = np.nan
    cpj[1:] = np.nan
    out["cost_per_qualification_gbp"] = cpq
    out["cost_per_job_outcome_gbp"] = cpj

    # pay and output
    de = d[emp]
    le = L.level[emp]
    n_e = _grp(None, de, D)
    out["mean_wage_gbp"] = _ratio(_grp(None, de, D, we), n_e)
    # by workplace (the employer's district): where a district's own employers' pay shows
    dw = st.employers.district[L.employer[emp]]
    out["mean_wage_workplace_gbp"] = _ratio(_grp(None, dw, D, we), _grp(None, dw, D))
    med = np.full(D + 1, np.nan)
    p9010 = np.full(D + 1, np.nan)
    # the same stable order, from the int16 districts (numpy's radix sort: O(n))
    order = np.argsort(L.district[emp], kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(de, minlength=D))])
    for g in range(D + 1):
        w = we if g == 0 else we[order[bounds[g - 1]:bounds[g]]]
        if w.size:
            p10, p50, p90, _ = q_all if g == 0 else _pay_quantiles(w)
            med[g] = p50
            p9010[g] = p90 / p10 if p10 > 0 else np.nan
    out["median_wage_gbp"] = med
    out["wage_p90_p10"] = p9010
    out["low_paid_share"] = _ratio(k["lowpaid"], n_e)
    lm = sc.labour_market
    hr_i = E.high_road[L.employer[emp]] if emp.any() else np.zeros(0)
    output = we * (1.0 + lm.markup_low_road + (lm.markup_high_road - lm.markup_low_road) * hr_i)
    out["output_per_worker_gbp"] = _ratio(_grp(None, de, D, output), n_e)
    mean_by = {}
    cell = le.astype(np.int64) * D + de  # (band, district): sums in the employed's order
    pay_bd = np.bincount(cell, weights=we, minlength=N_LEVELS * D).reshape(N_LEVELS, D)
    n_bd = np.bincount(cell, minlength=N_LEVELS * D).reshape(N_LEVELS, D).astype(np.float64)
    for band in (0, 2, 3, 4, 5):
        mean_by[band] = _ratio(np.concatenate([[pay_bd[band].sum()], pay_bd[band]]),
                               np.concatenate([[n_bd[band].sum()], n_bd[band]]))
    for band, key in ((0, "none"), (3, "level3"), (4, "level4_5"), (5, "level6_plus")):
        out[f"pay_gap_{key}_vs_level2"] = mean_by[band] / mean_by[2] - 1.0

    c = st.counters
    ret_q = 1.0 - c.graduate_leavers / c.recent_graduates if c.recent_graduates else np.nan
    out["graduate_retention_rate"] = np.concatenate([[ret_q ** 4], nan_d])
    # FE -> HE progression
    out["fe_he_progression_rate"] = _ratio(_rolling(model, "prog", k["he_progression"]),
                                           _rolling(model, "l3c", k["l3_completions"]))
    # providers
    seats_p = np.bincount(C.provider, weights=C.seats, minlength=P.n) if C.n else np.zeros(P.n)
    enr_p = np.bincount(C.provider, weights=C.enrolled, minlength=P.n) if C.n else np.zeros(P.n)
    active = (seats_p > 0) | (enr_p > 0)
    pd = np.where(P.district >= 0, P.district, D).astype(np.int64)  # D = out of area
    pc = np.bincount(pd[active], minlength=D + 1).astype(np.float64)
    pq = np.bincount(pd[active], weights=(P.quality * seats_p)[active], minlength=D + 1)
    ps = np.bincount(pd[active], weights=seats_p[active], minlength=D + 1)
    out["provider_count"] = np.concatenate([[pc.sum()], pc[:D]])
    out["provider_quality_mean"] = _ratio(np.concatenate([[pq.sum()], pq[:D]]),
                                          np.concatenate([[ps.sum()], ps[:D]]))
    hc = E.headcount.astype(np.float64)
    out["employer_high_road_mean"] = _ratio(_grp(None, ed, D, hc * E.high_road),
                                            _grp(None, ed, D, hc))
    out["employer_training_rate"] = _ratio(_grp(None, ed, D, E.trained.astype(np.float64)),
                                           _grp(None, ed, D, hc))
    tcost = E.trained * sc.employers.training_cost_gbp * ppa
    out["employer_training_spend_gbp"] = _grp(None, ed, D, tcost)
    out["levy_payers"] = _grp(None, ed, D, E.levy_payer.astype(np.float64))

    def flow(key, total):
        arr = c.extra.get(key)
        dist = np.zeros(D) if arr is None else np.asarray(arr, dtype=np.float64)
        return np.concatenate([[float(total)], dist]) * ppa

    out["school_leavers"] = flow("school_by_district", c.entries_school)
    out["in_migrants"] = flow("migrants_by_district", c.entries_migrant)
    out["out_migrants"] = np.concatenate([[c.exits_migrant * ppa], nan_d])
    out["retirements"] = np.concatenate([[c.exits_retired * ppa], nan_d])
    l3 = out["share_level3_plus"][1:]
    er = out["employment_rate"][1:]
    out["district_gap_level3_plus"] = np.concatenate(
        [[np.nanmax(l3) - np.nanmin(l3) if D > 1 else 0.0], nan_d])
    out["district_gap_employment_rate"] = np.concatenate(
        [[np.nanmax(er) - np.nanmin(er) if D > 1 else 0.0], nan_d])
    out.update(compute_groups(model, d, participating(model)))
    return {k: np.asarray(out[k], dtype=np.float64) for k in METRICS}


def participating(model) -> np.ndarray:
    """Learners who took part in further education and skills in the last 4 quarters: on a
    course below degree level at any time in the window (the DfE annual participation count;
    the who-gains breakdowns in ``metrics_groups`` use it)."""
    L = model.state.learners
    return (L.last_fe_quarter >= 0) & (model.quarter - L.last_fe_quarter < 4)


def _learning_flows(model, out, k) -> None:
    """Learning metrics from this quarter's flows: dropouts, Level 3+ completions and
    attainment, places and fill, and publicly funded starts by level, sector and area."""
    sc = model.scenario
    st = model.state
    C = st.courses
    P = st.providers
    D = sc.n_districts
    ppa = sc.run.persons_per_agent
    extra = st.counters.extra

    def flow(key):
        arr = extra.get(key)
        dist = np.zeros(D) if arr is None else np.asarray(arr, dtype=np.float64)
        return np.concatenate([[dist.sum()], dist]) * ppa

    out["dropouts"] = flow("dropouts_by_district")
    out["attained_level3_plus"] = flow("attained_level3_by_district")
    out["completions_level3_plus"] = k["completions_l3p"] * ppa
    nan_d = np.full(D, np.nan)
    for key, band in (("level4_5", 4), ("level6_plus", 5)):
        for name, counts in (("starts", "adult_starts_by_course_band"),
                             ("qualifications", "adult_qualifications_by_band")):
            arr = extra.get(counts)
            total = 0.0 if arr is None else float(arr[band])
            out[f"adult_{name}_{key}"] = np.concatenate([[total * ppa], nan_d])
    L = st.learners
    q = model.quarter
    adult = (L.age >= ADULT_AGE_START) & (L.age < WORKING_AGE_END)
    recent = (L.course >= 0) | ((L.last_start_quarter >= 0) & (q - L.last_start_quarter < 4)) \
        | ((L.last_completion_quarter >= 0) & (q - L.last_completion_quarter < 4))
    d = L.district.astype(np.int64)
    out["participation_rate_adult_any_level"] = _ratio(
        _grp(None, d[adult & recent], D), _grp(None, d[adult], D))
    funded = (L.last_funded_fe_quarter >= 0) & (q - L.last_funded_fe_quarter < 4)
    out["participation_rate_adult_funded"] = _ratio(
        _grp(None, d[adult & funded], D), _grp(None, d[adult], D))
    # any learning: a course at any level or training by the employer (the Learning and Work
    # Institute's surveys count both)
    learned = recent | ((L.last_trained_quarter >= 0) & (q - L.last_trained_quarter < 4))
    lowq = adult & (L.level < 2)
    out["participation_rate_any_learning"] = _ratio(
        _grp(None, d[adult & learned], D), _grp(None, d[adult], D))
    out["participation_rate_any_learning_low_qualified"] = _ratio(
        _grp(None, d[lowq & learned], D), _grp(None, d[lowq], D))
    if C.n:
        where = np.where(C.district >= 0, C.district, P.district[C.provider]).astype(np.int64)
        local = (where >= 0) & ~C.online
        seats_d = np.bincount(where[local], weights=C.seats[local], minlength=D)
        taken = C.alloc_enrolled
        enr_d = np.bincount(where[local], weights=taken[local], minlength=D)
        seats = np.concatenate([[float(C.seats.sum())], seats_d])
        enr = np.concatenate([[float(taken.sum())], enr_d])
    else:
        seats = enr = np.zeros(D + 1)
    out["places"] = seats * ppa
    out["place_fill_rate"] = _ratio(enr, seats)
    nfs = k["fs"]
    out["funded_starts"] = nfs * ppa
    out["funded_starts_share_level1_and_below"] = _ratio(k["fs_cl1"], nfs)
    out["funded_starts_share_level3"] = _ratio(k["fs_cl3"], nfs)
    out["funded_starts_share_priority_sectors"] = _ratio(k["fs_prio"], nfs)
    out["funded_starts_share_priority_vocational"] = _ratio(k["fs_prio_cl2p"], nfs)
    out["funded_starts_share_out_of_area"] = _ratio(k["fs_out_of_area"], nfs)


def _counts(model, d, low_pay_line, c_priority, c_out_of_area) -> dict[str, np.ndarray]:
    """Every head-count indicator by district in one pass (``kernels.district_counts``):
    ``{name: float64[1 + n_districts]}``, index 0 = region."""
    L = model.state.learners
    fe = L.last_fe_quarter
    m = kcount.kpi_counts(np.int64(model.quarter), d, L.age, L.level, L.status, L.wage,
                          float(low_pay_line), L.course, L.funding_source,
                          L.last_start_quarter, L.last_completion_quarter,
                          L.last_completion_level, L.last_hire_quarter, fe,
                          model.state.courses.level, c_priority, c_out_of_area,
                          model.scenario.n_districts)
    return {name: m[r] for r, name in enumerate(kcount.INDICATORS)}


def refresh_market(model) -> None:
    """Lagged signals for next quarter's decisions (state.market)."""
    sc = model.scenario
    st = model.state
    L = st.learners
    E = st.employers
    S = sc.n_sectors
    m = st.market
    emp = L.status == EMPLOYED
    une = L.status == UNEMPLOYED
    cell = L.level.astype(np.int64) * S + L.sector.astype(np.int64)
    n_cells = N_LEVELS * S
    wsum = np.bincount(cell[emp], weights=L.wage[emp], minlength=n_cells)
    ne = np.bincount(cell[emp], minlength=n_cells).astype(np.float64)
    nu = np.bincount(cell[une], minlength=n_cells).astype(np.float64)
    lvl_e = ne.reshape(N_LEVELS, S).sum(axis=1)
    lvl_u = nu.reshape(N_LEVELS, S).sum(axis=1)
    lvl_w = wsum.reshape(N_LEVELS, S).sum(axis=1)
    overall_w = wsum.sum() / max(ne.sum(), 1.0)
    overall_e = ne.sum() / max(ne.sum() + nu.sum(), 1.0)
    m.wage_by_level = np.where(lvl_e > 0, lvl_w / np.maximum(lvl_e, 1), overall_w)
    m.employment_by_level = np.where(lvl_e + lvl_u > 0, lvl_e / np.maximum(lvl_e + lvl_u, 1),
                                     overall_e)
    w = np.where(ne > 0, wsum / np.maximum(ne, 1), 0.0).reshape(N_LEVELS, S)
    m.wage = np.where(w > 0, w, m.wage_by_level[:, None])
    er = (ne / np.maximum(ne + nu, 1)).reshape(N_LEVELS, S)
    m.employment = np.where((ne + nu).reshape(N_LEVELS, S) > 0, er,
                            m.employment_by_level[:, None])
    # by (band, sector): one bincount each, employers summed in order within every cell
    key = (np.arange(N_LEVELS)[:, None] * S + E.sector[None, :].astype(np.int64)).ravel()
    m.vacancies = np.bincount(key, weights=E.vacancies_posted.T.ravel(),
                              minlength=N_LEVELS * S).reshape(N_LEVELS, S)
    m.unfilled = np.bincount(key, weights=E.vacancies.T.ravel(),
                             minlength=N_LEVELS * S).reshape(N_LEVELS, S)
    # graduates looking for graduate work: the unemployed plus the share of under-employed ones
    # who search in a quarter (the over-qualified search rate, as in job matching)
    lm = sc.labour_market
    under = np.count_nonzero((L.level == 5) & emp & (L.post_level < 4))
    grad_seek = np.count_nonzero((L.level == 5) & une) + \
        min(1.0, lm.overqualified_search_factor * lm.employed_search_rate) * under
    grad_v = float(E.vacancies_posted[:, 4:].sum())
    m.graduate_scarcity = grad_seek / (grad_seek + grad_v) if grad_seek + grad_v > 0 else 0.0
