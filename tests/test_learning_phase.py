"""Invariants of the learning and provider phases on random small scenarios and funding set-ups:
no seat over-filled, nobody on two courses, enrolled counts equal learners on each course, and
funding sources follow the policy contract."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosim.model import SkillsEcosystem
from ecosim.model.policies.base import Policy
from ecosim.model.state import FUND_ACCOUNT, FUND_PUBLIC, FUND_SELF
from model_helpers import small


class _Funder(Policy):
    """Sets the funding context at random each quarter and records what starters saw."""

    name = "test_funder"

    def __init__(self, seed: int, rate_share: float, elig_share: float, balance: float):
        super().__init__(None)
        self.g = np.random.default_rng(seed)
        self.rate_share, self.elig_share, self.balance = rate_share, elig_share, balance
        self.seen: list[tuple] = []

    def price_courses(self, model):
        st = model.state
        C, L = st.courses, st.learners
        C.public_rate[:] = np.where(self.g.uniform(0, 1, C.n) < self.rate_share, C.fee, 0.0)
        C.account_eligible[:] = self.g.uniform(0, 1, C.n) < 0.5
        st.funding.public_eligible[:] = self.g.uniform(0, 1, L.n) < self.elig_share
        L.balance[:] = np.where(self.g.uniform(0, 1, L.n) < 0.5, self.balance, 0.0)
        st.funding.account_usable[:] = L.balance  # what an account scheme lets learners spend
        st.funding.account_copay = 0.1

    def settle_enrolments(self, model, starters):
        st = model.state
        L, C = st.learners, st.courses
        c = L.course[starters]
        open_ = C.level[c] <= st.funding.public_open_band[starters]
        self.seen.append((L.funding_source[starters].copy(),
                          st.funding.public_eligible[starters] | open_, C.public_rate[c] > 0,
                          C.account_eligible[c].copy(), st.funding.account_usable[starters] > 0,
                          L.last_start_quarter[starters].copy(), model.quarter))


def check(m):
    L = m.state.learners
    C = m.state.courses
    on = L.course >= 0
    counts = np.bincount(L.course[on], minlength=C.n)
    assert np.array_equal(counts, C.enrolled), "enrolled = learners on each course"
    assert np.all(C.enrolled <= C.seats), "no seat over-filled"
    assert np.all(C.seats >= 0)
    assert np.all(L.course < C.n)
    assert np.all((L.course_left > 0) == on), "quarters left only while on a course"
    assert np.all(L.last_start_quarter[on] >= 1)
    assert np.all(L.course_left[on] <= C.duration[L.course[on]])
    assert np.all((L.level >= 0) & (L.level <= 5))
    assert np.all((L.skill >= 0) & (L.skill <= 1))


params = st.fixed_dictionaries({
    "seed": st.integers(0, 2**63), "rate": st.floats(0, 1), "elig": st.floats(0, 1),
    "balance": st.sampled_from([0.0, 500.0, 5000.0]), "consider": st.floats(0.05, 0.6),
    "K": st.integers(1, 5), "every": st.integers(1, 4)})


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=params)
def test_learning_invariants_and_funding_contract(p):
    sc = small(run={"burn_in_years": 0, "horizon_years": 2},
               training={"consider_share": p["consider"], "max_choices": p["K"]},
               providers={"supply": {"adjust_every_quarters": p["every"]}})
    m = SkillsEcosystem(sc, rng=p["seed"])
    pol = _Funder(p["seed"] % 2**32, p["rate"], p["elig"], p["balance"])
    m.policies.append(pol)
    check(m)
    total = 0
    for _ in range(8):
        m.step()
        check(m)
        src, elig, funded, acc, bal, start, q = pol.seen[-1]
        assert np.all(start == q)
        public = elig & funded
        account = ~public & acc & bal
        exp = np.where(public, FUND_PUBLIC, np.where(account, FUND_ACCOUNT, FUND_SELF))
        assert np.array_equal(src, exp), "funding source follows the contract"
        total += src.size
        C = m.state.courses
        assert C.starts.sum() == src.size
    assert total > 0, "some learners started courses"


def test_starts_complete_and_raise_levels():
    m = SkillsEcosystem(small(), rng=11)
    started = completed = raised = 0
    for _ in range(12):
        before = dict(zip(m.state.learners.uid.tolist(), m.state.learners.level.tolist(),
                          strict=True))
        m.step()
        L = m.state.learners
        C = m.state.courses
        started += int(C.starts.sum())
        done = L.last_completion_quarter == m.quarter
        completed += int(done.sum())
        for u, lv in zip(L.uid[done].tolist(), L.level[done].tolist(), strict=True):
            if u in before and lv > before[u]:
                raised += 1
        assert int(C.completions.sum()) == int(done.sum())
    assert started > 0 and completed > 0 and raised > 0


def test_unaccredited_level1_completions_keep_the_band_and_ratios_gate_considering():
    """With no Level 1 completion counting as a qualification, nobody rises to Level 1 through
    a course; with a zero consider ratio for a band, nobody at that band starts a course."""
    sc = small(learning={"qualification_share": {"level1": 0.0}},
               training={"consider_share": 0.4, "consider_ratio": {"level2": 0.0}})
    m = SkillsEcosystem(sc, rng=5)
    l1_done = 0
    for _ in range(8):
        before = dict(zip(m.state.learners.uid.tolist(), m.state.learners.level.tolist(),
                          strict=True))
        m.step()
        L = m.state.learners
        C = m.state.courses
        done = (L.last_completion_quarter == m.quarter) & (L.last_completion_level == 1)
        l1_done += int(done.sum())
        for u, lv in zip(L.uid[done].tolist(), L.level[done].tolist(), strict=True):
            assert lv == before[u], "a Level 1 completion left the band unchanged"
        started = L.last_start_quarter == m.quarter
        assert not np.any(started & (L.level == 2)), "no Level 2 holder considered a course"
        assert int(C.starts.sum()) == int(started.sum())
    assert l1_done > 0


def test_government_funded_participation_leaves_out_self_funded_fees_only():
    """``last_funded_fe_quarter`` marks learners on a course below degree level paid by any
    funder but themselves, or whose own fee a government loan finances (from
    ``training.loan_min_level``); ``participation_rate_adult_funded`` counts them, so it lies
    between zero and the all-funding rate, below it while some adults pay their own fees."""
    sc = small(run={"burn_in_years": 0, "horizon_years": 3}, training={"consider_share": 0.4})
    m = SkillsEcosystem(sc, rng=5)
    pol = _Funder(5, 0.5, 0.5, 500.0)
    m.policies.append(pol)
    loan_from = sc.training.loan_min_level
    self_paid_low = 0
    for _ in range(8):
        m.step()
        L, C = m.state.learners, m.state.courses
        on = np.flatnonzero(L.course >= 0)
        lv = C.level[L.course[on]]
        fe = lv < 5
        supported = fe & ((L.funding_source[on] != FUND_SELF) | (lv >= loan_from))
        assert np.array_equal(L.last_funded_fe_quarter[on] == m.quarter, supported)
        self_paid_low += int(np.count_nonzero(fe & ~supported))
    frame = m.metrics_frame()
    region = frame[frame["area"] == "region"].iloc[-1]
    funded, all_ = region["participation_rate_adult_funded"], region["participation_rate_adult"]
    assert self_paid_low > 0, "some adults paid their own Level 1-2 fees"
    assert 0.0 < funded < all_
