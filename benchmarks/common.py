"""Shared helpers for the benchmarks: machine info, repeat timing, tables, scenario loading.

Nothing here asserts on time: the benchmark reports figures and says whether each target was met.
"""

from __future__ import annotations

import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
SCENARIOS = ROOT / "scenarios"
BENCH = ROOT / "benchmarks"

if str(SRC) not in sys.path:  # run from a checkout without `pip install -e .`
    try:
        import ecosim  # noqa: F401
    except ModuleNotFoundError:
        sys.path.insert(0, str(SRC))


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a benchmark subprocess: ecosim importable, extra variables set."""
    env = dict(os.environ)
    pp = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + pp if pp else "")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_child(args: Sequence[str], env: dict[str, str] | None = None,
              timeout: float = 1800.0) -> dict[str, Any]:
    """Run ``python benchmarks/_child.py args...`` and return the JSON it prints last."""
    cmd = [sys.executable, str(BENCH / "_child.py"), *args]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env or child_env(), capture_output=True, text=True,
                       timeout=timeout)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed ({p.returncode}):\n{p.stderr[-4000:]}")
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    out = json.loads(lines[-1])
    out["_process_wall_s"] = wall
    return out


# ------------------------------------------------------------------------------ machine
def machine_info() -> dict[str, str]:
    import numba
    import numpy

    cpu = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import mesa

        mesa_v = mesa.__version__
    except Exception:  # pragma: no cover
        mesa_v = "not installed"
    try:
        import dask

        dask_v = dask.__version__
    except Exception:  # pragma: no cover
        dask_v = "not installed"
    mem = "unknown"
    try:
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True).stdout.strip()
        if dirty:
            commit += " + uncommitted changes in src/"
    except OSError:
        commit = "unknown"
    return {
        "CPU": cpu,
        "logical cores (os.cpu_count)": str(os.cpu_count()),
        "cores usable (sched_getaffinity)": str(len(os.sched_getaffinity(0)))
        if hasattr(os, "sched_getaffinity") else "?",
        "memory": mem,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "numpy": numpy.__version__,
        "numba": numba.__version__,
        "numba threads (default)": str(numba.config.NUMBA_NUM_THREADS),
        "mesa": mesa_v,
        "dask": dask_v,
        "ecosim commit": commit,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# ------------------------------------------------------------------------------ timing
@dataclass
class Timing:
    """Repeat times (seconds) of one measurement."""

    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def n(self) -> int:
        return len(self.times)

    @property
    def spread(self) -> str:
        """Min-max of the repeats as a share of the median."""
        if len(self.times) < 2 or self.median == 0:
            return "-"
        return f"{min(self.times) / self.median:.2f}-{max(self.times) / self.median:.2f}"


def repeat(fn: Callable[[], Any], repeats: int, warmup: int = 1,
           setup: Callable[[], Any] | None = None) -> Timing:
    """Time ``fn()`` ``repeats`` times after ``warmup`` untimed calls.

    With ``setup``, ``fn(setup())`` is timed and setup is not."""
    for _ in range(warmup):
        fn(setup()) if setup else fn()
    out = []
    for _ in range(repeats):
        arg = setup() if setup else None
        t0 = time.perf_counter()
        fn(arg) if setup else fn()
        out.append(time.perf_counter() - t0)
    return Timing(out)


def interleaved(fns: dict[str, Callable[[], Any]], repeats: int, warmup: int = 1,
                setup: Callable[[], Any] | None = None) -> dict[str, Timing]:
    """Time several functions side by side, alternating them in each repeat, so load from other
    processes on this shared machine falls on all of them alike."""
    for _ in range(warmup):
        for f in fns.values():
            f(setup()) if setup else f()
    out: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():
            arg = setup() if setup else None
            t0 = time.perf_counter()
            f(arg) if setup else f()
            out[k].append(time.perf_counter() - t0)
    return {k: Timing(v) for k, v in out.items()}


# ------------------------------------------------------------------------------ formatting
def fmt_s(x: float) -> str:
    if x != x:  # nan
        return "n/a"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.2f} ms"
    return f"{x * 1e6:.1f} µs"


def fmt_bytes(x: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(x) >= scale:
            return f"{x / scale:.2f} {unit}"
    return f"{x:.0f} B"


def verdict(measured: float, target: float, higher_is_better: bool) -> str:
    """'met (x2.3 margin)' or 'missed by x1.4' (ratio of measured to target)."""
    if measured != measured or target != target:
        return "not measured"
    if measured <= 0 < target and not higher_is_better:
        return "**met**"
    if measured == 0 or target == 0:
        ok = measured >= target if higher_is_better else measured <= target
        return "met" if ok else "missed"
    ratio = measured / target if higher_is_better else target / measured
    if ratio >= 1:
        return f"**met** (x{ratio:.2f} margin)"
    return f"**missed** by x{1 / ratio:.2f}"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: Any) -> None:
        self.rows.append([str(c) for c in cells])

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self.headers) + " |",
                 "|" + "|".join("---" for _ in self.headers) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


class Report:
    """Markdown sections, echoed to stdout as they complete."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def h(self, text: str, level: int = 2) -> None:
        self._emit("#" * level + " " + text)

    def p(self, text: str) -> None:
        self._emit(text)

    def table(self, t: Table) -> None:
        self._emit(t.markdown())

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        print("\n" + s, flush=True)

    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def progress(msg: str) -> None:
    print(f"  … {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ scenarios
def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _raw(path: pathlib.Path) -> dict:
    from ruamel.yaml import YAML

    d = YAML(typ="safe").load(path.read_text())
    ext = d.pop("extends", None)
    if ext:
        d = _merge(_raw(path.parent / ext), d)
    return d


def _nested(sets: dict[str, Any]) -> dict:
    out: dict = {}
    for key, val in sets.items():
        cur = out
        parts = key.split(".")
        for p in parts[:-1]:
            cur = cur.setdefault(p, {})
        cur[parts[-1]] = val
    return out


def load_scenario(name: str = "north_east_baseline.yaml", sets: dict[str, Any] | None = None):
    """Scenario ``name`` from scenarios/ with dotted overrides (like ``--set a.b=1``).

    Uses the project's loader (``ecosim.scenario.load_scenario``) when it exists, otherwise
    resolves ``extends:`` here and validates with ``Scenario.model_validate``."""
    sets = dict(sets or {})
    path = SCENARIOS / name
    try:
        from ecosim.scenario import load_scenario as project_loader  # type: ignore[attr-defined]
    except ImportError:
        project_loader = None
    if project_loader is not None:
        return project_loader(path, overrides=list(sets.items()))
    from ecosim.scenario.schema import Scenario

    return Scenario.model_validate(_merge(_raw(path), _nested(sets)))


def people_in_scope(sc) -> float:
    """Residents the learner agents represent at persons_per_agent = 1."""
    from ecosim.model.build import age_span_factor

    pop = sum(d.working_age_population for d in sc.region.districts)
    return pop * age_span_factor(sc)


def ppa_for(learners: int, name: str = "north_east_baseline.yaml") -> float:
    """persons_per_agent that gives about ``learners`` learner agents."""
    sc = load_scenario(name)
    return max(1.0, people_in_scope(sc) / learners)


PERCORE_LEARNERS = 10_000


def percore_scenario(learners: int = PERCORE_LEARNERS) -> tuple[str, float, dict[str, Any]]:
    """Issue #5's 10k-learner run: ``scenarios/tiny.yaml`` scaled to ``learners`` learner agents
    with employer agents in tiny's proportion (tiny: 300 employers at 250 persons per agent);
    providers and courses are the region's real ones, as in tiny (course places are in people
    and scale with persons_per_agent). 2-year burn-in + 8-year horizon = 10 years.
    Returns (scenario file, persons_per_agent, other dotted overrides)."""
    tiny = load_scenario("tiny.yaml")
    ppa = ppa_for(learners, "tiny.yaml")
    employers = max(1, round(tiny.employers.n_agents * tiny.run.persons_per_agent / ppa))
    return "tiny.yaml", ppa, {"employers.n_agents": employers, "run.burn_in_years": 2,
                              "run.horizon_years": 8}
