"""Progress on stderr for the long jobs (score, train, evaluate): one look, tqdm bars.

``progress=None`` (the default of every entry point) shows a bar only when stderr is a
terminal; ``True`` always, ``False`` never (``--quiet`` on the command line). A bar
never goes to stdout, where the commands print their results.
"""

from __future__ import annotations

import logging
import sys
import time

from tqdm import tqdm

from ._types import Progress

__all__ = ["Progress", "RowProgress", "Steps", "cli_steps", "progress_bar", "wanted"]


def wanted(progress: bool | None) -> bool:
    """Whether to show a bar: ``None`` means only when stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else bool(progress)


def cli_steps(quiet: bool) -> Progress:
    """The ``progress`` of a long command's steps (train, evaluate): a bar on a terminal;
    otherwise (a log file, CI) one plain line per step on stderr, so a job of minutes
    is not silent; nothing with ``--quiet``."""
    if quiet:
        return False
    if sys.stderr.isatty():
        return None

    def line(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    return line


def progress_bar(
    desc: str, *, unit: str, enabled: bool | None, total: float | None = None, initial: int = 0
) -> tqdm:
    """A tqdm bar on stderr, disabled unless :func:`wanted`."""
    return tqdm(
        desc=desc,
        unit=unit,
        total=total,
        initial=initial,
        disable=not wanted(enabled),
        file=sys.stderr,
        unit_scale=False,  # exact counts: 50/364, not 50.0/364
        mininterval=0.25,
        dynamic_ncols=True,
        leave=True,
    )


class RowProgress:
    """Rows done, rows/s and, once part of the input is read, percent and ETA.

    The total number of rows is not known before the end: it is estimated from the
    share of the input read so far (bytes for the local engine, partitions for Dask).
    """

    def __init__(self, enabled: bool | None, *, desc: str = "score", resumed_rows: int = 0):
        self.resumed = resumed_rows
        self.bar = progress_bar(desc, unit=" rows", enabled=enabled, initial=resumed_rows)

    def update(self, rows: int, fraction: float) -> None:
        """``rows`` done by this run; ``fraction`` of the whole input read so far."""
        if self.bar.disable:
            return
        done = self.resumed + rows
        if fraction >= 1.0:
            self.bar.total = done
        elif fraction > 0:
            self.bar.total = max(done, round(done / fraction))
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class Steps:
    """Named steps of a long job (train, evaluate), each with the elapsed time.

    Every step is logged (INFO). With ``progress`` a callable, it gets each line
    (``"[   12.3s] message"``); otherwise a bar on stderr (see :func:`wanted`) counts the
    steps and shows the current one.
    """

    def __init__(
        self,
        desc: str,
        progress: Progress,
        logger: logging.Logger,
        *,
        total: int | None = None,
    ):
        self.start = time.perf_counter()
        self.progress = progress
        self.log = logger
        self.bar = progress_bar(
            desc,
            unit=" steps",
            enabled=False if callable(progress) else progress,
            total=total,
        )
        self._running = False  # a step shown on the bar and not yet counted

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def __call__(self, message: str) -> None:
        line = f"[{self.elapsed:7.1f}s] {message}"
        self.log.info(line)
        if callable(self.progress):
            self.progress(line)
        elif not self.bar.disable:
            # the bar counts the steps done and shows the one in progress
            self.bar.set_postfix_str(message, refresh=not self._running)
            if self._running:
                self.bar.update(1)
            self._running = True

    def close(self) -> None:
        if self._running:
            self.bar.update(1)
            self._running = False
        self.bar.close()
