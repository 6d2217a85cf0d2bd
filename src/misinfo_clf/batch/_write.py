"""Output of batch scoring: the atomic writer (CSV/TSV/JSONL/Parquet) and the queue."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from .._formats import detect_format, escape_cell, escape_column, text_safe
from .._queue import build_queue_from_candidates

__all__ = ["Writer", "encode_part", "encode_text", "join_parts", "writable", "write_queue"]


def writable(df: pd.DataFrame, spreadsheet: bool = False) -> pd.DataFrame:
    """``df`` with every string cell encodable as UTF-8 (lone surrogates become U+FFFD,
    :func:`~misinfo_clf._formats.text_safe`) and, for CSV/TSV, escaped against formula
    injection (:func:`~misinfo_clf._formats.escape_cell`, header included)."""
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


class Writer:
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
        self._f: IO[str] | None = None  # CSV, TSV, JSONL
        self._pq: Any = None  # a pyarrow ParquetWriter
        self._schema: Any = None
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
            write_text(df, self.fmt, self._f, header=self.rows == 0)  # no string of it all
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


def write_text(df: pd.DataFrame, fmt: str, out: IO[str], header: bool = False) -> None:
    """Write ``df`` to ``out`` as :class:`Writer` writes ``fmt`` (``csv``, ``tsv`` or
    ``jsonl``); ``header``: the CSV/TSV header line first."""
    if fmt in ("csv", "tsv"):
        safe = writable(df, spreadsheet=True)
        safe.to_csv(
            out,
            sep="," if fmt == "csv" else "\t",
            header=header,
            index=False,
            lineterminator="\n",
            # the csv module quotes a field with "\n" but not one with a bare "\r",
            # which readers then take for a line end: quote every string then
            quoting=csv.QUOTE_NONNUMERIC if _has_cr(safe) else csv.QUOTE_MINIMAL,
        )
    elif fmt == "jsonl":
        for rec in writable(df).to_dict(orient="records"):
            out.write(json.dumps(_jsonable(rec), ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"write_text writes csv, tsv or jsonl, got {fmt!r}.")


def encode_text(df: pd.DataFrame, fmt: str, header: bool = False) -> str:
    """:func:`write_text` into a string."""
    buf = io.StringIO()
    write_text(df, fmt, buf, header)
    return buf.getvalue()


def encode_part(df: pd.DataFrame, fmt: str, gz: bool, header: bool = False) -> bytes:
    """Rows of an output file, encoded where they were scored (a worker process): UTF-8
    text (the header first with ``header``), one gzip member when ``gz``. Parts laid end
    to end after the header (:func:`join_parts`) are the file :class:`Writer` would write
    (gzip readers read a file of several members as one stream)."""
    data = encode_text(df, fmt, header).encode("utf-8")
    return gzip.compress(data, compresslevel=6, mtime=0) if gz else data


def join_parts(path: Path, columns: Sequence[str], parts: Sequence[Path]) -> None:
    """Write ``path`` (CSV, TSV or JSONL, optionally ``.gz``) atomically: the header for
    ``columns``, then the bytes of each part (:func:`encode_part`) in order."""
    fmt, gz = detect_format(path)
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(encode_part(empty, fmt, gz, header=True))
            for part in parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, f, 1 << 20)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def write_queue(
    spill,
    chunks: list[int],
    columns: list,
    id_col,
    queue_path,
    summary: dict | None = None,
    queue_filter=None,
) -> dict:
    """Build the review queue from spilled candidates and write it atomically.

    ``spill`` is a :class:`~misinfo_clf.batch._spill.QueueSpill` holding the candidates of
    ``chunks``; ``columns`` is the scored schema (for the columns of an empty queue).
    The queue is written in batches (:func:`~misinfo_clf.batch._spill.ordered_queue`),
    so its size does not weigh on memory. A ``.html`` path gets the review page
    (:func:`~misinfo_clf.write_review_page`), with ``summary`` (rows scored, expected and
    observed queue shares) at its top. ``queue_filter`` (a function of the queue, e.g.
    leaving out posts reviewed already: :func:`~misinfo_clf._reviewed.reviewed_filter`)
    runs before writing. Both need the whole queue in memory.
    """
    from ._memory import release_free_memory
    from ._spill import ordered_queue

    frames, rows, groups = ordered_queue(spill, chunks)
    html = Path(queue_path).suffix.lower() in (".html", ".htm")
    if rows and queue_filter is None and not html:
        first = next(frames)
        writer = Writer(Path(queue_path), [c for c in first.columns if first[c].dtype.kind == "f"])
        try:
            writer.write(first)
            columns = list(first.columns)
            del first
            for df in frames:
                writer.write(df)
                del df
                release_free_memory()
            writer.commit(columns)
        except BaseException:
            writer.abort()
            raise
        return {
            "queue": str(queue_path),
            "queue_rows": rows,
            "queue_groups": groups,
            "queue_reviewed_left_out": 0,
        }
    if rows:
        q = pd.concat(list(frames), ignore_index=True)
    else:
        q = build_queue_from_candidates([], columns, id_col)
    return _write_queue_frame(q, id_col, queue_path, summary, queue_filter)


def _write_queue_frame(q: pd.DataFrame, id_col, queue_path, summary, queue_filter) -> dict:
    before = len(q)
    if queue_filter is not None:
        q = queue_filter(q)
    if Path(queue_path).suffix.lower() in (".html", ".htm"):
        from .._review_page import write_review_page

        write_review_page(q, queue_path, id_col=id_col, summary=summary)
    else:
        writer = Writer(Path(queue_path), [c for c in q.columns if q[c].dtype.kind == "f"])
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
        "queue_reviewed_left_out": before - len(q),
    }
