"""Evaluation: metrics, slices, report files; tune_thresholds rewrites the manifest."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import (
    Thresholds,
    choose_thresholds,
    evaluate,
    load_model,
    normalize_text,
    save_model,
    train,
    tune_thresholds,
)
from misinfo_clf._evaluate import (
    classification_metrics,
    expected_calibration_error,
    record_evaluation,
    substitute_teencode,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"


@pytest.fixture(scope="module")
def split_corpus(tmp_path_factory):
    """The sample corpus split 3:1 into train.csv and test.csv."""
    d = tmp_path_factory.mktemp("data")
    df = pd.read_csv(SAMPLE)
    df[df.index % 4 != 0].to_csv(d / "train.csv", index=False)
    df[df.index % 4 == 0].to_csv(d / "test.csv", index=False)
    return d


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, split_corpus):
    heads = {}
    for head, labels, clean in (
        ("misinformation", {"0": "reliable", "1": "unreliable"}, "reliable"),
        ("harmful", {"CLEAN": "CLEAN", "OFFENSIVE": "OFFENSIVE", "HATE": "HATE"}, "CLEAN"),
    ):
        heads[head] = {
            "train": str(split_corpus / "train.csv"),
            "test": str(split_corpus / "test.csv"),
            "labels": labels,
            "clean_label": clean,
            "validation_folds": 3,
            "min_df": 1,
            "char_ngrams": [2, 4],
        }
    config = {"model": {"name": "eval-test", "version": "9"}, "heads": heads}
    out = tmp_path_factory.mktemp("models") / "m"
    train(config, out=out)
    return out, config


def test_evaluate_writes_metrics_report_and_plots(model_dir, split_corpus, tmp_path):
    out, _ = model_dir
    result = evaluate(out, split_corpus / "test.csv", out_dir=tmp_path)
    saved = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert saved == result
    assert set(saved["heads"]) == {"misinformation", "harmful"}
    n = len(pd.read_csv(split_corpus / "test.csv"))
    for head, classes in (
        ("misinformation", {"reliable", "unreliable"}),
        ("harmful", {"CLEAN", "OFFENSIVE", "HATE"}),
    ):
        m = saved["heads"][head]["metrics"]
        for key in (
            "macro_f1",
            "roc_auc",
            "pr_auc",
            "ece",
            "brier",
            "per_class",
            "confusion_matrix",
            "bands",
            "thresholds",
        ):
            assert key in m, key
        assert set(m["per_class"]) == classes
        assert np.asarray(m["confusion_matrix"]["matrix"]).sum() == n == m["n"]
        assert sum(m["bands"][b]["n"] for b in ("flag", "review", "pass")) == n
        assert 0.5 < m["roc_auc"] <= 1
        sl = saved["heads"][head]["slices"]
        assert sl["accents_stripped"]["changed_rows"] > 0 and sl["teencode"]["changed_rows"] > 0
        assert sum(s["n"] for s in sl["length"].values()) == n
        for kind, file in saved["heads"][head]["plots"].items():
            png = (tmp_path / file).read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000, kind
        assert set(saved["heads"][head]["plots"]) == {
            "confusion_matrix",
            "pr_curve",
            "calibration",
            "score_histogram",
        }
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Head `harmful`" in report and "accents stripped" in report
    assert "![harmful confusion matrix](harmful_confusion_matrix.png)" in report


def test_evaluate_matches_predict_frame(model_dir, split_corpus):
    out, _ = model_dir
    model = load_model(out)
    test = pd.read_csv(split_corpus / "test.csv")
    res = evaluate(model, test, head="harmful", slices=False)
    pred = model.predict_frame(test, explain=False)["harmful_label"]
    assert res["heads"]["harmful"]["metrics"]["accuracy"] == pytest.approx(
        (pred == test["harmful"]).mean()
    )


def test_evaluate_from_config_uses_test_split_and_label_map(model_dir, split_corpus, tmp_path):
    out, config = model_dir
    res = evaluate(out, config, slices=False)
    assert res["heads"]["misinformation"]["data"]["split"] == "test"
    # raw 0/1 labels are mapped with the mapping stored at training time
    test = pd.read_csv(split_corpus / "test.csv")
    res2 = evaluate(out, test, head="misinformation", slices=False)
    assert res2["heads"]["misinformation"]["metrics"] == res["heads"]["misinformation"]["metrics"]
    test["misinformation"] = test["misinformation"].replace({1: 5})
    with pytest.raises(ValueError, match=r"unknown label\(s\) \['5'\]"):
        evaluate(out, test, head="misinformation")
    with pytest.raises(KeyError, match="unknown head 'spam'"):
        evaluate(out, test, head="spam")


def test_classification_metrics_bands_by_hand():
    y = np.array(["bad", "bad", "ok", "bad", "ok", "ok"])
    score = np.array([0.95, 0.8, 0.7, 0.3, 0.2, 0.1])
    proba = np.column_stack([score, 1 - score])  # labels ["bad", "ok"]
    m = classification_metrics(y, proba, ["bad", "ok"], "ok", Thresholds(flag=0.75, review=0.25))
    assert m["bands"]["flag"] == {"n": 2, "share": 2 / 6, "precision": 1.0, "recall": 2 / 3}
    assert m["bands"]["review"]["n"] == 2 and m["bands"]["review"]["precision"] == 0.5
    assert m["flag_or_review_recall"] == 1.0
    assert m["roc_auc"] == pytest.approx(8 / 9)
    assert m["confusion_matrix"] == {"labels": ["bad", "ok"], "matrix": [[2, 1], [1, 2]]}


def test_expected_calibration_error():
    assert expected_calibration_error([0, 1, 1, 0], [0.05, 0.95, 0.95, 0.05]) == pytest.approx(0.05)
    assert expected_calibration_error([1, 1], [0.0, 0.0]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "text",
    ["tôi không biết được không anh", "mình đi chơi với bạn rồi nhé", "Trời hôm nay đẹp quá"],
)
def test_teencode_substitution_round_trips_through_the_normalizer(text):
    sub = substitute_teencode(text)
    assert normalize_text(sub) == normalize_text(text)
    if "không" in text:
        assert "không" not in sub


def test_tune_thresholds_for_precision_rewrites_manifest(model_dir, split_corpus, tmp_path):
    out, _ = model_dir
    copy = tmp_path / "tuned"
    before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    r = tune_thresholds(
        out, split_corpus / "test.csv", head="misinformation", precision=0.99, out=copy
    )
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    head = manifest["heads"]["misinformation"]
    assert head["thresholds"] == r["thresholds"]
    assert head["threshold_targets"]["precision"] == 0.99
    assert head["threshold_tuning"]["previous"] == before["heads"]["misinformation"]["thresholds"]
    digest = hashlib.sha256((copy / "model.skops").read_bytes()).hexdigest()
    assert digest == manifest["sha256"] == before["sha256"]
    tuned = load_model(copy)  # verifies the sha256
    assert tuned.heads["misinformation"].thresholds == Thresholds.from_dict(r["thresholds"])
    if r["thresholds"]["flag"] <= 1:
        assert r["bands"]["flag"]["precision"] >= 0.99
    q = r["queue_per_100k"]
    assert q["flag"] + q["review"] + q["pass"] == 100_000
    # the original directory is untouched
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == before
    card = (copy / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"{r['thresholds']['review']:.4f}" in card
    # the card says the thresholds were re-tuned, on what data, and what they were before
    (line,) = [x for x in card.splitlines() if "thresholds re-tuned" in x]
    assert "on test.csv, 92 rows" in line and r["data"]["sha256"][:16] in line
    assert (
        f"previously flag ≥ {before['heads']['misinformation']['thresholds']['flag']:.4f}" in line
    )


@pytest.fixture(scope="module")
def traffic(split_corpus, example_dump_path):
    """Unlabelled posts standing in for a day of traffic (587 posts, no labels)."""
    posts = pd.concat(
        [pd.read_csv(SAMPLE)[["text"]], pd.read_csv(example_dump_path)[["text"]]],
        ignore_index=True,
    )
    return posts


def test_changing_a_model_needs_out_or_in_place(model_dir, split_corpus, tmp_path):
    out, _ = model_dir
    before = (out / "manifest.json").read_bytes()
    with pytest.raises(ValueError, match=r"give --out DIR .* or --in-place"):
        tune_thresholds(out, split_corpus / "test.csv", head="harmful", precision=0.9)
    with pytest.raises(ValueError, match="is the model directory itself"):
        tune_thresholds(out, split_corpus / "test.csv", head="harmful", precision=0.9, out=out)
    result = evaluate(out, split_corpus / "test.csv", slices=False, bootstrap=0)
    with pytest.raises(ValueError, match=r"give --model-out DIR .* or --in-place"):
        record_evaluation(out, result)
    assert (out / "manifest.json").read_bytes() == before
    record_evaluation(out, result, out=tmp_path / "recorded")
    manifest = json.loads((tmp_path / "recorded" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["heads"]["harmful"]["evaluation"]["metrics"]["macro_f1"] == pytest.approx(
        result["heads"]["harmful"]["metrics"]["macro_f1"]
    )
    load_model(tmp_path / "recorded")  # a complete model directory (sha256 verified)
    assert (out / "manifest.json").read_bytes() == before


@pytest.mark.parametrize(
    ("reviews", "posts"),
    [(1000, 100_000), (20_000, 100_000)],
    ids=["reported-1-percent", "20-percent"],
)
def test_capacity_is_shared_by_all_heads(model_dir, tmp_path, traffic, reviews, posts):
    out, _ = model_dir
    import shutil

    shutil.copytree(out, tmp_path / "m")
    r = tune_thresholds(
        tmp_path / "m", traffic, reviews_per_day=reviews, posts_per_day=posts, in_place=True
    )
    assert set(r["heads"]) == {"misinformation", "harmful"}
    tuned = load_model(tmp_path / "m")
    th = {h: tuned.heads[h].thresholds for h in tuned.heads}
    assert all(t.flag <= 1 and t.review <= 1 for t in th.values())
    # the whole queue (any head) scored with the tuned model fits the capacity
    scored = tuned.predict_frame(traffic, explain=False)
    queued = scored["decision"].isin(["flag", "review"]).mean()
    assert 0 < queued <= reviews / posts
    q = r["queue_per_100k"]
    # each band is rounded to whole posts: the sum may differ from the whole by one
    assert abs(q["flag"] + q["review"] - queued * 100_000) <= 1
    assert 0 < r["reviews_per_day"] <= reviews
    for h in th:
        assert tuned.manifest["heads"][h]["threshold_targets"]["reviews_per_day"] == reviews
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"for a capacity of {reviews:,} reviews per 100,000 posts per day" in card


def test_capacity_errors_instead_of_thresholds_above_one(
    model_dir, split_corpus, tmp_path, traffic
):
    out, _ = model_dir
    # 10 of 587 posts cannot be read (too long): they go to review whatever their score
    broken = traffic.copy()
    broken.loc[:9, "text"] = "x" * 100_001
    with pytest.raises(ValueError, match=r"10 of 587 posts \(1.70%\) go to review whatever"):
        tune_thresholds(
            out, broken, reviews_per_day=1000, posts_per_day=100_000, out=tmp_path / "x"
        )
    with pytest.raises(ValueError, match="shared by all heads: drop head"):
        tune_thresholds(
            out,
            traffic,
            head="harmful",
            reviews_per_day=1000,
            posts_per_day=100_000,
            out=tmp_path / "x",
        )
    with pytest.raises(ValueError, match="too few to plan a queue"):
        tune_thresholds(out, traffic, reviews_per_day=10, posts_per_day=100_000, out=tmp_path / "x")
    # the highest-scored post is clean: no flag threshold reaches precision 1
    test = pd.read_csv(split_corpus / "test.csv")
    top = load_model(out).predict_frame(test, explain=False)["harmful_prob"].idxmax()
    test.loc[top, "harmful"] = "CLEAN"
    with pytest.raises(ValueError, match="no threshold reaches precision 1.0 .* Lower the"):
        tune_thresholds(out, test, head="harmful", precision=1.0, out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_precision_without_validation_data_uses_the_kept_out_of_fold_scores(model_dir, tmp_path):
    out, config = model_dir
    model = load_model(out)
    y, score = model.validation["harmful"]
    r = tune_thresholds(out, config, head="harmful", precision=0.9, recall=0.8, out=tmp_path / "t")
    assert r["data"]["name"] == "validation scores kept with the model"
    expected = choose_thresholds(y, score, precision=0.9, recall=0.8)
    assert r["thresholds"] == expected.to_dict()
    assert r["rows"] == len(score) == model.heads["harmful"].info["validation"]["rows"]


def test_evaluate_config_reports_every_head(model_dir, tmp_path):
    out, config = model_dir
    partial = json.loads(json.dumps(config))
    del partial["heads"]["harmful"]["test"]  # a head trained with validation folds only
    res = evaluate(out, partial, out_dir=tmp_path, slices=False, plots=False, bootstrap=50)
    assert set(res["heads"]) == {"misinformation", "harmful"}
    h = res["heads"]["harmful"]
    assert "Not a held-out test" in h["note"]
    info = load_model(out).heads["harmful"].info
    # the kept out-of-fold predictions give back the validation metrics of training
    assert h["metrics"]["macro_f1"] == pytest.approx(info["metrics"]["validation_macro_f1"])
    assert h["metrics"]["n"] == info["validation"]["rows"]
    assert "Not a held-out test" in (tmp_path / "report.md").read_text(encoding="utf-8")
    # a model that kept only the scores (older models) cannot: the report says why
    model = load_model(out)
    model.validation = {h: (v[0], v[1]) for h, v in model.validation.items()}
    save_model(model, tmp_path / "old")
    res = evaluate(tmp_path / "old", partial, slices=False, bootstrap=0)
    assert set(res["heads"]) == {"misinformation"}
    assert "has no 'test' data" in res["skipped"]["harmful"]
    assert "retrain" in res["skipped"]["harmful"]


def test_intervals_warnings_and_per_row_predictions(model_dir, split_corpus, tmp_path):
    out, _ = model_dir
    test = pd.read_csv(split_corpus / "test.csv")
    res = evaluate(out, split_corpus / "test.csv", out_dir=tmp_path, plots=False, slice_by="scam")
    for head in ("misinformation", "harmful"):
        r = res["heads"][head]
        m = r["metrics"]
        assert r["warnings"] == []  # not the training data
        for key in ("macro_f1", "roc_auc", "pr_auc", "accuracy", "flag_or_review_recall"):
            lo, hi = m["ci95"][key]
            assert lo <= m[key] <= hi, key
        assert m["ci95"]["macro_f1"][0] < m["ci95"]["macro_f1"][1]
        for s in [*r["slices"]["length"].values(), *r["by_column"]["scam"]["groups"].values()]:
            assert ("warning" in s) == (s["n"] < 100)
        assert sum(s["n"] for s in r["by_column"]["scam"]["groups"].values()) == len(test)
        assert r["slices"]["teencode"]["kind"] == "invariance check"
        pred = pd.read_csv(tmp_path / r["predictions"])
        assert pred["id"].tolist() == test["id"].tolist()
        assert {"true_label", f"{head}_prob", f"{head}_label", f"{head}_decision", "reasons"} <= (
            set(pred.columns)
        )
        assert "text" not in pred.columns
        scored = load_model(out).predict_frame(test, explain=False)
        np.testing.assert_allclose(pred[f"{head}_prob"], scored[f"{head}_prob"])
    # the same seed gives the same intervals
    again = evaluate(out, split_corpus / "test.csv", head="harmful", slices=False)
    assert (
        again["heads"]["harmful"]["metrics"]["ci95"] == (res["heads"]["harmful"]["metrics"]["ci95"])
    )
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "`score_roc_auc`: multi-class heads" in report and "95% CI" in report


def test_evaluating_the_training_data_warns_loudly(model_dir, split_corpus, tmp_path, capsys):
    out, _ = model_dir
    res = evaluate(out, split_corpus / "train.csv", slices=False, bootstrap=0, out_dir=tmp_path)
    for head in ("misinformation", "harmful"):
        (w,) = res["heads"][head]["warnings"]
        assert "IS the training data" in w and "same sha256" in w
    assert "> **WARNING (harmful)" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_rows_without_text_are_counted_and_scored_as_clean(model_dir, split_corpus):
    out, _ = model_dir
    test = pd.read_csv(split_corpus / "test.csv")
    extra = pd.DataFrame(
        {"id": ["e1", "e2"], "text": ["😀😀", "https://x.vn"], "harmful": ["CLEAN", "HATE"]}
    )
    res = evaluate(out, pd.concat([test, extra], ignore_index=True), head="harmful", slices=False)
    m = res["heads"]["harmful"]["metrics"]
    assert m["n"] == len(test) + 2 and m["abstained_rows"] == 2 and m["errored_rows"] == 0
    assert 0.5 < m["roc_auc"] <= 1  # defined: the abstained rows do not carry NaN
    base = evaluate(out, test, head="harmful", slices=False)["heads"]["harmful"]["metrics"]
    # the HATE post without text is a miss: predicted CLEAN, never sent to review
    assert m["per_class"]["HATE"]["support"] == base["per_class"]["HATE"]["support"] + 1
    assert m["bands"]["pass"]["n"] == base["bands"]["pass"]["n"] + 2
