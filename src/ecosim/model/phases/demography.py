"""Phase 2: ageing, retirement, young-graduate out-migration, activity flows, school leavers and
in-migrants filling unfilled Level 4+ posts (``kernels/demography.py``)."""

from __future__ import annotations

import numpy as np

from ecosim.model.build import draw_people
from ecosim.model.kernels import demography as kdem
from ecosim.model.state import (
    N_AGE_BANDS,
    N_LEVELS,
    UNEMPLOYED,
    YEARS_PER_QUARTER,
    YOUNG_GRADUATE_AGE_END,
    entrant_uids,
)


def run(model) -> None:
    st = model.state
    sc = model.scenario
    q = model.quarter
    L = st.learners
    c = st.counters
    p = model.params
    code = np.empty(L.n, np.int8)
    young_grad = (L.level == 5) & (L.age + YEARS_PER_QUARTER < YOUNG_GRADUATE_AGE_END)
    kdem.age_and_flows(model.seed, np.int64(q), L.uid, L.age, L.level, L.status, L.employer,
                       L.post_level, L.wage, sc.learners.retirement_age, p["to_active"],
                       p["to_inactive"], sc.learners.graduate_out_migration_base,
                       sc.learners.graduate_out_migration_rate,
                       float(st.market.graduate_scarcity), code)
    c.exits_retired = int(np.count_nonzero(code == kdem.EXIT_RETIRED))
    c.exits_migrant = int(np.count_nonzero(code == kdem.EXIT_MIGRATED))
    c.recent_graduates = int(np.count_nonzero(young_grad))
    c.graduate_leavers = int(np.count_nonzero(young_grad & (code == kdem.EXIT_MIGRATED)))
    leaving = code != kdem.STAY
    keep = None
    if leaving.any():
        on_course = L.course[leaving]
        on_course = on_course[on_course >= 0]
        if on_course.size and st.courses.n:
            np.subtract.at(st.courses.enrolled, on_course, 1)
        c.extra["exits_by_district"] = np.bincount(L.district[leaving],
                                                   minlength=sc.n_districts)
        keep = ~leaving
    else:
        c.extra["exits_by_district"] = np.zeros(sc.n_districts, np.int64)
    # leavers out, school leavers then in-migrants in: one copy of each learner column
    L.splice(keep, [school_leavers(model), in_migrants(model)])


def school_leavers(model) -> tuple[int, dict[str, np.ndarray]]:
    """(m, attributes) of this quarter's school leavers (rows to append)."""
    st = model.state
    sc = model.scenario
    q = model.quarter
    ppa = sc.run.persons_per_agent
    D = sc.n_districts
    pop = model.params["district_population"]
    x = pop * sc.learners.school_leaver_share_per_year / 4.0 / ppa + st.entrant_carry
    m_d = np.floor(x + 1e-9).astype(np.int64)
    st.entrant_carry = x - m_d
    m = int(m_d.sum())
    st.counters.entries_school = m
    st.counters.extra["school_by_district"] = m_d
    if m == 0:
        return 0, {}
    uid = entrant_uids(q, 0, m)
    district = np.repeat(np.arange(D), m_d).astype(np.int16)
    active = 1.0 - sc.learners.inactivity_share.age_16_24
    p = model.params
    att = draw_people(sc, model.seed, q, uid, district, p["school_level_cum"],
                      sc.learners.min_age, sc.learners.school_leaver_age_max,
                      np.zeros((D, N_LEVELS, N_AGE_BANDS)),
                      np.full((D, N_LEVELS, N_AGE_BANDS), active),
                      *sc.learners.school_leaver_skill,
                      sector_cum=p["sector_cum"], transport=p["transport_means"])
    att.update(uid=uid, district=district, entry_quarter=np.full(m, q, np.int32))
    return m, att


def in_migrants(model) -> tuple[int, dict[str, np.ndarray]]:
    """(m, attributes) of this quarter's in-migrants filling unfilled Level 4+ posts."""
    st = model.state
    sc = model.scenario
    q = model.quarter
    unf = st.market.unfilled_by_employer
    st.counters.entries_migrant = 0
    if unf is None or unf.shape[0] != st.employers.n:
        return 0, {}
    posts = unf[:, 4:].astype(np.float64).ravel()  # employer-major, bands 4 and 5
    total = posts.sum()
    x = sc.learners.in_migration_fill_share * total + st.migrant_carry
    m = int(np.floor(x + 1e-9))
    st.migrant_carry = x - m
    if m == 0 or total <= 0:
        return 0, {}
    uid = entrant_uids(q, 1, m)
    slot = np.empty(m, np.int64)
    kdem.draw_migrant_posts(model.seed, np.int64(q), uid, np.cumsum(posts), slot)
    e = slot // 2
    band = (4 + slot % 2).astype(np.int8)
    emp = st.employers
    district = emp.district[e].astype(np.int16)
    D = sc.n_districts
    level_cum = np.ones((D, N_LEVELS))
    att = draw_people(sc, model.seed, q, uid, district, level_cum, *sc.learners.in_migrant_age,
                      np.zeros((D, N_LEVELS, N_AGE_BANDS)),
                      np.ones((D, N_LEVELS, N_AGE_BANDS)),
                      *sc.learners.in_migrant_skill,
                      fixed_level=band, sector_cum=model.params["sector_cum"],
                      transport=model.params["transport_means"])
    att.update(uid=uid, district=district, sector=emp.sector[e].astype(np.int8),
               status=np.full(m, UNEMPLOYED, np.int8), entry_quarter=np.full(m, q, np.int32))
    st.counters.entries_migrant = m
    st.counters.extra["migrants_by_district"] = np.bincount(district, minlength=D)
    return m, att
