"""Training from configs: end to end, determinism, thresholds, bad input."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import misinfo_clf
from misinfo_clf import load_model, train
from misinfo_clf._train import tune_class_offsets

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = ROOT / "configs" / "sample.toml"
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"


def one_head(path, **head) -> dict:
    """A small single-head config on a file (the sample corpus by default)."""
    table = {
        "train": path if isinstance(path, pd.DataFrame) else str(path),
        "label_col": "misinformation",
        "labels": {"0": "reliable", "1": "unreliable"},
        "clean_label": "reliable",
        "validation_folds": 0,
        "validation_split": 0.25,
        "min_df": 1,
        "char_ngrams": [2, 4],
    }
    table.update(head)
    return {"model": {"name": "t", "seed": 0}, "heads": {"misinformation": table}}


@pytest.fixture(scope="module")
def sample_model(tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "sample"
    lines = []
    model = train(SAMPLE_CONFIG, out=out, progress=lines.append)
    return model, out, lines


def test_sample_config_end_to_end(sample_model, example_dump_path):
    model, out, lines = sample_model
    assert set(model.heads) == {"misinformation", "harmful", "scam"}
    assert model.heads["harmful"].labels == ("CLEAN", "HATE", "OFFENSIVE")
    assert (out / "model.skops").is_file() and (out / "MODEL_CARD.md").is_file()
    loaded = load_model(out)
    posts = pd.read_csv(example_dump_path)
    a = model.predict_frame(posts, explain=False)
    b = loaded.predict_frame(posts, explain=False)
    pd.testing.assert_frame_equal(a, b)
    # the model learned something: on unseen posts a blatant scam outranks a weather report
    # (scams are the scam head's since version 2 of the sample corpus)
    p = loaded.predict(
        [
            "Chúc mừng bạn trúng thưởng iPhone, bấm link http://example.com nhập mã OTP để nhận quà",
            "Sáng nay trời mưa nhẹ, chiều nắng, nhiệt độ khoảng 30 độ.",
        ],
        explain=False,
    )
    assert p[0].heads["scam"].probability > p[1].heads["scam"].probability
    # progress lines carry elapsed time
    assert any("refitted on all training rows" in line for line in lines)
    assert all(line.startswith("[") and "s] " in line for line in lines)


def test_manifest_records_training_data_licence_and_metrics(sample_model):
    _, out, _ = sample_model
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    head = manifest["heads"]["harmful"]
    assert head["training_data"] == [
        {
            "name": "misinfo_clf sample corpus",
            "path": "posts_labelled.csv",
            "split": "train",
            "rows": 367,
            "licence": "MIT, written for misinfo_clf",
            "sha256": hashlib.sha256(SAMPLE.read_bytes()).hexdigest(),
        }
    ]
    assert head["threshold_targets"] == {"precision": 0.9, "recall": 0.9}
    assert head["validation"]["method"].startswith("5-fold out-of-fold")
    assert 0.5 < head["metrics"]["validation_macro_f1"] <= 1
    assert head["class_offsets"] is not None and head["class_offsets"][0] == 0.0  # CLEAN fixed
    assert manifest["heads"]["misinformation"]["class_offsets"] is None
    assert manifest["training"]["config"] == "sample.toml"
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "MIT, written for misinfo_clf" in card


def test_same_seed_gives_identical_probabilities(sample_corpus_path):
    texts = pd.read_csv(sample_corpus_path)["text"].tolist()[:50]
    a = train(one_head(sample_corpus_path))
    b = train(one_head(sample_corpus_path))
    pa = a.predict_frame(pd.DataFrame({"text": texts}), explain=False)["misinformation_prob"]
    pb = b.predict_frame(pd.DataFrame({"text": texts}), explain=False)["misinformation_prob"]
    assert np.array_equal(pa.to_numpy(), pb.to_numpy())
    assert a.heads["misinformation"].thresholds == b.heads["misinformation"].thresholds


def test_flag_threshold_reaches_target_precision_on_validation_data(tmp_path, sample_corpus_path):
    """Thresholds chosen on a validation file hold on that file when the saved model scores it."""
    df = pd.read_csv(sample_corpus_path)
    val = df[df.index % 4 == 0]
    df.drop(val.index).to_csv(tmp_path / "train.csv", index=False)
    val.to_csv(tmp_path / "val.csv", index=False)
    config = one_head(
        tmp_path / "train.csv", validation=str(tmp_path / "val.csv"), precision=0.85, recall=0.95
    )
    train(config, out=tmp_path / "m")
    model = load_model(tmp_path / "m")
    th = model.heads["misinformation"].thresholds
    scored = model.predict_frame(val, explain=False)
    y = val["misinformation"].to_numpy() == 1
    s = scored["misinformation_prob"].to_numpy()
    assert th.review <= th.flag
    if th.flag <= 1:
        assert y[s >= th.flag].mean() >= 0.85
    assert y[s >= th.review].sum() / y.sum() >= 0.95
    info = model.heads["misinformation"].info
    assert info["validation"]["method"] == "validation data"
    assert info["metrics"]["validation_n"] == len(val)


def test_nan_text_rows_are_dropped_counted_and_reported(tmp_path, sample_corpus_path):
    df = pd.read_csv(sample_corpus_path)
    df.loc[[3, 10, 20], "text"] = np.nan
    df.to_csv(tmp_path / "d.csv", index=False)
    lines = []
    model = train(one_head(tmp_path / "d.csv"), progress=lines.append)
    info = model.heads["misinformation"].info
    assert info["data_issues"]["train_nan_text_dropped"] == 3
    assert any("dropped 3 of 367 rows with no text (data rows 4, 11, 21)" in x for x in lines)


@pytest.mark.parametrize(
    "labels, match",
    [
        (
            [0, 1, 2] * 4,
            r"unknown label\(s\) \['2'\].*Values seen in the column: \['0', '1', '2'\]",
        ),
        ([0] * 12, r"column 'misinformation' has a single class \['reliable'\]"),
        ([0] * 10 + [1] * 2, r"class\(es\) \{'unreliable': 2\} have fewer than 3 rows"),
    ],
    ids=["unknown-label", "single-class", "tiny-class"],
)
def test_bad_labels(tmp_path, labels, match):
    pd.DataFrame(
        {"text": [f"bài viết số {i}" for i in range(len(labels))], "misinformation": labels}
    ).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(ValueError, match=match):
        train(one_head(tmp_path / "d.csv"))


def test_empty_data_and_missing_column(tmp_path):
    (tmp_path / "empty.csv").write_text("text,misinformation\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty\.csv: no data rows"):
        train(one_head(tmp_path / "empty.csv"))
    with pytest.raises(
        ValueError, match=r"column\(s\) \['label'\] not found; the file has columns"
    ):
        train(one_head(SAMPLE, label_col="label"))
    with pytest.raises(ValueError, match=r"column\(s\) \['likes'\] not found"):
        train(one_head(SAMPLE, metadata=["likes"]))
    with pytest.raises(FileNotFoundError, match="nope.csv not found"):
        train(one_head(tmp_path / "nope.csv"))


def test_bad_config(tmp_path):
    with pytest.raises(ValueError, match=r"\[heads.misinformation\]: unknown key\(s\) \['Cc'\]"):
        train(one_head(SAMPLE, Cc=3))
    with pytest.raises(ValueError, match="no \\[heads.<name>\\] table"):
        train({"model": {"name": "x"}})
    with pytest.raises(ValueError, match="unknown layout 'vihds'"):
        train({"heads": {"harmful": {"layout": "vihds"}}})
    (tmp_path / "bad.toml").write_text("[model\nname=1", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml: not valid TOML"):
        train(tmp_path / "bad.toml")


def test_layout_config_reads_data_dir(tmp_path, sample_corpus_path):
    """A layout head reads <data_dir>/<layout files>; here a ViHSD-shaped file we write."""
    df = pd.read_csv(sample_corpus_path)
    (tmp_path / "vihsd").mkdir()
    ids = df["harmful"].map({"CLEAN": 0, "OFFENSIVE": 1, "HATE": 2})
    pd.DataFrame({"free_text": df["text"], "label_id": ids}).to_csv(
        tmp_path / "vihsd" / "train.csv", index=False
    )
    config = {
        "heads": {
            "harmful": {
                "layout": "vihsd",
                "train": "train",
                "validation_folds": 3,
                "min_df": 1,
                "char_ngrams": False,
            }
        }
    }
    model = train(config, data_dir=tmp_path)
    head = model.heads["harmful"]
    assert head.labels == ("CLEAN", "HATE", "OFFENSIVE") and head.clean_label == "CLEAN"
    assert head.info["training_data"][0]["licence"] == "research purposes only (UIT)"
    assert head.info["data"]["label_map"] == {"0": "CLEAN", "1": "OFFENSIVE", "2": "HATE"}


def test_search_picks_from_the_grid(sample_corpus_path):
    config = one_head(sample_corpus_path, search={"C": [0.5, 8.0], "cv": 2})
    info = train(config).heads["misinformation"].info
    assert [r["params"]["C"] for r in info["search"]["results"]] == [0.5, 8.0]
    best = max(info["search"]["results"], key=lambda r: r["mean"])
    assert info["search"]["best"] == best and info["params"]["C"] == best["params"]["C"]


def test_augment_accents_adds_copies(sample_corpus_path):
    lines = []
    model = train(one_head(sample_corpus_path, augment_accents=True), progress=lines.append)
    assert model.heads["misinformation"].info["augment_accents"] is True
    assert any("accent-stripped copies" in x for x in lines)


def test_tune_class_offsets_improves_macro_f1():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [200, 40, 40])
    # classes 1 and 2 are under-predicted: their probabilities are squashed
    logits = rng.normal(size=(len(y), 3)) + 2.0 * np.eye(3)[y] - np.array([0, 1.5, 1.5])
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    offsets, tuned, plain = tune_class_offsets(proba, y, fixed=0)
    assert offsets[0] == 0.0
    assert tuned > plain + 0.02
    assert offsets[1] > 0 and offsets[2] > 0


def test_public_api_exports():
    for name in ("train", "evaluate", "tune_thresholds", "read_table", "read_dataset"):
        assert name in misinfo_clf.__all__ and callable(getattr(misinfo_clf, name))


def test_training_records_config_and_logs_plain_numbers(sample_model):
    model, out, lines = sample_model
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    training = manifest["training"]
    assert training["config_sha256"] == hashlib.sha256(SAMPLE_CONFIG.read_bytes()).hexdigest()
    assert training["config_contents"]["heads"]["harmful"]["label_col"] == "harmful"
    scam = manifest["heads"]["scam"]["training_data"][0]
    scam_file = ROOT / "datasets" / "scam" / "posts.csv"
    assert scam["sha256"] == hashlib.sha256(scam_file.read_bytes()).hexdigest()
    assert not [line for line in lines if "np." in line]  # no np.int64(171) in the log
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Reproducibility" in card and training["config_sha256"] in card
    # a loaded model says how it was trained, as the trained one did
    assert load_model(out).training == model.training == training


def test_train_from_dataframes_equals_train_from_files(sample_corpus_path):
    df = pd.read_csv(sample_corpus_path)
    from_file = train(one_head(sample_corpus_path))
    from_frame = train(one_head(df))
    texts = pd.DataFrame({"text": df["text"].tolist()[:40]})
    a = from_file.predict_frame(texts, explain=False)["misinformation_prob"]
    b = from_frame.predict_frame(texts, explain=False)["misinformation_prob"]
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    (src,) = from_frame.heads["misinformation"].info["training_data"]
    assert src["path"] == "<DataFrame>" and src["rows"] == len(df) and len(src["sha256"]) == 64
    contents = from_frame.training["config_contents"]["heads"]["misinformation"]["train"]
    assert contents == {"DataFrame": {"rows": len(df), "sha256": src["sha256"]}}
    with pytest.raises(ValueError, match=r"column\(s\) \['misinformation'\] not found"):
        train(one_head(df.drop(columns="misinformation")))


def test_card_of_a_team_model_claims_only_its_own_data(tmp_path, sample_corpus_path):
    df = pd.read_csv(sample_corpus_path)
    config = one_head(df, dataset_name="our moderation log 2025", licence="internal")
    model = train(config, out=tmp_path / "m")
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "our moderation log 2025" in card
    for other in ("ReINTEL", "ViHSD", "scam corpus"):
        assert other not in card
    assert "Trained on data this library does not describe (our moderation log 2025)" in card
    assert model.heads["misinformation"].info["training_data"][0]["licence"] == "internal"


def test_label_rule_thresholds_labels_follow_the_probabilities(tmp_path, sample_corpus_path):
    config = one_head(
        sample_corpus_path,
        label_col="harmful",
        labels={"CLEAN": "CLEAN", "OFFENSIVE": "OFFENSIVE", "HATE": "HATE"},
        clean_label="CLEAN",
        label_rule="thresholds",
    )
    model = train(config, out=tmp_path / "m")
    head = model.heads["misinformation"]
    th = head.info["class_thresholds"]
    assert set(th) == {"HATE", "OFFENSIVE"}
    posts = pd.read_csv(ROOT / "datasets" / "examples" / "posts.csv")
    out = load_model(tmp_path / "m").predict_frame(posts, explain=False)
    ok = out["status"].eq("ok") & out["misinformation_label"].notna()
    for _, row in out[ok].iterrows():
        label = row["misinformation_label"]
        above = {
            c: row[f"misinformation_prob_{c}"]
            for c in th
            if row[f"misinformation_prob_{c}"] >= th[c]
        }
        if label == "CLEAN":
            assert not above
        else:
            assert label == max(above, key=above.get)
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "per-class thresholds chosen on validation data" in card
