"""The inference path of a head: the same arithmetic as scikit-learn, without its overhead.

scikit-learn validates inputs on every ``transform``/``predict_proba`` call, which
costs about a millisecond per step: more than the arithmetic for a single post.
:class:`FastHead` reads the fitted attributes once and redoes the same arithmetic
(TF-IDF with sublinear tf, idf and the norm; linear decision; sigmoid calibration),
for one post or thousands, with the same operations in the same order:

* every row is computed on its own (counts, ``log``, idf, then the row norm summed
  left to right as scikit-learn's ``normalize`` does), so a post
  gets bit-identical features and probabilities alone, in a chunk of 7 or of
  2,000 (tested), and the same features as ``ColumnTransformer.transform``;
* the linear decision is one sparse-times-dense product, computed row by row.

Heads it does not understand (isotonic calibration, other classifiers) fall back to
the scikit-learn pipeline, also at every size. Tests check that both paths give the
same probabilities.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer

from ._features import GatedClassifier, apply_damping, damp

__all__ = ["FastHead"]


_Block = tuple[np.ndarray, np.ndarray, np.ndarray]  # CSR parts: data, indices, indptr


def _normalize_rows(data: np.ndarray, indptr: np.ndarray, norm: str | None) -> None:
    """Divide each row by its norm, in place, as scikit-learn's ``normalize`` does.

    The sum of each row runs left to right (``cumsum``), like scikit-learn's
    ``inplace_csr_row_normalize_l2``: a row's norm never depends on the other rows.
    """
    if norm not in ("l1", "l2"):
        return
    for i in range(len(indptr) - 1):
        a, b = indptr[i], indptr[i + 1]
        if a == b:
            continue
        row = data[a:b]
        if norm == "l2":
            total = float(np.cumsum(row * row)[-1])
            if total == 0.0:
                continue
            row /= math.sqrt(total)
        else:
            total = float(np.cumsum(np.abs(row))[-1])
            if total == 0.0:
                continue
            row /= total


class _Tfidf:
    def __init__(self, vec: TfidfVectorizer):
        self.analyzer = vec.build_analyzer()
        self.vocab = vec.vocabulary_
        self.idf = np.asarray(vec.idf_, dtype=np.float64) if vec.use_idf else None
        self.sublinear = vec.sublinear_tf
        self.binary = vec.binary
        self.norm = vec.norm
        self.width = len(self.vocab)

    def rows(self, docs: list) -> _Block:
        """TF-IDF rows of ``docs`` as CSR parts, as ``TfidfVectorizer.transform`` computes them."""
        get, analyzer = self.vocab.get, self.analyzer
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for doc in docs:
            c = Counter(j for j in map(get, analyzer(doc)) if j is not None)
            indices.extend(c.keys())
            counts.extend(c.values())
            indptr.append(len(indices))
        idx = np.asarray(indices, dtype=np.int64)
        val = np.asarray(counts, dtype=np.float64)
        ptr = np.asarray(indptr, dtype=np.int64)
        # sort each row by column (rows never mix: the key puts the row first)
        if len(docs) == 1:  # same order as below, fewer steps (one post per API call)
            order = np.argsort(idx)
        else:
            row = np.repeat(np.arange(len(docs), dtype=np.int64), np.diff(ptr))
            order = np.argsort(row * self.width + idx)
        idx, val = idx[order], val[order]
        if self.binary:
            val[:] = 1.0
        if self.sublinear:
            np.log(val, out=val)
            val += 1.0
        if self.idf is not None:
            val *= self.idf[idx]
        _normalize_rows(val, ptr, self.norm)
        return val, idx, ptr


def _dense_rows(dense: np.ndarray) -> _Block:
    """CSR parts of a dense (n, k) block, zeros left out (as ``csr_matrix(dense)``)."""
    r, c = np.nonzero(dense)
    ptr = np.zeros(dense.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=dense.shape[0]), out=ptr[1:])
    return dense[r, c], c.astype(np.int64), ptr


def _hstack(blocks: list[tuple[_Block, int]], n: int, width: int) -> sparse.csr_matrix:
    """Blocks side by side (each with its column offset): one row after the other, each
    row holding its blocks' entries in block order, as ``sparse.hstack`` gives."""
    if n == 1:  # same layout as below, fewer steps (one post per API call)
        data = np.concatenate([val for (val, _, _), _ in blocks] or [np.empty(0)])
        indices = np.concatenate([idx + off for (_, idx, _), off in blocks] or [np.empty(0, int)])
        indptr = np.array([0, len(data)], dtype=np.int64)
        return sparse.csr_matrix((data, indices, indptr), shape=(1, width))
    lengths = [np.diff(ptr) for (_, _, ptr), _ in blocks]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.sum(lengths, axis=0) if blocks else np.zeros(n, np.int64), out=indptr[1:])
    data = np.empty(indptr[-1], dtype=np.float64)
    indices = np.empty(indptr[-1], dtype=np.int64)
    before = indptr[:-1].copy()  # where each row's next block starts
    for ((val, idx, ptr), offset), length in zip(blocks, lengths, strict=True):
        row = np.repeat(np.arange(n, dtype=np.int64), length)
        pos = before[row] + (np.arange(len(idx), dtype=np.int64) - ptr[:-1][row])
        data[pos] = val
        indices[pos] = idx + offset
        before += length
    return sparse.csr_matrix((data, indices, indptr), shape=(n, width))


class FastHead:
    """Features and probabilities of one head without per-call validation.

    ``supported`` is False when the head holds something this path does not
    know; callers then use the scikit-learn pipeline.
    """

    def __init__(self, head):
        self.supported = False
        ct = head.pipeline.named_steps["features"]
        #: (kind, column(s), transformer, first column in the feature matrix)
        self.blocks: list[tuple[str, Any, Any, int]] = []
        offset = 0
        for name, trans, cols in ct.transformers_:
            if name == "remainder" or (isinstance(trans, str) and trans == "drop"):
                continue
            if isinstance(trans, TfidfVectorizer) and trans.norm in (None, "l1", "l2"):
                block = _Tfidf(trans)
                self.blocks.append(("tfidf", cols, block, offset))
                offset += block.width
            elif isinstance(trans, TfidfVectorizer):
                return
            else:
                width = len(trans.get_feature_names_out())
                self.blocks.append(("dense", cols, trans, offset))
                offset += width
        self.width = offset
        clf = head.pipeline.named_steps["clf"]
        self.classes = np.asarray(clf.classes_)
        self.gate = None
        if isinstance(clf, GatedClassifier) and clf.gate_ is None:  # a style prior only
            clf = clf.estimator_
        elif isinstance(clf, GatedClassifier):
            self.gate = _SigmoidLinear.of(clf.gate_)
            self.floor, self.alpha, self.clean = clf.gate_floor, clf.alpha, clf.clean_index_
            if self.gate is None or self.gate.coef.shape[0] != self.width:
                return
            clf = clf.estimator_
        self.model = _SigmoidLinear.of(clf)
        self.supported = self.model is not None and self.model.coef.shape[0] == self.width

    def features(self, views) -> sparse.csr_matrix:
        """The head's feature matrix for ``views`` (dict of lists, or a DataFrame)."""
        n = len(views["text"])
        blocks = []
        for kind, col, block, offset in self.blocks:
            if kind == "tfidf":
                docs = views[col]
                parts = block.rows(docs if isinstance(docs, list) else docs.tolist())
            else:
                data = views[col] if isinstance(views, pd.DataFrame) else {c: views[c] for c in col}
                with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
                    dense = np.asarray(block.transform(data), dtype=np.float64)
                parts = _dense_rows(dense.reshape(n, -1))
            blocks.append((parts, offset))
        return _hstack(blocks, n, self.width)

    def predict_proba(self, X) -> np.ndarray:
        proba = self.model.predict_proba(X)
        if self.gate is not None:
            g = self.gate.predict_proba(X)[:, 1]
            proba = apply_damping(proba, damp(g, self.floor, self.alpha), self.clean)
        return proba


class _SigmoidLinear:
    """A linear model inside ``CalibratedClassifierCV(method="sigmoid", ensemble=False)``,
    as arrays: the same arithmetic as scikit-learn's ``predict_proba``, in the same order."""

    def __init__(self, clf, cc, est):
        self.classes = np.asarray(clf.classes_)
        # transposed like scikit-learn's ``X @ coef_.T``: same memory layout, same sums
        self.coef = np.asarray(est.coef_, dtype=np.float64).T  # (n_features, k)
        self.intercept = np.asarray(est.intercept_, dtype=np.float64)
        self.sigmoids = [(float(c.a_), float(c.b_)) for c in cc.calibrators]
        positions = np.searchsorted(self.classes, est.classes_)
        if len(self.classes) == 2:
            positions = np.array([1])
        self.positions = positions

    @classmethod
    def of(cls, clf):
        """The arrays of ``clf``, or None if it is not such a model."""
        if not isinstance(clf, CalibratedClassifierCV) or len(clf.calibrated_classifiers_) != 1:
            return None
        cc = clf.calibrated_classifiers_[0]
        est = cc.estimator
        if cc.method != "sigmoid" or not hasattr(est, "coef_") or not hasattr(est, "intercept_"):
            return None
        return cls(clf, cc, est)

    def predict_proba(self, X) -> np.ndarray:
        decision = np.asarray(X @ self.coef) + self.intercept
        n_classes = len(self.classes)
        proba = np.zeros((X.shape[0], n_classes))
        for k, (a, b) in enumerate(self.sigmoids):
            proba[:, self.positions[k]] = expit(-(a * decision[:, k] + b))
        if n_classes == 2:
            proba[:, 0] = 1.0 - proba[:, 1]
        else:
            denom = proba.sum(axis=1, keepdims=True)
            proba = np.divide(
                proba, denom, out=np.full_like(proba, 1 / n_classes), where=denom != 0
            )
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba
