# MINIMAL PLACEHOLDER written by the model-core engineer so that schema.py imports.
# The learning-kernels engineer OWNS this file: replace it wholesale with the real settings for
# training decisions, course allocation, learning progress and provider supply. schema.py only
# needs the three class names below to exist and to be constructible with no arguments.
"""Learning-side scenario sections: training decisions, learning progress, provider supply."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class TrainingSettings(BaseModel):
    """Learners' training decisions (placeholder: owned by the learning engineer)."""

    model_config = ConfigDict(extra="forbid")


class LearningSettings(BaseModel):
    """Learning progress and completion (placeholder: owned by the learning engineer)."""

    model_config = ConfigDict(extra="forbid")


class ProviderSupplySettings(BaseModel):
    """Provider course-mix adjustment (placeholder: owned by the learning engineer)."""

    model_config = ConfigDict(extra="forbid")
