"""Input validation: what counts as text (the one rule behind predict, score_frame and
batch scoring), what counts as missing, and the one check that the columns a function
needs are there (:func:`check_columns`).

Every input value ends in exactly one of three states, decided here and nowhere else:

**error** — the value cannot be read as text. Status ``error: ...``, decision
``review`` for every head (a person should look at what the pipeline could not read),
NaN probabilities, no label, no reasons:

* bytes that are not UTF-8: ``error: undecodable bytes (invalid start byte at byte 0)``
  (UTF-8 bytes are decoded and scored like the text they hold);
* any other type: ``error: expected text, got int``;
* longer than ``max_chars``: ``error: text too long (200000 characters, limit 100000)``.

**abstain** — the value is readable but holds no letter once normalized. Status
``ok``, decision ``abstain`` for every head and overall, NaN probabilities, no label,
no reasons, and one note:

* ``empty`` (:data:`NOTE_EMPTY`): missing (``None``, NaN, ``pd.NA``), ``""``, or only
  whitespace and invisible characters;
* ``no_text`` (:data:`NOTE_NO_TEXT`): something is there, but no word: only URLs,
  e-mail addresses, @mentions, phone numbers, numbers, emoji, emoticons or
  punctuation. A model of words has nothing to judge.

**scored** — at least one word (a token with a letter that is not a placeholder or an
emoticon). Every head scores it and the scores alone decide flag / review / pass,
whatever the language, spelling or length: obfuscated or foreign-looking abuse must
still reach the queue by its scores. Two notes only inform the reviewer (they used to
force ``review``; they no longer change the decision):

* ``too_short`` (:data:`NOTE_TOO_SHORT`): fewer than ``min_tokens`` words;
* ``unknown_language`` (:data:`NOTE_UNKNOWN_LANGUAGE`): more than ``max_unknown`` of
  the words are unknown to the model (another language, heavy obfuscation), or, in a
  post without any Vietnamese accent, more than ``max_unknown`` of the words cannot be
  Vietnamese syllables (English: its words are often known to the model).
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from ._errors import InputError
from .text import PLACEHOLDERS
from .text._normalize import _EMOTICON

__all__ = [
    "NOTE_EMPTY",
    "NOTE_NO_TEXT",
    "NOTE_TOO_SHORT",
    "NOTE_UNKNOWN_LANGUAGE",
    "ABSTAIN_NOTES",
    "read_value",
    "is_missing",
    "words",
    "text_notes",
    "abstains",
    "MissingColumnError",
    "check_columns",
]

NOTE_EMPTY = "empty"
NOTE_NO_TEXT = "no_text"
NOTE_TOO_SHORT = "too_short"
NOTE_UNKNOWN_LANGUAGE = "unknown_language"
#: notes that make a row abstain (no probabilities, decision ``abstain``)
ABSTAIN_NOTES = frozenset({NOTE_EMPTY, NOTE_NO_TEXT})

_PLACEHOLDER_WORDS = frozenset(PLACEHOLDERS.values())
_EMOTICON_RE = re.compile(_EMOTICON)


def is_missing(value) -> bool:
    """``None``, a float NaN (``np.nan``, ``float("nan")``) or ``pd.NA``."""
    if value is None:
        return True
    pd = sys.modules.get("pandas")  # pd.NA exists only once pandas is imported
    if pd is not None and value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


class MissingColumnError(InputError, KeyError):
    """A column that a function needs is not in its input.

    Both a :class:`~misinfo_clf.InputError` (so a ``ValueError``) and a ``KeyError``:
    the file readers raised the first, the DataFrame functions the second, and callers
    catching either keep working.
    """

    __str__ = BaseException.__str__  # the message as written, not KeyError's repr


def check_columns(
    columns: Iterable,
    wanted: Sequence[str | None],
    *,
    where: object = None,
    role: str | None = None,
    hint: str | None = None,
) -> None:
    """Raise :class:`MissingColumnError` when a ``wanted`` column is not in ``columns``.

    ``None`` entries of ``wanted`` are skipped (an optional column not asked for).
    The message names what was expected and what is there, and where: ``where`` (a
    file) leads it, ``role`` names a single column (``text column 'post' not found``),
    ``hint`` says what to do.

    Examples
    --------
    >>> try:
    ...     check_columns(["id", "post"], ["text"], where="d.csv", role="text")
    ... except KeyError as exc:  # or ValueError, or InputError
    ...     print(exc)
    d.csv: text column 'text' not found; the file has columns ['id', 'post'].
    """
    present = list(columns)
    missing = [c for c in dict.fromkeys(c for c in wanted if c is not None) if c not in present]
    if not missing:
        return
    what = f"{role} column {missing[0]!r}" if role and len(missing) == 1 else f"column(s) {missing}"
    if where is None:
        msg = f"{what} not found; columns are {present}."
    else:
        msg = f"{where}: {what} not found; the file has columns {present}."
    raise MissingColumnError(msg + (f" {hint}" if hint else ""))


def read_value(value, max_chars: int) -> tuple[str, str]:
    """``(text, status)`` for one input value; never raises.

    Missing values give ``("", "ok")``: they abstain with note ``empty`` (see
    :func:`text_notes`). Unreadable values give ``("", "error: ...")``.
    """
    if isinstance(value, str):
        text = value
    elif is_missing(value):
        return "", "ok"
    elif isinstance(value, bytes | bytearray | memoryview):
        try:
            text = bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            return "", f"error: undecodable bytes ({exc.reason} at byte {exc.start})"
    else:
        return "", f"error: expected text, got {type(value).__name__}"
    if len(text) > max_chars:
        return "", f"error: text too long ({len(text)} characters, limit {max_chars})"
    return text, "ok"


@lru_cache(maxsize=1 << 16)
@lru_cache(maxsize=1 << 16)  # posts repeat words: each distinct token is checked once
def _is_word(token: str) -> bool:
    return (
        any(c.isalpha() for c in token)
        and token not in _PLACEHOLDER_WORDS
        and _EMOTICON_RE.fullmatch(token) is None
    )


#: the shape of one Vietnamese syllable without accents (onset, vowels, coda)
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


def _foreign_unaccented(pairs, max_unknown: float) -> bool:
    """A post with no Vietnamese accent whose words mostly cannot be Vietnamese syllables
    (English and other Latin-script languages: their words are often in a vocabulary
    learned from Vietnamese posts, so the known-word share misses them). Vietnamese typed
    without accents is made of valid syllables and passes."""
    if any(t != p for t, p in pairs):
        return False
    foreign = sum(not _vi_syllable(p) for _, p in pairs)
    return foreign / len(pairs) > max_unknown


@lru_cache(maxsize=1 << 16)
def _vi_syllable(token: str) -> bool:
    return _VI_SYLLABLE.fullmatch(token.lower()) is not None


def words(tokens: str) -> list[str]:
    """The word tokens of a tokenized post (space-separated tokens, as in the views)."""
    return [t for t in tokens.split() if _is_word(t)]


def text_notes(
    views: Mapping[str, Sequence[str]],
    known: set,
    *,
    min_tokens: int,
    max_unknown: float,
) -> list[tuple[str, ...]]:
    """Notes of readable posts from their views (``text``, ``tokens``, ``plain``).

    ``known`` holds the single words of the model's vocabularies. A post gets
    ``("empty",)`` or ``("no_text",)`` (it abstains), else ``("too_short",)``,
    ``("unknown_language",)``, both, or ``()``.
    """
    notes: list[tuple[str, ...]] = []
    for text, tokens, plain in zip(views["text"], views["tokens"], views["plain"], strict=True):
        if not text.strip():
            notes.append((NOTE_EMPTY,))
            continue
        pairs = [(t, p) for t, p in zip(tokens.split(), plain.split(), strict=False) if _is_word(t)]
        if not pairs:
            notes.append((NOTE_NO_TEXT,))
            continue
        note = []
        if len(pairs) < min_tokens:
            note.append(NOTE_TOO_SHORT)
        unknown = sum(t not in known and p not in known for t, p in pairs)
        if unknown / len(pairs) > max_unknown or _foreign_unaccented(pairs, max_unknown):
            note.append(NOTE_UNKNOWN_LANGUAGE)
        notes.append(tuple(note))
    return notes


def abstains(notes: Sequence[str]) -> bool:
    """True when a post's notes say it has no text to score."""
    return any(n in ABSTAIN_NOTES for n in notes)
