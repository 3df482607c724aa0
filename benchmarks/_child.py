"""Measurements that need a fresh process (memory, start-up, thread count). Run by run.py.

Each mode prints one JSON line on stdout as its last line. Not meant to be run by hand.

  scale   --ppa P --quarters Q --repeats R [--full-run] [--profile] [--stream]
  startup                        (set NUMBA_CACHE_DIR in the environment)
  threads --ppa P --years Y --repeats R   (set NUMBA_NUM_THREADS in the environment)
  baseline                       imports + warm-up only
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import sys
import time

T_START = time.perf_counter()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402  (puts src/ on sys.path if needed)


def _vm() -> dict[str, int]:
    """VmRSS and VmHWM of this process in bytes (Linux)."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) * 1024
    return out


def _reset_peak() -> bool:
    """Reset this process's peak RSS to its current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _maxrss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def frame_hash(df) -> str:
    import pandas as pd

    h = pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()
    cols = ",".join(map(str, df.columns)).encode()
    return hashlib.sha256(cols + h).hexdigest()[:16]


def stream_copy(repeats: int = 5) -> dict[str, float]:
    """STREAM-like copy bandwidth: numpy copy and a numba prange copy of a 256 MB float64 array
    (bytes moved = read + write = 2 x array size), median of repeats."""
    import numba as nb
    import numpy as np

    @nb.njit(parallel=True)
    def copy_loop(a, b):
        for i in nb.prange(a.size):
            b[i] = a[i]

    n = 1 << 25
    a = np.random.default_rng(0).random(n)
    b = np.empty_like(a)
    copy_loop(a, b)
    np.copyto(b, a)
    res = {}
    for name, fn in (("numba_copy", lambda: copy_loop(a, b)),
                     ("numpy_copy", lambda: np.copyto(b, a))):
        ts = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
        ts.sort()
        res[name + "_Bps"] = 2 * a.nbytes / ts[len(ts) // 2]
    return res


def mode_scale(args) -> dict:
    from ecosim.model import warmup

    t0 = time.perf_counter()
    warmup(progress_message=False)
    res: dict = {"warmup_s": time.perf_counter() - t0, "sizes": []}
    for i, ppa in enumerate(args.ppa):
        print(f"  … size {i + 1}/{len(args.ppa)} (persons_per_agent={ppa:.3g})", file=sys.stderr,
              flush=True)
        res["sizes"].append(scale_one(args, ppa, stream=args.stream and i == len(args.ppa) - 1))
    if args.threads_list:  # --quick: the threads section in the same (warmed-up) process
        res["threads"] = threads_runs(args, args.threads_ppa)
    if args.percore_ppa:  # --quick: issue #5's per-core run in the same process, 1 thread
        import numba

        pc = argparse.Namespace(**vars(args))
        pc.years, pc.burn_in, pc.threads_list, pc.profile_run = 8, 2, [1], True
        pc.repeats_threads = 1
        pc.scenario, pc.sets = args.percore_scenario, args.percore_sets
        res["percore"] = threads_runs(pc, args.percore_ppa)["1"]
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    return res


def scale_one(args, ppa: float, stream: bool) -> dict:
    import instrument

    from ecosim.model import SkillsEcosystem

    out: dict = {"ppa": ppa}
    sc = common.load_scenario(args.scenario, {"run.persons_per_agent": ppa})
    gc.collect()
    # ---- memory: peak RSS growth over build + Q quarters, above the warmed-up process -----
    rss0 = _vm()["VmRSS"]
    out["rss_after_warmup"] = rss0
    have_reset = _reset_peak()
    m = SkillsEcosystem(sc, rng=sc.run.seed)
    n0 = m.state.learners.n
    m.run_quarters(args.quarters)
    n1 = m.state.learners.n
    vm = _vm()
    out.update(n_learners_start=n0, n_learners_end=n1, peak_method="VmHWM after clear_refs"
               if have_reset else "ru_maxrss (includes warm-up peak)",
               peak_rss=vm["VmHWM"] if have_reset else _maxrss(),
               rss_end=vm["VmRSS"])
    out["peak_growth"] = out["peak_rss"] - rss0
    state_bytes = sum(a.nbytes for a in m.state.learners._cols.values())
    out["learner_state_bytes"] = state_bytes
    out["learner_columns"] = len(m.state.learners._cols)
    del m
    gc.collect()
    # ---- memory: tracemalloc peak (numpy reports its buffers to tracemalloc) ---------------
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
        m = SkillsEcosystem(sc, rng=sc.run.seed)
        m.run_quarters(args.quarters)
        out["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del m
        gc.collect()
    # ---- time: build, then Q quarters, R repeats --------------------------------------
    builds, per_q = [], []
    for r in range(args.repeats):
        t0 = time.perf_counter()
        m = SkillsEcosystem(sc, rng=sc.run.seed)
        builds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        m.run_quarters(args.quarters)
        per_q.append((time.perf_counter() - t0) / args.quarters)
        print(f"  … repeat {r + 1}/{args.repeats}: {per_q[-1]:.3f} s/quarter", file=sys.stderr,
              flush=True)
        del m
        gc.collect()
    out.update(build_s=builds, per_quarter_s=per_q)
    # ---- a whole 12-year run (burn-in + horizon), as simulate() does it --------------------
    if args.full_run:
        t0 = time.perf_counter()
        m = SkillsEcosystem(sc, rng=sc.run.seed)
        nq = m.burn_in_quarters + m.horizon_quarters
        m.run_quarters(nq)
        df = m.metrics_frame()
        out["full_run_s"] = time.perf_counter() - t0
        out["full_run_quarters"] = nq
        out["full_run_hash"] = frame_hash(df)
        del m, df
        gc.collect()
    # ---- where time goes: phases and kernels ------------------------------------------
    if args.profile:
        m = SkillsEcosystem(sc, rng=sc.run.seed)
        ins, total = instrument.profile_steps(m, args.quarters)
        out["profile_total_s"] = total
        out["phases"] = {k: [s.seconds, s.calls] for k, s in ins.phases.items()}
        out["kernels"] = {k: [s.seconds, s.calls, s.max_array_len, s.count]
                          for k, s in ins.kernels.items() if s.calls}
        # application counts for matching / allocation scaling
        out["n_learners_profile_end"] = m.state.learners.n
        nb_q = min(2, args.quarters)
        insb, _ = instrument.profile_steps(m, nb_q, track_bytes=True)
        out["bytes"] = {k: [s.read_bytes / nb_q, s.written_bytes / nb_q, s.calls / nb_q]
                        for k, s in insb.kernels.items() if s.calls}
        out["n_learners_bytes"] = m.state.learners.n
        del m
        gc.collect()
    if stream:
        out.update(stream_copy())
    return out


def mode_startup(args) -> dict:
    t0 = time.perf_counter()
    import ecosim.model  # noqa: F401
    from ecosim.model import warmup

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    warmup(progress_message=False)
    t_warm = time.perf_counter() - t0
    sc = common.load_scenario(args.scenario)
    from ecosim.model import SkillsEcosystem

    t0 = time.perf_counter()
    SkillsEcosystem(sc, rng=sc.run.seed)
    t_build = time.perf_counter() - t0
    return {"import_s": t_import, "warmup_s": t_warm, "build_s": t_build,
            "cache_dir": os.environ.get("NUMBA_CACHE_DIR", ""),
            "since_interpreter_start_s": time.perf_counter() - T_START}


def mode_threads(args) -> dict:
    from ecosim.model import warmup

    warmup(progress_message=False)
    return threads_runs(args, args.ppa[0])


def threads_runs(args, ppa: float) -> dict:
    import numba

    from ecosim.model import simulate

    sets = {"run.persons_per_agent": ppa, "run.horizon_years": args.years}
    if args.burn_in is not None:
        sets["run.burn_in_years"] = args.burn_in
    sets.update(json.loads(args.sets or "{}"))
    sc = common.load_scenario(args.scenario, sets)
    reps = args.repeats_threads or args.repeats
    out = {}
    # default: the thread count NUMBA_NUM_THREADS gave this process; --threads-list switches
    # in-process with numba.set_num_threads (used by --quick to save a process start)
    for nt in args.threads_list or [numba.get_num_threads()]:
        numba.set_num_threads(nt)
        times, hashes = [], []
        for r in range(reps):
            t0 = time.perf_counter()
            df = simulate(sc, sc.run.seed)
            times.append(time.perf_counter() - t0)
            hashes.append(frame_hash(df))
            print(f"  … threads={numba.get_num_threads()} repeat {r + 1}/{reps}: "
                  f"{times[-1]:.2f} s", file=sys.stderr, flush=True)
        out[str(nt)] = {"threads": numba.get_num_threads(), "times": times, "hashes": hashes,
                        "rows": int(len(df))}
    if getattr(args, "profile_run", False):  # one instrumented whole run: where time goes
        import instrument

        from ecosim.model import SkillsEcosystem

        t0 = time.perf_counter()
        m = SkillsEcosystem(sc, rng=sc.run.seed)
        build = time.perf_counter() - t0
        n_l, n_e = m.state.learners.n, m.state.employers.n
        ins, total = instrument.profile_steps(m, m.burn_in_quarters + m.horizon_quarters)
        t0 = time.perf_counter()
        m.metrics_frame()
        frame = time.perf_counter() - t0
        prof = {k: s.seconds for k, s in ins.phases.items()}
        prof["other step glue"] = max(total - sum(prof.values()), 0.0)
        prof["build"] = build
        prof["metrics frame"] = frame
        for v in out.values():
            v.update(profile=prof, n_learners=n_l, n_employers=n_e)
    return out


def mode_baseline(args) -> dict:
    from ecosim.model import warmup

    warmup(progress_message=False)
    gc.collect()
    return {"rss": _vm()["VmRSS"], "maxrss": _maxrss()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["scale", "startup", "threads", "baseline"])
    ap.add_argument("--scenario", default="north_east_baseline.yaml")
    ap.add_argument("--ppa", type=float, nargs="+", default=[10.0])
    ap.add_argument("--threads-list", type=int, nargs="*", default=[])
    ap.add_argument("--threads-ppa", type=float, default=10.0)
    ap.add_argument("--repeats-threads", type=int, default=None)
    ap.add_argument("--quarters", type=int, default=8)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--burn-in", type=int, default=None)
    ap.add_argument("--sets", default=None, help="JSON {dotted key: value} scenario overrides")
    ap.add_argument("--percore-ppa", type=float, default=None)
    ap.add_argument("--percore-scenario", default="tiny.yaml")
    ap.add_argument("--percore-sets", default=None)
    ap.add_argument("--profile-run", action="store_true")
    ap.add_argument("--full-run", action="store_true")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--stream", action="store_true")
    ap.add_argument("--tracemalloc", action="store_true")
    args = ap.parse_args()
    fn = {"scale": mode_scale, "startup": mode_startup, "threads": mode_threads,
          "baseline": mode_baseline}[args.mode]
    print(json.dumps(fn(args)), flush=True)


if __name__ == "__main__":
    main()
