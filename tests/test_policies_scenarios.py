"""Every scenario file loads, and every policy scenario runs a short horizon with its ledgers."""

from __future__ import annotations

import pytest

from ecosim.model.model import SkillsEcosystem
from ecosim.model.policies import ledger
from ecosim.scenario import load_scenario
from model_helpers import SCENARIOS

FILES = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
QUICK = ["run.persons_per_agent=2500", "run.burn_in_years=0", "run.horizon_years=1",
         "employers.n_agents=60"]


def test_the_policy_scenarios_exist():
    for name in ("north_east_devolved_aeb", "north_east_training_accounts",
                 "north_east_collaboration", "north_east_partnership", "north_east_all_policies",
                 "west_midlands_baseline", "west_midlands_devolved_aeb"):
        assert f"{name}.yaml" in FILES


@pytest.mark.parametrize("name", FILES)
def test_scenario_loads_and_runs_a_short_horizon(name):
    sc = load_scenario(SCENARIOS / name, QUICK)
    m = SkillsEcosystem(sc, rng=11)
    m.run_quarters(m.horizon_quarters)
    df = m.metrics_frame()
    assert len(df[df.area == "region"]) == 4
    for p in m.policies:
        for key in ledger.columns(p.name, p.LEDGER):
            assert key in df.columns, key
        assert p.ledger().get("overcommitted_gbp", 0.0) == 0.0
