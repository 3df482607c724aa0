"""Results on disk: one directory per run, written atomically, with the manifest last.

Layout of a run directory (``results/<scenario>-<YYYYmmdd-HHMMSS>/`` by default)::

    metrics.parquet   one row per replication x quarter x area: replication, seed, quarter, year,
                      area, then the model's metric columns
    summary.json      final-year means of the region's headline metrics, per replication and
                      across replications (mean, sd, 95% interval)
    manifest.json     resolved scenario, seeds, versions, git commit, times, host (written last)

A policy run from ``ecosim run`` (a scenario that extends a baseline and changes its policies)
also holds, written after the run with the same seeds: ``baseline_metrics.parquet`` (the
baseline's metrics, same columns), ``paired.parquet`` (per replication and headline metric:
final-year baseline, policy and difference) and ``comparison.txt`` (the printed table).

Everything is written into a hidden temporary directory beside the target and renamed into place
in one step, so a directory named like a run is always complete; a directory without
``manifest.json`` is incomplete and ``open_results`` refuses it. ``write_json_atomic`` and
``write_parquet_atomic`` (temp file + fsync + ``os.replace``) are for every other writer too.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecosim.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

MANIFEST = "manifest.json"
METRICS = "metrics.parquet"
SUMMARY = "summary.json"
BASELINE_METRICS = "baseline_metrics.parquet"
PAIRED = "paired.parquet"
COMPARISON = "comparison.txt"
RUN_FILES = (MANIFEST, METRICS, SUMMARY, BASELINE_METRICS, PAIRED, COMPARISON)
FORMAT = "ecosim-run/1"

HEADLINE_METRICS = (
    "share_level2_plus",
    "share_level3_plus",
    "share_level4_plus",
    "share_no_qualifications",
    "employment_rate",
    "unemployment_rate",
    "vacancy_fill_rate",
    "skills_shortage_share",
    "participation_rate_adult",
    "participation_rate_low_qualified",
    "funded_share_level3",
    "funded_share_priority_sectors",
    "public_spend_gbp",
    "cost_per_qualification_gbp",
    "mean_wage_gbp",
    "median_wage_gbp",
    "wage_p90_p10",
    "output_per_worker_gbp",
    "graduate_retention_rate",
    "fe_he_progression_rate",
    "employer_high_road_mean",
    "district_gap_level3_plus",
)
"""Region metrics summarised in ``summary.json`` (those present in the frame)."""

ID_COLUMNS = ("replication", "seed", "quarter", "year", "area")


# ------------------------------------------------------------------------- atomic writes
def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it onto ``path``.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _json_default(o: Any) -> Any:
    if hasattr(o, "item") and callable(o.item):  # numpy scalar
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    if isinstance(o, (_dt.date, _dt.datetime)):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _clean(o: Any) -> Any:
    """NaN and infinities -> None (strict JSON)."""
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


def write_json_atomic(obj: Any, path: str | os.PathLike) -> Path:
    """Write ``obj`` as strict, indented JSON (NaN -> null) to ``path`` atomically."""
    text = json.dumps(_clean(obj), indent=2, default=_json_default, allow_nan=False)
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return Path(path)


def write_text_atomic(text: str, path: str | os.PathLike) -> Path:
    """Write UTF-8 text to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_parquet_atomic(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a DataFrame as Parquet (pyarrow, zstd, no index) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, engine="pyarrow", compression="zstd", index=False)
    return Path(path)


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------- run directories
def is_complete(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a finished run directory (it has its manifest)."""
    return (Path(path) / MANIFEST).is_file()


def default_run_dir(scenario_name: str, root: str | os.PathLike = "results",
                    now: _dt.datetime | None = None) -> Path:
    """``root/<scenario-name>-<YYYYmmdd-HHMMSS>`` (with ``-2``, ``-3``... if that exists)."""
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in scenario_name) or "run"
    base = Path(root) / f"{safe}-{stamp}"
    p, i = base, 2
    while p.exists():
        p = base.with_name(f"{base.name}-{i}")
        i += 1
    return p


def check_parent(target: str | os.PathLike, what: str = "--out") -> None:
    """Refuse (``InputError``, one line) a ``target`` that could not be written: a parent that
    is a file, or a nearest existing ancestor that is not a writable directory. Call it before
    any work, so that nothing is computed and then lost."""
    t = Path(target).expanduser()
    anc = t.absolute().parent
    while not anc.exists():
        if anc.is_symlink():  # a dangling link: cannot be created through
            raise InputError(f"{what} {t}: {anc} is a broken symbolic link")
        anc = anc.parent
    if not anc.is_dir():
        raise InputError(f"{what} {t}: {anc} is a file, not a directory; choose another {what}")
    if not os.access(anc, os.W_OK | os.X_OK):
        raise InputError(f"{what} {t}: cannot create it, {anc} is not writable; choose another "
                         f"{what}")


def check_target(target: str | os.PathLike, overwrite: bool = False) -> None:
    """Refuse (``InputError``) to write a run into ``target`` unless that is safe.

    Allowed: a missing path, an empty directory, or with ``overwrite`` a directory holding only
    an ecosim run's files. A complete run is never replaced without ``overwrite``, and a
    directory with other files is never replaced at all.
    """
    t = Path(target)
    check_parent(t)
    if not t.exists():
        return
    if not t.is_dir():
        raise InputError(f"{t}: exists and is not a directory; choose another --out")
    names = {p.name for p in t.iterdir()}
    if not names:
        return
    if is_complete(t) and not overwrite:
        raise InputError(f"{t}: already holds a complete run; use --overwrite to replace it, "
                         "or choose another --out")
    if not names <= set(RUN_FILES):
        raise InputError(f"{t}: exists and holds files that are not an ecosim run "
                         f"({', '.join(sorted(names - set(RUN_FILES))[:5])}); refusing to "
                         "replace it, choose another --out")
    if not overwrite:
        raise InputError(f"{t}: holds an incomplete run (no {MANIFEST}); use --overwrite to "
                         "replace it")


@contextlib.contextmanager
def staging_dir(target: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """A hidden temporary directory beside ``target``; renamed onto it when the block succeeds.

    Write the manifest last inside the block. On an exception (or a kill) ``target`` is
    untouched; the temporary directory is removed on exceptions (a killed process leaves a
    hidden ``.<name>.partial-*`` directory that nothing mistakes for a run).
    """
    t = Path(target)
    check_target(t, overwrite)
    t.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{t.name}.partial-", dir=t.parent))
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; a run dir is not
        yield tmp
        _fsync_dir(tmp)
        check_target(t, overwrite)  # something may have appeared meanwhile
        old = None
        if t.exists():
            old = t.parent / f".{t.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(t, old)
        os.replace(tmp, t)
        _fsync_dir(t.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------------ summary
def summarise(metrics: pd.DataFrame, metric_columns: list[str] | None = None) -> dict[str, Any]:
    """Final-year means of the region's headline metrics, per replication and across them."""
    import numpy as np

    region = metrics[metrics["area"] == "region"] if "area" in metrics else metrics
    if region.empty:
        return {"final_year": None, "metrics": [], "per_replication": [], "across": {}}
    final_q = int(region["quarter"].max())
    last = region[region["quarter"] > final_q - 4]
    final_year = float(last["year"].min()) if "year" in last else None
    if metric_columns is None:
        metric_columns = [c for c in HEADLINE_METRICS if c in last.columns]
        if not metric_columns:
            metric_columns = [c for c in last.columns if c not in ID_COLUMNS
                              and np.issubdtype(last[c].dtype, np.number)]
    by_rep = last.groupby("replication", sort=True)[metric_columns].mean()
    seeds = last.groupby("replication", sort=True)["seed"].first()
    per_rep = [{"replication": int(r), "seed": int(seeds[r]),
                **{c: float(by_rep.loc[r, c]) for c in metric_columns}} for r in by_rep.index]
    across: dict[str, dict[str, float | int | None]] = {}
    for c in metric_columns:
        v = by_rep[c].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        n = int(v.size)
        mean = float(v.mean()) if n else float("nan")
        sd = float(v.std(ddof=1)) if n > 1 else float("nan")
        half = _t975(n - 1) * sd / math.sqrt(n) if n > 1 else float("nan")
        across[c] = {"mean": mean, "sd": sd, "ci95_low": mean - half, "ci95_high": mean + half,
                     "min": float(v.min()) if n else float("nan"),
                     "max": float(v.max()) if n else float("nan"), "n": n}
    quarters = [int(q) for q in sorted(last["quarter"].unique())]
    return {"final_year": final_year, "quarters": quarters,
            "metrics": metric_columns, "per_replication": per_rep, "across": across}


def _t975(df: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.975, df))


# ------------------------------------------------------------------------------ reading
@dataclass
class Results:
    """A finished run: ``manifest`` (dict), ``summary`` (dict), ``metrics`` (DataFrame, lazy)."""

    path: Path
    manifest: dict[str, Any]
    summary: dict[str, Any]
    _metrics: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"Results({str(self.path)!r}, scenario={self.manifest.get('scenario_name')!r}, "
                f"replications={self.manifest.get('replications')})")

    @property
    def metrics(self) -> pd.DataFrame:
        if self._metrics is None:
            import pandas as pd

            self._metrics = pd.read_parquet(self.path / METRICS)
        return self._metrics

    def region(self) -> pd.DataFrame:
        """The region rows of ``metrics``."""
        m = self.metrics
        return m[m["area"] == "region"].reset_index(drop=True)


SWEEP_MARKER = "sweep.json"


def _check_parquet(path: Path, run_dir: Path) -> None:
    """``InputError`` if ``path`` is not a readable Parquet file (e.g. truncated)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except (pa.ArrowException, OSError) as e:
        size = path.stat().st_size if path.exists() else 0
        raise InputError(f"{path}: damaged Parquet file ({size} bytes; {_first_line(e)}); "
                         f"it was probably cut short by a full disk or a copy that did not "
                         f"finish. Copy it again, or run the scenario again into a new --out "
                         f"(manifest.json in {run_dir} records the command)") from None


def _first_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= 120 else text[:119] + "…"


def open_results(path: str | os.PathLike) -> Results:
    """Open a finished run directory; ``InputError`` saying what the path is and what to do
    if it is missing, a sweep, incomplete, unrelated or damaged."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such results directory")
    if not p.is_dir():
        raise InputError(f"{p}: is a file, not a run directory; give the directory that holds "
                         f"{MANIFEST} and {METRICS}")
    if (p / SWEEP_MARKER).is_file():
        raise InputError(f"{p}: is a sweep directory, not a single run; open it with "
                         f"ecosim.open_sweep({str(p)!r})")
    if not is_complete(p):
        names = {q.name for q in p.iterdir()}
        if names & {METRICS, SUMMARY} or any(n.startswith(".") and ".partial-" in n
                                             for n in names):
            raise InputError(f"{p}: incomplete run (no {MANIFEST}); it was interrupted or is "
                             "still being written: run it again")
        raise InputError(f"{p}: not an ecosim run directory (no {MANIFEST} or {METRICS}); "
                         "give a directory written by 'ecosim run' or ecosim.run(), e.g. "
                         "results/<scenario>-<time>")
    missing = [n for n in (METRICS, SUMMARY) if not (p / n).is_file()]
    if missing:
        raise InputError(f"{p}: damaged run directory (missing {', '.join(missing)})")
    try:
        manifest = read_json(p / MANIFEST)
        summary = read_json(p / SUMMARY)
    except (OSError, ValueError) as e:
        raise InputError(f"{p}: unreadable run files: {e}") from None
    _check_parquet(p / METRICS, p)
    return Results(p, manifest, summary)
