"""Wrapping pipelines fitted by hand (from :func:`~misinfo_clf.build_pipeline`) into a
:class:`~misinfo_clf.Model` with thresholds, validation metrics and a model card."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._io import json_safe
from ._metrics import classification_metrics
from ._model import Head, Model
from ._profile import ValidationScores
from ._thresholds import Thresholds, choose_class_thresholds, choose_thresholds, head_labels

__all__ = ["model_from_pipelines"]


def _frame(X, where: str) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        return X.reset_index(drop=True)
    if isinstance(X, pd.Series) or isinstance(X, list | tuple | np.ndarray):
        return pd.DataFrame({"text": list(X)})
    raise TypeError(f"{where}: expected a DataFrame with a 'text' column or a list of posts.")


def model_from_pipelines(
    pipelines: Mapping,
    *,
    clean_labels: Mapping[str, str],
    validation: Mapping | None = None,
    thresholds: Mapping | None = None,
    precision: float | Mapping[str, float] = 0.90,
    recall: float | Mapping[str, float] = 0.90,
    label_rule: str | Mapping[str, str] = "calibrated",
    metadata: Mapping[str, tuple] | None = None,
    training_data: Mapping[str, list] | None = None,
    name: str = "misinfo_clf",
    version: str = "0",
) -> Model:
    """A :class:`~misinfo_clf.Model` from pipelines you fitted yourself.

    Each head needs its thresholds: chosen here on validation data (``validation``: for
    each head, posts it was not fitted on and their true classes) for a target precision
    (``flag``) and recall (``review``), or given (``thresholds``). With validation data,
    the head also gets validation metrics (in the manifest and card) and its validation
    predictions are kept (no text) so that ``tune-thresholds`` and ``evaluate --config``
    can use them later. Save the result with :func:`~misinfo_clf.save_model`.

    Parameters
    ----------
    pipelines : mapping of head name to Pipeline
        Fitted pipelines from :func:`~misinfo_clf.build_pipeline` (all with the same
        preprocessing; other pipelines cannot be saved: model files load no code).
    clean_labels : mapping of head name to str
        Each head's negative class (``reliable``, ``CLEAN``...).
    validation : mapping of head name to (X, y), optional
        ``X``: a DataFrame with ``text`` (and the head's metadata columns) or a list of
        posts; ``y``: their class names.
    thresholds : mapping of head name to Thresholds or dict, optional
        Thresholds to use as they are (for heads without validation data).
    precision, recall : float or mapping of head name to float
        Threshold targets on the validation data.
    label_rule : str or mapping of head name to str
        ``calibrated`` or ``thresholds`` (per-class thresholds chosen on the validation
        data; see :data:`misinfo_clf._thresholds.LABEL_RULES`).
    metadata : mapping of head name to tuple of str, optional
        Metadata columns each pipeline was built with.
    training_data : mapping of head name to list of dict, optional
        What each head was trained on, for the card: ``[{"name": ..., "rows": ...,
        "licence": ...}]``. Default: "not recorded".
    name, version : str

    Returns
    -------
    Model

    Examples
    --------
    >>> import misinfo_clf, pandas as pd  # doctest: +SKIP
    >>> df = pd.read_csv("datasets/sample/posts_labelled.csv")  # doctest: +SKIP
    >>> pipe = misinfo_clf.build_pipeline(min_df=1).fit(df[["text"]][:300], df["harmful"][:300])
    >>> model = model_from_pipelines(  # doctest: +SKIP
    ...     {"harmful": pipe},
    ...     clean_labels={"harmful": "CLEAN"},
    ...     validation={"harmful": (df[["text"]][300:], df["harmful"][300:])},
    ... )
    >>> misinfo_clf.save_model(model, "models/mine")  # doctest: +SKIP
    """

    def per_head(value, head):
        return value.get(head) if isinstance(value, Mapping) else value

    validation = dict(validation or {})
    thresholds = dict(thresholds or {})
    unknown = sorted((set(validation) | set(thresholds) | set(clean_labels)) - set(pipelines))
    if unknown:
        raise KeyError(f"head(s) {unknown} are not in pipelines ({list(pipelines)}).")
    heads, kept = [], {}
    for head, pipe in pipelines.items():
        if head not in clean_labels:
            raise ValueError(f"head {head!r}: give its clean label (clean_labels={{...}}).")
        clean = str(clean_labels[head])
        meta = tuple((metadata or {}).get(head, ()))
        rule = per_head(label_rule, head) or "calibrated"
        info: dict = {
            "training_data": list(
                (training_data or {}).get(head) or [{"name": "not recorded", "licence": "unknown"}]
            ),
        }
        if head in validation:
            X, y = validation[head]
            X = _frame(X, f"validation of head {head!r}")
            y = np.asarray(pd.Series(y).astype(str))
            labels = [str(c) for c in pipe.classes_]
            unseen = sorted(set(y) - set(labels))
            if unseen:
                raise ValueError(
                    f"head {head!r}: validation classes {unseen} are not classes of the "
                    f"pipeline ({labels})."
                )
            proba = pipe.predict_proba(X)
            score = 1.0 - proba[:, labels.index(clean)]
            y_pos = y != clean
            p, r = float(per_head(precision, head)), float(per_head(recall, head))
            try:
                th = choose_thresholds(y_pos, score, precision=p, recall=r)
            except ValueError as exc:
                raise ValueError(f"head {head!r}: validation data: {exc}") from None
            y_idx = np.array([labels.index(c) for c in y])
            class_th = None
            if rule == "thresholds":
                class_th, _ = choose_class_thresholds(y_idx, proba, labels, clean)
                info["class_thresholds"] = class_th
            pred = head_labels(proba, labels, clean, class_thresholds=class_th)
            m = classification_metrics(y, proba, labels, clean, th, y_pred=pred)
            info.update(
                validation={
                    "method": "validation data given to model_from_pipelines",
                    "rows": len(y),
                },
                metrics={f"validation_{k}": v for k, v in m.items() if isinstance(v, float | int)},
                threshold_targets={"precision": p, "recall": r},
            )
            pred_idx = np.array([labels.index(c) for c in pred])
            kept[head] = ValidationScores(y_pos, score, proba, y_idx, pred_idx)
        elif head in thresholds:
            value = thresholds[head]
            th = value if isinstance(value, Thresholds) else Thresholds.from_dict(value)
            if rule == "thresholds":
                raise ValueError(
                    f"head {head!r}: label_rule='thresholds' chooses per-class thresholds on "
                    "validation data; give validation for this head."
                )
        else:
            raise ValueError(
                f"head {head!r}: give validation data (to choose its thresholds) or its thresholds."
            )
        heads.append(
            Head(
                name=head,
                pipeline=pipe,
                clean_label=clean,
                thresholds=th,
                metadata=meta,
                info=json_safe(info),
                label_rule=rule,
            )
        )
    return Model(heads, name=name, version=version, validation=kept)
