"""Reasons: the n-grams that pushed a head's score up, as spans in the raw post.

A feature's contribution is its TF-IDF value times its weight in the linear model
(towards the predicted harmful class, against the clean class). Calibration is
monotonic, so the features with the largest positive contributions are the ones
that raised the probability most. Character n-gram contributions are credited to
the word that contains them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .text import strip_accents, tokenize_with_spans
from .text._normalize import Normalized, normalize_post

__all__ = ["Reason", "explain_rows", "highlight_html", "linear_weights", "parse_reasons"]

#: features (largest contributions first) mapped to spans for each explained head
_CANDIDATES = 25


@dataclass(frozen=True)
class Reason:
    """One piece of evidence for a head's score.

    Attributes
    ----------
    head : str
    text : str
        The words as they appear in the original post (``raw[start:end]``).
    feature : str
        The n-gram as the model saw it (canonical form).
    weight : float
        Contribution to the head's decision score (larger pushes harder).
    start, end : int
        Character span in the original post.
    """

    head: str
    text: str
    feature: str
    weight: float
    start: int
    end: int

    def to_dict(self) -> dict:
        return {
            "head": self.head,
            "text": self.text,
            "feature": self.feature,
            "weight": round(float(self.weight), 4),
            "start": self.start,
            "end": self.end,
        }


def linear_weights(clf) -> tuple[np.ndarray, np.ndarray]:
    """(classes, weights) of the linear model inside ``clf``; weights is (n_classes|1, n_features)."""
    est = clf
    if hasattr(est, "calibrated_classifiers_"):
        est = est.calibrated_classifiers_[0].estimator
    if hasattr(est, "coef_"):
        return np.asarray(clf.classes_), np.asarray(est.coef_)
    if hasattr(est, "feature_log_prob_"):  # naive Bayes
        return np.asarray(clf.classes_), np.asarray(est.feature_log_prob_)
    raise TypeError(f"cannot explain a {type(est).__name__}: it has no linear weights.")


class _PostIndex:
    """One post's canonical text and tokens, with lookups from a feature to its spans.

    Everything here is in the canonical text; :meth:`Normalized.offsets` maps a span
    back to the raw post only when a reason is written.
    """

    def __init__(self, raw: str | Normalized, model):
        if not isinstance(raw, Normalized):
            raw = normalize_post(raw, teencode=model.views.teencode)
        self.post = raw
        self.text = raw.text
        self.tokens = tokenize_with_spans(self.text, model.views.mode)
        self.starts = [a for _, a, _ in self.tokens]
        self._seqs: dict = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._plain_text: str | None = None

    def _plain(self) -> str:
        if self._plain_text is None:
            self._plain_text = strip_accents(self.text)
        return self._plain_text

    @property
    def nt(self):
        """The post with offsets to the raw text (:class:`~misinfo_clf.text.NormalizedText`)."""
        return self.post.offsets()

    def _positions(self, view: str) -> tuple[list[str], dict]:
        """The view's token sequence and, for each token, where it occurs."""
        found = self._seqs.get(view)
        if found is None:
            if view == "plain":  # the accent-free text has the same length: slice it
                plain = self._plain()
                seq = [plain[a:b] for _, a, b in self.tokens]
            else:
                seq = [t for t, _, _ in self.tokens]
            where = defaultdict(list)
            for i, t in enumerate(seq):
                where[t].append(i)
            found = self._seqs[view] = (seq, where)
        return found

    def spans(self, feature: str) -> list[tuple[int, int]]:
        """Spans (in the canonical text) of a feature (``<view>__<n-gram>``); once per
        feature and post, whichever heads ask."""
        found = self._spans.get(feature)
        if found is None:
            found = self._spans[feature] = self._find(feature)
        return found

    def _find(self, feature: str) -> list[tuple[int, int]]:
        view, _, gram = feature.partition("__")
        if view in ("tokens", "plain"):
            seq, where = self._positions(view)
            parts = gram.split(" ")  # tokens hold no space
            k = len(parts)
            return [
                (self.tokens[i][1], self.tokens[i + k - 1][2])
                for i in where.get(parts[0], ())
                if k == 1 or seq[i : i + k] == parts
            ]
        if view in ("chars", "plain_chars"):
            gram = gram.strip(" ")
            if not gram:
                return []
            text = self.text
            if view == "plain_chars":  # same length as the text: positions carry over
                text = self._plain()
            spans = []
            start = text.find(gram)
            while start >= 0:
                end = start + len(gram)
                # credit the whole word(s) around the character n-gram
                i = max(bisect_right(self.starts, start) - 1, 0)
                while i < len(self.tokens) and self.tokens[i][1] < end:
                    _, a, b = self.tokens[i]
                    if b > start:
                        spans.append((a, b))
                    i += 1
                start = text.find(gram, start + 1)
            return spans
        return []


#: a reason is at most this many words: overlapping evidence merges up to a short phrase
MAX_PHRASE_WORDS = 4


def _phrases(by_span: dict, post: _PostIndex) -> list[list]:
    """Overlapping spans merged into phrases: ``[start, end, weight, spans]``.

    A word and the bigram around it, or two overlapping bigrams (``loại như`` and ``như
    mày``), are one piece of evidence for a reviewer: ``loại như mày`` with the summed
    contributions of the features inside it. A phrase stops growing at
    :data:`MAX_PHRASE_WORDS` words.
    """
    phrases: list[list] = []
    for (a, b), w in sorted(by_span.items()):
        if phrases and a < phrases[-1][1]:
            last = phrases[-1]
            end = max(last[1], b)
            words = bisect_right(post.starts, end - 1) - bisect_right(post.starts, last[0] - 1)
            if words <= MAX_PHRASE_WORDS:
                last[1], last[2] = end, last[2] + w
                last[3].append((a, b))
                continue
        phrases.append([a, b, w, [(a, b)]])
    tokens = post.tokens
    for p in phrases:  # no punctuation at a phrase's edges ("câm mồm đi," -> "câm mồm đi")
        spans = []
        # tokens are sorted and do not overlap: those inside the phrase are one run
        for i in range(bisect_left(post.starts, p[0]), len(tokens)):
            t, x, y = tokens[i]
            if y > p[1]:
                break
            if _is_word(t):
                spans.append((x, y))
        if spans:
            p[0], p[1] = spans[0][0], spans[-1][1]
    return phrases


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def top_contributions(head, feats, rows, targets, k: int = _CANDIDATES):
    """The ``k`` largest positive contributions of each row, all rows at once.

    ``feats`` is the head's :class:`~misinfo_clf._serving.Features`; ``rows`` the rows
    to explain (sorted), ``targets`` each one's target class. A feature's contribution
    is its TF-IDF value times its weight towards the target class and away from the
    clean class (the sparse product of the row and the weights, never densified).

    Returns ``(row, column, contribution)`` arrays sorted by row, then by contribution
    (largest first; ties in column order).
    """
    serving = head.serving
    clean = head.labels.index(head.clean_label)
    mask = np.zeros(feats.n, dtype=bool)
    mask[rows] = True
    sel = np.flatnonzero(mask[feats.rows])
    r, c = feats.rows[sel], feats.cols[sel]
    target_of = np.zeros(feats.n, dtype=np.int64)
    target_of[rows] = targets
    contrib = feats.vals[sel] * serving.directions_at(target_of[r], c, clean)
    pos = contrib > 0
    r, c, contrib = r[pos], c[pos], contrib[pos]
    order = np.lexsort((-contrib, r))  # by row, largest first, stable
    r, c, contrib = r[order], c[order], contrib[order]
    starts = np.searchsorted(r, r, side="left")
    keep = np.arange(len(r)) - starts < k
    return r[keep], c[keep], contrib[keep]


def explain_rows(
    model, texts, views, scored: dict, max_reasons: int = 5, posts=None
) -> list[tuple]:
    """Reasons for every row, for heads whose score reaches their review band.

    ``posts``: each row's :class:`~misinfo_clf.text._normalize.Normalized` (the one
    normalization of the post), or None (explained rows are normalized here). Reasons
    are found in the canonical text (:func:`explain_canonical`) and mapped to each
    row's raw text (:func:`raw_reasons`).
    """
    found = explain_canonical(model, texts, scored, max_reasons, posts)
    out: list[tuple] = [()] * len(texts)
    for i, items in found.items():
        post = posts[i] if posts is not None else None
        if post is None:
            post = normalize_post(texts[i], teencode=model.views.teencode)
        out[i] = raw_reasons(items, post)
    return out


def explain_canonical(model, texts, scored: dict, max_reasons: int = 5, posts=None) -> dict:
    """``{row: [(head, start, end, weight, feature), ...]}``: each explained row's reasons
    as spans of its canonical text (the same for every post with that text).

    Contributions are ranked for all explained rows at once (:func:`top_contributions`);
    only those rows' top features are looked up as spans (the caller passes one row per
    distinct canonical text and metadata: :meth:`Model._score`).
    """
    found: dict[int, list] = {}
    indexes: dict[str, _PostIndex] = {}  # one per canonical text, shared by the heads
    thresholds = scored.get("thresholds") or {}
    for name, res in scored["heads"].items():
        head = model.heads[name]
        feats, ok = res["_feats"]
        if feats is None:
            continue
        review = thresholds.get(name, head.thresholds).review
        explain = np.flatnonzero(res["score"][ok] >= review)  # rows of ``feats``
        if not len(explain):
            continue
        clean = head.labels.index(head.clean_label)
        proba = res["proba"][ok[explain]].copy()
        proba[:, clean] = -1.0
        rows, cols, vals = top_contributions(head, feats, explain, proba.argmax(axis=1))
        bounds = np.searchsorted(rows, explain, side="left")
        ends = np.searchsorted(rows, explain, side="right")
        serving = head.serving
        for row, a0, b0 in zip(explain.tolist(), bounds.tolist(), ends.tolist(), strict=True):
            if a0 == b0:
                continue
            i = int(ok[row])
            post = posts[i] if posts is not None else None
            if post is None:
                post = normalize_post(texts[i], teencode=model.views.teencode)
            index = indexes.get(post.text)
            if index is None:
                index = indexes[post.text] = _PostIndex(post, model)
            items = _canonical_reasons(name, index, serving, cols[a0:b0], vals[a0:b0], max_reasons)
            found.setdefault(i, []).extend(items)
    return found


def raw_reasons(items, post: Normalized) -> tuple[Reason, ...]:
    """Reasons from :func:`explain_canonical`'s spans, mapped to ``post``'s raw text."""
    if not items:
        return ()
    nt = post.offsets()
    out = []
    for name, a, b, weight, feature in items:
        ra, rb = nt.raw_span(a, b)
        out.append(
            Reason(head=name, text=nt.raw[ra:rb], feature=feature, weight=weight, start=ra, end=rb)
        )
    return tuple(out)


def _canonical_reasons(name: str, post, serving, cols, vals, max_reasons: int) -> list:
    """One head's reasons for one canonical text from its top features, merged into
    phrases: ``(head, start, end, weight, feature)``."""
    text = post.text
    by_span: dict = defaultdict(float)
    label_of: dict = {}
    for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
        feature = serving.feature_name(j)
        spans = post.spans(feature)
        for a, b in spans:
            by_span[(a, b)] += v / len(spans)
            if feature.startswith(("tokens__", "plain__")):
                label_of[(a, b)] = feature.partition("__")[2]
    best = sorted(_phrases(by_span, post), key=lambda p: -p[2])[:max_reasons]
    out = []
    for a, b, weight, parts in best:
        single = len(parts) == 1 or all(p == parts[0] for p in parts)
        feature = label_of.get((a, b), text[a:b]) if single else text[a:b]
        # rounded once here, so that predict and the JSON of predict_frame agree
        out.append((name, a, b, round(float(weight), 4), feature))
    return out


def parse_reasons(value) -> tuple[list[dict], list[dict]]:
    """(span reasons, notes) from a ``reasons`` cell of :func:`~misinfo_clf.score_frame`'s
    output: compact JSON, or the list itself (a Parquet list column gives an array).
    A cell that cannot be read gives the note ``reasons_unreadable``; an empty or missing
    cell gives nothing."""
    import json

    import pandas as pd

    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, str):
        if not value.strip():
            return [], []
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return [], [{"code": "reasons_unreadable"}]
    elif not isinstance(value, list) and (value is None or pd.isna(value)):
        return [], []
    if not isinstance(value, list):
        return [], [{"code": "reasons_unreadable"}]
    spans, notes = [], []
    for r in value:
        if not isinstance(r, dict):
            notes.append({"code": "reasons_unreadable"})
        elif "code" in r:
            notes.append(dict(r))
        elif "head" in r:
            spans.append(dict(r))
    return spans, notes


def highlight_html(text: str, reasons) -> str:
    """The post as HTML with its reasons' spans in ``<mark>``, for a reviewer.

    Overlapping spans (a word and the bigram around it, two heads pointing at the
    same word) are drawn as one highlight whose tooltip lists all their reasons. The
    text is HTML-escaped.

    Parameters
    ----------
    text : str
        The original post (the spans index into it).
    reasons : iterable of Reason or dict
        ``Prediction.reasons``, or the parsed ``reasons`` JSON of ``predict_frame``
        (entries with a ``code`` instead of a span are skipped).

    Examples
    --------
    >>> from misinfo_clf import Reason, highlight_html
    >>> highlight_html("ko tin đâu", [Reason("misinformation", "tin", "tin", 0.5, 3, 6)])
    'ko <mark title="misinformation: tin (+0.500)">tin</mark> đâu'
    """
    import html

    items = []
    for r in reasons:
        if isinstance(r, dict):
            if "start" not in r:
                continue
            r = Reason(**{k: r[k] for k in ("head", "text", "feature", "weight", "start", "end")})
        items.append(r)
    spans: list[list] = []  # [start, end, reasons], overlapping spans merged
    for r in sorted(items, key=lambda r: (r.start, r.end)):
        if spans and r.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], r.end)
            spans[-1][2].append(r)
        else:
            spans.append([r.start, r.end, [r]])
    parts, pos = [], 0
    for start, end, rs in spans:
        tip = "; ".join(f"{r.head}: {r.feature} ({r.weight:+.3f})" for r in rs)
        parts.append(html.escape(text[pos:start]))
        parts.append(f'<mark title="{html.escape(tip)}">{html.escape(text[start:end])}</mark>')
        pos = end
    return "".join(parts) + html.escape(text[pos:])
