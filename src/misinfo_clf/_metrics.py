"""Metrics of one head on labelled data (shared by training, evaluation and tuning)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from ._thresholds import Decision, Thresholds, band

__all__ = ["classification_metrics", "expected_calibration_error"]


def _float(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def expected_calibration_error(y_true, prob, *, bins: int = 10) -> float:
    """ECE: the mean |accuracy - confidence| over ``bins`` equal-width bins of ``prob``,
    weighted by the share of samples in each bin (``y_true``: 0/1 outcomes)."""
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(prob, dtype=float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    ece = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            ece += m.mean() * abs(y[m].mean() - p[m].mean())
    return float(ece)


def _binary_auc(y_pos, score, fn) -> float | None:
    if y_pos.all() or not y_pos.any():
        return None
    return _float(fn(y_pos, score))


def _bands(y_pos: np.ndarray, score: np.ndarray, thresholds: Thresholds) -> dict:
    decision = band(score, thresholds)
    n_pos = max(int(y_pos.sum()), 1)
    out = {}
    for d in (Decision.FLAG, Decision.REVIEW, Decision.PASS):
        m = decision == d.value
        out[d.value] = {
            "n": int(m.sum()),
            "share": float(m.mean()) if len(m) else 0.0,
            "precision": _float(y_pos[m].mean()) if m.any() else None,
            "recall": float(y_pos[m].sum() / n_pos),
        }
    m = decision != Decision.PASS.value
    out["flag_or_review"] = {
        "n": int(m.sum()),
        "share": float(m.mean()) if len(m) else 0.0,
        "precision": _float(y_pos[m].mean()) if m.any() else None,
        "recall": float(y_pos[m].sum() / n_pos),
    }
    return out


def classification_metrics(
    y_true,
    proba: np.ndarray,
    labels,
    clean_label: str,
    thresholds: Thresholds,
    offsets=None,
    y_pred=None,
) -> dict:
    """Metrics of one head on labelled data.

    Parameters
    ----------
    y_true : array-like of str
        True class names.
    proba : ndarray of shape (n, n_classes)
        Class probabilities in the order of ``labels``.
    labels : list of str
    clean_label : str
        The negative class; the head score is ``1 - P(clean_label)``.
    thresholds : Thresholds
        For the decision bands.
    offsets : sequence of float, optional
        Class offsets added to the log-probabilities before the arg-max.
    y_pred : array-like of str, optional
        Predicted classes (default: arg-max with ``offsets``).

    Returns
    -------
    dict
        Flat numbers (``n``, ``accuracy``, ``macro_f1``, ``roc_auc`` (binary: on the
        score; multi-class: one-vs-rest macro), ``score_roc_auc`` (positive vs clean),
        ``pr_auc``, ``ece`` (10 bins, on the score), ``brier`` (on the score),
        ``flag_precision``, ``flag_recall``, ``flag_or_review_precision``,
        ``flag_or_review_recall``, ``f1_<CLASS>``) and nested ``per_class``,
        ``confusion_matrix``, ``bands``, ``thresholds``. Undefined values are None.
    """
    labels = [str(c) for c in labels]
    y = np.asarray(y_true, dtype=object).astype(str)
    proba = np.asarray(proba, dtype=float)
    if y_pred is None:
        logp = np.log(np.clip(proba, 1e-12, 1.0))
        if offsets is not None:
            logp = logp + np.asarray(offsets)
        y_pred = np.asarray(labels, dtype=object)[logp.argmax(axis=1)]
    y_pred = np.asarray(y_pred, dtype=object).astype(str)
    clean = labels.index(clean_label)
    score = 1.0 - proba[:, clean]
    y_pos = y != clean_label
    p, r, f, s = precision_recall_fscore_support(y, y_pred, labels=labels, zero_division=0)
    if len(labels) == 2:
        roc = _binary_auc(y_pos, score, roc_auc_score)
    else:
        present = set(y)
        roc = (
            _float(roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=labels))
            if present == set(labels)
            else None
        )
    onehot = (y[:, None] == np.asarray(labels)[None, :]).astype(float)
    out = {
        "n": len(y),
        "accuracy": float((y == y_pred).mean()),
        "macro_f1": float(f1_score(y, y_pred, labels=labels, average="macro", zero_division=0)),
        "roc_auc": roc,
        "score_roc_auc": _binary_auc(y_pos, score, roc_auc_score),
        "pr_auc": _binary_auc(y_pos, score, average_precision_score),
        "ece": expected_calibration_error(y_pos, score),
        "brier": float(np.mean((score - y_pos) ** 2)),
    }
    if len(labels) > 2:
        out["brier_multiclass"] = float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
    bands = _bands(y_pos, score, thresholds)
    out.update(
        flag_precision=bands["flag"]["precision"],
        flag_recall=bands["flag"]["recall"],
        flag_or_review_precision=bands["flag_or_review"]["precision"],
        flag_or_review_recall=bands["flag_or_review"]["recall"],
    )
    for j, c in enumerate(labels):
        out[f"f1_{c}"] = float(f[j])
    out["per_class"] = {
        c: {
            "precision": float(p[j]),
            "recall": float(r[j]),
            "f1": float(f[j]),
            "support": int(s[j]),
        }
        for j, c in enumerate(labels)
    }
    out["confusion_matrix"] = {
        "labels": labels,
        "matrix": confusion_matrix(y, y_pred, labels=labels).tolist(),
    }
    out["bands"] = bands
    out["thresholds"] = thresholds.to_dict()
    return out
