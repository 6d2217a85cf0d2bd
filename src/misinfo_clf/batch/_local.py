"""The local engine: chunks scored in this process or in worker processes, with resume."""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import time
from pathlib import Path

import pandas as pd

from .._formats import detect_format
from .._model import Model
from .._progress import RowProgress
from ._chunk import RowCache, score_chunk
from ._memory import release_free_memory, system_arrow_pool
from ._pool import default_jobs, run_pool
from ._read import SOURCE_COL, Chunk, read_chunks, reader_columns
from ._resume import Parts, fingerprint, skip_done
from ._schema import ModelSchema, prob_columns, resolve_model
from ._summary import queue_shares
from ._work import ChunkWork, Done, work_chunk
from ._write import Writer, join_parts, write_queue

__all__ = ["score_local"]

log = logging.getLogger(__name__)


def score_local(
    t0,
    paths,
    output,
    queue_path,
    *,
    model,
    text_col,
    id_col,
    jobs,
    chunk_size,
    resume,
    scheduler,
    progress,
    dedupe,
    queue_abstain,
    keep,
    queue_filter=None,
) -> dict:
    """The local engine of :func:`score_file`, once the paths are checked and locked."""
    if scheduler is not None:
        log.warning("scheduler=%r is ignored by the local engine", scheduler)
    # A model directory is loaded by the worker processes only: this process reads its
    # manifest, and loads the model only if it ends up scoring chunks itself.
    if model is None or isinstance(model, str | os.PathLike):
        model = ModelSchema(model)
    else:
        model = resolve_model(model)
    auto_jobs = jobs is None
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}.")
    with_source = len(paths) > 1
    keep, meta = reader_columns(model, paths, keep, text_col, id_col)
    fp = fingerprint(paths, model, text_col, id_col, chunk_size, dedupe, queue_path, queue_abstain)
    fp["keep"] = keep
    fmt, gz = detect_format(output)
    text_out = fmt != "parquet"  # workers encode their rows; parts are laid end to end
    parts = Parts.open(output, fp, resume, encoded=text_out)
    resumed_rows = parts.counts.rows_read
    chunks = read_chunks(paths, text_col=text_col, id_col=id_col, meta=meta, chunk_size=chunk_size)
    bar = RowProgress(progress, resumed_rows=resumed_rows)
    work = ChunkWork(
        text_col=text_col,
        id_col=id_col,
        dedupe=dedupe,
        keep=tuple(keep),
        with_source=with_source,
        queue=bool(queue_path),
        queue_abstain=queue_abstain,
        columns=tuple(_columns(model, id_col, keep, with_source)),
        encode=(fmt, gz) if text_out else None,
    )

    def finish(k: int, chunk: Chunk, done: Done) -> None:
        # this process only writes: rows, queue candidates and keys came from the worker
        parts.commit(k, done)
        release_free_memory()
        bar.update(parts.counts.rows_read - resumed_rows, chunk.position)

    with system_arrow_pool():  # freed memory goes back to the system (see _memory)
        try:
            todo = skip_done(chunks, parts.chunks_done)
            if auto_jobs and jobs > 1:
                # a single chunk is scored in this process: starting workers costs seconds
                first = list(itertools.islice(todo, 2))
                todo = itertools.chain(first, todo)
                if len(first) < 2:
                    jobs = 1
            if jobs == 1:
                if isinstance(model, ModelSchema):
                    model = model.load()
                cache = RowCache()  # rows of reposts seen in earlier chunks
                for k, chunk in todo:
                    finish(k, chunk, work_chunk(model, chunk, work, score_chunk, cache))
            else:
                run_pool(model, work, jobs, todo, finish)
            bar.update(parts.counts.rows_read - resumed_rows, 1.0)
        finally:
            bar.close()
        summary = _finalize(
            parts, model, output, queue_path, id_col, with_source, keep, queue_filter=queue_filter
        )
    seconds = time.monotonic() - t0
    summary.update(
        seconds=round(seconds, 3),
        rows_per_s=round((summary["rows_read"] - resumed_rows) / seconds, 1) if seconds else None,
        resumed_rows=resumed_rows,
        jobs=jobs,
        engine="local",
    )
    return summary


def _columns(model, id_col, keep, with_source) -> list[str]:
    """The output file's columns."""
    return model.output_columns(id_col) + list(keep) + ([SOURCE_COL] if with_source else [])


def _finalize(
    parts: Parts,
    model: Model,
    output: Path,
    queue_path,
    id_col,
    with_source,
    keep=(),
    queue_filter=None,
) -> dict:
    columns = _columns(model, id_col, keep, with_source)
    if parts.encoded:
        join_parts(output, columns, [parts.part(k) for k in range(parts.chunks_done)])
    else:
        writer = Writer(output, prob_columns(model))
        try:
            for k in range(parts.chunks_done):
                writer.write(pd.read_parquet(parts.part(k))[columns])
            writer.commit(columns)
        except BaseException:
            writer.abort()
            raise
    summary = {"output": str(output), **parts.counts.__dict__, "queue": None}
    summary.update(queue_shares(model, summary))
    if queue_path is not None:
        spill = parts.queue
        summary.update(
            write_queue(
                spill,
                spill.chunks(parts.chunks_done),
                columns,
                id_col,
                queue_path,
                summary,
                queue_filter,
            )
        )
    shutil.rmtree(parts.dir, ignore_errors=True)
    return summary
