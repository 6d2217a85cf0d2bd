"""Evaluation: metrics per head, robustness slices, a markdown report and PNG plots.

Also :func:`tune_thresholds`, which re-chooses a saved model's decision thresholds
on data (for a target precision or a daily review capacity) and rewrites its manifest.

Scoring always goes through :meth:`Model.predict_frame` (the one scoring function).
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_recall_curve

from ._io import json_safe, label_key, map_labels, read_table
from ._metrics import _bands, classification_metrics, expected_calibration_error
from ._model import Model
from ._thresholds import (
    band,
    choose_thresholds,
    queue_per_100k,
    thresholds_for_capacity,
)
from .text import load_teencode, strip_accents

__all__ = [
    "evaluate",
    "tune_thresholds",
    "classification_metrics",
    "expected_calibration_error",
    "substitute_teencode",
    "LENGTH_BUCKETS",
]

log = logging.getLogger("misinfo_clf.evaluate")

#: (name, min words, max words) of the length slices
LENGTH_BUCKETS = (
    ("1-5 words", 0, 5),
    ("6-15 words", 6, 15),
    ("16-40 words", 16, 40),
    ("41-100 words", 41, 100),
    (">100 words", 101, None),
)


# -- robustness slices -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _reverse_teencode() -> tuple[dict, re.Pattern | None]:
    """Expansion -> short form, from the project's table (unambiguous entries only).

    When several short forms share an expansion, the shortest (then the first in
    alphabetical order) is used, so the substitution is deterministic.
    """
    table = load_teencode()
    reverse: dict[str, str] = {}
    for short, expansion in sorted(table.expansions.items(), key=lambda kv: (len(kv[0]), kv[0])):
        if short != expansion and expansion not in reverse:
            reverse[expansion] = short
    if not reverse:
        return {}, None
    keys = sorted(reverse, key=lambda k: (-len(k), k))
    return reverse, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")


def substitute_teencode(text):
    """Replace whole words by their teencode short forms (``không`` -> ``ko``).

    Uses the project's table inverted, without the entries marked ambiguous;
    only lowercase NFC matches are replaced. Missing values pass through.

    Examples
    --------
    >>> from misinfo_clf._evaluate import substitute_teencode
    >>> substitute_teencode("tôi không biết") != "tôi không biết"
    True
    """
    if not isinstance(text, str):
        return text
    reverse, pattern = _reverse_teencode()
    if pattern is None:
        return text
    return pattern.sub(lambda m: reverse[m.group(0)], text)


def _length_bucket(text) -> str:
    n = len(text.split()) if isinstance(text, str) else 0
    for name, lo, hi in LENGTH_BUCKETS:
        if n >= lo and (hi is None or n <= hi):
            return name
    return LENGTH_BUCKETS[0][0]


# -- data resolution ---------------------------------------------------------------------


def _sub_model(model: Model, head: str) -> Model:
    """The same model restricted to one head (same scoring code, one head's cost)."""
    return Model(
        [model.heads[head]],
        name=model.name,
        version=model.version,
        min_tokens=model.min_tokens,
        max_unknown=model.max_unknown,
        max_chars=model.max_chars,
    )


def _is_config(data) -> bool:
    return isinstance(data, Mapping) or (
        isinstance(data, str | Path) and str(data).lower().endswith(".toml")
    )


def _map_for_head(raw: pd.Series, model: Model, head: str, labels, where: str, column: str):
    h = model.heads[head]
    if labels is None:
        keys = set(raw.map(label_key).dropna())
        stored = (h.info.get("data") or {}).get("label_map") or {}
        if not keys <= set(h.labels) and stored:
            labels = stored
    mapped = map_labels(raw, labels, where=where, column=column)
    unknown = sorted(set(mapped) - set(h.labels))
    if unknown:
        raise ValueError(
            f"{where}: column {column!r}: classes {unknown} are not classes of head {head!r} "
            f"({list(h.labels)}); pass a label mapping (labels=..., --labels JSON)."
        )
    return mapped


def _resolve(
    model: Model,
    data,
    *,
    head,
    text_col,
    label_col,
    labels,
    split,
    data_dir,
    require_labels: bool = True,
) -> list[tuple[str, pd.DataFrame, dict]]:
    """``[(head, frame with text/label/metadata, source)]`` for evaluation or tuning."""
    if head is not None and head not in model.heads:
        raise KeyError(f"unknown head {head!r}; the model's heads are {list(model.heads)}.")
    if _is_config(data):
        from ._config import head_specs

        _, specs = head_specs(data, data_dir=data_dir)
        wanted = [head] if head else [h for h in specs if h in model.heads]
        out = []
        for name in wanted:
            if name not in specs:
                raise ValueError(f"the config has no [heads.{name}] table; heads: {list(specs)}.")
            if not specs[name].has(split):
                if head:
                    raise ValueError(f"[heads.{name}] of the config has no {split!r} data.")
                continue
            d = specs[name].load(split)
            out.append((name, d.frame, d.source))
        if not out:
            raise ValueError(f"no head of the config has {split!r} data; set {split} = ...")
        return out
    if isinstance(data, pd.DataFrame):
        df, where, source = data.reset_index(drop=True), "data", {"name": "DataFrame"}
        if text_col not in df.columns:
            raise ValueError(f"text column {text_col!r} not found; columns are {list(df.columns)}.")
    else:
        path = Path(data)
        df = read_table(path, text_col=text_col)
        where, source = str(path), {"name": path.name, "path": path.name}
    if head is not None:
        wanted = [head]
    elif label_col is not None:
        if len(model.heads) != 1:
            raise ValueError(
                f"label column {label_col!r} given but the model has heads {list(model.heads)}; "
                "say which one (head=...)."
            )
        wanted = list(model.heads)
    else:
        wanted = [h for h in model.heads if h in df.columns]
        if not wanted and require_labels:
            raise ValueError(
                f"{where}: no label column; name it after a head ({list(model.heads)}) or pass "
                f"label_col and head. Columns are {list(df.columns)}."
            )
        if not wanted:
            wanted = list(model.heads)
    out = []
    for name in wanted:
        col = label_col or name
        frame = pd.DataFrame({"text": df[text_col]})
        if col in df.columns:
            frame["label"] = _map_for_head(df[col], model, name, labels, where, col)
        elif require_labels:
            raise ValueError(
                f"{where}: label column {col!r} not found; columns are {list(df.columns)}."
            )
        else:
            frame["label"] = None
        for m in model.heads[name].metadata:
            if m in df.columns:
                frame[m] = pd.to_numeric(df[m], errors="coerce").astype(float)
        out.append((name, frame, {**source, "rows": len(frame)}))
    return out


# -- scoring ------------------------------------------------------------------------------


def _score(sub: Model, head: str, frame: pd.DataFrame, text=None):
    """(proba in head.labels order, predicted labels, unscored) via predict_frame.

    Rows the model does not score (``abstain``: no text; or an error status) count as
    predicted clean with probability 1: in production they reach no queue, so a
    positive among them is a miss. ``unscored`` counts them: ``{"abstained": n,
    "errored": n}``.
    """
    X = frame if text is None else frame.assign(text=text)
    out = sub.predict_frame(X, text_col="text", explain=False)
    h = sub.heads[head]
    clean = h.labels.index(h.clean_label)
    if h.is_multiclass:
        proba = np.column_stack([out[f"{head}_prob_{c}"].to_numpy(float) for c in h.labels])
    else:
        score = out[f"{head}_prob"].to_numpy(float)
        proba = np.empty((len(out), 2))
        proba[:, clean] = 1.0 - score
        proba[:, 1 - clean] = score
    pred = out[f"{head}_label"].to_numpy(dtype=object)
    missing = np.isnan(proba).any(axis=1)
    proba[missing] = 0.0
    proba[missing, clean] = 1.0
    pred[missing] = h.clean_label
    errored = (out["status"] != "ok").to_numpy()
    unscored = {
        "abstained": int((missing & ~errored).sum()),
        "errored": int((missing & errored).sum()),
    }
    return proba, pred, unscored


def _slice_summary(m: dict, base: dict | None = None) -> dict:
    keys = ("n", "accuracy", "macro_f1", "roc_auc", "score_roc_auc", "pr_auc")
    out = {k: m.get(k) for k in keys}
    if base is not None and base.get("macro_f1") is not None:
        out["macro_f1_drop"] = float(base["macro_f1"] - m["macro_f1"])
    return out


def _evaluate_head(model: Model, head: str, frame: pd.DataFrame, slices: bool) -> dict:
    sub = _sub_model(model, head)
    h = sub.heads[head]
    frame = frame.reset_index(drop=True)
    y = frame["label"].to_numpy(dtype=object).astype(str)
    labels = list(h.labels)
    proba, pred, unscored = _score(sub, head, frame)
    nan_text = int(frame["text"].isna().sum())
    m = classification_metrics(y, proba, labels, h.clean_label, h.thresholds, y_pred=pred)
    m["nan_text_rows"] = nan_text
    # rows without text (counted as predicted clean) and unreadable rows
    m["abstained_rows"] = unscored["abstained"]
    m["errored_rows"] = unscored["errored"]
    result = {"metrics": m, "_proba": proba, "_y": y}
    if not slices:
        return result
    sl = {}
    text = frame["text"]
    for name, fn in (("accents_stripped", strip_accents), ("teencode", substitute_teencode)):
        changed_text = text.map(lambda t, fn=fn: fn(t) if isinstance(t, str) else t)
        p2, pred2, _ = _score(sub, head, frame, changed_text)
        m2 = classification_metrics(y, p2, labels, h.clean_label, h.thresholds, y_pred=pred2)
        sl[name] = {
            **_slice_summary(m2, m),
            "changed_rows": int((changed_text.fillna("") != text.fillna("")).sum()),
        }
    buckets = text.map(_length_bucket).to_numpy()
    by_length = {}
    for name, _, _ in LENGTH_BUCKETS:
        idx = np.flatnonzero(buckets == name)
        if not len(idx):
            continue
        present = [c for c in labels if c in set(y[idx]) | set(pred[idx].astype(str))]
        mb = classification_metrics(
            y[idx], proba[idx], labels, h.clean_label, h.thresholds, y_pred=pred[idx]
        )
        mb["macro_f1"] = float(
            f1_score(
                y[idx], pred[idx].astype(str), labels=present, average="macro", zero_division=0
            )
        )
        by_length[name] = _slice_summary(mb)
    sl["length"] = by_length
    result["slices"] = sl
    return result


# -- plots --------------------------------------------------------------------------------


def _figure(size=(5.5, 4.5)):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=110)
    FigureCanvasAgg(fig)
    return fig


def _plots(out_dir: Path, head: str, res: dict, h) -> dict:
    """Write the four PNGs of one head; returns {kind: file name}."""
    labels = list(h.labels)
    m = res["metrics"]
    y, proba = res["_y"], res["_proba"]
    clean = labels.index(h.clean_label)
    score = 1.0 - proba[:, clean]
    y_pos = y != h.clean_label
    files = {}

    fig = _figure((1.6 + 1.3 * len(labels), 1.2 + 1.2 * len(labels)))
    ax = fig.add_subplot()
    cm = np.asarray(m["confusion_matrix"]["matrix"], dtype=float)
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    im = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(
                j,
                i,
                f"{int(cm[i, j])}\n{norm[i, j]:.0%}",
                ha="center",
                va="center",
                color="white" if norm[i, j] > 0.5 else "black",
                fontsize=9,
            )
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{head}: confusion matrix (row-normalised)")
    fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    files["confusion_matrix"] = f"{head}_confusion_matrix.png"
    fig.savefig(out_dir / files["confusion_matrix"])

    if y_pos.any() and not y_pos.all():
        fig = _figure()
        ax = fig.add_subplot()
        prec, rec, _ = precision_recall_curve(y_pos, score)
        ax.plot(rec, prec, color="tab:blue", label=f"PR curve (AP {m['pr_auc']:.3f})")
        for name, t, colour in (
            ("flag", h.thresholds.flag, "tab:red"),
            ("review", h.thresholds.review, "tab:orange"),
        ):
            sel = score >= t
            if sel.any():
                p_t, r_t = y_pos[sel].mean(), y_pos[sel].sum() / y_pos.sum()
                ax.scatter(
                    [r_t],
                    [p_t],
                    color=colour,
                    zorder=3,
                    s=50,
                    label=f"{name} ≥ {t:.3f}: P {p_t:.2f}, R {r_t:.2f}",
                )
        ax.axhline(y_pos.mean(), color="grey", lw=0.8, ls=":", label="base rate")
        ax.set_xlabel(f"recall (not {h.clean_label})")
        ax.set_ylabel("precision")
        ax.set_xlim(0, 1.01)
        ax.set_ylim(0, 1.02)
        ax.set_title(f"{head}: precision-recall of the score")
        ax.legend(loc="lower left", fontsize=8)
        fig.tight_layout()
        files["pr_curve"] = f"{head}_pr_curve.png"
        fig.savefig(out_dir / files["pr_curve"])

    fig = _figure()
    ax = fig.add_subplot()
    bins = np.linspace(0, 1, 11)
    idx = np.minimum((score * 10).astype(int), 9)
    xs, ys, ns = [], [], []
    for b in range(10):
        sel = idx == b
        if sel.any():
            xs.append(score[sel].mean())
            ys.append(y_pos[sel].mean())
            ns.append(int(sel.sum()))
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=0.8, label="perfect calibration")
    ax.plot(xs, ys, marker="o", color="tab:blue", label=f"model (ECE {m['ece']:.3f})")
    for x, yy, n in zip(xs, ys, ns, strict=True):
        ax.annotate(str(n), (x, yy), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xticks(bins)
    ax.set_xlabel(f"mean score: P(not {h.clean_label})")
    ax.set_ylabel("observed share not clean")
    ax.set_title(f"{head}: calibration (10 bins; counts shown)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    files["calibration"] = f"{head}_calibration.png"
    fig.savefig(out_dir / files["calibration"])

    fig = _figure()
    ax = fig.add_subplot()
    for c in labels:
        sel = y == c
        if sel.any():
            ax.hist(
                score[sel],
                bins=np.linspace(0, 1, 41),
                alpha=0.5,
                density=True,
                label=f"{c} (n={int(sel.sum())})",
            )
    ax.axvline(h.thresholds.review, color="tab:orange", lw=2.5, label="review threshold")
    ax.axvline(h.thresholds.flag, color="tab:red", ls="--", label="flag threshold")
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"score: P(not {h.clean_label})")
    ax.set_ylabel("density")
    ax.set_title(f"{head}: score by true class")
    ax.legend(fontsize=8)
    fig.tight_layout()
    files["score_histogram"] = f"{head}_score_histogram.png"
    fig.savefig(out_dir / files["score_histogram"])
    return files


# -- report -------------------------------------------------------------------------------


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def _traffic(model, everyday, items, text_col: str) -> dict:
    from ._io import read_table
    from ._traffic import traffic_report

    if isinstance(everyday, str | Path):
        texts = read_table(everyday, text_col=text_col)[text_col].dropna().tolist()
    else:
        texts = [t for t in everyday if isinstance(t, str)]
    positives = {}
    for name, frame, _ in items:
        head = model.heads[name]
        pos = frame.loc[frame["label"].astype(str) != head.clean_label, "text"]
        positives[name] = pos.dropna().astype(str).tolist()
    validation = {h: v for h, v in model.validation.items() if h not in positives}
    return traffic_report(model, texts, positives, validation=validation)


def _traffic_md(t: dict) -> list[str]:
    ev = t["everyday"]
    lines = [
        "## Traffic report",
        "",
        f"{ev['posts']:,} everyday posts: {ev['queue_share']:.1%} reach the queue "
        f"(flag {ev['flag_share']:.1%}), {ev['abstain_share']:.1%} abstain.",
        "",
        "| head | queue share of everyday posts | positives | ROC-AUC in the mix | "
        "positives in the queue | recall at 2% / 5% / 10% |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for h, share in ev["queue_share_per_head"].items():
        m = t["heads"].get(h)
        if m is None:
            lines.append(f"| {h} | {share:.1%} | | | | |")
            continue
        rec = m.get("recall_in_queue", m["head_recall_in_queue"])
        budgets = " / ".join(f"{v:.1%}" for v in m["recall_at_budget"].values())
        src = f" ({m['from']})" if "from" in m else ""
        lines.append(
            f"| {h} | {share:.1%} | {m['positives']:,}{src} | {m['roc_auc_mix']:.4f} | "
            f"{rec:.1%} | {budgets} |"
        )
    r = t["reasons"]
    lines += [
        "",
        f"Reasons that are only common words (the 100 most frequent of the everyday posts): "
        f"{r['common_word_share']:.1%} of {r['count']:,}.",
        "",
    ]
    return lines


def _report_md(result: dict) -> str:
    lines = [
        f"# Evaluation: {result['model']['name']} {result['model']['version']}",
        "",
        f"Created {result['created']}. Scores are P(not clean) per head; bands use the "
        "model's thresholds. Metrics on public datasets are only comparable on the same splits.",
        "",
    ]
    for head, r in result["heads"].items():
        m = r["metrics"]
        src = r["data"]
        lines += [f"## Head `{head}`", ""]
        lines.append(
            f"Data: {src.get('name')} {src.get('split', '')} ({m['n']} rows"
            + (f", {m['nan_text_rows']} without text" if m.get("nan_text_rows") else "")
            + (
                f", {m['abstained_rows']} abstained (no letter; counted as predicted clean)"
                if m.get("abstained_rows")
                else ""
            )
            + (f", {m['errored_rows']} unreadable" if m.get("errored_rows") else "")
            + (f"; licence: {src['licence']}" if src.get("licence") else "")
            + ")"
        )
        lines += ["", "| metric | value |", "|---|---|"]
        for k in (
            "macro_f1",
            "accuracy",
            "roc_auc",
            "score_roc_auc",
            "pr_auc",
            "ece",
            "brier",
            "brier_multiclass",
        ):
            if k in m:
                lines.append(f"| {k} | {_fmt(m[k])} |")
        lines += ["", "| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        for c, pc in m["per_class"].items():
            lines.append(
                f"| {c} | {pc['precision']:.4f} | {pc['recall']:.4f} | {pc['f1']:.4f} | "
                f"{pc['support']} |"
            )
        th = m["thresholds"]
        lines += [
            "",
            f"Decision bands (flag ≥ {th['flag']:.4f}, review ≥ {th['review']:.4f}); precision "
            "= share of not-clean posts in the band, recall = share of all not-clean posts "
            "that land in it:",
            "",
            "| band | posts | share | precision | recall |",
            "|---|---|---|---|---|",
        ]
        for b, v in m["bands"].items():
            lines.append(
                f"| {b} | {v['n']} | {v['share']:.3f} | {_fmt(v['precision'])} | "
                f"{v['recall']:.3f} |"
            )
        if r.get("slices"):
            sl = r["slices"]
            lines += [
                "",
                "Robustness slices:",
                "",
                "| slice | rows | changed | macro-F1 | drop | ROC-AUC |",
                "|---|---|---|---|---|---|",
                f"| plain | {m['n']} | | {_fmt(m['macro_f1'])} | | {_fmt(m['roc_auc'])} |",
            ]
            for name in ("accents_stripped", "teencode"):
                s = sl[name]
                lines.append(
                    f"| {name.replace('_', ' ')} | {s['n']} | {s['changed_rows']} | "
                    f"{_fmt(s['macro_f1'])} | {_fmt(s.get('macro_f1_drop'))} | {_fmt(s['roc_auc'])} |"
                )
            for name, s in sl["length"].items():
                lines.append(
                    f"| {name} | {s['n']} | | {_fmt(s['macro_f1'])} | | {_fmt(s['roc_auc'])} |"
                )
        if r.get("plots"):
            lines.append("")
            for kind, file in r["plots"].items():
                lines.append(f"![{head} {kind.replace('_', ' ')}]({file})")
        lines.append("")
    if result.get("traffic"):
        lines += _traffic_md(result["traffic"])
    return "\n".join(lines)


def _load(model) -> Model:
    if isinstance(model, Model):
        return model
    from ._persist import load_model

    return load_model(model)


def evaluate(
    model,
    data,
    *,
    head: str | None = None,
    text_col: str = "text",
    label_col: str | None = None,
    labels: Mapping | None = None,
    split: str = "test",
    data_dir=None,
    out_dir=None,
    slices: bool = True,
    plots: bool = True,
    everyday=None,
) -> dict:
    """Evaluate a model's heads on labelled posts; optionally write a report directory.

    Parameters
    ----------
    model : Model, str or Path
        A model or a model directory.
    data : DataFrame, str, Path or dict
        - a training config (``.toml`` path or dict): each head's ``test`` data (or
          ``split``) as configured;
        - a DataFrame or a data file (CSV, TSV, JSONL, Parquet): posts in ``text_col``
          and labels in ``label_col`` (default: a column named after each head; every
          head with such a column is evaluated).
    head : str, optional
        Evaluate this head only.
    text_col, label_col : str
    labels : mapping, optional
        Raw label -> class name. Default: the raw values if they are class names,
        else the mapping the head was trained with.
    split : str, default="test"
        Which configured data to use when ``data`` is a config.
    data_dir : optional
        Dataset directory for config layouts.
    out_dir : str or Path, optional
        Write ``metrics.json``, ``report.md`` and PNG plots here.
    slices : bool, default=True
        Also score the data with accents stripped, with teencode substituted, and
        report metrics by text length.
    plots : bool, default=True
        Write PNG plots (with ``out_dir``).
    everyday : str, Path, sequence of str, optional
        Real everyday posts the model never saw (a file with a ``text_col`` column, or
        the texts): adds a traffic report (:func:`misinfo_clf._traffic.traffic_report`)
        next to the in-domain metrics: queue share, each head's ROC-AUC in a mix of its
        positives (the evaluated data's, else the out-of-fold validation scores kept
        with the model) and everyday posts, recall inside the queue and at fixed
        budgets, and the share of reasons that are only common words.

    Returns
    -------
    dict
        ``{"model": ..., "created": ..., "heads": {head: {"data", "metrics", "slices",
        "plots"}}}``, as written to ``metrics.json`` (see :func:`classification_metrics`).
    """
    model = _load(model)
    items = _resolve(
        model,
        data,
        head=head,
        text_col=text_col,
        label_col=label_col,
        labels=labels,
        split=split,
        data_dir=data_dir,
    )
    result = {
        "model": {
            "name": model.name,
            "version": model.version,
            "path": str(getattr(model, "path", "")) or None,
        },
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "heads": {},
    }
    out = Path(out_dir) if out_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for name, frame, source in items:
        log.info("evaluating head %r on %s (%d rows)", name, source.get("name"), len(frame))
        res = _evaluate_head(model, name, frame, slices)
        entry = {"data": source, "metrics": res["metrics"]}
        if "slices" in res:
            entry["slices"] = res["slices"]
        if out is not None and plots:
            entry["plots"] = _plots(out, name, res, model.heads[name])
        result["heads"][name] = entry
    if everyday is not None:
        result["traffic"] = _traffic(model, everyday, items, text_col)
    result = json_safe(result)
    if out is not None:
        (out / "metrics.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        (out / "report.md").write_text(_report_md(result), encoding="utf-8")
    return result


# -- thresholds ---------------------------------------------------------------------------


def tune_thresholds(
    model_dir,
    data,
    *,
    head: str,
    precision: float | None = None,
    recall: float | None = None,
    reviews_per_day: float | None = None,
    posts_per_day: float | None = None,
    text_col: str = "text",
    label_col: str | None = None,
    labels: Mapping | None = None,
    split: str = "validation",
    data_dir=None,
    out=None,
    prevalence: float | None = None,
) -> dict:
    """Re-choose a saved head's thresholds on data and rewrite the model's manifest.

    - ``precision`` (labelled data): ``flag`` becomes the lowest threshold whose
      flagged posts reach that precision; ``review`` is re-chosen for ``recall``
      (default: the head's recorded recall target).
    - ``prevalence`` (with ``precision``): the precision is the one expected on traffic
      whose positive rate is ``prevalence`` (a prior-shift correction of the
      calibrated probabilities; see :func:`~misinfo_clf._thresholds.choose_thresholds`).
    - ``reviews_per_day`` and ``posts_per_day``: ``review`` is set so that the flag and
      review bands together hold ``reviews_per_day / posts_per_day`` of the posts
      (labels not needed; the data should look like production traffic). With
      ``precision`` too, the precision sets ``flag`` first.

    The model file is untouched (its sha256 stays valid); ``manifest.json`` and
    ``MODEL_CARD.md`` are rewritten, in ``out`` if given (the model file is copied
    there) or in place.

    Parameters
    ----------
    model_dir : str or Path
    data : DataFrame, path or config
        As for :func:`evaluate`; a config gives the head's ``validation`` data.
    head : str

    Returns
    -------
    dict
        ``previous`` and new ``thresholds``, ``targets``, ``queue_per_100k`` (expected
        posts per 100,000 in each band, from the scores of ``data``: its class
        balance should match production for this to be a forecast),
        ``queue_per_100k_previous``, ``rows`` and, with labels, ``bands`` on ``data``.
    """
    from ._card import write_model_card
    from ._persist import MANIFEST, copy_data_files, load_model, read_manifest, write_manifest

    if precision is None and reviews_per_day is None:
        raise ValueError("give a target precision, or reviews_per_day with posts_per_day.")
    if (reviews_per_day is None) != (posts_per_day is None):
        raise ValueError("reviews_per_day and posts_per_day go together.")
    if prevalence is not None and precision is None:
        raise ValueError("prevalence corrects the precision target: give precision too.")
    if precision is not None and not 0 < precision <= 1:
        raise ValueError(f"precision must be in (0, 1], got {precision}.")
    model_dir = Path(model_dir)
    model = load_model(model_dir)
    if head not in model.heads:
        raise KeyError(f"unknown head {head!r}; the model's heads are {list(model.heads)}.")
    ((_, frame, source),) = _resolve(
        model,
        data,
        head=head,
        text_col=text_col,
        label_col=label_col,
        labels=labels,
        split=split,
        data_dir=data_dir,
        require_labels=precision is not None,
    )
    h = model.heads[head]
    sub = _sub_model(model, head)
    scored = sub.predict_frame(frame.reset_index(drop=True), text_col="text", explain=False)
    score = scored[f"{head}_prob"].to_numpy(float)
    # rows sent to review whatever their score (unreadable: error status)
    forced = (scored["status"] != "ok").to_numpy() | (
        (scored[f"{head}_decision"] == "review").to_numpy()
        & (band(score, h.thresholds) != "review")
    )
    labelled = frame["label"].notna().all()
    y_pos = (frame["label"].to_numpy(dtype=object) != h.clean_label) if labelled else None
    previous = h.thresholds
    targets = dict(h.info.get("threshold_targets") or {})
    new = previous
    if precision is not None:
        rec = recall if recall is not None else float(targets.get("recall", 0.90))
        new = choose_thresholds(
            y_pos, score, precision=precision, recall=rec, prevalence=prevalence
        )
        targets = {"precision": float(precision), "recall": rec}
        if prevalence is not None:
            targets["prevalence"] = float(prevalence)
    if reviews_per_day is not None:
        new = thresholds_for_capacity(
            score,
            reviews_per_day=reviews_per_day,
            posts_per_day=posts_per_day,
            flag=new.flag,
            forced=forced,
        )
        targets.update(reviews_per_day=float(reviews_per_day), posts_per_day=float(posts_per_day))
    queue = queue_per_100k(score, new, forced=forced)
    result = {
        "head": head,
        "previous": previous.to_dict(),
        "thresholds": new.to_dict(),
        "targets": targets,
        "queue_per_100k": queue,
        "queue_per_100k_previous": queue_per_100k(score, previous, forced=forced),
        "rows": len(score),
        "data": source,
    }
    if labelled:
        result["bands"] = json_safe(_bands(y_pos, score, new))
    manifest = read_manifest(model_dir)
    spec = manifest["heads"][head]
    spec["thresholds"] = new.to_dict()
    spec["threshold_targets"] = targets
    spec["threshold_tuning"] = json_safe(
        {
            "tuned": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "data": source,
            "previous": previous.to_dict(),
            "queue_per_100k": queue,
        }
    )
    target = Path(out) if out is not None else model_dir
    if target.resolve() != model_dir.resolve():
        copy_data_files(model_dir, target, manifest)
    write_manifest(target, manifest)
    write_model_card(target, manifest)
    result["out"] = str(target / MANIFEST)
    return result


def record_evaluation(model_dir, result: dict) -> dict:
    """Store a summary of ``evaluate``'s result in a model's manifest and card.

    Per head: the evaluation data (name, split, rows, licence) and the headline
    metrics with the robustness slices, under ``heads.<head>.evaluation``. The model
    file is untouched, so its sha256 stays valid.
    """
    from ._card import write_model_card
    from ._persist import read_manifest, write_manifest

    manifest = read_manifest(model_dir)
    keys = (
        "macro_f1",
        "roc_auc",
        "pr_auc",
        "ece",
        "brier",
        "flag_precision",
        "flag_recall",
        "flag_or_review_precision",
        "flag_or_review_recall",
    )
    for head, res in result.get("heads", {}).items():
        if head not in manifest["heads"]:
            continue
        metrics = res.get("metrics", {})
        summary = {k: metrics.get(k) for k in keys if metrics.get(k) is not None}
        summary.update({k: v for k, v in metrics.items() if k.startswith("f1_")})
        slices = {}
        for name, sl in (res.get("slices") or {}).items():
            if name == "length":
                slices.update({f"length {b}": v.get("macro_f1") for b, v in sl.items()})
            elif isinstance(sl, dict):
                slices[name] = sl.get("macro_f1")
        manifest["heads"][head]["evaluation"] = {
            "data": res.get("data", {}),
            "metrics": summary,
            "slices_macro_f1": slices,
        }
    write_manifest(model_dir, manifest)
    write_model_card(model_dir, manifest)
    return manifest
