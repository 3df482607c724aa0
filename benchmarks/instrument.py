"""Where time goes: wall time per phase and per kernel inside ``SkillsEcosystem.step``.

``Instrument`` replaces, for the duration of a ``with`` block, every phase module's ``run``, the
metrics functions, the policy-hook dispatcher and every numba kernel *as seen from Python code*
(the names in ``ecosim.model.phases.*`` and ``ecosim.model.kernels.*`` module namespaces) with
timing wrappers. Jitted code that calls another jitted function was bound at compile time and is
not affected, so kernels must be compiled (``warmup()``) before entering the block. Originals are
restored on exit.

It also records, per kernel call, the bytes of every numpy array argument and whether the call
changed it (so bytes touched = arrays read + arrays written, x itemsize): see ``bytes_touched``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np


def _is_dispatcher(obj) -> bool:
    return type(obj).__name__ in ("CPUDispatcher", "Dispatcher") and hasattr(obj, "py_func")


@dataclass
class Stats:
    calls: int = 0
    seconds: float = 0.0
    read_bytes: float = 0.0      # sum over calls of bytes of array arguments
    written_bytes: float = 0.0   # sum over calls of bytes of array arguments the call changed
    max_array_len: int = 0
    count: float = 0.0           # e.g. applications handled (see Instrument.counters)


class Instrument:
    """Context manager collecting ``phases`` and ``kernels`` Stats by name.

    ``track_bytes=True`` snapshots array arguments before each kernel call to see which it
    writes; that costs copies, so use it in a separate run from the timing run."""

    def __init__(self, track_bytes: bool = False, counters=None):
        self.track_bytes = track_bytes
        #: kernel name -> function(bound arguments dict) -> number added to Stats.count
        self.counters = dict(counters or {})
        self.phases: dict[str, Stats] = defaultdict(Stats)
        self.kernels: dict[str, Stats] = defaultdict(Stats)
        self._patched: list[tuple[object, str, object]] = []

    # -------------------------------------------------------------------------------
    def _wrap_kernel(self, name: str, disp):
        stats = self.kernels[name]
        track = self.track_bytes
        counter = self.counters.get(name)
        sig = inspect.signature(disp.py_func) if counter else None

        def wrapper(*args, **kw):
            arrays = [a for a in list(args) + list(kw.values()) if isinstance(a, np.ndarray)]
            before = [a.copy() for a in arrays] if track else None
            t0 = time.perf_counter()
            out = disp(*args, **kw)
            stats.seconds += time.perf_counter() - t0
            stats.calls += 1
            if arrays:
                stats.max_array_len = max(stats.max_array_len, max(a.shape[0] if a.ndim else 1
                                                                   for a in arrays))
            if counter is not None:
                stats.count += float(counter(sig.bind(*args, **kw).arguments))
            if track:
                for a, b in zip(arrays, before, strict=True):
                    stats.read_bytes += a.nbytes
                    if not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
                        stats.written_bytes += a.nbytes
            return out

        wrapper.__wrapped__ = disp
        wrapper.py_func = disp.py_func
        return wrapper

    def _wrap_phase(self, name: str, fn):
        stats = self.phases[name]

        def wrapper(*args, **kw):
            t0 = time.perf_counter()
            out = fn(*args, **kw)
            stats.seconds += time.perf_counter() - t0
            stats.calls += 1
            return out

        wrapper.__wrapped__ = fn
        return wrapper

    def _set(self, obj, attr, value) -> None:
        self._patched.append((obj, attr, getattr(obj, attr)))
        setattr(obj, attr, value)

    # -------------------------------------------------------------------------------
    def __enter__(self) -> Instrument:
        import ecosim.model.kernels as kpkg
        import ecosim.model.phases as ppkg
        from ecosim.model import metrics
        from ecosim.model import model as model_mod

        kernel_mods = [importlib.import_module(f"ecosim.model.kernels.{m.name}")
                       for m in pkgutil.iter_modules(kpkg.__path__)]
        phase_mods = [importlib.import_module(f"ecosim.model.phases.{m.name}")
                      for m in pkgutil.iter_modules(ppkg.__path__)]
        wrappers: dict[int, object] = {}
        # kernels defined in kernel modules, wrapped wherever Python code looks them up
        for km in kernel_mods:
            short = km.__name__.rsplit(".", 1)[1]
            for attr, obj in list(vars(km).items()):
                if _is_dispatcher(obj) and obj.py_func.__module__ == km.__name__:
                    wrappers[id(obj)] = self._wrap_kernel(f"{short}.{attr}", obj)
        for mod in kernel_mods + phase_mods + [metrics, model_mod,
                                               importlib.import_module("ecosim.model.build")]:
            for attr, obj in list(vars(mod).items()):
                if id(obj) in wrappers:
                    self._set(mod, attr, wrappers[id(obj)])
        for pm in phase_mods:  # a phase's entry points (learning has two: enrol, progress)
            short = pm.__name__.rsplit(".", 1)[1]
            for entry in ("run", "enrol", "progress"):
                if hasattr(pm, entry):
                    self._set(pm, entry, self._wrap_phase(short, getattr(pm, entry)))
        self._set(metrics, "compute", self._wrap_phase("metrics.compute", metrics.compute))
        self._set(metrics, "refresh_market",
                  self._wrap_phase("metrics.refresh_market", metrics.refresh_market))
        self._set(model_mod.SkillsEcosystem, "_hook",
                  self._wrap_phase("policy hooks", model_mod.SkillsEcosystem._hook))
        return self

    def __exit__(self, *exc) -> None:
        for obj, attr, old in reversed(self._patched):
            setattr(obj, attr, old)
        self._patched.clear()

    # -------------------------------------------------------------------------------
    def reset(self) -> None:
        self.phases.clear()
        self.kernels.clear()


def _count_apps(a) -> int:
    return int((a["out_slot"] >= 0).sum())


#: per-kernel "work" counters: applications handled by the matching kernels
COUNTERS = {
    "job_matching.applications": _count_apps,
    "job_matching.select_and_accept": lambda a: int((a["app_slot"] >= 0).sum()),
    "course_allocation.priorities": lambda a: int((a["choices"] >= 0).sum()),
    "course_allocation.deferred_acceptance": lambda a: int((a["choices"] >= 0).sum()),
}


def profile_steps(model, quarters: int, track_bytes: bool = False) -> tuple[Instrument, float]:
    """Run ``quarters`` steps of ``model`` under an Instrument; returns it and the step time."""
    ins = Instrument(track_bytes=track_bytes, counters=COUNTERS)
    with ins:
        t0 = time.perf_counter()
        for _ in range(quarters):
            model.step()
        total = time.perf_counter() - t0
    return ins, total
