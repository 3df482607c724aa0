"""``validate()``: plan the runs the facts need, run them once each, measure and judge every
fact, and return the table (one row per fact)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ecosim.errors import InputError, did_you_mean
from ecosim.validation import checks, measures
from ecosim.validation.facts import (
    FACTS_FILE,
    Catalogue,
    Correlation,
    Drift,
    Fact,
    Level,
    Paired,
    load_facts,
)
from ecosim.validation.plan import SCENARIOS, RunKey, plan, unique_runs

#: the columns of validation.csv, in order
CSV_COLUMNS = ["id", "fact", "source", "kind", "target_low", "target_high", "measured",
               "ci_low", "ci_high", "status"]


def select(catalogue: Catalogue, only: list[str] | None) -> list[Fact]:
    """The facts named by ``only`` (all if None); an unknown id is an ``InputError``."""
    if not only:
        return list(catalogue.facts)
    by_id = catalogue.by_id()
    unknown = [i for i in only if i not in by_id]
    if unknown:
        hints = [f"'{i}'{did_you_mean(i, by_id)}" for i in unknown]
        raise InputError(f"--only: unknown fact id {', '.join(hints)}; "
                         f"`ecosim validate --list` shows them")
    return [by_id[i] for i in only]


def measure_fact(fact: Fact, groups: dict[str, list[tuple[str, tuple[str, ...]]]],
                 seeds: list[int], frames: dict[RunKey, pd.DataFrame]) -> np.ndarray:
    """Per-replication values of one fact from the finished runs' frames."""
    m = fact.measure

    def get(file_ov: tuple[str, tuple[str, ...]]) -> list[pd.DataFrame]:
        file, ov = file_ov
        return [frames[RunKey(file, ov, s)] for s in seeds]

    kw = {"how": m.how, "area": m.area}
    if isinstance(m, Level):
        return measures.level(get(groups["runs"][0]), m.metric, m.year, scale=m.scale, **kw)
    if isinstance(m, Drift):
        return measures.drift(get(groups["runs"][0]), m.metric, m.years, scale=m.scale, **kw)
    if isinstance(m, Paired):
        return measures.paired(get(groups["runs"][0]), get(groups["baseline"][0]), m.metric,
                               m.compare, m.baseline_metric, m.year, scale=m.scale, **kw)
    if isinstance(m, Correlation):
        return measures.correlation([get(g) for g in groups["runs"]], m.metric, m.metric2,
                                    m.year, **kw)
    raise TypeError(type(m))


def validate(quick: bool = False, only: list[str] | None = None, workers: int | None = None,
             progress: bool = True, facts_file: str | Path = FACTS_FILE,
             scenarios: Path = SCENARIOS) -> pd.DataFrame:
    """Run the validation and return its table (``CSV_COLUMNS`` plus units, tolerance,
    reason, calibrated_by, replications)."""
    from ecosim.validation.execute import run_all, usable_cores

    catalogue = load_facts(facts_file)
    facts = select(catalogue, only)
    mode = "quick" if quick else "full"
    groups, seeds = plan(catalogue, facts, mode, scenarios)
    keys = unique_runs(groups, seeds)
    n_workers = min(workers or usable_cores(), max(1, len(keys)))
    frames, errors = run_all(keys, workers=n_workers, progress=progress)
    rows = []
    for f in facts:
        needed = {RunKey(file, ov, s) for runs in groups[f.id].values() for file, ov in runs
                  for s in seeds}
        failed = sorted(errors[k] for k in needed if k in errors)
        if not failed:
            values = (np.zeros(0) if f.measure is None
                      else measure_fact(f, groups[f.id], seeds, frames))
            out = checks.judge(values, f.target, f.judge, f.known_gap)
        elif f.known_gap is not None:
            out = checks.judge(np.zeros(0), f.target, f.judge, f.known_gap)
        else:
            out = checks.Outcome(math.nan, math.nan, math.nan, 0, checks.NOT_REPRODUCED,
                                 f"a run failed: {failed[0]}")
        lo, hi = f.target
        rows.append({
            "id": f.id, "fact": f.fact, "source": f.source, "kind": f.kind,
            "target_low": math.nan if lo is None else lo,
            "target_high": math.nan if hi is None else hi,
            "measured": out.measured, "ci_low": out.ci_low, "ci_high": out.ci_high,
            "status": out.status, "units": f.units, "judge": f.judge,
            "tolerance": f.tolerance, "reason": out.reason,
            "calibrated_by": "; ".join(f.calibrated_by), "replications": out.n,
            "known_gap": f.known_gap is not None,
        })
    table = pd.DataFrame(rows)
    table.attrs.update({"mode": mode, "seeds": seeds, "runs": len(keys),
                        "set": catalogue.modes[mode].set})
    return table


def failed(table: pd.DataFrame) -> int:
    """How many facts make the exit code 1 (failures, and not-reproduced facts that are not
    declared known gaps)."""
    return int(sum(checks.counts_as_failure(s, "gap" if g else None)
                   for s, g in zip(table["status"], table["known_gap"], strict=True)))
