"""Input of batch scoring: paths, the streaming readers and the chunks they give.

Each reader keeps every row: a row it cannot parse is kept with its error in
:data:`ERROR_COL`, and an id missing from a row becomes ``FILE:LINE``.
"""

from __future__ import annotations

import csv
import glob
import gzip
import json
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._formats import (
    GZIP_ERRORS,
    InputError,
    detect_format,
    gzip_message,
    not_utf8_message,
    not_utf8_reason,
    text_safe,
)
from .._queue import REACH_COLUMNS
from .._validation import MissingColumnError, check_columns, is_missing

__all__ = [
    "CSV_FIELD_LIMIT",
    "DEFAULT_CHUNK_SIZE",
    "ERROR_COL",
    "READER_VERSION",
    "SOURCE_COL",
    "Chunk",
    "context_text",
    "csv_blocks",
    "expand_inputs",
    "input_columns",
    "read_chunks",
    "read_csv_block",
    "reader_columns",
]

#: what to do when the text column is not found
PICK_TEXT = "Pick one with --text-col."

log = logging.getLogger(__name__)

#: internal column carrying a reader's error message for a row (None when the row is fine)
ERROR_COL = "__misinfo_clf_error__"
#: the column naming the input file when several files are scored together
SOURCE_COL = "source"
DEFAULT_CHUNK_SIZE = 2_000
#: a CSV field longer than this stops the csv module; the record becomes an error row
CSV_FIELD_LIMIT = 64 * 1024 * 1024
CHECKPOINT = "checkpoint.json"
#: the readers' version, recorded by a resumable run: bump it whenever a reader may give
#: other rows, values or chunks for the same file (a resume then refuses mixed parts)
READER_VERSION = 1


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
        #: where the header record ends (bytes, lines), once it is read
        self.header_end = 0
        self.header_lines = 0

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
        if is_missing(rid) or rid == "":
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


def csv_blocks(
    path: Path, sep: str, blocksize: int, text_col: str, id_col: str
) -> list[tuple[int, int, int, int]]:
    """Blocks of about ``blocksize`` bytes of an uncompressed CSV/TSV file, for readers
    that read them in parallel (:func:`read_csv_block`), as ``(header end, start, end,
    first line)``: a block's records are those that start in ``[start, end)``.

    The file is read once by the same reader, so a block starts where that reader
    starts a record: a multi-line post is never cut in two, even after an unclosed
    quote (the reader reports it and reads the lines after it again, see
    :func:`_read_csv`), and the reader of a block, which may read past its end to
    finish its last record, gives exactly the rows and errors of the whole file's.
    """
    blocks: list[tuple[int, int, int, int]] = []
    header_end = start = line = -1
    it = _read_csv(path, False, sep, text_col, id_col, (), 1, str(path), lines_out=True)
    for _, pos, lines in it:
        if header_end < 0:
            header_end, start, line = lines.header_end, lines.header_end, lines.header_lines + 1
        if pos - start >= blocksize:
            blocks.append((header_end, start, pos, line))
            start, line = pos, lines.line_no + 1
    size = os.path.getsize(path)
    if header_end < 0:  # no record: the header alone (or an error read_csv_block reports)
        return [(size, size, size, 1)]
    if start < size:
        blocks.append((header_end, start, size, line))
    return blocks


def read_csv_block(
    path,
    block: tuple[int, int, int, int] | None,
    *,
    text_col: str,
    id_col: str,
    meta: Sequence[str] = (),
) -> pd.DataFrame:
    """The rows of one :func:`csv_blocks` block of a CSV/TSV file (of the whole file
    when ``block`` is None, e.g. a compressed one), read as :func:`read_chunks` reads
    them: the same errors rows, ids and line numbers."""
    path = Path(path)
    fmt, gz = detect_format(path)
    sep = "," if fmt == "csv" else "\t"
    frames = [
        frame
        for frame, _ in _read_csv(
            path, gz, sep, text_col, id_col, meta, 1 << 62, str(path), block=block
        )
    ]
    if not frames:
        return _Builder(str(path), text_col, id_col, meta).frame()
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


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


def _read_csv(
    path, gz, sep, text_col, id_col, meta, chunk_size, source, block=None, lines_out=False
):
    """Rows of a CSV/TSV file (with ``block``, of one of its :func:`csv_blocks`).

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
            reason = not_utf8_reason(lines.first_raw) or "a byte of the header is not UTF-8"
            raise InputError(not_utf8_message(path, reason))
        check_columns(header, [text_col], where=path, role="text", hint=PICK_TEXT)
        t_idx = header.index(text_col)
        i_idx = header.index(id_col) if id_col in header else None
        m_idx = {c: header.index(c) for c in meta if c in header}
        if i_idx is None:
            log.warning(
                "%s: no id column %r (columns are %s); ids are FILE:LINE", path, id_col, header
            )
        width = len(header)
        lines.header_end, lines.header_lines = stream.tell(), lines.line_no
        if block is not None:  # the block's records, its lines numbered as in the file
            stream.seek(block[1])
            lines.line_no = block[3] - 1
        b = _Count() if lines_out else _Builder(source, text_col, id_col, meta)
        while True:
            if block is not None and stream.tell() >= block[2]:
                break  # the next record starts in the next block (its last may run past)
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
                yield _cut(b, raw, lines, lines_out)
        if len(b):
            yield _cut(b, raw, lines, lines_out)


class _Count:
    """A :class:`_Builder` that only counts rows (for :func:`csv_blocks`)."""

    def __init__(self):
        self.n = 0

    def add(self, *args, **kwargs) -> None:
        self.n += 1

    def __len__(self) -> int:
        return self.n

    def _reset(self) -> None:
        self.n = 0


def _cut(b, raw, lines: _Lines, lines_out: bool) -> tuple:
    """``(frame, byte position)``; with ``lines_out``, ``(None, byte position, lines)``
    (the rows are dropped: :func:`csv_blocks` only wants where records start)."""
    if lines_out:
        b._reset()
        return None, raw.tell(), lines
    return b.frame(), raw.tell()


_JSON_ID: dict[str, re.Pattern] = {}


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
    raise MissingColumnError(
        f"{path}: text column {text_col!r} not found in the first records; keys found are "
        f"{sorted(keys)}. {PICK_TEXT}"
    )


def _read_parquet(path, text_col, id_col, meta, chunk_size, source):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}).") from None
    names = pf.schema_arrow.names
    check_columns(names, [text_col], where=path, role="text", hint=PICK_TEXT)
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
        if is_missing(v):
            return None
        if isinstance(v, str):
            return v
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
