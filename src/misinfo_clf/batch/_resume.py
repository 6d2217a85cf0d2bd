"""Resume: ``OUTPUT.parts/`` holds one file per finished chunk and a checkpoint.

A part is the chunk's rows encoded as the output file will hold them (CSV, TSV, JSONL,
optionally gzip: the output is then the parts laid end to end after its header), or a
Parquet file when the output is Parquet.

A run with ``resume`` continues after the last finished chunk when the inputs, model
and options are those of the run that wrote the parts (the fingerprint).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._formats import InputError
from .._model import Model
from ._read import READER_VERSION, Chunk
from ._spill import QueueSpill
from ._summary import Counts
from ._work import Done
from ._write import writable

__all__ = ["CHECKPOINT", "CHECKPOINT_VERSION", "Parts", "fingerprint", "skip_done"]

log = logging.getLogger(__name__)

CHECKPOINT = "checkpoint.json"
#: 2: queue candidates spilled with their keys (``queue-NNNNNN.keys.npz``);
#: 3: parts of text outputs encoded as the output (``part-NNNNNN.part``);
#: 4: queue keys' MinHash signatures from mixed syllable hashes (another hash of the
#: shingles: spilled keys of an earlier version would not group with new ones)
CHECKPOINT_VERSION = 4


@dataclass
class Parts:
    """``OUTPUT.parts/``: one file per completed chunk (Parquet, or ``encoded``: the rows as
    the output file holds them) and a checkpoint."""

    dir: Path
    fingerprint: dict
    chunks_done: int = 0
    counts: Counts = field(default_factory=Counts)
    encoded: bool = False

    def part(self, k: int) -> Path:
        return self.dir / f"part-{k:06d}.{'part' if self.encoded else 'parquet'}"

    @property
    def queue(self) -> QueueSpill:
        """The queue candidates of the finished chunks (see :mod:`._spill`)."""
        return QueueSpill(self.dir)

    @classmethod
    def open(cls, output: Path, fingerprint: dict, resume: bool, encoded: bool = False) -> Parts:
        d = output.with_name(output.name + ".parts")
        parts = cls(d, fingerprint, encoded=encoded)
        ckpt = d / CHECKPOINT
        if resume and ckpt.is_file():
            state = json.loads(ckpt.read_text(encoding="utf-8"))
            if state.get("version") != CHECKPOINT_VERSION:
                raise InputError(
                    f"cannot resume: {d} was written by another version of misinfo_clf "
                    f"(checkpoint format {state.get('version')!r}, this version writes "
                    f"{CHECKPOINT_VERSION}). Run without --resume to start over (the parts "
                    "are then deleted)."
                )
            old_reader = state.get("fingerprint", {}).get("reader")
            if old_reader != fingerprint.get("reader"):
                raise InputError(
                    f"cannot resume: {d} was written with input reader version "
                    f"{old_reader!r}, and this version reads input with reader version "
                    f"{fingerprint.get('reader')!r}: the rows and chunks it gives may differ. "
                    "Run without --resume to start over (the parts are then deleted)."
                )
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
            parts.counts = Counts(**state["counts"])
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

    def commit(self, k: int, done: Done) -> None:
        """Write chunk ``k`` (its rows: ``done.encoded``, or ``done.out`` as Parquet) and its
        queue candidates (atomically), then move the checkpoint past it."""
        assert k == self.chunks_done, (k, self.chunks_done)
        assert (done.encoded is not None) == self.encoded, "parts of one run are of one kind"
        if done.encoded is not None:
            _write_bytes_atomic(done.encoded, self.part(k))
        else:
            assert done.out is not None
            _write_parquet_atomic(done.out, self.part(k))
        if done.queue_rows is not None and len(done.queue_rows):
            if done.queue_keys is None:
                raise ValueError(f"chunk {k}: queue rows come without their keys.")
            self.queue.add(k, writable(done.queue_rows), done.queue_keys)
        self.counts.merge(done.counts)
        self.chunks_done = k + 1
        self._save()


def _write_bytes_atomic(data: bytes, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_parquet_atomic(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    writable(df).to_parquet(tmp, index=False)
    os.replace(tmp, path)


def fingerprint(
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
        "reader": READER_VERSION,
    }


def skip_done(chunks: Iterator[Chunk], n: int) -> Iterator[tuple[int, Chunk]]:
    """Number the chunks, skipping the first ``n`` (already done by an earlier run)."""
    for k, chunk in enumerate(chunks):
        if k >= n:
            yield k, chunk
