"""Generic loader: extends chains, deep merge, overrides, dumping, located errors (toy models)."""

from __future__ import annotations

import pytest

from conftest import ROOT, ToyScenario
from ecosim.errors import InputError
from ecosim.scenario import (
    deep_merge,
    dump_model,
    dump_scenario,
    load_model_file,
    load_model_text,
    load_scenario,
)

BASE = """
name: base
description: the base
seed: 3
districts:
  - name: A
    population: 10
    tags: [x, y]
  - name: B
    population: 20
policies:
  aeb:
    mode: centralised
    budget: 100
  guidance: 0.4
weights: {A: 1.0}
"""


def test_plain_file_loads(write):
    obj = load_model_file(write("base.yaml", BASE), ToyScenario)
    assert obj.name == "base" and obj.seed == 3
    assert [d.population for d in obj.districts] == [10, 20]
    assert obj.policies.aeb.budget == 100.0


def test_deep_merge_semantics():
    base = {"a": {"b": 1, "c": [1, 2], "d": {"e": 1}}, "f": 2}
    over = {"a": {"c": [3], "d": {"g": 2}}, "h": None}
    assert deep_merge(base, over) == {"a": {"b": 1, "c": [3], "d": {"e": 1, "g": 2}},
                                      "f": 2, "h": None}
    assert base["a"]["c"] == [1, 2]  # inputs untouched


def test_extends_chain_deep_merges(write):
    write("base.yaml", BASE)
    write("sub/mid.yaml", """
        extends: ../base.yaml
        name: mid
        policies:
          aeb: {mode: devolved}
        """)
    child = write("sub/child.yaml", """
        extends: mid.yaml
        name: child
        districts:
          - {name: A, population: 5}
          - {name: C, population: 5}
        weights: {C: 2}
        """)
    obj = load_model_file(child, ToyScenario)
    assert obj.name == "child" and obj.description == "the base" and obj.seed == 3
    assert [(d.name, d.tags) for d in obj.districts] == [("A", []), ("C", [])]  # lists replace
    assert obj.policies.aeb.mode == "devolved" and obj.policies.aeb.budget == 100  # dicts merge
    assert obj.policies.guidance == 0.4 and obj.weights == {"A": 1.0, "C": 2.0}


def test_error_in_base_file_names_the_base(write):
    write("base.yaml", BASE.replace("    budget: 100", "    budjet: 100"))
    child = write("child.yaml", "extends: base.yaml\nname: child\n")
    with pytest.raises(InputError) as ei:
        load_model_file(child, ToyScenario)
    msg = str(ei.value)
    assert "base.yaml:13:5: policies.aeb.budjet: unknown key; did you mean 'budget'?" in msg
    assert "child.yaml" not in msg


def test_key_overridden_in_child_points_at_child(write):
    write("base.yaml", BASE)
    child = write("child.yaml", "extends: base.yaml\nname: child\npolicies:\n  guidance: 3\n")
    with pytest.raises(InputError) as ei:
        load_model_file(child, ToyScenario)
    p = ei.value.problems[0]
    assert p.file.endswith("child.yaml") and p.line == 4 and p.path == ("policies", "guidance")


def test_list_replaced_in_child_points_at_child(write):
    write("base.yaml", BASE)
    child = write("child.yaml", """
        extends: base.yaml
        name: child
        districts:
          - name: C
            population: -1
        """)
    with pytest.raises(InputError) as ei:
        load_model_file(child, ToyScenario)
    p = ei.value.problems[0]
    assert p.file.endswith("child.yaml") and p.line == 5 and p.path == ("districts", 0,
                                                                         "population")


def test_all_errors_are_collected(write):
    f = write("bad.yaml", """
        name: bad
        seed: -1
        districts:
          - name: A
            population: many
        policies:
          guidance: 2
          aeb: {budjet: 5}
        colour: red
        """)
    with pytest.raises(InputError) as ei:
        load_model_file(f, ToyScenario)
    paths = {p.path for p in ei.value.problems}
    assert paths == {("seed",), ("districts", 0, "population"), ("policies", "guidance"),
                     ("policies", "aeb", "budjet"), ("colour",)}
    assert [p.line for p in ei.value.problems] == sorted(p.line for p in ei.value.problems)
    assert "5 problems" in str(ei.value)


def test_semantic_errors_are_located(write):
    f = write("sem.yaml", BASE.replace("weights: {A: 1.0}", "weights:\n  A: 1\n  Z: 2"))
    with pytest.raises(InputError) as ei:
        load_model_file(f, ToyScenario)
    (p,) = ei.value.problems
    assert p.path == ("weights", "Z") and p.line == 17 and "unknown district 'Z'" in p.message


@pytest.mark.parametrize(("spec", "check"), [
    ("seed=7", lambda o: o.seed == 7),
    ("policies.guidance=0.25", lambda o: o.policies.guidance == 0.25),
    ("policies.aeb.mode=devolved", lambda o: o.policies.aeb.mode == "devolved"),
    ("districts.1.population=5", lambda o: o.districts[1].population == 5),
    ("districts.0.tags=[a, b]", lambda o: o.districts[0].tags == ["a", "b"]),
    ("weights.B=0.5", lambda o: o.weights == {"A": 1.0, "B": 0.5}),
    ("description=", lambda o: o.description == ""),
])
def test_overrides(write, spec, check):
    obj = load_model_file(write("base.yaml", BASE), ToyScenario, [spec])
    assert check(obj)


def test_override_creates_missing_section_from_defaults(write):
    f = write("min.yaml", "name: m\ndistricts: [{name: A, population: 1}]\n")
    obj = load_model_file(f, ToyScenario, ["policies.aeb.budget=5", "policies.guidance=1"])
    assert obj.policies.aeb.budget == 5 and obj.policies.aeb.mode == "centralised"
    assert obj.policies.guidance == 1


def test_mapping_override_merges_like_extends(write):
    f = write("base.yaml", BASE)
    obj = load_model_file(f, ToyScenario, ["policies={guidance: 0.9}",
                                           "districts.1={population: 7}"])
    base = load_model_file(f, ToyScenario)
    assert obj.policies.guidance == 0.9
    assert obj.policies.aeb == base.policies.aeb  # not replaced by the defaults
    assert obj.districts[1].population == 7 and obj.districts[1].name == base.districts[1].name


def test_overrides_apply_after_extends_and_tuples_work(write):
    write("base.yaml", BASE)
    child = write("child.yaml", "extends: base.yaml\nname: child\nseed: 4\n")
    obj = load_model_file(child, ToyScenario, ["seed=9", (("policies", "aeb", "budget"), 7.5)])
    assert obj.seed == 9 and obj.policies.aeb.budget == 7.5


@pytest.mark.parametrize(("spec", "expect"), [
    ("policies.aeb.budjet=3", "policies.aeb.budjet: unknown key; did you mean 'budget'?"),
    ("sede=3", "did you mean 'seed'?"),
    ("districts.5.population=1", "list index out of range (the list has 2 items)"),
    ("districts.-1.population=6", "negative list index -1; count from 0 (0 to 1)"),
    ("seed=true", "seed: expected a number, got True"),
    ("districts.x.population=1", "is a list; use a number"),
    ("seed.x=1", "not a mapping"),
    ("seed", "expects KEY=VALUE"),
    ("seed=abc", "--set seed=abc: seed: should be a valid integer"),
    ("policies.aeb.budget=-1", "greater than or equal to 0 (got -1)"),
])
def test_bad_overrides(write, spec, expect):
    with pytest.raises(InputError) as ei:
        load_model_file(write("base.yaml", BASE), ToyScenario, [spec])
    assert expect in str(ei.value)


def test_dump_round_trip_toy(write):
    obj = load_model_file(write("base.yaml", BASE), ToyScenario, ["policies.aeb.budget=1e20"])
    text = dump_model(obj)
    assert "extends" not in text
    assert load_model_text(text, ToyScenario) == obj


@pytest.mark.parametrize("name", ["tiny.yaml", "north_east_baseline.yaml"])
def test_dump_round_trip_real_scenarios(tmp_path, name):
    scn = load_scenario(ROOT / "scenarios" / name, ["run.seed=11"])
    p = tmp_path / "resolved.yaml"
    p.write_text(dump_scenario(scn))
    again = load_scenario(p)
    assert again == scn and again.run.seed == 11


def test_load_scenario_with_overrides():
    scn = load_scenario(ROOT / "scenarios" / "tiny.yaml",
                        ["region.districts.0.working_age_population=5000",
                         "run.horizon_years=2"])
    assert scn.region.districts[0].working_age_population == 5000
    assert scn.run.horizon_years == 2


def test_yaml_anchors_and_merge_keys(write):
    f = write("anchors.yaml", """
        name: a
        districts:
          - &d {name: A, population: 1}
          - <<: *d
            name: B
        """)
    obj = load_model_file(f, ToyScenario)
    assert [(d.name, d.population) for d in obj.districts] == [("A", 1), ("B", 1)]
