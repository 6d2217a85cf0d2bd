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

from ._thresholds import Decision, Thresholds, band, head_labels

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
    class_thresholds=None,
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
        Predicted classes (default: the head's label rule with ``offsets`` or
        ``class_thresholds``, see :func:`~misinfo_clf._thresholds.label_indices`).
    class_thresholds : mapping of class to float, optional

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
        y_pred = head_labels(
            proba, labels, clean_label, offsets=offsets, class_thresholds=class_thresholds
        )
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


# -- bootstrap confidence intervals ------------------------------------------------------

#: metrics that get a bootstrap interval (those defined for the data)
CI_METRICS = (
    "macro_f1",
    "accuracy",
    "roc_auc",
    "pr_auc",
    "flag_precision",
    "flag_recall",
    "flag_or_review_recall",
)
#: below this many rows a slice's figures get a warning
SMALL_SLICE = 100


def _rank_auc(pos: np.ndarray, s: np.ndarray) -> np.ndarray:
    """ROC-AUC per row of ``s`` (B, n) for boolean ``pos`` (B, n), ties counted half; NaN
    where a row has a single class."""
    from scipy.stats import rankdata

    ranks = rankdata(s, axis=1)
    n1 = pos.sum(axis=1).astype(float)
    n0 = pos.shape[1] - n1
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = ((ranks * pos).sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)
    auc[(n1 == 0) | (n0 == 0)] = np.nan
    return auc


def _ap(y: np.ndarray, s: np.ndarray) -> float:
    if y.all() or not y.any():
        return np.nan
    return float(average_precision_score(y, s))


def bootstrap_ci(
    y_true,
    proba: np.ndarray,
    y_pred,
    labels,
    clean_label: str,
    thresholds: Thresholds,
    *,
    n_boot: int = 500,
    level: float = 0.95,
    seed: int = 0,
    f1_labels=None,
    metrics=CI_METRICS,
) -> dict:
    """Percentile bootstrap intervals of a head's headline metrics.

    Rows are resampled with replacement ``n_boot`` times (seeded); each metric is computed
    as in :func:`classification_metrics` on every resample, and the interval is the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles over resamples where it is
    defined (ROC-AUC needs both classes in the resample).

    Parameters
    ----------
    f1_labels : sequence of str, optional
        Classes that macro-F1 averages over (default: all of ``labels``).

    Returns
    -------
    dict
        ``{metric: [low, high]}`` (None when undefined in most resamples), plus
        ``n_boot``, ``level`` and ``seed``.
    """
    labels = [str(c) for c in labels]
    k = len(labels)
    index = {c: j for j, c in enumerate(labels)}
    y = np.array([index[str(c)] for c in y_true], dtype=np.int64)
    pred = np.array([index[str(c)] for c in y_pred], dtype=np.int64)
    proba = np.asarray(proba, dtype=float)
    clean = index[clean_label]
    score = 1.0 - proba[:, clean]
    n = len(y)
    out: dict = {"n_boot": int(n_boot), "level": float(level), "seed": int(seed)}
    if n == 0 or n_boot <= 0:
        return out
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    yb, pb, sb = y[idx], pred[idx], score[idx]
    pos = yb != clean
    values: dict[str, np.ndarray] = {}
    if "accuracy" in metrics:
        values["accuracy"] = (yb == pb).mean(axis=1)
    if "macro_f1" in metrics:
        f1_idx = [index[c] for c in (f1_labels or labels)]
        offset = (np.arange(n_boot) * k * k)[:, None]
        cm = np.bincount((offset + yb * k + pb).ravel(), minlength=n_boot * k * k)
        cm = cm.reshape(n_boot, k, k).astype(float)
        tp = np.diagonal(cm, axis1=1, axis2=2)
        denom = cm.sum(axis=1) + cm.sum(axis=2)
        f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
        values["macro_f1"] = f1[:, f1_idx].mean(axis=1)
    if "roc_auc" in metrics:
        if k == 2:
            values["roc_auc"] = _rank_auc(pos, sb)
        else:
            per = [_rank_auc(yb == j, proba[:, j][idx]) for j in range(k)]
            values["roc_auc"] = np.mean(per, axis=0)  # NaN unless every class is present
    if "pr_auc" in metrics:
        values["pr_auc"] = np.array([_ap(pos[b], sb[b]) for b in range(n_boot)])
    flagged = sb >= thresholds.flag
    queued = sb >= thresholds.review
    n_pos = pos.sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if "flag_precision" in metrics:
            values["flag_precision"] = (flagged & pos).sum(axis=1) / flagged.sum(axis=1)
        if "flag_recall" in metrics:
            values["flag_recall"] = (flagged & pos).sum(axis=1) / n_pos
        if "flag_or_review_recall" in metrics:
            values["flag_or_review_recall"] = (queued & pos).sum(axis=1) / n_pos
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    for name, v in values.items():
        ok = v[~np.isnan(v)]
        if len(ok) < 0.5 * n_boot:
            out[name] = None
        else:
            out[name] = [float(np.quantile(ok, lo_q)), float(np.quantile(ok, hi_q))]
    return out
