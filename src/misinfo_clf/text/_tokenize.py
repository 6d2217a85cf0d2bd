"""Tokenization of canonical text: syllables (fast) or words (underthesea).

Both modes return tokens with their ``(start, end)`` span in the canonical text, so
explanations can map a feature back to the raw post through
:class:`~misinfo_clf.text.NormalizedText`.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain
from typing import Literal, cast

from ._chars import old_style_tones
from ._normalize import _EMOTICON, _nfc_tracked

__all__ = ["tokenize", "tokenize_with_spans", "TOKEN_MODES"]

TOKEN_MODES = ("syllable", "word")
Mode = Literal["syllable", "word"]

# an emoticon, a run of letters/digits, or any other single visible character
_SYLLABLE = re.compile(rf"{_EMOTICON}|[^\W_]+|\S")


def _check_mode(mode: str) -> None:
    if mode not in TOKEN_MODES:
        raise ValueError(f"mode must be one of {TOKEN_MODES}, got {mode!r}.")


def tokenize(text: str, mode: Mode = "syllable") -> list[str]:
    """Split canonical text into tokens.

    Parameters
    ----------
    text : str
        Output of :func:`~misinfo_clf.normalize_text`. Other text is made NFC first,
        so decomposed letters (``U`` + combining hook) stay inside their word.
    mode : {"syllable", "word"}, default="syllable"
        ``"syllable"`` splits on spaces and punctuation, keeping emoticons and emoji
        as tokens. ``"word"`` uses underthesea's segmenter and joins the syllables of
        a compound with ``_`` (``ủy_ban``).

    Examples
    --------
    >>> from misinfo_clf.text import tokenize
    >>> tokenize("ủy ban nhân dân =))")
    ['ủy', 'ban', 'nhân', 'dân', '=))']
    >>> tokenize("ủy ban nhân dân", mode="word")
    ['ủy_ban_nhân_dân']
    """
    _check_mode(mode)
    text = _nfc(text)
    if mode == "syllable":
        # the pattern never crosses a space: tokenize each distinct chunk once
        return list(chain.from_iterable(chunks_syllables(text.split())))
    return [tok for tok, _, _ in tokenize_with_spans(text, mode)]


def _chunk_syllables(chunk: str) -> tuple[str, ...]:
    toks = _SYLLABLE_CACHE.get(chunk)
    if toks is None:
        toks = tuple(_SYLLABLE.findall(chunk))
        if len(chunk) <= 40:
            if len(_SYLLABLE_CACHE) >= 1 << 16:
                _SYLLABLE_CACHE.clear()
            _SYLLABLE_CACHE[chunk] = toks
    return toks


def chunks_syllables(chunks: list[str]) -> list[tuple[str, ...]]:
    """The syllable tokens of each chunk (no white space), from the cache when there."""
    found = list(map(_SYLLABLE_CACHE.get, chunks))
    if None in found:
        return [_chunk_syllables(c) if f is None else f for f, c in zip(found, chunks, strict=True)]
    return cast(list[tuple[str, ...]], found)  # no None left


# chunk of canonical text -> its syllable tokens; bounded (cleared when full)
_SYLLABLE_CACHE: dict[str, tuple[str, ...]] = {}


def syllables_of_chunks(chunks: list[str]) -> str:
    """Space-joined syllable tokens of canonical chunks (see ``normalized_chunks``)."""
    return " ".join([" ".join(_chunk_syllables(c)) for c in chunks])


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def tokenize_with_spans(text: str, mode: Mode = "syllable") -> list[tuple[str, int, int]]:
    """Like :func:`tokenize`, with each token's ``(start, end)`` in ``text``.

    Tokens are NFC; when ``text`` is not, spans still index ``text`` as given.
    """
    _check_mode(mode)
    nfc = _nfc(text)
    if mode == "syllable":
        spans = [(m.group(), m.start(), m.end()) for m in _SYLLABLE.finditer(nfc)]
    else:
        spans = _word_spans(nfc)
    if nfc is text:
        return spans
    # map spans in the NFC text back to the characters of ``text`` they came from
    _, starts, ends = _nfc_tracked(text, list(range(len(text))), list(range(1, len(text) + 1)))
    return [(tok, starts[a], ends[b - 1]) for tok, a, b in spans]


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    if not text:
        return []
    from underthesea import word_tokenize  # imported lazily: it is slow to import

    # underthesea's dictionary holds the old tone placement (hoà, uỷ, khoẻ): feed it
    # that form, without its own token normalization, so that it recognises compounds.
    # The rewrite keeps every character in place, so spans are spans in ``text`` too.
    old = old_style_tones(text)
    words = word_tokenize(old, use_token_normalize=False)
    spans: list[tuple[str, int, int]] = []
    pos = 0
    for word in words:
        start = old.find(word, pos)
        if start < 0 or old[pos:start].strip():
            # the segmenter changed the text: fall back to syllables for the rest
            spans.extend(
                (m.group(), m.start() + pos, m.end() + pos) for m in _SYLLABLE.finditer(text[pos:])
            )
            return spans
        end = start + len(word)
        spans.append((text[start:end].replace(" ", "_"), start, end))
        pos = end
    return spans
