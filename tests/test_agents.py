"""Mesa views onto state rows: read/write, AgentSet select/groupby/agg, DataCollector."""

import mesa
import numpy as np
import pytest

from ecosim.model import SkillsEcosystem
from ecosim.model.agents import College, Employer, Learner, University
from model_helpers import small


@pytest.fixture(scope="module")
def model():
    m = SkillsEcosystem(small(), rng=7)
    m.step()
    return m


def test_employer_and_provider_views_are_registered(model):
    st = model.state
    assert len(model.agents_by_type[Employer]) == st.employers.n
    n_prov = len(model.agents_by_type[College]) + len(model.agents_by_type[University])
    assert n_prov == st.providers.n
    assert Learner not in model.agents_by_type  # learner views only on request


def test_views_read_and_write_rows(model):
    st = model.state
    e = model.agents_by_type[Employer].to_list()[3]
    assert e.high_road == st.employers.high_road[3]
    old = e.high_road
    e.high_road = 0.123
    assert st.employers.high_road[3] == 0.123
    e.high_road = old
    learners = model.learner_agents()
    assert len(learners) == st.learners.n
    a = learners.to_list()[10]
    r = st.row_of(a.uid)
    assert a.age == st.learners.age[r] and a.level == st.learners.level[r]
    a.skill = 0.5
    assert st.learners.skill[r] == 0.5


def test_agentset_select_groupby_agg(model):
    emps = model.agents_by_type[Employer]
    hi = emps.select(lambda e: e.high_road > 0.5)
    assert len(hi) == int(np.count_nonzero(model.state.employers.high_road > 0.5))
    assert emps.agg("headcount", sum) == int(model.state.employers.headcount.sum())
    by = emps.groupby("sector")
    sizes = {k: len(v) for k, v in by}
    counts = np.bincount(model.state.employers.sector)
    assert sizes == {k: int(c) for k, c in enumerate(counts) if c}
    learners = model.learner_agents()
    emp = learners.select(lambda a: a.status == 0)
    assert len(emp) == int(np.count_nonzero(model.state.learners.status == 0))


def test_learner_views_follow_entries_and_exits(model):
    model.learner_agents()
    model.step()
    views = model.learner_agents()
    assert sorted(a.uid for a in views) == model.state.learners.uid.tolist()


def test_datacollector_model_and_agenttype_reporters(model):
    m = SkillsEcosystem(small(), rng=3)
    dc = mesa.DataCollector(
        model_reporters={"employment_rate": lambda mm: mm.current_metrics["employment_rate"][0]},
        agenttype_reporters={Employer: {"high_road": "high_road"}},
    )
    for _ in range(2):
        m.step()
        dc.collect(m)
    mv = dc.get_model_vars_dataframe()
    assert len(mv) == 2 and 0.4 < mv["employment_rate"].iloc[-1] < 0.9
    at = dc.get_agenttype_vars_dataframe(Employer)
    assert len(at) == 2 * m.state.employers.n
    # the model's own DataCollector holds every metric
    assert "share_level3_plus" in m.datacollector.model_vars
    assert len(m.datacollector.model_vars["quarter"]) == 2
