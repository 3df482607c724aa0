"""Regional Education Partnership (seed 000; duplication from seed 002): in-area colleges and
universities coordinate as one tertiary system.

Less duplicate provision: once a year, where several in-area colleges run the same sector and
level, a share of the empty places on under-filled copies moves to the full ones (places are
conserved). Lifelong learning pathways: in-area courses get a progression bonus for learners one
band below. Skills passport: credit is recognised across the region's providers (a completion
bonus on in-area courses) and credentials count with every employer, which raises trust in
learning (a participation shift). Ledger money is GBP at people scale.
"""

from __future__ import annotations

import numpy as np

from ecosim.model.build import largest_remainder
from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import SharedShift, ppa, set_places
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.state import KIND_COLLEGE


class EducationPartnership(Policy):
    """Coordination, pathways and a skills passport (docs/odd.md 8.4)."""

    name = "partnership"
    LEDGER = (
        flow("public_spend_gbp", "public spend (GBP)", payer="public"),
        stock("allocated_gbp", "allocated, run total (GBP)", payer="public"),
        stock("spent_gbp", "running cost, run total (GBP)", payer="public", report="end"),
        stock("carried_forward_gbp", "carried forward / unspent (GBP)", payer="public"),
        flow("places_moved", "places moved from duplicates (persons)", unit="persons"),
        stock("places_moved_total", "places moved from duplicates (persons)", unit="persons",
              report="end"),
    )

    def setup(self, model) -> None:
        st = model.state
        s = self.settings
        self.ppa = ppa(model)
        C, P = st.courses, st.providers
        local = P.in_area[C.provider]
        C.progression_bonus[local] += s.pathway_bonus
        C.completion_bonus[local] += s.passport_completion_bonus
        # the skills passport: credit from units (modules) counts at every provider
        st.funding.credit_transfer = True
        self.shift = SharedShift()
        self.shift.set(model, s.passport_trust)
        self.allocated = 0.0
        self.spent = 0.0
        self.moved_total = 0
        self.q_spend = 0.0
        self.q_moved = 0

    def begin_year(self, model) -> None:
        self.allocated += float(self.settings.running_cost_gbp_per_year)

    def begin_quarter(self, model) -> None:
        self.q_moved = 0
        pay = min(float(self.settings.running_cost_gbp_per_year) / 4.0,
                  self.allocated - self.spent)
        self.q_spend = pay
        self.spent += pay

    def adjust_supply(self, model) -> None:
        if model.quarter % 4 != 0:
            return
        st = model.state
        s = self.settings
        C, P = st.courses, st.providers
        college = (P.kind[C.provider] == KIND_COLLEGE) & P.in_area[C.provider]
        seats = C.seats.astype(np.int64)
        enrolled = C.enrolled.astype(np.int64)
        fill = np.where(seats > 0, enrolled / np.maximum(seats, 1), 1.0)
        key = C.level.astype(np.int64) * 1000 + C.sector.astype(np.int64)
        moved = 0
        for k in np.unique(key[college]):
            grp = np.flatnonzero(college & (key == k))
            if grp.size < 2:
                continue
            full = grp[fill[grp] >= s.full_threshold]
            donors = grp[(fill[grp] < s.full_threshold) & (seats[grp] > 0)]
            if full.size == 0 or donors.size == 0:
                continue
            give = np.floor(s.coordination_rate * (seats[donors] - enrolled[donors])).astype(
                np.int64)
            total = int(give.sum())
            if total == 0:
                continue
            seats[donors] -= give
            seats[full] += largest_remainder(total, seats[full].astype(np.float64) + 1.0)
            moved += total
        set_places(model, slice(None), seats)
        self.q_moved = moved
        self.moved_total += moved

    def ledger(self) -> dict[str, float]:
        return {
            "public_spend_gbp": self.q_spend,
            "allocated_gbp": self.allocated,
            "spent_gbp": self.spent,
            "carried_forward_gbp": self.allocated - self.spent,
            "places_moved": self.q_moved * self.ppa,
            "places_moved_total": self.moved_total * self.ppa,
        }
