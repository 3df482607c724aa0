"""The main job's wall time: ``make run`` (= ``ecosim report``) must finish in under 5 minutes
on a 2-core machine.

    python benchmarks/make_run_bench.py            # time the whole job (a fresh process)
    python benchmarks/make_run_bench.py --single   # estimate it from one replication of
                                                   # each scenario (for a busy machine)

The full measurement runs ``ecosim report`` exactly as ``make run`` does (its defaults) into a
temporary directory and reports its wall time. ``--single`` times one replication of each of
the six scenarios in this process (after the kernels are compiled), the report written from
them, and a fresh process's start-up (kernel cache load), then estimates
``start-up + replications x sum(single runs) / workers + report``. Both print the 1-minute load
average before and after, since other work on the machine inflates every figure. Results go to
stdout as a Markdown table (``--out FILE`` also writes it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _load() -> float:
    return os.getloadavg()[0]


def full(tmp: Path) -> list[tuple[str, str]]:
    exe = [sys.executable, "-m", "ecosim", "report", "--out", str(tmp / "report"), "-q"]
    t0 = time.perf_counter()
    r = subprocess.run(exe, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"ecosim report failed:\n{r.stderr}")
    return [("make run (ecosim report, defaults), wall", f"{wall:.0f} s"),
            ("last line", r.stdout.strip().splitlines()[-1])]


def single(tmp: Path) -> list[tuple[str, str]]:
    from ecosim.cli import scenario_dir
    from ecosim.report import job

    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from ecosim.model import warmup; warmup(False)"],
                   cwd=ROOT, check=True)
    startup = time.perf_counter() - t0
    files = [str(scenario_dir() / f) for f in job.DEFAULT_SCENARIOS]
    over = [f"run.persons_per_agent={job.DEFAULT_PERSONS_PER_AGENT:g}",
            f"employers.n_agents={job.DEFAULT_EMPLOYERS}"]
    t0 = time.perf_counter()
    res = job.run_set(files, replications=1, overrides=over, out=tmp / "one", workers=1,
                      progress=False)
    one_wall = time.perf_counter() - t0
    mans = [json.loads((d / "manifest.json").read_text()) for d in res["runs"]]
    sims = [float(m["wall_seconds"]) for m in mans]
    cpus = [float(m["cpu_seconds"]) for m in mans]
    report = one_wall - sum(sims)
    workers = job.default_workers()
    est = startup + job.DEFAULT_REPLICATIONS * sum(sims) / workers + report
    rows = [(f"single replication: {Path(f).stem} (wall / CPU)", f"{s:.1f} s / {c:.1f} s")
            for f, s, c in zip(files, sims, cpus, strict=True)]
    rows += [("fresh-process start-up (kernel cache load)", f"{startup:.1f} s"),
             ("report writing and run storage (1 replication each)", f"{report:.1f} s"),
             (f"estimate: start-up + {job.DEFAULT_REPLICATIONS} x sum / {workers} workers + "
              "report", f"{est:.0f} s"),
             (f"simulation CPU: {job.DEFAULT_REPLICATIONS} x sum of single-run CPU / "
              f"{workers} workers (the simulation's wall time on an idle machine)",
              f"{job.DEFAULT_REPLICATIONS * sum(cpus) / workers:.0f} s")]
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--single", action="store_true", help="estimate from single runs")
    ap.add_argument("--out", default=None, help="also write the table here")
    args = ap.parse_args(argv)
    l0 = _load()
    with tempfile.TemporaryDirectory() as d:
        rows = single(Path(d)) if args.single else full(Path(d))
    rows += [("load average (1 min) before / after", f"{l0:.1f} / {_load():.1f}"),
             ("cpus", str(os.cpu_count()))]
    text = "| measurement | value |\n|---|---|\n" + "".join(f"| {a} | {b} |\n" for a, b in rows)
    print(text, end="")
    if args.out:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
