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
    captured = capsys.readouterr()
    out = captured.out
    assert out.startswith("harmful: 367 rows, macro-F1")
    # stderr is not a terminal here (a log file, CI): one plain line per step, no bar
    steps = [line for line in captured.err.splitlines() if not line.startswith("WARNING")]
    assert steps and all(line.startswith("[") and "s] " in line for line in steps)
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert list(metrics["heads"]) == ["harmful"]
    assert not list(tmp_path.glob("*.png"))


def test_quiet_commands_print_no_steps(trained, tmp_path, capsys, sample_corpus_path):
    args = ["evaluate", str(trained), "--data", str(sample_corpus_path), "--head", "harmful"]
    assert main([*args, "--out", str(tmp_path), "--no-plots", "-q"]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]


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
    assert "expected queue per 100k posts (head misinformation): flag" in out
    manifest = json.loads((tmp_path / "t" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["heads"]["misinformation"]["threshold_targets"]["precision"] == 0.97
    load_model(tmp_path / "t")


def test_commands_that_change_a_model_need_out_or_in_place(trained, tmp_path, capsys):
    before = (trained / "manifest.json").read_bytes()
    rc = main(["tune-thresholds", str(trained), "--head", "harmful", "--precision", "0.9"])
    err = capsys.readouterr().err
    assert rc == 2 and "give --out DIR" in err and "--in-place" in err
    rc = main(["evaluate", str(trained), "--config", str(SAMPLE_CONFIG), "--out", str(tmp_path)])
    assert rc == 0
    out = capsys.readouterr().out
    # every head is reported: the sample config has no test split, so each head is
    # evaluated on its kept out-of-fold predictions, and the output says so
    assert out.count("(out-of-fold validation predictions, not a test)") == 3
    rc = main(
        ["evaluate", str(trained), "--config", str(SAMPLE_CONFIG), "--out", str(tmp_path)]
        + ["--no-plots", "--record"]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "give --model-out DIR" in err and "--in-place" in err
    assert (trained / "manifest.json").read_bytes() == before
    rc = main(
        ["evaluate", str(trained), "--config", str(SAMPLE_CONFIG), "--out", str(tmp_path)]
        + ["--no-plots", "--record", "--model-out", str(tmp_path / "m")]
    )
    assert rc == 0
    assert "evaluation" in load_model(tmp_path / "m").manifest["heads"]["scam"]
    assert (trained / "manifest.json").read_bytes() == before


def test_capacity_command_tunes_every_head(trained, tmp_path, capsys, sample_corpus_path):
    rc = main(
        ["tune-thresholds", str(trained), "--data", str(sample_corpus_path)]
        + ["--reviews-per-day", "20000", "--posts-per-day", "100000", "--out", str(tmp_path / "c")]
    )
    assert rc == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    for head in ("misinformation", "harmful", "scam"):
        assert f"  {head}: flag " in out
    assert "expected queue per 100k posts (through any head)" in out
    assert "expected reviews per day:" in out
    tuned = load_model(tmp_path / "c")
    assert all(h.thresholds.flag <= 1 for h in tuned.heads.values())


def test_errors_are_one_line_with_exit_code_2(trained, tmp_path, capsys):
    assert main(["train", "--config", str(tmp_path / "nope.toml"), "--out", str(tmp_path)]) == 2
    assert "misinfo-clf train: error: config file" in capsys.readouterr().err
    rc = main(["tune-thresholds", str(trained), "--data", "x.csv", "--precision", "0.9"])
    assert rc == 2 and "--head is required with --precision" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", str(trained), "--data", "x.csv", "--out", "r", "--labels", "[1]"])
    assert exc.value.code == 2
    assert "expected a JSON object" in capsys.readouterr().err
