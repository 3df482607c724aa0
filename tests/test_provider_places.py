"""Places a policy opens or closes are where the providers' next revision starts
(``policies.common.set_places``), so a growth cap read from the capacity holds them instead of
cutting them back, and the revision never has to infer what a policy changed."""

from __future__ import annotations

import numpy as np

from ecosim.model import SkillsEcosystem
from ecosim.model.phases import providers
from ecosim.model.policies.common import set_places
from model_helpers import small


def _model() -> SkillsEcosystem:
    m = SkillsEcosystem(small(), rng=3)
    m.run_quarters(2)
    return m


def test_set_places_moves_the_capacity_only_where_places_change():
    m = _model()
    C = m.state.courses
    c = np.flatnonzero(C.seats > 0)[:4]
    assert c.size == 4
    C.capacity[c] = C.seats[c] + 0.3  # a real-valued capacity that rounds to the places
    before = C.capacity.copy()
    new = C.seats[c].astype(np.int64)
    new[:2] += 5
    set_places(m, c, new)
    assert np.array_equal(C.seats[c], new)
    assert np.array_equal(C.capacity[c[:2]], new[:2].astype(np.float64))
    assert np.array_equal(C.capacity[c[2:]], before[c[2:]])  # same places, same capacity
    rest = np.setdiff1d(np.arange(C.n), c)
    assert np.array_equal(C.capacity[rest], before[rest])


def test_a_growth_cap_read_from_capacity_keeps_places_a_policy_opened():
    m = _model()
    C, P = m.state.courses, m.state.providers
    sp = m.scenario.providers.supply
    c = int(np.flatnonzero((C.seats > 0) & (C.enrolled <= C.seats))[0])
    old = int(C.seats[c])
    opened = old + 1
    assert opened <= sp.max_growth_multiple * max(C.capacity0[c], 1.0)
    P.adaptation[C.provider[c]] = 0.0  # the revision itself neither grows nor shrinks it
    set_places(m, [c], [opened])
    C.max_capacity[:] = np.inf
    C.max_capacity[c] = C.capacity[c]  # a capped allocation: hold the course at its places
    m.quarter = 3 * sp.adjust_every_quarters  # a revision quarter
    providers.run(m)
    assert C.seats[c] == opened
    assert np.floor(C.capacity[c] + 0.5) == opened
