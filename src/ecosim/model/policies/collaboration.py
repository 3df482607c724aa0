"""Collaboration funding (seed 004, recommendation iii and the East Midlands box): an earmarked
share of FE and HE funding for joint projects between partner colleges and universities.

Three lines, each a share of the yearly earmark: articulated Level 3 -> 4-5 routes (partners'
Level 4-5 courses get a progression bonus for Level 3 holders and a completion bonus for
recognised credit, and the money buys extra places on them), satellite university provision in
a low-progression district (new Level 4-5 and 6+ course rows taught in that district, places
bought with the money), and joint employer engagement (partner employers in chosen sectors move
up the high-road scale each year). With ``top_slice_core_places`` partners' existing places
shrink by the earmarked share, because the money comes out of their core funding.
Ledger money is GBP at people scale (agent-scale places x persons_per_agent).
"""

from __future__ import annotations

import numpy as np

from ecosim.model.build import largest_remainder
from ecosim.model.policies.base import Policy
from ecosim.model.policies.common import (
    greedy_fit,
    index_of,
    ppa,
    provider_names,
    sector_mask,
)
from ecosim.model.policies.ledger import flow, stock
from ecosim.model.state import KIND_COLLEGE, KIND_UNIVERSITY, WORKING_AGE_END


def place_cost_per_year(model, band: int) -> float:
    """Delivery cost of one place for a year at ``band`` (course terms)."""
    t = model.scenario.providers.course_terms.for_band(band)
    return float(t.delivery_cost_gbp) * 4.0 / max(int(t.duration_quarters), 1)


class CollaborationFunding(Policy):
    """Articulated routes, satellite provision and joint employer engagement (odd.md 8.3)."""

    name = "collaboration"
    LEDGER = (
        flow("routes_spend_gbp", "spend on articulated routes (GBP)", payer="public"),
        flow("satellite_spend_gbp", "spend on satellite provision (GBP)", payer="public"),
        flow("engagement_spend_gbp", "spend on employer engagement (GBP)", payer="public"),
        stock("allocated_gbp", "earmarked, run total (GBP)", payer="public", report="end"),
        stock("spent_gbp", "spent, run total (GBP)", payer="public", report="end"),
        stock("carried_forward_gbp", "carried forward / unspent (GBP)", payer="public"),
        stock("route_places", "articulated-route places (persons)", unit="persons",
              report="end"),
        stock("satellite_places", "satellite places (persons)", unit="persons", report="end"),
        stock("partner_employers", "partner employers (agents)", unit="agents", report="end"),
    )

    def setup(self, model) -> None:
        st = model.state
        s = self.settings
        self.ppa = ppa(model)
        P, C = st.providers, st.courses
        names = provider_names(model)
        self.earmark = float(s.fe_he_funding_gbp_per_year) * float(s.earmark_share)
        if s.partner_colleges:
            cols = index_of(names, s.partner_colleges, "college")
        else:
            cols = np.flatnonzero((P.kind == KIND_COLLEGE) & P.in_area).tolist()
        if s.partner_universities:
            unis = index_of(names, s.partner_universities, "university")
        else:
            unis = np.flatnonzero((P.kind == KIND_UNIVERSITY) & P.in_area).tolist()
        self.partners = np.zeros(P.n, np.bool_)
        self.partners[cols + unis] = True
        if s.top_slice_core_places:
            mine = self.partners[C.provider]
            C.seats[mine] = np.floor(C.seats[mine] * (1.0 - s.earmark_share) + 0.5).astype(
                C.seats.dtype)
        self.route_courses = np.flatnonzero(self.partners[C.provider] & (C.level == 4))
        C.progression_bonus[self.route_courses] += s.route_progression_bonus
        C.completion_bonus[self.route_courses] += s.route_completion_bonus
        # places bought on the routes
        cost4 = place_cost_per_year(model, 4)
        self.route_places = 0
        self.route_cost_q = 0.0
        if self.route_courses.size:
            n = int(np.floor(self.earmark * s.routes_share / cost4 / self.ppa))
            w = C.seats[self.route_courses].astype(np.float64) + 1.0
            extra = largest_remainder(n, w)
            C.seats[self.route_courses] += extra.astype(C.seats.dtype)
            self.route_places = int(extra.sum())
            self.route_cost_q = self.route_places * self.ppa * cost4 / 4.0
        self._satellite(model)
        self.partner_employers = np.zeros(st.employers.n, np.bool_)
        self.engage_cost_q = 0.0
        self.allocated = 0.0
        self.spent = 0.0
        self.pot = 0.0
        self._reset_quarter()

    def _satellite(self, model) -> None:
        st = model.state
        s = self.settings
        sc = model.scenario
        P, C, L = st.providers, st.courses, st.learners
        self.satellite_courses = np.zeros(0, np.int64)
        self.satellite_cost_q = 0.0
        self.satellite_places = 0
        self.satellite_district = -1
        money = self.earmark * s.satellite_share
        if money <= 0:
            return
        dnames = [d.name for d in sc.region.districts]
        if s.satellite_district is not None:
            d = index_of(dnames, s.satellite_district, "district")[0]
        else:
            wa = L.age < WORKING_AGE_END
            n = np.bincount(L.district[wa], minlength=len(dnames)).astype(np.float64)
            hi = np.bincount(L.district[wa & (L.level >= 4)], minlength=len(dnames))
            d = int(np.argmin(np.where(n > 0, hi / np.maximum(n, 1.0), np.inf)))
        names = provider_names(model)
        if s.satellite_university is not None:
            u = index_of(names, s.satellite_university, "university")[0]
        else:
            cand = np.flatnonzero((P.kind == KIND_UNIVERSITY) & P.in_area)
            if cand.size == 0:
                cand = np.flatnonzero(P.kind == KIND_UNIVERSITY)
            if cand.size == 0:
                return
            u = int(cand[np.lexsort((cand, -P.quality[cand]))][0])
        self.satellite_district = d
        sectors = np.flatnonzero(sector_mask(model, s.satellite_sectors))
        terms = sc.providers.course_terms
        rows: dict[str, list] = {k: [] for k in (
            "provider", "sector", "level", "seats", "fee", "delivery_cost", "duration", "glh",
            "online", "account_eligible", "district", "progression_bonus", "completion_bonus")}
        cost_q = 0.0
        for band in (4, 5):
            t = terms.for_band(band)
            cy = place_cost_per_year(model, band)
            share = s.satellite_higher_technical_share if band == 4 else \
                1.0 - s.satellite_higher_technical_share
            n = int(np.floor(money * share / cy / self.ppa))
            per = largest_remainder(n, np.ones(sectors.size))
            for s_i, k in zip(sectors, per, strict=True):
                rows["provider"].append(u)
                rows["sector"].append(s_i)
                rows["level"].append(band)
                rows["seats"].append(int(k))
                rows["fee"].append(t.fee_gbp)
                rows["delivery_cost"].append(t.delivery_cost_gbp)
                rows["duration"].append(t.duration_quarters)
                rows["glh"].append(t.glh)
                rows["online"].append(False)
                rows["account_eligible"].append(bool(P.certified[u]))
                rows["district"].append(d)
                rows["progression_bonus"].append(s.route_progression_bonus)
                rows["completion_bonus"].append(s.route_completion_bonus)
                cost_q += int(k) * self.ppa * cy / 4.0
        m = len(rows["provider"])
        C.append(m, {k: np.asarray(v) for k, v in rows.items()})
        self.satellite_courses = np.arange(C.n - m, C.n)
        self.satellite_cost_q = cost_q
        self.satellite_places = int(np.sum(rows["seats"]))

    def _reset_quarter(self) -> None:
        self.q_spend = 0.0
        self.q_routes = 0.0
        self.q_satellite = 0.0
        self.q_engagement = 0.0

    def _choose_employers(self, model) -> None:
        """Largest employers of the engagement sectors, as many as the money pays for."""
        st = model.state
        s = self.settings
        E = st.employers
        money = self.earmark * s.engagement_share
        sect = sector_mask(model, s.engagement_sectors)
        cand = np.flatnonzero(sect[E.sector] & (E.headcount > 0))
        order = cand[np.lexsort((cand, -E.headcount[cand]))]
        cost = E.headcount[order] * self.ppa * s.engagement_cost_gbp_per_employee
        keep = order[greedy_fit(cost, money)]
        self.partner_employers[:] = False
        self.partner_employers[keep] = True
        self.engage_cost_q = float((E.headcount[keep] * self.ppa).sum()) * \
            s.engagement_cost_gbp_per_employee / 4.0

    # ---- hooks -------------------------------------------------------------------------
    def begin_year(self, model) -> None:
        self.allocated += self.earmark
        self.pot += self.earmark
        self._choose_employers(model)

    def begin_quarter(self, model) -> None:
        self._reset_quarter()
        for line, cost in (("q_routes", self.route_cost_q), ("q_satellite",
                                                            self.satellite_cost_q),
                           ("q_engagement", self.engage_cost_q)):
            pay = min(cost, max(self.pot, 0.0))
            self.pot -= pay
            self.spent += pay
            self.q_spend += pay
            setattr(self, line, pay)

    def adjust_employers(self, model) -> None:
        E = model.state.employers
        p = self.partner_employers
        if p.any():
            E.high_road[p] = np.minimum(1.0, E.high_road[p] +
                                        self.settings.absorptive_gain_per_year / 4.0)

    def ledger(self) -> dict[str, float]:
        return {
            "allocated_gbp": self.allocated,
            "spent_gbp": self.spent,
            "carried_forward_gbp": self.allocated - self.spent,
            "routes_spend_gbp": self.q_routes,
            "satellite_spend_gbp": self.q_satellite,
            "engagement_spend_gbp": self.q_engagement,
            "route_places": self.route_places * self.ppa,
            "satellite_places": self.satellite_places * self.ppa,
            "partner_employers": float(self.partner_employers.sum()),
        }

