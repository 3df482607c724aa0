"""Hook-level tests of each policy on the tiny scenario: rates, eligibility, payments, credits,
levy, rationing, course rows and employer effects, read straight from the arrays and ledgers."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.errors import InputError
from ecosim.model.model import SkillsEcosystem
from ecosim.model.phases import demography, labour_demand, learning, providers
from ecosim.model.policies import build_policies
from ecosim.model.policies.common import greedy_fit
from ecosim.model.state import EMPLOYED, FUND_ACCOUNT, FUND_PUBLIC, UNEMPLOYED
from ecosim.scenario import load_scenario
from model_helpers import SCENARIOS, load

TINY = {"run": {"persons_per_agent": 800, "burn_in_years": 0, "horizon_years": 1},
        "employers": {"n_agents": 80}}


def model_with(policies: dict, **extra) -> SkillsEcosystem:
    sc = load("tiny.yaml", **TINY, policies=policies, **extra)
    return SkillsEcosystem(sc, rng=3)


def policy(m: SkillsEcosystem, name: str):
    return next(p for p in m.policies if p.name == name)


def open_quarter(m: SkillsEcosystem) -> None:
    """The model's own sub-steps of a quarter up to pricing (without the phases between)."""
    m.open_quarter()
    m.price()


def fake_starts(m: SkillsEcosystem, rows: np.ndarray, courses: np.ndarray, source: int) -> None:
    L = m.state.learners
    L.course[rows] = courses
    L.last_start_quarter[rows] = m.quarter
    L.funding_source[rows] = source
    m.settle_enrolments(rows)


# ------------------------------------------------------------------------------------ AEB
def test_centralised_aeb_pays_national_rates_for_eligible_starts():
    # payments only: the providers' recruitment (a spend paid to no provider) is off
    m = model_with({"aeb": {"regime": "centralised", "budget_gbp_per_year": 1e9,
                            "recruitment_share": 0.0}})
    open_quarter(m)
    aeb = policy(m, "aeb")
    C, L = m.state.courses, m.state.learners
    s = m.scenario.policies.aeb
    hi = {m.scenario.sectors[i].name for i in range(m.scenario.n_sectors)} & \
        set(s.high_cost_sectors)
    per_glh = np.array([s.high_cost_rate_per_glh_gbp if x.name in hi else s.rate_per_glh_gbp
                        for x in m.scenario.sectors])
    expect = np.where(C.level <= 3, C.glh * per_glh[C.sector], 0.0)
    # entitlement courses (English, maths, digital) are paid at least the entitlement rate
    ent = (C.level >= 1) & (C.level <= s.entitlement_max_level)
    expect = np.where(ent, np.maximum(expect, s.entitlement_rate_gbp), expect)
    np.testing.assert_allclose(C.public_rate, expect)
    assert m.state.providers.commissioned.all()
    elig = m.state.funding.public_eligible
    want = (L.age >= 19) & (L.level < 3) & ((L.level < 2) | (L.status == UNEMPLOYED))
    np.testing.assert_array_equal(elig, want)
    rows = np.flatnonzero(elig & (L.course < 0))[:5]
    crs = np.flatnonzero(C.public_rate > 0)[:5]
    pot = aeb.pot
    fake_starts(m, rows, crs, FUND_PUBLIC)
    paid = C.public_rate[crs].sum() * m.scenario.run.persons_per_agent
    assert aeb.ledger()["public_spend_gbp"] == pytest.approx(paid)
    assert aeb.pot == pytest.approx(pot - paid)
    lg = aeb.ledger()
    assert lg["allocated_gbp"] == pytest.approx(lg["spent_gbp"] + lg["carried_forward_gbp"])


def test_devolved_aeb_commissions_weights_and_widens_eligibility():
    # rates and eligibility: every course of a commissioned provider funded
    m = model_with({"aeb": {"regime": "devolved", "budget_gbp_per_year": 1e9,
                            "devolved": {"max_providers": 5, "out_of_area_cap": 1.0,
                                         "non_priority_share": 1.0}}})
    open_quarter(m)
    P, C, L = m.state.providers, m.state.courses, m.state.learners
    assert P.commissioned.sum() == 5
    off = ~P.commissioned[C.provider]
    assert (C.public_rate[off] == 0).all()
    on = ~off & (C.level == 3) & (C.public_rate > 0)
    dv = m.scenario.policies.aeb.devolved
    prio = np.array([s.priority for s in m.scenario.sectors])
    w = np.where(prio[C.sector[on]], dv.priority_sector_weight, dv.other_sector_weight)
    # weighted national rates (GBP 6 or 12 an hour) times one common scale: the weights move
    # money between courses within the national rates' envelope
    per_glh = C.public_rate[on] / (C.glh[on] * w * dv.level_weights.level3)
    scale = per_glh.min() / 6.0
    assert set(np.round(per_glh / scale, 6)) == {6.0, 12.0}
    aeb = policy(m, "aeb")
    value = aeb.base_rates(m) * C.capacity
    assert (value * aeb.course_weights(m)).sum() == pytest.approx(value.sum())
    low_paid = (L.status == EMPLOYED) & (L.wage < dv.low_pay_threshold_gbp) & (L.level == 2) & \
        (L.age >= 19)
    assert low_paid.any() and m.state.funding.public_eligible[low_paid].all()
    # the statutory entitlement courses keep at least the national entitlement rate, however
    # the weights (Level 1 at 0.5, other sectors at 0.6) would cut them; the others do not
    s = m.scenario.policies.aeb
    ent = ~off & (C.level >= 1) & (C.level <= s.entitlement_max_level)
    weighted = aeb.base_rates(m) * aeb.course_weights(m)
    assert (weighted[ent] < s.entitlement_rate_gbp).any()
    np.testing.assert_allclose(C.public_rate[ent],
                               np.maximum(weighted[ent], s.entitlement_rate_gbp))
    rest = ~off & (C.level > s.entitlement_max_level) & (C.level <= s.max_level)
    np.testing.assert_allclose(C.public_rate[rest], weighted[rest])


def test_devolved_aeb_commissions_a_share_of_vocational_courses_outside_priority_sectors():
    """``non_priority_share`` of the Level 2+ courses outside the priority sectors keep public
    rates (the same courses every quarter); priority-sector and entitlement courses all do."""
    def funded(share: float):
        m = model_with({"aeb": {"regime": "devolved", "budget_gbp_per_year": 1e9,
                                "devolved": {"max_providers": 17, "out_of_area_cap": 1.0,
                                             "non_priority_share": share}}})
        open_quarter(m)
        C, P = m.state.courses, m.state.providers
        s = m.scenario.policies.aeb
        prio = np.array([x.priority for x in m.scenario.sectors])[C.sector]
        fundable = P.commissioned[C.provider] & (C.level >= 1) & (C.level <= s.max_level)
        voc = fundable & (C.level > s.entitlement_max_level)
        return m, C.public_rate > 0, fundable & ~voc, voc & prio, voc & ~prio

    _, paid, ent, prio, other = funded(1.0)
    assert other.sum() >= 40 and paid[other].all() and paid[prio].all() and paid[ent].all()
    _, paid, ent, prio, other = funded(0.0)
    assert not paid[other].any()
    assert paid[prio].all() and paid[ent].all()
    m, paid, ent, prio, other = funded(0.25)
    assert paid[prio].all() and paid[ent].all()
    share = paid[other].mean()
    assert 0.1 < share < 0.4, share  # a quarter of them, by a draw per course
    before = paid & other
    m.step()
    m.open_quarter()
    m.price()
    after = m.state.courses.public_rate[:other.size] > 0
    np.testing.assert_array_equal(after[other], before[other])  # the same courses


def test_aeb_rations_courses_to_the_allowance_and_caps_out_of_area():
    m = model_with({"aeb": {"regime": "devolved", "budget_gbp_per_year": 2e6,
                            "devolved": {"max_providers": 17, "out_of_area_cap": 0.0}}})
    open_quarter(m)
    aeb = policy(m, "aeb")
    C, P = m.state.courses, m.state.providers
    free = np.maximum(C.seats - C.enrolled, 0)
    exposure = (free * C.public_rate).sum() * m.scenario.run.persons_per_agent
    assert 0 < exposure <= aeb.q_allowance + 1e-6
    out = ~P.in_area[C.provider] & (free > 0)
    assert (C.public_rate[out] == 0).all()


def test_aeb_year_end_reports_unspent_and_keeps_the_identity():
    # a budget far above what the tiny region's learners can take up (starts are funded while
    # the year's money lasts, so a smaller one may be spent to the pound)
    m = model_with({"aeb": {"budget_gbp_per_year": 400e6}})
    m.run_quarters(5)
    lg = policy(m, "aeb").ledger()
    assert lg["allocated_gbp"] == pytest.approx(800e6)
    assert lg["unspent_last_year_gbp"] > 0
    assert lg["allocated_gbp"] == pytest.approx(lg["spent_gbp"] + lg["carried_forward_gbp"])
    assert lg["overcommitted_gbp"] == 0.0


def test_aeb_funded_courses_do_not_grow_in_a_year_the_money_ran_short():
    """The AEB caps the growth of the courses it paid most starts on (``max_capacity``) in a
    year its money ran short; the same model without the cap lets some of them grow."""
    def revise(cap: bool):
        # most of what the tiny region's learners would take up: spent by the last quarter
        m = model_with({"aeb": {"budget_gbp_per_year": 45e6, "recruitment_share": 0.0}})
        aeb = policy(m, "aeb")
        seen = {}
        for _ in range(4):  # the fourth quarter closes the AEB year and is a revision
            m.open_quarter()
            demography.run(m)
            m._hook("after_demography")
            labour_demand.run(m)
            m.price()
            starters = learning.enrol(m)
            m.settle_enrolments(starters.rows)
            learning.progress(m, starters)
            seen["share"] = aeb.course_funded_starts / np.maximum(aeb.course_starts, 1.0)
            seen["before"] = m.state.courses.capacity.copy()
            seen["cap"] = m.state.courses.max_capacity.copy()
            if not cap:
                m.state.courses.max_capacity[:] = np.inf
            providers.run(m)
        assert aeb.rationed_year
        return m.state.courses, seen

    C, seen = revise(cap=True)
    free, _ = revise(cap=False)
    paid = seen["share"] > 0.5
    np.testing.assert_array_equal(seen["cap"][paid], seen["before"][paid])
    assert np.isinf(seen["cap"][~paid]).all()
    assert (C.capacity[paid] <= seen["before"][paid] + 1e-12).all()
    assert (free.capacity[paid] > seen["before"][paid] + 1e-9).any()  # the cap is what held
    np.testing.assert_array_equal(C.capacity[~paid], free.capacity[~paid])
    assert (C.seats >= C.enrolled).all()


# ---------------------------------------------------------------------- training accounts
def test_accounts_credit_quarterly_up_to_the_cap_and_levy_payroll():
    m = model_with({"training_accounts": {"cap_gbp": 300, "low_qualified_cap_gbp": 500}})
    L, E = m.state.learners, m.state.employers
    ta = policy(m, "training_accounts")
    for _ in range(3):
        open_quarter(m)
    emp = L.status == EMPLOYED
    low = L.level < 3
    # 3 quarters of 125 (cap 300) or 200 (cap 500) for residents employed throughout
    stayed = emp & (L.last_hire_quarter <= 0)
    np.testing.assert_allclose(L.balance[stayed & ~low], 300.0)
    np.testing.assert_allclose(L.balance[stayed & low], 500.0)
    assert (L.balance[L.status != EMPLOYED] <= 500).all()
    payer = E.headcount * 800 >= 11
    levy = E.payroll[payer].sum() * 800 * 0.002 / 4
    assert ta.q_levy == pytest.approx(levy)
    lg = ta.ledger()
    assert lg["balances_gbp"] == pytest.approx(lg["credits_gbp"] - lg["spend_gbp"]
                                               - lg["balances_removed_gbp"])


def test_account_spending_debits_balances_and_respects_copay():
    m = model_with({"training_accounts": {"copay_share": 0.1, "state_underwrites": True}})
    for _ in range(4):
        open_quarter(m)
    L, C = m.state.learners, m.state.courses
    assert m.state.funding.account_copay == 0.1
    rows = np.flatnonzero((L.balance > 0) & (L.course < 0))[:6]
    crs = np.flatnonzero(C.account_eligible)[:6]
    before = L.balance[rows].copy()
    fake_starts(m, rows, crs, FUND_ACCOUNT)
    debit = np.minimum(before, 0.9 * C.fee[crs])
    np.testing.assert_allclose(L.balance[rows], before - debit)
    ta = policy(m, "training_accounts")
    assert ta.ledger()["spend_gbp"] == pytest.approx(debit.sum() * 800)


def test_an_empty_fund_lets_nobody_spend_and_leaves_balances_untouched():
    m = model_with({"training_accounts": {"levy_rate": 0.0}})
    for _ in range(2):
        open_quarter(m)
    L = m.state.learners
    f = m.state.funding
    ta = policy(m, "training_accounts")
    assert ta.fund == 0.0
    waiting = L.course < 0
    C = m.state.courses
    # nobody can spend: the fund is empty, so no free place may be bought with an account
    assert not (C.account_eligible & (C.seats > C.enrolled)).any()
    assert (L.balance[waiting] > 0).any()          # but the balances are still theirs
    assert (f.account_usable[waiting] == L.balance[waiting]).all()
    before = L.balance.copy()
    m.settle_enrolments(np.zeros(0, np.int64))
    np.testing.assert_array_equal(L.balance, before)
    assert ta.ledger()["overdrawn_gbp"] == 0.0


def test_certification_decides_which_courses_accounts_can_buy():
    # underwritten, so the fund's rationing of places does not mask certification
    m = model_with({"training_accounts": {"certification_required": False,
                                          "state_underwrites": True}})
    open_quarter(m)
    ta = policy(m, "training_accounts")
    P, C = m.state.providers, m.state.courses
    assert ta.entrants.size == 3 and not P.certified[ta.entrants].any()
    opened = np.unique(C.provider[ta.entrant_courses][C.seats[ta.entrant_courses] > 0])
    assert opened.tolist() == [ta.entrants[0]]
    assert C.account_eligible.all()
    assert (C.completion_bonus[ta.entrant_courses] < 0).all()
    m2 = model_with({"training_accounts": {"certification_required": True,
                                           "state_underwrites": True}})
    open_quarter(m2)
    C2, P2 = m2.state.courses, m2.state.providers
    np.testing.assert_array_equal(C2.account_eligible, P2.certified[C2.provider])
    assert P2.n == P.n - 3


def test_places_opened_by_account_starts_stay_within_their_multiple():
    """Account starts open places (supply_response) but only up to supply_max_multiple x a
    course's initial places; without the bound, places they open fill and open more."""
    def worst_ratio(multiple: float) -> tuple[float, float]:
        sc = load("tiny.yaml", run={"persons_per_agent": 250, "burn_in_years": 0,
                                    "horizon_years": 4},
                  policies={"aeb": {"regime": "devolved"},
                            "training_accounts": {"state_underwrites": True,
                                                  "supply_max_multiple": multiple}})
        m = SkillsEcosystem(sc, rng=3)
        C, ta = m.state.courses, policy(m, "training_accounts")
        worst = added = 0.0
        for _ in range(16):
            m.step()
            worst = max(worst, float((C.seats / np.maximum(C.capacity0, 1.0)).max()))
            added += ta.q_places_added
        return worst, added

    bounded, added = worst_ratio(3.0)
    loose, _ = worst_ratio(100.0)
    assert added > 0  # account money does draw places in
    assert bounded <= 3.0 + 1e-9
    assert loose > 1.5 * bounded  # the bound is what holds places back (measured: 6x vs 3x)


def test_hours_units_lower_salience():
    m = model_with({"training_accounts": {"units": "hours", "hours_salience": 0.4}})
    open_quarter(m)
    assert m.state.funding.account_salience == 0.4
    lg = policy(m, "training_accounts").ledger()
    assert lg["balances_hours"] == pytest.approx(lg["balances_gbp"] / 15.0)


def test_a_usable_balance_prompts_its_holder_scaled_by_the_units_salience():
    for units, uplift, want in (("money", 0.7, 0.7), ("hours", 0.7, 0.35), ("money", 0.0, 0.0)):
        m = model_with({"training_accounts": {"units": units, "hours_salience": 0.5,
                                              "consider_uplift": uplift},
                        "aeb": {"recruitment_share": 0.0}})  # its factor multiplies in too
        m.step()  # a quarter of credits
        open_quarter(m)
        f = m.state.funding
        has = f.account_usable > 0
        assert has.any() and (~has).any()
        np.testing.assert_allclose(f.consider_multiplier, np.where(has, 1.0 + want, 1.0))


def test_uncertified_entrants_certificates_carry_their_recognition_share():
    m = model_with({"training_accounts": {"certification_required": False,
                                          "uncertified_market": {"recognition_share": 0.4}}})
    C, ta = m.state.courses, policy(m, "training_accounts")
    theirs = np.zeros(C.n, np.bool_)
    theirs[ta.entrant_courses] = True
    assert (C.recognition[theirs] == 0.4).all() and (C.recognition[~theirs] == 1.0).all()


# -------------------------------------------------------------------------- collaboration
def test_collaboration_routes_satellite_and_engagement():
    base = model_with({})
    m = model_with({"collaboration": {"satellite_district": "Sunderland",
                                      "earmark_share": 0.05}})
    co = policy(m, "collaboration")
    C, P = m.state.courses, m.state.providers
    assert np.allclose(C.progression_bonus[co.route_courses], 0.6)
    assert (C.level[co.route_courses] == 4).all() and P.in_area[C.provider[co.route_courses]].all()
    sat = co.satellite_courses
    assert sat.size > 0 and (C.district[sat] == 6).all() and C.seats[sat].sum() > 0
    assert set(C.level[sat]) == {4, 5}
    assert C.n == base.state.courses.n + sat.size
    E = m.state.employers
    hr0 = E.high_road.copy()
    m.step()
    p = co.partner_employers
    assert p.any() and (E.high_road[p] > hr0[p] - 0.3).all()
    lg = co.ledger()
    assert lg["allocated_gbp"] == pytest.approx(0.05 * 700e6)
    assert 0 < lg["spent_gbp"] <= lg["allocated_gbp"]


# ---------------------------------------------------------------------------- partnership
def test_partnership_bonuses_shift_and_seat_conservation():
    m = model_with({"partnership": {"passport_trust": 0.2}})
    C, P = m.state.courses, m.state.providers
    local = P.in_area[C.provider]
    assert np.allclose(C.progression_bonus[local], 0.3)
    assert (C.progression_bonus[~local] == 0).all()
    assert m.state.funding.participation_shift == pytest.approx(0.2)
    pa = policy(m, "partnership")
    # make one duplicated course full and another empty, then coordinate
    grp = np.flatnonzero(local & (C.level == 2) & (C.sector == 0) &
                         (P.kind[C.provider] == 0))[:2]
    C.seats[grp] = [10, 10]
    C.enrolled[grp] = [10, 0]
    total = C.seats.sum()
    m.quarter = 4
    pa.adjust_supply(m)
    assert C.seats.sum() == total
    assert C.seats[grp[0]] > 10 and C.seats[grp[1]] < 10


# ---------------------------------------------------------------- 50+, business, churn
def test_retraining_pays_for_its_learners_before_the_aeb_while_its_money_lasts():
    m = model_with({"aeb": {"budget_gbp_per_year": 1e9, "recruitment_share": 0.0},
                    "retraining_50_plus": {"budget_gbp_per_year": 1e9, "outreach_share": 0.0}})
    open_quarter(m)
    L, C = m.state.learners, m.state.courses
    fifty = (L.age >= 50) & (L.age < 65) & (L.level < 3)
    assert m.state.funding.public_eligible[fifty].all()
    funded = np.flatnonzero(C.public_rate > 0)
    rows = np.flatnonzero(fifty & (L.course < 0))[:3]
    other = np.flatnonzero(~fifty & m.state.funding.public_eligible & (L.course < 0))[:3]
    fake_starts(m, np.concatenate([rows, other]), np.repeat(funded[:1], 6), FUND_PUBLIC)
    r50, aeb = policy(m, "retraining_50_plus").ledger(), policy(m, "aeb").ledger()
    rate = C.public_rate[funded[0]] * m.scenario.run.persons_per_agent
    # each start is paid once: the ring-fenced budget pays for the 50+, the AEB for the rest
    assert r50["public_spend_gbp"] == pytest.approx(3 * rate)
    assert aeb["public_spend_gbp"] == pytest.approx(3 * rate)
    assert (L.retraining_50_plus_provider[rows] >= 0).all() and (L.aeb_provider[rows] < 0).all()
    # with no ring-fenced money the 50+ are eligible only where the AEB's own rules say so
    m0 = model_with({"aeb": {"budget_gbp_per_year": 1e9},
                     "retraining_50_plus": {"budget_gbp_per_year": 0.0}})
    open_quarter(m0)
    L0 = m0.state.learners
    f0 = (L0.age >= 50) & (L0.age < 65) & (L0.level == 2) & (L0.status == EMPLOYED)
    assert f0.any() and not m0.state.funding.public_eligible[f0].any()
    # without an AEB the programme sets national rates up to its max level and pays itself
    m2 = model_with({"aeb": {"enabled": False}, "retraining_50_plus": {"budget_gbp_per_year": 1e6}})
    open_quarter(m2)
    L2, C2 = m2.state.learners, m2.state.courses
    elig = m2.state.funding.public_eligible
    np.testing.assert_array_equal(elig, (L2.age >= 50) & (L2.age < 65) & (L2.level < 3))
    assert (C2.public_rate[C2.level > 3] == 0).all() and (C2.public_rate > 0).any()



def test_retraining_outreach_raises_consideration_of_the_reached_and_is_paid_from_the_budget():
    budget = 2e6
    s = {"budget_gbp_per_year": budget, "outreach_share": 0.25,
         "outreach_cost_gbp_per_person": 100.0, "outreach_consider_multiplier": 4.0}
    no_recruit = {"recruitment_share": 0.0}  # the AEB's own recruitment multiplies in too
    m = model_with({"aeb": no_recruit, "retraining_50_plus": s})
    open_quarter(m)
    L = m.state.learners
    r50 = policy(m, "retraining_50_plus")
    ppa = m.scenario.run.persons_per_agent
    pool = (L.age >= 50) & (L.age < 65) & (L.level < 3) & (L.course < 0)
    hit = L.retraining_50_plus_reached.copy()
    mult = m.state.funding.consider_multiplier
    assert hit.any() and not (hit & ~pool).any()
    assert (mult[hit] == 4.0).all() and (mult[~hit] == 1.0).all()
    # about outreach money / cost per person reached, drawn at random from the pool
    want = min(pool.sum() * ppa, 0.25 * budget / 100.0)
    assert hit.sum() * ppa == pytest.approx(want, rel=0.3)
    lg = r50.ledger()
    assert lg["outreach_reached"] == hit.sum() * ppa
    assert lg["outreach_spend_gbp"] == pytest.approx(hit.sum() * ppa * 100.0)
    assert lg["public_spend_gbp"] == lg["outreach_spend_gbp"]
    assert lg["available_this_year_gbp"] == pytest.approx(budget - lg["outreach_spend_gbp"])
    # later quarters of the year keep the multiplier and pay nothing more for outreach
    reached = L.uid[hit]
    for _ in range(3):
        m.step()
    L = m.state.learners
    mult = m.state.funding.consider_multiplier
    still = np.isin(L.uid, reached)
    assert still.any() and (mult[still] == 4.0).all() and (mult[~still] == 1.0).all()
    assert r50.ledger()["outreach_spend_gbp"] == 0.0
    # without outreach nobody's multiplier moves and no money goes on it
    m0 = model_with({"aeb": no_recruit, "retraining_50_plus": {**s, "outreach_share": 0.0}})
    open_quarter(m0)
    assert (m0.state.funding.consider_multiplier == 1.0).all()
    assert not m0.state.learners.retraining_50_plus_reached.any()
    assert policy(m0, "retraining_50_plus").ledger()["outreach_spend_gbp"] == 0.0


def test_aeb_recruitment_reaches_those_it_funds_and_scales_with_the_budget():
    """Providers recruit the adults the AEB fully funds: a share of the year's budget reaches
    eligible residents not on a course at a cost each, once a year, and multiplies their chance
    of considering training for the year; twice the budget reaches about twice as many."""
    s = {"budget_gbp_per_year": 2e7, "recruitment_share": 0.1,
         "recruitment_cost_gbp_per_person": 100.0, "recruitment_consider_multiplier": 6.0}
    m = model_with({"aeb": s})
    open_quarter(m)
    L = m.state.learners
    aeb = policy(m, "aeb")
    ppa = m.scenario.run.persons_per_agent
    pool = aeb.eligible(m) & (L.course < 0) & (L.age < 65)
    hit = L.aeb_reached.copy()
    mult = m.state.funding.consider_multiplier
    assert hit.any() and not (hit & ~pool).any()
    assert (mult[hit] == 6.0).all() and (mult[~hit] == 1.0).all()
    want = min(pool.sum() * ppa, 0.1 * 2e7 / 100.0)
    assert hit.sum() * ppa == pytest.approx(want, rel=0.3)
    lg = aeb.ledger()
    assert lg["recruitment_reached"] == hit.sum() * ppa
    assert lg["recruitment_spend_gbp"] == pytest.approx(hit.sum() * ppa * 100.0)
    assert lg["public_spend_gbp"] == lg["recruitment_spend_gbp"]
    assert lg["available_this_year_gbp"] == pytest.approx(2e7 - lg["recruitment_spend_gbp"])
    # the rest of the year keeps the multiplier and pays nothing more for recruitment
    reached = L.uid[hit]
    for _ in range(3):
        m.step()
    L = m.state.learners
    still = np.isin(L.uid, reached)
    assert still.any() and (m.state.funding.consider_multiplier[still & (L.course < 0)]
                            >= 6.0).all()
    assert aeb.ledger()["recruitment_spend_gbp"] == 0.0
    # twice the budget reaches about twice as many (the pool is far from exhausted)
    m2 = model_with({"aeb": {**s, "budget_gbp_per_year": 4e7}})
    open_quarter(m2)
    assert m2.state.learners.aeb_reached.sum() == pytest.approx(2 * hit.sum(), rel=0.2)
    # no recruitment share, or no budget: nobody reached, no money spent on it
    for off in ({**s, "recruitment_share": 0.0}, {**s, "budget_gbp_per_year": 0.0}):
        m0 = model_with({"aeb": off})
        open_quarter(m0)
        assert not m0.state.learners.aeb_reached.any()
        assert (m0.state.funding.consider_multiplier == 1.0).all()
        assert policy(m0, "aeb").ledger()["recruitment_spend_gbp"] == 0.0


def test_business_support_targets_low_road_employers_within_budget():
    m = model_with({"business_support": {"budget_gbp_per_year": 2e6, "max_high_road": 0.4}})
    open_quarter(m)
    E = m.state.employers
    bs = policy(m, "business_support")
    sup = bs.supported
    assert sup.any() and (E.high_road[sup] <= 0.4).all()
    assert (E.support_multiplier[sup] == 3.0).all() and (E.support_multiplier[~sup] == 1.0).all()
    assert 4 * bs.cost_q <= 2e6 + 1e-6


def test_business_support_order_is_keyed_and_drawn_afresh_each_year():
    """Who is supported comes from a keyed draw, not the largest employers first: the same
    seed gives the same employers, and a new year draws a new order."""
    settings = {"business_support": {"budget_gbp_per_year": 2e6, "max_high_road": 0.6}}
    picks = []
    for _ in range(2):
        m = model_with(settings)
        open_quarter(m)
        first = policy(m, "business_support").supported.copy()
        E = m.state.employers
        cand = np.flatnonzero((E.high_road <= 0.6) & (E.headcount > 0))
        largest = cand[np.argsort(-E.headcount[cand], kind="stable")]
        cost = E.headcount[largest] * m.scenario.run.persons_per_agent * \
            m.scenario.policies.business_support.cost_gbp_per_employee
        by_size = np.zeros(E.n, np.bool_)
        by_size[largest[greedy_fit(cost, 2e6)]] = True
        assert not np.array_equal(first, by_size)
        for _ in range(4):
            m.step()
        picks.append((first, policy(m, "business_support").supported.copy()))
    (a1, a2), (b1, b2) = picks
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert a1.any() and a2.any() and not np.array_equal(a1, a2)


def test_policy_churn_resets_adaptation_and_trust_then_recovers():
    m = model_with({"policy_churn": {"period_years": 1, "trust_drop": 0.4,
                                     "trust_recovery_years": 1}})
    P = m.state.providers
    open_quarter(m)
    assert np.allclose(P.adaptation, 0.5)
    assert m.state.funding.participation_shift == pytest.approx(-0.4)
    open_quarter(m)
    assert m.state.funding.participation_shift == pytest.approx(-0.3)
    policy(m, "policy_churn").adjust_supply(m)
    assert (P.adaptation > 0.5).all()


# ----------------------------------------------------------------------------- schema
def test_registry_builds_each_present_section_in_order():
    sc = load("tiny.yaml", policies={"policy_churn": {}, "aeb": {}, "partnership":
                                     {"enabled": False}})
    pols = build_policies(sc)
    assert [p.name for p in pols] == ["aeb", "careers_guidance", "policy_churn"]
    assert type(pols[0]).__name__ == "CentralisedAEB"
    dev = load("tiny.yaml", policies={"aeb": {"regime": "devolved"}})
    assert type(build_policies(dev)[0]).__name__ == "DevolvedAEB"


def test_devolved_rules_under_a_centralised_aeb_are_an_error(tmp_path):
    bad = tmp_path / "d.yaml"
    bad.write_text(f"extends: {SCENARIOS / 'tiny.yaml'}\npolicies:\n  aeb:\n"
                   "    regime: centralised\n    devolved:\n      max_providers: 3\n")
    with pytest.raises(InputError) as e:
        load_scenario(bad)
    assert "d.yaml:3" in str(e.value) and "regime: devolved" in str(e.value)


def test_careers_guidance_is_a_policy_its_flag_switches_off():
    on = model_with({"careers_guidance": {"quality": 0.8}})
    off = model_with({"careers_guidance": {"enabled": False, "quality": 0.8}})
    for m in (on, off):
        open_quarter(m)
    assert on.state.funding.guidance_quality == 0.8
    assert off.state.funding.guidance_quality == 0.0
    assert "careers_guidance" not in [p.name for p in off.policies]


def test_ledgers_match_their_declarations_and_public_spend_sums_public_flows():
    from ecosim.model.policies.ledger import public_spend

    m = model_with({"aeb": {}, "training_accounts": {"state_underwrites": True},
                    "collaboration": {}, "partnership": {}, "retraining_50_plus": {},
                    "business_support": {}, "policy_churn": {}})
    m.run_quarters(2)
    row = m._ledger()  # raises if a ledger and its declaration disagree
    for p in m.policies:
        pub = [e for e in p.LEDGER if e.payer == "public" and e.kind == "flow" and not e.part_of]
        key = f"{p.name}_public_spend_gbp"
        assert (key in row) == bool(pub)
        if pub:
            assert row[key] == public_spend(p.LEDGER, p.ledger())
    ta = policy(m, "training_accounts")
    # levy-funded account spend is not public spend; the state's cover of deficits is
    assert row["training_accounts_public_spend_gbp"] == ta.q_underwritten
    assert row["training_accounts_account_spend_gbp"] == ta.q_spend


def test_policy_names_and_keys_are_checked_with_located_errors(tmp_path):
    bad = tmp_path / "b.yaml"
    bad.write_text(f"extends: {SCENARIOS / 'tiny.yaml'}\npolicies:\n  aeb:\n"
                   "    high_cost_sectors: [enginering]\n")
    with pytest.raises(InputError) as e:
        load_scenario(bad)
    msg = str(e.value)
    assert "b.yaml" in msg and "enginering" in msg and "engineering_advanced_manufacturing" in msg
    typo = tmp_path / "c.yaml"
    typo.write_text(f"extends: {SCENARIOS / 'tiny.yaml'}\npolicies:\n  aeb:\n    budget: 5\n")
    with pytest.raises(InputError) as e:
        load_scenario(typo)
    assert "budget_gbp_per_year" in str(e.value)


def test_every_column_is_declared_in_state_and_built_at_the_start():
    """No phase or policy adds a column at run time: the tables hold exactly the declared
    columns, before the first step and after quarters with every policy on."""
    from ecosim.model import state as S

    m = model_with({"aeb": {"regime": "devolved"}, "training_accounts": {
        "certification_required": False}, "collaboration": {}, "partnership": {},
        "retraining_50_plus": {}, "business_support": {}, "policy_churn": {}})
    st = m.state
    want = {"learners": set(S.LEARNER_SPEC), "providers": set(S.PROVIDER_SPEC),
            "courses": set(S.COURSE_SPEC),
            "employers": set(S.EMPLOYER_SPEC) | set(S.EMPLOYER_LEVEL_COLS)}
    for q in range(3):
        for table, cols in want.items():
            assert set(getattr(st, table).columns()) == cols, (table, q)
        m.step()
    assert all(c.owner for spec in (S.LEARNER_SPEC, S.COURSE_SPEC, S.PROVIDER_SPEC,
                                    S.EMPLOYER_SPEC, S.EMPLOYER_LEVEL_COLS)
               for c in spec.values())
