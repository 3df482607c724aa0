"""Phase 7: pay moves towards each worker's target (``kernels/wages.py``); pay bills and levy
status follow."""

from __future__ import annotations

import numpy as np

from ecosim.model.kernels import wages as kwage


def run(model) -> None:
    sc = model.scenario
    st = model.state
    L = st.learners
    emp = st.employers
    lm = sc.labour_market
    kwage.update_wages(np.int64(model.quarter), L.status, L.employer, L.post_level, L.level,
                       L.skill, L.last_hire_quarter, emp.offer, model.params["premia"],
                       emp.high_road, lm.skill_premium, lm.overqualified_premium_share,
                       lm.low_road_skill_premium_share, lm.wage_adjust_speed, L.wage)
    ok = L.employer >= 0
    emp.payroll = np.bincount(L.employer[ok], weights=L.wage[ok], minlength=emp.n)
    emp.levy_payer = emp.payroll * sc.run.persons_per_agent > \
        sc.employers.levy_payroll_threshold_gbp
