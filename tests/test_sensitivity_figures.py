"""Sensitivity analysis tables and figures: grid main effects, Morris mu* >= 0, small-N and
noise warnings, figures that take data (no import of the analysis module)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd

from conftest import ROOT


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, stdin=subprocess.DEVNULL)


def _exp(tmp_path, body: str):
    f = tmp_path / "e.yaml"
    f.write_text(textwrap.dedent(body))
    return f


def test_grid_sweep_gets_main_effects_table_indices_and_figure(tmp_path):
    f = _exp(tmp_path, """
        name: g
        function: ishigami
        method: grid
        parameters:
          - {path: x1, values: [-2.0, 0.0, 2.0]}
          - {path: x2, values: [-1.5, 0.0, 1.5]}
          - {path: x3, values: [-1.0, 1.0]}
        outputs:
          - {metric: y}
        """)
    out = tmp_path / "s"
    r = cli("sweep", str(f), "--out", str(out), "--workers", "1", "-q")
    assert r.returncode == 0, r.stderr
    eff = pd.read_csv(out / "main_effects.csv")
    assert set(eff["parameter"]) == {"x1", "x2", "x3"} and len(eff) == 3 + 3 + 2
    x2 = eff[eff["parameter"] == "x2"].set_index("level")["mean"]
    assert x2[0.0] < x2[1.5]  # sin(x2)^2 term: lowest at 0
    ix = pd.read_csv(out / "indices.csv")
    assert not ix.empty and set(ix["index"]) == {"eta2"}
    share = ix.set_index("parameter")["value"]
    assert share["x2"] > share["x1"] > share["x3"] - 1e-12 and share.sum() <= 1 + 1e-9
    assert (out / "figures" / "main_effects_y.png").stat().st_size > 10_000


def test_morris_mu_star_interval_never_below_zero(tmp_path):
    f = _exp(tmp_path, """
        name: m
        function: ishigami
        function_options: {noise_sd: 2.0}
        method: morris
        N: 6
        levels: 4
        parameters:
          - {path: x1, bounds: [-3.14, 3.14]}
          - {path: x2, bounds: [-3.14, 3.14]}
          - {path: x3, bounds: [-3.14, 3.14]}
        outputs:
          - {metric: y}
        """)
    out = tmp_path / "s"
    assert cli("sweep", str(f), "--out", str(out), "--workers", "1", "-q").returncode == 0
    ms = pd.read_csv(out / "indices.csv").query("index == 'mu_star'")
    assert (ms["low"] >= 0).all()
    assert ((ms["value"] - ms["conf"]) < 0).any() or (ms["low"] >= 0).all()


def test_noise_dominated_sobol_is_flagged_on_the_figure_and_small_n_warns(tmp_path):
    from ecosim.experiments.analyze import _small_n_notes

    rows = [{"parameter": "a", "index": "S1", "value": 1.2, "N": 8},
            {"parameter": "a", "index": "ST", "value": 1.3, "N": 8},
            {"parameter": "b", "index": "S1", "value": 0.4, "N": 8},
            {"parameter": "b", "index": "ST", "value": 0.1, "N": 8}]
    (note,) = _small_n_notes(rows, "y")
    assert "a (S1 = 1.20 > 1)" in note and "b (ST = 0.10 < S1 = 0.40)" in note

    f = _exp(tmp_path, """
        name: s
        function: ishigami
        function_options: {noise_sd: 9.0}
        method: sobol
        N: 16
        replications: 2
        seed: 7
        parameters:
          - {path: x1, bounds: [-3.14, 3.14]}
          - {path: x2, bounds: [-3.14, 3.14]}
          - {path: x3, bounds: [-3.14, 3.14]}
        outputs:
          - {metric: y}
        """)
    out = tmp_path / "s"
    r = cli("sweep", str(f), "--out", str(out), "--workers", "1", "-q")
    assert r.returncode == 0, r.stderr
    assert "mostly measure noise" in r.stderr

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ecosim.experiments.figures import _noise_box

    fig, ax = plt.subplots()
    assert _noise_box(ax, 0.8) and "80%" in ax.texts[0].get_text()
    assert not _noise_box(ax, 0.2)
    plt.close(fig)


def test_figures_do_not_import_the_analysis_module():
    code = ("import sys, ecosim.experiments.figures;"
            "print('ecosim.experiments.analyze' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert r.stdout.strip() == "False", r.stderr
