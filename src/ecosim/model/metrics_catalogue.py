"""The metrics the model reports each quarter, with one-line descriptions (name -> meaning,
units in brackets), in column order: ``METRICS``. ``metrics.compute`` fills them and
``ecosim.metric_info`` reads the descriptions for units and labels; kept apart from the
computations so both stay short.
"""

from __future__ import annotations

from ecosim.model.metrics_groups import GROUP_METRICS

#: reported metric columns (besides policy ledger columns), in order
METRICS: dict[str, str] = {
    "population": "residents aged 16 to retirement (persons)",
    "working_age_population": "residents aged 16-64 (persons)",
    "share_no_qualifications": "share of 16-64s with no qualification",
    "share_level2_plus": "share of 16-64s at Level 2 or above",
    "share_level3_plus": "share of 16-64s at Level 3 or above",
    "share_level4_plus": "share of 16-64s at Level 4 or above",
    "employed": "residents in work (persons)",
    "employment_rate": "employed / residents aged 16-64",
    "unemployment_rate": "unemployed / economically active (16-64)",
    "inactivity_rate": "inactive / residents aged 16-64",
    "vacancies": "vacancies open at matching time (persons)",
    "vacancies_unfilled": "vacancies still open after this quarter's matching: the stock a "
                          "vacancy survey counts on a day, in a model that matches once a "
                          "quarter (persons)",
    "hires": "vacancies filled this quarter (persons)",
    "vacancy_fill_rate": "hires / vacancies",
    "skills_shortage_vacancies": "unfilled vacancies for which only under-qualified people "
                                 "applied (persons)",
    "skills_shortage_share": "skills-shortage vacancies / vacancies",
    "participation_rate_adult": "share of 19-64s on a course below degree level at any time in "
                                "the last 4 quarters (annual FE and skills participation)",
    "participation_rate_low_qualified": "same, for 19-64s below Level 2",
    "participation_rate_50_plus": "same, for 50-64s",
    "participation_rate_low_paid": "same, for low-paid workers aged 19-64",
    "enrolled": "learners on a course (persons)",
    "starts": "course starts this quarter (persons)",
    "completions": "course completions this quarter (persons)",
    "dropouts": "learners who left a course unfinished this quarter (persons)",
    "completions_level3_plus": "completions of courses to Level 3 or above this quarter (persons)",
    "attained_level3_plus": "learners whose highest qualification reached Level 3+ from below "
                            "this quarter (persons)",
    "places": "course places (persons; district = where taught, out-of-area and online on "
              "the region row only)",
    "place_fill_rate": "learners on a course after this quarter's starts / places",
    "funded_enrolled": "publicly funded learners on a course (persons)",
    "funded_starts": "publicly funded course starts this quarter (persons)",
    "funded_starts_share_level1_and_below": "share of funded starts on courses to Level 1 / entry",
    "funded_starts_share_level3": "share of funded starts on Level 3 courses",
    "funded_starts_share_priority_sectors": "share of funded starts on priority-sector courses",
    "funded_starts_share_priority_vocational": "share of funded starts on Level 2+ courses in "
                                               "priority sectors (vocational provision aligned "
                                               "to them; Level 1 and entry courses are the "
                                               "English, maths and digital entitlements)",
    "funded_starts_share_out_of_area": "share of funded starts with out-of-area providers",
    "funded_share_level1": "share of funded learners on courses to Level 1 / entry",
    "funded_share_level2": "share of funded learners on Level 2 courses",
    "funded_share_level3": "share of funded learners on Level 3 courses",
    "funded_share_level4_plus": "share of funded learners on Level 4+ courses",
    "funded_share_priority_sectors": "share of funded learners on priority-sector courses",
    "public_spend_gbp": "public spend this quarter, all policy streams (GBP)",
    "account_balance_total_gbp": "training-account balances (GBP)",
    "account_balance_mean_gbp": "mean training-account balance per resident (GBP)",
    "cost_per_qualification_gbp": "public spend / completions, last 4 quarters (GBP)",
    "cost_per_job_outcome_gbp": "public spend / hires of recent completers, last 4 quarters "
                                "(GBP)",
    "mean_wage_gbp": "mean annual pay of the employed (GBP; by district of residence)",
    "mean_wage_workplace_gbp": "mean annual pay of jobs at the district's employers (GBP; by "
                               "workplace)",
    "median_wage_gbp": "median annual pay of the employed (GBP)",
    "wage_p90_p10": "90th / 10th percentile of pay",
    "low_paid_share": "share of the employed below the low-pay line",
    "output_per_worker_gbp": "mean annual output per worker (GBP)",
    "pay_gap_none_vs_level2": "mean pay with no qualification / Level 2 - 1",
    "pay_gap_level3_vs_level2": "mean pay at Level 3 / Level 2 - 1",
    "pay_gap_level4_5_vs_level2": "mean pay at Level 4-5 / Level 2 - 1",
    "pay_gap_level6_plus_vs_level2": "mean pay at Level 6+ / Level 2 - 1",
    "graduate_retention_rate": "annualised share of young graduates (L6+, <30) who stay",
    "fe_he_progression_rate": "Level 4+ starts by recent Level 3 completers / Level 3 "
                              "completions, last 4 quarters",
    "provider_count": "providers with places or learners",
    "provider_quality_mean": "place-weighted mean provider quality (0-1)",
    "employer_high_road_mean": "headcount-weighted mean high-road score (0-1)",
    "employer_training_rate": "share of workers trained by their employer this quarter",
    "employer_training_spend_gbp": "employer training spend this quarter (GBP)",
    "levy_payers": "employers paying levies (agents)",
    "school_leavers": "young people joining this quarter (persons)",
    "in_migrants": "people moving in this quarter (persons)",
    "out_migrants": "young graduates moving out this quarter (persons)",
    "retirements": "residents reaching retirement age this quarter (persons)",
    "district_gap_level3_plus": "best minus worst district share at Level 3+",
    "district_gap_employment_rate": "best minus worst district employment rate",
}
# ---- Level 4-6 learning of adults aged 25+ (region only; the Lifelong Learning Entitlement's
# outcome, reported with or without it so that runs compare) ----
ADULT_HIGHER_METRICS: dict[str, str] = {
    "adult_starts_level4_5": "starts on Level 4-5 courses and modules by adults aged 25+ this "
                             "quarter (persons)",
    "adult_starts_level6_plus": "starts on degree courses and modules by adults aged 25+ this "
                                "quarter (persons)",
    "adult_qualifications_level4_5": "Level 4-5 qualifications completed by adults aged 25+ "
                                     "this quarter (persons; modules count once they add up "
                                     "to one)",
    "adult_qualifications_level6_plus": "degree qualifications completed by adults aged 25+ "
                                        "this quarter (persons; modules count once they add "
                                        "up to one)",
    "participation_rate_adult_any_level": "share of 19-64s who were on a course at any level "
                                          "(degrees and modules included) in the last 4 "
                                          "quarters: on one, or started or completed one",
    "participation_rate_adult_funded": "share of 19-64s on a government-funded or "
                                       "-supported course below degree level at any time in "
                                       "the last 4 quarters (public money, an account, an "
                                       "apprenticeship or the levy, or a fee financed by a "
                                       "government loan; the DfE's FE and skills count, which "
                                       "leaves self-funded learners out)",
    "participation_rate_any_learning": "share of 19-64s who learned in the last 4 quarters: "
                                       "on a course at any level (or started or completed "
                                       "one) or trained by their employer (the Learning and "
                                       "Work Institute's surveys count both)",
    "participation_rate_any_learning_low_qualified": "same, for 19-64s below Level 2",
}
# ---- end Level 4-6 learning of adults ----
METRICS.update(GROUP_METRICS)  # who gains: by starting band and age band (metrics_groups.py)
METRICS.update(ADULT_HIGHER_METRICS)  # after the others: earlier columns keep their order
