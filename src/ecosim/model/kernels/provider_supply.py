"""Provider supply: providers move places towards courses that are funded and filled.

At each revision, for every course: revenue per start ``r = s * public_rate + (1 - s) * fee``
(``s`` the publicly funded share of its starts since the last revision: the funder pays
``public_rate`` and a fully funded learner nothing), margin per learner-quarter
``m = (r - delivery_cost) / duration``, fill ``f`` and demand pressure ``p`` (learners plus
turned-away applicants per place) averaged since the last revision. With ``a`` the provider's
adaptation (0..1):

* ``m > 0`` and ``f >= full``: places x (1 + growth * a * min(1, m / m_ref) * min(1, (p - full)
  / (1 - full) + base)) (a full course grows faster when applicants were turned away; ``base``
  = ``providers.supply.unpressed_growth_share``)
* ``m <= 0``: places x (1 - shrink * a)
* ``f < empty``: places x (1 - shrink * a * (empty - f) / empty)

Places are kept as a real-valued capacity (so small courses can grow), capped at
``max_multiple`` x initial places (at least one), and never below the learners enrolled. A
policy may cap a course's growth this revision (``max_capacity``, inf = no cap: e.g. the AEB's
capped allocations); the capped capacity may then lie below the learners enrolled: places stay
at least at that number, and the capacity the next revision starts from is those places.
Cheap, short courses have the highest margin per learner-quarter when funding rates are flat, so
they grow fastest where filled.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def adjust_places(capacity, capacity0, max_capacity, seats, enrolled, fill, pressure,
                  public_share, fee, delivery_cost, public_rate, duration, provider, adaptation,
                  growth, shrink, full, empty, margin_ref, max_multiple, base_push):
    """Update capacity[c] and seats[c] (int) of every course in place."""
    for c in range(capacity.shape[0]):
        cap = capacity[c]
        if cap <= 0.0 and seats[c] <= 0:
            if enrolled[c] > seats[c]:  # learners still on a closed course keep their places
                seats[c] = enrolled[c]
                capacity[c] = float(seats[c])
            continue
        s = public_share[c]
        revenue = s * public_rate[c] + (1.0 - s) * fee[c]
        m = (revenue - delivery_cost[c]) / max(duration[c], 1)
        a = min(1.0, max(0.0, adaptation[provider[c]]))
        if m > 0.0 and fill[c] >= full:
            push = 1.0 if full >= 1.0 else min(
                1.0, (pressure[c] - full) / (1.0 - full) + base_push)
            cap = cap * (1.0 + growth * a * min(1.0, m / margin_ref) * push)
        elif m <= 0.0:
            cap = cap * (1.0 - shrink * a)
        elif fill[c] < empty:
            cap = cap * (1.0 - shrink * a * (empty - fill[c]) / max(empty, 1e-12))
        cap = min(cap, max_multiple * max(capacity0[c], 1.0))
        cap = max(cap, float(enrolled[c]), 0.0)
        if cap > max_capacity[c]:
            cap = max_capacity[c]
        places = int(np.floor(cap + 0.5))
        if places < enrolled[c]:  # capped below the learners on it: keep their places
            places = enrolled[c]
            cap = float(places)
        capacity[c] = cap
        seats[c] = places
