"""The dask engine: the same per-chunk scoring over dask dataframe partitions.

Each partition goes through :func:`~misinfo_clf.batch.score_chunk` (dedupe, then
:func:`~misinfo_clf.score_frame`). The model is shipped to each worker once, by a
worker plugin that carries the model directory's files (a few MB), writes them to the
worker's local directory and loads them there; partitions name the model by its
sha256 and find it in a per-process cache. Results come back to the client in
partition order (a bounded window of partitions in flight) and are written by the
same atomic writer as the local engine.

Differences from the local engine, all documented in ``score_file``:
* inputs: CSV/TSV and Parquet; JSONL is local only. CSV/TSV files are read in blocks
  (:func:`~misinfo_clf.batch._read.csv_blocks`, cut outside quoted fields; a
  compressed file is one block) by the local engine's reader, so malformed records,
  unclosed quotes, undecodable lines and missing ids (``FILE:LINE``) give the same
  rows and errors as locally;
* Parquet rows without an id keep an empty id (no row numbers in a partition);
* ``resume`` is not supported: rerun the job.
"""

from __future__ import annotations

import csv
import functools
import shutil
import tempfile
import time
from collections import deque
from pathlib import Path

try:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as exc:  # pragma: no cover (exercised without the extra)
    raise ImportError(
        f"the dask engine needs dask and distributed: pip install 'misinfo_clf[dask]' ({exc})"
    ) from exc

import numpy as np
import pandas as pd

from .._formats import InputError, check_utf8_head, detect_format
from .._model import Model
from .._progress import RowProgress
from .._queue import CANONICAL_COL, queue_candidates_keyed, queue_mask, reach_of
from .._validation import check_columns, is_missing
from ._chunk import error_template, score_chunk
from ._read import (
    ERROR_COL,
    PICK_TEXT,
    SOURCE_COL,
    context_text,
    csv_blocks,
    read_csv_block,
    reader_columns,
)
from ._spill import QueueSpill
from ._summary import Counts, queue_shares
from ._write import Writer, writable, write_queue

__all__ = ["score_dask", "ModelPlugin"]

_QTEXT = "__misinfo_clf_queue_text__"
_QREACH = "__misinfo_clf_queue_reach__"
_QNORM = "__misinfo_clf_queue_norm__"
#: sha256 -> Model, in each worker process
_MODELS: dict[str, Model] = {}


class ModelPlugin(WorkerPlugin):
    """Installs a model directory on every worker (once per worker process)."""

    def __init__(self, key: str, files: dict[str, bytes]):
        self.key = key
        self.files = files
        self.name = f"misinfo_clf-model-{key[:16]}"

    def setup(self, worker=None):
        if self.key in _MODELS:
            return
        from .._persist import load_model

        base = getattr(worker, "local_directory", None)
        d = Path(tempfile.mkdtemp(prefix="misinfo_clf-model-", dir=base))
        for name, data in self.files.items():
            (d / name).write_bytes(data)
        _MODELS[self.key] = load_model(d)


def _model_files(model: Model) -> tuple[str, dict[str, bytes]]:
    from .._persist import MANIFEST, MODEL_FILE, read_manifest, save_model

    path = getattr(model, "path", None)
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="misinfo_clf-model-"))
        save_model(model, path, card=False)
    manifest = read_manifest(path)
    name = manifest.get("model_file", MODEL_FILE)
    files = {name: (Path(path) / name).read_bytes(), MANIFEST: (Path(path) / MANIFEST).read_bytes()}
    # the plain-array files the manifest names (serving form, traffic profile, validation)
    for key in ("serving", "profile", "validation_scores"):
        spec = manifest.get(key)
        file = spec.get("file") if isinstance(spec, dict) else None
        # a plain file name only (else not shipped, and load_model refuses the manifest)
        if isinstance(file, str) and file and Path(file).name == file and file not in files:
            files[file] = (Path(path) / file).read_bytes()
    return manifest["sha256"], files


def _meta(model: Model, id_col, with_source: bool, with_queue: bool, keep=()) -> pd.DataFrame:
    template = error_template(model)
    cols = {id_col: pd.Series([], dtype=object)} if id_col else {}
    for c in template.columns:
        cols[c] = pd.Series([], dtype=template[c].dtype)
    for c in keep:
        cols[c] = pd.Series([], dtype=object)
    if with_source:
        cols[SOURCE_COL] = pd.Series([], dtype=object)
    if with_queue:
        cols[_QTEXT] = pd.Series([], dtype=object)
        cols[_QNORM] = pd.Series([], dtype=object)
        cols[_QREACH] = pd.Series([], dtype=float)
    return pd.DataFrame(cols)


def _score_partition(
    pdf: pd.DataFrame,
    key,
    text_col,
    id_col,
    source,
    dedupe,
    meta_cols,
    queue,
    empty,
    context=(),
) -> pd.DataFrame:
    if len(pdf) == 0:
        return empty
    model = _MODELS.get(key)
    if model is None:
        raise RuntimeError(
            f"model {key[:12]}... is not installed on this worker: the ModelPlugin did not run."
        )
    texts = [None if is_missing(t) else t for t in pdf[text_col].tolist()]
    # the reader's error per row (CSV/TSV: see read_csv_block), None when the row is fine
    errors = (
        [e if isinstance(e, str) and e else None for e in pdf[ERROR_COL].tolist()]
        if ERROR_COL in pdf.columns
        else [None] * len(texts)
    )
    cols = {
        id_col: pd.Series(
            [None if is_missing(v) else str(v) for v in pdf[id_col].tolist()],
            dtype=object,
        ),
        text_col: pd.Series(texts, dtype=object),
    }
    for c in meta_cols:
        cols[c] = pdf[c].reset_index(drop=True).astype(object)
    cols[ERROR_COL] = pd.Series(errors, dtype=object)
    out = score_chunk(model, pd.DataFrame(cols), text_col, id_col, dedupe=dedupe, canonical=queue)
    # the canonical text scoring computed (queued rows only): the queue's keys need it
    canon = out.pop(CANONICAL_COL).tolist() if queue else []
    for c in context:  # the context columns the caller keeps, as text
        values = pdf[c].reset_index(drop=True) if c in pdf.columns else [None] * len(out)
        out[c] = context_text(pd.Series(values, dtype=object)).to_numpy()
    if source is not None:
        out[SOURCE_COL] = source
    if queue:
        keep = queue_mask(out, abstain=True)
        out[_QTEXT] = pd.Series(
            [t if k else None for t, k in zip(texts, keep, strict=True)], dtype=object
        )
        # the canonical text scoring computed: the queue's keys need it, not again
        out[_QNORM] = pd.Series(
            [c if k and isinstance(c, str) else None for c, k in zip(canon, keep, strict=True)],
            dtype=object,
        )
        reach = reach_of(pdf.reset_index(drop=True))
        out[_QREACH] = np.full(len(out), np.nan) if reach is None else reach
    return out


def _read(path: Path, text_col: str, id_col: str, meta: list, blocksize):
    """(dask dataframe, the metadata columns it has) for one input file."""
    fmt, gz = detect_format(path)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            names = pq.ParquetFile(path).schema_arrow.names
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise InputError(f"{path}: not a readable Parquet file ({exc}).") from None
        _check_columns(path, names, text_col, id_col)
        cols = [c for c in dict.fromkeys([id_col, text_col, *meta]) if c in names]
        return dd.read_parquet(str(path), columns=cols), [c for c in meta if c in names]
    if fmt == "jsonl":
        raise InputError(
            f"{path}: the dask engine reads CSV, TSV and Parquet; score JSONL locally."
        )
    import gzip

    sep = "," if fmt == "csv" else "\t"
    check_utf8_head(path)
    with (gzip.open if gz else open)(
        path, "rt", encoding="utf-8", errors="replace", newline=""
    ) as f:
        try:
            header = next(csv.reader(f, delimiter=sep))
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header line).") from None
    header[0] = header[0].lstrip("\ufeff")
    _check_columns(path, header, text_col, id_col)
    present = [c for c in meta if c in header]
    from dask.utils import parse_bytes

    size = parse_bytes(blocksize) if isinstance(blocksize, str) else int(blocksize)
    blocks = [None] if gz else csv_blocks(path, sep, size, text_col, id_col)
    names = dict.fromkeys([id_col, text_col, *present, ERROR_COL])
    ddf = dd.from_map(
        functools.partial(
            read_csv_block, str(path), text_col=text_col, id_col=id_col, meta=present
        ),
        blocks,
        meta=pd.DataFrame({c: pd.Series([], dtype=object) for c in names}),
        label="read-csv-blocks",
        enforce_metadata=False,
    )
    return ddf, present


def _check_columns(path, names, text_col, id_col):
    check_columns(names, [text_col], where=path, role="text", hint=PICK_TEXT)
    check_columns(
        names,
        [id_col],
        where=path,
        role="id",
        hint="The dask engine needs an id column (pick one with --id-col).",
    )


def score_dask(
    paths,
    output,
    *,
    model: Model,
    text_col: str = "text",
    id_col: str = "id",
    queue=None,
    scheduler: str | None = None,
    progress: bool | None = None,
    dedupe: bool = True,
    blocksize: str | int = "16MB",
    client=None,
    queue_abstain: bool = False,
    keep=None,
    queue_filter=None,
) -> dict:
    """Score ``paths`` on a dask cluster; same output as the local engine.

    Called by :func:`~misinfo_clf.score_file` with ``engine="dask"``. Without
    ``scheduler`` (or ``client``) a local cluster of worker processes is started.
    """
    t0 = time.monotonic()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # queue candidates wait on disk, next to the output (see _spill)
    spill = QueueSpill(Path(tempfile.mkdtemp(prefix=f".{output.name}.queue-", dir=output.parent)))
    try:
        return _score_dask(
            t0,
            paths,
            output,
            spill,
            model=model,
            text_col=text_col,
            id_col=id_col,
            queue=queue,
            scheduler=scheduler,
            progress=progress,
            dedupe=dedupe,
            blocksize=blocksize,
            client=client,
            queue_abstain=queue_abstain,
            keep=keep,
            queue_filter=queue_filter,
        )
    finally:
        shutil.rmtree(spill.dir, ignore_errors=True)


def _score_dask(
    t0,
    paths,
    output: Path,
    spill: QueueSpill,
    *,
    model,
    text_col,
    id_col,
    queue,
    scheduler,
    progress,
    dedupe,
    blocksize,
    client,
    queue_abstain,
    keep,
    queue_filter,
) -> dict:
    with_source = len(paths) > 1
    keep, meta_cols = reader_columns(model, paths, keep, text_col, id_col)
    key, files = _model_files(model)
    empty = _meta(model, id_col, with_source, queue is not None, keep)
    spilled: list[int] = []
    own = None
    if client is None:
        if scheduler:
            client = own = Client(scheduler)
        else:
            cluster = LocalCluster(processes=True, threads_per_worker=1)
            client = own = Client(cluster)
    try:
        client.register_plugin(ModelPlugin(key, files))
        parts = []
        for path in paths:
            ddf, present = _read(path, text_col, id_col, meta_cols, blocksize)
            scored = ddf.map_partitions(
                _score_partition,
                key,
                text_col,
                id_col,
                str(path) if with_source else None,
                dedupe,
                present,
                queue is not None,
                empty,
                keep,
                meta=empty,
                align_dataframes=False,
            )
            parts.extend(scored.to_delayed())
        columns = list(empty.columns.drop([_QTEXT, _QNORM, _QREACH], errors="ignore"))
        floats = [c for c in columns if empty[c].dtype.kind == "f"]
        writer = Writer(output, floats)
        counts = Counts()
        bar = RowProgress(progress)
        window = 2 * max(1, sum(client.nthreads().values()))
        try:
            todo = deque(parts)
            flying: deque = deque()
            done = 0
            while todo or flying:
                while todo and len(flying) < window:
                    flying.append(client.compute(todo.popleft()))
                out = flying.popleft().result()
                done += 1
                if len(out):
                    if queue is not None:
                        rows, keys = queue_candidates_keyed(
                            out[columns],
                            out[_QTEXT].tolist(),
                            id_col,
                            abstain=queue_abstain,
                            reach=None
                            if out[_QREACH].isna().all()
                            else out[_QREACH].fillna(0).to_numpy(),
                            context=keep,
                            canonical=out[_QNORM].tolist(),
                        )
                        if len(rows):
                            spill.add(done, writable(rows), keys)
                            spilled.append(done)
                    out = out[columns]
                    writer.write(out)
                    counts.add(out)
                bar.update(counts.rows_read, done / max(len(parts), 1))
            writer.commit(columns)
        except BaseException:
            writer.abort()
            raise
        finally:
            bar.close()
    finally:
        if own is not None:
            own_cluster = getattr(own, "cluster", None)
            own.close()
            if own_cluster is not None and not scheduler:
                own_cluster.close()
    summary = {"output": str(output), **counts.__dict__, "queue": None}
    summary.update(queue_shares(model, summary))
    if queue is not None:
        summary.update(write_queue(spill, spilled, columns, id_col, queue, summary, queue_filter))
    seconds = time.monotonic() - t0
    summary.update(
        seconds=round(seconds, 3),
        rows_per_s=round(counts.rows_read / seconds, 1) if seconds else None,
        resumed_rows=0,
        engine="dask",
        partitions=len(parts),
    )
    return summary
