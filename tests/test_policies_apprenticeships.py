"""Apprenticeships and the levy on the tiny scenario with the policy switched on: the levy
accounts' books, apprentices as employed people counted once, completion through the learning
path, the employer-choice kernels against readable versions, schema errors, and the paired
effect of letting levy funds buy short courses."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.errors import InputError
from ecosim.model import rng
from ecosim.model.kernels import employer_training as ktrain
from ecosim.model.model import SkillsEcosystem
from ecosim.model.policies.levy_accounts import LevyAccounts
from ecosim.model.state import EMPLOYED, FUND_EMPLOYER
from ecosim.scenario import load_scenario
from model_helpers import SCENARIOS, load

SMALL = {"run": {"persons_per_agent": 400, "burn_in_years": 0, "horizon_years": 2},
         "employers": {"n_agents": 150}}
#: the North East calibration of the employers' choice, so the tiny runs see realistic volumes
NE_CHOICE = {"enabled": True, "base_rate": 0.0105, "young_weight": 7.0, "same_level_share": 0.3,
             "prior_level_weight": {"none": 1.5, "level1": 1.5, "level2": 2.6, "level3": 0.55,
                                    "level4_5": 0.5, "level6_plus": 0.15}}


def model(seed: int = 3, aeb: bool = True, **settings) -> SkillsEcosystem:
    pol = {"apprenticeships": {**NE_CHOICE, **settings}}
    if not aeb:  # the only payer of providers is then this policy
        pol["aeb"] = {"enabled": False}
    return SkillsEcosystem(load("tiny.yaml", **SMALL, policies=pol), rng=seed)


def policy(m: SkillsEcosystem):
    return next(p for p in m.policies if p.name == "apprenticeships")


# ----------------------------------------------------------------------------- conservation
def test_levy_books_balance_and_apprentices_are_employed_once():
    m = model(aeb=False, short_course_share=0.3, expiry_months=6)
    p = policy(m)
    ppa = m.scenario.run.persons_per_agent
    sums: dict[str, float] = {}
    paid0 = float(m.state.providers.funding_received.sum())
    for _ in range(8):
        m.step()
        lg = p.ledger()
        for k in ("levy_income_gbp", "levy_spend_gbp", "levy_expired_gbp", "starts",
                  "programme_exits", "co_investment_public_gbp", "co_investment_employer_gbp"):
            sums[k] = sums.get(k, 0.0) + lg[k]
        # levy income = spend + expired + balance, per quarter flows add up to the totals
        assert lg["levy_income_total_gbp"] == pytest.approx(
            lg["levy_spend_total_gbp"] + lg["levy_expired_total_gbp"] + lg["levy_balance_gbp"],
            rel=1e-12)
        assert lg["levy_income_total_gbp"] == pytest.approx(sums["levy_income_gbp"])
        assert lg["levy_spend_total_gbp"] == pytest.approx(sums["levy_spend_gbp"])
        assert lg["levy_expired_total_gbp"] == pytest.approx(sums["levy_expired_gbp"])
        assert (p.accounts.tranches >= -1e-9).all()
        assert m.state.employers.levy_balance.sum() == pytest.approx(lg["levy_balance_gbp"])
        # providers received what the levy and the co-investment paid
        paid = float(m.state.providers.funding_received.sum()) - paid0
        assert paid == pytest.approx(sums["levy_spend_gbp"] + sums["co_investment_public_gbp"]
                                     + sums["co_investment_employer_gbp"], rel=1e-9)
        assert m._ledger()["apprenticeships_public_spend_gbp"] == lg["co_investment_public_gbp"]
        # apprentices: employed by their apprenticeship's employer, on a course, counted once
        L = m.state.learners
        on = L.apprentice_level >= 0
        assert (L.status[on] == EMPLOYED).all()
        assert (L.employer[on] == L.apprentice_employer[on]).all()
        assert (L.course[on] >= 0).all() and (L.course[on] == L.levy_course[on]).all()
        assert (L.funding_source[on] == FUND_EMPLOYER).all()
        assert (L.course_hazard[on] >= 0).all() and (L.course_hazard[~on] == -1.0).all()
        assert lg["apprentices"] == np.count_nonzero(on) * ppa
        assert lg["apprentices"] == pytest.approx(sums["starts"] - sums["programme_exits"])
        by_band = sum(lg[f"starts_{b}"] for b in ("level2", "level3", "level4_5",
                                                  "level6_plus"))
        assert by_band == lg["starts"] == lg["starts_16_24"] + lg["starts_25_plus"]
        # every place the policy opened is held by its learner; courses never overfill
        C = m.state.courses
        held = np.bincount(L.levy_course[L.levy_course >= 0], minlength=C.n)
        assert (p.places[:C.n] == held).all()
        assert (C.enrolled <= C.seats).all()
    assert sums["starts"] > 0 and sums["levy_expired_gbp"] > 0 and sums["programme_exits"] > 0
    assert p.accounts.spend_total > 0


def test_completion_raises_the_level_through_the_learning_path():
    m = model(seed=5)
    L = m.state.learners
    seen: dict[int, int] = {}
    achieved = 0
    for _ in range(10):
        m.step()
        L = m.state.learners
        q = m.quarter
        row = {u: i for i, u in enumerate(L.uid.tolist())}
        for uid, band in list(seen.items()):
            i = row.get(uid)
            if i is None:
                del seen[uid]
                continue
            if L.apprentice_level[i] < 0:  # left the programme this quarter
                if L.last_completion_quarter[i] == q:
                    assert L.level[i] >= band
                    assert L.last_completion_level[i] == band
                    achieved += 1
                del seen[uid]
        on = np.flatnonzero(L.apprentice_level >= 0)
        for i in on.tolist():
            seen.setdefault(int(L.uid[i]), int(L.apprentice_level[i]))
    assert achieved > 0


def test_apprentices_count_in_adult_participation():
    m = model()
    m.run_quarters(3)
    L = m.state.learners
    on = L.apprentice_level >= 0
    assert on.any()
    assert (L.last_fe_quarter[on] == m.quarter).all()  # degree apprentices too
    assert (L.last_funded_fe_quarter[on] == m.quarter).all()  # the levy is public money
    assert (L.wage[on] < L.apprentice_full_wage[on]).all()


# ------------------------------------------------------------------------------ kernels
def test_choice_kernels_match_a_readable_version():
    g = np.random.default_rng(11)
    n_e, n = 40, 3000
    hr = g.uniform(0, 1, n_e)
    risk = g.uniform(0, 1, n_e)
    rate = np.where(g.uniform(0, 1, n_e) < 0.2, 0.0, g.uniform(0, 0.3, n_e))
    out = np.empty(n_e)
    ktrain.provider_training_probability(hr, risk, rate, 1.5, 0.8, 0.04, 0.5, out)
    for e in range(n_e):
        keep = (1 - 0.04 * (1 - 0.5 * hr[e])) ** 4
        assert out[e] == pytest.approx(min(1.0, rate[e] * hr[e] ** 1.5 * (1 - 0.8 * risk[e])
                                           * keep), rel=1e-12)
    uid = np.sort(g.choice(10**6, n, replace=False)).astype(np.int64)
    status = g.integers(0, 3, n).astype(np.int8)
    employer = g.integers(0, n_e, n).astype(np.int32)
    course = np.where(g.uniform(0, 1, n) < 0.2, 1, -1).astype(np.int32)
    weight = np.where(g.uniform(0, 1, n) < 0.1, 0.0, g.uniform(0, 3, n))
    seed = rng.as_seed(42)
    sel = np.empty(n, np.bool_)
    ktrain.choose_for_provider_training(seed, np.int64(7), uid, status, employer, course,
                                        weight, out, sel)
    for i in range(n):
        p = out[employer[i]] * weight[i]
        want = (status[i] == EMPLOYED and course[i] < 0 and weight[i] > 0 and p > 0
                and rng.uniform(seed, int(uid[i]), 7, rng.Purpose.EMPLOYER_TRAINING, 1) < p)
        assert bool(sel[i]) == want
    assert 0 < sel.sum() < n


def test_levy_accounts_spend_oldest_first_and_expire_after_the_period():
    a = LevyAccounts(2, expiry_quarters=2)
    assert a.pay_in(1, np.array([100.0, 10.0])) == (110.0, 0.0)
    assert a.pay_in(2, np.array([50.0, 10.0])) == (60.0, 0.0)
    assert a.spend(0, 120.0) == 120.0          # all of quarter 1's 100, then 20 of quarter 2's
    income, expired = a.pay_in(3, np.array([0.0, 0.0]))  # quarter 1's tranche expires
    assert expired == 10.0                     # only employer 1's unspent 10
    assert a.balance().tolist() == [30.0, 10.0]
    assert a.spend_each(np.array([100.0, 4.0])).tolist() == [30.0, 4.0]
    assert a.income_total == a.spend_total + a.expired_total + a.total()


# ------------------------------------------------------------------------------ schema
@pytest.mark.parametrize("body, expect", [
    ("levy_rate: -0.1", "levy_rate"),
    ("expiry_months: 1", "expiry_months"),
    ("co_investment_rate: 1.5", "co_investment_rate"),
    ("short_course_share: 2", "short_course_share"),
    ("completion_in_post: {level3: 1.2}", "completion_in_post.level3"),
    ("max_start_age: {level6_plus: 10}", "max_start_age.level6_plus"),
    ("levy_rat: 0.01", "did you mean 'levy_rate'"),
])
def test_bad_apprenticeship_settings_are_located_errors(tmp_path, body, expect):
    bad = tmp_path / "a.yaml"
    bad.write_text(f"extends: {SCENARIOS / 'tiny.yaml'}\npolicies:\n  apprenticeships:\n"
                   f"    {body}\n")
    with pytest.raises(InputError) as e:
        load_scenario(bad)
    msg = str(e.value)
    assert "a.yaml:4" in msg and expect in msg


# -------------------------------------------------------------------------- paired effect
def _run(share: float, seed: int):
    sc = load("tiny.yaml", run={"persons_per_agent": 250, "burn_in_years": 1,
                                "horizon_years": 3},
              policies={"apprenticeships": {**NE_CHOICE, "short_course_share": share}})
    m = SkillsEcosystem(sc, rng=seed)
    m.run_quarters(m.burn_in_quarters + m.horizon_quarters)
    df = m.metrics_frame()
    return df[df["area"] == "region"]


@pytest.mark.slow
def test_short_course_levy_shifts_starts_to_short_courses_without_lowering_participation():
    for seed in (1, 2):
        base, flex = _run(0.0, seed), _run(0.5, seed)
        a0, a1 = (r["apprenticeships_starts"].sum() for r in (base, flex))
        s0, s1 = (r["apprenticeships_short_course_starts"].sum() for r in (base, flex))
        p0, p1 = (r["participation_rate_adult"].mean() for r in (base, flex))
        print(f"\nseed {seed}: apprenticeship starts {a0:.0f} -> {a1:.0f}, short courses "
              f"{s0:.0f} -> {s1:.0f}, adult participation {p0:.4f} -> {p1:.4f}")
        assert s0 == 0 and s1 > 0
        assert a1 < 0.95 * a0          # employer-funded starts move away from apprenticeships
        assert s1 > a0 - a1            # and more short courses start than apprenticeships stop
        assert p1 >= p0                # participation does not fall


def test_age_limits_and_minimum_duration_apply_at_the_start():
    m = model(seed=4, min_duration_months=30,
              max_start_age={"level4_5": 30.0, "level6_plus": 22.0})
    L = m.state.learners
    seen = 0
    for _ in range(6):
        m.step()
        L = m.state.learners
        new = (L.apprentice_level >= 0) & (L.last_start_quarter == m.quarter)
        ages = L.age[new]  # aged a quarter at most since the start
        lv = L.apprentice_level[new]
        assert (ages[lv == 5] < 22.0 + 0.25).all() and (ages[lv == 4] < 30.0 + 0.25).all()
        assert (L.course_left[new] >= 10).all()  # 30 months = 10 quarters at least
        seen += int(new.sum())
    assert seen > 0
