"""Decision bands: flag / review / pass (and abstain), and how their thresholds are chosen."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

__all__ = [
    "Decision",
    "Thresholds",
    "choose_thresholds",
    "band",
    "prior_shift",
    "overall_decision",
    "deciding_head",
    "LABEL_RULES",
    "label_indices",
    "head_labels",
    "choose_class_thresholds",
]


#: decision -> severity; the overall decision of a post is its most severe head's.
#: ``abstain`` (no text to score) is below ``pass``: it is no risk, and a post
#: abstains overall only when every head abstains.
SEVERITY = {"abstain": -1, "pass": 0, "review": 1, "flag": 2}


class Decision(StrEnum):
    """The band a post falls in. ``FLAG`` > ``REVIEW`` > ``PASS`` > ``ABSTAIN`` in severity.

    ``ABSTAIN``: the post has no text to score (missing, blank, or only links,
    numbers, emoji...); its probabilities are NaN. It is kept out of the review
    queue unless asked for (``score --queue-abstain``).
    """

    FLAG = "flag"
    REVIEW = "review"
    PASS = "pass"
    ABSTAIN = "abstain"

    @classmethod
    def from_str(cls, value: str) -> Decision:
        try:
            return cls(str(value).lower())
        except ValueError:
            valid = ", ".join(d.value for d in cls)
            raise ValueError(f"unknown decision {value!r}; valid decisions are: {valid}.") from None

    @property
    def severity(self) -> int:
        return SEVERITY[self.value]

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Thresholds:
    """Scores ``>= flag`` are flagged, ``>= review`` go to review, the rest pass.

    Attributes
    ----------
    flag, review : float
        Thresholds on the head's probability, ``0 <= review <= flag``; a value
        above 1 means the band is never used.
    """

    flag: float
    review: float

    def __post_init__(self):
        for name in ("flag", "review"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or np.isnan(value) or value < 0:
                raise ValueError(f"threshold {name!r} must be a number >= 0, got {value!r}.")
        if self.review > self.flag:
            raise ValueError(
                f"the review threshold ({self.review}) must not be above the flag threshold "
                f"({self.flag})."
            )

    def to_dict(self) -> dict:
        return {"flag": float(self.flag), "review": float(self.review)}

    @classmethod
    def from_dict(cls, d: dict) -> Thresholds:
        missing = {"flag", "review"} - set(d)
        if missing:
            raise ValueError(f"thresholds need 'flag' and 'review'; missing {sorted(missing)}.")
        return cls(float(d["flag"]), float(d["review"]))


def band(scores: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    """Decision (as a string array) for each score; NaN scores go to review."""
    scores = np.asarray(scores, dtype=float)
    flat = scores.reshape(-1)
    # 0 pass, 1 review, 2 flag; NaN compares False twice, then goes to review
    level = (flat >= thresholds.review).view(np.int8) + (flat >= thresholds.flag).view(np.int8)
    level[np.isnan(flat)] = 1
    return _BANDS[level].reshape(scores.shape)


# the bands by severity: pass, review, flag (abstain is never a band)
_BANDS = np.array(
    sorted((d for d in SEVERITY if SEVERITY[d] >= 0), key=SEVERITY.__getitem__), dtype=object
)


def overall_decision(per_head, n: int) -> np.ndarray:
    """The most severe decision over heads (see :data:`SEVERITY`), per row.

    ``per_head`` holds one array of ``n`` decision strings per head. With no head,
    every row passes.
    """
    per_head = [np.asarray(d, dtype=object).reshape(n) for d in per_head]
    if not per_head:
        return np.full(n, Decision.PASS.value, dtype=object)
    worst = _severities(per_head).argmax(axis=0)  # the first head of the most severe band
    return np.stack(per_head)[worst, np.arange(n)]


def _severities(per_head) -> np.ndarray:
    """(heads, n) severities of the heads' decision strings (n each)."""
    return np.array([[SEVERITY[d] for d in decisions] for decisions in per_head], dtype=np.int64)


def deciding_head(per_head: dict, n: int) -> np.ndarray:
    """The head that decides each row: the one in the most severe band, then the one
    furthest above its review threshold. The one definition behind ``decision``,
    the order of reasons, the queue's ``why`` and the review page.

    ``per_head`` maps a head's name to ``(decisions, scores, review_threshold)``. Rows
    where no head has a score (abstained or unreadable) get None.
    """
    names = list(per_head)
    out = np.full(n, None, dtype=object)
    if not names:
        return out
    sev = _severities([per_head[h][0] for h in names])
    scores = np.array([per_head[h][1] for h in names], dtype=float).reshape(len(names), n)
    review = np.array([float(per_head[h][2]) for h in names])
    key = sev * 10.0 + np.clip(scores - review[:, None], -1.0, 1.0)  # NaN: no score
    scored = key == key
    key[~scored] = -np.inf
    best = key.argmax(axis=0)
    has = scored.any(axis=0)
    out[has] = np.asarray(names, dtype=object)[best[has]]
    return out


def _check(y_true, scores):
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(
            f"y_true and scores must be 1-D and the same length, but y_true has shape "
            f"{y.shape} and scores has shape {s.shape}."
        )
    if not y.any() or y.all():
        raise ValueError("choosing thresholds needs both positive and negative examples.")
    return y, s


def choose_thresholds(
    y_true,
    scores,
    *,
    precision: float = 0.90,
    recall: float = 0.90,
    prevalence: float | None = None,
) -> Thresholds:
    """Choose the ``flag`` and ``review`` thresholds on validation data.

    ``flag`` is the lowest threshold whose flagged posts reach ``precision``;
    ``review`` is the highest threshold that still catches ``recall`` of the
    positive posts (and never above ``flag``).

    Parameters
    ----------
    y_true : array-like of bool
        True when the post is positive for the head (unreliable, harmful...).
    scores : array-like of float
        The head's probabilities.
    precision, recall : float
        Targets. If no threshold reaches ``precision``, ``flag`` is set above 1
        (nothing is flagged automatically; everything above ``review`` is reviewed).
    prevalence : float, optional
        The positive rate of the team's traffic. Precision is then the one expected
        at that rate: positives and negatives of the validation data are re-weighted
        by ``prevalence / rate`` and ``(1 - prevalence) / (1 - rate)``, the same prior
        shift as :func:`prior_shift` applies to calibrated probabilities. Research
        corpora are 15-20% positive; at 2% the same threshold flags far more false
        positives per true one.
    """
    y, s = _check(y_true, scores)
    w_pos, w_neg = 1.0, 1.0
    if prevalence is not None:
        rate = float(y.mean())
        if not 0.0 < float(prevalence) < 1.0:
            raise ValueError(f"prevalence must be a positive rate in (0, 1), got {prevalence!r}.")
        w_pos, w_neg = prevalence / rate, (1.0 - prevalence) / (1.0 - rate)
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    tp = np.cumsum(y_sorted)
    k = np.arange(1, len(s) + 1)
    # only cut between distinct scores
    last_of_run = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    prec = (w_pos * tp) / (w_pos * tp + w_neg * (k - tp))
    rec = tp / y.sum()
    ok = np.flatnonzero(last_of_run & (prec >= precision))
    flag = float(s_sorted[ok.max()]) if len(ok) else 1.01
    ok_r = np.flatnonzero(last_of_run & (rec >= recall))
    review = float(s_sorted[ok_r.min()]) if len(ok_r) else 0.0
    return Thresholds(flag=flag, review=min(review, flag))


def queue_per_100k(scores, thresholds: Thresholds, forced=None) -> dict:
    """Expected posts per 100,000 in each band, from a sample of scores.

    ``forced`` marks rows the model sends to review whatever their score; they are
    counted in the review band (leaving them out underestimates the queue).
    """
    s = np.asarray(scores, dtype=float)
    n = len(s)
    if not n:
        return {"flag": 0, "review": 0, "pass": 100_000, "n": 0}
    forced = np.zeros(n, dtype=bool) if forced is None else np.asarray(forced, dtype=bool)
    flag = float(np.mean(~forced & (s >= thresholds.flag))) * 100_000
    review = float(np.mean(forced | ((s >= thresholds.review) & (s < thresholds.flag)))) * 100_000
    return {
        "flag": round(flag),
        "review": round(review),
        "pass": 100_000 - round(flag) - round(review),
        "n": n,
    }


def prior_shift(proba, from_rate: float, to_rate: float) -> np.ndarray:
    """Probabilities calibrated at positive rate ``from_rate``, corrected to ``to_rate``.

    A calibrated model trained where positives are ``from_rate`` of the posts (17% in
    ReINTEL) over-states risk on traffic where they are ``to_rate`` (say 2%). Bayes'
    rule with the class priors swapped (Saerens et al., 2002) gives::

        p' = p r / (p r + (1 - p) (1 - r)),  r = odds(to_rate) / odds(from_rate)  (as ratio)

    The correction is monotone: it changes probabilities and the thresholds expressed
    on them, never the ranking.

    Parameters
    ----------
    proba : array-like of float
        Calibrated probabilities of the positive class.
    from_rate, to_rate : float
        Positive rates, in (0, 1).
    """
    for name, r in (("from_rate", from_rate), ("to_rate", to_rate)):
        if not 0.0 < float(r) < 1.0:
            raise ValueError(f"{name} must be a positive rate in (0, 1), got {r!r}.")
    p = np.asarray(proba, dtype=float)
    up = to_rate / from_rate
    down = (1.0 - to_rate) / (1.0 - from_rate)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (p * up) / (p * up + (1.0 - p) * down)


# -- labels ------------------------------------------------------------------------------

#: how a head picks its ``label`` (the decision bands never depend on it):
#:
#: - ``calibrated``: the most probable class (with ``class_offsets``: of the offset
#:   log-probabilities);
#: - ``thresholds``: per-class thresholds on the calibrated probabilities, chosen on
#:   validation data for macro-F1 (:func:`choose_class_thresholds`); the label is the most
#:   probable class among those at or above their threshold, else the clean class;
#: - ``balanced``: the class-weighted linear model inside the calibration (older models;
#:   its label can disagree with the probabilities shown next to it).
LABEL_RULES = ("calibrated", "thresholds", "balanced")


def _class_threshold_array(labels, clean_label: str, class_thresholds) -> np.ndarray:
    missing = [c for c in labels if c != clean_label and c not in class_thresholds]
    if missing:
        raise ValueError(
            f"class_thresholds has no threshold for class(es) {missing}; it has "
            f"{sorted(class_thresholds)}."
        )
    return np.array(
        [0.0 if c == clean_label else float(class_thresholds[c]) for c in labels], dtype=float
    )


def label_indices(
    proba, labels, clean_label: str, *, offsets=None, class_thresholds=None
) -> np.ndarray:
    """The label of each row, as an index into ``labels``, from its calibrated
    probabilities: the one place where a head's label rule is applied.

    Parameters
    ----------
    proba : ndarray of shape (n, n_classes)
        Calibrated probabilities in the order of ``labels``.
    labels : sequence of str
    clean_label : str
    offsets : sequence of float, optional
        Class offsets on the log-probabilities (arg-max of ``log p + offset``).
    class_thresholds : mapping of class to float, optional
        Per-class thresholds (every class but the clean one): the label is the most
        probable class whose probability reaches its threshold, else ``clean_label``.
        A post is never labelled a class whose probability is below that class's
        threshold, and never the clean class while another class reaches its own.
    """
    proba = np.asarray(proba, dtype=float)
    labels = [str(c) for c in labels]
    if class_thresholds is not None:
        t = _class_threshold_array(labels, clean_label, class_thresholds)
        clean = labels.index(clean_label)
        above = proba >= t[None, :]
        above[:, clean] = False
        masked = np.where(above, proba, -np.inf)
        idx = masked.argmax(axis=1)
        idx[~above.any(axis=1)] = clean
        return idx
    logp = np.log(np.clip(proba, 1e-12, 1.0))
    if offsets is not None:
        logp = logp + np.asarray(offsets, dtype=float)
    return logp.argmax(axis=1)


def head_labels(proba, labels, clean_label: str, *, offsets=None, class_thresholds=None):
    """:func:`label_indices` as class names (an object array)."""
    idx = label_indices(
        proba, labels, clean_label, offsets=offsets, class_thresholds=class_thresholds
    )
    return np.asarray([str(c) for c in labels], dtype=object)[idx]


def _macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    cm = np.bincount(y * k + pred, minlength=k * k).reshape(k, k)
    tp = np.diag(cm).astype(float)
    denom = cm.sum(axis=0) + cm.sum(axis=1)
    f1 = np.divide(2 * tp, denom, out=np.zeros(k), where=denom > 0)
    return float(f1.mean())


def choose_class_thresholds(
    y_class, proba, labels, clean_label: str, *, grid=None, rounds: int = 3
) -> tuple[dict[str, float], float]:
    """Per-class thresholds on calibrated probabilities that maximise macro-F1.

    A coordinate search on validation data: each class but the clean one in turn takes
    the grid value (default 0.05, 0.06, ..., 0.95) that improves macro-F1 most; ties
    keep the value closest to 0.5. Starts from 0.5 for every class.

    Parameters
    ----------
    y_class : array-like of int
        True class of each row, as an index into ``labels``.
    proba : ndarray of shape (n, n_classes)
    labels : sequence of str
    clean_label : str

    Returns
    -------
    (thresholds {class: value}, validation macro-F1 with them)
    """
    y = np.asarray(y_class, dtype=np.int64)
    proba = np.asarray(proba, dtype=float)
    labels = [str(c) for c in labels]
    k = len(labels)
    if grid is None:
        grid = np.round(np.arange(0.05, 0.9501, 0.01), 2)
    grid = np.asarray(sorted(grid, key=lambda v: (abs(v - 0.5), v)))
    th = {c: 0.5 for c in labels if c != clean_label}

    def score(trial) -> float:
        return _macro_f1(y, label_indices(proba, labels, clean_label, class_thresholds=trial), k)

    best = score(th)
    for _ in range(rounds):
        improved = False
        for c in list(th):
            for value in grid:
                trial = {**th, c: float(value)}
                s = score(trial)
                if s > best + 1e-9:
                    best, th, improved = s, trial, True
        if not improved:
            break
    return th, best
