"""Experiment files: located errors before anything runs, the run plan, seeds and batching."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from ecosim.errors import InputError
from ecosim.experiments.design import plan, sample
from ecosim.experiments.resolve import load_experiment
from ecosim.experiments.runner import _open_or_create, run_sweep, runs_per_task
from ecosim.model.rng import replication_seeds

TINY = ROOT / "scenarios" / "tiny.yaml"

GOOD = f"""
name: t
scenario: {TINY}
set: {{run.horizon_years: 1}}
method: sobol
N: 8
replications: 2
seed: 7
parameters:
  - {{path: policies.careers_guidance.quality, bounds: [0.2, 0.8]}}
  - {{path: labour_market.wage_isomorphism, bounds: [0.1, 0.9]}}
outputs:
  - {{metric: share_level3_plus}}
"""


def bad(write, old: str, new: str) -> str:
    """The message of loading GOOD with ``old`` replaced by ``new``."""
    assert old in GOOD
    f = write("e.yaml", GOOD.replace(old, new))
    with pytest.raises(InputError) as ei:
        load_experiment(f)
    msg = str(ei.value)
    assert "Traceback" not in msg
    return msg


def test_good_file_loads(write):
    s = load_experiment(write("e.yaml", GOOD))
    assert s.labels == ["policies.careers_guidance.quality", "labour_market.wage_isomorphism"]
    assert s.kinds == ["float", "float"] and s.base["run"]["horizon_years"] == 1


def test_dotted_path_not_in_scenario(write):
    msg = bad(write, "careers_guidance.quality", "careers_guidance.qualty")
    assert "e.yaml:9:6: parameters.0.path:" in msg
    assert "'policies.careers_guidance.qualty' is not in the scenario" in msg
    assert "did you mean 'quality'?" in msg
    msg = bad(write, "labour_market.wage_isomorphism", "labour_markt.wage_isomorphism")
    assert "parameters.1.path" in msg and "did you mean 'labour_market'?" in msg


def test_bounds_outside_field_range(write):
    msg = bad(write, "bounds: [0.2, 0.8]", "bounds: [0.2, 1.5]")
    assert "e.yaml:9:" in msg and "parameters.0.bounds" in msg
    assert "bounds [0.2, 1.5] leave the valid range of policies.careers_guidance.quality: " \
           ">= 0 and <= 1" in msg


def test_n_not_power_of_two(write):
    msg = bad(write, "N: 8", "N: 1000")
    assert "e.yaml:5:1: N: must be a power of two for sobol (got 1000; try 512 or 1024)" in msg


def test_several_problems_reported_together(write):
    text = GOOD.replace("N: 8", "N: 12").replace("metric: share_level3_plus",
                                                   "metric: share_levl3_plus, area: Gatshead")
    with pytest.raises(InputError) as ei:
        load_experiment(write("e.yaml", text))
    msg = str(ei.value)
    assert "power of two" in msg  # a file-level problem stops before the scenario checks
    f = write("e2.yaml", GOOD.replace("metric: share_level3_plus",
                                      "metric: share_levl3_plus, area: Gatshead"))
    with pytest.raises(InputError) as ei:
        load_experiment(f)
    msg = str(ei.value)
    assert "2 problems" in msg
    assert "outputs.0.metric: unknown metric 'share_levl3_plus'; did you mean " \
           "'share_level3_plus'?" in msg
    assert "outputs.0.area: unknown area 'Gatshead'; did you mean 'Gateshead'?" in msg


def test_unknown_experiment_key_and_method(write):
    msg = bad(write, "replications: 2", "replicatons: 2")
    assert "e.yaml:6:1: replicatons: unknown key; did you mean 'replications'?" in msg
    msg = bad(write, "method: sobol", "method: sobel")
    assert "method:" in msg and "'sobol'" in msg and "(got 'sobel')" in msg


def test_value_that_breaks_a_cross_field_rule(write):
    text = GOOD.replace("method: sobol\nN: 8", "method: grid").replace(
        "{path: labour_market.wage_isomorphism, bounds: [0.1, 0.9]}",
        "{path: labour_market.applications_per_searcher, values: [2, 9]}").replace(
        "bounds: [0.2, 0.8]", "values: [0.5]")
    with pytest.raises(InputError) as ei:
        load_experiment(write("e.yaml", text))
    msg = str(ei.value)
    assert "parameters.1.values: with labour_market.applications_per_searcher = 9 the " \
           "scenario is invalid: labour_market.applications_per_searcher: cannot exceed " \
           "candidates_per_searcher" in msg


def test_method_specific_rules(write):
    msg = bad(write, "bounds: [0.2, 0.8]", "values: [0.2, 0.8]")
    assert "'values' are for grid sweeps; sobol needs 'bounds'" in msg
    msg = bad(write, "bounds: [0.2, 0.8]", "bounds: [0.8, 0.2]")
    assert "low must be below high" in msg
    msg = bad(write, "path: policies.careers_guidance.quality", "path: run.start_year, "
              "distribution: triang")
    assert "needs 'peak'" in msg
    msg = bad(write, "path: policies.careers_guidance.quality", "path: policies")
    assert "'policies' is a section, not a single value" in msg
    msg = bad(write, f"scenario: {TINY}", "scenario: nowhere.yaml")
    assert "scenario: no such scenario file 'nowhere.yaml'" in msg
    msg = bad(write, "set: {run.horizon_years: 1}", "set: {run.horizon_yeers: 1}")
    assert "set.run.horizon_yeers: not a scenario setting" in msg and "horizon_years" in msg


def test_function_experiment_rules(write):
    f = write("f.yaml", """
        name: f
        function: ishigami
        method: sobol
        N: 16
        parameters:
          - {path: x1, bounds: [-3, 3]}
          - {path: x4, bounds: [-3, 3]}
        """)
    with pytest.raises(InputError) as ei:
        load_experiment(f)
    msg = str(ei.value)
    assert "parameters.1.path: ishigami has inputs x1, x2, x3; got 'x4'" in msg
    assert "needs every input; missing x2, x3" in msg


def test_shipped_experiments_are_valid():
    files = sorted((ROOT / "experiments").glob("*.yaml"))
    assert len(files) >= 4
    for f in files:
        s = load_experiment(f)
        assert s.experiment.name and s.labels


def test_cli_bad_experiment_exit_2_and_nothing_written(tmp_path, write):
    f = write("e.yaml", GOOD.replace("N: 8", "N: 6"))
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "ecosim", "sweep", str(f), "--out", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: ") and "must be a power of two" in r.stderr
    assert "Traceback" not in r.stderr and not out.exists()


# ------------------------------------------------------------------------------ the plan
def test_plan_seeds_are_common_random_numbers(write):
    s = load_experiment(write("e.yaml", GOOD))
    p = plan(s)
    assert len(p) == 8 * (2 + 2) * 2 and list(p.columns[:4]) == ["sample", "replication",
                                                                  "seed", "run_id"]
    expect = replication_seeds(7, 2)
    for r in (0, 1):
        assert set(p.loc[p["replication"] == r, "seed"]) == {expect[r]}
    assert p["run_id"].is_unique
    assert plan(s)["run_id"].tolist() == p["run_id"].tolist()  # deterministic
    s2 = load_experiment(write("e2.yaml", GOOD + "common_random_numbers: false\n"))
    p2 = plan(s2)
    assert p2["seed"].is_unique and p2["seed"].tolist()[:2] == replication_seeds(7, 64)[:2]


def test_same_resolved_scenario_shares_a_run(write):
    text = GOOD.replace("{path: labour_market.wage_isomorphism, bounds: [0.1, 0.9]}",
                        "{path: labour_market.matching_rounds, bounds: [1, 2]}")
    s = load_experiment(write("e.yaml", text))
    assert s.kinds == ["float", "int"]
    d = sample(s)
    assert set(d["labour_market.matching_rounds"]) <= {1, 2}
    p = plan(s)
    assert p["run_id"].nunique() < len(p)  # rounding makes some samples identical
    key = p.groupby("run_id")[["policies.careers_guidance.quality",
                               "labour_market.matching_rounds", "seed"]].nunique()
    assert (key == 1).all().all()


def test_sobol_design_is_nested(write):
    s = load_experiment(write("e.yaml", GOOD.replace("N: 8", "N: 16")))
    small = load_experiment(write("e2.yaml", GOOD.replace("N: 8", "N: 4")))
    big, little = sample(s).to_numpy(), sample(small).to_numpy()
    np.testing.assert_array_equal(big[: len(little)], little)


def test_tasks_hold_at_least_a_tenth_of_a_second():
    assert runs_per_task(10_000, 1e-5, 2) == 10_000  # cheap runs: one big task
    assert runs_per_task(1000, 0.2, 2) == 5  # ~1 s tasks
    assert runs_per_task(10, 0.2, 2) == 2  # few runs: balance, but never under 0.1 s
    assert runs_per_task(3, 5.0, 8) == 1


def test_existing_sweep_needs_resume_and_same_plan(tmp_path, write):
    s = load_experiment(write("e.yaml", GOOD))
    _open_or_create(s, tmp_path / "sw", resume=False)
    with pytest.raises(InputError, match="already holds an unfinished sweep; use --resume"):
        run_sweep(s, tmp_path / "sw")
    other = load_experiment(write("e2.yaml", GOOD.replace("seed: 7", "seed: 8")))
    with pytest.raises(InputError, match="different plan"):
        run_sweep(other, tmp_path / "sw", resume=True)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "x.txt").write_text("x")
    with pytest.raises(InputError, match="not empty and holds no sweep"):
        run_sweep(s, tmp_path / "junk")
