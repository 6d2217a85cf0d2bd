"""The traffic report: what a review team would get from a model on its real traffic.

In-domain metrics on a research corpus say little about the queue a team receives:
research corpora are 15-20% positive, traffic a few percent. This report scores a
sample of real everyday posts (the bulk of traffic) and, per head, a set of known
positives, and measures:

* the queue share on everyday posts (flag or review through any head), the flag
  share, the abstentions;
* per head: ROC-AUC of the head's score in a realistic mix (its positives among the
  everyday posts), the share of positives that reach the queue, and the recall at
  fixed queue budgets (the score above which 2%, 5%, 10% of everyday posts lie);
* the common-word reason share: the share of reasons given for queued posts that
  consist only of the most frequent words of everyday posts (style, not evidence).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["traffic_report", "common_words", "BUDGETS"]

BUDGETS = (0.02, 0.05, 0.10)
QUEUED = ("flag", "review")


def common_words(texts: Sequence[str], n: int = 100) -> set[str]:
    """The ``n`` most frequent words (syllables, canonical form) of ``texts``.

    Words are the model's tokens: normalized text split on spaces, keeping tokens with
    a letter; accent-stripped forms are included so plain spellings match too.
    """
    from .text import normalize_text, strip_accents, tokenize

    counts: Counter = Counter()
    for t in texts:
        counts.update(w for w in tokenize(normalize_text(t)) if any(c.isalpha() for c in w))
    top = [w for w, _ in counts.most_common(n)]
    return set(top) | {strip_accents(w) for w in top}


def _is_common(feature: str, words: set[str]) -> bool:
    parts = [p for p in feature.split() if any(c.isalpha() for c in p)]
    return bool(parts) and all(p in words for p in parts)


def _reasons(frame: pd.DataFrame) -> list[list[dict]]:
    from ._explain import parse_reasons

    return [[r for r in parse_reasons(s)[0] if "feature" in r] for s in frame["reasons"]]


def traffic_report(
    model,
    everyday: Sequence[str],
    positives: Mapping[str, Sequence[str]] | None = None,
    *,
    words: set[str] | None = None,
    budgets: Sequence[float] = BUDGETS,
    validation: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> dict:
    """Measure the queue a model would give on real traffic.

    Parameters
    ----------
    model : Model
    everyday : sequence of str
        Real everyday posts the model was not trained on (mostly benign).
    positives : mapping of head to sequence of str, optional
        Known positive posts per head (unreliable, offensive/hate, scam), also unseen
        in training.
    words : set of str, optional
        The common words for the reason check; default: the 100 most frequent words of
        ``everyday`` (:func:`common_words`).
    budgets : sequence of float
        Shares of everyday posts for the recall-at-budget figures.
    validation : mapping of head to (y_positive, scores), optional
        Out-of-fold validation scores (``model.validation``): for heads without
        ``positives`` texts, the mix is the validation posts plus the everyday posts
        (the fold models' scores next to the final model's: an approximation).

    Returns
    -------
    dict
        ``everyday`` (posts, queue, flag, abstain and error shares, queue per head),
        ``heads`` (per head: positives, roc_auc_mix, recall_in_queue,
        recall_at_budget), ``reasons`` (count, common_word_share, examples).
    """
    from sklearn.metrics import roc_auc_score

    everyday = list(everyday)
    if not everyday:
        raise ValueError("traffic_report needs everyday posts, got none.")
    words = common_words(everyday) if words is None else words
    ev = model.predict_frame(pd.DataFrame({"text": everyday}), explain=True)
    dec = ev["decision"].astype(str).to_numpy()
    ok = (ev["status"] == "ok").to_numpy()
    report: dict = {
        "everyday": {
            "posts": len(everyday),
            "queue_share": float(np.isin(dec, QUEUED).mean()),
            "flag_share": float((dec == "flag").mean()),
            "abstain_share": float((dec == "abstain").mean()),
            "error_share": float((~ok).mean()),
            "queue_share_per_head": {
                h: float(np.isin(ev[f"{h}_decision"].astype(str), QUEUED).mean())
                for h in model.heads
            },
        },
        "heads": {},
    }
    queued_reasons = [r for r, d in zip(_reasons(ev), dec, strict=True) if d in QUEUED]
    for head, texts in (positives or {}).items():
        if head not in model.heads:
            raise KeyError(f"unknown head {head!r}; heads are {list(model.heads)}.")
        texts = list(texts)
        if not texts:
            continue
        pos = model.predict_frame(pd.DataFrame({"text": texts}), explain=True)
        pdec = pos["decision"].astype(str).to_numpy()
        queued_reasons += [r for r, d in zip(_reasons(pos), pdec, strict=True) if d in QUEUED]
        s_pos = pos[f"{head}_prob"].to_numpy(dtype=float)
        s_ev = ev[f"{head}_prob"].to_numpy(dtype=float)
        s_pos_f, s_ev_f = np.nan_to_num(s_pos, nan=0.0), np.nan_to_num(s_ev, nan=0.0)
        y = np.r_[np.ones(len(s_pos_f)), np.zeros(len(s_ev_f))]
        at_budget = {}
        for b in budgets:
            cut = float(np.quantile(s_ev_f, 1.0 - b, method="higher"))
            at_budget[f"{b:.0%}"] = float(np.mean(s_pos_f > cut))
        report["heads"][head] = {
            "positives": len(texts),
            "roc_auc_mix": float(roc_auc_score(y, np.r_[s_pos_f, s_ev_f])),
            "recall_in_queue": float(np.isin(pdec, QUEUED).mean()),
            "head_recall_in_queue": float(
                np.isin(pos[f"{head}_decision"].astype(str), QUEUED).mean()
            ),
            "recall_at_budget": at_budget,
        }
    for head, (y, s) in (validation or {}).items():
        if head in report["heads"] or head not in model.heads:
            continue
        y = np.asarray(y, dtype=bool)
        s = np.nan_to_num(np.asarray(s, dtype=float), nan=0.0)
        s_ev = np.nan_to_num(ev[f"{head}_prob"].to_numpy(dtype=float), nan=0.0)
        mix_y = np.r_[y, np.zeros(len(s_ev), dtype=bool)]
        at_budget = {}
        for b in budgets:
            cut = float(np.quantile(s_ev, 1.0 - b, method="higher"))
            at_budget[f"{b:.0%}"] = float(np.mean(s[y] > cut))
        report["heads"][head] = {
            "positives": int(y.sum()),
            "from": "out-of-fold validation scores",
            "roc_auc_mix": float(roc_auc_score(mix_y, np.r_[s, s_ev])),
            "roc_auc_validation": float(roc_auc_score(y, s)),
            "head_recall_in_queue": float(np.mean(s[y] >= model.heads[head].thresholds.review)),
            "recall_at_budget": at_budget,
        }
    flat = [r for rs in queued_reasons for r in rs]
    common = [r for r in flat if _is_common(r["feature"], words)]
    by_head = Counter(r["head"] for r in flat)
    common_by_head = Counter(r["head"] for r in common)
    report["reasons"] = {
        "count": len(flat),
        "common_word_share": float(len(common) / len(flat)) if flat else 0.0,
        "common_word_share_per_head": {
            h: float(common_by_head[h] / n) for h, n in by_head.items() if n
        },
        "most_common_common_reasons": Counter(r["feature"] for r in common).most_common(10),
    }
    return report
