"""Optional MLflow tracking: a run with params, metrics, reports and the model directory;
nothing without it."""

import sys
from pathlib import Path

import pandas as pd
import pytest

from misinfo_clf import evaluate, train

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"


def _config() -> dict:
    return {
        "model": {"name": "tracked", "version": "1", "seed": 0},
        "heads": {
            "misinformation": {
                "train": pd.read_csv(SAMPLE),
                "label_col": "misinformation",
                "labels": {"0": "reliable", "1": "unreliable"},
                "clean_label": "reliable",
                "validation_folds": 3,
                "min_df": 1,
                "char_ngrams": [2, 4],
            }
        },
    }


def test_asking_for_mlflow_without_it_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "mlflow", None)  # as if not installed
    with pytest.raises(ImportError, match="pip install mlflow-skinny"):
        train(_config(), out=tmp_path / "m", mlflow=True)


def test_train_and_evaluate_log_mlflow_runs(tmp_path, monkeypatch):
    mlflow = pytest.importorskip(
        "mlflow", reason="mlflow is not installed (optional: pip install mlflow-skinny)"
    )
    monkeypatch.chdir(tmp_path)  # nothing may land in the checkout
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")  # a local file store (MLflow 3)
    uri = (tmp_path / "mlruns").as_uri()
    model = train(_config(), out=tmp_path / "m", mlflow=uri)
    evaluate(
        tmp_path / "m",
        pd.read_csv(SAMPLE).sample(120, random_state=0),
        out_dir=tmp_path / "report",
        plots=False,
        bootstrap=0,
        mlflow=uri,
    )
    client = mlflow.tracking.MlflowClient(tracking_uri=uri)
    runs = client.search_runs(experiment_ids=["0"])
    by_kind = {r.data.tags["misinfo_clf.command"]: r for r in runs}
    assert set(by_kind) == {"train", "evaluate"}
    run = by_kind["train"]
    assert run.data.params["seed"] == "0"
    assert run.data.metrics["misinformation.validation_macro_f1"] == pytest.approx(
        model.heads["misinformation"].info["metrics"]["validation_macro_f1"]
    )
    files = {a.path for a in client.list_artifacts(run.info.run_id, "model")}
    assert {"model/manifest.json", "model/model.skops", "model/MODEL_CARD.md"} <= files
    run = by_kind["evaluate"]
    assert "misinformation.macro_f1" in run.data.metrics
    reports = {a.path for a in client.list_artifacts(run.info.run_id, "reports")}
    assert {"reports/metrics.json", "reports/report.md"} <= reports


def test_nothing_is_tracked_without_asking(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "mlflow", None)  # would fail if touched
    train(_config(), out=tmp_path / "m")
    assert not (tmp_path / "mlruns").exists()
