"""Heads that know ordinary posts: extra training rows, the gate, the traffic profile and
the traffic report (on the project's own data; no ../shared needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import build_pipeline, load_model, train
from misinfo_clf._features import GatedClassifier
from misinfo_clf._profile import queue_share
from misinfo_clf._sources import read_source
from misinfo_clf._traffic import common_words, traffic_report

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"
EXAMPLES = ROOT / "datasets" / "examples" / "posts.csv"


def gated_config(**head) -> dict:
    table = {
        "train": str(SAMPLE),
        "label_col": "misinformation",
        "labels": {"0": "reliable", "1": "unreliable"},
        "clean_label": "reliable",
        "validation_folds": 3,
        "min_df": 1,
        "char_ngrams": False,
        "gate": {"C": 1.0, "floor": 0.2},
        "extra": [{"path": str(EXAMPLES), "label": "ordinary", "slice": [0.0, 0.5]}],
    }
    table.update(head)
    return {
        "model": {"name": "t", "seed": 0},
        "heads": {"misinformation": table},
        "profile": {
            "flag_share": 0.02,
            "queue_share": 0.2,
            "sources": [{"path": str(EXAMPLES), "slice": [0.5, 1.0]}],
        },
    }


@pytest.fixture(scope="module")
def gated(tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "gated"
    lines: list[str] = []
    model = train(gated_config(), out=out, progress=lines.append)
    return model, out, lines


# -- sources -------------------------------------------------------------------------------


def test_source_slices_are_disjoint_and_cover_the_file():
    a = read_source(
        {"path": str(EXAMPLES), "slice": [0, 0.5]}, base_dir=ROOT, data_dir=ROOT, where="t"
    )
    b = read_source(
        {"path": str(EXAMPLES), "slice": [0.5, 1]}, base_dir=ROOT, data_dir=ROOT, where="t"
    )
    all_ = pd.read_csv(EXAMPLES)["text"].dropna().tolist()
    assert len(a.texts) + len(b.texts) == len(all_)
    assert a.source["slice"] == [0, 0.5] and a.source["rows"] == len(a.texts)


def test_source_where_and_sample(tmp_path):
    df = pd.DataFrame({"t": [f"bài {i}" for i in range(100)], "lab": [i % 3 for i in range(100)]})
    df.to_csv(tmp_path / "d.csv", index=False)
    table = {"path": "d.csv", "text_col": "t", "where": {"lab": [0]}, "sample": 10, "seed": 3}
    s1 = read_source(table, base_dir=tmp_path, data_dir=tmp_path, where="x")
    s2 = read_source(table, base_dir=tmp_path, data_dir=tmp_path, where="x")
    assert s1.texts == s2.texts and len(s1.texts) == 10
    assert all(int(t.split()[1]) % 3 == 0 for t in s1.texts)


@pytest.mark.parametrize(
    "table, match",
    [
        ({"path": "d.csv", "bogus": 1}, "unknown key"),
        ({"path": "d.csv", "layout": "vihsd"}, "either layout"),
        ({"path": "d.csv", "slice": [0.5, 0.2]}, "slice must be"),
        ({"path": "d.csv", "sample": 0}, "sample must be"),
        ({"layout": "nope"}, "unknown layout"),
    ],
    ids=["unknown-key", "layout-and-path", "bad-slice", "bad-sample", "bad-layout"],
)
def test_source_errors(tmp_path, table, match):
    pd.DataFrame({"text": ["a b", "c d"]}).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(ValueError, match=match):
        read_source(table, base_dir=tmp_path, data_dir=tmp_path, where="[[x]]")


# -- the gate ------------------------------------------------------------------------------


def _views_and_labels():
    df = pd.read_csv(SAMPLE)
    everyday = pd.read_csv(EXAMPLES)["text"].dropna().tolist()
    texts = df["text"].tolist() + everyday
    y = df["misinformation"].map({0: "reliable", 1: "unreliable"}).tolist()
    y += ["ordinary"] * len(everyday)
    return pd.DataFrame({"text": texts}), np.array(y, dtype=object), len(df)


def test_gated_classifier_keeps_in_domain_probabilities_and_damps_ordinary_posts():
    X, y, n_in = _views_and_labels()
    kw = dict(min_df=1, char_ngrams=None)
    gated = build_pipeline(**kw, gate={"clean_label": "reliable", "floor": 0.5}).fit(X, y)
    clf = gated.named_steps["clf"]
    assert isinstance(clf, GatedClassifier)
    assert list(gated.classes_) == ["reliable", "unreliable"]  # "ordinary" is a training label
    features = gated.named_steps["features"].transform(gated.named_steps["views"].transform(X))
    plain = clf.estimator_.predict_proba(features)
    proba = gated.predict_proba(X)
    factor = clf.damping(features)
    inside = factor == 1.0
    assert inside[:n_in].mean() > 0.8 and inside.any() and (~inside).any()
    np.testing.assert_allclose(proba[inside], plain[inside], rtol=0, atol=1e-12)
    np.testing.assert_allclose(proba[:, 1], plain[:, 1] * factor, atol=1e-12)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # everyday posts lose risk on average
    assert proba[n_in:, 1].mean() < plain[n_in:, 1].mean()


def test_gated_classifier_needs_both_kinds_of_rows():
    X, y, n_in = _views_and_labels()
    pipe = build_pipeline(min_df=1, char_ngrams=None, gate={"clean_label": "reliable"})
    with pytest.raises(ValueError, match="needs rows labelled 'ordinary'"):
        pipe.fit(X.iloc[:n_in], y[:n_in])


def _style_data():
    # in-domain posts: the claim word "tỏi" marks unreliable posts, and so, less reliably,
    # does the chatty "mọi người"; outside rows are everyday chatter full of "mọi người"
    inside = (
        ["mọi người ơi uống tỏi chữa khỏi bệnh"] * 6
        + ["mọi người chia sẻ tin vui"] * 2
        + ["bộ y tế công bố số ca mới"] * 6
        + ["uống tỏi theo lời đồn"] * 2
    )
    y_in = ["unreliable"] * 6 + ["unreliable"] * 2 + ["reliable"] * 6 + ["reliable"] * 2
    outside = [f"mọi người đi ăn {k} nhé" for k in range(20)]
    X = pd.DataFrame({"text": inside + outside})
    return X, np.array(y_in + ["ordinary"] * len(outside), dtype=object)


def _weights(pipe) -> dict[str, float]:
    clf = pipe.named_steps["clf"].estimator_.calibrated_classifiers_[0].estimator
    names = pipe.named_steps["features"].get_feature_names_out()
    return dict(zip((n.split("__", 1)[1] for n in names), clf.coef_[0], strict=True))


def test_style_prior_takes_weight_from_everyday_words_not_from_claim_words():
    X, y = _style_data()
    kw = dict(min_df=1, char_ngrams=None, accent_view=False, calibration_cv=2)
    plain = build_pipeline(**kw, gate={"clean_label": "reliable"}).fit(X, y)
    styled = build_pipeline(**kw, gate={"clean_label": "reliable", "style_prior": 5.0}).fit(X, y)
    w0, w1 = _weights(plain), _weights(styled)
    assert w1["mọi người"] < 0.5 * w0["mọi người"]  # used by every outside row
    assert w1["tỏi"] > 0.8 * w0["tỏi"]  # never used outside
    assert w1["tỏi"] > w1["mọi người"]


def test_style_prior_is_folded_into_the_weights_exactly():
    from sklearn.base import clone

    from misinfo_clf._features import style_scale

    X, y = _style_data()
    kw = dict(min_df=1, char_ngrams=None, accent_view=False, calibration_cv=2)
    pipe = build_pipeline(**kw, gate={"clean_label": "reliable", "style_prior": 5.0}).fit(X, y)
    clf = pipe.named_steps["clf"]
    F = pipe.named_steps["features"].transform(pipe.named_steps["views"].transform(X))
    inside = np.flatnonzero(y != "ordinary")
    scale = style_scale(F[np.flatnonzero(y == "ordinary")], 5.0)
    assert scale.min() < 0.05 and scale.max() == 1.0
    # the same estimator fitted on scaled features, read on scaled features
    ref = clone(clf.estimator).fit(F[inside] @ np.diag(scale), y[inside])
    np.testing.assert_allclose(
        clf.estimator_.predict_proba(F), ref.predict_proba(F @ np.diag(scale)), atol=1e-12
    )


def test_style_prior_without_a_gate_only_reweights_words():
    X, y = _style_data()
    kw = dict(min_df=1, char_ngrams=None, accent_view=False, calibration_cv=2)
    inside = y != "ordinary"
    plain = build_pipeline(**kw).fit(X[inside], y[inside])
    styled = build_pipeline(**kw, style_prior=5.0).fit(X, y)
    clf = styled.named_steps["clf"]
    assert isinstance(clf, GatedClassifier) and clf.gate_ is None
    assert list(styled.classes_) == ["reliable", "unreliable"]
    F = styled.named_steps["features"].transform(styled.named_steps["views"].transform(X))
    np.testing.assert_array_equal(clf.damping(F), 1.0)
    np.testing.assert_allclose(styled.predict_proba(X), clf.estimator_.predict_proba(F))
    w = _weights(styled)
    cc = plain.named_steps["clf"].calibrated_classifiers_[0].estimator
    names = [n.split("__", 1)[1] for n in plain.named_steps["features"].get_feature_names_out()]
    w0 = dict(zip(names, cc.coef_[0], strict=True))
    assert w["mọi người"] < 0.5 * w0["mọi người"] and w["tỏi"] > 0.8 * w0["tỏi"]


def test_style_prior_leaves_numeric_metadata_alone():
    X, y = _style_data()
    X["num_share_post"] = np.where(y == "unreliable", 500.0, 3.0)
    # every everyday row has a value (none at the median, which scales to 0)
    X.loc[y == "ordinary", "num_share_post"] = np.geomspace(
        1000.0, 9000.0, int((y == "ordinary").sum())
    )
    kw = dict(min_df=1, char_ngrams=None, accent_view=False, calibration_cv=2)
    styled = build_pipeline(**kw, metadata=["num_share_post"], style_prior=5.0)
    assert styled.named_steps["clf"].style_exempt == 1
    kept = _weights(styled.fit(X, y))["log1p_num_share_post"]
    styled.named_steps["clf"].set_params(style_exempt=0)  # what it would be without
    lost = _weights(styled.fit(X, y))["log1p_num_share_post"]
    assert kept > 0.1 and abs(lost) < 0.1 * kept


@pytest.mark.parametrize(
    "value, match",
    [(-1.0, "style_prior must be a number >= 0"), ("strong", "style_prior must be a number")],
    ids=["negative", "not-a-number"],
)
def test_style_prior_is_checked(value, match):
    X, y = _style_data()
    pipe = build_pipeline(min_df=1, char_ngrams=None, calibration_cv=2)
    pipe.set_params(
        clf=GatedClassifier(
            pipe.named_steps["clf"], pipe.named_steps["clf"], clean_label="reliable"
        ).set_params(style_prior=value)
    )
    with pytest.raises(ValueError, match=match):
        pipe.fit(X, y)


def test_style_prior_needs_a_linear_classifier():
    X, y = _style_data()
    pipe = build_pipeline(
        min_df=1,
        char_ngrams=None,
        classifier="complement_nb",
        calibration=None,
        gate={"clean_label": "reliable", "style_prior": 2.0},
    )
    with pytest.raises(ValueError, match="style_prior needs a linear classifier"):
        pipe.fit(X, y)


def test_gate_options_are_checked():
    with pytest.raises(ValueError, match="gate must be a mapping"):
        build_pipeline(gate={"clean_label": "x", "bogus": 1})


# -- training with extra rows and a profile -----------------------------------------------


def test_training_records_extra_rows_and_sizes_bands_for_the_profile(gated):
    model, out, lines = gated
    head = model.heads["misinformation"]
    roles = [s.get("role", "") for s in head.info["training_data"]]
    assert any("'ordinary'" in r for r in roles)
    assert any("extra rows" in line for line in lines)
    assert model.profile is not None and model.profile.heads == ("misinformation",)
    share = queue_share(model.profile, {n: h.thresholds for n, h in model.heads.items()})
    assert share["queue"] <= 0.2 + 1e-9 and share["flag"] <= 0.02 + 1e-9
    assert head.info["bands"]["thresholds"] == head.thresholds.to_dict()


def test_profile_is_saved_as_plain_arrays_and_reloaded(gated):
    model, out, _ = gated
    loaded = load_model(out)
    np.testing.assert_allclose(loaded.profile.scores, model.profile.scores, rtol=1e-6)
    manifest = loaded.manifest["profile"]
    assert manifest["posts"] == len(model.profile)
    assert manifest["expected"]["queue"] <= 0.2 + 1e-9
    assert manifest["sources"][0]["path"] == "posts.csv"
    # never text: the file holds only the heads' names and the scores
    with np.load(out / "profile.npz", allow_pickle=False) as data:
        assert sorted(data.files) == ["heads", "scores"]
        assert data["scores"].dtype == np.float32


def test_a_tampered_profile_is_refused(gated, tmp_path):
    import shutil

    from misinfo_clf import ModelFileError

    _, out, _ = gated
    copy = tmp_path / "m"
    shutil.copytree(out, copy)
    (copy / "profile.npz").write_bytes(b"garbage")
    with pytest.raises(ModelFileError, match="profile"):
        load_model(copy)


def test_extra_label_must_be_a_class_or_the_gate_label():
    config = gated_config(gate=None)
    del config["heads"]["misinformation"]["gate"]
    with pytest.raises(ValueError, match="not one of the head's classes"):
        train(config)


# -- traffic report ------------------------------------------------------------------------


def test_traffic_report_measures_queue_recall_and_common_word_reasons(gated):
    model, _, _ = gated
    everyday = pd.read_csv(EXAMPLES)["text"].dropna().tolist()
    df = pd.read_csv(SAMPLE)
    positives = df.loc[df["misinformation"] == 1, "text"].tolist()
    r = traffic_report(model, everyday, {"misinformation": positives})
    ev = r["everyday"]
    assert ev["posts"] == len(everyday)
    assert 0 <= ev["flag_share"] <= ev["queue_share"] <= 1
    h = r["heads"]["misinformation"]
    assert h["positives"] == len(positives)
    assert 0.5 < h["roc_auc_mix"] <= 1.0
    budgets = list(h["recall_at_budget"].values())
    assert budgets == sorted(budgets)  # a larger budget never catches fewer
    assert r["reasons"]["count"] > 0
    assert 0 <= r["reasons"]["common_word_share"] <= 1


def test_common_words_include_plain_spellings():
    words = common_words(["Mọi người ơi", "mọi người nhé"] * 3, n=2)
    assert {"mọi", "người", "moi", "nguoi"} <= words


def test_validation_scores_are_kept_with_the_model(gated):
    model, out, _ = gated
    loaded = load_model(out)
    y, s = loaded.validation["misinformation"]
    assert (
        y.dtype == bool
        and len(y) == len(s) == model.heads["misinformation"].info["validation"]["rows"]
    )


def test_a_loaded_model_can_be_copied_with_its_validation_scores(gated):
    # a notebook re-sizes bands on a copy (copy.deepcopy) and keeps the original
    import copy

    _, out, _ = gated
    loaded = load_model(out)
    twin = copy.deepcopy(loaded)
    for name, v in loaded.validation.items():
        c = twin.validation[name]
        assert type(c) is type(v) and c is not v
        np.testing.assert_array_equal(c[1], v[1])
        assert (c.proba is None) == (v.proba is None)
    texts = ["Uống nước lá này khỏi ung thư, chia sẻ ngay", "hôm nay trời đẹp quá"]
    assert twin.predict(texts) == loaded.predict(texts)


def test_profile_command_resizes_bands_into_a_new_directory(gated, tmp_path, capsys):
    from misinfo_clf.cli import main

    model, out, _ = gated
    before = (out / "manifest.json").read_bytes()
    dump = tmp_path / "mine.csv"
    # a team whose traffic scores higher than the profile: its risky-looking posts
    df = pd.read_csv(SAMPLE)
    df[["text"]].to_csv(dump, index=False)
    new = tmp_path / "resized"
    rc = main(
        ["profile", str(dump), "--model", str(out), "--out", str(new), "--queue-share", "0.05"]
    )
    assert rc == 0
    printed = capsys.readouterr().out
    assert "re-sized thresholds" in printed
    assert (out / "manifest.json").read_bytes() == before  # the given model is untouched
    resized = load_model(new)
    share = queue_share(resized.profile, {n: h.thresholds for n, h in resized.heads.items()})
    assert share["queue"] <= 0.05 + 1e-9
    assert resized.manifest["profile"]["sources"][0]["name"] == "mine.csv"
    assert resized.profile.targets["queue_share"] == 0.05
    assert (new / "MODEL_CARD.md").read_text(encoding="utf-8").count("Traffic profile") == 1


def test_profile_command_refuses_to_overwrite_the_model(gated):
    from misinfo_clf._reprofile import profile_model

    _, out, _ = gated
    with pytest.raises(ValueError, match="model directory itself"):
        profile_model(out, [EXAMPLES], out)


def test_serving_path_equals_the_pipeline_for_a_gated_head(gated):
    model, _, _ = gated
    head = model.heads["misinformation"]
    serving = head.serving
    assert serving.gate is not None
    texts = pd.read_csv(EXAMPLES)["text"].dropna().tolist() + pd.read_csv(SAMPLE)["text"].tolist()
    views = model.views.views_of(texts)
    got = serving.predict_proba(serving.features(views))
    want = head.pipeline.predict_proba(pd.DataFrame({"text": texts}))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    scored = model.predict_frame(pd.DataFrame({"text": texts}), explain=False)
    kept = (scored["decision"] != "abstain").to_numpy()  # posts without a letter are not scored
    assert kept.mean() > 0.95
    np.testing.assert_allclose(
        scored["misinformation_prob"][kept], want[kept, 1], rtol=0, atol=1e-12
    )


def test_evaluate_adds_a_traffic_report(gated, tmp_path):
    from misinfo_clf import evaluate

    model, out, _ = gated
    df = pd.read_csv(SAMPLE)
    data = pd.DataFrame(
        {
            "text": df["text"],
            "misinformation": df["misinformation"].map({0: "reliable", 1: "unreliable"}),
        }
    )
    result = evaluate(out, data, everyday=EXAMPLES, out_dir=tmp_path / "r", plots=False)
    t = result["traffic"]
    assert t["everyday"]["posts"] == pd.read_csv(EXAMPLES)["text"].notna().sum()
    assert t["heads"]["misinformation"]["positives"] == int((df["misinformation"] == 1).sum())
    assert "## Traffic report" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["outside-symlink", "other-name", "bomb"])
def test_profile_file_is_checked_like_the_model_file(gated, tmp_path, kind):
    import json
    import shutil
    import zipfile

    from misinfo_clf import ModelFileError

    _, out, _ = gated
    copy = tmp_path / "m"
    shutil.copytree(out, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    if kind == "outside-symlink":
        (tmp_path / "elsewhere.npz").write_bytes((copy / "profile.npz").read_bytes())
        (copy / "profile.npz").unlink()
        (copy / "profile.npz").symlink_to(tmp_path / "elsewhere.npz")
        match = "outside the model directory"
    elif kind == "other-name":
        manifest["profile"]["file"] = "../profile.npz"
        match = "expected 'profile.npz'"
    else:  # 200 MiB of zeros declared in a small file, sha256 rewritten to match
        with zipfile.ZipFile(copy / "profile.npz", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("scores.npy", b"\0" * (200 << 20))
        import hashlib

        manifest["profile"]["sha256"] = hashlib.sha256(
            (copy / "profile.npz").read_bytes()
        ).hexdigest()
        match = "uncompressed|inflates"
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelFileError, match=match):
        load_model(copy)


def test_score_reports_expected_and_observed_queue_share_and_warns(gated, tmp_path, caplog):
    from misinfo_clf import score_file

    _, out, _ = gated
    df = pd.read_csv(SAMPLE)
    rumours = df.loc[df["misinformation"] == 1, ["id", "text"]]
    dump = pd.concat([rumours] * 3, ignore_index=True)
    dump["id"] = [f"r{i}" for i in range(len(dump))]
    dump.to_csv(tmp_path / "rumours.csv", index=False)
    summary = score_file(
        [tmp_path / "rumours.csv"], tmp_path / "o.csv", model=out, jobs=1, dedupe=False
    )
    expected = load_model(out).manifest["profile"]["expected"]["queue"]
    assert summary["expected_queue_share"] == pytest.approx(expected)
    share = (summary["flagged"] + summary["review"]) / summary["rows_scored"]
    assert summary["observed_queue_share"] == pytest.approx(share)
    # a dump of rumours only is nothing like everyday traffic
    assert share > max(2 * expected, expected + 0.05)
    assert "unlike the posts the bands were sized on" in summary["warning"]


def test_card_limitations_follow_the_training_data(gated):
    from misinfo_clf._card import limitations

    model, out, _ = gated
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    # trained on the project's sample corpus: no ReINTEL or ViHSD claims
    assert "ReINTEL" not in card and "ViHSD" not in card
    assert "Traffic profile and queue size" in card
    manifest = {"heads": {"h": {"training_data": [{"name": "ViHSD (UIT)"}]}}}
    assert any("ViHSD" in item for item in limitations(manifest))
    assert limitations({"limitations": ["x"]}) == ["x"]


def test_card_says_which_rows_of_a_file_a_source_took():
    from misinfo_clf._card import render_model_card

    source = {"name": "Posts", "split": "dev", "rows": 90, "licence": "MIT"}
    manifest = {
        "name": "m",
        "version": "1",
        "heads": {
            "h": {
                "labels": ["a", "b"],
                "training_data": [{**source, "slice": [0.5, 1.0], "role": "everyday rows"}],
            }
        },
        "profile": {
            "posts": 90,
            "sources": [{**source, "where": {"label_id": [0]}, "sample": 90, "seed": 21}],
        },
    }
    card = render_model_card(manifest)
    assert "(90 rows, dev, rows 50%-100%; everyday rows)" in card
    assert "**Posts** dev, label_id in [0], a sample of 90 (seed 21) (90 posts)" in card
