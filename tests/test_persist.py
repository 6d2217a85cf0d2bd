import json
import shutil

import pytest
import skops.io as sio

import misinfo_clf
from misinfo_clf import ModelFileError, UntrustedTypesError, load_model
from misinfo_clf._persist import file_sha256


class Evil:
    """A type outside the allow-list; a real attack would do something on load."""

    def __init__(self):
        self.payload = "rm -rf /"


@pytest.fixture
def model_copy(small_model_dir, tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(small_model_dir, dst)
    return dst


def _rewrite_hash(path):
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["sha256"] = file_sha256(path / "model.skops")
    (path / "manifest.json").write_text(json.dumps(manifest))


def test_round_trip_predicts_the_same(small_model_dir, model_copy):
    a = load_model(small_model_dir).predict(["Uống chanh chữa ung thư", "trời đẹp"])
    b = load_model(model_copy).predict(["Uống chanh chữa ung thư", "trời đẹp"])
    assert a == b


def test_manifest_content(small_model_dir):
    manifest = json.loads((small_model_dir / "manifest.json").read_text())
    assert manifest["library_version"] == misinfo_clf.__version__
    assert manifest["sha256"] == file_sha256(small_model_dir / "model.skops")
    assert set(manifest["heads"]) == {"misinformation", "harmful"}
    assert manifest["heads"]["harmful"]["labels"] == ["CLEAN", "HATE", "OFFENSIVE"]
    assert {"flag", "review"} == set(manifest["heads"]["harmful"]["thresholds"])
    card = (small_model_dir / "MODEL_CARD.md").read_text()
    assert "human review" in card and "Limitations" in card


def test_untrusted_type_is_refused(model_copy):
    loaded = sio.load(
        model_copy / "model.skops", trusted=sio.get_untrusted_types(file=model_copy / "model.skops")
    )
    loaded["extra"] = Evil()
    sio.dump(loaded, model_copy / "model.skops")
    _rewrite_hash(model_copy)
    with pytest.raises(UntrustedTypesError, match=r"test_persist.Evil.*It was not loaded"):
        load_model(model_copy)


def test_truncated_file_is_a_clear_error(model_copy):
    data = (model_copy / "model.skops").read_bytes()
    (model_copy / "model.skops").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="does not match its manifest"):
        load_model(model_copy)
    with pytest.raises(ModelFileError, match="not a readable skops file|could not be loaded"):
        load_model(model_copy, verify=False)


def test_garbage_file_with_matching_hash(model_copy):
    (model_copy / "model.skops").write_bytes(b"not a zip file at all")
    _rewrite_hash(model_copy)
    with pytest.raises(ModelFileError, match="not a readable skops file"):
        load_model(model_copy)


def test_corrupted_manifest(model_copy):
    (model_copy / "manifest.json").write_text("{ not json")
    with pytest.raises(ModelFileError, match="is not valid JSON"):
        load_model(model_copy)


def test_missing_directory(tmp_path):
    with pytest.raises(ModelFileError, match="does not exist"):
        load_model(tmp_path / "nope")


def test_newer_format_refused(model_copy):
    manifest = json.loads((model_copy / "manifest.json").read_text())
    manifest["format_version"] = 99
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFileError, match="format_version 99"):
        load_model(model_copy)


def test_other_sklearn_version_warns_or_refuses(model_copy):
    manifest = json.loads((model_copy / "manifest.json").read_text())
    major, minor, *_ = manifest["sklearn_version"].split(".")
    manifest["sklearn_version"] = f"{major}.{int(minor) + 1}.0"
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.warns(UserWarning, match="results may differ"):
        load_model(model_copy)
    manifest["sklearn_version"] = f"{int(major) + 1}.0.0"
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFileError, match="Install scikit-learn=="):
        load_model(model_copy)


def test_no_personal_data_in_saved_model(tmp_path):
    import zipfile

    import pandas as pd

    from misinfo_clf import Head, Model, Thresholds, build_pipeline, save_model

    secret_phone, secret_mail = "0987654321", "nguyen.secret@example.com"
    texts = [f"gọi {secret_phone} hoặc {secret_mail} để nhận quà", "trời đẹp quá đi chơi thôi"] * 5
    pipe = build_pipeline(min_df=1, calibration=None).fit(
        pd.DataFrame({"text": texts}), ["scam", "ok"] * 5
    )
    save_model(Model([Head("scam", pipe, "ok", Thresholds(0.9, 0.5))]), tmp_path / "m")
    # every feature the saved model knows, as stored on disk
    loaded = load_model(tmp_path / "m")
    features = loaded.heads["scam"].pipeline.named_steps["features"].get_feature_names_out()
    for secret in ("0987", "654321", "nguyen", "secret", "example"):
        assert not any(secret in f for f in features), secret
    assert any("xxphone" in f for f in features) and any("xxemail" in f for f in features)
    # and nowhere else in the file's text (object ids are numbers: check the letters only)
    with zipfile.ZipFile(tmp_path / "m" / "model.skops") as z:
        blob = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", errors="ignore")
    for secret in ("nguyen", "secret", "example.com"):
        assert secret not in blob


def test_shipped_model_has_no_long_digit_runs_in_its_features(digit_runs):
    """Phone, account and card numbers must never become features (issue 9): every term of
    every vectorizer of the shipped model is scanned for runs of 8+ digits."""
    model = load_model()
    scanned = 0
    for name, head in model.heads.items():
        features = head.pipeline.named_steps["features"]
        for _, trans, _ in features.transformers_:
            vocab = getattr(trans, "vocabulary_", None)
            if vocab is None:
                continue
            scanned += len(vocab)
            assert digit_runs(vocab) == [], name
    assert scanned > 100_000  # the whole vocabulary was read, not an empty one
