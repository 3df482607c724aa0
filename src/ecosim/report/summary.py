"""One-screen comparison of a policy run with its baseline (the scenario it ``extends:``).

``ecosim run`` on a scenario that extends another and changes its policies runs the baseline
(the same resolved scenario with the extended file's policies) with the same replication seeds
(common random numbers, so differences are the policy's effect, not noise) and prints
``compare_to_baseline(policy_metrics, baseline_metrics)``: final-year regional means of the
headline metrics with baseline, policy, difference and relative change, then the policies'
ledgers (GBP at people scale).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: (column, label, how): "mean" = final-year mean of quarterly values, "sum" = final-year total
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("share_level3_plus", "16-64s at Level 3+ (share)", "mean"),
    ("share_level4_plus", "16-64s at Level 4+ (share)", "mean"),
    ("share_no_qualifications", "16-64s with no qualification (share)", "mean"),
    ("employment_rate", "employment rate", "mean"),
    ("unemployment_rate", "unemployment rate", "mean"),
    ("participation_rate_adult", "adult participation in learning", "mean"),
    ("participation_rate_adult_funded", "  government-funded participation", "mean"),
    ("participation_rate_low_qualified", "  low-qualified", "mean"),
    ("participation_rate_50_plus", "  aged 50+", "mean"),
    ("participation_rate_low_paid", "  low-paid", "mean"),
    ("starts", "course starts (persons/yr)", "sum"),
    ("completions", "completions (persons/yr)", "sum"),
    ("funded_enrolled", "publicly funded learners (persons)", "mean"),
    ("funded_share_level3", "  of them on Level 3 courses (share)", "mean"),
    ("funded_share_priority_sectors", "  of them in priority sectors (share)", "mean"),
    ("fe_he_progression_rate", "FE -> HE progression rate", "mean"),
    ("public_spend_gbp", "public spend (GBP/yr)", "sum"),
    ("cost_per_qualification_gbp", "public cost per qualification (GBP)", "mean"),
    ("mean_wage_gbp", "mean pay (GBP/yr)", "mean"),
    ("output_per_worker_gbp", "output per worker (GBP/yr)", "mean"),
    ("employer_high_road_mean", "employer high-road score (0-1)", "mean"),
    ("skills_shortage_share", "skills-shortage share of vacancies", "mean"),
    ("provider_count", "providers", "mean"),
    ("provider_quality_mean", "provider quality (0-1)", "mean"),
)

def ledger_rows() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Ledger rows shown per policy, read from each policy's declared ledger
    (``ecosim.model.policies.ledger``): (key, label, how) with how "end" (value at the end of
    the run), "sum" (final-year total of a quarterly flow) or "ratio:a/b" (final-year sum of a
    over b), for every entry that declares how it is reported."""
    from ecosim.model.policies import ledger_entries

    return {section: tuple((e.key, e.report_label or e.label, e.report) for e in entries
                           if e.report)
            for section, entries in ledger_entries().items()}


# ------------------------------------------------------------------------------ baseline
def baseline_file(scenario_file: str | os.PathLike) -> Path | None:
    """The file a scenario ``extends:`` (resolved against its directory), or None."""
    from ecosim.scenario.yamlio import read_document

    p = Path(scenario_file)
    doc = read_document(p)
    ext = doc.data.get("extends") if isinstance(doc.data, dict) else None
    if not isinstance(ext, str) or not ext.strip():
        return None
    return p.parent / ext.strip()


def split_overrides(base: str | os.PathLike, overrides: Iterable[str]
                    ) -> tuple[list[str], list[str]]:
    """(overrides that change something the baseline has, ones that would add to it). The
    second kind (e.g. a policy section the baseline lacks) is not applied to the baseline."""
    from ecosim.scenario.loader import resolve_file

    data, _ = resolve_file(base)
    keep, skip = [], []
    for ov in overrides:
        key = str(ov).partition("=")[0].strip()
        node: Any = data
        ok = True
        for part in key.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                ok = False
                break
        (keep if ok else skip).append(str(ov))
    return keep, skip


def counterfactual(scenario_file: str | os.PathLike, overrides: Iterable[str] = ()
                   ) -> tuple[Any, list[str]]:
    """The baseline to compare a policy scenario with: the same resolved scenario (run length,
    scale, region, overrides) with the policies of the file it extends. Returns (scenario or
    None, overrides not applied to the baseline); None when the file extends nothing, changes
    no policy, or changes more than policies and run settings."""
    from ecosim.scenario import load_scenario

    base = baseline_file(scenario_file)
    if base is None:
        return None, []
    overrides = [str(o) for o in overrides]
    keep, skip = split_overrides(base, overrides)
    scn = load_scenario(scenario_file, overrides)
    base_scn = load_scenario(base, keep)
    if base_scn.policies == scn.policies:
        return None, skip
    # a policy scenario changes only policies (and run settings) of what it extends; one that
    # changes the region or the economy (e.g. another region built on a baseline) has none
    same = ("name", "description", "run", "policies")
    mine = scn.model_dump(exclude=set(same))
    theirs = base_scn.model_dump(exclude=set(same))
    if mine != theirs:
        return None, skip
    cf = scn.model_copy(update={"policies": base_scn.policies, "name": base_scn.name})
    return cf, skip


def run_baseline(scenario: Any, seeds: list[int],
                 progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Metrics of ``scenario`` for each replication seed (in memory, not stored)."""
    from ecosim.model import simulate

    frames = []
    for r, s in enumerate(seeds):
        df = simulate(scenario, int(s), progress=progress)
        df.insert(0, "replication", r)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------------ comparison
def _region(df: pd.DataFrame) -> pd.DataFrame:
    r = df[df["area"] == "region"] if "area" in df else df
    if "replication" not in r:
        r = r.assign(replication=0)
    return r


def final_year(df: pd.DataFrame, col: str, how: str = "mean") -> float:
    """Final-year value of ``col`` for the region, averaged over replications."""
    r = _region(df)
    if col not in r or r.empty:
        return math.nan
    last = r[r["quarter"] > r["quarter"].max() - 4]
    g = last.groupby("replication")[col]
    v = g.sum(min_count=1) if how == "sum" else g.mean()
    return float(v.mean()) if v.notna().any() else math.nan


def end_of_run(df: pd.DataFrame, col: str) -> float:
    """Value of ``col`` in the last reported quarter, averaged over replications."""
    r = _region(df)
    if col not in r or r.empty:
        return math.nan
    last = r[r["quarter"] == r["quarter"].max()]
    return float(last[col].mean())


def _value(df: pd.DataFrame, prefix: str, key: str, how: str) -> float:
    if how == "end":
        return end_of_run(df, f"{prefix}_{key}")
    if how == "sum":
        return final_year(df, f"{prefix}_{key}", "sum")
    a, _, b = how.partition(":")[2].partition("/")
    num = final_year(df, f"{prefix}_{a}", "sum")
    den = final_year(df, f"{prefix}_{b}", "sum")
    return num / den if den and np.isfinite(den) and den != 0 else math.nan


def _kind(label: str, how: str) -> str:
    """How a row's values read: 'share' (a 0-1 share or rate, shown in %), 'gbp', 'score'
    (0-1 index) or 'count' (people, agents, providers)."""
    if "GBP" in label:
        return "gbp"
    if "(0-1)" in label:
        return "score"
    if how.startswith("ratio:") or re.search(r"\b(share|rate|participation)\b", label) or \
            label.startswith("  ") and "(" not in label:
        return "share"
    return "count"


def _fmt(x: float, kind: str = "count", diff: bool = False) -> str:
    """``x`` in the row's unit; ``diff`` adds a sign (and 'pt' for shares: percentage points)."""
    if x is None or not np.isfinite(x):
        return "-"
    sign = "+" if diff else ""
    if kind == "share":
        return f"{100.0 * x:{sign}.1f}" + (" pt" if diff else "%")
    if kind == "score":
        return f"{x:{sign}.3f}"
    ax = abs(x)
    if kind == "gbp" and ax >= 1e9:
        return f"{x / 1e9:{sign}.2f}bn"
    if kind == "gbp" and ax >= 1e6:
        return f"{x / 1e6:{sign}.1f}m"
    return f"{x:{sign},.0f}"


def _pct(base: float, pol: float) -> str:
    if not (np.isfinite(base) and np.isfinite(pol)) or base == 0:
        return ""
    return f"{100.0 * (pol - base) / abs(base):+.1f}%"


def _row(label: str, how: str, b: float, p: float, w: int) -> str:
    kind = _kind(label, how)
    d = p - b if np.isfinite(b) and np.isfinite(p) else math.nan
    return (f"{label:<{w}} {_fmt(b, kind):>11} {_fmt(p, kind):>11} "
            f"{_fmt(d, kind, diff=True):>11} {_pct(b, p):>8}")


def _policies_in(df: pd.DataFrame, rows: dict[str, tuple]) -> list[str]:
    cols = set(df.columns)
    return [p for p in rows if rows[p] and any(c.startswith(p + "_") for c in cols)]


def compare_to_baseline(policy: pd.DataFrame, baseline: pd.DataFrame, *,
                        policy_name: str = "policy", baseline_name: str = "baseline") -> str:
    """A readable table: headline metrics (final year, region) and policy ledgers, with the
    baseline value, the policy value, the difference and the relative change."""
    w = 40
    head = f"{'':<{w}} {'baseline':>11} {'policy':>11} {'difference':>11} {'change':>8}"
    lines = [f"what moved: {policy_name} against {baseline_name} (final year, region; "
             "same seeds)", head, "-" * len(head)]
    for col, label, how in HEADLINE:
        b, p = final_year(baseline, col, how), final_year(policy, col, how)
        if not (np.isfinite(b) or np.isfinite(p)):
            continue
        lines.append(_row(label, how, b, p, w))
    rows = ledger_rows()
    pols = _policies_in(policy, rows)
    rows_each = 3 if len(pols) > 3 else None  # keep many-policy runs on one screen
    for pol in pols:
        lines.append(f"ledger: {pol}")
        for key, label, how in rows[pol][:rows_each]:
            b, p = _value(baseline, pol, key, how), _value(policy, pol, key, how)
            if not (np.isfinite(b) or np.isfinite(p)):
                continue
            lines.append("  " + _row(label, how, b, p, w - 2))
    return "\n".join(lines)


__all__ = ["HEADLINE", "baseline_file", "compare_to_baseline", "counterfactual",
           "end_of_run", "final_year", "ledger_rows", "run_baseline", "split_overrides"]


# ------------------------------------------------------------------------------ run summary
def _t975(df: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.975, df))


def final_year_table(metrics: pd.DataFrame, columns: Iterable[str] | None = None
                     ) -> pd.DataFrame:
    """One row per headline metric for the region's final reported year: ``value`` (mean over
    replications), ``low``/``high`` (95% t-interval over replications, clipped to the metric's
    range; NaN with one replication), ``how`` ("sum" for flows: the year's total; "mean"
    otherwise: the mean of its quarters), ``unit`` and ``year``."""
    from ecosim.metric_info import info
    from ecosim.store import HEADLINE_METRICS

    r = _region(metrics)
    cols = [c for c in (columns or HEADLINE_METRICS) if c in r.columns]
    if r.empty or not cols:
        return pd.DataFrame(columns=["metric", "value", "low", "high", "how", "unit", "year",
                                     "n"])
    last = r[r["quarter"] > r["quarter"].max() - 4]
    year = int(last["year"].min()) if "year" in last else None
    rows = []
    for c in cols:
        mi = info(c)
        how = "sum" if mi is not None and mi.kind == "flow" else "mean"
        g = last.groupby("replication")[c]
        per = (g.sum(min_count=1) if how == "sum" else g.mean()).dropna().to_numpy(float)
        n = per.size
        mean = float(per.mean()) if n else math.nan
        lo = hi = math.nan
        if n > 1:
            half = _t975(n - 1) * float(per.std(ddof=1)) / math.sqrt(n)
            lo, hi = mean - half, mean + half
            if mi is not None:
                lo, hi = max(lo, mi.low), min(hi, mi.high)
        unit = mi.unit if mi is not None else ""
        if how == "sum" and unit == "GBP":
            unit = "GBP a year"
        elif how == "sum" and unit in ("persons", "agents"):
            unit = f"{unit} a year"
        rows.append({"metric": c, "value": mean, "low": lo, "high": hi, "how": how,
                     "unit": unit, "year": year, "n": n})
    return pd.DataFrame(rows)


def format_value(x: float, unit: str) -> str:
    """A value in its unit, without exponents: 63.9%, GBP 12.4m, 1,234 persons, 0.412."""
    if x is None or not np.isfinite(x):
        return "-"
    if unit == "share":
        return f"{100.0 * x:.1f}%"
    if unit == "share gap":
        return f"{100.0 * x:.1f} pt"
    if unit.startswith("GBP"):
        ax = abs(x)
        if ax >= 1e9:
            return f"GBP {x / 1e9:,.2f}bn"
        if ax >= 1e6:
            return f"GBP {x / 1e6:,.1f}m"
        return f"GBP {x:,.0f}"
    if unit in ("score", "ratio"):
        return f"{x:.3f}"
    return f"{x:,.0f}"


def format_run_summary(metrics: pd.DataFrame) -> str:
    """The plain-text summary ``ecosim run`` prints: final-year values for the region with
    units, intervals over replications, and which values are yearly totals or means."""
    t = final_year_table(metrics)
    if t.empty:
        return ""
    n = int(t["n"].max())
    year = t["year"].iloc[0]
    head = (f"final year{f' {year}' if year is not None else ''}, region, {n} replication"
            f"{'s' if n != 1 else ''}" + (" (value [95% interval])" if n > 1 else ""))
    lines = [head]
    w = max(len(c) for c in t["metric"])
    for _, r in t.iterrows():
        val = format_value(r["value"], r["unit"])
        iv = (f"[{format_value(r['low'], r['unit'])}, {format_value(r['high'], r['unit'])}]"
              if np.isfinite(r["low"]) else "")
        unit = {"share": "%", "share gap": "percentage points (best - worst district)",
                "score": "score 0-1"}.get(r["unit"], r["unit"])
        how = "total over the year" if r["how"] == "sum" else "mean of the 4 quarters"
        gap = f" {iv:<30}" if n > 1 else ""
        lines.append(f"  {r['metric']:<{w}}  {val:>12}{gap}  {unit}, {how}")
    return "\n".join(lines)


def paired_table(policy: pd.DataFrame, baseline: pd.DataFrame) -> pd.DataFrame:
    """Per-replication final-year values of policy and baseline (same seeds) and their
    difference, for the headline metrics: replication, metric, how, baseline, policy, diff."""
    from ecosim.metric_info import info
    from ecosim.store import HEADLINE_METRICS

    p, b = _region(policy), _region(baseline)
    rows = []
    for c in HEADLINE_METRICS:
        if c not in p or c not in b:
            continue
        mi = info(c)
        how = "sum" if mi is not None and mi.kind == "flow" else "mean"
        vals = {}
        for name, df in (("policy", p), ("baseline", b)):
            last = df[df["quarter"] > df["quarter"].max() - 4]
            g = last.groupby("replication")[c]
            vals[name] = g.sum(min_count=1) if how == "sum" else g.mean()
        for rep in vals["policy"].index:
            pv = float(vals["policy"].get(rep, math.nan))
            bv = float(vals["baseline"].get(rep, math.nan))
            rows.append({"replication": int(rep), "metric": c, "how": how, "baseline": bv,
                         "policy": pv, "difference": pv - bv})
    return pd.DataFrame(rows)


__all__ += ["final_year_table", "format_run_summary", "format_value", "paired_table"]
