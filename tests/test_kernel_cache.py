"""The kernel cache: a directory named by the jitted sources, never stale, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecosim.model import kernel_cache

SRC = Path(kernel_cache.__file__).resolve().parents[1]  # src/ecosim

# Calls a parallel kernel in one module that calls rng.uniform in another (the case numba's own
# cache cannot see), and reports where its machine code went and whether it came from the cache.
PROBE = """
import json, numpy as np
import ecosim, ecosim.model
from ecosim.model import kernel_cache
from ecosim.model.kernels.qualification_award import award
n = 2000
uid = np.arange(n, dtype=np.int64)
completed = np.ones(n, dtype=np.bool_)
course = np.zeros(n, dtype=np.int64)
before = np.zeros(n, dtype=np.int64)
level = np.ones(n, dtype=np.int64)
share = np.array([0.5])
out = np.zeros(n, dtype=np.bool_)
award(np.uint64(7), np.int64(3), uid, completed, course, before, level, share,
      np.ones(n), out)
print(json.dumps({"file": ecosim.__file__, "dir": str(kernel_cache.cache_dir()),
                  "awarded": int(out.sum()), "first": [int(x) for x in np.flatnonzero(out)[:8]],
                  "hits": sum(award.stats.cache_hits.values()),
                  "misses": sum(award.stats.cache_misses.values())}))
"""


def _probe(pkg_root: Path, cache: Path) -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": str(pkg_root), "ECOSIM_CACHE_DIR": str(cache)}
    env.pop("NUMBA_CACHE_DIR", None)
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env,
                       timeout=300, cwd=pkg_root)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1]), r.stderr


def test_changed_rng_source_gets_a_new_cache_directory_and_new_results(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(SRC, pkg / "ecosim", ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "cache"

    first, _ = _probe(pkg, cache)
    assert first["file"].startswith(str(pkg))  # the copy, not the installed package
    assert Path(first["dir"]).parent == cache and Path(first["dir"]).name.startswith("numba-")
    assert first["misses"] >= 1 and first["hits"] == 0
    assert any(Path(first["dir"]).rglob("qualification_award.award-*.nbi"))

    again, _ = _probe(pkg, cache)  # same sources: machine code comes from the cache
    assert again["dir"] == first["dir"] and again["hits"] >= 1 and again["misses"] == 0
    assert again["awarded"] == first["awarded"] and again["first"] == first["first"]

    # Edit rng.py only (the kernel's own file is unchanged): uniform() now returns 1 - u.
    rng = pkg / "ecosim" / "model" / "rng.py"
    text = rng.read_text()
    marker = '    u, _ = uniform2(seed, agent, quarter, purpose, k)\n    return u\n'
    assert marker in text
    rng.write_text(text.replace(marker, marker.replace("return u", "return 1.0 - u")))

    edited, _ = _probe(pkg, cache)
    assert edited["dir"] != first["dir"]
    assert edited["misses"] >= 1 and edited["hits"] == 0  # compiled afresh, not loaded
    assert edited["first"] != first["first"]  # and the new source's draws are used


def test_hash_covers_kernels_rng_and_the_constants_they_read(tmp_path):
    files = {p.relative_to(SRC).as_posix() for p in kernel_cache.jitted_sources()}
    for must in ("model/rng.py", "model/state.py", "model/policies/common.py",
                 "model/kernels/job_matching.py", "model/kernels/wages.py"):
        assert must in files
    assert "model/model.py" not in files  # unrelated edits keep the cache warm
    copy = tmp_path / "ecosim"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    h0 = kernel_cache.source_hash(copy)
    assert kernel_cache.source_hash(copy) == h0
    state = copy / "model" / "state.py"
    state.write_text(state.read_text() + "\n# edited\n")
    assert kernel_cache.source_hash(copy) != h0


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only directory; the "
                    "file-as-parent test below covers the fallback")
def test_unwritable_cache_dir_warns_once_and_still_runs(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    _check_fallback(ro)


def test_cache_dir_under_a_file_warns_once_and_still_runs(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    _check_fallback(blocker)


def _check_fallback(base: Path) -> None:
    code = ("from ecosim.model import kernel_cache, rng; import numpy as np;"
            "print(rng.split_seed(np.uint64(5)), kernel_cache.cache_dir())")
    env = {**os.environ, "ECOSIM_CACHE_DIR": str(base)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    warnings = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(warnings) == 1 and "kernel cache" in warnings[0], r.stderr
    assert str(base) in warnings[0] and "Traceback" not in r.stderr
    assert str(base) not in r.stdout  # compiled into a per-process directory instead
