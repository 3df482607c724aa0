"""Training decisions: who considers a course this quarter and which courses they rank.

A considering learner ``i`` values course ``c`` (band ``Lc``, sector ``Sc``) at

    U = (A(H) * g - cost - time - travel) / money + constant + motivation_weight * motivation
        + level_weight * (min(L_i, Lc) - 2) - care_weight * barrier_care + participation_shift
        + progression_bonus[c] + e_train + taste_scale * e_c

where ``A(H)`` is the annuity factor of the working horizon ``H`` (retirement age minus age
minus course length) at the learner's discount rate, ``g`` the perceived annual earnings gain:
the true gain ``W[Lc, Sc] - W[L_i, S_i]`` (``W = wage * employment``, last quarter's regional
signals; a course below the learner's band leaves the band and the sector's pay as they are and
brings ``below_gain`` only, pay from skill such as English, maths or digital) seen through a
careers-guidance signal with noise ``sd``, shrunk towards a prior (Bayesian updating: weight
``prior_sd^2 / (prior_sd^2 + sd^2)``; each learner's signal error for a band and sector is drawn
once and kept, a lasting misperception, not a new lottery each quarter), ``cost`` the learner's
price after subsidies (the funding contract, see :func:`learner_price`; public if the learner is
eligible or the course is to band ``open_band[i]`` or below), ``time`` guided hours valued
at leisure plus forgone pay, ``travel`` one-way minutes x guided hours x a per-minute cost.
The true gain has a learner-specific part, ``fit_sd * z``: a lasting course fit (aptitude,
interest, contacts in the trade; ``z`` standard normal, drawn once per learner, band and sector),
so returns differ between people as in a Roy model, and accurate guidance reveals who a course
pays for instead of giving everyone the same ranking. ``upfront_weight`` multiplies what the
learner pays now out of pocket (after subsidies; loan-financed fees take ``loan_weight``
instead, as does the part of a fee from ``loan_min_level`` up that an account balance leaves
to pay, or that the learner sees left to pay when the balance is shown in hours): liquidity
constraints and present bias make an upfront fee weigh more than a discounted future gain of
the same size; with ``liquidity_elasticity`` e the weight is
``upfront_weight * (reference_income / max(pay, income_floor)) ** e`` (pay 0 unless
employed), so a fee weighs more on the low-paid and those out of work.
A course a learner may pay for with an entitlement loan (``loans.loan[c]``, the learner's
``loans.left[i] > 0``, and no public or account funding) costs them nothing now: they weigh the
expected discounted repayment of the part the loan covers instead (``kernels/loan_repayment.py``,
from the learner's expected yearly repayment, the years it can run and what they already owe);
with ``loans.maintenance`` the loan also replaces the earnings they give up while studying, so
that part of the time cost becomes repayment too. A unit of a qualification
(``loans.credit[c]`` < 1, a module) brings that share of the qualification's gain.
``e_train`` (a taste for training this quarter, shared by all courses) and ``e_c`` (a taste
for the course) are standard Gumbel; ``taste_scale`` < 1 keeps the number of courses on offer
from inflating the value of training (as a nesting parameter does). The outside option is
``e_0``, also Gumbel; a learner ranks at most ``K`` courses that beat it.
Candidate courses come from lists by (district, band), so work is O(considering x candidates).
A course that could not beat the outside option or the K-th best even with the largest taste
its uniform allows is dropped before the taste's logs (``rng.gumbel_upper``): same ranking.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit, prange

from ecosim.model.kernels.loan_repayment import repayment_pv
from ecosim.model.kernels.top_k import insert_ranked
from ecosim.model.rng import (
    GUMBEL_MAX,
    Purpose,
    gumbel,
    gumbel_of,
    gumbel_upper,
    normal,
    uniform,
)
from ecosim.model.state import EMPLOYED, FUND_ACCOUNT, FUND_PUBLIC, FUND_SELF  # noqa: F401

P_CONSIDER = np.int64(Purpose.CONSIDER_TRAINING)
P_NOISE = np.int64(Purpose.GUIDANCE_NOISE)
P_FIT = np.int64(Purpose.COURSE_FIT)
P_TASTE = np.int64(Purpose.COURSE_TASTE)


@njit(cache=True, parallel=True)
def choose_considering(seed, quarter, uid, course, age, min_age, max_age, share, out):
    """out[i] = True if learner i, not on a course and of age in [min_age, max_age), considers
    training this quarter (chance ``share``)."""
    for i in prange(uid.shape[0]):
        out[i] = False
        if course[i] < 0 and age[i] >= min_age and age[i] < max_age:
            out[i] = uniform(seed, uid[i], quarter, P_CONSIDER, 0) < share


@njit(cache=True)
def learner_price(fee, public_rate, eligible, account_eligible, balance, copay, salience):
    """(source, learner pays, perceived cost) of one course for one learner, by the contract:
    public if eligible and the course is publicly funded (fully funded: the learner pays
    nothing, the funder pays the provider its rate, as ESFA funding rules forbid fees to fully
    funded learners); else account if the course is account-eligible and the balance positive
    (saving scaled by salience); else self."""
    if eligible and public_rate > 0.0:
        return FUND_PUBLIC, 0.0, 0.0
    if account_eligible and balance > 0.0:
        pay = max(copay * fee, fee - balance)
        return FUND_ACCOUNT, pay, fee - salience * (fee - pay)
    return FUND_SELF, fee, fee


class LearnerInputs(NamedTuple):
    """Learner columns :func:`rank_courses` reads, each indexed by learner row (``[n]``)."""

    uid: np.ndarray  #: int64, the learner's uid (keys every draw)
    district: np.ndarray  #: int, home district
    level: np.ndarray  #: int8, highest qualification band (0-5)
    sector: np.ndarray  #: int8, sector of the learner's skill
    age: np.ndarray  #: float64, years
    status: np.ndarray  #: int8, ``state.EMPLOYED`` / ``UNEMPLOYED`` / ``INACTIVE``
    wage: np.ndarray  #: float64, annual pay (GBP; forgone in part while studying)
    motivation: np.ndarray  #: float64, taste for learning (standard deviations)
    barrier_care: np.ndarray  #: float64, caring barrier (0-1)
    barrier_transport: np.ndarray  #: float64, transport barrier (0-1)
    balance: np.ndarray  #: float64, account money usable this quarter (``funding.account_usable``)
    eligible: np.ndarray  #: bool, may take publicly funded places (``funding.public_eligible``)
    open_band: np.ndarray  #: int8, courses to this band and below are public for the learner


class CourseInputs(NamedTuple):
    """Course columns :func:`rank_courses` reads, each indexed by course (``[C]``)."""

    level: np.ndarray  #: int8, band the course leads to
    sector: np.ndarray  #: int8
    fee: np.ndarray  #: float64, GBP per start
    public_rate: np.ndarray  #: float64, GBP the public funder pays per eligible start (0 = none)
    account_eligible: np.ndarray  #: bool, may be bought with a training account
    duration: np.ndarray  #: int16, quarters
    glh: np.ndarray  #: float64, guided learning hours
    progression: np.ndarray  #: float64, utility bonus for a learner one band below (routes)


class Candidates(NamedTuple):
    """Which courses each (district, band) sees, and how far they are."""

    off: np.ndarray  #: int64 ``[D * 6 + 1]``, CSR offsets of the list of group ``d * 6 + l``
    course: np.ndarray  #: int64, the lists' course indices
    minutes: np.ndarray  #: float64 ``[D, C]``, one-way minutes from district d to course c


class MarketSignals(NamedTuple):
    """Last quarter's regional signals by (band, sector), ``[6, S]``."""

    wage: np.ndarray  #: float64, mean annual pay (GBP)
    employment: np.ndarray  #: float64, employment rate (0-1)


class DecisionParams(NamedTuple):
    """The scenario's decision parameters (``training.*`` and ``learners.retirement_age``; units
    and sources in ``scenario/schema_learning.py``)."""

    retirement_age: float  #: years
    horizon_cap: float  #: longest horizon gains are counted over (years)
    discount: float  #: annual discount rate
    money: float  #: GBP per logit unit of utility
    constant: float  #: utility of any course vs not training
    motivation_w: float  #: utility per standard deviation of motivation
    level_w: float  #: utility per band above Level 2 (study confidence)
    care_w: float  #: utility lost at a full caring barrier
    transport_w: float  #: extra travel cost at a full transport barrier (proportion)
    value_of_time: float  #: GBP per guided hour of leisure
    forgone_share: float  #: share of guided hours taken out of paid work
    work_hours: float  #: paid hours a year
    travel_cost: float  #: GBP per one-way minute per guided hour
    loan_min_level: int  #: self-paid fees from this band up are loan-financed
    loan_weight: float  #: weight of a loan-financed fee
    prior_mean: float  #: prior mean of the annual gain (GBP)
    prior_sd: float  #: prior spread of the annual gain (GBP)
    taste_scale: float  #: scale of the course taste vs the taste for training
    below_gain: float  #: annual pay gain of a course below the learner's band (GBP)
    fit_sd: float  #: spread of the learner-specific course fit (GBP a year)
    upfront_weight: float  #: weight of the out-of-pocket price
    liquidity_elasticity: float  #: the weight x (reference income / own income) ** this
    reference_income: float  #: income at which the upfront weight is ``upfront_weight`` (GBP)
    income_floor: float  #: income of a learner without pay, for that ratio (GBP a year)


class QuarterTerms(NamedTuple):
    """What the policies set for this quarter's decisions (the funding contract)."""

    noise_sd: float  #: careers-guidance signal noise (GBP a year; falls with guidance quality)
    copay: float  #: share of the fee paid even when an account covers it (``account_copay``)
    salience: float  #: weight on the account balance (``account_salience``)
    shift: float  #: utility added to every course (``participation_shift``)


class LoanInputs(NamedTuple):
    """The Lifelong Learning Entitlement's loan (``funding.loan_*``, ``courses.loan_entitled``)
    and units of qualifications (``courses.credit_share``); inert without the entitlement."""

    credit: np.ndarray  #: float64 ``[C]``, share of a qualification a completion gives (1 whole)
    loan: np.ndarray  #: bool ``[C]``, fees may be paid with the loan this quarter
    left: np.ndarray  #: float64 ``[n]``, tuition the learner may borrow (GBP; 0 = none)
    repay_per_year: np.ndarray  #: float64 ``[n]``, expected yearly repayment (GBP)
    years: np.ndarray  #: float64 ``[n]``, years repayments can run
    debt: np.ndarray  #: float64 ``[n]``, loan already owed (GBP)
    maintenance: bool  #: the loan also replaces forgone earnings


@njit(cache=True, parallel=True)
def rank_courses(seed, quarter, considering, learners, courses, cand, market, prm, terms, loans,
                 out_course, out_util):
    """Rank candidate courses for each considering learner (row indices ``considering``).

    ``learners`` (:class:`LearnerInputs`), ``courses`` (:class:`CourseInputs`), ``cand``
    (:class:`Candidates`), ``market`` (:class:`MarketSignals`), ``prm``
    (:class:`DecisionParams`) and ``terms`` (:class:`QuarterTerms`) are named tuples.
    Candidates of a learner in district d at band l are
    ``cand.course[cand.off[d * 6 + l]:cand.off[d * 6 + l + 1]]`` (courses to band l or l + 1
    within reach, degrees for Level 3 holders, and courses below band l). ``loans``
    (:class:`LoanInputs`): the entitlement loan and units of qualifications (all inert without
    the Lifelong Learning Entitlement: no course loan-entitled, every credit share 1).
    Writes the best ``K = out_course.shape[1]`` courses that beat the outside option, best
    first, into out_course[k] (-1 pads) and their utilities into out_util[k]; equal utilities
    keep the lower course index first."""
    uid, district, level, sector = learners.uid, learners.district, learners.level, \
        learners.sector
    age, status, wage, motivation = learners.age, learners.status, learners.wage, \
        learners.motivation
    barrier_care, barrier_transport = learners.barrier_care, learners.barrier_transport
    balance, eligible, open_band = learners.balance, learners.eligible, learners.open_band
    c_level, c_fee, c_public_rate = courses.level, courses.fee, courses.public_rate
    c_account_eligible, c_glh, c_progression = courses.account_eligible, courses.glh, \
        courses.progression
    cand_off, cand_course = cand.off, cand.course
    m_wage, m_employment = market.wage, market.employment
    retirement_age, horizon_cap, discount, money = prm.retirement_age, prm.horizon_cap, \
        prm.discount, prm.money
    constant, motivation_w, level_w, care_w = prm.constant, prm.motivation_w, prm.level_w, \
        prm.care_w
    transport_w, value_of_time, forgone_share = prm.transport_w, prm.value_of_time, \
        prm.forgone_share
    work_hours, loan_min_level, loan_weight = prm.work_hours, prm.loan_min_level, \
        prm.loan_weight
    prior_mean, prior_sd, taste_scale = prm.prior_mean, prm.prior_sd, prm.taste_scale
    below_gain, fit_sd, upfront_weight = prm.below_gain, prm.fit_sd, prm.upfront_weight
    liq_e, ref_income, income_floor = prm.liquidity_elasticity, prm.reference_income, \
        prm.income_floor
    noise_sd, copay, salience, shift = terms.noise_sd, terms.copay, terms.salience, terms.shift
    c_credit, c_loan, loan_maint = loans.credit, loans.loan, loans.maintenance
    loan_left, loan_annual, loan_years, loan_debt = loans.left, loans.repay_per_year, \
        loans.years, loans.debt
    n_s = m_wage.shape[1]
    n_k = out_course.shape[1]
    w = prior_sd * prior_sd / (prior_sd * prior_sd + noise_sd * noise_sd)
    resid_sd = w * noise_sd
    bounded = taste_scale >= 0.0  # the taste then grows with its uniform
    e_w, e_slot, e_key, e_trip, e_dur, dq = candidate_constants(cand, courses, market,
                                                                prm.travel_cost)
    n_cons = considering.shape[0]
    for b in prange((n_cons + BLOCK - 1) // BLOCK):  # scratch arrays once per block
        noise = np.empty(3 * n_s)  # bands li, li + 1 and li + 2 (degrees from Level 3)
        fit = np.empty(3 * n_s)  # the learner's lasting fit with the same slots
        ann = np.empty(dq.shape[0])  # annuity factor by distinct course duration
        for k in range(b * BLOCK, min(n_cons, (b + 1) * BLOCK)):
            i = considering[k]
            u = uid[i]
            d = district[i]
            li = level[i]
            si = sector[i]
            for a in range(n_k):
                out_course[k, a] = -1
                out_util[k, a] = -np.inf
            noise[:] = np.nan
            fit[:] = np.nan
            ann[:] = np.nan
            u0 = gumbel(seed, u, quarter, P_TASTE, 0) - gumbel(seed, u, quarter, P_TASTE, 1)
            base_w = m_wage[li, si] * m_employment[li, si]
            hourly = 0.0
            if status[i] == EMPLOYED:
                hourly = wage[i] / work_hours * forgone_share
            vh = value_of_time + hourly
            # liquidity: an upfront fee weighs more the less the learner earns
            w_up = upfront_weight
            if liq_e != 0.0:
                own = wage[i] if status[i] == 0 else 0.0
                w_up = upfront_weight * (ref_income / max(own, income_floor)) ** liq_e
            fixed = constant + motivation_w * motivation[i] - care_w * barrier_care[i] + shift
            tfac = 1.0 + transport_w * barrier_transport[i]
            left = retirement_age - age[i]
            g0 = d * 6 + li
            for m in range(cand_off[g0], cand_off[g0 + 1]):
                c = cand_course[m]
                lc = c_level[c]
                slot = e_slot[m]
                if np.isnan(noise[slot]):
                    # quarter 0: a lasting belief, not a new draw each quarter
                    noise[slot] = normal(seed, u, 0, P_NOISE, e_key[m])
                    fit[slot] = 0.0 if fit_sd <= 0.0 else \
                        fit_sd * normal(seed, u, 0, P_FIT, e_key[m])
                if lc < li:  # skill only: the band and the sector's pay stay as they are
                    true_gain = below_gain
                else:
                    true_gain = e_w[m] - base_w + fit[slot]
                gain = prior_mean + w * (true_gain - prior_mean) + resid_sd * noise[slot]
                j = e_dur[m]
                annuity = ann[j]
                if np.isnan(annuity):  # the pow once per distinct course duration
                    years = min(horizon_cap, left - dq[j])
                    annuity = 0.0
                    if years > 0.0:
                        annuity = years
                        if discount > 0.0:
                            annuity = (1.0 - (1.0 + discount) ** (-years)) / discount
                    ann[j] = annuity
                src, pay, perceived = learner_price(c_fee[c], c_public_rate[c],
                                                    eligible[i] or lc <= open_band[i],
                                                    c_account_eligible[c], balance[i], copay,
                                                    salience)
                time_cost = c_glh[c] * vh
                if src == FUND_SELF and c_loan[c] and loan_left[i] > 0.0:
                    # the entitlement: nothing now, the expected repayment later
                    borrow = min(pay, loan_left[i])
                    rest = pay - borrow
                    if lc >= loan_min_level:
                        rest = rest * loan_weight
                    else:
                        rest = rest * w_up
                    if loan_maint:
                        time_cost = c_glh[c] * value_of_time
                        borrow += c_glh[c] * hourly
                    perceived = repayment_pv(loan_annual[i], loan_years[i] - dq[j],
                                             loan_debt[i], borrow, discount, dq[j]) + rest
                elif src == FUND_SELF and lc >= loan_min_level:
                    perceived = perceived * loan_weight  # a loan: nothing is paid up front
                elif src == FUND_ACCOUNT and lc >= loan_min_level:
                    # what the learner sees left to pay (the fee less the part of the balance
                    # they see, ``salience``) is loan-financed, as without an account; a balance
                    # shown in hours is undervalued, never made dearer than no account
                    perceived = perceived * loan_weight
                else:
                    perceived = perceived * w_up
                trip = e_trip[m] * tfac
                # confidence with study at the course's level: a graduate is no keener on an
                # entry-level course than a Level 1 learner
                v = (annuity * gain * c_credit[c] - perceived - time_cost - trip) / money + fixed \
                    + level_w * (min(li, lc) - 2)
                if li == lc - 1:
                    v += c_progression[c]
                # the course taste; a course that cannot beat the outside option or the K-th
                # best even with the largest draw its uniform allows is dropped unseen (the
                # logs are skipped; the result is the same)
                last = out_util[k, n_k - 1]
                if bounded:
                    vb = v + taste_scale * GUMBEL_MAX
                    if vb <= u0 or vb <= last:
                        continue
                ut = uniform(seed, u, quarter, P_TASTE, c + 2)
                if bounded:
                    vb = v + taste_scale * gumbel_upper(ut)
                    if vb <= u0 or vb <= last:
                        continue
                v += taste_scale * gumbel_of(ut)
                if v <= u0 or v <= last:
                    continue
                insert_ranked(out_course, out_util, k, n_k, c, v)


BLOCK = 64
"""Considering learners per block of :func:`rank_courses`' parallel loop."""


@njit(cache=True)
def candidate_constants(cand, courses, market, travel_cost):
    """Per entry of the candidate lists (course c in the list of district d, band l), what
    does not depend on the learner: W = wage x employment of the band reached in the course's
    sector, the guidance-noise slot and counter, minutes x guided hours x cost per minute, and
    the index of the course's duration in ``dq`` (the distinct durations, in years)."""
    cand_off, cand_course, minutes = cand.off, cand.course, cand.minutes
    c_level, c_sector, c_duration, c_glh = courses.level, courses.sector, courses.duration, \
        courses.glh
    m_wage, m_employment = market.wage, market.employment
    n_s = m_wage.shape[1]
    n_m = cand_course.shape[0]
    e_w = np.empty(n_m)
    e_slot = np.empty(n_m, np.int64)
    e_key = np.empty(n_m, np.int64)
    e_trip = np.empty(n_m)
    e_dur = np.empty(n_m, np.int64)
    durs = np.unique(c_duration)
    dq = np.empty(durs.shape[0])
    for j in range(durs.shape[0]):
        dq[j] = durs[j] / 4.0
    for g in range(cand_off.shape[0] - 1):
        d = g // 6
        li = g % 6
        for m in range(cand_off[g], cand_off[g + 1]):
            c = cand_course[m]
            lc = c_level[c]
            sc = c_sector[c]
            lg = max(lc, li)  # a course below the learner's band keeps their band
            e_w[m] = m_wage[lg, sc] * m_employment[lg, sc]
            e_slot[m] = (lg - li) * n_s + sc
            e_key[m] = lg * 64 + sc
            e_trip[m] = minutes[d, c] * c_glh[c] * travel_cost
            e_dur[m] = np.searchsorted(durs, c_duration[c])
    return e_w, e_slot, e_key, e_trip, e_dur, dq
