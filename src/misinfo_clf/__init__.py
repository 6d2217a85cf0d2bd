"""misinfo_clf: flag likely false or harmful Vietnamese posts for human review."""

from ._version import __version__
from .text import (
    TextViews,
    VietnameseNormalizer,
    VietnameseTokenizer,
    normalize_text,
    strip_accents,
    tokenize,
)

__all__ = [
    "__version__",
    "TextViews",
    "VietnameseNormalizer",
    "VietnameseTokenizer",
    "normalize_text",
    "strip_accents",
    "tokenize",
]
