"""District tile layouts (schema, fallback, drawing) and the who-gains metrics from state."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from ecosim.errors import InputError
from ecosim.report.tiles import draw_tile_map, fallback_positions, tile_positions
from ecosim.scenario import load_scenario

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["north_east_baseline", "west_midlands_baseline", "tiny"])
def test_regions_carry_a_complete_unique_layout(name):
    scn = load_scenario(ROOT / f"scenarios/{name}.yaml")
    pos = tile_positions(scn)
    assert set(pos) == {d.name for d in scn.region.districts}
    assert len(set(pos.values())) == len(pos)
    assert pos == {d.name: tuple(d.tile) for d in scn.region.districts}  # not the fallback


def test_fallback_when_a_tile_is_missing_and_from_plain_dicts():
    assert fallback_positions(["a", "b", "c", "d", "e"]) == {
        "a": (0, 0), "b": (0, 1), "c": (0, 2), "d": (1, 0), "e": (1, 1)}
    plain = {"region": {"districts": [{"name": "a", "tile": [0, 0]}, {"name": "b"}]}}
    assert tile_positions(plain) == {"a": (0, 0), "b": (0, 1)}
    assert tile_positions({"x": (2, 3)}) == {"x": (2, 3)}


def test_duplicate_tile_is_a_scenario_error(tmp_path):
    f = tmp_path / "dup.yaml"
    f.write_text(f"extends: {ROOT / 'scenarios/tiny.yaml'}\nname: dup\n"
                 "region:\n  districts:\n" + "".join(
                     f"    - {{name: D{i}, working_age_population: 1000, deprivation: 0.1, "
                     "level_mix: {none: 0.1, level1: 0.1, level2: 0.2, level3: 0.2, "
                     "level4_5: 0.2, level6_plus: 0.2}, school_leaver_level_mix: {none: 0.1, "
                     "level1: 0.1, level2: 0.2, level3: 0.2, level4_5: 0.2, level6_plus: 0.2}, "
                     "tile: [0, 0]}\n" for i in range(2))
                 + "  travel_minutes: [[10, 20], [20, 10]]\n"
                 "providers:\n  colleges: []\n  universities: []\n")
    with pytest.raises(InputError) as e:
        load_scenario(f)
    assert "tile [0, 0] is also 'D0'" in str(e.value)


def test_draw_tile_map_labels_values_and_missing():
    fig, ax = plt.subplots()
    pos = {"North": (0, 0), "South": (1, 0)}
    draw_tile_map(ax, pos, {"North": 0.012}, title="Change", unit="percentage points",
                  scale=100, fmt="{:+.1f}")
    assert sorted(p.get_gid() for p in ax.patches) == ["North", "South"]
    texts = [t.get_text() for t in ax.texts]
    assert "+1.2" in texts and "n/a" in texts and "North" in texts
    assert "percentage points" in ax.get_title()
    assert fig.axes[1].get_ylabel() == "percentage points"  # the colour bar
    plt.close(fig)


def test_who_gains_metrics_match_the_state():
    """The group KPIs equal a direct count over the learner arrays (region row)."""
    from ecosim.model.metrics_groups import compute_groups
    from ecosim.model.model import SkillsEcosystem
    from ecosim.model.state import EMPLOYED

    scn = load_scenario(ROOT / "scenarios/tiny.yaml", ["run.burn_in_years=0",
                                                       "run.horizon_years=1"])
    m = SkillsEcosystem(scn, rng=3)
    L = m.state.learners
    assert (L.start_level == L.level).all()  # set at build
    for _ in range(4):
        m.step()
    L = m.state.learners
    from ecosim.model.metrics import participating

    g = compute_groups(m, L.district.astype(np.int64), participating(m))
    emp = L.status == EMPLOYED
    for band, key in ((0, "none"), (2, "level2")):
        grp = L.start_level == band
        assert g[f"share_progressed_start_{key}"][0] == pytest.approx(
            (L.level[grp] > band).mean())
        assert g[f"employment_rate_start_{key}"][0] == pytest.approx(emp[grp].mean())
    young = L.age < 25
    assert g["share_level3_plus_age_16_24"][0] == pytest.approx((L.level[young] >= 3).mean())
    assert g["mean_wage_gbp_age_16_24"][0] == pytest.approx(L.wage[young & emp].mean())
    entrants = L.entry_quarter > 0
    assert entrants.any() and (L.start_level[entrants] == -1).all()  # in no start group
    assert np.isfinite(g["employment_rate_age_25_49"]).all()  # region and every district
