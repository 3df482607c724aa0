"""The fact catalogue's honesty rules: held-out facts are at least half (and at least six), a
calibrated fact names its parameters, and the calibrated / held-out labels agree with the
scenario files, where every parameter set from a fact cites it as "validation: <id>"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecosim.validation.facts import Catalogue, load_facts

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"validation: ([a-z0-9_, ]+)\)")


def citations() -> dict[str, list[str]]:
    """fact id -> the scenario files (file:line) whose comments cite it."""
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            for m in CITE.finditer(line):
                for fid in (x.strip() for x in m.group(1).split(",")):
                    out.setdefault(fid, []).append(f"{path.name}:{n}")
    return out


def test_held_out_facts_are_at_least_half_and_at_least_six():
    facts = load_facts().facts
    held = [f for f in facts if f.kind == "held_out"]
    assert len(held) >= 6 and 2 * len(held) >= len(facts)


def test_labels_match_the_scenario_files():
    by_id = load_facts().by_id()
    cited = citations()
    unknown = sorted(set(cited) - set(by_id))
    assert not unknown, f"scenario files cite unknown facts: {unknown}"
    mislabelled = sorted(f for f in cited if by_id[f].kind != "calibrated")
    assert not mislabelled, f"facts used to set parameters but labelled held out: " \
        f"{ {f: cited[f] for f in mislabelled} }"
    uncited = sorted(f.id for f in by_id.values() if f.kind == "calibrated" and f.id not in cited)
    assert not uncited, f"calibrated facts no scenario parameter cites: {uncited}"


def test_catalogue_rules_are_enforced():
    base = {"root_seed": 1, "modes": {"quick": {"replications": 2}}}
    fact = {"id": "x", "fact": "f", "source": "s", "units": "u", "target": [0, 1],
            "tolerance": "t", "known_gap": "g"}
    Catalogue.model_validate({**base, "facts": [{**fact, "kind": "held_out"}]})
    with pytest.raises(ValueError, match="names the parameters"):
        Catalogue.model_validate({**base, "facts": [{**fact, "kind": "calibrated"}]})
    with pytest.raises(ValueError, match="held-out fact cannot"):
        Catalogue.model_validate({**base, "facts": [{**fact, "kind": "held_out",
                                                     "calibrated_by": ["a.b"]}]})
    with pytest.raises(ValueError, match="duplicate"):
        Catalogue.model_validate({**base, "facts": [{**fact, "kind": "held_out"}] * 2})
    with pytest.raises(ValueError, match="measure or a known_gap"):
        Catalogue.model_validate({**base, "facts": [{**{k: v for k, v in fact.items()
                                                        if k != "known_gap"},
                                                     "kind": "held_out"}]})


def test_every_measured_fact_names_real_scenarios_and_metrics():
    from ecosim.experiments.resolve import known_metrics
    from ecosim.validation.plan import SCENARIOS

    metrics = set(known_metrics())
    for f in load_facts().facts:
        if f.measure is None:
            continue
        runs = [f.measure.runs] + ([f.measure.baseline] if hasattr(f.measure, "baseline")
                                   else [])
        for r in runs:
            assert (SCENARIOS / r.scenario).is_file(), (f.id, r.scenario)
        names = set(re.findall(r"[a-z_][a-z0-9_]*", f.measure.metric))
        policy_cols = {n for n in names if n.split("_")[0] in ("aeb", "training")}
        assert names - policy_cols <= metrics, (f.id, names - policy_cols - metrics)
