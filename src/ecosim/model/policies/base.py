"""The policy plug-in interface: a policy is a small object with the hooks it needs.

The model calls every hook of every active policy, in the order of ``model.policies``, at fixed
points of the quarterly step (see docs/architecture.md). Hooks act on ``model.state`` (arrays)
and ``model.state.funding``; a policy must draw random numbers only through ``ecosim.model.rng``
with ``Purpose.POLICY`` (or a purpose it adds).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Policy:
    """Base class: every hook is a no-op. Subclasses override what they need."""

    #: short name used as the prefix of ledger columns in the metrics (e.g. "aeb")
    name: str = "policy"

    def __init__(self, settings: Any = None):
        self.settings = settings

    def setup(self, model) -> None:
        """Once, after the initial state is built and before the first step."""

    def begin_year(self, model) -> None:
        """At the start of quarters 1, 5, 9, ... (before ``begin_quarter``): budgets, credits."""

    def begin_quarter(self, model) -> None:
        """At the start of every quarter: account credits, levies."""

    def price_courses(self, model) -> None:
        """Before learners decide: set ``courses.public_rate``, ``funding.public_eligible``,
        account salience and co-payment."""

    def settle_enrolments(self, model, starters: np.ndarray) -> None:
        """After course allocation: ``starters`` are learner row indices who started a course
        this quarter; funders pay, accounts are debited."""

    def adjust_employers(self, model) -> None:
        """After employer training and upgrading: e.g. set ``employers.support_multiplier``."""

    def adjust_supply(self, model) -> None:
        """After providers adjust their course mix: e.g. commissioning, certification."""

    def end_quarter(self, model) -> None:
        """Last thing in the quarter: carry forward budgets, close the books."""

    def ledger(self) -> dict[str, float]:
        """Money and counts to report this quarter, e.g. ``{"public_spend_gbp": ...}`` (GBP,
        persons). Reported as metric columns ``<name>_<key>`` on the region rows."""
        return {}
