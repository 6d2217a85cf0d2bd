"""Vietnamese text: canonical form with offsets, accents, teencode, tokenization."""

from ._chars import old_style_tones, strip_accents
from ._normalize import PLACEHOLDERS, NormalizedText, normalize_text, normalize_with_offsets
from ._teencode import load_teencode
from ._tokenize import TOKEN_MODES, tokenize, tokenize_with_spans

_TRANSFORMERS = ("TextViews", "VietnameseNormalizer", "VietnameseTokenizer")


def __getattr__(name: str):
    # the scikit-learn transformers import scikit-learn: only when asked for
    if name in _TRANSFORMERS:
        from . import _transformers

        return getattr(_transformers, name)
    raise AttributeError(f"module 'misinfo_clf.text' has no attribute {name!r}")


__all__ = [
    "PLACEHOLDERS",
    "TOKEN_MODES",
    "NormalizedText",
    "TextViews",
    "VietnameseNormalizer",
    "VietnameseTokenizer",
    "load_teencode",
    "normalize_text",
    "normalize_with_offsets",
    "old_style_tones",
    "strip_accents",
    "tokenize",
    "tokenize_with_spans",
]
