"""Policy sections of a scenario: one optional section per policy module.

A section that is present (not ``None``) and not ``enabled: false`` switches its policy on;
``ecosim.model.policies.build_policies`` maps section names to policy classes. Money is in GBP
at people scale (the policies multiply agent-scale amounts by ``run.persons_per_agent``).
Every default names its source: a seed document in ``/seeds`` ("seed 004" etc.) or "assumption".
``PolicySettings.semantic_errors(scenario)`` checks names (sectors, districts, providers)
against the rest of the scenario.
"""

from __future__ import annotations

from pydantic import Field

from ecosim.errors import did_you_mean
from ecosim.scenario.schema_apprenticeships import ApprenticeshipSettings  # noqa: F401
from ecosim.scenario.schema_funding import (  # noqa: F401  (re-exported)
    AebSettings,
    CentralisedAebSettings,
    DevolvedAebRegimeSettings,
    DevolvedAebSettings,
    LevelWeights,
    TrainingAccountSettings,
    UncertifiedMarketSettings,
)
from ecosim.scenario.schema_levels import _Strict as _Section


# ---------------------------------------------------------------------------- careers guidance
class CareersGuidanceSettings(_Section):
    """Careers guidance: how clearly learners see the returns to courses."""

    enabled: bool = Field(True, description="Whether the careers-guidance policy module is active.")
    quality: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Quality of careers information, 0 (none: returns seen with much noise) to 1 "
        "(perfect: returns seen exactly); dimensionless.",
    )


# ---------------------------------------------------------------------------- collaboration
class CollaborationSettings(_Section):
    """Earmarked FE-HE collaboration funding (seed 004 recommendation iii; East Midlands box)."""

    enabled: bool = Field(True, description="Whether the collaboration module is active.")
    fe_he_funding_gbp_per_year: float = Field(
        700_000_000.0, ge=0.0, le=1e12,
        description="FE and HE teaching funding of the region's providers from which the "
        "earmark is taken (GBP per year; assumption for the North East: ~60k undergraduates at "
        "~GBP 9k plus ~GBP 150m FE).")
    earmark_share: float = Field(
        0.02, ge=0.0, le=0.5,
        description="Share earmarked for joint FE-HE projects (0-0.5; assumption; seed 004 "
        "recommends 'earmarking an element').")
    routes_share: float = Field(0.4, ge=0.0, le=1.0,
                                description="Share of the earmark for articulated routes (0-1).")
    satellite_share: float = Field(
        0.4, ge=0.0, le=1.0, description="Share for satellite university provision (0-1).")
    satellite_higher_technical_share: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the satellite money buying Level 4-5 (higher technical) places; "
        "the rest buys degree places (0-1; assumption: an even split).")
    engagement_share: float = Field(
        0.2, ge=0.0, le=1.0, description="Share for joint employer engagement (0-1).")
    top_slice_core_places: bool = Field(
        True,
        description="Whether partners' existing places shrink by earmark_share (the earmark "
        "comes out of their core funding).")
    partner_colleges: list[str] = Field(
        default_factory=list,
        description="Colleges in the partnership (names); empty = every in-area college.")
    partner_universities: list[str] = Field(
        default_factory=list,
        description="Universities in the partnership (names); empty = every in-area university.")
    route_progression_bonus: float = Field(
        0.6, ge=0.0, le=5.0,
        description="Extra utility of a partner's Level 4-5 course for Level 3 holders "
        "(articulated route; logit units; assumption).")
    route_completion_bonus: float = Field(
        0.03, ge=0.0, le=1.0,
        description="Added to the quarterly completion probability on articulated routes "
        "(recognised credit; probability; assumption).")
    satellite_district: str | None = Field(
        None,
        description="District that gets satellite university provision; null = the district "
        "with the lowest Level 4+ share at the start (seed 004: NTU's Mansfield hub).")
    satellite_university: str | None = Field(
        None, description="University running the satellite; null = the best in-area "
        "university by quality.")
    satellite_sectors: list[str] = Field(
        default_factory=list,
        description="Sectors of satellite courses (names); empty = the priority sectors.")
    engagement_sectors: list[str] = Field(
        default_factory=list,
        description="Sectors whose employers join joint engagement (names); empty = the "
        "priority sectors.")
    engagement_cost_gbp_per_employee: float = Field(
        100.0, gt=0.0, le=1e6,
        description="Yearly cost of engagement per employee of a partner employer (GBP per "
        "person per year; assumption).")
    absorptive_gain_per_year: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Rise of a partner employer's high-road score each year (0-1 scale; "
        "assumption).")


# ----------------------------------------------------------------------------- partnership
class PartnershipSettings(_Section):
    """Regional Education Partnership (seed 000; seed 002 on duplication)."""

    enabled: bool = Field(True, description="Whether the partnership module is active.")
    coordination_rate: float = Field(
        0.3, ge=0.0, le=1.0,
        description="Share of empty places on duplicated in-area courses moved each year to "
        "full courses of the same level (0-1; assumption; seed 002: avoid wasteful "
        "duplication).")
    full_threshold: float = Field(
        0.9, ge=0.0, le=1.0,
        description="A course counts as full above this fill rate (enrolled / places; "
        "assumption).")
    pathway_bonus: float = Field(
        0.3, ge=0.0, le=5.0,
        description="Extra utility of an in-area course one band above the learner's level "
        "(lifelong learning pathways, seed 000; logit units; assumption).")
    passport_completion_bonus: float = Field(
        0.02, ge=0.0, le=1.0,
        description="Added to the quarterly completion probability on in-area courses: "
        "credit recognised across the region's providers (skills passport, seed 000; "
        "probability; assumption).")
    passport_trust: float = Field(
        0.1, ge=0.0, le=5.0,
        description="Utility added to every course because credentials count with every "
        "employer in the region (logit units; assumption).")
    running_cost_gbp_per_year: float = Field(
        49000.0, ge=0.0, le=1e9,
        description="Running cost (GBP per year). Seed 002: GBP 10m for 204 Learning "
        "Partnerships, about GBP 49k each.")


# ------------------------------------------------------------------------------ 50+ retraining
class Retraining50PlusSettings(_Section):
    """50+ workforce: retrain, regain, retain (seed 001)."""

    enabled: bool = Field(True, description="Whether the 50+ retraining module is active.")
    min_age: float = Field(50.0, ge=30.0, le=70.0, description="Youngest eligible (years; "
                           "seed 001: the 50+ workforce).")
    below_level: int = Field(
        3, ge=1, le=6,
        description="Eligible below this band (band index; assumption: below Level 3).")
    include_inactive: bool = Field(
        True, description="Whether inactive residents are eligible (seed 001: reduce "
        "inactivity in the 50+ workforce).")
    budget_gbp_per_year: float = Field(
        3_000_000.0, ge=0.0, le=1e11,
        description="Ring-fenced budget for the starts of the 50+ below Level 3, paid before "
        "any AEB pays; the 50+ are publicly eligible while it lasts (GBP per year; "
        "assumption).")
    rate_per_glh_gbp: float = Field(
        6.0, ge=0.0, le=1000.0,
        description="Rate paid per guided learning hour when no AEB runs (with an AEB its "
        "rates are paid; GBP per hour; the lower AEB band).")
    max_level: int = Field(3, ge=1, le=5,
                           description="Highest course band funded when no AEB runs.")
    outreach_share: float = Field(
        0.2, ge=0.0, le=1.0,
        description="Share of each year's budget spent at the start of the year on outreach "
        "and guidance to eligible residents not on a course (0-1; assumption: seed 001's "
        "programme helps older workers to retrain and make in-work transitions, not only "
        "pays for places; the 50+ seldom consider learning at all, docs/odd.md 8.6).")
    outreach_cost_gbp_per_person: float = Field(
        100.0, gt=0.0, le=100000.0,
        description="Cost of reaching one eligible resident with outreach and a guidance "
        "conversation for a year (GBP per person; assumption: about the National Careers "
        "Service's cost per adult customer, GBP 380m over 2012-17 (TES, 2017) for some "
        "800,000 adult customers a year (Next Step's first year: 809,000; London Economics, "
        "2012)).")
    outreach_consider_multiplier: float = Field(
        3.0, ge=1.0, le=20.0,
        description="Multiplier on a reached resident's chance of considering training, for "
        "the year they are reached (ratio; assumption: guidance raises learning, as London "
        "Economics' 2017 evaluation of the National Careers Service found 'a relatively "
        "strong effect' on education and training outcomes that persisted after support, "
        "while most adults who do not learn say nothing would encourage them, Learning and "
        "Work Institute surveys; 1 = outreach changes nothing).")


# ---------------------------------------------------------------------------- business support
class BusinessSupportSettings(_Section):
    """Demand-side support that helps employers move up the high-road scale (seed 004)."""

    enabled: bool = Field(True, description="Whether the business-support module is active.")
    budget_gbp_per_year: float = Field(
        5_000_000.0, ge=0.0, le=1e11, description="Budget (GBP per year; assumption).")
    cost_gbp_per_employee: float = Field(
        300.0, gt=0.0, le=1e6,
        description="Yearly cost of supporting an employer, per employee (GBP per person per "
        "year; assumption).")
    support_multiplier: float = Field(
        3.0, ge=1.0, le=50.0,
        description="Multiplier on a supported employer's chance of moving up the high-road "
        "scale (ratio; assumption).")
    max_high_road: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Only employers at or below this high-road score are supported (0-1; "
        "assumption: the low road).")
    districts: list[str] = Field(default_factory=list,
                                 description="Districts covered (names); empty = all.")
    sectors: list[str] = Field(default_factory=list,
                               description="Sectors covered (names); empty = all.")


# ------------------------------------------------------------------------------- policy churn
class PolicyChurnSettings(_Section):
    """Periodic reform of the skills system (seed 004: 'policy churn')."""

    enabled: bool = Field(True, description="Whether the policy-churn module is active.")
    period_years: float = Field(
        2.0, gt=0.0, le=50.0,
        description="Years between reforms (years). Seed 004: fifteen reviews and fifteen "
        "white papers in 1992-2021, one every two years or so.")
    first_reform_year: int = Field(
        1, ge=1, le=100, description="Model year of the first reform (1 = the first year).")
    adaptation_reset: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of providers' adaptation to the funding regime lost at a reform "
        "(0-1; assumption).")
    adaptation_recovery_per_year: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the lost adaptation regained each year (0-1; assumption).")
    trust_drop: float = Field(
        0.4, ge=0.0, le=5.0,
        description="Utility taken from every course at a reform: confusion and lost trust "
        "(logit units; assumption; seed 004: 'a recipe for complexity, confusion and a lack of "
        "trust').")
    trust_recovery_years: float = Field(
        2.0, gt=0.0, le=50.0,
        description="Years over which the lost trust returns, linearly (years; assumption).")


# ------------------------------------------------------------- lifelong learning entitlement
class LifelongLearningEntitlementSettings(_Section):
    """Lifelong Learning Entitlement: income-contingent loans for Level 4-6 courses and modules
    over a working life (seed 000: "now scheduled for 2026/7"; docs/calibration.md)."""

    enabled: bool = Field(True, description="Whether the entitlement module is active.")
    start_year: int = Field(
        2027, ge=1900, le=2200,
        description="Calendar year from whose first quarter courses and modules can be paid "
        "with the entitlement (year; DfE: the LLE opens for courses starting from January 2027, "
        "applications from September 2026, the 2026/27 academic year).")
    entitlement_gbp: float = Field(
        38140.0, ge=0.0, le=500000.0,
        description="Tuition a person may borrow over their working life (GBP per person; DfE "
        "LLE: the equivalent of four years of tuition, GBP 38,140 at 2025/26 fees, 4 x GBP "
        "9,535).")
    min_age: float = Field(
        18.0, ge=16.0, le=67.0,
        description="Youngest eligible learner (years; DfE LLE: from 18).")
    max_age: float = Field(
        60.0, ge=16.0, le=67.0,
        description="Learners must be younger than this at the start of a course or module "
        "(years; DfE LLE: loans for people under 60).")
    modular: bool = Field(
        True,
        description="Whether modules (units of a Level 4-6 qualification) can be taken and "
        "paid for one at a time; false: whole courses only (DfE LLE: modules of 30 credits or "
        "more of designated courses).")
    module_quarters: int = Field(
        1, ge=1, le=4,
        description="Length of a module (quarters of study); it gives module_quarters / the "
        "course's length of the qualification, at that share of its fee and hours (assumption: "
        "a 30-credit module is a quarter of a 120-credit year, one quarter of full-time "
        "study).")
    module_places_share: float = Field(
        0.1, ge=0.0, le=2.0,
        description="Places for modules when the entitlement opens, as a share of the places "
        "on the Level 4-6 courses they are part of (ratio; assumption: providers start "
        "modular provision small; module take-up rises with it, docs/levers.md); providers "
        "then grow or shrink them like any course.")
    maintenance: bool = Field(
        True,
        description="Whether the loan also replaces the earnings a learner gives up while "
        "studying (maintenance support; DfE LLE: maintenance loans for courses and modules "
        "taught in person). Maintenance adds to the loan, not to the tuition entitlement used.")
    repayment_rate: float = Field(
        0.09, ge=0.0, le=1.0,
        description="Share of earnings above the threshold repaid each year (0-1; Plan 5: 9%).")
    repayment_threshold_gbp: float = Field(
        25000.0, ge=0.0, le=1e6,
        description="Yearly earnings above which repayments are due (GBP a year; Plan 5: "
        "GBP 25,000, kept constant in real terms: assumption).")
    write_off_years: float = Field(
        40.0, gt=0.0, le=60.0,
        description="Years after the first loan at which what is still owed is written off "
        "(years; Plan 5: 40 years from the April after the course ends).")


# ------------------------------------------------------------------------------------ all
class PolicySettings(_Section):
    """All policy levers; each section is optional and off when absent."""

    aeb: AebSettings | None = Field(None, description="Adult Education Budget.")
    training_accounts: TrainingAccountSettings | None = Field(
        None, description="Personal training accounts (CPF).")
    collaboration: CollaborationSettings | None = Field(
        None, description="Earmarked FE-HE collaboration funding.")
    partnership: PartnershipSettings | None = Field(
        None, description="Regional Education Partnership.")
    careers_guidance: CareersGuidanceSettings = Field(
        default_factory=CareersGuidanceSettings,
        description="Careers guidance (present by default; enabled: false means no guidance, "
        "quality 0).",
    )
    retraining_50_plus: Retraining50PlusSettings | None = Field(
        None, description="50+ retraining.")
    business_support: BusinessSupportSettings | None = Field(
        None, description="Business support (demand side).")
    policy_churn: PolicyChurnSettings | None = Field(None, description="Policy churn.")
    # -- apprenticeships and the levy (schema_apprenticeships.py)
    apprenticeships: ApprenticeshipSettings | None = Field(
        None, description="Apprenticeships and the employer levy.")
    lifelong_learning_entitlement: LifelongLearningEntitlementSettings | None = Field(
        None, description="Lifelong Learning Entitlement (loans for Level 4-6 courses and "
        "modules).")

    def semantic_errors(self, scenario) -> list[tuple[tuple[str | int, ...], str]]:
        """Names used by the policies that the scenario does not define, as (path, message)."""
        errs: list[tuple[tuple[str | int, ...], str]] = []
        sectors = [s.name for s in scenario.sectors]
        districts = [d.name for d in scenario.region.districts]
        colleges = [p.name for p in scenario.providers.colleges]
        unis = [p.name for p in scenario.providers.universities]

        def check(section: str, key: str, names, valid) -> None:
            if names is None:
                return
            items = [names] if isinstance(names, str) else list(names)
            for i, nm in enumerate(items):
                if nm not in valid:
                    hint = did_you_mean(nm, valid)
                    path = ("policies", section, key) if isinstance(names, str) else \
                        ("policies", section, key, i)
                    errs.append((path, f"unknown name '{nm}'{hint}"))

        if self.aeb is not None:
            check("aeb", "high_cost_sectors", self.aeb.high_cost_sectors, sectors)
        c = self.collaboration
        if c is not None:
            check("collaboration", "partner_colleges", c.partner_colleges, colleges)
            check("collaboration", "partner_universities", c.partner_universities, unis)
            check("collaboration", "satellite_district", c.satellite_district, districts)
            check("collaboration", "satellite_university", c.satellite_university, unis)
            check("collaboration", "satellite_sectors", c.satellite_sectors, sectors)
            check("collaboration", "engagement_sectors", c.engagement_sectors, sectors)
            if c.routes_share + c.satellite_share + c.engagement_share > 1.0 + 1e-9:
                errs.append((("policies", "collaboration", "routes_share"),
                             "routes_share + satellite_share + engagement_share must be <= 1"))
        b = self.business_support
        if b is not None:
            check("business_support", "districts", b.districts, districts)
            check("business_support", "sectors", b.sectors, sectors)
        lle = self.lifelong_learning_entitlement
        if lle is not None and lle.min_age >= lle.max_age:
            errs.append((("policies", "lifelong_learning_entitlement", "max_age"),
                         f"max_age ({lle.max_age:g}) must be greater than min_age "
                         f"({lle.min_age:g})"))
        return errs
