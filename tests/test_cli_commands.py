"""ecosim metrics, run summaries, policy runs with their baseline, --json and -q."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from ecosim.metric_info import all_metrics, info

TINY = str(ROOT / "scenarios" / "tiny.yaml")
SHORT = ["--set", "run.horizon_years=1", "--set", "run.burn_in_years=0"]


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL)


def test_metrics_lists_every_metric_with_unit_kind_and_areas():
    from ecosim.model.metrics import METRICS

    r = cli("metrics", "--json")
    assert r.returncode == 0, r.stderr
    rows = {m["name"]: m for m in json.loads(r.stdout)}
    assert set(rows) == set(METRICS)
    assert rows["starts"]["kind"] == "flow" and rows["starts"]["unit"] == "persons"
    assert rows["share_level3_plus"] == {**rows["share_level3_plus"], "unit": "share",
                                         "kind": "stock", "low": 0.0, "high": 1.0}
    assert rows["participation_rate_low_qualified"]["kind"] == "rolling"
    assert rows["mean_wage_gbp"]["unit"] == "GBP a year"
    assert rows["public_spend_gbp"]["areas"] == "region only"
    text = cli("metrics").stdout
    assert "public_spend_gbp" in text and "[region only]" in text and "flow" in text


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "r"
    # one burn-in year, so that rolling 4-quarter ratios have data in every district
    r = cli("run", TINY, "-r", "2", "--out", str(out), "--set", "run.horizon_years=1")
    assert r.returncode == 0, r.stderr
    return out, r


def test_region_only_metrics_match_what_the_model_reports(tiny_run):
    df = pd.read_parquet(tiny_run[0] / "metrics.parquet")
    districts = df[df["area"] != "region"]
    for m in all_metrics():
        all_nan = bool(districts[m.name].isna().all())
        assert all_nan == (m.areas == "region only"), m.name


def test_run_summary_has_units_no_exponents_and_says_how(tiny_run):
    out, r = tiny_run
    text = r.stdout
    assert not re.search(r"\de[+-]\d", text), text
    year = int(pd.read_parquet(out / "metrics.parquet")["year"].max())
    assert f"final year {year}, region, 2 replications" in text
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("share_level3_plus"))
    assert "%" in line and "mean of the 4 quarters" in line
    spend = next(ln for ln in text.splitlines() if ln.strip().startswith("public_spend_gbp"))
    assert "GBP" in spend and "total over the year" in spend
    # intervals stay inside the metric's range
    for ln in text.splitlines():
        for lo in re.findall(r"\[(-?[\d.]+)%", ln):
            assert float(lo) >= 0


def test_final_year_table_clips_intervals_and_sums_flows():
    from ecosim.report.summary import final_year_table

    rows = []
    for rep, share in enumerate([0.001, 0.3]):  # wide interval around a small share
        for q in range(1, 5):
            rows.append({"replication": rep, "quarter": q, "year": 2025.0, "area": "region",
                         "share_level3_plus": share, "public_spend_gbp": 10.0 * (rep + 1)})
    t = final_year_table(pd.DataFrame(rows)).set_index("metric")
    assert t.loc["share_level3_plus", "low"] == 0.0 and t.loc["share_level3_plus", "how"] == "mean"
    assert t.loc["public_spend_gbp", "how"] == "sum"
    assert t.loc["public_spend_gbp", "value"] == pytest.approx(60.0)  # (40 + 80) / 2
    assert info("public_spend_gbp").low == 0.0 and math.isinf(info("public_spend_gbp").high)


def test_policy_run_says_it_runs_the_baseline_first_and_saves_it(tmp_path):
    pol = tmp_path / "pol.yaml"
    pol.write_text(f"extends: {TINY}\nname: tiny_devolved\npolicies:\n  aeb:\n"
                   "    regime: devolved\n")
    out = tmp_path / "run"
    r = cli("run", str(pol), "--out", str(out), *SHORT)
    assert r.returncode == 0, r.stderr
    err = r.stderr
    assert err.index("its baseline tiny runs with the same seeds") < err.index("baseline: tiny")
    assert "what moved: tiny_devolved against tiny" in r.stdout
    base = pd.read_parquet(out / "baseline_metrics.parquet")
    paired = pd.read_parquet(out / "paired.parquet")
    assert set(base["area"]) == set(pd.read_parquet(out / "metrics.parquet")["area"])
    row = paired[paired["metric"] == "public_spend_gbp"].iloc[0]
    assert row["difference"] == pytest.approx(row["policy"] - row["baseline"])
    assert (out / "comparison.txt").read_text().startswith("what moved")
    # the run directory with its baseline files can be replaced with --overwrite
    r = cli("run", str(pol), "--out", str(out), "--overwrite", "--no-baseline", "-q", *SHORT)
    assert r.returncode == 0, r.stderr


def test_json_and_quiet(tmp_path):
    r = cli("run", TINY, "--json", "--out", str(tmp_path / "r"), *SHORT)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["results"] == str(tmp_path / "r") and d["baseline"] is None
    row = next(x for x in d["final_year"] if x["metric"] == "share_level3_plus")
    assert 0 < row["value"] < 1 and row["unit"] == "share"
    r = cli("check", TINY, str(ROOT / "scenarios" / "nonexistent.yaml"), "--json")
    assert r.returncode == 2
    rows = json.loads(r.stdout)
    assert [x["ok"] for x in rows] == [True, False] and "nonexistent" in rows[1]["error"]
    assert cli("check", TINY, "-q").stdout == ""
    assert cli("schema", "--out", str(tmp_path / "s.json"), "-q").stdout == ""
    assert "tiny.yaml" in cli("scenarios", "-q").stdout.split()
    assert np.isfinite(json.loads(cli("metrics", "--json", "-q").stdout)[0]["low"])
