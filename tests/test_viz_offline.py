"""Solara's front end works with no network: a trivial page renders and reacts in Chromium,
every asset comes from this machine (shipped by solara-assets), none is a 4xx/5xx."""

from __future__ import annotations

import pytest

from browser_support import chromium_browser, offline_page
from viz_servers import free_port, hello_server_args, server_process

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_trivial_page_renders_offline(tmp_path):
    port = free_port()
    with server_process(hello_server_args(port), port, tmp_path / "server.log"), \
            chromium_browser() as browser, offline_page(browser) as (page, log):
        failed: list[tuple[int, str]] = []
        page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400
                else None)
        page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_text("offline hello").wait_for(timeout=60_000)
        page.get_by_role("button", name="clicked 0").click()
        page.get_by_text("clicked 1").wait_for(timeout=20_000)
        page.screenshot(path=str(tmp_path / "hello.png"))
        assert any("/_solara/cdn/@widgetti/solara-vuetify-app" in u for u in log.requests)
        assert log.external == []
        assert failed == []
        assert log.console_errors == [] and log.page_errors == []
