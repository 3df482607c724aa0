"""Policy sections of a scenario (initial version written with the model core).

The policies engineer owns and extends this file: add one optional section per policy module
(aeb, training_accounts, collaboration, partnership, retraining_50_plus, business_support,
policy_churn, ...). A section that is present (not ``None``) and not ``enabled: false`` switches
its policy on; ``ecosim.model.policies.build_policies`` maps section names to policy classes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CareersGuidanceSettings(BaseModel):
    """Careers guidance: how clearly learners see the returns to courses."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(True, description="Whether the careers-guidance policy module is active.")
    quality: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Quality of careers information, 0 (none: returns seen with much noise) to 1 "
        "(perfect: returns seen exactly); dimensionless.",
    )


class PolicySettings(BaseModel):
    """All policy levers; each section is optional and off when absent."""

    model_config = ConfigDict(extra="forbid")

    careers_guidance: CareersGuidanceSettings = Field(
        default_factory=CareersGuidanceSettings,
        description="Careers-guidance quality (always present: there is always some guidance).",
    )
