"""The page's panels, each a function of the WorkshopModel that Mesa's SolaraViz re-renders
after every rendered step: the status readout, the live KPI charts, the district tile map, the
agents, the lever guide and the exports."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import solara
from matplotlib.figure import Figure

from ecosim.viz import agents_view, levers, plots
from ecosim.viz.export import metrics_csv
from ecosim.viz.workshop_model import WorkshopModel

#: KPIs the tile map can show: (metric, label, unit, scale)
TILE_KPIS = {
    "share_level3_plus": ("Level 3+ share of 16-64s", "% points", 100),
    "share_level2_plus": ("Level 2+ share of 16-64s", "% points", 100),
    "employment_rate": ("Employment rate", "% points", 100),
    "participation_rate_adult": ("Adult participation", "% points", 100),
    "mean_wage_gbp": ("Mean pay of residents", "£ a year", 1),
}


def status(model: WorkshopModel):
    """Quarter readout, what the room changed, and the seed."""
    q, total = model.quarter, model.total_quarters
    phase = "burn-in" if q <= model.burn_in_quarters else "reported"
    with solara.Column(classes=["ecosim-status"]) as col:
        solara.Text(f"Quarter {q} of {total}", classes=["ecosim-quarter"])
        solara.Text(f"model year {q / 4:.2f} ({phase}) · seed {model.seed_value} · "
                    f"{model.scenario_name}", classes=["ecosim-sub"])
        if model.seed_note:
            solara.Warning(model.seed_note)
        if model.lever_error:
            solara.Warning(f"These lever settings were not applied: {model.lever_error}")
        changes = model.changes()
        if changes:
            items = "".join(f"<li><b>{escape(label)}</b>: {escape(_show(b))} → "
                            f"{escape(_show(v))}</li>" for label, b, v in changes)
            solara.HTML(tag="div", unsafe_innerHTML="<p><b>The room's changes</b> (the baseline "
                        f"keeps the scenario's values):</p><ul>{items}</ul>",
                        classes=["ecosim-changes"])
        else:
            solara.HTML(tag="p", unsafe_innerHTML="No lever changed: the room's run is the "
                        "scenario itself. Move a lever in the sidebar and press <b>Reset</b> to "
                        "compare.", classes=["ecosim-changes"])
        if not model.running:
            solara.Info("End of the scenario's horizon: press Reset to run again.")
        solara.HTML(tag="p", unsafe_innerHTML="Tabs: <b>Page 0</b> the run · <b>Page 1</b> "
                    "district map · <b>Page 2</b> providers, employers, learners · "
                    "<b>Page 3</b> what each lever does, downloads.", classes=["ecosim-tabs"])
    return col


def _show(v) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def kpi_chart(kpi: plots.Kpi) -> Callable[[WorkshopModel], object]:
    """A panel drawing one KPI as an SVG chart."""

    def chart(model: WorkshopModel):
        return solara.HTML(tag="div", unsafe_innerHTML=plots.svg(model, kpi),
                           classes=["ecosim-chart-box"], attributes={"data-kpi": kpi.key})

    chart.__name__ = f"chart_{kpi.key}"
    return chart


def tile_map(choice: solara.Reactive[str]) -> Callable[[WorkshopModel], object]:
    """A panel: the districts coloured by the room's run minus the baseline for a chosen KPI."""

    def tiles(model: WorkshopModel):
        from ecosim.report.tiles import draw_tile_map

        label, unit, scale = TILE_KPIS[choice.value]
        names = [d.name for d in model.policy.scenario.region.districts]
        with solara.Column() as col:
            by_label = {v[0]: k for k, v in TILE_KPIS.items()}
            solara.Select("District map shows", values=list(by_label),
                          value=TILE_KPIS[choice.value][0],
                          on_value=lambda lab: choice.set(by_label[lab]))
            if model.quarter == 0:
                solara.Text("Press Step or Play: the map shows the latest quarter.")
                return col
            pol = model.policy.current_metrics[choice.value][1:]
            if model.has_baseline:
                base = model.baseline.current_metrics[choice.value][1:]
                vals = dict(zip(names, pol - base, strict=True))
                title, diverging, fmt = f"{label}: room − baseline", True, "{:+.2f}"
            else:
                vals = dict(zip(names, pol, strict=True))
                title, diverging, fmt = f"{label} (no lever changed)", False, "{:.1f}"
                unit = unit.replace("% points", "%")
            fig = Figure(figsize=(8, 6.5), dpi=90, layout="constrained")
            ax = fig.subplots()
            draw_tile_map(ax, model.policy.scenario, vals, title=f"{title}, quarter "
                          f"{model.quarter}", unit=unit, diverging=diverging, fmt=fmt,
                          scale=scale, cmap="PuOr" if diverging else "viridis")
            solara.FigureMatplotlib(fig, format="png")
        return col

    return tiles


def agents(model: WorkshopModel):
    """Providers, employers by sector, and a sample of learners with their pathways."""
    with solara.Column() as col:
        solara.HTML(tag="div", unsafe_innerHTML=agents_view.providers_html(model))
        solara.HTML(tag="div", unsafe_innerHTML=agents_view.employers_html(model))
        solara.HTML(tag="div", unsafe_innerHTML=agents_view.learners_html(model))
    return col


def lever_guide(model: WorkshopModel):
    """What each lever does (one sentence from the scenario schema), and its value now."""
    rows = []
    for lv in levers.LEVERS:
        base = levers.scenario_value(model.baseline_scenario, lv)
        now = model.lever_values.get(lv.name, base)
        mark = " ✱" if not levers._same(now, base) else ""
        rows.append([lv.label, levers.help_text(lv), _show(base), _show(now) + mark])
    table = agents_view._table(["lever", "what it does", "scenario", "room"], rows,
                               "The levers (✱ = changed by the room)")
    note = ("<p>Move levers in the sidebar, then press <b>Reset</b> to apply them. The seed "
            "field takes a whole number; the same seed gives the same run, and the baseline "
            "always uses the room's seed.</p>")
    return solara.HTML(tag="div", unsafe_innerHTML=table + note)


def exports(model: WorkshopModel):
    """Downloads: the current run's metrics (CSV, both runs) and the plots (PNG)."""
    stem = f"ecosim-{model.scenario_name}-seed{model.seed_value}-q{model.quarter}"
    with solara.Column() as row:
        solara.HTML(tag="h2", unsafe_innerHTML="Downloads")
        solara.FileDownload(lambda: metrics_csv(model), filename=f"{stem}-metrics.csv",
                            label="Metrics (CSV)", mime_type="text/csv")
        solara.FileDownload(lambda: plots.all_figures_png(model), filename=f"{stem}-plots.png",
                            label="Plots (PNG)", mime_type="image/png")
    return row


