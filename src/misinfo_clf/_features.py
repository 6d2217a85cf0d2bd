"""build_pipeline: views -> TF-IDF features -> linear classifier -> calibration.

Classes here are saved inside models: keep their import path stable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from ._numbers import MAX_COUNT, count, counts
from .text import TOKEN_MODES, TextViews
from .text._tokenize import Mode

__all__ = [
    "build_pipeline",
    "NumericMetadata",
    "CompactTfidfVectorizer",
    "CharWBAnalyzer",
    "GatedClassifier",
    "CLASSIFIERS",
]

CLASSIFIERS = ("logreg", "linear_svm", "sgd", "complement_nb")


class NumericMetadata(TransformerMixin, BaseEstimator):
    """Counts such as likes, comments and shares as scaled ``log1p`` features.

    Values are coerced to numbers (text such as ``"1,2k"`` or ``"unknown"`` becomes
    missing) and negative values are clipped to 0. Values no count can take are
    missing too, row by row: infinities and NaN, numbers that overflow a float
    (``"1e400"``, ``10**400``), complex numbers and counts above :attr:`MAX_COUNT`
    (10^12: more than any post's likes or shares; pinned by
    tests/test_validation.py). A missing value is *unknown*, not
    evidence: it is replaced by the training median, so a post without metadata
    scores on its text alone instead of inheriting whatever made values go missing
    in the training data (in ReINTEL a missing comment count means "unreliable" 84%
    of the time: a scraping artefact that would flag every API call without counts).

    Parameters
    ----------
    columns : list of str
        Metadata columns to read. Absent columns are treated as missing.
    indicators : bool, default=False
        Add a 0/1 "missing" feature per column (lets the model learn from
        missingness; only when missingness means the same in production).
    """

    #: counts above this are data errors, read as missing (a class constant, not a
    #: parameter: saved models keep their state unchanged)
    MAX_COUNT = MAX_COUNT

    def __init__(self, columns: Sequence[str] = (), indicators: bool = False):
        self.columns = columns
        self.indicators = indicators

    def fit(self, X, y=None):
        logged = np.log1p(self._values(X))
        n_cols = len(self.columns)
        with np.errstate(all="ignore"):
            median = np.nanmedian(logged, axis=0) if len(logged) else np.zeros(n_cols)
            std = np.nanstd(logged, axis=0) if len(logged) else np.ones(n_cols)
        self.median_ = np.nan_to_num(np.atleast_1d(median), nan=0.0)
        self.scale_ = np.maximum(np.nan_to_num(np.atleast_1d(std), nan=1.0), 1e-6)
        self.n_features_in_ = n_cols
        return self

    def _values(self, X) -> np.ndarray:
        """(n, len(columns)) floats; accepts a DataFrame or a mapping of columns."""
        if not isinstance(X, pd.DataFrame | Mapping):
            X = pd.DataFrame(X, columns=list(self.columns))
        n = len(X) if isinstance(X, pd.DataFrame) else len(next(iter(X.values()), ()))
        cols = []
        for col in self.columns:
            if col in X:
                cols.append(_counts(np.asarray(X[col], dtype=object)))
            else:
                cols.append(np.full(n, np.nan))
        values = np.column_stack(cols) if cols else np.empty((n, 0))
        with np.errstate(invalid="ignore"):
            values[~(np.abs(values) <= self.MAX_COUNT)] = np.nan  # inf, NaN, absurd
        return np.where(values < 0, 0.0, values)

    def transform(self, X):
        check_is_fitted(self, "scale_")
        logged = np.log1p(self._values(X))
        missing = np.isnan(logged)
        filled = np.where(missing, self.median_, logged)
        out = (filled - self.median_) / self.scale_
        return np.hstack([out, missing.astype(float)]) if self.indicators else out

    def get_feature_names_out(self, input_features=None):
        names = [f"log1p_{c}" for c in self.columns]
        if self.indicators:
            names += [f"missing_{c}" for c in self.columns]
        return np.asarray(names, dtype=object)


# one rule for training and serving (misinfo_clf._numbers)
_count, _counts = count, counts


class CompactTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer`` that saves small, loads fast and saves the same bytes every time.

    Same parameters and results. After fitting it drops ``stop_words_`` (the
    terms cut by ``min_df``/``max_features``, only kept for introspection and
    often larger than the vocabulary), and it saves the vocabulary as one JSON
    string instead of a dict node per term, so a skops file with 10^5 terms loads
    in milliseconds instead of seconds.
    """

    def fit(self, raw_documents, y=None):
        super().fit(raw_documents, y)
        self.__dict__.pop("stop_words_", None)
        return self

    def fit_transform(self, raw_documents, y=None):
        X = super().fit_transform(raw_documents, y)
        self.__dict__.pop("stop_words_", None)
        return X

    def __getstate__(self):
        state = super().__getstate__().copy()
        # scikit-learn's cache of id(stop_words), meaningless in another process; saved,
        # it would make two saves of one model differ (tests/test_security.py)
        state.pop("_stop_words_id", None)
        vocab = state.pop("vocabulary_", None)
        if vocab is not None:
            terms = [None] * len(vocab)
            for term, j in vocab.items():
                terms[j] = term
            state["_vocabulary_json"] = json.dumps(terms, ensure_ascii=False)
        return state

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("_vocabulary_json", None)
        if terms is not None:
            state["vocabulary_"] = {t: j for j, t in enumerate(json.loads(terms))}
        super().__setstate__(state)


class CharWBAnalyzer:
    """Character n-grams inside word boundaries, as ``analyzer="char_wb"``, cached per word.

    scikit-learn builds ``char_wb`` n-grams in a Python loop over every character of
    every post; posts repeat the same words, so this analyzer computes each word's
    n-grams once and keeps them (bounded cache, not saved with the model). Output is
    identical to scikit-learn's ``char_wb`` (tested).

    Parameters
    ----------
    ngram_range : (int, int), default=(1, 5)
    """

    _MAX_CACHE = 1 << 15  # words; each holds ~20 n-grams: bounds memory (~40 MB)

    def __init__(self, ngram_range=(1, 5)):
        self.ngram_range = tuple(ngram_range)

    def _word(self, w: str) -> tuple[str, ...]:
        min_n, max_n = self.ngram_range
        w = " " + w + " "
        w_len = len(w)
        out: list[str] = []
        for n in range(min_n, max_n + 1):
            out.extend(w[i : i + n] for i in range(max(1, w_len - n + 1)))
            if w_len <= n:  # a short word counts once
                break
        return tuple(out)

    def __call__(self, doc: str) -> list[str]:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = self.__dict__.setdefault("_cache", {})
        out: list[str] = []
        for w in doc.split():
            grams = cache.get(w)
            if grams is None:
                grams = self._word(w)
                if len(cache) >= self._MAX_CACHE:
                    cache.clear()
                cache[w] = grams
            out.extend(grams)
        return out

    def __getstate__(self):
        return {"ngram_range": list(self.ngram_range)}

    def __setstate__(self, state):
        self.ngram_range = tuple(state["ngram_range"])

    def __eq__(self, other):
        return type(other) is type(self) and other.ngram_range == self.ngram_range

    def __hash__(self):
        return hash((type(self).__name__, self.ngram_range))

    def __repr__(self):
        return f"CharWBAnalyzer(ngram_range={self.ngram_range})"


class GatedClassifier(ClassifierMixin, BaseEstimator):
    """A classifier whose risk is damped on posts unlike the ones it was trained to judge.

    Misinformation corpora hold news-like posts, reliable or not; a review team's
    traffic is mostly ordinary chatter, reviews and questions, on which such a model
    is out of its domain (it learned, say, that informal posts are the unreliable
    ones). This estimator keeps two linear models over the same features:

    * ``estimator``, fitted on the in-domain rows only (``y != outside_label``): the
      in-domain ranking is exactly what it would be without everyday posts;
    * ``gate``, fitted on all rows to tell in-domain rows from ``outside_label`` rows:
      ``g(x) = P(in domain | x)``.

    The probability of every class but ``clean_label`` is multiplied by
    ``min(1, g(x) / gate_floor) ** alpha``: posts the gate recognises as in-domain
    (``g >= gate_floor``) keep the estimator's probabilities; ordinary posts lose
    their risk. ``classes_`` are the estimator's: ``outside_label`` is a training
    label only.

    Parameters
    ----------
    estimator : classifier with predict_proba
        The in-domain model (e.g. calibrated logistic regression).
    gate : binary classifier with predict_proba, or None
        The domain model; fitted on ``y != outside_label``. ``None``: no gate (the
        ``outside_label`` rows then only inform ``style_prior``).
    clean_label : str or None
        The negative class of ``estimator``, which receives the damped mass (not
        needed without a gate).
    outside_label : str, default="ordinary"
        The label of the everyday rows in ``y``.
    gate_floor : float, default=0.1
    alpha : float, default=1.0
    style_prior : float, default=0.0
        Strength ``beta`` of a prior against the style of everyday posts in the
        in-domain model. Each feature is scaled by ``exp(-beta * df)`` while
        ``estimator`` is fitted, ``df`` being the share of ``outside_label`` rows the
        feature occurs in; the scale is then folded into the fitted coefficients, so
        predictions read the unscaled features. For an L2-penalised linear model this
        is the same as multiplying the penalty on each weight by ``exp(2 * beta *
        df)``: words every ordinary post uses ("thì", "mọi người", "nhé") need far
        stronger evidence to earn weight than the words of a claim. ``0`` fits the
        estimator on the features as they are. Needs a linear estimator (``coef_``,
        possibly inside a calibration).
    style_exempt : int, default=0
        The last ``style_exempt`` feature columns (numeric metadata, which every post
        has) are not scaled.

    Attributes
    ----------
    estimator_, gate_ : the fitted models
    classes_ : ndarray
    """

    def __init__(
        self,
        estimator,
        gate,
        *,
        clean_label,
        outside_label="ordinary",
        gate_floor=0.1,
        alpha=1.0,
        style_prior=0.0,
        style_exempt=0,
    ):
        self.estimator = estimator
        self.gate = gate
        self.clean_label = clean_label
        self.outside_label = outside_label
        self.gate_floor = gate_floor
        self.alpha = alpha
        self.style_prior = style_prior
        self.style_exempt = style_exempt

    def fit(self, X, y, sample_weight=None):
        y = np.asarray(y, dtype=object).astype(str)
        inside = y != str(self.outside_label)
        if inside.all() or not inside.any():
            raise ValueError(
                f"GatedClassifier needs rows labelled {self.outside_label!r} and other rows; "
                f"got {int((~inside).sum())} and {int(inside.sum())}."
            )
        if not 0 < self.gate_floor <= 1:
            raise ValueError(f"gate_floor must be in (0, 1], got {self.gate_floor!r}.")
        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        idx = np.flatnonzero(inside)
        if not (isinstance(self.style_prior, int | float) and self.style_prior >= 0):
            raise ValueError(f"style_prior must be a number >= 0, got {self.style_prior!r}.")
        X_in = X[idx] if not isinstance(X, pd.DataFrame) else X.iloc[idx]
        kw = {} if sw is None else {"sample_weight": sw[idx]}
        if self.style_prior:
            out = np.flatnonzero(~inside)
            X_out = X[out] if not isinstance(X, pd.DataFrame) else X.iloc[out]
            scale = style_scale(X_out, self.style_prior)
            if self.style_exempt:
                scale[-int(self.style_exempt) :] = 1.0
            self.estimator_ = clone(self.estimator).fit(_scale_columns(X_in, scale), y[idx], **kw)
            _fold_scale(self.estimator_, scale)
        else:
            self.estimator_ = clone(self.estimator).fit(X_in, y[idx], **kw)
        classes = [str(c) for c in self.estimator_.classes_]
        if self.gate is not None and str(self.clean_label) not in classes:
            raise ValueError(
                f"clean_label {self.clean_label!r} is not one of the classes {classes}."
            )
        kw = {} if sw is None else {"sample_weight": sw}
        self.gate_ = (
            None if self.gate is None else clone(self.gate).fit(X, inside.astype(int), **kw)
        )
        self.classes_ = self.estimator_.classes_
        return self

    @property
    def calibrated_classifiers_(self):
        """The estimator's (so explanations read the in-domain model's weights)."""
        return self.estimator_.calibrated_classifiers_

    def damping(self, X) -> np.ndarray:
        """``min(1, g / gate_floor) ** alpha`` per row."""
        check_is_fitted(self, "estimator_")
        if self.gate_ is None:
            return np.ones(X.shape[0])
        g = self.gate_.predict_proba(X)[:, 1]
        return damp(g, self.gate_floor, self.alpha)

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        proba = np.array(self.estimator_.predict_proba(X), dtype=np.float64)
        if self.gate_ is None:
            return proba
        return apply_damping(proba, self.damping(X), self.clean_index_)

    @property
    def clean_index_(self) -> int:
        return [str(c) for c in self.classes_].index(str(self.clean_label))

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def style_scale(X_outside, beta: float) -> np.ndarray:
    """``exp(-beta * df)`` per column, ``df`` the share of rows of ``X_outside`` using it."""
    if sp.issparse(X_outside):
        used = np.asarray((X_outside != 0).sum(axis=0), dtype=np.float64).ravel()
    else:
        used = (np.asarray(X_outside) != 0).sum(axis=0).astype(np.float64)
    return np.exp(-float(beta) * used / max(1, X_outside.shape[0]))


def _scale_columns(X, scale: np.ndarray):
    if sp.issparse(X):
        return sp.csr_matrix(X) @ sp.diags(scale)
    return np.asarray(X, dtype=np.float64) * scale


def _fold_scale(estimator, scale: np.ndarray) -> None:
    """Fold a column scale into fitted linear weights: ``(X * s) @ w == X @ (s * w)``."""
    inner = [cc.estimator for cc in getattr(estimator, "calibrated_classifiers_", [])] or [
        estimator
    ]
    for est in inner:
        if not hasattr(est, "coef_"):
            raise ValueError(
                f"style_prior needs a linear classifier with coef_; got {type(est).__name__}."
            )
        est.coef_ = np.asarray(est.coef_, dtype=np.float64) * scale[None, :]


def damp(g: np.ndarray, floor: float, alpha: float) -> np.ndarray:
    """The gate's factor on risk: ``min(1, g / floor) ** alpha``."""
    return np.minimum(1.0, np.asarray(g, dtype=np.float64) / floor) ** alpha


def apply_damping(proba: np.ndarray, factor: np.ndarray, clean: int) -> np.ndarray:
    """Multiply every class but ``clean`` by ``factor`` (per row); ``clean`` takes the rest."""
    out = proba * factor[:, None]
    out[:, clean] = 0.0
    out[:, clean] = 1.0 - out.sum(axis=1)
    return out


def _classifier(name: str, C: float, class_weight, random_state: int):
    if name == "logreg":
        return LogisticRegression(
            C=C, class_weight=class_weight, max_iter=3000, random_state=random_state
        )
    if name == "linear_svm":
        return LinearSVC(C=C, class_weight=class_weight, random_state=random_state)
    if name == "sgd":
        return SGDClassifier(
            loss="modified_huber",
            alpha=1.0 / (C * 10000.0),
            class_weight=class_weight,
            max_iter=50,
            tol=1e-4,
            random_state=random_state,
        )
    if name == "complement_nb":
        return ComplementNB(alpha=1.0 / C)
    raise ValueError(f"classifier must be one of {CLASSIFIERS}, got {name!r}.")


def build_pipeline(
    *,
    tokenizer: Mode = "syllable",
    word_ngrams: tuple[int, int] = (1, 2),
    char_ngrams: tuple[int, int] | None = (1, 5),
    accent_view: bool = True,
    accent_chars: bool = False,
    classifier: str = "logreg",
    C: float = 4.0,
    class_weight: str | dict | None = "balanced",
    calibration: str | None = "sigmoid",
    calibration_cv: int = 3,
    metadata: Sequence[str] = (),
    min_df: int = 2,
    max_features: int | None = 400_000,
    sublinear_tf: bool = True,
    teencode: bool = True,
    text_col: str = "text",
    random_state: int = 0,
    gate: Mapping | None = None,
    style_prior: float = 0.0,
    outside_label: str = "ordinary",
) -> Pipeline:
    """Build a TF-IDF + linear pipeline that reads raw posts.

    Everything from raw text to probability is inside the returned pipeline:
    normalization and tokenization (:class:`~misinfo_clf.text.TextViews`), TF-IDF on
    token n-grams, on the accent-stripped tokens and on character n-grams, optional
    numeric metadata, a linear classifier and probability calibration.

    Parameters
    ----------
    tokenizer : {"syllable", "word"}, default="syllable"
        ``"word"`` uses underthesea's segmenter: slower, sometimes more accurate.
    word_ngrams : (int, int), default=(1, 2)
        n-gram range over tokens (and over accent-stripped tokens).
    char_ngrams : (int, int) or None, default=(1, 5)
        n-gram range over characters inside word boundaries; ``None`` to disable.
    accent_view : bool, default=True
        Add n-grams of the accent-stripped tokens, so that posts typed without
        accents score like accented ones.
    accent_chars : bool, default=False
        Also add character n-grams (``char_ngrams``) of the accent-stripped tokens.
    classifier : {"logreg", "linear_svm", "sgd", "complement_nb"}, default="logreg"
    C : float, default=4.0
        Inverse regularization strength (``alpha = 1/C`` for naive Bayes).
    class_weight : "balanced", dict or None, default="balanced"
        Class weights for imbalanced labels (ignored by naive Bayes).
    calibration : {"sigmoid", "isotonic"} or None, default="sigmoid"
        Calibrate probabilities with ``CalibratedClassifierCV(ensemble=False)``.
        Required for ``linear_svm`` (which has no probabilities).
    calibration_cv : int, default=3
        Folds used to fit the calibrator.
    metadata : sequence of str, default=()
        Numeric columns (e.g. ``num_like_post``) read by :class:`NumericMetadata`.
        The pipeline then expects a DataFrame with ``text_col`` and these columns.
    min_df, max_features, sublinear_tf
        Passed to every ``TfidfVectorizer``.
    teencode : bool, default=True
        Expand teencode during normalization.
    text_col : str, default="text"
        Text column when the input is a DataFrame.
    random_state : int, default=0
        Seed of the classifier and of the calibration folds.
    gate : mapping, optional
        Wrap the classifier in a :class:`GatedClassifier`: ``{"clean_label": ...,
        "outside_label": "ordinary", "C": 1.0, "floor": 0.1, "alpha": 1.0,
        "style_prior": 0.0}``. Rows labelled ``outside_label`` (everyday posts) then
        only train the gate, a calibrated logistic regression over the same features,
        and, with ``style_prior``, tell the in-domain model which words are everyday
        style.
    style_prior : float, default=0.0
        Without ``gate``: wrap the classifier in a :class:`GatedClassifier` with no gate
        and this style prior (rows labelled ``outside_label`` say which words are
        everyday style; they are not training rows). With ``gate``: the default for the
        gate's own ``style_prior``.
    outside_label : str, default="ordinary"
        The label of everyday rows for ``style_prior`` (without ``gate``).

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``views``, ``features`` and ``clf``.

    Examples
    --------
    >>> from misinfo_clf import build_pipeline
    >>> pipe = build_pipeline(char_ngrams=None, calibration=None, min_df=1)
    >>> pipe = pipe.fit(["chanh nóng chữa ung thư", "trời hôm nay đẹp"] * 3, [1, 0] * 3)
    >>> pipe.predict(["uong chanh nong chua ung thu"]).tolist()
    [1]
    """
    if tokenizer not in TOKEN_MODES:
        raise ValueError(f"tokenizer must be one of {TOKEN_MODES}, got {tokenizer!r}.")
    if classifier not in CLASSIFIERS:
        raise ValueError(f"classifier must be one of {CLASSIFIERS}, got {classifier!r}.")
    if calibration not in (None, "sigmoid", "isotonic"):
        raise ValueError(f"calibration must be 'sigmoid', 'isotonic' or None, got {calibration!r}.")
    if classifier == "linear_svm" and calibration is None:
        raise ValueError("classifier='linear_svm' has no probabilities: set calibration='sigmoid'.")

    def tfidf(**kw):
        return CompactTfidfVectorizer(
            lowercase=False,
            min_df=min_df,
            max_features=max_features,
            sublinear_tf=sublinear_tf,
            dtype=np.float64,
            **kw,
        )

    #: (name, transformer, column or columns), as ColumnTransformer takes them
    parts: list[tuple[str, Any, str | list[str]]] = [
        ("tokens", tfidf(token_pattern=r"\S+", ngram_range=tuple(word_ngrams)), "tokens")
    ]
    if accent_view:
        parts.append(
            ("plain", tfidf(token_pattern=r"\S+", ngram_range=tuple(word_ngrams)), "plain")
        )
    if char_ngrams is not None:
        parts.append(("chars", tfidf(analyzer=CharWBAnalyzer(char_ngrams)), "text"))
        if accent_chars:
            parts.append(("plain_chars", tfidf(analyzer=CharWBAnalyzer(char_ngrams)), "plain"))
    if metadata:
        parts.append(("meta", NumericMetadata(columns=list(metadata)), list(metadata)))
    features = ColumnTransformer(parts, remainder="drop", sparse_threshold=1.0)

    clf = _classifier(classifier, C, class_weight, random_state)
    if calibration is not None:
        from sklearn.model_selection import StratifiedKFold

        cv = StratifiedKFold(n_splits=calibration_cv, shuffle=True, random_state=random_state)
        clf = CalibratedClassifierCV(clf, method=calibration, cv=cv, ensemble=False)
    if gate is not None or style_prior:
        clf = _gated(
            clf,
            gate,
            style_prior=style_prior,
            outside_label=outside_label,
            style_exempt=len(metadata),
            random_state=random_state,
        )
    views = TextViews(mode=tokenizer, teencode=teencode, text_col=text_col)
    return Pipeline([("views", views), ("features", features), ("clf", clf)])


GATE_KEYS = {"clean_label", "outside_label", "C", "floor", "alpha", "style_prior"}


def _gated(
    clf,
    gate: Mapping | None,
    *,
    style_prior: float,
    outside_label: str,
    style_exempt: int,
    random_state: int,
) -> GatedClassifier:
    """``clf`` inside a GatedClassifier: with the domain gate the ``gate`` table describes
    (its keys override ``style_prior`` and ``outside_label``), or with no gate (a style
    prior only)."""
    from sklearn.model_selection import StratifiedKFold

    if gate is None:
        return GatedClassifier(
            clf,
            None,
            clean_label=None,
            outside_label=outside_label,
            style_prior=style_prior,
            style_exempt=style_exempt,
        )
    unknown = sorted(set(gate) - GATE_KEYS)
    if unknown or "clean_label" not in gate:
        raise ValueError(
            f"gate must be a mapping with clean_label and optional keys {sorted(GATE_KEYS)}; "
            f"got {dict(gate)}."
        )
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=random_state)
    domain = CalibratedClassifierCV(
        LogisticRegression(
            C=float(gate.get("C", 1.0)),
            class_weight="balanced",
            max_iter=3000,
            random_state=random_state,
        ),
        method="sigmoid",
        cv=cv,
        ensemble=False,
    )
    return GatedClassifier(
        clf,
        domain,
        clean_label=str(gate["clean_label"]),
        outside_label=str(gate.get("outside_label", outside_label)),
        gate_floor=float(gate.get("floor", 0.1)),
        alpha=float(gate.get("alpha", 1.0)),
        style_prior=float(gate.get("style_prior", style_prior)),
        style_exempt=style_exempt,
    )
