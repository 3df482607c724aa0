"""Helpers shared by the policy modules: keyed random draws, people scale, name lookups,
additive contributions to shared funding fields, and budget rationing by seats.

Money in ledgers is GBP at people scale: an agent-scale amount (per learner agent, or per seat
of the agent-scale ``courses.seats``) times ``run.persons_per_agent``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ecosim.errors import InputError
from ecosim.model.rng import PROVIDER_UID_BASE, Purpose, uniform

P_POLICY = np.int64(Purpose.POLICY)
#: draw keys for courses (architecture: courses draw at PROVIDER_UID_BASE + 2**20 + course)
COURSE_UID_BASE = PROVIDER_UID_BASE + (1 << 20)


@njit(cache=True)
def keyed_uniforms(seed, keys, quarter, k, out):
    """out[i] = uniform(seed, keys[i], quarter, POLICY, k): one draw per keyed agent."""
    for i in range(keys.shape[0]):
        out[i] = uniform(seed, keys[i], quarter, P_POLICY, k)


def draws(model, keys: np.ndarray, k: int, lasting: bool = False) -> np.ndarray:
    """Uniforms in [0, 1) keyed on (run seed, agent key, quarter, POLICY, k); ``lasting``
    keys them on quarter 0 instead, so an agent keeps its draw for the whole run."""
    out = np.empty(keys.size, np.float64)
    if keys.size:
        keyed_uniforms(model.seed, np.ascontiguousarray(keys, dtype=np.int64),
                       np.int64(0 if lasting else model.quarter), np.int64(k), out)
    return out


def ppa(model) -> float:
    """People per learner agent (the scale factor of every ledger amount)."""
    return float(model.scenario.run.persons_per_agent)


def index_of(names: list[str], wanted: list[str] | str, what: str) -> list[int]:
    """Indices of ``wanted`` in ``names`` (InputError naming the unknown one)."""
    items = [wanted] if isinstance(wanted, str) else list(wanted)
    out = []
    for nm in items:
        if nm not in names:
            raise InputError(f"unknown {what} '{nm}' (known: {', '.join(names)})")
        out.append(names.index(nm))
    return out


def provider_names(model) -> list[str]:
    """Provider names in table order (colleges, then universities)."""
    pv = model.scenario.providers
    return [p.name for p in pv.colleges] + [p.name for p in pv.universities]


def priority_sectors(model) -> np.ndarray:
    """bool[S]: the scenario's regional priority sectors."""
    return np.array([s.priority for s in model.scenario.sectors], dtype=np.bool_)


def sector_mask(model, names: list[str], default_priority: bool = True) -> np.ndarray:
    """bool[S] of the named sectors; empty list = priority sectors (or all if none/flag off)."""
    S = model.scenario.n_sectors
    if names:
        m = np.zeros(S, np.bool_)
        m[index_of([s.name for s in model.scenario.sectors], names, "sector")] = True
        return m
    pr = priority_sectors(model)
    return pr if default_priority and pr.any() else np.ones(S, np.bool_)


class SharedShift:
    """A policy's additive contribution to ``funding.participation_shift``: setting a new value
    adds the change, so several policies can move the shared field independently."""

    def __init__(self) -> None:
        self.value = 0.0

    def set(self, model, value: float) -> None:
        f = model.state.funding
        f.participation_shift = float(f.participation_shift) + (float(value) - self.value)
        self.value = float(value)


def set_places(model, courses, seats) -> None:
    """Set the places of ``courses`` (an index or mask into the course table) to ``seats``.

    A course whose places change starts its next provider revision from them: its real-valued
    ``capacity`` is set to the new places. A policy that opens or closes places calls this, so
    the revision never has to guess which places a policy moved."""
    C = model.state.courses
    new = np.asarray(seats).astype(C.seats.dtype)
    changed = np.zeros(C.n, np.bool_)
    changed[courses] = C.seats[courses] != new
    C.seats[courses] = new
    C.capacity[changed] = C.seats[changed]


def free_seats(model) -> np.ndarray:
    """Places a course can still fill this quarter (the allocation's capacity)."""
    C = model.state.courses
    return np.maximum(C.seats.astype(np.int64) - C.enrolled.astype(np.int64), 0)


def ration_courses(exposure: np.ndarray, order: np.ndarray, allowance: float,
                   capped: np.ndarray | None = None, cap: float = np.inf) -> np.ndarray:
    """bool mask of courses kept funded: visit ``order`` and keep a course while the summed
    ``exposure`` (most the funder could owe on it this quarter) stays within ``allowance``;
    courses flagged ``capped`` must also keep their own sum within ``cap``."""
    keep = np.zeros(exposure.size, np.bool_)
    total = 0.0
    sub = 0.0
    for c in order:
        e = float(exposure[c])
        if total + e > allowance + 1e-9:
            continue
        if capped is not None and capped[c]:
            if sub + e > cap + 1e-9:
                continue
            sub += e
        total += e
        keep[c] = True
    return keep


def greedy_fit(cost: np.ndarray, budget: float) -> np.ndarray:
    """bool mask: visit items in the given order and take each one that still fits the budget."""
    keep = np.zeros(cost.size, np.bool_)
    total = 0.0
    for i, c in enumerate(cost):
        if total + float(c) <= budget + 1e-9:
            total += float(c)
            keep[i] = True
    return keep


def supply_limit(model, multiple: float) -> np.ndarray:
    """float[C]: ``multiple`` x each course's initial places (at least one), rounded: a bound
    on places a policy opens (the provider revision keeps ``max_growth_multiple``)."""
    C = model.state.courses
    return np.floor(multiple * np.maximum(C.capacity0, 1.0) + 0.5)
