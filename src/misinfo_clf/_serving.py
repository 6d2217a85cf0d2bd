"""A head compiled for serving: plain arrays, equal to its scikit-learn ``Pipeline``.

The ``Pipeline`` built by :func:`~misinfo_clf.build_pipeline` is the training artifact.
Serving reads a :class:`ServingHead` compiled from it once (after training, or read from
the model directory's serving file): vocabularies, idf, coefficients, intercepts,
calibrators and the domain gate as numpy arrays, and a JSON description. It needs
neither scikit-learn nor scipy, and it is the one inference path of :func:`predict`,
:func:`predict_frame`, batch scoring and the Dask engine.

The arithmetic is scikit-learn's, in the same order: TF-IDF counts per row, sublinear
``1 + log(tf)``, idf, the row norm summed left to right (as
``inplace_csr_row_normalize_l2``), the linear decision summed over a row's entries in
column order (as scipy's CSR product), then the calibrator. Each row is computed on its
own, so a post gets the same probabilities alone or in a chunk of any size
(tests/test_serving.py checks both, against ``Pipeline.predict_proba``, to 1e-12).

A chunk of posts is counted with :class:`NgramIndex`: every n-gram of the chunk gets an
exact integer code (a digit per character or token: no collisions) and all are looked up
in one hash table per view for every head at once; character n-grams are coded once per
distinct word of the chunk. One post at a time (``predict``) uses the vocabulary dict, its
character n-grams cached per word (bounded cache, not saved).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from functools import cached_property
from itertools import repeat
from typing import Any

import numpy as np

from ._kernels import csr_counts, sorted_counts

__all__ = ["ServingHead", "compile_head", "Features", "NgramIndex", "SERVING_FORMAT"]

#: version of the serving arrays' layout (saved in the serving file's JSON)
SERVING_FORMAT = 1

_CLF_KINDS = ("decision", "nb", "logreg", "modified_huber")
_CALIBRATIONS = (None, "sigmoid", "isotonic")


class Features:
    """A sparse feature matrix as plain arrays, rows sorted, columns sorted in a row.

    ``rows[i], cols[i], vals[i]``: entry ``i``; ``indptr``: where each row starts.
    """

    __slots__ = ("n", "width", "rows", "cols", "vals", "indptr")

    def __init__(self, n: int, width: int, rows, cols, vals):
        self.n, self.width = n, width
        self.rows, self.cols, self.vals = rows, cols, vals
        if n == 1:
            self.indptr = np.array([0, len(rows)], dtype=np.int64)
        else:
            self.indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=n), out=self.indptr[1:])

    def dot(self, coef: np.ndarray) -> np.ndarray:
        """``X @ coef`` (coef is (width, k)), each row summed in column order."""
        k = coef.shape[1]
        out = np.empty((self.n, k))
        for j in range(k):
            out[:, j] = np.bincount(
                self.rows, weights=self.vals * coef[self.cols, j], minlength=self.n
            )
        return out

    def take(self, keep: np.ndarray) -> Features:
        """The rows ``keep`` (sorted positions), renumbered from 0."""
        mask = np.zeros(self.n, dtype=bool)
        mask[keep] = True
        sel = mask[self.rows]
        new = np.cumsum(mask) - 1
        return Features(len(keep), self.width, new[self.rows[sel]], self.cols[sel], self.vals[sel])

    def to_scipy(self):
        from scipy import sparse

        return sparse.csr_matrix((self.vals, self.cols, self.indptr), shape=(self.n, self.width))


# -- TF-IDF blocks ---------------------------------------------------------------------------


class _Block:
    """One TF-IDF block: how documents become (row, column, count) triples, then TF-IDF."""

    def __init__(self, spec: dict, terms: list[str], idf: np.ndarray | None):
        self.spec = spec
        self.name = spec["name"]
        self.kind = spec["kind"]  # "words" or "char_wb"
        self.column = spec["column"]
        self.min_n, self.max_n = spec["ngram"]
        self.sublinear = spec["sublinear"]
        self.binary = spec["binary"]
        self.norm = spec["norm"]
        self.terms = terms
        self.idf = idf
        self.width = len(terms)
        self._words: dict[str, np.ndarray] = {}

    _MAX_WORDS = 1 << 14  # cached words per view for one post at a time (each a few dozen
    # ints): bounds memory; chunks are counted with NgramIndex

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_words"] = {}  # caches: not shipped to worker processes
        state.pop("vocab", None)
        state.pop("_own_index", None)
        return state

    @cached_property
    def vocab(self) -> dict[str, int]:
        """Term -> column (built on first use: one post at a time, or a feature's name)."""
        return dict(zip(self.terms, range(len(self.terms)), strict=True))

    def _grams(self, tokens: list[str]) -> list[str]:
        """scikit-learn's ``_word_ngrams`` (no stop words)."""
        min_n, max_n = self.min_n, self.max_n
        if max_n == 1:
            return tokens
        out = list(tokens) if min_n == 1 else []
        n_tok = len(tokens)
        for n in range(max(min_n, 2), min(max_n + 1, n_tok + 1)):
            out.extend(" ".join(tokens[i : i + n]) for i in range(n_tok - n + 1))
        return out

    def _word_columns(self, w: str) -> np.ndarray:
        """Columns of the known character n-grams of ``w`` (``char_wb``), with repeats."""
        get = self.vocab.get
        min_n, max_n = self.min_n, self.max_n
        w = " " + w + " "
        w_len = len(w)
        cols = []
        for n in range(min_n, max_n + 1):
            for i in range(max(1, w_len - n + 1)):
                j = get(w[i : i + n])
                if j is not None:
                    cols.append(j)
            if w_len <= n:  # a short word counts once
                break
        return np.asarray(cols, dtype=np.int64)

    def counts(self, docs: Sequence[str], shared: dict | None = None):
        """(rows, cols) of every known n-gram occurrence, one entry per occurrence.

        Several documents are counted with the block's :class:`NgramIndex` (integer codes
        of n-grams, vectorized over the chunk); ``shared`` (one dict per chunk, passed to
        every head) keeps what does not depend on the block: the chunk's words, and each
        merged index's look-up (``shared["vocabularies"]``, see :func:`merged_vocabularies`).
        """
        if len(docs) == 1:  # one post per API call: plain lists, no numbering
            one = self._one(docs[0], shared)
            return np.zeros(len(one), dtype=np.int64), one
        shared = {} if shared is None else shared
        merged = shared.get("vocabularies", {}).get(id(self))
        if merged is not None and merged[0] is self:
            _, index, slot = merged
        else:
            index, slot = self._own_index, 0
        if index is None:  # n-grams too long for integer codes: one post at a time
            per_doc = [self._one(d) for d in docs]
            lengths = np.fromiter(map(len, per_doc), dtype=np.int64, count=len(per_doc))
            rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
            return rows, _joined(per_doc)
        rows, found = index.lookup(docs, shared)
        cols = index.table[found, slot]
        known = cols >= 0
        return rows[known], cols[known]

    @cached_property
    def _own_index(self) -> NgramIndex | None:
        return NgramIndex.of([self])

    def _cached_word(self, word: str) -> np.ndarray:
        """A word's char n-gram columns, from a bounded cache (cleared when full)."""
        cols = self._words.get(word)
        if cols is None:
            cols = self._word_columns(word)
            if len(self._words) >= self._MAX_WORDS:
                self._words.clear()
            self._words[word] = cols
        return cols

    def _one(self, doc: str, shared: dict | None = None) -> np.ndarray:
        """The columns of one document's known n-grams, one entry per occurrence.

        ``shared`` (one dict per call) keeps a document's word n-grams for the other
        heads' blocks of the same view and range."""
        if self.kind == "char_wb":
            per_word = [self._cached_word(w) for w in doc.split()]
            return np.concatenate(per_word) if per_word else np.zeros(0, dtype=np.int64)
        key = ("grams", self.min_n, self.max_n, doc)
        grams = None if shared is None else shared.get(key)
        if grams is None:
            grams = self._grams(doc.split())
            if shared is not None:
                shared[key] = grams
        get = self.vocab.get
        found = [get(g) for g in grams]
        return np.array([j for j in found if j is not None], dtype=np.int64)


class NgramIndex:
    """The vocabularies of blocks of one kind, view and n-gram range (one block, or one per
    head) as exact integer codes, for counting a chunk of documents with numpy.

    Each unit of the vocabularies (a character for ``char_wb``, a token for ``words``) gets a
    digit ``1..base-1`` and an n-gram the code ``sum(digit[k] * base**k)``: no hashing, no
    collisions, and a unit the vocabularies never saw (digit 0) makes an n-gram unknown. A
    chunk's n-grams are coded with array arithmetic and looked up at once in ``codes``
    (a hash table) for every block: ``table[row, slot]`` is the
    n-gram's column in block ``slot`` (-1: not in that block's vocabulary).
    """

    def __init__(self, blocks: Sequence[_Block], units, base: int, codes, table):
        self.kind, self.column = blocks[0].kind, blocks[0].column
        self.min_n, self.max_n = blocks[0].min_n, blocks[0].max_n
        self.units, self.base = units, base
        self.codes, self.table = codes, table

    @classmethod
    def of(cls, blocks: Sequence[_Block]) -> NgramIndex | None:
        """The index of ``blocks`` (same kind, column and n-gram range), or None when their
        codes would not fit in 63 bits (long n-grams over a large alphabet)."""
        terms = [t for b in blocks for t in b.terms]
        units: np.ndarray | dict[str, int]
        if blocks[0].kind == "char_wb":
            points = _code_points(terms)
            units = np.unique(points)  # sorted code points
            digits = np.searchsorted(units, points) + 1
            lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
        else:
            # tokens hold no white space: the terms joined by " \n " split into their
            # tokens with a "\n" between terms (unit -1, which gives each term's length);
            # 20,000 terms at a time: a list of every token at once left tens of MB in
            # each worker process
            units = {"\n": -1}
            parts, sizes = [], []
            for k in range(0, len(terms), 20_000):
                flat = " \n ".join(terms[k : k + 20_000]).split(" ")
                for u in dict.fromkeys(flat):
                    units.setdefault(u, len(units))
                ids = np.fromiter(map(units.__getitem__, flat), dtype=np.int64, count=len(flat))
                between = np.flatnonzero(ids < 0)
                sizes.append(np.diff(between, prepend=-1, append=len(ids)) - 1)
                parts.append(ids[ids > 0])
            del units["\n"]
            digits = _joined(parts)
            lengths = _joined(sizes)
        base = len(units) + 1
        longest = int(lengths.max()) if len(lengths) else 1
        if base ** max(longest, blocks[0].max_n) >= 1 << 62:
            return None
        term_codes = _codes_of(digits, lengths, base)
        codes, where = np.unique(term_codes, return_inverse=True)
        table = np.full((len(codes), len(blocks)), -1, dtype=np.int32)  # columns < 2**31
        start = 0
        for slot, b in enumerate(blocks):
            table[where[start : start + b.width], slot] = np.arange(b.width, dtype=np.int32)
            start += b.width
        return cls(blocks, units, base, codes, table)

    def lookup(self, docs: Sequence[str], shared: dict) -> tuple[np.ndarray, np.ndarray]:
        """(rows, table rows) of every known n-gram occurrence of ``docs`` (once per chunk:
        kept in ``shared``)."""
        key = ("lookup", id(self), id(docs))
        found = shared.get(key)
        if found is None:
            units = shared.get(("split", self.column, id(docs)))
            if units is None:
                units = shared[("split", self.column, id(docs))] = _interned(
                    [doc.split() for doc in docs]
                )
            if self.kind == "char_wb":
                found = shared[key] = self._char_lookup(*units)
            else:
                found = shared[key] = self._word_lookup(*units)
        return found

    @cached_property
    def _hashed(self):
        """``codes`` in a hash table (pandas' ``Index.get_indexer``: about 9x faster than
        ``searchsorted`` in 200k codes for a chunk's million look-ups; built on first use)."""
        import pandas as pd

        return pd.Index(self.codes)

    def _find(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions of the known codes, their rows in the table)."""
        j = self._hashed.get_indexer(codes)
        hit = np.flatnonzero(j >= 0)
        return hit, j[hit].astype(np.int32)  # a chunk's entries: half the memory

    def _word_lookup(self, distinct: list[str], occ: np.ndarray, lengths: np.ndarray):
        """Word n-grams (``_word_ngrams``): windows of tokens inside one document."""
        get = self.units.get
        ids = np.fromiter(map(get, distinct, repeat(0)), dtype=np.int64, count=len(distinct))
        ids = ids[occ]
        doc = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        ends = np.cumsum(lengths)
        left = ends[doc] - np.arange(len(ids), dtype=np.int64)  # tokens left in the document
        rows, found = [], []
        for n, pos, code in _windows(ids, self.base, self.min_n, self.max_n):
            sel = np.flatnonzero(left[pos] >= n)
            hit, j = self._find(code[sel])
            rows.append(doc[pos[sel[hit]]])
            found.append(j)
        return _joined(rows), _joined(found)

    def _char_lookup(self, distinct: list[str], occ: np.ndarray, lengths: np.ndarray):
        """``char_wb`` n-grams: each distinct word of the chunk padded with spaces, coded
        once; its n-grams then repeat for each of its occurrences."""
        cp = _code_points([" " + " ".join(distinct) + " "])
        digits = self._digits(cp)
        space = cp == 32
        starts = np.zeros(len(distinct), dtype=np.int64)  # each word's first character
        sizes = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
        np.cumsum(sizes[:-1] + 1, out=starts[1:])
        starts += 1
        spaces = np.concatenate([[0], np.cumsum(space)])
        words, found = [], []
        for n, pos, code in _windows(digits, self.base, self.min_n, self.max_n):
            # spaces only at a window's edges (the padding), and not a window of spaces only
            if n == 1:
                ok = ~space[pos]
            elif n == 2:
                ok = ~(space[pos] & space[pos + 1])
            else:
                ok = spaces[pos + n - 1] == spaces[pos + 1]
            keep = np.flatnonzero(ok)
            hit, j = self._find(code[keep])
            first = pos[keep[hit]]
            first = first + space[first]  # a window starting on the padding: the next word
            words.append(np.searchsorted(starts, first, side="right") - 1)
            found.append(j)
        w, j = _joined(words), _joined(found)
        extra_w, extra_j = self._padding_grams(distinct, sizes)
        w, j = np.concatenate([w, extra_w]), np.concatenate([j, extra_j])
        order = np.argsort(w, kind="stable")
        per_word = np.bincount(w, minlength=len(distinct))
        flat, counts = _ragged(j[order], per_word, occ)
        rows = np.repeat(np.repeat(np.arange(len(lengths), dtype=np.int32), lengths), counts)
        return rows, flat

    def _padding_grams(self, distinct: list[str], sizes: np.ndarray):
        """What the windows leave out: the padding space counts twice per word (``" w "``
        gives ``" "`` at both ends), and a padded word shorter than the shortest n-gram
        counts once as a whole (scikit-learn's ``char_wb``)."""
        w, j = [], []
        if self.min_n == 1:
            hit, space = self._find(self._code(" "))
            if len(hit):
                w.append(np.repeat(np.arange(len(distinct), dtype=np.int64), 2))
                j.append(np.repeat(space, 2 * len(distinct)))
        short = np.flatnonzero(sizes + 2 < self.min_n)
        if len(short):
            code = np.array([self._code(" " + distinct[k] + " ")[0] for k in short])
            hit, found = self._find(code)
            w.append(short[hit])
            j.append(found)
        return _joined(w), _joined(j)

    def _digits(self, cp: np.ndarray) -> np.ndarray:
        """Each code point's digit (0: a character the vocabularies never saw)."""
        idx = np.searchsorted(self.units, cp)
        idx[idx == len(self.units)] = 0
        return np.where(self.units[idx] == cp, idx + 1, 0)

    def _code(self, gram: str) -> np.ndarray:
        """The code of one character n-gram (-1 when a character is unknown)."""
        digits = self._digits(_code_points([gram]))
        if not digits.all():
            return np.array([-1], dtype=np.int64)
        return _codes_of(digits, np.array([len(digits)]), self.base)


def _code_points(texts: Sequence[str]) -> np.ndarray:
    """The code points of the texts, concatenated (lone surrogates kept as they are)."""
    raw = "".join(texts).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(raw, dtype=np.uint32).astype(np.int64)


def _codes_of(digits: np.ndarray, lengths: np.ndarray, base: int) -> np.ndarray:
    """Codes of sequences laid end to end (``digits``), ``lengths[i]`` digits each."""
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    codes = np.zeros(len(lengths), dtype=np.int64)
    scale = np.ones(len(lengths), dtype=np.int64)
    for k in range(int(lengths.max()) if len(lengths) else 0):
        has = np.flatnonzero(lengths > k)
        codes[has] += digits[starts[has] + k] * scale[has]
        scale[has] *= base
    return codes


def _windows(digits: np.ndarray, base: int, min_n: int, max_n: int):
    """``(n, start positions, codes)`` of the windows of ``n`` digits holding no 0 digit."""
    zeros = np.concatenate([[0], np.cumsum(digits == 0)])
    for n in range(min_n, max_n + 1):
        m = len(digits) - n + 1
        if m <= 0:
            break
        pos = np.flatnonzero(zeros[n : n + m] == zeros[:m])
        code = digits[pos].copy()
        scale = 1
        for k in range(1, n):
            scale *= base
            code += digits[pos + k] * scale
        yield n, pos, code


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _ragged(flat: np.ndarray, sizes: np.ndarray, occ: np.ndarray):
    """``concatenate([piece[i] for i in occ])`` where ``flat`` holds the pieces end to end
    (``sizes[i]`` entries each), and each occurrence's length, vectorized."""
    offsets = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=offsets[1:])
    counts = sizes[occ]
    starts = np.zeros(len(occ), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    idx = np.repeat(offsets[occ] - starts, counts) + np.arange(int(counts.sum()), dtype=np.int64)
    return flat[idx], counts


def merged_vocabularies(heads: Sequence[ServingHead]) -> dict[int, tuple]:
    """``{id(block): (block, NgramIndex, slot)}`` for the text blocks of ``heads``: blocks of
    the same kind, view and n-gram range (one per head) share one index, so a chunk's
    n-grams are coded and looked up once for all heads; pass it to
    :meth:`ServingHead.features` as ``shared["vocabularies"]``."""
    groups: dict[tuple, list[_Block]] = {}
    for head in heads:
        for b in head.blocks:
            if isinstance(b, _Block):
                groups.setdefault((b.kind, b.column, b.min_n, b.max_n), []).append(b)
    out: dict[int, tuple] = {}
    for blocks in groups.values():
        index = NgramIndex.of(blocks)
        if index is not None:
            out.update({id(b): (b, index, slot) for slot, b in enumerate(blocks)})
    return out


def _interned(units_per_doc: list[list[str]]):
    """(distinct units, each occurrence's number, units per document)."""
    ids: dict[str, int] = {}
    setdefault = ids.setdefault
    occ = [setdefault(u, len(ids)) for units in units_per_doc for u in units]
    lengths = np.fromiter(map(len, units_per_doc), dtype=np.int64, count=len(units_per_doc))
    return list(ids), np.asarray(occ, dtype=np.int64), lengths


class _Metadata:
    """:class:`~misinfo_clf._features.NumericMetadata` as arrays."""

    def __init__(self, spec: dict, median: np.ndarray, scale: np.ndarray):
        self.spec = spec
        self.name = spec["name"]
        self.columns = list(spec["columns"])
        self.indicators = spec["indicators"]
        self.median, self.scale = median, scale
        self.width = len(self.columns) * (2 if self.indicators else 1)
        self.terms = [f"log1p_{c}" for c in self.columns]
        if self.indicators:
            self.terms += [f"missing_{c}" for c in self.columns]

    def rows(self, views: Mapping, n: int):
        from ._numbers import MAX_COUNT, counts

        values = np.full((n, len(self.columns)), np.nan)
        for j, c in enumerate(self.columns):
            if c not in views:
                continue
            raw = np.asarray(views[c])
            if raw.dtype.kind in "biuf":  # numbers already (predict passes NaN): no pandas
                values[:, j] = raw
            else:
                values[:, j] = counts(raw.astype(object, copy=False))
        # NaN, infinities and counts past MAX_COUNT are missing; negative counts are 0
        values[~(np.abs(values) <= MAX_COUNT)] = np.nan
        logged = np.log1p(np.maximum(values, 0.0))
        missing = logged != logged
        out = (logged - self.median) / self.scale
        out[missing] = 0.0  # a missing count is the median: (median - median) / scale
        if self.indicators:
            out = np.hstack([out, missing.astype(float)])
        r, c = np.nonzero(out)  # zeros left out, as scipy does
        return r.astype(np.int64), c.astype(np.int64), out[r, c]


# -- linear models and calibrators -------------------------------------------------------------


class _Linear:
    """A linear classifier (optionally inside ``CalibratedClassifierCV(ensemble=False)``)."""

    def __init__(self, spec: dict, arrays: Mapping[str, np.ndarray], prefix: str):
        self.spec = spec
        self.kind = spec["kind"]
        self.classes = list(spec["classes"])  # the calibrated model's (or the estimator's)
        self.calibration = spec["calibration"]
        self.coef = arrays[prefix + "coef"]  # (width, k): X @ coef
        self.intercept = arrays[prefix + "intercept"]
        self.positions = list(spec["positions"])
        # sigmoid: (a, b); isotonic: (x_min, x_max, x, y)
        self.calibrators: list[tuple] = []
        for k, cal in enumerate(spec["calibrators"]):
            if self.calibration == "isotonic":
                x = arrays[f"{prefix}iso{k}_x"]
                y = arrays[f"{prefix}iso{k}_y"]
                self.calibrators.append((cal["x_min"], cal["x_max"], x, y))
            else:
                self.calibrators.append((cal["a"], cal["b"]))

    def response(self, X: Features) -> np.ndarray:
        """The linear model's output: decision function, or NB's joint log-likelihood."""
        return X.dot(self.coef) + self.intercept

    def _raw_proba(self, d: np.ndarray) -> np.ndarray:
        """``predict_proba`` of the uncalibrated model from its response ``d``."""
        if self.kind == "nb":
            top = d.max(axis=1, keepdims=True)
            log_norm = np.log(np.exp(d - top).sum(axis=1, keepdims=True)) + top
            return np.exp(d - log_norm)
        if self.kind == "modified_huber":
            p = (np.clip(d, -1, 1) + 1.0) / 2.0
            if p.shape[1] == 1:
                return np.column_stack([1.0 - p[:, 0], p[:, 0]])
            total = p.sum(axis=1)
            zero = total == 0
            p[zero, :] = 1.0
            total[zero] = p.shape[1]
            return p / total[:, None]
        if self.kind == "logreg":
            if d.shape[1] == 1:
                p = _expit(d[:, 0])
                return np.column_stack([1.0 - p, p])
            e = np.exp(d - d.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        raise ValueError(f"a {self.kind!r} model has no probabilities without calibration.")

    def predict_proba(self, X: Features) -> np.ndarray:
        return self.proba_of(self.response(X))

    def proba_of(self, d: np.ndarray) -> np.ndarray:
        """:meth:`predict_proba` from the response ``d`` (one row per document)."""
        if self.calibration is None:
            return self._raw_proba(d)
        if self.kind == "nb":  # calibrated on predict_proba (binary: the positive column)
            d = self._raw_proba(d)
            if d.shape[1] == 2:
                d = d[:, 1:]
        n_classes = len(self.classes)
        proba = np.zeros((len(d), n_classes))
        for k, cal in enumerate(self.calibrators):
            if self.calibration == "sigmoid":
                a, b = cal
                p = _expit(-(a * d[:, k] + b))
            else:
                lo, hi, x, y = cal
                p = np.interp(np.clip(d[:, k], lo, hi), x, y)
            proba[:, self.positions[k]] = p
        if n_classes == 2:
            proba[:, 0] = 1.0 - proba[:, 1]
        else:
            denom = proba.sum(axis=1, keepdims=True)
            proba = np.divide(
                proba, denom, out=np.full_like(proba, 1 / n_classes), where=denom != 0
            )
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def predict(self, X: Features) -> np.ndarray:
        """The base model's class (``label_rule="balanced"``), as str."""
        return self.classes_of(self.response(X))

    def classes_of(self, d: np.ndarray) -> np.ndarray:
        """:meth:`predict` from the response ``d``."""
        classes = np.asarray(self.spec["base_classes"], dtype=object)
        if d.shape[1] == 1 and self.kind != "nb":
            return classes[(d[:, 0] > 0).astype(int)]
        return classes[d.argmax(axis=1)]


def _expit(x: np.ndarray) -> np.ndarray:
    # x below -700 would overflow exp (its value is under 1e-304 either way); a clip costs
    # less than an errstate context on a one-post call
    return 1.0 / (1.0 + np.exp(-np.maximum(x, -700.0)))


# -- the head ---------------------------------------------------------------------------------


class ServingHead:
    """Features, probabilities and explanation weights of one head, from plain arrays.

    Build it with :func:`compile_head` (from a fitted pipeline) or
    :meth:`from_arrays` (from a serving file).
    """

    def __init__(self, spec: dict, arrays: Mapping[str, np.ndarray]):
        if spec.get("format") != SERVING_FORMAT:
            raise ValueError(
                f"serving format {spec.get('format')!r}; this version reads {SERVING_FORMAT}."
            )
        self.spec = spec
        self.arrays = dict(arrays)
        self.blocks: list = []
        offset = 0
        block: _Metadata | _Block
        for b in spec["blocks"]:
            if b["offset"] != offset:
                raise ValueError(f"block {b['name']!r} starts at {b['offset']}, expected {offset}.")
            if b["kind"] == "metadata":
                block = _Metadata(b, arrays[f"{b['name']}__median"], arrays[f"{b['name']}__scale"])
            else:
                idf = arrays.get(f"{b['name']}__idf")
                block = _Block(b, list(b["terms"]), idf)
            if block.width != b["width"]:
                raise ValueError(f"block {b['name']!r} has {block.width} terms, not {b['width']}.")
            self.blocks.append(block)
            offset += block.width
        self.width = offset
        self.classes = list(spec["classes"])
        self.model = _Linear(spec["model"], arrays, "model__")
        self.gate = _Linear(spec["gate"], arrays, "gate__") if spec.get("gate") else None
        for lin in (self.model, self.gate):
            if lin is not None and lin.coef.shape[0] != self.width:
                raise ValueError(
                    f"coefficients for {lin.coef.shape[0]} features, blocks give {self.width}."
                )
        self.explain_classes = list(spec["explain_classes"])
        self.explain_weights = arrays["explain_weights"]  # (n_classes or 1, width)
        self._names = None

    # -- arrays in, arrays out
    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON-able spec, arrays) for a serving file."""
        return self.spec, self.arrays

    @classmethod
    def from_arrays(cls, spec: dict, arrays: Mapping[str, np.ndarray]) -> ServingHead:
        return cls(spec, arrays)

    # -- inference
    @property
    def view_columns(self) -> tuple[str, ...]:
        return tuple(b.column for b in self.blocks if b.spec["kind"] != "metadata")

    def features(self, views: Mapping, shared: dict | None = None) -> Features:
        """The head's features for ``views`` (dict of lists: text, tokens, plain, metadata).

        ``shared``: a dict that heads scoring the same ``views`` pass along (the chunk's
        words and n-grams are then split and numbered once for all heads)."""
        n = len(views["text"])
        rows, cols, vals = self._tfidf(views, n, shared)
        meta = [b for b in self.blocks if isinstance(b, _Metadata)]
        if not meta:
            return Features(n, self.width, rows, cols, vals)
        parts = [(rows, cols, vals)]
        for block in meta:
            r, c, v = block.rows(views, n)
            parts.append((r, c + block.spec["offset"], v))
        r, c, v = (np.concatenate(x) for x in zip(*parts, strict=True))
        if n > 1 or not self._metadata_last:  # one row: the blocks' entries are in order
            order = np.argsort(r * self.width + c)  # by row, then column
            r, c, v = r[order], c[order], v[order]
        return Features(n, self.width, r, c, v)

    @cached_property
    def _metadata_last(self) -> bool:
        """Whether the metadata blocks come after every text block, in offset order."""
        kinds = [isinstance(b, _Metadata) for b in self.blocks]
        return kinds == sorted(kinds)

    @cached_property
    def _text(self) -> tuple:
        """The TF-IDF blocks with, over the head's columns: each block's first column, the
        idf laid end to end, and per block its settings (binary, sublinear, norm); the
        settings also as Python flags, so that one post pays no numpy call for them."""
        blocks = [b for b in self.blocks if isinstance(b, _Block)]
        starts = np.array([b.spec["offset"] for b in blocks], dtype=np.int64)
        idf = np.ones(self.width)
        for b in blocks:
            if b.idf is not None:
                idf[b.spec["offset"] : b.spec["offset"] + b.width] = b.idf
        binary = np.array([b.binary for b in blocks], dtype=bool)
        sublinear = np.array([b.sublinear for b in blocks], dtype=bool)
        norm = np.array([{"l1": 1, "l2": 2}.get(b.norm, 0) for b in blocks], dtype=np.int64)
        flags = {
            "binary": bool(binary.any()),
            "all_sublinear": bool(sublinear.all()),
            "sublinear": bool(sublinear.any()),
            "norm": bool(norm.any()),
            "all_l2": bool((norm == 2).all()),
        }
        return blocks, starts, idf, binary, sublinear, norm, flags

    def _tfidf(self, views: Mapping, n: int, shared: dict | None):
        """TF-IDF entries (rows, cols, vals) of every text block, sorted by row then column:
        scikit-learn's arithmetic, with each (row, block)'s norm summed in column order."""
        blocks, starts, idf, binary, sublinear, norm, flags = self._text
        if not blocks:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        if n == 1:  # one post per API call: the same arithmetic, fewer steps
            cols = np.concatenate(
                [b.counts(views[b.column], shared)[1] + b.spec["offset"] for b in blocks]
            )
            cols, tf = sorted_counts(cols)
            rows = np.zeros(len(cols), dtype=np.int64)
        else:  # every block's (row, column) entries, counted at once (_kernels.csr_counts)
            rs, cs = [], []
            for b in blocks:
                r, c = b.counts(views[b.column], shared)
                rs.append(r.astype(np.int32, copy=False))
                cs.append((c + b.spec["offset"]).astype(np.int32, copy=False))
            indptr, cols, tf = csr_counts(np.concatenate(rs), np.concatenate(cs), n, self.width)
            del rs, cs
            rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
        val = tf.astype(np.float64)
        block = np.searchsorted(starts, cols, side="right") - 1
        if flags["binary"]:
            val[binary[block]] = 1.0
        if flags["all_sublinear"]:
            np.log(val, out=val)
            val += 1.0
        elif flags["sublinear"]:
            sub = sublinear[block]
            val[sub] = np.log(val[sub]) + 1.0
        val *= idf[cols]
        if flags["norm"]:
            cell = block if n == 1 else rows * len(blocks) + block  # (row, block)
            sq = val * val if flags["all_l2"] else np.where(norm[block] == 2, val * val, abs(val))
            total = np.bincount(cell, weights=sq, minlength=n * len(blocks))  # left to right
            if flags["all_l2"]:
                total = np.sqrt(total)
            else:
                kinds = np.tile(norm, n)
                total[kinds == 2] = np.sqrt(total[kinds == 2])
                total[kinds == 0] = 1.0
            total[total == 0.0] = 1.0
            val /= total[cell]
        return rows, cols, val

    def predict_proba(self, X: Features) -> np.ndarray:
        return self._gated(self.model.predict_proba(X), X)

    def predict_proba_and_base(self, X: Features) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_proba` and :meth:`predict_base` from one product ``X @ coef``."""
        d = self.model.response(X)
        return self._gated(self.model.proba_of(d), X), self.model.classes_of(d)

    def _gated(self, proba: np.ndarray, X: Features) -> np.ndarray:
        if self.gate is not None:
            g = self.gate.predict_proba(X)[:, 1]
            factor = np.minimum(1.0, g / self.spec["gate_floor"]) ** self.spec["alpha"]
            clean = self.spec["clean_index"]
            proba = proba * factor[:, None]
            proba[:, clean] = 0.0
            proba[:, clean] = 1.0 - proba.sum(axis=1)
        return proba

    def predict_base(self, X: Features) -> np.ndarray:
        return self.model.predict(X)

    # -- explanations
    def direction(self, target: int, clean: int) -> np.ndarray:
        """Weights pushing towards class ``target`` and away from ``clean`` (indices into
        the head's classes)."""
        W = self.explain_weights
        if W.shape[0] == 1:  # binary: coef_ points to classes_[1]
            return W[0] if clean == 0 else -W[0]
        return W[target] - W[clean]

    def directions_at(self, targets: np.ndarray, cols: np.ndarray, clean: int) -> np.ndarray:
        """``direction(targets[i], clean)[cols[i]]`` for every i, reading only those weights."""
        W = self.explain_weights
        if W.shape[0] == 1:
            return W[0, cols] if clean == 0 else -W[0, cols]
        return W[targets, cols] - W[clean, cols]

    def feature_name(self, j: int) -> str:
        """``<block>__<term>`` of column ``j`` (as ``get_feature_names_out``)."""
        for block in self.blocks:
            off = block.spec["offset"]
            if j < off + block.width:
                return f"{block.name}__{block.terms[j - off]}"
        raise IndexError(j)

    def known_words(self) -> set:
        words: set = set()
        for block in self.blocks:
            if block.name in ("tokens", "plain") and isinstance(block, _Block):
                words.update(t for t in block.terms if " " not in t)
        return words


# -- compiling a fitted pipeline ---------------------------------------------------------------


def compile_head(pipeline) -> ServingHead:
    """The serving form of a pipeline from :func:`~misinfo_clf.build_pipeline` (fitted).

    Raises
    ------
    ValueError
        The pipeline holds a step the serving form does not know.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ._features import CharWBAnalyzer, GatedClassifier, NumericMetadata

    views = pipeline.named_steps["views"]
    ct = pipeline.named_steps["features"]
    blocks, arrays = [], {}
    offset = 0
    for name, trans, cols in ct.transformers_:
        if name == "remainder" or (isinstance(trans, str) and trans == "drop"):
            continue
        if isinstance(trans, TfidfVectorizer):
            kind = _tfidf_kind(name, trans, CharWBAnalyzer)
            vocab = trans.vocabulary_
            terms = [""] * len(vocab)
            for t, j in vocab.items():
                terms[j] = t
            ngram = (
                trans.analyzer.ngram_range
                if isinstance(trans.analyzer, CharWBAnalyzer)
                else trans.ngram_range
            )
            spec = {
                "name": name,
                "kind": kind,
                "column": cols,
                "ngram": [int(ngram[0]), int(ngram[1])],
                "sublinear": bool(trans.sublinear_tf),
                "binary": bool(trans.binary),
                "norm": trans.norm,
                "offset": offset,
                "width": len(terms),
                "terms": terms,
            }
            if trans.use_idf:
                arrays[f"{name}__idf"] = np.asarray(trans.idf_, dtype=np.float64)
            width = len(terms)
        elif isinstance(trans, NumericMetadata):
            spec = {
                "name": name,
                "kind": "metadata",
                "columns": [str(c) for c in trans.columns],
                "indicators": bool(trans.indicators),
                "offset": offset,
                "width": len(trans.columns) * (2 if trans.indicators else 1),
            }
            arrays[f"{name}__median"] = np.asarray(trans.median_, dtype=np.float64)
            arrays[f"{name}__scale"] = np.asarray(trans.scale_, dtype=np.float64)
            width = spec["width"]
        else:
            raise ValueError(
                f"block {name!r} is a {type(trans).__name__}; the serving form reads the "
                "blocks build_pipeline makes (TF-IDF, NumericMetadata)."
            )
        blocks.append(spec)
        offset += width
    clf = pipeline.named_steps["clf"]
    spec = {
        "format": SERVING_FORMAT,
        "views": {"mode": views.mode, "teencode": bool(views.teencode)},
        "blocks": blocks,
        "classes": [str(c) for c in clf.classes_],
        "gate": None,
    }
    if isinstance(clf, GatedClassifier) and clf.gate_ is None:  # a style prior only
        inner = clf.estimator_
    elif isinstance(clf, GatedClassifier):
        spec["gate"] = _compile_linear(clf.gate_, arrays, "gate__")
        spec["gate_floor"] = float(clf.gate_floor)
        spec["alpha"] = float(clf.alpha)
        spec["clean_index"] = int(clf.clean_index_)
        inner = clf.estimator_
    else:
        inner = clf
    spec["model"] = _compile_linear(inner, arrays, "model__")
    from ._explain import linear_weights

    classes, W = linear_weights(clf)
    spec["explain_classes"] = [str(c) for c in classes]
    arrays["explain_weights"] = np.asarray(W, dtype=np.float64).reshape(-1, offset)
    return ServingHead(spec, arrays)


def _tfidf_kind(name, trans, char_wb_analyzer) -> str:
    if trans.norm not in (None, "l1", "l2"):
        raise ValueError(f"block {name!r}: norm {trans.norm!r} is not served.")
    if trans.preprocessor is not None or trans.stop_words is not None:
        raise ValueError(f"block {name!r}: a preprocessor or stop words are not served.")
    if isinstance(trans.analyzer, char_wb_analyzer):
        return "char_wb"
    if trans.analyzer == "char_wb" and not trans.lowercase and trans.strip_accents is None:
        return "char_wb"
    if (
        trans.analyzer == "word"
        and trans.token_pattern == r"\S+"
        and trans.tokenizer is None
        and not trans.lowercase
        and trans.strip_accents is None
    ):
        return "words"
    raise ValueError(
        f"block {name!r}: analyzer {trans.analyzer!r} with token_pattern "
        f"{trans.token_pattern!r} is not served (build_pipeline's are)."
    )


def _compile_linear(clf, arrays: dict, prefix: str) -> dict:
    """A classifier as arrays: its linear part, kind, calibration and classes."""
    from sklearn.calibration import CalibratedClassifierCV

    calibration = None
    calibrators: list = []
    positions: list[int] = []
    classes = [str(c) for c in clf.classes_]
    if isinstance(clf, CalibratedClassifierCV):
        if len(clf.calibrated_classifiers_) != 1:
            raise ValueError("only CalibratedClassifierCV(ensemble=False) is served.")
        cc = clf.calibrated_classifiers_[0]
        est = cc.estimator
        calibration = cc.method
        if calibration not in ("sigmoid", "isotonic"):
            raise ValueError(f"calibration {calibration!r} is not served.")
        pos = np.searchsorted(np.asarray(clf.classes_), est.classes_)
        positions = [1] if len(classes) == 2 else [int(p) for p in pos]
        for k, cal in enumerate(cc.calibrators):
            if calibration == "sigmoid":
                calibrators.append({"a": float(cal.a_), "b": float(cal.b_)})
            else:
                x = np.asarray(cal.X_thresholds_, dtype=np.float64)
                y = np.asarray(cal.y_thresholds_, dtype=np.float64)
                if len(y) == 1:  # a constant: one point
                    x = np.asarray([float(cal.X_min_)])
                arrays[f"{prefix}iso{k}_x"] = x
                arrays[f"{prefix}iso{k}_y"] = y
                calibrators.append({"x_min": float(cal.X_min_), "x_max": float(cal.X_max_)})
    else:
        est = clf
    kind, coef, intercept = _linear_part(est)
    if calibration is None and kind == "decision":
        raise ValueError(f"a {type(est).__name__} without calibration has no probabilities.")
    arrays[prefix + "coef"] = coef
    arrays[prefix + "intercept"] = intercept
    return {
        "kind": kind,
        "classes": classes,
        "base_classes": [str(c) for c in est.classes_],
        "calibration": calibration,
        "positions": positions,
        "calibrators": calibrators,
    }


def _linear_part(est) -> tuple[str, np.ndarray, np.ndarray]:
    """(kind, coef (width, k), intercept (k,)) of a fitted linear model."""
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    if isinstance(est, ComplementNB):
        W = np.asarray(est.feature_log_prob_, dtype=np.float64)
        b = np.zeros(W.shape[0])
        if len(est.classes_) == 1:
            b = np.asarray(est.class_log_prior_, dtype=np.float64)
        return "nb", np.ascontiguousarray(W.T), b
    if isinstance(est, LogisticRegression):
        kind = "logreg"
    elif isinstance(est, SGDClassifier) and est.loss == "modified_huber":
        kind = "modified_huber"
    elif isinstance(est, LinearSVC | SGDClassifier):
        kind = "decision"
    else:
        raise ValueError(f"a {type(est).__name__} is not served (build_pipeline's are).")
    W = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
    b = np.atleast_1d(np.asarray(est.intercept_, dtype=np.float64))
    return kind, np.ascontiguousarray(W.T), b


def spec_json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


# -- the serving file -------------------------------------------------------------------------

#: the serving file beside model.skops: plain arrays (no pickles) and a JSON description
SERVING_FILE = "serving.npz"


def save_serving(heads: Mapping[str, ServingHead], file) -> None:
    """Write the heads' serving forms as one ``.npz`` of plain arrays.

    Each head's arrays are stored under ``h<i>__<name>``; its vocabularies as UTF-8 bytes
    (terms joined by newlines, which no term holds); the description (JSON, without the
    terms) as UTF-8 bytes under ``spec``.
    """
    arrays: dict[str, Any] = {}
    specs = {}
    for i, (name, head) in enumerate(heads.items()):
        spec, head_arrays = head.to_arrays()
        spec = dict(spec)
        blocks = []
        for b in spec["blocks"]:
            b = dict(b)
            terms = b.pop("terms", None)
            if terms is not None:
                if any("\n" in t for t in terms):
                    raise ValueError(f"head {name!r}, block {b['name']!r}: a term holds a newline.")
                arrays[f"h{i}__terms__{b['name']}"] = np.frombuffer(
                    "\n".join(terms).encode("utf-8"), dtype=np.uint8
                )
            blocks.append(b)
        spec["blocks"] = blocks
        coef = head_arrays["model__coef"]
        for key, value in head_arrays.items():
            if key == "explain_weights" and np.array_equal(value, coef.T):
                spec["explain_weights"] = "model"  # the model's coefficients: not stored twice
                continue
            arrays[f"h{i}__{key}"] = np.ascontiguousarray(value)
        specs[name] = {"index": i, "spec": spec}
    doc = {"format": SERVING_FORMAT, "heads": specs}
    arrays["spec"] = np.frombuffer(spec_json(doc).encode("utf-8"), dtype=np.uint8)
    _write_npz(file, arrays)


def _write_npz(file, arrays: Mapping[str, Any]) -> None:
    """An ``.npz`` that ``np.load`` reads, deflated (half the size of ``np.savez``'s; the
    vocabularies compress well) and byte-reproducible: members sorted, a fixed time."""
    import zipfile

    from numpy.lib import format as npy

    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for key in sorted(arrays):
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=True) as out:
                npy.write_array(out, np.asarray(arrays[key]), allow_pickle=False)


def load_serving(file, members: Mapping[str, bytes] | None = None) -> dict[str, ServingHead]:
    """The heads of a serving file (see :func:`save_serving`); never unpickles.

    ``members``: the file's members as bytes, already read (and checked) by the caller;
    the arrays are then parsed from them instead of inflating the file again.

    Raises
    ------
    ValueError
        The file is not a serving file of this format.
    """
    if members is None:
        with np.load(file, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    else:
        arrays = {}
        for member, raw in members.items():
            if not member.endswith(".npy"):
                raise ValueError(f"member {member!r} is not an array (.npy)")
            arrays[member[: -len(".npy")]] = np.lib.format.read_array(
                io.BytesIO(raw), allow_pickle=False
            )
    if "spec" not in arrays or arrays["spec"].dtype != np.uint8:
        raise ValueError("no 'spec' member")
    doc = json.loads(arrays.pop("spec").tobytes().decode("utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != SERVING_FORMAT:
        raise ValueError(f"serving format {doc.get('format')!r}, expected {SERVING_FORMAT}")
    heads = {}
    for name, entry in doc["heads"].items():
        prefix = f"h{int(entry['index'])}__"
        spec = dict(entry["spec"])
        own = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
        blocks = []
        for b in spec["blocks"]:
            b = dict(b)
            raw = own.pop(f"terms__{b['name']}", None)
            if raw is not None:
                if raw.dtype != np.uint8:
                    raise ValueError(f"terms of block {b['name']!r} are not bytes")
                text = raw.tobytes().decode("utf-8")
                b["terms"] = text.split("\n") if text or b["width"] else []
            blocks.append(b)
        spec["blocks"] = blocks
        for key, value in own.items():
            if value.dtype.kind not in "fiu":
                raise ValueError(f"array {key!r} of head {name!r} has dtype {value.dtype}")
        if spec.pop("explain_weights", None) == "model":
            own["explain_weights"] = own["model__coef"].T
        heads[name] = ServingHead(spec, own)
    return heads
