"""Calibration check: run the North East baseline for 12 years with 2 seeds and print the
learning-side calibration table (quantity, target, model start, model end, per-year drift).

Usage (from the repository root)::

    .venv/bin/python docs/calibration_run.py [--seeds 1 2] [--years 12] [--set a.b=value ...]

The run has no burn-in, so year 1 starts from the APS 2022 initial mix. "start" is the mean of
the first model year for qualification shares and of the second for everything else (nobody is
on a course at quarter 0, so participation and fill need a year to build up); "end" is the mean
of the last year; drift is the least-squares slope of the annual
means over years 3 to the end (after the first enrolments settle), in the quantity's units per
year. Targets and their sources are in ``docs/calibration.md``.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import numpy as np
import pandas as pd

from ecosim.scenario import load_scenario

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "north_east_baseline.yaml"
BAND_NAMES = ("none", "L1", "L2", "L3", "L4-5", "L6+")

#: (metric or diagnostic, label, scale, target text, drift target text)
ROWS = (
    ("share_no_qualifications", "16-64 no qualifications (%)", 100, "7.9 at start",
     "-0.2 to -0.5 pt/yr"),
    ("share_level2_plus", "16-64 Level 2+ (%)", 100, "-", "-"),
    ("share_level3_plus", "16-64 Level 3+ (%)", 100, "61.1 at start", "+0.2 to +0.6 pt/yr"),
    ("share_level4_plus", "16-64 Level 4+ (%)", 100, "38.0 at start", "+0.3 to +0.8 pt/yr"),
    ("participation_rate_adult", "19-64 FE participation, annual (%)", 100, "4-6",
     "about 0"),
    ("participation_rate_adult_funded", "  government-funded or loan-financed (%)", 100,
     "4-7 (DfE)", "about 0"),
    ("participation_rate_low_qualified", "  below Level 2 (%)", 100, "< adult rate", "-"),
    ("participation_rate_any_learning", "19-64 any learning, employer training in (%)", 100,
     "-", "-"),
    ("participation_rate_any_learning_low_qualified", "  below Level 2 (%)", 100,
     "< any-learning rate", "-"),
    ("participation_rate_50_plus", "  aged 50-64 (%)", 100, "< adult rate", "-"),
    ("participation_rate_low_paid", "  low-paid (%)", 100, "-", "-"),
    ("starts_per_year", "course starts (thousand/yr)", 1e-3, "-", "-"),
    ("funded_starts_share_level1_and_below", "funded starts at L1 and below (%)", 100,
     "about 67 (seed 004)", "-"),
    ("funded_starts_share_level3", "funded starts at L3 (%)", 100, "a few", "-"),
    ("aeb_budget_spent", "AEB spend / yearly budget (%)", 100, "most", "-"),
    ("aeb_recruitment_share", "  of which on recruitment (%)", 100, "-", "-"),
    ("funded_starts_per_100", "AEB-funded starts/yr per 100 16-64s", 1, "about 3 (held out)",
     "-"),
    ("aeb_spend_share_l3", "  AEB spend at L3 (%)", 100, "small", "-"),
    ("place_fill_rate", "place fill after starts, all (%)", 100, "-", "-"),
    *((f"fill_band{b}", f"  place fill after starts, {BAND_NAMES[b]} (%)", 100,
       "not all full" if b > 1 else "-", "-") for b in range(1, 6)),
    *((f"turned_away_band{b}", f"  turned-away / places, {BAND_NAMES[b]} (%)", 100, "-", "-")
      for b in range(1, 6)),
    *((f"part_band{b}", f"  19-64 participation at {BAND_NAMES[b]} (%)", 100, "-", "-")
      for b in range(6)),
    *((f"apply_band{b}", f"  applicants/yr per resident, {BAND_NAMES[b]} (%)", 100, "-", "-")
      for b in range(6)),
    *((f"start_band{b}", f"  starters/yr per resident, {BAND_NAMES[b]} (%)", 100, "-", "-")
      for b in range(6)),
    ("qual_gain_share", "completions raising the band (%)", 100, "-", "-"),
)


def diagnostics(model) -> dict[str, float]:
    """Per-quarter diagnostics that the metrics frame does not carry: fill and turned-away
    applicants by course band, participation by the learner's band, band-raising completions."""
    st = model.state
    C = st.courses
    L = st.learners
    q = model.quarter
    out: dict[str, float] = {}
    for b in range(1, 6):
        m = C.level == b
        seats = float(C.seats[m].sum())
        out[f"fill_band{b}"] = float(C.alloc_enrolled[m].sum()) / seats if seats else np.nan
        rej = getattr(C, "rejected", np.zeros(C.n))
        out[f"turned_away_band{b}"] = float(rej[m].sum()) / seats if seats else np.nan
    adult = (L.age >= 19.0) & (L.age < 65.0)
    from ecosim.model.metrics import participating

    part = participating(model)
    for b in range(6):
        m = adult & (L.level == b)
        out[f"part_band{b}"] = float((part & m).sum()) / max(int(m.sum()), 1)
    done = int(np.count_nonzero(L.last_completion_quarter == q))
    ex = st.counters.extra
    out["qual_gain_share"] = ex.get("completions_raising_band", 0) / max(done, 1)
    for b in range(6):
        m = adult & (L.level == b)
        n_b = max(int(m.sum()), 1)
        out[f"apply_band{b}"] = 4.0 * ex["applicants_by_band"][b] / n_b
        out[f"start_band{b}"] = 4.0 * ex["starters_by_band"][b] / n_b
    return out


def run_one(path: pathlib.Path, seed: int, years: int, overrides: list[str]):
    """Annual means of the region metrics and diagnostics for one seed; seconds taken."""
    from ecosim.model.model import SkillsEcosystem
    from ecosim.model.simulate import warmup

    warmup(progress_message=False)
    sc = load_scenario(path, ["run.burn_in_years=0", f"run.horizon_years={years}",
                              *overrides])
    t0 = time.perf_counter()
    model = SkillsEcosystem(sc, rng=seed)
    diag: list[dict[str, float]] = []
    for _ in range(4 * years):
        model.step()
        diag.append(diagnostics(model))
    secs = time.perf_counter() - t0
    df = model.metrics_frame()
    reg = df[df.area == "region"].reset_index(drop=True)
    extra = pd.DataFrame(diag)
    extra["starts_per_year"] = reg["starts"] * 4.0
    if "aeb_public_spend_gbp" in reg and sc.policies.aeb is not None:
        spend = reg["aeb_public_spend_gbp"]
        extra["aeb_budget_spent"] = spend * 4.0 / sc.policies.aeb.budget_gbp_per_year
        extra["aeb_spend_share_l3"] = reg["aeb_spend_l3_gbp"] / spend.where(spend > 0)
        extra["aeb_recruitment_share"] = (reg["aeb_recruitment_spend_gbp"] * 4.0
                                          / sc.policies.aeb.budget_gbp_per_year)
    extra["funded_starts_per_100"] = reg["funded_starts"] * 400.0 / reg["working_age_population"]
    extra["year_index"] = (reg["quarter"] - 1) // 4 + 1
    reg = pd.concat([reg, extra], axis=1)
    return reg.groupby("year_index").mean(numeric_only=True), secs


def table(annual: list) -> str:
    """The calibration table over seeds: start, end, drift per year (mean of seeds)."""
    lines = [f"{'quantity':44s} {'target':>20s} {'start':>7s} {'end':>7s} {'drift/yr':>9s} "
             f"{'drift target':>20s}"]
    for key, label, scale, tgt, dtgt in ROWS:
        starts, ends, slopes = [], [], []
        for a in annual:
            if key not in a:
                continue
            y = a[key].to_numpy() * scale
            # flows and participation need a year of enrolments before they mean anything
            starts.append(y[0] if key.startswith("share_") else y[1])
            ends.append(y[-1])
            x = a.index.to_numpy()[2:]
            ok = np.isfinite(y[2:])
            slopes.append(np.polyfit(x[ok], y[2:][ok], 1)[0] if ok.sum() > 1 else np.nan)
        if not starts:
            continue
        lines.append(f"{label:44s} {tgt:>20s} {np.mean(starts):7.2f} {np.mean(ends):7.2f} "
                     f"{np.mean(slopes):+9.3f} {dtgt:>20s}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(SCENARIO))
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--years", type=int, default=12)
    ap.add_argument("--set", dest="overrides", action="append", default=[],
                    help="scenario override a.b.c=value (repeatable)")
    ap.add_argument("--per-year", action="store_true", help="also print annual series")
    args = ap.parse_args(argv)
    annual = []
    for s in args.seeds:
        a, secs = run_one(pathlib.Path(args.scenario), s, args.years, args.overrides)
        annual.append(a)
        print(f"seed {s}: {args.years} years in {secs:.1f} s", file=sys.stderr)
        if args.per_year:
            cols = [r[0] for r in ROWS if r[0] in a]
            print(a[cols].round(4).to_string())
    print(table(annual))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
