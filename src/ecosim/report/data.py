"""Runs to compare: loading, checking, choosing the baseline, and effects with intervals.

``load_comparison(paths, baseline=None, metrics=None)`` reads run directories written by
``ecosim run`` (and notes sweep directories from ``ecosim sweep``), refuses bad input with an
``InputError`` before anything is drawn, and returns a :class:`Comparison`, the one object
every figure and the report read.

Effects are differences from the baseline at the final reported year. When a run and the
baseline share their seeds (replication *i* of both used the same seed: common random numbers),
replications, and model commit, differences are **paired** (replication *i* minus replication
*i*); otherwise they are **unpaired** (difference of means, Welch interval) and every figure and
sentence says so. Intervals are 90% intervals for the mean over replications (Student t).
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim.errors import InputError
from ecosim.report.units import FLOWS, HEADLINE
from ecosim.store import ID_COLUMNS, MANIFEST, METRICS, SUMMARY, read_json

LEVEL = 0.90  # interval coverage used everywhere in the report


@dataclass
class Run:
    """One run directory: its manifest, scenario (resolved, plain) and metrics frame."""

    name: str
    path: Path
    manifest: dict[str, Any]
    metrics: pd.DataFrame

    @property
    def scenario(self) -> dict[str, Any]:
        return self.manifest.get("scenario") or {}

    @property
    def seeds(self) -> list[int]:
        return [int(s) for s in self.manifest.get("seeds", [])]

    @property
    def replications(self) -> int:
        return int(self.metrics["replication"].nunique())

    @property
    def version(self) -> str | None:
        return (self.manifest.get("versions") or {}).get("ecosim")

    @property
    def commit(self) -> str | None:
        return (self.manifest.get("git") or {}).get("commit")

    @property
    def region_name(self) -> str:
        return str((self.scenario.get("region") or {}).get("name", ""))

    @property
    def districts(self) -> list[str]:
        return [d["name"] for d in (self.scenario.get("region") or {}).get("districts", [])]


@dataclass
class Effect:
    """A policy's difference from the baseline: mean and 90% interval (NaN if < 2 reps)."""

    mean: float
    low: float
    high: float
    n: int
    paired: bool
    baseline: float
    policy: float

    @property
    def clear(self) -> bool:
        """True when the interval excludes zero (a clear difference)."""
        return bool(np.isfinite(self.low) and np.isfinite(self.high)
                    and (self.low > 0 or self.high < 0))


def t_interval(x: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """(mean, low, high) of the mean of ``x``; low/high NaN with fewer than 2 finite values."""
    from scipy import stats

    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.nan, np.nan, np.nan
    m = float(x.mean())
    if x.size < 2:
        return m, np.nan, np.nan
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return m, m - half, m + half


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = LEVEL
                   ) -> tuple[float, float, float]:
    """(mean(a) - mean(b), low, high), Welch-Satterthwaite degrees of freedom."""
    from scipy import stats

    a = np.asarray(a, float)[np.isfinite(a)]
    b = np.asarray(b, float)[np.isfinite(b)]
    if a.size == 0 or b.size == 0:
        return np.nan, np.nan, np.nan
    d = float(a.mean() - b.mean())
    if a.size < 2 or b.size < 2:
        return d, np.nan, np.nan
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = np.sqrt(va + vb)
    if se == 0:
        return d, d, d
    df = (va + vb) ** 2 / (va ** 2 / (a.size - 1) + vb ** 2 / (b.size - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df) * se)
    return d, d - half, d + half


def fieller_ratio(num: np.ndarray, den: np.ndarray, level: float = LEVEL
                  ) -> tuple[float, float, float, bool]:
    """Ratio of mean paired differences ``mean(num) / mean(den)`` with Fieller's interval
    (see :func:`fieller`)."""
    num = np.asarray(num, float)
    den = np.asarray(den, float)
    ok = np.isfinite(num) & np.isfinite(den)
    num, den = num[ok], den[ok]
    n = num.size
    if n < 2:
        a = float(num.mean()) if n else np.nan
        b = float(den.mean()) if n else np.nan
        return (a / b if n and b else np.nan), np.nan, np.nan, False
    cov = np.cov(num, den, ddof=1) / n
    return fieller(num.mean(), den.mean(), cov[0, 0], cov[1, 1], cov[0, 1], n - 1, level)


def fieller(a: float, b: float, vaa: float, vbb: float, vab: float, df: float,
            level: float = LEVEL) -> tuple[float, float, float, bool]:
    """Fieller's interval for ``a / b`` given the variances of the estimates ``a`` and ``b``
    and their covariance. Returns (ratio, low, high, defined); ``defined`` is False (and the
    interval NaN) when ``b``'s own interval includes zero: the ratio then has no bounded
    interval, which the report calls "not defined"."""
    from scipy import stats

    t = float(stats.t.ppf(0.5 + level / 2, df))
    ratio = float(a / b) if b else np.nan
    if b == 0 or b * b <= t * t * vbb:
        return ratio, np.nan, np.nan, False
    # (a - r b)^2 = t^2 (vaa - 2 r vab + r^2 vbb)  ->  A r^2 + B r + C = 0
    A = b * b - t * t * vbb
    B = -2 * (a * b - t * t * vab)
    C = a * a - t * t * vaa
    disc = max(B * B - 4 * A * C, 0.0)
    r1, r2 = (-B - np.sqrt(disc)) / (2 * A), (-B + np.sqrt(disc)) / (2 * A)
    return ratio, float(min(r1, r2)), float(max(r1, r2)), True


@dataclass
class Comparison:
    """Runs against one baseline. ``order`` lists scenario names, baseline first."""

    runs: dict[str, Run]
    baseline: str
    metrics: list[str]           # the headline KPIs (``--metrics`` or units.HEADLINE)
    common: list[str] = field(default_factory=list)  # every metric all runs carry
    sweeps: list[Path] = field(default_factory=list)
    baseline_reason: str = ""

    @property
    def order(self) -> list[str]:
        return [self.baseline] + [n for n in self.runs if n != self.baseline]

    @property
    def policies(self) -> list[str]:
        return [n for n in self.runs if n != self.baseline]

    def unpaired_reason(self, name: str) -> str | None:
        """Why ``name`` cannot be paired with the baseline, or None if it can."""
        b, r = self.runs[self.baseline], self.runs[name]
        why = []
        if r.seeds != b.seeds:
            why.append("different seeds")
        if r.replications != b.replications:
            why.append(f"{r.replications} vs {b.replications} replications")
        if r.commit != b.commit or r.version != b.version:
            why.append("a different model commit")
        return ", ".join(why) or None

    def paired(self, name: str) -> bool:
        return self.unpaired_reason(name) is None

    # ---- per-replication values ----------------------------------------------------
    def frame(self, name: str, area: str = "region") -> pd.DataFrame:
        df = self.runs[name].metrics
        return df[df["area"] == area]

    def final_year(self, name: str, metric: str, area: str = "region") -> np.ndarray:
        """Per replication (in replication order): the final reported year's value (mean of
        its quarters, or their sum for a quarterly flow)."""
        df = self.frame(name, area)
        last = np.floor(df["year"].max() - 1e-9 + 1e-6)
        fy = df[np.floor(df["year"] + 1e-9) >= last]
        g = fy.groupby("replication")[metric]
        return (g.sum(min_count=1) if metric in FLOWS else g.mean()).sort_index().to_numpy()

    def cumulative(self, name: str, metric: str, area: str = "region") -> np.ndarray:
        """Per replication: the sum of a quarterly flow over every reported quarter."""
        df = self.frame(name, area)
        return df.groupby("replication")[metric].sum(min_count=1).sort_index().to_numpy()

    def effect_of(self, name: str, base_vals: np.ndarray, pol_vals: np.ndarray) -> Effect:
        if self.paired(name):
            m, lo, hi = t_interval(pol_vals - base_vals)
            return Effect(m, lo, hi, len(pol_vals), True, float(np.nanmean(base_vals)),
                          float(np.nanmean(pol_vals)))
        m, lo, hi = welch_interval(pol_vals, base_vals)
        return Effect(m, lo, hi, min(len(pol_vals), len(base_vals)), False,
                      float(np.nanmean(base_vals)), float(np.nanmean(pol_vals)))

    def effect(self, name: str, metric: str, area: str = "region") -> Effect:
        """Final-year effect of scenario ``name`` on ``metric`` against the baseline."""
        return self.effect_of(name, self.final_year(self.baseline, metric, area),
                              self.final_year(name, metric, area))

    def ratio_effect(self, name: str, num: tuple[np.ndarray, np.ndarray],
                     den: tuple[np.ndarray, np.ndarray]) -> tuple[float, float, float, bool]:
        """Change in ``num`` per unit change in ``den`` against the baseline, with Fieller's
        interval; each argument is (baseline values, policy values) per replication."""
        if self.paired(name):
            return fieller_ratio(num[1] - num[0], den[1] - den[0])
        (nb, npol), (db, dp) = num, den
        n = min(len(nb), len(npol), len(db), len(dp))
        if n < 2:
            return np.nan, np.nan, np.nan, False
        a = np.mean(npol) - np.mean(nb)
        b = np.mean(dp) - np.mean(db)
        vaa = np.var(npol, ddof=1) / len(npol) + np.var(nb, ddof=1) / len(nb)
        vbb = np.var(dp, ddof=1) / len(dp) + np.var(db, ddof=1) / len(db)
        vab = (np.cov(npol, dp, ddof=1)[0, 1] / len(npol)
               + np.cov(nb, db, ddof=1)[0, 1] / len(nb))
        return fieller(a, b, vaa, vbb, vab, n - 1)

    def path(self, name: str, metric: str, area: str = "region") -> pd.DataFrame:
        """year, mean, low, high of ``metric`` over replications, quarter by quarter."""
        w = self.frame(name, area).pivot(index="year", columns="replication", values=metric)
        rows = [(y, *t_interval(w.loc[y].to_numpy())) for y in w.index]
        return pd.DataFrame(rows, columns=["year", "mean", "low", "high"])

    def diff_path(self, name: str, metric: str, area: str = "region") -> pd.DataFrame:
        """year, mean, low, high of the difference from the baseline, quarter by quarter."""
        p = self.frame(name, area).pivot(index="year", columns="replication", values=metric)
        b = self.frame(self.baseline, area).pivot(index="year", columns="replication",
                                                  values=metric)
        years = p.index.intersection(b.index)
        rows = []
        for y in years:
            if self.paired(name):
                rows.append((y, *t_interval(p.loc[y].to_numpy() - b.loc[y].to_numpy())))
            else:
                rows.append((y, *welch_interval(p.loc[y].to_numpy(), b.loc[y].to_numpy())))
        return pd.DataFrame(rows, columns=["year", "mean", "low", "high"])

    def headline(self) -> list[str]:
        return list(self.metrics)

    def has(self, *metrics: str) -> bool:
        return all(m in self.common for m in metrics)

    def min_replications(self) -> int:
        return min(r.replications for r in self.runs.values())


# ------------------------------------------------------------------------------- loading
def _is_sweep(p: Path) -> bool:
    return (p / "sweep.json").is_file()


def load_run(path: str | os.PathLike) -> Run:
    """One complete run directory, or an InputError saying what is missing."""
    p = Path(path)
    if not p.is_dir():
        raise InputError(f"{p}: not a directory (give run directories written by 'ecosim run')")
    missing = [f for f in (MANIFEST, METRICS, SUMMARY) if not (p / f).is_file()]
    if missing:
        raise InputError(f"{p}: not a complete run: missing {', '.join(missing)}")
    try:
        manifest = read_json(p / MANIFEST)
        metrics = pd.read_parquet(p / METRICS)
    except Exception as e:  # noqa: BLE001  (a damaged file: say which)
        raise InputError(f"{p}: unreadable run files ({type(e).__name__}: {e})") from None
    if not isinstance(manifest, dict) or "scenario" not in manifest:
        raise InputError(f"{p}: not a complete run: manifest.json has no resolved scenario")
    need = set(ID_COLUMNS) - set(metrics.columns)
    if need:
        raise InputError(f"{p}: not a complete run: metrics.parquet lacks {sorted(need)}")
    name = str(manifest.get("scenario_name") or p.name)
    return Run(name, p, manifest, metrics)


def _extends_of(run: Run) -> Path | None:
    """The resolved file the run's scenario file ``extends:``, if it can be read."""
    f = run.manifest.get("scenario_file")
    if not f:
        return None
    try:
        from ecosim.scenario.yamlio import parse_text, read_text

        data = parse_text(read_text(f), str(f))[0]
    except Exception:  # noqa: BLE001  (moved or changed since the run: no vote)
        return None
    ext = data.get("extends") if isinstance(data, dict) else None
    return (Path(f).parent / ext).resolve() if ext else None


def choose_baseline(runs: dict[str, Run], wanted: str | None) -> tuple[str, str]:
    """(baseline name, why): ``wanted``, else the run the most others extend, else a run
    named '*baseline*', else the first."""
    if wanted is not None:
        if wanted not in runs:
            raise InputError(f"--baseline {wanted}: no such scenario among the runs "
                             f"({', '.join(runs)})" + _suggest(wanted, list(runs)))
        return wanted, "chosen with --baseline"
    files = {n: Path(r.manifest["scenario_file"]).resolve()
             for n, r in runs.items() if r.manifest.get("scenario_file")}
    votes: dict[str, int] = {}
    for n, r in runs.items():
        parent = _extends_of(r)
        for m, f in files.items():
            if parent is not None and m != n and f == parent:
                votes[m] = votes.get(m, 0) + 1
    if votes:
        best = max(votes, key=lambda k: votes[k])
        return best, f"the scenario {votes[best]} other run(s) extend"
    for n in runs:
        if "baseline" in n:
            return n, "named as a baseline"
    first = next(iter(runs))
    return first, "the first run given (none extends another)"


def _suggest(word: str, options: list[str]) -> str:
    m = difflib.get_close_matches(word, options, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(repr(x) for x in m)}?" if m else ""


def load_comparison(paths: list[str | os.PathLike], baseline: str | None = None,
                    metrics: list[str] | None = None) -> Comparison:
    """Read and check every directory; all problems found are raised together (one line
    each) before anything is drawn."""
    problems: list[str] = []
    runs: dict[str, Run] = {}
    sweeps: list[Path] = []
    for p in paths:
        pp = Path(p)
        if _is_sweep(pp):
            if not (pp / MANIFEST).is_file():
                problems.append(f"{pp}: not a complete sweep: missing manifest.json "
                                "(finish it with 'ecosim sweep --resume')")
            else:
                sweeps.append(pp)
            continue
        try:
            r = load_run(pp)
        except InputError as e:
            problems.append(str(e))
            continue
        name = r.name
        if name in runs:  # the same scenario twice: tell them apart by directory
            name = f"{r.name} ({pp.name})"
            r.name = name
        runs[name] = r
    if not problems and not runs:
        problems.append("no run directories to compare (sweep directories need a run "
                        "directory as baseline)" if sweeps else "no run directories given")
    if problems:
        raise InputError(_lines(problems))
    versions = {r.version for r in runs.values()}
    if len(versions) > 1:
        problems.append("runs of different ecosim versions: " + ", ".join(
            f"{n}={r.version}" for n, r in runs.items()) + " (rerun them with one version)")
    regions = {(r.region_name, tuple(r.districts)) for r in runs.values()}
    if len(regions) > 1:
        problems.append("runs of different regions: " + ", ".join(
            f"{n}={r.region_name or '?'}" for n, r in runs.items()))
    common = None
    for r in runs.values():
        cols = [c for c in r.metrics.columns if c not in ID_COLUMNS]
        common = cols if common is None else [c for c in common if c in set(cols)]
    common = common or []
    if not common and len(runs) > 1:
        problems.append("the runs have no metric in common")
    chosen = [m for m in HEADLINE if m in common]
    if metrics:
        allm = sorted({c for r in runs.values() for c in r.metrics.columns} - set(ID_COLUMNS))
        for m in metrics:
            if m not in allm:
                problems.append(f"--metrics {m}: no such metric" + _suggest(m, allm))
            elif m not in common:
                problems.append(f"--metrics {m}: not in every run")
        chosen = [m for m in metrics if m in common]
    try:
        base, why = choose_baseline(runs, baseline)
    except InputError as e:
        problems.append(str(e))
        base, why = next(iter(runs)), ""
    if problems:
        raise InputError(_lines(problems))
    runs = {base: runs[base], **{n: r for n, r in runs.items() if n != base}}
    return Comparison(runs=runs, baseline=base, metrics=chosen, common=common, sweeps=sweeps,
                      baseline_reason=why)


def _lines(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems\n" + "\n".join(f"  {p}" for p in problems)
