"""``ecosim viz``: the workshop page in a browser (Mesa SolaraViz, served offline).

Light to import: solara, mesa and numba are imported inside the command.
"""

from __future__ import annotations

import argparse
import sys
import time

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "viz", help="the workshop page: move policy levers live in a browser",
        description="Serve the workshop page (Mesa SolaraViz) for a scenario: policy levers, "
                    "live plots against the unchanged scenario (same seed), a district map, "
                    "the agents and downloads. Works with no network. Runs until Ctrl-C.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario YAML file (default scenarios/tiny.yaml)")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port to listen on (default {DEFAULT_PORT})")
    p.add_argument("--no-open", action="store_true", help="do not open a browser tab")
    p.set_defaults(func=cmd_viz)


def _default_scenario() -> str:
    from ecosim.cli import scenario_dir

    return str(scenario_dir() / "tiny.yaml")


def cmd_viz(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from ecosim.errors import InputError
    from ecosim.viz import server

    path = args.scenario or _default_scenario()
    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: a port is a number from 1 to 65535")
    from ecosim.viz.workshop_model import base_scenario

    scn = base_scenario(path)  # InputError (exit 2) before anything starts
    server.assets_dir()  # the offline front-end files are installed
    sock = server.bind_socket(args.host, args.port)  # busy port: InputError
    os.environ["ECOSIM_VIZ_SCENARIO"] = str(Path(path).resolve())
    host = args.host if ":" not in args.host else f"[{args.host}]"
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else host}:{args.port}/"
    if not server.is_loopback_host(args.host):
        print(f"warning: listening on {args.host}: anyone who can reach this machine on port "
              f"{args.port} can open the page and run the model", file=sys.stderr)

    print(f"scenario: {scn.name} ({path})", file=sys.stderr)
    t0 = time.perf_counter()
    from ecosim.model.simulate import warmup

    print("warming the model kernels…", file=sys.stderr, flush=True)
    warmup(progress_message=False)
    from ecosim.viz.workshop_model import WorkshopModel

    WorkshopModel(scenario_path=path).step()  # first build and step outside any session
    import ecosim.viz.page  # noqa: F401  (the page module imports before the server starts)
    print(f"kernels ready ({time.perf_counter() - t0:.1f} s); starting the page server…",
          file=sys.stderr, flush=True)

    def started() -> None:
        print(f"ecosim viz: open {url}  (Ctrl-C stops)", flush=True)
        if not args.no_open:
            import webbrowser

            webbrowser.open(url)

    try:
        server.serve("ecosim.viz.page", sock, on_started=started)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("ecosim viz: stopped", file=sys.stderr)
    return 0
