"""Which runs a validation needs: each fact's measure names scenario runs; identical runs
(same scenario file, overrides and seed) are run once and shared between facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecosim.validation.facts import Catalogue, Correlation, Fact, Paired, Runs

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


@dataclass(frozen=True)
class RunKey:
    """One model run: a scenario file, its overrides in order, and a replication seed."""

    scenario: str
    overrides: tuple[str, ...]
    seed: int


def scenario_path(name: str, root: Path = SCENARIOS) -> Path:
    return (root / name).resolve()


def _expand(path: str, value: float, scenario: Path, overrides: tuple[str, ...]) -> list[str]:
    """``a.*.b=v`` -> one override per item of the list at ``a`` in the resolved scenario."""
    if "*" not in path:
        return [f"{path}={value}"]
    from ecosim.scenario import load_scenario

    head, _, tail = path.partition(".*.")
    data: Any = load_scenario(scenario, list(overrides)).model_dump()
    for part in head.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return [f"{head}.{i}.{tail}={value}" for i in range(len(data))]


def run_groups(fact: Fact, mode_set: list[str], root: Path = SCENARIOS
               ) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The fact's named groups of runs: ``{"runs": [(file, overrides)], "baseline": [...]}``;
    a correlation has one entry per varied value in ``"runs"``."""
    m = fact.measure
    if m is None:
        return {}

    def one(r: Runs) -> tuple[str, tuple[str, ...]]:
        return str(scenario_path(r.scenario, root)), tuple(mode_set) + tuple(r.set)

    groups = {"runs": [one(m.runs)]}
    if isinstance(m, Paired):
        groups["baseline"] = [one(m.baseline)]
    if isinstance(m, Correlation):
        file, ov = one(m.runs)
        groups["runs"] = [(file, ov + tuple(_expand(m.vary, v, Path(file), ov)))
                          for v in m.values]
    return groups


def plan(catalogue: Catalogue, facts: list[Fact], mode: str, root: Path = SCENARIOS
         ) -> tuple[dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]], list[int]]:
    """(groups of runs per fact id, replication seeds shared by every scenario)."""
    from ecosim.model.rng import replication_seeds

    spec = catalogue.modes[mode]
    seeds = [int(s) for s in replication_seeds(catalogue.root_seed, spec.replications)]
    return {f.id: run_groups(f, spec.set, root) for f in facts}, seeds


def unique_runs(groups: dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]],
                seeds: list[int]) -> list[RunKey]:
    """Every distinct run, in a stable order (first use first)."""
    out: dict[RunKey, None] = {}
    for per_fact in groups.values():
        for runs in per_fact.values():
            for file, ov in runs:
                for s in seeds:
                    out.setdefault(RunKey(file, ov, s), None)
    return list(out)
