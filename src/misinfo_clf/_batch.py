"""Batch scoring of post dumps: streaming readers, worker processes, resume, summary.

Data flow of :func:`score_file`::

    input files ──read in chunks──▶ chunk (id, text, metadata, reader error)
        ──score_chunk (dedupe ▸ score_frame ▸ broadcast)──▶ scored chunk
        ──▶ OUTPUT.parts/part-NNNNNN.parquet + checkpoint.json   (one per chunk, in order)
        ──▶ OUTPUT (concatenated, written to a temporary file, then renamed)

Every input row gives exactly one output row, in input order. Rows the readers cannot
parse (a bad JSON line, a CSV record with the wrong number of fields or an unclosed
quote, undecodable bytes, the unreadable end of a damaged file) get an ``error: ...``
status, ``review`` decisions and NaN probabilities, like the values
:func:`~misinfo_clf.score_frame` itself cannot read. Rows without text (missing, blank,
only links or emoji) abstain, exactly as in ``predict``: status ``ok``, decision
``abstain``, note ``empty`` or ``no_text`` (see :mod:`misinfo_clf._validation`).
"""

from __future__ import annotations

import contextlib
import csv
import glob
import gzip
import itertools
import json
import logging
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._io import (
    GZIP_ERRORS,
    escape_cell,
    escape_column,
    gzip_message,
    not_utf8_message,
    not_utf8_reason,
    text_safe,
    unescape_cell,
    unescape_column,
)
from ._model import Model, metadata_columns, output_columns, score_frame
from ._queue import REACH_COLUMNS, build_queue_from_candidates, queue_candidates, reach_of
from ._validation import is_missing
from .text import normalize_text

__all__ = ["score_file", "score_chunk", "InputError", "read_chunks", "detect_format"]

log = logging.getLogger(__name__)

#: internal column carrying a reader's error message for a row (None when the row is fine)
ERROR_COL = "__misinfo_clf_error__"
#: the column naming the input file when several files are scored together
SOURCE_COL = "source"
DEFAULT_CHUNK_SIZE = 2_000
#: a CSV field longer than this stops the csv module; the record becomes an error row
CSV_FIELD_LIMIT = 64 * 1024 * 1024
CHECKPOINT = "checkpoint.json"
CHECKPOINT_VERSION = 1

_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


class InputError(ValueError):
    """An input cannot be scored at all (unknown format, no text column, no header)."""


# -- formats ----------------------------------------------------------------------------


def detect_format(path) -> tuple[str, bool]:
    """``(format, gzipped)`` from a file name: ``posts.csv.gz`` gives ``("csv", True)``."""
    name = Path(path).name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    for ext, fmt in _FORMATS.items():
        if name.endswith(ext):
            if fmt == "parquet" and gz:
                raise InputError(
                    f"{path}: gzipped Parquet is not supported (Parquet compresses itself)."
                )
            return fmt, gz
    raise InputError(
        f"{path}: unknown file format; expected one of {sorted(_FORMATS)} "
        "(optionally followed by .gz, except Parquet)."
    )


def expand_inputs(inputs) -> list[Path]:
    """Input paths with globs expanded (sorted), in the order given; missing files raise."""
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    paths: list[Path] = []
    for item in inputs:
        text = os.fspath(item)
        if not os.path.exists(text) and glob.has_magic(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise FileNotFoundError(f"no input file matches {text!r}.")
            paths.extend(Path(m) for m in matches)
        elif not os.path.isfile(text):
            raise FileNotFoundError(f"input file {text!r} does not exist.")
        else:
            paths.append(Path(text))
    if not paths:
        raise FileNotFoundError("no input files given.")
    for p in paths:
        detect_format(p)
    return paths


# -- readers ----------------------------------------------------------------------------


@dataclass
class Chunk:
    """Rows of one input file, ready for :func:`score_chunk`."""

    frame: pd.DataFrame
    source: str
    #: fraction of all input read once this chunk is done (for the progress bar)
    position: float = 0.0


class _Damaged(Exception):
    """The compressed stream of an input breaks off: truncated or corrupt gzip data."""


class _Lines:
    """Lines of a binary stream decoded as UTF-8; remembers which could not be decoded.

    The first line is checked for another encoding (UTF-16, UTF-32: InputError) and
    loses its UTF-8 byte order mark. :attr:`mark` names a line whose end offset is
    kept in :attr:`mark_pos`, so that reading can :meth:`rewind` to the line after it.
    Damaged gzip data raises :class:`_Damaged` (InputError on the first line).
    """

    def __init__(self, stream, path, gz: bool):
        self._stream = stream
        self.path = path
        self._errors = GZIP_ERRORS if gz else ()
        self.line_no = 0
        self.bad: list[int] = []
        self.first_raw = b""
        self.mark = 0
        self.mark_pos: int | None = None
        self.mark_line = ""

    def __iter__(self):
        return self

    def __next__(self) -> str:
        try:
            raw = self._stream.readline()
        except self._errors as exc:
            if self.line_no == 0:
                raise InputError(gzip_message(self.path, exc)) from None
            raise _Damaged(f"{type(exc).__name__}: {exc}") from None
        if not raw:
            raise StopIteration
        self.line_no += 1
        if self.line_no == 1:
            self.first_raw = raw
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            elif (reason := not_utf8_reason(raw)) is not None and "UTF-" in reason:
                raise InputError(not_utf8_message(self.path, reason))
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.bad.append(self.line_no)
            line = raw.decode("utf-8", "surrogateescape")
        if self.line_no == self.mark:
            self.mark_pos, self.mark_line = self._stream.tell(), line
        return line

    def bad_since(self, line: int) -> bool:
        return bool(self.bad) and self.bad[-1] >= line

    def rewind(self) -> None:
        """Read again from the line after :attr:`mark`."""
        self._stream.seek(self.mark_pos)
        self.line_no = self.mark
        self.bad = [n for n in self.bad if n <= self.mark]


def _undecoded(value: str):
    """A text field from an undecodable line: its original bytes when they are not UTF-8
    (score_frame then reports where), else the text itself."""
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _clean(value: str) -> str:
    """Another field from an undecodable line: bad bytes replaced by U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _Builder:
    """Accumulates rows of one file and cuts them into chunk frames."""

    def __init__(self, source: str, text_col: str, id_col: str, meta: Sequence[str]):
        self.source, self.text_col, self.id_col, self.meta = source, text_col, id_col, list(meta)
        self._reset()

    def _reset(self):
        self.ids: list = []
        self.texts: list = []
        self.errors: list = []
        self.metas: dict[str, list] = {c: [] for c in self.meta}

    def add(self, row_no: int, rid, text, error=None, meta: dict | None = None):
        if rid is None or rid == "" or (isinstance(rid, float) and math.isnan(rid)):
            rid = f"{self.source}:{row_no}"
        # an id with a lone surrogate (a JSON escape) cannot be written: U+FFFD
        self.ids.append(text_safe(str(rid)))
        self.texts.append(text)
        self.errors.append(error)
        for c in self.meta:
            self.metas[c].append(None if meta is None else meta.get(c))

    def __len__(self):
        return len(self.ids)

    def frame(self) -> pd.DataFrame:
        cols = {
            self.id_col: pd.Series(self.ids, dtype=object),
            self.text_col: pd.Series(self.texts, dtype=object),
        }
        for c in self.meta:
            if c not in cols:
                cols[c] = pd.Series(self.metas[c], dtype=object)
        cols[ERROR_COL] = pd.Series(self.errors, dtype=object)
        self._reset()
        return pd.DataFrame(cols)


def _open_binary(path: Path, gz: bool):
    raw = open(path, "rb")  # noqa: SIM115 (closed by the caller)
    return raw, (gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw)


def _parse_line(line: str, sep: str) -> list | None:
    """The fields of one line, read leniently (None when even that fails)."""
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return None


def _damage(path, line: int, what: str) -> str:
    """The status of the row that stands for the unreadable end of a damaged file."""
    log.warning("%s: truncated or corrupt gzip data after line %d (%s)", path, line, what)
    return (
        f"error: {path}: truncated or corrupt gzip data after line {line} ({what}): "
        "the rest of the file could not be read"
    )


def _read_csv(path, gz, sep, text_col, id_col, meta, chunk_size, source):
    """Rows of a CSV/TSV file.

    The csv module reads in strict mode: a quoted field still open at the end of the
    file, or a closing quote followed by something else than a delimiter or a line
    end, is an error. Both are what an unclosed quote does: it swallows the lines after
    it, up to the end of the file or up to the next quote. Such a record becomes one
    error row, and reading starts again at the line after the one where it began, so
    the rows it swallowed come out as rows.
    """
    raw, stream = _open_binary(path, gz)
    with raw, stream:
        lines = _Lines(stream, path, gz)
        if csv.field_size_limit() < CSV_FIELD_LIMIT:
            csv.field_size_limit(CSV_FIELD_LIMIT)
        reader = csv.reader(lines, delimiter=sep, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header line).") from None
        except csv.Error as exc:
            if str(exc) == "unexpected end of data":
                raise InputError(
                    f"{path}: unclosed quote in the header line: its quoted field runs to the "
                    "end of the file."
                ) from None
            raise InputError(f"{path}: unreadable header line: {exc}.") from None
        except _Damaged as exc:
            raise InputError(f"{path}: not a readable gzip file ({exc}).") from None
        if lines.bad:
            raise InputError(not_utf8_message(path, not_utf8_reason(lines.first_raw)))
        if text_col not in header:
            raise InputError(
                f"{path}: text column {text_col!r} not found; columns are {header}. "
                "Pick one with --text-col."
            )
        t_idx = header.index(text_col)
        i_idx = header.index(id_col) if id_col in header else None
        m_idx = {c: header.index(c) for c in meta if c in header}
        if i_idx is None:
            log.warning(
                "%s: no id column %r (columns are %s); ids are FILE:LINE", path, id_col, header
            )
        width = len(header)
        b = _Builder(source, text_col, id_col, meta)
        while True:
            start = lines.mark = lines.line_no + 1
            lines.mark_pos = None
            try:
                fields = next(reader)
            except StopIteration:
                break
            except _Damaged as exc:
                b.add(start, None, None, _damage(path, lines.line_no, str(exc)))
                break
            except csv.Error as exc:
                fields, rid, msg = None, None, str(exc)
                first = _parse_line(lines.mark_line, sep) if lines.mark_pos is not None else None
                if lines.line_no == start and "expected after" in msg and first is not None:
                    # a one-line record with a stray quote ('"Tin giả" lan truyền'): read
                    # leniently, as always; only a record that ran over lines is suspect
                    fields = first
                else:
                    if msg == "unexpected end of data":
                        msg = "unclosed quote: its quoted field runs to the end of the file"
                    elif lines.line_no > start:
                        msg = f"{msg} at line {lines.line_no}: an unclosed quote?"
                    if first is not None and i_idx is not None and i_idx < len(first) - 1:
                        rid = _clean(first[i_idx])  # the id comes before the broken field
                    if lines.line_no > start and lines.mark_pos is not None:
                        msg += f"; the lines after line {start} were read again as records"
                        lines.rewind()
                        reader = csv.reader(lines, delimiter=sep, strict=True)
                    b.add(start, rid, None, f"error: unreadable CSV record at line {start}: {msg}")
            if fields is not None:
                if not fields:  # a blank line is not a row
                    continue
                bad_bytes = lines.bad_since(start)
                if bad_bytes:
                    fields = [
                        _undecoded(f) if j == t_idx else _clean(f) for j, f in enumerate(fields)
                    ]
                rid = fields[i_idx] if i_idx is not None and i_idx < len(fields) else None
                if len(fields) != width:
                    b.add(
                        start,
                        rid,
                        None,
                        f"error: malformed CSV record at line {start}: expected {width} "
                        f"fields, found {len(fields)}",
                    )
                else:
                    b.add(
                        start,
                        rid,
                        fields[t_idx],
                        None,
                        {c: fields[j] for c, j in m_idx.items()} if m_idx else None,
                    )
            if len(b) >= chunk_size:
                yield b.frame(), raw.tell()
        if len(b):
            yield b.frame(), raw.tell()


_JSON_ID = {}


def _json_id_pattern(id_col: str) -> re.Pattern:
    if id_col not in _JSON_ID:
        _JSON_ID[id_col] = re.compile(
            r'"' + re.escape(id_col) + r'"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+))'
        )
    return _JSON_ID[id_col]


def _read_jsonl(path, gz, text_col, id_col, meta, chunk_size, source):
    raw, stream = _open_binary(path, gz)
    with raw, stream:
        lines = _Lines(stream, path, gz)
        b = _Builder(source, text_col, id_col, meta)
        seen_text = False
        keys_seen: set = set()
        while True:
            try:
                line = next(lines)
            except StopIteration:
                break
            except _Damaged as exc:
                b.add(lines.line_no + 1, None, None, _damage(path, lines.line_no, str(exc)))
                break
            n = lines.line_no
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                m = _json_id_pattern(id_col).search(line)
                rid = (m.group(1) or m.group(2)) if m else None
                b.add(n, rid, None, f"error: invalid JSON at line {n}: {exc}")
            else:
                if not isinstance(rec, dict):
                    b.add(
                        n,
                        None,
                        None,
                        f"error: line {n} holds a JSON {type(rec).__name__}, not an object",
                    )
                else:
                    keys_seen.update(rec)
                    text = rec.get(text_col)
                    seen_text = seen_text or text_col in rec
                    if isinstance(text, str) and n in lines.bad[-1:]:
                        text = _undecoded(text)
                    rid = rec.get(id_col)
                    if isinstance(rid, str) and n in lines.bad[-1:]:
                        rid = _clean(rid)
                    b.add(n, rid, text, None, rec if meta else None)
            if len(b) >= chunk_size:
                if not seen_text:
                    _no_text_key(path, text_col, keys_seen)
                yield b.frame(), raw.tell()
        if len(b):
            if not seen_text and keys_seen:
                _no_text_key(path, text_col, keys_seen)
            yield b.frame(), raw.tell()


def _no_text_key(path, text_col, keys):
    raise InputError(
        f"{path}: text column {text_col!r} not found in the first records; keys found are "
        f"{sorted(keys)}. Pick one with --text-col."
    )


def _read_parquet(path, text_col, id_col, meta, chunk_size, source):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}).") from None
    names = pf.schema_arrow.names
    if text_col not in names:
        raise InputError(
            f"{path}: text column {text_col!r} not found; columns are {names}. "
            "Pick one with --text-col."
        )
    has_id = id_col in names
    if not has_id:
        log.warning("%s: no id column %r (columns are %s); ids are FILE:ROW", path, id_col, names)
    meta_here = [c for c in meta if c in names and c not in (text_col, id_col)]
    cols = [text_col] + ([id_col] if has_id else []) + meta_here
    total = max(pf.metadata.num_rows, 1)
    size = os.path.getsize(path)
    row = 0
    batches = pf.iter_batches(batch_size=chunk_size, columns=cols)
    while True:
        b = _Builder(source, text_col, id_col, meta)
        try:
            batch = next(batches)
        except StopIteration:
            break
        except (OSError, ValueError, pa.ArrowException) as exc:
            what = "".join(c if c.isprintable() else " " for c in str(exc))
            what = " ".join(what.split())
            log.warning("%s: unreadable Parquet data after row %d (%s)", path, row, what)
            b.add(
                row + 1,
                None,
                None,
                f"error: {path}: unreadable Parquet data after row {row} ({what}): the rest of "
                "the file could not be read",
            )
            yield b.frame(), size
            break
        texts = batch.column(text_col).to_pylist()
        ids = batch.column(id_col).to_pylist() if has_id else [None] * len(texts)
        metas = {c: batch.column(c).to_pylist() for c in meta_here}
        for j, (rid, text) in enumerate(zip(ids, texts, strict=True)):
            b.add(row + j + 1, rid, text, None, {c: v[j] for c, v in metas.items()} or None)
        row += len(texts)
        yield b.frame(), int(size * row / total)


def input_columns(path) -> list[str]:
    """The column names of an input file, read cheaply (a CSV/TSV header, the keys of the
    first JSON line, a Parquet schema); [] when they cannot be read (the readers then
    report the problem)."""
    try:
        fmt, gz = detect_format(path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return list(pq.ParquetFile(path).schema_arrow.names)
        raw, stream = _open_binary(Path(path), gz)
        try:
            for line in stream:
                line = line.decode("utf-8-sig").strip()
                if not line:
                    continue
                if fmt == "jsonl":
                    rec = json.loads(line)
                    return list(rec) if isinstance(rec, dict) else []
                return next(csv.reader([line], delimiter="," if fmt == "csv" else "\t"))
        finally:
            stream.close()
            raw.close()
    except (OSError, ValueError, UnicodeDecodeError, EOFError, InputError):
        return []
    return []


def reader_columns(model, paths, keep, text_col: str, id_col: str) -> tuple[list, list]:
    """``(keep, meta)`` for both engines: the context columns to carry (default: the
    model's metadata columns that the inputs have), and every column the readers take
    besides text and id (the model's metadata, the reach counts, the context)."""
    if keep is None:
        present = {c for p in paths for c in input_columns(p)}
        keep = [c for c in model.metadata_columns if c in present and c not in (text_col, id_col)]
    meta = [
        c
        for c in dict.fromkeys([*model.metadata_columns, *REACH_COLUMNS, *keep])
        if c not in (text_col, id_col)
    ]
    return list(keep), meta


def context_text(values: pd.Series) -> pd.Series:
    """Context values as text, so that a column has one type in every chunk (and in
    Parquet): strings unchanged, missing values missing, JSON values as their JSON text,
    other values as ``str``."""

    def one(v):
        if v is None or isinstance(v, str):
            return v
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, dict | list | bool):
            return json.dumps(v, ensure_ascii=False)
        return str(v)

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def read_chunks(
    paths: Sequence[Path],
    *,
    text_col: str = "text",
    id_col: str = "id",
    meta: Sequence[str] = (),
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[Chunk]:
    """Stream the rows of ``paths`` as :class:`Chunk` s of at most ``chunk_size`` rows.

    A chunk never spans two files. Rows keep their file order; unparsable rows are
    kept, with their error in :data:`ERROR_COL`. Ids missing from a row (or a file)
    become ``FILE:LINE`` (``FILE:ROW`` for Parquet, 1-based).
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}.")
    sizes = [max(os.path.getsize(p), 1) for p in paths]
    total = sum(sizes)
    done = 0
    for path, size in zip(paths, sizes, strict=True):
        fmt, gz = detect_format(path)
        source = str(path)
        if fmt in ("csv", "tsv"):
            sep = "," if fmt == "csv" else "\t"
            it = _read_csv(path, gz, sep, text_col, id_col, meta, chunk_size, source)
        elif fmt == "jsonl":
            it = _read_jsonl(path, gz, text_col, id_col, meta, chunk_size, source)
        else:
            it = _read_parquet(path, text_col, id_col, meta, chunk_size, source)
        for frame, pos in it:
            yield Chunk(frame, source, (done + min(pos, size)) / total)
        done += size


# -- scoring one chunk --------------------------------------------------------------------


def _error_template(model: Model) -> pd.DataFrame:
    """One row as score_frame gives for an unreadable input (NaN probabilities, review)."""
    row = score_frame(model, pd.DataFrame({"text": pd.Series([b"\xff"], dtype=object)}))
    return row


def _has_spans(reasons_json: str) -> bool:
    return '"start":' in reasons_json


def score_chunk(
    model: Model,
    chunk: pd.DataFrame,
    text_col: str = "text",
    id_col: str | None = "id",
    *,
    dedupe: bool = True,
    explain: bool = True,
) -> pd.DataFrame:
    """:func:`~misinfo_clf.score_frame` over a chunk, scoring identical posts once.

    Rows whose reader error (:data:`ERROR_COL`) is set are not scored: they get that
    ``error: ...`` status, NaN probabilities and ``review`` decisions. Every other
    value goes to ``score_frame``, which applies the one rule of
    :mod:`misinfo_clf._validation` (missing or blank text abstains). With ``dedupe``, posts with the same normalized text (and
    the same metadata values) are scored once and the result is broadcast. Reasons
    carry spans in each post's *raw* text, so a duplicate whose raw text differs
    from the scored one is re-scored when the scored one has reasons with spans.

    Returns a frame with ``model.output_columns(id_col)`` and a fresh RangeIndex.
    """
    n = len(chunk)
    texts = chunk[text_col].tolist()
    errors = chunk[ERROR_COL].tolist() if ERROR_COL in chunk.columns else [None] * n
    status: dict[int, str] = {}
    good: list[int] = []
    for i, e in enumerate(errors):
        if isinstance(e, str) and e:
            status[i] = e
        else:
            good.append(i)
    meta_cols = [c for c in model.metadata_columns if c in chunk.columns and c != text_col]
    pieces: list[pd.DataFrame] = []
    row_of = np.zeros(n, dtype=np.int64)  # row of the stacked pieces each input row takes
    offset = 0
    if good:
        # exact raw duplicates first, then duplicates after normalization
        raw_first: dict = {}
        unique: list[int] = []  # input row of each distinct (raw text, metadata)
        unique_of: dict[int, int] = {}
        metas = chunk[meta_cols].itertuples(index=False, name=None) if meta_cols else None
        meta_vals = list(metas) if metas is not None else None
        for i in good:
            t = texts[i]
            m = meta_vals[i] if meta_vals is not None else ()
            if is_missing(t):
                t = None  # every missing value (None, NaN, pd.NA) is one post
            try:
                key = (t, m) if dedupe else i
                hash(key)
            except TypeError:
                key = i
            u = raw_first.get(key)
            if u is None:
                u = raw_first[key] = len(unique)
                unique.append(i)
            unique_of[i] = u
        rep_of_unique = list(range(len(unique)))
        if dedupe:
            norm_first: dict = {}
            for u, i in enumerate(unique):
                t = texts[i]
                if not isinstance(t, str) or len(t) > model.max_chars:
                    continue  # score_frame reports these itself; never merged
                m = meta_vals[i] if meta_vals is not None else ()
                rep_of_unique[u] = norm_first.setdefault(
                    (normalize_text(t, teencode=model.views.teencode), m), u
                )
        reps = sorted(set(rep_of_unique))
        cols = [text_col] + meta_cols
        scored = score_frame(
            model, chunk.iloc[[unique[u] for u in reps]][cols], text_col, None, explain=explain
        )
        pos_of_unique = {u: k for k, u in enumerate(reps)}
        # near duplicates whose representative has spans: score them with their own text
        redo = [
            u
            for u, r in enumerate(rep_of_unique)
            if r != u and _has_spans(scored["reasons"].iat[pos_of_unique[r]])
        ]
        pieces.append(scored)
        offset = len(scored)
        if redo:
            again = score_frame(
                model, chunk.iloc[[unique[u] for u in redo]][cols], text_col, None, explain=explain
            )
            for k, u in enumerate(redo):
                pos_of_unique[u] = offset + k
            pieces.append(again)
            offset += len(again)
        for u, r in enumerate(rep_of_unique):
            pos_of_unique.setdefault(u, pos_of_unique[r])
        for i in good:
            row_of[i] = pos_of_unique[unique_of[i]]
    if status:
        pieces.append(_error_template(model))
        for i in status:
            row_of[i] = offset
    stacked = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    out = stacked.iloc[row_of].reset_index(drop=True)
    if status:
        idx = np.fromiter(status, dtype=np.int64)
        st = out["status"].to_numpy(dtype=object, copy=True)
        st[idx] = [status[i] for i in idx]
        out["status"] = st
    if id_col:
        out.insert(0, id_col, chunk[id_col].to_numpy(dtype=object))
    return out[model.output_columns(id_col)]


# -- output -------------------------------------------------------------------------------


def _writable(df: pd.DataFrame, spreadsheet: bool = False) -> pd.DataFrame:
    """``df`` with every string cell encodable as UTF-8 (lone surrogates become U+FFFD,
    :func:`~misinfo_clf._io.text_safe`) and, for CSV/TSV, escaped against formula
    injection (:func:`~misinfo_clf._io.escape_cell`, header included)."""
    cols = {}
    for c in df.columns:
        s = df[c]
        if s.dtype == object:
            s = s.map(text_safe)
        # (a pandas "str" column holds valid UTF-8 already: Arrow checks it)
        if spreadsheet and (s.dtype == object or isinstance(s.dtype, pd.StringDtype)):
            s = escape_column(s)
        name = text_safe(c)
        cols[escape_cell(name) if spreadsheet else name] = s
    return pd.DataFrame(cols, index=df.index)


def _has_cr(df: pd.DataFrame) -> bool:
    """Whether a string cell of ``df`` holds a carriage return."""
    for c in df.columns:
        s = df[c]
        if isinstance(s.dtype, pd.StringDtype):
            if s.str.contains("\r", regex=False).any():
                return True
        elif s.dtype == object and any(isinstance(v, str) and "\r" in v for v in s):
            return True
    return False


class _Writer:
    """Writes frames to ``path`` in the format its name says, through a temporary file
    in the same directory; :meth:`commit` renames it into place.

    Every string is written as UTF-8, lone surrogates (which UTF-8 cannot encode) as
    U+FFFD. CSV/TSV cells that a spreadsheet would run as a formula (a leading ``=``,
    ``+``, ``-``, ``@``, tab or carriage return) get a ``'`` in front, and so do cells
    that start with ``'``; :func:`read_output` removes it. JSONL and Parquet are exact.
    """

    def __init__(self, path: Path, float_cols: Sequence[str] = ()):
        self.path = Path(path)
        self.fmt, self.gz = detect_format(self.path)
        self.float_cols = set(float_cols)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        self._f = None
        self._pq = None
        self._schema = None
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            if self._schema is None:
                self._schema = pa.schema(
                    [(c, pa.float64() if c in self.float_cols else pa.string()) for c in df.columns]
                )
                self._pq = pq.ParquetWriter(self.tmp, self._schema)
            self._pq.write_table(_to_arrow(df, self._schema))
        else:
            if self._f is None:
                opener = gzip.open if self.gz else open
                self._f = opener(self.tmp, "wt", encoding="utf-8", newline="")
            if self.fmt in ("csv", "tsv"):
                safe = _writable(df, spreadsheet=True)
                safe.to_csv(
                    self._f,
                    sep="," if self.fmt == "csv" else "\t",
                    header=self.rows == 0,
                    index=False,
                    lineterminator="\n",
                    # the csv module quotes a field with "\n" but not one with a bare "\r",
                    # which readers then take for a line end: quote every string then
                    quoting=csv.QUOTE_NONNUMERIC if _has_cr(safe) else csv.QUOTE_MINIMAL,
                )
            else:
                for rec in _writable(df).to_dict(orient="records"):
                    self._f.write(json.dumps(_jsonable(rec), ensure_ascii=False) + "\n")
        self.rows += len(df)

    def commit(self, columns: Sequence[str] = ()) -> None:
        if self.rows == 0:  # still write a valid, empty file with the header/schema
            self.write(pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}))
        if self._pq is not None:
            self._pq.close()
        if self._f is not None:
            self._f.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        for h in (self._pq, self._f):
            if h is not None:
                try:
                    h.close()
                except Exception:  # noqa: BLE001 (already failing; keep the first error)
                    pass
        if self.tmp.exists():
            self.tmp.unlink()


def _jsonable(rec: dict) -> dict:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}


def _to_arrow(df: pd.DataFrame, schema):
    import pyarrow as pa

    arrays = []
    for f in schema:
        values = df[f.name]
        if pa.types.is_floating(f.type):
            arrays.append(pa.array(values.to_numpy(dtype=float), type=f.type, from_pandas=True))
        else:
            arrays.append(
                pa.array(
                    [
                        None if v is None or v is pd.NA or v != v else text_safe(str(v))
                        for v in values
                    ],
                    type=pa.string(),
                )
            )
    return pa.Table.from_arrays(arrays, schema=schema)


def read_output(path) -> pd.DataFrame:
    """Read a file written by :func:`score_file` (ids and labels as strings).

    CSV/TSV cells lose the ``'`` that the writer puts before cells a spreadsheet would
    run as a formula (see :func:`~misinfo_clf._io.escape_cell`): ids and texts come back
    exactly as they were scored.
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


# -- worker processes ---------------------------------------------------------------------

_WORKER: dict = {}


def _exit_with_parent(parent) -> None:
    """Block until the main process is gone, then end this worker at once.

    ``parent`` is the read end of a pipe whose only write end the main process holds:
    the read returns (end of file) when the main process ends, even by SIGKILL, which
    no cleanup code of its own sees. Works with every start method (the parent of a
    forkserver worker is the fork server, not the main process).
    """
    with contextlib.suppress(EOFError, OSError):
        parent.recv_bytes()
    os._exit(1)


def _init_worker(model, options: dict, parent=None) -> None:
    if parent is not None:
        import threading

        threading.Thread(
            target=_exit_with_parent, args=(parent,), name="exit-with-parent", daemon=True
        ).start()
    # one model per worker process, loaded once: from its directory when the main
    # process only holds the schema, else unpickled from the initializer arguments
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        _WORKER["model"] = model.load() if isinstance(model, _ModelSchema) else model
    except Exception as exc:  # raised again by _work, so the caller sees the real error
        _WORKER["error"] = exc
    _WORKER["options"] = options


def _work(frame: pd.DataFrame) -> pd.DataFrame:
    if "error" in _WORKER:
        raise _WORKER["error"]
    o = _WORKER["options"]
    return score_chunk(_WORKER["model"], frame, o["text_col"], o["id_col"], dedupe=o["dedupe"])


def write_queue(
    candidates: list, columns: list, id_col, queue_path, summary: dict | None = None
) -> dict:
    """Build the review queue from per-chunk candidates and write it atomically.

    A ``.html`` path gets the review page (:func:`~misinfo_clf.write_review_page`), with
    ``summary`` (rows scored, expected and observed queue shares) at its top.
    """
    q = build_queue_from_candidates(candidates, columns, id_col)
    if Path(queue_path).suffix.lower() in (".html", ".htm"):
        from ._review_page import write_review_page

        write_review_page(q, queue_path, id_col=id_col, summary=summary)
    else:
        writer = _Writer(Path(queue_path), [c for c in q.columns if q[c].dtype.kind == "f"])
        try:
            if len(q):
                writer.write(q)
            writer.commit(list(q.columns))
        except BaseException:
            writer.abort()
            raise
    return {
        "queue": str(queue_path),
        "queue_rows": len(q),
        "queue_groups": int(q["group_id"].nunique()) if len(q) else 0,
    }


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (macOS, Windows)
        return os.cpu_count() or 1


# -- progress and summary ------------------------------------------------------------------


class _Progress:
    """rows, rows/s and ETA on one stderr line, only when stderr is a terminal."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else bool(enabled)
        self.t0 = time.monotonic()
        self._last = 0.0

    def update(self, rows: int, fraction: float, start_fraction: float = 0.0, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.25:
            return
        self._last = now
        elapsed = max(now - self.t0, 1e-9)
        rate = rows / elapsed
        done = fraction - start_fraction
        eta = elapsed * (1 - fraction) / done if done > 0 else float("nan")
        eta_s = time.strftime("%H:%M:%S", time.gmtime(eta)) if eta == eta else "--:--:--"
        sys.stderr.write(
            f"\rscoring: {rows:,} rows  {rate:,.0f} rows/s  {fraction:6.1%}  ETA {eta_s} "
        )
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


@dataclass
class _Counts:
    """Rows read = scored + abstained (no text) + errored."""

    rows_read: int = 0
    rows_scored: int = 0
    rows_errored: int = 0
    flagged: int = 0
    review: int = 0
    passed: int = 0
    rows_abstained: int = 0
    #: per head: rows in each band (flag, review, pass, abstain) and unreadable rows (error)
    heads: dict = field(default_factory=dict)

    def add(self, out: pd.DataFrame) -> None:
        ok = (out["status"] == "ok").to_numpy()
        dec = out["decision"].to_numpy()
        abstained = ok & (dec == "abstain")
        for col in out.columns:
            if not col.endswith("_decision"):
                continue
            head = self.heads.setdefault(
                col[: -len("_decision")],
                {"flag": 0, "review": 0, "pass": 0, "abstain": 0, "error": 0},
            )
            d = out[col].to_numpy()
            for band in ("flag", "review", "pass", "abstain"):
                head[band] += int(((d == band) & ok).sum())
            head["error"] += int((~ok).sum())
        self.rows_read += len(out)
        self.rows_scored += int((ok & ~abstained).sum())
        self.rows_abstained += int(abstained.sum())
        self.rows_errored += int((~ok).sum())
        self.flagged += int(((dec == "flag") & ok).sum())
        self.review += int(((dec == "review") & ok).sum())
        self.passed += int(((dec == "pass") & ok).sum())


# -- resume ------------------------------------------------------------------------------


@dataclass
class _Parts:
    """``OUTPUT.parts/``: one Parquet file per completed chunk and a checkpoint."""

    dir: Path
    fingerprint: dict
    chunks_done: int = 0
    counts: _Counts = field(default_factory=_Counts)

    def part(self, k: int) -> Path:
        return self.dir / f"part-{k:06d}.parquet"

    def queue_part(self, k: int) -> Path:
        return self.dir / f"queue-{k:06d}.parquet"

    @classmethod
    def open(cls, output: Path, fingerprint: dict, resume: bool) -> _Parts:
        d = output.with_name(output.name + ".parts")
        parts = cls(d, fingerprint)
        ckpt = d / CHECKPOINT
        if resume and ckpt.is_file():
            state = json.loads(ckpt.read_text(encoding="utf-8"))
            if state.get("fingerprint") != fingerprint:
                diff = sorted(
                    k
                    for k in set(fingerprint) | set(state.get("fingerprint", {}))
                    if fingerprint.get(k) != state.get("fingerprint", {}).get(k)
                )
                raise InputError(
                    f"cannot resume: {d} was written by a run with different {diff}. "
                    f"Run without --resume to start over (the parts are then deleted)."
                )
            parts.chunks_done = int(state["chunks_done"])
            parts.counts = _Counts(**state["counts"])
            return parts
        if d.exists():
            if not resume:
                log.warning(
                    "%s exists from an earlier run; starting over (use --resume to continue)", d
                )
            shutil.rmtree(d)
        d.mkdir(parents=True)
        parts._save()
        return parts

    def _save(self) -> None:
        state = {
            "version": CHECKPOINT_VERSION,
            "fingerprint": self.fingerprint,
            "chunks_done": self.chunks_done,
            "counts": self.counts.__dict__,
        }
        tmp = self.dir / (CHECKPOINT + ".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(tmp, self.dir / CHECKPOINT)

    def commit(self, k: int, out: pd.DataFrame, queue_rows: pd.DataFrame | None) -> None:
        """Write chunk ``k`` (atomically), then move the checkpoint past it."""
        assert k == self.chunks_done, (k, self.chunks_done)
        _write_parquet_atomic(out, self.part(k))
        if queue_rows is not None and len(queue_rows):
            _write_parquet_atomic(queue_rows, self.queue_part(k))
        self.counts.add(out)
        self.chunks_done = k + 1
        self._save()


def _write_parquet_atomic(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    _writable(df).to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _fingerprint(
    paths, model: Model, text_col, id_col, chunk_size, dedupe, queue, queue_abstain=False
) -> dict:
    files = []
    for p in paths:
        st = os.stat(p)
        files.append([str(p), st.st_size, st.st_mtime_ns])
    manifest = getattr(model, "manifest", None) or {}
    return {
        "inputs": files,
        "model": [model.name, model.version, manifest.get("sha256")],
        "text_col": text_col,
        "id_col": id_col,
        "chunk_size": chunk_size,
        "dedupe": dedupe,
        "queue": queue is not None,
        "queue_abstain": bool(queue_abstain),
    }


# -- output paths and the lock on them --------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: equal once resolved (symlinks followed), or, when
    both exist, the same inode (hard links)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_paths(paths: Sequence[Path], output: Path, queue: Path | None) -> None:
    """Refuse outputs that would overwrite an input or each other, before anything is
    written: the output, the queue and the output's parts directory (deleted at the
    end of a run) must not be, or hold, an input or another output."""
    parts = output.with_name(output.name + ".parts").resolve()
    named = [("the output", output)] + ([("the queue", queue)] if queue is not None else [])
    for what, path in named:
        for p in paths:
            if _same_file(path, p):
                raise InputError(
                    f"{what} {path} is the same file as the input {p}: writing it would "
                    "destroy the input. Choose another path."
                )
    if queue is not None and _same_file(queue, output):
        raise InputError(
            f"the queue {queue} is the same file as the output {output}. Choose another path."
        )
    for what, path in [("the input", p) for p in paths] + named:
        if path.resolve().is_relative_to(parts):
            raise InputError(
                f"{what} {path} is inside {parts}, the parts directory of the output, which "
                "each run deletes. Choose another path."
            )


class _OutputLock:
    """An exclusive lock on ``PATH.lock`` while a run writes ``PATH`` (and, for the
    output, ``PATH.parts/``): a second run on the same output fails at once.

    ``flock`` locks are released by the kernel when their process ends, however it
    ends; a lock file left by a killed run is taken over by the next one. The file holds
    the pid of the run that has the lock, and is removed when that run ends.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        real = self.path.resolve()  # one lock for every name of the file
        self.lock = real.with_name(real.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> _OutputLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover (Windows: no lock)
            return self
        self.lock.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                by = f" (pid {pid})" if pid.isdigit() else ""
                raise InputError(
                    f"another run is writing {self.path}{by}: its lock is {self.lock}. Wait "
                    "for it to end, or write to another path."
                ) from None
            # the run that held the lock may have removed the file meanwhile: lock the
            # file that is at the path now
            try:
                st, held = os.stat(self.lock), os.fstat(fd)
                same = (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.lock)
            os.close(self._fd)
            self._fd = None


# -- the entry point ------------------------------------------------------------------------


class _ModelSchema:
    """What the main process needs of a model that only the worker processes load.

    Read from the manifest: name, version, metadata columns and the output columns.
    Keeps a second copy of the model (about 100 MB) out of the main process.
    """

    def __init__(self, path):
        from ._persist import _check_model_file, default_model_path, read_manifest

        self.path = Path(path) if path is not None else default_model_path()
        self.manifest = read_manifest(self.path)
        # fail here, with the loader's message, rather than in every worker
        _check_model_file(self.path, self.manifest)
        self.name = self.manifest.get("name", "misinfo_clf")
        self.version = str(self.manifest.get("version", "0"))
        self.heads = {n: tuple(h["labels"]) for n, h in self.manifest["heads"].items()}
        self.metadata_columns = metadata_columns(
            h.get("metadata") or () for h in self.manifest["heads"].values()
        )

    def output_columns(self, id_col=None) -> list[str]:
        return output_columns(self.heads, id_col)

    def load(self) -> Model:
        from ._persist import load_model

        return load_model(self.path)


def _prob_columns(model) -> list[str]:
    """The float columns of the output: every ``<head>_prob`` and ``<head>_prob_<CLASS>``."""
    return [
        c
        for c in model.output_columns()
        if any(c == f"{n}_prob" or c.startswith(f"{n}_prob_") for n in model.heads)
    ]


def _resolve_model(model) -> Model:
    from ._persist import load_model

    if model is None or isinstance(model, str | os.PathLike):
        return load_model(model)
    if not isinstance(model, Model):
        raise TypeError(
            f"model must be a Model, a model directory or None, got {type(model).__name__}."
        )
    return model


def score_file(
    inputs,
    output,
    *,
    model=None,
    text_col: str = "text",
    id_col: str = "id",
    jobs: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    resume: bool = False,
    queue=None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    dedupe: bool = True,
    queue_abstain: bool = False,
    keep: Sequence[str] | None = None,
) -> dict:
    """Score post dumps file to file; every input row gives one output row, in order.

    Parameters
    ----------
    inputs : path, glob or sequence of them
        CSV, TSV, JSONL or Parquet files (``.gz`` for the text formats).
    output : path
        ``.csv``, ``.tsv``, ``.jsonl`` (optionally ``.gz``) or ``.parquet``. Columns:
        :meth:`Model.output_columns` for ``id_col``, plus ``source`` (the input
        path) when there are several input files. Written atomically, under an
        exclusive lock (``OUTPUT.lock``) that a second run on the same output cannot
        take. In CSV/TSV, a cell that a spreadsheet would run as a formula (leading
        ``= + - @``, tab or carriage return) or that starts with ``'`` is written with
        a ``'`` in front; :func:`read_output` removes it. JSONL and Parquet are exact.
        Lone surrogates (from JSON escapes), which UTF-8 cannot encode, become U+FFFD.
    model : Model, path or None
        A loaded model, a model directory, or ``None`` for the default model.
    text_col, id_col : str
        Input columns (keys in JSONL). Rows without an id get ``FILE:LINE``.
    jobs : int, optional
        Worker processes (default: all cores). ``1`` scores in this process.
    chunk_size : int
        Rows per chunk: the unit of parallel work, of dedupe and of ``resume``.
    resume : bool
        Continue from ``OUTPUT.parts/`` left by an interrupted run with the same
        inputs, model and options. Without it, leftover parts are deleted.
    queue : path, optional
        Also write the review queue (see :func:`~misinfo_clf.build_queue`): flag and
        review rows with status ``ok``, with the same cell rules as ``output``. Rows
        with an error status are not in it.
    engine : {"local", "dask"}
    scheduler : str, optional
        Dask scheduler address; without it a local cluster is started.
    progress : bool, optional
        Progress bar on stderr; default: only when stderr is a terminal.
    dedupe : bool, default=True
        Score identical posts (after normalization) once per chunk.
    keep : sequence of str, optional
        Input columns carried, as text, into the output and the queue (a post's url,
        author, time, page) so that a reviewer can open it. Default: the metadata columns
        the model reads (likes, comments, shares) that the inputs have. An empty list
        keeps none; a named column the inputs lack comes out empty.
    queue_abstain : bool, default=False
        Also put the rows that abstain (no text: missing, blank, only links or
        emoji) in the queue, after every flag and review group.

    Returns
    -------
    dict
        ``rows_read``, ``rows_scored``, ``rows_abstained`` (status ``ok``, decision
        ``abstain``: no text), ``rows_errored``, ``flagged``, ``review``,
        ``passed``, ``queue_rows``, ``queue_groups``, ``seconds``, ``rows_per_s``,
        ``output``, ``queue``, ``resumed_rows``.

    Raises
    ------
    FileNotFoundError
        An input file is missing.
    InputError
        Unknown format, the text column is missing (the message lists the columns), a
        file is not UTF-8 (UTF-16, UTF-32, an 8-bit encoding), not gzip although named
        ``.gz``, or not Parquet; the output, queue or ``OUTPUT.parts/`` is an input or
        another output; another run holds the lock on the output or the queue.

    Notes
    -----
    Damage after the start of a file (a truncated gzip, a corrupt Parquet row group)
    gives the rows read before it and one error row naming the file. A CSV record with
    broken quoting (a quote left open) is one error row, and reading starts again at
    the line after the one where it began.
    """
    t0 = time.monotonic()
    paths = expand_inputs(inputs)
    output = Path(output)
    detect_format(output)
    queue_path = Path(queue) if queue is not None else None
    if queue_path is not None and queue_path.suffix.lower() not in (".html", ".htm"):
        detect_format(queue_path)  # .html: the review page
    _check_paths(paths, output, queue_path)
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', got {engine!r}.")
    if engine == "dask" and resume:
        raise ValueError("resume is not supported by the dask engine; rerun the job.")
    if keep is not None:
        if isinstance(keep, str):
            raise TypeError(f"keep must be a list of column names, got the string {keep!r}.")
        keep = list(dict.fromkeys(str(c) for c in keep))
        clash = [c for c in keep if c in (text_col, id_col)]
        if clash:
            raise ValueError(f"keep: {clash} are already in the output (text or id column).")
    with contextlib.ExitStack() as locks:
        for path in (output, queue_path):
            if path is not None:
                locks.enter_context(_OutputLock(path))
        if engine == "dask":
            from ._dask import score_dask

            return score_dask(
                paths,
                output,
                model=_resolve_model(model),
                text_col=text_col,
                id_col=id_col,
                queue=queue_path,
                scheduler=scheduler,
                progress=progress,
                dedupe=dedupe,
                queue_abstain=queue_abstain,
                keep=keep,
            )
        return _score_local(
            t0,
            paths,
            output,
            queue_path,
            model=model,
            text_col=text_col,
            id_col=id_col,
            jobs=jobs,
            chunk_size=chunk_size,
            resume=resume,
            scheduler=scheduler,
            progress=progress,
            dedupe=dedupe,
            queue_abstain=queue_abstain,
            keep=keep,
        )


def _score_local(
    t0,
    paths,
    output,
    queue_path,
    *,
    model,
    text_col,
    id_col,
    jobs,
    chunk_size,
    resume,
    scheduler,
    progress,
    dedupe,
    queue_abstain,
    keep,
) -> dict:
    """The local engine of :func:`score_file`, once the paths are checked and locked."""
    if scheduler is not None:
        log.warning("scheduler=%r is ignored by the local engine", scheduler)
    # A model directory is loaded by the worker processes only: this process reads its
    # manifest, and loads the model only if it ends up scoring chunks itself.
    if model is None or isinstance(model, str | os.PathLike):
        model = _ModelSchema(model)
    else:
        model = _resolve_model(model)
    auto_jobs = jobs is None
    jobs = default_jobs() if jobs is None else int(jobs)
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}.")
    with_source = len(paths) > 1
    keep, meta = reader_columns(model, paths, keep, text_col, id_col)
    fingerprint = _fingerprint(
        paths, model, text_col, id_col, chunk_size, dedupe, queue_path, queue_abstain
    )
    fingerprint["keep"] = keep
    parts = _Parts.open(output, fingerprint, resume)
    resumed_rows = parts.counts.rows_read
    chunks = read_chunks(paths, text_col=text_col, id_col=id_col, meta=meta, chunk_size=chunk_size)
    bar = _Progress(progress)
    start_fraction = None
    options = {"text_col": text_col, "id_col": id_col, "dedupe": dedupe}

    def finish(k: int, chunk: Chunk, out: pd.DataFrame) -> None:
        for c in keep:
            out[c] = context_text(chunk.frame[c]).to_numpy()
        if with_source:
            out[SOURCE_COL] = chunk.source
        qrows = (
            queue_candidates(
                out,
                chunk.frame[text_col].tolist(),
                id_col,
                abstain=queue_abstain,
                reach=reach_of(chunk.frame),
                context=keep,
            )
            if queue_path
            else None
        )
        parts.commit(k, out, qrows)
        bar.update(parts.counts.rows_read - resumed_rows, chunk.position, start_fraction or 0.0)

    try:
        todo = _skip(chunks, parts.chunks_done)
        if auto_jobs and jobs > 1:
            # a single chunk is scored in this process: starting workers costs seconds
            first = list(itertools.islice(todo, 2))
            todo = itertools.chain(first, todo)
            if len(first) < 2:
                jobs = 1
        if jobs == 1:
            if isinstance(model, _ModelSchema):
                model = model.load()
            for k, chunk in todo:
                if start_fraction is None:
                    start_fraction = chunk.position
                finish(k, chunk, score_chunk(model, chunk.frame, text_col, id_col, dedupe=dedupe))
        else:
            _run_pool(model, options, jobs, todo, finish)
        bar.update(parts.counts.rows_read - resumed_rows, 1.0, start_fraction or 0.0, force=True)
    finally:
        bar.close()
    summary = _finalize(parts, model, output, queue_path, id_col, with_source, keep)
    seconds = time.monotonic() - t0
    summary.update(
        seconds=round(seconds, 3),
        rows_per_s=round((summary["rows_read"] - resumed_rows) / seconds, 1) if seconds else None,
        resumed_rows=resumed_rows,
        jobs=jobs,
        engine="local",
    )
    return summary


#: the observed queue share is called far above the expected one past this ratio ...
SHARE_WARN_RATIO = 2.0
#: ... and this absolute difference (small dumps are noisy)
SHARE_WARN_MARGIN = 0.05


def queue_shares(model, summary: dict) -> dict:
    """Expected (from the model's traffic profile) and observed queue shares of a run.

    The share is of the scored rows (abstained and errored rows excluded) that reached
    flag or review. When the observed share is far above the profile's, the traffic is
    unlike the posts the bands were sized on: a warning is logged and returned.
    """
    manifest = getattr(model, "manifest", None) or {}
    expected = (manifest.get("profile") or {}).get("expected", {}).get("queue")
    scored = summary.get("rows_scored") or 0
    observed = (summary.get("flagged", 0) + summary.get("review", 0)) / scored if scored else None
    out = {"expected_queue_share": expected, "observed_queue_share": observed, "warning": None}
    if expected is not None and observed is not None and scored >= 200:
        if observed > max(SHARE_WARN_RATIO * expected, expected + SHARE_WARN_MARGIN):
            out["warning"] = (
                f"{observed:.1%} of the scored posts reached the review queue, against "
                f"{expected:.1%} expected from the model's traffic profile: this traffic is "
                "unlike the posts the bands were sized on. Rebuild the profile from your own "
                "posts (`misinfo-clf profile DUMP --model DIR --out NEW`)."
            )
            log.warning(out["warning"])
    return out


def _skip(chunks: Iterator[Chunk], n: int) -> Iterator[tuple[int, Chunk]]:
    """Number the chunks, skipping the first ``n`` (already done by an earlier run)."""
    for k, chunk in enumerate(chunks):
        if k >= n:
            yield k, chunk


def _run_pool(model, options, jobs, todo, finish) -> None:
    """Score chunks in ``jobs`` processes, at most ``2 * jobs`` in flight; results in order."""
    import multiprocessing as mp

    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["misinfo_clf._batch"])
    max_in_flight = 2 * jobs
    pending: dict[int, tuple[Chunk, Future]] = {}
    # workers end when this process ends, however it ends (see _exit_with_parent)
    alive_r, alive_w = ctx.Pipe(duplex=False)
    with (
        contextlib.closing(alive_r),
        contextlib.closing(alive_w),
        ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(model, options, alive_r),
        ) as pool,
    ):
        next_k = None
        for k, chunk in todo:
            if next_k is None:
                next_k = k
            pending[k] = (chunk, pool.submit(_work, chunk.frame))
            while len(pending) >= max_in_flight:
                c, fut = pending.pop(next_k)
                finish(next_k, c, fut.result())
                next_k += 1
        while pending:
            c, fut = pending.pop(next_k)
            finish(next_k, c, fut.result())
            next_k += 1


def _finalize(
    parts: _Parts, model: Model, output: Path, queue_path, id_col, with_source, keep=()
) -> dict:
    columns = model.output_columns(id_col) + list(keep) + ([SOURCE_COL] if with_source else [])
    writer = _Writer(output, _prob_columns(model))
    try:
        for k in range(parts.chunks_done):
            writer.write(pd.read_parquet(parts.part(k))[columns])
        writer.commit(columns)
    except BaseException:
        writer.abort()
        raise
    summary = {"output": str(output), **parts.counts.__dict__, "queue": None}
    summary.update(queue_shares(model, summary))
    if queue_path is not None:
        cands = [
            pd.read_parquet(parts.queue_part(k))
            for k in range(parts.chunks_done)
            if parts.queue_part(k).exists()
        ]
        summary.update(write_queue(cands, columns, id_col, queue_path, summary))
    shutil.rmtree(parts.dir, ignore_errors=True)
    return summary
