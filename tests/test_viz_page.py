"""The workshop page in-process, as Mesa's own SolaraViz tests do: ``solara.render`` the page
inside ``solara.AppLayout`` (the sidebar with Reset/Step lives there), move levers, press Reset
and Step, and check the model was rebuilt with the levers' values and both runs stepped."""

from __future__ import annotations

import functools

import ipyvuetify as v
import pytest
import solara

from ecosim.model.simulate import warmup
from ecosim.viz import page as page_mod
from ecosim.viz.workshop_model import WorkshopModel

pytestmark = pytest.mark.slow


@pytest.fixture
def built(monkeypatch):
    """Every WorkshopModel the page builds, in order (SolaraViz's Reset builds a new one)."""
    warmup(progress_message=False)
    made: list[WorkshopModel] = []
    original = WorkshopModel.__init__

    @functools.wraps(original)
    def recording(self, **kwargs):
        original(self, **kwargs)
        made.append(self)

    monkeypatch.setattr(WorkshopModel, "__init__", recording)
    monkeypatch.delenv(page_mod.SCENARIO_ENV, raising=False)
    return made


def _render():
    @solara.component
    def InLayout():
        with solara.AppLayout():
            page_mod.Page()

    return solara.render(InLayout(), handle_error=False)


def _chart(rc, key: str) -> str:
    for w in rc.find(solara.widgets.HTML).widgets:
        if (w.attributes or {}).get("data-kpi") == key:
            return w.unsafe_innerHTML
    raise AssertionError(f"no chart {key}")


def _quarter_text(rc) -> str:
    return rc.find(v.Html, class_="ecosim-quarter").widget.children[0]


def test_levers_reset_and_step_rebuild_and_step_both_runs(built):
    box, rc = _render()
    assert len(built) == 1 and not built[0].has_baseline
    assert _quarter_text(rc) == "Quarter 0 of 24"
    # no Python console anywhere on the page (the sidebar's cards are there)
    assert rc.find(v.CardTitle, children=["Controls"]).widgets
    assert not rc.find(v.CardTitle, children=["Command Console"]).widgets

    rc.find(v.Slider, label="Careers-guidance quality").widget.v_model = 0.9
    rc.find(v.Select, label="AEB regime").widget.v_model = "devolved"
    seed = rc.find(v.TextField, label="Seed (whole number)").widget
    seed.v_model = "77"
    seed.fire_event("focusout")  # a text field sends its value when it loses focus
    rc.find(v.Btn, children=["Reset"]).widget.click()

    assert len(built) == 2
    m = built[-1]
    assert m.seed_value == 77 and m.policy.seed_int == 77 and m.baseline.seed_int == 77
    assert m.policy_scenario.policies.careers_guidance.quality == pytest.approx(0.9)
    assert m.policy_scenario.policies.aeb.regime == "devolved"
    assert m.baseline_scenario.policies.careers_guidance.quality == pytest.approx(0.5)
    assert m.baseline_scenario.policies.aeb.regime == "centralised"
    assert m.has_baseline and m.quarter == 0
    before = _chart(rc, "qualifications")

    step = rc.find(v.Btn, children=["Step"]).widget
    step.click()
    step.click()
    assert m.policy.quarter == 2 and m.baseline.quarter == 2
    assert len(m.policy_series.quarters) == 2 and len(m.baseline_series.quarters) == 2
    assert _quarter_text(rc) == "Quarter 2 of 24"
    after = _chart(rc, "qualifications")
    assert after != before and "<polyline" in after and "<polyline" not in before
    # both runs drawn (two colours) once a lever differs
    assert "#0072B2" in after and "#E69F00" in after
    # the status names the room's changes
    html = " ".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets
                    if "ecosim-changes" in (w.attributes or {}).get("class", ""))
    assert "Careers-guidance quality" in html and "devolved" in html

    # Reset again with the levers back at the scenario's values: one run, no baseline
    rc.find(v.Slider, label="Careers-guidance quality").widget.v_model = 0.5
    rc.find(v.Select, label="AEB regime").widget.v_model = "centralised"
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert len(built) == 3 and not built[-1].has_baseline and built[-1].seed_value == 77
    assert _quarter_text(rc) == "Quarter 0 of 24"
    box.close()


def test_two_renders_have_their_own_models(built):
    box1, rc1 = _render()
    box2, rc2 = _render()
    assert len(built) == 2 and built[0] is not built[1]
    rc1.find(v.Btn, children=["Step"]).widget.click()
    assert built[0].quarter == 1 and built[1].quarter == 0
    box1.close()
    box2.close()
