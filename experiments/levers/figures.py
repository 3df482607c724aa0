"""Dose-response figures and tables for the lever sweeps in this directory.

Each ``experiments/levers/<lever>.yaml`` is a one-parameter grid run with ``ecosim sweep`` into
``results/levers/<lever>``; this script reads each sweep's ``results.parquet`` and writes one
small-multiples figure per lever (``docs/levers/<lever>.png``: every headline KPI against the
lever, mean over replications with a paired 95% t interval) and the measured table
(``docs/levers/curves.csv``: lever, value, KPI, mean, half-width, replications).

Usage (from the repository root)::

    .venv/bin/python experiments/levers/figures.py [--results results/levers] [--out docs/levers]
"""

from __future__ import annotations

import argparse
import math
import os
import pathlib
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]

#: KPI -> (panel title, unit label, scale)
KPIS = {
    "participation_rate_adult": ("Adult FE participation (19-64)", "%", 100.0),
    "participation_rate_low_qualified": ("Participation below Level 2", "%", 100.0),
    "participation_rate_50_plus": ("Participation aged 50-64", "%", 100.0),
    "completions_level3_plus": ("Level 3+ completions", "per quarter", 1.0),
    "dropouts": ("Dropouts", "per quarter", 1.0),
    "share_level3_plus": ("16-64s at Level 3+", "%", 100.0),
    "fe_he_progression_rate": ("FE to HE progression", "%", 100.0),
    "mean_wage_workplace_gbp": ("Mean pay of jobs in the region", "GBP a year", 1.0),
    "employment_rate": ("Employment rate", "%", 100.0),
    "public_spend_gbp": ("Public spend", "GBP m a quarter", 1e-6),
    # the devolved AEB's commissioning (its levers only)
    "funded_starts_share_priority_vocational": ("Priority-sector vocational AEB starts",
                                                "% of AEB-funded starts", 100.0),
    # apprenticeships and the levy (ledger columns; only their lever reports them)
    "apprenticeships_starts": ("Apprenticeship starts", "per quarter", 1.0),
    "apprenticeships_short_course_starts": ("Levy-funded short courses", "per quarter", 1.0),
    "apprenticeships_levy_expired_gbp": ("Levy funds expired", "GBP m a quarter", 1e-6),
    # Lifelong Learning Entitlement outcomes
    "adult_starts_level4_5": ("Level 4-5 starts, adults 25+", "per quarter", 1.0),
    "adult_starts_level6_plus": ("Degree starts (incl. modules), 25+", "per quarter", 1.0),
    "adult_qualifications_level4_5": ("Level 4-5 qualifications, 25+", "per quarter", 1.0),
    "adult_qualifications_level6_plus": ("Degrees completed, 25+", "per quarter", 1.0),
    "participation_rate_adult_any_level": ("Adult participation, any level", "%", 100.0),
    "share_level4_plus": ("16-64s at Level 4+", "%", 100.0),
}
#: Okabe-Ito blue: one colour for the one scenario these figures show
COLOUR = "#0072B2"


def load(sweep: pathlib.Path) -> tuple[str, pd.DataFrame]:
    """(parameter label, tidy frame of value per output, sample, replication)."""
    plan = pd.read_parquet(sweep / "plan.parquet")
    res = pd.read_parquet(sweep / "results.parquet")
    fixed = {"sample", "replication", "seed", "run_id"}
    label = [c for c in plan.columns if c not in fixed][0]
    if label not in res.columns:
        res = res.merge(plan[["sample", label]].drop_duplicates(), on="sample")
    return label, res


def summarise(label: str, res: pd.DataFrame) -> pd.DataFrame:
    """Mean and paired 95% t half-width per (lever value, output), with replications.

    Replication r of every lever value shares one seed, so the interval is the within-
    replication one (Cousineau-Morey): each run minus its replication's mean over the lever
    values, plus the grand mean, with the J / (J - 1) correction for J lever values. It shows
    how well the differences between lever values are measured, not the spread of levels
    between seeds."""
    res = res.copy()
    res["value"] = res["value"].astype(float)
    rep_mean = res.groupby(["output", "replication"])["value"].transform("mean")
    grand = res.groupby("output")["value"].transform("mean")
    res["paired"] = res["value"] - rep_mean + grand
    g = res.groupby([label, "output"], sort=True)
    out = g["value"].agg(["mean", "count"]).reset_index()
    out["std"] = g["paired"].std().to_numpy()
    n_values = res[label].nunique()
    corr = math.sqrt(n_values / (n_values - 1)) if n_values > 1 else 1.0
    t = out["count"].map(lambda n: stats.t.ppf(0.975, n - 1) if n > 1 else math.nan)
    out["half_width"] = corr * t * out["std"] / np.sqrt(out["count"])
    return out.rename(columns={label: "value_of_lever", "output": "kpi"})


def figure(lever: str, label: str, title: str, summ: pd.DataFrame, path: pathlib.Path) -> None:
    kpis = [k for k in KPIS if k in set(summ["kpi"])]
    ncol = 5
    nrow = math.ceil(len(kpis) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.1 * ncol, 2.6 * nrow + 0.7), squeeze=False)
    values = list(dict.fromkeys(summ["value_of_lever"]))
    numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                  for v in values)
    money = numeric and "GBP/yr" in label and max(float(v) for v in values) >= 1e6
    xlabel = label.replace("GBP/yr", "(GBP m a year)") if money else label
    for ax, k in zip(axes.ravel(), kpis, strict=False):
        name, unit, scale = KPIS[k]
        s = summ[summ["kpi"] == k]
        x = s["value_of_lever"].to_numpy(float) if numeric else np.arange(len(s))
        if numeric and money:
            x = x / 1e6
        y = s["mean"].to_numpy() * scale
        e = s["half_width"].fillna(0.0).to_numpy() * abs(scale)
        ax.errorbar(x, y, yerr=e, color=COLOUR, marker="o", ms=4, capsize=3, lw=1.5)
        if not numeric:
            ax.set_xticks(x, [str(v) for v in s["value_of_lever"]])
        ax.set_title(name, fontsize=9)
        ax.set_ylabel(unit, fontsize=8)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(kpis):]:
        ax.set_visible(False)
    fig.suptitle(f"{title}\nmean of 3 paired replications with paired (within-replication) "
                 "95% intervals; last-year means, "
                 "light North East baseline (tiny.yaml, 100 persons per agent, 1 + 6 years)",
                 fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=path.parent)
    os.close(fd)
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", default=str(ROOT / "results" / "levers"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "levers"))
    ap.add_argument("--only", nargs="+", metavar="LEVER",
                    help="redraw only these levers and replace only their rows of curves.csv")
    args = ap.parse_args(argv)
    out = pathlib.Path(args.out)
    tables = []
    import yaml

    for exp in sorted(HERE.glob("*.yaml")):
        lever = exp.stem
        if args.only and lever not in args.only:
            continue
        sweep = pathlib.Path(args.results) / lever
        if not (sweep / "results.parquet").exists():
            print(f"{lever}: no results in {sweep}, skipped")
            continue
        desc = yaml.safe_load(exp.read_text()).get("description", lever)
        label, res = load(sweep)
        summ = summarise(label, res)
        figure(lever, label, desc, summ, out / f"{lever}.png")
        summ.insert(0, "lever", lever)
        tables.append(summ)
        print(f"{lever}: {out / (lever + '.png')}")
    if tables:
        t = pd.concat(tables, ignore_index=True)
        t["value_of_lever"] = t["value_of_lever"].astype(str)
        old = out / "curves.csv"
        if args.only and old.exists():  # keep the other levers' rows as they were measured
            kept = pd.read_csv(old, dtype={"value_of_lever": str})
            t = pd.concat([kept[~kept["lever"].isin(args.only)], t], ignore_index=True)
        fd, tmp = tempfile.mkstemp(suffix=".csv", dir=out)
        os.close(fd)
        t[["lever", "value_of_lever", "kpi", "mean", "half_width", "count"]].to_csv(
            tmp, index=False, float_format="%.6g")
        os.replace(tmp, out / "curves.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
