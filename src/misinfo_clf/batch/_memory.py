"""Keeping a batch run's processes at the memory they use, not the most they ever used.

Freed memory does not always go back to the system: Arrow's default allocator
(mimalloc, which pandas' ``str`` columns and Parquet reads use) and glibc's ``malloc``
keep it for reuse, so a process that handled one large chunk keeps its size. The
worker processes (ours alone) use Arrow's system allocator for the whole run and give
free heap memory back after each chunk; the main process does the same while it
writes the queue.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
from collections.abc import Iterator

__all__ = ["release_free_memory", "system_arrow_pool"]


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        return None


def release_free_memory() -> None:
    """Give the free memory of the heap and of Arrow's pool back to the system."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:  # pragma: no cover (pyarrow is a dependency)
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def use_system_arrow_pool() -> None:
    """Arrow allocates with ``malloc`` in this process (a worker process of ours)."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


@contextlib.contextmanager
def system_arrow_pool() -> Iterator[None]:
    """Arrow allocates with ``malloc`` inside the block (buffers keep the pool they
    came from, so switching back is safe); free memory is given back at the end."""
    import pyarrow as pa

    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)
        release_free_memory()
