"""One chunk's work in a worker: its scored rows, and its queue candidates with their keys.

Everything a post needs is computed where it is scored: the main process only writes
what comes back (the scored rows, the queue candidates, and the small keys the queue
is later ordered by: see :mod:`misinfo_clf.batch._spill`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._model import Model
from .._queue import CANONICAL_COL, queue_candidates_keyed, reach_of
from ._chunk import RowCache, score_chunk
from ._read import SOURCE_COL, Chunk, context_text
from ._summary import Counts
from ._write import encode_part

__all__ = ["ChunkWork", "Done", "work_chunk"]


@dataclass(frozen=True)
class ChunkWork:
    """What the engine asks of every chunk."""

    text_col: str
    id_col: str | None
    dedupe: bool = True
    #: context columns kept in the output (and the queue), as text
    keep: tuple[str, ...] = ()
    with_source: bool = False
    queue: bool = False
    queue_abstain: bool = False
    #: the output's columns, and (format, gzip) when the output is a text format: the
    #: worker then encodes its rows (:func:`~misinfo_clf.batch._write.encode_part`) and
    #: the main process only lays the parts end to end
    columns: tuple[str, ...] = ()
    encode: tuple[str, bool] | None = None


@dataclass
class Done:
    """A scored chunk: its output rows (a frame, or ``encoded`` as the output holds them),
    their counts, and its queue candidates and keys (or None)."""

    out: pd.DataFrame | None
    counts: Counts
    queue_rows: pd.DataFrame | None = None
    queue_keys: dict | None = None
    encoded: bytes | None = None


def work_chunk(
    model: Model, chunk: Chunk, w: ChunkWork, score=score_chunk, cache: RowCache | None = None
) -> Done:
    """Score ``chunk`` (``score``: :func:`score_chunk`, with the run's ``cache`` of rows of
    earlier chunks) and collect its queue candidates."""
    extra = {} if cache is None else {"cache": cache}
    out = score(
        model, chunk.frame, w.text_col, w.id_col, dedupe=w.dedupe, canonical=w.queue, **extra
    )
    # the canonical text scoring computed (normalize_post, once a post): the queue's keys
    canonical = out.pop(CANONICAL_COL).tolist() if CANONICAL_COL in out.columns else None
    for c in w.keep:
        out[c] = context_text(chunk.frame[c]).to_numpy()
    if w.with_source:
        out[SOURCE_COL] = chunk.source
    rows = keys = None
    if w.queue:
        rows, keys = queue_candidates_keyed(
            out,
            chunk.frame[w.text_col].tolist(),
            w.id_col,
            abstain=w.queue_abstain,
            reach=reach_of(chunk.frame),
            context=w.keep,
            canonical=canonical,
        )
    counts = Counts()
    counts.add(out)
    if w.encode is None:
        return Done(out, counts, rows, keys)
    return Done(None, counts, rows, keys, encode_part(out[list(w.columns)], *w.encode))
