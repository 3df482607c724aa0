"""Scenario sections for the supply of learning: colleges, universities and their courses."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ecosim.scenario.schema_learning import ProviderSupplySettings
from ecosim.scenario.schema_levels import LEVEL_KEYS, _Strict


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
