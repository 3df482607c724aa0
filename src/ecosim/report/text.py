"""The report's words, generated from the numbers: findings and what each scenario changes.

``finding(policy, metric, effect)`` turns one effect into a sentence: the direction, the
baseline and policy levels, the change and its 90% interval, or "no clear difference" when the
interval spans zero (and a plain statement when one replication allows no interval).
``scenario_changes(scenario, baseline)`` lists the keys a scenario sets differently from the
baseline, each with its description from the scenario schema.
"""

from __future__ import annotations

import typing
from typing import Any

import numpy as np

from ecosim.report import units as U
from ecosim.report.data import Effect


def _nice(name: str) -> str:
    return name.replace("_", " ")


def finding(policy: str, metric: str, e: Effect) -> str:
    """One sentence about ``policy``'s final-year effect on ``metric``."""
    what = U.label(metric)
    if not what.startswith(("Level", "No-")):
        what = what[0].lower() + what[1:]
    base, pol = U.fmt_level(metric, e.baseline), U.fmt_level(metric, e.policy)
    change = U.fmt_diff(metric, e.mean)
    how = "" if e.paired else " (unpaired comparison)"
    if not (np.isfinite(e.low) and np.isfinite(e.high)):
        return (f"{_nice(policy)} changes the {what} from {base} to {pol} ({change}); with one "
                f"replication there is no interval, so this is not evidence of an effect{how}.")
    lo, hi = U.fmt_diff(metric, e.low, with_unit=False), U.fmt_diff(metric, e.high)
    if not e.clear:
        return (f"{_nice(policy)}: no clear difference in the {what} ({base} in the baseline, "
                f"{pol} with the policy; change {change}, 90% interval {lo} to {hi}, which "
                f"includes zero){how}.")
    verb = "raises" if e.mean > 0 else "lowers"
    return (f"{_nice(policy)} {verb} the {what} from {base} to {pol} ({change}, 90% interval "
            f"{lo} to {hi}){how}.")


def value_for_money_sentence(policy: str, row: dict[str, Any]) -> str:
    """One sentence about a value-for-money row (see ``figures_effects.value_for_money_data``)."""
    what = row["description"]
    if not row["defined"]:
        return (f"{_nice(policy)}: public cost {what} is not defined, because the change in the "
                "outcome is not clearly different from zero.")
    k = lambda x: ("−" if x < 0 else "") + f"£{abs(x):,.0f}"  # noqa: E731
    sign = "" if row["cost_per_extra_gbp"] >= 0 else " (a saving)"
    return (f"{_nice(policy)}: public cost {what} is {k(row['cost_per_extra_gbp'])}{sign} "
            f"(90% interval {k(row['low90'])} to {k(row['high90'])}).")


# ------------------------------------------------------------------- scenario differences
def _flatten(d: Any, prefix: tuple = ()) -> dict[tuple, Any]:
    out: dict[tuple, Any] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_flatten(v, (*prefix, k)))
    elif isinstance(d, list) and d and all(isinstance(x, dict) for x in d):
        for i, v in enumerate(d):
            out.update(_flatten(v, (*prefix, i)))
    else:
        out[prefix] = d
    return out


def _unwrap(tp: Any) -> Any:
    """The model class inside Optional[...] / list[...] / dict[str, ...], if any."""
    from pydantic import BaseModel

    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for a in typing.get_args(tp):
        m = _unwrap(a)
        if m is not None:
            return m
    return None


def describe_key(path: tuple, model: Any = None) -> str:
    """The schema description of a dotted key path ('' if unknown)."""
    if model is None:
        from ecosim.scenario.schema import Scenario

        model = Scenario
    desc = ""
    for part in path:
        if isinstance(part, int):
            continue
        f = getattr(model, "model_fields", {}).get(part)
        if f is None:
            return desc
        desc = f.description or ""
        model = _unwrap(f.annotation)
        if model is None:
            break
    return desc


def _short(v: Any) -> str:
    s = str(v)
    return s if len(s) <= 60 else s[:57] + "..."


def scenario_changes(scenario: dict[str, Any], baseline: dict[str, Any]
                     ) -> list[dict[str, str]]:
    """Keys whose resolved value differs from the baseline (name and description aside):
    ``[{"key", "baseline", "value", "description"}]``, in the scenario's key order."""
    a, b = _flatten(scenario), _flatten(baseline)
    rows = []
    for k in [k for k in b if k not in a and b[k] is None and any(
            x[:len(k)] == k for x in a)]:  # a section the baseline leaves off
        rows.append({"key": ".".join(str(x) for x in k), "baseline": "off", "value": "on",
                     "description": describe_key(k)})
    on = {r["key"] for r in rows}
    for k in list(a) + [k for k in b if k not in a]:
        if k and k[0] in ("name", "description"):
            continue
        if ".".join(str(x) for x in k) in on:
            continue
        inside = any(".".join(str(x) for x in k).startswith(o + ".") for o in on)
        va = a.get(k, "(not set)")
        vb = "—" if inside and k not in b else b.get(k, "(not set)")
        if va != vb:
            rows.append({"key": ".".join(str(x) for x in k), "baseline": _short(vb),
                         "value": _short(va), "description": describe_key(k)})
    return rows
