"""Scenario section ``policies.apprenticeships``: apprenticeships and the employer levy.

England's arrangement since 2017: employers with an annual pay bill above a threshold pay a levy
into an account they spend on apprenticeship training with a provider; unspent funds expire;
smaller employers (and levy payers whose account is short) are co-funded by the state. The
growth and skills levy lets part of the levy pay for short, non-apprenticeship courses. Sources
for every default are in docs/calibration.md ("Apprenticeships and the levy").
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ecosim.scenario.schema_levels import LEVEL_KEYS
from ecosim.scenario.schema_levels import _Strict as _Section

#: apprenticeship bands: Level 2 (intermediate), 3 (advanced), 4-5 and 6+ (higher, degree)
APPRENTICESHIP_BANDS = (2, 3, 4, 5)


class _PerApprenticeshipBand(_Section):
    """One value per apprenticeship band (Level 2, 3, 4-5, 6+)."""

    def as_array(self, fill: float = 0.0) -> np.ndarray:
        """Six values in qualification-band order (bands 0 and 1 have no apprenticeships and
        get ``fill``)."""
        out = np.full(6, fill, dtype=np.float64)
        for b in APPRENTICESHIP_BANDS:
            out[b] = float(getattr(self, LEVEL_KEYS[b]))
        return out


class ApprenticeshipDurations(_PerApprenticeshipBand):
    """Planned length of an apprenticeship by level (quarters)."""

    level2: int = Field(5, ge=1, le=40, description="Level 2 (intermediate), quarters "
                        "(DfE: planned length about 14-15 months).")
    level3: int = Field(6, ge=1, le=40, description="Level 3 (advanced), quarters (DfE: about "
                        "18-20 months).")
    level4_5: int = Field(8, ge=1, le=40, description="Level 4-5 (higher), quarters (DfE: "
                          "about 24 months).")
    level6_plus: int = Field(14, ge=1, le=40, description="Level 6+ (degree), quarters (DfE: "
                             "degree apprenticeships about 3-4 years).")


class ApprenticeshipPrices(_PerApprenticeshipBand):
    """Training price paid to the provider per apprenticeship start (GBP)."""

    level2: float = Field(6000.0, ge=0.0, le=1e6, description="Level 2 (GBP; assumption "
                          "within the ESFA funding bands, up to GBP 27,000).")
    level3: float = Field(9000.0, ge=0.0, le=1e6, description="Level 3 (GBP; assumption).")
    level4_5: float = Field(12000.0, ge=0.0, le=1e6, description="Level 4-5 (GBP; "
                            "assumption).")
    level6_plus: float = Field(22000.0, ge=0.0, le=1e6, description="Level 6+ (GBP; "
                               "assumption; degree apprenticeships mostly in the top bands).")


class ApprenticeshipRates(_PerApprenticeshipBand):
    """A probability per apprenticeship band."""

    level2: float = Field(0.70, ge=0.0, le=1.0, description="Level 2 (0-1).")
    level3: float = Field(0.72, ge=0.0, le=1.0, description="Level 3 (0-1).")
    level4_5: float = Field(0.74, ge=0.0, le=1.0, description="Level 4-5 (0-1).")
    level6_plus: float = Field(0.80, ge=0.0, le=1.0, description="Level 6+ (0-1).")


class ApprenticeshipAgeLimits(_PerApprenticeshipBand):
    """Oldest age at which an apprenticeship at each level may start (years)."""

    level2: float = Field(99.0, ge=16.0, le=99.0, description="Level 2 (years; 99 = no "
                          "limit, England has none).")
    level3: float = Field(99.0, ge=16.0, le=99.0, description="Level 3 (years).")
    level4_5: float = Field(99.0, ge=16.0, le=99.0, description="Level 4-5 (years).")
    level6_plus: float = Field(99.0, ge=16.0, le=99.0, description="Level 6+ (years; the "
                               "2025 reform funds Level 7 only for under-22s).")


class PriorLevelWeights(_Section):
    """Relative chance of an apprenticeship start by the worker's prior band (multiplier)."""

    none: float = Field(1.0, ge=0.0, le=100.0, description="No qualification (multiplier).")
    level1: float = Field(1.0, ge=0.0, le=100.0, description="Level 1 (multiplier).")
    level2: float = Field(1.0, ge=0.0, le=100.0, description="Level 2 (multiplier).")
    level3: float = Field(1.0, ge=0.0, le=100.0, description="Level 3 (multiplier).")
    level4_5: float = Field(1.0, ge=0.0, le=100.0, description="Level 4-5 (multiplier).")
    level6_plus: float = Field(1.0, ge=0.0, le=100.0, description="Level 6+ (multiplier).")

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, k) for k in LEVEL_KEYS], dtype=np.float64)


class ApprenticeshipSettings(_Section):
    """Apprenticeships and the employer levy (England since 2017; the growth and skills levy)."""

    enabled: bool = Field(True, description="Whether the apprenticeship module is active.")
    # ---- the levy
    levy_rate: float = Field(
        0.005, ge=0.0, le=0.1,
        description="Levy as a share of the pay bill above the threshold (share; HMRC: 0.5%). "
        "HMRC charges 0.5% of the whole pay bill less a GBP 15,000 allowance, which is 0.5% of "
        "the pay bill above GBP 3m.")
    pay_bill_threshold_gbp: float = Field(
        3_000_000.0, ge=0.0, le=1e12,
        description="Annual pay bill above which an employer pays the levy (GBP per year; "
        "HMRC: GBP 3m, the allowance of GBP 15,000 divided by the 0.5% rate).")
    expiry_months: int = Field(
        24, ge=3, le=120,
        description="Months after which unspent levy funds expire (months, in steps of a "
        "quarter; ESFA: 24 months).")
    co_investment_rate: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Employer's share of the price not covered by levy funds; the state pays "
        "the rest (share; ESFA since April 2019: 5%, 10% before).")
    short_course_share: float = Field(
        0.0, ge=0.0, le=1.0,
        description="Share of an employer's levy payments it may spend on short, "
        "non-apprenticeship courses (share; 0 = apprenticeship levy only). The growth and "
        "skills levy opens part of the levy to shorter training.")
    short_course_max_quarters: int = Field(
        2, ge=1, le=8,
        description="Longest course that counts as a short course (quarters; assumption: up "
        "to six months).")
    short_course_preference: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Where levy funds may buy short courses, the share of the employer's "
        "levy-funded training it would rather buy as short courses (share; assumption).")
    short_courses_per_apprenticeship: float = Field(
        3.0, ge=0.0, le=50.0,
        description="Short courses an employer buys instead of one apprenticeship it no "
        "longer starts (count; assumption: less than budget parity, ~GBP 9,000 / ~GBP 1,000).")
    # ---- programme rules
    min_duration_months: int = Field(
        12, ge=0, le=60,
        description="Shortest apprenticeship (months; ESFA funding rules: 12 months until July "
        "2025, 8 from August 2025).")
    duration_quarters: ApprenticeshipDurations = Field(
        default_factory=ApprenticeshipDurations,
        description="Planned length by level (quarters; at least min_duration_months).")
    price_gbp: ApprenticeshipPrices = Field(
        default_factory=ApprenticeshipPrices,
        description="Training price per start by level (GBP).")
    completion_payment_share: float = Field(
        0.2, ge=0.0, le=1.0,
        description="Share of the price paid to the provider on achievement; the rest is "
        "paid in equal quarterly instalments while the apprentice is on programme (share; "
        "ESFA funding rules: 20% completion payment).")
    completion_in_post: ApprenticeshipRates = Field(
        default_factory=ApprenticeshipRates,
        description="Chance an apprentice who keeps the job completes, by level (0-1); "
        "leaving the job ends the apprenticeship too, so achievement rates are lower "
        "(calibrated to DfE achievement rates, about 52-60% by level in 2022/23).")
    max_start_age: ApprenticeshipAgeLimits = Field(
        default_factory=ApprenticeshipAgeLimits,
        description="Age limits by level (years at the start).")
    # ---- employers' choice (extends employer training: absorptive capacity, retention,
    # poaching risk; employers.training_high_road_power and training_poaching_sensitivity)
    base_rate: float = Field(
        0.01, ge=0.0, le=1.0,
        description="Chance a quarter that a fully high-road employer with no poaching risk "
        "and full retention puts a worker of weight 1 on levy or co-funded training "
        "(probability per quarter; calibrated to DfE apprenticeship starts).")
    levy_funds_uplift: float = Field(
        2.0, ge=0.0, le=20.0,
        description="Multiplier on that chance for a levy payer whose account holds a Level 3 "
        "price (ratio; assumption: 'use it or lose it').")
    young_weight: float = Field(
        6.0, ge=0.0, le=100.0,
        description="Relative chance of a worker aged 16-24 against one aged 25+ (ratio; "
        "calibrated to the DfE split of starts by age).")
    prior_level_weight: PriorLevelWeights = Field(
        default_factory=PriorLevelWeights,
        description="Relative chance by the worker's prior qualification (multipliers; "
        "calibrated to DfE starts by level).")
    same_level_share: float = Field(
        0.3, ge=0.0, le=1.0,
        description="Chance an apprenticeship is at the worker's own band (at least Level 2) "
        "rather than the next band up (share; calibrated to DfE starts by level: many "
        "apprentices already hold a qualification at the same level).")
    pay_ratio: float = Field(
        0.85, ge=0.1, le=1.0,
        description="Apprentice pay as a share of what the worker would otherwise be paid "
        "(ratio; assumption informed by the DfE Apprentice Pay Survey).")
