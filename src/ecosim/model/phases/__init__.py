"""Phases of the quarterly step: each gathers arrays from ``model.state`` and calls kernels.

Each phase module exposes ``run(model) -> None``. The step order is in docs/architecture.md and
in ``SkillsEcosystem.step``.
"""
