"""Real posts for benchmarks, read from the shared datasets (never copied here).

The shared datasets live outside the project (``../shared/datasets`` from the project
root) and are not the project's to redistribute: this module only reads them. When
they are absent, the project's own small sample files are recombined instead.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd

__all__ = ["SHARED_DATASETS", "benchmark_source", "load_benchmark_posts", "vihsd_posts"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"

# (glob relative to SHARED_DATASETS, text column)
_SHARED_SOURCES = (
    ("vihsd/train.csv", "free_text"),
    ("vihsd/dev.csv", "free_text"),
    ("vihsd/test.csv", "free_text"),
    ("vispamreviews/train.csv", "Comment"),
    ("vispamreviews/dev.csv", "Comment"),
    ("vispamreviews/test.csv", "Comment"),
    ("reintel/*.csv", "post_message"),
)
_VIHSD = _SHARED_SOURCES[:3]
_LOCAL_SOURCES = (
    PROJECT_ROOT / "datasets" / "sample" / "posts_labelled.csv",
    PROJECT_ROOT / "datasets" / "examples" / "posts.csv",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _texts(path: Path, column: str) -> list[str]:
    col = pd.read_csv(path, usecols=[column], dtype={column: "string"})[column]
    return col.dropna().astype(str).tolist()


def _read_shared(sources) -> list[str] | None:
    if not SHARED_DATASETS.is_dir():
        return None
    texts: list[str] = []
    for pattern, column in sources:
        for path in sorted(SHARED_DATASETS.glob(pattern)):
            texts.extend(_texts(path, column))
    return texts or None


def benchmark_source() -> str:
    """Where :func:`load_benchmark_posts` reads from (for benchmark reports)."""
    if SHARED_DATASETS.is_dir():
        return f"shared datasets ({SHARED_DATASETS})"
    return "project sample files, recombined (shared datasets absent)"


def vihsd_posts() -> list[str] | None:
    """All ViHSD comments (train + dev + test, NaN dropped), or None when absent."""
    return _read_shared(_VIHSD)


def load_benchmark_posts(n: int, seed: int = 0) -> list[str]:
    """``n`` real posts, shuffled with ``seed``.

    From the shared datasets (ViHSD, ViSpamReviews, ReINTEL) when present: a random
    sample of ``n`` posts, or every post in shuffled rounds when ``n`` is larger than
    the pool. Otherwise the project's sample posts, with their sentences recombined
    into new posts until there are ``n``.
    """
    if n <= 0:
        return []
    rng = random.Random(seed)
    pool = _read_shared(_SHARED_SOURCES)
    if pool is not None:
        if n <= len(pool):
            return rng.sample(pool, n)
        out: list[str] = []
        while len(out) < n:
            out.extend(rng.sample(pool, min(len(pool), n - len(out))))
        return out
    return _recombined_local(n, rng)


def _recombined_local(n: int, rng: random.Random) -> list[str]:
    posts: list[str] = []
    for path in _LOCAL_SOURCES:
        if path.is_file():
            posts.extend(_texts(path, "text"))
    if not posts:
        raise FileNotFoundError(
            f"no benchmark posts: neither {SHARED_DATASETS} nor the sample files "
            f"{', '.join(str(p) for p in _LOCAL_SOURCES)} exist."
        )
    sentences = [s for p in posts for s in _SENTENCE_END.split(p) if s.strip()]
    out = rng.sample(posts, min(n, len(posts)))
    while len(out) < n:
        k = rng.randint(1, 4)
        out.append(" ".join(rng.choice(sentences) for _ in range(k)))
    return out
