"""Phase 5, learning, in two parts the model calls with the ``settle_enrolments`` hook between:

* ``enrol``: training decisions (``kernels/training_decision.py``, thinned by prior qualification
  in ``kernels/training_disposition.py``, scaled by the policies' ``funding.consider_multiplier``
  in ``kernels/consider_multiplier.py``: outreach, account prompts), course allocation by
  deferred acceptance (``kernels/course_allocation.py``), starts priced by the funding
  contract; returns the starters;
* ``progress``: learning progress and completion (``kernels/learning_progress.py``) for learners
  who started in earlier quarters, whether each completion counts as a qualification
  (``kernels/qualification_award.py``), and the observations providers read at their next
  revision.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ecosim.model.kernels import consider_multiplier as kmult
from ecosim.model.kernels import course_allocation as kalloc
from ecosim.model.kernels import learning_progress as kprog
from ecosim.model.kernels import qualification_award as kaward
from ecosim.model.kernels import training_decision as kdec
from ecosim.model.kernels import training_disposition as kdisp
from ecosim.model.state import (
    FUND_ACCOUNT,
    FUND_LOAN,
    FUND_PUBLIC,
    FUND_SELF,
    N_LEVELS,
    PRIME_AGE_START,
)

#: priority a provider gives an applicant one band below the course (vs a same-band applicant);
#: the lottery is uniform on [0, 1), so ready applicants come first (assumption)
FIT_WEIGHT = 1.0
#: first degree band: courses below it are further education and skills (FE participation)
DEGREE_BAND = 5
#: adults for the Level 4-6 learning counts: aged 25 and over (the 25+ age band of DfE's
#: further education and skills and apprenticeship statistics)
ADULT_AGE = PRIME_AGE_START
#: per-course observations since the last revision, which providers read and reset
#: (phases/providers.py)
OBS_COLUMNS = ("obs_fill", "obs_pressure", "obs_n", "obs_starts", "obs_public_starts")


def course_minutes(model) -> np.ndarray:
    """[D, C] one-way minutes from each district to where each course is taught: online courses
    take ``region.online_travel_minutes``, out-of-area ones ``out_of_area_travel_minutes``."""
    st = model.state
    reg = model.scenario.region
    C = st.courses
    P = st.providers
    where = np.where(C.district >= 0, C.district, P.district[C.provider]).astype(np.int64)
    D = st.travel.shape[0]
    mins = np.full((D, C.n), float(reg.out_of_area_travel_minutes))
    inside = where >= 0
    mins[:, inside] = st.travel[:, where[inside]]
    mins[:, C.online] = float(reg.online_travel_minutes)
    return mins


def candidate_lists(model, minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR lists of candidate courses by (district, band) ``g = d * 6 + l``: courses with free
    places to band l (retraining or deepening) or l + 1 (progression), degrees (band 5) for
    Level 3 holders, and courses to ``training.below_band_max_level`` and below for everyone
    (English, maths, digital, ESOL, short tasters), within reach."""
    st = model.state
    C = st.courses
    reach = model.scenario.training.max_travel_minutes
    below = model.scenario.training.below_band_max_level
    ok = (minutes <= reach) | C.online[None, :]
    ok &= (C.seats > C.enrolled)[None, :]  # learners see which courses have places left
    lv = np.arange(N_LEVELS)[:, None]
    cl = C.level[None, :]
    band = (cl == lv) | (cl == lv + 1) | ((lv == 3) & (cl == 5)) | (cl <= below)
    mask = ok[:, None, :] & band[None, :, :]  # [D, band, course]: lists in (d, l, course) order
    off = np.zeros(mask.shape[0] * N_LEVELS + 1, np.int64)
    np.cumsum(mask.sum(axis=2).ravel(), out=off[1:])
    lists = (np.flatnonzero(mask) % max(C.n, 1)).astype(np.int64)
    return off, lists


def decision_params(sc) -> kdec.DecisionParams:
    """The training decision's scenario parameters, typed as the kernel is compiled for."""
    tr = sc.training
    return kdec.DecisionParams(
        retirement_age=float(sc.learners.retirement_age), horizon_cap=float(tr.horizon_cap_years),
        discount=float(tr.discount_rate), money=float(tr.money_per_utility_gbp),
        constant=float(tr.course_constant), motivation_w=float(tr.motivation_weight),
        level_w=float(tr.prior_level_weight), care_w=float(tr.care_barrier_weight),
        transport_w=float(tr.transport_barrier_weight),
        value_of_time=float(tr.value_of_time_gbp_per_hour),
        forgone_share=float(tr.forgone_earnings_share), work_hours=float(tr.annual_work_hours),
        travel_cost=float(tr.travel_cost_gbp_per_minute_glh),
        loan_min_level=int(tr.loan_min_level), loan_weight=float(tr.loan_fee_weight),
        prior_mean=float(tr.gain_prior_mean_gbp), prior_sd=float(tr.gain_prior_sd_gbp),
        taste_scale=float(tr.course_taste_scale), below_gain=float(tr.below_band_gain_gbp),
        fit_sd=float(tr.course_fit_sd_gbp), upfront_weight=float(tr.upfront_cost_weight),
        liquidity_elasticity=float(tr.upfront_liquidity_elasticity),
        reference_income=float(tr.upfront_reference_income_gbp),
        income_floor=float(tr.upfront_income_floor_gbp))


def decide_and_allocate(model) -> tuple[np.ndarray, np.ndarray]:
    """(applicant rows, assigned course per applicant, -1 none) for this quarter."""
    sc = model.scenario
    tr = sc.training
    st = model.state
    L = st.learners
    C = st.courses
    q = np.int64(model.quarter)
    seed = model.seed
    cons = np.empty(L.n, np.bool_)
    share = tr.consider_share
    if tr.trust_consider_elasticity != 0.0:
        share = min(1.0, share * float(np.exp(tr.trust_consider_elasticity *
                                              st.funding.participation_shift)))
    kdec.choose_considering(seed, q, L.uid, L.course, L.age, tr.min_age, tr.max_age,
                            share, cons)
    ratio = tr.consider_ratio.as_array()
    kdisp.thin_by_level(seed, q, L.uid, L.level, ratio, cons)
    mult = st.funding.consider_multiplier
    if mult.size == L.n and np.any(mult != 1.0):  # outreach, account prompts (policies)
        kmult.apply_multiplier(seed, q, L.uid, L.course, L.age, L.level, tr.min_age,
                               tr.max_age, share, ratio, mult, cons)
    rows = np.flatnonzero(cons)
    K = tr.max_choices
    st.counters.extra["applicants_by_band"] = np.zeros(N_LEVELS, np.int64)
    if rows.size == 0 or C.n == 0:
        return rows, np.full(rows.size, -1, np.int64)
    minutes = course_minutes(model)
    off, lists = candidate_lists(model, minutes)
    f = st.funding
    noise_sd = tr.guidance_noise_gbp * (1.0 - f.guidance_quality)
    choice = np.empty((rows.size, K), np.int64)
    util = np.empty((rows.size, K), np.float64)
    learners = kdec.LearnerInputs(
        uid=L.uid, district=L.district, level=L.level, sector=L.sector, age=L.age,
        status=L.status, wage=L.wage, motivation=L.motivation, barrier_care=L.barrier_care,
        barrier_transport=L.barrier_transport, balance=f.account_usable,
        eligible=f.public_eligible, open_band=f.public_open_band)
    courses = kdec.CourseInputs(
        level=C.level, sector=C.sector, fee=C.fee, public_rate=C.public_rate,
        account_eligible=C.account_eligible, duration=C.duration, glh=C.glh,
        progression=C.progression_bonus)
    cand = kdec.Candidates(off=off, course=lists, minutes=minutes)
    market = kdec.MarketSignals(wage=st.market.wage, employment=st.market.employment)
    terms = kdec.QuarterTerms(noise_sd=float(noise_sd), copay=float(f.account_copay),
                              salience=float(f.account_salience),
                              shift=float(f.participation_shift))
    loans = kdec.LoanInputs(
        credit=C.credit_share, loan=C.loan_entitled, left=f.loan_left,
        repay_per_year=f.loan_repay_per_year, years=f.loan_years, debt=f.loan_debt,
        maintenance=bool(f.loan_maintenance))
    kdec.rank_courses(seed, q, rows, learners, courses, cand, market,
                      decision_params(model.scenario), terms, loans, choice, util)
    st.counters.extra["applicants_by_band"] = np.bincount(L.level[rows[choice[:, 0] >= 0]],
                                                          minlength=N_LEVELS)
    prio = np.empty((rows.size, K), np.float64)
    kalloc.priorities(seed, q, rows, L.uid, L.level, choice, C.level, FIT_WEIGHT, prio)
    free = np.maximum(C.seats.astype(np.int64) - C.enrolled, 0)
    got = np.empty(rows.size, np.int64)
    rejected = np.zeros(C.n, np.int64)
    kalloc.deferred_acceptance(rows, L.uid, choice, prio, free, got, rejected)
    C.rejected = rejected.astype(np.float64)
    return rows, got


def funding_sources(model, starters: np.ndarray, course: np.ndarray) -> np.ndarray:
    """Funding source of each starter by the contract: public, else account, else an
    entitlement loan (a loan-entitled course and entitlement left), else self."""
    st = model.state
    C = st.courses
    f = st.funding
    elig = f.public_eligible[starters] | (C.level[course] <= f.public_open_band[starters])
    public = elig & (C.public_rate[course] > 0)
    account = ~public & C.account_eligible[course] & (f.account_usable[starters] > 0)
    src = np.where(public, FUND_PUBLIC, np.where(account, FUND_ACCOUNT, FUND_SELF))
    if f.loan_left.size == st.learners.n and np.any(f.loan_left > 0):
        loan = (src == FUND_SELF) & C.loan_entitled[course] & (f.loan_left[starters] > 0)
        src = np.where(loan, FUND_LOAN, src)
    return src.astype(np.int8)


class Starters(NamedTuple):
    """This quarter's starters: learner ``rows``, their ``course`` and funding ``source``."""

    rows: np.ndarray
    course: np.ndarray
    source: np.ndarray


def enrol(model) -> Starters:
    """Decisions, allocation and starts; returns the starters (before anyone pays)."""
    st = model.state
    L = st.learners
    C = st.courses
    q = model.quarter
    C.starts[:] = 0
    C.completions[:] = 0
    C.rejected[:] = 0.0
    rows, got = decide_and_allocate(model)
    ok = got >= 0
    starters = rows[ok]
    course = got[ok]
    L.course[starters] = course.astype(np.int32)
    L.course_left[starters] = C.duration[course]
    L.last_start_quarter[starters] = q
    src = funding_sources(model, starters, course)
    L.funding_source[starters] = src
    C.starts = np.bincount(course, minlength=C.n).astype(np.int32)
    C.enrolled = C.enrolled + C.starts
    C.alloc_enrolled = C.enrolled.copy()  # learners on each course this quarter (peak)
    if C.n:
        on = L.course >= 0
        fe = on.copy()
        fe[on] = C.level[L.course[on]] < DEGREE_BAND
        L.last_fe_quarter[fe] = q
        # government-funded or -supported: any funder but the learner, or a self-paid fee
        # financed by an income-contingent loan (Advanced Learner Loans, which the DfE counts)
        supported = fe.copy()
        supported[fe] = (L.funding_source[fe] != FUND_SELF) | \
            (C.level[L.course[fe]] >= model.scenario.training.loan_min_level)
        L.last_funded_fe_quarter[supported] = q
    st.counters.extra["starters_by_band"] = np.bincount(L.level[starters], minlength=N_LEVELS)
    adult = L.age[starters] >= ADULT_AGE
    st.counters.extra["adult_starts_by_course_band"] = np.bincount(
        C.level[course[adult]], minlength=N_LEVELS)
    return Starters(starters, course, src)


def progress(model, starters: Starters) -> None:
    """Learning progress for those who started before this quarter, completions and awards,
    and the observations providers read at their next revision."""
    sc = model.scenario
    st = model.state
    L = st.learners
    C = st.courses
    q = model.quarter
    c = st.counters
    course, src = starters.course, starters.source
    before = L.course.copy()
    lv_before = L.level.copy()
    ev = np.empty(L.n, np.int8)
    ls = sc.learning
    base_logit = float(np.log(ls.base_completion / (1.0 - ls.base_completion))) + \
        ls.guidance_effect * (st.funding.guidance_quality - ls.guidance_reference_quality)
    kprog.progress(model.seed, np.int64(q), L.uid, L.course, L.course_left, L.level, L.sector,
                   L.status, L.skill, L.motivation, L.barrier_care, L.barrier_transport,
                   L.last_start_quarter, L.last_completion_level, L.last_completion_quarter,
                   C.level, C.sector, C.duration, C.completion_bonus, C.provider,
                   st.providers.quality, base_logit, ls.reference_quality, ls.quality_effect,
                   ls.motivation_effect, ls.barrier_effect, ls.skill_gain,
                   ls.retraining_skill, L.course_hazard, ev)
    done = ev == kprog.COMPLETED
    c_lv = np.zeros(L.n, np.int8)
    c_lv[done] = C.level[before[done]]
    awarded = np.empty(L.n, np.bool_)
    recognition = np.ones(L.n)
    recognition[done] = C.recognition[before[done]]
    kaward.award(model.seed, np.int64(q), L.uid, done, c_lv, lv_before, L.level,
                 ls.qualification_share.as_array(), recognition, awarded)
    units = done.copy()
    units[done] = C.credit_share[before[done]] < 1.0
    if units.any():
        bank_unit_credit(model, units, before, lv_before, awarded)
    c.extra["completions_raising_band"] = int(np.count_nonzero(L.level > lv_before))
    quals = awarded & (L.age >= ADULT_AGE)  # whole qualifications (units once they add up)
    c.extra["adult_qualifications_by_band"] = np.bincount(c_lv[quals], minlength=N_LEVELS)
    left = (ev == kprog.DROPPED) | done
    C.enrolled = C.enrolled - np.bincount(before[left], minlength=C.n).astype(np.int32)
    C.completions = np.bincount(before[ev == kprog.COMPLETED], minlength=C.n).astype(np.int32)
    D = sc.n_districts
    c.extra["dropouts_by_district"] = np.bincount(L.district[ev == kprog.DROPPED], minlength=D)
    attained = (lv_before < 3) & (L.level >= 3)
    c.extra["attained_level3_by_district"] = np.bincount(L.district[attained], minlength=D)
    # observations for the providers' next revision: places taken after this quarter's starts
    # (before completers leave) and the applicants turned away
    seats = C.seats.astype(np.float64)
    has = seats > 0
    C.obs_fill = C.obs_fill + np.where(has, C.alloc_enrolled / np.where(has, seats, 1.0), 0.0)
    C.obs_pressure = C.obs_pressure + np.where(
        has, (C.alloc_enrolled + C.rejected) / np.where(has, seats, 1.0), 0.0)
    C.obs_n = C.obs_n + 1.0
    C.obs_starts = C.obs_starts + C.starts
    C.obs_public_starts = C.obs_public_starts + np.bincount(
        course[src == FUND_PUBLIC], minlength=C.n)


#: banked credit at or above this counts as the whole qualification (rounding of unit shares)
FULL_CREDIT = 1.0 - 1e-9


def bank_unit_credit(model, units: np.ndarray, course: np.ndarray, level_before: np.ndarray,
                     awarded: np.ndarray) -> None:
    """Completions of units of a qualification (courses with ``credit_share`` < 1, e.g.
    modules; ``units`` marks those learners, ``course`` the course each was on): the unit's
    share is banked towards its band and sector, at the provider that taught it, or at any
    provider when ``funding.credit_transfer`` is set (a skills passport). A unit at another
    band or sector, or at another provider without credit transfer, starts the bank afresh
    (earlier credit is lost: assumption). Once the bank holds a whole qualification it is
    emptied and the completion counts as the qualification (subject to the award draw made
    before); until then the band returns to ``level_before`` and ``awarded`` is False (skill
    and sector gains stay)."""
    st = model.state
    L = st.learners
    C = st.courses
    rows = np.flatnonzero(units)
    c = course[rows]
    lc = C.level[c]
    sc = C.sector[c]
    pc = C.provider[c]
    same = (L.unit_credit_level[rows] == lc) & (L.unit_credit_sector[rows] == sc)
    if not st.funding.credit_transfer:
        same &= L.unit_credit_provider[rows] == pc
    bank = np.where(same, L.unit_credit[rows], 0.0) + C.credit_share[c]
    full = bank >= FULL_CREDIT
    L.unit_credit[rows] = np.where(full, 0.0, bank)
    L.unit_credit_level[rows] = np.where(full, -1, lc)
    L.unit_credit_sector[rows] = np.where(full, -1, sc)
    L.unit_credit_provider[rows] = np.where(full, -1, pc)
    part = rows[~full]
    L.level[part] = level_before[part]
    awarded[part] = False
    st.counters.extra["unit_completions"] = int(rows.size)
    st.counters.extra["unit_qualifications"] = int(np.count_nonzero(full))
