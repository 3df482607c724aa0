"""Start solara servers as subprocesses on free loopback ports, for the browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float,
                  ready_text: str | None = None) -> None:
    """Until the port accepts connections (and ``ready_text`` is in the server's output)."""
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{read_log(proc)}")
        if ready_text is not None and ready_text not in read_log(proc):
            time.sleep(0.2)
            continue
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server on port {port} not up after {timeout:.0f}s:\n{read_log(proc)}")


def read_log(proc: subprocess.Popen) -> str:
    path = getattr(proc, "log_path", None)
    return Path(path).read_text(errors="replace") if path else ""


@contextmanager
def server_process(args: list[str], port: int, log_path: Path, timeout: float = 240.0,
                   ready_text: str | None = None) -> Iterator[subprocess.Popen]:
    """Run ``python args...`` (output to ``log_path``) until the port answers; stop it after."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, *args], cwd=REPO, stdout=log,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    proc.log_path = log_path  # type: ignore[attr-defined]
    try:
        wait_for_port(port, proc, timeout, ready_text)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def hello_server_args(port: int) -> list[str]:
    code = ("import sys; from ecosim.viz.server import bind_socket, serve; "
            f"serve('tests/viz_hello_app.py', bind_socket('127.0.0.1', {port}))")
    return ["-c", code]


def viz_server_args(port: int, *extra: str) -> list[str]:
    return ["-m", "ecosim", "viz", "--no-open", "--port", str(port), *extra]


def rss_mb(pid: int) -> float:
    """Resident memory of a process (MB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS")
