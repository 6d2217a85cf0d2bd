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
