"""The one-screen policy-versus-baseline summary: the counterfactual it runs, the numbers it
shows, and the ``ecosim run`` wiring."""

from __future__ import annotations

import pandas as pd
import pytest

from ecosim.cli import main
from ecosim.report.summary import compare_to_baseline, counterfactual, final_year
from model_helpers import SCENARIOS


def frame(level3: float, spend: float, reps: int = 2) -> pd.DataFrame:
    rows = []
    for r in range(reps):
        for q in range(1, 9):
            for area in ("region", "A"):
                rows.append({"replication": r, "quarter": q, "year": 2025 + (q - 1) / 4,
                             "area": area, "share_level3_plus": level3 + q / 100,
                             "public_spend_gbp": spend, "aeb_public_spend_gbp": spend,
                             "aeb_spend_l3_gbp": spend * level3, "aeb_allocated_gbp": 4 * q,
                             "aeb_spent_gbp": 3 * q, "aeb_carried_forward_gbp": q})
    return pd.DataFrame(rows)


def test_final_year_values_and_the_table():
    base, pol = frame(0.5, 10.0), frame(0.6, 20.0)
    assert final_year(base, "share_level3_plus") == pytest.approx(0.565)
    assert final_year(pol, "public_spend_gbp", "sum") == 80.0
    text = compare_to_baseline(pol, base, policy_name="p", baseline_name="b")
    lines = text.splitlines()
    assert lines[0].startswith("what moved: p against b")
    row = next(x for x in lines if x.startswith("16-64s at Level 3+"))
    assert row.split()[-5:] == ["56.5%", "66.5%", "+10.0", "pt", "+17.7%"]  # shares in %
    assert "ledger: aeb" in lines
    l3 = next(x for x in lines if "Level 3 share of spend" in x)
    assert l3.split()[-5:] == ["50.0%", "60.0%", "+10.0", "pt", "+20.0%"]
    spend = next(x for x in lines if x.startswith("public spend"))
    assert spend.split()[-4:] == ["40", "80", "+40", "+100.0%"]  # money: whole pounds
    assert len(lines) <= 45


def test_the_counterfactual_swaps_only_the_policies():
    cf, skip = counterfactual(SCENARIOS / "north_east_devolved_aeb.yaml",
                              ["run.persons_per_agent=500",
                               "policies.training_accounts.copay_share=0.1"])
    assert cf.policies.aeb.regime == "centralised"
    assert cf.policies.training_accounts is None
    assert cf.run.persons_per_agent == 500
    assert skip == ["policies.training_accounts.copay_share=0.1"]
    assert counterfactual(SCENARIOS / "tiny.yaml")[0] is None
    assert counterfactual(SCENARIOS / "north_east_baseline.yaml")[0] is None
    assert counterfactual(SCENARIOS / "west_midlands_baseline.yaml")[0] is None
    wm, _ = counterfactual(SCENARIOS / "west_midlands_devolved_aeb.yaml")
    assert wm.policies.aeb.regime == "centralised" and wm.region.districts[0].name == "Birmingham"


def test_ecosim_run_prints_what_moved(tmp_path, capsys):
    rc = main(["run", str(SCENARIOS / "north_east_devolved_aeb.yaml"),
               "--set", "run.persons_per_agent=1000", "--set", "run.burn_in_years=0",
               "--set", "run.horizon_years=1", "--set", "employers.n_agents=60",
               "--out", str(tmp_path / "run")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "what moved: north_east_devolved_aeb against north_east_baseline" in out
    assert "commissioned providers" in out and "final year 20" not in out
    rc = main(["run", str(SCENARIOS / "north_east_devolved_aeb.yaml"), "--no-baseline",
               "--set", "run.persons_per_agent=1000", "--set", "run.burn_in_years=0",
               "--set", "run.horizon_years=1", "--set", "employers.n_agents=60",
               "--out", str(tmp_path / "run2")])
    out = capsys.readouterr().out
    assert rc == 0 and "what moved" not in out and "final year 20" in out
