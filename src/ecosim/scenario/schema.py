"""The scenario schema: one validated object holds every input of a run.

Pydantic v2 models; every model forbids unknown keys and every field says what it is, its units
and its range. ``Scenario.semantic_errors()`` adds the cross-field checks (names that must match,
shares that must sum to one, a square travel matrix) as ``(key path, message)`` pairs that the
loader maps to YAML lines.

Qualification bands (RQF) are numbered 0 none/entry, 1 Level 1, 2 Level 2, 3 Level 3,
4 Level 4-5 (higher technical), 5 Level 6+ (degree and above).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from ecosim.errors import did_you_mean
from ecosim.scenario.schema_economy import EmployerSettings, LabourMarketSettings
from ecosim.scenario.schema_learning import LearningSettings, TrainingSettings
from ecosim.scenario.schema_levels import (  # noqa: F401  (re-exported: the bands' names)
    LEVEL_KEYS,
    LEVEL_LABELS,
    N_LEVELS,
    SHARE_TOLERANCE,
    LevelPremia,
    LevelRates,
    LevelShares,
    _level_field,
    _Strict,
)
from ecosim.scenario.schema_policies import PolicySettings
from ecosim.scenario.schema_providers import (  # noqa: F401  (re-exported)
    CourseTerms,
    CourseTermsByLevel,
    LevelSeats,
    Provider,
    ProviderSettings,
)


# --------------------------------------------------------------------------------------- run
class RunSettings(_Strict):
    """How long, how fine and with which seed the model runs."""

    seed: int = Field(20250101, ge=0, le=2**63 - 1,
                      description="Root random seed (0 to 2^63 - 1).")
    burn_in_years: int = Field(2, ge=0, le=20,
                               description="Years simulated before reporting starts (years).")
    horizon_years: int = Field(10, ge=1, le=60, description="Reported years (years).")
    persons_per_agent: float = Field(
        10.0, ge=1.0, le=100000.0,
        description="People each learner agent stands for (persons per agent); reported counts "
        "are multiplied by it.")
    start_year: float = Field(2025.0, ge=1900, le=2200,
                              description="Calendar year of the first reported quarter (year).")


# ------------------------------------------------------------------------------------ region
class District(_Strict):
    """A local authority district."""

    name: str = Field(min_length=1, description="District name (unique).")
    working_age_population: int = Field(
        ge=0, le=50_000_000, description="Residents aged 16-64 (persons).")
    deprivation: float = Field(
        ge=0.0, le=1.0,
        description="Deprivation index: share of the district's neighbourhoods (LSOAs) in "
        "England's most deprived 20% (0-1).")
    level_mix: LevelShares = Field(
        description="Highest qualification of working-age residents (shares summing to 1).")
    school_leaver_level_mix: LevelShares = Field(
        description="Highest qualification of young people entering the adult population "
        "(shares summing to 1).")
    employment_rate: float = Field(
        0.72, ge=0.0, le=1.0,
        description="Initial employment rate of residents aged 16-64 (employed / population).")
    tile: tuple[int, int] | None = Field(
        None,
        description="Position of the district's square on the region's tile map, as [row, "
        "column] from the top left (0-based grid cells; rows run north to south, columns west "
        "to east). Only figures use it; if any district has none, all are laid out in list "
        "order on a near-square grid.")

    @field_validator("tile")
    @classmethod
    def _tile_in_range(cls, v: tuple[int, int] | None) -> tuple[int, int] | None:
        if v is not None and not all(0 <= x <= 99 for x in v):
            raise ValueError("tile row and column must be between 0 and 99")
        return v


class Region(_Strict):
    """The region: districts and how long it takes to travel between them."""

    name: str = Field("region", min_length=1, description="Region name.")
    districts: list[District] = Field(min_length=1, description="Districts of the region.")
    travel_minutes: list[list[float]] = Field(
        description="Travel time between district centres by public transport (minutes), "
        "row = origin, column = destination, in the order of `districts`; diagonal = typical "
        "within-district trip.")
    online_travel_minutes: float = Field(
        10.0, ge=0.0, le=300.0,
        description="Travel-time equivalent of an online course (minutes).")
    out_of_area_travel_minutes: float = Field(
        90.0, ge=0.0, le=600.0,
        description="Travel time to a provider outside the region that is not online (minutes).")

    def district_index(self) -> dict[str, int]:
        return {d.name: i for i, d in enumerate(self.districts)}


# ----------------------------------------------------------------------------------- sectors
class Sector(_Strict):
    """An industry sector."""

    name: str = Field(min_length=1, description="Sector name (unique).")
    employment_share: float = Field(ge=0.0, le=1.0,
                                    description="Share of regional employment (0-1).")
    annual_growth: float = Field(
        ge=-0.2, le=0.3, description="Growth of the sector's jobs (proportion per year).")
    level_mix: LevelShares = Field(
        description="Minimum qualification band required by the sector's jobs (shares).")
    wage_index: float = Field(
        1.0, ge=0.3, le=3.0,
        description="Sector pay relative to the regional average for the same level (ratio).")
    priority: bool = Field(False, description="Whether the sector is a regional priority.")


# ---------------------------------------------------------------------------------- learners
class AgeBandRates(_Strict):
    """A value per age band."""

    age_16_24: float = Field(ge=0.0, le=1.0, description="Value for ages 16-24 (0-1).")
    age_25_49: float = Field(ge=0.0, le=1.0, description="Value for ages 25-49 (0-1).")
    age_50_64: float = Field(ge=0.0, le=1.0, description="Value for ages 50-64 (0-1).")
    age_65_66: float = Field(ge=0.0, le=1.0, description="Value for ages 65-66 (0-1).")

    def as_array(self) -> np.ndarray:
        return np.array([self.age_16_24, self.age_25_49, self.age_50_64, self.age_65_66])


class LearnerSettings(_Strict):
    """Learner demography and behaviour (the learning decisions are in `training`)."""

    retirement_age: float = Field(67.0, ge=55.0, le=80.0,
                                  description="Age at which residents leave (years).")
    min_age: float = Field(16.0, ge=14.0, le=20.0, description="Youngest resident age (years).")
    school_leaver_share_per_year: float = Field(
        0.0195, ge=0.0, le=0.1,
        description="Young people entering the adult population each year, as a share of each "
        "district's working-age population (per year).")
    school_leaver_age_max: float = Field(
        21.0, ge=16.0, le=30.0,
        description="Entrants' ages are spread evenly between min_age and this (years).")
    inactivity_share: AgeBandRates = Field(
        default_factory=lambda: AgeBandRates(age_16_24=0.38, age_25_49=0.15, age_50_64=0.27,
                                             age_65_66=0.75),
        description="Long-run share economically inactive by age band (0-1).")
    inactivity_exit_rate: float = Field(
        0.06, ge=0.0, le=1.0,
        description="Chance an inactive resident starts looking for work (per quarter).")
    unemployment_rate: float = Field(
        0.045, ge=0.0, le=0.5,
        description="Initial unemployed / economically active (0-1).")
    employment_by_level: LevelRates = Field(
        default_factory=lambda: LevelRates(none=0.48, level1=0.62, level2=0.70, level3=0.74,
                                           level4_5=0.80, level6_plus=0.86),
        description="Relative employment rate by qualification band (0-1), used to spread the "
        "district employment rate across bands at initialisation.")
    motivation_sd: float = Field(1.0, ge=0.0, le=5.0,
                                 description="Spread of taste for learning (standard deviations).")
    barrier_care_mean: float = Field(0.15, ge=0.0, le=1.0,
                                     description="Mean caring barrier (0-1).")
    barrier_transport_mean: float = Field(0.15, ge=0.0, le=1.0,
                                          description="Mean transport barrier (0-1).")
    graduate_out_migration_rate: float = Field(
        0.06, ge=0.0, le=1.0,
        description="Chance a young graduate (Level 6+, under 30) without a graduate job leaves "
        "when graduate jobs are fully scarce (per quarter).")
    graduate_out_migration_base: float = Field(
        0.01, ge=0.0, le=1.0,
        description="Chance a young graduate leaves regardless of local jobs (per quarter).")
    in_migration_fill_share: float = Field(
        0.3, ge=0.0, le=1.0,
        description="Share of last quarter's unfilled Level 4+ vacancies filled by people moving "
        "into the region (per quarter).")
    school_leaver_skill: tuple[float, float] = Field(
        (0.05, 0.4),
        description="Range [low, high] of a school leaver's starting sector skill (0-1 scale; "
        "assumption: little work experience).")
    in_migrant_age: tuple[float, float] = Field(
        (22.0, 35.0),
        description="Range [youngest, oldest] of in-migrants' ages (years; assumption: "
        "graduates moving for Level 4+ work).")
    in_migrant_skill: tuple[float, float] = Field(
        (0.4, 0.9),
        description="Range [low, high] of an in-migrant's sector skill (0-1 scale; "
        "assumption: experienced in the post's sector).")
    skill_experience_years: float = Field(
        30.0, gt=0.0, le=60.0,
        description="Years above the youngest age of their group over which a new resident's "
        "experience reaches its full weight in their starting sector skill (years; "
        "assumption: about a working life to mid-career).")
    skill_experience_weight: float = Field(
        0.4, ge=0.0, le=1.0,
        description="Share of a new resident's starting sector skill, within its range, set by "
        "experience (age); the rest is a uniform draw (0-1; assumption).")


# ---------------------------------------------------------------------------------- scenario
class Scenario(_Strict):
    """A complete, validated scenario."""

    name: str = Field(min_length=1, description="Scenario name.")
    description: str = Field("", description="What the scenario represents.")
    run: RunSettings = Field(default_factory=RunSettings, description="Run length and seed.")
    region: Region = Field(description="Districts and travel times.")
    sectors: list[Sector] = Field(min_length=1, description="Industry sectors.")
    learners: LearnerSettings = Field(default_factory=LearnerSettings,
                                      description="Learner demography and behaviour.")
    employers: EmployerSettings = Field(default_factory=EmployerSettings,
                                        description="Employer agents.")
    labour_market: LabourMarketSettings = Field(default_factory=LabourMarketSettings,
                                                description="Job search, matching and wages.")
    providers: ProviderSettings = Field(description="Colleges and universities.")
    training: TrainingSettings = Field(default_factory=TrainingSettings,
                                       description="Learners' training decisions.")
    learning: LearningSettings = Field(default_factory=LearningSettings,
                                       description="Learning progress and completion.")
    policies: PolicySettings = Field(default_factory=PolicySettings,
                                     description="Policy levers (each optional).")

    # ----------------------------------------------------------------------- cross-field
    def semantic_errors(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Problems no single field can see, as (key path, message)."""
        errs: list[tuple[tuple[str | int, ...], str]] = []
        names = [d.name for d in self.region.districts]
        for i, n in enumerate(names):
            if n in names[:i]:
                errs.append((("region", "districts", i, "name"), f"duplicate district '{n}'"))
        n = len(names)
        tm = self.region.travel_minutes
        if len(tm) != n:
            errs.append((("region", "travel_minutes"),
                         f"travel matrix has {len(tm)} rows but there are {n} districts"))
        for i, row in enumerate(tm):
            if len(row) != n:
                errs.append((("region", "travel_minutes", i),
                             f"row {i} has {len(row)} entries, expected {n}"))
            for j, v in enumerate(row):
                if v < 0:
                    errs.append((("region", "travel_minutes", i, j),
                                 "travel time must be >= 0"))
        tiles: dict[tuple[int, int], str] = {}
        for i, d in enumerate(self.region.districts):
            if d.tile is not None:
                if tuple(d.tile) in tiles:
                    errs.append((("region", "districts", i, "tile"),
                                 f"tile {list(d.tile)} is also '{tiles[tuple(d.tile)]}'s"))
                tiles.setdefault(tuple(d.tile), d.name)
        for i, d in enumerate(self.region.districts):
            for key in ("level_mix", "school_leaver_level_mix"):
                s = float(getattr(d, key).as_array().sum())
                if abs(s - 1.0) > SHARE_TOLERANCE:
                    errs.append((("region", "districts", i, key),
                                 f"shares sum to {s:.4f}, expected 1"))
        snames = [s.name for s in self.sectors]
        for i, nm in enumerate(snames):
            if nm in snames[:i]:
                errs.append((("sectors", i, "name"), f"duplicate sector '{nm}'"))
        tot = sum(s.employment_share for s in self.sectors)
        if abs(tot - 1.0) > SHARE_TOLERANCE:
            errs.append((("sectors",), f"employment shares sum to {tot:.4f}, expected 1"))
        for i, s in enumerate(self.sectors):
            t = float(s.level_mix.as_array().sum())
            if abs(t - 1.0) > SHARE_TOLERANCE:
                errs.append((("sectors", i, "level_mix"), f"shares sum to {t:.4f}, expected 1"))
        pnames: list[str] = []
        for kind in ("colleges", "universities"):
            for i, p in enumerate(getattr(self.providers, kind)):
                if p.name in pnames:
                    errs.append((("providers", kind, i, "name"),
                                 f"duplicate provider '{p.name}'"))
                pnames.append(p.name)
                if p.district is not None and p.district not in names:
                    errs.append((("providers", kind, i, "district"),
                                 f"unknown district '{p.district}'"
                                 + _closest(p.district, names)))
                for sname, w in p.sector_weights.items():
                    if sname not in snames:
                        errs.append((("providers", kind, i, "sector_weights", sname),
                                     f"unknown sector '{sname}'" + _closest(sname, snames)))
                    if w < 0:
                        errs.append((("providers", kind, i, "sector_weights", sname),
                                     "weight must be >= 0"))
        if self.learners.school_leaver_age_max < self.learners.min_age:
            errs.append((("learners", "school_leaver_age_max"), "must be >= learners.min_age"))
        lr = self.learners
        for key, lo, hi in (("school_leaver_skill", 0.0, 1.0), ("in_migrant_skill", 0.0, 1.0),
                            ("in_migrant_age", lr.min_age, lr.retirement_age)):
            a, b = getattr(lr, key)
            if not lo <= a <= b <= hi:
                errs.append((("learners", key),
                             f"needs {lo:g} <= low <= high <= {hi:g} (got [{a:g}, {b:g}])"))
        if self.learners.retirement_age <= self.learners.school_leaver_age_max:
            errs.append((("learners", "retirement_age"),
                         "must exceed learners.school_leaver_age_max"))
        if self.labour_market.applications_per_searcher > \
                self.labour_market.candidates_per_searcher:
            errs.append((("labour_market", "applications_per_searcher"),
                         "cannot exceed candidates_per_searcher"))
        errs.extend(self.policies.semantic_errors(self))
        return errs

    # ----------------------------------------------------------------------- helpers
    @property
    def n_districts(self) -> int:
        return len(self.region.districts)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    def quarters(self) -> tuple[int, int]:
        """(burn-in quarters, reported quarters)."""
        return 4 * self.run.burn_in_years, 4 * self.run.horizon_years


def _closest(word: str, options: list[str]) -> str:
    return did_you_mean(word, options)


ProviderKind = Literal["college", "university"]
