"""Policy registry: scenario section name -> policy class.

``build_policies(scenario)`` instantiates, in registry order, the class of every section of
``scenario.policies`` that is present and not ``enabled: false``. A section whose policy has
variants (the AEB's ``regime``) maps each value of the variant key to its class. A new policy
is one module here plus one line in ``REGISTRY`` (and its section in
``scenario/schema_policies.py``); it declares its ledger (``policies/ledger.py``) and reads other
policies' effects only through the funding arrays (docs/architecture.md).

Order matters only where a hook reads what an earlier one wrote: ring-fenced funders (50+
retraining) come before the AEB (the general public funder), so that at settling they pay for
their own learners first and the AEB pays for the rest (``funding.public_paid``).
"""

from __future__ import annotations

import importlib

from ecosim.model.policies.base import Policy
from ecosim.model.policies.ledger import Entry

#: section name -> "module:Class", or (variant key, {value: "module:Class"})
REGISTRY: dict[str, str | tuple[str, dict[str, str]]] = {
    "retraining_50_plus": "ecosim.model.policies.retraining_50_plus:Retraining50Plus",
    "aeb": ("regime", {"centralised": "ecosim.model.policies.aeb:CentralisedAEB",
                       "devolved": "ecosim.model.policies.aeb:DevolvedAEB"}),
    "training_accounts": "ecosim.model.policies.training_accounts:TrainingAccounts",
    "collaboration": "ecosim.model.policies.collaboration:CollaborationFunding",
    "partnership": "ecosim.model.policies.partnership:EducationPartnership",
    "careers_guidance": "ecosim.model.policies.careers_guidance:CareersGuidance",
    "business_support": "ecosim.model.policies.business_support:BusinessSupport",
    "policy_churn": "ecosim.model.policies.policy_churn:PolicyChurn",
    # apprenticeships and the levy
    "apprenticeships": "ecosim.model.policies.apprenticeships:Apprenticeships",
    # last: its module rows are added after the other policies' setup (none sizes arrays by them)
    "lifelong_learning_entitlement":
        "ecosim.model.policies.lifelong_learning_entitlement:LifelongLearningEntitlement",
}


def _load(target: str) -> type[Policy]:
    mod, _, cls = target.partition(":")
    return getattr(importlib.import_module(mod), cls)


def policy_class(section: str, settings=None) -> type[Policy] | None:
    """The class registered for ``section`` (for a section with variants, the one its
    ``settings`` pick; without settings, the first variant), or None if none is registered."""
    target = REGISTRY.get(section)
    if target is None:
        return None
    if isinstance(target, tuple):
        key, variants = target
        value = getattr(settings, key, None) if settings is not None else None
        target = variants.get(value, next(iter(variants.values())))
    return _load(target)


def ledger_entries() -> dict[str, tuple[Entry, ...]]:
    """Section -> the ledger its policy declares (for readers of results: the summary and
    the comparison report). Variants of one section share their ledger."""
    return {section: policy_class(section).LEDGER for section in REGISTRY}


def build_policies(scenario) -> list[Policy]:
    """Instantiate the active policies of ``scenario`` (in registry order)."""
    out: list[Policy] = []
    settings = scenario.policies
    for section in REGISTRY:
        conf = getattr(settings, section, None)
        if conf is None or not getattr(conf, "enabled", True):
            continue
        pol = policy_class(section, conf)(conf)
        pol.name = section
        out.append(pol)
    return out


__all__ = ["REGISTRY", "Policy", "build_policies", "ledger_entries", "policy_class"]
