"""Results store: atomic writes, run layout, manifest, summary, refusals, interrupted runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import ecosim
from conftest import ROOT
from ecosim.errors import InputError
from ecosim.store import (
    default_run_dir,
    open_results,
    write_json_atomic,
    write_parquet_atomic,
)

TINY = ROOT / "scenarios" / "tiny.yaml"
FAST = ["run.horizon_years=2", "run.burn_in_years=1"]


def test_write_json_atomic(tmp_path):
    p = write_json_atomic({"a": float("nan"), "b": [1, 2]}, tmp_path / "x" / "a.json")
    assert json.loads(p.read_text()) == {"a": None, "b": [1, 2]}
    assert os.listdir(tmp_path / "x") == ["a.json"]


def test_failed_write_leaves_old_file(tmp_path):
    p = write_json_atomic({"v": 1}, tmp_path / "a.json")
    with pytest.raises(TypeError):
        write_json_atomic({"v": object()}, p)
    assert json.loads(p.read_text()) == {"v": 1}
    assert os.listdir(tmp_path) == ["a.json"]


def test_write_parquet_atomic(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    p = write_parquet_atomic(df, tmp_path / "m.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(p), df)
    assert os.listdir(tmp_path) == ["m.parquet"]


def test_run_layout(tmp_path, fake_simulate):
    res = ecosim.run(TINY, replications=3, seed=5, overrides=FAST, out=tmp_path / "r")
    assert sorted(os.listdir(tmp_path)) == ["r"]  # no leftovers
    assert sorted(os.listdir(res.path)) == ["manifest.json", "metrics.parquet", "summary.json"]
    m = res.manifest
    assert m["root_seed"] == 5 and m["replications"] == 3 and len(set(m["seeds"])) == 3
    assert m["seeds"] == fake_simulate
    from ecosim.model.rng import replication_seeds
    assert m["seeds"] == replication_seeds(5, 3)
    assert m["scenario"]["run"]["horizon_years"] == 2 and m["scenario"]["name"] == "tiny"
    assert m["overrides"] == FAST
    for key in ("versions", "git", "host", "started", "finished", "wall_seconds"):
        assert key in m
    assert m["versions"]["pydantic"] and m["versions"]["python"]
    df = res.metrics
    assert list(df.columns[:5]) == ["replication", "seed", "quarter", "year", "area"]
    assert len(df) == 3 * 8 * 3  # replications x quarters x areas
    assert set(df["replication"]) == {0, 1, 2}
    s = res.summary
    assert s["final_year"] == 2026.0 and s["quarters"] == [5, 6, 7, 8]
    assert [r["seed"] for r in s["per_replication"]] == m["seeds"]
    region = df[(df.area == "region") & (df.quarter > 4)]
    assert s["across"]["share_level3_plus"]["mean"] == pytest.approx(
        region["share_level3_plus"].mean())
    assert s["across"]["share_level3_plus"]["n"] == 3
    # the manifest's scenario re-validates to the run's scenario
    from ecosim.scenario.schema import Scenario
    assert Scenario.model_validate(m["scenario"]).run.horizon_years == 2


def test_same_seed_same_seeds(tmp_path, fake_simulate):
    a = ecosim.run(TINY, replications=2, overrides=FAST, out=tmp_path / "a")
    b = ecosim.run(TINY, replications=2, overrides=FAST, out=tmp_path / "b")
    assert a.manifest["seeds"] == b.manifest["seeds"]
    assert a.manifest["root_seed"] == 20250101  # from the scenario


def test_overwrite(tmp_path, fake_simulate):
    out = tmp_path / "r"
    ecosim.run(TINY, overrides=FAST, out=out, seed=1)
    n = len(fake_simulate)
    with pytest.raises(InputError, match="already holds a complete run; use --overwrite"):
        ecosim.run(TINY, overrides=FAST, out=out, seed=2)
    assert len(fake_simulate) == n  # refused before running anything
    assert open_results(out).manifest["root_seed"] == 1
    res = ecosim.run(TINY, overrides=FAST, out=out, seed=2, overwrite=True)
    assert res.manifest["root_seed"] == 2
    assert sorted(os.listdir(tmp_path)) == ["r"]


def test_refuses_foreign_directory(tmp_path, fake_simulate):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="not an ecosim run"):
        ecosim.run(TINY, overrides=FAST, out=out, overwrite=True)
    assert (out / "thesis.tex").read_text() == "precious"


def test_empty_directory_is_fine(tmp_path, fake_simulate):
    (tmp_path / "r").mkdir()
    assert ecosim.run(TINY, overrides=FAST, out=tmp_path / "r").path == tmp_path / "r"


def test_default_dir(tmp_path, fake_simulate, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = ecosim.run(TINY, overrides=FAST)
    assert (tmp_path / res.path).parent == tmp_path / "results"
    assert res.path.name.startswith("tiny-") and len(res.path.name) == len("tiny-20250101-120000")
    again = default_run_dir("tiny", "results")
    assert again != res.path


def test_open_results_incomplete(tmp_path):
    d = tmp_path / "r"
    d.mkdir()
    (d / "metrics.parquet").write_bytes(b"")
    with pytest.raises(InputError, match="incomplete run"):
        open_results(d)
    with pytest.raises(InputError, match="no such results directory"):
        open_results(tmp_path / "nope")


def test_bad_replications(tmp_path, fake_simulate):
    with pytest.raises(InputError, match="at least 1"):
        ecosim.run(TINY, replications=0, out=tmp_path / "r")


SLOW_RUN = textwrap.dedent("""
    import pathlib, sys, time
    sys.path.insert(0, {tests!r})
    import ecosim.api as api
    from conftest import fake_frame
    flag = pathlib.Path({flag!r})
    stage = {stage!r}

    def slow_sim(scn, seed, progress=None):
        if stage == "simulate":
            flag.write_text("x")
            time.sleep(60)
        return fake_frame(scn, seed, progress)

    real = api.write_json_atomic
    def slow_json(obj, path):
        if stage == "write" and path.name == "manifest.json":
            flag.write_text("x")
            time.sleep(60)
        return real(obj, path)

    api._simulate = slow_sim
    api.write_json_atomic = slow_json
    api.run({tiny!r}, replications=2, overrides={fast!r}, out={out!r})
""")


@pytest.mark.parametrize("stage", ["simulate", "write"])
def test_killed_run_leaves_nothing_complete(tmp_path, stage):
    out, flag = tmp_path / "results" / "run", tmp_path / "flag"
    script = SLOW_RUN.format(tests=str(ROOT / "tests"), flag=str(flag), stage=stage,
                             tiny=str(TINY), fast=FAST, out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not flag.exists():
            assert proc.poll() is None, "runner exited early"
            assert time.time() < deadline
            time.sleep(0.05)
        if stage == "write":  # metrics and summary are already in the hidden staging dir
            staged = [p for p in (tmp_path / "results").iterdir() if p.name.startswith(".")]
            assert staged and (staged[0] / "metrics.parquet").exists()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not out.exists()
    assert not list(tmp_path.rglob("manifest.json"))
    with pytest.raises(InputError):
        open_results(out)
    visible = [p for p in (tmp_path / "results").iterdir()
               if not p.name.startswith(".")] if (tmp_path / "results").exists() else []
    assert visible == []
