"""A light line chart as SVG text: the page's live plots.

Redrawing matplotlib figures every few quarters costs far more than the model's step (about a
second per figure on a busy two-core machine), so the live page draws its charts as small SVG
documents instead (a millisecond each); the PNG export still uses matplotlib (``plots.py``).
A chart has an upper panel (the KPI for the room's run and the baseline) and a lower panel
(their difference), a title, axis labels with units, tick labels, a legend and a shaded burn-in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np

W, H = 560, 410
LEFT, RIGHT = 78, 14
TOP_Y0, TOP_Y1 = 56, 256       # upper panel
BOT_Y0, BOT_Y1 = 286, 356      # lower panel (difference)
DASHES = ("", "8 5", "2 4", "10 4 2 4")


@dataclass
class Line:
    values: np.ndarray
    colour: str
    dash: int = 0
    width: float = 3.0


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0]
    if hi - lo < 1e-12:
        pad = abs(hi) * 0.05 if abs(hi) > 1e-9 else 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 0.5 and len(ticks) < 12:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _fmt(v: float) -> str:
    if abs(v) >= 100 or v == int(v):
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) >= 0.01 else f"{v:.3g}"


def _panel(lines: list[Line], x: np.ndarray, x_max: float, y0: float, y1: float,
           zero_line: bool, parts: list[str]) -> None:
    vals = [ln.values[np.isfinite(ln.values)] for ln in lines if ln.values.size]
    vals = [v for v in vals if v.size]
    lo = min((float(v.min()) for v in vals), default=0.0)
    hi = max((float(v.max()) for v in vals), default=1.0)
    if zero_line:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    ticks = nice_ticks(lo, hi, 5 if y1 - y0 > 100 else 3)
    t_lo, t_hi = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    sx = (W - LEFT - RIGHT) / max(x_max, 1e-9)

    def py(v: float) -> float:
        return y1 - (v - t_lo) / (t_hi - t_lo) * (y1 - y0)

    for t in ticks:
        y = py(t)
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 5:.1f}" text-anchor="end" '
                     f'font-size="14">{_fmt(t)}</text>')
    if zero_line:
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{py(0):.1f}" y2="{py(0):.1f}" '
                     f'stroke="#666" stroke-width="1.5"/>')
    for ln in lines:
        pts = [(LEFT + xi * sx, py(v)) for xi, v in zip(x, ln.values, strict=False)
               if math.isfinite(v)]
        if not pts:
            continue
        d = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        dash = f' stroke-dasharray="{DASHES[ln.dash % len(DASHES)]}"' if ln.dash else ""
        parts.append(f'<polyline points="{d}" fill="none" stroke="{ln.colour}" '
                     f'stroke-width="{ln.width}"{dash} stroke-linejoin="round"/>')
    parts.append(f'<rect x="{LEFT}" y="{y0}" width="{W - LEFT - RIGHT}" height="{y1 - y0}" '
                 f'fill="none" stroke="#888"/>')


def line_chart(title: str, unit: str, diff_unit: str, x: np.ndarray, x_max: float,
               upper: list[Line], lower: list[Line], legend: list[tuple[str, str, int]],
               burn_in: float = 0.0, note: str = "") -> str:
    """An SVG document: ``upper`` lines over ``lower`` (difference) lines against ``x``
    (model years, axis 0..``x_max``); ``legend`` = [(label, colour, dash)]."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" '
             f'width="100%" role="img" aria-label="{escape(title)}" '
             f'font-family="Roboto, Arial, sans-serif" class="ecosim-chart">',
             f'<text x="8" y="24" font-size="20" font-weight="bold">{escape(title)}</text>']
    sx = (W - LEFT - RIGHT) / max(x_max, 1e-9)
    # legend rows above the upper panel
    rows: list[list[tuple[str, str, int, float]]] = [[]]
    lx = LEFT + 6
    for label, colour, dash in legend:
        width = 38 + 8 * len(label)
        if lx + width > W - RIGHT and rows[-1]:
            rows.append([])
            lx = LEFT + 6
        rows[-1].append((label, colour, dash, lx))
        lx += width
    top_y0 = TOP_Y0 + 18 * (len(rows) - 1)
    for r, row in enumerate(rows):
        y = 40 + 18 * r
        for label, colour, dash, x0 in row:
            da = f' stroke-dasharray="{DASHES[dash % len(DASHES)]}"' if dash else ""
            parts.append(f'<line x1="{x0}" x2="{x0 + 26}" y1="{y}" y2="{y}" '
                         f'stroke="{colour}" stroke-width="3"{da}/>')
            parts.append(f'<text x="{x0 + 30}" y="{y + 5}" font-size="14">'
                         f'{escape(label)}</text>')
    if burn_in > 0:
        for y0, y1 in ((top_y0, TOP_Y1), (BOT_Y0, BOT_Y1)):
            parts.append(f'<rect x="{LEFT}" y="{y0}" width="{burn_in * sx:.1f}" '
                         f'height="{y1 - y0}" fill="#eee"/>')
        parts.append(f'<text x="{LEFT + burn_in * sx / 2:.1f}" y="{TOP_Y1 - 6}" '
                     f'text-anchor="middle" font-size="13" fill="#777">burn-in</text>')
    _panel(upper, x, x_max, top_y0, TOP_Y1, False, parts)
    _panel(lower, x, x_max, BOT_Y0, BOT_Y1, True, parts)
    for yr in nice_ticks(0, x_max, 7):
        if yr > x_max + 1e-9:
            continue
        px = LEFT + yr * sx
        parts.append(f'<text x="{px:.1f}" y="{BOT_Y1 + 18}" text-anchor="middle" '
                     f'font-size="14">{_fmt(yr)}</text>')
    parts.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 10}" text-anchor="middle" '
                 f'font-size="15">model year</text>')
    parts.append(f'<text transform="translate(18,{(top_y0 + TOP_Y1) / 2}) rotate(-90)" '
                 f'text-anchor="middle" font-size="15">{escape(unit)}</text>')
    parts.append(f'<text transform="translate(18,{(BOT_Y0 + BOT_Y1) / 2}) rotate(-90)" '
                 f'text-anchor="middle" font-size="12">room − base</text>')
    parts.append(f'<text transform="translate(34,{(BOT_Y0 + BOT_Y1) / 2}) rotate(-90)" '
                 f'text-anchor="middle" font-size="12">({escape(diff_unit)})</text>')
    if note:
        parts.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{(BOT_Y0 + BOT_Y1) / 2 - 8}" '
                     f'text-anchor="middle" font-size="13" fill="#666">{escape(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)
