"""What each reported metric is: unit, stock or per-quarter flow, areas and valid range.

Read from the one-line descriptions in ``ecosim.model.metrics.METRICS`` (the single place a
metric is defined), so a new metric is described here without another list to keep in step:

- unit: "persons" / "agents" / "GBP" when the description says so (annual pay and output are
  "GBP a year"); shares and rates are "share" (0-1, shown as %); "(0-1)" is a "score";
  percentile and pay-gap ratios are "ratio";
- kind: "flow" for counts and money "this quarter" (summed over a year in summaries),
  "quarterly rate" for shares measured over one quarter, "rolling" for "last 4 quarters"
  measures, otherwise "stock" (a level at the quarter's end); all but flows are averaged;
- areas: the region and every district, except the metrics ``metrics.compute`` reports for
  the region only (``REGION_ONLY``; checked against a real run by the tests).

Importing this module is light; asking it about metrics imports the model package.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

#: metrics with no district meaning: NaN on district rows
REGION_ONLY = frozenset({
    "public_spend_gbp", "cost_per_qualification_gbp", "cost_per_job_outcome_gbp",
    "graduate_retention_rate", "out_migrants", "retirements",
    "district_gap_level3_plus", "district_gap_employment_rate",
    # Level 4-6 learning of adults aged 25+
    "adult_starts_level4_5", "adult_starts_level6_plus", "adult_qualifications_level4_5",
    "adult_qualifications_level6_plus",
})


#: units a per-quarter flow of which adds up over a year
ADDITIVE = frozenset({"persons", "agents", "providers", "GBP"})


@dataclass(frozen=True)
class MetricInfo:
    name: str
    description: str
    unit: str  # persons | agents | providers | GBP | GBP a year | share | share gap | score | ratio
    kind: str          # stock | flow | quarterly rate | rolling (see the module docstring)
    areas: str         # "region and districts" | "region only"
    low: float         # valid range (intervals are clipped to it)
    high: float

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["low"] = None if not math.isfinite(self.low) else self.low
        d["high"] = None if not math.isfinite(self.high) else self.high
        return d


def _descriptions() -> dict[str, str]:
    """``ecosim.model.metrics.METRICS`` (imports the model package: a second or two)."""
    from ecosim.model.metrics import METRICS

    return dict(METRICS)


def classify(name: str, description: str) -> MetricInfo:
    """The unit, kind, areas and range of one metric from its name and description."""
    d = description
    inf = math.inf
    if "(persons" in d:
        unit, lo, hi = "persons", 0.0, inf
    elif "(agents" in d:
        unit, lo, hi = "agents", 0.0, inf
    elif name == "provider_count":
        unit, lo, hi = "providers", 0.0, inf
    elif "GBP" in d:
        annual = bool(re.search(r"\bannual\b", d))
        unit, lo, hi = ("GBP a year" if annual else "GBP"), 0.0, inf
    elif name.startswith("pay_gap_"):
        unit, lo, hi = "ratio", -1.0, inf
    elif name == "wage_p90_p10":
        unit, lo, hi = "ratio", 1.0, inf
    elif name.startswith("district_gap_"):
        unit, lo, hi = "share gap", 0.0, 1.0
    elif "(0-1)" in d:
        unit, lo, hi = "score", 0.0, 1.0
    else:  # shares, rates, participation, district gaps in shares
        unit, lo, hi = "share", 0.0, 1.0
    if "this quarter" in d:
        kind = "flow" if unit in ADDITIVE else "quarterly rate"
    elif "last 4 quarters" in d:
        kind = "rolling"
    else:
        kind = "stock"
    areas = "region only" if name in REGION_ONLY else "region and districts"
    return MetricInfo(name, d, unit, kind, areas, lo, hi)


def all_metrics() -> list[MetricInfo]:
    """Every reported metric (policy ledger columns ``<policy>_<key>`` come on top)."""
    out: list[MetricInfo] = []
    for k, v in _descriptions().items():
        m = classify(k, v)
        if v.startswith("same,") and out:  # "same, for ...": measured like the one before
            m = MetricInfo(m.name, m.description, m.unit, out[-1].kind, m.areas, m.low, m.high)
        out.append(m)
    return out


def info(name: str) -> MetricInfo | None:
    """One metric's description, or None for columns that are not model metrics."""
    for m in all_metrics():
        if m.name == name:
            return m
    try:  # a policy ledger column: its policy declares kind and unit
        from ecosim.model.policies import ledger_entries
        from ecosim.model.policies.ledger import columns
    except ImportError:
        return None
    for section, entries in ledger_entries().items():
        e = columns(section, entries).get(name)
        if e is not None:
            lo = 0.0 if e.unit in ADDITIVE else -math.inf
            return MetricInfo(name, e.label, e.unit, e.kind, "region only", lo, math.inf)
    return None


__all__ = ["REGION_ONLY", "MetricInfo", "all_metrics", "classify", "info"]
