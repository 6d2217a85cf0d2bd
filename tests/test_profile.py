"""Traffic profile, bands sized for everyday traffic, prior shift."""

from __future__ import annotations

import numpy as np
import pytest

from misinfo_clf._profile import TrafficProfile, queue_share, size_bands
from misinfo_clf._thresholds import Thresholds, choose_thresholds, prior_shift


def _profile(n=5000, seed=0):
    rng = np.random.default_rng(seed)
    # two heads; everyday scores mostly low, a tail of high ones
    a = rng.beta(1, 3, n)
    b = rng.beta(1, 2, n)
    return TrafficProfile(("a", "b"), np.column_stack([a, b]))


def _validation(seed=1):
    rng = np.random.default_rng(seed)
    out = {}
    for h in ("a", "b"):
        y = rng.random(2000) < 0.2
        s = np.clip(np.where(y, rng.beta(5, 2, 2000), rng.beta(2, 5, 2000)), 0, 1)
        out[h] = (y, s)
    return out


def test_queue_share_counts_a_post_once_whatever_the_number_of_heads():
    p = TrafficProfile(("a", "b"), np.array([[0.9, 0.9], [0.9, 0.1], [0.1, 0.1], [0.2, 0.6]]))
    th = {"a": Thresholds(flag=0.95, review=0.5), "b": Thresholds(flag=0.8, review=0.5)}
    share = queue_share(p, th)
    assert share["queue"] == pytest.approx(3 / 4)
    assert share["flag"] == pytest.approx(1 / 4)
    assert share["per_head"]["a"] == {"flag": 0.0, "queue": 0.5}


def test_queue_share_ignores_unscored_posts():
    p = TrafficProfile(("a",), np.array([[np.nan], [0.9], [0.1]]))
    share = queue_share(p, {"a": Thresholds(flag=0.95, review=0.5)})
    assert share["n"] == 2 and share["queue"] == pytest.approx(0.5)


def test_size_bands_keeps_the_whole_queue_within_its_share():
    profile, val = _profile(), _validation()
    loose = {h: choose_thresholds(y, s, precision=0.9, recall=0.9) for h, (y, s) in val.items()}
    assert queue_share(profile, loose)["queue"] > 0.10  # the research-corpus bands overflow
    th, report = size_bands(val, profile, flag_share=0.01, queue_share_max=0.10)
    share = queue_share(profile, th)
    assert share["queue"] <= 0.10 + 1e-9
    assert share["flag"] <= 0.01 + 1e-9
    assert share["queue"] > 0.08  # the budget is used, not wasted
    for h in th:
        assert th[h].review <= th[h].flag
        assert th[h].flag >= loose[h].flag  # precision target kept
        assert report["heads"][h]["validation_recall_in_queue"] > 0


def test_size_bands_spends_the_budget_between_the_grid_steps():
    # two heads whose queues overlap: the union of two grid steps overshoots the budget,
    # so the grid alone stops short; positives all over the range make each post count
    rng = np.random.default_rng(3)
    profile = TrafficProfile(("a", "b"), rng.random((10_000, 2)))
    y = np.r_[np.ones(2000, bool), np.zeros(2000, bool)]
    s = np.r_[np.linspace(0.5, 1, 2000), np.linspace(0, 0.5, 2000)]
    val = {"a": (y, s), "b": (y, s)}
    th, _ = size_bands(val, profile, precision=0.5, recall=0.99, flag_share=0.01)
    assert queue_share(profile, th)["queue"] == pytest.approx(0.10, abs=2e-4)


def test_size_bands_never_lowers_a_threshold_below_the_recall_target():
    profile = TrafficProfile(("a",), np.zeros((100, 1)))  # nothing scores in everyday posts
    y = np.r_[np.ones(50, bool), np.zeros(50, bool)]
    s = np.r_[np.linspace(0.5, 1, 50), np.linspace(0, 0.6, 50)]
    th, _ = size_bands({"a": (y, s)}, profile, recall=0.9)
    assert th["a"].review == choose_thresholds(y, s, recall=0.9).review


def test_size_bands_refuses_a_head_missing_from_the_profile():
    with pytest.raises(ValueError, match="no scores for head"):
        size_bands({"zz": _validation()["a"]}, _profile())


@pytest.mark.parametrize("shares", [(0.2, 0.1), (0.0, 0.1), (0.01, 1.5)], ids=str)
def test_size_bands_checks_shares(shares):
    with pytest.raises(ValueError, match="flag_share"):
        size_bands(_validation(), _profile(), flag_share=shares[0], queue_share_max=shares[1])


def test_profile_round_trips_without_pickles(tmp_path):
    p = _profile(50)
    p.save(tmp_path)
    back = TrafficProfile.load(tmp_path / "profile.npz", [{"name": "x"}], {"queue_share": 0.1})
    assert back.heads == p.heads
    np.testing.assert_allclose(back.scores, p.scores, rtol=1e-6)
    assert back.sources == [{"name": "x"}] and back.targets == {"queue_share": 0.1}


def test_profile_rejects_a_file_with_other_arrays(tmp_path):
    np.savez(tmp_path / "profile.npz", heads=np.array(["a"]), other=np.zeros(3))
    with pytest.raises(ValueError, match="expected arrays"):
        TrafficProfile.load(tmp_path / "profile.npz")


def test_profile_shape_must_match_heads():
    with pytest.raises(ValueError, match="shape"):
        TrafficProfile(("a", "b"), np.zeros((3, 1)))


def test_prior_shift_is_bayes_rule_and_keeps_the_ranking():
    p = np.array([0.0, 0.1, 0.17, 0.5, 0.9, 1.0])
    q = prior_shift(p, 0.17, 0.02)
    assert np.all(np.diff(q) > 0)
    assert q[0] == 0.0 and q[-1] == 1.0
    # Bayes' rule for one value
    r_up, r_down = 0.02 / 0.17, 0.98 / 0.83
    assert q[3] == pytest.approx(0.5 * r_up / (0.5 * r_up + 0.5 * r_down))
    np.testing.assert_allclose(prior_shift(q, 0.02, 0.17), p, atol=1e-12)


@pytest.mark.parametrize("rate", [0.0, 1.0, -0.1, 2])
def test_prior_shift_refuses_impossible_rates(rate):
    with pytest.raises(ValueError, match="positive rate"):
        prior_shift([0.5], rate, 0.1)


def test_precision_at_a_lower_prevalence_needs_a_higher_flag_threshold():
    y, s = _validation()["a"]
    plain = choose_thresholds(y, s, precision=0.9)
    shifted = choose_thresholds(y, s, precision=0.9, prevalence=0.02)
    assert shifted.flag > plain.flag
    # at the validation data's own rate nothing changes
    same = choose_thresholds(y, s, precision=0.9, prevalence=float(np.mean(y)))
    assert same.flag == pytest.approx(plain.flag)
    # and the expected precision at 2% holds at the chosen threshold
    above = s >= shifted.flag
    rate = y.mean()
    tp, fp = (y & above).sum() * 0.02 / rate, (~y & above).sum() * 0.98 / (1 - rate)
    assert tp / (tp + fp) >= 0.9 or shifted.flag > 1


def test_the_queue_budget_goes_to_the_head_that_needs_it():
    rng = np.random.default_rng(3)
    n = 20000
    profile = TrafficProfile(("easy", "hard"), np.column_stack([rng.random(n), rng.random(n)]))
    # every positive of "easy" scores 0.99: it reaches full recall with 1% of the profile
    y = np.r_[np.ones(200, bool), np.zeros(800, bool)]
    easy = (y, np.r_[np.full(200, 0.995), rng.random(800) * 0.5])
    hard = (y, np.r_[rng.random(200), rng.random(800) * 0.5])
    th, report = size_bands(
        {"easy": easy, "hard": hard}, profile, precision=0.99, recall=0.99, queue_share_max=0.2
    )
    share = queue_share(profile, th)
    assert share["queue"] <= 0.2 + 1e-9
    assert share["per_head"]["easy"]["queue"] < 0.02  # no budget wasted on a caught head
    assert share["per_head"]["hard"]["queue"] > 0.15
    assert report["heads"]["easy"]["validation_recall_in_queue"] == 1.0
