"""Canonical form of a Vietnamese post, with offsets back to the raw text.

The normalization is a fixed sequence of steps. Every step is defined once, as a
regular expression and a replacement, and is applied in one of two ways:

* fast (``pattern.sub``), for :func:`normalize_text`, which runs on every post;
* tracked, for :func:`normalize_with_offsets`, which also records for every output
  character the span of raw characters it came from. Explanations use it to
  highlight words in the post a reviewer sees.

Both ways give the same text (tested property).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, cast

import numpy as np

from ._chars import _BASES, _SPLIT, MULTI_VOWEL_TONED, TONED_VOWELS, _place_tone
from ._teencode import load_teencode

__all__ = ["NormalizedText", "normalize_text", "normalize_with_offsets", "PLACEHOLDERS"]

#: placeholder words that replace personal data and noise; plain ``\w`` tokens so
#: every tokenizer (and underthesea's segmenter) keeps them whole
PLACEHOLDERS = {
    "url": "xxurl",
    "email": "xxemail",
    "phone": "xxphone",
    "mention": "xxuser",
    "number": "xxnum",
}

Repl = Callable[[re.Match], str]


@dataclass(frozen=True)
class _Step:
    name: str
    pattern: re.Pattern | _PlaceholderPattern
    repl: Repl
    # a cheap test: when it says False the pattern cannot match, so the step is skipped
    gate: Callable[[str], object] | None = None

    def sub(self, text: str) -> str:
        if self.gate is not None and not self.gate(text):
            return text
        return self.pattern.sub(self.repl, text)


# --- step definitions ----------------------------------------------------------------

# control characters, zero-width and bidi marks, variation selectors, lone surrogates
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\ufe00-\ufe0f\ufeff\ud800-\udfff]+"
)
# combining marks left after NFC have no letter to compose with (r + grave): dropped
_ORPHAN_MARKS = re.compile("[\u0300-\u036f]+")
_SPACES = re.compile(r"\s+")
_EDGE_SPACES = re.compile(r"^ +| +$")

# Every pattern below runs in time linear in the text: repetitions that could be
# retried from many start positions are possessive (``*+``, ``++``), bounded, or can
# only start where a run of their characters starts (a lookbehind). A post of 100,000
# characters normalizes in well under a second (``bench/preprocess.py --adversarial``).
_TLDS = (
    "com", "vn", "net", "org", "info", "io", "me", "ly", "gl", "co", "xyz", "top", "tv",
    "edu", "gov", "biz", "site", "online", "link",
)  # fmt: skip
_TLD = "(?:" + "|".join(_TLDS) + ")"
# the last label consumed is a known top-level domain (one fixed-width lookbehind each)
_ENDS_WITH_TLD = "(?:" + "|".join(rf"(?<=\.{t})" for t in _TLDS) + ")"
# punctuation that ends a sentence after a URL rather than belonging to it
_URL_PUNCT = r"[.,;:!?)\]]"
# a URL body: everything up to a space, < > or ", without trailing punctuation
_URL_BODY = rf"(?:{_URL_PUNCT}*+[^\s<>\".,;:!?)\]]++)++"
_URL = (
    rf"(?:https?://|www\.){_URL_BODY}"
    rf"|(?<![\w@.\-])[a-z0-9][\w-]*+(?:\.++[\w-]++)*+{_ENDS_WITH_TLD}(?:/(?:{_URL_BODY})?+)?+"
    rf"(?={_URL_PUNCT}*+(?:[\s<>\"]|$))"
)
# The local part is ASCII and starts where its run of characters starts, so an address
# glued to Vietnamese text is found (liênhệabc@gmail.comngay: abc@gmail.com). The last
# label is a known top-level domain when there is one (gmail.comngay), else any.
_EMAIL_LOCAL = r"[a-z0-9_.%+-]"
# a placeholder is never read as part of a new one on a second pass (0@0.xxnum)
_PLACEHOLDER_WORD = "(?:" + "|".join(PLACEHOLDERS.values()) + r")(?!\w)"
# @ signs right before the address, and a further address glued after it, are taken
# with it (@0@gmail.com, a@b.comc@d.com: what is left must not read as a mention or an
# address on a second pass); it starts at most one character into a run of @, so a
# run is scanned at most twice.
_EMAIL = (
    rf"(?<!{_EMAIL_LOCAL})(?<!@@)@*+{_EMAIL_LOCAL}++@(?:[a-z0-9-]++\.++)+"
    rf"(?:{_TLD}|(?!{_PLACEHOLDER_WORD})[a-z]{{2,24}}+(?![^\W_]))"
    rf"(?:{_EMAIL_LOCAL}*+@{_EMAIL_LOCAL}*+)*+"
)
# Not @gmail.com ("xxuser.com" would read as a domain on a second pass), not after a
# character of an address (0@0.@0) nor before another @, not a placeholder (@xxemail:
# the address left its @ behind).
_MENTION = (
    rf"(?<![\w@.%+\-])@(?!{_PLACEHOLDER_WORD})"
    r"[\w-]++(?!@|\.[\w-])"
)
# five digits or more standing alone; eight or more anywhere (a run glued to letters,
# which the whole-text step left: it is not set apart, since no URL step comes after)
_NUMBER = r"(?<!\w)\d{5,}|\d{8,}"

# Phone numbers and long digit runs (whole text: their groups may be split by spaces).
# Vietnamese numbers: 10 digits from 0 (mobiles 03x, 05x, 07x-09x), 11 digits from 01
# or 02 (mobiles before 2018, landlines 02xx + 7-8 digits), +84/84 + 9-10 digits,
# (028) 3822 1234; one optional separator between any two digits: a space, or dots and
# hyphens (0912..345..678: repeated symbols are shortened only in a later step).
# Letters may touch them (zalo0912345678, 0912345678nhé); a digit may not.
_SEP = r"(?: |[.\-]++)?+"
_PHONE_CORE = (
    rf"0[12](?:{_SEP}\d){{9}}|0[1-9](?:{_SEP}\d){{8}}"
    rf"|\(0\d\d\){_SEP}\d(?:{_SEP}\d){{7}}|\(0\d{{3}}\){_SEP}\d(?:{_SEP}\d){{6}}"
    rf"|(?:\+84|84|\(\+?84\)){_SEP}(?:\(0\){_SEP})?"
    rf"(?:[3-9](?:{_SEP}\d){{8}}|[12](?:{_SEP}\d){{9}})"
)
_PHONE = (
    # (the lookahead first is for speed: most positions fail it at once)
    rf"(?=[\d+(])(?<!\d)(?:"
    rf"(?P<phone>(?:{_PHONE_CORE})(?!\d))"
    # groups of 3-4 digits split by single spaces (1234 5678 9012), unless a phone follows
    rf"|(?P<spaced>(?<!\d )\d{{3,4}}+(?!\d)(?: (?!{_PHONE_CORE})\d{{3,4}}+(?!\d))++)"
    # a run of digits, dots and hyphens starting where the run starts (1234.5678.90)
    rf"|(?P<digits>(?<!\d[.\-])\d++(?:[.\-]++\d++)*+)"
    r")"
)
_LONG_DIGITS = 8  # runs of this many digits or more never reach the features
# numbers people write that are not personal: amounts with thousands separators
# (2.000.000, 200 000 000) and their ranges (1.000-2.000), dates (12.03.2021,
# 2021-03-12), years (2019-2020, 2020 2021)
_ORDINARY_NUMBER = re.compile(
    r"[1-9]\d{0,2}([. ])\d{3}(?:\1\d{3})*"
    r"|[1-9]\d{0,2}(?:\.\d{3})*(?:-[1-9]\d{0,2}(?:\.\d{3})*)+"
    r"|\d{1,2}([.\-])\d{1,2}\2\d{4}|\d{4}([.\-])\d{1,2}\3\d{1,2}"
    r"|(?:19|20)\d\d(?:[ \-](?:19|20)\d\d)+"
)
# emoticons: eyes, optional nose, a mouth; the mouth run is capped at two characters
_EMOTICON = (
    r"(?<![^\s])(?:[:;=][\-'^]?(?:\)+|\(+|\]+|\[+|\*+|\|+|/+|(?:d+|p+|v+|o+|3+)(?!\w))"
    r"|<3+|\^\^|\^_+\^|-_+-|t_+t|x+d+(?!\w))"
)
_URL_RE = re.compile(_URL)
_PHONE_RE = re.compile(_PHONE)
_EMAIL_RE = re.compile(_EMAIL)
# Chunk-local placeholders, in one pass. URLs, e-mail addresses and phone numbers are
# whole-text steps before: URLs first, so that no digits inside one are taken for a
# phone number; then e-mail addresses; then phone numbers (they may contain spaces).
# Addresses and numbers are set apart from words they were glued to, and URLs are
# looked for again in what is set apart (gmail.com0912345678): so the text reads the
# same on a second pass.
_LOCAL_PARTS = (
    ("mention", _MENTION),
    ("number", _NUMBER),
    ("emoticon", _EMOTICON),
)
_DIGIT = re.compile(r"\d")
_EMOTICON_HINT = re.compile(r"[:;=<^]|-_|t_|xd")


@lru_cache(maxsize=64)
def _placeholder_pattern(kinds: frozenset) -> re.Pattern:
    return re.compile("|".join(f"(?P<{k}>{p})" for k, p in _LOCAL_PARTS if k in kinds))


def _placeholder_kinds(text: str) -> frozenset:
    """The placeholder kinds that could match ``text`` (cheap character checks)."""
    kinds = set()
    if "@" in text:
        kinds.add("mention")
    if _DIGIT.search(text):
        kinds.add("number")
    if _EMOTICON_HINT.search(text):
        kinds.add("emoticon")
    return frozenset(kinds)


class _PlaceholderPattern:
    """Quacks like a compiled pattern; uses only the alternatives ``text`` needs."""

    def sub(self, repl, text):
        kinds = _placeholder_kinds(text)
        return _placeholder_pattern(kinds).sub(repl, text) if kinds else text

    def finditer(self, text):
        kinds = _placeholder_kinds(text)
        return _placeholder_pattern(kinds).finditer(text) if kinds else iter(())


_PLACEHOLDERS_RE = _PlaceholderPattern()


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _glued(m: re.Match, word: str, *, right: bool = True) -> str:
    """``word`` for the match, set apart by a space from letters or digits it touches.

    ``zalo0912345678`` gives ``zalo xxphone``, not one token ``zaloxxphone``.
    """
    a, b = m.span()
    text = m.string
    if a > 0 and _is_word_char(text[a - 1]):
        word = " " + word
    if right and b < len(text) and _is_word_char(text[b]):
        word = word + " "
    return word


def _url_repl(m: re.Match) -> str:
    return PLACEHOLDERS["url"]


# a cheap test before the URL pattern: a scheme, www. or a dot before a known TLD
_URL_HINT = re.compile(rf"://|www\.|\.{_TLD}(?![\w-])")


def _may_have_url(text: str) -> bool:
    return ("." in text or "://" in text) and _URL_HINT.search(text) is not None


def _may_have_new_url(text: str) -> bool:
    # only a placeholder set apart from what it was glued to can leave a new URL
    return "xx" in text and _may_have_url(text)


def _email_repl(m: re.Match) -> str:
    return _glued(m, PLACEHOLDERS["email"])


def _phone_repl(m: re.Match) -> str:
    kind = m.lastgroup
    if kind == "phone":
        return _glued(m, PLACEHOLDERS["phone"])
    s = m.group()
    if sum(c.isdigit() for c in s) < _LONG_DIGITS or _ORDINARY_NUMBER.fullmatch(
        _REPEATED_SYMBOL.sub(_group1, s)
    ):
        return s
    # a unit may follow a number (20000000đ): the placeholder stays glued on the right
    return _glued(m, PLACEHOLDERS["number"], right=False)


def _master_repl(m: re.Match) -> str:
    kind = str(m.lastgroup)  # every alternative of the pattern is a named group
    if kind == "emoticon":
        return _canonical_emoticon(m.group())
    return PLACEHOLDERS[kind]


_RUN = re.compile(r"(.)\1{2,}")


def _canonical_emoticon(s: str) -> str:
    return _RUN.sub(lambda m: m.group(1) * 2, s)


_LETTER = r"[^\W\d_]"
# letters split by dots or similar (l.ừ.a, n-g-u), three letters or more; not after @
# (a handle: @l.ừ.a joined would be a mention on a second pass)
_DOTTED = re.compile(rf"(?<![\w.@])(?:{_LETTER}[.\-*]){{2,}}{_LETTER}(?![\w])")
# letters split by single spaces (c h ó ơ i), four or more, not all the same
_SPACED = re.compile(rf"(?<!\S)(?:{_LETTER} ){{3,}}{_LETTER}(?!\S)")
# digits or symbols standing for letters inside a word (ch3t, l0n, ng@o)
_LEET = re.compile(rf"(?<={_LETTER})[0134](?={_LETTER})")
# @ and $ are not word characters: read as letters, they can join words into a new
# address or domain. So @ only in a word of letters around one @ (ng@o), never near an
# address or a mention (abc@def.com, a@b@c, @abc@def); $ not before a dot and a word
# (a$b.com). A later step than the digits and than letters split by dots, which can
# make such words (a0a@a, l.ừ.a@b).
_LEET_SYMBOL = re.compile(
    rf"(?<![\w@.\-]){_LETTER}++@{_LETTER}++(?![\w@.\-])"
    rf"|(?<!{_LETTER}){_LETTER}++(?:\$(?![\w-]*+\.[\w-]){_LETTER}++)++"
)
_LEET_MAP = {"0": "o", "1": "i", "3": "e", "4": "a"}


def _shorten(word: str) -> str:
    """The elongation steps, for steps that run after them and join letters."""
    return _REPEATED_LETTER.sub(_group1, _TONED_THEN_PLAIN.sub(_drop_plain_repeats, word))


def _join_dotted(m: re.Match) -> str:
    # the joined word may hold elongations (a.a.a, q.u.á.a)
    return _shorten(re.sub(r"[.\-*]", "", m.group()))


def _join_spaced(m: re.Match) -> str:
    s = m.group()
    letters = s.replace(" ", "")
    return s if len(set(letters)) == 1 else letters


# elongations: a letter three times or more; a toned vowel followed by its plain vowel
# (quáaaa); repeated punctuation or emoji (!!!!, 😂😂😂). Brackets are left alone:
# they are emoticon mouths.
_REPEATED_LETTER = re.compile(rf"({_LETTER})\1{{2,}}")
_TONED_THEN_PLAIN = re.compile(
    f"[{''.join(sorted(TONED_VOWELS))}][{''.join(sorted(set(_BASES)))}]+"
)
# not / and @ (URLs, mentions). Runs after URLs, e-mail addresses and phone numbers:
# their patterns accept runs of dots and hyphens (abc...com, 0912..345..678).
_REPEATED_SYMBOL = re.compile(r"([^\w\s()\[\]^<>/@])\1+")


def _drop_plain_repeats(m: re.Match) -> str:
    s = m.group()
    base = _SPLIT[s[0]][0]
    return s[0] if all(c == base for c in s[1:]) else s


def _group1(m: re.Match) -> str:
    return m.group(1)


def _tones(m: re.Match) -> str:
    return _place_tone(m.group(), False)


def _teencode_repl(m: re.Match) -> str:
    return load_teencode().expansions[m.group()]


def _space(m: re.Match) -> str:
    return " "


def _empty(m: re.Match) -> str:
    return ""


def _leet(m: re.Match) -> str:
    return _LEET_MAP[m.group()]


def _leet_symbol(m: re.Match) -> str:
    return _shorten(m.group().replace("@", "a").replace("$", "s"))  # a@a gives aaa


def _has_any(chars: str) -> Callable[[str], object]:
    """A gate: does the text contain any of ``chars``? (a C-level regex search)"""
    return re.compile("[" + re.escape(chars) + "]").search


_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f]")


def _may_have_invisible(text: str) -> bool:
    # every character _INVISIBLE removes is non-printable, except variation selectors
    return not text.isprintable() or _VARIATION_SELECTORS.search(text) is not None


# a unit letter after a number belongs to it (50 k -> 50k), so that it is not teencode;
# also when elongated (50 kkk), as it reads once the elongation is shortened
_UNIT = re.compile(r"(?<=\d) (?=([kđd])\1*+(?!\w))")
# where _UNIT can match, this does: a digit, a space and a unit letter
_UNIT_HINT = re.compile(r"\d [kđd]")


def _may_have_phone(text: str) -> object:
    """Whether the phone step can change ``text``: every replacement it makes (a phone
    number, a long run of digits) holds at least 8 digits; counting them is one C-level
    pass, and most posts hold a few digits (prices, dates) that the pattern would match
    one by one and give back."""
    return _DIGIT.search(text) is not None and _DIGIT.subn("", text)[1] >= _LONG_DIGITS


# Steps on the whole text. Then come steps that never look across a space: the fast
# path runs those once per distinct space-separated chunk and caches the result.
_EARLY = (_Step("invisible", _INVISIBLE, _empty, _may_have_invisible),)
_WHOLE = (
    _Step("orphan_marks", _ORPHAN_MARKS, _empty),
    _Step("spaces", _SPACES, _space),
    _Step("url", _URL_RE, _url_repl, _may_have_url),
    _Step("email", _EMAIL_RE, _email_repl, _has_any("@")),
    _Step("phone", _PHONE_RE, _phone_repl, _may_have_phone),
    _Step("url_again", _URL_RE, _url_repl, _may_have_new_url),
    _Step("unit", _UNIT, _empty, _UNIT_HINT.search),
    _Step("spaced", _SPACED, _join_spaced),
)
_LOCAL = (
    _Step("repeated_symbol", _REPEATED_SYMBOL, _group1),
    _Step("placeholders", _PLACEHOLDERS_RE, _master_repl),
    # leet makes elongations (o0o): before the elongation steps
    _Step("leet", _LEET, _leet, _has_any("0134")),
    _Step("toned_then_plain", _TONED_THEN_PLAIN, _drop_plain_repeats),
    _Step("repeated_letter", _REPEATED_LETTER, _group1),
    # joins what the elongation steps shortened (aaa.a.a, l.ừ.áa), shortening the joined
    # word itself; then @ and $ in words, which a join may make (l.ừ.a@b)
    _Step("dotted", _DOTTED, _join_dotted, _has_any(".-*")),
    _Step("leet_symbol", _LEET_SYMBOL, _leet_symbol, _has_any("@$")),
    _Step("tones", MULTI_VOWEL_TONED, _tones),
)
_LATE = (
    _Step("spaces_again", _SPACES, _space),
    _Step("edges", _EDGE_SPACES, _empty),
)

_CASE_MAP = str.maketrans({"Ð": "Đ", "ð": "đ"})


@lru_cache(maxsize=1)
def _teencode_step() -> _Step:
    # not in a domain: before one (vn.com: expanded, its last word would start a new
    # URL), nor a top-level domain after a dot (.vn)
    not_tld = rf"(?!(?<=\.){_TLD}(?![\w-]))"
    not_before_domain = rf"(?!\.(?:[\w-]{{1,63}}+\.){{0,8}}{_TLD}(?![\w-]))"
    pattern = re.compile(not_tld + load_teencode().pattern.pattern + not_before_domain)
    return _Step("teencode", pattern, _teencode_repl)


def _coerce(text) -> str:
    """Missing values become ''; anything that is not text is a TypeError."""
    if isinstance(text, str):
        return text
    if text is None:
        return ""
    if isinstance(text, float) and math.isnan(text):
        return ""
    if type(text).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(text, bytes | bytearray):
        raise TypeError(
            "normalize_text expects str, got bytes; decode it first, "
            "e.g. data.decode('utf-8', errors='replace')."
        )
    raise TypeError(
        f"normalize_text expects str (or None/NaN for missing), got {type(text).__name__}."
    )


# --- fast path -------------------------------------------------------------------------


def normalize_text(text, *, teencode: bool = True) -> str:
    """Return the canonical form of a Vietnamese post.

    Steps, in order: invisible and control characters removed; Unicode NFC;
    ``Ð`` (U+00D0) to ``Đ``; lowercase; whitespace collapsed; URLs, e-mail
    addresses, @mentions, phone numbers and numbers of five digits or more replaced
    by the placeholders ``xxurl``, ``xxemail``, ``xxuser``, ``xxphone``, ``xxnum``;
    phone numbers and e-mail addresses are found also when glued to words
    (``zalo0912345678`` to ``zalo xxphone``) or split by spaces, dots or hyphens
    (``0912.345.678``), and no run of eight digits or more is left, even split so
    (``1234 5678 9012`` to ``xxnum``), unless it is an amount with thousands
    separators, a date or a list of years (``20.000.000đ``, ``12.03.2021``,
    ``2019-2020`` are kept);
    emoticons kept with their mouth capped at two (``=)))))`` to ``=))``); letters
    split by dots or spaces joined (``l.ừ.a`` to ``lừa``); digits inside words read as
    letters (``ch3t`` to ``chet``); elongations shortened (``quáaaaa`` to ``quá``,
    ``!!!!`` to ``!``); one tone placement (``hoà``, ``hòa`` both give ``hòa``;
    ``thuỷ`` gives ``thủy``); teencode expanded from the project's table
    (``ko`` to ``không``), leaving ambiguous short forms alone.

    Parameters
    ----------
    text : str, None or float NaN
        The raw post. ``None`` and NaN (missing text) give ``''``.
    teencode : bool, default=True
        Expand teencode and abbreviations.

    Returns
    -------
    str
        The canonical text. The function is idempotent.

    Raises
    ------
    TypeError
        If ``text`` is bytes, a number or any other non-text object.

    Examples
    --------
    >>> from misinfo_clf import normalize_text
    >>> normalize_text("Uỷ ban nói ko đc   quáaaa!!!! =))))")
    'ủy ban nói không được quá! =))'
    """
    return " ".join(normalized_chunks(text, teencode=teencode))


def _sub(step: _Step, text: str, log: list | None) -> str:
    """``step.sub(text)``; with ``log``, each replacement that changes the text is recorded
    (``(step, [(start, end, replacement), ...], text)``), so that offsets can be derived
    from this one run (:class:`Normalized`)."""
    if log is None:
        return step.sub(text)
    if step.gate is not None and not step.gate(text):
        return text
    edits: list = []
    repl = step.repl

    def recording(m: re.Match) -> str:
        rep = repl(m)
        if rep != m.group():
            edits.append((m.start(), m.end(), rep))
        return rep

    out = step.pattern.sub(recording, text)
    if edits:
        log.append(("edits", edits, text))
    return out


def _whole_text_steps(text, log: list | None = None) -> str:
    """The whole-text steps (fast). With ``log``, what changed the text's length or
    positions is recorded for :meth:`Normalized.offsets`."""
    text = _coerce(text)
    if not text:
        return ""
    for step in _EARLY:
        text = _sub(step, text, log)
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            if log is not None:
                log.append(("nfc", None, text))
            text = unicodedata.normalize("NFC", text)
        if "Ð" in text or "ð" in text:
            text = text.translate(_CASE_MAP)  # one character for one: offsets unchanged
    lowered = text.lower()
    if log is not None and len(lowered) != len(text):
        log.append(("lower", None, text))
    text = lowered
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        if log is not None:
            log.append(("nfc", None, text))
        text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = _sub(_WHOLE[0], text, log)  # orphan combining marks
    joined = " ".join(text.split())  # the "spaces" step, in C
    if log is not None and joined != text:
        log.append(("spaces", None, text))
    text = joined
    for step in _WHOLE[2:]:
        text = _sub(step, text, log)
    return text


def normalized_chunks(text, *, teencode: bool = True) -> list[str]:
    """The canonical text as a list of chunks; ``" ".join`` gives :func:`normalize_text`.

    The steps after :data:`_WHOLE` never look across a space, so each distinct
    space-separated chunk is normalized once and remembered (posts repeat words).
    """
    return _local_chunks(_whole_text_steps(text), teencode)


def _local_chunks(text: str, teencode: bool) -> list[str]:
    """The chunk-local steps on the output of :func:`_whole_text_steps` (cached per chunk)."""
    if not text:
        return []
    cache = _CHUNK_CACHE[teencode]
    chunks = text.split(" ")
    out = [cache.get(c) for c in chunks]
    if None in out:
        for i, c in enumerate(chunks):
            if out[i] is None:
                out[i] = done = _local_steps(c, teencode)
                if len(c) <= _MAX_CACHED_CHUNK:
                    if len(cache) >= _MAX_CACHE_SIZE:
                        cache.clear()
                    cache[c] = done
    return cast(list[str], out)  # every None was filled above


_MAX_CACHED_CHUNK = 40
_MAX_CACHE_SIZE = 1 << 16  # per setting; bounds memory in long batch runs
# chunk -> normalized chunk, one cache per teencode setting; bounded (cleared when full)
_CHUNK_CACHE: dict[bool, dict[str, str]] = {True: {}, False: {}}


# Steps that can change a chunk made only of letters (str.isalpha): the others need a
# digit, a symbol or punctuation. "xd" is the one all-letter emoticon.
_LETTER_STEPS = tuple(s for s in _LOCAL if s.name in ("toned_then_plain", "repeated_letter"))
assert [s.name for s in _LOCAL][-1] == "tones"


def _local_steps(chunk: str, teencode: bool) -> str:
    if chunk.isalpha() and "xd" not in chunk:
        # A chunk of letters is one word: the steps that need digits or symbols cannot
        # match, the tone step rewrites the whole word, and teencode is a dict lookup.
        for step in _LETTER_STEPS:
            chunk = step.sub(chunk)
        chunk = _place_tone(chunk, False)
        return load_teencode().expansions.get(chunk, chunk) if teencode else chunk
    for step in _LOCAL:
        chunk = step.sub(chunk)
    if teencode:
        chunk = _teencode_step().sub(chunk)
    return " ".join(chunk.split())


# --- tracked path ----------------------------------------------------------------------


@dataclass(frozen=True)
class NormalizedText:
    """A canonical text and, for each of its characters, the raw span it came from.

    Attributes
    ----------
    raw : str
        The input text.
    text : str
        The canonical text, equal to ``normalize_text(raw)``.
    starts, ends : numpy.ndarray of int
        ``raw[starts[i]:ends[i]]`` is where ``text[i]`` came from.
    """

    raw: str
    text: str
    starts: np.ndarray
    ends: np.ndarray

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` back to ``(raw_start, raw_end)``."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(
                f"span ({start}, {end}) is outside the normalized text of length {len(self.text)}."
            )
        return int(self.starts[start:end].min()), int(self.ends[start:end].max())


def _apply_tracked(step: _Step, text: str, starts: list, ends: list):
    if step.gate is not None and not step.gate(text):
        return text, starts, ends
    edits = []
    for m in step.pattern.finditer(text):
        rep = step.repl(m)
        if rep != m.group():
            edits.append((m.start(), m.end(), rep))
    return _apply_edits(text, starts, ends, edits)


def _apply_edits(text: str, starts: list, ends: list, edits: list):
    """``text`` with ``edits`` (``(start, end, replacement)``, in order, not overlapping)
    applied, and the raw offsets of every output character."""
    if not edits:
        return text, starts, ends
    out, out_s, out_e = [], [], []
    last = 0
    for a, b, rep in edits:
        out.append(text[last:a])
        out_s.extend(starts[last:a])
        out_e.extend(ends[last:a])
        if rep:
            if len(rep) == b - a:
                out_s.extend(starts[a:b])
                out_e.extend(ends[a:b])
            else:
                if a < b:
                    lo, hi = min(starts[a:b]), max(ends[a:b])
                else:  # an insertion: attach to the neighbouring character
                    k = min(a, len(text) - 1)
                    lo, hi = starts[k], ends[k]
                out_s.extend([lo] * len(rep))
                out_e.extend([hi] * len(rep))
            out.append(rep)
        last = b
    out.append(text[last:])
    out_s.extend(starts[last:])
    out_e.extend(ends[last:])
    return "".join(out), out_s, out_e


def _is_cluster_start(c: str) -> bool:
    return not unicodedata.combining(c) and not ("\u1160" <= c <= "\u11ff")


def _nfc_tracked(text: str, starts: list, ends: list):
    """NFC, cluster by cluster (a character and the combining marks after it): each
    output character of a cluster spans the raw characters of the whole cluster. Only
    the clusters NFC may change are spelled out (those of several characters, and
    single characters that NFC rewrites); the others keep their offsets."""
    if unicodedata.is_normalized("NFC", text):
        return text, starts, ends
    out, out_s, out_e = [], [], []
    last = 0
    for m in _nfc_clusters(text).finditer(text):
        i, j = m.span()
        piece = unicodedata.normalize("NFC", m.group())
        lo, hi = min(starts[i:j]), max(ends[i:j])
        out.append(text[last:i])
        out_s.extend(starts[last:i])
        out_e.extend(ends[last:i])
        out.append(piece)
        out_s.extend([lo] * len(piece))
        out_e.extend([hi] * len(piece))
        last = j
    out.append(text[last:])
    out_s.extend(starts[last:])
    out_e.extend(ends[last:])
    result = "".join(out)
    if result != unicodedata.normalize("NFC", text):  # composition across clusters
        result = unicodedata.normalize("NFC", text)
        lo, hi = (min(starts), max(ends)) if starts else (0, 0)
        return result, [lo] * len(result), [hi] * len(result)
    return result, out_s, out_e


def _chunk_starts(chunks: list[str]) -> list[int]:
    """Where each chunk starts in ``" ".join(chunks)`` (the chunks before it and a space
    after each), and one more entry past the end."""
    return list(accumulate(map(operator.add, map(len, chunks), itertools.repeat(1)), initial=0))


def _nfc_moves(text: str) -> list | None:
    """:func:`_nfc_tracked` as moves (see :class:`_Moves`): each cluster NFC may change
    spans all its characters; None when NFC composes across clusters."""
    moves, out = [], []
    last = 0
    for m in _nfc_clusters(text).finditer(text):
        i, j = m.span()
        piece = unicodedata.normalize("NFC", m.group())
        moves.append((i, j, len(piece), False))
        out += [text[last:i], piece]
        last = j
    out.append(text[last:])
    if "".join(out) != unicodedata.normalize("NFC", text):
        return None
    return moves


class _Moves:
    """One tracked step as the spans it rewrote: ``(start, end, new length, in place)``
    in its input, in order. An output character outside them is the input character at
    the same place less the length lost before it; inside one rewritten in place, the
    input character at the same place in it; inside another, all of the span (the
    character before it, for an insertion)."""

    def __init__(self, moves: list, length: int):
        self.moves, self.length = moves, length
        self.out_starts = []
        self.shifts = []  # output minus input position after each move
        shift = 0
        for a, b, size, _ in moves:
            self.out_starts.append(a + shift)
            shift += size - (b - a)
            self.shifts.append(shift)
        self.out_length = length + shift

    def back(self, q: int, first: bool) -> int:
        """The input position of the first (or last) source character of output ``q``."""
        i = bisect_right(self.out_starts, q) - 1
        if i < 0:
            return q
        a, b, size, in_place = self.moves[i]
        inside = q - self.out_starts[i]
        if inside >= size:
            return q - self.shifts[i]
        if in_place:
            return a + inside
        if a == b:  # an insertion takes the offsets of the character at its place
            return min(a, self.length - 1)
        return a if first else b - 1


def _nfc_clusters(text: str) -> re.Pattern:
    """A pattern for the clusters of ``text`` that NFC may change: a character (the first
    of the text is one whatever it is) and one or more combining marks after it, or a
    lone character that NFC rewrites."""
    chars = set(text)
    marks = "".join(sorted(re.escape(c) for c in chars if not _is_cluster_start(c)))
    rewritten = "".join(sorted(re.escape(c) for c in chars if unicodedata.normalize("NFC", c) != c))
    parts = []
    if marks:
        parts.append(f"(?:^.|[^{marks}])[{marks}]+")
    if rewritten:
        parts.append(f"[{rewritten}]")
    return re.compile("|".join(parts) or "(?!)", re.DOTALL)


def _per_char_tracked(text: str, starts: list, ends: list, fn):
    mapped = fn(text)
    if len(mapped) == len(text):
        return mapped, starts, ends
    out, out_s, out_e = [], [], []
    for c, s, e in zip(text, starts, ends, strict=True):
        piece = fn(c)
        out.append(piece)
        out_s.extend([s] * len(piece))
        out_e.extend([e] * len(piece))
    return "".join(out), out_s, out_e


def _local_chunk_tracked(chunk: str, teencode: bool) -> tuple[str, list, list]:
    """The chunk-local steps on one chunk, with, for every output character, the first and
    the last+1 chunk positions it came from (cached: posts repeat words)."""
    cache = _TRACKED_CACHE[teencode]
    found = cache.get(chunk)
    if found is None and _local_steps_cached(chunk, teencode) == chunk:
        found = (chunk, None, None)  # unchanged (most words): offsets carry over as they are
        if len(chunk) <= _MAX_CACHED_CHUNK:
            if len(cache) >= _MAX_CACHE_SIZE:
                cache.clear()
            cache[chunk] = found
    if found is None:
        cur, first, last = chunk, list(range(len(chunk))), list(range(1, len(chunk) + 1))
        for step in _LOCAL + ((_teencode_step(),) if teencode else ()):
            cur, first, last = _apply_tracked(step, cur, first, last)
        found = (cur, first, last)
        if len(chunk) <= _MAX_CACHED_CHUNK:
            if len(cache) >= _MAX_CACHE_SIZE:
                cache.clear()
            cache[chunk] = found
    return found


# chunk -> (normalized chunk, first, last), one cache per teencode setting; bounded
_TRACKED_CACHE: dict[bool, dict[str, tuple]] = {True: {}, False: {}}


def _local_steps_cached(chunk: str, teencode: bool) -> str:
    """The fast path's chunk-local result (from its cache when there)."""
    out = _CHUNK_CACHE[teencode].get(chunk)
    return _local_steps(chunk, teencode) if out is None else out


def _local_tracked(text: str, starts: list, ends: list, teencode: bool):
    """The chunk-local steps, tracked, chunk by chunk (they never look across a space).

    Offsets only grow along the text (every tracked step keeps them so), so the raw span
    of a range of a chunk is ``starts`` of its first character to ``ends`` of its last.
    """
    out, out_s, out_e = [], [], []
    pos = 0
    for k, chunk in enumerate(text.split(" ")):
        if k:  # the separating space keeps its own offsets
            out.append(" ")
            out_s.append(starts[pos - 1])
            out_e.append(ends[pos - 1])
        piece, first, last = _local_chunk_tracked(chunk, teencode)
        out.append(piece)
        if first is None:
            out_s.extend(starts[pos : pos + len(chunk)])
            out_e.extend(ends[pos : pos + len(chunk)])
        else:
            out_s.extend([starts[pos + r] for r in first])
            out_e.extend([ends[pos + r - 1] for r in last])
        pos += len(chunk) + 1
    return "".join(out), out_s, out_e


def normalize_with_offsets(text, *, teencode: bool = True) -> NormalizedText:
    """Normalize ``text`` like :func:`normalize_text` and keep offsets to the raw text.

    Slower than :func:`normalize_text`; use it where spans in the raw post are
    needed (explanations), not for bulk feature extraction.

    Examples
    --------
    >>> from misinfo_clf.text import normalize_with_offsets
    >>> nt = normalize_with_offsets("Nói ko đc")
    >>> nt.text
    'nói không được'
    >>> start = nt.text.index("không")
    >>> nt.raw[slice(*nt.raw_span(start, start + len("không")))]
    'ko'
    """
    raw = _coerce(text)
    cur = raw
    starts = list(range(len(raw)))
    ends = list(range(1, len(raw) + 1))
    for step in _EARLY:
        cur, starts, ends = _apply_tracked(step, cur, starts, ends)
    cur, starts, ends = _nfc_tracked(cur, starts, ends)
    cur, starts, ends = _per_char_tracked(cur, starts, ends, lambda s: s.translate(_CASE_MAP))
    cur, starts, ends = _per_char_tracked(cur, starts, ends, str.lower)
    cur, starts, ends = _nfc_tracked(cur, starts, ends)
    for step in _WHOLE:
        cur, starts, ends = _apply_tracked(step, cur, starts, ends)
    cur, starts, ends = _local_tracked(cur, starts, ends, teencode)
    for step in _LATE:
        cur, starts, ends = _apply_tracked(step, cur, starts, ends)
    return NormalizedText(
        raw, cur, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    )


# --- one run, text and offsets -----------------------------------------------------------


class Normalized:
    """One post normalized once: its canonical chunks now, its offsets when asked for.

    :func:`normalize_post` runs the fast path once and records every edit that moved
    characters (a placeholder, collapsed spaces, a decomposed letter composed); the
    chunk-local steps are cached per distinct chunk, with their own offsets. Offsets
    are derived from that record on first use (:meth:`offsets`), without running the
    whole-text steps again: posts that need them (reasons) pay for them, the others
    only for the record.

    Attributes
    ----------
    raw : str
        The input (``''`` for a missing value).
    chunks : list of str
        ``" ".join(chunks)`` is :func:`normalize_text` of ``raw``.
    """

    __slots__ = ("raw", "chunks", "_text", "_whole", "_log", "_teencode", "_nt")

    def __init__(self, raw: str, chunks: list[str], whole: str, log: list, teencode: bool):
        self.raw, self.chunks = raw, chunks
        self._whole, self._log, self._teencode = whole, log, teencode
        self._text: str | None = None
        self._nt: NormalizedText | None = None

    @property
    def text(self) -> str:
        """The canonical text (:func:`normalize_text`)."""
        if self._text is None:
            self._text = " ".join(self.chunks)
        return self._text

    def offsets(self) -> NormalizedText:
        """The text with, for each character, the raw span it came from (computed once;
        equal to :func:`normalize_with_offsets`)."""
        if self._nt is None:
            self._nt = self._replay()
        return self._nt

    def _replay(self) -> NormalizedText:
        raw = self.raw
        n = len(raw)
        whole = self._whole
        if not self._log:  # nothing moved: one raw character per character
            if len(whole) != n:
                return normalize_with_offsets(raw, teencode=self._teencode)
            s = np.arange(n, dtype=np.int64)
            return self._local(s, s + 1)
        starts: Any = list(range(n))
        ends: Any = list(range(1, n + 1))
        cur = raw
        for kind, edits, before in self._log:
            if kind == "edits":
                cur, starts, ends = _apply_edits(before, starts, ends, edits)
            elif kind == "nfc":
                cur, starts, ends = _nfc_tracked(before, starts, ends)
            elif kind == "lower":
                cur, starts, ends = _per_char_tracked(before, starts, ends, str.lower)
            else:  # spaces: runs collapsed to one space, and none at the edges
                cur, starts, ends = _apply_edits(before, starts, ends, _space_edits(before))
        if len(cur) != len(whole):  # only one-for-one rewrites (lower, Ð) are not recorded
            return normalize_with_offsets(raw, teencode=self._teencode)
        return self._local(np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))

    def raw_spans(self, starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
        """:meth:`NormalizedText.raw_span` of each span ``text[starts[i]:ends[i]]``.

        Without computing the offsets of the whole text when they are not there yet: the
        two ends of each span are followed back through the recorded edits (every step
        keeps offsets growing along the text, so a span's raw start is that of its first
        character and its raw end that of its last)."""
        if self._nt is None:
            found = self._follow(starts, ends)
            if found is not None:
                return found
        nt = self.offsets()
        return [nt.raw_span(a, b) for a, b in zip(starts, ends, strict=True)]

    def _follow(self, starts: list[int], ends: list[int]) -> list[tuple[int, int]] | None:
        """:meth:`raw_spans` from the record, or None where only the offsets can say."""
        n = len(self.text)
        if not all(0 <= a < b <= n for a, b in zip(starts, ends, strict=True)):
            return None  # the offsets' raw_span raises the error
        lows = self._whole_positions(starts, first=True)
        highs = self._whole_positions([b - 1 for b in ends], first=False)
        if lows is None or highs is None:
            return None
        steps = self._steps()
        if steps is None:
            return None
        for step in reversed(steps):
            lows = [step.back(q, first=True) for q in lows]
            highs = [step.back(q, first=False) for q in highs]
        return [(lo, hi + 1) for lo, hi in zip(lows, highs, strict=True)]

    def _whole_positions(self, positions: list[int], first: bool) -> list[int] | None:
        """For characters of the text: the position in the whole-text steps' output of
        their first (or last) source character, through the chunk-local steps."""
        whole, text = self._whole, self.text
        if whole == text:
            return list(positions)
        pieces, chunks = whole.split(" "), self.chunks
        if len(pieces) != len(chunks):
            return None
        changed, gained = [], [0]  # changed chunks; what the text gained up to each
        for k in itertools.compress(itertools.count(), map(operator.ne, pieces, chunks)):
            piece, f, _ = _local_chunk_tracked(pieces[k], self._teencode)
            if piece != chunks[k] or f is None:  # as in _local_index: the reference decides
                return None
            changed.append(k)
            gained.append(gained[-1] + len(piece) - len(pieces[k]))
        if text.count(" ") != len(chunks) - 1:  # a chunk holds a space (two words of teencode)
            return self._whole_positions_of_chunks(positions, first)
        out = []
        for p in positions:
            k = text.count(" ", 0, p)  # the chunk of p (or the space after it)
            start = text.rfind(" ", 0, p) + 1
            where = start - gained[bisect_left(changed, k)]  # where chunk k starts in whole
            out.append(where + self._in_chunk(pieces[k], chunks[k], p - start, first))
        return out

    def _in_chunk(self, piece: str, chunk: str, off: int, first: bool) -> int:
        """Where offset ``off`` of output chunk ``chunk`` falls in ``piece``, the whole-text
        chunk it came from (its first character, or with ``first`` False its last)."""
        if chunk == piece:
            return off
        if off == len(chunk):  # the space after it keeps its own offsets
            return len(piece)
        _, f, la = _local_chunk_tracked(piece, self._teencode)
        return f[off] if first else la[off] - 1

    def _whole_positions_of_chunks(self, positions: list[int], first: bool) -> list[int]:
        """:meth:`_whole_positions` where a chunk holds a space: the chunks' starts summed."""
        pieces, chunks = self._whole.split(" "), self.chunks
        out_at, whole_at = _chunk_starts(chunks), _chunk_starts(pieces)
        out = []
        for p in positions:
            k = bisect_right(out_at, p) - 1
            out.append(whole_at[k] + self._in_chunk(pieces[k], chunks[k], p - out_at[k], first))
        return out

    def _steps(self) -> list | None:
        """The recorded whole-text steps as :class:`_Moves`, or None where the offsets'
        own replay is needed."""
        n = len(self.raw)
        if not self._log:
            return [] if len(self._whole) == n else None
        steps = []
        length = n
        moves: list | None
        for kind, edits, before in self._log:
            if len(before) != length:
                return None
            if kind == "edits":
                moves = [(a, b, len(rep), len(rep) == b - a) for a, b, rep in edits]
            elif kind == "nfc":
                if unicodedata.is_normalized("NFC", before):
                    moves = []
                else:
                    moves = _nfc_moves(before)
                    if moves is None:
                        return None
            elif kind == "spaces":
                moves = [(a, b, len(rep), len(rep) == b - a) for a, b, rep in _space_edits(before)]
            else:  # lower: one character may become several; rare
                return None
            if any(a == b for a, b, _, _ in moves) and not before:
                return None
            step = _Moves(moves, len(before))
            steps.append(step)
            length = step.out_length
        if length != len(self._whole):
            return None
        return steps

    def _local(self, s: np.ndarray, e: np.ndarray) -> NormalizedText:
        """Offsets through the chunk-local steps, from the whole-text steps' ``s, e``."""
        raw, text, whole = self.raw, self.text, self._whole
        if whole != text:  # the chunk-local steps changed something
            first, last = _local_index(whole, text, self.chunks, self._teencode)
            if first is None:
                return normalize_with_offsets(raw, teencode=self._teencode)
            s, e = s[first], e[last]
        if len(s) != len(text):  # never seen; the reference path then decides
            return normalize_with_offsets(raw, teencode=self._teencode)
        return NormalizedText(raw, text, s, e)


# runs of white space that the "spaces" step changes in length: longer than one character,
# or at an edge (a lone tab or newline becomes a space in place: its offsets carry over)
_SPACE_EDIT = re.compile(r"^\s+|\s+$|\s{2,}")


def _space_edits(text: str) -> list:
    """The "spaces" step and the edges step, as edits: what the tracked path gives, but for
    lone white space characters other than a space (the same offsets; the text replayed is
    only checked for its length)."""
    n = len(text)
    return [
        (a, b, "" if a == 0 or b == n else " ")
        for a, b in (m.span() for m in _SPACE_EDIT.finditer(text))
    ]


def _local_index(whole: str, text: str, chunks: list[str], teencode: bool):
    """For each character of ``text`` (the chunk-local steps' output ``chunks`` on
    ``whole``): the position in ``whole`` of its first and of its last raw character,
    from the per-chunk tracked cache (``None, None`` if they do not agree).

    Unchanged chunks (most) and the spaces between them keep their positions: only the
    changed chunks are spelled out."""
    pieces = whole.split(" ")
    if len(pieces) != len(chunks):
        return None, None
    changed = list(itertools.compress(itertools.count(), map(operator.ne, pieces, chunks)))
    # where each chunk starts: the chunks before it and a space after each
    at = list(
        map(operator.add, itertools.accumulate(map(len, pieces), initial=0), itertools.count())
    )
    firsts: list = []
    lasts: list = []
    run = 0  # where the current run of unchanged characters started
    for k in changed:
        chunk, pos = pieces[k], at[k]
        piece, f, la = _local_chunk_tracked(chunk, teencode)
        if piece != chunks[k] or f is None:
            return None, None
        if pos > run:
            same = np.arange(run, pos, dtype=np.int64)
            firsts.append(same)
            lasts.append(same)
        firsts.append(np.asarray(f, dtype=np.int64) + pos)
        lasts.append(np.asarray(la, dtype=np.int64) + (pos - 1))
        run = pos + len(chunk)  # the space after it (if any) starts the next run
    if len(whole) > run:
        same = np.arange(run, len(whole), dtype=np.int64)
        firsts.append(same)
        lasts.append(same)
    first = np.concatenate(firsts) if firsts else np.zeros(0, dtype=np.int64)
    last = np.concatenate(lasts) if lasts else np.zeros(0, dtype=np.int64)
    if len(first) != len(text):
        return None, None
    return first, last


def normalize_post(text, *, teencode: bool = True) -> Normalized:
    """Normalize ``text`` once: its canonical chunks, and its offsets on demand.

    The one normalization of serving: features, notes, the dedupe key and reasons all
    read its result (:class:`Normalized`).

    Examples
    --------
    >>> from misinfo_clf.text._normalize import normalize_post
    >>> post = normalize_post("Nói ko đc")
    >>> post.text
    'nói không được'
    >>> nt = post.offsets()
    >>> nt.raw[slice(*nt.raw_span(4, 9))]
    'ko'
    """
    raw = _coerce(text)
    log: list = []
    whole = _whole_text_steps(raw, log)
    return Normalized(raw, _local_chunks(whole, teencode), whole, log, teencode)
