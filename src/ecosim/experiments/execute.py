"""What a worker does with one task: run a batch of runs and write their Parquet part itself.

A task is plain data (run ids, seeds, scenario overrides, outputs) plus the baseline scenario.
Each run is independent: a run that raises is recorded with its error text and the batch goes
on. The part is written atomically (temp file, fsync, rename), so a killed worker leaves either
a whole part or none; the driver only ever receives a small summary.
"""

from __future__ import annotations

import copy
import math
import os
import sys
import time
import traceback
from typing import Any

PART_COLUMNS = ("run_id", "seed", "output", "quarter", "value", "error", "seconds")


def run_task(task: dict[str, Any], base: dict[str, Any] | None) -> dict[str, Any]:
    """Run every run of ``task``, write ``task['path']`` and return a summary.

    Summary: ``{"done": n_ok, "failed": [(run_id, error)], "seconds": compute seconds}``.
    """
    if "numba" not in sys.modules:  # one thread per worker unless the worker says otherwise
        os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    import pandas as pd

    from ecosim.store import write_parquet_atomic

    rows: list[tuple[Any, ...]] = []
    failed: list[tuple[str, str]] = []
    t_all = 0.0
    for run_id, seed, overrides in task["runs"]:
        t0 = time.perf_counter()
        try:
            if task["kind"] == "function":
                values = [("y", None, _function_value(task, overrides, seed))]
            else:
                values = _model_values(task, base, overrides, seed)
            err = None
        except Exception as e:  # noqa: BLE001 - a run's failure is data, not a crash
            values, err = [], _error_text(e)
        dt = time.perf_counter() - t0
        t_all += dt
        if err is None:
            rows += [(run_id, seed, out, q, v, None, dt) for out, q, v in values]
        else:
            rows.append((run_id, seed, None, None, math.nan, err, dt))
            failed.append((run_id, err))
    df = pd.DataFrame(rows, columns=list(PART_COLUMNS))
    df = part_types(df)
    write_parquet_atomic(df, task["path"])
    return {"done": len(task["runs"]) - len(failed), "failed": failed, "seconds": t_all}


def part_types(df: Any) -> Any:
    """The fixed column types of a part (so parts concatenate cleanly)."""
    import numpy as np
    import pandas as pd

    return pd.DataFrame({
        "run_id": df["run_id"].astype(str),
        "seed": df["seed"].astype(np.uint64),
        "output": df["output"].astype(object),
        "quarter": pd.array(df["quarter"], dtype="Int32"),
        "value": df["value"].astype(np.float64),
        "error": df["error"].astype(object),
        "seconds": df["seconds"].astype(np.float64),
    })


def _error_text(e: BaseException) -> str:
    from ecosim.errors import InputError

    if isinstance(e, InputError):
        return f"invalid scenario: {e}"
    tb = traceback.extract_tb(e.__traceback__)
    where = f" (at {os.path.basename(tb[-1].filename)}:{tb[-1].lineno})" if tb else ""
    return f"{type(e).__name__}: {e}{where}"


# -------------------------------------------------------------------------------- model
def _model_values(task: dict[str, Any], base: dict[str, Any] | None, overrides: list,
                  seed: int) -> list[tuple[str, int | None, float]]:
    from ecosim.model.simulate import simulate
    from ecosim.scenario.loader import apply_overrides, validate_data
    from ecosim.scenario.schema import Scenario

    assert base is not None
    data = copy.deepcopy(base)
    apply_overrides(data, {}, overrides, Scenario)
    scn = validate_data(data, {}, Scenario, "<run>")
    frame = simulate(scn, int(seed))
    return extract(frame, task["outputs"])


def extract(frame: Any, outputs: list[dict[str, Any]]) -> list[tuple[str, int | None, float]]:
    """The requested outputs from a run's tidy metrics frame, as (label, quarter, value)."""
    import numpy as np

    out: list[tuple[str, int | None, float]] = []
    areas = frame["area"].to_numpy()
    quarters = frame["quarter"].to_numpy()
    rows: dict[Any, Any] = {}  # area -> its rows in quarter order (numpy, not pandas: per run)
    for o in outputs:
        if o["metric"] not in frame.columns:
            raise KeyError(f"metric '{o['metric']}' is not in the model's output")
        if o["area"] not in rows:
            idx = np.flatnonzero(areas == o["area"])
            rows[o["area"]] = idx[np.argsort(quarters[idx], kind="stable")]
        idx = rows[o["area"]]
        if idx.size == 0:
            raise KeyError(f"area '{o['area']}' is not in the model's output")
        q = quarters[idx]
        v = frame[o["metric"]].to_numpy(dtype=float)[idx]
        if o["when"] == "final":
            out.append((o["label"], None, float(v[-1])))
        elif o["when"] == "last_year_mean":
            out.append((o["label"], None, float(v[q > q.max() - 4].mean())))
        else:
            out += [(o["label"], int(qq), float(vv)) for qq, vv in zip(q, v, strict=True)]
    return out


# ---------------------------------------------------------------------- analytic functions
def _function_value(task: dict[str, Any], overrides: list, seed: int) -> float:
    import numpy as np

    opts = task["options"]
    x = np.array([float(v) for _, v in sorted(overrides, key=lambda kv: int(kv[0][1:]))])
    if task["function"] == "ishigami":
        y = ishigami(x[None, :])[0]
    else:
        y = g_function(x[None, :], np.asarray(opts["a"], dtype=float))[0]
    if opts["noise_sd"] > 0:
        y += opts["noise_sd"] * np.random.default_rng(int(seed)).standard_normal()
    if opts["delay_seconds"] > 0:
        time.sleep(opts["delay_seconds"])
    return float(y)


def ishigami(x: Any, a: float = 7.0, b: float = 0.1) -> Any:
    """Ishigami function of x[:, 0..2] on [-pi, pi]^3."""
    import numpy as np

    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def g_function(x: Any, a: Any) -> Any:
    """Sobol's G function of x[:, i] on [0, 1] with coefficients a_i."""
    import numpy as np

    return np.prod((np.abs(4.0 * x - 2.0) + a) / (1.0 + a), axis=1)


def analytic_indices(function: str, a: Any = None) -> dict[str, list[float]]:
    """Exact first-order (S1) and total (ST) Sobol indices of the analytic functions."""
    import numpy as np

    if function == "ishigami":
        aa, bb = 7.0, 0.1
        v1 = 0.5 * (1 + bb * np.pi ** 4 / 5) ** 2
        v2 = aa ** 2 / 8
        v13 = bb ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
        v = v1 + v2 + v13
        return {"S1": [v1 / v, v2 / v, 0.0], "ST": [(v1 + v13) / v, v2 / v, v13 / v]}
    a = np.asarray(a, dtype=float)
    vi = 1.0 / (3.0 * (1.0 + a) ** 2)
    v = np.prod(1.0 + vi) - 1.0
    st = [float(vi[i] * np.prod(np.delete(1.0 + vi, i)) / v) for i in range(len(a))]
    return {"S1": [float(x) for x in vi / v], "ST": st}
