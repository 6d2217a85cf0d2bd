"""The entry point of batch scoring: check the arguments, lock the outputs, pick an engine."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from pathlib import Path

from .._formats import detect_format
from ._local import score_local
from ._outputs import OutputLock, check_paths
from ._read import DEFAULT_CHUNK_SIZE, expand_inputs
from ._schema import resolve_model

__all__ = ["score_file"]


def score_file(
    inputs,
    output,
    *,
    model=None,
    text_col: str = "text",
    id_col: str = "id",
    jobs: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    resume: bool = False,
    queue=None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    dedupe: bool = True,
    queue_abstain: bool = False,
    keep: Sequence[str] | None = None,
    reviewed=None,
    reviewed_mode: str = "exclude",
) -> dict:
    """Score post dumps file to file; every input row gives one output row, in order.

    Parameters
    ----------
    inputs : path, glob or sequence of them
        CSV, TSV, JSONL or Parquet files (``.gz`` for the text formats).
    output : path
        ``.csv``, ``.tsv``, ``.jsonl`` (optionally ``.gz``) or ``.parquet``. Columns:
        :meth:`Model.output_columns` for ``id_col``, plus ``source`` (the input
        path) when there are several input files. Written atomically, under an
        exclusive lock (``OUTPUT.lock``) that a second run on the same output cannot
        take. In CSV/TSV, a cell that a spreadsheet would run as a formula (leading
        ``= + - @``, tab or carriage return) or that starts with ``'`` is written with
        a ``'`` in front; :func:`read_output` removes it. JSONL and Parquet are exact.
        Lone surrogates (from JSON escapes), which UTF-8 cannot encode, become U+FFFD.
    model : Model, path or None
        A loaded model, a model directory, or ``None`` for the default model.
    text_col, id_col : str
        Input columns (keys in JSONL). Rows without an id get ``FILE:LINE``.
    jobs : int, optional
        Worker processes (default: all cores). ``1`` scores in this process.
    chunk_size : int
        Rows per chunk: the unit of parallel work, of dedupe and of ``resume``.
    resume : bool
        Continue from ``OUTPUT.parts/`` left by an interrupted run with the same
        inputs, model and options. Without it, leftover parts are deleted.
    queue : path, optional
        Also write the review queue (see :func:`~misinfo_clf.build_queue`): flag and
        review rows with status ``ok``, with the same cell rules as ``output``. Rows
        with an error status are not in it.
    engine : {"local", "dask"}
    scheduler : str, optional
        Dask scheduler address; without it a local cluster is started.
    progress : bool, optional
        Progress bar on stderr; default: only when stderr is a terminal.
    dedupe : bool, default=True
        Score identical posts (after normalization) once per chunk.
    keep : sequence of str, optional
        Input columns carried, as text, into the output and the queue (a post's url,
        author, time, page) so that a reviewer can open it. Default: the metadata columns
        the model reads (likes, comments, shares) that the inputs have. An empty list
        keeps none; a named column the inputs lack comes out empty.
    reviewed : path or DataFrame, optional
        Posts reviewed already (``misinfo-clf review-import``): with ``reviewed_mode``
        ``"exclude"`` they and their near-duplicates are left out of the queue (the
        output still scores every row); with ``"label"`` they stay, with the reviewers'
        classes as ``reviewed_<head>`` columns (see :func:`~misinfo_clf._reviewed.mark_reviewed`).
    queue_abstain : bool, default=False
        Also put the rows that abstain (no text: missing, blank, only links or
        emoji) in the queue, after every flag and review group.

    Returns
    -------
    dict
        ``rows_read``, ``rows_scored``, ``rows_abstained`` (status ``ok``, decision
        ``abstain``: no text), ``rows_errored``, ``flagged``, ``review``,
        ``passed``, ``queue_rows``, ``queue_groups``, ``seconds``, ``rows_per_s``,
        ``output``, ``queue``, ``resumed_rows``.

    Raises
    ------
    FileNotFoundError
        An input file is missing.
    InputError
        Unknown format, the text column is missing (the message lists the columns), a
        file is not UTF-8 (UTF-16, UTF-32, an 8-bit encoding), not gzip although named
        ``.gz``, or not Parquet; the output, queue or ``OUTPUT.parts/`` is an input or
        another output; another run holds the lock on the output or the queue.

    Notes
    -----
    Damage after the start of a file (a truncated gzip, a corrupt Parquet row group)
    gives the rows read before it and one error row naming the file. A CSV record with
    broken quoting (a quote left open) is one error row, and reading starts again at
    the line after the one where it began.
    """
    t0 = time.monotonic()
    paths = expand_inputs(inputs)
    output = Path(output)
    detect_format(output)
    queue_path = Path(queue) if queue is not None else None
    if queue_path is not None and queue_path.suffix.lower() not in (".html", ".htm"):
        detect_format(queue_path)  # .html: the review page
    check_paths(paths, output, queue_path)
    queue_filter = None
    if reviewed is not None:
        if queue_path is None:
            raise ValueError("reviewed posts are left out of the queue: give a queue path too.")
        from .._reviewed import reviewed_filter

        # read (and checked) before scoring: a bad file fails now, not after the run
        queue_filter = reviewed_filter(reviewed, id_col=id_col, mode=reviewed_mode)
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', got {engine!r}.")
    if engine == "dask" and resume:
        raise ValueError("resume is not supported by the dask engine; rerun the job.")
    if keep is not None:
        if isinstance(keep, str):
            raise TypeError(f"keep must be a list of column names, got the string {keep!r}.")
        keep = list(dict.fromkeys(str(c) for c in keep))
        clash = [c for c in keep if c in (text_col, id_col)]
        if clash:
            raise ValueError(f"keep: {clash} are already in the output (text or id column).")
    with contextlib.ExitStack() as locks:
        for path in (output, queue_path):
            if path is not None:
                locks.enter_context(OutputLock(path))
        if engine == "dask":
            from ._dask import score_dask

            return score_dask(
                paths,
                output,
                model=resolve_model(model),
                text_col=text_col,
                id_col=id_col,
                queue=queue_path,
                scheduler=scheduler,
                progress=progress,
                dedupe=dedupe,
                queue_abstain=queue_abstain,
                keep=keep,
                queue_filter=queue_filter,
            )
        return score_local(
            t0,
            paths,
            output,
            queue_path,
            model=model,
            text_col=text_col,
            id_col=id_col,
            jobs=jobs,
            chunk_size=chunk_size,
            resume=resume,
            scheduler=scheduler,
            progress=progress,
            dedupe=dedupe,
            queue_abstain=queue_abstain,
            keep=keep,
            queue_filter=queue_filter,
        )
