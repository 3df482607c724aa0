"""The Lifelong Learning Entitlement (policies/lifelong_learning_entitlement.py): the loan book
is conserved, the age limit and the entitlement hold, modules bank credit (across providers
with a skills passport), bad settings are refused, and over paired runs (same seeds) the
entitlement raises Level 4-6 starts of adults 25+ while participation falls by little.

Runs use ``scenarios/tiny.yaml`` cut down, with the entitlement open from the first reported
quarter. Measured effects are printed (``pytest -s``)."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.errors import InputError
from ecosim.model.model import SkillsEcosystem
from ecosim.model.phases import learning
from ecosim.model.state import FUND_LOAN
from ecosim.scenario import load_scenario
from model_helpers import SCENARIOS, small

SEEDS = (1, 2)
LLE = "lifelong_learning_entitlement"


def lle(years: int = 2, **settings):
    return small(run={"horizon_years": years},
                 policies={LLE: {"start_year": 2025, **settings}})


def test_loan_book_is_conserved_and_entitlement_and_age_limit_hold():
    """Each quarter: outstanding = loans issued - repayments - write-offs - balances that
    left; public spend = loans issued; nobody borrows more tuition than the entitlement, and
    every loan-financed starter is within the age limits."""
    sc = lle(years=2, max_age=45.0, min_age=20.0, entitlement_gbp=12000.0)
    m = SkillsEcosystem(sc, rng=3)
    pol = m.policies[-1]
    s = pol.settings
    starters = 0
    repaid = 0.0
    for _ in range(m.burn_in_quarters + m.horizon_quarters):
        m.step()
        g = pol.ledger()
        L = m.state.learners
        assert abs(g["unexplained_balance_gbp"]) <= 1e-6 * max(1.0, g["loans_total_gbp"])
        assert np.isclose(g["outstanding_gbp"], g["loans_total_gbp"] - g["repayments_total_gbp"]
                          - g["written_off_total_gbp"] - g["balances_left_total_gbp"])
        assert np.isclose(m._ledger()[f"{LLE}_public_spend_gbp"], g["loans_issued_gbp"])
        assert np.all(L.lle_used <= s.entitlement_gbp + 1e-9)
        new = (L.funding_source == FUND_LOAN) & (L.last_start_quarter == m.quarter) & \
            (L.course >= 0)
        starters += int(np.count_nonzero(new))
        assert np.all((L.age[new] >= s.min_age) & (L.age[new] < s.max_age))
        repaid += g["repayments_gbp"]
    assert starters > 0, "nobody borrowed: the test would prove nothing"
    assert repaid > 0
    assert g["module_starts"] >= 0 and g["maintenance_loans_gbp"] >= 0


def test_off_or_not_yet_open_changes_nothing():
    """Before its start year the entitlement leaves every model metric bit for bit as in the
    baseline (its module rows have no places until it opens)."""
    base = small(run={"horizon_years": 1})
    later = small(run={"horizon_years": 1}, policies={LLE: {"start_year": 2030}})
    a = SkillsEcosystem(base, rng=5)
    b = SkillsEcosystem(later, rng=5)
    for m in (a, b):
        m.run_quarters(m.burn_in_quarters + m.horizon_quarters)
    fa, fb = a.metrics_frame(), b.metrics_frame()
    shared = [c for c in fa.columns if c in fb.columns]
    assert len(shared) == len(fa.columns)
    assert fa[shared].equals(fb[shared])


def _paired(seed: int, **settings):
    out = []
    for pol in (None, settings):
        sc = small(run={"horizon_years": 3}) if pol is None else lle(years=3, **pol)
        m = SkillsEcosystem(sc, rng=seed)
        m.run_quarters(m.burn_in_quarters + m.horizon_quarters)
        r = m.metrics_frame()
        out.append(r[r["area"] == "region"])
    return out


@pytest.mark.parametrize("modular", [True, False])
def test_entitlement_raises_adult_level4_6_starts_participation_falls_little(modular):
    """Same seeds: Level 4-6 starts by adults 25+ rise by more than 5% (measured on tiny: about
    +80% with modules, +9 to +12% with whole courses only). Adult participation in learning at
    any level falls a little in these runs (by up to 0.4 points over three years;
    FE-and-skills participation by 0.5-0.9 points, as adults move to Level 4-6 study): the test
    bounds the fall at one point (docs/odd.md 8.10 says why this is a known gap)."""
    for seed in SEEDS:
        base, pol = _paired(seed, modular=modular)
        starts = [float((r["adult_starts_level4_5"] + r["adult_starts_level6_plus"]).sum())
                  for r in (base, pol)]
        part = [float(r["participation_rate_adult_any_level"].iloc[-4:].mean())
                for r in (base, pol)]
        fe = [float(r["participation_rate_adult"].iloc[-4:].mean()) for r in (base, pol)]
        print(f"seed {seed} modular={modular}: adult L4-6 starts {starts[0]:.0f} -> "
              f"{starts[1]:.0f}; participation any level {part[0]:.4f} -> {part[1]:.4f}; "
              f"FE and skills {fe[0]:.4f} -> {fe[1]:.4f}")
        assert starts[1] > 1.05 * starts[0]
        assert part[1] >= part[0] - 0.01


def test_modules_bank_credit_and_a_passport_carries_it_across_providers():
    """A module completion raises the band only once the credit adds up to a qualification;
    credit from another provider counts only with credit transfer."""
    m = SkillsEcosystem(lle(years=1), rng=1)
    pol = m.policies[-1]
    C = m.state.courses
    L = m.state.learners
    rows = pol.module_rows
    # two modules of the same band and sector at different providers
    key = C.level[rows].astype(np.int64) * 100 + C.sector[rows]
    pair = None
    for k in np.unique(key):
        grp = rows[key == k]
        provs = np.unique(C.provider[grp])
        if provs.size >= 2:
            pair = (grp[C.provider[grp] == provs[0]][0], grp[C.provider[grp] == provs[1]][0])
            break
    assert pair is not None
    a, b = pair
    i = int(np.flatnonzero(L.level == C.level[a] - 1)[0])
    share = float(C.credit_share[a])
    assert C.credit_share[b] == share and share < 1.0
    n_mod = int(round(1.0 / share))
    units = np.zeros(L.n, np.bool_)
    units[i] = True
    for transfer, expect_done in ((False, False), (True, True)):
        m.state.funding.credit_transfer = transfer
        L.unit_credit[i] = 0.0
        L.unit_credit_level[i] = -1
        lv0 = int(L.level[i])
        for k in range(n_mod):
            course = np.full(L.n, -1, np.int64)
            course[i] = a if k % 2 == 0 else b  # alternate providers
            before = L.level.copy()
            L.level[i] = C.level[a]  # as the progress kernel leaves a completer
            awarded = np.zeros(L.n, np.bool_)
            awarded[i] = True
            learning.bank_unit_credit(m, units, course, before, awarded)
            if k < n_mod - 1:
                assert L.level[i] == lv0 and not awarded[i]
        assert (L.level[i] == C.level[a]) == expect_done
        L.level[i] = lv0


@pytest.mark.parametrize("override,needle", [
    ("policies.lifelong_learning_entitlement.max_age=30", "max_age"),
    ("policies.lifelong_learning_entitlement.entitlement_gbp=-5", "greater than or equal"),
    ("policies.lifelong_learning_entitlement.modular=maybe", "modular"),
    ("policies.lifelong_learning_entitlement.repayment_rate=1.5", "less than or equal"),
    ("policies.lifelong_learning_entitlement.entitlment_gbp=5", "did you mean"),
])
def test_bad_settings_are_refused(override, needle):
    sets = ["policies.lifelong_learning_entitlement.min_age=40", override] \
        if "max_age" in override else [override]
    with pytest.raises(InputError) as e:
        load_scenario(SCENARIOS / "north_east_lifelong_learning_entitlement.yaml", sets)
    assert needle in str(e.value)


def test_scenario_file_is_valid_and_opens_in_2027():
    sc = load_scenario(SCENARIOS / "north_east_lifelong_learning_entitlement.yaml")
    s = sc.policies.lifelong_learning_entitlement
    assert s is not None and s.start_year == 2027 and s.entitlement_gbp == 38140
    assert sc.description


def test_workshop_levers_switch_the_entitlement_on_with_its_settings():
    from ecosim.viz import levers

    scn = load_scenario(SCENARIOS / "tiny.yaml")
    defaults = {lv.name: levers.scenario_value(scn, lv) for lv in levers.LEVERS}
    assert defaults["lle_entitlement"] == 0  # the baseline has no entitlement
    ov = levers.overrides(scn, {**defaults, "lle_entitlement": 20000, "lle_max_age": 50,
                                "lle_modular": False})
    got = load_scenario(SCENARIOS / "tiny.yaml", [f"{k}={v}" for k, v in ov]) \
        .policies.lifelong_learning_entitlement
    assert got is not None and got.enabled
    assert (got.entitlement_gbp, got.max_age, got.modular) == (20000, 50, False)
    # an age limit without an entitlement does nothing
    assert levers.overrides(scn, {**defaults, "lle_max_age": 50}) == []
