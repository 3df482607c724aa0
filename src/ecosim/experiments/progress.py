"""The sweep's progress bar on stderr: runs done, failures, runs per second and time left."""

from __future__ import annotations

import sys
import time


class SweepProgress:
    """A tqdm bar over runs, updated as each task's results arrive (or silent)."""

    def __init__(self, total: int, enabled: bool, desc: str, waiting: str | None = None):
        self.bar = None
        self.failed = 0
        self.desc = desc
        self.t0 = time.perf_counter()
        if enabled and total > 0:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="run", desc=waiting or desc, file=sys.stderr,
                            dynamic_ncols=True, smoothing=0.05)
            self.bar.set_postfix_str("failed=0", refresh=True)

    def update(self, done: int, failed: int) -> None:
        """Count ``done`` finished runs of which ``failed`` failed."""
        self.failed += failed
        if self.bar is not None:
            if self.bar.desc != self.desc:
                self.bar.set_description_str(self.desc, refresh=False)
            self.bar.set_postfix_str(f"failed={self.failed}", refresh=False)
            self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
