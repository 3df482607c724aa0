"""Business support (the demand side, seed 004): low-road employers receive support that
multiplies their chance of moving up the high-road scale (``employers.support_multiplier``,
read by the upgrading kernel). Each year eligible employers (at or below ``max_high_road``, in
the covered districts and sectors) are supported in a random order keyed on the employer and
the year, as many as the budget pays for at a cost per employee: programmes reach firms across
the economy (Help to Grow: Management, firms of 5-249 employees) rather than the largest first.
Ledger money is GBP at people scale.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import draws, greedy_fit, index_of, ppa
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.rng import EMPLOYER_UID_BASE

K_SUPPORT = 41  # sub-index of the draw that orders eligible employers for support


class BusinessSupport(Policy):
    """Support that raises employers' move up the high-road scale (docs/odd.md 8.6)."""

    name = "business_support"
    LEDGER = (
        flow("public_spend_gbp", "public spend (GBP)", payer="public"),
        stock("allocated_gbp", "allocated, run total (GBP)", payer="public"),
        stock("spent_gbp", "spent, run total (GBP)", payer="public", report="end"),
        stock("carried_forward_gbp", "carried forward / unspent (GBP)", payer="public"),
        stock("supported_employers", "supported employers (agents)", unit="agents",
              report="end"),
    )

    def setup(self, model) -> None:
        sc = model.scenario
        s = self.settings
        self.ppa = ppa(model)
        D, S = sc.n_districts, sc.n_sectors
        self.districts = np.ones(D, np.bool_)
        if s.districts:
            self.districts[:] = False
            self.districts[index_of([d.name for d in sc.region.districts], s.districts,
                                    "district")] = True
        self.sectors = np.ones(S, np.bool_)
        if s.sectors:
            self.sectors[:] = False
            self.sectors[index_of([x.name for x in sc.sectors], s.sectors, "sector")] = True
        self.supported = np.zeros(model.state.employers.n, np.bool_)
        self.cost_q = 0.0
        self.allocated = 0.0
        self.spent = 0.0
        self.q_spend = 0.0

    def begin_year(self, model) -> None:
        E = model.state.employers
        s = self.settings
        self.allocated += float(s.budget_gbp_per_year)
        cand = np.flatnonzero(self.districts[E.district] & self.sectors[E.sector]
                              & (E.high_road <= s.max_high_road) & (E.headcount > 0))
        u = draws(model, EMPLOYER_UID_BASE + cand.astype(np.int64), K_SUPPORT)
        order = cand[np.lexsort((cand, u))]  # in a random order, a new one each year
        cost = E.headcount[order] * self.ppa * s.cost_gbp_per_employee
        take = greedy_fit(cost, s.budget_gbp_per_year)
        keep = order[take]
        E.support_multiplier[self.supported] = 1.0
        self.supported[:] = False
        self.supported[keep] = True
        E.support_multiplier[keep] = s.support_multiplier
        self.cost_q = float(cost[take].sum()) / 4.0

    def begin_quarter(self, model) -> None:
        pay = min(self.cost_q, self.allocated - self.spent)
        self.q_spend = pay
        self.spent += pay

    def ledger(self) -> dict[str, float]:
        return {
            "public_spend_gbp": self.q_spend,
            "allocated_gbp": self.allocated,
            "spent_gbp": self.spent,
            "carried_forward_gbp": self.allocated - self.spent,
            "supported_employers": float(self.supported.sum()),
        }
