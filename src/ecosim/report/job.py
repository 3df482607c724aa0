"""The main job (``ecosim report``, run by ``make run``): the North East baseline and its policy
scenarios, then the comparison report, under one progress bar.

Every (scenario, replication) is one task on a small process pool; replication *i* of every
scenario uses the same seed (``rng.replication_seeds`` of the baseline's root seed), so the
report's differences are paired. Each scenario's replications are stored as a normal run
directory (the layout ``ecosim run`` writes, see ``ecosim.store``) under ``<out>/runs/``, then
``ecosim.report.document.write_report`` writes the report into ``<out>``.

The defaults (8 replications, 250 persons per agent, 400 employer agents) are chosen so the
whole job takes under five minutes on a 2-core machine; the report's methods say so.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

DEFAULT_SCENARIOS = (
    "north_east_baseline.yaml", "north_east_devolved_aeb.yaml",
    "north_east_training_accounts.yaml", "north_east_collaboration.yaml",
    "north_east_partnership.yaml", "north_east_apprenticeships_reform.yaml",
    "north_east_lifelong_learning_entitlement.yaml", "north_east_all_policies.yaml")
DEFAULT_REPLICATIONS = 8
DEFAULT_PERSONS_PER_AGENT = 250.0
DEFAULT_EMPLOYERS = 400


def _task(args: tuple[Any, int, int]) -> tuple[int, int, Any, float, float]:
    """Run one replication in a worker: (scenario index, replication, frame, wall seconds,
    CPU seconds of the worker process)."""
    from ecosim.model import simulate

    (k, scn), r, seed = args
    t0, c0 = time.perf_counter(), time.process_time()
    df = simulate(scn, seed)
    return k, r, df, time.perf_counter() - t0, time.process_time() - c0


def _warm(_: int = 0) -> float:
    from ecosim.model import warmup

    return warmup(progress_message=False)


def run_set(files: list[str], *, replications: int, overrides: list[str], out: Path,
            workers: int, progress: bool = True, report_formats: tuple[str, ...] = (
                "html", "pdf", "png")) -> dict[str, Any]:
    """Run every scenario file's replications, store them, write the report; return the
    ``write_report`` result plus ``runs`` (directories) and ``wall_seconds``."""
    import pandas as pd
    from tqdm import tqdm

    from ecosim.api import git_commit, host_info, versions
    from ecosim.model import rng as _rng
    from ecosim.report.data import load_comparison
    from ecosim.report.document import write_report
    from ecosim.scenario import load_scenario
    from ecosim.scenario.loader import to_plain
    from ecosim.store import (
        MANIFEST,
        METRICS,
        SUMMARY,
        check_target,
        staging_dir,
        summarise,
        write_json_atomic,
        write_parquet_atomic,
    )

    t_start = time.perf_counter()
    scns = [load_scenario(f, overrides) for f in files]  # every input checked before running
    names = [s.name for s in scns]
    targets = [out / "runs" / n for n in names]
    for t in targets:
        check_target(t, overwrite=True)
    root = int(scns[0].run.seed)
    seeds = [int(s) for s in _rng.replication_seeds(root, replications)]
    tasks = [((k, s), r, seeds[r]) for r in range(replications) for k, s in enumerate(scns)]
    bar = tqdm(total=len(tasks) + 1, unit="run", desc="ecosim report", file=sys.stderr,
               disable=not progress, dynamic_ncols=True,
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]{postfix}")
    bar.set_postfix_str("starting workers (compiling kernels if not cached)")
    frames: dict[tuple[int, int], Any] = {}
    secs: dict[int, float] = {}
    cpu: dict[int, float] = {}
    started = _now()
    # one numba thread per worker process: the workers share the cores between them
    if workers > 1 and "NUMBA_NUM_THREADS" not in os.environ:
        os.environ["NUMBA_NUM_THREADS"] = "1"  # read by the spawned workers' numba
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as ex:
        list(ex.map(_warm, range(workers)))
        futs = [ex.submit(_task, t) for t in tasks]
        for f in as_completed(futs):
            k, r, df, s, c = f.result()
            frames[(k, r)] = df
            secs[k] = secs.get(k, 0.0) + s
            cpu[k] = cpu.get(k, 0.0) + c
            bar.set_postfix_str(f"{names[k]} replication {r + 1} done")
            bar.update(1)
    dirs = []
    for k, scn in enumerate(scns):
        parts = []
        for r in range(replications):
            df = frames[(k, r)]
            ids = pd.DataFrame({
                "replication": pd.Series([r] * len(df), dtype="int32", index=df.index),
                "seed": pd.Series([seeds[r]] * len(df), dtype="uint64", index=df.index)})
            parts.append(pd.concat([ids, df], axis=1))
        metrics = pd.concat(parts, ignore_index=True)
        summary = summarise(metrics)
        summary.update({"scenario": scn.name, "root_seed": root, "replications": replications})
        with staging_dir(targets[k], overwrite=True) as tmp:
            write_parquet_atomic(metrics, tmp / METRICS)
            write_json_atomic(summary, tmp / SUMMARY)
            write_json_atomic({
                "format": "ecosim-run/1", "scenario_name": scn.name,
                "scenario_description": scn.description, "scenario_file": str(files[k]),
                "overrides": overrides, "root_seed": root, "replications": replications,
                "seeds": seeds, "started": started, "finished": _now(),
                "wall_seconds": round(secs.get(k, 0.0), 3),
                "cpu_seconds": round(cpu.get(k, 0.0), 3), "versions": versions(),
                "git": git_commit(), "host": host_info(), "command": list(sys.argv),
                "files": {"metrics": METRICS, "summary": SUMMARY},
                "scenario": to_plain(scn.model_dump(mode="python"))}, tmp / MANIFEST)
        dirs.append(targets[k])
    bar.set_postfix_str("writing the report")
    comp = load_comparison(dirs)
    sim_wall = time.perf_counter() - t_start
    note = (f"Run by 'ecosim report' ('make run'): {len(scns)} scenarios x {replications} "
            f"replications at {scns[0].run.persons_per_agent:g} persons per agent and "
            f"{scns[0].employers.n_agents} employer agents, on {workers} worker process(es); "
            f"chosen so the whole job (runs and report) finishes in under 5 minutes on a "
            f"2-core machine. Here the simulations took {sim_wall:.0f} s of wall time and "
            f"{sum(cpu.values()):.0f} CPU-seconds ({sum(cpu.values()) / workers:.0f} s of "
            f"wall time on {workers} idle cores).")
    res = write_report(comp, out, report_formats, extra_methods=[note])
    bar.update(1)
    bar.close()
    res["runs"] = dirs
    res["wall_seconds"] = time.perf_counter() - t_start
    return res


def _now() -> str:
    import datetime as _dt

    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
