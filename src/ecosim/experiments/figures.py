"""Figures of a sweep's analysis (matplotlib, Agg): index bars with intervals, convergence,
Morris screening, grid main effects.

Figures take the analysis tables (DataFrames) as arguments; they never run the model and do
not import the analysis module. When replication noise is most of the variance of the sample
means, the output's bars are hatched and greyed and the share is written on the plot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecosim.experiments.schema import FUNCTIONS, Experiment

FIGURES = "figures"
# Okabe-Ito (colour-blind safe)
COLOURS = {"S1": "#0072B2", "ST": "#E69F00", "S2": "#009E73"}
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                "#000000"]
NOISE_DOMINATES = 0.5
"""Replication noise above this share of the variance of the sample means: the indices
mostly measure noise, and the figure says so."""


def _save(fig: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=120, bbox_inches="tight", pad_inches=0.15)  # nothing clipped
    plt.close(fig)
    return path


def _noise_box(ax: Any, noise: float | None) -> bool:
    """Write the noise share on the axes when it dominates; True if it does."""
    if noise is None or noise != noise or noise <= NOISE_DOMINATES:
        return False
    ax.text(0.02, 0.97, f"replication noise is {noise:.0%} of the variance\nof the sample "
            "means: these indices mostly measure noise\n(hatched); add replications",
            transform=ax.transAxes, va="top", ha="left", fontsize=8,
            bbox={"boxstyle": "round", "facecolor": "#f2f2f2", "edgecolor": "#666666"})
    return True


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "output"


def describe_output(exp: Experiment, label: str) -> str:
    """A readable description of an output (metric meaning and units, area, timing)."""
    o = next(o for o in exp.outputs if o.label == label)
    if exp.function is not None:
        return f"{exp.function} y (dimensionless)"
    try:
        from ecosim.model.metrics import METRICS

        meaning = METRICS.get(o.metric, o.metric)
    except ImportError:  # pragma: no cover
        meaning = o.metric
    when = {"final": "final quarter", "last_year_mean": "mean of the last year",
            "path": "every quarter"}[o.when]
    import textwrap

    return textwrap.fill(f"{o.metric}: {meaning}; {o.area}, {when}, {o.aggregate} over "
                         "replications", width=100)


def draw_all(path: Path, exp: Experiment, *, indices: pd.DataFrame,
             convergence: pd.DataFrame, variance: pd.DataFrame,
             effects: pd.DataFrame | None = None) -> list[Path]:
    """Draw every figure of an analysis of the sweep in ``path`` into ``path/figures``;
    return their paths. The tables are those ``analyze`` writes."""
    import matplotlib

    matplotlib.use("Agg")
    out = Path(path) / FIGURES
    out.mkdir(exist_ok=True)
    paths: list[Path] = []

    def noise_of(label: str) -> float | None:
        v = variance[variance["output"] == label]["noise_share_of_means"]
        return float(v.iloc[0]) if len(v) else None

    for label in indices["output"].unique():
        sub = indices[indices["output"] == label]
        if exp.method == "sobol":
            paths.append(_sobol_bars(sub, exp, label, out / f"indices_{_safe(label)}.png",
                                     noise_of(label)))
            conv = convergence[convergence["output"] == label]
            if conv["N"].nunique() > 1:
                paths.append(_convergence(conv, sub, exp, label,
                                          out / f"convergence_{_safe(label)}.png"))
        elif exp.method == "morris":
            paths.append(_morris(sub, exp, label, out / f"morris_{_safe(label)}.png",
                                 noise_of(label)))
    if exp.method == "grid" and effects is not None and not effects.empty:
        for label in effects["output"].unique():
            paths.append(_main_effects(effects[effects["output"] == label],
                                       indices[indices["output"] == label], exp, label,
                                       out / f"main_effects_{_safe(label)}.png",
                                       noise_of(label)))
    return paths


def _subtitle(exp: Experiment, sub: Any, noise: float | None = None) -> str:
    n = int(sub["N"].iloc[0])
    runs = int(sub["runs"].iloc[0])
    what = exp.function and FUNCTIONS[exp.function].split(",")[0] or "scenario model"
    text = (f"{what}; N = {n}, {runs:,} runs, {exp.replications} replication"
            f"{'s' if exp.replications != 1 else ''}; whiskers: "
            f"{exp.conf_level:.0%} bootstrap intervals")
    if noise is not None and noise == noise:
        text += f"\nreplication noise: {noise:.0%} of the variance of the sample means"
    return text


def _sobol_bars(sub: Any, exp: Experiment, label: str, path: Path,
                noise: float | None = None) -> Path:
    import matplotlib.pyplot as plt

    params = list(dict.fromkeys(sub["parameter"][sub["index"] != "S2"]))
    x = np.arange(len(params))
    width = 0.38
    fig, ax = plt.subplots(figsize=(max(7.5, 1.1 * len(params) + 3), 5.0), layout="constrained")
    noisy = noise is not None and noise == noise and noise > NOISE_DOMINATES
    for k, ix in enumerate(("S1", "ST")):
        rows = sub[sub["index"] == ix].set_index("parameter").loc[params]
        pos = x + (k - 0.5) * width
        name = {"S1": "first order S1", "ST": "total ST"}[ix]
        ax.bar(pos, rows["value"], width, yerr=rows["conf"], capsize=3,
               color="#d9d9d9" if noisy else COLOURS[ix], edgecolor=COLOURS[ix],
               hatch="//" if noisy else None, linewidth=1.2 if noisy else 0,
               label=name + (" (noise-dominated)" if noisy else ""),
               error_kw={"ecolor": "#333333", "elinewidth": 1})
        if rows["analytic"].notna().any():
            ax.scatter(pos, rows["analytic"], marker="D", s=36, facecolor="white",
                       edgecolor="black", linewidth=1.2, zorder=4,
                       label="analytic value (diamond)" if k == 0 else None)
    ax.axhline(0, color="grey", lw=0.8)
    long = max(map(len, params)) > 12
    ax.set_xticks(x, params, rotation=20 if long else 0, ha="right" if long else "center")
    ax.set_xlabel("parameter")
    ax.set_ylabel("Sobol index (share of output variance)")
    ax.set_ylim(min(-0.05, float(np.nanmin(sub["low"])) - 0.02),
                max(1.0, float(np.nanmax(sub["high"])) + 0.05) + (0.25 if noisy else 0))
    fig.suptitle(f"Sensitivity of {label}", fontsize=12)
    ax.set_title(describe_output(exp, label) + "\n" + _subtitle(exp, sub, noise), fontsize=8)
    _noise_box(ax, noise)
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def _convergence(conv: Any, sub: Any, exp: Experiment, label: str, path: Path) -> Path:
    import matplotlib.pyplot as plt

    params = list(dict.fromkeys(conv["parameter"]))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharey=True, layout="constrained")
    for ax, ix in zip(axes, ("S1", "ST"), strict=True):
        for k, p in enumerate(params):
            c = conv[(conv["index"] == ix) & (conv["parameter"] == p)].sort_values("N")
            col = LINE_COLOURS[k % len(LINE_COLOURS)]
            ax.plot(c["N"], c["value"], marker="o", ms=3, color=col, label=p)
            ax.fill_between(c["N"], c["low"], c["high"], color=col, alpha=0.15)
            a = sub[(sub["index"] == ix) & (sub["parameter"] == p)]["analytic"]
            if a.notna().any():
                ax.axhline(float(a.iloc[0]), color=col, ls="--", lw=0.9)
        ax.set_xscale("log", base=2)
        step = f"{2 * len(params) + 2}" if exp.second_order else f"{len(params) + 2}"
        ax.set_xlabel(f"base sample size N (runs = N x {step}"
                      f"{' x replications' if exp.replications > 1 else ''})")
        ax.set_title({"S1": "first-order index S1", "ST": "total index ST"}[ix], fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("Sobol index (share of output variance)")
    axes[1].legend(fontsize=8, loc="best")
    note = " (dashed: analytic values)" if sub["analytic"].notna().any() else ""
    fig.suptitle(f"Convergence of the Sobol indices of {label} with N: bands are "
                 f"{exp.conf_level:.0%} bootstrap intervals{note}", fontsize=11)
    return _save(fig, path)


def _morris(sub: Any, exp: Experiment, label: str, path: Path,
            noise: float | None = None) -> Path:
    import matplotlib.pyplot as plt

    ms = sub[sub["index"] == "mu_star"].set_index("parameter")
    sg = sub[sub["index"] == "sigma"].set_index("parameter").loc[ms.index]
    noisy = noise is not None and noise == noise and noise > NOISE_DOMINATES
    fig, ax = plt.subplots(figsize=(6.8, 5.0), layout="constrained")
    lower = (ms["value"] - ms["low"].clip(lower=0)).clip(lower=0)  # mu* >= 0
    ax.errorbar(ms["value"], sg["value"], xerr=[lower, ms["conf"]], fmt="o", capsize=3,
                color="#999999" if noisy else COLOURS["S1"], mfc="white" if noisy else None)
    for p in ms.index:
        ax.annotate(p, (ms.loc[p, "value"], sg.loc[p, "value"]), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    ax.set_xlim(left=0)
    ax.margins(x=0.15, y=0.15)
    ax.set_xlabel(f"mu* (mean absolute elementary effect, units of {label})")
    ax.set_ylabel(f"sigma (spread of elementary effects, units of {label})")
    fig.suptitle(f"Morris screening of {label}", fontsize=12)
    ax.set_title(describe_output(exp, label) + f"\n{exp.N} trajectories, {exp.levels} levels; "
                 f"whiskers: {exp.conf_level:.0%} bootstrap intervals of mu* (cut at 0)",
                 fontsize=8)
    _noise_box(ax, noise)
    ax.grid(alpha=0.3)
    return _save(fig, path)


def _main_effects(eff: Any, shares: Any, exp: Experiment, label: str, path: Path,
                  noise: float | None = None) -> Path:
    """One panel per parameter: the output's mean at each level, with intervals."""
    import matplotlib.pyplot as plt

    params = list(dict.fromkeys(eff["parameter"]))
    fig, axes = plt.subplots(1, len(params), figsize=(max(6.5, 3.4 * len(params)), 4.2),
                             sharey=True, squeeze=False, layout="constrained")
    noisy = noise is not None and noise == noise and noise > NOISE_DOMINATES
    share = dict(zip(shares["parameter"], shares["value"], strict=False))
    for k, (ax, p) in enumerate(zip(axes[0], params, strict=True)):
        e = eff[eff["parameter"] == p]
        x = np.arange(len(e))
        col = "#999999" if noisy else LINE_COLOURS[k % len(LINE_COLOURS)]
        err = np.vstack([e["mean"] - e["low"], e["high"] - e["mean"]])
        ax.errorbar(x, e["mean"], yerr=np.nan_to_num(err), fmt="o-", capsize=4, color=col)
        ax.set_xticks(x, [str(v) for v in e["level"]])
        ax.set_xlabel(p)
        eta = share.get(p, float("nan"))
        ax.set_title(f"{p}: {eta:.0%} of the variance" if eta == eta else p, fontsize=9)
        ax.grid(alpha=0.3)
        ax.margins(x=0.15)
    axes[0][0].set_ylabel(f"mean of {label}")
    _noise_box(axes[0][0], noise)
    fig.suptitle(f"Main effects on {label}: mean at each level, averaged over the other "
                 f"parameters and {exp.replications} replication"
                 f"{'s' if exp.replications != 1 else ''}; whiskers: {exp.conf_level:.0%} "
                 "intervals over samples", fontsize=10)
    fig.text(0.5, -0.02, describe_output(exp, label), ha="center", va="top", fontsize=8)
    return _save(fig, path)
