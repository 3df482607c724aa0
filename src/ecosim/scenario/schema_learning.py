"""Learning-side scenario sections: training decisions, learning progress, provider supply.

Each default says where it comes from or that it is an assumption; the North East baseline
overrides only what it calibrates (see ``scenarios/north_east_baseline.yaml``). Money is GBP at
2025 prices; utilities are logit units (one unit = ``training.money_per_utility_gbp``).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ecosim.scenario.schema_levels import _Strict


class ConsiderRatios(_Strict):
    """Chance of considering training by prior qualification band, relative to
    ``training.consider_share`` (0-1; ``kernels/training_disposition.py``)."""

    none: float = Field(0.08, ge=0.0, le=1.0, description="No qualifications.")
    level1: float = Field(0.10, ge=0.0, le=1.0, description="Level 1 and entry level.")
    level2: float = Field(0.40, ge=0.0, le=1.0, description="Level 2.")
    level3: float = Field(1.0, ge=0.0, le=1.0, description="Level 3.")
    level4_5: float = Field(1.0, ge=0.0, le=1.0, description="Level 4-5.")
    level6_plus: float = Field(1.0, ge=0.0, le=1.0, description="Level 6 and above.")

    def as_array(self) -> np.ndarray:
        """Ratios by band 0..5."""
        return np.array([self.none, self.level1, self.level2, self.level3, self.level4_5,
                         self.level6_plus])


class TrainingSettings(_Strict):
    """Learners' training decisions (``kernels/training_decision.py``)."""

    consider_share: float = Field(
        0.12, ge=0.0, le=1.0,
        description="Chance a resident qualified to Level 3 or above, not on a course, considers "
        "training this quarter (per quarter; lower bands: x consider_ratio). Calibrated: annual "
        "FE participation of 19-64s near 5% (docs/calibration.md).")
    trust_consider_elasticity: float = Field(
        0.0, ge=0.0, le=5.0,
        description="How much trust in the skills system (funding.participation_shift, logit "
        "units: lowered by policy churn, raised by a skills passport) moves the chance of "
        "considering training at all: consider_share x exp(this x shift), at most 1 (ratio; 0 "
        "= trust acts only on the value of a course). Seed 004: frequent reform is 'a recipe "
        "for complexity, confusion and a lack of trust', which keeps people from engaging "
        "with learning rather than from one course.")
    consider_ratio: ConsiderRatios = Field(
        default_factory=ConsiderRatios,
        description="Disposition to learn by prior qualification: consider_share is scaled by "
        "these ratios (0-1). Shaped on the Learning and Work Institute Adult Participation in "
        "Learning Surveys, where participation falls steadily with prior attainment and adults "
        "who left education at 16 or earlier take part at about half the rate of those who "
        "stayed to 21 or later; calibrated so that adults below Level 2 take part less than "
        "adults as a whole (docs/calibration.md).")
    min_age: float = Field(16.0, ge=14.0, le=80.0,
                           description="Youngest age that considers a course (years).")
    max_age: float = Field(65.0, ge=16.0, le=80.0,
                           description="Residents at or above this age do not consider courses "
                           "(years).")
    max_choices: int = Field(
        3, ge=1, le=20,
        description="Courses a learner ranks and applies to at most (courses; assumption: "
        "UCAS allows 5, adult learners apply to few).")
    max_travel_minutes: float = Field(
        90.0, ge=0.0, le=600.0,
        description="Reach limit: courses taught further away than this, one way, are not "
        "considered (minutes; online courses are always in reach). Assumption: the same as "
        "labour_market.max_commute_minutes.")
    discount_rate: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Annual rate at which learners discount future earnings (per year). "
        "Assumption: individual discount rates in the education literature are high, "
        "10-30% and more (Frederick, Loewenstein and O'Donoghue 2002); calibrated.")
    horizon_cap_years: float = Field(
        40.0, ge=1.0, le=60.0,
        description="Longest working horizon a learner counts gains over (years); the horizon "
        "is otherwise retirement age minus age minus course length.")
    money_per_utility_gbp: float = Field(
        4000.0, gt=0.0,
        description="Money worth one logit unit of utility (GBP). Calibrated with "
        "consider_share and course_constant.")
    course_constant: float = Field(
        -2.5, ge=-20.0, le=20.0,
        description="Utility of taking any course relative to not training, before gains and "
        "costs: effort, disruption (logit units). Calibrated.")
    course_taste_scale: float = Field(
        0.25, gt=0.0, le=1.0,
        description="Scale of the course-specific taste draw relative to the taste for training "
        "at all (0-1; 1 = plain logit, where every extra course on offer raises participation; "
        "smaller = courses are closer substitutes, as in a nested logit). Assumption.")
    motivation_weight: float = Field(
        0.8, ge=0.0, le=10.0,
        description="Utility per standard deviation of the learner's taste for learning "
        "(logit units). Assumption.")
    prior_level_weight: float = Field(
        1.0, ge=-5.0, le=5.0,
        description="Utility per qualification band above Level 2 (below: negative): confidence "
        "and familiarity with study (logit units per band). Assumption; most of the gradient "
        "in participation by prior qualification is in consider_ratio.")
    care_barrier_weight: float = Field(
        1.5, ge=0.0, le=20.0,
        description="Utility lost at a full caring barrier (logit units at barrier 1). "
        "Assumption.")
    transport_barrier_weight: float = Field(
        1.0, ge=0.0, le=20.0,
        description="Extra travel cost at a full transport barrier (proportion of the travel "
        "cost at barrier 1). Assumption.")
    value_of_time_gbp_per_hour: float = Field(
        4.0, ge=0.0, le=200.0,
        description="Value of a guided learning hour's leisure to every learner (GBP per hour). "
        "Assumption: about half the DfT non-work value of time.")
    forgone_earnings_share: float = Field(
        0.25, ge=0.0, le=1.0,
        description="Share of guided hours an employed learner takes out of paid work (0-1). "
        "Assumption: most adult learners study part time, outside working hours.")
    annual_work_hours: float = Field(
        1650.0, gt=0.0, le=4000.0,
        description="Paid hours in a working year, to turn pay into an hourly rate (hours per "
        "year). ONS ASHE: about 37 hours a week over 45 weeks.")
    travel_cost_gbp_per_minute_glh: float = Field(
        0.09, ge=0.0, le=10.0,
        description="Travel cost per one-way minute per guided learning hour (GBP per minute "
        "per hour): a return trip per 3-hour session at GBP 8 an hour. Assumption (DfT "
        "non-work value of time, about GBP 8/hour).")
    below_band_max_level: int = Field(
        1, ge=0, le=5,
        description="Courses to this band and below are candidates for every learner, whatever "
        "their highest qualification: English, maths, digital and ESOL courses and short sector "
        "tasters (RQF band; 0 = only the learner's own and next band). DfE Further education "
        "and skills: most adult FE learners take courses at Level 1 and below, and the Skills "
        "for Life Survey 2011 finds about half of adults with numeracy at Entry Level 3 or "
        "below, many of them qualified to Level 2 or above.")
    below_band_gain_gbp: float = Field(
        1000.0, ge=-100000.0, le=100000.0,
        description="Annual pay gain a learner expects from a course below their band, which "
        "leaves their highest qualification unchanged and adds skill (GBP per year). "
        "Assumption, calibrated on adult FE participation; of the order of the returns to "
        "Level 1 numeracy in Vignoles, De Coulon and Marcenaro-Gutierrez (2011), a few per cent "
        "of pay.")
    loan_min_level: int = Field(
        3, ge=1, le=6,
        description="Self-paid fees for courses to this band and above are financed by "
        "income-contingent loans (Advanced Learner Loans from Level 3, student loans for "
        "degrees); 6 = no loans (RQF band).")
    loan_fee_weight: float = Field(
        0.4, ge=0.0, le=1.0,
        description="Weight a learner puts on a loan-financed fee (0-1). Assumption: expected "
        "repayment of income-contingent loans is well below face value.")
    course_fit_sd_gbp: float = Field(
        0.0, ge=0.0, le=100000.0,
        description="Spread of the learner-specific part of a course's annual earnings gain "
        "(GBP per year): a lasting fit of each learner with each band and sector (aptitude, "
        "interest, contacts), so returns differ between people (Roy model; Carneiro, Heckman "
        "and Vytlacil 2011 on heterogeneous returns to schooling). Careers guidance reveals it "
        "with the rest of the gain. 0 = everyone in a band and sector has the same return.")
    upfront_cost_weight: float = Field(
        1.0, ge=0.0, le=20.0,
        description="Weight of the price a learner pays up front, after subsidies, relative to "
        "a discounted future gain of the same size (ratio; loan-financed fees are further "
        "weighted by loan_fee_weight). Above 1: liquidity constraints and present bias. "
        "Calibrated on the adult price responses in docs/calibration.md.")
    upfront_liquidity_elasticity: float = Field(
        0.0, ge=0.0, le=3.0,
        description="How much more an upfront fee weighs on a learner who earns less: the "
        "upfront weight is upfront_cost_weight x (upfront_reference_income_gbp / max(pay, "
        "upfront_income_floor_gbp)) ** this (ratio; 0 = the same weight for everyone). Credit "
        "constraints bind on the low-paid and the unemployed, whose learning responds most to "
        "fees (docs/calibration.md).")
    upfront_reference_income_gbp: float = Field(
        28000.0, gt=0.0, le=1e6,
        description="Annual pay at which the upfront weight is upfront_cost_weight (GBP a "
        "year; ONS ASHE 2023 North East median gross annual pay of full-time employees is "
        "about GBP 31,000, all employees about GBP 28,000).")
    upfront_income_floor_gbp: float = Field(
        6000.0, gt=0.0, le=1e6,
        description="Income counted for a learner without pay (unemployed or inactive) in that "
        "ratio (GBP a year; assumption: about the Universal Credit standard allowance for a "
        "single adult, GBP 4,700-6,000 a year in 2024-25).")
    guidance_noise_gbp: float = Field(
        6000.0, ge=0.0,
        description="Standard deviation of a learner's signal of the annual earnings gain of "
        "a course's level and sector at careers-guidance quality 0; it falls linearly to 0 at "
        "quality 1 (GBP per year). Assumption.")
    gain_prior_mean_gbp: float = Field(
        0.0, ge=-100000.0, le=100000.0,
        description="Annual earnings gain a learner believes any course brings before any "
        "information (GBP per year). Assumption: without information, no gain is expected.")
    gain_prior_sd_gbp: float = Field(
        3000.0, gt=0.0,
        description="Spread of learners' prior belief about course gains (GBP per year); "
        "learners weight their noisy signal by prior_sd^2 / (prior_sd^2 + noise_sd^2). "
        "Assumption.")


class QualificationShares(_Strict):
    """Chance that completing a course to each band counts as a qualification (0-1)."""

    level1: float = Field(
        0.6, ge=0.0, le=1.0,
        description="Courses to Level 1 and entry level. Assumption, calibrated within a "
        "plausible range: much adult learning at these levels is non-accredited (community "
        "learning, about 300,000 of 1.7 million adult FE learners in England in 2021/22, DfE "
        "Further education and skills) or a unit or award rather than a full qualification; "
        "with 1.0 the share of 16-64s without qualifications falls several times faster than "
        "in the APS.")
    level2: float = Field(1.0, ge=0.0, le=1.0, description="Courses to Level 2.")
    level3: float = Field(1.0, ge=0.0, le=1.0, description="Courses to Level 3.")
    level4_5: float = Field(1.0, ge=0.0, le=1.0, description="Courses to Level 4-5.")
    level6_plus: float = Field(1.0, ge=0.0, le=1.0, description="Degree courses.")

    def as_array(self) -> np.ndarray:
        """Shares by course band 0..5 (band 0 has no courses; 1.0)."""
        return np.array([1.0, self.level1, self.level2, self.level3, self.level4_5,
                         self.level6_plus])


class LearningSettings(_Strict):
    """Learning progress and completion (``kernels/learning_progress.py``) and whether a
    completion counts as a qualification (``kernels/qualification_award.py``)."""

    base_completion: float = Field(
        0.85, gt=0.0, lt=1.0,
        description="Chance a learner with average motivation and no barriers completes a "
        "whole course at reference-quality provision (0-1). ESFA qualification achievement "
        "rates for adult learners are about 85-90%; HESA non-continuation about 10%.")
    reference_quality: float = Field(
        0.6, ge=0.0, le=1.0,
        description="Provider quality at which base_completion applies (0-1). Assumption: a "
        "typical provider in the baseline.")
    quality_effect: float = Field(
        3.0, ge=0.0, le=20.0,
        description="Change in log-odds of completion per unit of provider quality above the "
        "reference (logit units per unit quality). Assumption.")
    motivation_effect: float = Field(
        0.4, ge=0.0, le=10.0,
        description="Change in log-odds of completion per standard deviation of motivation "
        "(logit units). Assumption.")
    barrier_effect: float = Field(
        1.0, ge=0.0, le=20.0,
        description="Fall in log-odds of completion per unit of care plus transport barrier "
        "(logit units). Assumption.")
    guidance_effect: float = Field(
        1.0, ge=0.0, le=10.0,
        description="Change in log-odds of completion per unit of careers-guidance quality "
        "above guidance_reference_quality (logit units): informed learners pick courses that "
        "suit them and drop out less. Assumption (Gatsby benchmarks; DfE evidence on course "
        "fit and non-completion).")
    guidance_reference_quality: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Careers-guidance quality at which base_completion holds; better guidance "
        "raises completion and worse lowers it (0-1 quality scale; assumption: the middle of "
        "the scale).")
    skill_gain: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the remaining sector-skill gap a completer closes at quality 1; "
        "proportional to provider quality (0-1). Assumption.")
    retraining_skill: float = Field(
        0.3, ge=0.0, le=1.0,
        description="Sector skill a completer of a course in another sector starts from "
        "before the course's skill gain (0-1). Assumption.")
    qualification_share: QualificationShares = Field(
        default_factory=QualificationShares,
        description="Chance that a completion raises the learner's highest qualification, by "
        "course band; otherwise the learner keeps their band and gains skill only (0-1).")


class ProviderSupplySettings(_Strict):
    """Provider course-mix adjustment towards funded, filled courses (provider_supply kernel)."""

    adjust_every_quarters: int = Field(
        4, ge=1, le=40,
        description="Providers revise places once every this many quarters, from fill and "
        "margins averaged over the quarters since the last revision (quarters; assumption: "
        "an annual planning round, so supply follows demand with a lag).")
    growth_rate: float = Field(
        0.10, ge=0.0, le=5.0,
        description="Largest proportional growth of a course's places per revision, for a "
        "full course at or above the reference margin and full adaptation (proportion). "
        "Assumption.")
    shrink_rate: float = Field(
        0.15, ge=0.0, le=1.0,
        description="Largest proportional cut of a course's places per revision, for an empty "
        "or loss-making course (proportion). Assumption.")
    full_threshold: float = Field(
        0.9, gt=0.0, le=1.0,
        description="Fill rate (learners per place) at or above which a profitable course "
        "grows; it grows faster the more applicants it turned away (0-1).")
    unpressed_growth_share: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of its full growth a full, profitable course gets when no applicant "
        "was turned away; it rises linearly with demand pressure (learners and turned-away "
        "applicants per place) to all of it at a pressure of full_threshold + (1 - this) x "
        "(1 - full_threshold) (0-1; assumption).")
    empty_threshold: float = Field(
        0.5, ge=0.0, lt=1.0,
        description="Fill rate below which a course shrinks (0-1).")
    margin_reference_gbp: float = Field(
        150.0, gt=0.0,
        description="Margin per learner-quarter at which growth reaches growth_rate; smaller "
        "margins grow proportionally slower (GBP per learner per quarter). Assumption.")
    max_growth_multiple: float = Field(
        2.0, ge=1.0, le=100.0,
        description="A course's places never exceed this multiple of its initial places, and "
        "of one place for a course that started with none (ratio). Assumption: estates and "
        "staff limit growth.")
