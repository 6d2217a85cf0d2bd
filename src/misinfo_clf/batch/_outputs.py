"""Output paths: refused when they would destroy an input, locked while a run writes them."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from .._formats import InputError

__all__ = ["OutputLock", "check_paths"]


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: equal once resolved (symlinks followed), or, when
    both exist, the same inode (hard links)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_paths(paths: Sequence[Path], output: Path, queue: Path | None) -> None:
    """Refuse outputs that would overwrite an input or each other, before anything is
    written: the output, the queue and the output's parts directory (deleted at the
    end of a run) must not be, or hold, an input or another output."""
    parts = output.with_name(output.name + ".parts").resolve()
    named = [("the output", output)] + ([("the queue", queue)] if queue is not None else [])
    for what, path in named:
        for p in paths:
            if _same_file(path, p):
                raise InputError(
                    f"{what} {path} is the same file as the input {p}: writing it would "
                    "destroy the input. Choose another path."
                )
    if queue is not None and _same_file(queue, output):
        raise InputError(
            f"the queue {queue} is the same file as the output {output}. Choose another path."
        )
    for what, path in [("the input", p) for p in paths] + named:
        if path.resolve().is_relative_to(parts):
            raise InputError(
                f"{what} {path} is inside {parts}, the parts directory of the output, which "
                "each run deletes. Choose another path."
            )


class OutputLock:
    """An exclusive lock on ``PATH.lock`` while a run writes ``PATH`` (and, for the
    output, ``PATH.parts/``): a second run on the same output fails at once.

    ``flock`` locks are released by the kernel when their process ends, however it
    ends; a lock file left by a killed run is taken over by the next one. The file holds
    the pid of the run that has the lock, and is removed when that run ends.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        real = self.path.resolve()  # one lock for every name of the file
        self.lock = real.with_name(real.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover (Windows: no lock)
            return self
        self.lock.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                by = f" (pid {pid})" if pid.isdigit() else ""
                raise InputError(
                    f"another run is writing {self.path}{by}: its lock is {self.lock}. Wait "
                    "for it to end, or write to another path."
                ) from None
            # the run that held the lock may have removed the file meanwhile: lock the
            # file that is at the path now
            try:
                st, held = os.stat(self.lock), os.fstat(fd)
                same = (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.lock)
            os.close(self._fd)
            self._fd = None
