"""The review queue on disk: candidates spilled chunk by chunk, then written in order.

The main process of a batch run must stay light whatever the input size, so it never
holds the queue's rows. Each scored chunk's candidates (texts, reasons, ...) go to
``queue-NNNNNN.parquet`` and their keys to ``queue-NNNNNN.keys.npz``: the priority, a
hash of the normalized text and the MinHash signature (:func:`~misinfo_clf._queue.
candidate_keys`, 280 bytes a row), computed in the worker that scored the chunk. At the
end only the keys are loaded: they give the near-duplicate groups and the queue order
(:func:`~misinfo_clf._queue.queue_order`). The rows are then written in that order,
:data:`QUEUE_BATCH_ROWS` at a time: each chunk's rows are first scattered to one file
per batch of queue positions, so every file is read once (an external sort in two
passes). A ``.html`` review page or a ``queue_filter`` needs the whole queue at once:
those hold it in memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._queue import groups_of_keys, queue_order

__all__ = ["QUEUE_BATCH_ROWS", "QueueSpill", "ordered_queue"]

#: queue rows held in memory at once while the queue is written in order
QUEUE_BATCH_ROWS = 5_000
_RANK = "__misinfo_clf_rank__"
_KEYS = ("priority", "key", "sig")


@dataclass
class QueueSpill:
    """A directory of spilled queue candidates, one pair of files per chunk."""

    dir: Path

    def rows_path(self, k: int) -> Path:
        return self.dir / f"queue-{k:06d}.parquet"

    def keys_path(self, k: int) -> Path:
        return self.dir / f"queue-{k:06d}.keys.npz"

    def add(self, k: int, rows: pd.DataFrame, keys: dict) -> None:
        """Write chunk ``k``'s candidates and keys (each atomically; keys first).

        ``rows`` must be storable as they are (:func:`~misinfo_clf.batch._write.writable`).
        """
        if len(rows) == 0:
            return
        if any(len(keys[name]) != len(rows) for name in _KEYS):
            raise ValueError(f"chunk {k}: {len(rows)} queue rows but keys of other lengths.")
        tmp = self.keys_path(k).with_name(self.keys_path(k).name + ".tmp.npz")
        np.savez(tmp, **{name: keys[name] for name in _KEYS})
        os.replace(tmp, self.keys_path(k))
        tmp = self.rows_path(k).with_name(self.rows_path(k).name + ".tmp")
        rows.to_parquet(tmp, index=False)
        os.replace(tmp, self.rows_path(k))

    def chunks(self, n: int) -> list[int]:
        """The chunks among the first ``n`` that have queue candidates."""
        return [k for k in range(n) if self.rows_path(k).exists()]


def _keys(spill: QueueSpill, ks: list[int]) -> tuple[dict[str, np.ndarray], list[int]]:
    """Every chunk's keys in one array each (sized first: no second copy)."""
    lengths = []
    for k in ks:
        with np.load(spill.keys_path(k), allow_pickle=False) as z:
            lengths.append(len(z["priority"]))
    out: dict[str, np.ndarray] = {}
    start = 0
    for k, length in zip(ks, lengths, strict=True):
        with np.load(spill.keys_path(k), allow_pickle=False) as z:
            for name in _KEYS:
                a = z[name]
                if name not in out:
                    out[name] = np.empty((sum(lengths), *a.shape[1:]), dtype=a.dtype)
                out[name][start : start + length] = a
        start += length
    return out, lengths


def _schema(spill: QueueSpill, ks: list[int]):
    """One Arrow schema for every chunk's rows (a column all empty in one chunk is of
    null type there; it becomes the type other chunks give it, else string)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.unify_schemas(
        [pq.read_schema(spill.rows_path(k)).remove_metadata() for k in ks],
        promote_options="permissive",
    )
    return pa.schema(
        [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in schema]
    )


def _read(spill: QueueSpill, k: int, schema):
    import pyarrow.parquet as pq

    t = pq.read_table(spill.rows_path(k)).replace_schema_metadata(None)
    return t.select(schema.names).cast(schema)


def ordered_queue(spill: QueueSpill, ks: list[int], batch_rows: int | None = None):
    """The queue's rows in order, as frames of at most ``batch_rows`` rows (with
    ``group_id`` and ``group_size`` first), and the number of groups.

    Returns ``(frames, rows, groups)``: ``frames`` is an iterator; it reads back the
    spilled rows in one pass (one scatter pass more when the queue does not fit one
    batch) and deletes its scratch files as it goes.
    """
    import pyarrow as pa

    batch_rows = QUEUE_BATCH_ROWS if batch_rows is None else int(batch_rows)
    if not ks:
        return iter(()), 0, 0
    keys, lengths = _keys(spill, ks)
    labels = groups_of_keys(keys["key"], keys["sig"])
    pos, gid, size = queue_order(labels, keys["priority"])
    del keys, labels
    n = len(pos)
    groups = int(gid[-1]) if n else 0
    schema = _schema(spill, ks)

    def frame(table, lo: int) -> pd.DataFrame:
        df = table.to_pandas()
        df.insert(0, "group_size", size[lo : lo + len(df)])
        df.insert(0, "group_id", gid[lo : lo + len(df)])
        return df

    def one_batch():
        table = pa.concat_tables([_read(spill, k, schema) for k in ks])
        yield frame(table.take(pa.array(pos)), 0)

    def batches():
        rank = np.empty(n, dtype=np.int64)
        rank[pos] = np.arange(n)
        with_rank = schema.append(pa.field(_RANK, pa.int64()))
        paths = [spill.dir / f"queue-batch-{b:06d}.arrows" for b in range(-(-n // batch_rows))]
        # Arrow IPC streams: appending a piece keeps nothing in memory (a Parquet writer
        # keeps every row group's metadata until it closes: chunks x batches of them)
        sinks: dict[int, tuple] = {}
        try:
            start = 0
            for k, length in zip(ks, lengths, strict=True):
                table = _read(spill, k, schema)
                r = rank[start : start + length]
                start += length
                b = r // batch_rows
                for bb in np.unique(b).tolist():
                    idx = np.flatnonzero(b == bb)
                    part = table.take(pa.array(idx)).append_column(_RANK, pa.array(r[idx]))
                    if bb not in sinks:
                        sink = pa.OSFile(str(paths[bb]), "wb")
                        sinks[bb] = (sink, pa.ipc.new_stream(sink, with_rank))
                    sinks[bb][1].write_table(part)
                del table
        finally:
            for sink, writer in sinks.values():
                writer.close()
                sink.close()
        del rank, sinks
        for bb, path in enumerate(paths):
            with pa.OSFile(str(path), "rb") as src:
                table = pa.ipc.open_stream(src).read_all()
            table = table.sort_by(_RANK).drop_columns([_RANK])
            path.unlink()
            yield frame(table, bb * batch_rows)
            del table

    if n == 0:
        return iter(()), 0, 0
    return (one_batch() if n <= batch_rows else batches()), n, groups
