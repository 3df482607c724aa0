"""The command line refuses bad paths and values before any work, in one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

TINY = str(ROOT / "scenarios" / "tiny.yaml")


def cli(*args: str, cwd=ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)


def one_error_line(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.fixture
def a_file(tmp_path):
    f = tmp_path / "a-file"
    f.write_text("not a directory")
    return f


def test_run_out_below_a_file_is_refused_before_the_run(a_file):
    r = cli("run", TINY, "--out", str(a_file / "sub" / "run"))
    line = one_error_line(r)
    assert "is a file, not a directory" in line and str(a_file) in line
    assert "compiling" not in r.stderr and "results:" not in r.stdout  # nothing ran


def test_run_out_that_is_a_file_is_refused(a_file):
    line = one_error_line(cli("run", TINY, "--out", str(a_file)))
    assert "not a directory" in line


def test_schema_out_below_a_file_is_refused(a_file):
    line = one_error_line(cli("schema", "--out", str(a_file / "s.json")))
    assert "is a file, not a directory" in line


def test_sweep_out_below_a_file_is_refused(a_file):
    exp = ROOT / "experiments" / "ishigami.yaml"
    r = cli("sweep", str(exp), "--out", str(a_file / "sweep"))
    assert "is a file, not a directory" in one_error_line(r)


@pytest.mark.parametrize(("spec", "expect"), [
    ("run.horizon_years=true", "run.horizon_years: expected a number, got True"),
    ("run.seed=9223372036854775808", "run.seed: should be less than or equal to "
                                     "9223372036854775807"),
    ("region.districts.-1.deprivation=0.3", "negative list index -1"),
])
def test_bad_set_values_are_refused(spec, expect):
    r = cli("check", TINY, "--set", spec)
    assert r.returncode == 2 and expect in r.stdout, r.stdout


def test_seed_flag_outside_range_is_refused():
    line = one_error_line(cli("run", TINY, "--seed", str(2**63), "--out", "/nonexistent/x"))
    assert "--seed must be between 0 and 2^63 - 1" in line


def test_set_with_a_mapping_merges_into_the_section():
    r = cli("show", TINY, "--json", "--set", "run={horizon_years: 2}")
    assert r.returncode == 0, r.stderr
    run = json.loads(r.stdout)["run"]
    assert run["horizon_years"] == 2
    assert run["persons_per_agent"] == 250  # tiny.yaml's, not the 25x bigger default


def test_experiment_set_mapping_merges_into_the_scenario(tmp_path):
    exp = tmp_path / "e.yaml"
    exp.write_text(textwrap.dedent(f"""
        name: merge
        scenario: {TINY}
        method: grid
        parameters:
          - {{name: d, path: region.districts.0.deprivation, values: [0.1, 0.2]}}
        outputs:
          - {{metric: employment_rate}}
        """))
    code = ("from ecosim.experiments.resolve import load_experiment;"
            f"s = load_experiment({str(exp)!r}, ['set.run.horizon_years=2']);"
            "print(s.base['run']['horizon_years'], s.base['run']['persons_per_agent'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["2", "250.0"]


def test_experiment_output_naming_no_metric_is_refused_with_closest_names(tmp_path):
    exp = tmp_path / "e.yaml"
    exp.write_text(textwrap.dedent(f"""
        name: badout
        scenario: {TINY}
        set:
          policies.aeb.budget_gbp_per_year: 1000000
        method: grid
        parameters:
          - {{name: d, path: region.districts.0.deprivation, values: [0.1, 0.2]}}
        outputs:
          - {{metric: aeb_nonexistent}}
          - {{metric: aeb_public_spend_gbp}}
        """))
    out = tmp_path / "sweep"
    r = cli("sweep", str(exp), "--out", str(out))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "unknown metric 'aeb_nonexistent'; closest: aeb_" in r.stderr
    assert "aeb_public_spend_gbp" not in r.stderr.split("closest")[0]  # the real one passes
    assert not out.exists()


def test_show_and_diff():
    r = cli("diff", TINY, str(ROOT / "scenarios" / "north_east_baseline.yaml"), "--json")
    assert r.returncode == 0, r.stderr
    rows = {d["key"]: (d["a"], d["b"]) for d in json.loads(r.stdout)}
    assert rows["run.persons_per_agent"] == (250.0, 10.0)
    assert "region.districts.0.name" not in rows  # same region
    r = cli("diff", TINY, TINY, "--set-b", "region.districts.2.deprivation=0.9")
    assert r.returncode == 0
    assert "region.districts.2.deprivation" in r.stdout and "0.9" in r.stdout
