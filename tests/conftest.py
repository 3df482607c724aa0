"""Shared fixtures: small pydantic models for loader tests, a fake ``simulate``, file writer."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


class Toy(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Aeb(Toy):
    mode: str = Field("centralised", description="centralised or devolved")
    budget: float = Field(1.0e6, ge=0, description="Budget (GBP per year).")
    priority_share: float = Field(0.0, ge=0, le=1, description="Share to priority sectors.")


class Policies(Toy):
    aeb: Aeb | None = None
    guidance: float = Field(0.5, ge=0, le=1)


class District(Toy):
    name: str
    population: int = Field(ge=0)
    tags: list[str] = Field(default_factory=list)


class ToyScenario(Toy):
    name: str
    description: str = ""
    seed: int = Field(1, ge=0)
    districts: list[District] = Field(min_length=1)
    policies: Policies = Field(default_factory=Policies)
    weights: dict[str, float] = Field(default_factory=dict)

    def semantic_errors(self) -> list[tuple[tuple[str | int, ...], str]]:
        names = [d.name for d in self.districts]
        return [(("weights", k), f"unknown district '{k}'") for k in self.weights
                if k not in names]


@pytest.fixture
def write(tmp_path):
    """``write("a.yaml", text)`` -> path of a dedented file in ``tmp_path``."""

    def _write(name: str, text: str | bytes) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text).lstrip("\n"))
        return p

    return _write


def fake_frame(scenario, seed: int, progress=None, districts=("A", "B")):
    """A frame shaped like ``ecosim.model.simulate``'s output (no model run)."""
    import pandas as pd

    burn, horizon = 4 * scenario.run.burn_in_years, 4 * scenario.run.horizon_years
    if progress is not None:
        progress(burn)
    rows = []
    for q in range(1, horizon + 1):
        for area in ("region", *districts):
            rows.append({"quarter": q, "year": scenario.run.start_year + (q - 1) / 4,
                         "area": area, "share_level3_plus": 0.5 + (seed % 1000) / 1e5 + q / 1e3,
                         "employment_rate": 0.7, "public_spend_gbp": 1e6 * q})
        if progress is not None:
            progress(1)
    return pd.DataFrame(rows)


@pytest.fixture
def fake_simulate(monkeypatch):
    """Replace the model in ``ecosim.api.run`` by ``fake_frame``; returns the call log."""
    import ecosim.api

    calls: list[int] = []

    def fake(scn, seed, progress=None):
        calls.append(seed)
        return fake_frame(scn, seed, progress)

    monkeypatch.setattr(ecosim.api, "_simulate", fake)
    return calls
