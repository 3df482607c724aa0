"""The page's live figures: each KPI for the room's run and the baseline, and their difference.

Figures are ``matplotlib.figure.Figure`` objects (never pyplot, whose global figure list would
grow with every redraw). One colour per scenario everywhere (Okabe-Ito, colour-blind safe):
the room's run blue, the baseline orange; series within a plot differ by line style. The lower
panel is the room's run minus the baseline. Burn-in quarters are shaded. Fonts are large for a
projector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from ecosim.viz.svg_chart import Line, line_chart
from ecosim.viz.workshop_model import WorkshopModel

POLICY_COLOUR = "#0072B2"
BASELINE_COLOUR = "#E69F00"
STYLES = ("-", "--", ":", "-.")
FONT = {"font.size": 13, "axes.titlesize": 15, "axes.labelsize": 13, "legend.fontsize": 11,
        "xtick.labelsize": 12, "ytick.labelsize": 12}


def _figure(title: str) -> tuple[Figure, object, object]:
    import matplotlib as mpl

    with mpl.rc_context(FONT):
        fig = Figure(figsize=(6.4, 4.6), dpi=80, layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.4])
    return fig, top, bottom


def kpi_figure(model: WorkshopModel, title: str, unit: str,
               series: list[tuple[str, str]], scale: float = 1.0,
               diff_unit: str | None = None) -> Figure:
    """Lines of ``series`` ([(metric, label)]) for both runs, and their difference below."""
    fig, top, bottom = _figure(title)
    _draw(model, top, bottom, title, unit, series, scale, diff_unit)
    return fig


def _draw(model: WorkshopModel, top, bottom, title: str, unit: str,
          series: list[tuple[str, str]], scale: float, diff_unit: str | None) -> None:
    import matplotlib as mpl

    top.set_title(title, loc="left", fontsize=FONT["axes.titlesize"])
    p, b = model.policy_series, model.baseline_series
    x = np.asarray(p.quarters, dtype=np.float64) / 4.0
    with mpl.rc_context(FONT):
        for i, (metric, label) in enumerate(series):
            ls = STYLES[i % len(STYLES)]
            yp = p.array(metric) * scale
            top.plot(x, yp, color=POLICY_COLOUR, ls=ls, lw=2.5,
                     label=f"{label}" if len(series) > 1 else "room's run")
            if model.has_baseline:
                yb = b.array(metric) * scale
                top.plot(x, yb, color=BASELINE_COLOUR, ls=ls, lw=2.0)
                bottom.plot(x, yp - yb, color=POLICY_COLOUR, ls=ls, lw=2.0)
        _legend(top, model, multi=len(series) > 1)
        top.set_ylabel(unit)
        bottom.axhline(0.0, color="0.4", lw=1)
        bottom.set_ylabel(f"room − base\n({diff_unit or unit})", fontsize=11)
        bottom.set_xlabel("model year")
        horizon = model.total_quarters / 4.0
        for ax in (top, bottom):
            ax.set_xlim(0, horizon)
            if model.burn_in_quarters:
                ax.axvspan(0, model.burn_in_quarters / 4.0, color="0.92", zorder=0)
            ax.grid(True, color="0.88", lw=0.8)
        if model.burn_in_quarters:
            top.text(model.burn_in_quarters / 8.0, 0.02, "burn-in",
                     transform=top.get_xaxis_transform(), ha="center", va="bottom",
                     color="0.45", fontsize=11)
        if not model.has_baseline:
            bottom.text(0.5, 0.5, "no lever changed: room's run = baseline",
                        transform=bottom.transAxes, ha="center", va="center", color="0.4",
                        fontsize=11)


def _legend(ax, model: WorkshopModel, multi: bool) -> None:
    from matplotlib.lines import Line2D

    handles = list(ax.get_legend_handles_labels()[0]) if multi else []
    labels = [h.get_label() for h in handles]
    if multi:  # series by line style in grey, scenarios by colour
        handles = [Line2D([], [], color="0.3", ls=h.get_linestyle(), lw=2) for h in handles]
    handles.append(Line2D([], [], color=POLICY_COLOUR, lw=2.5))
    labels.append("room's run")
    if model.has_baseline:
        handles.append(Line2D([], [], color=BASELINE_COLOUR, lw=2.0))
        labels.append("baseline")
    ax.legend(handles, labels, loc="best", ncol=2, frameon=False)


@dataclass(frozen=True)
class Kpi:
    """One live plot: its title, unit, metrics [(metric, label)] and scale to the unit."""

    key: str
    title: str
    unit: str
    series: tuple[tuple[str, str], ...]
    scale: float = 1.0
    diff_unit: str | None = None


KPIS: tuple[Kpi, ...] = (
    Kpi("qualifications", "Qualifications of 16-64s", "% of residents",
        (("share_level2_plus", "Level 2+"), ("share_level3_plus", "Level 3+"),
         ("share_level4_plus", "Level 4+")), 100, "% points"),
    Kpi("employment", "Employment rate (16-64)", "% of residents",
        (("employment_rate", "employment rate"),), 100, "% points"),
    Kpi("vacancies", "Vacancies open", "thousand posts", (("vacancies", "vacancies"),), 1e-3),
    Kpi("participation", "Adult participation in learning", "% in last 4 quarters",
        (("participation_rate_adult", "all 19-64"),
         ("participation_rate_low_qualified", "below Level 2"),
         ("participation_rate_50_plus", "50-64"),
         ("participation_rate_low_paid", "low paid")), 100, "% points"),
    Kpi("funded_provision", "Publicly funded learners by course level", "% of funded learners",
        (("funded_share_level1", "Level 1/entry"), ("funded_share_level2", "Level 2"),
         ("funded_share_level3", "Level 3"), ("funded_share_level4_plus", "Level 4+")),
        100, "% points"),
    Kpi("public_spend", "Public spend on skills", "£ million a quarter",
        (("public_spend_gbp", "public spend"),), 1e-6),
)


def figure(model: WorkshopModel, kpi: Kpi) -> Figure:
    """The KPI as a matplotlib figure (for the PNG export)."""
    return kpi_figure(model, kpi.title, kpi.unit, list(kpi.series), kpi.scale, kpi.diff_unit)


def svg(model: WorkshopModel, kpi: Kpi) -> str:
    """The KPI as an SVG chart (for the live page)."""
    p, b = model.policy_series, model.baseline_series
    x = np.asarray(p.quarters, dtype=np.float64) / 4.0
    upper, lower, legend = [], [], []
    multi = len(kpi.series) > 1
    for i, (metric, label) in enumerate(kpi.series):
        yp = p.array(metric) * kpi.scale
        if model.has_baseline:  # baseline underneath, the room's run on top
            yb = b.array(metric) * kpi.scale
            upper.insert(0, Line(yb, BASELINE_COLOUR, i, 3.5))
            lower.append(Line(yp - yb, POLICY_COLOUR, i, 2.5))
        else:
            lower.append(Line(yp * 0.0, POLICY_COLOUR, i, 2.5))
        upper.append(Line(yp, POLICY_COLOUR, i, 2.5))
        if multi:
            legend.append((label, "#444", i))
    legend.append(("room's run", POLICY_COLOUR, 0))
    if model.has_baseline:
        legend.append(("baseline", BASELINE_COLOUR, 0))
    note = "" if model.has_baseline else "no lever changed: room's run = baseline"
    return line_chart(kpi.title, kpi.unit, kpi.diff_unit or kpi.unit, x,
                      model.total_quarters / 4.0, upper, lower, legend,
                      burn_in=model.burn_in_quarters / 4.0, note=note)


def all_figures_png(model: WorkshopModel) -> bytes:
    """Every KPI figure in one PNG (the page's "plots as PNG" export)."""
    import io

    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with mpl.rc_context(FONT):
        fig = Figure(figsize=(19.2, 9.6), dpi=100, layout="constrained")
        subfigs = fig.subfigures(2, 3)
        for sub, kpi in zip(subfigs.ravel(), KPIS, strict=True):
            top, bottom = sub.subplots(2, 1, sharex=True, height_ratios=[3, 1.4])
            _draw(model, top, bottom, kpi.title, kpi.unit, list(kpi.series), kpi.scale,
                  kpi.diff_unit)
        fig.suptitle(f"{model.scenario_name}: room's run vs baseline, seed {model.seed_value}, "
                     f"quarter {model.quarter}", fontsize=16)
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png")
    return buf.getvalue()
