"""Report figures and sentences on small synthetic results (no model run)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from ecosim.model.metrics import METRICS
from ecosim.report import figures_effects as FE
from ecosim.report import figures_groups as FG
from ecosim.report import text as T
from ecosim.report.data import Comparison, Effect, Run, fieller_ratio, t_interval
from ecosim.report.palette import scenario_colours

DISTRICTS = ("North", "South", "East")
SCEN = {"name": "synthetic", "run": {"start_year": 2025, "burn_in_years": 1,
                                     "horizon_years": 2, "persons_per_agent": 10},
        "region": {"name": "Test region", "districts": [
            {"name": "North", "tile": [0, 0]}, {"name": "South", "tile": [1, 0]},
            {"name": "East", "tile": [1, 1]}]}}


def _frame(effect: float, reps: int = 3, seed0: int = 0) -> pd.DataFrame:
    rows = []
    for r in range(reps):
        noise = np.sin(np.arange(1, 9) * (r + 1 + seed0))  # same "seed" -> same noise
        for q in range(1, 9):
            for a in ("region", *DISTRICTS):
                row = {"replication": r, "seed": 100 + r, "quarter": q,
                       "year": 2025 + (q - 1) / 4, "area": a}
                for m in METRICS:
                    row[m] = 0.3 + 0.01 * noise[q - 1]
                row["share_level3_plus"] = 0.6 + effect * q / 8 + 0.002 * noise[q - 1]
                row["public_spend_gbp"] = 1e7 * (1 + effect * 10) + 1e5 * noise[q - 1]
                row["attained_level3_plus"] = 1000 * (1 + effect * 20) + 5 * noise[q - 1]
                row["employed"] = 5e5 + 10 * noise[q - 1]  # no effect: 'not defined'
                row["funded_enrolled"] = 2e4
                row["median_wage_gbp"] = 25000 + 1000 * effect
                rows.append(row)
    return pd.DataFrame(rows)


def _run(name: str, effect: float, seeds=(100, 101, 102), commit: str = "abc") -> Run:
    manifest = {"scenario_name": name, "seeds": list(seeds), "root_seed": 1,
                "versions": {"ecosim": "0.1"}, "git": {"commit": commit},
                "scenario": SCEN}
    return Run(name, __import__("pathlib").Path(name), manifest,
               _frame(effect, len(seeds), 0 if commit == "abc" else 7))


@pytest.fixture(scope="module")
def comp() -> Comparison:
    runs = {"base": _run("base", 0.0), "policy_a": _run("policy_a", 0.05),
            "policy_b": _run("policy_b", -0.03)}
    common = [c for c in runs["base"].metrics.columns if c in METRICS]
    return Comparison(runs=runs, baseline="base", metrics=list(FE.U.HEADLINE), common=common)


def _line_colours(fig: Figure) -> set[str]:
    return {matplotlib.colors.to_hex(ln.get_color()) for ax in fig.axes for ln in ax.lines
            if ln.get_gid() != "reference"}


def test_headline_figure_has_dot_whisker_per_policy_and_kpi(comp):
    fig = FE.headline_figure(comp)
    assert isinstance(fig, Figure)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(FE.U.HEADLINE)
    for ax in panels:
        dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
        assert len(dots) == 2                                  # one per policy
        assert any(ln.get_linestyle() == "--" for ln in ax.lines)  # zero line
        assert ax.get_xlabel().startswith("change (") and ax.get_title()
    assert "percentage points" in panels[0].get_xlabel()
    assert "GBP million a year" in panels[6].get_xlabel()
    assert "against base" in fig._suptitle.get_text()
    # the Level 3+ effect of policy_a is positive (the dot right of zero), policy_b negative
    d = FE.headline_data(comp)
    l3 = d[d["metric"] == "share_level3_plus"].set_index("scenario")
    assert l3.loc["policy_a", "effect"] == pytest.approx(0.05 * 6.5 / 8, abs=1e-6)
    assert l3.loc["policy_b", "effect"] < 0 and l3.loc["policy_a", "paired"]


def test_paths_and_difference_paths_have_bands(comp):
    fig = FE.paths_figure(comp)
    ax = fig.axes[0]
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 3  # a band each
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "%"
    assert any("policies start" in t.get_text() for t in ax.texts)
    fig = FE.difference_paths_figure(comp)
    ax = fig.axes[0]
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2  # policies only
    assert ax.get_ylabel() == "percentage points"


def test_funded_provision_stacks_and_districts_tiles(comp):
    fig = FG.funded_provision_figure(comp)
    left, right = fig.axes[:2]
    assert len(left.patches) == 4 * 3 and len(right.patches) == 2 * 3
    assert "thousand persons" in left.get_ylabel()
    fig = FG.districts_figure(comp)
    tiles = [p for ax in fig.axes for p in ax.patches if p.get_gid()]
    assert sorted({t.get_gid() for t in tiles}) == sorted(DISTRICTS)
    assert len(tiles) == 3 * 2
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts.count("+4.1") == 3  # policy_a: +4.06 points in the final year, every tile


def test_who_gains_and_value_for_money(comp):
    fig = FG.who_gains_figure(comp, "qualifications")
    assert [ax.get_title().split(":")[0] for ax in fig.axes[:3]] == [
        "by starting qualification", "by age band", "by district"]
    assert len(fig.axes[2].containers) == 2  # an errorbar per policy
    fig = FE.value_for_money_figure(comp)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert sum("not defined" in t for t in texts) == 2   # jobs: no change in employment
    v = FE.value_for_money_data(comp)
    l3 = v[(v["outcome"] == "level3") & (v["scenario"] == "policy_a")].iloc[0]
    # spend +5e6/quarter x 8, L3 +1000/quarter x 8 -> GBP 5,000 per extra achiever
    assert l3["defined"] and l3["cost_per_extra_gbp"] == pytest.approx(5000, rel=0.01)


def test_one_colour_per_scenario_across_figures(comp):
    col = {k: v.lower() for k, v in scenario_colours(comp.order, comp.baseline).items()}
    assert len(set(col.values())) == 3
    for fig in (FE.headline_figure(comp), FE.paths_figure(comp),
                FE.difference_paths_figure(comp), FE.value_for_money_figure(comp),
                FG.who_gains_figure(comp)):
        used = _line_colours(fig)
        assert used <= set(col.values()), used
    assert {matplotlib.colors.to_hex(ln.get_color()) for ln in
            FE.paths_figure(comp).axes[0].lines if ln.get_label() == "policy_a"} == \
        {col["policy_a"]}


def test_unpaired_when_seeds_differ():
    runs = {"base": _run("base", 0.0), "p": _run("p", 0.05, seeds=(5, 6, 7), commit="zzz")}
    c = Comparison(runs=runs, baseline="base", metrics=["share_level3_plus"],
                   common=list(METRICS))
    assert not c.paired("p") and "different seeds" in c.unpaired_reason("p")
    assert "Unpaired" in FE.pairing_note(c)
    assert not c.effect("p", "share_level3_plus").paired


# ------------------------------------------------------------------------------ sentences
def _eff(mean, lo, hi, paired=True, b=0.04, p=0.53):
    return Effect(mean, lo, hi, 5, paired, b, p)


def test_sentence_clear_rise_gives_levels_change_and_interval():
    s = T.finding("devolved_aeb", "funded_share_level3", _eff(0.49, 0.47, 0.51))
    assert s.startswith("devolved aeb raises the funded learners on Level 3 courses from 4.0% "
                        "to 53.0%")
    assert "+49.0 percentage points, 90% interval +47.0 to +51.0 percentage points" in s


def test_sentence_clear_fall_and_money():
    s = T.finding("x", "public_spend_gbp", _eff(-2e6, -3e6, -1e6, b=5e7, p=4.8e7))
    assert "lowers" in s and "−£2.0m" in s and "−£3.0m to −£1.0m" in s


def test_sentence_no_clear_difference_when_interval_spans_zero():
    s = T.finding("x", "employment_rate", _eff(0.001, -0.002, 0.004, b=0.72, p=0.721))
    assert "no clear difference" in s and "raises" not in s and "includes zero" in s


def test_sentence_single_replication_and_unpaired():
    s = T.finding("x", "employment_rate", _eff(0.01, np.nan, np.nan, b=0.7, p=0.71))
    assert "no interval" in s and "no clear" not in s
    s = T.finding("x", "employment_rate", _eff(0.01, 0.005, 0.02, paired=False))
    assert "(unpaired comparison)" in s


def test_intervals_and_fieller():
    m, lo, hi = t_interval(np.array([1.0, 2.0, 3.0]))
    assert m == 2.0 and lo == pytest.approx(2 - 2.919986 / np.sqrt(3), rel=1e-5)
    r, lo, hi, ok = fieller_ratio(np.array([10.0, 11, 9, 10]), np.array([2.0, 2.1, 1.9, 2]))
    assert ok and lo < r < hi and r == pytest.approx(5.0)
    assert not fieller_ratio(np.array([1.0, 2, 3]), np.array([-1.0, 1, 0.1]))[3]


def test_scenario_changes_carry_schema_descriptions():
    base = {"name": "b", "policies": {"aeb": {"regime": "centralised"}, "training_accounts": None}}
    pol = {"name": "p", "policies": {"aeb": {"regime": "devolved"},
                                     "training_accounts": {"cap_gbp": 5000.0}}}
    rows = {r["key"]: r for r in T.scenario_changes(pol, base)}
    assert rows["policies.aeb.regime"]["value"] == "devolved"
    assert "devolved" in rows["policies.aeb.regime"]["description"]
    assert rows["policies.training_accounts"]["value"] == "on"
    assert "Balance ceiling" in rows["policies.training_accounts.cap_gbp"]["description"]
    assert "name" not in rows
