"""The comparison report: one self-contained HTML file, the same content as PDF, figure files
and the tidy CSV behind every figure.

``write_report(comp, out_dir, formats)`` draws every figure once, then writes (atomically)
``report.html`` (figures embedded as PNG data, no scripts, no network), ``report.pdf``
(matplotlib PdfPages: text pages and the same figures), ``figures/<n>_<name>.png|svg`` and
``data/<name>.csv``. Returns the paths written.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ecosim.report import figures_effects as FE
from ecosim.report import figures_groups as FG
from ecosim.report import text as T
from ecosim.report import units as U
from ecosim.report.data import Comparison
from ecosim.store import atomic_path, write_text_atomic

QUESTION = ("What does each policy do to the region's skills, jobs, pay and public spending, "
            "against the baseline, and how sure can we be?")
CAVEAT = ("ecosim is for exploring mechanisms — how policies could move a regional skills "
          "system and why — not for forecasts. Numbers are model outcomes under stated "
          "assumptions; intervals cover replication noise only, not uncertainty in the "
          "assumptions (see the sensitivity sweeps for that).")
ODD_LINK = "docs/odd.md"
#: what funded provision looks like: said in the findings too (the funded-provision figure)
PROVISION = ("funded_share_level3", "funded_share_priority_sectors")


@dataclass
class Figure:
    key: str
    title: str
    caption: str
    fig: Any
    data: pd.DataFrame
    png: bytes = b""  # rendered once (1280x720), used by the HTML and the PNG file


def build_figures(comp: Comparison) -> list[Figure]:
    """Every figure of the report, in order, with the table behind it."""
    out = [
        Figure("headline", "Effect against the baseline",
               "Each policy's final-year difference from the baseline on the headline "
               "indicators; the bar is the 90% interval, the dashed line zero.",
               FE.headline_figure(comp), FE.headline_data(comp)),
        Figure("paths", "Paths over time",
               "Mean over replications with a 90% band; policies act from the start of the "
               "burn-in, which is not reported.", FE.paths_figure(comp), FE.paths_data(comp)),
        Figure("difference_paths", "Difference from the baseline over time",
               "Policy minus baseline, quarter by quarter, with a 90% band.",
               FE.difference_paths_figure(comp), FE.paths_data(comp, diff=True)),
    ]
    if comp.has("funded_enrolled", "funded_share_priority_sectors",
                *[m for m, _ in FG.LEVEL_SHARES]):
        out.append(Figure("funded_provision", "Funded provision",
                          "Publicly funded learners in the final year by course level and "
                          "by priority or other sector.",
                          FG.funded_provision_figure(comp), FG.funded_provision_data(comp)))
    if comp.has("share_level3_plus") and comp.runs[comp.baseline].districts:
        out.append(Figure("districts", "Districts",
                          "Final-year change in the Level 3+ share by district (tile map: "
                          "one square per district, roughly in place).",
                          FG.districts_figure(comp), FG.districts_data(comp)))
    for outcome in ("qualifications", "employment"):
        d = FG.who_gains_data(comp, outcome)
        if len(d):
            out.append(Figure(f"who_gains_{outcome}", f"Who gains: {outcome}",
                              "Final-year effect by qualification band at the start of the run "
                              "(residents present then), by age band now, and by district.",
                              FG.who_gains_figure(comp, outcome), d))
    vfm = FE.value_for_money_data(comp)
    if len(vfm):
        out.append(Figure("value_for_money", "Value for money",
                          "Extra public spend per extra outcome, with Fieller 90% intervals; "
                          "'not defined' where the outcome's change is not clear.",
                          FE.value_for_money_figure(comp), vfm))
    return out


# ----------------------------------------------------------------------------- content
def _methods(comp: Comparison, extra: list[str]) -> list[tuple[str, str]]:
    b = comp.runs[comp.baseline]
    run = b.scenario.get("run") or {}
    emp = (b.scenario.get("employers") or {}).get("n_agents")
    git = b.manifest.get("git") or {}
    commit = (git.get("commit") or "unknown")[:12] + (" (with local changes)"
                                                      if git.get("dirty") else "")
    rows = [
        ("ecosim version", str(b.version)),
        ("commit", commit),
        ("replications", ", ".join(f"{n}: {r.replications}" for n, r in comp.runs.items())),
        ("seeds", ", ".join(str(s) for s in b.seeds) + " (root seed "
         f"{b.manifest.get('root_seed')}; shared by every paired scenario)"),
        ("persons per agent", f"{run.get('persons_per_agent', 0):g}"
         + (f"; {emp} employer agents" if emp else "")),
        ("burn-in", f"{_years(run.get('burn_in_years'))} (simulated, not reported; policies "
                    "act from its first quarter)"),
        ("reported horizon", f"{_years(run.get('horizon_years'))} from "
                             f"{run.get('start_year', 0):g}"),
        ("comparison", "paired differences (replication i against replication i, same "
         "seeds: common random numbers)" if all(comp.paired(p) for p in comp.policies)
         else FE.pairing_note(comp)),
        ("intervals", "90% intervals for the mean over replications (Student t); value for "
                      "money: Fieller intervals for a ratio of mean differences"),
        ("final year", "mean of its four quarters (flows such as public spend: their sum)"),
        ("baseline", f"{comp.baseline} ({comp.baseline_reason})"),
        ("model description", f"ODD protocol in {ODD_LINK}"),
    ]
    rows += [("note", e) for e in extra]
    return rows


def _years(n: object) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def odd_link() -> str:
    """A link to the ODD description: the source checkout's file if present (no network)."""
    p = Path(__file__).resolve().parents[3] / ODD_LINK
    return p.as_uri() if p.is_file() else ODD_LINK


@dataclass
class Content:
    title: str
    findings: dict[str, list[str]]
    changes: dict[str, list[dict[str, str]]]
    descriptions: dict[str, str]
    methods: list[tuple[str, str]]
    notes: list[str]


def build_content(comp: Comparison, extra_methods: list[str] | None = None) -> Content:
    region = comp.runs[comp.baseline].region_name or "the region"
    findings: dict[str, list[str]] = {}
    vfm = FE.value_for_money_data(comp)
    for p in comp.policies:
        extra = [m for m in PROVISION if m in comp.common and m not in comp.headline()]
        lines = [T.finding(p, m, comp.effect(p, m)) for m in comp.headline() + extra]
        if len(vfm):
            lines += [T.value_for_money_sentence(p, r) for r in
                      vfm[vfm["scenario"] == p].to_dict("records")]
        findings[p] = lines
    base_scn = comp.runs[comp.baseline].scenario
    changes = {p: T.scenario_changes(comp.runs[p].scenario, base_scn) for p in comp.policies}
    descs = {n: str(r.manifest.get("scenario_description") or "") for n, r in comp.runs.items()}
    notes = []
    if comp.min_replications() < 2:
        notes.append("Some runs have fewer than 2 replications: intervals are impossible, so "
                     "figures show points only and no difference is called clear.")
    if FE.pairing_note(comp):
        notes.append(FE.pairing_note(comp))
    return Content(f"{region}: policy scenarios against {comp.baseline}", findings, changes,
                   descs, _methods(comp, extra_methods or []), notes)


# -------------------------------------------------------------------------------- HTML
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;
max-width:1320px;margin:24px auto;padding:0 20px;color:#222;line-height:1.45}
h1{font-size:1.7em}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:1.6em}
img{max-width:100%;height:auto;border:1px solid #eee}figure{margin:1em 0 2em}
figcaption{color:#444;font-size:.95em}table{border-collapse:collapse;font-size:.9em;margin:.5em 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.note{background:#fff4e0;border-left:4px solid #E69F00;padding:8px 12px}
.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.4em;vertical-align:-.1em}
"""


def _png(fig: Any, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def render_html(comp: Comparison, content: Content, figs: list[Figure],
                sweep_pngs: list[Path]) -> str:
    e = html.escape
    col = FE.colours(comp)
    h = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(content.title)}"
         f"</title><style>{CSS}</style></head><body>",
         f"<h1>{e(content.title)}</h1>",
         f"<p>Generated {e(_dt.datetime.now().strftime('%Y-%m-%d %H:%M'))} by ecosim "
         f"{e(str(comp.runs[comp.baseline].version))}.</p>",
         "<h2>The question</h2>", f"<p>{e(QUESTION)}</p>"]
    for n in content.notes:
        h.append(f"<p class='note'>{e(n)}</p>")
    h.append("<h2>The scenarios</h2><ul>")
    for n in comp.order:
        role = " (baseline)" if n == comp.baseline else ""
        h.append(f"<li><span class='swatch' style='background:{col[n]}'></span>"
                 f"<b>{e(n)}</b>{role}: {e(content.descriptions.get(n, ''))}</li>")
    h.append("</ul>")
    for p, rows in content.changes.items():
        h.append(f"<h3>What {e(p)} changes against {e(comp.baseline)}</h3>")
        if not rows:
            h.append("<p>Nothing: the same resolved scenario.</p>")
            continue
        h.append("<table><tr><th>setting</th><th>baseline</th><th>this scenario</th>"
                 "<th>meaning</th></tr>")
        for r in rows:
            h.append(f"<tr><td><code>{e(r['key'])}</code></td><td>{e(r['baseline'])}</td>"
                     f"<td>{e(r['value'])}</td><td>{e(r['description'])}</td></tr>")
        h.append("</table>")
    h.append("<h2>Headline findings</h2>")
    for p, lines in content.findings.items():
        h.append(f"<h3 style='color:{col[p]}'>{e(p)}</h3><ul>")
        h += [f"<li>{e(s)}</li>" for s in lines]
        h.append("</ul>")
    h.append("<h2>Figures</h2>")
    for i, f in enumerate(figs, 1):
        b64 = base64.b64encode(f.png or _png(f.fig)).decode()
        h.append(f"<figure id='{f.key}'><img alt='{e(f.title)}' width='1280' height='720' "
                 f"src='data:image/png;base64,{b64}'><figcaption><b>Figure {i}. {e(f.title)}."
                 f"</b> {e(f.caption)} Data: <code>data/{f.key}.csv</code>.</figcaption>"
                 "</figure>")
    for j, png in enumerate(sweep_pngs, len(figs) + 1):
        b64 = base64.b64encode(png.read_bytes()).decode()
        h.append(f"<figure><img alt='{e(png.stem)}' src='data:image/png;base64,{b64}'>"
                 f"<figcaption><b>Figure {j}. Sensitivity: {e(png.stem)}</b> (from the sweep "
                 f"in <code>{e(str(png.parent.parent))}</code>).</figcaption></figure>")
    h.append("<h2>Methods</h2><table>")
    h += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in content.methods]
    h.append(f"</table><p class='note'>{e(CAVEAT)}</p>")
    h.append(f"<p>How the model works: <a href='{e(odd_link())}'>{ODD_LINK}</a> (ODD "
             "protocol, in the ecosim source).</p></body></html>")
    return "\n".join(h)


# --------------------------------------------------------------------------------- PDF
def _text_pages(blocks: list[tuple[str, str]]) -> list[Any]:
    """A4-landscape-ish text pages (same 12.8x7.2 in as the figures) from (style, text)."""
    from ecosim.report.figures_effects import new_figure

    pages, fig, y = [], None, 0.0
    sizes = {"h1": (17, 0.07, "bold"), "h2": (14, 0.055, "bold"), "p": (10.5, 0.034, "normal"),
             "li": (10.5, 0.034, "normal")}
    for style, txt in blocks:
        size, step, weight = sizes[style]
        width = 150 if style in ("p", "li") else 120
        lines = textwrap.wrap(("• " if style == "li" else "") + txt, width) or [""]
        for k, line in enumerate(lines):
            if fig is None or y < 0.06:
                fig, axs = new_figure(1, 1)
                axs[0, 0].set_axis_off()
                pages.append(fig)
                y = 0.95
            fig.text(0.05 + (0.015 if style == "li" and k else 0), y, line, fontsize=size,
                     fontweight=weight, va="top")
            y -= step
        y -= 0.012
    return pages


def render_pdf(path: Path, comp: Comparison, content: Content, figs: list[Figure],
               sweep_pngs: list[Path]) -> int:
    """Write the PDF; return its page count."""
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from ecosim.report.figures_effects import new_figure

    blocks: list[tuple[str, str]] = [("h1", content.title), ("h2", "The question"),
                                     ("p", QUESTION)]
    blocks += [("p", "Note: " + n) for n in content.notes]
    blocks.append(("h2", "The scenarios"))
    for n in comp.order:
        role = " (baseline)" if n == comp.baseline else ""
        blocks.append(("li", f"{n}{role}: {content.descriptions.get(n, '')}"))
    for p, rows in content.changes.items():
        blocks.append(("h2", f"What {p} changes against {comp.baseline}"))
        blocks += [("li", f"{r['key']}: {r['baseline']} -> {r['value']}. {r['description']}")
                   for r in rows] or [("p", "Nothing: the same resolved scenario.")]
    blocks.append(("h2", "Headline findings"))
    for p, lines in content.findings.items():
        blocks.append(("h2", p))
        blocks += [("li", s) for s in lines]
    methods = [("h2", "Methods")] + [("li", f"{k}: {v}") for k, v in content.methods]
    methods += [("p", CAVEAT), ("p", f"How the model works: {ODD_LINK} (ODD protocol).")]
    pages = _text_pages(blocks)
    n = 0
    with atomic_path(path) as tmp, PdfPages(tmp) as pdf:
        for pg in pages:
            pdf.savefig(pg)
            plt.close(pg)
            n += 1
        for i, f in enumerate(figs, 1):
            f.fig.text(0.99, 0.005, f"Figure {i}. {f.title}", ha="right", va="bottom",
                       fontsize=8, color="#666666")
            pdf.savefig(f.fig)
            n += 1
        for png in sweep_pngs:
            fig, axs = new_figure(1, 1)
            axs[0, 0].imshow(mpimg.imread(png))
            axs[0, 0].set_axis_off()
            pdf.savefig(fig)
            plt.close(fig)
            n += 1
        for pg in _text_pages(methods):
            pdf.savefig(pg)
            plt.close(pg)
            n += 1
        d = pdf.infodict()
        d["Title"] = content.title
        d["Creator"] = "ecosim compare"
    return n


# ------------------------------------------------------------------------------- write
def write_report(comp: Comparison, out_dir: str | Path, formats: tuple[str, ...] = ("html",
                 "pdf", "png"), extra_methods: list[str] | None = None) -> dict[str, Any]:
    """Draw and write everything; ``{"html": path, "pdf": path, "pages": n, "figures": [...],
    "data": [...]}``."""
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    (out / "data").mkdir(parents=True, exist_ok=True)
    figs = build_figures(comp)
    sweep_pngs = [p for s in comp.sweeps for p in FG.sweep_figures(s)]
    content = build_content(comp, extra_methods)
    res: dict[str, Any] = {"figures": [], "data": []}
    for f in figs:
        p = out / "data" / f"{f.key}.csv"
        with atomic_path(p) as tmp:
            f.data.to_csv(tmp, index=False)
        res["data"].append(p)
    if "html" in formats or "png" in formats:
        for f in figs:
            f.png = _png(f.fig)
    if "png" in formats:
        (out / "figures").mkdir(exist_ok=True)
        for i, f in enumerate(figs, 1):
            p = out / "figures" / f"{i:02d}_{f.key}.png"
            with atomic_path(p) as tmp:
                tmp.write_bytes(f.png)
            res["figures"].append(p)
    for ext in ("svg",):
        if ext in formats:
            (out / "figures").mkdir(exist_ok=True)
            for i, f in enumerate(figs, 1):
                p = out / "figures" / f"{i:02d}_{f.key}.{ext}"
                with atomic_path(p) as tmp:
                    f.fig.savefig(tmp, format=ext, dpi=100)
                res["figures"].append(p)
    if "html" in formats:
        res["html"] = write_text_atomic(render_html(comp, content, figs, sweep_pngs),
                                        out / "report.html")
    if "pdf" in formats:
        res["pdf"] = out / "report.pdf"
        res["pages"] = render_pdf(res["pdf"], comp, content, figs, sweep_pngs)
    res["content"] = content
    for f in figs:
        plt.close(f.fig)
    return res


def metric_table(comp: Comparison) -> pd.DataFrame:
    """Final-year mean of every headline KPI per scenario (for the terminal)."""
    rows = []
    for n in comp.order:
        rows.append({"scenario": n, **{U.label(m): U.fmt_level(m, float(
            pd.Series(comp.final_year(n, m)).mean())) for m in comp.headline()}})
    return pd.DataFrame(rows)
