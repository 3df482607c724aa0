"""``ecosim validate`` as a user runs it: bad options exit 2 before any run; a run writes
validation.csv with the documented columns and validation.md, and its exit code says whether
any fact failed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = "id,fact,source,kind,target_low,target_high,measured,ci_low,ci_high,status"


def ecosim(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "ecosim", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_unknown_fact_id_is_refused_with_a_hint():
    r = ecosim("validate", "--only", "pay_gap_degre")
    assert r.returncode == 2
    assert "unknown fact id 'pay_gap_degre'" in r.stderr and "pay_gap_degree" in r.stderr
    assert "Traceback" not in r.stderr


def test_out_that_is_a_file_is_refused_before_any_run(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = ecosim("validate", "--quick", "--out", str(f))
    assert r.returncode == 2 and "not a directory" in r.stderr
    assert "validation runs" not in r.stderr  # refused before the runs started
    r = ecosim("validate", "--quick", "--out", str(f / "below"))
    assert r.returncode == 2 and "is a file" in r.stderr and "Traceback" not in r.stderr


def test_list_shows_every_fact():
    from ecosim.validation.facts import load_facts

    r = ecosim("validate", "--list")
    assert r.returncode == 0
    for f in load_facts().facts:
        assert f.id in r.stdout


def _consistent(out: Path, returncode: int) -> pd.DataFrame:
    csv = (out / "validation.csv").read_text()
    assert csv.splitlines()[0] == COLUMNS
    table = pd.read_csv(out / "validation.csv")
    md = (out / "validation.md").read_text()
    from ecosim.validation.facts import load_facts

    by_id = load_facts().by_id()
    bad = sum(s == "fail" or (s == "not reproduced" and by_id[i].known_gap is None)
              for i, s in zip(table["id"], table["status"], strict=True))
    assert returncode == (1 if bad else 0)
    for fid in table["id"]:
        assert fid in md
    return table


def test_a_few_facts_end_to_end(tmp_path):
    out = tmp_path / "v"
    r = ecosim("validate", "--quick", "--only", "ne_level3_plus_start", "pay_gap_level3",
               "adults_learning_over_three_years", "--out", str(out), "--workers", "1")
    assert r.returncode in (0, 1), r.stderr[-2000:]
    table = _consistent(out, r.returncode)
    assert list(table["id"]) == ["ne_level3_plus_start", "pay_gap_level3",
                                 "adults_learning_over_three_years"]
    row = table.set_index("id").loc["ne_level3_plus_start"]
    assert 50 < row["measured"] < 70 and row["ci_low"] <= row["measured"] <= row["ci_high"]
    assert table.set_index("id").loc["adults_learning_over_three_years", "status"] == \
        "not reproduced"
    assert "ne_level3_plus_start" in r.stdout and "written:" in r.stdout


@pytest.mark.slow
def test_quick_validation_runs_every_fact(tmp_path):
    """The whole quick validation, as CI runs it: every fact gets a row with a status, the
    exit code is 1 exactly when a fact fails or is not reproduced without a known gap, and
    the calibration still holds: no calibrated fact (declared known gaps aside) is clearly
    off, i.e. each passes or at least its 90% interval reaches its target range (the quick
    run's intervals are wide, and a mean near the edge of a range may cross it by noise when
    any random stream changes). Today every calibrated fact passes. Held-out facts may fail;
    docs/validation.md lists those that do and why."""
    out = tmp_path / "quick"
    r = ecosim("validate", "--quick", "--out", str(out), timeout=900)
    assert r.returncode in (0, 1), r.stderr[-3000:]
    print(r.stdout)
    table = _consistent(out, r.returncode)
    from ecosim.validation.facts import load_facts

    assert list(table["id"]) == [f.id for f in load_facts().facts]
    measured = table[table["status"] != "not reproduced"]
    assert measured["measured"].notna().all()
    gaps = {f.id for f in load_facts().facts if f.known_gap}
    calibrated = table[(table["kind"] == "calibrated") & ~table["id"].isin(gaps)]
    assert len(calibrated) >= 15
    lo = calibrated["target_low"].fillna(-np.inf)
    hi = calibrated["target_high"].fillna(np.inf)
    reaches = (calibrated["ci_high"] >= lo) & (calibrated["ci_low"] <= hi)
    broken = calibrated[(calibrated["status"] != "pass") & ~reaches]
    assert broken.empty, broken[["id", "measured", "ci_low", "ci_high", "target_low",
                                 "target_high", "status"]]
