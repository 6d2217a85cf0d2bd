"""The serving form (misinfo_clf._serving) equals the scikit-learn pipeline it was compiled
from, on the shipped model and on every classifier/calibration the config offers; outputs
do not depend on chunk size; reasons equal the pre-serving implementation (oracle)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reasons_oracle import explain_rows as oracle_reasons

from misinfo_clf import Head, Model, build_pipeline, load_model
from misinfo_clf._serving import compile_head

META = ["num_like_post", "num_comment_post", "num_share_post"]


@pytest.fixture(scope="module")
def default_model():
    return load_model()


@pytest.fixture(scope="module")
def posts(sample_corpus_path, example_dump_path) -> pd.DataFrame:
    """Sample corpus and example dump posts (with a letter), with varied metadata cells."""
    texts = pd.read_csv(sample_corpus_path)["text"].tolist()
    texts += pd.read_csv(example_dump_path, dtype=str, keep_default_na=False)["text"].tolist()
    texts = [t for t in texts if isinstance(t, str) and any(c.isalpha() for c in t)]
    n = len(texts)
    return pd.DataFrame(
        {
            "text": texts,
            "num_like_post": [str(i * 7) if i % 3 else "" for i in range(n)],
            "num_comment_post": [str(i) if i % 5 else "1,2k" for i in range(n)],
            "num_share_post": ["" if i % 2 else "-4" for i in range(n)],
        }
    )


def _serving_proba(model: Model, head: Head, df: pd.DataFrame) -> np.ndarray:
    views = model.views.views_of(df["text"].tolist())
    views.update({c: df[c].tolist() for c in head.metadata if c in df})
    return head.serving.predict_proba(head.serving.features(views))


def test_every_shipped_head_equals_its_pipeline(default_model, posts):
    for name, head in default_model.heads.items():
        want = head.pipeline.predict_proba(posts)
        got = _serving_proba(default_model, head, posts)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12, err_msg=name)


def test_shipped_model_predict_frame_equals_the_pipelines(default_model, posts):
    out = default_model.predict_frame(posts, explain=False)
    scored = (out["decision"] != "abstain").to_numpy()  # a post of only links is not scored
    assert scored.mean() > 0.95
    for name, head in default_model.heads.items():
        want = 1.0 - head.pipeline.predict_proba(posts)[:, head.labels.index(head.clean_label)]
        got = out[f"{name}_prob"].to_numpy()
        np.testing.assert_allclose(got[scored], want[scored], rtol=0, atol=1e-12, err_msg=name)


KINDS = [
    pytest.param(clf, cal, id=f"{clf}-{cal}")
    for clf in ("logreg", "linear_svm", "sgd", "complement_nb")
    for cal in ("sigmoid", "isotonic", None)
    if not (clf == "linear_svm" and cal is None)
]


@pytest.fixture(scope="module")
def corpus(sample_corpus_path) -> pd.DataFrame:
    return pd.read_csv(sample_corpus_path)


@pytest.mark.parametrize(("classifier", "calibration"), KINDS)
@pytest.mark.parametrize("target", ["misinformation", "harmful"], ids=["binary", "multiclass"])
def test_small_heads_of_every_kind_equal_their_pipeline(
    corpus, posts, classifier, calibration, target
):
    pipe = build_pipeline(
        classifier=classifier,
        calibration=calibration,
        min_df=1,
        char_ngrams=(2, 4),
        accent_chars=True,
        metadata=[] if classifier == "complement_nb" else ["num_like_post"],  # NB: counts only
        word_ngrams=(1, 3),
    )
    X = corpus[["text"]].assign(num_like_post=[str(i % 17) for i in range(len(corpus))])
    pipe.fit(X, corpus[target].astype(str))
    serving = compile_head(pipe)
    views = pipe.named_steps["views"].views_of(posts["text"].tolist())
    views["num_like_post"] = posts["num_like_post"].tolist()
    got = serving.predict_proba(serving.features(views))
    np.testing.assert_allclose(got, pipe.predict_proba(posts), rtol=0, atol=1e-12)
    if calibration is not None:  # label_rule="balanced" reads the base estimator
        base = pipe.named_steps["clf"].calibrated_classifiers_[0].estimator
        features = pipe[:-1].transform(posts)
        want = base.predict(features).astype(str)
        feats = serving.features(views)
        assert serving.predict_base(feats).tolist() == want.tolist()
        # both from one product X @ coef, as Model._score takes them
        proba, labels = serving.predict_proba_and_base(feats)
        assert np.array_equal(proba, got) and labels.tolist() == want.tolist()


@pytest.mark.parametrize(
    "options",
    [
        {"gate": {"clean_label": "reliable", "floor": 0.3}},
        {"gate": {"clean_label": "reliable", "floor": 0.3, "style_prior": 2.0}},
        {"style_prior": 2.0},
    ],
    ids=["gate", "gate-style-prior", "style-prior-only"],
)
def test_gated_head_equals_its_pipeline(corpus, posts, options):
    y = corpus["misinformation"].map({0: "reliable", 1: "unreliable"}).to_numpy(dtype=object)
    y[::4] = "ordinary"
    pipe = build_pipeline(min_df=1, **options).fit(corpus[["text"]], y)
    serving = compile_head(pipe)
    assert (serving.gate is not None) == ("gate" in options)
    views = pipe.named_steps["views"].views_of(posts["text"].tolist())
    got = serving.predict_proba(serving.features(views))
    np.testing.assert_allclose(got, pipe.predict_proba(posts[["text"]]), rtol=0, atol=1e-12)
    assert np.array_equal(serving.predict_proba_and_base(serving.features(views))[0], got)


def test_a_pipeline_not_from_build_pipeline_is_refused_with_its_step():
    from sklearn.feature_extraction.text import TfidfVectorizer

    pipe = build_pipeline(min_df=1, char_ngrams=None, accent_view=False)
    pipe.named_steps["features"].transformers[0] = ("tokens", TfidfVectorizer(), "tokens")
    pipe.fit(["một hai ba", "bốn năm sáu"] * 3, [0, 1] * 3)
    with pytest.raises(ValueError, match="block 'tokens'.*not served"):
        compile_head(pipe)


def test_outputs_do_not_depend_on_chunk_size(default_model, posts):
    whole = default_model.predict_frame(posts)
    for size in (1, 7, 100):
        parts = [
            default_model.predict_frame(posts.iloc[i : i + size])
            for i in range(0, len(posts), size)
        ]
        # (check_dtype: pandas infers str or object for a label column by its values)
        pd.testing.assert_frame_equal(pd.concat(parts), whole, check_exact=True, check_dtype=False)


@pytest.mark.parametrize("which", ["shipped", "small"])
def test_reasons_equal_the_pre_serving_implementation(which, default_model, small_model_dir, posts):
    model = default_model if which == "shipped" else load_model(small_model_dir)
    texts = posts["text"].tolist()
    res = model._score(texts, posts, None, False, 5, keep_features=True)
    views = model.views.views_of(texts)
    from misinfo_clf._explain import explain_rows

    got = explain_rows(model, texts, views, res)
    want = oracle_reasons(model, texts, res, stable=which == "small")
    assert sum(bool(r) for r in want) > 20  # the check compares real reasons
    assert got == want


# -- counting a chunk with integer codes (NgramIndex) equals scikit-learn's counts -----------

_WORDS = ["mày", "ngu", "quá", "nhận", "quà", "a", "ở", "🙂", "x\u0301", "\ud800", "1tr", "ok"]
_docs = st.lists(
    st.lists(st.sampled_from(_WORDS) | st.text(min_size=1, max_size=3), max_size=8).map(" ".join),
    min_size=2,
    max_size=12,
)


def _block_from(vectorizer, kind: str, column: str):
    from misinfo_clf._serving import _Block

    terms = vectorizer.get_feature_names_out().tolist()
    spec = {"name": "b", "kind": kind, "column": column, "sublinear": True, "binary": False}
    spec.update(norm="l2", ngram=list(vectorizer.ngram_range))
    return _Block(spec, terms, None)


@settings(max_examples=60, deadline=None)
@given(fit=_docs, docs=_docs, kind=st.sampled_from(["char_wb", "words"]), lo=st.integers(1, 4))
def test_chunk_counts_equal_scikit_learns(fit, docs, kind, lo):
    """Several posts at once (codes looked up in one array) count exactly what scikit-learn's
    vectorizer counts, unknown characters, lone surrogates and words shorter than the
    shortest n-gram included."""
    from sklearn.feature_extraction.text import CountVectorizer

    if kind == "char_wb":
        cv = CountVectorizer(analyzer="char_wb", ngram_range=(lo, lo + 2), lowercase=False)
    else:
        cv = CountVectorizer(token_pattern=r"\S+", ngram_range=(lo, lo + 1), lowercase=False)
    try:
        cv.fit(fit)
    except ValueError:  # empty vocabulary
        return
    block = _block_from(cv, kind, "text")
    rows, cols = block.counts(docs, {})
    got = np.zeros((len(docs), block.width), dtype=np.int64)
    np.add.at(got, (rows, cols), 1)
    np.testing.assert_array_equal(got, cv.transform(docs).toarray())


def test_expit_of_extreme_responses_needs_no_warning():
    import warnings

    from scipy.special import expit

    from misinfo_clf._serving import _expit

    x = np.array([-1e308, -800.0, -700.0, -36.0, 0.0, 1e-9, 36.0, 700.0, 1e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = _expit(x)
    np.testing.assert_allclose(got, expit(x), rtol=1e-15, atol=1e-300)
