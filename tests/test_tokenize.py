import unicodedata

import pytest

from misinfo_clf import normalize_text, tokenize
from misinfo_clf.text import tokenize_with_spans

PHRASES = [
    ("uy_ban", "Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("hoa_binh", "hoà bình", "hòa bình"),
    ("suc_khoe", "sức khoẻ", "sức khỏe"),
    ("thuy_san", "thuỷ sản", "thủy sản"),
]


@pytest.mark.parametrize(("old", "new"), [p[1:] for p in PHRASES], ids=[p[0] for p in PHRASES])
def test_word_mode_segments_every_spelling_identically(old, new):
    spellings = [old, new, unicodedata.normalize("NFD", old), unicodedata.normalize("NFD", new)]
    results = {tuple(tokenize(normalize_text(s), mode="word")) for s in spellings}
    assert len(results) == 1
    (tokens,) = results
    assert len(tokens) == 1 and "_" in tokens[0]  # the compound is recognised


def test_word_mode_knows_compounds_in_a_sentence():
    tokens = tokenize(normalize_text("Uỷ ban nhân dân thành phố Hà Nội"), mode="word")
    assert tokens == ["ủy_ban_nhân_dân", "thành_phố", "hà_nội"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("vui quá =))", ["vui", "quá", "=))"]),
        ("đẹp 😂 !", ["đẹp", "😂", "!"]),
        ("gọi 0901234567 nhé", ["gọi", "xxphone", "nhé"]),
        ("a,b", ["a", ",", "b"]),
        ("", []),
    ],
    ids=["emoticon", "emoji", "placeholder", "punctuation", "empty"],
)
def test_syllable_tokens(raw, expected):
    assert tokenize(normalize_text(raw)) == expected


@pytest.mark.parametrize("mode", ["syllable", "word"])
def test_spans_cover_tokens(mode):
    text = normalize_text("Hoà bình là sức khoẻ của Uỷ ban =)) 😂")
    for token, start, end in tokenize_with_spans(text, mode):
        assert text[start:end].replace(" ", "_") == token


def test_unknown_mode():
    with pytest.raises(ValueError, match="mode must be one of"):
        tokenize("abc", mode="char")


# raw decomposed (NFD) text, as some keyboards and copy-pastes produce it, given to the
# tokenizer without normalize_text: combining marks stay inside their word
NFD_CASES = [
    ("syllable", "Ủy ban nhân dân hòa bình", ["Ủy", "ban", "nhân", "dân", "hòa", "bình"]),
    ("syllable", "sức khỏe =))", ["sức", "khỏe", "=))"]),
    ("word", "ủy ban nhân dân thành phố hà nội", ["ủy_ban_nhân_dân", "thành_phố", "hà_nội"]),
]


@pytest.mark.parametrize(
    ("mode", "text", "expected"),
    NFD_CASES,
    ids=["syllable_capital_hook", "syllable_emoticon", "word_compounds"],
)
def test_nfd_text_gives_whole_words(mode, text, expected):
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert tokenize(nfd, mode) == expected


@pytest.mark.parametrize("mode", ["syllable", "word"])
def test_spans_of_nfd_text_index_the_text_given(mode):
    nfd = unicodedata.normalize("NFD", "ủy ban nhân dân hòa bình")
    spans = tokenize_with_spans(nfd, mode)
    assert [tok for tok, _, _ in spans] == tokenize(nfd, mode)
    for token, start, end in spans:
        assert unicodedata.normalize("NFC", nfd[start:end]).replace(" ", "_") == token
