"""Each learning-side kernel against a small, obviously-correct Python version on random inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecosim.model import rng
from ecosim.model.kernels import consider_multiplier as kmult
from ecosim.model.kernels import course_allocation as kalloc
from ecosim.model.kernels import learning_progress as kprog
from ecosim.model.kernels import provider_supply as ksup
from ecosim.model.kernels import qualification_award as kaward
from ecosim.model.kernels import training_decision as kdec
from ecosim.model.kernels import training_disposition as kdisp

P = rng.Purpose
SETTINGS = settings(max_examples=30, deadline=None)
seeds = st.integers(0, 2**64 - 1)


def gen(seed: int) -> np.random.Generator:
    """Test-input generator (a local Generator; never the global state)."""
    return np.random.default_rng(seed % 2**32)


def courses(g, n_c, n_s=3, n_p=4):
    return dict(level=g.integers(1, 6, n_c).astype(np.int8),
                sector=g.integers(0, n_s, n_c).astype(np.int8),
                fee=g.choice([0.0, 350.0, 1200.0, 3500.0], n_c),
                public_rate=np.where(g.uniform(0, 1, n_c) < 0.5, g.uniform(0, 4000, n_c), 0.0),
                account_eligible=g.uniform(0, 1, n_c) < 0.6,
                duration=g.integers(1, 13, n_c).astype(np.int16),
                glh=g.uniform(0, 600, n_c), progression=g.uniform(0, 1, n_c),
                provider=g.integers(0, n_p, n_c).astype(np.int32),
                bonus=g.uniform(0, 0.1, n_c))


# ------------------------------------------------------------------------ training decision
def residents(g, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(uid, course, age) of ``n`` random residents: sorted distinct uids, about 30% on a
    course, ages 16-67."""
    uid = np.sort(g.choice(10**6, n, replace=False)).astype(np.int64)
    course = np.where(g.uniform(0, 1, n) < 0.3, 1, -1).astype(np.int32)
    return uid, course, g.uniform(16, 67, n)


@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), share=st.floats(0, 1))
def test_choose_considering(seed, q, share):
    g = gen(seed)
    n = 200
    uid, course, age = residents(g, n)
    out = np.empty(n, np.bool_)
    s = rng.as_seed(seed)
    kdec.choose_considering(s, q, uid, course, age, 18.0, 65.0, share, out)
    for i in range(n):
        exp = course[i] < 0 and 18 <= age[i] < 65 and \
            rng.uniform(s, int(uid[i]), q, P.CONSIDER_TRAINING, 0) < share
        assert out[i] == exp


@SETTINGS
@given(seed=seeds, q=st.integers(1, 60))
def test_thin_by_level(seed, q):
    g = gen(seed)
    n = 300
    uid = np.sort(g.choice(10**6, n, replace=False)).astype(np.int64)
    level = g.integers(0, 6, n).astype(np.int8)
    ratio = np.where(g.uniform(0, 1, 6) < 0.2, 1.0, g.uniform(0, 1, 6))
    cons = g.uniform(0, 1, n) < 0.5
    before = cons.copy()
    s = rng.as_seed(seed)
    kdisp.thin_by_level(s, q, uid, level, ratio, cons)
    for i in range(n):
        r = ratio[level[i]]
        exp = bool(before[i]) and (r >= 1.0 or
                                   rng.uniform(s, int(uid[i]), q, P.CONSIDER_TRAINING, 1) < r)
        assert cons[i] == exp


def test_thin_by_level_rates():
    """Over many learners the kept share is close to the ratio of each band."""
    n = 60000
    uid = np.arange(n, dtype=np.int64)
    level = (uid % 6).astype(np.int8)
    ratio = np.array([0.1, 0.2, 0.5, 0.9, 1.0, 0.0])
    cons = np.ones(n, np.bool_)
    kdisp.thin_by_level(rng.as_seed(5), 3, uid, level, ratio, cons)
    kept = np.bincount(level[cons], minlength=6) / np.bincount(level, minlength=6)
    assert np.allclose(kept, ratio, atol=0.015)



@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), share=st.floats(0, 1))
def test_consider_multiplier(seed, q, share):
    g = gen(seed)
    n = 300
    uid, course, age = residents(g, n)
    level = g.integers(0, 6, n).astype(np.int8)
    ratio = g.uniform(0, 1, 6)
    mult = g.choice([1.0, 0.5, 3.0, 50.0], n)
    cons = g.uniform(0, 1, n) < 0.3
    before = cons.copy()
    s = rng.as_seed(seed)
    kmult.apply_multiplier(s, q, uid, course, age, level, 18.0, 65.0, share, ratio, mult, cons)
    for i in range(n):
        exp = bool(before[i])
        m = mult[i]
        if m != 1.0 and course[i] < 0 and 18 <= age[i] < 65:
            u = rng.uniform(s, int(uid[i]), q, P.CONSIDER_TRAINING, 2)
            p0 = min(1.0, share * ratio[level[i]])
            if m > 1.0 and not exp and p0 < 1.0:
                exp = u < (min(1.0, m * p0) - p0) / (1.0 - p0)
            elif m < 1.0 and exp:
                exp = u < m
        assert cons[i] == exp


def test_consider_multiplier_rates():
    """Over many learners the share considering becomes multiplier x share x ratio (capped
    at 1), and a multiplier of 1 changes nothing."""
    n = 90000
    uid = np.arange(n, dtype=np.int64)
    level = np.full(n, 1, np.int8)
    ratio = np.full(6, 0.5)
    course = np.full(n, -1, np.int32)
    age = np.full(n, 55.0)
    s = rng.as_seed(7)
    share = 0.1
    for m, want in ((1.0, 0.05), (3.0, 0.15), (0.4, 0.02), (40.0, 1.0)):
        cons = np.empty(n, np.bool_)
        kdec.choose_considering(s, 3, uid, course, age, 18.0, 65.0, share, cons)
        kdisp.thin_by_level(s, 3, uid, level, ratio, cons)
        base = cons.copy()
        kmult.apply_multiplier(s, 3, uid, course, age, level, 18.0, 65.0, share, ratio,
                               np.full(n, m), cons)
        assert cons.mean() == pytest.approx(want, abs=0.006), m
        if m == 1.0:
            np.testing.assert_array_equal(cons, base)


def ref_price(fee, rate, elig, acc, bal, copay, sal):
    if elig and rate > 0:
        return 1, 0.0, 0.0
    if acc and bal > 0:
        pay = max(copay * fee, fee - bal)
        return 2, pay, fee - sal * (fee - pay)
    return 0, fee, fee


@SETTINGS
@given(fee=st.floats(0, 30000), rate=st.floats(0, 30000), elig=st.booleans(),
       acc=st.booleans(), bal=st.floats(-10, 10000), copay=st.floats(0, 1), sal=st.floats(0, 1))
def test_learner_price_follows_the_contract(fee, rate, elig, acc, bal, copay, sal):
    got = kdec.learner_price(fee, rate, elig, acc, bal, copay, sal)
    exp = ref_price(fee, rate, elig, acc, bal, copay, sal)
    assert got[0] == exp[0]
    assert math.isclose(got[1], exp[1], rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(got[2], exp[2], rel_tol=1e-12, abs_tol=1e-9)


PRM = dict(retire=67.0, cap=40.0, disc=0.2, money=4000.0, const=-1.0, mot_w=0.8, lvl_w=0.5,
           care_w=1.5, trans_w=1.0, vot=4.0, forgone=0.25, hours=1650.0, tcost=0.09,
           loan_min=3, loan_w=0.4, prior_mean=1000.0, prior_sd=3000.0, copay=0.1, sal=0.8,
           shift=0.2, taste=0.4, below_gain=800.0, fit_sd=1500.0, upfront=2.0, liq=0.5,
           ref_income=28000.0, floor=6000.0)


def ref_repayment_pv(annual, years, debt, borrow, r, delay):
    """Readable present value of the repayments on ``borrow`` on top of ``debt``."""
    if borrow <= 0 or annual <= 0 or years <= 0:
        return 0.0

    def pv(x):
        t = min(x / annual, years)
        return annual * (t if r == 0 else (1 - (1 + r) ** -t) / r)

    return (pv(debt + borrow) - pv(debt)) * (1 + r) ** -delay


def ref_rank(s, q, rows, d, c, off, lists, minutes, mw, me, noise_sd, K, ln):
    p = PRM
    w = p["prior_sd"] ** 2 / (p["prior_sd"] ** 2 + noise_sd ** 2)
    out = []
    for i in rows:
        u = int(d["uid"][i])
        li, si = int(d["level"][i]), int(d["sector"][i])
        u0 = rng.gumbel(s, u, q, P.COURSE_TASTE, 0) - rng.gumbel(s, u, q, P.COURSE_TASTE, 1)
        hourly = d["wage"][i] / p["hours"] * p["forgone"] if d["status"][i] == 0 else 0.0
        best = []
        g0 = int(d["district"][i]) * 6 + li
        for cc in lists[off[g0]:off[g0 + 1]]:
            lc, sc = int(c["level"][cc]), int(c["sector"][cc])
            lg = max(lc, li)  # a course below the learner's band keeps it
            z = rng.normal(s, u, 0, P.GUIDANCE_NOISE, lg * 64 + sc)
            true = mw[lg, sc] * me[lg, sc] - mw[li, si] * me[li, si] + \
                p["fit_sd"] * rng.normal(s, u, 0, P.COURSE_FIT, lg * 64 + sc)
            if lc < li:  # skill only
                true = p["below_gain"]
            gain = p["prior_mean"] + w * (true - p["prior_mean"]) + w * noise_sd * z
            years = min(p["cap"], p["retire"] - d["age"][i] - c["duration"][cc] / 4)
            ann = (1 - (1 + p["disc"]) ** -years) / p["disc"] if years > 0 else 0.0
            elig = bool(d["eligible"][i]) or lc <= d["open_band"][i]
            src, pay, cost = ref_price(c["fee"][cc], c["public_rate"][cc], elig,
                                       c["account_eligible"][cc], d["balance"][i], p["copay"],
                                       p["sal"])
            own = d["wage"][i] if d["status"][i] == 0 else 0.0
            w_up = p["upfront"] * (p["ref_income"] / max(own, p["floor"])) ** p["liq"]
            time_cost = c["glh"][cc] * (p["vot"] + hourly)
            if src == 0 and c["loan"][cc] and ln["left"][i] > 0:
                borrow = min(cost, ln["left"][i])
                rest = (cost - borrow) * (p["loan_w"] if lc >= p["loan_min"] else w_up)
                if ln["maint"]:
                    time_cost = c["glh"][cc] * p["vot"]
                    borrow += c["glh"][cc] * hourly
                dur = c["duration"][cc] / 4
                cost = ref_repayment_pv(ln["annual"][i], ln["years"][i] - dur,
                                        ln["debt"][i], borrow, p["disc"], dur) + rest
            elif src == 0 and lc >= p["loan_min"]:
                cost *= p["loan_w"]
            elif src == 2 and lc >= p["loan_min"]:  # what seems left of the fee: a loan
                cost *= p["loan_w"]
            else:
                cost *= w_up
            trip = minutes[d["district"][i], cc] * c["glh"][cc] * p["tcost"] * \
                (1 + p["trans_w"] * d["barrier_transport"][i])
            v = (ann * gain * c["credit"][cc] - cost - time_cost - trip) / p["money"] + \
                p["const"] + \
                p["mot_w"] * d["motivation"][i] + p["lvl_w"] * (min(li, lc) - 2) - \
                p["care_w"] * d["barrier_care"][i] + p["shift"]
            if li == lc - 1:
                v += c["progression"][cc]
            v += p["taste"] * rng.gumbel(s, u, q, P.COURSE_TASTE, int(cc) + 2)
            if v > u0:
                best.append((v, int(cc)))
        best.sort(key=lambda t: (-t[0], t[1]))
        out.append(best[:K])
    return out


@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), quality=st.floats(0, 1), K=st.integers(1, 4),
       below=st.integers(0, 2), loans=st.booleans(), maint=st.booleans())
def test_rank_courses(seed, q, quality, K, below, loans, maint):
    g = gen(seed)
    n, n_c, n_d, n_s = 60, 25, 3, 3
    c = courses(g, n_c, n_s)
    # units of a qualification and entitlement loans (all off: the model without them)
    c["credit"] = np.where(g.uniform(0, 1, n_c) < 0.3, 0.25, 1.0)
    c["loan"] = (g.uniform(0, 1, n_c) < 0.6) & loans
    d = dict(uid=np.sort(g.choice(10**6, n, replace=False)).astype(np.int64),
             district=g.integers(0, n_d, n).astype(np.int16),
             level=g.integers(0, 6, n).astype(np.int8),
             sector=g.integers(0, n_s, n).astype(np.int8), age=g.uniform(16, 67, n),
             status=g.integers(0, 3, n).astype(np.int8), wage=g.uniform(0, 50000, n),
             motivation=g.normal(0, 1, n), barrier_care=g.uniform(0, 1, n),
             barrier_transport=g.uniform(0, 1, n), balance=g.uniform(-1, 3000, n),
             eligible=g.uniform(0, 1, n) < 0.5,
             open_band=g.integers(0, 3, n).astype(np.int8))
    ln = dict(left=np.where(g.uniform(0, 1, n) < 0.7, g.uniform(0, 40000, n), 0.0),
              annual=np.where(g.uniform(0, 1, n) < 0.8, g.uniform(0, 3000, n), 0.0),
              years=g.uniform(0, 45, n), debt=g.uniform(0, 20000, n), maint=maint)
    minutes = g.uniform(0, 120, (n_d, n_c))
    off = np.zeros(n_d * 6 + 1, np.int64)
    parts = []
    for dd in range(n_d):
        for lv in range(6):
            band = (c["level"] == lv) | (c["level"] == lv + 1) | \
                ((lv == 3) & (c["level"] == 5)) | (c["level"] <= below)
            sel = np.flatnonzero(band & (minutes[dd] < 90))
            parts.append(sel)
            off[dd * 6 + lv + 1] = off[dd * 6 + lv] + sel.size
    lists = np.concatenate(parts).astype(np.int64)
    mw = g.uniform(10000, 45000, (6, n_s))
    me = g.uniform(0.8, 1.0, (6, n_s))
    rows = np.flatnonzero(g.uniform(0, 1, n) < 0.7)
    noise_sd = 6000.0 * (1 - quality)
    oc = np.empty((rows.size, K), np.int64)
    ou = np.empty((rows.size, K))
    s = rng.as_seed(seed)
    p = PRM
    learners = kdec.LearnerInputs(**d)
    crs = kdec.CourseInputs(level=c["level"], sector=c["sector"], fee=c["fee"],
                            public_rate=c["public_rate"], account_eligible=c["account_eligible"],
                            duration=c["duration"], glh=c["glh"], progression=c["progression"])
    prm = kdec.DecisionParams(
        retirement_age=p["retire"], horizon_cap=p["cap"], discount=p["disc"], money=p["money"],
        constant=p["const"], motivation_w=p["mot_w"], level_w=p["lvl_w"], care_w=p["care_w"],
        transport_w=p["trans_w"], value_of_time=p["vot"], forgone_share=p["forgone"],
        work_hours=p["hours"], travel_cost=p["tcost"], loan_min_level=p["loan_min"],
        loan_weight=p["loan_w"], prior_mean=p["prior_mean"], prior_sd=p["prior_sd"],
        taste_scale=p["taste"], below_gain=p["below_gain"], fit_sd=p["fit_sd"],
        upfront_weight=p["upfront"], liquidity_elasticity=p["liq"],
        reference_income=p["ref_income"], income_floor=p["floor"])
    loans = kdec.LoanInputs(credit=c["credit"], loan=c["loan"], left=ln["left"],
                            repay_per_year=ln["annual"], years=ln["years"], debt=ln["debt"],
                            maintenance=maint)
    terms = kdec.QuarterTerms(noise_sd=noise_sd, copay=p["copay"], salience=p["sal"],
                              shift=p["shift"])
    kdec.rank_courses(s, q, rows, learners, crs, kdec.Candidates(off, lists, minutes),
                      kdec.MarketSignals(mw, me), prm, terms, loans, oc, ou)
    ref = ref_rank(s, q, rows, d, c, off, lists, minutes, mw, me, noise_sd, K, ln)
    for k, lst in enumerate(ref):
        got = [int(x) for x in oc[k] if x >= 0]
        assert got == [cc for _, cc in lst]
        for a, (v, _) in enumerate(lst):
            assert math.isclose(ou[k, a], v, rel_tol=1e-9, abs_tol=1e-9)


# ------------------------------------------------------------------------ course allocation
def ref_deferred_acceptance(uid, choices, prio, seats):
    """Round-based Gale-Shapley: all free learners propose at once, courses keep their best."""
    n, K = choices.shape
    nxt = [0] * n
    held: dict[int, list[int]] = {c: [] for c in range(seats.size)}
    free = list(range(n))
    rejected = np.zeros(seats.size, np.int64)
    while free:
        props: dict[int, list[int]] = {}
        still = []
        for k in free:
            while nxt[k] < K and choices[k, nxt[k]] >= 0:
                c = int(choices[k, nxt[k]])
                props.setdefault(c, []).append(k)
                nxt[k] += 1
                break
            else:
                continue
        for c, ks in props.items():
            pool = held[c] + ks
            a_of = {k: list(choices[k]).index(c) for k in pool}
            pool.sort(key=lambda k: (-prio[k, a_of[k]], uid[k]))
            cap = max(int(seats[c]), 0)
            held[c] = pool[:cap]
            rejected[c] += len(pool) - len(held[c])
            still += pool[cap:]
        free = [k for k in still if nxt[k] < K and choices[k, nxt[k]] >= 0]
    out = np.full(n, -1, np.int64)
    for c, ks in held.items():
        for k in ks:
            out[k] = c
    return out, rejected


@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), K=st.integers(1, 4), ties=st.booleans())
def test_deferred_acceptance_matches_gale_shapley(seed, q, K, ties):
    g = gen(seed)
    n, n_c = 80, 12
    uid = np.sort(g.choice(10**6, n, replace=False)).astype(np.int64)
    level = g.integers(0, 6, n).astype(np.int8)
    c_level = g.integers(1, 6, n_c).astype(np.int8)
    choices = np.full((n, K), -1, np.int64)
    for k in range(n):
        m = g.integers(0, K + 1)
        choices[k, :m] = g.choice(n_c, m, replace=False)
    rows = np.arange(n, dtype=np.int64)
    prio = np.empty((n, K))
    s = rng.as_seed(seed)
    kalloc.priorities(s, q, rows, uid, level, choices, c_level, 1.0, prio)
    for k in range(n):
        for a in range(K):
            cc = choices[k, a]
            if cc < 0:
                assert prio[k, a] == -np.inf
                continue
            lc = c_level[cc]
            fit = 1.0 if level[k] == lc - 1 or (level[k] == 3 and lc == 5) else 0.0
            assert prio[k, a] == fit + rng.uniform(s, int(uid[k]), q, P.PROVIDER_RANK, int(cc))
    if ties:
        prio = np.where(np.isfinite(prio), np.round(prio), prio)  # many equal priorities
    seats = g.integers(0, 6, n_c).astype(np.int64)
    got = np.empty(n, np.int64)
    rej = np.zeros(n_c, np.int64)
    kalloc.deferred_acceptance(rows, uid, choices, prio, seats, got, rej)
    exp, exp_rej = ref_deferred_acceptance(uid, choices, prio, seats)
    assert np.array_equal(got, exp)
    assert np.array_equal(rej, exp_rej)
    assert np.all(np.bincount(got[got >= 0], minlength=n_c) <= seats)


# ------------------------------------------------------------------------ learning progress
@SETTINGS
@given(seed=seeds, q=st.integers(2, 60))
def test_progress(seed, q):
    g = gen(seed)
    n, n_c, n_p = 150, 10, 4
    c = courses(g, n_c, 3, n_p)
    quality = g.uniform(0, 1, n_p)
    uid = np.sort(g.choice(10**6, n, replace=False)).astype(np.int64)
    d = dict(course=np.where(g.uniform(0, 1, n) < 0.7, g.integers(0, n_c, n), -1).astype(
        np.int32), course_left=g.integers(1, 5, n).astype(np.int16),
        level=g.integers(0, 6, n).astype(np.int8), sector=g.integers(0, 3, n).astype(np.int8),
        status=g.integers(0, 3, n).astype(np.int8), skill=g.uniform(0, 1, n),
        motivation=g.normal(0, 1, n),
        care=g.uniform(0, 1, n), transport=g.uniform(0, 1, n),
        start=np.where(g.uniform(0, 1, n) < 0.2, q, q - 1).astype(np.int32),
        lcl=np.full(n, -1, np.int8), lcq=np.full(n, -1, np.int32))
    # a policy's own hazard for some learners (apprenticeships); -1 = from the course
    hz = np.where(g.uniform(0, 1, n) < 0.3, g.uniform(0, 0.5, n), -1.0)
    ref = {k: v.copy() for k, v in d.items()}
    ev = np.empty(n, np.int8)
    s = rng.as_seed(seed)
    prm = (math.log(0.85 / 0.15), 0.6, 3.0, 0.4, 1.0, 0.5, 0.3)
    kprog.progress(s, q, uid, d["course"], d["course_left"], d["level"], d["sector"],
                   d["status"], d["skill"], d["motivation"], d["care"], d["transport"], d["start"],
                   d["lcl"], d["lcq"], c["level"], c["sector"], c["duration"], c["bonus"],
                   c["provider"], quality, *prm, hz, ev)
    base, refq, qe, me, be, gain, retrain = prm
    for i in range(n):
        cc = ref["course"][i]
        if cc < 0 or ref["start"][i] == q:
            assert ev[i] == kprog.NONE and d["course"][i] == cc
            continue
        qual = quality[c["provider"][cc]]
        x = base + qe * (qual - refq) + me * ref["motivation"][i] - be * (
            ref["care"][i] + ref["transport"][i])
        h = 1 - (1 / (1 + math.exp(-x))) ** (1 / c["duration"][cc])
        h = min(1.0, max(0.0, h - c["bonus"][cc]))
        if hz[i] >= 0:
            h = hz[i]
        if rng.uniform(s, int(uid[i]), q, P.LEARNING_DROPOUT, 0) < h:
            assert ev[i] == kprog.DROPPED and d["course"][i] == -1
            assert d["level"][i] == ref["level"][i]
        elif ref["course_left"][i] > 1:
            assert ev[i] == kprog.CONTINUING and d["course"][i] == cc
            assert d["course_left"][i] == ref["course_left"][i] - 1
        else:
            assert ev[i] == kprog.COMPLETED and d["course"][i] == -1
            assert d["level"][i] == max(ref["level"][i], c["level"][cc])
            assert d["lcl"][i] == c["level"][cc] and d["lcq"][i] == q
            sk = ref["skill"][i]
            if c["sector"][cc] != ref["sector"][i] and ref["status"][i] == 0:
                assert d["sector"][i] == ref["sector"][i] and d["skill"][i] == sk
                continue
            if c["sector"][cc] != ref["sector"][i]:
                sk = retrain
            assert d["sector"][i] == c["sector"][cc]
            assert math.isclose(d["skill"][i], sk + gain * qual * (1 - sk), rel_tol=1e-12)


@SETTINGS
@given(seed=seeds, q=st.integers(1, 60))
def test_award(seed, q):
    g = gen(seed)
    n = 300
    uid = np.sort(g.choice(10**6, n, replace=False)).astype(np.int64)
    completed = g.uniform(0, 1, n) < 0.5
    c_level = g.integers(1, 6, n).astype(np.int8)
    before = g.integers(0, 6, n).astype(np.int8)
    level = np.maximum(before, c_level).astype(np.int8)
    after = level.copy()
    share = np.where(g.uniform(0, 1, 6) < 0.3, 1.0, g.uniform(0, 1, 6))
    recognition = np.where(g.uniform(0, 1, n) < 0.5, 1.0, g.uniform(0, 1, n))
    got = np.empty(n, np.bool_)
    s = rng.as_seed(seed)
    kaward.award(s, q, uid, completed, c_level, before, level, share, recognition, got)
    for i in range(n):
        if not completed[i]:
            assert not got[i] and level[i] == after[i]
            continue
        sh = share[c_level[i]] * recognition[i]
        exp = sh >= 1.0 or rng.uniform(s, int(uid[i]), q, P.LEARNING_DROPOUT, 1) < sh
        assert got[i] == exp
        assert level[i] == (after[i] if exp else before[i])


# ------------------------------------------------------------------------ provider supply
@SETTINGS
@given(seed=seeds, growth=st.floats(0, 0.5), shrink=st.floats(0, 1), base=st.floats(0, 1))
def test_adjust_places(seed, growth, shrink, base):
    g = gen(seed)
    n_c, n_p = 40, 5
    c = courses(g, n_c, 3, n_p)
    cap0 = g.integers(0, 30, n_c).astype(np.float64)
    cap = cap0 * g.uniform(0.5, 2.5, n_c)
    seats = np.floor(cap + 0.5).astype(np.int32)
    enrolled = np.minimum(seats, g.integers(0, 30, n_c)).astype(np.int32)
    fill = g.uniform(0, 1, n_c)
    pressure = fill + g.uniform(0, 2, n_c)
    share = g.uniform(0, 1, n_c)
    cost = g.uniform(0, 4000, n_c)
    adapt = g.uniform(0, 1, n_p)
    full, empty, mref, mult = 0.9, 0.5, 150.0, 2.0
    ref_cap = cap.copy()
    # a growth cap on some courses (policies' capped allocations), none on the others
    max_cap = np.where(g.uniform(0, 1, n_c) < 0.3, ref_cap * g.uniform(0.5, 1.5, n_c), np.inf)
    ksup.adjust_places(cap, cap0, max_cap, seats, enrolled, fill, pressure, share, c["fee"],
                       cost,
                       c["public_rate"], c["duration"], c["provider"], adapt, growth, shrink,
                       full, empty, mref, mult, base)
    for k in range(n_c):
        x = ref_cap[k]
        if x <= 0 and np.floor(ref_cap[k] + 0.5) <= 0:
            assert seats[k] == max(0, enrolled[k])
            continue
        rev = share[k] * c["public_rate"][k] + (1 - share[k]) * c["fee"][k]
        m = (rev - cost[k]) / c["duration"][k]
        a = adapt[c["provider"][k]]
        if m > 0 and fill[k] >= full:
            push = min(1.0, (pressure[k] - full) / (1 - full) + base)
            x *= 1 + growth * a * min(1.0, m / mref) * push
        elif m <= 0:
            x *= 1 - shrink * a
        elif fill[k] < empty:
            x *= 1 - shrink * a * (empty - fill[k]) / empty
        x = max(min(x, mult * max(cap0[k], 1.0)), enrolled[k], 0.0)
        x = min(x, max_cap[k])
        places = max(int(np.floor(x + 0.5)), enrolled[k])
        if places > np.floor(x + 0.5):  # capped below the learners on it: capacity = places
            x = float(places)
        assert math.isclose(cap[k], x, rel_tol=1e-12, abs_tol=1e-12)
        assert seats[k] == places
        assert seats[k] >= enrolled[k] >= 0
        # the next revision starts from the places it leaves (nothing to reconcile)
        assert np.floor(cap[k] + 0.5) == seats[k]


def test_insert_ranked_keeps_the_k_best_sorted_earlier_first_on_ties():
    from ecosim.model.kernels.top_k import insert_ranked

    rng = np.random.default_rng(5)
    for trial in range(50):
        n, width = int(rng.integers(1, 6)), 7
        vals = rng.integers(0, 8, size=int(rng.integers(0, 20))).astype(np.float64)
        ids = np.full((2, width), -1, np.int64)
        util = np.full((2, width), -np.inf)
        for i, v in enumerate(vals):
            if v > util[1, n - 1]:
                insert_ranked(ids, util, 1, n, i, v)
        order = sorted(range(len(vals)), key=lambda i: (-vals[i], i))[:n]  # stable: earlier first
        assert ids[1, :len(order)].tolist() == order, trial
        assert (ids[0] == -1).all() and (ids[1, n:] == -1).all()  # other rows and columns kept
