"""Build the initial :class:`~ecosim.model.state.State` from a scenario (quarter 0).

Every random attribute is a counter-based draw keyed on the agent's uid and quarter 0, so the
state does not depend on construction order. Learners are created district by district with
consecutive uids.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ecosim.model import rng
from ecosim.model.kernels import demography as kdem
from ecosim.model.kernels import job_matching as kjob
from ecosim.model.kernels import vacancies as kvac
from ecosim.model.state import (
    COURSE_SPEC,
    EMPLOYED,
    EMPLOYER_LEVEL_COLS,
    EMPLOYER_SPEC,
    KIND_COLLEGE,
    KIND_UNIVERSITY,
    LEARNER_SPEC,
    N_LEVELS,
    OLDER_AGE_START,
    PRIME_AGE_START,
    PROVIDER_SPEC,
    WORKING_AGE_END,
    Counters,
    Funding,
    Market,
    State,
    Table,
)
from ecosim.scenario.schema import LEVEL_KEYS, Scenario

P_EMP_ATTR = int(rng.Purpose.INIT_EMPLOYER_ATTR)


def age_span_factor(sc: Scenario) -> float:
    """Residents 16..retirement per resident 16-64 (flat age profile; assumption)."""
    lo = sc.learners.min_age
    return (sc.learners.retirement_age - lo) / (WORKING_AGE_END - lo)


def sector_level_weights(sc: Scenario) -> np.ndarray:
    """w[L, S] = employment share of S x share of S's jobs at band L (jobs by band and sector)."""
    share = np.array([s.employment_share for s in sc.sectors])
    mix = np.array([s.level_mix.as_array() for s in sc.sectors])  # [S, L]
    w = (share[:, None] * mix).T
    # a band no sector asks for still needs somewhere to work: fall back to employment shares
    empty = w.sum(axis=1) <= 0
    w[empty] = share
    return w


def transport_means(sc: Scenario) -> np.ndarray:
    """Mean transport barrier by district: higher where deprived or spread out (assumption)."""
    dep = np.array([d.deprivation for d in sc.region.districts])
    diag = np.diag(np.asarray(sc.region.travel_minutes, dtype=np.float64))
    raw = 0.5 + dep + diag / 60.0
    return sc.learners.barrier_transport_mean * raw / raw.mean()


def activity_rates(sc: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """to_active[L] and to_inactive[band, L] per quarter, keeping inactivity near its targets.

    Both scale with the employment rate of a resident's band relative to ``rbar``, the rate of
    the region's initial 16-64 population (bands weighted by the districts' level mixes), so
    the flows balance at the target inactivity shares at the start, and inactivity then moves
    only as qualifications and ages change (a fixed 0.72 had set the flows out of balance and
    raised the employment rate by about 4 points over ten years)."""
    a = sc.learners.inactivity_exit_rate
    pi = np.clip(sc.learners.inactivity_share.as_array(), 0.0, 0.95)
    r = sc.learners.employment_by_level.as_array()
    pop = np.array([d.working_age_population for d in sc.region.districts], dtype=np.float64)
    mix = np.array([d.level_mix.as_array() for d in sc.region.districts])
    rbar = float((pop @ mix) @ r / max(pop.sum(), 1.0))
    to_active = np.clip(a * r / rbar, 0.0, 1.0)
    c_band = a * pi / (1.0 - pi)
    lvl = (1.0 - r) / (1.0 - rbar)
    to_inactive = np.clip(c_band[:, None] * lvl[None, :], 0.0, 1.0)
    return to_active, to_inactive


def age_band_weights(age_lo: float, age_hi: float) -> np.ndarray:
    """Share of ages drawn uniformly in [age_lo, age_hi) that fall in each activity age band."""
    edges = np.array([age_lo, PRIME_AGE_START, OLDER_AGE_START, WORKING_AGE_END, age_hi])
    edges = np.clip(edges, age_lo, age_hi)
    return np.diff(edges) / max(age_hi - age_lo, 1e-9)


def initial_status_rates(sc: Scenario, mix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(p_emp, p_unemp) ``[D, 6, 4]`` for the initial population: the chance of being employed,
    and of being unemployed if not, by district, level and activity age band.

    The activity flows (``activity_rates``) settle at an inactive share whose odds are the age
    band's target odds (``learners.inactivity_share``) times the level's relative odds of not
    being in work; the initial population is drawn from that pattern, scaled so that each
    district's employment rate is its APS rate. Drawn without age, every age band started at
    the district rate (25% inactive at 16-24 and at 65-66 alike) and drifted to the targets
    over the first years of the run."""
    to_active, to_inactive = activity_rates(sc)
    odds = to_inactive / np.maximum(to_active[None, :], 1e-12)  # [band, level]
    active = 1.0 / (1.0 + odds)
    # the APS rates are of 16-64s: scale over the working-age bands only
    w_age = age_band_weights(sc.learners.min_age, min(sc.learners.retirement_age,
                                                      WORKING_AGE_END))
    e_d = np.array([d.employment_rate for d in sc.region.districts])
    mean_active = mix @ (w_age @ active)                          # [D]
    rel = active.T[None, :, :] / np.maximum(mean_active, 1e-12)[:, None, None]
    p_emp = np.clip(e_d[:, None, None] * rel, 0.0, 0.98)
    ur = sc.learners.unemployment_rate
    p_unemp = np.clip(ur / (1 - ur) * p_emp / (1 - p_emp), 0.0, 1.0)
    return p_emp, p_unemp


def draw_people(sc: Scenario, seed: np.uint64, quarter: int, uid: np.ndarray,
                district: np.ndarray, level_cum: np.ndarray, age_lo: float, age_hi: float,
                p_emp: np.ndarray, p_unemp: np.ndarray, skill_lo: float, skill_hi: float,
                fixed_level: np.ndarray | None = None, sector_cum: np.ndarray | None = None,
                transport: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Attributes of new residents (arrays keyed like learner columns). ``sector_cum`` and
    ``transport`` default to ``np.cumsum(sector_level_weights(sc), axis=1)`` and
    ``transport_means(sc)`` (pass them to avoid recomputing them each quarter)."""
    n = uid.size
    out = {
        "age": np.zeros(n), "level": np.zeros(n, np.int8), "status": np.zeros(n, np.int8),
        "sector": np.zeros(n, np.int8), "skill": np.zeros(n), "motivation": np.zeros(n),
        "barrier_care": np.zeros(n), "barrier_transport": np.zeros(n),
    }
    if n == 0:
        return out
    if sector_cum is None:
        sector_cum = np.cumsum(sector_level_weights(sc), axis=1)
    if transport is None:
        transport = transport_means(sc)
    fl = np.full(n, -1, np.int8) if fixed_level is None else fixed_level.astype(np.int8)
    kdem.draw_residents(seed, np.int64(quarter), uid, district.astype(np.int16), level_cum,
                        float(age_lo), float(age_hi), p_emp, p_unemp,
                        sc.learners.motivation_sd, sc.learners.barrier_care_mean,
                        transport, sector_cum, float(skill_lo), float(skill_hi),
                        float(sc.learners.skill_experience_years),
                        float(sc.learners.skill_experience_weight), fl,
                        out["age"], out["level"], out["status"], out["sector"], out["skill"],
                        out["motivation"], out["barrier_care"], out["barrier_transport"])
    return out


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers summing to ``total`` in proportion to ``weights`` (ties to the lower index)."""
    w = np.asarray(weights, dtype=np.float64)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(w.size, np.int64)
    x = total * w / w.sum()
    base = np.floor(x).astype(np.int64)
    rem = total - int(base.sum())
    order = np.lexsort((np.arange(w.size), -(x - base)))
    base[order[:rem]] += 1
    return base


def build_employers(sc: Scenario, seed: np.uint64) -> Table:
    n_e = sc.employers.n_agents
    n_s = sc.n_sectors
    emp = Table(n_e, EMPLOYER_SPEC)
    for name, col in EMPLOYER_LEVEL_COLS.items():
        emp.add(name, col.dtype, col.fill, shape=(N_LEVELS,))
    shares = np.array([s.employment_share for s in sc.sectors])
    per_sector = largest_remainder(n_e, shares)
    # at least one employer for every sector with jobs, if there are enough employers
    for s in np.flatnonzero((per_sector == 0) & (shares > 0)):
        if per_sector.max() > 1:
            per_sector[np.argmax(per_sector)] -= 1
            per_sector[s] += 1
    emp.sector = np.repeat(np.arange(n_s), per_sector).astype(np.int8)
    pop = np.array([d.working_age_population for d in sc.region.districts], dtype=np.float64)
    dcum = np.cumsum(pop)
    e_uid = rng.EMPLOYER_UID_BASE + np.arange(n_e, dtype=np.int64)
    u = np.array([[rng.uniform(seed, int(x), 0, P_EMP_ATTR, k) for k in range(4)]
                  for x in e_uid]).reshape(n_e, 4)
    emp.district = np.minimum(np.searchsorted(dcum, u[:, 0] * dcum[-1], side="right"),
                              len(pop) - 1).astype(np.int16)
    alpha = sc.employers.size_pareto_alpha
    emp.size_weight = np.minimum((1.0 - u[:, 1]) ** (-1.0 / alpha), 1e4)
    hr = stats.beta.ppf(u[:, 2], sc.employers.high_road_beta_a, sc.employers.high_road_beta_b)
    emp.high_road = np.clip(hr, 0.0, 1.0)
    emp.high_road0 = emp.high_road.copy()
    emp.wage_premium = 0.05 * stats.norm.ppf(np.clip(u[:, 3], 1e-12, 1 - 1e-12))
    return emp


def assign_jobs(sc: Scenario, seed: np.uint64, L: Table, emp: Table, travel: np.ndarray) -> None:
    """Give each employed learner an employer in their sector (size x distance decay)."""
    n_s = sc.n_sectors
    order = np.argsort(emp.sector, kind="stable").astype(np.int32)
    counts = np.bincount(emp.sector, minlength=n_s)
    sector_off = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    tau = sc.labour_market.local_search_decay_minutes
    w = emp.size_weight[order][None, :] * np.exp(-travel[:, emp.district[order]] / tau)
    cum = np.empty_like(w)
    for s in range(n_s):
        lo, hi = sector_off[s], sector_off[s + 1]
        if hi > lo:
            seg = np.cumsum(w[:, lo:hi], axis=1)
            cum[:, lo:hi] = seg + (cum[:, lo - 1][:, None] if lo > 0 else 0.0)
    # cumulative weights run across sectors so that each segment restarts from its base
    employed = np.flatnonzero(L.status == EMPLOYED)
    out = np.full(employed.size, -1, np.int32)
    kjob.assign_initial_jobs(seed, L.uid[employed], L.district[employed], L.sector[employed],
                             order, sector_off, cum, out)
    emp_arr = L.employer
    emp_arr[employed] = out
    lost = employed[out < 0]
    L.status[lost] = 1
    emp_arr[lost] = -1
    pl = L.post_level
    pl[:] = -1
    ok = emp_arr >= 0
    pl[ok] = L.level[ok]
    # a worker's sector is their employer's
    L.sector[ok] = emp.sector[emp_arr[ok]]


def build_providers(sc: Scenario) -> tuple[Table, Table]:
    dix = sc.region.district_index()
    provs = [(KIND_COLLEGE, p) for p in sc.providers.colleges] + \
            [(KIND_UNIVERSITY, p) for p in sc.providers.universities]
    P = Table(len(provs), PROVIDER_SPEC)
    rows: dict[str, list] = {k: [] for k in COURSE_SPEC}
    snames = [s.name for s in sc.sectors]
    ppa = sc.run.persons_per_agent
    for j, (kind, p) in enumerate(provs):
        P.kind[j] = kind
        P.district[j] = dix[p.district] if p.district is not None else -1
        P.in_area[j] = p.district is not None
        P.online[j] = p.online
        P.quality[j] = p.quality
        P.certified[j] = p.certified
        if p.sector_weights:
            sw = np.array([max(0.0, p.sector_weights.get(nm, 0.0)) for nm in snames])
        else:
            sw = np.ones(len(snames))
        seats = p.seats.as_array()
        for band in range(1, N_LEVELS):
            if seats[band] <= 0 or sw.sum() <= 0:
                continue
            per = largest_remainder(int(round(seats[band] / ppa)), sw)
            terms = sc.providers.course_terms.for_band(band)
            for s in np.flatnonzero(sw > 0):
                rows["provider"].append(j)
                rows["sector"].append(s)
                rows["level"].append(band)
                rows["seats"].append(per[s])
                rows["fee"].append(terms.fee_gbp)
                rows["delivery_cost"].append(terms.delivery_cost_gbp)
                rows["duration"].append(terms.duration_quarters)
                rows["glh"].append(terms.glh)
                rows["online"].append(p.online)
                rows["account_eligible"].append(p.certified)
    n_c = len(rows["provider"])
    C = Table(n_c, COURSE_SPEC)
    for k, v in rows.items():
        if v:
            setattr(C, k, np.asarray(v))
    C.capacity = C.seats.astype(np.float64)
    C.capacity0 = C.capacity.copy()
    return P, C


def build_state(sc: Scenario, seed: int) -> State:
    """The initial state (quarter 0) for ``sc`` with run seed ``seed``."""
    s64 = rng.as_seed(seed)
    ppa = sc.run.persons_per_agent
    D = sc.n_districts
    travel = np.asarray(sc.region.travel_minutes, dtype=np.float64)
    span = age_span_factor(sc)
    n_d = np.array([int(round(d.working_age_population * span / ppa))
                    for d in sc.region.districts])
    n = int(n_d.sum())
    if n >= 1 << 22:
        raise ValueError(f"{n} learner agents: at most 4,194,303 (raise persons_per_agent)")
    L = Table(n, LEARNER_SPEC)
    L.uid = np.arange(n, dtype=np.int64)
    L.district = np.repeat(np.arange(D), n_d).astype(np.int16)
    mix = np.array([d.level_mix.as_array() for d in sc.region.districts])
    level_cum = np.cumsum(mix, axis=1)
    p_emp, p_unemp = initial_status_rates(sc, mix)
    att = draw_people(sc, s64, 0, L.uid, L.district, level_cum, sc.learners.min_age,
                      sc.learners.retirement_age, p_emp, p_unemp, 0.2, 0.9)
    for k, v in att.items():
        setattr(L, k, v)
    L.start_level = L.level.copy()  # who-gains metrics group residents by it
    emp = build_employers(sc, s64)
    assign_jobs(sc, s64, L, emp, travel)
    L.last_hire_quarter[L.status == EMPLOYED] = 0
    kvac.count_posts(L.employer, L.post_level, emp.n, emp.filled)
    emp.base_posts = emp.filled.astype(np.float64)
    emp.target_posts = emp.base_posts.copy()
    emp.target = emp.base_posts.sum(axis=1)
    emp.base_target = emp.target.copy()
    emp.headcount = emp.filled.sum(axis=1).astype(np.int32)
    P, C = build_providers(sc)
    S = sc.n_sectors
    market = Market(
        wage=np.zeros((N_LEVELS, S)), employment=np.zeros((N_LEVELS, S)),
        vacancies=np.zeros((N_LEVELS, S)), unfilled=np.zeros((N_LEVELS, S)),
        wage_by_level=np.zeros(N_LEVELS), employment_by_level=np.zeros(N_LEVELS),
        local_norm=np.zeros((D, S, N_LEVELS)), graduate_scarcity=0.5,
        unfilled_by_employer=np.zeros((emp.n, N_LEVELS), np.int32),
        skill_fill_rate=np.full(D, 0.8))
    state = State(
        learners=L, employers=emp, providers=P, courses=C, market=market,
        funding=Funding(public_eligible=np.zeros(n, np.bool_)), counters=Counters(),
        travel=travel, quarter=0, entrant_carry=np.zeros(D))
    return state


__all__ = ["LEVEL_KEYS", "build_state", "draw_people", "largest_remainder"]
