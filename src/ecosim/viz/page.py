"""The workshop page: Mesa's SolaraViz around a WorkshopModel built for each browser session.

``ecosim viz`` serves this module (solara finds ``Page``). The scenario file comes from the
``ECOSIM_VIZ_SCENARIO`` environment variable (set by the command). The model is built inside the
page component with ``solara.use_memo``, so every tab (every solara session) has its own model;
a model built at module level would be shared by every tab. Levers are SolaraViz
``model_params``: Mesa's Reset rebuilds ``WorkshopModel(**values)``.

Tabs: 0 the run (status and live KPI charts), 1 the district map, 2 the agents, 3 the levers and
downloads. No Python console is offered.
"""

from __future__ import annotations

import os

import solara
from mesa.visualization import SolaraViz

from ecosim.viz import levers, panels, plots
from ecosim.viz.workshop_model import DEFAULT_SCENARIO, WorkshopModel, base_scenario

SCENARIO_ENV = "ECOSIM_VIZ_SCENARIO"
PLAY_INTERVAL_MS = 20
RENDER_INTERVAL = 1

#: large type for a projector
CSS = """
.v-application { font-size: 18px; }
.v-application .v-label, .v-application .v-input, .v-application .v-select__selection,
.v-application .v-slider__thumb-label, .v-application input { font-size: 18px !important; }
.v-application .v-card__title { font-size: 22px; }
.v-application .v-toolbar__title { font-size: 24px; }
.v-application .v-tab { font-size: 18px; }
.v-application .v-btn { font-size: 16px; }
.ecosim-quarter { font-size: 34px; font-weight: bold; display: block; }
.ecosim-sub { font-size: 18px; color: #555; display: block; margin-bottom: 8px; }
.ecosim-status .v-application, .ecosim-status p, .ecosim-status li { font-size: 18px; }
.ecosim-chart-box svg { display: block; max-height: 100%; }
.ecosim-table { border-collapse: collapse; margin: 6px 0 18px 0; font-size: 16px; }
.ecosim-table caption { text-align: left; font-size: 20px; font-weight: bold; padding: 4px 0; }
.ecosim-table th, .ecosim-table td { border-bottom: 1px solid #ddd; padding: 4px 10px;
  text-align: left; vertical-align: top; }
.ecosim-table th { background: #f3f3f3; }
/* lever sliders: label on its own line above the slider */
.v-application .v-input.v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-application .v-input.v-input__slider .v-input__slot > .v-label { width: 100%;
  max-width: 100%; margin-bottom: 2px; white-space: normal; }
/* lever sliders: always show the value on the thumb */
.v-application .v-slider__thumb-container .v-slider__thumb-label-container,
.v-application .v-slider__thumb-container .v-slider__thumb-label { display: flex !important; }
.v-application .v-slider__thumb-label { transform: translateY(-20%) translateY(-12px)
  translateX(-50%) rotate(45deg) !important; font-size: 11px; width: 38px !important;
  height: 38px !important; }
.v-application .v-input__slider { margin-top: 4px; }
.v-application .v-input__slider .v-slider { margin-top: 40px; }
.v-application table td, .v-application table th { font-size: 16px; }
"""


def scenario_path() -> str:
    return os.environ.get(SCENARIO_ENV, DEFAULT_SCENARIO)


def page_model_params(path: str) -> dict:
    """Fixed scenario path, the seed field and every lever (defaults from the scenario)."""
    scn = base_scenario(path)
    return {"scenario_path": path,
            "seed": {"type": "InputText", "label": "Seed (whole number)",
                     "value": str(scn.run.seed)},
            **levers.model_params(scn)}


def page_components(tile_choice: solara.Reactive[str]) -> list:
    comps: list = [(panels.status, 0)]
    comps += [(panels.kpi_chart(k), 0) for k in plots.KPIS]
    comps += [(panels.tile_map(tile_choice), 1), (panels.agents, 2),
              (panels.lever_guide, 3), (panels.exports, 3)]
    return comps


@solara.component
def Page():
    path = scenario_path()
    model = solara.use_memo(lambda: WorkshopModel(scenario_path=path), [path])
    params = solara.use_memo(lambda: page_model_params(path), [path])
    tile_choice = solara.use_reactive("share_level3_plus")
    components = solara.use_memo(lambda: page_components(tile_choice), [])
    solara.Style(CSS)
    solara.Title("ecosim workshop")
    SolaraViz(model, components=components, model_params=params,
              name=f"ecosim workshop · {model.scenario_name}", play_interval=PLAY_INTERVAL_MS,
              render_interval=RENDER_INTERVAL)
