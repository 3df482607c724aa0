"""A sweep's directory on disk: the plan, the workers' parts, the assembled tables.

Layout (every file written atomically; ``manifest.json`` last, when every run has a result)::

    sweep.json        the plan's identity: experiment, baseline hash, seeds, counts (first)
    plan.parquet      one row per sample x replication: sample, replication, seed, run_id, params
    parts/            part-<hash>.parquet, one per task, written by the worker that ran it:
                      run_id, seed, output, quarter, value, error, seconds
    results.parquet   tidy: one row per sample x replication x output (x quarter for paths)
    failures.csv      runs that raised: sample, replication, seed, run_id, params, error
    manifest.json     counts, times, versions, host (its presence means the sweep finished)

A run is finished when a part holds a row for it without an error; ``--resume`` submits only
the others, so nothing is repeated or lost, and ``results.parquet`` is rebuilt from the parts.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim.store import read_json, write_parquet_atomic, write_text_atomic

SWEEP = "sweep.json"
PLAN = "plan.parquet"
PARTS = "parts"
RESULTS = "results.parquet"
FAILURES = "failures.csv"
MANIFEST = "manifest.json"
FORMAT = "ecosim-sweep/1"


def part_files(target: Path) -> list[Path]:
    """Finished parts, in name order (temporary files of killed writers are skipped)."""
    d = target / PARTS
    if not d.is_dir():
        return []
    return sorted(p for p in d.glob("part-*.parquet") if not p.name.startswith("."))


def clean_temporaries(target: Path) -> int:
    """Remove half-written parts left by killed workers; return how many."""
    d = target / PARTS
    n = 0
    if d.is_dir():
        for p in d.glob(".*.tmp-*"):
            with contextlib.suppress(OSError):
                p.unlink()
                n += 1
    return n


def read_parts(target: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """All parts concatenated (with a ``part`` column giving the file's order)."""
    frames = []
    for i, p in enumerate(part_files(target)):
        df = pd.read_parquet(p, columns=columns)
        df["part"] = i
        frames.append(df)
    if not frames:
        cols = columns or ["run_id", "seed", "output", "quarter", "value", "error", "seconds"]
        return pd.DataFrame({c: [] for c in [*cols, "part"]})
    return pd.concat(frames, ignore_index=True)


def finished_runs(target: Path) -> set[str]:
    """Run ids with a successful result in some part (reads only two columns)."""
    df = read_parts(target, ["run_id", "error"])
    return set(df.loc[df["error"].isna(), "run_id"].astype(str))


def mean_run_seconds(target: Path) -> float | None:
    """Mean measured compute time of the finished runs, if any."""
    df = read_parts(target, ["run_id", "seconds"])
    if df.empty:
        return None
    return float(df.drop_duplicates("run_id")["seconds"].mean())


def read_plan(target: Path) -> pd.DataFrame:
    return pd.read_parquet(target / PLAN)


def read_sweep(target: Path) -> dict[str, Any]:
    return read_json(target / SWEEP)


def read_manifest(target: Path) -> dict[str, Any]:
    return read_json(target / MANIFEST)


def assemble(target: Path, output_labels: list[str], param_labels: list[str]
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Join the plan with the parts: (tidy results, failures), both in plan order.

    A run with results in several parts (a task re-run after a worker died mid-write) keeps the
    first part's rows; a run with only failures keeps its last error.
    """
    plan = read_plan(target)
    parts = read_parts(target)
    ok = parts[parts["error"].isna()]
    first = ok.groupby("run_id", sort=False)["part"].transform("min")
    ok = ok[ok["part"] == first]
    bad = parts[parts["error"].notna() & ~parts["run_id"].isin(set(ok["run_id"]))]
    bad = bad.drop_duplicates("run_id", keep="last")[["run_id", "error"]]
    res = plan.merge(ok[["run_id", "output", "quarter", "value"]], on="run_id", how="inner")
    res["output"] = pd.Categorical(res["output"], categories=output_labels, ordered=True)
    res = res.sort_values(["sample", "replication", "output", "quarter"], kind="stable",
                          na_position="first")
    res["output"] = res["output"].astype(str)
    res = res.reset_index(drop=True)
    fail = plan.merge(bad, on="run_id", how="inner")
    missing = plan[~plan["run_id"].isin(set(ok["run_id"]) | set(bad["run_id"]))].copy()
    if not missing.empty:
        missing["error"] = "not run (the sweep was interrupted; use --resume)"
        fail = pd.concat([fail, missing], ignore_index=True)
    fail = fail.sort_values(["sample", "replication"], kind="stable").reset_index(drop=True)
    cols = ["sample", "replication", "seed", "run_id", *param_labels]
    res = res[[*cols, "output", "quarter", "value"]]
    fail = fail[[*cols, "error"]]
    return res, fail


def write_tables(target: Path, results: pd.DataFrame, failures: pd.DataFrame) -> None:
    write_parquet_atomic(results, target / RESULTS)
    write_text_atomic(failures.to_csv(index=False), target / FAILURES)


def per_sample(results: pd.DataFrame, aggregate: dict[str, str], n_samples: int,
               output: str) -> np.ndarray:
    """One value per sample for a scalar output: the replications combined by ``aggregate``
    (NaN for a sample whose runs all failed)."""
    sub = results[(results["output"] == output) & results["quarter"].isna()]
    how = aggregate[output]
    fn = {"mean": "mean", "median": "median", "sd": "std", "min": "min", "max": "max"}[how]
    s = sub.groupby("sample")["value"].agg(fn)
    y = np.full(n_samples, np.nan)
    y[s.index.to_numpy(dtype=int)] = s.to_numpy(dtype=float)
    return y


# ------------------------------------------------------------------------------ reading
class Sweep:
    """A sweep directory opened for reading (``ecosim.open_sweep``).

    ``meta`` (sweep.json: experiment, parameters, outputs, seeds), ``manifest`` (counts,
    times, versions, and ``resumes`` if it was resumed), and tables read on first use:
    ``plan``, ``results`` (tidy), ``failures``, and after ``ecosim analyze``: ``samples``
    (per-sample means over replications) and ``indices``."""

    def __init__(self, path: Path, meta: dict[str, Any], manifest: dict[str, Any]):
        self.path, self.meta, self.manifest = path, meta, manifest
        self._cache: dict[str, pd.DataFrame] = {}

    def __repr__(self) -> str:
        name = self.meta.get("experiment", {}).get("name")
        return (f"Sweep({str(self.path)!r}, experiment={name!r}, "
                f"runs={self.manifest.get('runs')}, failed={self.manifest.get('failed')})")

    def _table(self, name: str, missing: str) -> pd.DataFrame:
        if name not in self._cache:
            f = self.path / name
            if not f.is_file():
                from ecosim.errors import InputError

                raise InputError(f"{self.path}: no {name}; {missing}")
            self._cache[name] = pd.read_csv(f) if name.endswith(".csv") else pd.read_parquet(f)
        return self._cache[name]

    @property
    def plan(self) -> pd.DataFrame:
        return self._table(PLAN, "the sweep directory is damaged")

    @property
    def results(self) -> pd.DataFrame:
        return self._table(RESULTS, "the sweep directory is damaged")

    @property
    def failures(self) -> pd.DataFrame:
        return self._table(FAILURES, "the sweep directory is damaged")

    @property
    def samples(self) -> pd.DataFrame:
        return self._table("samples.parquet", f"run 'ecosim analyze {self.path}' first")

    @property
    def indices(self) -> pd.DataFrame:
        return self._table("indices.parquet", f"run 'ecosim analyze {self.path}' first")


def open_sweep(path: str | Path) -> Sweep:
    """Open a finished sweep directory; ``InputError`` saying what the path is otherwise."""
    from ecosim.errors import InputError
    from ecosim.store import MANIFEST as RUN_MANIFEST
    from ecosim.store import _check_parquet

    p = Path(path)
    if not p.is_dir():
        raise InputError(f"{p}: no such sweep directory")
    if not (p / SWEEP).is_file():
        if (p / RUN_MANIFEST).is_file() and (p / "metrics.parquet").is_file():
            raise InputError(f"{p}: is a single run, not a sweep; open it with "
                             f"ecosim.open_results({str(p)!r})")
        raise InputError(f"{p}: not a sweep directory (no {SWEEP}); give a directory written "
                         "by 'ecosim sweep'")
    meta = read_sweep(p)
    if not (p / MANIFEST).is_file():
        done = len(finished_runs(p)) if (p / PARTS).is_dir() else 0
        exp = meta.get("experiment_file", "EXPERIMENT.yaml")
        raise InputError(f"{p}: unfinished sweep ({done} of {meta.get('unique_runs', '?')} "
                         f"runs have results); complete it with: ecosim sweep {exp} --out {p} "
                         "--resume")
    for name in (PLAN, RESULTS):
        _check_parquet(p / name, p)
    return Sweep(p, meta, read_manifest(p))
