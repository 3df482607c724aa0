"""Paired runs on the tiny scenario (same seeds): a training account's balance prompts its
holder to consider training (``consider_uplift``), and uncertified providers' certificates
count as qualifications less often (``uncertified_market.recognition_share``).

Measured (tiny, 250 persons per agent, 1 + 3 years, seeds 1-3): adult participation 4.4-4.6% with
no prompt, 6.1% at 0.7; Level 3+ attainments 7,000-12,250 -> 11,000-15,750; level gains per
GBP 1k of account spend without certification 0.23-0.27 at full recognition, 7-15% lower at 0.3.
"""

from __future__ import annotations

from ecosim.model.simulate import simulate
from model_helpers import load

SEEDS = (1, 2)


def region(accounts: dict, seed: int):
    sc = load("tiny.yaml", run={"persons_per_agent": 250, "burn_in_years": 1, "horizon_years": 3},
              policies={"training_accounts": {"state_underwrites": True, **accounts}})
    df = simulate(sc, seed)
    return df[df["area"] == "region"]


def test_the_account_prompt_raises_participation_and_level3_attainment_with_its_size():
    for seed in SEEDS:
        runs = [region({"consider_uplift": u}, seed) for u in (0.0, 0.35, 0.7)]
        part = [float(r.participation_rate_adult.mean()) for r in runs]
        starts = [float(r.training_accounts_account_starts.sum()) for r in runs]
        attained = [float(r.attained_level3_plus.sum()) for r in runs]
        print(f"\nseed {seed}: adult participation {[round(p, 4) for p in part]}, account "
              f"starts {starts}, Level 3+ attainments {attained}")
        assert part[0] < part[1] < part[2]
        assert part[2] > 1.15 * part[0]
        assert starts[0] < starts[1] < starts[2]
        assert attained[2] > attained[0]


def test_the_prompt_follows_the_salience_of_the_units():
    """In hours (salience 0.5) the same uplift prompts half as much: fewer account starts."""
    for seed in SEEDS:
        money = region({"consider_uplift": 0.7}, seed).training_accounts_account_starts.sum()
        hours = region({"consider_uplift": 0.7, "units": "hours"},
                       seed).training_accounts_account_starts.sum()
        flat = region({"consider_uplift": 0.0, "units": "hours"},
                      seed).training_accounts_account_starts.sum()
        print(f"\nseed {seed}: account starts money {money}, hours {hours}, hours unprompted "
              f"{flat}")
        assert flat < hours < money


def test_uncertified_certificates_recognised_less_often_lower_level_gains_per_pound():
    def per_1k(share: float, seed: int) -> float:
        last = region({"certification_required": False,
                       "uncertified_market": {"recognition_share": share}}, seed).iloc[-1]
        return 1000.0 * last.training_accounts_level_gains_total / \
            last.training_accounts_spend_gbp

    for seed in SEEDS:
        full, low = per_1k(1.0, seed), per_1k(0.3, seed)
        print(f"\nseed {seed}: level gains per GBP 1k, recognition 1.0 {full:.4f}, 0.3 {low:.4f}")
        assert low < 0.97 * full
