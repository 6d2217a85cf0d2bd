"""The reasons implementation before the serving form (model v2.0), kept as a test oracle.

It reads the scikit-learn pipeline (weights, feature names) and ranks each row's
contributions on its own; tests/test_serving.py checks the serving path's reasons
equal these.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from misinfo_clf._explain import _CANDIDATES, Reason, _phrases, _PostIndex, linear_weights


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
