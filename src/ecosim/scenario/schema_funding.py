"""Policy sections that pay for learning: the Adult Education Budget (centralised or devolved)
and personal training accounts (France's CPF). Money is GBP at people scale; every default names
its source (a seed document) or says it is an assumption."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from ecosim.scenario.schema_levels import _Strict as _Section


# ------------------------------------------------------------------------------------- AEB
class LevelWeights(_Section):
    """A multiplier per course level band (courses reach Level 1 .. Level 6+)."""

    level1: float = Field(1.0, ge=0.0, le=10.0, description="Weight of courses to Level 1 / "
                          "entry (multiplier, 0-10).")
    level2: float = Field(1.0, ge=0.0, le=10.0, description="Weight of Level 2 courses "
                          "(multiplier, 0-10).")
    level3: float = Field(1.0, ge=0.0, le=10.0, description="Weight of Level 3 courses "
                          "(multiplier, 0-10).")
    level4_5: float = Field(1.0, ge=0.0, le=10.0, description="Weight of Level 4-5 courses "
                            "(multiplier, 0-10).")
    level6_plus: float = Field(1.0, ge=0.0, le=10.0, description="Weight of Level 6+ courses "
                               "(multiplier, 0-10).")

    def as_list(self) -> list[float]:
        """Weights by band 0..5 (band 0 has no courses: weight 0)."""
        return [0.0, self.level1, self.level2, self.level3, self.level4_5, self.level6_plus]


def _devolved_level_weights() -> LevelWeights:
    return LevelWeights(level1=0.5, level2=1.0, level3=2.5)


class DevolvedAebSettings(_Section):
    """How a combined authority commissions the AEB (used when ``regime: devolved``)."""

    max_providers: int = Field(
        8, ge=1, le=100000,
        description="Most providers commissioned each year (count). Seed 004: the WMCA reduced "
        "the number of training providers to build strategic relationships; the number is an "
        "assumption (8 of the North East's 17 provider agents).")
    quality_weight: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Weight of teaching quality vs outcomes (last year's completion rate of "
        "the provider's funded learners) in the commissioning score (0-1; assumption).")
    level_weights: LevelWeights = Field(
        default_factory=_devolved_level_weights,
        description="Rate multipliers by course level (multipliers). Assumption chosen so that "
        "devolving reproduces seed 004 (Level 3 provision up seven-fold in the West Midlands): "
        "Level 3 2.5, Level 1 0.5.")
    priority_sector_weight: float = Field(
        1.5, ge=0.0, le=10.0,
        description="Rate multiplier for courses in regional priority sectors (multiplier; "
        "assumption, seed 004: +33% provision aligned to priority sectors).")
    other_sector_weight: float = Field(
        0.6, ge=0.0, le=10.0,
        description="Rate multiplier for courses in sectors that are not regional priorities "
        "(multiplier; assumption, with priority_sector_weight chosen so that devolving raises "
        "the priority-sector share of funded provision by about a third, seed 004).")
    low_pay_threshold_gbp: float = Field(
        20000.0, ge=0.0, le=200000.0,
        description="Employed learners earning less than this are eligible (GBP per year). "
        "Seed 004: eligibility widened to people in low-paid, low-skilled work; the figure is an "
        "assumption near the ESFA low-wage trial thresholds of 2019-2022 (about GBP 16-21k).")
    low_paid_below_level: int = Field(
        3, ge=1, le=6,
        description="Low-paid workers are eligible only below this level band (band index, 3 = "
        "below Level 3: 'low-paid, low-skilled work', seed 004).")
    out_of_area_cap: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Largest share of each quarter's AEB allowance that may fund out-of-area "
        "providers (0-1). Seed 004: 15% before devolution; the cap is an assumption.")
    non_priority_share: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Share of the vocational courses outside the regional priority sectors "
        "that the authority commissions (0-1; 1 = all). Vocational: Level 2 up; entitlement "
        "courses are always funded. Seed 004: the WMCA aligned "
        "provision to regional economic need (+33% in priority sectors), to which 0.25 is "
        "calibrated. Which courses is a lasting draw per course.")
    reweight_strength: float = Field(
        0.5, ge=0.0, le=5.0,
        description="Yearly re-weighting from the region's vacancy data: a sector's rate is "
        "multiplied by (1 + strength x (its share of unfilled vacancies / its share of "
        "vacancies - 1)), clipped to [reweight_min, reweight_max] (elasticity; assumption).")
    reweight_min: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Smallest multiplier the yearly vacancy re-weighting gives a sector's rate "
        "(multiplier; assumption: at most halved in a year).")
    reweight_max: float = Field(
        2.0, ge=1.0, le=100.0,
        description="Largest multiplier the yearly vacancy re-weighting gives a sector's rate "
        "(multiplier; assumption: at most doubled in a year).")


_REGIME = ("centralised: national rates paid to any eligible provider in or out of area; "
           "devolved: the combined authority commissions and weights (seed 004).")


class _AebCommon(_Section):
    """What both AEB regimes set."""

    enabled: bool = Field(True, description="Whether the AEB policy module is active.")
    regime: Literal["centralised", "devolved"] = Field("centralised", description=_REGIME)
    budget_gbp_per_year: float = Field(
        126_000_000.0, ge=0.0, le=1e11,
        description="AEB allocated each year (GBP per year). Default seed 004: GBP 126m of AEB "
        "delivered to West Midlands residents in 2019.")
    carry_over_unspent: bool = Field(
        False,
        description="Whether money unspent at the end of a year adds to next year's pot; "
        "otherwise it is reported as unspent (carried forward in the ledger) and not used.")
    rate_per_glh_gbp: float = Field(
        6.0, ge=0.0, le=1000.0,
        description="National rate for standard-cost sectors (GBP per guided learning hour); "
        "a course's rate is this x its guided learning hours. Issue 4 / ESFA: the lower end of "
        "the GBP 6-12 per GLH bands.")
    high_cost_rate_per_glh_gbp: float = Field(
        12.0, ge=0.0, le=1000.0,
        description="National rate for high-cost sectors (GBP per guided learning hour); the "
        "upper end of the GBP 6-12 per GLH bands.")
    high_cost_sectors: list[str] = Field(
        default_factory=list,
        description="Sector names funded at the high-cost rate (e.g. engineering, construction); "
        "empty = none.")
    max_level: int = Field(
        3, ge=1, le=5,
        description="Highest course level band funded (band index; seed 004: the AEB relates "
        "mainly to Level 2 and Level 3 qualifications).")
    min_age: float = Field(19.0, ge=16.0, le=70.0,
                           description="Youngest eligible learner (years; adult funding is 19+).")
    low_qualified_below_level: int = Field(
        2, ge=1, le=6,
        description="Learners below this level band are eligible whatever their status "
        "(band index; 2 = below Level 2, the legal entitlement to a first Level 2).")
    unemployed_eligible: bool = Field(
        True, description="Whether unemployed learners below max_level are eligible (seed 004: "
        "provision 'targeting the unemployed').")
    entitlement_max_level: int = Field(
        1, ge=0, le=5,
        description="Every adult aged min_age or over, whatever their qualifications or status, "
        "is funded on courses to this band and below (band index; 0 = none). The AEB's legal "
        "entitlements fully fund English and maths for adults without a GCSE grade 4 and "
        "essential digital skills whatever their highest qualification (ESFA AEB funding "
        "rules), and most centrally funded provision was at Level 1 and below (seed 004: "
        "67%).")
    entitlement_below_level: int = Field(
        6, ge=1, le=6,
        description="Only learners below this band hold the entitlements to courses to "
        "entitlement_max_level (band index; 6 = every adult). The English and maths "
        "entitlement is for adults without a GCSE grade 4 (ESFA AEB funding rules), which "
        "entry to a degree almost always requires, so 5 leaves out degree holders.")
    entitlement_rate_gbp: float = Field(
        724.0, ge=0.0, le=100000.0,
        description="Least rate paid per start on courses to entitlement_max_level (GBP per "
        "start; the national GLH rate applies when higher). ESFA has funded Functional Skills "
        "English and maths qualifications at about GBP 724 since August 2019, the GCSE rate.")
    recruitment_share: float = Field(
        0.0, ge=0.0, le=1.0,
        description="Share of each year's budget that providers spend recruiting the adults "
        "the AEB fully funds who are not on a course (0-1; 0 = providers wait for learners to "
        "come). Paid at the start of the year: outreach in community venues, referral "
        "partnerships with Jobcentre Plus, publicity, reaching adults below "
        "low_qualified_below_level, the unemployed and, under devolution, low-paid workers. "
        "Providers hold AEB allocations and repay what they do not deliver (ESFA year-end "
        "reconciliation below 97% of the allocation), so they recruit to fill them.")
    recruitment_cost_gbp_per_person: float = Field(
        100.0, gt=0.0, le=100000.0,
        description="Cost of reaching one eligible resident for a year (GBP per person; "
        "assumption: as for the 50+ programme's outreach, about the National Careers Service's "
        "cost per adult customer).")
    recruitment_consider_multiplier: float = Field(
        3.0, ge=1.0, le=20.0,
        description="Multiplier on a reached resident's chance of considering training, for "
        "the year they are reached (ratio; assumption: as for the 50+ programme's outreach; "
        "1 = recruitment changes nothing).")


class CentralisedAebSettings(_AebCommon):
    """Adult Education Budget contracted centrally: national rates, every provider."""

    regime: Literal["centralised"] = Field("centralised", description=_REGIME)

    @model_validator(mode="before")
    @classmethod
    def _no_devolved_rules(cls, data: Any) -> Any:
        if isinstance(data, dict) and "devolved" in data:
            raise ValueError("'devolved' commissioning rules apply only under regime: devolved "
                             "(this section's regime is centralised); remove them or set "
                             "regime: devolved")
        return data


class DevolvedAebRegimeSettings(_AebCommon):
    """Adult Education Budget devolved to a combined authority, which commissions it."""

    regime: Literal["devolved"] = Field(description=_REGIME)
    devolved: DevolvedAebSettings = Field(
        default_factory=DevolvedAebSettings,
        description="Commissioning rules of the combined authority.")


def _aeb_regime(v: Any) -> str:
    if isinstance(v, dict):
        return str(v.get("regime", "centralised"))
    return str(getattr(v, "regime", "centralised"))


#: the AEB section: which fields are allowed depends on ``regime`` (centralised by default)
AebSettings = Annotated[
    Annotated[CentralisedAebSettings, Tag("centralised")]
    | Annotated[DevolvedAebRegimeSettings, Tag("devolved")],
    Discriminator(_aeb_regime, custom_error_type="invalid_regime",
                  custom_error_message="regime should be 'centralised' or 'devolved'"),
]


# ------------------------------------------------------------------------ training accounts
class UncertifiedMarketSettings(_Section):
    """Low-quality providers that enter the account market when certification is not required."""

    entrants: int = Field(3, ge=0, le=1000,
                          description="Uncertified providers ready to enter (count; assumption).")
    quality: float = Field(0.3, ge=0.0, le=1.0,
                           description="Their teaching quality (0-1; assumption).")
    initial_seats: float = Field(
        300.0, ge=0.0, le=1e7,
        description="Places each entrant opens on entry, spread over short Level 1 and 2 courses "
        "in every sector (persons; assumption). The first enters at once, one more each year.")
    price_share: float = Field(
        1.0, ge=0.0, le=5.0,
        description="Their fee as a share of the band's usual fee (ratio; assumption: priced to "
        "capture account balances, as under the early CPF and England's Individual Learning "
        "Accounts of 2000-01).")
    growth_per_quarter: float = Field(
        0.25, ge=0.0, le=5.0,
        description="Growth of an entrant's places per quarter when more than growth_fill_share "
        "of them are filled (proportion; assumption: seed 004, a 'profusion' of providers under "
        "the early CPF).")
    growth_fill_share: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of an entrant course's places that must be filled for it to grow "
        "(0-1; assumption: more than half).")
    delivery_cost_share: float = Field(
        0.3, ge=0.0, le=5.0,
        description="Their delivery cost per start as a share of the band's usual delivery cost "
        "(ratio; assumption: short online courses cost little to run).")
    glh_share: float = Field(
        0.25, ge=0.0, le=5.0,
        description="Their guided learning hours as a share of the band's usual hours (ratio; "
        "assumption: short versions, a quarter of the hours).")
    completion_penalty: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Subtracted from the quarterly completion probability on their courses "
        "(probability; assumption).")
    recognition_share: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Factor on the chance that completing one of their courses counts as a "
        "qualification (0-1; 1 = as recognised as a certified provider's). Assumption: seed "
        "004, the early CPF's 'profusion of certificates, labels and the mixed assurances they "
        "provided'; England's Individual Learning Accounts, where fraud and serious "
        "irregularities reached up to GBP 67m of about GBP 270m spent and bogus courses were "
        "paid for (National Audit Office, 2002).")
    appeal: float = Field(
        1.5, ge=0.0, le=5.0,
        description="Marketing appeal to account holders one band below the course (utility, "
        "logit units; assumption).")


class TrainingAccountSettings(_Section):
    """Personal training accounts (France's CPF), funded by an employer levy."""

    enabled: bool = Field(True, description="Whether the training-accounts module is active.")
    credit_gbp_per_year: float = Field(
        500.0, ge=0.0, le=100000.0,
        description="Yearly credit to each employed learner (GBP per year, credited quarterly). "
        "Seed 004: EUR 500 a year since 2019 (treated as GBP).")
    cap_gbp: float = Field(5000.0, ge=0.0, le=1e6,
                           description="Balance ceiling (GBP). Seed 004: EUR 5,000.")
    low_qualified_credit_gbp_per_year: float = Field(
        800.0, ge=0.0, le=100000.0,
        description="Yearly credit for learners below low_qualified_below_level (GBP per year). "
        "Seed 004: EUR 800 for people with no qualifications.")
    low_qualified_cap_gbp: float = Field(8000.0, ge=0.0, le=1e6,
                                         description="Their ceiling (GBP). Seed 004: EUR 8,000.")
    low_qualified_below_level: int = Field(
        3, ge=1, le=6, description="Band below which the higher credit applies (band index; "
        "3 = below Level 3, issue 4).")
    credit_unemployed: bool = Field(
        False, description="Whether the unemployed and inactive are credited too (seed 004: "
        "credits follow work; balances stay with the person when they lose their job).")
    levy_rate: float = Field(
        0.002, ge=0.0, le=0.2,
        description="Levy on the pay bill of employers above the size threshold (share of "
        "payroll). Assumption: about the CPF's 0.2% share of France's training contribution "
        "before 2019 (seed 004 names the levy, not its rate).")
    levy_min_employees: int = Field(
        11, ge=0, le=1_000_000,
        description="Employers with at least this many employees pay (persons; an employer "
        "agent's employees = its headcount x persons_per_agent). Seed 004: businesses with over "
        "10 employees.")
    state_underwrites: bool = Field(
        False,
        description="Whether the state pays account spending the levy fund cannot cover; "
        "otherwise accounts are rationed so the fund never goes below zero.")
    units: Literal["money", "hours"] = Field(
        "money",
        description="Units accounts are shown in. Seed 004: France moved from hours to money in "
        "2019 because money is easier to understand.")
    hours_salience: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Weight learners put on a balance shown in hours (0-1; money = 1). "
        "Assumption.")
    consider_uplift: float = Field(
        0.7, ge=0.0, le=20.0,
        description="Proportional rise in the quarterly chance of considering training for a "
        "learner whose account balance can be spent this quarter (ratio; in hours units times "
        "hours_salience): a balance earmarked for training is itself a prompt to learn. 0 = "
        "accounts act through the price only. Calibrated in the accounts scenario to the "
        "additionality of England's Individual Learning Accounts (York Consulting for DfES, "
        "RR294, 2001: around two-fifths of account-funded learning would have happened "
        "anyway).")
    gbp_per_hour: float = Field(
        15.0, gt=0.0, le=1000.0,
        description="Value of one account hour, used to report balances in hours (GBP per hour; "
        "France converted CPF hours at EUR 15 in 2019, treated as GBP).")
    copay_share: float = Field(
        0.0, ge=0.0, le=1.0,
        description="Share of the fee the learner pays even when the balance covers it (0-1; "
        "assumption: none).")
    supply_response: float = Field(
        0.5, ge=0.0, le=10.0,
        description="Places providers open on an account-eligible course per account-funded "
        "start on it, each quarter (places per start; assumption: account money draws supply "
        "into the training market, seed 004: CPF training sessions rose from 517,000 to "
        "984,000 in a year). Courses stay within supply_max_multiple.")
    supply_max_multiple: float = Field(
        3.0, ge=1.0, le=100.0,
        description="Places that account starts open keep a course within this multiple of its "
        "initial places (ratio; assumption: seed 004, CPF sessions rose 1.9-fold in the year "
        "after the switch to euros; the provider revision keeps "
        "providers.supply.max_growth_multiple).")
    certification_required: bool = Field(
        True,
        description="Only courses of certified providers may be bought with an account (seed 004: "
        "France's single compulsory certification). Off: uncertified low-quality providers "
        "enter and grow.")
    uncertified_market: UncertifiedMarketSettings = Field(
        default_factory=UncertifiedMarketSettings,
        description="Entry of low-quality providers when certification is not required.")
