"""scikit-learn transformers for Vietnamese text.

These classes are saved inside models: keep their import path
(``misinfo_clf.text._transformers``) and parameter names stable.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from ._chars import strip_accents
from ._normalize import normalize_text
from ._tokenize import TOKEN_MODES, Mode, tokenize
from ._views import views_of

__all__ = ["VietnameseNormalizer", "VietnameseTokenizer", "TextViews", "VIEW_COLUMNS"]

#: columns that :class:`TextViews` adds
VIEW_COLUMNS = ("text", "tokens", "plain")


def _check_documents(X, what: str = "raw text documents") -> None:
    if isinstance(X, str | bytes):
        raise ValueError(f"Iterable over {what} expected, {type(X).__name__} object received.")
    if not isinstance(X, Iterable) and not hasattr(X, "__len__"):
        raise TypeError(f"Iterable over {what} expected, got {type(X).__name__}.")


class VietnameseNormalizer(TransformerMixin, BaseEstimator):
    """Transform raw posts into their canonical form (:func:`normalize_text`).

    Stateless: ``fit`` learns nothing.

    Parameters
    ----------
    teencode : bool, default=True
        Expand teencode and abbreviations.

    Examples
    --------
    >>> from misinfo_clf.text import VietnameseNormalizer
    >>> VietnameseNormalizer().fit_transform(["Hoà bình ko?"])
    ['hòa bình không?']
    """

    def __init__(self, teencode: bool = True):
        self.teencode = teencode

    def fit(self, X, y=None):
        _check_documents(X)
        return self

    def transform(self, X) -> list[str]:
        _check_documents(X)
        return [normalize_text(x, teencode=self.teencode) for x in X]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


class VietnameseTokenizer(TransformerMixin, BaseEstimator):
    """Transform canonical texts into space-joined tokens.

    The output feeds ``TfidfVectorizer(token_pattern=r"\\S+", lowercase=False)``.

    Parameters
    ----------
    mode : {"syllable", "word"}, default="syllable"
        See :func:`~misinfo_clf.text.tokenize`.
    strip_accents : bool, default=False
        Return the accent-free view of the tokens (``đường`` to ``duong``).

    Examples
    --------
    >>> from misinfo_clf.text import VietnameseTokenizer
    >>> VietnameseTokenizer(strip_accents=True).fit_transform(["đường phố!"])
    ['duong pho !']
    """

    def __init__(self, mode: Mode = "syllable", strip_accents: bool = False):
        self.mode = mode
        self.strip_accents = strip_accents

    def fit(self, X, y=None):
        _check_documents(X, "normalized text documents")
        if self.mode not in TOKEN_MODES:
            raise ValueError(f"mode must be one of {TOKEN_MODES}, got {self.mode!r}.")
        return self

    def transform(self, X) -> list[str]:
        _check_documents(X, "normalized text documents")
        out = [" ".join(tokenize(x, self.mode)) for x in X]
        if self.strip_accents:
            out = [strip_accents(x) for x in out]
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


class TextViews(TransformerMixin, BaseEstimator):
    """Normalize and tokenize posts once; return every view the features read.

    Parameters
    ----------
    mode : {"syllable", "word"}, default="syllable"
        Tokenization mode.
    teencode : bool, default=True
        Expand teencode and abbreviations.
    text_col : str, default="text"
        Column holding the post when ``X`` is a DataFrame.

    Returns (from ``transform``)
    ---------------------------
    pandas.DataFrame
        Columns ``text`` (canonical text), ``tokens`` (space-joined tokens) and
        ``plain`` (the tokens without accents), then every other column of ``X``
        (numeric metadata such as ``num_like_post``) unchanged.

    Examples
    --------
    >>> from misinfo_clf.text import TextViews
    >>> TextViews().fit_transform(["Đường phố ko sạch =))"]).iloc[0].to_dict()
    {'text': 'đường phố không sạch =))', 'tokens': 'đường phố không sạch =))', \
'plain': 'duong pho khong sach =))'}
    """

    def __init__(self, mode: Mode = "syllable", teencode: bool = True, text_col: str = "text"):
        self.mode = mode
        self.teencode = teencode
        self.text_col = text_col

    def _split(self, X) -> tuple[list, pd.DataFrame | None]:
        if isinstance(X, pd.DataFrame):
            if self.text_col not in X.columns:
                raise KeyError(
                    f"text column {self.text_col!r} not found; columns are {list(X.columns)}."
                )
            rest = X.drop(columns=[self.text_col]).reset_index(drop=True)
            return X[self.text_col].tolist(), rest
        _check_documents(X)
        if isinstance(X, np.ndarray) and X.ndim != 1:
            raise ValueError(f"expected a 1-D array of texts, got shape {X.shape}.")
        return list(X), None

    def fit(self, X, y=None):
        if self.mode not in TOKEN_MODES:
            raise ValueError(f"mode must be one of {TOKEN_MODES}, got {self.mode!r}.")
        self._split(X)
        return self

    def transform(self, X) -> pd.DataFrame:
        texts, rest = self._split(X)
        views = pd.DataFrame(self.views_of(texts))
        if rest is not None and len(rest.columns):
            views = pd.concat(
                [views, rest.drop(columns=list(VIEW_COLUMNS), errors="ignore")], axis=1
            )
        return views

    def views_of(self, texts: list) -> dict[str, list[str]]:
        """The views of raw texts as a dict of lists (no DataFrame: cheaper for one post)."""
        return views_of(texts, self.mode, self.teencode)

    def get_feature_names_out(self, input_features=None):
        return np.asarray(VIEW_COLUMNS, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.requires_fit = False
        return tags
