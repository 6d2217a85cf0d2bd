"""Likely label errors: posts whose out-of-fold model strongly disagrees with their label."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from ._features import build_pipeline
from ._validation import check_columns

__all__ = ["find_label_issues"]


def find_label_issues(
    data,
    labels=None,
    *,
    text_col: str = "text",
    label_col: str = "label",
    folds: int = 5,
    random_state: int = 0,
    n_jobs: int | None = None,
    **pipeline_params,
) -> pd.DataFrame:
    """Rank labelled posts by how unlikely their label looks to an out-of-fold model.

    Each post is scored by a :func:`~misinfo_clf.build_pipeline` model trained on the
    other folds, so the model never saw it. A low probability for the given label
    (``p_given_label``) marks a post worth re-reading: often a label error, sometimes
    a hard or ambiguous case. This is a list for people to check, not a correction.

    Parameters
    ----------
    data : DataFrame or sequence of str
        Posts; a DataFrame holds them in ``text_col`` (and labels in ``label_col``
        when ``labels`` is None).
    labels : sequence, optional
        One label per post (default: ``data[label_col]``).
    folds : int, default=5
        Stratified folds; every class needs at least this many posts.
    random_state : int, default=0
    n_jobs : int, optional
        Processes for the fold fits (``cross_val_predict``).
    **pipeline_params
        Passed to :func:`~misinfo_clf.build_pipeline` (e.g. ``min_df=1``).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``data``, sorted by ``p_given_label`` (most suspicious first):
        ``text``, ``label``, ``p_given_label``, ``predicted``, ``p_predicted`` and
        ``p_<class>`` per class.
    """
    if isinstance(data, pd.DataFrame):
        check_columns(data.columns, [text_col], role="text")
        texts = data[text_col]
        if labels is None:
            check_columns(data.columns, [label_col], role="label")
            labels = data[label_col]
    else:
        if isinstance(data, str | bytes):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        texts = pd.Series(list(data))
    if labels is None:
        raise ValueError("labels are needed: pass labels= or a DataFrame with a label column.")
    y = np.asarray(labels, dtype=object).astype(str)
    if len(y) != len(texts):
        raise ValueError(
            f"data and labels must be the same length, but data has {len(texts)} posts and "
            f"labels has {len(y)}."
        )
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"finding label issues needs at least two classes, got {list(classes)}.")
    if counts.min() < folds:
        rare = {c: int(n) for c, n in zip(classes, counts, strict=True) if n < folds}
        raise ValueError(f"every class needs at least folds={folds} posts; too few: {rare}.")
    frame = pd.DataFrame({"text": texts.to_numpy()})
    pipe = build_pipeline(random_state=random_state, **pipeline_params)
    cv = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    # one BLAS thread per fit: on a busy machine spinning threads slow small fits a lot
    with threadpool_limits(limits=1):
        proba = cross_val_predict(pipe, frame, y, cv=cv, method="predict_proba", n_jobs=n_jobs)
    given = np.searchsorted(classes, y)
    best = proba.argmax(axis=1)
    out = pd.DataFrame(
        {
            "text": texts.to_numpy(),
            "label": y,
            "p_given_label": proba[np.arange(len(y)), given],
            "predicted": classes[best],
            "p_predicted": proba[np.arange(len(y)), best],
            **{f"p_{c}": proba[:, j] for j, c in enumerate(classes)},
        },
        index=texts.index,
    )
    return out.sort_values("p_given_label", kind="stable")
