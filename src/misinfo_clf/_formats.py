"""File formats: the one table of suffixes, how damaged or non-UTF-8 files are named,
and the cell rules of the files the library writes.

Every reader and writer of the project (batch scoring, the dataset readers, the review
queue and page) takes its format from :data:`SUFFIXES` and words its errors with
:func:`gzip_message` and :func:`not_utf8_message`. Nothing here imports the rest of
the project.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "FORMATS",
    "GZIP_ERRORS",
    "SUFFIXES",
    "InputError",
    "check_utf8_head",
    "detect_format",
    "escape_cell",
    "escape_column",
    "gzip_message",
    "infer_format",
    "not_utf8_message",
    "not_utf8_reason",
    "read_output",
    "text_safe",
    "unescape_cell",
    "unescape_column",
]

FORMATS = ("csv", "tsv", "jsonl", "parquet")
#: the one format table: file suffix (before an optional ``.gz``) -> format
SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


from ._errors import InputError  # noqa: E402  (defined without pandas, for serving)


def _suffix_format(path) -> tuple[str | None, bool]:
    """``(format or None, gzipped)`` from the suffixes of ``path`` (``.gz`` looked through)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    return (SUFFIXES.get(suffixes[-1]) if suffixes else None), gz


def detect_format(path) -> tuple[str, bool]:
    """``(format, gzipped)`` from a file name: ``posts.csv.gz`` gives ``("csv", True)``.

    For the files batch scoring reads and writes: gzipped Parquet is refused.
    """
    fmt, gz = _suffix_format(path)
    if fmt is None:
        raise InputError(
            f"{path}: unknown file format; expected one of {sorted(SUFFIXES)} "
            "(optionally followed by .gz, except Parquet)."
        )
    if fmt == "parquet" and gz:
        raise InputError(f"{path}: gzipped Parquet is not supported (Parquet compresses itself).")
    return fmt, gz


def infer_format(path, format: str | None = None) -> str:
    """The file format from ``format`` or from the suffix (``.gz`` is looked through)."""
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, got {format!r}.")
        return format
    fmt, _ = _suffix_format(path)
    if fmt is None:
        raise ValueError(
            f"{path}: cannot tell the format from the file name; use one of the suffixes "
            f"{sorted(SUFFIXES)} (optionally + .gz) or pass format= one of {FORMATS}."
        )
    return fmt


#: what a damaged gzip stream raises: truncated (EOFError), not gzip (BadGzipFile, an
#: OSError), corrupt data (zlib.error) or a bad checksum (BadGzipFile)
GZIP_ERRORS = (OSError, EOFError, zlib.error)


def gzip_message(path, exc: BaseException) -> str:
    """The one wording of "this .gz file cannot be read" for every reader."""
    if "Not a gzipped file" in str(exc):
        hint = "if it is not compressed, remove the .gz from its name"
    else:
        hint = "it is truncated or corrupt (an interrupted download or copy?)"
    return f"{path}: not a readable gzip file ({type(exc).__name__}: {exc}); {hint}."


def not_utf8_reason(head: bytes) -> str | None:
    """Why the first line of a text file shows that the file is not UTF-8, or None.

    ``head`` is the raw first line (the header of a CSV file, a record of a JSONL
    file), or the first bytes of the file. Byte order marks and NUL bytes (ASCII
    letters in UTF-16 have a NUL byte each) give UTF-16 or UTF-32; bytes that are not
    valid UTF-8 give an 8-bit encoding. A UTF-8 byte order mark is fine (None).
    """
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "it looks like UTF-32 (it starts with a UTF-32 byte order mark)"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it looks like UTF-16 (it starts with a UTF-16 byte order mark)"
    if b"\x00\x00\x00" in head:
        return "it looks like UTF-32 (NUL bytes between the letters)"
    if b"\x00" in head:
        return "it looks like UTF-16 (NUL bytes between the letters)"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(head):
            return None  # a sample cut in the middle of a character
        return (
            "it looks like an 8-bit encoding such as cp1252 (Western European) or cp1258 "
            f"(Windows Vietnamese): byte {exc.start} of the first line "
            f"({head[exc.start : exc.start + 1]!r}) is not valid UTF-8"
        )
    return None


def not_utf8_message(path, reason: str) -> str:
    """The one wording of "this file is not UTF-8" for every reader."""
    return f"{path} is not UTF-8: {reason}; re-save it as UTF-8."


def check_utf8_head(path) -> None:
    """Raise :class:`InputError` when the first line of a text file (``.gz`` looked
    through) shows another encoding (see :func:`not_utf8_reason`), or when a ``.gz``
    file cannot be read."""
    path = Path(path)
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as f:
            head = f.readline(64 * 1024)
    except GZIP_ERRORS as exc:
        raise InputError(gzip_message(path, exc)) from None
    reason = not_utf8_reason(head)
    if reason is not None:
        raise InputError(not_utf8_message(path, reason))


# -- cells of output files ----------------------------------------------------------------

#: first characters that make a spreadsheet read a cell as a formula (OWASP "CSV
#: injection"), and the escape character itself, so that unescaping is unambiguous
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_FORMULA_START = frozenset(FORMULA_START)
_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_cell(value):
    """A CSV/TSV cell that a spreadsheet shows as text: ``'`` before a leading
    ``= + - @``, tab, carriage return or ``'``.

    Spreadsheets (Excel, LibreOffice) run a cell that starts with ``= + - @`` as a
    formula, and take a leading ``'`` as "this is text" (not shown). Prefixing cells
    that start with ``'`` too makes :func:`unescape_cell` exact:
    ``unescape_cell(escape_cell(s)) == s`` for every string. Other values are
    returned unchanged.
    """
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def unescape_cell(value):
    """Undo :func:`escape_cell`: drop one leading ``'`` of a string."""
    if isinstance(value, str) and value[:1] == "'":
        return value[1:]
    return value


def escape_column(values: pd.Series) -> pd.Series:
    """:func:`escape_cell` over a column of strings (``str`` dtype), vectorized."""
    if not isinstance(values.dtype, pd.StringDtype):
        return values.map(escape_cell)
    hit = np.asarray(values.str.startswith(FORMULA_START).fillna(False), dtype=bool)
    return values.where(~hit, "'" + values) if hit.any() else values


def unescape_column(values: pd.Series) -> pd.Series:
    """:func:`unescape_cell` over a column of strings, vectorized for ``str`` dtype."""
    if not isinstance(values.dtype, pd.StringDtype):
        return values.map(unescape_cell)
    hit = np.asarray(values.str.startswith("'").fillna(False), dtype=bool)
    return values.where(~hit, values.str[1:]) if hit.any() else values


def text_safe(value):
    """A string every output format can hold: lone surrogates become U+FFFD.

    A JSON escape such as ``"\\ud800"`` decodes to a lone surrogate, which UTF-8 (and
    so CSV, JSONL and Parquet files) cannot encode. Other values are returned unchanged.
    """
    if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
        return _SURROGATE.sub("\ufffd", value)
    return value


def read_output(path) -> pd.DataFrame:
    """Read a file written by :func:`~misinfo_clf.score_file` (ids and labels as strings).

    CSV/TSV cells lose the ``'`` that the writer puts before cells a spreadsheet would
    run as a formula (see :func:`escape_cell`): ids and texts come back exactly as they
    were scored.
    """
    fmt, gz = detect_format(path)
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False, compression="gzip" if gz else None)
    df = pd.read_csv(
        path, sep="," if fmt == "csv" else "\t", dtype=str, keep_default_na=False, na_values=[""]
    )
    return pd.DataFrame({unescape_cell(c): unescape_column(df[c]) for c in df.columns})
