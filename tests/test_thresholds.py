import numpy as np
import pytest

from misinfo_clf import Decision, Thresholds, choose_thresholds
from misinfo_clf._thresholds import band, queue_per_100k, thresholds_for_capacity


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


def test_capacity_leaves_room_for_forced_reviews():
    s = np.linspace(0, 1, 101)
    th = thresholds_for_capacity(s, reviews_per_day=20, posts_per_day=100, flag=0.95)
    assert (s >= th.review).sum() == 20
    forced = np.zeros(101, dtype=bool)
    forced[:5] = True  # five unreadable posts take part of the capacity
    th2 = thresholds_for_capacity(
        s, reviews_per_day=20, posts_per_day=100, flag=0.95, forced=forced
    )
    assert (s[~forced] >= th2.review).sum() + forced.sum() == 20
    tiny = thresholds_for_capacity(
        s, reviews_per_day=3, posts_per_day=100, flag=0.95, forced=forced
    )
    assert tiny.review > 1  # the forced reviews alone fill the queue


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
