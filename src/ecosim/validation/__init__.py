"""Stylised-fact validation: ``ecosim validate`` (see docs/validation.md).

Each fact in ``facts.yaml`` says what the world shows (target and source), whether a parameter
was set to reproduce it (``calibrated``: a consistency check) or not (``held_out``), and how to
measure it from the ordinary metrics of ordinary scenario runs. Nothing in the model knows it is
being validated: the facts only read metrics frames.

    from ecosim.validation import validate
    table = validate(quick=True)          # pandas DataFrame, one row per fact
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_facts", "validate"]


def __getattr__(name: str) -> Any:  # light import: the model only when a validation runs
    if name == "validate":
        from ecosim.validation.suite import validate

        return validate
    if name == "load_facts":
        from ecosim.validation.facts import load_facts

        return load_facts
    raise AttributeError(name)
