"""Running a validation's scenario runs: in this process or on a pool of worker processes,
with a progress bar over runs (done, failed, time left)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context

import pandas as pd

from ecosim.validation.plan import RunKey


def run_one(key: RunKey) -> pd.DataFrame:
    """One ordinary run of an ordinary scenario: ``ecosim.model.simulate``."""
    from ecosim.model import simulate
    from ecosim.scenario import load_scenario

    return simulate(load_scenario(key.scenario, list(key.overrides)), key.seed)


def _worker_init() -> None:
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # one core per worker process


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_all(keys: Iterable[RunKey], workers: int = 1, progress: bool = True
            ) -> tuple[dict[RunKey, pd.DataFrame], dict[RunKey, str]]:
    """Run every key; return (frames, errors) keyed by run. A failed run is recorded, not
    raised, so the facts that need it are reported as not reproduced."""
    from ecosim.experiments.progress import SweepProgress

    keys = list(keys)
    frames: dict[RunKey, pd.DataFrame] = {}
    errors: dict[RunKey, str] = {}
    bar = SweepProgress(len(keys), progress, desc="validation runs")
    try:
        if workers <= 1:
            from ecosim.model import warmup

            warmup()
            for k in keys:
                try:
                    frames[k] = run_one(k)
                except Exception as e:  # noqa: BLE001 - recorded against the facts
                    errors[k] = f"{type(e).__name__}: {e}"
                bar.update(1, int(k in errors))
            return frames, errors
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                 initializer=_worker_init) as pool:
            pending: dict[Future, RunKey] = {pool.submit(run_one, k): k for k in keys}
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        k = pending.pop(fut)
                        try:
                            frames[k] = fut.result()
                        except Exception as e:  # noqa: BLE001
                            errors[k] = f"{type(e).__name__}: {e}"
                        bar.update(1, int(k in errors))
            except KeyboardInterrupt:
                for fut in pending:
                    fut.cancel()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return frames, errors
    finally:
        bar.close()
