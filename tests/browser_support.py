"""Shared browser harness: Debian's Chromium driven by playwright, with every request recorded.

A page under test must work with no network at all, so any request to a host outside the
loopback range fails the test (see :func:`offline_page`). Console errors are collected too.
In CI a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

CHROMIUM = os.environ.get("ECOSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def is_loopback_url(url: str) -> bool:
    """True for URLs that stay on this machine (loopback hosts, data:, blob:, about:)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file", "chrome", "devtools"):
        return True
    host = (parsed.hostname or "").strip("[]")
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class PageLog:
    """What a page did: every request URL, the ones that left the machine, console errors."""

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def require_chromium() -> None:
    """Skip outside CI when Chromium is missing; in CI (``CI`` set) a missing browser fails."""
    import pytest

    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    msg = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


@contextmanager
def chromium_browser() -> Iterator[object]:
    """A headless Debian Chromium (playwright ``Browser``)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def offline_page(browser, viewport: tuple[int, int] = (1280, 720)
                 ) -> Iterator[tuple[object, PageLog]]:
    """A new context and page that records requests and console errors.

    Requests to non-loopback hosts are aborted (so a page that needs the network shows it) and
    listed in ``log.external``; the caller asserts ``log.external == []``.
    """
    log = PageLog()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})

    def route(r):
        url = r.request.url
        log.requests.append(url)
        if is_loopback_url(url):
            r.continue_()
        else:
            log.external.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    try:
        yield page, log
    finally:
        context.close()
