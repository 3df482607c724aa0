"""Run a sweep on Dask: an embedded LocalCluster, or an existing scheduler by address.

The driver writes the plan, groups the unfinished runs into tasks of about a second of work
(never under ~0.1 s, so the scheduler's per-task cost is noise), submits them and follows them
with ``as_completed``. Workers write their own Parquet parts, so the driver holds only small
summaries whatever the sweep's size. Killing the driver (or a worker) loses at most the tasks in
flight; ``resume=True`` submits only the runs without a result and rebuilds the same tables.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import logging
import math
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecosim.errors import InputError
from ecosim.experiments import sweepdir as sd
from ecosim.experiments.execute import part_types, run_task
from ecosim.experiments.resolve import Study

TARGET_TASK_SECONDS = 1.0
MIN_TASK_SECONDS = 0.1
MODEL_SECONDS_PER_AGENT_QUARTER = 2.0e-6
"""Rough model cost (measured: tiny.yaml, ~5k agents x 24 quarters, ~0.22 s) for batching."""


@dataclass
class SweepResult:
    """What a sweep did: where, how many runs, which failed."""

    path: Path
    runs: int
    unique_runs: int
    submitted: int
    failures: pd.DataFrame
    seconds: float
    workers: int = 0
    runs_per_task: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return int(len(self.failures))


class SweepInterrupted(Exception):
    """Ctrl-C during a sweep: the workers are stopped; what finished is on disk."""

    def __init__(self, path: Path, done: int, total: int):
        super().__init__(f"interrupted: {done} of {total} runs done in {path}")
        self.path, self.done, self.total = path, done, total


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_workers(workers: int | None) -> tuple[int | None, str | None]:
    """``--workers`` capped at the usable cores: (workers to use, warning or None)."""
    if workers is None:
        return None, None
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    cores = usable_cores()
    if workers > cores:
        return cores, (f"--workers {workers} is more than the {cores} usable core(s); using "
                       f"{cores} (more workers would only compete for the same cores)")
    return workers, None


_ADDRESS = re.compile(r"^(?:(tcp|tls|inproc|ucx|ws|wss)://)?([A-Za-z0-9_.\-]+|\[[0-9A-Fa-f:]+\])"
                      r":(\d{1,5})$")


def check_scheduler_address(address: str) -> str:
    """``tcp://host:port`` (scheme optional, default tcp); ``InputError`` if malformed."""
    m = _ADDRESS.match(address.strip())
    if not m or not 0 < int(m.group(3)) < 65536:
        raise InputError(f"--scheduler {address!r}: not a scheduler address; expected "
                         "tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786")
    return address.strip() if m.group(1) else f"tcp://{address.strip()}"


# ------------------------------------------------------------------------------ public
def run_sweep(study: Study, out: str | os.PathLike | None = None, *,
              scheduler: str | None = None, workers: int | None = None, resume: bool = False,
              progress: bool = False, results_root: str | os.PathLike = "results"
              ) -> SweepResult:
    """Run (or with ``resume`` complete) a sweep into ``out``; return counts and failures."""
    from ecosim.store import check_parent, default_run_dir

    workers, warning = check_workers(workers)
    if warning:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    if scheduler:
        scheduler = check_scheduler_address(scheduler)
    target = Path(out) if out is not None else default_run_dir(study.experiment.name,
                                                                results_root)
    check_parent(target)
    if target.exists() and not target.is_dir():
        raise InputError(f"--out {target}: exists and is not a directory; choose another --out")
    target = target.resolve()
    t0 = time.perf_counter()
    started = _now()
    client = _connect(scheduler) if scheduler else None  # unreachable: fail before any file
    try:
        return _run(study, target, client, scheduler, workers, resume, progress, t0, started)
    finally:
        if client is not None:
            _close(client, None)


def _run(study: Study, target: Path, client: Any, scheduler: str | None, workers: int | None,
         resume: bool, progress: bool, t0: float, started: str) -> SweepResult:
    previous = sd.read_manifest(target) if resume and (target / sd.MANIFEST).is_file() \
        else None
    plan = _open_or_create(study, target, resume)
    sd.clean_temporaries(target)
    done = sd.finished_runs(target)
    unique = plan.drop_duplicates("run_id")
    todo = unique[~unique["run_id"].isin(done)]
    n_workers, per_task = 0, 0
    if len(todo):
        try:
            n_workers, per_task = _execute(study, target, todo, client, workers, progress)
        except KeyboardInterrupt:
            sd.clean_temporaries(target)
            raise SweepInterrupted(target, len(sd.finished_runs(target)),
                                   len(unique)) from None
    labels = [o.label for o in study.experiment.outputs]
    results, failures = sd.assemble(target, labels, study.labels)
    sd.write_tables(target, results, failures)
    wall = time.perf_counter() - t0
    _write_manifest(study, target, plan, failures, started, wall, n_workers, scheduler,
                    per_task, len(todo), previous)
    return SweepResult(target, len(plan), len(unique), len(todo), failures, wall, n_workers,
                       per_task)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


# ------------------------------------------------------------------------------- plan
def _open_or_create(study: Study, target: Path, resume: bool) -> pd.DataFrame:
    from ecosim.experiments.design import plan as make_plan
    from ecosim.store import write_json_atomic, write_parquet_atomic

    if (target / sd.SWEEP).is_file() and (target / sd.PLAN).is_file():
        if not resume:
            state = "a finished" if (target / sd.MANIFEST).is_file() else "an unfinished"
            raise InputError(f"{target}: already holds {state} sweep; use --resume to complete "
                             "it (or re-analyse it), or choose another --out")
        meta = sd.read_sweep(target)
        if meta.get("plan_hash") != study.plan_hash():
            raise InputError(f"{target}: holds a sweep of a different plan (the experiment "
                             "file or its scenario changed since it started); choose another "
                             "--out for the new plan")
        return sd.read_plan(target)
    if target.exists():
        if not target.is_dir():
            raise InputError(f"{target}: exists and is not a directory")
        extra = {p.name for p in target.iterdir()} - {sd.PLAN, sd.PARTS}
        if extra or (any(sd.part_files(target))):
            what = ", ".join(sorted(extra)[:4]) or "parts"
            raise InputError(f"{target}: is not empty and holds no sweep ({what}); choose "
                             "another --out")
    target.mkdir(parents=True, exist_ok=True)
    (target / sd.PARTS).mkdir(exist_ok=True)
    plan = make_plan(study)
    write_parquet_atomic(plan, target / sd.PLAN)
    exp = study.experiment
    meta = {
        "format": sd.FORMAT,
        "experiment": exp.model_dump(mode="json"),
        "experiment_file": str(study.file),
        "scenario_file": study.scenario_file,
        "scenario_name": study.scenario_name,
        "scenario_sha256": study.scenario_hash(),
        "plan_hash": study.plan_hash(),
        "parameters": study.labels,
        "parameter_kinds": study.kinds,
        "outputs": [o.label for o in exp.outputs],
        "aggregate": {o.label: o.aggregate for o in exp.outputs},
        "samples": int(plan["sample"].max()) + 1,
        "replications": exp.replications,
        "runs": int(len(plan)),
        "unique_runs": int(plan["run_id"].nunique()),
        "common_random_numbers": exp.common_random_numbers,
        "seeds_of_sample_0": [int(s) for s in plan[plan["sample"] == 0]["seed"]],
        "created": _now(),
    }
    write_json_atomic(meta, target / sd.SWEEP)  # last: the plan is complete
    return plan


def _write_manifest(study: Study, target: Path, plan: pd.DataFrame, failures: pd.DataFrame,
                    started: str, wall: float, workers: int, scheduler: str | None,
                    per_task: int, submitted: int, previous: dict | None = None) -> None:
    """Write manifest.json. A resume of a finished sweep keeps the original record and
    appends this invocation to its ``resumes`` list (provenance is never overwritten)."""
    from ecosim.api import git_commit, host_info, versions
    from ecosim.store import write_json_atomic

    record = {
        "format": sd.FORMAT,
        "experiment": study.experiment.name,
        "plan_hash": study.plan_hash(),
        "runs": int(len(plan)),
        "unique_runs": int(plan["run_id"].nunique()),
        "submitted_this_time": int(submitted),
        "failed": int(len(failures)),
        "started": started,
        "finished": _now(),
        "wall_seconds": round(wall, 3),
        "workers": workers,
        "scheduler": scheduler or "local",
        "runs_per_task": per_task,
        "versions": versions(),
        "git": git_commit(),
        "host": host_info(),
        "command": list(sys.argv),
        "files": {"plan": sd.PLAN, "results": sd.RESULTS, "failures": sd.FAILURES},
    }
    if previous is not None:
        resume = {k: record[k] for k in ("started", "finished", "wall_seconds",
                                         "submitted_this_time", "failed", "workers",
                                         "scheduler", "versions", "git", "host", "command")}
        record = {**previous, "failed": record["failed"],
                  "resumes": [*previous.get("resumes", []), resume]}
    write_json_atomic(record, target / sd.MANIFEST)


# -------------------------------------------------------------------------------- tasks
def estimate_run_seconds(study: Study, target: Path) -> float:
    """Expected compute per run: measured from finished parts, else a model-size estimate."""
    measured = sd.mean_run_seconds(target)
    if measured is not None and measured > 0:
        return measured
    if study.base is None:
        return 2e-5 + study.experiment.function_options.delay_seconds
    run = study.base["run"]
    people = sum(d["working_age_population"] for d in study.base["region"]["districts"])
    agents = people / float(run["persons_per_agent"])
    quarters = 4 * (int(run["burn_in_years"]) + int(run["horizon_years"]))
    return 0.005 + MODEL_SECONDS_PER_AGENT_QUARTER * agents * quarters


def runs_per_task(n_runs: int, run_seconds: float, n_workers: int) -> int:
    """About ``TARGET_TASK_SECONDS`` of work per task, at least ``MIN_TASK_SECONDS``, and
    enough tasks (four per worker) to balance the load when that allows."""
    run_seconds = max(run_seconds, 1e-7)
    per = math.ceil(TARGET_TASK_SECONDS / run_seconds)
    balance = math.ceil(n_runs / (4 * max(n_workers, 1)))
    floor = math.ceil(MIN_TASK_SECONDS / run_seconds)
    return max(1, floor, min(per, balance))


def make_tasks(study: Study, target: Path, todo: pd.DataFrame, per_task: int
               ) -> list[dict[str, Any]]:
    """Plain-data tasks of ``per_task`` runs each, in plan order."""
    exp = study.experiment
    labels = study.labels
    outputs = [{"metric": o.metric, "area": o.area, "when": o.when, "label": o.label}
               for o in exp.outputs]
    runs = []
    values = todo[labels].to_numpy(dtype=object)
    for run_id, seed, row in zip(todo["run_id"], todo["seed"], values, strict=True):
        runs.append((str(run_id), int(seed), study.overrides(list(row))))
    tasks = []
    for i in range(0, len(runs), per_task):
        chunk = runs[i:i + per_task]
        h = hashlib.sha256("|".join(r[0] for r in chunk).encode()).hexdigest()[:20]
        tasks.append({
            "path": str(target / sd.PARTS / f"part-{h}.parquet"),
            "kind": "function" if study.is_function else "scenario",
            "function": exp.function,
            "options": study.function_options(),
            "outputs": outputs,
            "runs": chunk,
        })
    return tasks


# ------------------------------------------------------------------------------ cluster
class _DieWithDriver:
    """Worker plugin: on Linux, a local worker is killed when the driver process dies, so an
    orphaned worker cannot finish a run that ``--resume`` will also run."""

    name = "ecosim-die-with-driver"

    def setup(self, worker: Any) -> None:
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def teardown(self, worker: Any) -> None:
        pass


SCHEDULER_TIMEOUT_S = 6


def _connect(scheduler: str) -> Any:
    """A client of the scheduler at ``scheduler`` with at least one worker; ``InputError``
    (naming the address) within about ``SCHEDULER_TIMEOUT_S`` seconds if unreachable."""
    import contextlib

    from distributed import Client

    with _quiet_distributed():
        try:
            client = Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S}s")
        except (OSError, TimeoutError) as e:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} (waited "
                             f"{SCHEDULER_TIMEOUT_S} s: {type(e).__name__}); is it running, "
                             "and is the address right?") from None
    try:
        client.wait_for_workers(1, timeout=60)
    except TimeoutError:
        with contextlib.suppress(Exception):
            client.close()
        raise InputError(f"the Dask scheduler at {scheduler} has no workers (waited "
                         "60 s)") from None
    return client


@contextlib.contextmanager
def _quiet_distributed() -> Any:
    """Silence distributed's connection-retry log lines (the error says it in one line)."""
    log = logging.getLogger("distributed")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _local_cluster(workers: int | None) -> tuple[Any, Any]:
    """An embedded cluster of ``workers`` single-threaded processes (default: one per usable
    core). The worker processes start with SIGINT ignored (an ignored signal survives exec,
    so Python and asyncio in them install no Ctrl-C handler): Ctrl-C in the terminal reaches
    the whole process group, and only the driver should react, by shutting them down."""
    import signal

    from distributed import Client, LocalCluster

    n = workers or usable_cores()
    is_main = threading.current_thread() is threading.main_thread()
    old = signal.signal(signal.SIGINT, signal.SIG_IGN) if is_main else None
    try:
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR,
                               env={"NUMBA_NUM_THREADS": "1"})
    finally:
        if is_main:
            signal.signal(signal.SIGINT, old)
    client = Client(cluster)
    if sys.platform.startswith("linux"):
        from distributed.diagnostics.plugin import WorkerPlugin

        plugin = type("DieWithDriver", (_DieWithDriver, WorkerPlugin), {})()
        client.register_plugin(plugin)
    return client, cluster


def _execute(study: Study, target: Path, todo: pd.DataFrame, remote: Any,
             workers: int | None, progress: bool) -> tuple[int, int]:
    from distributed import as_completed

    from ecosim.experiments.progress import SweepProgress

    client, cluster = (remote, None) if remote is not None else _local_cluster(workers)
    bar = None
    try:
        n_workers = len(client.scheduler_info(n_workers=-1)["workers"]) \
            if remote is not None else (workers or usable_cores())
        per = study.experiment.runs_per_task or runs_per_task(
            len(todo), estimate_run_seconds(study, target), n_workers)
        tasks = make_tasks(study, target, todo, per)
        base = client.scatter(study.base, broadcast=True) if study.base is not None else None
        waiting = None if study.is_function else "starting workers (loading kernels)"
        bar = SweepProgress(len(todo), progress, study.experiment.name, waiting)
        futures = {client.submit(run_task, t, base, pure=False,
                                 key=f"ecosim-{Path(t['path']).stem}"): t for t in tasks}
        for fut in as_completed(futures):
            task = futures[fut]
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001 - e.g. the task's workers kept dying
                res = _record_task_failure(task, e)
            bar.update(len(task["runs"]), len(res["failed"]))
            fut.release()
        return n_workers, per
    finally:
        if bar is not None:
            bar.close()
        if remote is None:
            _close(client, cluster)


def _record_task_failure(task: dict[str, Any], e: BaseException) -> dict[str, Any]:
    """A task that never returned: its runs are failures (unless its part was written)."""
    from ecosim.store import write_parquet_atomic

    path = Path(task["path"])
    if path.is_file():
        part = pd.read_parquet(path)
        bad = part[part["error"].notna()]
        return {"done": int(part["run_id"].nunique() - len(bad)),
                "failed": list(zip(bad["run_id"], bad["error"], strict=True))}
    err = f"task failed: {type(e).__name__}: {e}"
    rows = [(rid, seed, None, None, math.nan, err, 0.0) for rid, seed, _ in task["runs"]]
    df = part_types(pd.DataFrame(rows, columns=["run_id", "seed", "output", "quarter",
                                                "value", "error", "seconds"]))
    write_parquet_atomic(df, path)
    return {"done": 0, "failed": [(r[0], err) for r in rows]}


def _close(client: Any, cluster: Any) -> None:
    import contextlib

    with contextlib.suppress(Exception):
        client.close(timeout=10)
    if cluster is not None:
        with contextlib.suppress(Exception):
            cluster.close(timeout=10)
