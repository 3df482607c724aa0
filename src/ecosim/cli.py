"""The ``ecosim`` command line.

Core subcommands live here (``run``, ``check``, ``scenarios``, ``schema``). Other packages add
theirs without editing this file: each module in ``EXTRA_COMMAND_MODULES`` exposes
``register(subparsers) -> None``, which adds a parser and calls ``set_defaults(func=...)`` with
a function ``func(args) -> int | None``. Keep those modules light to import (import numba, mesa,
dask or matplotlib inside ``func``), so that ``ecosim --help`` stays fast. A module that does not
exist yet is skipped.

User mistakes raise ``ecosim.errors.InputError``: printed as ``error: ...`` on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from ecosim.errors import InputError

EXTRA_COMMAND_MODULES = [
    "ecosim.experiments.cli",
    "ecosim.validation.cli",
    "ecosim.report.cli",
    "ecosim.viz.cli",
]

REPO_ROOT = Path(__file__).resolve().parents[2]


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("ecosim")
    except Exception:  # noqa: BLE001
        return "unknown"


# ------------------------------------------------------------------------------ commands
def cmd_run(args: argparse.Namespace) -> int:
    from ecosim.api import run

    res = run(args.scenario, seed=args.seed, replications=args.replications,
              overrides=args.set or (), out=args.out, overwrite=args.overwrite,
              progress=not args.quiet, results_root=args.results_root)
    if not args.quiet and (args.no_baseline or not _print_baseline_comparison(args, res)):
        _print_summary(res.summary)
    print(f"results: {res.path}")
    return 0


def _print_baseline_comparison(args: argparse.Namespace, res) -> bool:
    """Run the baseline (the scenario this one extends, with this one's settings) with the same
    seeds and print what moved; False if there is no baseline with other policies."""
    from ecosim.report import summary as rs

    cf, skip = rs.counterfactual(args.scenario, args.set or ())
    if cf is None:
        return False
    note = f" (not applied to it: {', '.join(skip)})" if skip else ""
    print(f"baseline: {cf.name} with this scenario's settings, same "
          f"{len(res.manifest['seeds'])} seed(s){note}", file=sys.stderr)
    bdf = rs.run_baseline(cf, res.manifest["seeds"])
    print(rs.compare_to_baseline(res.metrics, bdf, policy_name=res.manifest["scenario_name"],
                                 baseline_name=cf.name))
    return True


def _print_summary(summary: dict) -> None:
    across = summary.get("across") or {}
    if not across:
        return
    fy = summary.get("final_year")
    n = summary.get("replications", "?")
    head = f"final-year means, region ({n} replication{'s' if n != 1 else ''}"
    head += f", from {fy:g})" if isinstance(fy, (int, float)) else ")"
    print(head)
    width = max(len(k) for k in across)
    for k, v in across.items():
        mean, lo, hi = v.get("mean"), v.get("ci95_low"), v.get("ci95_high")
        if mean is None:
            continue
        ci = f"  [{lo:.4g}, {hi:.4g}]" if lo is not None and hi is not None else ""
        print(f"  {k:<{width}}  {mean:>12.4g}{ci}")


def _one_line(text: str, limit: int = 100) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def cmd_check(args: argparse.Namespace) -> int:
    from ecosim.scenario import load_scenario

    failed = 0
    for f in args.files:
        try:
            scn = load_scenario(f, args.set or ())
        except InputError as e:
            failed += 1
            print(f"FAIL {e}")
            continue
        desc = _one_line(getattr(scn, "description", ""))
        print(f"OK   {scn.name}: {desc}" if desc else f"OK   {scn.name}")
    if failed:
        print(f"{failed} of {len(args.files)} file(s) failed")
        return 2
    return 0


def scenario_dir() -> Path:
    """``./scenarios`` if it exists, else the repository's ``scenarios/``."""
    here = Path("scenarios")
    return here if here.is_dir() else REPO_ROOT / "scenarios"


def cmd_scenarios(args: argparse.Namespace) -> int:
    from ecosim.scenario.loader import resolve_file

    d = Path(args.dir) if args.dir else scenario_dir()
    files = sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml"))
    if not files:
        print(f"no scenario files in {d}", file=sys.stderr)
        return 0
    rows = []
    for f in files:
        try:
            data, _ = resolve_file(f)
            desc = _one_line(data.get("description", "") if isinstance(data, dict) else "")
        except InputError as e:
            desc = "(invalid: " + _one_line(str(e).splitlines()[0], 80) + ")"
        rows.append((f.name, desc))
    width = max(len(n) for n, _ in rows)
    print(f"scenarios in {d}:")
    for n, desc in rows:
        print(f"  {n:<{width}}  {desc}")
    return 0


def _resolved(path: str, overrides) -> dict:
    from ecosim.scenario import load_scenario
    from ecosim.scenario.loader import to_plain

    return to_plain(load_scenario(path, overrides or ()).model_dump(mode="python"))


def cmd_show(args: argparse.Namespace) -> int:
    """Print the scenario as the model sees it: ``extends:`` merged, ``--set`` applied, every
    default filled in."""
    data = _resolved(args.scenario, args.set)
    if args.json:
        import json

        print(json.dumps(data, indent=2))
    else:
        from ecosim.scenario.loader import dump_yaml

        sys.stdout.write(dump_yaml(data))
    return 0


def _flatten(value, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict) and value:
        out: dict[str, object] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}.{i}" if prefix else str(i)))
        return out
    return {prefix: value}


def scenario_diff(a: dict, b: dict) -> list[tuple[str, object, object]]:
    """(key, value in a, value in b) for every dotted key whose resolved value differs;
    a key only on one side has ``<absent>`` on the other."""
    fa, fb = _flatten(a), _flatten(b)
    absent = "<absent>"
    keys = list(fa) + [k for k in fb if k not in fa]
    return [(k, fa.get(k, absent), fb.get(k, absent)) for k in keys
            if fa.get(k, absent) != fb.get(k, absent)]


def cmd_diff(args: argparse.Namespace) -> int:
    rows = scenario_diff(_resolved(args.a, args.set_a), _resolved(args.b, args.set_b))
    if args.json:
        import json

        print(json.dumps([{"key": k, "a": x, "b": y} for k, x, y in rows], indent=2,
                         default=str))
        return 0
    if not rows:
        if not args.quiet:
            print(f"no differences: {args.a} and {args.b} resolve to the same scenario")
        return 0
    width = min(60, max(len(k) for k, _, _ in rows))
    print(f"{len(rows)} difference(s), {args.a} -> {args.b}:")
    for k, x, y in rows:
        print(f"  {k:<{width}}  {_one_line(repr(x), 50)} -> {_one_line(repr(y), 50)}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from ecosim.scenario.schema import Scenario

    if args.out:
        from ecosim.store import check_parent

        check_parent(args.out)
        if Path(args.out).is_dir():
            raise InputError(f"--out {args.out}: is a directory; give a file name")
    text = json.dumps(Scenario.model_json_schema(), indent=2) + "\n"
    if args.out:
        from ecosim.store import write_text_atomic

        write_text_atomic(text, args.out)
        print(f"schema: {args.out}")
    else:
        sys.stdout.write(text)
    return 0


# -------------------------------------------------------------------------------- parser
def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", metavar="KEY=VALUE", default=[],
                   help="override a scenario value after 'extends:', e.g. --set run.seed=7 "
                        "--set region.districts.0.deprivation=0.3 (value read as YAML; "
                        "repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecosim",
        description="Agent-based simulation of a regional skills ecosystem.",
        epilog="Run 'ecosim COMMAND --help' for a command's options.")
    parser.add_argument("--version", action="version", version=f"ecosim {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="run a scenario's replications and store the results",
                       description="Run a scenario and write results/<name>-<time>/ "
                                   "(manifest.json, metrics.parquet, summary.json).")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--seed", type=int, default=None,
                   help="root seed (default: the scenario's run.seed)")
    p.add_argument("-r", "--replications", type=int, default=1,
                   help="number of replications (default 1)")
    _add_set(p)
    p.add_argument("--out", default=None, help="output directory (default results/<name>-<time>)")
    p.add_argument("--results-root", default="results", help=argparse.SUPPRESS)
    p.add_argument("--overwrite", action="store_true",
                   help="replace an existing run directory given with --out")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar or summary; print only where the results went")
    p.add_argument("--no-baseline", action="store_true",
                   help="do not run the scenario this one extends for the what-moved summary")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="validate scenario files",
                       description="Validate scenario files; one line per file. Exit 2 if "
                                   "any is invalid.")
    p.add_argument("files", nargs="+", metavar="FILE")
    _add_set(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("scenarios", help="list the scenario files and their descriptions")
    p.add_argument("--dir", default=None,
                   help="directory to list (default ./scenarios, else the repository's)")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("show", help="print a scenario as resolved (extends, --set, defaults)",
                       description="Print the scenario the model would run: its extends: "
                                   "chain merged, --set applied and every default filled in.")
    p.add_argument("scenario", help="scenario YAML file")
    _add_set(p)
    p.add_argument("--json", action="store_true", help="JSON instead of YAML")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("diff", help="what differs between two resolved scenarios",
                       description="Resolve two scenarios (extends, defaults) and list every "
                                   "setting that differs: key, value in A, value in B.")
    p.add_argument("a", metavar="A", help="first scenario YAML file")
    p.add_argument("b", metavar="B", help="second scenario YAML file")
    p.add_argument("--set-a", action="append", metavar="KEY=VALUE", default=[],
                   help="override a value of A (repeatable)")
    p.add_argument("--set-b", action="append", metavar="KEY=VALUE", default=[],
                   help="override a value of B (repeatable)")
    p.add_argument("--json", action="store_true", help="a JSON list of {key, a, b}")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when they agree")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("schema", help="write the scenario JSON Schema")
    p.add_argument("--out", default=None, help="file to write (default: standard output)")
    p.set_defaults(func=cmd_schema)

    for mod in EXTRA_COMMAND_MODULES:
        _register_extra(mod, sub)
    return parser


def _register_extra(modname: str, sub: argparse._SubParsersAction) -> None:
    try:
        module = importlib.import_module(modname)
    except ModuleNotFoundError as e:
        missing = e.name or ""
        if missing != "ecosim" and (modname == missing or modname.startswith(missing + ".")):
            return  # that package is not written yet
        raise
    module.register(sub)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ecosim`` command; returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help(sys.stderr)
            return 2
        rc = func(args)
        return int(rc or 0)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # output piped into e.g. `head`: not an error
        try:
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115
        except OSError:
            pass
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
