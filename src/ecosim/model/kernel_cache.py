"""Where numba keeps ecosim's compiled kernels, chosen so that a stale cache cannot be used.

numba's own cache checks only the source file of the function it compiles. A kernel that calls
``rng.uniform`` (another module) or reads a constant from ``state.py`` would keep using old
machine code after either file changed. So every kernel is compiled with ``cache=True`` into a
directory whose name is a hash of:

- the source of every ecosim module that defines numba functions (found by scanning
  ``src/ecosim`` for ``numba`` imports) and of every ecosim module those import (constants
  such as ``EMPLOYED`` or ``Purpose`` are frozen into the machine code);
- the numba, numpy and Python versions and the CPU name.

Any change to those gives a new directory, so old machine code is never loaded. The directory
is ``<base>/numba-<hash>``, where ``<base>`` is ``$ECOSIM_CACHE_DIR``, else ``$NUMBA_CACHE_DIR``,
else the user's cache directory (``$XDG_CACHE_HOME/ecosim`` or ``~/.cache/ecosim``). If it
cannot be created or written, kernels compile for this process only (a private temporary
directory, removed at exit) after one warning line on stderr; nothing crashes.

``configure()`` must run before any kernel module is imported, because numba fixes a function's
cache location when the decorator runs; ``ecosim/model/__init__.py`` calls it first thing, and
every kernel module lives inside ``ecosim.model``, so Python runs it before any of them.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # src/ecosim
_NUMBA_IMPORT = re.compile(r"^\s*(import numba|from numba\b)", re.M)
_ECOSIM_IMPORT = re.compile(
    r"^\s*(?:from\s+(ecosim(?:\.\w+)*)\s+import|import\s+(ecosim(?:\.\w+)*))", re.M)

_configured: Path | None = None


def _module_file(dotted: str, root: Path) -> Path | None:
    """The source file of an ecosim module name under package directory ``root``, or None."""
    parts = dotted.split(".")[1:]
    base = root.joinpath(*parts)
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def jitted_sources(root: Path = PACKAGE_ROOT) -> list[Path]:
    """Every module under ``root`` that imports numba, plus the ecosim modules they import
    (transitively), sorted by path."""
    todo = [p for p in sorted(root.rglob("*.py")) if _NUMBA_IMPORT.search(p.read_text())]
    todo = [p for p in todo if p.resolve() != Path(__file__).resolve()]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for m in _ECOSIM_IMPORT.finditer(path.read_text()):
            dep = _module_file(m.group(1) or m.group(2), root)
            if dep is not None and dep not in seen:
                todo.append(dep)
    return sorted(seen)


def _cpu_name() -> str:
    try:
        import llvmlite.binding as llvm

        return llvm.get_host_cpu_name()
    except Exception:  # noqa: BLE001 - any failure: fall back to what the OS reports
        return platform.processor() or platform.machine()


def source_hash(root: Path = PACKAGE_ROOT) -> str:
    """Hash of the jitted sources (relative path and bytes) and the toolchain; 16 hex digits."""
    import numba
    import numpy

    h = hashlib.sha256()
    for path in jitted_sources(root):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for part in (numba.__version__, numpy.__version__, sys.version, _cpu_name()):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:16]


def base_dir() -> Path:
    """``$ECOSIM_CACHE_DIR``, else ``$NUMBA_CACHE_DIR``, else the user's cache directory."""
    for var in ("ECOSIM_CACHE_DIR", "NUMBA_CACHE_DIR"):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ecosim"


def _writable(path: Path) -> str | None:
    """None if ``path`` can be created and written; otherwise the reason."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def configure() -> Path:
    """Point numba's cache at ``<base>/numba-<hash>`` (or a private temporary directory if that
    is not writable); return the directory. Idempotent; call before importing any kernel."""
    global _configured
    if _configured is not None:
        return _configured
    from numba.core import config

    wanted = base_dir() / f"numba-{source_hash()}"
    reason = _writable(wanted)
    if reason is None:
        chosen = wanted
    else:
        chosen = Path(tempfile.mkdtemp(prefix="ecosim-numba-"))
        atexit.register(shutil.rmtree, chosen, ignore_errors=True)
        print(f"warning: kernel cache {wanted} is not usable ({reason}); compiling kernels for "
              f"this process only (set ECOSIM_CACHE_DIR to a writable directory to keep them)",
              file=sys.stderr, flush=True)
    # numba reads config.CACHE_DIR when a @njit(cache=True) decorator runs; reload_config() only
    # re-reads it if a NUMBA_* environment variable changes, and by then every kernel has its
    # location already.
    config.CACHE_DIR = str(chosen)
    _configured = chosen
    return chosen


def cache_dir() -> Path:
    """The directory in use (configuring it if needed)."""
    return configure()


@contextlib.contextmanager
def announce_compiles(message: str) -> Iterator[None]:
    """While active, print ``message`` once on stderr when numba actually compiles an ecosim
    function (a cache miss); loading machine code from the cache prints nothing."""
    from numba.core import event

    class _Once(event.Listener):
        said = False

        def on_start(self, ev: event.Event) -> None:
            if self.said:
                return
            disp = (ev.data or {}).get("dispatcher")
            mod = getattr(getattr(disp, "py_func", None), "__module__", "") or ""
            if mod.startswith("ecosim."):
                self.said = True
                print(message, file=sys.stderr, flush=True)

        def on_end(self, ev: event.Event) -> None:
            pass

    with event.install_listener("numba:compile", _Once()):
        yield
