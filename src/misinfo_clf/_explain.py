"""Reasons: the n-grams that pushed a head's score up, as spans in the raw post.

A feature's contribution is its TF-IDF value times its weight in the linear model
(towards the predicted harmful class, against the clean class). Calibration is
monotonic, so the features with the largest positive contributions are the ones
that raised the probability most. Character n-gram contributions are credited to
the word that contains them.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from operator import ne
from typing import cast
from weakref import WeakKeyDictionary

import numpy as np

from .text import strip_accents, tokenize_with_spans
from .text._chars import _STRIP_TABLE
from .text._normalize import Normalized, normalize_post
from .text._tokenize import Mode, _chunk_syllables

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
        self.words, self.starts, self.ends = _token_spans(self.text, model.views.mode)
        # each token is the text's slice at its span (syllables of an NFC text)
        self._sliced = model.views.mode == "syllable" and _is_nfc(self.text)
        self._joined: dict[str, str] = {}  # view -> its tokens (:meth:`_sequence`)
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._plain_text: str | None = None

    def _plain(self) -> str:
        if self._plain_text is None:
            self._plain_text = strip_accents(self.text)
        return self._plain_text

    @property
    def tokens(self) -> list[tuple[str, int, int]]:
        """``(token, start, end)`` of each token (:func:`~misinfo_clf.text.tokenize_with_spans`)."""
        return list(zip(self.words, self.starts, self.ends, strict=True))

    @property
    def nt(self):
        """The post with offsets to the raw text (:class:`~misinfo_clf.text.NormalizedText`)."""
        return self.post.offsets()

    def _sequence(self, view: str) -> str:
        """The view's tokens joined by single spaces, with a space at each end: a word
        n-gram (tokens hold no space) occurs in it as `` <n-gram> `` exactly where its
        tokens follow each other."""
        if view != "plain":
            return " " + " ".join(self.words) + " "
        if self._sliced:  # accents stripped one character for one, as strip_accents does
            return self._find_sequence("tokens").translate(_STRIP_TABLE)
        # the accent-free text has the same length: slice it
        return (
            " " + " ".join(map(self._plain().__getitem__, map(slice, self.starts, self.ends))) + " "
        )

    def _find_sequence(self, view: str) -> str:
        seq = self._joined.get(view)
        if seq is None:
            seq = self._joined[view] = self._sequence(view)
        return seq

    def spans(self, feature: str) -> list[tuple[int, int]]:
        """Spans (in the canonical text) of a feature (``<view>__<n-gram>``); once per
        feature and post, whichever heads ask."""
        found = self._spans.get(feature)
        if found is None:
            view, _, gram = feature.partition("__")
            if view in ("tokens", "plain"):
                found = self._find_tokens(view, gram)
            elif view in ("chars", "plain_chars"):
                found = self._find_chars(view, gram)
            else:
                found = []
            self._spans[feature] = found
        return found

    def _find_tokens(self, view: str, gram: str) -> list[tuple[int, int]]:
        """Spans of the token n-gram ``gram`` (tokens joined by a space), first to last."""
        if not gram:
            return []
        return self._token_spans(view, " " + gram + " ", gram.count(" "))

    def _token_spans(self, view: str, needle: str, last: int) -> list[tuple[int, int]]:
        """Spans of a token n-gram of ``last + 1`` tokens, given as `` <n-gram> ``."""
        if not self.words:
            return []
        seq = self._find_sequence(view)
        hit = seq.find(needle)
        if hit < 0:
            return []
        starts, ends = self.starts, self.ends
        spans = []
        i, at = 0, 0
        while hit >= 0:
            i += seq.count(" ", at, hit)  # a hit starts at the space before token i
            at = hit
            spans.append((starts[i], ends[i + last]))
            hit = seq.find(needle, hit + 1)
        return spans

    def _find_chars(self, view: str, gram: str) -> list[tuple[int, int]]:
        """Spans of the words around each occurrence of the character n-gram ``gram``."""
        gram = gram.strip(" ")
        if not gram:
            return []
        text = self.text
        if view == "plain_chars":  # same length as the text: positions carry over
            text = self._plain()
        start = text.find(gram)
        if start < 0:
            return []
        starts, ends, n = self.starts, self.ends, len(self.starts)
        spans = []
        while start >= 0:
            end = start + len(gram)
            # credit the whole word(s) around the character n-gram
            i = max(bisect_right(starts, start) - 1, 0)
            while i < n and starts[i] < end:
                if ends[i] > start:
                    spans.append((starts[i], ends[i]))
                i += 1
            start = text.find(gram, start + 1)
        return spans


def _token_spans(text: str, mode: Mode) -> tuple[list[str], list[int], list[int]]:
    """:func:`~misinfo_clf.text.tokenize_with_spans` of a canonical text, as lists of
    tokens, starts and ends; in syllable mode from the tokens of each space-separated
    chunk (cached: posts repeat words; the syllable pattern never crosses a space)."""
    if mode != "syllable" or not _is_nfc(text):
        return _unzipped(tokenize_with_spans(text, mode))
    chunks = text.split(" ")
    found = list(map(_CHUNK_TOKENS.get, chunks))
    if None in found:
        for k, chunk in enumerate(chunks):
            if found[k] is None:
                found[k] = _chunk_tokens(chunk)
                if found[k] is None:  # not covered by its tokens (other white space)
                    return _unzipped(tokenize_with_spans(text, mode))
    # a space before each chunk's tokens; the first one is not in the text
    flat = list(chain.from_iterable(cast(list[tuple], found)))  # no None left
    bounds = list(accumulate(map(len, flat), initial=-1))  # where each item starts
    token = list(map(ne, flat, repeat(" ")))
    return (
        list(compress(flat, token)),
        list(compress(bounds, token)),
        list(compress(bounds[1:], token)),
    )


def _is_nfc(text: str) -> bool:
    return text.isascii() or unicodedata.is_normalized("NFC", text)


def _unzipped(tokens: list[tuple[str, int, int]]) -> tuple[list[str], list[int], list[int]]:
    return [t for t, _, _ in tokens], [a for _, a, _ in tokens], [b for _, _, b in tokens]


def _chunk_tokens(chunk: str) -> tuple | None:
    """``(" ", *tokens)`` of a chunk of canonical text (no space), or None unless its
    tokens cover it (the syllable pattern matches at every visible character)."""
    toks = _chunk_syllables(chunk)
    if sum(map(len, toks)) != len(chunk):
        return None
    found = (" ", *toks)
    if len(chunk) <= 40:
        if len(_CHUNK_TOKENS) >= 1 << 14:
            _CHUNK_TOKENS.clear()
        _CHUNK_TOKENS[chunk] = found
    return found


# chunk of canonical text -> (" ", *its syllable tokens); bounded (cleared when full: 16,384
# chunks, only the queued posts read it; 65,536 of them held ~15 MB more per worker)
_CHUNK_TOKENS: dict[str, tuple] = {}


#: a reason is at most this many words: overlapping evidence merges up to a short phrase
MAX_PHRASE_WORDS = 4


def _phrases(by_span: dict, post: _PostIndex) -> list[list]:
    """Overlapping spans merged into phrases: ``[start, end, weight, spans]``.

    A word and the bigram around it, or two overlapping bigrams (``loại như`` and ``như
    mày``), are one piece of evidence for a reviewer: ``loại như mày`` with the summed
    contributions of the features inside it. A phrase stops growing at
    :data:`MAX_PHRASE_WORDS` words.
    """
    phrases = _merged(by_span, post)
    return _trimmed(phrases, post)


def _merged(by_span: dict, post: _PostIndex) -> list[list]:
    """:func:`_phrases` before their edges are trimmed."""
    starts = post.starts
    phrases: list[list] = []
    last: list = [0, 0]
    first_word = 0  # words of the text before the last phrase
    for span in sorted(by_span):  # spans are distinct: the order of the (span, weight) pairs
        a, b = span
        w = by_span[span]
        if a < last[1] and phrases:
            end = b if b > last[1] else last[1]
            if bisect_right(starts, end - 1) - first_word <= MAX_PHRASE_WORDS:
                last[1], last[2] = end, last[2] + w
                last[3].append((a, b))
                continue
        last = [a, b, w, [(a, b)]]
        first_word = bisect_right(starts, a - 1)
        phrases.append(last)
    return phrases


def _trimmed(phrases: list[list], post: _PostIndex) -> list[list]:
    """``phrases`` without punctuation at their edges ("câm mồm đi," -> "câm mồm đi")."""
    words, starts, ends = post.words, post.starts, post.ends
    wordy = _WORDY
    for p in phrases:
        # tokens are sorted and do not overlap: those inside the phrase are one run
        inside = range(bisect_left(starts, p[0]), bisect_right(ends, p[1]))
        kept = [i for i in inside if wordy.get(words[i]) or _is_word(words[i])]
        if kept:
            p[0], p[1] = starts[kept[0]], ends[kept[-1]]
    return phrases


def _is_word(token: str) -> bool:
    found = _WORDY.get(token)
    if found is None:
        found = any(c.isalnum() for c in token)
        if len(_WORDY) >= 1 << 14:
            _WORDY.clear()
        _WORDY[token] = found
    return found


# token -> whether it holds a letter or digit; bounded (cleared when full)
_WORDY: dict[str, bool] = {}


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
    sel = _entries_of(feats, rows)
    r, c = feats.rows[sel], feats.cols[sel]
    target_of = np.zeros(feats.n, dtype=np.int64)
    target_of[rows] = targets
    contrib = feats.vals[sel] * serving.directions_at(target_of[r], c, clean)
    keep = contrib > 0
    keep[keep] = _may_rank(r[keep], contrib[keep], k)
    r, c, contrib = r[keep], c[keep], contrib[keep]
    order = np.lexsort((-contrib, r))  # by row, largest first, stable
    r, c, contrib = r[order], c[order], contrib[order]
    starts = np.searchsorted(r, r, side="left")
    keep = np.arange(len(r)) - starts < k
    return r[keep], c[keep], contrib[keep]


def _may_rank(rows: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Which entries can be among the ``k`` largest of their row (``rows`` sorted): those
    at least the row's k-th largest value (ties kept), so that only they are sorted."""
    n = len(rows)
    keep = np.ones(n, dtype=bool)
    if n <= k:
        return keep
    first = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    ends = np.append(first[1:], n)
    long = np.flatnonzero(ends - first > k)
    for a, b in zip(first[long].tolist(), ends[long].tolist(), strict=True):
        row = values[a:b]
        keep[a:b] = row >= np.partition(row, b - a - k)[b - a - k]
    return keep


def _entries_of(feats, rows: np.ndarray) -> np.ndarray:
    """Positions of the entries of ``rows`` (sorted) in ``feats``, in order."""
    first = feats.indptr[rows]
    counts = feats.indptr[rows + 1] - first
    # entry p of the run (from 0) is at first[k] + p - (entries of the rows before k)
    shift = first - (np.cumsum(counts) - counts)
    return np.repeat(shift, counts) + np.arange(int(counts.sum()), dtype=np.int64)


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
    spans = post.raw_spans([it[1] for it in items], [it[2] for it in items])
    raw = post.raw
    return tuple(
        Reason(head=name, text=raw[ra:rb], feature=feature, weight=weight, start=ra, end=rb)
        for (name, _, _, weight, feature), (ra, rb) in zip(items, spans, strict=True)
    )


def _canonical_reasons(name: str, post, serving, cols, vals, max_reasons: int) -> list:
    """One head's reasons for one canonical text from its top features, merged into
    phrases: ``(head, start, end, weight, feature)``."""
    text = post.text
    by_span: dict = defaultdict(float)
    label_of: dict = {}
    names = _names_of(serving)
    for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
        named = names.get(j)
        if named is None:
            named = names[j] = _named(serving.feature_name(j))
        feature, label, needle = named
        spans = post._spans.get(feature)
        if spans is None:
            if needle is None:
                spans = post.spans(feature)
            else:  # a word n-gram, without parsing its name again
                spans = post._spans[feature] = post._token_spans(*needle)
        if not spans:
            continue
        share = v / len(spans)
        if label is None:
            for span in spans:
                by_span[span] += share
        else:
            for span in spans:
                by_span[span] += share
                label_of[span] = label
    # trimming an edge keeps a phrase's weight: only the best are trimmed
    best = _trimmed(sorted(_merged(by_span, post), key=lambda p: -p[2])[:max_reasons], post)
    out = []
    for a, b, weight, parts in best:
        single = len(parts) == 1 or all(p == parts[0] for p in parts)
        feature = label_of.get((a, b), text[a:b]) if single else text[a:b]
        # rounded once here, so that predict and the JSON of predict_frame agree
        out.append((name, a, b, round(float(weight), 4), feature))
    return out


def _named(feature: str) -> tuple[str, str | None, tuple | None]:
    """A feature's name and, for a word n-gram, the n-gram (a reason's label) and the
    arguments of :meth:`_PostIndex._token_spans` that find it."""
    view, _, gram = feature.partition("__")
    if view not in ("tokens", "plain"):
        return feature, None, None
    return feature, gram, (view, " " + gram + " ", gram.count(" ")) if gram else None


#: per serving head: column -> :func:`_named` (``feature_name`` walks the blocks per call)
_NAMES: WeakKeyDictionary = WeakKeyDictionary()


def _names_of(serving) -> dict[int, tuple]:
    names = _NAMES.get(serving)
    if names is None:
        names = _NAMES[serving] = {}
    return names


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
