"""Tables of the agents, read through their ``mesa.Agent`` views (AgentSet queries).

Providers (College, University) with their course mix and fill, employers grouped by sector with
their high-road score, and a fixed sample of learners with their pathways so far.
"""

from __future__ import annotations

from html import escape

import numpy as np

from ecosim.model.agents import College, Employer, University
from ecosim.viz.workshop_model import LEVEL_LABELS, WorkshopModel

TABLE_CLASS = "ecosim-table"


def _table(header: list[str], rows: list[list[str]], caption: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<table class="{TABLE_CLASS}"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def providers_html(model: WorkshopModel) -> str:
    """One row per college or university: kind, district, places, learners, fill, course mix."""
    m = model.policy
    courses = m.state.courses
    districts = [d.name for d in m.scenario.region.districts]
    providers = list(m.agents_by_type.get(College, [])) + list(m.agents_by_type.get(University, []))
    rows = []
    for p in sorted(providers, key=lambda a: a.index):
        mine = courses.provider == p.index
        seats = courses.seats[mine]
        mix = []
        for band in range(1, len(LEVEL_LABELS)):
            s = int(seats[courses.level[mine] == band].sum())
            if s:
                short = LEVEL_LABELS[band].replace("Level ", "L")
                mix.append(f"{short} {100 * s / max(seats.sum(), 1):.0f}%")
        where = "online" if p.online else (
            districts[p.district] if p.district >= 0 else "out of area")
        fill = p.enrolled / p.seats if p.seats else float("nan")
        rows.append([p.name, "university" if isinstance(p, University) else "college", where,
                     f"{p.seats * m.scenario.run.persons_per_agent:,.0f}",
                     f"{p.enrolled * m.scenario.run.persons_per_agent:,.0f}",
                     "–" if not np.isfinite(fill) else f"{100 * fill:.0f}%",
                     ", ".join(mix) or "no places"])
    return _table(["provider", "kind", "where", "places", "learners", "fill",
                   "course mix (places)"], rows,
                  "Providers: places, learners and course mix (room's run)")


def employers_html(model: WorkshopModel) -> str:
    """Employers grouped by sector: agents, workers, vacancies, mean high-road score."""
    m = model.policy
    sectors = [s.name for s in m.scenario.sectors]
    groups = m.agents_by_type[Employer].groupby("sector")
    ppa = m.scenario.run.persons_per_agent
    rows = []
    for sector, agents in sorted(groups, key=lambda kv: kv[0]):
        heads = np.array(agents.get("headcount"), dtype=np.float64)
        hr = np.array(agents.get("high_road"), dtype=np.float64)
        vac = sum(a.vacancies_total for a in agents)
        mean_hr = float((hr * heads).sum() / heads.sum()) if heads.sum() else float(hr.mean())
        rows.append([sectors[sector].replace("_", " "), f"{len(agents)}",
                     f"{heads.sum() * ppa:,.0f}", f"{vac * ppa:,.0f}", f"{mean_hr:.2f}",
                     f"{int((hr >= 0.5).sum())} of {len(agents)}"])
    return _table(["sector", "employer agents", "workers", "vacancies",
                   "high-road score (0-1)", "high-road (≥ 0.5)"], rows,
                  "Employers by sector: size and high-road score (room's run)")


def learners_html(model: WorkshopModel) -> str:
    """The sampled learners: now (from their Learner views) and their pathway so far."""
    m = model.policy
    sample = set(model.sample_uids)
    views = {a.uid: a for a in m.learner_agents().select(lambda a: a.uid in sample)}
    rows = []
    for uid in model.sample_uids:
        a = views.get(uid)
        now = (f"age {a.age:.0f}, {LEVEL_LABELS[a.level]}, pay £{a.wage:,.0f}" if a is not None
               else "left")
        steps = [f"Y{q / 4:g}: {label}" for q, label in model.pathways[uid]]
        rows.append([str(uid), now, " → ".join(steps)])
    return _table(["learner", "now", "pathway (model year: qualification, activity)"], rows,
                  "A sample of learners and their pathways (room's run)")
