"""The traffic profile: what the model's scores look like on ordinary everyday posts.

Research corpora have 15-20% positives; a review team's traffic has a few percent. Bands
chosen on research data alone send far too many ordinary posts to review. A model
therefore keeps a *traffic profile*: the scores of all heads together for every post of a
reference sample of real, unlabelled everyday posts (score vectors only, never text).
From it the share of posts that would reach the queue through any head can be computed
for any thresholds, and the bands are sized so that the queue stays short
(:func:`size_bands`).

The profile is saved in the model directory as ``profile.npz`` (plain arrays, loaded with
``allow_pickle=False``); where it came from is recorded in the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._thresholds import Thresholds, choose_thresholds

__all__ = [
    "TrafficProfile",
    "build_profile",
    "queue_share",
    "size_bands",
    "rebuild_profile",
    "save_validation",
    "load_validation",
    "ValidationScores",
    "PROFILE_FILE",
    "VALIDATION_FILE",
]

PROFILE_FILE = "profile.npz"
#: each head's validation scores and positives (no text), kept so that bands can be
#: re-sized later (a new profile, a new capacity) without the training data
VALIDATION_FILE = "validation.npz"
#: default share of the profile that may be flagged, and that may reach the queue at all
FLAG_SHARE = 0.01
QUEUE_SHARE = 0.10


@dataclass(frozen=True)
class TrafficProfile:
    """Scores of every head on a reference sample of everyday posts.

    Attributes
    ----------
    heads : tuple of str
        Column names of ``scores``.
    scores : ndarray of shape (n_posts, n_heads)
        Each head's score (1 - P(clean)) per post; NaN where the post was not scored
        (no text, unreadable).
    sources : list of dict
        Where the posts came from (dataset names, rows, licences): no text.
    targets : dict
        The band sizes the thresholds were chosen for (``flag_share``, ``queue_share``).
    """

    heads: tuple[str, ...]
    scores: np.ndarray
    sources: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)

    def __post_init__(self):
        s = np.asarray(self.scores, dtype=np.float64)
        if s.ndim != 2 or s.shape[1] != len(self.heads):
            raise ValueError(
                f"profile scores must have shape (n_posts, {len(self.heads)}) for heads "
                f"{list(self.heads)}, got {s.shape}."
            )
        object.__setattr__(self, "scores", s)

    def __len__(self) -> int:
        return len(self.scores)

    @property
    def scored(self) -> np.ndarray:
        """Rows where every head has a score (posts with text)."""
        return ~np.isnan(self.scores).any(axis=1)

    def head(self, name: str) -> np.ndarray:
        if name not in self.heads:
            raise KeyError(f"the profile has no head {name!r}; its heads are {list(self.heads)}.")
        return self.scores[:, self.heads.index(name)]

    def save(self, directory) -> Path:
        path = Path(directory) / PROFILE_FILE
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            heads=np.asarray(self.heads, dtype=str),
            scores=self.scores.astype(np.float32),
        )
        tmp.replace(path)
        return path

    def to_manifest(self, thresholds: Mapping[str, Thresholds] | None = None) -> dict:
        """What the manifest records of the profile (never text)."""
        out = {
            "file": PROFILE_FILE,
            "posts": len(self),
            "scored_posts": int(self.scored.sum()),
            "heads": list(self.heads),
            "sources": self.sources,
            "targets": self.targets,
        }
        if thresholds is not None:
            out["expected"] = queue_share(self, thresholds)
        return out

    @classmethod
    def load(cls, path, sources: list | None = None, targets: dict | None = None) -> TrafficProfile:
        """Read ``profile.npz`` (no pickles: the file cannot carry code)."""
        with np.load(path, allow_pickle=False) as data:
            if set(data.files) != {"heads", "scores"}:
                raise ValueError(f"{path}: expected arrays 'heads' and 'scores', got {data.files}.")
            heads = tuple(str(h) for h in data["heads"])
            scores = np.asarray(data["scores"], dtype=np.float64)
        return cls(heads, scores, list(sources or []), dict(targets or {}))


def build_profile(model, texts: Sequence, sources: list | None = None) -> TrafficProfile:
    """Score ``texts`` with every head of ``model`` and keep the scores (never the text)."""
    import pandas as pd

    frame = model.predict_frame(pd.DataFrame({"text": list(texts)}), explain=False)
    heads = tuple(model.heads)
    scores = np.column_stack([frame[f"{h}_prob"].to_numpy(dtype=np.float64) for h in heads])
    return TrafficProfile(heads, scores, list(sources or []))


def _hits(profile: TrafficProfile, thresholds: Mapping[str, Thresholds], band: str) -> np.ndarray:
    """(n_posts,) bool: the post reaches ``band`` ("flag" or "review") through any head."""
    out = np.zeros(len(profile), dtype=bool)
    for name in profile.heads:
        if name not in thresholds:
            continue
        t = getattr(thresholds[name], band)
        with np.errstate(invalid="ignore"):
            out |= profile.head(name) >= t
    return out


def queue_share(profile: TrafficProfile, thresholds: Mapping[str, Thresholds]) -> dict:
    """Shares of the profile's scored posts in each band, overall and per head.

    Returns
    -------
    dict
        ``flag`` (share flagged through any head), ``queue`` (share in flag or review
        through any head), ``per_head`` ``{head: {"flag": .., "queue": ..}}``, ``n``.
    """
    ok = profile.scored
    n = int(ok.sum())
    if not n:
        raise ValueError("the traffic profile has no scored posts.")
    flag = _hits(profile, thresholds, "flag")[ok]
    queue = _hits(profile, thresholds, "review")[ok]
    per_head = {}
    for name in profile.heads:
        if name in thresholds:
            s = profile.head(name)[ok]
            per_head[name] = {
                "flag": float(np.mean(s >= thresholds[name].flag)),
                "queue": float(np.mean(s >= thresholds[name].review)),
            }
    return {"flag": float(flag.mean()), "queue": float(queue.mean()), "per_head": per_head, "n": n}


def _quantile_thresholds(profile, floors: Mapping[str, float], q: float) -> dict[str, float]:
    """Per head: the score above which a share ``q`` of the profile lies, never below the
    head's floor."""
    ok = profile.scored
    out = {}
    for name, floor in floors.items():
        s = profile.head(name)[ok]
        out[name] = max(float(floor), float(np.quantile(s, 1.0 - q, method="higher")))
    return out


def _fit_share(profile, floors: Mapping[str, float], target: float) -> dict[str, float]:
    """The lowest per-head thresholds (a common profile quantile per head, never below the
    floors) whose union reaches at most ``target`` of the profile."""
    ok = profile.scored

    def share(th: Mapping[str, float]) -> float:
        hit = np.zeros(int(ok.sum()), dtype=bool)
        for name, t in th.items():
            hit |= profile.head(name)[ok] >= t
        return float(hit.mean())

    floors_th = dict(floors)
    if share(floors_th) <= target:
        return floors_th
    lo, hi = 0.0, target  # share per head; union of heads at q=target is >= target
    best = _quantile_thresholds(profile, floors, 0.0)
    for _ in range(40):
        mid = (lo + hi) / 2
        th = _quantile_thresholds(profile, floors, mid)
        if share(th) <= target:
            lo, best = mid, th
        else:
            hi = mid
    return best


def _allocate_review(
    profile: TrafficProfile,
    validation: Mapping[str, tuple[np.ndarray, np.ndarray]],
    starts: Mapping[str, float],
    floors: Mapping[str, float],
    target: float,
    levels: int = 80,
) -> dict[str, float]:
    """Review thresholds that share the queue budget where it buys the most recall.

    Every head starts at ``starts`` (its flag threshold) and may go down to its floor
    (its recall target's threshold). Greedily, the move (one head to a lower candidate
    threshold) with the largest gain in validation recall per share of the profile added
    to the union of the queue is taken, while the union stays within ``target``.
    Candidates are the profile's score quantiles (``levels`` of them, geometrically
    spaced shares up to ``target``).
    """
    ok = profile.scored
    scores = {h: profile.head(h)[ok] for h in starts}
    pos = {
        h: np.sort(np.asarray(validation[h][1])[np.asarray(validation[h][0], bool)]) for h in starts
    }

    def recall(h: str, t: float) -> float:
        p = pos[h]
        return float(len(p) - np.searchsorted(p, t, side="left")) / max(len(p), 1)

    shares = np.geomspace(1e-4, target, levels)
    cands = {}
    for h in starts:
        qs = {float(np.quantile(scores[h], 1.0 - q, method="higher")) for q in shares}
        qs.add(float(floors[h]))
        cands[h] = sorted((t for t in qs if floors[h] <= t < starts[h]), reverse=True)
    th = dict(starts)
    hit = np.zeros(int(ok.sum()), dtype=bool)
    for h, t in th.items():
        hit |= scores[h] >= t
    index = {h: -1 for h in th}  # position in cands[h] of the current threshold
    while True:
        now = hit.mean()
        best = None  # (ratio, gain, head, j, new_hit)
        for h in th:
            r0 = recall(h, th[h])
            for j in range(index[h] + 1, len(cands[h])):
                t = cands[h][j]
                new_hit = hit | (scores[h] >= t)
                share = new_hit.mean()
                if share > target + 1e-12:
                    break
                gain = recall(h, t) - r0
                if gain <= 0:
                    continue
                ratio = gain / max(share - now, 1e-9)
                if best is None or (ratio, gain) > (best[0], best[1]):
                    best = (ratio, gain, h, j, new_hit)
        if best is None:
            return _fill(th, scores, floors, target, recall)
        _, _, h, j, hit = best
        index[h], th[h] = j, cands[h][j]


def _fill(th, scores, floors, target, recall) -> dict[str, float]:
    """Spend what the quantile grid of :func:`_allocate_review` left of the budget: the
    one head that gains the most validation recall moves down to the lowest of its
    profile scores (never below its floor) at which the queue stays within ``target``."""
    best = None  # (gain, head, threshold)
    for h, t0 in th.items():
        others = np.zeros(len(scores[h]), dtype=bool)  # the queue through the other heads
        for name, t in th.items():
            if name != h:
                others |= scores[name] >= t
        values = np.unique(np.r_[scores[h][(scores[h] >= floors[h]) & (scores[h] < t0)], floors[h]])
        lo, hi = 0, len(values)  # values[hi:] keep the queue within target
        while lo < hi:
            mid = (lo + hi) // 2
            if (others | (scores[h] >= values[mid])).mean() <= target + 1e-12:
                hi = mid
            else:
                lo = mid + 1
        if hi < len(values):
            t = float(values[hi])
            gain = recall(h, t) - recall(h, t0)
            if gain > 0 and (best is None or gain > best[0]):
                best = (gain, h, t)
    if best is not None:
        th = {**th, best[1]: best[2]}
    return th


def size_bands(
    validation: Mapping[str, tuple[np.ndarray, np.ndarray]],
    profile: TrafficProfile,
    *,
    precision: Mapping[str, float] | float = 0.90,
    recall: Mapping[str, float] | float = 0.90,
    flag_share: float = FLAG_SHARE,
    queue_share_max: float = QUEUE_SHARE,
    prevalence: Mapping[str, float | None] | None = None,
) -> tuple[dict[str, Thresholds], dict]:
    """Flag and review thresholds of all heads together, sized for everyday traffic.

    * ``flag``: the head's precision target on its validation data (``precision``),
      raised where needed so that at most ``flag_share`` of the profile is flagged
      through any head;
    * ``review``: as low as the head's ``recall`` target asks (no lower: a lower
      threshold adds posts without needed recall), raised where needed so that the
      whole queue (flag or review through any head) is at most ``queue_share_max`` of
      the profile. The budget goes where it buys the most validation recall per post
      added to the queue (greedy, see :func:`_allocate_review`): a head whose positives
      are caught early (scam hooks) leaves room for one that needs more (harmful).

    Parameters
    ----------
    validation : mapping of head to (y_positive, scores)
        Labelled validation data of each head (bool positives, the head's scores).
    profile : TrafficProfile
    precision, recall : float or mapping of head to float
    flag_share, queue_share_max : float
        Shares of the profile.
    prevalence : mapping of head to float, optional
        Expected positive rate of real traffic per head: the precision target then holds
        at that rate (see :func:`~misinfo_clf._thresholds.choose_thresholds`).

    Returns
    -------
    thresholds : dict of head to Thresholds
    report : dict
        Per head: the precision and recall targets' thresholds, the final thresholds,
        validation precision at flag and recall at review; and the profile shares.
    """
    if not 0 < flag_share <= queue_share_max <= 1:
        raise ValueError(
            f"expected 0 < flag_share <= queue_share <= 1, got {flag_share} and {queue_share_max}."
        )
    heads = [h for h in profile.heads if h in validation]
    missing = sorted(set(validation) - set(profile.heads))
    if missing:
        raise ValueError(f"the traffic profile has no scores for head(s) {missing}.")
    base = {}
    for h in heads:
        y, s = validation[h]
        p = precision[h] if isinstance(precision, Mapping) else precision
        r = recall[h] if isinstance(recall, Mapping) else recall
        base[h] = choose_thresholds(
            y, s, precision=p, recall=r, prevalence=(prevalence or {}).get(h)
        )
    flags = _fit_share(profile, {h: base[h].flag for h in heads}, flag_share)
    floors = {h: min(base[h].review, flags[h]) for h in heads}
    if queue_share(profile, {h: Thresholds(flags[h], floors[h]) for h in heads})["queue"] <= (
        queue_share_max
    ):
        reviews = floors
    else:
        reviews = _allocate_review(
            profile, {h: validation[h] for h in heads}, flags, floors, queue_share_max
        )
    out = {h: Thresholds(flag=flags[h], review=min(reviews[h], flags[h])) for h in heads}
    report = {"heads": {}, "profile": queue_share(profile, out)}
    for h in heads:
        y, s = (np.asarray(a) for a in validation[h])
        y = y.astype(bool)
        flagged = s >= out[h].flag
        report["heads"][h] = {
            "target_thresholds": base[h].to_dict(),
            "thresholds": out[h].to_dict(),
            "validation_precision_at_flag": float(y[flagged].mean()) if flagged.any() else None,
            "validation_recall_at_flag": float(flagged[y].mean()),
            "validation_recall_in_queue": float((s[y] >= out[h].review).mean()),
        }
    return out, report


class ValidationScores(tuple):
    """One head's validation predictions, no text: ``(y_positive, scores)`` as a pair.

    Unpacks like the pair ``(y_positive, scores)`` that band sizing reads. When training
    kept them, also:

    Attributes
    ----------
    proba : ndarray of shape (n, n_classes) or None
        Class probabilities in the order of the head's ``labels``.
    y_class : ndarray of int or None
        True class of each row, as an index into the head's ``labels``.
    pred : ndarray of int or None
        The label the model gives each row (its label rule), as an index.
    """

    proba: np.ndarray | None
    y_class: np.ndarray | None
    pred: np.ndarray | None

    def __new__(cls, y, score, proba=None, y_class=None, pred=None):
        y = np.asarray(y, dtype=bool)
        score = np.asarray(score, dtype=np.float64)
        obj = super().__new__(cls, (y, score))
        obj.proba = None if proba is None else np.asarray(proba, dtype=np.float64)
        obj.y_class = None if y_class is None else np.asarray(y_class, dtype=np.int64)
        obj.pred = None if pred is None else np.asarray(pred, dtype=np.int64)
        n = len(y)
        if score.shape != (n,) or y.ndim != 1:
            raise ValueError(
                f"y and score must be 1-D of one length, got {y.shape}, {score.shape}."
            )
        for name in ("proba", "y_class", "pred"):
            value = getattr(obj, name)
            if value is not None and len(value) != n:
                raise ValueError(f"{name} has {len(value)} rows, y has {n}.")
        return obj

    def __reduce__(self):
        # copy, deepcopy and pickle rebuild through __new__ with every field
        return (type(self), (self[0], self[1], self.proba, self.y_class, self.pred))

    @property
    def has_classes(self) -> bool:
        """True when the class probabilities and true classes were kept."""
        return self.proba is not None and self.y_class is not None


#: array name suffixes of one head in :data:`VALIDATION_FILE`
_VALIDATION_ARRAYS = ("y", "score", "proba", "class", "pred")


def save_validation(directory, validation: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> Path:
    """Write ``{head: (y_positive, scores)}`` as plain arrays (``<head>__y``,
    ``<head>__score``; with :class:`ValidationScores`, also ``<head>__proba``,
    ``<head>__class`` and ``<head>__pred``)."""
    arrays: dict[str, Any] = {}
    for head, v in validation.items():
        y, score = v
        arrays[f"{head}__y"] = np.asarray(y, dtype=bool)
        arrays[f"{head}__score"] = np.asarray(score, dtype=np.float64)
        for key, attr in (("proba", "proba"), ("class", "y_class"), ("pred", "pred")):
            value = getattr(v, attr, None)
            if value is not None:
                arrays[f"{head}__{key}"] = value
    path = Path(directory) / VALIDATION_FILE
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)
    return path


def load_validation(path) -> dict[str, ValidationScores]:
    """Read :data:`VALIDATION_FILE` (no pickles)."""
    with np.load(path, allow_pickle=False) as data:
        heads = sorted({k.rsplit("__", 1)[0] for k in data.files})
        out = {}
        for h in heads:
            if f"{h}__y" not in data.files or f"{h}__score" not in data.files:
                raise ValueError(f"{path}: head {h!r} lacks its y or score array.")
            unknown = {k for k in data.files if k.rsplit("__", 1)[0] == h} - {
                f"{h}__{s}" for s in _VALIDATION_ARRAYS
            }
            if unknown:
                raise ValueError(f"{path}: unexpected arrays {sorted(unknown)}.")
            y, score = data[f"{h}__y"], data[f"{h}__score"]
            if y.dtype != bool or y.shape != score.shape:
                raise ValueError(f"{path}: head {h!r} has malformed arrays.")
            extra = {}
            for key, attr in (("proba", "proba"), ("class", "y_class"), ("pred", "pred")):
                if f"{h}__{key}" in data.files:
                    value = data[f"{h}__{key}"]
                    if value.dtype.kind not in "fiu":
                        raise ValueError(f"{path}: head {h!r}: {key} is not numeric.")
                    extra[attr] = value
            try:
                out[h] = ValidationScores(y, score, **extra)
            except ValueError as exc:
                raise ValueError(f"{path}: head {h!r}: {exc}") from None
    return out


def rebuild_profile(
    model,
    texts: Sequence[str],
    *,
    sources: list | None = None,
    flag_share: float | None = None,
    queue_share_max: float | None = None,
) -> dict:
    """Replace ``model``'s traffic profile by the scores of ``texts`` (a team's own
    unlabelled posts) and re-size its bands for them.

    The bands are re-sized with the validation scores kept with the model (see
    :data:`VALIDATION_FILE`); a model without them keeps its thresholds and only
    reports the expected queue. ``model`` is changed in place; save it with
    :func:`~misinfo_clf.save_model`.

    Returns
    -------
    dict
        ``before`` and ``after``: expected shares (:func:`queue_share`) on the new
        profile with the old and the new thresholds; ``resized`` (bool).
    """
    texts = list(texts)
    if not texts:
        raise ValueError("rebuilding a traffic profile needs posts; got none.")
    old = model.profile
    targets = dict(old.targets) if old is not None else {}
    if flag_share is not None:
        targets["flag_share"] = float(flag_share)
    if queue_share_max is not None:
        targets["queue_share"] = float(queue_share_max)
    targets.setdefault("flag_share", FLAG_SHARE)
    targets.setdefault("queue_share", QUEUE_SHARE)
    profile = build_profile(model, texts, sources)
    profile.targets.update(targets)
    current = {n: h.thresholds for n, h in model.heads.items()}
    report = {"posts": len(texts), "before": queue_share(profile, current), "resized": False}
    validation = model.validation
    if validation:
        thresholds, bands = size_bands(
            validation,
            profile,
            precision={
                n: h.info.get("threshold_targets", {}).get("precision", 0.9)
                for n, h in model.heads.items()
            },
            recall={
                n: h.info.get("threshold_targets", {}).get("recall", 0.9)
                for n, h in model.heads.items()
            },
            prevalence={
                n: h.info.get("threshold_targets", {}).get("prevalence")
                for n, h in model.heads.items()
            },
            flag_share=targets["flag_share"],
            queue_share_max=targets["queue_share"],
        )
        for name, th in thresholds.items():
            model.heads[name].thresholds = th
            model.heads[name].info["bands"] = bands["heads"][name]
        report["resized"] = True
    model.profile = profile
    report["after"] = queue_share(profile, {n: h.thresholds for n, h in model.heads.items()})
    return report
