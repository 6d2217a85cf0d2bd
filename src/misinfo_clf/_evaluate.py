"""Evaluation: metrics per head, robustness slices, a markdown report and PNG plots.

Thresholds are re-chosen in :mod:`misinfo_clf._tune`.

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

from ._evaldata import _is_config, _resolve, _sub_model
from ._io import json_safe, read_table
from ._metrics import (
    SMALL_SLICE,
    bootstrap_ci,
    classification_metrics,
    expected_calibration_error,
)
from ._model import Model
from ._thresholds import head_labels
from .text import load_teencode, strip_accents

__all__ = [
    "evaluate",
    "record_evaluation",
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


# -- scoring ------------------------------------------------------------------------------


def _score(sub: Model, head: str, frame: pd.DataFrame, text=None, explain: bool = False):
    """(proba in head.labels order, predicted labels, unscored, predict_frame output).

    Rows the model does not score (``abstain``: no text; or an error status) count as
    predicted clean with probability 1: in production they reach no queue, so a
    positive among them is a miss. ``unscored`` counts them: ``{"abstained": n,
    "errored": n}``.
    """
    X = frame if text is None else frame.assign(text=text)
    out = sub.predict_frame(X, text_col="text", explain=explain)
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
    return proba, pred, unscored, out


#: what the report says of each metric
DEFINITIONS = {
    "macro_f1": "mean over classes of the F1 of the head's label",
    "accuracy": "share of rows whose label is the true class",
    "roc_auc": "binary heads: ROC-AUC of the score P(not clean); multi-class heads: "
    "one-vs-rest ROC-AUC of each class's probability, averaged over classes",
    "score_roc_auc": "multi-class heads: ROC-AUC of the score P(not clean) for 'not clean' "
    "vs clean, the ranking the review queue uses (equal to roc_auc on binary heads)",
    "pr_auc": "average precision of the score for 'not clean'",
    "ece": "expected calibration error of the score (10 equal-width bins)",
    "brier": "mean squared error of the score against 'not clean'",
    "brier_multiclass": "mean squared error of the class probabilities",
}


def _summary(
    y, proba, pred, labels, h, *, base: dict | None = None, n_boot: int, seed: int, f1_labels=None
) -> dict:
    """Headline metrics of a slice, with bootstrap intervals and a small-slice warning."""
    m = classification_metrics(y, proba, labels, h.clean_label, h.thresholds, y_pred=pred)
    if f1_labels is not None:
        m["macro_f1"] = float(
            f1_score(y, pred.astype(str), labels=f1_labels, average="macro", zero_division=0)
        )
    keys = ("n", "accuracy", "macro_f1", "roc_auc", "score_roc_auc", "pr_auc")
    out = {k: m.get(k) for k in keys}
    if base is not None and base.get("macro_f1") is not None:
        out["macro_f1_drop"] = float(base["macro_f1"] - m["macro_f1"])
    out["ci95"] = bootstrap_ci(
        y,
        proba,
        pred,
        labels,
        h.clean_label,
        h.thresholds,
        n_boot=n_boot,
        seed=seed,
        f1_labels=f1_labels,
        metrics=("macro_f1", "accuracy", "roc_auc"),
    )
    if len(y) < SMALL_SLICE:
        out["warning"] = (
            f"only {len(y)} rows (under {SMALL_SLICE}): its figures swing with a few posts; "
            "read the interval, not the point value"
        )
    return out


def _groups(values: pd.Series, limit: int = 50) -> tuple[list, int]:
    """The ``limit`` most frequent values of a slice column, and how many were left out."""
    counts = values.astype(str).where(values.notna(), "<missing>").value_counts()
    return list(counts.index[:limit]), max(0, len(counts) - limit)


def _evaluate_head(
    model: Model,
    head: str,
    frame: pd.DataFrame,
    slices: bool,
    *,
    n_boot: int = 500,
    seed: int = 0,
    slice_by=(),
    explain: bool = False,
) -> dict:
    sub = _sub_model(model, head)
    h = sub.heads[head]
    rows = frame.index.to_numpy()
    frame = frame.reset_index(drop=True)
    y = frame["label"].to_numpy(dtype=object).astype(str)
    labels = list(h.labels)
    proba, pred, unscored, scored = _score(sub, head, frame, explain=explain)
    nan_text = int(frame["text"].isna().sum())
    m = classification_metrics(y, proba, labels, h.clean_label, h.thresholds, y_pred=pred)
    m["nan_text_rows"] = nan_text
    # rows without text (counted as predicted clean) and unreadable rows
    m["abstained_rows"] = unscored["abstained"]
    m["errored_rows"] = unscored["errored"]
    m["ci95"] = bootstrap_ci(
        y, proba, pred, labels, h.clean_label, h.thresholds, n_boot=n_boot, seed=seed
    )
    if len(y) < SMALL_SLICE:
        m["warning"] = f"only {len(y)} rows (under {SMALL_SLICE}): read the intervals"
    result = {"metrics": m, "_proba": proba, "_y": y, "_scored": scored, "_rows": rows}
    kw = dict(n_boot=n_boot, seed=seed)
    if slice_by:
        by = {}
        for col in slice_by:
            values = frame[col]
            keys, left = _groups(values)
            key_of = values.astype(str).where(values.notna(), "<missing>").to_numpy()
            groups = {}
            for key in keys:
                idx = np.flatnonzero(key_of == key)
                present = [c for c in labels if c in set(y[idx]) | set(pred[idx].astype(str))]
                groups[str(key)] = _summary(
                    y[idx], proba[idx], pred[idx], labels, h, f1_labels=present, **kw
                )
            by[col] = {"groups": groups, "values_left_out": left}
        result["by_column"] = by
    if not slices:
        return result
    sl = {}
    text = frame["text"]
    for name, fn in (("accents_stripped", strip_accents), ("teencode", substitute_teencode)):
        changed_text = text.map(lambda t, fn=fn: fn(t) if isinstance(t, str) else t)
        p2, pred2, _, _ = _score(sub, head, frame, changed_text)
        sl[name] = {
            **_summary(y, p2, pred2, labels, h, base=m, **kw),
            "changed_rows": int((changed_text.fillna("") != text.fillna("")).sum()),
        }
    # the normalizer expands teencode: this slice checks that it does (same scores)
    diff = np.abs(p2 - proba).max(axis=1)
    moved = int((diff > 1e-9).sum())
    sl["teencode"].update(
        kind="invariance check",
        invariant=moved == 0,
        rows_with_other_scores=moved,
        max_probability_change=float(diff.max()) if len(diff) else 0.0,
        check=(
            "the normalizer expands teencode short forms, so the scores must equal the plain "
            "ones: "
            + (
                "they do on every row"
                if moved == 0
                else f"they differ on {moved} of {len(diff)} rows (largest probability change "
                f"{diff.max():.4f}): the normalizer does not undo some substitutions"
            )
        ),
    )
    buckets = text.map(_length_bucket).to_numpy()
    by_length = {}
    for name, _, _ in LENGTH_BUCKETS:
        idx = np.flatnonzero(buckets == name)
        if not len(idx):
            continue
        present = [c for c in labels if c in set(y[idx]) | set(pred[idx].astype(str))]
        by_length[name] = _summary(
            y[idx], proba[idx], pred[idx], labels, h, f1_labels=present, **kw
        )
    sl["length"] = by_length
    result["slices"] = sl
    return result


def _evaluate_stored(model: Model, head: str, n_boot: int, seed: int) -> dict | None:
    """Metrics of a head on the out-of-fold validation predictions kept with the model
    (None when the model kept only the scores)."""
    v = model.validation.get(head)
    if v is None or not getattr(v, "has_classes", False):
        return None
    h = model.heads[head]
    labels = list(h.labels)
    if v.proba.shape[1] != len(labels):
        return None
    y = np.asarray(labels, dtype=object)[v.y_class].astype(str)
    if v.pred is not None:
        pred = np.asarray(labels, dtype=object)[v.pred]
    else:
        pred = head_labels(
            v.proba,
            labels,
            h.clean_label,
            offsets=h.class_offsets,
            class_thresholds=h.info.get("class_thresholds"),
        )
    m = classification_metrics(y, v.proba, labels, h.clean_label, h.thresholds, y_pred=pred)
    m["ci95"] = bootstrap_ci(
        y, v.proba, pred, labels, h.clean_label, h.thresholds, n_boot=n_boot, seed=seed
    )
    return {"metrics": m, "_proba": v.proba, "_y": y}


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


def _ci(m: dict, key: str) -> str:
    ci = (m.get("ci95") or {}).get(key)
    return f"{ci[0]:.4f} – {ci[1]:.4f}" if ci else ""


def _slice_row(name: str, s: dict, changed="") -> str:
    warn = " ⚠" if s.get("warning") else ""
    return (
        f"| {name}{warn} | {s['n']} | {changed} | {_fmt(s['macro_f1'])} | {_ci(s, 'macro_f1')} | "
        f"{_fmt(s.get('macro_f1_drop'))} | {_fmt(s['roc_auc'])} | {_ci(s, 'roc_auc')} |"
    )


_SLICE_HEADER = [
    "| slice | rows | changed | macro-F1 | 95% CI | drop | ROC-AUC | 95% CI |",
    "|---|---|---|---|---|---|---|---|",
]


def _report_md(result: dict) -> str:
    lines = [
        f"# Evaluation: {result['model']['name']} {result['model']['version']}",
        "",
        f"Created {result['created']}. Scores are P(not clean) per head; bands use the "
        "model's thresholds. Metrics on public datasets are only comparable on the same splits. "
        "Intervals are 95% percentile bootstrap intervals over the rows; ⚠ marks slices under "
        f"{SMALL_SLICE} rows, whose figures swing with a few posts.",
        "",
    ]
    for head, r in result["heads"].items():
        for w in r.get("warnings", []):
            lines += [f"> **WARNING ({head}): {w}**", ""]
    if result.get("skipped"):
        lines += ["Heads not evaluated:", ""]
        lines += [f"- `{h}`: {reason}" for h, reason in result["skipped"].items()]
        lines.append("")
    for head, r in result["heads"].items():
        m = r["metrics"]
        src = r["data"]
        lines += [f"## Head `{head}`", ""]
        for w in r.get("warnings", []):
            lines += [f"> **WARNING: {w}**", ""]
        if r.get("note"):
            lines += [f"Note: {r['note']}", ""]
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
        binary = len(m.get("per_class", {})) == 2
        lines += ["", "| metric | value | 95% CI |", "|---|---|---|"]
        for k in (
            "macro_f1",
            "accuracy",
            "roc_auc",
            "score_roc_auc",
            "pr_auc",
            "ece",
            "brier",
            "brier_multiclass",
            "flag_precision",
            "flag_recall",
            "flag_or_review_recall",
        ):
            if k == "score_roc_auc" and binary:
                continue  # equal to roc_auc on a binary head
            if k in m:
                lines.append(f"| {k} | {_fmt(m[k])} | {_ci(m, k)} |")
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
            lines += ["", "Robustness slices:", "", *_SLICE_HEADER]
            plain = {**m, "macro_f1_drop": None}
            lines.append(_slice_row("plain", plain))
            s = sl["accents_stripped"]
            lines.append(_slice_row("accents stripped", s, s["changed_rows"]))
            s = sl["teencode"]
            lines.append(_slice_row("teencode (invariance check)", s, s["changed_rows"]))
            for name, s in sl["length"].items():
                lines.append(_slice_row(name, s))
            if sl["teencode"].get("check"):
                lines += ["", f"Teencode: {sl['teencode']['check']}."]
        for col, by in (r.get("by_column") or {}).items():
            lines += ["", f"By `{col}`:", "", *_SLICE_HEADER]
            for value, s in by["groups"].items():
                lines.append(_slice_row(value, s))
            if by.get("values_left_out"):
                lines.append(f"\n({by['values_left_out']} less frequent values left out.)")
        if r.get("predictions"):
            lines += ["", f"Per-row predictions: [{r['predictions']}]({r['predictions']})"]
        if r.get("plots"):
            lines.append("")
            for kind, file in r["plots"].items():
                lines.append(f"![{head} {kind.replace('_', ' ')}]({file})")
        lines.append("")
    if result.get("traffic"):
        lines += _traffic_md(result["traffic"])
    if result.get("definitions"):
        lines += ["## Metric definitions", ""]
        lines += [f"- `{k}`: {v}." for k, v in result["definitions"].items()]
        lines.append("")
    return "\n".join(lines)


def _load(model) -> Model:
    if isinstance(model, Model):
        return model
    from ._persist import load_model

    return load_model(model)


def _training_overlap(model: Model, head: str, source: dict, split: str | None) -> str | None:
    """A warning when the evaluated data is the head's training data, else None."""
    info = model.heads[head].info
    trained = [d for d in info.get("training_data", []) if isinstance(d, dict)]
    sha = source.get("sha256")
    for d in trained:
        if sha and d.get("sha256") == sha:
            return (
                f"the evaluated data ({source.get('name')}) IS the training data of head "
                f"{head!r} (same sha256): these figures measure memorisation, not how the "
                "model does on new posts."
            )
    if split == "train":
        return (
            f"the evaluated split is 'train', the training data of head {head!r}: these "
            "figures measure memorisation, not how the model does on new posts."
        )
    for d in trained:
        if (
            not d.get("sha256")
            and d.get("path")
            and d.get("path") == source.get("path")
            and d.get("rows") == source.get("rows")
        ):
            return (
                f"the evaluated data looks like the training data of head {head!r} (same file "
                f"name {d['path']!r} and row count): if it is, these figures measure "
                "memorisation, not how the model does on new posts."
            )
    return None


def _predictions(res: dict, frame: pd.DataFrame, head: str, id_col: str | None) -> pd.DataFrame:
    """Per-row predictions of one head: id, true label, probabilities, label, decision,
    reasons, status (no text)."""
    scored = res["_scored"]
    out = pd.DataFrame(index=scored.index)
    if id_col is not None and id_col in frame.columns:
        out[id_col] = frame[id_col].to_numpy()
    else:
        out["row"] = res["_rows"] + 1
    out["true_label"] = res["_y"]
    cols = [c for c in scored.columns if c.startswith(f"{head}_")]
    for c in cols:
        out[c] = scored[c].to_numpy()
    for c in ("reasons", "status"):
        out[c] = scored[c].to_numpy()
    return out


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
    slice_by=(),
    id_col: str | None = None,
    predictions: bool = True,
    bootstrap: int = 500,
    seed: int = 0,
    mlflow: bool | str | None = None,
) -> dict:
    """Evaluate a model's heads on labelled posts; optionally write a report directory.

    Parameters
    ----------
    model : Model, str or Path
        A model or a model directory.
    data : DataFrame, str, Path or dict
        - a training config (``.toml`` path or dict): each head's ``test`` data (or
          ``split``) as configured. A head without such data (trained with
          ``validation_folds``) is reported on the out-of-fold validation predictions
          kept with the model, said so in the report (not a held-out test: the thresholds
          were chosen on them); a head with neither is listed under ``skipped`` with the
          reason;
        - a DataFrame or a data file (CSV, TSV, JSONL, Parquet): posts in ``text_col``
          and labels in ``label_col`` (default: a column named after each head; every
          head with such a column is evaluated, the others are listed under ``skipped``).
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
        Write ``metrics.json``, ``report.md``, PNG plots and ``predictions_<head>.csv``
        here.
    slices : bool, default=True
        Also score the data with accents stripped and with teencode substituted (an
        invariance check: the normalizer expands teencode, so the scores must not
        change), and report metrics by text length.
    plots : bool, default=True
        Write PNG plots (with ``out_dir``).
    everyday : str, Path, sequence of str, optional
        Real everyday posts the model never saw (a file with a ``text_col`` column, or
        the texts): adds a traffic report (:func:`misinfo_clf._traffic.traffic_report`).
    slice_by : str or sequence of str, optional
        Columns of the data (the team's own: source, region, platform...): metrics per
        value (the 50 most frequent), with intervals.
    id_col : str, optional
        Id column for the per-row predictions (default ``id`` when the data has one,
        else the data row number).
    predictions : bool, default=True
        Write ``predictions_<head>.csv`` (with ``out_dir``): id, true label,
        probabilities, label, decision, reasons and status of every row; no text.
    bootstrap : int, default=500
        Resamples for the 95% intervals (``ci95``) of the headline metrics and of every
        slice (0: none).
    seed : int, default=0
        Seed of the resamples.
    mlflow : bool or str, optional
        Log an MLflow run (needs ``mlflow`` installed): the model and data as
        parameters, each head's metrics, and the report files as artifacts. ``True`` uses
        MLflow's configuration; a string is the tracking URI.

    Returns
    -------
    dict
        ``{"model", "created", "heads": {head: {"data", "metrics", "slices", "by_column",
        "plots", "predictions", "warnings", "note"}}, "skipped": {head: reason},
        "definitions"}``, as written to ``metrics.json`` (see
        :func:`classification_metrics`).
    """
    model = _load(model)
    slice_by = [slice_by] if isinstance(slice_by, str) else list(slice_by or ())
    config = _is_config(data)
    keep = [*slice_by, *([id_col] if id_col else [])]
    skipped: dict = {}
    items = _resolve(
        model,
        data,
        head=head,
        text_col=text_col,
        label_col=label_col,
        labels=labels,
        split=split,
        data_dir=data_dir,
        skipped=skipped,
        keep=list(dict.fromkeys(keep)),
        keep_if_present=["id"] if id_col is None and not config else [],
    )
    if id_col is None and items and "id" in items[0][1].columns and "id" not in slice_by:
        id_col = "id"
    result = {
        "model": {
            "name": model.name,
            "version": model.version,
            "path": str(getattr(model, "path", "")) or None,
        },
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "heads": {},
        "skipped": {},
        "definitions": DEFINITIONS,
    }
    out = Path(out_dir) if out_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for name, frame, source in items:
        log.info("evaluating head %r on %s (%d rows)", name, source.get("name"), len(frame))
        res = _evaluate_head(
            model,
            name,
            frame,
            slices,
            n_boot=bootstrap,
            seed=seed,
            slice_by=slice_by,
            explain=out is not None and predictions,
        )
        entry = {"data": source, "metrics": res["metrics"], "warnings": []}
        overlap = _training_overlap(model, name, source, split if config else None)
        if overlap:
            log.warning("WARNING: %s", overlap)
            entry["warnings"].append(overlap)
        for key in ("slices", "by_column"):
            if key in res:
                entry[key] = res[key]
        if out is not None and plots:
            entry["plots"] = _plots(out, name, res, model.heads[name])
        if out is not None and predictions:
            file = f"predictions_{name}.csv"
            _predictions(res, frame, name, id_col).to_csv(out / file, index=False)
            entry["predictions"] = file
        result["heads"][name] = entry
    for name, reason in skipped.items():
        if head is not None and name != head:
            continue
        res = _evaluate_stored(model, name, bootstrap, seed) if config else None
        if res is None:
            stored = name in model.validation
            result["skipped"][name] = reason + (
                "; the model kept only its validation scores, not its class probabilities "
                "(trained before they were kept): retrain to evaluate it"
                if stored and config
                else "; and the model keeps no validation predictions for it"
                if config
                else ""
            )
            continue
        method = (model.heads[name].info.get("validation") or {}).get("method", "validation")
        entry = {
            "data": {
                "name": "out-of-fold validation predictions kept with the model",
                "method": method,
                "rows": res["metrics"]["n"],
            },
            "metrics": res["metrics"],
            "warnings": [],
            "note": (
                f"{reason}: reported on its validation predictions from training ({method}). "
                "Not a held-out test: its thresholds (and label rule) were chosen on them, so "
                "flag precision and recall are optimistic. No text is kept: no slices, no "
                "per-row file."
            ),
        }
        if out is not None and plots:
            entry["plots"] = _plots(out, name, res, model.heads[name])
        result["heads"][name] = entry
    if not result["heads"]:
        raise ValueError(
            "no head could be evaluated: "
            + "; ".join(f"{h}: {r}" for h, r in result["skipped"].items())
        )
    if everyday is not None:
        result["traffic"] = _traffic(model, everyday, items, text_col)
    result = json_safe(result)
    if out is not None:
        (out / "metrics.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        (out / "report.md").write_text(_report_md(result), encoding="utf-8")
    if mlflow:
        from ._tracking import log_run

        heads = result["heads"]
        log_run(
            mlflow,
            run_name=f"evaluate {model.name} {model.version}",
            params={
                "model": f"{model.name} {model.version}",
                **{f"data.{h}": r["data"].get("name") for h, r in heads.items()},
                **{f"split.{h}": r["data"].get("split", "") for h, r in heads.items()},
            },
            metrics={
                h: {k: v for k, v in r["metrics"].items() if not isinstance(v, dict | list)}
                for h, r in heads.items()
            },
            files=sorted(out.iterdir()) if out is not None else (),
            tags={"misinfo_clf.command": "evaluate"},
        )
    return result


def record_evaluation(model_dir, result: dict, *, out=None, in_place: bool = False) -> dict:
    """Store a summary of ``evaluate``'s result in a model's manifest and card.

    Per head: the evaluation data (name, split, rows, licence, sha256), the headline
    metrics with their intervals and the robustness slices, under
    ``heads.<head>.evaluation``. The model file is untouched, so its sha256 stays valid.
    Written to ``out`` (a new model directory) or, with ``in_place=True``, over
    ``model_dir``; neither is an error.
    """
    from ._persist import read_manifest
    from ._tune import edit_target, write_edited

    target = edit_target(
        model_dir, out, in_place, what="evaluate --record", out_option="--model-out"
    )
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
        ci = {k: v for k, v in (metrics.get("ci95") or {}).items() if k in keys and v}
        manifest["heads"][head]["evaluation"] = {
            "data": res.get("data", {}),
            "evaluated": result.get("created"),
            "metrics": summary,
            "ci95": ci,
            "slices_macro_f1": slices,
            **({"warnings": res["warnings"]} if res.get("warnings") else {}),
            **({"note": res["note"]} if res.get("note") else {}),
        }
    write_edited(model_dir, target, manifest)
    return manifest
