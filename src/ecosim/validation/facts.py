"""The fact catalogue: pydantic models for ``facts.yaml`` and its loader.

A fact has an id, a sentence, a source, a ``kind`` (``calibrated`` or ``held_out``), a target
range in the source's units with the rule that set its tolerance, and a ``measure`` that says
which scenario runs and which metrics give the model's value. ``known_gap`` marks a fact the
model cannot express yet; it is reported as "not reproduced" without failing the exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FACTS_FILE = Path(__file__).with_name("facts.yaml")

Kind = Literal["calibrated", "held_out"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Runs(_Strict):
    """One set of runs: a scenario file (relative to ``scenarios/``) with ``--set`` overrides."""

    scenario: str = Field(description="Scenario file name in scenarios/.")
    set: list[str] = Field(default_factory=list, description="--set overrides (key.path=value).")


class _MeasureBase(_Strict):
    metric: str = Field(description="A metric column, or an expression over columns "
                        "(pandas.eval), evaluated on the year's aggregated region row.")
    how: Literal["mean", "sum"] = Field("mean", description="How quarters of a year aggregate: "
                                        "mean for stocks and rates, sum for flows.")
    year: Literal["first", "last"] = Field("last", description="Which reported year.")
    scale: float = Field(1.0, description="Multiply the value by this (100 for percent).")
    area: str = Field("region", description="Area row of the metrics frame.")


class Level(_MeasureBase):
    """The metric's value in one year of one set of runs, per replication."""

    type: Literal["level"]
    runs: Runs


class Drift(_MeasureBase):
    """Least-squares slope of annual values over reported years ``years`` (per year)."""

    type: Literal["drift"]
    runs: Runs
    years: tuple[int, int] | None = Field(None, description="First and last reported year "
                                          "(1-based, inclusive); default all.")


class Paired(_MeasureBase):
    """Policy runs against baseline runs with the same seeds: ratio or difference."""

    type: Literal["paired"]
    runs: Runs
    baseline: Runs
    baseline_metric: str | None = Field(None, description="Metric on the baseline side if "
                                        "different from ``metric``.")
    compare: Literal["ratio", "difference", "percent_change"]


class Correlation(_MeasureBase):
    """Pearson correlation across runs that vary one path: ``metric`` against ``metric2``."""

    type: Literal["correlation"]
    runs: Runs
    vary: str = Field(description="Dotted path to vary; '*' stands for every item of a list.")
    values: list[float] = Field(min_length=3)
    metric2: str


Measure = Annotated[Level | Drift | Paired | Correlation, Field(discriminator="type")]


class Fact(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fact: str
    source: str
    kind: Kind
    calibrated_by: list[str] = Field(default_factory=list, description="Parameters set from this "
                                     "fact (dotted paths); required for calibrated facts.")
    units: str
    target: tuple[float | None, float | None] = Field(description="[low, high]; null = open.")
    tolerance: str = Field(description="Where the target's width comes from.")
    definition: str | None = Field(
        None, description="How the model's measure maps onto the source's definition, where "
        "the two are not the same quantity by name.")
    judge: Literal["mean", "interval"] = Field(
        "mean", description="mean: the mean over replications lies in the target; interval: "
        "the whole 90% interval does (for facts that are a direction).")
    measure: Measure | None = None
    known_gap: str | None = Field(None, description="Why the model cannot produce this fact "
                                  "yet (reported as not reproduced, not counted as a failure).")

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.kind == "calibrated" and not self.calibrated_by:
            raise ValueError(f"{self.id}: a calibrated fact names the parameters set from it")
        if self.kind == "held_out" and self.calibrated_by:
            raise ValueError(f"{self.id}: a held-out fact cannot name calibrated parameters")
        if self.measure is None and self.known_gap is None:
            raise ValueError(f"{self.id}: needs a measure or a known_gap")
        lo, hi = self.target
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"{self.id}: target low {lo} > high {hi}")
        return self


class Mode(_Strict):
    replications: int = Field(ge=1)
    set: list[str] = Field(default_factory=list)


class Catalogue(_Strict):
    root_seed: int = Field(ge=0)
    modes: dict[Literal["quick", "full"], Mode]
    facts: list[Fact] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        ids = [f.id for f in self.facts]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate fact ids: {', '.join(dup)}")
        return self

    def by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}


def load_facts(path: str | Path = FACTS_FILE) -> Catalogue:
    """Read and validate the fact catalogue (errors name the file, line and key)."""
    from ecosim.scenario.loader import load_model_file

    return load_model_file(path, Catalogue)
