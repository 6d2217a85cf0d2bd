"""The progress line of a batch run (rows, rows/s, ETA on stderr)."""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    """rows, rows/s and ETA on one stderr line, only when stderr is a terminal."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else bool(enabled)
        self.t0 = time.monotonic()
        self._last = 0.0

    def update(self, rows: int, fraction: float, start_fraction: float = 0.0, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.25:
            return
        self._last = now
        elapsed = max(now - self.t0, 1e-9)
        rate = rows / elapsed
        done = fraction - start_fraction
        eta = elapsed * (1 - fraction) / done if done > 0 else float("nan")
        eta_s = time.strftime("%H:%M:%S", time.gmtime(eta)) if eta == eta else "--:--:--"
        sys.stderr.write(
            f"\rscoring: {rows:,} rows  {rate:,.0f} rows/s  {fraction:6.1%}  ETA {eta_s} "
        )
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
