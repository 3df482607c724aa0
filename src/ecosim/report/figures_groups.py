"""Figures by group: funded provision, districts (tile map), who gains, sweep figures.

Same conventions as :mod:`ecosim.report.figures_effects`: ``*_figure(comp)`` returns a Figure,
``*_data(comp)`` the tidy table behind it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ecosim.model.metrics_groups import AGE_BANDS, START_BANDS, age_column, start_column
from ecosim.report import units as U
from ecosim.report.data import Comparison
from ecosim.report.figures_effects import (
    _footer,
    colours,
    final_year_label,
    new_figure,
)
from ecosim.report.palette import LEVEL_COLOURS, ZERO_LINE
from ecosim.report.tiles import draw_tile_map

# ----------------------------------------------------------------------- funded provision
LEVEL_SHARES = (("funded_share_level1", "Level 1 / entry"), ("funded_share_level2", "Level 2"),
                ("funded_share_level3", "Level 3"), ("funded_share_level4_plus", "Level 4+"))


def funded_provision_data(comp: Comparison) -> pd.DataFrame:
    """Final-year publicly funded learners (persons, mean over replications) by course level
    and by priority / other sector, per scenario."""
    rows = []
    for n in comp.order:
        total = comp.final_year(n, "funded_enrolled")
        for m, lab in LEVEL_SHARES:
            v = np.nanmean(total * comp.final_year(n, m))
            rows.append({"scenario": n, "split": "level", "group": lab, "funded_learners": v})
        pr = comp.final_year(n, "funded_share_priority_sectors")
        rows.append({"scenario": n, "split": "sector", "group": "priority sectors",
                     "funded_learners": np.nanmean(total * pr)})
        rows.append({"scenario": n, "split": "sector", "group": "other sectors",
                     "funded_learners": np.nanmean(total * (1 - pr))})
    return pd.DataFrame(rows)


def funded_provision_figure(comp: Comparison):
    """Stacked bars per scenario: funded learners by course level (left) and by priority or
    other sector (right), final-year means."""
    data = funded_provision_data(comp)
    fig, axes = new_figure(1, 2, sharey=True)
    col = colours(comp)
    x = np.arange(len(comp.order))
    splits = (("level", [lab for _, lab in LEVEL_SHARES], list(LEVEL_COLOURS), [None] * 4),
              ("sector", ["priority sectors", "other sectors"], ["#08519c", "#bdbdbd"],
               [None, "//"]))
    for ax, (split, groups, cols, hatches) in zip(axes.flat, splits, strict=True):
        bottom = np.zeros(len(x))
        for g, c, h in zip(groups, cols, hatches, strict=True):
            vals = np.array([float(data[(data["scenario"] == n) & (data["split"] == split)
                                        & (data["group"] == g)]["funded_learners"].iloc[0])
                             for n in comp.order]) / 1e3
            ax.bar(x, vals, bottom=bottom, color=c, hatch=h, edgecolor="white", label=g,
                   width=0.7)
            bottom += np.nan_to_num(vals)
        ax.set_xticks(x, [n.replace("_", " ") for n in comp.order], rotation=20, ha="right")
        for lab, n in zip(ax.get_xticklabels(), comp.order, strict=True):
            lab.set_color(col[n])
        ax.set_ylabel("publicly funded learners (thousand persons)")
        ax.set_title("by course level" if split == "level" else "by sector", fontsize=11)
        ax.legend(frameon=False, loc="upper right", fontsize=9, ncols=2)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.18)
        ax.grid(axis="y", color="#eeeeee", lw=0.6)
    fig.suptitle(f"Publicly funded provision in {final_year_label(comp)} by scenario "
                 "(learners on funded courses, mean over replications)")
    _footer(fig, comp)
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    return fig


# ------------------------------------------------------------------------------ districts
def districts_data(comp: Comparison, metric: str = "share_level3_plus") -> pd.DataFrame:
    rows = []
    for p in comp.policies:
        for d in comp.runs[comp.baseline].districts:
            e = comp.effect(p, metric, area=d)
            rows.append({"scenario": p, "district": d, "metric": metric, "baseline": e.baseline,
                         "effect": e.mean, "low90": e.low, "high90": e.high})
    return pd.DataFrame(rows)


def districts_figure(comp: Comparison, metric: str = "share_level3_plus"):
    """A tile map of the region's districts per policy, coloured by the final-year change in
    ``metric`` with the value written in each tile (one shared colour scale)."""
    import matplotlib as mpl

    data = districts_data(comp, metric)
    pols = comp.policies
    ncols = min(3, max(len(pols), 1))
    nrows = int(np.ceil(len(pols) / ncols)) or 1
    fig, axes = new_figure(nrows, ncols)
    u = U.unit(metric)
    lim = float(np.nanmax(np.abs(data["effect"] * u.scale))) if len(data) else 1.0
    lim = lim if np.isfinite(lim) and lim > 0 else 1.0
    scen = comp.runs[comp.baseline].scenario
    col = colours(comp)
    sm = None
    fmt = "{:+.1f}" if u.suffix == "%" else "{:+,.0f}"
    for k, ax in enumerate(axes.flat):
        if k >= len(pols):
            ax.set_visible(False)
            continue
        p = pols[k]
        sub = data[data["scenario"] == p]
        vals = dict(zip(sub["district"], sub["effect"], strict=True))
        sm = draw_tile_map(ax, scen, vals, title=p, unit="", fmt=fmt, scale=u.scale,
                           limits=(-lim, lim), colorbar=False, fontsize=8.5, square=False)
        ax.title.set_color(col[p])
    if sm is not None:
        norm = mpl.colors.Normalize(-lim, lim)
        cb = fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=sm.cmap),
                          ax=list(axes.flat), shrink=0.7)
        cb.set_label(f"change ({u.diff_unit})")
    fig.suptitle(f"Change in {U.label(metric)} by district in {final_year_label(comp)}, "
                 f"against {comp.baseline} ({u.diff_unit})")
    _footer(fig, comp)
    return fig


# ------------------------------------------------------------------------------ who gains
WHO_GAINS = {
    "qualifications": ("share_progressed", "share_level3_plus", "share_level3_plus",
                       ("share now above that band", "share at Level 3+",
                        "share at Level 3+")),
    "employment": ("employment_rate", "employment_rate", "employment_rate",
                   ("employment rate",) * 3),
    "pay": ("mean_wage_gbp", "mean_wage_gbp", "mean_wage_gbp", ("mean annual pay",) * 3),
    "participation": ("participation_rate", "participation_rate", "participation_rate_adult",
                      ("participation in learning",) * 3),
}


def who_gains_data(comp: Comparison, outcome: str = "qualifications") -> pd.DataFrame:
    """Final-year effect per policy for each starting qualification band, age band and
    district (rows: scenario, breakdown, group, metric, effect, low90, high90)."""
    kstart, kage, kdist, _ = WHO_GAINS[outcome]
    rows = []
    groups = ([("starting qualification", name, start_column(kstart, key), "region")
               for key, name in START_BANDS]
              + [("age band", name.replace("aged ", ""), age_column(kage, key), "region")
                 for key, name, _, _ in AGE_BANDS]
              + [("district", d, kdist, d) for d in comp.runs[comp.baseline].districts])
    for p in comp.policies:
        for br, g, m, area in groups:
            if m not in comp.common:
                continue
            e = comp.effect(p, m, area=area)
            rows.append({"scenario": p, "breakdown": br, "group": g, "metric": m,
                         "baseline": e.baseline, "effect": e.mean, "low90": e.low,
                         "high90": e.high})
    return pd.DataFrame(rows)


def who_gains_figure(comp: Comparison, outcome: str = "qualifications"):
    """Dot-and-whisker of each policy's effect by starting qualification band, age band and
    district (three panels); ``outcome`` is one of ``WHO_GAINS``."""
    data = who_gains_data(comp, outcome)
    fig, axes = new_figure(1, 3)
    col = colours(comp)
    pols = comp.policies
    step = 0.8 / max(len(pols), 1)
    for ax, br, what in zip(axes.flat, ("starting qualification", "age band", "district"),
                            WHO_GAINS[outcome][3], strict=True):
        sub = data[data["breakdown"] == br] if len(data) else data
        groups = list(dict.fromkeys(sub["group"])) if len(sub) else []
        unit_name = ""
        for i, p in enumerate(pols):
            s = sub[sub["scenario"] == p]
            if not len(s):
                continue
            u = U.unit(s["metric"].iloc[0])
            unit_name = u.diff_unit
            y = np.array([len(groups) - 1 - groups.index(g) for g in s["group"]]) + \
                0.4 - step * (i + 0.5)
            ax.errorbar(s["effect"] * u.scale, y,
                        xerr=[(s["effect"] - s["low90"]).clip(lower=0) * u.scale,
                              (s["high90"] - s["effect"]).clip(lower=0) * u.scale],
                        fmt="o", color=col[p], ms=5, lw=1.8, capsize=0, label=p)
        ax.axvline(0, **ZERO_LINE)
        ax.set_yticks(range(len(groups)), list(reversed(groups)))
        ax.set_title(f"by {br}: {what}", fontsize=11)
        ax.set_xlabel(f"change ({unit_name})" if unit_name else "change")
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
    axes.flat[0].set_ylabel("residents at the start of the run, by band then")
    axes.flat[1].set_ylabel("residents, by age now")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower right", frameon=False, ncols=min(len(pols), 3),
                   fontsize=9)
    fig.suptitle(f"Who gains ({outcome}): change in {final_year_label(comp)} against "
                 f"{comp.baseline} (dot = mean, bar = 90% interval)")
    _footer(fig, comp)
    fig.tight_layout(rect=(0, 0.07, 1, 0.94))
    return fig


# ---------------------------------------------------------------------------------- sweeps
def sweep_figures(sweep_dir: Path) -> list[Path]:
    """The figures ``ecosim sweep`` / ``ecosim analyze`` drew for a sweep (Sobol index bars
    and convergence curves, by ``ecosim.experiments.figures``), drawing them first if
    absent. They are embedded as they are, never redrawn here."""
    from ecosim.experiments.figures import FIGURES

    d = Path(sweep_dir) / FIGURES
    found = sorted(d.glob("*.png")) if d.is_dir() else []
    if found:
        return found
    from ecosim.experiments.analyze import analyze

    return sorted(Path(p) for p in analyze(Path(sweep_dir), figures=True).figures)
