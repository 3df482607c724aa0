"""Phase 8: employer training and on-the-job learning (``kernels/employer_training.py``), then
upgrading on the low- to high-road scale (``kernels/employer_upgrading.py``). The model calls
the ``adjust_employers`` hook after this phase."""

from __future__ import annotations

import numpy as np

from ecosim.model.kernels import employer_training as ktrain
from ecosim.model.kernels import employer_upgrading as kup


def run(model) -> None:
    sc = model.scenario
    es = sc.employers
    st = model.state
    L = st.learners
    emp = st.employers
    q = np.int64(model.quarter)
    if model.quarter % 4 == 1:
        emp.training_spend[:] = 0.0
    # poaching risk: moving average of the annualised job-to-job quit rate of recent trainees'
    # employers, relative to the rate at which risk is full
    rate = 4.0 * emp.quits / np.maximum(emp.headcount, 1)
    emp.poaching_risk = es.poaching_memory * emp.poaching_risk + (1.0 - es.poaching_memory) * \
        np.minimum(1.0, rate / es.poaching_full_quit_rate)
    p = np.empty(emp.n)
    ktrain.training_probability(emp.high_road, emp.poaching_risk, es.training_base_rate,
                                es.training_high_road_power, es.training_poaching_sensitivity, p)
    trained = np.empty(L.n, np.bool_)
    ktrain.train_and_learn(model.seed, q, L.uid, L.status, L.employer, L.skill,
                           L.last_trained_quarter, p, emp.high_road, es.training_skill_gain,
                           es.ojt_rate, es.skill_decay_unemployed, es.low_road_absorption,
                           trained)
    emp.trained = np.bincount(L.employer[trained], minlength=emp.n).astype(np.int32)
    emp.training_spend = emp.training_spend + emp.trained * es.training_cost_gbp * \
        sc.run.persons_per_agent
    # skill availability: district fill rate of Level 3+ posts (moving average) and own skill
    D = sc.n_districts
    posted = np.bincount(emp.district, weights=emp.vacancies_posted[:, 3:].sum(axis=1),
                         minlength=D)
    filled = np.bincount(emp.district, weights=emp.hires[:, 3:].sum(axis=1), minlength=D)
    fill = st.market.skill_fill_rate
    has = posted > 0
    mem = es.skill_fill_memory
    fill[has] = mem * fill[has] + (1.0 - mem) * (filled[has] / posted[has])
    ok = L.employer >= 0
    sk = np.bincount(L.employer[ok], weights=L.skill[ok], minlength=emp.n)
    mean_skill = np.where(emp.headcount > 0, sk / np.maximum(emp.headcount, 1),
                          es.no_staff_skill)
    avail = np.empty(emp.n)
    kup.availability(emp.district, fill, mean_skill, es.availability_fill_weight, avail)
    emp.skill_availability = avail
    moved = np.empty(emp.n, np.int8)
    kup.upgrade(model.seed, q, emp.high_road, avail, emp.support_multiplier, es.upgrade_rate,
                es.downgrade_rate, es.upgrade_step, moved)
