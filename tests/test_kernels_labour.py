"""Each labour-side kernel against a small, obviously-correct Python version on random inputs."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecosim.model import rng
from ecosim.model.kernels import demography as kdem
from ecosim.model.kernels import employer_training as ktrain
from ecosim.model.kernels import employer_upgrading as kup
from ecosim.model.kernels import job_matching as kjob
from ecosim.model.kernels import vacancies as kvac
from ecosim.model.kernels import wages as kwage

P = rng.Purpose
EB = rng.EMPLOYER_UID_BASE
SETTINGS = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**64 - 1)


def gen(seed: int) -> np.random.Generator:
    """Test-input generator (a local Generator; never the global state)."""
    return np.random.default_rng(seed)


def learners(g, n, n_e, n_d=3, n_s=4):
    status = g.integers(0, 3, n).astype(np.int8)
    level = g.integers(0, 6, n).astype(np.int8)
    employer = np.where(status == 0, g.integers(0, n_e, n), -1).astype(np.int32)
    post = np.where(status == 0, np.minimum(level, g.integers(0, 6, n)), -1).astype(np.int8)
    return dict(
        uid=np.sort(g.choice(10**6, n, replace=False)).astype(np.int64), status=status,
        level=level, employer=employer, post_level=post,
        wage=np.where(status == 0, g.uniform(15e3, 60e3, n), 0.0),
        age=g.uniform(16, 67, n), district=g.integers(0, n_d, n).astype(np.int16),
        sector=g.integers(0, n_s, n).astype(np.int8), skill=g.uniform(0, 1, n),
        last_trained=g.integers(-1, 12, n).astype(np.int32))


# ------------------------------------------------------------------------------ vacancies
@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), tilt=st.floats(0, 3))
def test_target_posts_and_vacancies(seed, q, tilt):
    g = gen(seed % 2**32)
    n_e = 12
    base = g.integers(0, 20, (n_e, 6)).astype(np.float64)
    growth = g.uniform(0.8, 1.3, n_e)
    hr, hr0 = g.uniform(0, 1, n_e), g.uniform(0, 1, n_e)
    out = np.empty((n_e, 6))
    kvac.target_posts(base, growth, hr, hr0, tilt, out)
    for e in range(n_e):
        w = [base[e, lv] * math.exp(tilt * (hr[e] - hr0[e]) * (lv - 2.5)) for lv in range(6)]
        scale = growth[e] * base[e].sum() / sum(w) if sum(w) > 0 else 0.0
        for lv in range(6):
            assert math.isclose(out[e, lv], w[lv] * scale, rel_tol=1e-12, abs_tol=1e-12)
    filled = g.integers(0, 20, (n_e, 6)).astype(np.int32)
    vac = np.empty((n_e, 6), np.int32)
    s = rng.as_seed(seed)
    kvac.open_vacancies(s, q, out, filled, vac)
    for e in range(n_e):
        for lv in range(6):
            gap = out[e, lv] - filled[e, lv]
            exp = 0 if gap <= 0 else math.floor(gap + rng.uniform(s, EB + e, q, P.VACANCY, lv))
            assert vac[e, lv] == exp


@SETTINGS
@given(seed=seeds)
def test_count_posts(seed):
    g = gen(seed % 2**32)
    d = learners(g, 200, 9)
    out = np.empty((9, 6), np.int32)
    kvac.count_posts(d["employer"], d["post_level"], 9, out)
    ref = np.zeros((9, 6), np.int32)
    for e, p in zip(d["employer"], d["post_level"], strict=True):
        if e >= 0:
            ref[e, p] += 1
    assert np.array_equal(out, ref)


# ------------------------------------------------------------------------------ job matching
@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), turnover=st.floats(0, 0.5), rate=st.floats(0, 1))
def test_separations_and_searchers(seed, q, turnover, rate):
    g = gen(seed % 2**32)
    n_e = 7
    d = learners(g, 150, n_e)
    hr = g.uniform(0, 1, n_e)
    layoff = g.uniform(0, 0.3, (n_e, 6))
    ref = {k: v.copy() for k, v in d.items()}
    sep = np.empty(150, np.bool_)
    s = rng.as_seed(seed)
    kjob.separations(s, q, d["uid"], d["status"], d["employer"], d["post_level"], d["wage"], hr,
                     turnover, 0.5, layoff, sep)
    for i in range(150):
        out = False
        if ref["status"][i] == 0:
            e = ref["employer"][i]
            p = turnover * (1 - 0.5 * hr[e]) + layoff[e, ref["post_level"][i]]
            out = rng.uniform(s, int(ref["uid"][i]), q, P.JOB_SEPARATION, 0) < p
        assert sep[i] == out
        if out:
            assert d["status"][i] == 1 and d["employer"][i] == -1 and d["wage"][i] == 0
        else:
            assert d["status"][i] == ref["status"][i] and d["employer"][i] == ref["employer"][i]
    srch = np.empty(150, np.bool_)
    kjob.choose_searchers(s, q, d["uid"], d["status"], d["level"], d["post_level"], rate, 3.0,
                          srch)
    for i in range(150):
        st_ = d["status"][i]
        if st_ == 1:
            exp = True
        elif st_ == 0:
            r = min(1.0, 3 * rate) if d["post_level"][i] < d["level"][i] else rate
            exp = rng.uniform(s, int(d["uid"][i]), q, P.JOB_SEARCH, 0) < r
        else:
            exp = False
        assert srch[i] == exp


def ref_applications(s, q, rnd, searchers, d, slots, dist_cum, seg_off, post_cum, travel, prm):
    n_c, n_a = prm["n_cand"], prm["n_apps"]
    out = []
    for i in searchers:
        u = int(d["uid"][i])
        home = d["district"][i]
        cands = []
        if dist_cum[home, -1] > 0:
            for c in range(n_c):
                kk = rnd * 4096 + c * 4
                x = rng.uniform(s, u, q, P.JOB_CANDIDATE, kk) * dist_cum[home, -1]
                dd = next(j for j in range(len(dist_cum)) if dist_cum[home, j] > x
                          or j == len(dist_cum) - 1)
                lo, hi = seg_off[dd], seg_off[dd + 1]
                if hi <= lo:
                    continue
                base = post_cum[lo - 1] if lo > 0 else 0.0
                y = base + (post_cum[hi - 1] - base) * rng.uniform(s, u, q, P.JOB_CANDIDATE,
                                                                    kk + 1)
                j = next(j for j in range(lo, hi) if post_cum[j] > y or j == hi - 1)
                lv = slots["level"][j]
                stretch = rng.uniform(s, u, q, P.JOB_CANDIDATE, kk + 2) < prm["stretch"]
                if (stretch and lv != d["level"][i] + 1) or (not stretch and lv > d["level"][i]):
                    continue
                if d["employer"][i] == slots["emp"][j]:
                    continue
                t = travel[home, slots["district"][j]]
                if t > prm["max_commute"]:
                    continue
                net = slots["offer"][j] - prm["cc"] * t
                cur = d["wage"][i] * (1 + prm["margin"]) if d["status"][i] == 0 else -np.inf
                if net < cur:
                    continue
                v = net - (prm["switch"] if slots["sector"][j] != d["sector"][i] else 0.0)
                v += prm["noise"] * rng.gumbel(s, u, q, P.JOB_CANDIDATE, kk + 3)
                if j in [cj for cj, _ in cands]:
                    continue
                cands.append((j, v))
        cands.sort(key=lambda t: -t[1])  # stable: earlier candidate first on ties
        out.append(cands[:n_a])
    return out


@SETTINGS
@given(seed=seeds, q=st.integers(1, 40), rnd=st.integers(0, 2))
def test_applications_select_and_hire(seed, q, rnd):
    g = gen(seed % 2**32)
    n_e, n_d, n = 10, 3, 120
    d = learners(g, n, n_e, n_d)
    d["status"] = np.where(d["status"] == 2, 1, d["status"]).astype(np.int8)
    d["employer"] = np.where(d["status"] == 0, d["employer"], -1).astype(np.int32)
    d["post_level"] = np.where(d["status"] == 0, d["post_level"], -1).astype(np.int8)
    emp_d = g.integers(0, n_d, n_e).astype(np.int16)
    emp_s = g.integers(0, 4, n_e).astype(np.int8)
    vac = g.integers(0, 3, (n_e, 6))
    e_idx, l_idx = np.nonzero(vac > 0)
    dd = emp_d[e_idx]
    o = np.lexsort((l_idx, e_idx, dd))
    e_idx, l_idx, dd = e_idx[o], l_idx[o], dd[o]
    left = vac[e_idx, l_idx].astype(np.int64)
    offer = g.uniform(15e3, 60e3, e_idx.size)
    slots = dict(emp=e_idx.astype(np.int32), level=l_idx.astype(np.int8),
                 district=dd.astype(np.int16), sector=emp_s[e_idx], offer=offer)
    seg_off = np.concatenate([[0], np.cumsum(np.bincount(dd, minlength=n_d))]).astype(np.int64)
    post_cum = np.cumsum(left).astype(np.float64)
    travel = g.uniform(5, 80, (n_d, n_d))
    reach = np.exp(-travel / 25) * (travel <= 70)
    dist_cum = np.cumsum(reach * np.bincount(dd, weights=left, minlength=n_d)[None, :], axis=1)
    prm = dict(n_cand=6, n_apps=3, stretch=0.3, max_commute=70, cc=50.0, switch=1500.0,
               margin=0.05, noise=2000.0)
    searchers = np.flatnonzero((d["status"] == 1) | (g.uniform(0, 1, n) < 0.2))
    s = rng.as_seed(seed)
    a_slot = np.empty((searchers.size, 3), np.int64)
    a_util = np.empty((searchers.size, 3))
    # whole posts (the slot is a table look-up) and fractional cumulative weights (the kernel
    # then falls back to a binary search): both against the reference
    for cum in (post_cum - 0.5, post_cum):
        kjob.applications(s, q, rnd, searchers, d["uid"], d["level"], d["district"],
                          d["sector"], d["status"], d["employer"], d["wage"], slots["emp"],
                          slots["level"], slots["district"], slots["sector"], offer, dist_cum,
                          seg_off, cum, travel, 70.0, 50.0, 1500.0, 0.05, 0.3, 2000.0, 6, 3,
                          a_slot, a_util)
        ref = ref_applications(s, q, rnd, searchers, d, slots, dist_cum, seg_off, cum, travel,
                               prm)
        for k, apps in enumerate(ref):
            got = [(int(j), float(v)) for j, v in zip(a_slot[k], a_util[k], strict=True)
                   if j >= 0]
            assert [j for j, _ in got] == [j for j, _ in apps]
            assert np.allclose([v for _, v in got], [v for _, v in apps], rtol=1e-12)
    # employers choose: Python reference
    left_ref = left.copy()
    offers = set()
    shortage_ref = np.zeros(left.size, bool)
    for j in range(left.size):
        apps = [(k, a) for k in range(searchers.size) for a in range(3) if a_slot[k, a] == j]
        if not apps or left_ref[j] <= 0:
            continue
        lv = slots["level"][j]
        key = rnd * 8388608 + int(slots["emp"][j]) * 6 + int(lv)
        scored = []
        for k, a in apps:
            i = searchers[k]
            if d["level"][i] >= lv:
                sc = d["skill"][i] + 0.15 * d["level"][i] + 0.3 * rng.gumbel(
                    s, int(d["uid"][i]), q, P.EMPLOYER_RANK, key)
                scored.append((-sc, int(d["uid"][i]), k, a))
            else:
                shortage_ref[j] = True
        scored.sort()
        for _, _, k, a in scored[:left_ref[j]]:
            offers.add((k, a))
    hired_ref = np.full(searchers.size, -1)
    for k in range(searchers.size):
        for a in range(3):
            if (k, a) in offers:
                hired_ref[k] = a_slot[k, a]
                left_ref[a_slot[k, a]] -= 1
                break
    flag = np.zeros(left.size, np.bool_)
    hired = np.empty(searchers.size, np.int64)
    kjob.select_and_accept(s, q, rnd, searchers, d["uid"], d["level"], d["skill"], a_slot,
                           a_util, slots["emp"], slots["level"], left, n_e, 0.15, 0.3, flag,
                           hired)
    assert np.array_equal(hired, hired_ref)
    assert np.array_equal(left, left_ref)
    assert np.array_equal(flag, shortage_ref)
    assert (left >= 0).all()  # no employer over-hired
    # hires move people and count quits
    quits = np.zeros(n_e, np.int32)
    poached = np.zeros(n_e, np.int32)
    before_emp = d["employer"].copy()
    last_hire = np.full(n, -1, np.int32)
    h, m = kjob.apply_hires(q, searchers, hired, slots["emp"], slots["level"], slots["sector"],
                            offer, d["status"], d["employer"], d["post_level"], d["sector"],
                            d["skill"], d["wage"], last_hire, d["last_trained"], 0.5, quits,
                            poached)
    assert h == int((hired >= 0).sum())
    movers = searchers[hired >= 0]
    assert m == int((before_emp[movers] >= 0).sum()) == int(quits.sum())
    assert np.array_equal(d["employer"][movers], slots["emp"][hired[hired >= 0]])
    assert (d["post_level"][movers] <= d["level"][movers]).all()
    assert (last_hire[movers] == q).all()


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60), frac=st.booleans())
def test_post_owner_is_the_binary_search(seed, n, frac):
    g = np.random.default_rng(seed)
    cum = np.cumsum(g.integers(0, 4, n)).astype(np.float64) + (0.25 if frac else 0.0)
    owner = kjob.post_owner(cum)
    assert owner.size == (0 if frac else int(cum[-1]) + 1)
    for y in g.uniform(0, cum[-1], 50):
        exp = int(np.searchsorted(cum, y, side="right"))  # first index with cum > y
        if owner.size:
            assert owner[int(y)] == exp


# ------------------------------------------------------------------------------ wages
@SETTINGS
@given(seed=seeds, iso=st.floats(0, 1), speed=st.floats(0, 1), over_share=st.floats(0, 1),
       low_share=st.floats(0, 1))
def test_wage_kernels(seed, iso, speed, over_share, low_share):
    g = gen(seed % 2**32)
    n_e, n_d, n_s = 8, 3, 4
    prem = np.array([-0.2, -0.08, 0.0, 0.15, 0.45, 0.85])
    sidx = g.uniform(0.8, 1.2, n_s)
    dep = g.uniform(0, 0.5, n_d)
    es, ed = g.integers(0, n_s, n_e).astype(np.int8), g.integers(0, n_d, n_e).astype(np.int16)
    hr, ep = g.uniform(0, 1, n_e), g.normal(0, 0.05, n_e)
    own = np.empty((n_e, 6))
    kwage.own_offers(23000.0, sidx, prem, 0.1, dep, 0.1, es, ed, hr, ep, own)
    for e in range(n_e):
        for lv in range(6):
            exp = (23000 * sidx[es[e]] * (1 + prem[lv]) * (1 + 0.1 * hr[e])
                   * (1 - 0.1 * dep[ed[e]]) * (1 + ep[e]))
            assert math.isclose(own[e, lv], exp, rel_tol=1e-12)
    filled = g.integers(0, 5, (n_e, 6)).astype(np.int32)
    norm = np.empty((n_d, n_s, 6))
    wt = np.empty_like(norm)
    kwage.local_norms(own, filled, ed, es, n_d, n_s, norm, wt)
    for dd in range(n_d):
        for s_ in range(n_s):
            for lv in range(6):
                m = [(filled[e, lv] + 1e-3, own[e, lv]) for e in range(n_e)
                     if ed[e] == dd and es[e] == s_]
                exp = sum(w * o for w, o in m) / sum(w for w, _ in m) if m else 0.0
                assert math.isclose(norm[dd, s_, lv], exp, rel_tol=1e-9, abs_tol=1e-9)
    off = np.empty((n_e, 6))
    kwage.offers(own, norm, ed, es, iso, off)
    assert np.allclose(off, (1 - iso) * own + iso * norm[ed, es], rtol=1e-12)
    d = learners(g, 100, n_e, n_d, n_s)
    hire_q = g.integers(0, 3, 100).astype(np.int32)
    w0 = d["wage"].copy()
    kwage.update_wages(2, d["status"], d["employer"], d["post_level"], d["level"], d["skill"],
                       hire_q, off, prem, hr, 0.2, over_share, low_share, speed, d["wage"])
    for i in range(100):
        if d["status"][i] != 0:
            assert d["wage"][i] == 0.0
            continue
        e, p, lv = d["employer"][i], d["post_level"][i], d["level"][i]
        over = max(0.0, over_share * (prem[lv] - prem[p]) / (1 + prem[p]))
        tgt = off[e, p] * (1 + over) * (
            1 + 0.2 * (low_share + (1 - low_share) * hr[e]) * (d["skill"][i] - 0.5))
        exp = tgt if (hire_q[i] == 2 or w0[i] <= 0) else w0[i] + speed * (tgt - w0[i])
        assert math.isclose(d["wage"][i], exp, rel_tol=1e-12)
        assert d["wage"][i] > 0


# ------------------------------------------------------------------------------ employers
@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), base=st.floats(0, 0.5), sens=st.floats(0, 1),
       a0=st.floats(0, 1), fw=st.floats(0, 1))
def test_training_and_upgrading(seed, q, base, sens, a0, fw):
    g = gen(seed % 2**32)
    n_e, n = 6, 120
    hr, risk = g.uniform(0, 1, n_e), g.uniform(0, 1, n_e)
    p = np.empty(n_e)
    ktrain.training_probability(hr, risk, base, 1.5, sens, p)
    assert np.allclose(p, np.clip(base * hr**1.5 * (1 - sens * risk), 0, 1), rtol=1e-12)
    d = learners(g, n, n_e)
    sk0 = d["skill"].copy()
    lt0 = d["last_trained"].copy()
    tr = np.empty(n, np.bool_)
    s = rng.as_seed(seed)
    ktrain.train_and_learn(s, q, d["uid"], d["status"], d["employer"], d["skill"],
                           d["last_trained"], p, hr, 0.08, 0.01, 0.02, a0, tr)
    for i in range(n):
        if d["status"][i] == 0:
            e = d["employer"][i]
            ab = a0 + (1 - a0) * hr[e]
            x = sk0[i]
            t = rng.uniform(s, int(d["uid"][i]), q, P.EMPLOYER_TRAINING, 0) < p[e]
            if t:
                x += 0.08 * ab * (1 - x)
            x += 0.01 * ab * (1 - x)
            assert tr[i] == t and math.isclose(d["skill"][i], min(1.0, x), rel_tol=1e-12)
            assert d["last_trained"][i] == (q if t else lt0[i])
        else:
            assert not tr[i] and math.isclose(d["skill"][i], sk0[i] * 0.98, rel_tol=1e-12)
    fill = g.uniform(0, 1, 3)
    ms = g.uniform(0, 1, n_e)
    ed = g.integers(0, 3, n_e).astype(np.int16)
    av = np.empty(n_e)
    kup.availability(ed, fill, ms, fw, av)
    assert np.allclose(av, fw * fill[ed] + (1 - fw) * ms, rtol=1e-12)
    sup = g.uniform(0.5, 3, n_e)
    h = hr.copy()
    moved = np.empty(n_e, np.int8)
    kup.upgrade(s, q, h, av, sup, 0.2, 0.2, 0.1, moved)
    for e in range(n_e):
        a = min(1, max(0, av[e]))
        pu = min(1, 0.2 * sup[e] * a)
        pdn = min(1 - pu, 0.2 * (1 - a))
        u = rng.uniform(s, EB + e, q, P.EMPLOYER_UPGRADE, 0)
        exp = hr[e]
        if u < pu:
            exp = min(1.0, hr[e] + 0.1)
        elif u >= 1 - pdn:
            exp = max(0.0, hr[e] - 0.1)
        assert math.isclose(h[e], exp) and 0 <= h[e] <= 1
        assert moved[e] == int(np.sign(round(exp - hr[e], 12)))


# ------------------------------------------------------------------------------ demography
@SETTINGS
@given(seed=seeds, q=st.integers(1, 60), scar=st.floats(0, 1))
def test_age_and_flows(seed, q, scar):
    g = gen(seed % 2**32)
    n = 200
    d = learners(g, n, 5)
    d["level"][:40] = 5
    d["age"][:40] = g.uniform(20, 30, 40)
    ref = {k: v.copy() for k, v in d.items()}
    to_active = g.uniform(0, 0.3, 6)
    to_inactive = g.uniform(0, 0.3, (4, 6))
    code = np.empty(n, np.int8)
    s = rng.as_seed(seed)
    kdem.age_and_flows(s, q, d["uid"], d["age"], d["level"], d["status"], d["employer"],
                       d["post_level"], d["wage"], 67.0, to_active, to_inactive, 0.02, 0.1,
                       scar, code)
    for i in range(n):
        u = int(ref["uid"][i])
        a = ref["age"][i] + 0.25
        assert d["age"][i] == a
        exp_code = 0
        if a >= 67:
            exp_code = 1
        elif ref["level"][i] == 5 and a < 30:
            p = 0.02
            if not (ref["status"][i] == 0 and ref["post_level"][i] >= 4):
                p += 0.1 * scar
            if rng.uniform(s, u, q, P.MIGRATION, 0) < p:
                exp_code = 2
        assert code[i] == exp_code
        if exp_code:
            continue
        band = 0 if a < 25 else 1 if a < 50 else 2 if a < 65 else 3
        r = rng.uniform(s, u, q, P.EXIT_ACTIVITY, 0)
        lv = ref["level"][i]
        if ref["status"][i] == 2:
            assert d["status"][i] == (1 if r < to_active[lv] else 2)
        elif r < to_inactive[band, lv]:
            assert d["status"][i] == 2 and d["employer"][i] == -1 and d["wage"][i] == 0
        else:
            assert d["status"][i] == ref["status"][i]


@SETTINGS
@given(seed=seeds, q=st.integers(0, 30))
def test_draw_residents(seed, q):
    g = gen(seed % 2**32)
    n, n_d, n_s = 80, 3, 4
    uid = np.arange(n, dtype=np.int64) * 7 + 3
    dist = g.integers(0, n_d, n).astype(np.int16)
    mix = g.dirichlet(np.ones(6), n_d)
    lcum = np.cumsum(mix, axis=1)
    p_emp, p_un = g.uniform(0, 1, (n_d, 6, 4)), g.uniform(0, 1, (n_d, 6, 4))
    scum = np.cumsum(g.uniform(0.1, 1, (6, n_s)), axis=1)
    tm = g.uniform(0.05, 0.3, n_d)
    fixed = np.where(g.uniform(0, 1, n) < 0.2, 4, -1).astype(np.int8)
    out = [np.empty(n), np.empty(n, np.int8), np.empty(n, np.int8), np.empty(n, np.int8),
           np.empty(n), np.empty(n), np.empty(n), np.empty(n)]
    s = rng.as_seed(seed)
    kdem.draw_residents(s, q, uid, dist, lcum, 16.0, 67.0, p_emp, p_un, 1.0, 0.15, tm, scum,
                        0.2, 0.9, 30.0, 0.4, fixed, *out)
    age, level, status, sector, skill, mot, bc, bt = out

    def pick(cum, u):
        return int(np.searchsorted(cum, u * cum[-1], side="right"))

    for i in range(n):
        u = int(uid[i])
        dd = dist[i]
        assert math.isclose(age[i], 16 + 51 * rng.uniform(s, u, q, P.INIT_AGE, 0))
        lv = fixed[i] if fixed[i] >= 0 else min(5, pick(lcum[dd], rng.uniform(s, u, q,
                                                                           P.INIT_LEVEL, 0)))
        assert level[i] == lv
        band = int(np.searchsorted([25.0, 50.0, 65.0], age[i], side="right"))  # age bands
        if rng.uniform(s, u, q, P.INIT_STATUS, 0) < p_emp[dd, lv, band]:
            assert status[i] == 0
        else:
            assert status[i] == (1 if rng.uniform(s, u, q, P.INIT_STATUS, 1) < p_un[dd, lv, band]
                                 else 2)
        assert sector[i] == min(n_s - 1, pick(scum[lv], rng.uniform(s, u, q, P.INIT_SECTOR, 0)))
        exper = min(1.0, (age[i] - 16.0) / 30.0)
        sk = 0.2 + 0.7 * (0.6 * rng.uniform(s, u, q, P.INIT_SKILL, 0) + 0.4 * exper)
        assert math.isclose(skill[i], min(1.0, max(0.0, sk)), rel_tol=1e-12)
        assert 0 <= skill[i] <= 1 and 0 <= bc[i] <= 1 and 0 <= bt[i] <= 1
        assert math.isclose(mot[i], rng.normal(s, u, q, P.INIT_MOTIVATION, 0))
