"""A pure-Python port of ``ecosim.model.rng`` (Philox4x32-10 on Python ints, ``math``).

This is what a plain-Mesa model would use: no numba anywhere. ``check_against_rng`` verifies it
gives bit-identical numbers to the numba functions; the benchmark and ``tests/test_benchmarks.py``
run that check before comparing the Mesa learner with the kernels.
"""

from __future__ import annotations

import math

_M0 = 0xD2511F53
_M1 = 0xCD9E8D57
_W0 = 0x9E3779B9
_W1 = 0xBB67AE85
_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_TWO_POW_M53 = 1.0 / 9007199254740992.0


def philox4x32(c0: int, c1: int, c2: int, c3: int, k0: int, k1: int) -> tuple[int, int, int, int]:
    c0 &= _MASK32
    c1 &= _MASK32
    c2 &= _MASK32
    c3 &= _MASK32
    k0 &= _MASK32
    k1 &= _MASK32
    for r in range(10):
        if r:
            k0 = (k0 + _W0) & _MASK32
            k1 = (k1 + _W1) & _MASK32
        p0 = _M0 * c0
        p1 = _M1 * c2
        c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & _MASK32, (p0 >> 32) ^ c3 ^ k1, p0 & _MASK32
    return c0, c1, c2, c3


def uniform2(seed: int, agent: int, quarter: int, purpose: int, k: int) -> tuple[float, float]:
    s = int(seed) & _MASK64
    a = int(agent) & _MASK64
    kk = int(k) & _MASK64
    c1 = ((a >> 32) & 0xFFFF) | (((kk >> 16) << 16) & _MASK64)
    c3 = ((int(purpose) << 16) & _MASK64) | (kk & 0xFFFF)
    r0, r1, r2, r3 = philox4x32(a & _MASK32, c1, int(quarter) & _MASK64, c3,
                                s & _MASK32, s >> 32)
    u = ((r0 << 21) ^ (r1 >> 11)) & 0x1FFFFFFFFFFFFF
    v = ((r2 << 21) ^ (r3 >> 11)) & 0x1FFFFFFFFFFFFF
    return float(u) * _TWO_POW_M53, float(v) * _TWO_POW_M53


def uniform(seed: int, agent: int, quarter: int, purpose: int, k: int = 0) -> float:
    return uniform2(seed, agent, quarter, purpose, k)[0]


def normal(seed: int, agent: int, quarter: int, purpose: int, k: int = 0) -> float:
    u, v = uniform2(seed, agent, quarter, purpose, k)
    return math.sqrt(-2.0 * math.log(1.0 - u)) * math.cos(2.0 * math.pi * v)


def gumbel(seed: int, agent: int, quarter: int, purpose: int, k: int = 0) -> float:
    u = uniform(seed, agent, quarter, purpose, k)
    u = min(max(u, 1e-300), 1.0 - 1e-16)
    return -math.log(-math.log(u))


def check_against_rng(n: int = 2000, seed: int = 0x243F6A8885A308D3) -> dict[str, float]:
    """Compare with ``ecosim.model.rng`` on ``n`` counters; returns the largest absolute
    differences (0.0 means bit-identical) per function."""
    import numpy as np

    from ecosim.model import rng

    g = np.random.default_rng(12345)
    worst = {"philox": 0.0, "uniform": 0.0, "normal": 0.0, "gumbel": 0.0}
    s = np.uint64(seed)
    for _ in range(n):
        agent = int(g.integers(0, 1 << 45))
        q = int(g.integers(0, 200))
        p = int(g.integers(0, 100))
        k = int(g.integers(0, 1 << 30))
        words = [int(x) for x in g.integers(0, 1 << 32, 6)]
        ref = rng.philox4x32(*[np.uint64(w) for w in words])
        got = philox4x32(*words)
        if tuple(int(x) for x in ref) != got:
            worst["philox"] = 1.0
        args = (s, np.int64(agent), np.int64(q), np.int64(p), np.int64(k))
        for name, fn in (("uniform", uniform), ("normal", normal), ("gumbel", gumbel)):
            a = float(getattr(rng, name)(*args))
            b = fn(seed, agent, q, p, k)
            worst[name] = max(worst[name], abs(a - b))
    return worst
