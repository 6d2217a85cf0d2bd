"""Scoring one chunk: identical posts scored once, reader errors kept as rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._model import Model, score_frame
from .._queue import CANONICAL_COL
from .._validation import is_missing
from ._read import ERROR_COL

__all__ = ["CANONICAL_COL", "error_template", "score_chunk"]


def error_template(model: Model) -> pd.DataFrame:
    """One row as score_frame gives for an unreadable input (NaN probabilities, review)."""
    row = score_frame(model, pd.DataFrame({"text": pd.Series([b"\xff"], dtype=object)}))
    return row


def score_chunk(
    model: Model,
    chunk: pd.DataFrame,
    text_col: str = "text",
    id_col: str | None = "id",
    *,
    dedupe: bool = True,
    explain: bool = True,
    canonical: bool = False,
) -> pd.DataFrame:
    """:func:`~misinfo_clf.score_frame` over a chunk, scoring identical posts once.

    Rows whose reader error (:data:`ERROR_COL`) is set are not scored: they get that
    ``error: ...`` status, NaN probabilities and ``review`` decisions. Every other
    value goes to ``score_frame``, which applies the one rule of
    :mod:`misinfo_clf._validation` (missing or blank text abstains). With ``dedupe``,
    posts with the same raw text (and the same metadata values) go to ``score_frame``
    once and the result is broadcast; ``score_frame`` itself scores posts with the same
    canonical text once and maps their reasons to each one's raw text.
    ``canonical``: also return :data:`~misinfo_clf._queue.CANONICAL_COL`, the canonical
    text of the rows that can enter the review queue (decision flag, review or abstain,
    status ok; None elsewhere), which the queue's keys read instead of normalizing again
    (see :func:`~misinfo_clf.batch._work.work_chunk`).

    Returns a frame with ``model.output_columns(id_col)`` and a fresh RangeIndex.
    """
    n = len(chunk)
    texts = chunk[text_col].tolist()
    errors = chunk[ERROR_COL].tolist() if ERROR_COL in chunk.columns else [None] * n
    status: dict[int, str] = {}
    good: list[int] = []
    for i, e in enumerate(errors):
        if isinstance(e, str) and e:
            status[i] = e
        else:
            good.append(i)
    meta_cols = [c for c in model.metadata_columns if c in chunk.columns and c != text_col]
    pieces: list[pd.DataFrame] = []
    row_of = np.zeros(n, dtype=np.int64)  # row of the stacked pieces each input row takes
    offset = 0
    if good:
        unique: list[int] = []  # input row of each distinct (raw text, metadata)
        if dedupe:
            raw_first: dict = {}
            metas = chunk[meta_cols].itertuples(index=False, name=None) if meta_cols else None
            meta_vals = list(metas) if metas is not None else None
            for i in good:
                t = texts[i]
                m = meta_vals[i] if meta_vals is not None else ()
                if is_missing(t):
                    t = None  # every missing value (None, NaN, pd.NA) is one post
                try:
                    key = (t, m)
                    hash(key)
                except TypeError:
                    key = ("row", i)
                u = raw_first.get(key)
                if u is None:
                    u = raw_first[key] = len(unique)
                    unique.append(i)
                row_of[i] = u
        else:
            unique = good
            row_of[good] = np.arange(len(good))
        cols = [text_col] + meta_cols
        scored = score_frame(
            model,
            chunk.iloc[unique][cols],
            text_col,
            None,
            explain=explain,
            canonical_col=CANONICAL_COL if canonical else None,
        )
        pieces.append(scored)
        offset = len(scored)
    if status:
        err = error_template(model)
        if canonical:
            err[CANONICAL_COL] = None
        pieces.append(err)
        for i in status:
            row_of[i] = offset
    stacked = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    out = stacked.iloc[row_of].reset_index(drop=True)
    if status:
        idx = np.fromiter(status, dtype=np.int64)
        st = out["status"].to_numpy(dtype=object, copy=True)
        st[idx] = [status[i] for i in idx]
        out["status"] = st
    if id_col:
        out.insert(0, id_col, chunk[id_col].to_numpy(dtype=object))
    columns = model.output_columns(id_col)
    if canonical:
        queued = (
            out["decision"].isin(["flag", "review", "abstain"]).to_numpy()
            & (out["status"] == "ok").to_numpy()
            # the queue keys on normalize_text's default (teencode): other models' text
            # is not it, so the queue normalizes those posts itself
            & bool(getattr(model.views, "teencode", False))
        )
        canon = out[CANONICAL_COL].to_numpy(dtype=object, copy=True)
        canon[~queued] = None
        out[CANONICAL_COL] = canon
        columns = columns + [CANONICAL_COL]
    return out[columns]
