"""SHA-256 of the metrics frame of every scenario, for proving that a refactor changed nothing.

    python benchmarks/metrics_hashes.py          # every scenarios/*.yaml, 1 and 2 threads
    python benchmarks/metrics_hashes.py --threads 1 --set run.horizon_years=2 scenarios/tiny.yaml
                                                              # one scenario, shorter
    python benchmarks/metrics_hashes.py --out before.json --frames before/   # keep hashes, frames
    python benchmarks/metrics_hashes.py --compare before.json --out after.json --frames after/
    python benchmarks/metrics_hashes.py --diff before/ after/  # which columns moved, by how much

Each (scenario, thread count) runs in a fresh process with ``NUMBA_NUM_THREADS`` set (numba reads
it at import), one replication with the scenario's own ``run.seed`` via
``ecosim.model.simulate.simulate``. The hash covers, in column order, each column's name, dtype
and values (numeric columns as little-endian bytes, text columns as UTF-8 joined by NUL), so it
does not depend on the Parquet writer's metadata. Two hashes are equal only if every value of
every metric and ledger column is bit for bit the same. Each column is also hashed alone, so
``--compare`` can say which columns changed, appeared or went; ``--frames DIR`` keeps each frame
as Parquet and ``--diff`` gives the largest absolute and relative change of each changed column.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def column_bytes(col) -> bytes:
    """A column's name, dtype and values as canonical bytes."""
    import numpy as np

    head = str(col.name).encode() + b"\0" + str(col.dtype).encode() + b"\0"
    if not isinstance(col.dtype, np.dtype) or col.dtype == object:  # text columns
        return head + "\0".join(map(str, col.tolist())).encode()
    vals = np.ascontiguousarray(col.to_numpy())
    return head + vals.astype(vals.dtype.newbyteorder("<"), copy=False).tobytes()


def frame_hash(df) -> str:
    """SHA-256 of a metrics frame's column names, dtypes and values, in column order."""
    h = hashlib.sha256()
    for name in df.columns:
        h.update(column_bytes(df[name]) + b"\1")
    return h.hexdigest()


def column_hashes(df) -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of each column alone."""
    return {str(n): hashlib.sha256(column_bytes(df[n])).hexdigest()[:16] for n in df.columns}


def _child(paths: list[str], overrides: list[str], frames: Path | None, threads: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from ecosim.model.simulate import simulate, warmup
    from ecosim.scenario import load_scenario

    warmup(progress_message=False)
    for p in paths:
        scn = load_scenario(p, overrides)
        t0 = time.perf_counter()
        df = simulate(scn, int(scn.run.seed))
        if frames is not None:
            frames.mkdir(parents=True, exist_ok=True)
            tmp = frames / f".{Path(p).stem}-t{threads}.parquet.tmp"
            df.to_parquet(tmp)
            tmp.replace(frames / f"{Path(p).stem}-t{threads}.parquet")
        print(json.dumps({"scenario": Path(p).stem, "hash": frame_hash(df),
                          "column_hashes": column_hashes(df),
                          "rows": len(df), "columns": len(df.columns),
                          "seconds": round(time.perf_counter() - t0, 1)}), flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", help="scenario files (default: scenarios/*.yaml)")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--set", dest="overrides", action="append", default=[],
                    help="override applied to every scenario, e.g. run.horizon_years=2")
    ap.add_argument("--out", type=Path, help="also write the hashes as JSON")
    ap.add_argument("--frames", type=Path, help="keep each metrics frame as Parquet here")
    ap.add_argument("--compare", type=Path, help="a JSON file written by --out to compare with")
    ap.add_argument("--diff", type=Path, nargs=2, metavar=("BEFORE", "AFTER"),
                    help="compare two --frames directories column by column (no runs)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    paths = a.scenarios or sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    if a.diff:
        return _diff(*a.diff)
    if a.child:
        _child(paths, a.overrides, a.frames, os.environ.get("NUMBA_NUM_THREADS", "?"))
        return 0
    before = json.loads(a.compare.read_text()) if a.compare else None
    table: dict[str, dict] = {}
    for t in a.threads:
        env = dict(os.environ, NUMBA_NUM_THREADS=str(t))
        cmd = [sys.executable, __file__, "--child", *paths]
        for o in a.overrides:
            cmd += ["--set", o]
        if a.frames:
            cmd += ["--frames", str(a.frames)]
        with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True) as proc:
            for line in proc.stdout:
                r = json.loads(line)
                entry = table.setdefault(r["scenario"], {})
                entry[str(t)] = r["hash"]
                entry["columns"] = r["column_hashes"]
                note = ""
                if before is not None:
                    note = _compare_note(before.get(r["scenario"]), str(t), r)
                print(f"{r['scenario']:32s} threads={t} {r['hash']} "
                      f"({r['rows']} rows x {r['columns']} cols, {r['seconds']} s){note}",
                      flush=True)
        if proc.returncode:
            return proc.returncode
    for name, by_t in table.items():
        if len({v for k, v in by_t.items() if k != "columns"}) > 1:
            print(f"note: {name} differs between thread counts", flush=True)
    if a.out:
        tmp = a.out.with_suffix(a.out.suffix + ".tmp")
        tmp.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
        tmp.replace(a.out)
    return 0


def _compare_note(old: dict | None, threads: str, r: dict) -> str:
    """' same' or what changed against an earlier --out file."""
    if old is None or threads not in old:
        return " (no earlier hash)"
    if old[threads] == r["hash"]:
        return " same"
    oc, nc = old.get("columns", {}), r["column_hashes"]
    changed = sorted(k for k in oc.keys() & nc.keys() if oc[k] != nc[k])
    added, gone = sorted(nc.keys() - oc.keys()), sorted(oc.keys() - nc.keys())
    parts = [f"changed {changed}" if changed else "", f"added {added}" if added else "",
             f"removed {gone}" if gone else ""]
    if not any(parts):
        parts = ["column order"]
    return " DIFFERS: " + "; ".join(p for p in parts if p)


def _diff(before: Path, after: Path) -> int:
    """Largest absolute and relative change of every numeric column that moved."""
    import numpy as np
    import pandas as pd

    for fb in sorted(before.glob("*.parquet")):
        fa = after / fb.name
        if not fa.exists():
            print(f"{fb.stem}: no frame in {after}")
            continue
        b, a = pd.read_parquet(fb), pd.read_parquet(fa)
        lines = []
        for c in b.columns:
            if c not in a.columns:
                lines.append(f"  {c}: removed")
            elif b[c].dtype.kind == "f" and not np.array_equal(b[c].to_numpy(), a[c].to_numpy(),
                                                                equal_nan=True):
                x, y = b[c].to_numpy(), a[c].to_numpy()
                d = np.abs(y - x)
                rel = d / np.maximum(np.abs(x), 1e-300)
                lines.append(f"  {c}: max |diff| {np.nanmax(d):.6g}, max relative "
                             f"{np.nanmax(np.where(d > 0, rel, 0.0)):.3g}, "
                             f"final-quarter region {x[b['area'] == 'region'][-1]:.6g} -> "
                             f"{y[a['area'] == 'region'][-1]:.6g}")
            elif b[c].dtype.kind != "f" and not b[c].equals(a[c]):
                lines.append(f"  {c}: differs")
        lines += [f"  {c}: added" for c in a.columns if c not in b.columns]
        print(f"{fb.stem}: " + ("identical" if not lines else f"{len(lines)} columns moved"))
        print("\n".join(lines)) if lines else None
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
