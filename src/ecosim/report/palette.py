"""One colour per scenario, the same in every figure (Okabe-Ito: safe for colour-blind readers).

The baseline is always grey-black; the other scenarios take the Okabe-Ito colours in the order
they are given, so a report's figures and its tables agree. ``scenario_colours(names, baseline)``
is the only place a figure gets a scenario's colour.
"""

from __future__ import annotations

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour-vision type
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                              "#D55E00", "#F0E442")
BASELINE_COLOUR = "#333333"
#: the funded-provision levels (sequential blues, light = low level) and sector hatching
LEVEL_COLOURS: tuple[str, ...] = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
#: reference lines (zero, policy start) carry gid "reference", never a scenario's colour
ZERO_LINE = {"color": "#555555", "linewidth": 1.0, "linestyle": "--", "gid": "reference"}


def scenario_colours(names: list[str], baseline: str | None = None) -> dict[str, str]:
    """``{scenario: colour}``: the baseline dark grey, the rest Okabe-Ito in order (cycling
    after seven, which a report never needs)."""
    out: dict[str, str] = {}
    i = 0
    for n in names:
        if n == baseline:
            out[n] = BASELINE_COLOUR
        else:
            out[n] = OKABE_ITO[i % len(OKABE_ITO)]
            i += 1
    return out


def apply_style() -> None:
    """Matplotlib defaults for slide-readable figures (large enough text at 1280x720)."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "font.size": 11, "axes.titlesize": 13, "axes.labelsize": 11, "xtick.labelsize": 10,
        "ytick.labelsize": 10, "legend.fontsize": 10, "figure.titlesize": 15,
        "axes.spines.top": False, "axes.spines.right": False, "svg.fonttype": "none",
    })
