"""The policy levers a workshop room moves, built from the scenario schema.

Each lever is one scenario value (a dotted path into the schema). Its help sentence is the
first sentence of that field's schema description, so the page says what the model means by
it; its default is the loaded scenario's value, so an untouched page runs the scenario itself.
Some levers also switch a policy on or off: a yearly account credit of 0 means no training
accounts, a collaboration earmark of 0 no collaboration funding, a business-support budget of 0
no business support. :func:`overrides` turns lever values into loader overrides, only for the
levers that differ from the scenario, so that an unchanged lever never adds a policy section.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ecosim.scenario.schema import Scenario


@dataclass(frozen=True)
class Lever:
    """One policy lever: the keyword the model takes, its widget and its scenario path."""

    name: str
    label: str
    path: str
    widget: str  # "SliderFloat", "SliderInt", "Select", "Checkbox"
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    values: tuple[str, ...] = ()
    #: lever value = scenario value x scale (e.g. GBP -> GBP million)
    scale: float = 1.0
    #: the policy section this lever switches: value 0 (or False) = section off
    switches: str | None = None
    #: applies only when this other lever is on (non-zero)
    needs: str | None = None
    note: str = ""
    #: help from the policy section's docstring instead of the field's description
    section_doc: bool = False
    #: applies only when another lever has this value, e.g. ("aeb_regime", "devolved")
    needs_value: tuple[str, str] | None = None


LEVERS: tuple[Lever, ...] = (
    Lever("aeb_regime", "AEB regime", "policies.aeb.regime", "Select",
          values=("centralised", "devolved")),
    Lever("aeb_budget", "Adult Education Budget (£m a year)", "policies.aeb.budget_gbp_per_year",
          "SliderFloat", 0.0, 150.0, 5.0, scale=1e-6),
    Lever("aeb_recruitment", "AEB recruitment (share of budget)",
          "policies.aeb.recruitment_share", "SliderFloat", 0.0, 0.4, 0.05),
    Lever("level3_weight", "Devolved AEB: Level 3 weight",
          "policies.aeb.devolved.level_weights.level3", "SliderFloat", 0.0, 5.0, 0.25,
          note="Used when the AEB is devolved.", needs_value=("aeb_regime", "devolved")),
    Lever("priority_weight", "Devolved AEB: priority-sector weight",
          "policies.aeb.devolved.priority_sector_weight", "SliderFloat", 0.0, 5.0, 0.25,
          note="Used when the AEB is devolved.", needs_value=("aeb_regime", "devolved")),
    Lever("non_priority_share", "Devolved AEB: non-priority share",
          "policies.aeb.devolved.non_priority_share", "SliderFloat", 0.0, 1.0, 0.05,
          note="Used when the AEB is devolved.", needs_value=("aeb_regime", "devolved")),
    Lever("account_credit", "Training account credit (£ a year)",
          "policies.training_accounts.credit_gbp_per_year", "SliderInt", 0, 2000, 100,
          switches="training_accounts", note="0 = no training accounts."),
    Lever("account_cap", "Training account cap (£)", "policies.training_accounts.cap_gbp",
          "SliderInt", 0, 10000, 500, needs="account_credit"),
    Lever("account_units", "Accounts shown in", "policies.training_accounts.units", "Select",
          values=("money", "hours"), needs="account_credit"),
    Lever("certification", "Certification required",
          "policies.training_accounts.certification_required", "Checkbox",
          needs="account_credit"),
    Lever("collaboration_share", "Collaboration earmark (share)",
          "policies.collaboration.earmark_share", "SliderFloat", 0.0, 0.2, 0.01,
          switches="collaboration", note="0 = no collaboration funding."),
    Lever("guidance_quality", "Careers-guidance quality", "policies.careers_guidance.quality",
          "SliderFloat", 0.0, 1.0, 0.05),
    Lever("business_support", "Business support (£m a year)",
          "policies.business_support.budget_gbp_per_year", "SliderFloat", 0.0, 20.0, 0.5,
          scale=1e-6, switches="business_support", note="0 = no business support.",
          section_doc=True),
    Lever("policy_churn", "Policy churn (periodic reforms)", "policies.policy_churn.enabled",
          "Checkbox", switches="policy_churn", section_doc=True),
    # -- apprenticeships and the levy
    Lever("apprenticeships", "Apprenticeships and the levy", "policies.apprenticeships.enabled",
          "Checkbox", switches="apprenticeships", section_doc=True),
    Lever("levy_short_course_share", "Levy usable for short courses (share)",
          "policies.apprenticeships.short_course_share", "SliderFloat", 0.0, 1.0, 0.05,
          needs="apprenticeships"),
    Lever("levy_rate", "Apprenticeship levy (% of pay bill)",
          "policies.apprenticeships.levy_rate", "SliderFloat", 0.0, 2.0, 0.1, scale=100.0,
          needs="apprenticeships"),
    Lever("levy_co_investment", "Employer co-investment (share)",
          "policies.apprenticeships.co_investment_rate", "SliderFloat", 0.0, 0.5, 0.05,
          needs="apprenticeships"),
    Lever("levy_expiry_months", "Levy funds expire after (months)",
          "policies.apprenticeships.expiry_months", "SliderInt", 6, 60, 3,
          needs="apprenticeships"),
    Lever("apprenticeship_min_months", "Shortest apprenticeship (months)",
          "policies.apprenticeships.min_duration_months", "SliderInt", 0, 24, 1,
          needs="apprenticeships"),
    # ---- Lifelong Learning Entitlement ----
    Lever("lle_entitlement", "Lifelong Learning Entitlement (£ of tuition)",
          "policies.lifelong_learning_entitlement.entitlement_gbp", "SliderInt", 0, 60000, 1000,
          switches="lifelong_learning_entitlement", note="0 = no entitlement."),
    Lever("lle_max_age", "Entitlement: age limit (years)",
          "policies.lifelong_learning_entitlement.max_age", "SliderInt", 30, 67, 1,
          needs="lle_entitlement"),
    Lever("lle_modular", "Entitlement: modules as well as whole courses",
          "policies.lifelong_learning_entitlement.modular", "Checkbox", needs="lle_entitlement"),
    Lever("lle_maintenance", "Entitlement: maintenance support",
          "policies.lifelong_learning_entitlement.maintenance", "Checkbox",
          needs="lle_entitlement"),
)
BY_NAME = {lv.name: lv for lv in LEVERS}


# ------------------------------------------------------------------------ schema descriptions
def _models(tp: Any) -> list[Any]:
    """The types a field may hold: ``X | None`` -> [X]; a tagged union (``Annotated`` members,
    e.g. the AEB's two regimes) -> each member."""
    if typing.get_origin(tp) is typing.Annotated:
        return _models(typing.get_args(tp)[0])
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return [m for a in typing.get_args(tp) if a is not type(None) for m in _models(a)]
    return [tp]


def _unwrap(tp: Any) -> Any:
    """``X | None`` -> ``X`` (the first member of a tagged union)."""
    return _models(tp)[0]


def _fields_on(path: str, root: type[BaseModel] = Scenario):
    """The pydantic ``FieldInfo`` of each step of a dotted path, outermost first (through a
    tagged union, the member that has the field)."""
    models: list[Any] = [root]
    for part in path.split("."):
        info = next(m.model_fields[part] for m in models
                    if isinstance(m, type) and issubclass(m, BaseModel) and part in m.model_fields)
        yield info
        models = _models(info.annotation)


def field_info(path: str, root: type[BaseModel] = Scenario):
    """The pydantic ``FieldInfo`` at a dotted path of the schema."""
    *_, info = _fields_on(path, root)
    return info


def first_sentence(text: str) -> str:
    """The first sentence of a schema description, without source notes in parentheses."""
    text = " ".join((text or "").split())
    depth, cut = 0, len(text)
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "." and depth == 0 and (i + 1 == len(text) or text[i + 1] == " "):
            cut = i + 1
            break
    s = text[:cut]
    s = re.sub(r"\s*\((?:[^()]*\b(?:seed|assumption|Seed|ESFA|issue)\b[^()]*)\)", "", s)
    s = re.sub(r";\s*(?:assumption|seed \d+)[^.;)]*", "", s)
    return s.strip().rstrip(".") + "."


def help_text(lever: Lever) -> str:
    """One short sentence saying what the lever does (from the schema), plus its own note."""
    if lever.section_doc:
        section = _unwrap(field_info(lever.path.rsplit(".", 1)[0]).annotation)
        base = first_sentence(section.__doc__ or "")
    else:
        base = first_sentence(field_info(lever.path).description or "")
    return f"{base} {lever.note}".strip()


# ---------------------------------------------------------------------------------- values
def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)  # e.g. no devolved rules under a centralised AEB
    return obj


def _section_on(scn: Scenario, section: str) -> bool:
    sec = getattr(scn.policies, section)
    return sec is not None and bool(getattr(sec, "enabled", True))


def schema_default(path: str, root: type[BaseModel] = Scenario) -> Any:
    """What the model uses at a dotted path when the scenario leaves it out: read down the
    default of the outermost section on the path that has one (e.g. the devolved AEB's rules,
    whose level weights default to 0.5 / 1 / 2.5), else the field's own default."""
    parts = path.split(".")
    info = None
    for i, info in enumerate(_fields_on(path, root)):
        if info.default_factory is not None and i + 1 < len(parts):
            obj: Any = info.default_factory()
            try:
                for rest in parts[i + 1:]:
                    obj = getattr(obj, rest)
                return obj
            except AttributeError:  # a section of another member of a union: look further
                pass
    return info.default


def scenario_value(scn: Scenario, lever: Lever) -> Any:
    """The lever's value in a scenario (the default the page shows)."""
    if lever.switches and not _section_on(scn, lever.switches):
        return 0 if lever.widget.startswith("Slider") else False
    v = _get(scn, lever.path)
    if v is None:  # section absent: the schema default
        v = schema_default(lever.path)
    if lever.widget == "SliderInt":
        return int(round(v * lever.scale))
    if lever.widget == "SliderFloat":
        return float(v) * lever.scale
    return v


def model_params(scn: Scenario) -> dict[str, dict[str, Any]]:
    """Mesa ``model_params`` entries (user-adjustable widgets) for every lever."""
    out: dict[str, dict[str, Any]] = {}
    for lv in LEVERS:
        spec: dict[str, Any] = {"type": lv.widget, "label": lv.label,
                                "value": scenario_value(scn, lv)}
        if lv.widget.startswith("Slider"):
            spec.update(min=lv.minimum, max=lv.maximum, step=lv.step)
        if lv.widget == "Select":
            spec["values"] = list(lv.values)
        out[lv.name] = spec
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
        except (TypeError, ValueError):
            return False
    return a == b


def overrides(scn: Scenario, values: dict[str, Any]) -> list[tuple[str, Any]]:
    """Loader overrides ``(path, value)`` for the levers whose value differs from ``scn``.

    A switching lever set to 0/False turns its section off (``enabled: false``); a lever that
    ``needs`` a switched-off lever is ignored.
    """
    out: list[tuple[str, Any]] = []
    on = {lv.name: (values.get(lv.name, scenario_value(scn, lv)) not in (0, 0.0, False))
          for lv in LEVERS if lv.switches}
    for lv in LEVERS:
        if lv.name not in values or values[lv.name] is None:
            continue
        v = values[lv.name]
        if lv.needs and not on.get(lv.needs, True):
            continue
        if lv.needs_value is not None:
            other, wanted = lv.needs_value
            if values.get(other, scenario_value(scn, BY_NAME[other])) != wanted:
                continue
        if _same(v, scenario_value(scn, lv)):
            continue
        if lv.switches:
            section = f"policies.{lv.switches}"
            if v in (0, 0.0, False):
                if _section_on(scn, lv.switches):
                    out.append((f"{section}.enabled", False))
                continue
            if not _section_on(scn, lv.switches) and getattr(scn.policies, lv.switches):
                out.append((f"{section}.enabled", True))
            if lv.path.endswith(".enabled"):
                out.append((lv.path, True))
                continue
        if lv.widget == "SliderInt" or lv.widget == "SliderFloat":
            v = float(v) / lv.scale
        out.append((lv.path, v))
    return out
