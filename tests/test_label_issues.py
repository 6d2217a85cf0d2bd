import pandas as pd
import pytest

from misinfo_clf import find_label_issues


@pytest.fixture(scope="module")
def corpus(sample_corpus_path):
    return pd.read_csv(sample_corpus_path)


def test_flipped_labels_rank_first(corpus):
    df = corpus[["text", "harmful"]].rename(columns={"harmful": "label"}).copy()
    clean = df.index[df["label"] == "CLEAN"][:8]
    df.loc[clean, "label"] = "HATE"  # plant obvious label errors
    out = find_label_issues(df, min_df=1, calibration=None)
    assert len(out) == len(df) and set(out.index) == set(df.index)
    assert out["p_given_label"].is_monotonic_increasing
    top = set(out.index[:40])
    assert len(top & set(clean)) >= 6  # most planted errors are among the first 40 of 367
    assert {"text", "label", "p_given_label", "predicted", "p_predicted", "p_CLEAN"} <= set(
        out.columns
    )


def test_clear_errors(corpus):
    with pytest.raises(ValueError, match="same length"):
        find_label_issues(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="at least two classes"):
        find_label_issues(corpus["text"], ["CLEAN"] * len(corpus))
    with pytest.raises(ValueError, match="at least folds=5 posts; too few"):
        find_label_issues(corpus["text"][:12], ["A"] * 10 + ["B"] * 2)
    with pytest.raises(KeyError, match="label column 'label' not found"):
        find_label_issues(corpus[["text"]])
