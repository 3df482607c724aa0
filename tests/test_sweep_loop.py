"""Sweeps at the terminal: Ctrl-C, --workers, --scheduler, --resume provenance, opening."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

import ecosim
from conftest import ROOT

ISHIGAMI = str(ROOT / "experiments" / "ishigami.yaml")
SMALL = ["--set", "N=8"]  # 40 runs


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL)


def test_ctrl_c_on_a_sweep_is_one_line_exit_130_and_resumes_to_the_same_table(tmp_path):
    out = tmp_path / "sweep"
    slow = [*SMALL, "--set", "function_options.delay_seconds=0.4"]
    p = subprocess.Popen([sys.executable, "-m", "ecosim", "sweep", ISHIGAMI, "--out", str(out),
                          "--workers", "2", "-q", *slow], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 180
    while not any((out / "parts").glob("part-*.parquet")):  # some runs are done
        assert p.poll() is None and time.monotonic() < deadline, p.communicate()
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGINT)  # what the terminal does: the whole process group
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("interrupted: ") and " of 40 runs done" in lines[0]
    done = int(lines[0].split()[1])
    assert 0 < done < 40
    assert f"--out {out} --resume" in lines[0] and "--set N=8" in lines[0]
    assert not (out / "manifest.json").exists()

    r = cli("sweep", ISHIGAMI, "--out", str(out), "--resume", "-q", "--no-analysis", *slow)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    ref = tmp_path / "ref"
    r = cli("sweep", ISHIGAMI, "--out", str(ref), "-q", "--no-analysis", *SMALL)
    assert r.returncode == 0, r.stderr
    cols = ["sample", "replication", "seed", "x1", "x2", "x3", "output", "value"]
    a = pd.read_parquet(out / "results.parquet")[cols]
    b = pd.read_parquet(ref / "results.parquet")[cols]
    pd.testing.assert_frame_equal(a, b)


def test_resume_of_a_finished_sweep_keeps_the_original_provenance(tmp_path):
    out = tmp_path / "sweep"
    assert cli("sweep", ISHIGAMI, "--out", str(out), "-q", "--no-analysis", "--workers", "1",
               *SMALL).returncode == 0
    first = json.loads((out / "manifest.json").read_text())
    r = cli("sweep", ISHIGAMI, "--out", str(out), "--resume", "-q", "--no-analysis", *SMALL)
    assert r.returncode == 0, r.stderr
    after = json.loads((out / "manifest.json").read_text())
    for key in ("started", "finished", "wall_seconds", "submitted_this_time", "command"):
        assert after[key] == first[key]
    (resume,) = after["resumes"]
    assert resume["submitted_this_time"] == 0 and "--resume" in resume["command"]

    sw = ecosim.open_sweep(out)
    assert len(sw.results) == 40 and sw.manifest["resumes"]
    with pytest.raises(ecosim.InputError, match="ecosim analyze"):
        sw.indices  # noqa: B018


def test_workers_above_the_cores_warn_and_cap(tmp_path):
    r = cli("sweep", ISHIGAMI, "--out", str(tmp_path / "s"), "--workers", "64", "-q",
            "--no-analysis", "--set", "N=2")
    assert r.returncode == 0, r.stderr
    assert "warning: --workers 64 is more than the" in r.stderr
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["workers"] <= len(os.sched_getaffinity(0))


@pytest.mark.parametrize("addr", ["tcp://nohost:port", "localhost", "tcp://h:99999", "a b:1"])
def test_malformed_scheduler_address_is_refused_at_once(tmp_path, addr):
    r = cli("sweep", ISHIGAMI, "--out", str(tmp_path / "s"), "--scheduler", addr)
    assert r.returncode == 2 and "not a scheduler address" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "s").exists()


def test_unreachable_scheduler_fails_fast_naming_it_and_writes_nothing(tmp_path):
    t0 = time.monotonic()
    r = cli("sweep", ISHIGAMI, "--out", str(tmp_path / "s"), "--scheduler",
            "tcp://127.0.0.1:9")
    wall = time.monotonic() - t0
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "tcp://127.0.0.1:9" in lines[0] and "waited 6 s" in lines[0]
    assert not (tmp_path / "s").exists()
    assert wall < 30  # 6 s of connecting plus start-up, with room for a loaded machine


def test_open_results_explains_what_a_path_is(tmp_path):
    unrelated = tmp_path / "photos"
    unrelated.mkdir()
    (unrelated / "a.jpg").write_text("x")
    with pytest.raises(ecosim.InputError, match="not an ecosim run directory"):
        ecosim.open_results(unrelated)
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    (sweep / "sweep.json").write_text("{}")
    with pytest.raises(ecosim.InputError, match=r"sweep directory.*open_sweep"):
        ecosim.open_results(sweep)
    with pytest.raises(ecosim.InputError, match="unfinished sweep"):
        ecosim.open_sweep(sweep)
    with pytest.raises(ecosim.InputError, match="not a sweep directory"):
        ecosim.open_sweep(unrelated)


def test_open_results_on_a_truncated_parquet_says_so(tmp_path):
    run = tmp_path / "run"
    r = cli("run", str(ROOT / "scenarios" / "tiny.yaml"), "-q", "--out", str(run),
            "--set", "run.horizon_years=1", "--set", "run.burn_in_years=0")
    assert r.returncode == 0, r.stderr
    assert len(ecosim.open_results(run).metrics) > 0
    data = (run / "metrics.parquet").read_bytes()
    (run / "metrics.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(ecosim.InputError, match="damaged Parquet file.*cut short"):
        ecosim.open_results(run)
    with pytest.raises(ecosim.InputError, match="single run, not a sweep"):
        ecosim.open_sweep(run)


def test_sweep_json_and_quiet(tmp_path):
    r = cli("sweep", ISHIGAMI, "--out", str(tmp_path / "s"), "--json", "--workers", "1",
            "--set", "N=4")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["runs"] == 20 and d["failed"] == 0 and d["analysed"] is True
    assert d["results"] == str(tmp_path / "s")
    r = cli("analyze", str(tmp_path / "s"), "-q", "--no-figures")
    assert r.returncode == 0 and r.stdout == "", r.stdout
