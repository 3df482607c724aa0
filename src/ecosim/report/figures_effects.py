"""Figures of effects against the baseline: headline, paths, difference paths, value for money.

Each ``*_figure(comp)`` takes a :class:`~ecosim.report.data.Comparison` and returns a matplotlib
Figure (1280x720 at 100 dpi); each ``*_data(comp)`` returns the tidy table behind it (written as
CSV beside the report). Colours come from :mod:`ecosim.report.palette`, one per scenario.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ecosim.report import units as U
from ecosim.report.data import Comparison
from ecosim.report.palette import ZERO_LINE, apply_style, scenario_colours

SIZE = (12.8, 7.2)
BAND_ALPHA = 0.2


def colours(comp: Comparison) -> dict[str, str]:
    """The scenario colours of this comparison (baseline first)."""
    return scenario_colours(comp.order, comp.baseline)


def new_figure(nrows: int = 1, ncols: int = 1, **kw: Any):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    apply_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=SIZE, squeeze=False, **kw)
    return fig, axes


def final_year_label(comp: Comparison) -> str:
    y = comp.frame(comp.baseline)["year"].max()
    return f"{int(np.floor(y + 1e-9))}"


def pairing_note(comp: Comparison) -> str:
    """'' when every policy is paired with the baseline, else which are not, and why."""
    bad = [(n, comp.unpaired_reason(n)) for n in comp.policies if not comp.paired(n)]
    if not bad:
        return ""
    return "Unpaired (difference of means, Welch interval): " + "; ".join(
        f"{n} ({why})" for n, why in bad)


def _footer(fig, comp: Comparison, extra: str = "") -> None:
    n = comp.min_replications()
    txt = (f"{n} replications; 90% intervals for the mean" if n >= 2 else
           "1 replication: intervals impossible, points only")
    note = pairing_note(comp)
    parts = [txt] + ([note] if note else []) + ([extra] if extra else [])
    fig.text(0.01, 0.01, " · ".join(parts), fontsize=9, color="#444444", ha="left",
             va="bottom", wrap=True)


# ---------------------------------------------------------------------------- headline
def headline_data(comp: Comparison) -> pd.DataFrame:
    """One row per policy x headline KPI: final-year baseline and policy means and the
    effect with its 90% interval (in the metric's own units, e.g. shares as fractions)."""
    rows = []
    for m in comp.headline():
        for p in comp.policies:
            e = comp.effect(p, m)
            rows.append({"scenario": p, "metric": m, "baseline": e.baseline, "policy": e.policy,
                         "effect": e.mean, "low90": e.low, "high90": e.high, "paired": e.paired,
                         "replications": e.n, "clear": e.clear})
    return pd.DataFrame(rows)


def headline_figure(comp: Comparison, metrics: list[str] | None = None):
    """Dot-and-whisker: each policy's final-year effect on each headline KPI, with its 90%
    interval and the zero line; one panel per KPI in its own units."""
    data = headline_data(comp)
    ms = metrics or comp.headline()
    ncols = 4 if len(ms) > 4 else max(len(ms), 1)
    nrows = int(np.ceil(len(ms) / ncols)) or 1
    fig, axes = new_figure(nrows, ncols, sharey=True)
    col = colours(comp)
    pols = comp.policies
    ypos = {p: len(pols) - 1 - i for i, p in enumerate(pols)}
    for k, ax in enumerate(axes.flat):
        if k >= len(ms):
            ax.set_visible(False)
            continue
        m = ms[k]
        u = U.unit(m)
        sub = data[data["metric"] == m]
        for _, r in sub.iterrows():
            y = ypos[r["scenario"]]
            x = r["effect"] * u.scale
            c = col[r["scenario"]]
            if np.isfinite(r["low90"]):
                ax.plot([r["low90"] * u.scale, r["high90"] * u.scale], [y, y], color=c, lw=2.5,
                        solid_capstyle="butt")
            ax.plot([x], [y], "o", color=c, ms=8, mfc=c if r["paired"] else "white",
                    mew=2)
        ax.axvline(0, **ZERO_LINE)
        ax.set_title(U.label(m), fontsize=11)
        ax.set_xlabel(f"change ({u.diff_unit})" if u.diff_unit else "change")
        ax.set_yticks(list(ypos.values()), list(ypos))
        ax.set_ylim(-0.6, len(pols) - 0.4)
        ax.grid(axis="x", color="#dddddd", lw=0.6)
        ax.tick_params(axis="y", length=0)
    for lab in axes[0, 0].get_yticklabels():
        lab.set_color(col.get(lab.get_text(), "black"))
    for r in range(nrows):
        for lab in axes[r, 0].get_yticklabels():
            lab.set_color(col.get(lab.get_text(), "black"))
    fig.suptitle(f"Effect of each policy against {comp.baseline} in {final_year_label(comp)}"
                 " (policy minus baseline, dot = mean, bar = 90% interval)")
    _footer(fig, comp, "hollow dot = unpaired")
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    return fig


# ------------------------------------------------------------------------------- paths
PATH_METRICS = ("share_level3_plus", "employment_rate", "participation_rate_low_qualified",
                "public_spend_gbp")


def _path_metrics(comp: Comparison, metrics: list[str] | None) -> list[str]:
    ms = metrics or [m for m in PATH_METRICS if m in comp.common]
    return ms[:4]


def policy_start_year(comp: Comparison) -> float:
    """Calendar year the policies begin acting: the start of the burn-in (they are on from
    the first simulated quarter; reported years begin after the burn-in)."""
    run = comp.runs[comp.baseline].scenario.get("run") or {}
    return float(run.get("start_year", 2025)) - float(run.get("burn_in_years", 0))


def paths_data(comp: Comparison, metrics: list[str] | None = None, diff: bool = False
               ) -> pd.DataFrame:
    rows = []
    for m in _path_metrics(comp, metrics):
        for n in (comp.policies if diff else comp.order):
            d = comp.diff_path(n, m) if diff else comp.path(n, m)
            d.insert(0, "metric", m)
            d.insert(0, "scenario", n)
            rows.append(d)
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _mark_start(ax, comp: Comparison) -> None:
    start = policy_start_year(comp)
    first = comp.frame(comp.baseline)["year"].min()
    if start < first:
        ax.axvspan(start, first, color="#eeeeee", zorder=0)
        ax.text((start + first) / 2, 0.5, "burn-in\n(not reported)", ha="center",
                va="center", transform=ax.get_xaxis_transform(), fontsize=8, color="#666666")
    ax.axvline(start, color="black", lw=1.2, ls=":", gid="reference")
    ax.text(start, 1.0, " policies start", transform=ax.get_xaxis_transform(), fontsize=8,
            va="top", ha="left")


def _path_panels(comp: Comparison, data: pd.DataFrame, metrics: list[str], diff: bool, title: str):
    ncols = 2 if len(metrics) > 1 else 1
    nrows = int(np.ceil(len(metrics) / ncols)) or 1
    fig, axes = new_figure(nrows, ncols)
    col = colours(comp)
    names = comp.policies if diff else comp.order
    for k, ax in enumerate(axes.flat):
        if k >= len(metrics):
            ax.set_visible(False)
            continue
        m = metrics[k]
        u = U.unit(m)
        for n in names:
            d = data[(data["scenario"] == n) & (data["metric"] == m)]
            ax.plot(d["year"], d["mean"] * u.scale, color=col[n], lw=2, label=n)
            if d["low"].notna().any():
                ax.fill_between(d["year"], d["low"] * u.scale, d["high"] * u.scale,
                                color=col[n], alpha=BAND_ALPHA, lw=0)
        if diff:
            ax.axhline(0, **ZERO_LINE)
        _mark_start(ax, comp)
        ax.set_title(U.label(m) + (" (policy minus baseline)" if diff else ""), fontsize=11)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        unit_txt = u.diff_unit if diff else u.level_unit
        if m in U.FLOWS:  # paths are quarter by quarter
            unit_txt = unit_txt.replace("a year", "a quarter")
        ax.set_ylabel(unit_txt or "value")
        ax.grid(color="#eeeeee", lw=0.6)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.03), frameon=False,
               ncols=min(len(names), 6), fontsize=9)
    fig.suptitle(title)
    _footer(fig, comp, "line = mean, band = 90% interval" + (
        "; flows such as public spend are per quarter" if any(m in U.FLOWS for m in metrics)
        else ""))
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    return fig


def paths_figure(comp: Comparison, metrics: list[str] | None = None):
    """Each scenario's path over time: mean over replications with a 90% band; the policy
    start and the unreported burn-in are marked."""
    ms = _path_metrics(comp, metrics)
    return _path_panels(comp, paths_data(comp, ms), ms, False,
                        "Paths over time by scenario (mean and 90% band over replications)")


def difference_paths_figure(comp: Comparison, metrics: list[str] | None = None):
    """Each policy's difference from the baseline over time (paired where possible) with
    its 90% band, and the zero line."""
    ms = _path_metrics(comp, metrics)
    return _path_panels(comp, paths_data(comp, ms, diff=True), ms, True,
                        f"Difference from {comp.baseline} over time (mean and 90% band)")


# ----------------------------------------------------------------------- value for money
VFM = (("level3", "attained_level3_plus", "cumulative",
        "per additional person reaching Level 3+ (all reported years)"),
       ("job", "employed", "final",
        "per additional person in work (final year)"))


def value_for_money_data(comp: Comparison) -> pd.DataFrame:
    """Public cost per additional outcome against the baseline: the change in public spend
    over all reported years divided by the change in people reaching Level 3+ over those
    years, and by the change in people in work in the final year; Fieller 90% intervals;
    ``defined`` is False where the outcome's own interval spans zero."""
    rows = []
    if not comp.has("public_spend_gbp"):
        return pd.DataFrame(rows)
    spend = {n: comp.cumulative(n, "public_spend_gbp") for n in comp.order}
    for key, metric, how, desc in VFM:
        if not comp.has(metric):
            continue
        out = {n: (comp.cumulative(n, metric) if how == "cumulative"
                   else comp.final_year(n, metric)) for n in comp.order}
        for p in comp.policies:
            r, lo, hi, ok = comp.ratio_effect(p, (spend[comp.baseline], spend[p]),
                                              (out[comp.baseline], out[p]))
            de = comp.effect_of(p, out[comp.baseline], out[p])
            ds = comp.effect_of(p, spend[comp.baseline], spend[p])
            rows.append({"scenario": p, "outcome": key, "description": desc,
                         "extra_spend_gbp": ds.mean, "extra_outcome": de.mean,
                         "extra_outcome_low90": de.low, "extra_outcome_high90": de.high,
                         "cost_per_extra_gbp": r if ok else np.nan, "low90": lo, "high90": hi,
                         "defined": ok, "paired": comp.paired(p)})
    return pd.DataFrame(rows)


def value_for_money_figure(comp: Comparison):
    """Cost per additional Level 3 achiever and per additional job, dot and 90% interval;
    'not defined' where the outcome's change is not clearly different from zero."""
    data = value_for_money_data(comp)
    fig, axes = new_figure(1, 2, sharey=True)
    col = colours(comp)
    pols = comp.policies
    ypos = {p: len(pols) - 1 - i for i, p in enumerate(pols)}
    for ax, (key, _, _, desc) in zip(axes.flat, VFM, strict=True):
        sub = data[data["outcome"] == key] if len(data) else data
        for _, r in sub.iterrows():
            y = ypos[r["scenario"]]
            c = col[r["scenario"]]
            if r["defined"]:
                ax.plot([r["low90"] / 1e3, r["high90"] / 1e3], [y, y], color=c, lw=2.5)
                ax.plot([r["cost_per_extra_gbp"] / 1e3], [y], "o", color=c, ms=8,
                        mfc=c if r["paired"] else "white", mew=2)
            else:
                ax.text(0.02, y, "not defined (no clear change in the outcome)",
                        transform=ax.get_yaxis_transform(), va="center", fontsize=10,
                        color=c)
        ax.axvline(0, **ZERO_LINE)
        ax.set_title("Public cost " + desc, fontsize=11)
        ax.set_xlabel("GBP thousand per additional person")
        ax.set_yticks(list(ypos.values()), list(ypos))
        ax.set_ylim(-0.6, len(pols) - 0.4)
        ax.grid(axis="x", color="#dddddd", lw=0.6)
    for lab in axes[0, 0].get_yticklabels():
        lab.set_color(col.get(lab.get_text(), "black"))
    fig.suptitle(f"Value for money against {comp.baseline}: extra public spend per extra "
                 "outcome (90% Fieller interval)")
    _footer(fig, comp, "a negative cost means the policy saved public money")
    fig.tight_layout(rect=(0, 0.04, 1, 0.93))
    return fig
