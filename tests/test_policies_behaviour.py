"""Paired runs with the same seeds (common random numbers): each policy against its baseline,
asserting the direction and rough size of the effects the seeds describe (issue 4, DESIGN 6).

Runs use the North East baseline at 100 persons per agent with 600 employer agents, one year of
burn-in and a four-year horizon (six for the slower demand-side effect), two seeds each. The
measured effects are printed (``pytest -s``)."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.model.model import SkillsEcosystem
from model_helpers import load

SEEDS = (1, 2)
SUNDERLAND = 6


def scenario(policies: dict, years: int = 4, ppa: float = 100):
    return load("north_east_baseline.yaml",
                run={"persons_per_agent": ppa, "burn_in_years": 1, "horizon_years": years},
                employers={"n_agents": 600}, policies=policies)


class Run:
    """A model run that also records per-quarter quantities the metrics do not report."""

    def __init__(self, policies: dict, seed: int, years: int = 4):
        self.m = SkillsEcosystem(scenario(policies, years), rng=seed)
        m = self.m
        m.run_quarters(m.burn_in_quarters)
        L = m.state.learners
        q0 = m.quarter
        before = (L.course >= 0) | ((L.last_start_quarter >= 0) & (q0 - L.last_start_quarter < 4))
        self.trained_before = dict(zip(L.uid.tolist(), before.tolist(), strict=True))
        self.q0 = q0
        self.progressions = 0
        for _ in range(m.horizon_quarters):
            m.step()
            L, C = m.state.learners, m.state.courses
            new = (L.last_start_quarter == m.quarter) & (L.course >= 0) & (L.level == 3)
            self.progressions += int(np.count_nonzero(C.level[L.course[new]] >= 4))
        self.df = m.metrics_frame()

    def region(self):
        return self.df[self.df["area"] == "region"]

    def district(self, name: str):
        return self.df[self.df["area"] == name]

    def participants(self) -> tuple[int, int]:
        """(people who started a course in the horizon and were not training at its start,
        those who were), among residents present at both times."""
        L = self.m.state.learners
        started = L.last_start_quarter > self.q0
        was = np.array([self.trained_before.get(u, -1) for u in L.uid.tolist()])
        known = was >= 0
        return (int(np.count_nonzero(started & known & (was == 0))),
                int(np.count_nonzero(started & known & (was == 1))))


def paired(policies: dict, base: dict | None = None, years: int = 4):
    return [(Run(base or {}, s, years), Run(policies, s, years)) for s in SEEDS]


def share(r, key: str, of: str = "public_spend_gbp", prefix: str = "aeb") -> float:
    g = r.region()
    return float(g[f"{prefix}_{key}"].sum() / g[f"{prefix}_{of}"].sum())


@pytest.mark.slow
def test_devolving_the_same_budget_moves_provision_to_level3_priority_and_in_area():
    for base, dev in paired({"aeb": {"regime": "devolved"}}):
        l3 = (share(base, "spend_l3_gbp"), share(dev, "spend_l3_gbp"))
        enr = (base.region().funded_share_level3.mean(), dev.region().funded_share_level3.mean())
        pr = (share(base, "spend_priority_gbp"), share(dev, "spend_priority_gbp"))
        # vocational (Level 2+) provision aligned to the priority sectors, of funded starts:
        # the entry-level entitlement courses are English, maths and digital, not sector
        # provision (docs/validation.md, devolved_aeb_priority_alignment)
        voc = (base.region().funded_starts_share_priority_vocational.mean(),
               dev.region().funded_starts_share_priority_vocational.mean())
        out = (share(base, "spend_out_of_area_gbp"), share(dev, "spend_out_of_area_gbp"))
        print(f"\nAEB seed {base.m.seed_int}: L3 share of spend {l3[0]:.3f}->{l3[1]:.3f}, "
              f"of funded learners {enr[0]:.3f}->{enr[1]:.3f}; priority {pr[0]:.3f}->"
              f"{pr[1]:.3f} (vocational starts {voc[0]:.3f}->{voc[1]:.3f}); out of area "
              f"{out[0]:.3f}->{out[1]:.3f}")
        assert l3[1] > 3.0 * l3[0]            # several-fold (seed 004: seven-fold)
        # of funded learners on a course, clearly up: seed 1 gives 0.084 -> 0.158 (1.9x) since
        # the initial population's activity follows its age. The bound was 2.5x, then 2x after
        # Level 2 holders' disposition was recalibrated (seed 2: 2.4x); the several-fold claim
        # is the spend share above here and the starts share in the validation fact
        # devolved_aeb_level3_several_fold (West Midlands, full scale)
        assert enr[1] > 1.5 * enr[0]
        # priority-sector spend share up by about a fifth: 1.20x / 1.21x on seeds 1 / 2 since
        # the authority commissions only a quarter of the vocational courses outside its
        # priority sectors (non_priority_share); it was 1.16x / 1.08x with the weights alone,
        # when the bound was 1.05 (1.1 before providers recruited the AEB's learners). The
        # vocational share of funded starts, the validation fact's measure
        # (devolved_aeb_priority_alignment, seed 004: +33%), rises 1.38x / 1.28x
        assert 1.1 < pr[1] / pr[0] < 1.6
        assert voc[1] > 1.15 * voc[0]
        assert out[1] < 0.5 * out[0]          # out-of-area delivery cut
        # the same budget: allocations equal, spending within it
        a, b = base.region().iloc[-1], dev.region().iloc[-1]
        assert a.aeb_allocated_gbp == b.aeb_allocated_gbp
        assert b.aeb_spent_gbp <= b.aeb_allocated_gbp


ACCOUNTS = {"training_accounts": {"state_underwrites": True}}


@pytest.mark.slow
def test_accounts_raise_participation_mostly_among_people_not_training_before():
    for base, acc in paired(ACCOUNTS):
        p0, p1 = (base.region().participation_rate_adult.mean(),
                  acc.region().participation_rate_adult.mean())
        (n0, t0), (n1, t1) = base.participants(), acc.participants()
        print(f"\naccounts seed {base.m.seed_int}: adult participation {p0:.4f}->{p1:.4f} "
              f"({p1 / p0 - 1:+.0%}); extra participants not training before {n1 - n0}, "
              f"already training {t1 - t0} (agents)")
        assert p1 > 1.08 * p0
        assert n1 - n0 > 0
        assert n1 - n0 > 3 * max(t1 - t0, 0)


@pytest.mark.slow
def test_without_certification_low_quality_spending_grows_and_outcomes_per_pound_fall():
    nocert = {"training_accounts": {"state_underwrites": True,
                                    "certification_required": False}}
    for cert, free in paired(nocert, base=ACCOUNTS):
        g = free.region()
        n = len(g) // 2
        first = g.training_accounts_spend_uncertified_gbp[:n].sum() / \
            g.training_accounts_account_spend_gbp[:n].sum()
        second = g.training_accounts_spend_uncertified_gbp[n:].sum() / \
            g.training_accounts_account_spend_gbp[n:].sum()
        assert cert.region().training_accounts_spend_uncertified_total_gbp.iloc[-1] == 0.0

        def per_1k(r, key):
            last = r.region().iloc[-1]
            return 1000.0 * last[f"training_accounts_{key}"] / last.training_accounts_spend_gbp

        lv = (per_1k(cert, "level_gains_total"), per_1k(free, "level_gains_total"))
        cp = (per_1k(cert, "completions_total"), per_1k(free, "completions_total"))
        print(f"\ncertification seed {cert.m.seed_int}: uncertified share of account spend "
              f"{first:.3f} (first half) -> {second:.3f} (second half); qualification level "
              f"gains per GBP 1k {lv[0]:.4f}->{lv[1]:.4f}; completions per GBP 1k "
              f"{cp[0]:.4f}->{cp[1]:.4f}")
        assert 0.0 < first < second
        assert lv[1] < 0.98 * lv[0]


@pytest.mark.slow
def test_collaboration_raises_fe_he_progression_and_level4_in_the_satellite_district():
    collab = {"collaboration": {"satellite_district": "Sunderland", "earmark_share": 0.05}}
    pairs = paired(collab)
    prog = [sum(b.progressions for b, _ in pairs), sum(c.progressions for _, c in pairs)]
    l4 = [np.mean([r.district("Sunderland").share_level4_plus.tail(4).mean() for r in side])
          for side in zip(*pairs, strict=True)]
    print(f"\ncollaboration: Level 3 holders starting Level 4+ {prog[0]}->{prog[1]} (agents, "
          f"two seeds); Sunderland Level 4+ share {l4[0]:.4f}->{l4[1]:.4f}")
    assert prog[1] > 1.2 * prog[0]
    assert l4[1] > l4[0] + 0.002


@pytest.mark.slow
def test_business_support_plus_training_raises_low_road_district_wages_more_than_training():
    support = {"business_support": {"districts": ["Sunderland"], "budget_gbp_per_year": 30e6,
                                     "support_multiplier": 5.0}}
    diffs = []
    for seed in SEEDS:
        runs = [Run(p, seed, years=6) for p in ({}, ACCOUNTS, {**ACCOUNTS, **support})]
        # pay in the district's jobs (workplace-based, as ONS ASHE): residents' pay also moves
        # with who commutes in to the better jobs, which hides the employers' move
        w = [r.district("Sunderland").mean_wage_workplace_gbp.tail(4).mean() for r in runs]
        hr = [r.district("Sunderland").employer_high_road_mean.tail(4).mean() for r in runs]
        print(f"\nbusiness support seed {seed}: Sunderland workplace pay base {w[0]:.0f}, training "
              f"{w[1]:.0f}, training + support {w[2]:.0f}; high-road {hr[0]:.3f}, "
              f"{hr[1]:.3f}, {hr[2]:.3f}")
        assert hr[2] > hr[1] + 0.02
        diffs.append((w[2] - w[0]) - (w[1] - w[0]))
    assert np.mean(diffs) > 0


@pytest.mark.slow
def test_policy_churn_lowers_participation():
    for base, churn in paired({"policy_churn": {}}):
        p0 = base.region().participation_rate_adult.mean()
        p1 = churn.region().participation_rate_adult.mean()
        print(f"\nchurn seed {base.m.seed_int}: adult participation {p0:.4f}->{p1:.4f} "
              f"({p1 / p0 - 1:+.1%})")
        assert p1 < p0
