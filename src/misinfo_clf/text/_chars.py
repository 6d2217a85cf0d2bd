"""Vietnamese letters: tone marks, accent stripping and tone placement.

Every function here maps one NFC lowercase syllable to another of the *same length*,
so character offsets survive them unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# base vowel -> its six forms: no tone, grave, acute, hook above, tilde, dot below
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_BASES = "aăâeêioôơuưy"
_FORMS: dict[str, tuple[str, ...]] = {
    b: tuple(unicodedata.normalize("NFC", b + t) for t in _TONE_MARKS) for b in _BASES
}
# toned vowel -> (base vowel, tone index 0..5)
_SPLIT: dict[str, tuple[str, int]] = {
    form: (base, tone) for base, forms in _FORMS.items() for tone, form in enumerate(forms)
}
VOWELS = frozenset(_SPLIT)
TONED_VOWELS = frozenset(v for v, (_, t) in _SPLIT.items() if t)
_QUALITY = frozenset("ăâêôơư")  # vowels whose shape marks carry the tone first


class _StripTable(dict):
    """``str.translate`` table: Vietnamese letters precomputed, others on first sight."""

    def __missing__(self, code: int):
        c = chr(code)
        base = unicodedata.normalize("NFD", c)[:1] if code >= 0xC0 else c
        # keep the character unless it decomposes into one base letter plus marks
        out = base if base and base != c and not unicodedata.combining(base) else c
        self[code] = out
        return out


# Accent stripping: one character in, one character out (offsets stay valid).
_STRIP_TABLE = _StripTable()
for _form, (_base, _tone) in _SPLIT.items():
    _plain = unicodedata.normalize("NFD", _base)[0]
    _STRIP_TABLE[ord(_form)] = _plain
    _STRIP_TABLE[ord(_form.upper())] = _plain.upper()
_STRIP_TABLE.update({ord("đ"): "d", ord("Đ"): "D", ord("Ð"): "D", ord("ð"): "d"})


def strip_accents(text: str) -> str:
    """Return the diacritic-free view of Vietnamese ``text``.

    Tone marks and vowel marks are removed and ``đ`` becomes ``d``; every other
    character is kept, so the output has the same length as an NFC input and
    character offsets stay valid.

    Parameters
    ----------
    text : str
        Text, ideally already NFC (as produced by :func:`normalize_text`).

    Returns
    -------
    str

    Examples
    --------
    >>> from misinfo_clf import strip_accents
    >>> strip_accents("Đường phố")
    'Duong pho'
    """
    if not isinstance(text, str):
        raise TypeError(f"strip_accents expects str, got {type(text).__name__}.")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_STRIP_TABLE)


@lru_cache(maxsize=65536)
def _place_tone(syllable: str, old_style: bool) -> str:
    """Move the tone mark of ``syllable`` (lowercase NFC) to its canonical vowel.

    ``old_style=False`` gives the form used everywhere in this library (``hòa``,
    ``thủy``, ``khỏe``); ``old_style=True`` gives the placement that underthesea's
    segmenter dictionary knows (``hoà``, ``thuỷ``, ``khoẻ``). Syllables that are
    not plain Vietnamese (several tones, no vowel) come back unchanged.
    """
    tone = 0
    letters = []
    for c in syllable:
        split = _SPLIT.get(c)
        if split is None:
            letters.append(c)
            continue
        base, t = split
        if t:
            if tone and t != tone:
                return syllable  # two different tones: not a syllable we understand
            tone = t
        letters.append(base)
    if not tone:
        return syllable
    # locate the vowel nucleus: first run of vowels, after a qu/gi onset
    start = 0
    n = len(letters)
    while start < n and letters[start] not in _FORMS:
        start += 1
    if start == n:
        return syllable
    if start > 0 and letters[start - 1] == "q" and letters[start] == "u":
        start += 1
    elif (
        start > 0
        and letters[start - 1] == "g"
        and letters[start] == "i"
        and start + 1 < n
        and letters[start + 1] in _FORMS
    ):
        start += 1
    end = start
    while end < n and letters[end] in _FORMS:
        end += 1
    if start >= end:
        return syllable
    if any(c in _FORMS for c in letters[end:]):
        return syllable  # vowels after consonants again: not one syllable
    if any(letters[i] == letters[i + 1] for i in range(start, end - 1)):
        return syllable  # a doubled vowel (xoong, an elongation): leave it
    nucleus = range(start, end)
    has_coda = end < n
    pos = None
    for i in reversed(nucleus):
        if letters[i] in _QUALITY:
            pos = i
            break
    if pos is None:
        size = end - start
        if size == 1:
            pos = start
        elif has_coda:
            pos = end - 1
        elif size >= 3:
            pos = start + 1
        else:
            pair = letters[start] + letters[start + 1]
            if old_style and pair in ("oa", "oe", "uy"):
                pos = start + 1
            else:
                pos = start
    letters[pos] = _FORMS[letters[pos]][tone]
    return "".join(letters)


# a syllable that carries a tone and has a neighbouring vowel: the only ones whose
# tone placement can be ambiguous
_VOW = "".join(sorted(VOWELS))
_TONED = "".join(sorted(TONED_VOWELS))
MULTI_VOWEL_TONED = re.compile(
    rf"(?<![^\W\d_])[^\W\d_]*?(?:[{_TONED}][{_VOW}]|[{_VOW}][{_TONED}])[^\W\d_]*"
)


def old_style_tones(text: str) -> str:
    """Rewrite lowercase NFC ``text`` to the old tone placement (``hoà``, ``uỷ``)."""
    return MULTI_VOWEL_TONED.sub(lambda m: _place_tone(m.group(), True), text)
