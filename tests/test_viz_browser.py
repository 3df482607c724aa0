"""``ecosim viz`` in a real browser: the command runs as a subprocess on a free loopback port and
Debian's Chromium (playwright) plays the page, moves a lever, resets, and checks the readout,
the charts, the map and that nothing left the machine. A soak test plays 300+ quarters with
lever changes and Resets and bounds the server's memory growth. Screenshots go to the test's
temporary directory (``ECOSIM_VIZ_SHOTS`` names another directory to keep them)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from browser_support import chromium_browser, offline_page
from viz_servers import free_port, rss_mb, server_process, viz_server_args

pytestmark = [pytest.mark.browser, pytest.mark.slow]
READY = "ecosim viz: open"
VIEWPORT = (1600, 1000)


@pytest.fixture(scope="module")
def viz_server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("viz") / "server.log"
    with server_process(viz_server_args(port), port, log, ready_text=READY) as proc:
        yield f"http://127.0.0.1:{port}/", proc


def _shots(tmp_path: Path) -> Path:
    d = Path(os.environ.get("ECOSIM_VIZ_SHOTS", tmp_path))
    d.mkdir(parents=True, exist_ok=True)
    return d


def _open(page, url: str, failed: list) -> None:
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    page.goto(url)
    page.locator(".ecosim-quarter").wait_for(timeout=120_000)


def _quarter(page) -> int:
    text = page.locator(".ecosim-quarter").inner_text()
    m = re.match(r"Quarter (\d+) of (\d+)", text)
    assert m, text
    return int(m.group(1))


def _select(page, label: str, option: str) -> None:
    page.get_by_label(label).click(force=True)
    page.get_by_role("option", name=option).click()


def _reset(page, expect_changes: bool) -> None:
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Quarter 0 of").wait_for(timeout=30_000)
    text = "The room's changes" if expect_changes else "No lever changed"
    page.locator(".ecosim-changes", has_text=text).wait_for(timeout=30_000)


def _play_until(page, quarter: int, timeout: float) -> int:
    page.get_by_role("button", name="▶").click()
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end and _quarter(page) < quarter:
        time.sleep(0.25)
    pause = page.get_by_role("button", name="❚❚")
    if pause.is_enabled():
        pause.click()
    time.sleep(0.5)
    return _quarter(page)


def test_play_lever_reset_offline_and_tabs_do_not_share(viz_server, tmp_path):
    url, _proc = viz_server
    shots = _shots(tmp_path)
    with chromium_browser() as browser, offline_page(browser, VIEWPORT) as (page, log):
        failed: list = []
        _open(page, url, failed)
        assert _quarter(page) == 0
        page.screenshot(path=str(shots / "viz-start.png"))

        _select(page, "AEB regime", "devolved")
        _reset(page, expect_changes=True)
        q = _play_until(page, 8, timeout=120)
        assert q >= 8
        page.screenshot(path=str(shots / "viz-played.png"), full_page=True)
        charts = page.locator(".ecosim-chart-box svg")
        assert charts.count() == 6
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100
        assert page.locator(".ecosim-chart-box svg polyline").count() >= 6 * 3
        assert page.locator('polyline[stroke="#E69F00"]').count() >= 6  # baseline drawn

        # the district map: a rendered PNG
        page.get_by_role("tab", name="Page 1").click()
        img = page.locator("img").first
        img.wait_for(timeout=60_000)
        page.wait_for_function("() => [...document.images].some(i => i.naturalWidth > 100)",
                               timeout=60_000)
        time.sleep(1.5)
        page.screenshot(path=str(shots / "viz-map.png"))
        page.get_by_role("tab", name="Page 2").click()
        page.get_by_text("A sample of learners").wait_for(timeout=30_000)
        time.sleep(1.5)  # the tab's slide-in transition
        page.screenshot(path=str(shots / "viz-agents.png"), full_page=True)
        page.get_by_role("tab", name="Page 3").click()
        page.get_by_text("what it does").wait_for(timeout=30_000)
        time.sleep(1.5)
        page.screenshot(path=str(shots / "viz-levers.png"), full_page=True)
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name="Metrics (CSV)").click()
        csv = Path(dl.value.path()).read_text()
        assert csv.startswith("run,seed,quarter,year,area,") and "\nbaseline," in csv
        with page.expect_download(timeout=120_000) as dl:
            page.get_by_role("button", name="Plots (PNG)").click()
        assert Path(dl.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        page.get_by_role("tab", name="Page 0").click()

        # a second browser context (another tab/person) gets its own model
        with offline_page(browser, VIEWPORT) as (page2, log2):
            failed2: list = []
            _open(page2, url, failed2)
            assert _quarter(page2) == 0
            page2.locator(".ecosim-changes", has_text="No lever changed").wait_for(
                timeout=30_000)
            page2.get_by_role("button", name="Step").click()
            page2.get_by_text("Quarter 1 of").wait_for(timeout=30_000)
            assert _quarter(page) == q  # the first page did not move
            assert log2.external == [] and failed2 == []
            assert log2.console_errors == [] and log2.page_errors == []

        assert log.external == []
        assert failed == []
        assert log.console_errors == [] and log.page_errors == []


def test_soak_300_quarters_with_levers_and_resets(viz_server, tmp_path):
    """300+ quarters, alternating lever settings and Resets; no error; memory bounded."""
    url, proc = viz_server
    bound_mb = 150.0  # measured: +22 MB over 312 quarters and 12 Resets
    with chromium_browser() as browser, offline_page(browser, VIEWPORT) as (page, log):
        failed: list = []
        _open(page, url, failed)
        done = _play_until(page, 24, timeout=120)  # one full run to warm up
        rss0 = rss_mb(proc.pid)
        runs, regimes = 0, ("devolved", "centralised")
        t0 = time.monotonic()
        while done < 300 and time.monotonic() - t0 < 400:
            regime = regimes[runs % 2]
            _select(page, "AEB regime", regime)
            _reset(page, expect_changes=regime == "devolved")
            done += _play_until(page, 24, timeout=120)
            runs += 1
        rss1 = rss_mb(proc.pid)
        page.screenshot(path=str(_shots(tmp_path) / "viz-soak.png"))
        assert done >= 300, f"only {done} quarters in {time.monotonic() - t0:.0f}s"
        assert page.locator(".v-alert.error, .error--text").count() == 0
        assert log.external == [] and failed == []
        assert log.console_errors == [] and log.page_errors == []
        print(f"soak: {done} quarters in {runs} runs, {time.monotonic() - t0:.0f}s, "
              f"server RSS {rss0:.0f} -> {rss1:.0f} MB")
        assert rss1 - rss0 < bound_mb
