"""Money conservation for every policy and combination (hypothesis over random settings): every
pound allocated is spent or carried forward, never overspent; account balances equal credits
minus spend minus balances that left the region; the levy fund's income is the levy (plus the
state's underwriting when allowed) and its balance is income minus spend."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosim.model.model import SkillsEcosystem
from ecosim.model.policies import ledger as ledger_mod
from model_helpers import load

SMALL = {"run": {"persons_per_agent": 800, "burn_in_years": 0, "horizon_years": 2},
         "employers": {"n_agents": 80}}
TOL = 1e-6


@st.composite
def policy_sets(draw):
    pol: dict = {}
    if draw(st.booleans()):
        pol["aeb"] = {"regime": draw(st.sampled_from(["centralised", "devolved"])),
                      "budget_gbp_per_year": draw(st.sampled_from([0.0, 2e6, 2e7, 2e8])),
                      "carry_over_unspent": draw(st.booleans()),
                      "recruitment_share": draw(st.sampled_from([0.0, 0.1, 1.0]))}
        rules = {"max_providers": draw(st.integers(1, 17)),
                 "out_of_area_cap": draw(st.sampled_from([0.0, 0.05, 1.0])),
                 "non_priority_share": draw(st.sampled_from([0.0, 0.25, 1.0]))}
        if pol["aeb"]["regime"] == "devolved":  # the rules are an error under centralised
            pol["aeb"]["devolved"] = rules
    else:
        pol["aeb"] = {"enabled": False}
    if draw(st.booleans()):
        pol["training_accounts"] = {
            "levy_rate": draw(st.sampled_from([0.0, 0.0005, 0.002, 0.02])),
            "state_underwrites": draw(st.booleans()),
            "copay_share": draw(st.sampled_from([0.0, 0.2])),
            "certification_required": draw(st.booleans()),
            "credit_unemployed": draw(st.booleans()),
            "units": draw(st.sampled_from(["money", "hours"]))}
    if draw(st.booleans()):
        pol["retraining_50_plus"] = {"budget_gbp_per_year": draw(st.sampled_from([0.0, 1e6])),
                                     "outreach_share": draw(st.sampled_from([0.0, 0.2, 1.0]))}
    if draw(st.booleans()):
        pol["collaboration"] = {"earmark_share": draw(st.sampled_from([0.0, 0.02, 0.1]))}
    if draw(st.booleans()):
        pol["partnership"] = {}
    if draw(st.booleans()):
        pol["business_support"] = {"budget_gbp_per_year": draw(st.sampled_from([0.0, 5e6]))}
    if draw(st.booleans()):
        pol["policy_churn"] = {"period_years": 0.5}
    return pol


def check_books(m: SkillsEcosystem, flows: dict[str, float]) -> None:
    """Identities for every active policy after a quarter; ``flows`` accumulates quarterly
    spend per policy so the cumulative ledgers can be checked against their flows."""
    L = m.state.learners
    for p in m.policies:
        lg = ledger_mod.checked(p.name, p.LEDGER, p.ledger())
        flows[p.name] = flows.get(p.name, 0.0) + lg.get("public_spend_gbp", 0.0)
        if "allocated_gbp" in lg:
            assert lg["allocated_gbp"] == pytest.approx(lg["spent_gbp"] +
                                                        lg["carried_forward_gbp"], abs=TOL)
            assert lg["carried_forward_gbp"] >= -TOL
            assert lg["spent_gbp"] == pytest.approx(flows[p.name], abs=1e-3)
        if "overcommitted_gbp" in lg:
            assert lg["overcommitted_gbp"] == 0.0
            if not p.carry_over():
                assert lg["carried_forward_gbp"] == pytest.approx(
                    lg["available_this_year_gbp"] + lg["unspent_prior_years_gbp"], abs=1e-3)
            # spend on courses by level, plus any spend on outreach or recruitment, is all the
            # public spend
            by_level = sum(lg[f"spend_{k}_gbp"] for k in ("l1", "l2", "l3", "l4_plus"))
            reach = lg.get("outreach_spend_gbp", 0.0) + lg.get("recruitment_spend_gbp", 0.0)
            assert by_level + reach == pytest.approx(lg["public_spend_gbp"], abs=1e-3)
        if p.name == "training_accounts":
            s = p.settings
            bal = float(L.balance.sum()) * m.scenario.run.persons_per_agent
            assert lg["balances_gbp"] == pytest.approx(bal, rel=1e-12, abs=TOL)
            assert bal == pytest.approx(lg["initial_balances_gbp"] + lg["credits_gbp"] -
                                        lg["spend_gbp"] - lg["balances_removed_gbp"],
                                        rel=1e-9, abs=1e-3)
            assert lg["unexplained_balance_change_gbp"] == pytest.approx(0.0, abs=1e-3)
            assert (L.balance >= -TOL).all()
            assert (L.balance <= max(s.cap_gbp, s.low_qualified_cap_gbp) + TOL).all()
            assert lg["fund_income_gbp"] == pytest.approx(
                lg["levy_income_gbp"] + lg["state_underwriting_gbp"], abs=TOL)
            assert lg["fund_balance_gbp"] == pytest.approx(
                lg["fund_income_gbp"] - lg["fund_spend_gbp"], abs=1e-3)
            assert lg["fund_balance_gbp"] >= -TOL
            assert lg["overdrawn_gbp"] == 0.0
            # the accounts' public spend is the state's cover of the fund's deficits
            assert flows[p.name] == pytest.approx(lg["state_underwriting_gbp"], abs=1e-3)
            if not s.state_underwrites:
                assert lg["state_underwriting_gbp"] == 0.0
                assert lg["fund_income_gbp"] == pytest.approx(lg["levy_income_gbp"])
    # providers received exactly what the funders paid for places (outreach and recruitment
    # pay no provider)
    paid = sum(p.ledger().get("spent_gbp", 0.0) - p.ledger().get("outreach_spent_gbp", 0.0)
               - p.ledger().get("recruitment_spent_gbp", 0.0)
               for p in m.policies if hasattr(p, "outcome_starts")) + \
        sum(p.ledger()["spend_gbp"] for p in m.policies if p.name == "training_accounts")
    assert float(m.state.providers.funding_received.sum()) == pytest.approx(paid, abs=1e-3)


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(pol=policy_sets(), seed=st.integers(0, 2**32 - 1))
def test_money_is_conserved_under_any_policy_mix(pol, seed):
    m = SkillsEcosystem(load("tiny.yaml", **SMALL, policies=pol), rng=seed)
    flows: dict[str, float] = {}
    for _ in range(6):
        m.step()
        check_books(m, flows)


def test_accounts_without_underwriting_never_spend_beyond_the_fund():
    # a levy small enough that the fund rations account places in most quarters, yet large
    # enough that some holders start a course (0.0003 admits too few agents to start any
    # at this scale since learners weigh upfront costs more)
    pol = {"training_accounts": {"levy_rate": 0.0006, "state_underwrites": False}}
    m = SkillsEcosystem(load("tiny.yaml", **SMALL, policies=pol), rng=5)
    accounts = next(p for p in m.policies if p.name == "training_accounts")
    flows: dict[str, float] = {}
    spent, admitted = [], []
    for _ in range(8):
        m.step()
        check_books(m, flows)
        spent.append(accounts.ledger()["spend_gbp"])
        admitted.append(accounts.ledger()["admitted_share"])
    lg = accounts.ledger()
    assert lg["spend_gbp"] <= lg["levy_income_gbp"] + TOL
    assert min(admitted) < 0.5  # the fund did ration account places
    assert np.diff(spent).max() > 0  # some spending happened within the fund
