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
from pydantic import BaseModel, ConfigDict, Field

from ecosim.scenario.schema_learning import (
    LearningSettings,
    ProviderSupplySettings,
    TrainingSettings,
)
from ecosim.scenario.schema_policies import PolicySettings

LEVEL_KEYS = ("none", "level1", "level2", "level3", "level4_5", "level6_plus")
LEVEL_LABELS = ("none", "L1", "L2", "L3", "L4-5", "L6+")
N_LEVELS = 6
SHARE_TOLERANCE = 1e-3


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _level_field(desc: str, default: float | None = None, ge: float | None = 0.0,
                 le: float | None = 1.0):
    kw = {}
    if ge is not None:
        kw["ge"] = ge
    if le is not None:
        kw["le"] = le
    if default is None:
        return Field(description=desc, **kw)
    return Field(default, description=desc, **kw)


class LevelShares(_Strict):
    """Shares of people (or jobs) in each qualification band; must sum to 1."""

    none: float = _level_field("Share with no qualification or entry level only (0-1).")
    level1: float = _level_field("Share whose highest qualification is Level 1 (0-1).")
    level2: float = _level_field("Share whose highest qualification is Level 2 (0-1).")
    level3: float = _level_field("Share whose highest qualification is Level 3 (0-1).")
    level4_5: float = _level_field("Share at Level 4-5, higher technical (0-1).")
    level6_plus: float = _level_field("Share at Level 6+, degree and above (0-1).")

    def as_array(self) -> np.ndarray:
        """The six shares in band order, as float64."""
        return np.array([getattr(self, k) for k in LEVEL_KEYS], dtype=np.float64)


class LevelRates(_Strict):
    """A rate or probability per qualification band (no sum constraint)."""

    none: float = _level_field("Value for no qualification / entry level (0-1).")
    level1: float = _level_field("Value for Level 1 (0-1).")
    level2: float = _level_field("Value for Level 2 (0-1).")
    level3: float = _level_field("Value for Level 3 (0-1).")
    level4_5: float = _level_field("Value for Level 4-5 (0-1).")
    level6_plus: float = _level_field("Value for Level 6+ (0-1).")

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, k) for k in LEVEL_KEYS], dtype=np.float64)


class LevelPremia(_Strict):
    """Pay relative to Level 2 (proportional; Level 2 is the base, 0)."""

    none: float = _level_field("Pay premium of no qualification vs Level 2 (proportion, e.g. "
                               "-0.2 = 20% less).", -0.20, ge=-0.9, le=5.0)
    level1: float = _level_field("Pay premium of Level 1 vs Level 2 (proportion).", -0.08,
                                 ge=-0.9, le=5.0)
    level2: float = _level_field("Pay premium of Level 2 vs itself (proportion; keep 0).", 0.0,
                                 ge=-0.9, le=5.0)
    level3: float = _level_field("Pay premium of Level 3 vs Level 2 (proportion).", 0.15,
                                 ge=-0.9, le=5.0)
    level4_5: float = _level_field("Pay premium of Level 4-5 vs Level 2 (proportion).", 0.45,
                                   ge=-0.9, le=5.0)
    level6_plus: float = _level_field("Pay premium of Level 6+ vs Level 2 (proportion).", 0.85,
                                      ge=-0.9, le=5.0)

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, k) for k in LEVEL_KEYS], dtype=np.float64)


# --------------------------------------------------------------------------------------- run
class RunSettings(_Strict):
    """How long, how fine and with which seed the model runs."""

    seed: int = Field(20250101, ge=0, le=2**64 - 1,
                      description="Root random seed (unsigned 64-bit integer).")
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


# --------------------------------------------------------------------------------- employers
class EmployerSettings(_Strict):
    """Employer agents: how many, how big, how they train and upgrade."""

    n_agents: int = Field(3000, ge=1, le=1_000_000,
                          description="Number of employer agents (agents).")
    size_pareto_alpha: float = Field(
        1.3, ge=0.5, le=5.0,
        description="Tail index of employer size weights (Pareto; smaller = more concentrated).")
    high_road_beta_a: float = Field(2.0, ge=0.1, le=50.0,
                                    description="Beta distribution a of initial high-road score.")
    high_road_beta_b: float = Field(3.0, ge=0.1, le=50.0,
                                    description="Beta distribution b of initial high-road score.")
    high_road_level_tilt: float = Field(
        0.6, ge=0.0, le=5.0,
        description="How strongly a high-road business model tilts job requirements towards "
        "higher levels (log-odds per level band per unit of high-road score).")
    turnover_rate: float = Field(
        0.04, ge=0.0, le=1.0,
        description="Chance a worker leaves a low-road employer for non-employment (per quarter).")
    turnover_high_road_factor: float = Field(
        0.5, ge=0.0, le=2.0,
        description="Turnover at a fully high-road employer relative to a low-road one (ratio).")
    levy_payroll_threshold_gbp: float = Field(
        3_000_000.0, ge=0.0,
        description="Annual pay bill above which an employer pays training levies (GBP per year).")
    training_base_rate: float = Field(
        0.06, ge=0.0, le=1.0,
        description="Chance a worker at a fully high-road employer with no poaching risk is "
        "trained (per quarter).")
    training_high_road_power: float = Field(
        1.5, ge=0.0, le=5.0,
        description="Elasticity of training with respect to the high-road score (exponent).")
    training_poaching_sensitivity: float = Field(
        0.8, ge=0.0, le=1.0,
        description="How much poaching risk cuts training (0 none, 1 full).")
    training_cost_gbp: float = Field(
        600.0, ge=0.0, description="Employer's cost of training one worker for one quarter (GBP).")
    training_skill_gain: float = Field(
        0.08, ge=0.0, le=1.0,
        description="Share of the remaining skill gap closed by a quarter of employer training.")
    ojt_rate: float = Field(
        0.01, ge=0.0, le=1.0,
        description="Share of the remaining skill gap closed by a quarter of work at a fully "
        "high-road employer (on-the-job learning; half that at a low-road one).")
    skill_decay_unemployed: float = Field(
        0.01, ge=0.0, le=1.0, description="Skill lost per quarter out of work (proportion).")
    upgrade_rate: float = Field(
        0.012, ge=0.0, le=1.0,
        description="Chance an employer with full skill availability moves one step up the "
        "high-road scale (per quarter, before the business-support multiplier). Availability "
        "is the mean of the district's Level 3+ vacancy fill rate and the employer's mean "
        "workforce skill.")
    downgrade_rate: float = Field(
        0.02, ge=0.0, le=1.0,
        description="Chance an employer with no skill availability moves one step down "
        "(per quarter).")
    upgrade_step: float = Field(0.1, ge=0.0, le=1.0,
                                description="Size of one step on the high-road scale (0-1).")
    poaching_full_quit_rate: float = Field(
        0.25, gt=0.0, le=1.0,
        description="Annual rate of job-to-job quits at which an employer sees full poaching "
        "risk (per year).")
    poaching_memory: float = Field(
        0.8, ge=0.0, le=1.0,
        description="Weight on last quarter's poaching risk in the moving average (0-1).")


# ------------------------------------------------------------------------------ labour market
class LabourMarketSettings(_Strict):
    """Job search, matching and wages."""

    employed_search_rate: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Chance an employed worker looks for another job (per quarter).")
    candidates_per_searcher: int = Field(
        8, ge=1, le=100, description="Vacancies a searcher looks at (vacancies per quarter).")
    applications_per_searcher: int = Field(
        3, ge=1, le=50, description="Applications a searcher sends (applications per quarter).")
    matching_rounds: int = Field(2, ge=1, le=10,
                                 description="Application rounds per quarter (rounds).")
    local_search_decay_minutes: float = Field(
        25.0, ge=1.0, le=600.0,
        description="Travel time over which the chance of seeing a vacancy falls by e (minutes).")
    max_commute_minutes: float = Field(
        90.0, ge=0.0, le=600.0, description="Longest commute a searcher accepts (minutes).")
    commute_cost_gbp_per_minute: float = Field(
        60.0, ge=0.0,
        description="Annual money-equivalent cost of each commuting minute, one way (GBP per "
        "minute per year).")
    stretch_application_share: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Share of candidate vacancies seen one band above the searcher's level "
        "(employers reject these; they reveal skill shortages).")
    sector_switch_penalty_gbp: float = Field(
        2000.0, ge=0.0,
        description="Annual pay-equivalent reluctance to change sector (GBP per year).")
    application_noise_gbp: float = Field(
        1500.0, ge=0.0,
        description="Scale of searchers' idiosyncratic taste for a vacancy (Gumbel scale, GBP "
        "per year).")
    job_to_job_margin: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Pay rise an employed searcher needs to move (proportion).")
    sector_skill_transfer: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of sector skill kept when changing sector (0-1).")
    wage_level2_gbp: float = Field(
        23000.0, ge=1000.0, le=500000.0,
        description="Base annual pay of a Level 2 worker at an average employer (GBP per year).")
    level_premia: LevelPremia = Field(
        default_factory=LevelPremia,
        description="Pay premia of each band vs Level 2 built into offers (proportions).")
    high_road_premium: float = Field(
        0.10, ge=0.0, le=2.0,
        description="Extra pay at a fully high-road employer vs a low-road one (proportion).")
    skill_premium: float = Field(
        0.20, ge=0.0, le=2.0,
        description="Extra pay for full vs no sector skill at a fully high-road employer "
        "(proportion; a low-road employer pays 30% of it).")
    deprivation_wage_penalty: float = Field(
        0.10, ge=0.0, le=1.0,
        description="Pay shortfall in a fully deprived district (proportion).")
    wage_isomorphism: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Weight of the local norm (mean pay for the level and sector in the "
        "district) in an employer's offer (0-1).")
    wage_adjust_speed: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Share of the gap to the target wage closed each quarter by stayers (0-1).")
    low_pay_threshold: float = Field(
        0.6667, ge=0.0, le=2.0,
        description="Low pay: below this multiple of the regional median wage (ratio).")
    markup_low_road: float = Field(
        0.35, ge=0.0, le=5.0,
        description="Output per worker above pay at a low-road employer (proportion).")
    markup_high_road: float = Field(
        0.65, ge=0.0, le=5.0,
        description="Output per worker above pay at a high-road employer (proportion).")


# --------------------------------------------------------------------------------- providers
class LevelSeats(_Strict):
    """Concurrent places by the band a completer reaches (persons)."""

    level1: float = Field(0.0, ge=0.0, description="Places on courses to Level 1 / entry "
                          "(persons enrolled at a time).")
    level2: float = Field(0.0, ge=0.0, description="Places on Level 2 courses (persons).")
    level3: float = Field(0.0, ge=0.0, description="Places on Level 3 courses (persons).")
    level4_5: float = Field(0.0, ge=0.0, description="Places on Level 4-5 courses (persons).")
    level6_plus: float = Field(0.0, ge=0.0, description="Places on Level 6+ courses (persons).")

    def as_array(self) -> np.ndarray:
        """Places in band order 0..5 (band 0 has no courses, so 0)."""
        return np.array([0.0, self.level1, self.level2, self.level3, self.level4_5,
                         self.level6_plus])


class Provider(_Strict):
    """A college (FE or other provider) or a university."""

    name: str = Field(min_length=1, description="Provider name (unique across providers).")
    district: str | None = Field(
        None, description="District the provider is in; null for out of area.")
    online: bool = Field(False, description="Whether provision is delivered online.")
    quality: float = Field(0.6, ge=0.0, le=1.0,
                           description="Teaching quality (0-1; raises completion).")
    certified: bool = Field(True, description="Holds the quality certification.")
    seats: LevelSeats = Field(description="Concurrent places by level band (persons).")
    sector_weights: dict[str, float] = Field(
        default_factory=dict,
        description="Relative weight of each sector in the course mix (sector name -> weight "
        ">= 0); sectors not listed get 0; empty = all sectors equally.")


class CourseTerms(_Strict):
    """Price, cost and length of a course to one level band."""

    fee_gbp: float = Field(ge=0.0, description="List price per learner (GBP).")
    delivery_cost_gbp: float = Field(ge=0.0, description="Provider's cost per learner (GBP).")
    duration_quarters: int = Field(ge=1, le=24, description="Length (quarters).")
    glh: float = Field(ge=0.0, description="Guided learning hours per learner (hours).")


class CourseTermsByLevel(_Strict):
    """Course terms for each band a completer can reach."""

    level1: CourseTerms = Field(description="Courses to Level 1 / entry.")
    level2: CourseTerms = Field(description="Courses to Level 2.")
    level3: CourseTerms = Field(description="Courses to Level 3.")
    level4_5: CourseTerms = Field(description="Courses to Level 4-5.")
    level6_plus: CourseTerms = Field(description="Courses to Level 6+ (degrees).")

    def for_band(self, band: int) -> CourseTerms:
        return getattr(self, LEVEL_KEYS[band])


class ProviderSettings(_Strict):
    """Colleges, universities and the terms of their courses."""

    colleges: list[Provider] = Field(default_factory=list,
                                     description="Further-education colleges and providers.")
    universities: list[Provider] = Field(default_factory=list, description="Universities.")
    course_terms: CourseTermsByLevel = Field(
        description="Fee, delivery cost, duration and hours by level band.")
    supply: ProviderSupplySettings = Field(
        default_factory=ProviderSupplySettings,
        description="How providers adjust their course mix towards funded and filled courses.")


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
    import difflib

    m = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean '{m[0]}'?)" if m else ""


ProviderKind = Literal["college", "university"]
