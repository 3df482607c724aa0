"""A small sweep of the real model through the command line: runs, seeds shared across samples,
a failing run recorded with its error and parameters, and a run equal to a direct simulation."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

TINY = ROOT / "scenarios" / "tiny.yaml"

GRID = f"""
name: tiny_grid
scenario: {TINY}
set: {{run.horizon_years: 1, run.burn_in_years: 0}}
method: grid
replications: 2
seed: 11
parameters:
  - {{name: applications, path: labour_market.applications_per_searcher, values: [1, 6]}}
  - {{name: candidates, path: labour_market.candidates_per_searcher, values: [4, 8]}}
outputs:
  - {{metric: employment_rate}}
  - {{metric: share_level3_plus, area: Sunderland, when: final}}
  - {{metric: unemployment_rate, when: path}}
"""


@pytest.mark.slow
@pytest.mark.e2e
def test_tiny_grid_sweep_end_to_end(tmp_path, write):
    exp = write("grid.yaml", GRID)
    out = tmp_path / "sweep"
    r = subprocess.run([sys.executable, "-m", "ecosim", "sweep", str(exp), "--out", str(out),
                        "--workers", "1"], capture_output=True, text=True, timeout=400,
                       stdin=subprocess.DEVNULL)
    # applications 6 > candidates 4 is invalid: those 2 runs fail, the other 6 complete
    assert r.returncode == 1, r.stdout + r.stderr
    assert "sweep: 8 runs (8 distinct), 8 run now, 2 failed" in r.stdout
    assert "2 run(s) failed; see" in r.stderr and "cannot exceed candidates_per_searcher" \
        in r.stderr and "--resume' retries them" in r.stderr
    assert "starting workers (loading kernels)" in r.stderr  # said while the workers start
    fail = pd.read_csv(out / "failures.csv")
    assert len(fail) == 2 and set(fail["applications"]) == {6} and \
        set(fail["candidates"]) == {4}
    assert fail["error"].str.contains("invalid scenario").all()

    res = pd.read_parquet(out / "results.parquet")
    assert list(res.columns) == ["sample", "replication", "seed", "run_id", "applications",
                                 "candidates", "output", "quarter", "value"]
    assert sorted(res["sample"].unique()) == [0, 1, 3]  # sample 2 = (6, 4) failed
    assert len(res) == 3 * 2 * (1 + 1 + 4)
    runs = res.drop_duplicates("run_id")
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()  # shared across samples
    assert runs["seed"].nunique() == 2
    emp = res[res["output"] == "employment_rate"].pivot(index="sample", columns="replication",
                                                        values="value")
    assert emp.notna().all().all() and emp.nunique().min() > 1  # samples differ
    assert res[res["output"] == "unemployment_rate"]["quarter"].tolist()[:4] == [1, 2, 3, 4]
    samples = pd.read_parquet(out / "samples.parquet")
    assert {"applications", "candidates", "mean", "sd", "low", "high"} <= set(samples.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["failed"] == 2 and manifest["runs"] == 8

    # one run of the sweep equals the model run directly with its scenario and seed
    from ecosim.model.simulate import simulate
    from ecosim.scenario import load_scenario

    row = runs[(runs["sample"] == 3) & (runs["replication"] == 1)].iloc[0]
    scn = load_scenario(TINY, ["run.horizon_years=1", "run.burn_in_years=0",
                               "labour_market.applications_per_searcher=6",
                               "labour_market.candidates_per_searcher=8"])
    frame = simulate(scn, int(row["seed"]))
    region = frame[frame["area"] == "region"].sort_values("quarter")
    want = region["employment_rate"].to_numpy()[-4:].mean()
    got = res[(res["run_id"] == row["run_id"]) & (res["output"] == "employment_rate")]
    assert np.float64(got["value"].iloc[0]) == want
