"""Figures of a sweep's analysis (matplotlib, Agg): index bars with intervals, convergence.

Figures read the analysis tables only; they never run the model.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ecosim.experiments.schema import FUNCTIONS, Experiment

if TYPE_CHECKING:
    from ecosim.experiments.analyze import Analysis

FIGURES = "figures"
COLOURS = {"S1": "#1f77b4", "ST": "#ff7f0e", "S2": "#2ca02c"}


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


def draw_all(res: Analysis, exp: Experiment, meta: dict[str, Any]) -> list[Path]:
    """Draw every figure of the analysis into ``<sweep>/figures``; return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    out = res.path / FIGURES
    out.mkdir(exist_ok=True)
    paths: list[Path] = []
    for label in res.indices["output"].unique():
        sub = res.indices[res.indices["output"] == label]
        if exp.method == "sobol":
            var = res.variance[res.variance["output"] == label]["noise_share_of_means"]
            noise = float(var.iloc[0]) if len(var) else None
            paths.append(_sobol_bars(sub, exp, label, out / f"indices_{_safe(label)}.png",
                                     noise))
            conv = res.convergence[res.convergence["output"] == label]
            if conv["N"].nunique() > 1:
                paths.append(_convergence(conv, sub, exp, label,
                                          out / f"convergence_{_safe(label)}.png"))
        elif exp.method == "morris":
            paths.append(_morris(sub, exp, label, out / f"morris_{_safe(label)}.png"))
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
    fig, ax = plt.subplots(figsize=(max(7.5, 1.1 * len(params) + 3), 4.8))
    for k, ix in enumerate(("S1", "ST")):
        rows = sub[sub["index"] == ix].set_index("parameter").loc[params]
        pos = x + (k - 0.5) * width
        ax.bar(pos, rows["value"], width, yerr=rows["conf"], capsize=3, color=COLOURS[ix],
               label={"S1": "first order S1", "ST": "total ST"}[ix], alpha=0.9)
        if rows["analytic"].notna().any():
            ax.scatter(pos, rows["analytic"], marker="_", s=400, color="black", zorder=3,
                       label="analytic value" if k == 0 else None)
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xticks(x, params, rotation=20 if max(map(len, params)) > 12 else 0, ha="right"
                  if max(map(len, params)) > 12 else "center")
    ax.set_xlabel("parameter")
    ax.set_ylabel("Sobol index (share of output variance)")
    ax.set_ylim(min(-0.05, float(np.nanmin(sub["low"])) - 0.02),
                max(1.0, float(np.nanmax(sub["high"])) + 0.05))
    fig.suptitle(f"Sensitivity of {label}", fontsize=12)
    ax.set_title(describe_output(exp, label) + "\n" + _subtitle(exp, sub, noise), fontsize=8)
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _convergence(conv: Any, sub: Any, exp: Experiment, label: str, path: Path) -> Path:
    import matplotlib.pyplot as plt

    params = list(dict.fromkeys(conv["parameter"]))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharey=True)
    cmap = plt.get_cmap("tab10")
    for ax, ix in zip(axes, ("S1", "ST"), strict=True):
        for k, p in enumerate(params):
            c = conv[(conv["index"] == ix) & (conv["parameter"] == p)].sort_values("N")
            col = cmap(k % 10)
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
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _morris(sub: Any, exp: Experiment, label: str, path: Path) -> Path:
    import matplotlib.pyplot as plt

    ms = sub[sub["index"] == "mu_star"].set_index("parameter")
    sg = sub[sub["index"] == "sigma"].set_index("parameter").loc[ms.index]
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    ax.errorbar(ms["value"], sg["value"], xerr=ms["conf"], fmt="o", capsize=3)
    for p in ms.index:
        ax.annotate(p, (ms.loc[p, "value"], sg.loc[p, "value"]), fontsize=8,
                    xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel(f"mu* (mean absolute elementary effect, units of {label})")
    ax.set_ylabel(f"sigma (spread of elementary effects, units of {label})")
    fig.suptitle(f"Morris screening of {label}", fontsize=12)
    ax.set_title(describe_output(exp, label) + f"\n{exp.N} trajectories, {exp.levels} levels; "
                 f"whiskers: {exp.conf_level:.0%} bootstrap intervals of mu*", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
