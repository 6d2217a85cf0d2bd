"""The train / evaluate / tune-thresholds commands through misinfo_clf.cli.main."""

import json
from pathlib import Path

import pytest

from misinfo_clf import load_model
from misinfo_clf.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = ROOT / "configs" / "sample.toml"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "sample"
    assert main(["train", "--config", str(SAMPLE_CONFIG), "--out", str(out), "-q"]) == 0
    return out


def test_train_command_saves_a_loadable_model(trained, capsys):
    model = load_model(trained)
    assert set(model.heads) == {"misinformation", "harmful", "scam"}
    assert model.name == "misinfo_clf-sample"


def test_evaluate_command(trained, tmp_path, capsys, sample_corpus_path):
    rc = main(
        [
            "evaluate",
            str(trained),
            "--data",
            str(sample_corpus_path),
            "--head",
            "harmful",
            "--out",
            str(tmp_path),
            "--no-plots",
        ]
    )
    assert rc == 0
    out = capsys.readouterr().out
    assert out.startswith("harmful: 367 rows, macro-F1")
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert list(metrics["heads"]) == ["harmful"]
    assert not list(tmp_path.glob("*.png"))


def test_evaluate_command_with_label_mapping(trained, tmp_path, sample_corpus_path):
    rc = main(
        [
            "evaluate",
            str(trained),
            "--data",
            str(sample_corpus_path),
            "--head",
            "misinformation",
            "--label-col",
            "misinformation",
            "--labels",
            '{"0": "reliable", "1": "unreliable"}',
            "--out",
            str(tmp_path),
            "--no-slices",
        ]
    )
    assert rc == 0
    assert (
        "slices"
        not in json.loads((tmp_path / "metrics.json").read_text())["heads"]["misinformation"]
    )


def test_tune_thresholds_command(trained, tmp_path, capsys, sample_corpus_path):
    rc = main(
        [
            "tune-thresholds",
            str(trained),
            "--data",
            str(sample_corpus_path),
            "--head",
            "misinformation",
            "--precision",
            "0.97",
            "--out",
            str(tmp_path / "t"),
        ]
    )
    assert rc == 0
    out = capsys.readouterr().out
    assert "expected queue per 100k posts: flag" in out
    manifest = json.loads((tmp_path / "t" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["heads"]["misinformation"]["threshold_targets"]["precision"] == 0.97
    load_model(tmp_path / "t")


def test_errors_are_one_line_with_exit_code_2(trained, tmp_path, capsys):
    assert main(["train", "--config", str(tmp_path / "nope.toml"), "--out", str(tmp_path)]) == 2
    assert "misinfo-clf train: error: config file" in capsys.readouterr().err
    rc = main(["tune-thresholds", str(trained), "--data", "x.csv", "--precision", "0.9"])
    assert rc == 2 and "--head is required" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", str(trained), "--data", "x.csv", "--out", "r", "--labels", "[1]"])
    assert exc.value.code == 2
    assert "expected a JSON object" in capsys.readouterr().err
