"""Load an experiment file and check it against its scenario before anything runs.

``load_experiment(path)`` returns a ``Study``: the validated experiment, the resolved baseline
scenario (plain data, after the file's ``set:``) and each parameter's kind. Every problem (a
dotted path that is not in the scenario, bounds outside a field's valid range, a value that makes
the scenario invalid, an unknown metric or district) is reported with the experiment file's line
and key path, all at once, as one ``InputError``.
"""

from __future__ import annotations

import collections.abc
import copy
import difflib
import hashlib
import json
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ecosim.errors import InputError, Problem
from ecosim.experiments.schema import DEFAULT_G_A, Experiment, Parameter
from ecosim.scenario.loader import (
    Override,
    apply_overrides,
    resolve_file,
    to_plain,
    validate_data,
)
from ecosim.scenario.yamlio import KeyPath, Loc, display_name


@dataclass
class Study:
    """A validated experiment with everything needed to run it."""

    experiment: Experiment
    file: Path
    display: str
    base: dict[str, Any] | None = None
    """Resolved baseline scenario as plain data (None for an analytic function)."""
    kinds: list[str] = field(default_factory=list)
    """Per parameter: 'float', 'int', 'bool' or 'choice'."""
    scenario_file: str | None = None

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.experiment.parameters]

    @property
    def is_function(self) -> bool:
        return self.experiment.function is not None

    @property
    def scenario_name(self) -> str:
        return str(self.base["name"]) if self.base else str(self.experiment.function)

    def scenario_hash(self) -> str:
        """SHA-256 of the baseline (scenario plain data or function and options)."""
        return _sha(self.base if self.base is not None else
                    {"function": self.experiment.function,
                     "options": self.function_options()})

    def function_options(self) -> dict[str, Any]:
        o = self.experiment.function_options
        return {"a": list(o.a or DEFAULT_G_A), "noise_sd": o.noise_sd,
                "delay_seconds": o.delay_seconds}

    def plan_hash(self) -> str:
        """Identity of the whole plan; a resume refuses a different one."""
        exp = self.experiment.model_dump(mode="json", exclude={"runs_per_task"})
        return _sha({"experiment": exp, "baseline": self.scenario_hash()})

    def overrides(self, values: collections.abc.Sequence[Any]) -> list[tuple[str, Any]]:
        """A sample's parameter values as ``(dotted path, value)`` scenario overrides."""
        return [(p.path, coerce(v, k)) for p, k, v in
                zip(self.experiment.parameters, self.kinds, values, strict=True)]


def coerce(value: Any, kind: str) -> Any:
    """A sampled value as the field's type: ints rounded half to even, floats as float."""
    if kind == "int":
        return int(round(float(value)))
    if kind == "float":
        return float(value)
    if kind == "bool" and not isinstance(value, bool):
        return bool(value)
    return value.item() if hasattr(value, "item") else value


def _sha(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def scenario_digest(scenario: Any) -> str:
    """SHA-256 of a resolved scenario's plain data (canonical JSON)."""
    return _sha(scenario)


def run_identity(digest: str, seed: int) -> str:
    """A run's identity: hash of its resolved scenario's digest and its seed."""
    return hashlib.sha256(f"{digest}:{int(seed)}".encode()).hexdigest()[:24]


# ------------------------------------------------------------------------------- loading
def load_experiment(path: str | os.PathLike,
                    overrides: collections.abc.Iterable[Override] = ()) -> Study:
    """Read and validate an experiment file against its scenario; ``InputError`` if wrong."""
    p = Path(path)
    name = display_name(p)
    data, locs = resolve_file(p, "experiment")
    apply_overrides(data, locs, overrides, Experiment)
    exp: Experiment = validate_data(data, locs, Experiment, name)
    study = Study(exp, p, name)
    problems: list[Problem] = []

    def add(key: KeyPath, msg: str) -> None:
        lc = _locate(key, locs, name)
        problems.append(Problem(lc.file, lc.line, lc.column, key, msg))

    if exp.function is not None:
        study.kinds = ["float"] * len(exp.parameters)
    else:
        _resolve_scenario(study, add)
        if study.base is not None:
            _check_parameters(study, add)
            _check_outputs(study, add)
    if problems:
        problems.sort(key=lambda q: (q.line or 0, q.column or 0))
        raise InputError.from_problems(problems, name)
    return study


def _locate(key: KeyPath, locs: dict[KeyPath, Loc], name: str) -> Loc:
    for n in range(len(key), -1, -1):
        if key[:n] in locs:
            return locs[key[:n]]
    return Loc(name)


def _resolve_scenario(study: Study, add) -> None:
    from ecosim.scenario.schema import Scenario

    exp = study.experiment
    assert exp.scenario is not None
    spath = study.file.parent / exp.scenario
    study.scenario_file = str(spath)
    if not spath.is_file():
        add(("scenario",), f"no such scenario file '{exp.scenario}' (looked for "
                           f"{display_name(spath)})")
        return
    sdata, slocs = resolve_file(spath, "scenario")
    bad = False
    for key, value in exp.set.items():
        try:
            apply_overrides(sdata, slocs, [(str(key), value)], Scenario)
        except InputError as e:
            add(("set", key), "not a scenario setting: " + _after_spec(e))
            bad = True
    if bad:
        return
    try:
        scn = validate_data(sdata, slocs, Scenario, display_name(spath))
    except InputError as e:
        raise InputError(f"{study.display}: its scenario (with the experiment's 'set:') is "
                         f"invalid:\n{e}", e.problems) from None
    study.base = to_plain(scn.model_dump(mode="python"))


def _after_spec(e: InputError) -> str:
    """The part of an override error after its ``--set k=v:`` prefix."""
    msg = str(e)
    if msg.startswith("--set "):
        head, sep, rest = msg.partition(": ")
        if sep:
            return rest
    return msg


# ---------------------------------------------------------------------------- parameters
def _check_parameters(study: Study, add) -> None:
    from ecosim.scenario.schema import Scenario

    exp = study.experiment
    base = study.base
    assert base is not None
    study.kinds = []
    for i, p in enumerate(exp.parameters):
        key: KeyPath = ("parameters", i)
        try:
            apply_overrides(copy.deepcopy(base), {}, [(p.path, 0)], Scenario)
        except InputError as e:
            add((*key, "path"), f"'{p.path}' is not in the scenario: {_after_spec(e)}")
            study.kinds.append("float")
            continue
        info = _field_at(Scenario, p.path.split("."))
        kind = _leaf_kind(info.annotation if info is not None else None)
        study.kinds.append(kind or "float")
        if kind is None:
            add((*key, "path"), f"'{p.path}' is a section, not a single value; name a field "
                                "inside it")
            continue
        if p.bounds is not None and kind not in ("float", "int"):
            add((*key, "bounds"), f"'{p.path}' is a {kind} field; vary it with a grid of "
                                  "'values'")
            continue
        if p.bounds is not None and info is not None:
            msg = _range_problem(p, info)
            if msg:
                add((*key, "bounds"), msg)
                continue
        tries = list(p.bounds) if p.bounds is not None else list(p.values or [])
        where = "bounds" if p.bounds is not None else "values"
        for v in tries:
            msg = _invalid_at(base, p.path, coerce(v, kind) if where == "bounds" else v)
            if msg:
                add((*key, where), f"with {p.path} = {v!r} the scenario is invalid: {msg}")
                break


def _invalid_at(base: dict[str, Any], path: str, value: Any) -> str | None:
    from ecosim.scenario.schema import Scenario

    data = copy.deepcopy(base)
    try:
        apply_overrides(data, {}, [(path, value)], Scenario)
        validate_data(data, {}, Scenario, "<scenario>")
    except InputError as e:
        if e.problems:
            q = e.problems[0]
            more = f" (and {len(e.problems) - 1} more)" if len(e.problems) > 1 else ""
            return f"{'.'.join(map(str, q.path))}: {q.message}{more}"
        return _after_spec(e)
    return None


def _range_problem(p: Parameter, info: Any) -> str | None:
    assert p.bounds is not None
    lo, hi = p.bounds
    lows = [(m.ge, False) for m in info.metadata if hasattr(m, "ge")]
    lows += [(m.gt, True) for m in info.metadata if hasattr(m, "gt")]
    highs = [(m.le, False) for m in info.metadata if hasattr(m, "le")]
    highs += [(m.lt, True) for m in info.metadata if hasattr(m, "lt")]
    vmin = max(lows, key=lambda t: t[0]) if lows else None
    vmax = min(highs, key=lambda t: t[0]) if highs else None
    bad = (vmin is not None and (lo < vmin[0] or (vmin[1] and lo == vmin[0]))) or \
          (vmax is not None and (hi > vmax[0] or (vmax[1] and hi == vmax[0])))
    if not bad:
        return None
    left = "unbounded" if vmin is None else f"{'>' if vmin[1] else '>='} {vmin[0]:g}"
    right = "unbounded" if vmax is None else f"{'<' if vmax[1] else '<='} {vmax[0]:g}"
    desc = f" ({info.description})" if info.description else ""
    return (f"bounds [{lo:g}, {hi:g}] leave the valid range of {p.path}: {left} and "
            f"{right}{desc}")


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        if all(isinstance(a, type) and issubclass(a, BaseModel) for a in args):
            # a tagged union of sections (the AEB's regimes): the variant with the most fields
            return max(args, key=lambda a: len(a.model_fields))
        return tp
    return tp


def _field_at(model_cls: type[BaseModel], parts: list[str]) -> Any:
    """The pydantic ``FieldInfo`` at a dotted path (list indices and dict keys pass through)."""
    tp: Any = model_cls
    info = None
    for part in parts:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(part)
            if info is None:
                return None
            tp = info.annotation
        elif origin in (list, tuple, collections.abc.Sequence):
            tp = typing.get_args(tp)[0]
        elif origin in (dict, collections.abc.Mapping):
            tp = typing.get_args(tp)[1]
        else:
            return None
    return info


def _leaf_kind(tp: Any) -> str | None:
    tp = _unwrap(tp)
    if tp is bool:
        return "bool"
    if tp is int:
        return "int"
    if tp is float:
        return "float"
    if tp is str or typing.get_origin(tp) is typing.Literal:
        return "choice"
    return None


# ------------------------------------------------------------------------------- outputs
def known_metrics() -> list[str]:
    """Metric columns the model reports (ledger columns ``<policy>_<key>`` come on top)."""
    from ecosim.model.metrics import METRICS

    return list(METRICS)


def _check_outputs(study: Study, add) -> None:
    from ecosim.scenario.schema_policies import PolicySettings

    base = study.base
    assert base is not None
    metrics = known_metrics()
    policy_prefixes = tuple(f"{k}_" for k in PolicySettings.model_fields)
    areas = ["region", *[d["name"] for d in base["region"]["districts"]]]
    ledger = [o.metric for o in study.experiment.outputs
              if o.metric not in metrics and o.metric.startswith(policy_prefixes)]
    ledger_cols = policy_ledger_columns(
        base, {p[:-1] for p in policy_prefixes if any(m.startswith(p) for m in ledger)}) \
        if ledger else None
    for i, o in enumerate(study.experiment.outputs):
        known = o.metric in metrics or (
            o.metric.startswith(policy_prefixes)
            and (ledger_cols is None or o.metric in ledger_cols))
        if not known:
            options = metrics + sorted(ledger_cols or ())
            add(("outputs", i, "metric"), f"unknown metric '{o.metric}'" + _hints(o.metric,
                                                                                 options))
        if o.area not in areas:
            add(("outputs", i, "area"), f"unknown area '{o.area}'" + _hint(o.area, areas)
                + ("" if _hint(o.area, areas) else f"; valid: {', '.join(areas)}"))


def policy_ledger_columns(base: dict, sections: set[str]) -> set[str] | None:
    """The ledger columns (``<policy>_<key>``) the named policy sections report, found by
    building the scenario with them enabled; None if that cannot be done (then ledger names
    are not checked rather than wrongly refused)."""
    from ecosim.scenario.loader import validate_data
    from ecosim.scenario.schema import Scenario
    from ecosim.scenario.schema_policies import PolicySettings

    data = copy.deepcopy(base)
    pol = data.setdefault("policies", {}) or {}
    data["policies"] = pol
    for sec in sections:
        if sec not in PolicySettings.model_fields:
            continue
        conf = pol.get(sec) or {}
        if isinstance(conf, dict):
            conf = {**conf, "enabled": True} if "enabled" in _fields_of(sec) else conf
        pol[sec] = conf
    try:
        scn = validate_data(data, {}, Scenario, "<ledger check>")
        from ecosim.model import SkillsEcosystem

        model = SkillsEcosystem(scn, collect=False)
        return set(model._ledger())
    except Exception:  # noqa: BLE001 - unsure: do not refuse
        return None


def _fields_of(section: str) -> set[str]:
    from ecosim.scenario.loader import _kind
    from ecosim.scenario.schema_policies import PolicySettings

    kind = _kind(PolicySettings.model_fields[section].annotation)
    return set(kind[1].model_fields) if kind[0] == "model" else set()


def _hints(word: str, options: list[str]) -> str:
    """'; closest: a, b, c' (up to three close names), or ''."""
    m = difflib.get_close_matches(word, options, n=3, cutoff=0.5)
    return f"; closest: {', '.join(m)}" if m else ""


def _hint(word: str, options: list[str]) -> str:
    m = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean '{m[0]}'?" if m else ""
