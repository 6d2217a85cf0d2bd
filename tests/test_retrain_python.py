"""Retraining from Python: pipelines wrapped into a model, cross-validation."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import (
    build_pipeline,
    cross_validate,
    evaluate,
    load_model,
    model_from_pipelines,
    save_model,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"


def test_pipelines_wrapped_into_a_model_save_load_and_score_alike(tmp_path):
    df = pd.read_csv(SAMPLE)
    fit, val = df[df.index % 3 != 0], df[df.index % 3 == 0]
    pipe = build_pipeline(min_df=1, char_ngrams=(2, 4)).fit(fit[["text"]], fit["harmful"])
    model = model_from_pipelines(
        {"harmful": pipe},
        clean_labels={"harmful": "CLEAN"},
        validation={"harmful": (val[["text"]], val["harmful"])},
        precision=0.9,
        recall=0.8,
        label_rule="thresholds",
        training_data={"harmful": [{"name": "our posts", "rows": len(fit), "licence": "ours"}]},
        name="wrapped",
        version="1",
    )
    head = model.heads["harmful"]
    score = 1 - pipe.predict_proba(val[["text"]])[:, list(pipe.classes_).index("CLEAN")]
    flagged = score >= head.thresholds.flag
    assert (val["harmful"].to_numpy()[flagged] != "CLEAN").mean() >= 0.9
    save_model(model, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    out = loaded.predict_frame(val, explain=False)
    np.testing.assert_allclose(out["harmful_prob"].to_numpy(), score, atol=1e-12)
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "our posts" in card and "per-class thresholds" in card
    # the kept validation predictions give `evaluate --config` the validation metrics
    assert loaded.validation["harmful"].has_classes
    with pytest.raises(ValueError, match="give validation data .* or its thresholds"):
        model_from_pipelines({"harmful": pipe}, clean_labels={"harmful": "CLEAN"})
    assert evaluate(loaded, val, head="harmful", slices=False, bootstrap=0)["heads"]


def test_cross_validate_returns_evaluate_metrics_per_fold_and_pooled(sample_corpus_path):
    df = pd.read_csv(sample_corpus_path)
    config = {
        "model": {"seed": 0},
        "heads": {
            "harmful": {
                "train": df,
                "label_col": "harmful",
                "clean_label": "CLEAN",
                "min_df": 1,
                "char_ngrams": [2, 4],
            }
        },
    }
    cv = cross_validate(config, folds=3, bootstrap=50)
    r = cv["harmful"]
    assert len(r["folds"]) == 3
    assert sum(f["n"] for f in r["folds"]) == r["pooled"]["n"] == len(df)
    keys = {
        "macro_f1",
        "roc_auc",
        "pr_auc",
        "ece",
        "bands",
        "per_class",
    }
    for metrics in (*r["folds"], r["pooled"]):
        assert keys <= set(metrics)
    assert min(f["macro_f1"] for f in r["folds"]) <= r["mean"]["macro_f1"]
    assert r["mean"]["macro_f1"] <= max(f["macro_f1"] for f in r["folds"])
    lo, hi = r["pooled"]["ci95"]["macro_f1"]
    assert lo <= r["pooled"]["macro_f1"] <= hi
    assert r["method"].startswith("3-fold")


def test_readme_example_wraps_pipelines_into_a_model(tmp_path, monkeypatch):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "model_from" in b]
    monkeypatch.chdir(tmp_path)
    exec(block.replace('"datasets/sample/', f'"{ROOT}/datasets/sample/'), {})
    model = load_model(tmp_path / "models" / "mine")
    assert model.heads["harmful"].label_rule == "thresholds"
    assert "our posts" in (tmp_path / "models" / "mine" / "MODEL_CARD.md").read_text("utf-8")
