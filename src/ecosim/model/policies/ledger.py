"""Typed policy ledgers: each policy declares what it reports, and who pays for each amount.

A policy lists its ledger as ``LEDGER: tuple[Entry, ...]`` and returns one float per declared
key from ``ledger()`` each quarter; the model reports each as a metric column
``<policy>_<key>`` on the region rows (``SkillsEcosystem.metrics_frame``). Money is GBP at people
scale (agent-scale amounts x ``run.persons_per_agent``).

* A **flow** is an amount in this quarter only (money paid, starts made).
* A **stock** is a level at the end of the quarter: a balance, or a running total since the
  start of the run.

Money entries say who pays: ``public`` (a public budget or the state), ``levy`` (an employer
levy fund), ``learner`` or ``employer``. A policy's public spend this quarter is the sum of its
public flows (:func:`public_spend`); the model adds it as ``<policy>_public_spend_gbp`` for
every policy that declares a public flow, and the region metric ``public_spend_gbp`` sums them.
A policy with one public stream may declare it under the key ``public_spend_gbp`` itself. An
entry with ``part_of`` is a breakdown of another entry (e.g. spend on Level 3 courses, part of
the spend) and is not added again.

``report`` says how the comparison summary (``ecosim.report.summary``) shows the entry: ``end``
(value in the last reported quarter), ``sum`` (final-year total of a flow) or ``ratio:a/b``
(final-year sum of entry ``a`` over that of ``b``, shown as ``report_label``); ``None`` leaves
it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["flow", "stock"]
Payer = Literal["public", "levy", "learner", "employer"]
PAYERS: tuple[str, ...] = ("public", "levy", "learner", "employer")


@dataclass(frozen=True)
class Entry:
    """One ledger line: ``key`` (column suffix), ``kind``, ``unit`` (GBP, persons, agents,
    providers, courses, hours, share, count), ``payer`` (money only), a readable ``label``
    and how the summary ``report``s it."""

    key: str
    kind: Kind
    unit: str
    label: str
    payer: Payer | None = None
    report: str | None = None
    part_of: str | None = None
    report_label: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("flow", "stock"):
            raise ValueError(f"ledger entry {self.key}: kind must be flow or stock")
        if self.payer is not None and self.payer not in PAYERS:
            raise ValueError(f"ledger entry {self.key}: payer must be one of {PAYERS}")
        if self.payer is not None and self.unit != "GBP":
            raise ValueError(f"ledger entry {self.key}: only money (GBP) has a payer")


def flow(key: str, label: str, unit: str = "GBP", payer: Payer | None = None,
         report: str | None = None, part_of: str | None = None,
         report_label: str | None = None) -> Entry:
    """An amount in this quarter."""
    return Entry(key, "flow", unit, label, payer, report, part_of, report_label)


def stock(key: str, label: str, unit: str = "GBP", payer: Payer | None = None,
          report: str | None = None, part_of: str | None = None) -> Entry:
    """A level at the end of the quarter (a balance or a running total)."""
    return Entry(key, "stock", unit, label, payer, report, part_of)


PUBLIC_SPEND_KEY = "public_spend_gbp"


def public_flows(entries: Iterable[Entry]) -> list[Entry]:
    """The entries that are public money paid this quarter."""
    return [e for e in entries if e.kind == "flow" and e.payer == "public" and e.part_of is None]


def public_spend(entries: Iterable[Entry], values: Mapping[str, float]) -> float:
    """Sum of the public flows in ``values`` (in declaration order)."""
    total = 0.0
    for e in public_flows(entries):
        total += float(values[e.key])
    return total


def checked(name: str, entries: tuple[Entry, ...], values: Mapping[str, float]
            ) -> dict[str, float]:
    """``values`` as floats in declaration order, plus ``public_spend_gbp`` when the policy
    declares public flows; a key that is missing or not declared is a programming error."""
    want = [e.key for e in entries]
    if set(values) != set(want) or len(want) != len(set(want)):
        missing = sorted(set(want) - set(values))
        extra = sorted(set(values) - set(want))
        raise RuntimeError(f"policy {name}: ledger keys do not match its LEDGER declaration "
                           f"(missing {missing}, undeclared {extra})")
    out = {k: float(values[k]) for k in want}
    if public_flows(entries):
        out[PUBLIC_SPEND_KEY] = public_spend(entries, values)
    return out


def columns(name: str, entries: tuple[Entry, ...]) -> dict[str, Entry]:
    """Metric column -> entry for one policy (``<name>_<key>``), including the derived
    ``<name>_public_spend_gbp``."""
    out = {f"{name}_{e.key}": e for e in entries}
    if public_flows(entries) and f"{name}_{PUBLIC_SPEND_KEY}" not in out:
        out[f"{name}_{PUBLIC_SPEND_KEY}"] = flow(PUBLIC_SPEND_KEY, "public spend (GBP)",
                                                 payer="public")
    return out


__all__ = ["PAYERS", "PUBLIC_SPEND_KEY", "Entry", "checked", "columns", "flow", "public_flows",
           "public_spend", "stock"]
