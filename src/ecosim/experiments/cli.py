"""``ecosim sweep`` and ``ecosim analyze``: run an experiment file on Dask, then its indices.

Exit status: 0 when every run succeeded, 1 when some runs failed (they are listed in
``failures.csv`` and the rest of the sweep is complete), 2 for bad input.
"""

from __future__ import annotations

import argparse
import shlex
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` and ``analyze`` subcommands."""
    p = sub.add_parser(
        "sweep", help="run an experiment file (Sobol, grid, LHS or Morris) on Dask",
        description="Run every sample x replication of an experiment file on an embedded "
                    "Dask cluster (or an existing one with --scheduler), write the results "
                    "under --out and analyse them. A killed sweep continues with --resume.")
    p.add_argument("experiment", help="experiment YAML file (see docs/experiments.md)")
    p.add_argument("--out", default=None,
                   help="sweep directory (default results/<experiment>-<time>)")
    p.add_argument("--scheduler", default=None, metavar="ADDR",
                   help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                        "(default: start a local cluster); workers must see --out")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local worker processes, one thread each (default: one per core)")
    p.add_argument("--resume", action="store_true",
                   help="complete the sweep in --out: run only what has no result yet")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", default=[],
                   help="override an experiment setting, e.g. --set N=64 (repeatable)")
    p.add_argument("--no-analysis", action="store_true", help="skip the analysis at the end")
    p.add_argument("--results-root", default="results", help=argparse.SUPPRESS)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true",
                   help="print counts, failures and the results directory as JSON")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "analyze", help="sensitivity indices and figures of a finished sweep",
        description="Compute Sobol (or Morris) indices with bootstrap intervals, their "
                    "convergence with N, the replication-noise share of variance and "
                    "per-sample summaries; write tables and figures into DIR.")
    p.add_argument("dir", help="sweep directory")
    p.add_argument("--no-figures", action="store_true", help="tables only")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only where the tables went")
    p.set_defaults(func=cmd_analyze)


def cmd_sweep(args: argparse.Namespace) -> int:
    from ecosim.experiments.resolve import load_experiment

    study = load_experiment(args.experiment, args.set or ())
    from ecosim.experiments.runner import SweepInterrupted, run_sweep

    try:
        res = run_sweep(study, args.out, scheduler=args.scheduler, workers=args.workers,
                        resume=args.resume, progress=not args.quiet,
                        results_root=args.results_root)
    except SweepInterrupted as e:
        print(f"interrupted: {e.done} of {e.total} runs done; continue with: ecosim sweep "
              f"{shlex.quote(args.experiment)} --out {shlex.quote(str(e.path))} --resume"
              + "".join(f" --set {shlex.quote(s)}" for s in args.set or ()),
              file=sys.stderr, flush=True)
        return 130
    done = res.unique_runs - res.failed
    quiet = args.json
    if not quiet:
        print(f"sweep: {res.runs} runs ({res.unique_runs} distinct), {res.submitted} run now, "
              f"{res.failed} failed, {res.seconds:.1f} s")
    analysed = False
    if not args.no_analysis:
        if done:
            _analyze(res.path, figures=True, quiet=quiet)
            analysed = True
        elif not quiet:
            print("no successful runs: nothing to analyse")
    if args.json:
        import json

        print(json.dumps({
            "results": str(res.path), "runs": res.runs, "distinct_runs": res.unique_runs,
            "run_now": res.submitted, "failed": res.failed,
            "seconds": round(res.seconds, 3), "workers": res.workers, "analysed": analysed,
            "failures": [{"run_id": str(r["run_id"]), "error": str(r["error"])}
                         for _, r in res.failures.head(20).iterrows()],
        }, indent=2))
    else:
        print(f"results: {res.path}")
    if res.failed:
        print(f"{res.failed} run(s) failed; see {res.path / 'failures.csv'} (first: "
              f"{_first_error(res.failures)}); 'ecosim sweep {args.experiment} --out "
              f"{res.path} --resume' retries them", file=sys.stderr)
        return 1
    return 0


def _first_error(failures) -> str:
    row = failures.iloc[0]
    text = " ".join(str(row["error"]).split())
    return text if len(text) <= 160 else text[:159] + "…"


def cmd_analyze(args: argparse.Namespace) -> int:
    _analyze(args.dir, figures=not args.no_figures, quiet=args.quiet)
    return 0


def _analyze(path, figures: bool, quiet: bool = False) -> None:
    from ecosim.experiments.analyze import analyze

    res = analyze(path, figures=figures)
    for note in res.notes:
        print(f"note: {note}", file=sys.stderr)
    if quiet:
        return
    ix = res.indices
    if not ix.empty:
        print("indices (value [interval]):")
        for out in ix["output"].unique():
            print(f"  {out}")
            for _, r in ix[ix["output"] == out].iterrows():
                print(f"    {r['index']:<7} {r['parameter']:<36} {r['value']:>8.4f}  "
                      f"[{r['low']:.4f}, {r['high']:.4f}]")
    for _, r in res.variance.iterrows():
        if r["noise_share"] == r["noise_share"]:  # not NaN: there were replications
            print(f"replication noise: {r['noise_share']:.1%} of the variance of "
                  f"{r['output']} across runs ({r['noise_share_of_means']:.1%} of the "
                  "variance of replication means)")
    print(f"analysis: {res.path / 'indices.csv'}"
          + (f" and {len(res.figures)} figure(s) in {res.path / 'figures'}"
             if res.figures else ""))
