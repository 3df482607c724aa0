"""Phase 9: providers revise their places towards funded, filled courses
(``kernels/provider_supply.py``) every ``providers.supply.adjust_every_quarters`` quarters, from
what they observed since the last revision, within the growth caps policies set
(``courses.max_capacity``). The model calls the ``adjust_supply`` hook after.

The revision works on each course's real-valued ``capacity``; a policy that opens or closes
places sets them with ``policies.common.set_places``, which moves the capacity with them, so
nothing here compares places with capacity to guess what a policy did."""

from __future__ import annotations

import numpy as np

from ecosim.model.kernels import provider_supply as ksup
from ecosim.model.phases.learning import OBS_COLUMNS


def start_capacity(state) -> None:
    """The revision's capacities start from the places after the policies' setup (which may
    add, remove or top-slice places), before the first quarter."""
    C = state.courses
    C.capacity = C.seats.astype(np.float64)
    C.capacity0 = C.capacity.copy()


def run(model) -> None:
    sp = model.scenario.providers.supply
    st = model.state
    C = st.courses
    if C.n == 0:
        return
    if model.quarter % sp.adjust_every_quarters != 0:
        return
    n = np.maximum(C.obs_n, 1.0)
    share = np.where(C.obs_starts > 0, C.obs_public_starts / np.maximum(C.obs_starts, 1.0), 0.0)
    seats = C.seats.astype(np.int32)
    ksup.adjust_places(C.capacity, C.capacity0, C.max_capacity, seats,
                       C.enrolled.astype(np.int32),
                       C.obs_fill / n, C.obs_pressure / n, share, C.fee, C.delivery_cost,
                       C.public_rate, C.duration, C.provider, st.providers.adaptation,
                       sp.growth_rate, sp.shrink_rate, sp.full_threshold, sp.empty_threshold,
                       sp.margin_reference_gbp, sp.max_growth_multiple,
                       sp.unpressed_growth_share)
    C.seats = seats
    for name in OBS_COLUMNS:
        getattr(C, name)[:] = 0.0
