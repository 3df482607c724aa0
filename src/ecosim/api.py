"""Python API: run a scenario's replications and store them (``ecosim.run``).

    import ecosim
    res = ecosim.run("scenarios/north_east_baseline.yaml", replications=4, seed=1)
    res.summary["across"]["share_level3_plus"]["mean"]; res.metrics  # DataFrame
"""

from __future__ import annotations

import collections.abc
import datetime as _dt
import importlib.metadata
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ecosim.errors import InputError
from ecosim.store import (
    MANIFEST,
    METRICS,
    SUMMARY,
    Results,
    check_target,
    default_run_dir,
    open_results,
    staging_dir,
    summarise,
    write_json_atomic,
    write_parquet_atomic,
)

DEPENDENCIES = ("mesa", "numba", "numpy", "scipy", "SALib", "dask", "distributed", "pyarrow",
                "pandas", "pydantic", "matplotlib", "ruamel.yaml", "tqdm")


def versions() -> dict[str, str | None]:
    """Installed versions of ecosim, Python and its dependencies (None if not installed)."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in ("ecosim", *DEPENDENCIES):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit() -> dict[str, Any] | None:
    """The source checkout's commit and whether it had local changes, or None."""
    src = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(["git", "-C", str(src), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(src), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, timeout=5).stdout.strip() != ""
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": rev, "dirty": dirty} if rev else None


def host_info() -> dict[str, Any]:
    return {"hostname": socket.gethostname(), "platform": platform.platform(),
            "machine": platform.machine(), "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0]}


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


def _scenario_plain(scn: Any) -> dict[str, Any]:
    from ecosim.scenario.loader import to_plain

    return to_plain(scn.model_dump(mode="python"))


class _Progress:
    """A tqdm bar over replications x quarters on stderr (or nothing)."""

    def __init__(self, total: int, enabled: bool, desc: str):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="q", desc=desc, file=sys.stderr,
                            dynamic_ncols=True, smoothing=0.1)

    def __call__(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def note(self, text: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(text, refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(scenario: str | os.PathLike | Any, *, seed: int | None = None, replications: int = 1,
        overrides: collections.abc.Iterable[Any] = (), out: str | os.PathLike | None = None,
        overwrite: bool = False, progress: bool = False,
        results_root: str | os.PathLike = "results") -> Results:
    """Run ``replications`` of a scenario and store them; return the opened ``Results``.

    ``scenario`` is a file path or a ``Scenario``; ``seed`` is the root seed (default: the
    scenario's ``run.seed``), from which each replication's seed is derived with
    ``ecosim.model.rng.replication_seeds``. Results go to ``out`` or to
    ``results_root/<name>-<YYYYmmdd-HHMMSS>``; an existing complete run there is refused
    (``InputError``) unless ``overwrite``. ``progress`` shows a tqdm bar on stderr.
    """
    overrides = list(overrides)
    scenario_file: str | None = None
    if isinstance(scenario, (str, os.PathLike)):
        from ecosim.scenario import load_scenario

        scenario_file = str(scenario)
        scn = load_scenario(scenario, overrides)
    else:
        scn = scenario
        if overrides:
            from ecosim.scenario.loader import apply_overrides, validate_data

            data = _scenario_plain(scn)
            apply_overrides(data, {}, overrides, type(scn))
            scn = validate_data(data, {}, type(scn), f"<scenario {scn.name}>")
    if replications < 1:
        raise InputError(f"--replications must be at least 1, got {replications}")
    root_seed = int(scn.run.seed if seed is None else seed)
    if not 0 <= root_seed < 2**63:
        raise InputError(f"--seed must be between 0 and 2^63 - 1, got {root_seed}")
    target = Path(out) if out is not None else default_run_dir(scn.name, results_root)
    check_target(target, overwrite)  # refuse before spending time on the model

    import pandas as pd

    from ecosim.model import rng as _rng  # numba/mesa: only once the input is known good
    from ecosim.model import warmup

    warmup(progress_message=progress)  # before the bar, so its time-left is the model's alone

    seeds = [int(s) for s in _rng.replication_seeds(root_seed, replications)]
    burn_in, horizon = 4 * scn.run.burn_in_years, 4 * scn.run.horizon_years
    started, t0 = _now(), time.perf_counter()
    bar = _Progress(replications * (burn_in + horizon), progress, scn.name)
    frames = []
    try:
        for r, s in enumerate(seeds):
            bar.note(f"replication {r + 1}/{replications}")
            df = _simulate(scn, s, bar)
            ids = pd.DataFrame({
                "replication": pd.Series([r] * len(df), dtype="int32", index=df.index),
                "seed": pd.Series([s] * len(df), dtype="uint64", index=df.index)})
            frames.append(pd.concat([ids, df], axis=1))
    finally:
        bar.close()
    metrics = pd.concat(frames, ignore_index=True)
    summary = summarise(metrics)
    summary.update({"scenario": scn.name, "root_seed": root_seed, "replications": replications})
    with staging_dir(target, overwrite) as tmp:
        write_parquet_atomic(metrics, tmp / METRICS)
        write_json_atomic(summary, tmp / SUMMARY)
        manifest = {
            "format": "ecosim-run/1",
            "scenario_name": scn.name,
            "scenario_description": getattr(scn, "description", ""),
            "scenario_file": scenario_file,
            "overrides": [o if isinstance(o, str) else repr(o) for o in overrides],
            "root_seed": root_seed,
            "replications": replications,
            "seeds": seeds,
            "started": started,
            "finished": _now(),
            "wall_seconds": round(time.perf_counter() - t0, 3),
            "versions": versions(),
            "git": git_commit(),
            "host": host_info(),
            "command": list(sys.argv),
            "files": {"metrics": METRICS, "summary": SUMMARY},
            "scenario": _scenario_plain(scn),
        }
        write_json_atomic(manifest, tmp / MANIFEST)  # last: its presence means complete
    return open_results(target)


def _simulate(scn: Any, seed: int, progress: Any) -> Any:
    from ecosim import model

    return model.simulate(scn, seed, progress=progress)
