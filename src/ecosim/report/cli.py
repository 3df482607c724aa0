"""``ecosim compare`` (the policymakers' report from run directories) and ``ecosim report``
(the main job: run the North East baseline and its policies, then the report).

Light to import: matplotlib, pandas and the model load inside the commands.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

from ecosim.errors import InputError

FORMATS = ("html", "pdf", "png", "svg")


def _formats(text: str) -> tuple[str, ...]:
    fs = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in fs if f not in FORMATS]
    if bad or not fs:
        raise InputError(f"--format {text}: unknown format {', '.join(bad) or '(none)'}; "
                         f"choose from {','.join(FORMATS)}")
    return fs


def _out_dir(out: str | None, root: str, stem: str) -> Path:
    if out:
        return Path(out)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(root) / f"{stem}-{stamp}"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="compare runs against a baseline: HTML/PDF report, figures, CSV",
        description="Compare run directories (from 'ecosim run', plus sweep directories from "
                    "'ecosim sweep') against a baseline: paired differences where the runs "
                    "share seeds, figures, and one self-contained HTML report with a PDF "
                    "twin and the CSV behind every figure.")
    p.add_argument("results", nargs="+", metavar="RESULTS", help="run or sweep directories")
    p.add_argument("--baseline", default=None, metavar="NAME",
                   help="scenario name of the baseline (default: the run the others extend)")
    p.add_argument("--metrics", nargs="+", default=None, metavar="M",
                   help="headline metrics (default: Level 3+/4+ shares, employment rate, "
                        "skills-shortage share, low-qualified participation, median pay, "
                        "public spend, cost per qualification)")
    p.add_argument("--out", default=None, help="output directory (default results/compare-<time>)")
    p.add_argument("--format", default="html,pdf,png", dest="formats",
                   help="comma-separated: html,pdf,png,svg (default html,pdf,png)")
    p.add_argument("--results-root", default="results", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_compare)

    from ecosim.report import job

    p = sub.add_parser(
        "report", help="run the North East baseline and policies, then write the report",
        description="The main job ('make run'): run the baseline and each policy scenario "
                    "with shared seeds, then write the comparison report; one progress bar "
                    "for the whole job. The last line printed is the report's path.")
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help="scenario files, baseline first (default: the North East baseline, "
                        "devolved AEB, training accounts, collaboration, partnership, all "
                        "policies)")
    p.add_argument("-r", "--replications", type=int, default=job.DEFAULT_REPLICATIONS,
                   help=f"replications per scenario (default {job.DEFAULT_REPLICATIONS})")
    p.add_argument("--persons-per-agent", type=float, default=job.DEFAULT_PERSONS_PER_AGENT,
                   help=f"people per learner agent (default {job.DEFAULT_PERSONS_PER_AGENT:g})")
    p.add_argument("--employers", type=int, default=job.DEFAULT_EMPLOYERS,
                   help=f"employer agents (default {job.DEFAULT_EMPLOYERS})")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: up to 2)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", default=[],
                   help="override a value in every scenario (repeatable)")
    p.add_argument("--out", default=None, help="output directory (default results/report-<time>)")
    p.add_argument("--format", default="html,pdf,png", dest="formats",
                   help="comma-separated: html,pdf,png,svg (default html,pdf,png)")
    p.add_argument("--results-root", default="results", help=argparse.SUPPRESS)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_report)


def cmd_compare(args: argparse.Namespace) -> int:
    formats = _formats(args.formats)
    from ecosim.report.data import load_comparison

    comp = load_comparison(args.results, baseline=args.baseline, metrics=args.metrics)
    if len(comp.runs) < 2:
        raise InputError(f"only one run ({comp.baseline}): give a baseline and at least one "
                         "policy run to compare")
    n = comp.min_replications()
    if n < 2:
        print(f"note: {n} replication in some runs: intervals are impossible, so figures show "
              "points only and no difference is called clear", file=sys.stderr)
    for p in comp.policies:
        why = comp.unpaired_reason(p)
        if why:
            print(f"note: {p} is compared unpaired with {comp.baseline} ({why})",
                  file=sys.stderr)
    from ecosim.report.document import write_report

    out = _out_dir(args.out, args.results_root, "compare")
    res = write_report(comp, out, formats)
    _print_done(res)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    formats = _formats(args.formats)
    from ecosim.cli import scenario_dir
    from ecosim.report import job

    if args.replications < 2:
        raise InputError(f"--replications {args.replications}: the report needs at least 2 "
                         "for intervals")
    files = args.scenarios or [str(scenario_dir() / f) for f in job.DEFAULT_SCENARIOS]
    for f in files:
        if not Path(f).is_file():
            raise InputError(f"{f}: no such scenario file")
    overrides = [f"run.persons_per_agent={args.persons_per_agent:g}",
                 f"employers.n_agents={args.employers}", *args.set]
    out = _out_dir(args.out, args.results_root, "report")
    res = job.run_set(files, replications=args.replications, overrides=overrides, out=out,
                      workers=args.workers or job.default_workers(), progress=not args.quiet,
                      report_formats=formats)
    print(f"runs: {', '.join(str(d) for d in res['runs'])}")
    print(f"wall time: {res['wall_seconds']:.0f} s")
    _print_done(res)
    return 0


def _print_done(res: dict) -> None:
    if res.get("pdf"):
        print(f"pdf: {res['pdf']} ({res.get('pages')} pages)")
    if res.get("figures"):
        print(f"figures: {Path(res['figures'][0]).parent} ({len(res['figures'])} files); "
              f"data: {Path(res['data'][0]).parent}")
    last = res.get("html") or res.get("pdf") or (res["figures"][0] if res.get("figures")
                                                 else None)
    print(f"report: {last}")
