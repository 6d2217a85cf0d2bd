"""Worker processes of the local engine: one model per worker, chunks scored in order."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import Future, ProcessPoolExecutor

from ._chunk import RowCache
from ._memory import release_free_memory, use_system_arrow_pool
from ._read import Chunk
from ._schema import ModelSchema
from ._work import ChunkWork, Done, work_chunk

__all__ = ["default_jobs", "run_pool"]

_WORKER: dict = {}


def _exit_with_parent(parent) -> None:
    """Block until the main process is gone, then end this worker at once.

    ``parent`` is the read end of a pipe whose only write end the main process holds:
    the read returns (end of file) when the main process ends, even by SIGKILL, which
    no cleanup code of its own sees. Works with every start method (the parent of a
    forkserver worker is the fork server, not the main process).
    """
    with contextlib.suppress(EOFError, OSError):
        parent.recv_bytes()
    os._exit(1)


def _init_worker(model, options: ChunkWork, parent=None) -> None:
    if parent is not None:
        import threading

        threading.Thread(
            target=_exit_with_parent, args=(parent,), name="exit-with-parent", daemon=True
        ).start()
    # one model per worker process, loaded once: from its directory when the main
    # process only holds the schema, else unpickled from the initializer arguments
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    use_system_arrow_pool()  # freed memory goes back (see _memory); this process is ours
    try:
        _WORKER["model"] = model.load() if isinstance(model, ModelSchema) else model
    except Exception as exc:  # raised again by _work, so the caller sees the real error
        _WORKER["error"] = exc
    _WORKER["options"] = options
    _WORKER["cache"] = RowCache()  # rows of reposts, for this worker's part of the run


def _work(chunk: Chunk) -> Done:
    if "error" in _WORKER:
        raise _WORKER["error"]
    done = work_chunk(_WORKER["model"], chunk, _WORKER["options"], cache=_WORKER["cache"])
    release_free_memory()  # the chunk's temporaries: a worker stays at its working size
    return done


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (macOS, Windows)
        return os.cpu_count() or 1


def run_pool(model, options: ChunkWork, jobs, todo, finish) -> None:
    """Score chunks in ``jobs`` processes, at most ``2 * jobs`` in flight; results in order."""
    import multiprocessing as mp

    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    if ctx.get_start_method() == "forkserver":
        # the fork server imports only what the pool needs (and gets this sys.path): each
        # worker imports misinfo_clf and loads the model itself, in parallel. Preloading
        # misinfo_clf there would keep a third copy of it alive for the whole run (about
        # 100 MB) to save a fraction of a second per worker.
        ctx.set_forkserver_preload(["concurrent.futures.process"])
    max_in_flight = 2 * jobs
    pending: dict[int, tuple[Chunk, Future]] = {}
    # workers end when this process ends, however it ends (see _exit_with_parent)
    alive_r, alive_w = ctx.Pipe(duplex=False)
    with (
        contextlib.closing(alive_r),
        contextlib.closing(alive_w),
        ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(model, options, alive_r),
        ) as pool,
    ):
        next_k = -1  # the first chunk to finish: the first one given
        for k, chunk in todo:
            if next_k < 0:
                next_k = k
            pending[k] = (chunk, pool.submit(_work, chunk))
            while len(pending) >= max_in_flight:
                c, fut = pending.pop(next_k)
                finish(next_k, c, fut.result())
                next_k += 1
        while pending:
            c, fut = pending.pop(next_k)
            finish(next_k, c, fut.result())
            next_k += 1
