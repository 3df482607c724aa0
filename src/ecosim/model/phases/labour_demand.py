"""Phase 3: target posts from sector growth paths and the high-road tilt; vacancies open where
filled posts fall short (``kernels/vacancies.py``)."""

from __future__ import annotations

import numpy as np

from ecosim.model.kernels import vacancies as kvac


def growth_factors(model) -> np.ndarray:
    """Per-employer size factor (1 + g_s) ** (quarter / 4)."""
    g = np.array([s.annual_growth for s in model.scenario.sectors])
    return (1.0 + g[model.state.employers.sector]) ** (model.quarter / 4.0)


def run(model) -> None:
    emp = model.state.employers
    L = model.state.learners
    kvac.count_posts(L.employer, L.post_level, emp.n, emp.filled)
    kvac.target_posts(emp.base_posts, growth_factors(model), emp.high_road, emp.high_road0,
                      model.scenario.employers.high_road_level_tilt, emp.target_posts)
    emp.target = emp.target_posts.sum(axis=1)
    kvac.open_vacancies(model.seed, np.int64(model.quarter), emp.target_posts, emp.filled,
                        emp.vacancies)
    emp.vacancies_posted = emp.vacancies.copy()
