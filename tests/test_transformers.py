import unicodedata

import joblib
import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from misinfo_clf import TextViews, VietnameseNormalizer, VietnameseTokenizer

TRANSFORMERS = [
    VietnameseNormalizer(teencode=False),
    VietnameseTokenizer(mode="word", strip_accents=True),
    TextViews(mode="syllable", teencode=False, text_col="post"),
]


@pytest.mark.parametrize("est", TRANSFORMERS, ids=lambda e: type(e).__name__)
def test_clone_and_params(est):
    params = est.get_params()
    cloned = clone(est)
    assert cloned is not est and cloned.get_params() == params
    first = next(iter(params))
    cloned.set_params(**{first: params[first]})
    assert cloned.get_params() == params


@pytest.mark.parametrize("est", TRANSFORMERS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("bad", ["một bài viết", b"bytes"], ids=["str", "bytes"])
def test_bare_string_is_refused(est, bad):
    with pytest.raises(ValueError, match="Iterable over .* expected"):
        est.fit_transform(bad)


def test_normalizer_then_tokenizer():
    pipe = make_pipeline(VietnameseNormalizer(), VietnameseTokenizer(strip_accents=True))
    assert pipe.fit_transform(["Đường phố ko sạch!!!"]) == ["duong pho khong sach !"]


def test_views_pass_metadata_through():
    df = pd.DataFrame({"text": ["Tin giả", "Tin thật"], "num_like_post": [3, np.nan]})
    views = TextViews().fit_transform(df)
    assert list(views.columns) == ["text", "tokens", "plain", "num_like_post"]
    assert views["plain"].tolist() == ["tin gia", "tin that"]
    assert np.isnan(views["num_like_post"][1])


def test_views_missing_column_names_found_columns():
    with pytest.raises(KeyError, match=r"'text' not found; columns are \['post'\]"):
        TextViews().fit_transform(pd.DataFrame({"post": ["x"]}))


def test_word_and_syllable_views_share_text():
    posts = ["Uỷ ban nhân dân ko đc", "hoà bình =))"]
    syl = TextViews(mode="syllable").fit_transform(posts)
    word = TextViews(mode="word").fit_transform(posts)
    assert syl["text"].tolist() == word["text"].tolist()
    assert word["tokens"][0] == "ủy_ban_nhân_dân không được"


def _pipeline():
    features = ColumnTransformer(
        [
            ("tokens", TfidfVectorizer(token_pattern=r"\S+", lowercase=False), "tokens"),
            ("plain", TfidfVectorizer(token_pattern=r"\S+", lowercase=False), "plain"),
        ]
    )
    return Pipeline([("views", TextViews()), ("features", features), ("clf", LogisticRegression())])


POSTS = [
    "uống nước chanh chữa ung thư",
    "hôm nay trời đẹp",
    "chanh nóng chữa khỏi ung thư",
    "đi học vui",
]
LABELS = [1, 0, 1, 0]


@pytest.mark.parametrize("fmt", ["skops", "joblib"])
def test_pipeline_round_trip(tmp_path, fmt):
    pipe = _pipeline().fit(POSTS, LABELS)
    expected = pipe.predict_proba(POSTS)
    path = tmp_path / f"pipe.{fmt}"
    if fmt == "skops":
        sio.dump(pipe, path)
        loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    else:
        joblib.dump(pipe, path)
        loaded = joblib.load(path)
    np.testing.assert_allclose(loaded.predict_proba(POSTS), expected)
    # unaccented input reads like accented input through the plain view
    assert loaded.predict(["uong nuoc chanh chua ung thu"])[0] == 1


@pytest.mark.parametrize(
    ("mode", "strip", "expected"),
    [
        ("syllable", False, "ủy ban nhân dân hòa bình"),
        ("word", False, "ủy_ban_nhân_dân hòa_bình"),
        ("syllable", True, "uy ban nhan dan hoa binh"),
    ],
    ids=["syllable", "word", "syllable_stripped"],
)
def test_tokenizer_on_nfd_text_keeps_words_whole(mode, strip, expected):
    nfd = unicodedata.normalize("NFD", "ủy ban nhân dân hòa bình")
    out = VietnameseTokenizer(mode=mode, strip_accents=strip).fit_transform([nfd])
    assert out == [expected]
