"""misinfo_clf: flag likely false or harmful Vietnamese posts for human review.

The model triages for people; it never decides alone. Every prediction carries a
score, a decision band (flag / review / pass) and the words that caused it.
"""

from ._explain import Reason
from ._features import build_pipeline
from ._model import Head, HeadResult, Model, Prediction, score_frame
from ._persist import ModelFileError, UntrustedTypesError, load_model, save_model
from ._thresholds import Decision, Thresholds, choose_thresholds
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
    "Decision",
    "Head",
    "HeadResult",
    "Model",
    "ModelFileError",
    "Prediction",
    "Reason",
    "TextViews",
    "Thresholds",
    "UntrustedTypesError",
    "VietnameseNormalizer",
    "VietnameseTokenizer",
    "build_pipeline",
    "choose_thresholds",
    "load_model",
    "normalize_text",
    "save_model",
    "score_frame",
    "strip_accents",
    "tokenize",
]
