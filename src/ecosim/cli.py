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

#: a package with a command adds its module here when the command exists
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
    """Run; with a policy scenario (one that extends a baseline and changes its policies) the
    baseline runs too, with the same seeds, unless --no-baseline or -q."""
    from ecosim.api import run

    cf, skip = None, []
    quiet = args.quiet or args.json
    if not (args.quiet or args.no_baseline):
        from ecosim.report import summary as rs
        from ecosim.store import check_target

        # the output must be usable before anything runs (the baseline included)
        if args.out is not None:
            check_target(args.out, args.overwrite)
        cf, skip = rs.counterfactual(args.scenario, args.set or ())
        if cf is not None:
            note = f" (not applied to it: {', '.join(skip)})" if skip else ""
            print(f"this is a policy scenario: after it, its baseline {cf.name} runs with the "
                  f"same seeds and settings{note}, to show what moved (--no-baseline to "
                  "skip)", file=sys.stderr, flush=True)
    res = run(args.scenario, seed=args.seed, replications=args.replications,
              overrides=args.set or (), out=args.out, overwrite=args.overwrite,
              progress=not quiet, results_root=args.results_root)
    comparison = None
    if cf is not None:
        comparison = _run_baseline(res, cf, progress=not quiet)
    if args.json:
        import json

        from ecosim.report.summary import final_year_table

        table = final_year_table(res.metrics)
        out = {"results": str(res.path), "scenario": res.manifest["scenario_name"],
               "seeds": res.manifest["seeds"],
               "final_year": [{k: (None if isinstance(v, float) and v != v else v)
                               for k, v in row.items()} for row in table.to_dict("records")],
               "baseline": cf.name if cf is not None else None}
        print(json.dumps(out, indent=2, default=str))
        return 0
    if not args.quiet:
        if comparison is not None:
            print(comparison)
        else:
            from ecosim.report.summary import format_run_summary

            text = format_run_summary(res.metrics)
            if text:
                print(text)
    print(f"results: {res.path}")
    return 0


def _run_baseline(res, cf, progress: bool) -> str:
    """Run the baseline ``cf`` with the run's seeds; save its metrics, the paired table and
    the comparison text in the run directory; return the comparison text."""
    from ecosim.report import summary as rs
    from ecosim.store import (
        BASELINE_METRICS,
        COMPARISON,
        PAIRED,
        write_parquet_atomic,
        write_text_atomic,
    )

    seeds = res.manifest["seeds"]
    print(f"baseline: {cf.name}, {len(seeds)} replication(s) with the same seeds",
          file=sys.stderr, flush=True)
    bar = None
    if progress:
        from tqdm import tqdm

        q = 4 * (cf.run.burn_in_years + cf.run.horizon_years) * len(seeds)
        bar = tqdm(total=q, unit="q", desc=f"baseline {cf.name}", file=sys.stderr,
                   dynamic_ncols=True)
    try:
        bdf = rs.run_baseline(cf, seeds, progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    text = rs.compare_to_baseline(res.metrics, bdf, policy_name=res.manifest["scenario_name"],
                                  baseline_name=cf.name)
    write_parquet_atomic(bdf, res.path / BASELINE_METRICS)
    write_parquet_atomic(rs.paired_table(res.metrics, bdf), res.path / PAIRED)
    write_text_atomic(text + "\n", res.path / COMPARISON)
    return text


def _one_line(text: str, limit: int = 100) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def cmd_check(args: argparse.Namespace) -> int:
    from ecosim.scenario import load_scenario

    failed = 0
    rows = []
    for f in args.files:
        try:
            scn = load_scenario(f, args.set or ())
        except InputError as e:
            failed += 1
            rows.append({"file": str(f), "ok": False, "name": None, "error": str(e)})
            if not args.json:
                print(f"FAIL {e}")
            continue
        rows.append({"file": str(f), "ok": True, "name": scn.name, "error": None})
        if args.json or args.quiet:
            continue
        desc = _one_line(getattr(scn, "description", ""))
        print(f"OK   {scn.name}: {desc}" if desc else f"OK   {scn.name}")
    if args.json:
        import json

        print(json.dumps(rows, indent=2))
    elif failed:
        print(f"{failed} of {len(args.files)} file(s) failed")
    return 2 if failed else 0


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
    if args.quiet:
        for n, _ in rows:
            print(n)
        return 0
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


def cmd_metrics(args: argparse.Namespace) -> int:
    """List every metric with its unit, kind (stock, per-quarter flow...) and areas."""
    from ecosim.metric_info import all_metrics

    rows = all_metrics()
    if args.json:
        import json

        print(json.dumps([m.as_dict() for m in rows], indent=2))
        return 0
    wn = max(len(m.name) for m in rows)
    wu = max(len(m.unit) for m in rows)
    wk = max(len(m.kind) for m in rows)
    print(f"{'metric':<{wn}}  {'unit':<{wu}}  {'kind':<{wk}}  areas / description")
    for m in rows:
        where = "" if m.areas == "region and districts" else "[region only] "
        print(f"{m.name:<{wn}}  {m.unit:<{wu}}  {m.kind:<{wk}}  {where}"
              f"{_one_line(m.description, 90)}")
    if not args.quiet:
        print("\nstock: level at the quarter's end; flow: count or money during the quarter "
              "(summed over a year in summaries); quarterly rate / rolling: a share measured "
              "over the quarter / the last 4 quarters. Shares are 0-1 (shown as %). Policies "
              "add ledger columns <policy>_<key> on the region rows.")
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
        if not args.quiet:
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
                   help="a policy scenario (one that extends a baseline and changes its "
                        "policies) also runs that baseline with the same seeds and shows what "
                        "moved; this skips it")
    p.add_argument("--json", action="store_true",
                   help="print the results directory and final-year table as JSON")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="validate scenario files",
                       description="Validate scenario files; one line per file. Exit 2 if "
                                   "any is invalid.")
    p.add_argument("files", nargs="+", metavar="FILE")
    _add_set(p)
    p.add_argument("--json", action="store_true",
                   help="a JSON list of {file, ok, name, error}")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the failures")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("scenarios", help="list the scenario files and their descriptions")
    p.add_argument("--dir", default=None,
                   help="directory to list (default ./scenarios, else the repository's)")
    p.add_argument("-q", "--quiet", action="store_true", help="file names only")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("show", help="print a scenario as resolved (extends, --set, defaults)",
                       description="Print the scenario the model would run: its extends: "
                                   "chain merged, --set applied and every default filled in.")
    p.add_argument("scenario", help="scenario YAML file")
    _add_set(p)
    p.add_argument("--json", action="store_true", help="JSON instead of YAML")
    p.add_argument("-q", "--quiet", action="store_true", help="(prints only the scenario)")
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

    p = sub.add_parser("metrics", help="list the metrics: unit, stock or flow, areas",
                       description="Every metric a run reports, with its unit, whether it is "
                                   "a stock or a per-quarter flow, and its areas.")
    p.add_argument("--json", action="store_true", help="a JSON list for scripts")
    p.add_argument("-q", "--quiet", action="store_true", help="no explanatory footer")
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser("schema", help="write the scenario JSON Schema")
    p.add_argument("--out", default=None, help="file to write (default: standard output)")
    p.add_argument("-q", "--quiet", action="store_true", help="with --out: print nothing")
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
