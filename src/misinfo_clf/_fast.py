"""A lean inference path for small batches (one post from an API call).

scikit-learn validates inputs on every ``transform``/``predict_proba`` call, which
costs about a millisecond per step: more than the arithmetic for a single post.
:class:`FastHead` reads the fitted attributes once and redoes the same arithmetic
(TF-IDF with sublinear tf, idf and l2 norm; linear decision; sigmoid calibration).
Heads it does not understand fall back to the scikit-learn path. Tests check that
both paths give the same probabilities.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import sklearn
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["FastHead"]


class _Tfidf:
    def __init__(self, vec: TfidfVectorizer):
        self.analyzer = vec.build_analyzer()
        self.vocab = vec.vocabulary_
        self.idf = np.asarray(vec.idf_, dtype=np.float64) if vec.use_idf else None
        self.sublinear = vec.sublinear_tf
        self.binary = vec.binary
        self.norm = vec.norm
        self.width = len(self.vocab)

    def row(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        vocab = self.vocab
        counts = Counter(j for j in map(vocab.get, self.analyzer(doc)) if j is not None)
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        val = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        order = np.argsort(idx)
        idx, val = idx[order], val[order]
        if self.binary:
            val[:] = 1.0
        if self.sublinear:
            val = np.log(val) + 1.0
        if self.idf is not None:
            val = val * self.idf[idx]
        if self.norm == "l2":
            n = math.sqrt(float(np.dot(val, val)))
            if n > 0:
                val = val / n
        elif self.norm == "l1":
            n = float(np.abs(val).sum())
            if n > 0:
                val = val / n
        return idx, val


class FastHead:
    """Features and probabilities of one head without per-call validation.

    ``supported`` is False when the head holds something this path does not
    know; callers then use the scikit-learn pipeline.
    """

    def __init__(self, head):
        self.supported = False
        ct = head.pipeline.named_steps["features"]
        self.blocks = []
        offset = 0
        for name, trans, cols in ct.transformers_:
            if name == "remainder" or (isinstance(trans, str) and trans == "drop"):
                continue
            if isinstance(trans, TfidfVectorizer):
                block = _Tfidf(trans)
                self.blocks.append(("tfidf", cols, block, offset))
                offset += block.width
            else:
                width = len(trans.get_feature_names_out())
                self.blocks.append(("dense", cols, trans, offset))
                offset += width
        self.width = offset
        clf = head.pipeline.named_steps["clf"]
        self.classes = np.asarray(clf.classes_)
        if not isinstance(clf, CalibratedClassifierCV) or len(clf.calibrated_classifiers_) != 1:
            return
        cc = clf.calibrated_classifiers_[0]
        est = cc.estimator
        if cc.method != "sigmoid" or not hasattr(est, "coef_") or not hasattr(est, "intercept_"):
            return
        self.coef = np.asarray(est.coef_, dtype=np.float64).T  # (n_features, k)
        self.intercept = np.asarray(est.intercept_, dtype=np.float64)
        self.sigmoids = [(float(c.a_), float(c.b_)) for c in cc.calibrators]
        positions = np.searchsorted(self.classes, est.classes_)
        if len(self.classes) == 2:
            positions = np.array([1])
        self.positions = positions
        self.supported = self.coef.shape[0] == self.width

    def features(self, views) -> sparse.csr_matrix:
        """The head's feature matrix for ``views`` (dict of lists, or a DataFrame)."""
        n = len(views["text"])
        per_row: list[list] = [[] for _ in range(n)]
        for kind, col, block, offset in self.blocks:
            if kind == "tfidf":
                docs = views[col]
                for i, doc in enumerate(docs if isinstance(docs, list) else docs.tolist()):
                    idx, val = block.row(doc)
                    per_row[i].append((idx + offset, val))
            else:
                data = views[col] if isinstance(views, pd.DataFrame) else {c: views[c] for c in col}
                with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
                    dense = np.asarray(block.transform(data), dtype=np.float64)
                for i in range(n):
                    nz = np.flatnonzero(dense[i])
                    per_row[i].append((nz + offset, dense[i, nz]))
        indptr = np.zeros(n + 1, dtype=np.int64)
        indices, data = [], []
        for i, parts in enumerate(per_row):
            for idx, val in parts:
                indices.append(idx)
                data.append(val)
            indptr[i + 1] = indptr[i] + sum(len(idx) for idx, _ in parts)
        if indices:
            ind, dat = np.concatenate(indices), np.concatenate(data)
        else:
            ind, dat = np.empty(0, dtype=np.int64), np.empty(0)
        return sparse.csr_matrix((dat, ind, indptr), shape=(n, self.width))

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
