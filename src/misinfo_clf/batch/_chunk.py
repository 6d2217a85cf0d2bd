"""Scoring one chunk: identical posts scored once, reader errors kept as rows."""

from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pandas as pd

from .._model import Model, score_frame
from .._queue import CANONICAL_COL
from .._validation import is_missing
from ._read import ERROR_COL

__all__ = ["CANONICAL_COL", "RowCache", "error_template", "score_chunk"]


class RowCache:
    """Scored rows of posts seen in earlier chunks of a run, by raw text and metadata
    cells: a repost (spam waves, copied rumours, bot accounts) is not scored again. A
    post's row depends on nothing else (the model and its thresholds are fixed for the
    run), so the output is the same with or without the cache.

    Only rows that passed every head are kept (status ok, decision pass: no reasons, no
    queue key), as tuples under a 128-bit digest of the key: small, and the most common
    rows. Bounded: the oldest rows make room for new ones.
    """

    def __init__(self, capacity: int = 20_000):
        self.capacity = capacity
        self.rows: dict[bytes, tuple] = {}
        self.columns: list[str] | None = None
        self.dtypes: dict = {}
        self.hits = self.misses = 0

    @staticmethod
    def digest(key) -> bytes | None:
        """The cache key of a (raw text, metadata cells) key; None: not cached."""
        if key is None:
            return None
        raw = repr(key).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(raw, digest_size=16).digest()

    def get(self, digest: bytes | None) -> tuple | None:
        return None if digest is None else self.rows.get(digest)

    def add(self, digests: list, scored: pd.DataFrame) -> None:
        """Keep the rows of ``scored`` (one per digest) that passed every head."""
        if self.columns is None:
            self.columns = list(scored.columns)
            self.dtypes = scored.dtypes.to_dict()
        elif list(scored.columns) != self.columns:
            return
        ok = (scored["decision"] == "pass").to_numpy() & (scored["status"] == "ok").to_numpy()
        keep = [k for k in np.flatnonzero(ok).tolist() if digests[k] is not None]
        keep = keep[len(keep) - min(len(keep), self.capacity) :]
        over = len(self.rows) + len(keep) - self.capacity
        if over > 0:  # dicts keep insertion order: the first keys are the oldest
            for d in list(itertools.islice(self.rows, over)):
                del self.rows[d]
        kept = scored.iloc[keep]
        # columns as lists, zipped: 3x faster than itertuples
        values = zip(*[kept[c].tolist() for c in kept.columns], strict=True)
        self.rows.update(zip([digests[k] for k in keep], values, strict=True))

    def frame(self, rows: list[tuple]) -> pd.DataFrame:
        """Cached rows as a frame with the scored frame's columns and dtypes."""
        assert self.columns is not None
        cols = list(zip(*rows, strict=True)) if rows else [()] * len(self.columns)
        return pd.DataFrame(
            {
                c: pd.Series(list(v), dtype=self.dtypes[c])
                for c, v in zip(self.columns, cols, strict=True)
            }
        )


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
    cache: RowCache | None = None,
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
    (see :func:`~misinfo_clf.batch._work.work_chunk`). ``cache``: rows of posts scored in
    earlier chunks of the run (:class:`RowCache`, with ``dedupe`` only), taken instead of
    scoring them again.

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
        keys: list = []  # the key of each
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
                    cached = key
                except TypeError:
                    key, cached = ("row", i), None  # a cell that cannot be a key
                u = raw_first.get(key)
                if u is None:
                    u = raw_first[key] = len(unique)
                    unique.append(i)
                    keys.append(cached)
                row_of[i] = u
        else:
            unique = good
            row_of[good] = np.arange(len(good))
        cols = [text_col] + meta_cols
        canon_col = CANONICAL_COL if canonical else None

        def score(rows: list[int]) -> pd.DataFrame:
            frame = chunk.iloc[rows][cols]
            return score_frame(
                model, frame, text_col, None, explain=explain, canonical_col=canon_col
            )

        if cache is not None and dedupe:
            scored = _with_cache(score, unique, keys, cache)
        else:
            scored = score(unique)
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


def _with_cache(score, unique: list[int], keys: list, cache: RowCache) -> pd.DataFrame:
    """``score(unique)`` (rows of the chunk), taking the rows ``cache`` holds for their
    ``keys``; the new rows go into the cache."""
    keys = [cache.digest(k) for k in keys]
    found = [cache.get(k) for k in keys]
    todo = [k for k, f in enumerate(found) if f is None]
    cache.hits += len(found) - len(todo)
    cache.misses += len(todo)
    if len(todo) == len(found):
        scored = score(unique)
        cache.add(keys, scored)
        return scored
    new = score([unique[k] for k in todo])
    cache.add([keys[k] for k in todo], new)
    old = cache.frame([f for f in found if f is not None])
    # the scored rows first, then the cached ones: each unique post's position in them
    position = np.empty(len(found), dtype=np.int64)
    is_new = np.zeros(len(found), dtype=bool)
    is_new[todo] = True
    position[is_new] = np.arange(len(todo))
    position[~is_new] = len(todo) + np.arange(len(found) - len(todo))
    both = pd.concat([new, old], ignore_index=True) if len(new) else old
    return both.iloc[position].reset_index(drop=True)
