"""What reviewed posts tell about the next queue and the bands.

* :func:`mark_reviewed`: which queued posts were reviewed already, by id or as a near
  duplicate of a reviewed post, to leave them out of the next queue or pre-label them;
* :func:`band_precision`: the real precision of a head's flag and review bands, measured
  on the reviewers' decisions (reviewed posts are queue posts: recall cannot be
  measured from them, and precision only down to the review threshold in force when
  they were queued).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["mark_reviewed", "reviewed_filter", "band_precision"]


def _frame(reviewed) -> pd.DataFrame:
    from ._label_studio import read_reviewed

    return read_reviewed(reviewed)


def _heads(rev: pd.DataFrame) -> list[str]:
    from ._label_studio import reviewed_heads

    return reviewed_heads(rev)


def mark_reviewed(
    posts: pd.DataFrame,
    reviewed,
    *,
    id_col: str = "id",
    text_col: str = "text",
    threshold: float = 0.5,
) -> pd.DataFrame:
    """For each row of ``posts``, the reviewed post it repeats, or nothing.

    A row matches a reviewed post with the same id, or one whose text is a near
    duplicate (:func:`~misinfo_clf._queue.near_duplicate_groups` at ``threshold``).

    Returns
    -------
    DataFrame
        Aligned with ``posts``: ``reviewed_id`` (None when the row matches nothing),
        ``reviewed_match`` (``id`` or ``near-duplicate``) and the reviewer's class per
        head as ``reviewed_<head>``.
    """
    from ._queue import near_duplicate_groups

    rev = _frame(reviewed)
    heads = _heads(rev)
    n = len(posts)
    rid = rev["id"].astype(str).tolist()
    by_id = {r: k for k, r in enumerate(rid)}
    ids = (
        posts[id_col].map(lambda v: None if v is None or v != v else str(v)).tolist()
        if id_col in posts.columns
        else [None] * n
    )
    match = np.full(n, -1, dtype=np.int64)
    how = np.full(n, None, dtype=object)
    for i, pid in enumerate(ids):
        if pid is not None and pid in by_id:
            match[i], how[i] = by_id[pid], "id"
    if text_col in posts.columns and len(rev):
        texts = [t if isinstance(t, str) else "" for t in rev["text"]]
        texts += [t if isinstance(t, str) else "" for t in posts[text_col]]
        groups = near_duplicate_groups(texts, threshold=threshold)
        first: dict[int, int] = {}
        for k in range(len(rev)):
            first.setdefault(int(groups[k]), k)
        for i in range(n):
            if match[i] < 0:
                k = first.get(int(groups[len(rev) + i]))
                if k is not None:
                    match[i], how[i] = k, "near-duplicate"
    hit = match >= 0
    out = pd.DataFrame(index=posts.index)
    out["reviewed_id"] = np.where(hit, np.asarray(rid, dtype=object)[np.maximum(match, 0)], None)
    out["reviewed_match"] = how
    for h in heads:
        vals = rev[h].to_numpy(dtype=object)
        out[f"reviewed_{h}"] = np.where(hit, vals[np.maximum(match, 0)], None)
    return out


def reviewed_filter(
    reviewed, *, id_col: str = "id", mode: str = "exclude", threshold: float = 0.5
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A function that takes a queue and leaves out (``mode="exclude"``) or pre-labels
    (``mode="label"``: ``reviewed_*`` columns, see :func:`mark_reviewed`) the posts
    reviewed already. Excluding renumbers the groups (1 = riskiest, no gaps)."""
    if mode not in ("exclude", "label"):
        raise ValueError(f"mode must be 'exclude' or 'label', got {mode!r}.")
    rev = _frame(reviewed)

    def apply(queue: pd.DataFrame) -> pd.DataFrame:
        marks = mark_reviewed(queue, rev, id_col=id_col, threshold=threshold)
        if mode == "label":
            out = queue.copy()
            at = out.columns.get_loc("reasons") if "reasons" in out.columns else len(out.columns)
            for k, c in enumerate(marks.columns):
                out.insert(at + k, c, marks[c].to_numpy())
            return out
        keep = marks["reviewed_id"].isna().to_numpy()
        out = queue.loc[keep].reset_index(drop=True)
        if "group_id" in out.columns and len(out):
            gid = pd.factorize(out["group_id"])[0] + 1
            out["group_id"] = gid.astype("int64")
            out["group_size"] = out["group_id"].map(out["group_id"].value_counts()).astype("int64")
        return out

    return apply


def band_precision(reviewed, head: str, *, clean_label: str, thresholds=None) -> dict:
    """The precision of ``head``'s bands on the reviewers' decisions.

    Parameters
    ----------
    reviewed : path or DataFrame
        Reviewed posts (``review-import``): the reviewer's class in column ``head`` and
        the model's score at review time in ``<head>_prob``.
    head : str
    clean_label : str
        The head's clean class: a post is a true positive when the reviewer chose
        another class.
    thresholds : Thresholds or dict, optional
        Bands to measure (default: the bands in force at review time, read from
        ``<head>_decision``).

    Returns
    -------
    dict
        ``rows`` (posts with a reviewer's class for this head), ``flag`` and ``review``
        (``n``, ``positives``, ``precision``: None without rows), ``by_threshold``
        (precision of ``score >= t`` at the reviewed scores' deciles), ``lowest_score``
        (below it nothing was reviewed: precision there is unknown).
    """
    from ._thresholds import Thresholds

    rev = _frame(reviewed)
    for c in (head, f"{head}_prob"):
        if c not in rev.columns:
            raise ValueError(
                f"the reviewed posts have no column {c!r}; their heads are {_heads(rev)}."
            )
    rows = rev[rev[head].notna()]
    score = pd.to_numeric(rows[f"{head}_prob"], errors="coerce").to_numpy(dtype=float)
    pos = (rows[head].astype(str) != str(clean_label)).to_numpy()
    ok = np.isfinite(score)
    score, pos = score[ok], pos[ok]
    if thresholds is None:
        dec = rows[f"{head}_decision"].astype(str).to_numpy()[ok]
        in_flag, in_review = dec == "flag", dec == "review"
    else:
        t = thresholds if isinstance(thresholds, Thresholds) else Thresholds.from_dict(thresholds)
        in_flag = score >= t.flag
        in_review = (score >= t.review) & ~in_flag

    def prec(mask) -> dict:
        n = int(mask.sum())
        p = int(pos[mask].sum())
        return {"n": n, "positives": p, "precision": (p / n) if n else None}

    grid = np.unique(np.quantile(score, np.linspace(0, 0.9, 10))) if len(score) else []
    return {
        "head": head,
        "rows": int(len(score)),
        "flag": prec(in_flag),
        "review": prec(in_review),
        "by_threshold": [{"threshold": float(t), **prec(score >= t)} for t in grid],
        "lowest_score": float(score.min()) if len(score) else None,
    }
