"""Shared helpers for the model tests: load scenarios (with ``extends:``) and run tiny models.

Uses the project loader ``ecosim.scenario.load_scenario`` when it exists; otherwise a minimal
fallback that resolves ``extends:`` and validates with ``Scenario.model_validate``.
"""

from __future__ import annotations

import pathlib

from ruamel.yaml import YAML

from ecosim.scenario.schema import Scenario

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def raw_scenario(path: pathlib.Path) -> dict:
    d = YAML(typ="safe").load(path.read_text())
    ext = d.pop("extends", None)
    if ext:
        d = _merge(raw_scenario(path.parent / ext), d)
    return d


def load(name: str = "tiny.yaml", **overrides) -> Scenario:
    """Scenario ``name`` from scenarios/, with nested ``overrides`` merged in (dicts)."""
    d = _merge(raw_scenario(SCENARIOS / name), overrides)
    sc = Scenario.model_validate(d)
    errs = sc.semantic_errors()
    assert not errs, errs
    return sc


def small(**overrides) -> Scenario:
    """The tiny scenario cut down further for fast tests (1 + 2 years)."""
    base = {"run": {"burn_in_years": 1, "horizon_years": 2, "persons_per_agent": 400},
            "employers": {"n_agents": 150}}
    return load("tiny.yaml", **_merge(base, overrides))
