import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """../shared/datasets, or skip: the public datasets are not redistributed."""
    if not (SHARED / "vihsd" / "train.csv").exists():
        pytest.skip(f"public datasets not found at {SHARED} (see datasets/DATASHEET.md)")
    return SHARED


@pytest.fixture(scope="session")
def sample_corpus_path() -> Path:
    return ROOT / "datasets" / "sample" / "posts_labelled.csv"


@pytest.fixture(scope="session")
def example_dump_path() -> Path:
    return ROOT / "datasets" / "examples" / "posts.csv"


def _train_small_model(path: Path) -> Path:
    """A two-head model trained on the project's own sample corpus (seconds)."""
    import pandas as pd

    from misinfo_clf import Head, Model, Thresholds, build_pipeline, save_model

    df = pd.read_csv(ROOT / "datasets" / "sample" / "posts_labelled.csv")
    misinfo = build_pipeline(min_df=1).fit(
        df[["text"]], df["misinformation"].map({0: "reliable", 1: "unreliable"})
    )
    harmful = build_pipeline(min_df=1).fit(df[["text"]], df["harmful"])
    model = Model(
        [
            Head("misinformation", misinfo, "reliable", Thresholds(flag=0.7, review=0.3)),
            Head("harmful", harmful, "CLEAN", Thresholds(flag=0.7, review=0.3)),
        ],
        name="sample",
        version="test",
    )
    return save_model(model, path)


@pytest.fixture(scope="session")
def small_model_dir(tmp_path_factory) -> Path:
    """Directory of a small model trained on datasets/sample (no ../shared needed)."""
    return _train_small_model(tmp_path_factory.mktemp("models") / "small")


_LONG_DIGITS = re.compile(r"\d{8,}")


def long_digit_terms(vocabulary) -> list[str]:
    """The terms of ``vocabulary`` (a vectorizer's ``vocabulary_`` or any iterable of
    terms) that hold a run of eight digits or more, sorted: phone, account or card
    numbers that normalization should have replaced by a placeholder."""
    return sorted(t for t in vocabulary if _LONG_DIGITS.search(t))


@pytest.fixture(scope="session")
def digit_runs():
    """:func:`long_digit_terms`, for tests on a trained model's vocabulary."""
    return long_digit_terms
