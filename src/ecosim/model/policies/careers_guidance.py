"""Careers guidance: how clearly learners see the returns to courses (docs/odd.md 7.1, 7.2).

Each quarter, before learners decide, the policy sets ``funding.guidance_quality`` (0..1): the
training decision sees expected gains with noise of ``training.guidance_noise_gbp x (1 -
quality)``, and learning progress adds ``learning.guidance_effect x (quality - 0.5)`` to the
completion logit. With the section's ``enabled: false`` there is no guidance (quality 0). No
money is counted.
"""

from __future__ import annotations

from ecosim.model.policies.base import Policy


class CareersGuidance(Policy):
    """Sets the guidance quality learners decide and study with."""

    name = "careers_guidance"

    def price_courses(self, model) -> None:
        model.state.funding.guidance_quality = float(self.settings.quality)
