"""Invariants on random scenarios: people are conserved, nobody is in two places, employers
never hire beyond their vacancies, pay is positive for workers and zero otherwise."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosim.model import SkillsEcosystem
from ecosim.model.state import EMPLOYED
from model_helpers import small

scenario_params = st.fixed_dictionaries({
    "seed": st.integers(0, 2**63),
    "growth": st.floats(-0.1, 0.2),
    "turnover": st.floats(0.0, 0.2),
    "search": st.floats(0.0, 0.5),
    "ppa": st.sampled_from([300.0, 500.0, 800.0]),
    "n_emp": st.integers(20, 200),
    "leavers": st.floats(0.0, 0.05),
    "fill": st.floats(0.0, 1.0),
    "iso": st.floats(0.0, 1.0),
    "rounds": st.integers(1, 3),
})


def make(p):
    sc = small(run={"persons_per_agent": p["ppa"], "burn_in_years": 0, "horizon_years": 2},
               employers={"n_agents": p["n_emp"], "turnover_rate": p["turnover"]},
               learners={"school_leaver_share_per_year": p["leavers"],
                         "in_migration_fill_share": p["fill"]},
               labour_market={"employed_search_rate": p["search"], "wage_isomorphism": p["iso"],
                              "matching_rounds": p["rounds"]})
    sectors = [s.model_copy(update={"annual_growth": p["growth"]}) for s in sc.sectors]
    return sc.model_copy(update={"sectors": sectors})


def check_state(m):
    L = m.state.learners
    E = m.state.employers
    uid = L.uid
    assert np.all(uid[1:] > uid[:-1]), "uids unique and sorted"
    emp = L.status == EMPLOYED
    assert np.all((L.employer >= 0) == emp), "employed iff attached to an employer"
    assert np.all(L.employer < E.n)
    assert np.all((L.post_level >= 0) == emp)
    assert np.all(L.post_level[emp] <= L.level[emp]), "posts need the minimum level"
    assert np.all(L.wage[emp] > 0) and np.all(L.wage[~emp] == 0)
    assert np.all((L.skill >= 0) & (L.skill <= 1))
    assert np.all((L.age >= m.scenario.learners.min_age)
                  & (L.age < m.scenario.learners.retirement_age))
    assert np.all((E.high_road >= 0) & (E.high_road <= 1))
    counts = np.zeros((E.n, 6), np.int64)
    np.add.at(counts, (L.employer[emp], L.post_level[emp]), 1)
    assert np.array_equal(counts, E.filled), "filled posts = people in them"
    assert np.all(E.hires <= E.vacancies_posted), "no employer over-hired"
    assert np.all(E.vacancies >= 0)
    assert np.all(E.vacancies == E.vacancies_posted - E.hires)
    assert np.all(E.headcount == counts.sum(axis=1))
    C = m.state.courses
    if C.n:
        on = L.course >= 0
        assert np.array_equal(np.bincount(L.course[on], minlength=C.n), C.enrolled)
    for v in m.current_metrics.values():
        assert v.dtype == np.float64


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=scenario_params)
def test_invariants_hold_every_quarter(p):
    m = SkillsEcosystem(make(p), rng=p["seed"])
    check_state(m)
    for _ in range(6):
        n0 = m.state.learners.n
        m.step()
        c = m.state.counters
        entries = c.entries_school + c.entries_migrant
        exits = c.exits_retired + c.exits_migrant
        assert m.state.learners.n == n0 + entries - exits, "population = entries - exits"
        assert c.graduate_leavers <= c.exits_migrant
        check_state(m)
        mt = m.current_metrics
        ppa = m.scenario.run.persons_per_agent
        assert mt["population"][0] == m.state.learners.n * ppa
        assert np.isclose(mt["population"][1:].sum(), mt["population"][0])
        assert np.isclose(mt["employed"][1:].sum(), mt["employed"][0])
        assert np.isclose(mt["vacancies"][1:].sum(), mt["vacancies"][0])
        for k in ("employment_rate", "share_level3_plus", "vacancy_fill_rate"):
            x = mt[k][~np.isnan(mt[k])]
            assert np.all((x >= 0) & (x <= 1)), k


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 40), m1=st.integers(0, 5),
       m2=st.integers(0, 5), drop=st.booleans())
def test_table_splice_equals_compact_then_append(seed, n, m1, m2, drop):
    """Table.splice (demography's one-copy update) gives the rows compact + append give."""
    from ecosim.model.state import LEARNER_SPEC, Table

    g = np.random.default_rng(seed)
    a = Table(n, LEARNER_SPEC)
    a.age = g.uniform(16, 66, n)
    a.uid = np.arange(n)
    b = a.copy()
    keep = g.uniform(0, 1, n) < 0.7 if drop else None
    blocks = [(m1, {"uid": np.arange(m1) + 100, "age": g.uniform(16, 20, m1)}),
              (m2, {"uid": np.arange(m2) + 200, "level": np.full(m2, 4, np.int8)})]
    if keep is not None:
        a.compact(keep)
    for m, v in blocks:
        a.append(m, v)
    b.splice(keep, blocks)
    assert a.n == b.n and a.columns() == b.columns()
    for k in a.columns():
        x, y = getattr(a, k), getattr(b, k)
        assert x.dtype == y.dtype and np.array_equal(x, y)
