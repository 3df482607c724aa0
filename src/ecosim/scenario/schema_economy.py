"""Scenario sections for the demand side: employers and the labour market."""

from __future__ import annotations

from pydantic import Field

from ecosim.scenario.schema_levels import LevelPremia, _Strict


# --------------------------------------------------------------------------------- employers
class EmployerSettings(_Strict):
    """Employer agents: how many, how big, how they train and upgrade."""

    n_agents: int = Field(3000, ge=1, le=1_000_000,
                          description="Number of employer agents (agents).")
    size_pareto_alpha: float = Field(
        1.3, ge=0.5, le=5.0,
        description="Tail index of employer size weights (Pareto; smaller = more concentrated).")
    high_road_beta_a: float = Field(2.0, ge=0.1, le=50.0,
                                    description="Beta distribution a of initial high-road score.")
    high_road_beta_b: float = Field(3.0, ge=0.1, le=50.0,
                                    description="Beta distribution b of initial high-road score.")
    high_road_level_tilt: float = Field(
        0.6, ge=0.0, le=5.0,
        description="How strongly a high-road business model tilts job requirements towards "
        "higher levels (log-odds per level band per unit of high-road score).")
    turnover_rate: float = Field(
        0.04, ge=0.0, le=1.0,
        description="Chance a worker leaves a low-road employer for non-employment (per quarter).")
    turnover_high_road_factor: float = Field(
        0.5, ge=0.0, le=2.0,
        description="Turnover at a fully high-road employer relative to a low-road one (ratio).")
    levy_payroll_threshold_gbp: float = Field(
        3_000_000.0, ge=0.0,
        description="Annual pay bill above which an employer pays training levies (GBP per year).")
    training_base_rate: float = Field(
        0.06, ge=0.0, le=1.0,
        description="Chance a worker at a fully high-road employer with no poaching risk is "
        "trained (per quarter).")
    training_high_road_power: float = Field(
        1.5, ge=0.0, le=5.0,
        description="Elasticity of training with respect to the high-road score (exponent).")
    training_poaching_sensitivity: float = Field(
        0.8, ge=0.0, le=1.0,
        description="How much poaching risk cuts training (0 none, 1 full).")
    training_cost_gbp: float = Field(
        600.0, ge=0.0, description="Employer's cost of training one worker for one quarter (GBP).")
    training_skill_gain: float = Field(
        0.08, ge=0.0, le=1.0,
        description="Share of the remaining skill gap closed by a quarter of employer training.")
    ojt_rate: float = Field(
        0.01, ge=0.0, le=1.0,
        description="Share of the remaining skill gap closed by a quarter of work at a fully "
        "high-road employer (on-the-job learning; low_road_absorption of that at a low-road "
        "one).")
    low_road_absorption: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the skill gain from employer training and on-the-job learning a "
        "worker takes in at a fully low-road employer; it rises linearly with the high-road "
        "score to all of it at a fully high-road one (0-1; assumption: absorptive capacity "
        "doubles from low road to high road).")
    skill_decay_unemployed: float = Field(
        0.01, ge=0.0, le=1.0, description="Skill lost per quarter out of work (proportion).")
    upgrade_rate: float = Field(
        0.012, ge=0.0, le=1.0,
        description="Chance an employer with full skill availability moves one step up the "
        "high-road scale (per quarter, before the business-support multiplier). Availability "
        "is availability_fill_weight x the district's Level 3+ vacancy fill rate plus the rest "
        "x the employer's mean workforce skill.")
    downgrade_rate: float = Field(
        0.02, ge=0.0, le=1.0,
        description="Chance an employer with no skill availability moves one step down "
        "(per quarter).")
    upgrade_step: float = Field(0.1, ge=0.0, le=1.0,
                                description="Size of one step on the high-road scale (0-1).")
    poaching_full_quit_rate: float = Field(
        0.25, gt=0.0, le=1.0,
        description="Annual rate of job-to-job quits at which an employer sees full poaching "
        "risk (per year).")
    poaching_memory: float = Field(
        0.8, ge=0.0, le=1.0,
        description="Weight on last quarter's poaching risk in the moving average (0-1).")
    availability_fill_weight: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Weight of the district's Level 3+ vacancy fill rate in an employer's skill "
        "availability; the rest is its workforce's mean skill (0-1; assumption: equal "
        "weights).")
    skill_fill_memory: float = Field(
        0.75, ge=0.0, le=1.0,
        description="Weight on last quarter's value in the moving average of each district's "
        "Level 3+ vacancy fill rate that employers read as skill availability (0-1; "
        "assumption: a mean lag of three quarters).")
    no_staff_skill: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Mean workforce skill counted for an employer with no staff in its skill "
        "availability (0-1 skill scale; assumption: the middle of the scale).")


# ------------------------------------------------------------------------------ labour market
class LabourMarketSettings(_Strict):
    """Job search, matching and wages."""

    employed_search_rate: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Chance an employed worker looks for another job (per quarter).")
    overqualified_search_factor: float = Field(
        3.0, ge=1.0, le=20.0,
        description="Multiplier on employed_search_rate for workers whose post is below their "
        "qualification level, capped at a chance of 1 (dimensionless; assumption: "
        "over-qualified workers look for better-matched jobs much more often).")
    employer_rank_level_weight: float = Field(
        0.15, ge=0.0, le=5.0,
        description="Weight of an applicant's level band in employers' ranking score (score "
        "= skill + weight x band + noise x Gumbel; skill units per band; assumption).")
    employer_rank_noise: float = Field(
        0.3, ge=0.0, le=5.0,
        description="Scale of the Gumbel noise in employers' ranking of applicants "
        "(unobserved fit; skill units; assumption).")
    candidates_per_searcher: int = Field(
        8, ge=1, le=100, description="Vacancies a searcher looks at (vacancies per quarter).")
    applications_per_searcher: int = Field(
        3, ge=1, le=50, description="Applications a searcher sends (applications per quarter).")
    matching_rounds: int = Field(2, ge=1, le=10,
                                 description="Application rounds per quarter (rounds).")
    local_search_decay_minutes: float = Field(
        25.0, ge=1.0, le=600.0,
        description="Travel time over which the chance of seeing a vacancy falls by e (minutes).")
    max_commute_minutes: float = Field(
        90.0, ge=0.0, le=600.0, description="Longest commute a searcher accepts (minutes).")
    commute_cost_gbp_per_minute: float = Field(
        60.0, ge=0.0,
        description="Annual money-equivalent cost of each commuting minute, one way (GBP per "
        "minute per year).")
    stretch_application_share: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Share of candidate vacancies seen one band above the searcher's level "
        "(employers reject these; they reveal skill shortages).")
    sector_switch_penalty_gbp: float = Field(
        2000.0, ge=0.0,
        description="Annual pay-equivalent reluctance to change sector (GBP per year).")
    application_noise_gbp: float = Field(
        1500.0, ge=0.0,
        description="Scale of searchers' idiosyncratic taste for a vacancy (Gumbel scale, GBP "
        "per year).")
    job_to_job_margin: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Pay rise an employed searcher needs to move (proportion).")
    sector_skill_transfer: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of sector skill kept when changing sector (0-1).")
    wage_level2_gbp: float = Field(
        23000.0, ge=1000.0, le=500000.0,
        description="Base annual pay of a Level 2 worker at an average employer (GBP per year).")
    level_premia: LevelPremia = Field(
        default_factory=LevelPremia,
        description="Pay premia of each band vs Level 2 built into offers (proportions).")
    high_road_premium: float = Field(
        0.10, ge=0.0, le=2.0,
        description="Extra pay at a fully high-road employer vs a low-road one (proportion).")
    skill_premium: float = Field(
        0.20, ge=0.0, le=2.0,
        description="Extra pay for full vs no sector skill at a fully high-road employer "
        "(proportion; a low-road employer pays low_road_skill_premium_share of it).")
    low_road_skill_premium_share: float = Field(
        0.3, ge=0.0, le=1.0,
        description="Share of the skill premium a fully low-road employer pays; it rises "
        "linearly with the high-road score to all of it (0-1; assumption: low-road employers "
        "reward skill little).")
    overqualified_premium_share: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the pay premium of a worker's own band over their post's band "
        "that an over-qualified worker is paid (0-1; assumption: a partial return to "
        "over-qualification, as over-qualified workers earn more than their well-matched "
        "colleagues but less than matched workers at their own level; Hartog 2000).")
    deprivation_wage_penalty: float = Field(
        0.10, ge=0.0, le=1.0,
        description="Pay shortfall in a fully deprived district (proportion).")
    wage_isomorphism: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Weight of the local norm (mean pay for the level and sector in the "
        "district) in an employer's offer (0-1).")
    wage_adjust_speed: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Share of the gap to the target wage closed each quarter by stayers (0-1).")
    low_pay_threshold: float = Field(
        0.6667, ge=0.0, le=2.0,
        description="Low pay: below this multiple of the regional median wage (ratio).")
    markup_low_road: float = Field(
        0.35, ge=0.0, le=5.0,
        description="Output per worker above pay at a low-road employer (proportion).")
    markup_high_road: float = Field(
        0.65, ge=0.0, le=5.0,
        description="Output per worker above pay at a high-road employer (proportion).")
