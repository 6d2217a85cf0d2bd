"""Scoring one chunk: identical posts scored once, reader errors kept as rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._model import Model, score_frame
from .._validation import is_missing
from ._read import ERROR_COL

__all__ = ["error_template", "score_chunk"]


def error_template(model: Model) -> pd.DataFrame:
    """One row as score_frame gives for an unreadable input (NaN probabilities, review)."""
    row = score_frame(model, pd.DataFrame({"text": pd.Series([b"\xff"], dtype=object)}))
    return row


def _has_spans(reasons_json: str) -> bool:
    return '"start":' in reasons_json


def score_chunk(
    model: Model,
    chunk: pd.DataFrame,
    text_col: str = "text",
    id_col: str | None = "id",
    *,
    dedupe: bool = True,
    explain: bool = True,
    with_norms: bool = False,
):
    """:func:`~misinfo_clf.score_frame` over a chunk, scoring identical posts once.

    Rows whose reader error (:data:`ERROR_COL`) is set are not scored: they get that
    ``error: ...`` status, NaN probabilities and ``review`` decisions. Every other
    value goes to ``score_frame``, which applies the one rule of
    :mod:`misinfo_clf._validation` (missing or blank text abstains). With ``dedupe``, posts with the same normalized text (and
    the same metadata values) are scored once and the result is broadcast. Reasons
    carry spans in each post's *raw* text, so a duplicate whose raw text differs
    from the scored one is re-scored when the scored one has reasons with spans.

    Returns a frame with ``model.output_columns(id_col)`` and a fresh RangeIndex; with
    ``with_norms``, also each row's ``normalize_text`` as scoring computed it (None
    where it did not), so that the queue does not normalize the post again.
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
        # exact raw duplicates first, then duplicates after normalization
        raw_first: dict = {}
        unique: list[int] = []  # input row of each distinct (raw text, metadata)
        unique_of: dict[int, int] = {}
        metas = chunk[meta_cols].itertuples(index=False, name=None) if meta_cols else None
        meta_vals = list(metas) if metas is not None else None
        for i in good:
            t = texts[i]
            m = meta_vals[i] if meta_vals is not None else ()
            if is_missing(t):
                t = None  # every missing value (None, NaN, pd.NA) is one post
            try:
                key = (t, m) if dedupe else i
                hash(key)
            except TypeError:
                key = i
            u = raw_first.get(key)
            if u is None:
                u = raw_first[key] = len(unique)
                unique.append(i)
            unique_of[i] = u
        rep_of_unique = list(range(len(unique)))
        chunks_of: list = [None] * len(unique)  # canonical chunks: the key, then the views
        if dedupe or with_norms:
            norm_first: dict = {}
            for u, i in enumerate(unique):
                t = texts[i]
                if not isinstance(t, str) or len(t) > model.max_chars:
                    continue  # score_frame reports these itself; never merged
                m = meta_vals[i] if meta_vals is not None else ()
                chunks_of[u] = model.views.canonical_chunks([t])[0]
                if dedupe:
                    rep_of_unique[u] = norm_first.setdefault((" ".join(chunks_of[u]), m), u)
        reps = sorted(set(rep_of_unique))
        cols = [text_col] + meta_cols
        scored = score_frame(
            model,
            chunk.iloc[[unique[u] for u in reps]][cols],
            text_col,
            None,
            explain=explain,
            chunked=[chunks_of[u] for u in reps],
        )
        pos_of_unique = {u: k for k, u in enumerate(reps)}
        # near duplicates whose representative has spans: score them with their own text
        redo = [
            u
            for u, r in enumerate(rep_of_unique)
            if r != u and _has_spans(scored["reasons"].iat[pos_of_unique[r]])
        ]
        pieces.append(scored)
        offset = len(scored)
        if redo:
            again = score_frame(
                model,
                chunk.iloc[[unique[u] for u in redo]][cols],
                text_col,
                None,
                explain=explain,
                chunked=[chunks_of[u] for u in redo],
            )
            for k, u in enumerate(redo):
                pos_of_unique[u] = offset + k
            pieces.append(again)
            offset += len(again)
        for u, r in enumerate(rep_of_unique):
            pos_of_unique.setdefault(u, pos_of_unique[r])
        for i in good:
            row_of[i] = pos_of_unique[unique_of[i]]
    if status:
        pieces.append(error_template(model))
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
    out = out[model.output_columns(id_col)]
    if not with_norms:
        return out
    norms: list[str | None] = [None] * n
    if good and getattr(model.views, "teencode", False):  # normalize_text's default
        for i in good:
            c = chunks_of[unique_of[i]]
            norms[i] = None if c is None else " ".join(c)
    return out, norms
