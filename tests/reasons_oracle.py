"""The reasons implementation before the serving form (model v2.0), kept as a test oracle.

It reads the scikit-learn pipeline (weights, feature names) and ranks each row's
contributions on its own; tests/test_serving.py checks the serving path's reasons
equal these.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

import numpy as np

from misinfo_clf._explain import _CANDIDATES, Reason, linear_weights
from misinfo_clf.text import normalize_with_offsets, strip_accents, tokenize_with_spans

MAX_PHRASE_WORDS = 4


class _PostIndex:
    """One post, normalized with offsets, with lookups from a feature to its spans."""

    def __init__(self, raw: str, model):
        self.nt = normalize_with_offsets(raw, teencode=model.views.teencode)
        self.tokens = tokenize_with_spans(self.nt.text, model.views.mode)
        self.starts = [a for _, a, _ in self.tokens]
        self._grams: dict = {}
        self._plain_text = None

    def _ngram_index(self, view: str, k: int) -> dict:
        """``"w1 w2"`` -> token positions where that k-gram starts, for one view."""
        index = self._grams.get((view, k))
        if index is None:
            seq = [t for t, _, _ in self.tokens]
            if view == "plain":
                seq = [strip_accents(t) for t in seq]
            index = defaultdict(list)
            for i in range(len(seq) - k + 1):
                index[" ".join(seq[i : i + k])].append(i)
            self._grams[(view, k)] = index
        return index

    def spans(self, feature: str) -> list[tuple[int, int]]:
        view, _, gram = feature.partition("__")
        if view in ("tokens", "plain"):
            k = gram.count(" ") + 1
            return [
                (self.tokens[i][1], self.tokens[i + k - 1][2])
                for i in self._ngram_index(view, k).get(gram, ())
            ]
        if view in ("chars", "plain_chars"):
            gram = gram.strip(" ")
            if not gram:
                return []
            text = self.nt.text
            if view == "plain_chars":  # same length as the text: positions carry over
                if self._plain_text is None:
                    self._plain_text = strip_accents(text)
                text = self._plain_text
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
    for p in phrases:  # no punctuation at a phrase's edges ("câm mồm đi," -> "câm mồm đi")
        words = [(x, y) for t, x, y in post.tokens if x >= p[0] and y <= p[1] and _is_word(t)]
        if words:
            p[0], p[1] = words[0][0], words[-1][1]
    return phrases


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _direction(head, target: int) -> np.ndarray:
    classes, W = linear_weights(head.pipeline.named_steps["clf"])
    clean = list(map(str, classes)).index(head.clean_label)
    if W.shape[0] == 1:
        return np.asarray(W[0] if clean == 0 else -W[0], dtype=np.float64)
    return np.asarray(W[target] - W[clean], dtype=np.float64)


def explain_rows(
    model, texts, scored: dict, max_reasons: int = 5, stable: bool = False
) -> list[tuple]:
    """Reasons per row, as misinfo_clf 2.0 computed them (``scored`` from ``_score``).

    ``stable``: equal contributions keep column order (2.0 used numpy's default sort,
    whose order among equal values is unspecified; a model trained with ``min_df=1`` on
    the posts it explains has many features with equal contributions)."""
    n = len(texts)
    reasons: list[list] = [[] for _ in range(n)]
    posts: dict = {}
    thresholds = scored.get("thresholds") or {}
    for name, res in scored["heads"].items():
        head = model.heads[name]
        feats, ok = res["_feats"]
        if feats is None:
            continue
        review = thresholds.get(name, head.thresholds).review
        names = head.pipeline.named_steps["features"].get_feature_names_out()
        feats = feats.to_scipy().tocsr()
        labels = head.labels
        clean = labels.index(head.clean_label)
        for row, i in enumerate(ok):
            if not res["score"][i] >= review:
                continue
            proba = res["proba"][i].copy()
            proba[clean] = -1.0
            w = _direction(head, int(np.argmax(proba)))
            x = feats.getrow(row)
            contrib = x.data * w[x.indices]
            pos = contrib > 0
            if not pos.any():
                continue
            idx, vals = x.indices[pos], contrib[pos]
            top = np.argsort(-vals, kind="stable" if stable else None)[:_CANDIDATES]
            post = posts.get(i)
            if post is None:
                post = posts[i] = _PostIndex(texts[i], model)
            nt = post.nt
            by_span: dict = defaultdict(float)
            label_of: dict = {}
            for j in top:
                feature = str(names[idx[j]])
                spans = post.spans(feature)
                for a, b in spans:
                    by_span[(a, b)] += vals[j] / len(spans)
                    if feature.startswith(("tokens__", "plain__")):
                        label_of[(a, b)] = feature.partition("__")[2]
            best = sorted(_phrases(by_span, post), key=lambda p: -p[2])[:max_reasons]
            for a, b, weight, parts in best:
                ra, rb = nt.raw_span(a, b)
                single = len(parts) == 1 or all(p == parts[0] for p in parts)
                reasons[i].append(
                    Reason(
                        head=name,
                        text=nt.raw[ra:rb],
                        feature=label_of.get((a, b), nt.text[a:b]) if single else nt.text[a:b],
                        weight=round(float(weight), 4),
                        start=ra,
                        end=rb,
                    )
                )
    return [tuple(r) for r in reasons]
