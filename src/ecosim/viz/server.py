"""Serve a solara page on one host and port, offline, until Ctrl-C.

Solara's page loads its front-end bundle (Vue, Vuetify, fonts, require.js) through the
server's ``/_solara/cdn/`` path, which by default proxies a public CDN. ecosim ships those
files in the ``solara-assets`` package (installed into ``<prefix>/share/solara/cdn``) and points
the proxy's upstream at a closed loopback port, so a missing file is a quick 404 and nothing is
ever fetched from the internet. Telemetry is off, and a closed tab's kernel (and with it the
tab's models) is freed after a short cull timeout.

Everything here sets environment variables *before* solara is imported: solara reads its
settings once, at import.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
from pathlib import Path

from ecosim.errors import InputError

#: closed tabs free their kernel (and models) after this long
KERNEL_CULL_TIMEOUT = "20s"
#: where solara's CDN proxy would fetch a file it does not have: a closed loopback port
OFFLINE_CDN = "http://127.0.0.1:9/offline-cdn/"


def offline_environment(app: str) -> dict[str, str]:
    """The solara settings for an offline, telemetry-free production server of ``app``."""
    return {
        "SOLARA_APP": app,
        "SOLARA_MODE": "production",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_ASSETS_PROXY": "true",
        "SOLARA_ASSETS_CDN": OFFLINE_CDN,
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(assets_dir()),
        "SOLARA_KERNEL_CULL_TIMEOUT": KERNEL_CULL_TIMEOUT,
        "SOLARA_THEME_SHOW_BANNER": "false",
    }


def assets_dir() -> Path:
    """The directory of the solara front-end files shipped by the ``solara-assets`` package."""
    import site

    candidates = [Path(sys.prefix) / "share" / "solara" / "cdn"]
    if site.getuserbase():
        candidates.append(Path(site.getuserbase()) / "share" / "solara" / "cdn")
    for c in candidates:
        if (c / "requirejs@2.3.6").is_dir():
            return c
    raise InputError(
        "solara's front-end files are missing (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); reinstall ecosim (pip install -e .) so that the 'solara-assets' package is "
        "installed")


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]") in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); a busy port or bad host is an ``InputError``."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} on {host} is already in use; choose another "
                             f"with --port") from None
        raise InputError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(app: str, sock: socket.socket, *, on_started=None) -> None:
    """Run solara's server for ``app`` (a module or file path) on ``sock`` until Ctrl-C.

    ``on_started()`` is called once the server accepts connections.
    """
    os.environ.update(offline_environment(app))
    import warnings

    import uvicorn

    # solara warns on every page load from a host other than "localhost" that it cannot set
    # a samesite=none cookie over plain http; the lax cookie it falls back to is what we want
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

    host, port = sock.getsockname()[:2]
    os.environ["SERVER_NAME"] = str(host)
    os.environ["SERVER_PORT"] = str(port)
    config = uvicorn.Config("solara.server.starlette:app", log_level="warning",
                            timeout_graceful_shutdown=2, ws_ping_interval=20)
    server = uvicorn.Server(config)
    if on_started is not None:
        startup = server.startup

        async def startup_and_tell(sockets=None):
            await startup(sockets=sockets)
            if server.started:
                on_started()

        server.startup = startup_and_tell  # type: ignore[method-assign]
    server.run(sockets=[sock])
