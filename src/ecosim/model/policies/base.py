"""The policy plug-in interface: a policy is a small object with the hooks it needs.

The model calls every hook of every active policy, in the order of ``model.policies``, at fixed
points of the quarterly step (docs/odd.md section 3, docs/architecture.md). Hooks act on
``model.state`` (arrays) and ``model.state.funding``; a policy never looks up another policy:
what one funds, others read from the funding arrays. A policy must draw random numbers only
through ``ecosim.model.rng`` with ``Purpose.POLICY`` (or a purpose it adds).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ecosim.model.policies.ledger import Entry


class Policy:
    """Base class: every hook is a no-op. Subclasses override what they need."""

    #: short name used as the prefix of ledger columns in the metrics (e.g. "aeb")
    name: str = "policy"
    #: what ``ledger()`` reports (``ecosim.model.policies.ledger``)
    LEDGER: tuple[Entry, ...] = ()

    def __init__(self, settings: Any = None):
        self.settings = settings

    def setup(self, model) -> None:
        """Once, after the initial state is built and before the first step."""

    def begin_year(self, model) -> None:
        """At the start of quarters 1, 5, 9, ... (before ``begin_quarter``): budgets, credits."""

    def begin_quarter(self, model) -> None:
        """At the start of every quarter: account credits, levies."""

    def after_demography(self, model) -> None:
        """After residents left and entered (e.g. account balances that left the region)."""

    def fund_learners(self, model) -> None:
        """Before pricing: write who this policy funds into the funding arrays
        (``funding.public_eligible``, ``funding.public_open_band``); read what others wrote."""

    def price_courses(self, model) -> None:
        """Before learners decide: set ``courses.public_rate``, account salience and co-payment,
        ``funding.account_usable``, ``funding.guidance_quality``."""

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
        """This quarter's value of every entry declared in ``LEDGER`` (GBP at people scale,
        persons, ...). Reported as metric columns ``<name>_<key>`` on the region rows."""
        return {}
