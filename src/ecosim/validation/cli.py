"""``ecosim validate``: the stylised-fact checks (registered by ``ecosim.cli``)."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate", help="check the model against calibrated and held-out stylised facts",
        description="Run short paired experiments (the same seeds in every scenario) and "
        "report, for each stylised fact, its target, the measured value with a 90% interval "
        "over replications and pass / fail / not reproduced. Writes validation.csv and "
        "validation.md. Exit 1 if any fact fails (or is not reproduced without being a "
        "declared known gap), 0 otherwise. See docs/validation.md.")
    p.add_argument("--quick", action="store_true",
                   help="fewer people per agent and replications (a few minutes on 2 cores)")
    p.add_argument("--only", nargs="+", metavar="ID", help="check only these fact ids")
    p.add_argument("--out", metavar="DIR", help="where to write validation.csv and "
                   "validation.md (default results/validation-<time>)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes (default: the usable cores)")
    p.add_argument("--list", action="store_true", help="list the facts and exit")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    from ecosim.errors import InputError
    from ecosim.validation import report
    from ecosim.validation.facts import load_facts
    from ecosim.validation.suite import failed, select, validate

    catalogue = load_facts()
    if args.list:
        for f in catalogue.facts:
            print(f"{f.id:34s} {f.kind:10s} {f.fact}")
        return 0
    select(catalogue, args.only)  # unknown ids: exit 2 before any run
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers must be at least 1, got {args.workers}")
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(args.out) if args.out else Path("results") / f"validation-{stamp}"
    report.check_out(out)
    table = validate(quick=args.quick, only=args.only, workers=args.workers,
                     progress=not args.quiet)
    written = report.write(table, out)
    print(report.terminal_table(table))
    c = report.counts(table)
    n_bad = failed(table)
    print(f"\n{c['facts']} facts ({c['held_out']} held out, {c['calibrated']} calibrated): "
          f"{c['pass']} pass, {c['fail']} fail, {c['not_reproduced']} not reproduced"
          f"{'' if n_bad else '; no failures'}", file=sys.stderr)
    print(f"written: {', '.join(str(p) for p in written)}")
    return 1 if n_bad else 0
