"""The model core: state, kernels, phases, policies hooks, metrics and the Mesa model.

Public API: ``simulate(scenario, seed, progress=None) -> DataFrame``, ``SkillsEcosystem``,
``warmup()``, ``METRICS`` and the ``rng`` module.
"""

from __future__ import annotations

from ecosim.model import rng
from ecosim.model.metrics import METRICS
from ecosim.model.model import SkillsEcosystem
from ecosim.model.simulate import simulate, warmup

__all__ = ["METRICS", "SkillsEcosystem", "rng", "simulate", "warmup"]
