"""Training a multi-head model from a TOML config.

A config names the model and lists one ``[heads.<name>]`` table per head::

    [model]
    name = "misinfo_clf-default"
    version = "1.0"
    tokenizer = "syllable"        # shared by every head ("syllable" or "word")
    seed = 0

    [heads.harmful]
    layout = "vihsd"              # a known layout (see misinfo_clf._io.LAYOUTS) ...
    train = "train"               # ... whose splits are named here
    validation = "dev"            # thresholds and class offsets are chosen here
    test = "test"                 # only read by `misinfo-clf evaluate --config`
    C = 4.0                       # pipeline parameters (see build_pipeline)
    tune_offsets = true

    [heads.misinformation]
    train = "../data/posts.csv"   # or a file (relative to the config file) ...
    text_col = "text"
    label_col = "misinformation"
    labels = { 0 = "reliable", 1 = "unreliable" }
    clean_label = "reliable"
    metadata = ["num_like_post"]
    validation_folds = 5          # no validation data: out-of-fold predictions

Validation data for thresholds, class offsets and the metrics in the model card:

- ``validation = <split or file>``: the model is fitted on ``train`` and scored on it.
- otherwise ``validation_folds = k`` (default 5): out-of-fold predictions over
  ``train`` (stratified, seeded), then the shipped model is refitted on all of
  ``train``. The thresholds therefore come from k models fitted on (k-1)/k of the
  data, a slight mismatch with the final model accepted for using every row.
- or ``validation_split = f`` (with ``validation_folds = 0``): a stratified hold-out
  of ``f`` of train, then the same refit on all rows (cheaper, noisier).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import ParameterGrid, StratifiedKFold, cross_val_score
from sklearn.model_selection import train_test_split as _split
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ._config import (
    EXTRA_KEYS,
    PIPELINE_KEYS,
    HeadSpec,
    ProfileSpec,
    _pipeline_param,
    _specs_and_profile,
    head_specs,
    load_config,
)
from ._features import build_pipeline
from ._io import LabelledData, json_safe
from ._metrics import classification_metrics
from ._model import Head, Model
from ._profile import ValidationScores
from ._progress import Steps
from ._thresholds import LABEL_RULES, choose_class_thresholds, choose_thresholds, head_labels
from ._types import Progress, StrPath
from .text import strip_accents

__all__ = [
    "train",
    "cross_validate",
    "load_config",
    "head_specs",
    "HeadSpec",
    "tune_class_offsets",
]

log = logging.getLogger("misinfo_clf.train")


def _profile_and_bands(model: Model, spec: ProfileSpec, specs, validation, report) -> None:
    """Score the everyday posts of ``[profile]``, keep their scores with the model, and size
    every head's bands for that traffic (see :func:`misinfo_clf._profile.size_bands`)."""
    from ._profile import build_profile, size_bands

    texts, records = spec.read()
    report(f"traffic profile: scoring {len(texts)} everyday posts")
    profile = build_profile(model, texts, records)
    thresholds, band_report = size_bands(
        validation,
        profile,
        precision={h: s.precision for h, s in specs.items()},
        recall={h: s.recall for h, s in specs.items()},
        prevalence={h: s.prevalence for h, s in specs.items()},
        flag_share=spec.flag_share,
        queue_share_max=spec.queue_share,
    )
    for name, th in thresholds.items():
        model.heads[name].thresholds = th
        model.heads[name].info["bands"] = band_report["heads"][name]
    model.profile = profile
    profile.targets.update(flag_share=spec.flag_share, queue_share=spec.queue_share)
    shares = band_report["profile"]
    report(
        f"traffic profile: {len(profile)} posts; expected queue {shares['queue']:.1%} "
        f"(flag {shares['flag']:.1%}); "
        + ", ".join(f"{h} flag {t.flag:.4f} review {t.review:.4f}" for h, t in thresholds.items())
    )


# -- offsets -----------------------------------------------------------------------------


def tune_class_offsets(
    proba: np.ndarray,
    y: np.ndarray,
    *,
    fixed: int = 0,
    grid: np.ndarray | None = None,
    rounds: int = 3,
) -> tuple[np.ndarray, float, float]:
    """Per-class additive log-probability offsets that maximise macro-F1 on ``y``.

    A coordinate search: each class but ``fixed`` in turn takes the grid value that
    improves macro-F1 most, for a few rounds; ties keep the smaller offset.

    Returns
    -------
    (offsets, macro-F1 with them, macro-F1 of the plain arg-max)
    """
    from sklearn.metrics import f1_score

    if grid is None:
        grid = np.round(np.arange(-2.0, 2.0001, 0.05), 2)
    grid = np.asarray(sorted(grid, key=lambda v: (abs(v), v)))
    logp = np.log(np.clip(proba, 1e-12, 1.0))
    labels = np.arange(proba.shape[1])

    def score(off):
        return f1_score(y, (logp + off).argmax(axis=1), labels=labels, average="macro")

    offsets = np.zeros(proba.shape[1])
    base = best = score(offsets)
    for _ in range(rounds):
        improved = False
        for j in labels:
            if j == fixed:
                continue
            for value in grid:
                trial = offsets.copy()
                trial[j] = value
                s = score(trial)
                if s > best + 1e-9:
                    best, offsets, improved = s, trial, True
        if not improved:
            break
    return offsets, float(best), float(base)


# -- training -----------------------------------------------------------------------------


def _usable(data: LabelledData, what: str, report) -> tuple[pd.DataFrame, int]:
    """Drop rows with missing text (counted, logged); never silently."""
    frame = data.frame
    n_nan = len(data.nan_text_rows)
    if n_nan:
        rows = data.nan_text_rows
        shown = ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
        report(
            f"{what}: {data.source['path']}: dropped {n_nan} of {len(frame)} rows with no "
            f"text (data rows {shown})"
        )
        frame = frame[frame["text"].notna()]
    if not len(frame):
        raise ValueError(f"{what}: {data.source['path']}: no rows with text.")
    return frame.reset_index(drop=True), n_nan


def _check_classes(y: np.ndarray, spec: HeadSpec, where: str, need: int) -> list[str]:
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(
            f"{where}: column {spec.label_col!r} has a single class {classes.tolist()} in "
            f"{len(y)} rows; a head needs at least two classes."
        )
    if spec.clean_label not in classes:
        raise ValueError(
            f"{where}: clean_label {spec.clean_label!r} does not occur in column "
            f"{spec.label_col!r}; classes are {classes.tolist()}."
        )
    small = {str(c): int(n) for c, n in zip(classes, counts, strict=True) if n < need}
    if small:
        raise ValueError(
            f"{where}: column {spec.label_col!r}: class(es) {small} have fewer than {need} "
            f"rows, too few for the {need}-fold calibration/validation; add data, merge the "
            "class, or lower calibration_cv / validation_folds."
        )
    return [str(c) for c in classes]


def _views(views, frame: pd.DataFrame, metadata, *, stripped: bool = False) -> pd.DataFrame:
    X = frame[["text", *metadata]].reset_index(drop=True)
    if stripped:
        X = X.assign(text=[strip_accents(t) for t in X["text"]])
    return views.transform(X)


def _fit(params: dict, V: pd.DataFrame, y, sample_weight=None) -> Pipeline:
    """Build a pipeline and fit it on precomputed views (TextViews is stateless)."""
    pipe = build_pipeline(**params)
    fit_params = {} if sample_weight is None else {"clf__sample_weight": sample_weight}
    Pipeline(pipe.steps[1:]).fit(V, np.asarray(y, dtype=object), **fit_params)
    return pipe


def _base_predict(pipe: Pipeline, V: pd.DataFrame):
    """Labels from the class-weighted model inside the calibration (None if there is none)."""
    from ._model import base_estimator

    base = base_estimator(pipe.named_steps["clf"])
    if base is None:
        return np.full(len(V), None, dtype=object)
    return base.predict(pipe[:-1].transform(V)).astype(object)


def _proba(pipe: Pipeline, V: pd.DataFrame) -> np.ndarray:
    return Pipeline(pipe.steps[1:]).predict_proba(V)


class _TrainingSet:
    """Views of the training rows, plus accent-stripped copies when augmenting, plus the
    head's extra rows (``[[heads.<name>.extra]]``, with their sample weights).

    Extra rows join every fit (each validation fold's too) but are never scored for
    validation: the validation metrics stay about the head's own data.
    """

    def __init__(self, V, y, V_plain=None, changed=None, V_extra=None, y_extra=None, w_extra=None):
        self.V, self.y, self.V_plain, self.changed = V, y, V_plain, changed
        self.V_extra, self.y_extra, self.w_extra = V_extra, y_extra, w_extra

    def subset(self, idx) -> tuple[pd.DataFrame, np.ndarray, np.ndarray | None]:
        V, y = self.V.iloc[idx], self.y[idx]
        w = np.ones(len(y))
        if self.V_plain is not None:
            extra = np.asarray(idx)[self.changed[idx]]
            V = pd.concat([V, self.V_plain.iloc[extra]])
            y = np.concatenate([y, self.y[extra]])
            w = np.ones(len(y))
        if self.V_extra is not None:
            V = pd.concat([V, self.V_extra])
            y = np.concatenate([y, self.y_extra])
            w = np.concatenate([w, self.w_extra])
            return V.reset_index(drop=True), y, w
        return V.reset_index(drop=True), y, None

    def all(self):
        return self.subset(np.arange(len(self.y)))


def _add_extra(spec: HeadSpec, ts: _TrainingSet, views, classes, report) -> list[dict]:
    """Read the head's ``[[heads.<name>.extra]]`` tables into ``ts``; their source records."""
    from ._sources import read_source

    tables = spec.table.get("extra") or []
    if isinstance(tables, Mapping):
        tables = [tables]
    frames, labels, weights, sources = [], [], [], []
    for k, table in enumerate(tables, start=1):
        where = f"[[heads.{spec.name}.extra]] #{k}"
        sample = read_source(
            table,
            base_dir=spec.base_dir,
            data_dir=spec.data_dir,
            where=where,
            extra_keys=EXTRA_KEYS,
            head=spec.name,
        )
        if sample.labels is None and "label" not in table:
            raise ValueError(f"{where}: set label = the class every row of this source gets.")
        # a reviewed file (layout = "reviewed") brings one label per row
        row_labels = sample.labels or [str(table["label"])]
        label = str(table.get("label", "reviewed labels"))
        outside = (spec.params.get("gate") or {}).get("outside_label", "ordinary")
        uses_outside = spec.params.get("gate") is not None or bool(spec.params.get("style_prior"))
        for lab in dict.fromkeys(row_labels):
            if lab not in classes and not (uses_outside and lab == outside):
                raise ValueError(
                    f"{where}: label {lab!r} is not one of the head's classes {classes}."
                )
        weight = float(table.get("weight", 1.0))
        if not weight > 0:
            raise ValueError(f"{where}: weight must be > 0, got {table.get('weight')!r}.")
        frame = pd.DataFrame({"text": sample.texts})
        for col in spec.metadata:
            frame[col] = np.nan
        frames.append(frame)
        labels.append(
            np.asarray(sample.labels, dtype=object)
            if sample.labels is not None
            else np.full(len(frame), label, dtype=object)
        )
        weights.append(np.full(len(frame), weight))
        everyday = sample.labels is None and label == outside and label not in classes
        if everyday and spec.params.get("gate") is not None:
            role = f"everyday rows ({label!r}): train the gate and the style prior, not the classes"
        elif everyday:
            role = f"everyday rows ({label!r}): the style prior's reference only, not training rows"
        else:
            role = f"extra rows labelled {label!r}, weight {weight:g}"
        sources.append({**sample.source, "role": role})
        report(
            f"{spec.name}: + {len(frame)} extra rows from {sample.source['name']} as {label!r} (weight {weight:g})"
        )
    if frames:
        frame = pd.concat(frames, ignore_index=True)
        ts.V_extra = _views(views, frame, spec.metadata)
        ts.y_extra = np.concatenate(labels).astype(str)
        ts.w_extra = np.concatenate(weights)
    return sources


def _folds(spec: HeadSpec, frame: pd.DataFrame, y, folds: int, seed: int):
    """Validation folds: stratified, or grouped by ``group_col`` (variants of one seed
    message stay together, or the figures would be inflated)."""
    idx = np.arange(len(y))
    group_col = spec.table.get("group_col")
    if group_col is None:
        cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
        return list(
            cv.split(idx, y)
        ), f"{folds}-fold out-of-fold predictions on train (seed {seed})"
    from sklearn.model_selection import StratifiedGroupKFold

    if group_col not in frame.columns:
        raise ValueError(
            f"[heads.{spec.name}]: group_col {group_col!r} is not a column of the training data."
        )
    groups = frame[group_col].astype(str).to_numpy()
    cv = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    method = (
        f"{folds}-fold out-of-fold predictions on train, grouped by {group_col!r} "
        f"({len(set(groups))} groups, seed {seed})"
    )
    return list(cv.split(idx, y, groups)), method


def _search(spec: HeadSpec, params: dict, V, y, seed: int, report) -> tuple[dict, dict]:
    search = spec.search or {}
    grid_spec = {k: v for k, v in search.items() if k in PIPELINE_KEYS}
    grid = list(
        ParameterGrid({k: [_pipeline_param(k, x) for x in v] for k, v in grid_spec.items()})
    )
    cv = StratifiedKFold(int(search.get("cv", 3)), shuffle=True, random_state=seed)
    binary = len(np.unique(y)) == 2
    scoring = search.get("scoring", "roc_auc" if binary else "f1_macro")
    n_jobs = search.get("n_jobs", 1)
    results = []
    for i, combo in enumerate(grid, start=1):
        pipe = build_pipeline(**{**params, **combo})
        scores = cross_val_score(
            Pipeline(pipe.steps[1:]),
            V,
            np.asarray(y, dtype=object),
            cv=cv,
            scoring=scoring,
            n_jobs=n_jobs,
        )
        results.append({"params": combo, "mean": float(scores.mean()), "std": float(scores.std())})
        report(f"{spec.name}: search {i}/{len(grid)} {combo}: {scoring} {scores.mean():.4f}")
    best = max(results, key=lambda r: r["mean"])  # first best wins: grid order breaks ties
    report(f"{spec.name}: search chose {best['params']} ({scoring} {best['mean']:.4f})")
    record = {"scoring": scoring, "cv": cv.n_splits, "best": best, "results": results}
    return {**params, **best["params"]}, json_safe(record)


def _head_params(spec: HeadSpec, model_cfg: dict) -> dict:
    """build_pipeline arguments of a head."""
    params = {
        **spec.params,
        "tokenizer": model_cfg.get("tokenizer", "syllable"),
        "teencode": bool(model_cfg.get("teencode", True)),
        "metadata": spec.metadata,
        "random_state": int(model_cfg.get("seed", 0)),
    }
    if params.get("gate") is not None:
        params["gate"] = {"clean_label": spec.clean_label, **params["gate"]}
    return params


def _train_head(spec: HeadSpec, views, model_cfg: dict, report, validation_out=None) -> Head:
    seed = int(model_cfg.get("seed", 0))
    params = _head_params(spec, model_cfg)
    train_data = spec.load_required("train")
    where = f"[heads.{spec.name}] train ({train_data.source['path']})"
    frame, n_nan = _usable(train_data, f"{spec.name} train", report)
    y = frame["label"].to_numpy(dtype=object).astype(str)
    folds = int(spec.table.get("validation_folds", 5))
    has_val = spec.has("validation")
    need = max(
        params.get("calibration_cv", 3) if params.get("calibration", "sigmoid") else 1,
        folds if not has_val and folds else 2,
    )
    classes = _check_classes(y, spec, where, need)
    report(
        f"{spec.name}: {len(frame)} training rows, classes { ({str(k): int(v) for k, v in pd.Series(y).value_counts().items()}) }"
    )
    V = _views(views, frame, spec.metadata)
    augment = bool(spec.table.get("augment_accents", False))
    if augment:
        plain = [strip_accents(t) for t in frame["text"]]
        changed = np.array([p != t for p, t in zip(plain, frame["text"], strict=True)])
        ts = _TrainingSet(V, y, _views(views, frame, spec.metadata, stripped=True), changed)
        report(f"{spec.name}: + {int(changed.sum())} accent-stripped copies for training")
    else:
        ts = _TrainingSet(V, y)
    extra_sources = _add_extra(spec, ts, views, classes, report)
    report(f"{spec.name}: preprocessed")

    search_record = None
    if spec.search:
        params, search_record = _search(spec, params, V, y, seed, report)

    issues = {"train_nan_text_dropped": n_nan}
    if has_val:
        val_data = spec.load_required("validation")
        vframe, v_nan = _usable(val_data, f"{spec.name} validation", report)
        issues["validation_nan_text_dropped"] = v_nan
        y_val = vframe["label"].to_numpy(dtype=object).astype(str)
        unseen = sorted(set(y_val) - set(classes))
        if unseen:
            raise ValueError(
                f"[heads.{spec.name}] validation ({val_data.source['path']}): classes {unseen} "
                f"do not occur in train (classes {classes})."
            )
        pipe = _fit(params, *ts.all())
        report(f"{spec.name}: fitted on train")
        Vval = _views(views, vframe, spec.metadata)
        proba = _proba(pipe, Vval)
        base_pred = _base_predict(pipe, Vval)
        validation = {"method": "validation data", **val_data.source, "rows": len(vframe)}
        sources = [train_data.source, val_data.source, *extra_sources]
    else:
        idx = np.arange(len(y))
        if folds:
            splits, method = _folds(spec, frame, y, folds, seed)
        else:
            frac = float(spec.table.get("validation_split", 0.2))
            tr, te = _split(idx, test_size=frac, stratify=y, random_state=seed)
            splits = [(np.sort(tr), np.sort(te))]
            method = f"stratified hold-out of {frac:.0%} of train (seed {seed})"
        proba = np.full((len(y), len(classes)), np.nan)
        base_pred = np.full(len(y), None, dtype=object)
        for k, (tr, te) in enumerate(splits, start=1):
            fold_pipe = _fit(params, *ts.subset(tr))
            proba[te] = _proba(fold_pipe, V.iloc[te].reset_index(drop=True))
            base_pred[te] = _base_predict(fold_pipe, V.iloc[te].reset_index(drop=True))
            report(f"{spec.name}: validation fit {k}/{len(splits)}")
        keep = ~np.isnan(proba).any(axis=1)
        proba, y_val, base_pred = proba[keep], y[keep], base_pred[keep]
        pipe = _fit(params, *ts.all())
        report(f"{spec.name}: refitted on all training rows")
        validation = {"method": method, "rows": int(keep.sum())}
        sources = [train_data.source, *extra_sources]

    labels = list(pipe.classes_)
    y_pos = y_val != spec.clean_label
    score = 1.0 - proba[:, labels.index(spec.clean_label)]
    try:
        thresholds = choose_thresholds(
            y_pos, score, precision=spec.precision, recall=spec.recall, prevalence=spec.prevalence
        )
    except ValueError as exc:
        raise ValueError(f"[heads.{spec.name}] validation data: {exc}") from None
    if thresholds.flag > 1:
        report(
            f"{spec.name}: warning: no threshold reaches precision {spec.precision} on the "
            "validation data: nothing will be flagged (flag above 1); lower the precision "
            "target or add data"
        )
    offsets = None
    if spec.table.get("tune_offsets", False):
        y_idx = np.array([labels.index(c) for c in y_val])
        off, tuned, argmax_f1 = tune_class_offsets(
            proba, y_idx, fixed=labels.index(spec.clean_label)
        )
        offsets = tuple(float(x) for x in off)
        report(
            f"{spec.name}: class offsets {dict(zip(labels, offsets, strict=True))}: "
            f"validation macro-F1 {argmax_f1:.4f} -> {tuned:.4f}"
        )
    label_rule = spec.table.get("label_rule", "calibrated")
    if label_rule not in LABEL_RULES:
        raise ValueError(
            f"[heads.{spec.name}]: label_rule must be one of {list(LABEL_RULES)}, "
            f"got {label_rule!r}."
        )
    if label_rule != "calibrated" and offsets is not None:
        raise ValueError(
            f"[heads.{spec.name}] label_rule = {label_rule!r} and tune_offsets exclude each other."
        )
    y_idx = np.array([labels.index(c) for c in y_val], dtype=np.int64)
    class_thresholds = None
    if label_rule == "thresholds":
        class_thresholds, f1 = choose_class_thresholds(y_idx, proba, labels, spec.clean_label)
        report(
            f"{spec.name}: per-class label thresholds {class_thresholds} "
            f"(validation macro-F1 {f1:.4f})"
        )
    elif label_rule == "balanced":
        report(
            f"{spec.name}: warning: label_rule = 'balanced' takes labels from another model than "
            "the probabilities (a label can contradict them); label_rule = 'thresholds' derives "
            "them from the calibrated probabilities"
        )
    y_pred = (
        base_pred.astype(str)
        if label_rule == "balanced"
        else head_labels(
            proba, labels, spec.clean_label, offsets=offsets, class_thresholds=class_thresholds
        )
    )
    m = classification_metrics(y_val, proba, labels, spec.clean_label, thresholds, y_pred=y_pred)
    metrics = {f"validation_{k}": v for k, v in m.items() if isinstance(v, float | int)}
    report(
        f"{spec.name}: validation macro-F1 {m['macro_f1']:.4f}, ROC-AUC {m['roc_auc']:.4f}; "
        f"thresholds flag {thresholds.flag:.4f}, review {thresholds.review:.4f}"
    )
    info = {
        "training_data": sources,
        "validation": json_safe(validation),
        "metrics": metrics,
        "threshold_targets": {
            "precision": spec.precision,
            "recall": spec.recall,
            **({"prevalence": spec.prevalence} if spec.prevalence is not None else {}),
        },
        "data": json_safe(
            {
                "layout": spec.layout,
                "text_col": spec.text_col,
                "label_col": spec.label_col,
                "label_map": train_data.label_map,
            }
        ),
        "params": json_safe({k: v for k, v in params.items() if k != "metadata"}),
        "augment_accents": augment,
        "data_issues": issues,
    }
    if class_thresholds is not None:
        info["class_thresholds"] = class_thresholds
    if search_record:
        info["search"] = search_record
    if validation_out is not None:
        pred_idx = np.array([labels.index(c) for c in np.asarray(y_pred, dtype=str)])
        validation_out[spec.name] = ValidationScores(y_pos, score, proba, y_idx, pred_idx)
    return Head(
        name=spec.name,
        pipeline=pipe,
        clean_label=spec.clean_label,
        thresholds=thresholds,
        metadata=tuple(spec.metadata),
        class_offsets=offsets,
        info=info,
        label_rule=label_rule,
    )


def cross_validate(
    config,
    *,
    folds: int = 5,
    heads=None,
    data_dir=None,
    bootstrap: int = 500,
    progress: Progress = None,
) -> dict:
    """Cross-validate each head of a config on its ``train`` data: the metrics of
    :func:`~misinfo_clf.evaluate` per fold and pooled over the out-of-fold predictions.

    Folds are stratified and seeded (``[model] seed``), grouped by ``group_col`` when the
    head has one; extra rows (``[[heads.<name>.extra]]``) and accent augmentation join
    every fit, as in training, and are never scored. Thresholds (and per-class label
    thresholds or class offsets, as the head is configured) are chosen once on the pooled
    out-of-fold predictions with the head's targets, the way training with
    ``validation_folds`` chooses them; every fold is then measured with them.

    Parameters
    ----------
    config : str, Path or dict
        As for :func:`~misinfo_clf.train` (DataFrames allowed in a dict).
    folds : int, default=5
    heads : sequence of str, optional
        Only these heads.
    bootstrap : int, default=500
        Resamples for the 95% intervals of the pooled metrics.

    Returns
    -------
    dict
        ``{head: {"method", "folds": [metrics per fold], "pooled": metrics (with
        ``ci95``), "mean", "std"}}``; metrics as :func:`classification_metrics` returns
        them; ``mean``/``std`` of the flat metrics over folds.
    """
    from ._metrics import bootstrap_ci
    from .text import TextViews

    if folds < 2:
        raise ValueError(f"folds must be >= 2, got {folds}.")
    report = Steps("cross-validate", progress, log)
    model_cfg, specs, _ = _specs_and_profile(config, data_dir)
    if heads is not None:
        missing = sorted(set(heads) - set(specs))
        if missing:
            raise ValueError(f"head(s) {missing} are not in the config; heads: {list(specs)}.")
        specs = {h: specs[h] for h in heads}
    views = TextViews(
        mode=model_cfg.get("tokenizer", "syllable"), teencode=bool(model_cfg.get("teencode", True))
    )
    seed = int(model_cfg.get("seed", 0))
    out = {}
    with threadpool_limits(limits=1):
        for spec in specs.values():
            params = _head_params(spec, model_cfg)
            data = spec.load_required("train")
            frame, _ = _usable(data, f"{spec.name} train", report)
            y = frame["label"].to_numpy(dtype=object).astype(str)
            where = f"[heads.{spec.name}] train ({data.source['path']})"
            classes = _check_classes(y, spec, where, max(folds, params.get("calibration_cv", 3)))
            V = _views(views, frame, spec.metadata)
            if spec.table.get("augment_accents", False):
                plain = [strip_accents(t) for t in frame["text"]]
                changed = np.array([p != t for p, t in zip(plain, frame["text"], strict=True)])
                ts = _TrainingSet(V, y, _views(views, frame, spec.metadata, stripped=True), changed)
            else:
                ts = _TrainingSet(V, y)
            _add_extra(spec, ts, views, classes, report)
            splits, method = _folds(spec, frame, y, folds, seed)
            proba = np.full((len(y), len(classes)), np.nan)
            base = np.full(len(y), None, dtype=object)
            for k, (tr, te) in enumerate(splits, start=1):
                pipe = _fit(params, *ts.subset(tr))
                Vte = V.iloc[te].reset_index(drop=True)
                proba[te] = _proba(pipe, Vte)
                base[te] = _base_predict(pipe, Vte)
                report(f"{spec.name}: cross-validation fold {k}/{len(splits)}")
            labels = [str(c) for c in pipe.classes_]
            score = 1.0 - proba[:, labels.index(spec.clean_label)]
            th = choose_thresholds(
                y != spec.clean_label,
                score,
                precision=spec.precision,
                recall=spec.recall,
                prevalence=spec.prevalence,
            )
            rule = spec.table.get("label_rule", "calibrated")
            y_idx = np.array([labels.index(c) for c in y])
            class_th, offsets = None, None
            if rule == "thresholds":
                class_th, _ = choose_class_thresholds(y_idx, proba, labels, spec.clean_label)
            elif spec.table.get("tune_offsets", False):
                off, _, _ = tune_class_offsets(proba, y_idx, fixed=labels.index(spec.clean_label))
                offsets = tuple(float(x) for x in off)
            pred = (
                base.astype(str)
                if rule == "balanced"
                else head_labels(
                    proba, labels, spec.clean_label, offsets=offsets, class_thresholds=class_th
                )
            )
            per_fold = [
                classification_metrics(
                    y[te], proba[te], labels, spec.clean_label, th, y_pred=pred[te]
                )
                for _, te in splits
            ]
            pooled = classification_metrics(y, proba, labels, spec.clean_label, th, y_pred=pred)
            pooled["ci95"] = bootstrap_ci(
                y, proba, pred, labels, spec.clean_label, th, n_boot=bootstrap, seed=seed
            )
            flat = [k for k, v in pooled.items() if isinstance(v, float | int) and k != "n"]
            mean, std = {}, {}
            for key in flat:
                vals = np.array([f[key] for f in per_fold if f.get(key) is not None], dtype=float)
                mean[key] = float(vals.mean()) if len(vals) else None
                std[key] = float(vals.std()) if len(vals) else None
            out[spec.name] = json_safe(
                {"method": method, "folds": per_fold, "pooled": pooled, "mean": mean, "std": std}
            )
            report(
                f"{spec.name}: pooled macro-F1 {pooled['macro_f1']:.4f} "
                f"(folds {mean['macro_f1']:.4f} ± {std['macro_f1']:.4f})"
            )
    report.close()
    return out


def _config_record(config) -> dict:
    """What the manifest keeps of the config: its contents (DataFrames as their row count
    and sha256) and, for a file, its sha256. The data files' sha256 are in each head's
    ``training_data``."""
    from ._persist import file_sha256
    from ._sources import frame_sha256

    def safe(value):
        if isinstance(value, pd.DataFrame):
            return {"DataFrame": {"rows": len(value), "sha256": frame_sha256(value)}}
        if isinstance(value, Mapping):
            return {str(k): safe(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [safe(v) for v in value]
        if isinstance(value, Path):
            return str(value)
        return value

    cfg, _ = load_config(config)
    out = {"config_contents": json_safe(safe(cfg))}
    if not isinstance(config, Mapping):
        out["config_sha256"] = file_sha256(config)
    return out


def train(
    config: StrPath | Mapping[str, Any],
    *,
    data_dir: StrPath | None = None,
    out: StrPath | None = None,
    progress: Progress = None,
    mlflow: bool | str | None = None,
) -> Model:
    """Train a multi-head model from a config; save it when ``out`` is given.

    Parameters
    ----------
    config : str, Path or dict
        A TOML file or the same structure as a dict (see the module docstring and
        ``configs/default.toml``). Relative data paths start from the config file's
        directory (the current directory for a dict). In a dict, a head's ``train``,
        ``validation`` and ``test`` may be pandas DataFrames (with ``text_col`` and
        ``label_col``) instead of files; the manifest then records their row count and
        sha256.
    data_dir : str or Path, optional
        Where the dataset layouts are; default ``[model] data_dir`` of the config,
        else ``$MISINFO_CLF_DATA``, else ``../shared/datasets`` next to the checkout.
    out : str or Path, optional
        Save the model directory here (:func:`~misinfo_clf.save_model`).
    progress : bool or callable, optional
        A bar of the training steps on stderr: by default only when stderr is a
        terminal, ``True`` always, ``False`` never. A callable gets each step as a line
        with the elapsed time instead. Steps are always logged (INFO).
    mlflow : bool or str, optional
        Log an MLflow run (needs ``mlflow`` installed): the config and seed as
        parameters, each head's validation metrics, and the saved model directory (with
        ``out``) as an artifact. ``True`` uses MLflow's configuration; a string is the
        tracking URI. Nothing is tracked without it.

    Returns
    -------
    Model

    Raises
    ------
    FileNotFoundError
        A config or data file is missing.
    ValueError
        Bad config or data: missing column, unknown label (the values seen and the
        mapping are listed), a single class, no rows.

    Examples
    --------
    >>> import misinfo_clf
    >>> model = misinfo_clf.train("configs/sample.toml")  # doctest: +SKIP
    >>> model.predict(["Uống nước chanh nóng chữa khỏi ung thư"])[0].decision  # doctest: +SKIP
    <Decision.FLAG: 'flag'>
    """
    from .text import TextViews

    report = Steps("train", progress, log)
    model_cfg, specs, profile_cfg = _specs_and_profile(config, data_dir)
    views = TextViews(
        mode=model_cfg.get("tokenizer", "syllable"), teencode=bool(model_cfg.get("teencode", True))
    )
    heads = []
    validation: dict = {}
    # One BLAS/OpenMP thread: lbfgs on sparse TF-IDF gains nothing from BLAS threads,
    # and on a busy machine their spin-waiting made fits 5-8x slower (measured).
    with threadpool_limits(limits=1):
        for spec in specs.values():
            report(f"head {spec.name!r}: start")
            heads.append(_train_head(spec, views, model_cfg, report, validation))
    model = Model(
        heads,
        name=str(model_cfg.get("name", "misinfo_clf")),
        version=str(model_cfg.get("version", "0")),
        min_tokens=int(model_cfg.get("min_tokens", 2)),
        max_unknown=float(model_cfg.get("max_unknown", 0.6)),
    )
    model.validation = validation
    if profile_cfg is not None:
        _profile_and_bands(model, profile_cfg, specs, validation, report)
    duration = report.elapsed
    model.training = {
        "config": Path(config).name if not isinstance(config, Mapping) else "<dict>",
        **_config_record(config),
        "seed": int(model_cfg.get("seed", 0)),
        "seconds": round(duration, 1),
    }
    report(f"trained {len(heads)} head(s) in {duration:.1f}s")
    if out is not None:
        from ._persist import save_model

        save_model(model, out, extra={"training": model.training})
        report(f"saved to {out}")
    if mlflow:
        from ._tracking import log_run

        run = log_run(
            mlflow,
            run_name=f"train {model.name} {model.version}",
            params={
                "config": model.training["config"],
                "seed": model.training["seed"],
                "heads": ",".join(model.heads),
                **{
                    f"head.{n}.{k}": v
                    for n, h in model.heads.items()
                    for k, v in (h.info.get("params") or {}).items()
                },
            },
            metrics={n: h.info.get("metrics", {}) for n, h in model.heads.items()},
            model_dir=out,
            tags={"misinfo_clf.command": "train"},
        )
        report(f"MLflow run {run}")
    report.close()
    return model
