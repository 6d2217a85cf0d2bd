"""misinfo_clf: flag likely false or harmful Vietnamese posts for human review.

The model triages for people; it never decides alone. Every prediction carries a
score, a decision band (flag / review / pass; abstain for a post with no text) and the
words that caused it.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from ._version import __version__

# Public names are imported on first use: ``import misinfo_clf`` and ``load_model()``
# need neither scikit-learn nor pandas (serving reads plain arrays); training,
# evaluation and batch scoring import them when called.
_NAMES = {
    "compare": "._compare",
    "evaluate": "._evaluate",
    "substitute_teencode": "._evaluate",
    "Reason": "._explain",
    "highlight_html": "._explain",
    "build_pipeline": "._features",
    "InputError": "._formats",
    "read_dataset": "._io",
    "read_table": "._io",
    "find_label_issues": "._label_issues",
    "ReviewHeads": "._label_studio",
    "export_label_studio": "._label_studio",
    "import_label_studio": "._label_studio",
    "read_reviewed": "._label_studio",
    "write_reviewed": "._label_studio",
    "Head": "._model",
    "HeadResult": "._model",
    "Model": "._model",
    "Prediction": "._model",
    "score_frame": "._model",
    "ModelFileError": "._persist",
    "UntrustedTypesError": "._persist",
    "load_model": "._persist",
    "save_model": "._persist",
    "build_queue": "._queue",
    "queue_from_scored": "._review_page",
    "read_queue": "._review_page",
    "render_review_page": "._review_page",
    "write_review_page": "._review_page",
    "band_precision": "._reviewed",
    "Decision": "._thresholds",
    "Thresholds": "._thresholds",
    "choose_thresholds": "._thresholds",
    "cross_validate": "._train",
    "train": "._train",
    "tune_thresholds": "._tune",
    "model_from_pipelines": "._wrap",
    "score_file": ".batch",
    "TextViews": ".text",
    "VietnameseNormalizer": ".text",
    "VietnameseTokenizer": ".text",
    "normalize_text": ".text",
    "strip_accents": ".text",
    "tokenize": ".text",
}


def __getattr__(name: str):
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'misinfo_clf' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_NAMES))


if TYPE_CHECKING:  # pragma: no cover
    from ._compare import compare
    from ._evaluate import evaluate, substitute_teencode
    from ._explain import Reason, highlight_html
    from ._features import build_pipeline
    from ._formats import InputError
    from ._io import read_dataset, read_table
    from ._label_issues import find_label_issues
    from ._label_studio import (
        ReviewHeads,
        export_label_studio,
        import_label_studio,
        read_reviewed,
        write_reviewed,
    )
    from ._model import Head, HeadResult, Model, Prediction, score_frame
    from ._persist import ModelFileError, UntrustedTypesError, load_model, save_model
    from ._queue import build_queue
    from ._review_page import queue_from_scored, read_queue, render_review_page, write_review_page
    from ._reviewed import band_precision
    from ._thresholds import Decision, Thresholds, choose_thresholds
    from ._train import cross_validate, train
    from ._tune import tune_thresholds
    from ._wrap import model_from_pipelines
    from .batch import score_file
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
    "InputError",
    "Model",
    "ModelFileError",
    "Prediction",
    "Reason",
    "ReviewHeads",
    "TextViews",
    "Thresholds",
    "UntrustedTypesError",
    "VietnameseNormalizer",
    "VietnameseTokenizer",
    "band_precision",
    "build_pipeline",
    "compare",
    "export_label_studio",
    "import_label_studio",
    "queue_from_scored",
    "read_queue",
    "read_reviewed",
    "write_reviewed",
    "find_label_issues",
    "highlight_html",
    "build_queue",
    "choose_thresholds",
    "cross_validate",
    "evaluate",
    "load_model",
    "model_from_pipelines",
    "normalize_text",
    "read_dataset",
    "read_table",
    "render_review_page",
    "save_model",
    "score_file",
    "score_frame",
    "strip_accents",
    "substitute_teencode",
    "tokenize",
    "train",
    "tune_thresholds",
    "write_review_page",
]
