"""``ecosim compare`` end to end: real runs of tiny.yaml and a policy extending it, the report
in a real browser and as PDF pages, and every bad input refused with exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
ECOSIM = [sys.executable, "-m", "ecosim"]
SHORT = ["--set", "run.horizon_years=2", "--set", "run.burn_in_years=1"]


def _ecosim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*ECOSIM, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=900)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """tiny (baseline) and tiny_devolved_aeb, 2 replications each, same seeds."""
    d = tmp_path_factory.mktemp("runs")
    files = {"tiny": ROOT / "scenarios/tiny.yaml",
             "tiny_devolved_aeb": ROOT / "tests/data/tiny_devolved_aeb.yaml"}
    procs = {n: subprocess.Popen([*ECOSIM, "run", str(f), "-r", "2", "-q", "--no-baseline",
                                  "--out", str(d / n), *SHORT], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n, f in files.items()}
    for p in procs.values():
        _, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
    return {n: d / n for n in files}


@pytest.fixture(scope="module")
def report(runs, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("report")
    r = _ecosim("compare", str(runs["tiny_devolved_aeb"]), str(runs["tiny"]), "--out",
                str(out), "--format", "html,pdf,png,svg")
    assert r.returncode == 0, r.stderr
    return {"out": out, "stdout": r.stdout, "stderr": r.stderr}


def _final_year(path: Path, metric: str) -> np.ndarray:
    df = pd.read_parquet(path / "metrics.parquet")
    df = df[df["area"] == "region"]
    last = df[df["quarter"] > df["quarter"].max() - 4]
    return last.groupby("replication")[metric].mean().sort_index().to_numpy()


def test_report_names_scenarios_and_headline_numbers(runs, report):
    out = report["out"]
    assert report["stdout"].strip().splitlines()[-1] == f"report: {out / 'report.html'}"
    html = (out / "report.html").read_text()
    assert "tiny_devolved_aeb" in html and "tiny</b> (baseline)" in html
    # the baseline is the run the other extends, though it was given second
    assert "policies.aeb.regime" in html and "devolved" in html
    # headline numbers computed here, independently, from the stored frames
    b = _final_year(runs["tiny"], "share_level3_plus")
    p = _final_year(runs["tiny_devolved_aeb"], "share_level3_plus")
    li = next(x for x in html.split("<li>") if "Level 3+ share of 16-64s" in x)
    assert f"{100 * b.mean():.1f}%" in li and f"{100 * p.mean():.1f}%" in li
    d = p - b
    half = 6.313752 * d.std(ddof=1) / np.sqrt(2)  # t(0.95, 1 df), 2 paired replications

    def pp(x: float) -> str:
        v = 100 * x
        return ("+" if v > 0 else "−" if v < 0 else "") + f"{abs(v):.1f}"

    assert f"90% interval {pp(d.mean() - half)} to {pp(d.mean() + half)} percentage points" in li
    csv = pd.read_csv(out / "data/headline.csv")
    row = csv[(csv["metric"] == "share_level3_plus")].iloc[0]
    assert row["effect"] == pytest.approx(d.mean(), abs=1e-12)
    assert bool(row["paired"])
    assert "Methods" in html and "docs/odd.md" in html and "not for forecasts" in html
    assert "<script" not in html.lower() and "http://" not in html and "https://" not in html
    figs = sorted(p.name for p in (out / "figures").iterdir())
    assert any(f.endswith("headline.png") for f in figs)
    assert any(f.endswith("headline.svg") for f in figs)
    assert len(list((out / "data").glob("*.csv"))) == len(figs) // 2


def test_report_pdf_pages(report, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found (apt-get install poppler-utils)")
    pdf = report["out"] / "report.pdf"
    pages = int(report["stdout"].split("report.pdf (")[1].split(" pages")[0])
    r = subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "pg")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(list(tmp_path.glob("pg-*.png"))) == pages
    assert pages >= 10  # text pages + 8 figures + methods


def test_report_in_browser(report, tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from browser_support import chromium_browser, offline_page

    html = report["out"] / "report.html"
    with chromium_browser() as browser, offline_page(browser) as (page, log):
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        shutil.copy(tmp_path / "report.png", report["out"] / "screenshot.png")
    assert len(widths) >= 8 and all(w > 0 for w in widths)
    assert log.console_errors == [] and log.page_errors == []
    assert log.external == []


# --------------------------------------------------------------------------- bad input
def _bad(*args: str) -> tuple[int, str]:
    r = _ecosim("compare", *args)
    assert "Traceback" not in r.stderr
    return r.returncode, r.stderr.strip()


def test_incomplete_run_refused(runs, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(runs["tiny"], broken)
    (broken / "metrics.parquet").unlink()
    code, err = _bad(str(broken), str(runs["tiny"]), "--out", str(tmp_path / "o"))
    assert code == 2 and "not a complete run: missing metrics.parquet" in err
    assert not (tmp_path / "o").exists()  # nothing drawn


def test_different_version_and_region_refused(runs, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(runs["tiny_devolved_aeb"], other)
    m = json.loads((other / "manifest.json").read_text())
    m["versions"]["ecosim"] = "0.0.0-other"
    m["scenario"]["region"]["name"] = "Elsewhere"
    (other / "manifest.json").write_text(json.dumps(m))
    code, err = _bad(str(runs["tiny"]), str(other), "--out", str(tmp_path / "o"))
    assert code == 2 and "different ecosim versions" in err and "different regions" in err
    assert not (tmp_path / "o").exists()


def test_unknown_metric_suggests_and_no_common_metric(runs, tmp_path):
    code, err = _bad(str(runs["tiny"]), str(runs["tiny_devolved_aeb"]), "--metrics",
                     "share_level3_plsu", "--out", str(tmp_path / "o"))
    assert code == 2 and "no such metric" in err and "share_level3_plus" in err
    other = tmp_path / "nocommon"
    shutil.copytree(runs["tiny_devolved_aeb"], other)
    df = pd.read_parquet(other / "metrics.parquet")
    keep = ["replication", "seed", "quarter", "year", "area"]
    df = df[keep].assign(something_else=1.0)
    df.to_parquet(other / "metrics.parquet")
    t = tmp_path / "base"
    shutil.copytree(runs["tiny"], t)
    df2 = pd.read_parquet(t / "metrics.parquet")[keep].assign(another=1.0)
    df2.to_parquet(t / "metrics.parquet")
    code, err = _bad(str(t), str(other), "--out", str(tmp_path / "o"))
    assert code == 2 and "no metric in common" in err


def test_bad_baseline_and_format(runs, tmp_path):
    code, err = _bad(str(runs["tiny"]), str(runs["tiny_devolved_aeb"]), "--baseline", "tiny_",
                     "--out", str(tmp_path / "o"))
    assert code == 2 and "did you mean 'tiny'" in err
    code, err = _bad(str(runs["tiny"]), str(runs["tiny_devolved_aeb"]), "--format", "docx")
    assert code == 2 and "unknown format docx" in err


def test_single_replication_says_so_and_draws_points(runs, tmp_path):
    d = {}
    for n in ("tiny", "tiny_devolved_aeb"):
        d[n] = tmp_path / n
        shutil.copytree(runs[n], d[n])
        df = pd.read_parquet(d[n] / "metrics.parquet")
        df[df["replication"] == 0].to_parquet(d[n] / "metrics.parquet")
        m = json.loads((d[n] / "manifest.json").read_text())
        m["seeds"], m["replications"] = m["seeds"][:1], 1
        (d[n] / "manifest.json").write_text(json.dumps(m))
    r = _ecosim("compare", str(d["tiny"]), str(d["tiny_devolved_aeb"]), "--out",
                str(tmp_path / "o"), "--format", "html")
    assert r.returncode == 0, r.stderr
    assert "intervals are impossible" in r.stderr
    html = (tmp_path / "o/report.html").read_text()
    assert "intervals are impossible" in html and "no interval" in html


def test_unpaired_when_seeds_differ(runs, tmp_path):
    other = tmp_path / "reseeded"
    shutil.copytree(runs["tiny_devolved_aeb"], other)
    m = json.loads((other / "manifest.json").read_text())
    m["seeds"] = [s + 1 for s in m["seeds"]]
    (other / "manifest.json").write_text(json.dumps(m))
    r = _ecosim("compare", str(runs["tiny"]), str(other), "--out", str(tmp_path / "o"),
                "--format", "html")
    assert r.returncode == 0, r.stderr
    assert "compared unpaired" in r.stderr and "different seeds" in r.stderr
    html = (tmp_path / "o/report.html").read_text()
    assert "Unpaired" in html and "(unpaired comparison)" in html


def test_sweep_directory_adds_its_own_figures(runs, tmp_path):
    r = _ecosim("sweep", str(ROOT / "tests/data/ishigami_small.yaml"), "--out",
                str(tmp_path / "sweep"), "--workers", "1", "-q")
    assert r.returncode == 0, r.stderr
    drawn = sorted((tmp_path / "sweep/figures").glob("*.png"))
    assert drawn  # drawn by ecosim.experiments, not by the report
    r = _ecosim("compare", str(runs["tiny"]), str(runs["tiny_devolved_aeb"]),
                str(tmp_path / "sweep"), "--out", str(tmp_path / "o"), "--format", "html")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "o/report.html").read_text()
    assert html.count("Sensitivity:") == len(drawn)
    import base64

    assert base64.b64encode(drawn[0].read_bytes()).decode() in html  # embedded as drawn
