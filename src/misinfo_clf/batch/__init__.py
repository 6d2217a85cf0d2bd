"""Batch scoring of post dumps: streaming readers, worker processes, resume, summary.

Data flow of :func:`score_file`::

    input files ──read in chunks (_read)──▶ chunk (id, text, metadata, reader error)
        ──score_chunk (_chunk: dedupe ▸ score_frame ▸ broadcast)──▶ scored chunk
        ──queue candidates and their keys; CSV/TSV/JSONL rows encoded (_work, in the worker)
        ──▶ OUTPUT.parts/part-NNNNNN.part (.parquet for a Parquet output)
            + checkpoint.json                                       (_resume, one per chunk)
            + queue-NNNNNN.parquet + queue-NNNNNN.keys.npz         (_spill)
        ──▶ OUTPUT (_write: the parts laid end to end after the header, or read and written
            again for Parquet, in a temporary file, then renamed)
        ──▶ QUEUE  (_spill: grouped and ordered from the keys, written in batches)

Every input row gives exactly one output row, in input order. Rows the readers cannot
parse (a bad JSON line, a CSV record with the wrong number of fields or an unclosed
quote, undecodable bytes, the unreadable end of a damaged file) get an ``error: ...``
status, ``review`` decisions and NaN probabilities, like the values
:func:`~misinfo_clf.score_frame` itself cannot read. Rows without text (missing, blank,
only links or emoji) abstain, exactly as in ``predict``: status ``ok``, decision
``abstain``, note ``empty`` or ``no_text`` (see :mod:`misinfo_clf._validation`).

Modules, in the order of the flow:

* ``_read``: input paths, the streaming readers (CSV/TSV, JSONL, Parquet) and chunks;
* ``_chunk``: scoring one chunk (dedupe, then :func:`~misinfo_clf.score_frame`);
* ``_work``: one chunk's work in a worker: scored rows, queue candidates and keys;
* ``_write``: the atomic output writer and the review queue writer;
* ``_spill``: the queue candidates on disk, grouped and ordered in bounded memory;
* ``_resume``: the parts directory and its checkpoint;
* ``_summary``: row counts and the queue share check;
* ``_outputs``: output paths that must not destroy an input, and the lock on them;
* ``_schema``: the model as the main process sees it (manifest only);
* ``_pool``: worker processes of the local engine;
* ``_local`` and ``_dask``: the two engines, side by side;
* ``_score``: :func:`score_file`, which checks its arguments and picks an engine.

The file formats (one table) and the cell rules live one floor down, in
:mod:`misinfo_clf._formats`.
"""

from .._formats import InputError, detect_format, read_output
from ._chunk import score_chunk
from ._read import DEFAULT_CHUNK_SIZE, ERROR_COL, SOURCE_COL, read_chunks
from ._score import score_file

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ERROR_COL",
    "SOURCE_COL",
    "InputError",
    "detect_format",
    "read_chunks",
    "read_output",
    "score_chunk",
    "score_file",
]
