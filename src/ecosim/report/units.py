"""How each metric reads in a report: a short label, the units of its value and of a change.

Shares and rates are shown in per cent and their changes in percentage points; money in pounds
(public spend as GBP million a year); counts in persons. Quarterly flows (spend, starts,
completions, ...) are summed over a year; everything else is averaged over the year's quarters.
"""

from __future__ import annotations

from dataclasses import dataclass

#: quarterly flows: a year's value is the sum of its four quarters
FLOWS: frozenset[str] = frozenset({
    "public_spend_gbp", "starts", "completions", "dropouts", "completions_level3_plus",
    "attained_level3_plus", "funded_starts", "hires", "employer_training_spend_gbp",
    "school_leavers", "in_migrants", "out_migrants", "retirements"})

LABELS: dict[str, str] = {
    "share_level3_plus": "Level 3+ share of 16-64s",
    "share_level4_plus": "Level 4+ share of 16-64s",
    "share_level2_plus": "Level 2+ share of 16-64s",
    "share_no_qualifications": "No-qualification share",
    "employment_rate": "Employment rate (16-64)",
    "unemployment_rate": "Unemployment rate",
    "skills_shortage_share": "Skills-shortage share of vacancies",
    "participation_rate_adult": "Adult participation in learning",
    "participation_rate_adult_funded": "Government-funded adult participation",
    "participation_rate_low_qualified": "Participation of the low-qualified",
    "participation_rate_50_plus": "Participation of 50-64s",
    "median_wage_gbp": "Median annual pay",
    "mean_wage_gbp": "Mean annual pay",
    "public_spend_gbp": "Public spend on skills",
    "cost_per_qualification_gbp": "Public cost per qualification",
    "cost_per_job_outcome_gbp": "Public cost per job outcome",
    "funded_share_level3": "Share of funded learners on Level 3 courses",
    "funded_share_priority_sectors": "Share of funded learners in priority sectors",
    "attained_level3_plus": "People reaching Level 3+",
    "employed": "People in work",
}

#: the headline KPIs of the report, in order
HEADLINE: tuple[str, ...] = (
    "share_level3_plus", "share_level4_plus", "employment_rate", "skills_shortage_share",
    "participation_rate_low_qualified", "median_wage_gbp", "public_spend_gbp",
    "cost_per_qualification_gbp")


@dataclass(frozen=True)
class Unit:
    """``value * scale`` is shown with ``fmt`` followed by ``suffix``; ``diff_unit`` names the
    units of a change, ``level_unit`` those of a level."""

    scale: float
    fmt: str
    suffix: str
    level_unit: str
    diff_unit: str


def is_share(metric: str) -> bool:
    m = metric
    return (m.startswith(("share_", "funded_share", "funded_starts_share", "participation_rate"))
            or m.endswith(("_rate", "_share")) or "_rate_" in m or m.startswith("low_paid_share"))


def unit(metric: str) -> Unit:
    """Display units of ``metric`` (see the module docstring)."""
    if is_share(metric):
        return Unit(100.0, "{:.1f}", "%", "%", "percentage points")
    if metric == "public_spend_gbp":
        return Unit(1e-6, "{:,.1f}", "m", "GBP million a year", "GBP million a year")
    if metric.endswith("_gbp") or "_gbp_" in metric:
        per = " a year" if "wage" in metric else ""
        return Unit(1.0, "{:,.0f}", "", f"GBP{per}", f"GBP{per}")
    if metric in FLOWS:
        return Unit(1.0, "{:,.0f}", "", "persons a year", "persons a year")
    return Unit(1.0, "{:,.3g}", "", "", "")


def label(metric: str) -> str:
    """A short readable name (the metric's own name when none is set)."""
    if metric in LABELS:
        return LABELS[metric]
    return metric.replace("_gbp", "").replace("_", " ").capitalize()


def fmt_level(metric: str, x: float) -> str:
    """A level, e.g. '53.2%' or 'GBP 27,400'."""
    u = unit(metric)
    s = u.fmt.format(x * u.scale)
    if u.suffix == "%":
        return s + "%"
    if u.level_unit.startswith("GBP"):
        return f"£{s}{u.suffix}"
    return s


def fmt_diff(metric: str, x: float, signed: bool = True, with_unit: bool = True) -> str:
    """A change, e.g. '+4.1 percentage points' or '+£310' (without the trailing unit words
    if not ``with_unit``)."""
    u = unit(metric)
    v = x * u.scale
    sign = "+" if signed and v > 0 else ("−" if v < 0 else "")
    s = u.fmt.format(abs(v))
    if u.suffix == "%":
        return f"{sign}{s} percentage points" if with_unit else f"{sign}{s}"
    if u.level_unit.startswith("GBP"):
        return f"{sign}£{s}{u.suffix}"
    return f"{sign}{s}"
