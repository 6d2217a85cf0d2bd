import numpy as np
import pytest

from misinfo_clf import Decision, Thresholds, choose_thresholds
from misinfo_clf._thresholds import band, queue_per_100k


def test_decision_from_str_lists_valid_values():
    assert Decision.from_str("FLAG") is Decision.FLAG
    with pytest.raises(ValueError, match="valid decisions are: flag, review, pass"):
        Decision.from_str("delete")


def test_choose_thresholds_meets_targets():
    rng = np.random.default_rng(0)
    y = rng.random(2000) < 0.2
    s = np.clip(y * 0.35 + rng.random(2000) * 0.65, 0, 1)
    th = choose_thresholds(y, s, precision=0.9, recall=0.9)
    flagged = s >= th.flag
    assert y[flagged].mean() >= 0.9
    assert y[s >= th.review].sum() / y.sum() >= 0.9
    assert th.review <= th.flag


def test_unreachable_precision_flags_nothing():
    y = np.array([1, 0, 1, 0, 1, 0], dtype=bool)
    s = np.array([0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    th = choose_thresholds(y, s, precision=0.99, recall=0.9)
    assert th.flag > 1 and not (band(s, th) == "flag").any()


def test_band_sends_nan_to_review():
    out = band(np.array([0.95, 0.5, 0.1, np.nan]), Thresholds(flag=0.9, review=0.3))
    assert out.tolist() == ["flag", "review", "pass", "review"]


def test_queue_counts_forced_reviews():
    s = np.array([0.95, 0.5, 0.1, 0.1, 0.1, 0.99])
    forced = np.array([False, False, True, True, False, True])
    th = Thresholds(flag=0.9, review=0.3)
    assert queue_per_100k(s, th) == {"flag": 33333, "review": 16667, "pass": 50000, "n": 6}
    # forced rows are reviewed whatever their score, even one above the flag threshold
    assert queue_per_100k(s, th, forced=forced) == {
        "flag": 16667,
        "review": 66667,
        "pass": 16666,  # the bands add up to 100,000 exactly
        "n": 6,
    }


def test_deciding_head_is_the_most_severe_then_the_furthest_above_review():
    from misinfo_clf._thresholds import deciding_head

    per_head = {
        "misinformation": (
            np.array(["review", "flag", "pass", "abstain"], dtype=object),
            np.array([0.9, 0.95, 0.1, np.nan]),
            0.3,
        ),
        "harmful": (
            np.array(["review", "review", "pass", "abstain"], dtype=object),
            np.array([0.5, 0.99, 0.35, np.nan]),
            0.4,
        ),
    }
    got = deciding_head(per_head, 4).tolist()
    # row 0: both review, misinformation is 0.6 above its threshold, harmful 0.1
    # row 1: flag beats review whatever the margins; row 2: closest to review; row 3: none
    assert got == ["misinformation", "misinformation", "harmful", None]


def test_label_by_class_thresholds_by_hand():
    from misinfo_clf._thresholds import head_labels

    labels = ["CLEAN", "HATE", "OFFENSIVE"]
    proba = np.array(
        [
            [0.62, 0.30, 0.08],  # HATE reaches its threshold 0.25: HATE
            [0.62, 0.20, 0.18],  # neither reaches its threshold: CLEAN
            [0.10, 0.40, 0.50],  # both reach theirs: the more probable, OFFENSIVE
            [0.50, 0.26, 0.24],  # only HATE (0.26 >= 0.25; 0.24 < 0.45)
        ]
    )
    got = head_labels(proba, labels, "CLEAN", class_thresholds={"HATE": 0.25, "OFFENSIVE": 0.45})
    assert got.tolist() == ["HATE", "CLEAN", "OFFENSIVE", "HATE"]
    # without thresholds: the arg-max
    assert head_labels(proba, labels, "CLEAN").tolist() == ["CLEAN", "CLEAN", "OFFENSIVE", "CLEAN"]
    with pytest.raises(ValueError, match=r"no threshold for class\(es\) \['OFFENSIVE'\]"):
        head_labels(proba, labels, "CLEAN", class_thresholds={"HATE": 0.25})


def test_class_thresholds_raise_macro_f1_and_labels_follow_probabilities():
    from misinfo_clf._thresholds import choose_class_thresholds, label_indices

    rng = np.random.default_rng(0)
    n = 600
    y = rng.choice(3, size=n, p=[0.8, 0.12, 0.08])  # 0 = clean; rare classes under-predicted
    logits = rng.normal(size=(n, 3))
    logits[np.arange(n), y] += 1.2
    logits[:, 0] += 1.0  # calibration pulls towards the majority
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = ["CLEAN", "HATE", "OFFENSIVE"]
    th, f1 = choose_class_thresholds(y, proba, labels, "CLEAN")
    from sklearn.metrics import f1_score

    plain = f1_score(y, proba.argmax(axis=1), average="macro")
    assert f1 > plain + 0.01
    pred = label_indices(proba, labels, "CLEAN", class_thresholds=th)
    assert f1 == pytest.approx(f1_score(y, pred, average="macro"))
    # a row labelled with a class has that class at or above its threshold; a clean row has
    # no class at or above its own
    for j, c in ((1, "HATE"), (2, "OFFENSIVE")):
        assert (proba[pred == j, j] >= th[c]).all()
        assert (proba[pred == 0, j] < th[c]).all()


def test_decision_rules_match_their_definition_row_by_row():
    """band, overall_decision and deciding_head are vectorized over rows (and heads); each
    row must get what the rule says for that row alone, NaN scores and ties included."""
    from misinfo_clf._thresholds import SEVERITY, deciding_head, overall_decision

    th = Thresholds(flag=0.8, review=0.4)

    def band_one(s):
        if s != s or s >= th.review:
            return "flag" if s == s and s >= th.flag else "review"
        return "pass"

    rng = np.random.default_rng(7)
    names = ["misinformation", "harmful", "scam"]
    for n in (0, 1, 2, 9, 64):
        scores = rng.choice([np.nan, 0.0, 0.4, 0.8, 1.0, *rng.random(4)], size=(3, n))
        decs = [band(s, th) for s in scores]
        for s, d in zip(scores, decs, strict=True):
            assert d.dtype == object and d.tolist() == [band_one(x) for x in s]
        decs[2][rng.random(n) < 0.2] = "abstain"
        over = overall_decision(decs, n)
        reviews = rng.random(3)
        who = deciding_head({h: (decs[k], scores[k], reviews[k]) for k, h in enumerate(names)}, n)
        assert over.shape == who.shape == (n,)
        for i in range(n):
            sev = [SEVERITY[d[i]] for d in decs]
            assert over[i] == decs[sev.index(max(sev))][i]  # the first of the most severe
            keys = [
                (sev[k] * 10 + min(1.0, max(-1.0, scores[k, i] - reviews[k])), -k)
                for k in range(3)
                if scores[k, i] == scores[k, i]
            ]
            assert who[i] == (names[-max(keys)[1]] if keys else None)
    assert band(np.float64(0.9), th).shape == ()  # a scalar keeps its shape
    assert overall_decision([], 2).tolist() == ["pass", "pass"]
