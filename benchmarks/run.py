"""ecosim benchmarks: every speed claim as a figure reproducible with one command.

    python benchmarks/run.py            # full run (several minutes), writes benchmarks/results.md
    python benchmarks/run.py --quick    # small sizes, few repeats (about 2 minutes)

Sections: 0 where time goes, 1 against plain Mesa, 2 scaling and memory, 3 against the memory
limit, 4 start-up, 5 sweeps, 6 threads, 7 issue #3 claims. Each prints a table with the target,
the measured figure, and whether it was met and by how much. Times are medians of repeats after
a warm-up; spreads are min/median-max/median. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402
from common import Report, Table, fmt_bytes, fmt_s, progress, verdict  # noqa: E402


class Unavailable(Exception):
    """A piece of the model this section needs is not in the repository yet."""


# ------------------------------------------------------------------------------ configuration
def config(quick: bool) -> dict:
    if quick:
        return {
            "quick": True,
            "sizes": [10_000, 100_000],
            "scale_repeats": 3, "scale_quarters": 4,
            "big_repeats": 3, "big_quarters": 4,
            "mesa_sizes": [2_000, 10_000], "mesa_repeats": 3,
            "startup_repeats": 1,
            "sweep_runs": 16, "sweep_workers": [1, 2],
            "threads_ppa": 40.0, "threads_years": 2, "threads_repeats": 1,
            "issue3_repeats": 1, "percore_repeats": 1,
        }
    return {
        "quick": False,
        "sizes": [10_000, 100_000, 1_000_000],
        "scale_repeats": 5, "scale_quarters": 8,
        "big_repeats": 3, "big_quarters": 4,      # at 1M: fewer repeats (said in the output)
        "mesa_sizes": [10_000, 100_000], "mesa_repeats": 5,
        "startup_repeats": 5,
        "sweep_runs": 1000, "sweep_workers": [1, 2],
        "threads_ppa": 10.0, "threads_years": 10, "threads_repeats": 5,
        "issue3_repeats": 5, "percore_repeats": 5,
    }


def _percore_args() -> list[str]:
    """_child.py options for issue #5's per-core run inside the --quick scaling process."""
    import json

    name, ppa, sets = common.percore_scenario()
    return ["--percore-ppa", f"{ppa:.6g}", "--percore-scenario", name,
            "--percore-sets", json.dumps(sets)]


def k(n: int) -> str:  # 10k, 100k, 1M
    return f"{n / 1e6:.3g}M" if n >= 999_500 else f"{n / 1e3:.3g}k"


# ------------------------------------------------------------------------------ measurements
def measure_scale(cfg: dict) -> list[dict]:
    """One fresh process per size (memory is per process); the largest also measures a
    STREAM-like copy for section 3. In --quick all sizes share one process."""
    sizes = cfg["sizes"]
    ppas = [common.ppa_for(n) for n in sizes]
    out: list[dict] = []
    if cfg["quick"]:
        groups = [list(range(len(sizes)))]
    else:
        groups = [[i] for i in range(len(sizes))]
    for g in groups:
        big = sizes[g[-1]] >= 1_000_000
        args = ["scale", "--ppa", *[f"{ppas[i]:.6g}" for i in g],
                "--quarters", str(cfg["big_quarters"] if big else cfg["scale_quarters"]),
                "--repeats", str(cfg["big_repeats"] if big else cfg["scale_repeats"]),
                "--profile", "--tracemalloc"]
        if g[-1] == len(sizes) - 1:
            args.append("--stream")
        if big:
            args.append("--full-run")
        if cfg["quick"]:  # threads section in the same process (saves a warm-up)
            args += ["--threads-list", "1", "2", "--threads-ppa", str(cfg["threads_ppa"]),
                     "--years", str(cfg["threads_years"]), "--repeats-threads",
                     str(cfg["threads_repeats"]),
                     *_percore_args()]
        progress(f"scaling: fresh process for {', '.join(k(sizes[i]) for i in g)} learners "
                 f"(warm-up, memory, timing, profile)")
        res = common.run_child(args, env=common.child_env(NUMBA_NUM_THREADS="2")
                               if cfg["quick"] else None)
        if "threads" in res:
            cfg["_threads_result"] = res["threads"]
        if "percore" in res:
            pc_ppa = common.percore_scenario()[1]
            cfg["_percore_result"] = res["percore"] | {"ppa": pc_ppa}
        for i, r in zip(g, res["sizes"], strict=True):
            r["target_n"] = sizes[i]
            r["quarters"] = int(args[args.index("--quarters") + 1])
            r["warmup_s"] = res["warmup_s"]
            out.append(r)
    return out


def section_profile(rep: Report, scale: list[dict]) -> None:
    rep.h("0. Where time goes (profile of the quarterly step)")
    big = scale[-1]
    n = big["n_learners_start"]
    tot = big["profile_total_s"]
    rep.p(f"Instrumented run at {k(n)} learners, {big['quarters']} quarters "
          f"({fmt_s(tot / big['quarters'])} per quarter under instrumentation). Phase times are "
          "wall time of each phase's `run`; kernel times are wall time of each numba call made "
          "from Python (kernels called from other kernels are inside their caller).")
    t = Table(["phase", "time per quarter", "share of step"])
    phases = sorted(big["phases"].items(), key=lambda kv: -kv[1][0])
    acc = 0.0
    for name, (sec, _calls) in phases:
        acc += sec
        t.add(name, fmt_s(sec / big["quarters"]), f"{100 * sec / tot:.1f}%")
    t.add("other (hook glue, DataCollector, step overhead)",
          fmt_s(max(tot - acc, 0) / big["quarters"]), f"{100 * max(tot - acc, 0) / tot:.1f}%")
    rep.table(t)
    t = Table(["kernel", "calls per quarter", "time per quarter", "share of step",
               "ns per learner"])
    for name, (sec, calls, _mx, _cnt) in sorted(big["kernels"].items(),
                                               key=lambda kv: -kv[1][0])[:12]:
        t.add(name, f"{calls / big['quarters']:g}", fmt_s(sec / big["quarters"]),
              f"{100 * sec / tot:.1f}%", f"{1e9 * sec / big['quarters'] / n:.1f}")
    rep.table(t)


def section_scaling(rep: Report, cfg: dict, scale: list[dict]) -> None:
    rep.h("2. Scaling: whole-model time per quarter and peak memory")
    rep.p("North East baseline scaled with `run.persons_per_agent`. Each size runs in a fresh "
          "process: kernels are warmed up first, then peak RSS growth is measured over build + "
          "the timed quarters (Linux VmHWM reset with /proc/self/clear_refs after warm-up, so "
          "the empty, warmed-up process is the baseline), then a tracemalloc pass (numpy "
          "buffers), then the timed repeats (build, then Q quarters; median of repeats).")
    t = Table(["learners", "persons/agent", "build (median)", "s per quarter (median)",
               "spread", "repeats x quarters", "ns per learner-quarter", "peak RSS growth",
               "bytes/learner (RSS)", "bytes/learner (tracemalloc)", "state arrays B/learner"])
    for r in scale:
        n = r["n_learners_start"]
        pq = statistics.median(r["per_quarter_s"])
        t.add(f"{n:,}", f"{r['ppa']:.3g}", fmt_s(statistics.median(r["build_s"])), fmt_s(pq),
              common.Timing(r["per_quarter_s"]).spread,
              f"{len(r['per_quarter_s'])} x {r['quarters']}", f"{1e9 * pq / n:.0f}",
              fmt_bytes(r["peak_growth"]), f"{r['peak_growth'] / n:.0f}",
              f"{r.get('tracemalloc_peak', float('nan')) / n:.0f}",
              f"{r['learner_state_bytes'] / max(r['n_learners_end'], 1):.0f}")
    rep.table(t)
    rep.p(f"Empty warmed-up process (imports + JIT warm-up): RSS "
          f"{fmt_bytes(scale[0]['rss_after_warmup'])}; peak method: {scale[0]['peak_method']}.")
    if any(r["target_n"] >= 1_000_000 for r in scale):
        rep.p("At 1M learners fewer repeats and quarters are timed (see 'repeats x quarters').")
    # targets
    t = Table(["target", "measured", "result"])
    big = scale[-1]
    nb = big["n_learners_start"]
    pq = {r["n_learners_start"]: statistics.median(r["per_quarter_s"]) for r in scale}
    ns = sorted(pq)
    slopes = []
    for a, b in zip(ns, ns[1:], strict=False):
        slope = math.log(pq[b] / pq[a]) / math.log(b / a)
        slopes.append((a, b, slope))
    for a, b, s in slopes:
        t.add(f"linear in learners: log-log slope of time per quarter {k(a)}->{k(b)} <= 1.10",
              f"{s:.2f}", verdict(s, 1.10, higher_is_better=False))
    if "full_run_s" in big:
        full = big["full_run_s"]
        how = (f"{fmt_s(full)} measured: one whole run of {big['full_run_quarters']} quarters "
               f"at {nb:,} learners incl. build and metrics frame (1 repeat)")
    else:
        q48 = 48
        full = statistics.median(big["build_s"]) + pq[nb] * q48 * (1_000_000 / nb)
        how = (f"{fmt_s(full)} extrapolated linearly from {k(nb)} (--quick does not run 1M): "
               f"build + 48 x s/quarter x 1M/{k(nb)}")
    t.add("1M learners x 12 years < 60 s", how, verdict(full, 60.0, higher_is_better=False))
    per = big["peak_growth"] / nb
    t.add(f"peak memory < 500 bytes per learner (RSS growth above the warmed-up process, "
          f"at {k(nb)})", f"{per:.0f} B", verdict(per, 500.0, higher_is_better=False))
    if "tracemalloc_peak" in big:
        per_t = big["tracemalloc_peak"] / nb
        t.add(f"same, by tracemalloc (numpy + Python allocations, at {k(nb)})", f"{per_t:.0f} B",
              verdict(per_t, 500.0, higher_is_better=False))
    rep.table(t)


def section_bandwidth(rep: Report, scale: list[dict]) -> None:
    rep.h("3. Against the memory limit: the two heaviest kernels vs a STREAM-like copy")
    big = scale[-1]
    n = big["n_learners_bytes"]
    q = big["quarters"]
    # heaviest kernels by time among those that stream over the learner arrays
    cands = [(name, v) for name, v in big["kernels"].items() if v[2] >= 0.5 * n]
    cands.sort(key=lambda kv: -kv[1][0])
    top = cands[:2]
    copy_bw = big.get("numba_copy_Bps", float("nan"))
    np_bw = big.get("numpy_copy_Bps", float("nan"))
    rep.p(f"At {n:,} learners. Bytes touched = every numpy array argument counted once as read "
          "and once more as written if the call changed it (itemsize x length; learner arrays "
          "passed whole are counted whole even when the kernel touches a subset, so for "
          "gather/scatter kernels this is an upper bound on traffic and a lower bound on "
          "random-access cost). STREAM-like copy: 256 MB float64, bytes = read + write, "
          f"median of 5: numba prange copy {copy_bw / 1e9:.2f} GB/s, "
          f"numpy copy {np_bw / 1e9:.2f} GB/s (same process, same thread count).")
    t = Table(["kernel", "bytes read / learner / quarter", "bytes written / learner / quarter",
               "time per quarter", "achieved bandwidth", "vs numba copy", "vs numpy copy",
               "bound"])
    for name, (sec, _calls, _mx, _cnt) in top:
        rb, wb, _c = big["bytes"].get(name, [float("nan")] * 3)
        per_q = sec / q
        bw = (rb + wb) / per_q
        ratio = bw / copy_bw
        bound = ("memory-bound (near copy bandwidth)" if ratio > 0.6 else
                 "compute/latency-bound: far below copy bandwidth")
        t.add(name, f"{rb / n:.1f}", f"{wb / n:.1f}", fmt_s(per_q), f"{bw / 1e9:.2f} GB/s",
              f"{100 * ratio:.0f}%", f"{100 * bw / np_bw:.0f}%", bound)
    rep.table(t)
    t = Table(["target", "measured", "result"])
    for name, (sec, *_r) in top:
        rb, wb, _c = big["bytes"].get(name, [float("nan")] * 3)
        bw = (rb + wb) / (sec / q)
        t.add(f"{name}: report its share of copy bandwidth (no numeric target in issue #6)",
              f"{100 * bw / copy_bw:.0f}% of numba copy", "reported")
    rep.table(t)


def _cli_wall(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall and CPU (user + system, all threads) seconds of one ``ecosim ...`` command in a
    fresh process (fails loudly). CPU time is less distorted by other processes than wall
    time, except that numba's idle parallel threads spin longer when cores are contended."""
    import resource

    cmd = [sys.executable, "-m", "ecosim", *args]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800,
                       cwd=common.ROOT, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({p.returncode}):\n{p.stderr[-4000:]}")
    return {"wall_s": wall,
            "cpu_s": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)}


def section_startup(rep: Report, cfg: dict) -> dict:
    rep.h("4. Start-up: JIT compile time (cold and warm cache), model build, `ecosim run`")
    reps = cfg["startup_repeats"]
    cold, warm, cli_cold, cli_warm = [], [], [], []
    for r in range(reps):
        with tempfile.TemporaryDirectory(prefix="ecosim-numba-cache-") as d:
            env = common.child_env(ECOSIM_CACHE_DIR=d)
            progress(f"start-up: cold cache, fresh process {r + 1}/{reps}")
            cold.append(common.run_child(["startup"], env=env))
            progress(f"start-up: warm cache (same directory), fresh process {r + 1}/{reps}")
            warm.append(common.run_child(["startup"], env=env))
        with tempfile.TemporaryDirectory(prefix="ecosim-numba-cache-") as d:
            env = common.child_env(ECOSIM_CACHE_DIR=d)
            run = ["run", "scenarios/tiny.yaml", "-q", "--overwrite", "--out",
                   str(pathlib.Path(d) / "run")]
            progress(f"start-up: ecosim run tiny.yaml, cold cache {r + 1}/{reps}")
            cli_cold.append(_cli_wall(run, env))
            progress(f"start-up: ecosim run tiny.yaml, warm cache {r + 1}/{reps}")
            cli_warm.append(_cli_wall(run, env))

    def med(rows, key):
        return statistics.median(x[key] for x in rows)

    rep.p(f"Fresh process each time; ECOSIM_CACHE_DIR set to a new empty temporary directory "
          f"(cold), then the same directory again (warm). `warmup()` loads or compiles every "
          f"kernel on a tiny built-in scenario (what `simulate()` does on first use). Median of "
          f"{reps} process pairs{' (--quick: 1)' if reps == 1 else ''}.")
    t = Table(["", "import ecosim.model", "warmup() (JIT)", "build NE baseline (ppa=10)",
               "process total", "`ecosim run scenarios/tiny.yaml` wall", "its CPU time"])
    for name, rows, cli in (("cold cache", cold, cli_cold), ("warm cache", warm, cli_warm)):
        t.add(name, fmt_s(med(rows, "import_s")), fmt_s(med(rows, "warmup_s")),
              fmt_s(med(rows, "build_s")), fmt_s(statistics.median(x["_process_wall_s"]
                                                                  for x in rows)),
              fmt_s(med(cli, "wall_s")), fmt_s(med(cli, "cpu_s")))
    rep.table(t)
    t = Table(["target", "measured", "result"])
    c, w = med(cold, "warmup_s"), med(warm, "warmup_s")
    cw = med(cli_warm, "wall_s")
    t.add("first-run compile time (issue #3: report)", fmt_s(c), "reported (no numeric target)")
    t.add("warm cache saves compile time", f"{fmt_s(w)} ({100 * (1 - w / c):.0f}% less)",
          "met" if w < c else "**missed**: the cache does not help")
    t.add("`ecosim run scenarios/tiny.yaml`, warm cache < 3 s wall", fmt_s(cw),
          verdict(cw, 3.0, False))
    rep.table(t)
    rep.p("Every kernel is cached (`cache=True`), in a directory named by a hash of the jitted "
          "sources and toolchain (`ecosim.model.kernel_cache`), so a warm cache removes all "
          "compiling; what remains is importing mesa/scipy/numba, loading the machine code and "
          "the run itself.")
    return {"cold": cold, "warm": warm, "cli_cold": cli_cold, "cli_warm": cli_warm}


def section_threads(rep: Report, cfg: dict) -> dict:
    rep.h("6. Threads: NUMBA_NUM_THREADS=1 vs 2")
    ppa, yrs, reps = cfg["threads_ppa"], cfg["threads_years"], cfg["threads_repeats"]
    res = {}
    if cfg["quick"]:
        out = cfg.get("_threads_result")
        if out is None:
            progress("threads: one process, numba.set_num_threads(1) then (2)")
            out = common.run_child(["threads", "--ppa", str(ppa), "--years", str(yrs),
                                    "--repeats", str(reps), "--threads-list", "1", "2"],
                                   env=common.child_env(NUMBA_NUM_THREADS="2"))
        res = {int(k_): v for k_, v in out.items() if not k_.startswith("_")}
        how = ("--quick: in the section 2 process after its measurements, switching with "
               "`numba.set_num_threads` (full run: one subprocess per NUMBA_NUM_THREADS value)")
    else:
        for nt in (1, 2):
            progress(f"threads: subprocess with NUMBA_NUM_THREADS={nt}, {reps} runs")
            out = common.run_child(["threads", "--ppa", str(ppa), "--years", str(yrs),
                                    "--repeats", str(reps)],
                                   env=common.child_env(NUMBA_NUM_THREADS=str(nt)))
            res[nt] = next(v for k_, v in out.items() if not k_.startswith("_"))
        how = "one subprocess per NUMBA_NUM_THREADS value"
    sc = common.load_scenario(sets={"run.persons_per_agent": ppa, "run.horizon_years": yrs})
    rep.p(f"Whole `simulate()` (build + {sc.run.burn_in_years}-year burn-in + {yrs}-year horizon "
          f"+ metrics frame) of the North East baseline at persons_per_agent={ppa:g}, after "
          f"warm-up; {how}; median of {reps} runs.")
    t = Table(["threads", "median run time", "spread", "metrics-frame hash"])
    for nt, v in sorted(res.items()):
        t.add(nt, fmt_s(statistics.median(v["times"])), common.Timing(v["times"]).spread,
              ", ".join(sorted(set(v["hashes"]))))
    rep.table(t)
    t1 = statistics.median(res[1]["times"])
    t2 = statistics.median(res[2]["times"])
    hashes = {h for v in res.values() for h in v["hashes"]}
    t = Table(["target", "measured", "result"])
    t.add("identical results with 1 and 2 threads (hash of the metrics frame)",
          f"{len(hashes)} distinct hash(es)", "**met**" if len(hashes) == 1 else "**missed**")
    t.add("speed-up with 2 threads (ideal 2.0 on 2 cores)", f"x{t1 / t2:.2f} "
          f"(parallel efficiency {50 * t1 / t2:.0f}%)", verdict(t1 / t2, 2.0, True))
    rep.table(t)
    return {"res": res, "ppa": ppa, "years": yrs}


def section_issue3(rep: Report, cfg: dict, scale: list[dict], threads: dict | None,
                   startup: dict | None) -> None:
    rep.h("7. Issue #3 claims")
    t = Table(["claim", "measured", "result"])
    if threads and threads["ppa"] == 10.0 and threads["years"] == 10:
        ts = threads["res"][2]["times"]
        v = statistics.median(ts)
        t.add("NE baseline, persons_per_agent=10 (~129k learners), 12-year run < 10 s after "
              "warm-up", f"{fmt_s(v)} (median of {len(ts)}, 2 threads, section 6)",
              verdict(v, 10.0, False))
    else:
        big = next((r for r in scale if r["target_n"] == 100_000), scale[-1])
        est = statistics.median(big["build_s"]) + 48 * statistics.median(big["per_quarter_s"]) \
            * 129_000 / big["n_learners_start"]
        t.add("NE baseline, persons_per_agent=10, 12-year run < 10 s after warm-up",
              f"{fmt_s(est)} (extrapolated from section 2 at {k(big['n_learners_start'])}: "
              "build + 48 quarters; section 6 did not run this configuration)",
              verdict(est, 10.0, False))
    if startup:
        c = statistics.median(x["warmup_s"] for x in startup["cold"])
        t.add("first-run compile time (cold cache)", fmt_s(c), "reported")
    rep.table(t)
    # matching and allocation: time per application at each size
    rep.p("Matching and allocation scale with applications: kernel time per quarter and per "
          "application at each size (from the section 2 profile runs). For course allocation "
          "an application is one ranked choice; where a size shows 'n/a' applications its "
          "slope is against learners.")
    names = sorted({nm for r in scale for nm in r["kernels"]
                    if nm.startswith(("job_matching.applications",
                                      "job_matching.select_and_accept", "course_allocation."))})
    t = Table(["kernel", "learners", "applications per quarter", "time per quarter",
               "ns per application"])
    slopes = Table(["target", "measured", "result"])
    for nm in names:
        pts = []
        for r in scale:
            if nm not in r["kernels"]:
                continue
            sec, _calls, _mx, cnt = r["kernels"][nm]
            q = r["quarters"]
            n = r["n_learners_start"]
            apps = cnt / q if cnt else float("nan")
            t.add(nm, f"{n:,}", f"{apps:,.0f}" if apps == apps else "n/a", fmt_s(sec / q),
                  f"{1e9 * sec / q / apps:.0f}" if apps == apps and apps else "n/a")
            pts.append((apps if apps == apps and apps else n, sec / q))
        if len(pts) >= 2:
            (a0, t0), (a1, t1) = pts[-2], pts[-1]
            s = math.log(t1 / t0) / math.log(a1 / a0)
            slopes.add(f"{nm} linear in applications: log-log slope (last two sizes) <= 1.10",
                       f"{s:.2f}", verdict(s, 1.10, False))
    rep.table(t)
    rep.table(slopes)


# ------------------------------------------------------------------------------ mesa, sweeps
def section_mesa(rep: Report, cfg: dict) -> dict:
    rep.h("1. Against plain Mesa: the learner side of one quarter")
    try:
        import mesa_reference
    except ModuleNotFoundError as exc:
        raise Unavailable(str(exc)) from exc
    return mesa_reference.benchmark(rep, cfg)


def section_sweeps(rep: Report, cfg: dict) -> dict:
    rep.h("5. Sweeps: runs per second with 1 and 2 Dask workers")
    try:
        import sweep_bench
    except ModuleNotFoundError as exc:
        raise Unavailable(str(exc)) from exc
    return sweep_bench.benchmark(rep, cfg)


# ------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, few repeats (~2 min)")
    ap.add_argument("--only", nargs="*", default=None,
                    help="sections to run: profile mesa scaling bandwidth startup sweeps "
                         "threads issue3 (default all)")
    ap.add_argument("--out", default=str(common.BENCH / "results.md"),
                    help="where to write the markdown results")
    args = ap.parse_args(argv)
    cfg = config(args.quick)
    only = set(args.only) if args.only else None

    def want(name: str) -> bool:
        return only is None or name in only

    t_start = time.perf_counter()
    rep = Report()
    rep.h("ecosim benchmark results", 1)
    rep.p(f"Generated by `python benchmarks/run.py{' --quick' if args.quick else ''}` on "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
          + ("**--quick: small sizes and few repeats; figures are indicative only.** "
             if args.quick else "")
          + "Times are medians of repeats after a warm-up; the machine is shared, so compare "
          "figures measured side by side in this run rather than across runs.")
    t = Table(["machine", ""])
    for key, val in common.machine_info().items():
        t.add(key, val)
    rep.table(t)
    errors: list[str] = []
    results: dict = {}

    def guarded(name: str, fn, *a):
        try:
            out = fn(*a)
            la = " ".join(f"{x:.2f}" for x in os.getloadavg())
            rep.p(f"_Load average (1, 5, 15 min) at the end of this section: {la} on "
                  f"{os.cpu_count()} cores (this benchmark itself accounts for 1-2; more "
                  "means other processes were competing)._")
            return out
        except Unavailable as exc:
            rep.p(f"_Not measured: {exc}._")
        except Exception:  # report and go on; the exit code says something failed
            tb = traceback.format_exc()
            errors.append(f"{name}: {tb.splitlines()[-1]}")
            rep.p(f"_Section failed:_\n\n```\n{tb[-3000:]}\n```")
        return None

    scale = None
    if any(want(s) for s in ("profile", "scaling", "bandwidth", "issue3")):
        scale = guarded("scaling", measure_scale, cfg)
    if want("profile") and scale:
        guarded("profile", section_profile, rep, scale)
    if want("mesa"):
        results["mesa"] = guarded("mesa", section_mesa, rep, cfg)
    if want("scaling") and scale:
        guarded("scaling", section_scaling, rep, cfg, scale)
    if want("bandwidth") and scale:
        guarded("bandwidth", section_bandwidth, rep, scale)
    startup = guarded("startup", section_startup, rep, cfg) if want("startup") else None
    if want("sweeps"):
        results["sweeps"] = guarded("sweeps", section_sweeps, rep, cfg)
    threads = guarded("threads", section_threads, rep, cfg) if want("threads") else None
    if want("issue3") and scale:
        guarded("issue3", section_issue3, rep, cfg, scale, threads, startup)
    rep.p(f"Total benchmark wall time: {fmt_s(time.perf_counter() - t_start)}."
          + (f" Sections that failed: {'; '.join(errors)}" if errors else ""))
    pathlib.Path(args.out).write_text(rep.text())
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
