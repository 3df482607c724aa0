"""Policy registry: scenario section name -> policy class.

``build_policies(scenario)`` instantiates, in registry order, the class of every section of
``scenario.policies`` that is present and not ``enabled: false``. Sections without a class here
(e.g. ``careers_guidance``, read directly by the learning phase) are skipped. A new policy is
one module here plus one line in ``REGISTRY`` (and its section in ``scenario/schema_policies.py``).
"""

from __future__ import annotations

import importlib

from ecosim.model.policies.base import Policy

#: section name -> "module:Class" (imported lazily so a missing module does not break the core)
REGISTRY: dict[str, str] = {
    "aeb": "ecosim.model.policies.aeb:AdultEducationBudget",
    "training_accounts": "ecosim.model.policies.training_accounts:TrainingAccounts",
    "collaboration": "ecosim.model.policies.collaboration:CollaborationFunding",
    "partnership": "ecosim.model.policies.partnership:EducationPartnership",
    "careers_guidance": "ecosim.model.policies.careers_guidance:CareersGuidance",
    "retraining_50_plus": "ecosim.model.policies.retraining_50_plus:Retraining50Plus",
    "business_support": "ecosim.model.policies.business_support:BusinessSupport",
    "policy_churn": "ecosim.model.policies.policy_churn:PolicyChurn",
}


def policy_class(section: str) -> type[Policy] | None:
    """The class registered for ``section``, or None if none is registered or importable."""
    target = REGISTRY.get(section)
    if target is None:
        return None
    mod, _, cls = target.partition(":")
    try:
        module = importlib.import_module(mod)
    except ModuleNotFoundError as exc:
        if exc.name == mod:
            return None
        raise
    return getattr(module, cls)


def build_policies(scenario) -> list[Policy]:
    """Instantiate the active policies of ``scenario`` (in registry order)."""
    out: list[Policy] = []
    settings = scenario.policies
    for section in REGISTRY:
        conf = getattr(settings, section, None)
        if conf is None or not getattr(conf, "enabled", True):
            continue
        cls = policy_class(section)
        if cls is None:
            continue
        pol = cls(conf)
        if getattr(pol, "name", "policy") == "policy":
            pol.name = section
        out.append(pol)
    return out


__all__ = ["REGISTRY", "Policy", "build_policies", "policy_class"]
