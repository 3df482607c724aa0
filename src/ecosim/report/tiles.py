"""District tile maps: each district one square on a fixed grid, no GIS needed.

The grid is stored with the region (``region.districts[i].tile: [row, column]`` in the scenario
file); the North East and West Midlands baselines carry schematic layouts. If any district has no
tile, every district is laid out in list order on a near-square grid, so a map can always be
drawn.

Two functions make the whole API (used by the comparison report and the workshop app)::

    from ecosim.report.tiles import tile_positions, draw_tile_map
    pos = tile_positions(scenario)               # {"Gateshead": (2, 0), ...}
    draw_tile_map(ax, scenario, {"Gateshead": 0.012, ...}, title="Change in Level 3+ share",
                  unit="percentage points", fmt="{:+.1f}", scale=100)

``scenario`` may be a validated ``Scenario``, the plain dict a run's manifest stores under
``"scenario"``, or a ready ``{district: (row, column)}`` mapping.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

Positions = dict[str, tuple[int, int]]


def _districts(scenario: Any) -> list[tuple[str, Any]]:
    """[(name, tile or None)] from a Scenario or its plain-dict form."""
    if isinstance(scenario, Mapping):
        region = scenario.get("region") or {}
        return [(d["name"], d.get("tile")) for d in region.get("districts", [])]
    return [(d.name, getattr(d, "tile", None)) for d in scenario.region.districts]


def fallback_positions(names: list[str]) -> Positions:
    """Districts in list order, row by row, on a grid ``ceil(sqrt(n))`` columns wide."""
    cols = max(1, math.ceil(math.sqrt(len(names))))
    return {n: (i // cols, i % cols) for i, n in enumerate(names)}


def tile_positions(scenario: Any) -> Positions:
    """Each district's (row, column) on the tile map: the scenario's ``tile`` fields if every
    district has one (and no two share a cell), else :func:`fallback_positions`."""
    if _is_positions(scenario):
        return {str(k): (int(v[0]), int(v[1])) for k, v in scenario.items()}
    ds = _districts(scenario)
    tiles = [t for _, t in ds]
    if ds and all(t is not None for t in tiles):
        pos = {n: (int(t[0]), int(t[1])) for n, t in ds}
        if len(set(pos.values())) == len(pos):
            return pos
    return fallback_positions([n for n, _ in ds])


def _is_positions(obj: Any) -> bool:
    return isinstance(obj, Mapping) and "region" not in obj and all(
        isinstance(v, (tuple, list)) and len(v) == 2 for v in obj.values())


def _wrap(name: str, width: int = 12) -> str:
    """District name on up to two lines (breaks at spaces)."""
    if len(name) <= width or " " not in name:
        return name
    words, lines, cur = name.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join([lines[0], " ".join(lines[1:])]) if len(lines) > 2 else "\n".join(lines)


def draw_tile_map(ax: Any, scenario_or_positions: Any, values: Mapping[str, float], *,
                  title: str, unit: str, cmap: str = "PuOr", fmt: str = "{:+.2f}",
                  scale: float = 1.0, diverging: bool = True, colorbar: bool = True,
                  missing: str = "n/a", limits: tuple[float, float] | None = None,
                  fontsize: float = 9.0, square: bool = True) -> Any:
    """Draw one labelled square per district on ``ax``, coloured by ``values[district] *
    scale`` and with that number written in it (``fmt``); NaN or absent values are grey and
    say ``missing``. ``diverging`` centres the colour scale on zero (for changes);
    ``limits`` fixes it (in scaled units), e.g. to share one scale across several maps;
    ``fontsize`` is the names' size (values are a third larger); ``square=False`` lets the
    tiles stretch to fill the axes (small multiples with long names).
    ``unit`` goes on the colour bar and in the title's second line. Returns the
    ``ScalarMappable`` (for a shared colour bar); the tiles are ``ax.patches`` with ``gid`` =
    district name."""
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    pos = tile_positions(scenario_or_positions)
    vals = {n: float(values.get(n, np.nan)) * scale for n in pos}
    finite = [v for v in vals.values() if np.isfinite(v)]
    if limits is not None:
        norm = mpl.colors.Normalize(*limits)
    elif diverging:
        lim = max([abs(v) for v in finite] + [1e-12])
        norm = mpl.colors.Normalize(-lim, lim)
    else:
        lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
        norm = mpl.colors.Normalize(lo, hi if hi > lo else lo + 1e-12)
    cm = mpl.colormaps[cmap]
    n_rows = max(r for r, _ in pos.values()) + 1 if pos else 1
    n_cols = max(c for _, c in pos.values()) + 1 if pos else 1
    for name, (r, c) in pos.items():
        v = vals[name]
        face = cm(norm(v)) if np.isfinite(v) else (0.85, 0.85, 0.85, 1.0)
        ax.add_patch(Rectangle((c + 0.04, n_rows - r - 1 + 0.04), 0.92, 0.92, facecolor=face,
                               edgecolor="white", linewidth=2, gid=name))
        lum = 0.299 * face[0] + 0.587 * face[1] + 0.114 * face[2]
        ink = "black" if lum > 0.5 else "white"
        cx, cy = c + 0.5, n_rows - r - 0.5
        ax.text(cx, cy + 0.17, _wrap(name), ha="center", va="center", fontsize=fontsize,
                color=ink)
        ax.text(cx, cy - 0.22, fmt.format(v) if np.isfinite(v) else missing, ha="center",
                va="center", fontsize=fontsize * 4 / 3, fontweight="bold", color=ink)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(0, n_rows)
    ax.set_aspect("equal" if square else "auto")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_title(f"{title}\n({unit})" if unit else title, fontsize=11)
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cm)
    if colorbar:
        cb = ax.figure.colorbar(sm, ax=ax, shrink=0.8)
        cb.set_label(unit)
    return sm
