"""Counter-based random numbers: every draw is a pure function of (seed, agent, quarter, purpose).

Philox4x32-10 (Salmon et al. 2011, Random123) maps a 128-bit counter and a 64-bit key to 128
random bits. The key is the run's seed; the counter is (agent uid, quarter, purpose, k). So a
draw does not depend on the order agents are visited, on thread count or on what else was drawn,
and two scenarios run with the same seed share their random numbers (common random numbers).
Checked against Random123's published known-answer vectors in ``tests/test_rng.py``.
"""

from __future__ import annotations

from enum import IntEnum

import numba as nb
import numpy as np

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)
_TWO_POW_M53 = 1.0 / 9007199254740992.0  # 2**-53


class Purpose(IntEnum):
    """Why a number is drawn: one stream per purpose so mechanisms never share draws."""

    INIT_AGE = 1
    INIT_LEVEL = 2
    INIT_SKILL = 3
    INIT_STATUS = 4
    INIT_EMPLOYER = 5
    INIT_MOTIVATION = 6
    INIT_BARRIERS = 7
    INIT_DISTRICT = 8
    INIT_SECTOR = 9
    INIT_EMPLOYER_ATTR = 10
    RETIRE = 20
    SCHOOL_LEAVER = 21
    MIGRATION = 22
    EXIT_ACTIVITY = 23
    CONSIDER_TRAINING = 30
    COURSE_CANDIDATE = 31
    COURSE_TASTE = 32
    GUIDANCE_NOISE = 33
    PROVIDER_RANK = 34
    COURSE_FIT = 35
    LEARNING_DROPOUT = 40
    LEARNING_SKILL = 41
    JOB_SEARCH = 50
    JOB_CANDIDATE = 51
    EMPLOYER_RANK = 52
    JOB_SEPARATION = 53
    VACANCY = 54
    EMPLOYER_TRAINING = 60
    EMPLOYER_UPGRADE = 61
    PROVIDER_ENTRY = 70
    POLICY = 80


@nb.njit(cache=True, inline="always")
def _mulhilo(a: np.uint64, b: np.uint64) -> tuple[np.uint64, np.uint64]:
    p = a * b
    return p >> _SHIFT32, p & _MASK32


@nb.njit(cache=True)
def philox4x32(c0: np.uint64, c1: np.uint64, c2: np.uint64, c3: np.uint64,
               k0: np.uint64, k1: np.uint64) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64]:
    """Philox4x32-10 on 32-bit words held in uint64 (upper halves are zero)."""
    c0 = np.uint64(c0) & _MASK32
    c1 = np.uint64(c1) & _MASK32
    c2 = np.uint64(c2) & _MASK32
    c3 = np.uint64(c3) & _MASK32
    k0 = np.uint64(k0) & _MASK32
    k1 = np.uint64(k1) & _MASK32
    for r in range(10):
        if r > 0:
            k0 = (k0 + _W0) & _MASK32
            k1 = (k1 + _W1) & _MASK32
        hi0, lo0 = _mulhilo(_M0, c0)
        hi1, lo1 = _mulhilo(_M1, c2)
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


@nb.njit(cache=True)
def split_seed(seed: np.uint64) -> tuple[np.uint64, np.uint64]:
    """The 64-bit run seed as Philox's two 32-bit key words."""
    s = np.uint64(seed)
    return s & _MASK32, s >> _SHIFT32


@nb.njit(cache=True)
def uniform2(seed: np.uint64, agent: np.int64, quarter: np.int64, purpose: np.int64,
             k: np.int64) -> tuple[float, float]:
    """Two independent uniforms in [0, 1) with 53-bit resolution for one (seed, agent, quarter,
    purpose, k) counter; ``k`` numbers repeated draws of the same purpose."""
    k0, k1 = split_seed(seed)
    a = np.uint64(agent)
    # counter words: agent low, agent high (16 bits) | k high bits, quarter, purpose | k low bits
    kk = np.uint64(k)
    c0 = a & _MASK32
    c1 = ((a >> _SHIFT32) & np.uint64(0xFFFF)) | ((kk >> np.uint64(16)) << np.uint64(16))
    c2 = np.uint64(quarter)
    c3 = (np.uint64(purpose) << np.uint64(16)) | (kk & np.uint64(0xFFFF))
    r0, r1, r2, r3 = philox4x32(c0, c1, c2, c3, k0, k1)
    u = ((r0 << np.uint64(21)) ^ (r1 >> np.uint64(11))) & np.uint64(0x1FFFFFFFFFFFFF)
    v = ((r2 << np.uint64(21)) ^ (r3 >> np.uint64(11))) & np.uint64(0x1FFFFFFFFFFFFF)
    return float(u) * _TWO_POW_M53, float(v) * _TWO_POW_M53


@nb.njit(cache=True)
def uniform(seed: np.uint64, agent: np.int64, quarter: np.int64, purpose: np.int64,
            k: np.int64 = 0) -> float:
    """One uniform in [0, 1) for (seed, agent, quarter, purpose, k)."""
    u, _ = uniform2(seed, agent, quarter, purpose, k)
    return u


@nb.njit(cache=True)
def normal(seed: np.uint64, agent: np.int64, quarter: np.int64, purpose: np.int64,
           k: np.int64 = 0) -> float:
    """One standard normal (Box-Muller) for (seed, agent, quarter, purpose, k)."""
    u, v = uniform2(seed, agent, quarter, purpose, k)
    r = np.sqrt(-2.0 * np.log(1.0 - u))  # 1 - u lies in (0, 1]
    return r * np.cos(2.0 * np.pi * v)


@nb.njit(cache=True)
def gumbel_of(u: float) -> float:
    """The standard Gumbel :func:`gumbel` makes from its uniform ``u`` (increasing in ``u``)."""
    u = min(max(u, 1e-300), 1.0 - 1e-16)
    return -np.log(-np.log(u))


@nb.njit(cache=True)
def gumbel(seed: np.uint64, agent: np.int64, quarter: np.int64, purpose: np.int64,
           k: np.int64 = 0) -> float:
    """One standard Gumbel draw: adding it to utilities and taking the max is a logit choice."""
    return gumbel_of(uniform(seed, agent, quarter, purpose, k))


def _gumbel_upper_table(bits: int) -> np.ndarray:
    """Upper bounds of :func:`gumbel_of` on ``2**bits`` equal bins of [0, 1): its value at each
    bin's upper edge plus a margin far above any rounding difference between log libraries."""
    edges = np.arange(1, (1 << bits) + 1, dtype=np.float64) / (1 << bits)
    g = -np.log(-np.log(np.minimum(np.maximum(edges, 1e-300), 1.0 - 1e-16)))
    return g + 1e-9 * (1.0 + np.abs(g))


GUMBEL_UPPER = _gumbel_upper_table(12)
"""``GUMBEL_UPPER[int(u * 4096)] >= gumbel_of(u)`` for every u in [0, 1) (see gumbel_upper)."""
GUMBEL_MAX = float(GUMBEL_UPPER[-1])
"""An upper bound of every Gumbel draw (53-bit uniforms: about 36.7)."""


@nb.njit(cache=True)
def gumbel_upper(u: float) -> float:
    """A bound ``>= gumbel_of(u)``, from a table (no logs): lets a caller that only needs a
    draw when it could clear a threshold skip the logs, with results unchanged."""
    return GUMBEL_UPPER[int(u * GUMBEL_UPPER.shape[0])]


def replication_seeds(root: int, n: int) -> list[int]:
    """Seeds for ``n`` replications (or sweep runs) from a root seed, via SeedSequence.spawn."""
    children = np.random.SeedSequence(int(root)).spawn(int(n))
    return [int(c.generate_state(1, np.uint64)[0]) for c in children]


def as_seed(seed: int) -> np.uint64:
    """A Python int as the uint64 key the kernels take (values wrap modulo 2**64)."""
    return np.uint64(int(seed) % (1 << 64))


EMPLOYER_UID_BASE = 1 << 40
"""Employers draw with uid ``EMPLOYER_UID_BASE + index``: never a learner's counter."""
PROVIDER_UID_BASE = 1 << 41
"""Providers (and courses, at ``PROVIDER_UID_BASE + 2**20 + course``) draw above this base."""
