"""Scenario files: YAML -> validated ``Scenario`` (``schema.py``; loading in ``loader.py``).

``load_scenario(path, overrides=())`` reads a scenario file, resolves ``extends:``, applies
``--set``-style overrides (``"policies.aeb.budget=2e6"``) and validates it, raising
``ecosim.errors.InputError`` with file, line, key path and a hint for every problem.
``dump_scenario(obj)`` writes a resolved scenario back as YAML that loads to an equal object.
"""

from __future__ import annotations

import collections.abc
import os
from typing import TYPE_CHECKING, Any

from ecosim.scenario.loader import (
    Override,
    apply_overrides,
    deep_merge,
    dump_model,
    load_model_file,
    load_model_text,
    resolve_file,
    validate_data,
)

if TYPE_CHECKING:
    from ecosim.scenario.schema import Scenario

__all__ = [
    "Override",
    "apply_overrides",
    "deep_merge",
    "dump_model",
    "dump_scenario",
    "load_model_file",
    "load_model_text",
    "load_scenario",
    "load_scenario_text",
    "resolve_file",
    "validate_data",
]


def load_scenario(path: str | os.PathLike,
                  overrides: collections.abc.Iterable[Override] = ()) -> Scenario:
    """Read, merge, override and validate a scenario file."""
    from ecosim.scenario.schema import Scenario

    return load_model_file(path, Scenario, overrides)


def load_scenario_text(text: str, name: str = "<string>",
                       overrides: collections.abc.Iterable[Override] = ()) -> Scenario:
    """``load_scenario`` for YAML text."""
    from ecosim.scenario.schema import Scenario

    return load_model_text(text, Scenario, name, overrides)


def dump_scenario(obj: Any) -> str:
    """A resolved scenario as YAML text (re-reading it gives an equal ``Scenario``)."""
    return dump_model(obj)
