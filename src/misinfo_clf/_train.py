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
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

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
from ._thresholds import choose_thresholds
from .text import strip_accents

__all__ = ["train", "load_config", "head_specs", "HeadSpec", "tune_class_offsets"]

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


# -- progress ----------------------------------------------------------------------------


class _Progress:
    """Progress lines with elapsed time: logged, and printed to stderr or passed on."""

    def __init__(self, progress):
        self.start = time.perf_counter()
        self.progress = progress

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def __call__(self, message: str) -> None:
        line = f"[{self.elapsed:7.1f}s] {message}"
        log.info(line)
        if callable(self.progress):
            self.progress(line)
        elif self.progress:
            print(line, file=sys.stderr, flush=True)


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
        )
        if "label" not in table:
            raise ValueError(f"{where}: set label = the class every row of this source gets.")
        label = str(table["label"])
        outside = (spec.params.get("gate") or {}).get("outside_label", "ordinary")
        if label not in classes and not (spec.params.get("gate") is not None and label == outside):
            raise ValueError(
                f"{where}: label {label!r} is not one of the head's classes {classes}."
            )
        weight = float(table.get("weight", 1.0))
        if not weight > 0:
            raise ValueError(f"{where}: weight must be > 0, got {table.get('weight')!r}.")
        frame = pd.DataFrame({"text": sample.texts})
        for col in spec.metadata:
            frame[col] = np.nan
        frames.append(frame)
        labels.append(np.full(len(frame), label, dtype=object))
        weights.append(np.full(len(frame), weight))
        sources.append(
            {**sample.source, "role": f"extra rows labelled {label!r}, weight {weight:g}"}
        )
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
    grid_spec = {k: v for k, v in spec.search.items() if k in PIPELINE_KEYS}
    grid = list(
        ParameterGrid({k: [_pipeline_param(k, x) for x in v] for k, v in grid_spec.items()})
    )
    cv = StratifiedKFold(int(spec.search.get("cv", 3)), shuffle=True, random_state=seed)
    binary = len(np.unique(y)) == 2
    scoring = spec.search.get("scoring", "roc_auc" if binary else "f1_macro")
    n_jobs = spec.search.get("n_jobs", 1)
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


def _train_head(spec: HeadSpec, views, model_cfg: dict, report, validation_out=None) -> Head:
    seed = int(model_cfg.get("seed", 0))
    params = {
        **spec.params,
        "tokenizer": model_cfg.get("tokenizer", "syllable"),
        "teencode": bool(model_cfg.get("teencode", True)),
        "metadata": spec.metadata,
        "random_state": seed,
    }
    if params.get("gate") is not None:
        params["gate"] = {"clean_label": spec.clean_label, **params["gate"]}
    train_data = spec.load("train")
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
        val_data = spec.load("validation")
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
    offsets = None
    if spec.table.get("tune_offsets", False):
        y_idx = np.array([labels.index(c) for c in y_val])
        off, tuned, plain = tune_class_offsets(proba, y_idx, fixed=labels.index(spec.clean_label))
        offsets = tuple(float(x) for x in off)
        report(
            f"{spec.name}: class offsets {dict(zip(labels, offsets, strict=True))}: "
            f"validation macro-F1 {plain:.4f} -> {tuned:.4f}"
        )
    label_rule = spec.table.get("label_rule", "calibrated")
    if label_rule == "balanced" and offsets is not None:
        raise ValueError(
            f"[heads.{spec.name}] label_rule = 'balanced' and tune_offsets exclude each other."
        )
    y_pred = base_pred.astype(str) if label_rule == "balanced" else None
    m = classification_metrics(
        y_val, proba, labels, spec.clean_label, thresholds, offsets, y_pred=y_pred
    )
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
    if search_record:
        info["search"] = search_record
    if validation_out is not None:
        validation_out[spec.name] = (y_pos, score)
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


def train(
    config,
    *,
    data_dir=None,
    out=None,
    progress: bool | Callable[[str], None] | None = None,
) -> Model:
    """Train a multi-head model from a config; save it when ``out`` is given.

    Parameters
    ----------
    config : str, Path or dict
        A TOML file or the same structure as a dict (see the module docstring and
        ``configs/default.toml``). Relative data paths start from the config file's
        directory (the current directory for a dict).
    data_dir : str or Path, optional
        Where the dataset layouts are; default ``[model] data_dir`` of the config,
        else ``$MISINFO_CLF_DATA``, else ``../shared/datasets`` next to the checkout.
    out : str or Path, optional
        Save the model directory here (:func:`~misinfo_clf.save_model`).
    progress : bool or callable, optional
        ``True`` prints progress lines with elapsed time to stderr; a callable gets
        each line. Lines are always logged (logger ``misinfo_clf.train``, INFO).

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

    report = _Progress(progress)
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
        "seed": int(model_cfg.get("seed", 0)),
        "seconds": round(duration, 1),
    }
    report(f"trained {len(heads)} head(s) in {duration:.1f}s")
    if out is not None:
        from ._persist import save_model

        save_model(model, out, extra={"training": model.training})
        report(f"saved to {out}")
    return model
