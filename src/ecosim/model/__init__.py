"""The model core: state, kernels, phases, policies hooks, metrics and the Mesa model.

Public API: ``simulate(scenario, seed, progress=None) -> DataFrame``, ``SkillsEcosystem``,
``warmup()``, ``METRICS`` and the ``rng`` module.
"""

from __future__ import annotations

# First, before any kernel module is imported: numba fixes each cached function's directory when
# its decorator runs (see kernel_cache for why the directory name is a hash of the sources).
from ecosim.model import kernel_cache

kernel_cache.configure()

from ecosim.model import rng  # noqa: E402
from ecosim.model.metrics import METRICS  # noqa: E402
from ecosim.model.model import SkillsEcosystem  # noqa: E402
from ecosim.model.simulate import simulate, warmup  # noqa: E402

__all__ = ["METRICS", "SkillsEcosystem", "rng", "simulate", "warmup"]
