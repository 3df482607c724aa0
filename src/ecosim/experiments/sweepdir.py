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
