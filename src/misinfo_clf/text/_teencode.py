"""The teencode / abbreviation table written for this project (``data/teencode.tsv``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class TeencodeTable:
    """Expansions read from ``teencode.tsv``.

    Attributes
    ----------
    version : str
        The ``version`` line of the file header; saved models record it.
    expansions : dict
        ``short form -> expansion`` for the entries expanded by default.
    ambiguous : dict
        Entries marked ``ambiguous`` (``v``, ``nc``, ...): they have a common
        legitimate meaning, so they are not expanded.
    pattern : re.Pattern
        Matches any default short form as a whole token (not glued to ``@``).
    """

    version: str
    expansions: dict
    ambiguous: dict
    pattern: re.Pattern


def _parse(text: str) -> TeencodeTable:
    version = "unknown"
    expansions: dict[str, str] = {}
    ambiguous: dict[str, str] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            m = re.match(r"#\s*version\s*[:=]?\s*(\S+)", line, re.IGNORECASE)
            if m:
                version = m.group(1)
            continue
        parts = raw.split("\t")
        if len(parts) < 2:
            raise ValueError(
                f"teencode.tsv line {lineno}: expected 'short<TAB>expansion[<TAB>note]', "
                f"got {raw!r}."
            )
        short = unicodedata.normalize("NFC", parts[0].strip().lower())
        expansion = " ".join(unicodedata.normalize("NFC", parts[1].lower()).split())
        note = parts[2].strip().lower() if len(parts) > 2 else ""
        if not re.fullmatch(r"\w+", short):
            raise ValueError(f"teencode.tsv line {lineno}: short form {short!r} is not one token.")
        target = ambiguous if "ambiguous" in note else expansions
        target[short] = expansion
    # expansions must be stable: an expansion that is itself a short form would make
    # normalization depend on how many times it runs
    for short, expansion in expansions.items():
        for word in expansion.split():
            if word in expansions and expansions[word] != word:
                raise ValueError(
                    f"teencode.tsv: expansion of {short!r} contains {word!r}, "
                    "which is itself a short form."
                )
    keys = sorted(expansions, key=lambda k: (-len(k), k))
    # a word glued to @ is part of an address or a handle (vn@abc, x@vn), not teencode
    pattern = re.compile(r"(?<![\w@])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w@])")
    return TeencodeTable(version, expansions, ambiguous, pattern)


@lru_cache(maxsize=1)
def load_teencode() -> TeencodeTable:
    """Load the packaged table once (lazily, on first use)."""
    text = resources.files("misinfo_clf.text").joinpath("data/teencode.tsv").read_text("utf-8")
    return _parse(text)
