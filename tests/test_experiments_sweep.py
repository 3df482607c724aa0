"""The sweep pipeline on analytic functions: Sobol estimates against exact indices, a killed
sweep resumed to the same table without repeating runs, and a real Dask scheduler and worker."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from ecosim.experiments.analyze import analyze
from ecosim.experiments.resolve import load_experiment
from ecosim.experiments.runner import run_sweep
from ecosim.experiments.sweepdir import part_files

EXPERIMENTS = ROOT / "experiments"
DASK = Path(sys.executable).with_name("dask")

SLOW_FUNCTION = """
name: slowish
function: ishigami
function_options: {noise_sd: 0.5, delay_seconds: 0.02}
method: sobol
N: 32
replications: 2
runs_per_task: 4
seed: 99
parameters:
  - {path: x1, bounds: [-3.14159, 3.14159]}
  - {path: x2, bounds: [-3.14159, 3.14159]}
  - {path: x3, bounds: [-3.14159, 3.14159]}
"""


def sweep_cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", "sweep", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, **kw)


def check_indices(path: Path, expect: dict[str, list[float]], tol: float = 0.03) -> pd.DataFrame:
    res = analyze(path)
    ix = res.indices
    for kind, values in expect.items():
        got = ix[ix["index"] == kind].sort_values("parameter")["value"].to_numpy()
        assert len(got) == len(values)
        for g, v in zip(got, values, strict=True):
            assert abs(g - v) < tol, (kind, got, values)
    conv = res.convergence
    assert sorted(conv["N"].unique()) == [16, 32, 64, 128, 256, 512, 1024]
    assert {p.name for p in res.figures} == {"indices_y.png", "convergence_y.png"}
    assert (path / "indices.csv").is_file() and (path / "indices.parquet").is_file()
    return ix


def test_ishigami_indices_match_analytic(tmp_path):
    study = load_experiment(EXPERIMENTS / "ishigami.yaml")
    assert study.experiment.N == 1024
    res = run_sweep(study, tmp_path / "ish", workers=2)
    assert res.runs == 1024 * 5 and res.failed == 0
    ix = check_indices(tmp_path / "ish", {"S1": [0.3139, 0.4424, 0.0],
                                          "ST": [0.5576, 0.4424, 0.2437]})
    s1 = ix[ix["index"] == "S1"]
    assert (s1["low"] < s1["analytic"]).all() and (s1["analytic"] < s1["high"]).all()


def test_g_function_indices_match_analytic(tmp_path):
    study = load_experiment(EXPERIMENTS / "g_function.yaml")
    res = run_sweep(study, tmp_path / "g", workers=2)
    assert res.runs == 1024 * 6 and res.failed == 0
    check_indices(tmp_path / "g", {"S1": [0.7165, 0.1791, 0.0237, 0.0072],
                                   "ST": [0.7874, 0.2423, 0.0343, 0.0105]})


@pytest.mark.slow
def test_killed_sweep_resumes_to_the_same_table(tmp_path, write):
    exp = write("slowish.yaml", SLOW_FUNCTION)
    ref = run_sweep(load_experiment(exp), tmp_path / "ref", workers=2)
    assert ref.failed == 0
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "ecosim", "sweep", str(exp), "--out",
                             str(out), "--workers", "2", "-q"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(part_files(out)) < 8 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the sweep finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert not (out / "manifest.json").exists() and not (out / "results.parquet").exists()
    time.sleep(1.0)  # local workers die with the driver: no part appears afterwards
    before = {p.name for p in part_files(out)}
    time.sleep(0.5)
    assert {p.name for p in part_files(out)} == before
    r = sweep_cli(str(exp), "--out", str(out))
    assert r.returncode == 2 and "use --resume" in r.stderr
    r = sweep_cli(str(exp), "--out", str(out), "--workers", "2", "--resume", "-q")
    assert r.returncode == 0, r.stderr
    assert "sweep: 320 runs (320 distinct), " in r.stdout
    redone = int(r.stdout.split("distinct), ")[1].split(" run now")[0])
    assert 0 < redone < 320 - 4 * 7  # only what was missing
    got = pd.read_parquet(out / "results.parquet")
    want = pd.read_parquet(tmp_path / "ref" / "results.parquet")
    pd.testing.assert_frame_equal(got, want)
    parts = pd.concat([pd.read_parquet(p) for p in part_files(out)])
    assert parts["run_id"].is_unique and len(parts) == 320  # no run repeated, none lost
    assert set(parts["run_id"]) == set(want["run_id"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_sweep_on_a_real_scheduler_and_worker(tmp_path):
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ)
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)]
    try:
        procs.append(subprocess.Popen([str(DASK), "worker", addr, "--nthreads", "1",
                                       "--nworkers", "1", "--no-dashboard"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      env=env, cwd=tmp_path))
        exp = str(EXPERIMENTS / "g_function.yaml")
        r = sweep_cli(exp, "--out", str(tmp_path / "remote"), "--scheduler", addr,
                      "--set", "N=64", "-q")
        assert r.returncode == 0, r.stderr
        assert "sweep: 384 runs" in r.stdout and "S1      x1" in r.stdout
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=20)
    local = run_sweep(load_experiment(exp, ["N=64"]), tmp_path / "local", workers=1)
    assert local.failed == 0
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "remote" / "results.parquet"),
                                  pd.read_parquet(tmp_path / "local" / "results.parquet"))
