"""Dataset readers: CSV, TSV, JSONL and Parquet files, and the public dataset layouts.

:func:`read_table` reads one file and checks its columns. :func:`read_labelled`
also maps the raw labels to class names and records where the data came from
(name, file, split, rows, licence): trained models carry that record in their card.
:func:`read_dataset` does the same for the known layouts (:data:`LAYOUTS`) of the
public datasets in ``../shared/datasets`` and of the project's sample corpus.

The public datasets are read from a path, never copied or shipped.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._formats import GZIP_ERRORS, check_utf8_head, gzip_message, infer_format, not_utf8_message
from ._validation import check_columns, is_missing

__all__ = [
    "LAYOUTS",
    "DatasetSpec",
    "LabelledData",
    "Task",
    "default_data_dir",
    "json_safe",
    "label_key",
    "map_labels",
    "read_dataset",
    "read_labelled",
    "read_table",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """``$MISINFO_CLF_DATA`` if set, else ``../shared/datasets`` next to the checkout.

    (``$MISINFO_CLF_DATA_DIR`` is read too, as an older name.)
    """
    env = os.environ.get("MISINFO_CLF_DATA") or os.environ.get("MISINFO_CLF_DATA_DIR")
    if env:
        return Path(env)
    return PROJECT_ROOT.parent / "shared" / "datasets"


def _gzip_error(path, exc: BaseException) -> ValueError:
    return ValueError(gzip_message(path, exc))


def _open_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except GZIP_ERRORS as exc:
            raise _gzip_error(path, exc) from None
    return data


def _not_utf8_error(path, exc: UnicodeDecodeError) -> ValueError:
    """The not-UTF-8 error for bytes found after the first line."""
    return ValueError(
        not_utf8_message(
            path,
            f"byte {exc.start} of the file is not valid UTF-8 ({exc.reason}); it may be in an "
            "8-bit encoding such as cp1252 or cp1258 (Windows Vietnamese)",
        )
    )


def _read_jsonl(path: Path) -> pd.DataFrame:
    check_utf8_head(path)
    try:
        text = _open_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8_error(path, exc) from None
    records = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{path}: line {lineno} is not valid JSON ({exc.msg} at column {exc.colno})."
            ) from None
        if not isinstance(record, dict):
            raise ValueError(
                f"{path}: line {lineno}: expected a JSON object per line, "
                f"got {type(record).__name__}."
            )
        records.append(record)
    return pd.DataFrame.from_records(records)


def _read_delimited(path: Path, sep: str, text_cols: Sequence[str]) -> pd.DataFrame:
    check_utf8_head(path)
    try:
        return pd.read_csv(
            path,
            sep=sep,
            dtype={c: object for c in text_cols},
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
            compression="infer",
        )
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path}: the file is empty (no header, no rows).") from None
    except pd.errors.ParserError as exc:
        raise ValueError(
            f"{path}: malformed {'TSV' if sep == chr(9) else 'CSV'} ({exc}). Check the "
            "quoting of that line: fields with commas or newlines must be quoted."
        ) from None
    except UnicodeDecodeError as exc:
        raise _not_utf8_error(path, exc) from None
    except GZIP_ERRORS as exc:
        raise _gzip_error(path, exc) from None


def read_table(
    path,
    *,
    text_col: str,
    label_col: str | None = None,
    columns: Sequence[str] | None = None,
    format: str | None = None,
) -> pd.DataFrame:
    """Read a CSV, TSV, JSONL or Parquet file (optionally gzipped) into a DataFrame.

    Parameters
    ----------
    path : str or Path
    text_col : str
        The column holding the posts. Its values are returned as ``str`` or NaN
        (missing), never as numbers.
    label_col : str, optional
        A column that must be present.
    columns : sequence of str, optional
        Other columns that must be present (e.g. metadata). When given, only
        ``text_col``, ``label_col`` and these are returned; otherwise every column.
    format : {"csv", "tsv", "jsonl", "parquet"}, optional
        Default: from the file name (``posts.csv.gz`` is CSV).

    Returns
    -------
    pandas.DataFrame
        Index ``0..n-1``: the data row number (header excluded), used in error messages
        as ``row = index + 1``.

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        Malformed file, missing columns (the message lists the columns found), no rows,
        a text file that is not UTF-8 (the message says which encoding it looks like),
        a damaged or fake ``.gz``, or an unreadable Parquet file.
    """
    path = Path(path)
    if not path.is_file():
        where = "" if path.parent.is_dir() else f" (directory {path.parent} does not exist)"
        raise FileNotFoundError(f"data file {path} not found{where}.")
    fmt = infer_format(path, format)
    if fmt in ("csv", "tsv"):
        df = _read_delimited(path, "," if fmt == "csv" else "\t", [text_col])
    elif fmt == "jsonl":
        df = _read_jsonl(path)
    else:
        data = _open_bytes(path)
        try:
            df = pd.read_parquet(io.BytesIO(data))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable Parquet file ({exc}).") from None
    wanted = [text_col] + ([label_col] if label_col else []) + list(columns or [])
    check_columns(df.columns, wanted, where=path)
    if len(df) == 0:
        raise ValueError(f"{path}: no data rows (only a header, or empty).")
    if columns is not None:
        df = df[list(dict.fromkeys(wanted))]
    df = df.reset_index(drop=True)
    df[text_col] = pd.Series([_as_text(v) for v in df[text_col]], index=df.index, dtype=object)
    return df


def _as_text(value):
    if isinstance(value, str):
        return value
    if is_missing(value):
        return np.nan
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


# -- labelled data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """How one dataset gives labels for one head."""

    label_col: str
    labels: Mapping[str, str]
    clean_label: str


@dataclass(frozen=True)
class DatasetSpec:
    """A known dataset layout: files per split, columns, labels per head, licence.

    Attributes
    ----------
    key : str
        The layout name used in configs (``vihsd``).
    name : str
        Shown in model cards.
    licence : str
        The licence or terms stated by the authors; copied into model cards.
    text_col : str
    splits : mapping of split name to path
        Relative to the data directory (``root="shared"``) or to the project's
        ``datasets/`` directory (``root="project"``).
    tasks : mapping of head name to Task
    metadata : tuple of str
        Numeric columns the dataset has (likes, comments, shares).
    """

    key: str
    name: str
    licence: str
    text_col: str
    splits: Mapping[str, str]
    tasks: Mapping[str, Task]
    metadata: tuple[str, ...] = ()
    root: str = "shared"

    def task(self, head: str | None) -> tuple[str, Task]:
        if not self.tasks:
            raise ValueError(
                f"dataset layout {self.key!r} has no labels (it holds unlabelled posts); use it "
                "as extra data with a fixed label or as a traffic sample."
            )
        if head is not None and head in self.tasks:
            return head, self.tasks[head]
        if len(self.tasks) == 1:
            return next(iter(self.tasks.items()))
        raise ValueError(
            f"dataset layout {self.key!r} has labels for the heads {list(self.tasks)}; "
            f"set task = one of them (got head {head!r})."
        )

    def path(self, split: str, data_dir=None) -> Path:
        if split not in self.splits:
            raise ValueError(
                f"dataset layout {self.key!r} has no split {split!r}; splits are "
                f"{list(self.splits)}."
            )
        if self.root == "project":
            base = PROJECT_ROOT / "datasets"
        else:
            base = Path(data_dir) if data_dir is not None else default_data_dir()
        return base / self.splits[split]


_HARM = {"CLEAN": "CLEAN", "OFFENSIVE": "OFFENSIVE", "HATE": "HATE"}
_RELIABILITY = {"0": "reliable", "1": "unreliable"}

#: the known dataset layouts, by config name
LAYOUTS: dict[str, DatasetSpec] = {
    "reintel": DatasetSpec(
        key="reintel",
        name="ReINTEL (VLSP 2020)",
        licence="VLSP 2020 user agreement: research use only",
        text_col="post_message",
        splits={
            "train": "reintel/train.csv",
            "unlabeled_public": "reintel/unlabeled_public_test.csv",
            "unlabeled_private": "reintel/unlabeled_final_private_test.csv",
        },
        tasks={"misinformation": Task("label", _RELIABILITY, "reliable")},
        metadata=("num_like_post", "num_comment_post", "num_share_post"),
    ),
    "vihsd": DatasetSpec(
        key="vihsd",
        name="ViHSD (UIT)",
        licence="research purposes only (UIT)",
        text_col="free_text",
        splits={"train": "vihsd/train.csv", "dev": "vihsd/dev.csv", "test": "vihsd/test.csv"},
        tasks={"harmful": Task("label_id", {"0": "CLEAN", "1": "OFFENSIVE", "2": "HATE"}, "CLEAN")},
    ),
    "vispamreviews": DatasetSpec(
        key="vispamreviews",
        name="ViSpamReviews v1 (UIT)",
        licence="research purposes (UIT)",
        text_col="Comment",
        splits={
            "train": "vispamreviews/train.csv",
            "dev": "vispamreviews/dev.csv",
            "test": "vispamreviews/test.csv",
        },
        tasks={"spam": Task("Label", {"0": "not_spam", "1": "spam"}, "not_spam")},
    ),
    "vilexnorm": DatasetSpec(
        key="vilexnorm",
        name="ViLexNorm (UIT, EACL 2024)",
        licence="CC BY-NC-SA 4.0, research purposes only",
        text_col="original",
        splits={"train": "vilexnorm/train.csv", "dev": "vilexnorm/dev.csv"},
        tasks={},
    ),
    "scam": DatasetSpec(
        key="scam",
        name="misinfo_clf scam corpus",
        licence="MIT, written for misinfo_clf",
        text_col="text",
        splits={"train": "scam/posts.csv"},
        tasks={"scam": Task("scam", {"0": "legit", "1": "scam"}, "legit")},
        root="project",
    ),
    "sample": DatasetSpec(
        key="sample",
        name="misinfo_clf sample corpus",
        licence="MIT, written for misinfo_clf",
        text_col="text",
        splits={"train": "sample/posts_labelled.csv"},
        tasks={
            "misinformation": Task("misinformation", _RELIABILITY, "reliable"),
            "harmful": Task("harmful", _HARM, "CLEAN"),
        },
        root="project",
    ),
}


@dataclass
class LabelledData:
    """Posts with class-name labels, and where they came from.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns ``text`` (str or NaN), ``label`` (class name, or None when unlabelled)
        and the metadata columns. The index is the source row (0-based, header excluded).
    source : dict
        ``name``, ``path`` (file name only), ``split``, ``rows``, ``licence``.
    label_map : dict
        Raw label (as text) to class name.
    nan_text_rows : list of int
        1-based data rows whose text is missing.
    """

    frame: pd.DataFrame
    source: dict
    label_map: dict = field(default_factory=dict)
    nan_text_rows: list = field(default_factory=list)

    @property
    def labels(self) -> np.ndarray:
        return self.frame["label"].to_numpy(dtype=object)


def label_key(value) -> str | None:
    """A raw label as text: ``1``, ``1.0`` and ``"1"`` all give ``"1"``; missing gives None."""
    if is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return str(int(value))
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(index, limit: int = 5) -> str:
    rows = [int(i) + 1 for i in index[:limit]]
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return ", ".join(map(str, rows)) + more


def map_labels(raw: pd.Series, labels: Mapping | None, *, where: str, column: str) -> pd.Series:
    """Raw labels -> class names, with errors naming the file, column and rows."""
    keys = raw.map(label_key)
    missing = keys.index[keys.isna()]
    if len(missing):
        raise ValueError(
            f"{where}: column {column!r}: {len(missing)} row(s) have no label (data rows "
            f"{_rows(missing)}, 1-based, header excluded). Fill or remove them."
        )
    if labels is None:
        return keys.astype(object)
    mapping = {label_key(k): str(v) for k, v in labels.items()}
    unknown = keys.index[~keys.isin(list(mapping))]
    if len(unknown):
        seen = sorted(keys.unique().tolist())
        bad = sorted(keys[unknown].unique().tolist())
        raise ValueError(
            f"{where}: column {column!r}: unknown label(s) {bad} (data rows {_rows(unknown)}, "
            f"1-based, header excluded). Values seen in the column: {seen}; the label "
            f"mapping is {mapping}."
        )
    return keys.map(mapping).astype(object)


def read_labelled(
    path,
    *,
    text_col: str,
    label_col: str | None,
    labels: Mapping | None = None,
    metadata: Sequence[str] = (),
    format: str | None = None,
    name: str | None = None,
    licence: str = "unknown",
    split: str = "",
    keep: Sequence[str] = (),
) -> LabelledData:
    """Read a file and map its labels to class names.

    Parameters
    ----------
    path, text_col, format
        See :func:`read_table`.
    label_col : str or None
        ``None`` reads unlabelled posts (``label`` is None).
    labels : mapping, optional
        Raw label to class name, e.g. ``{0: "reliable", 1: "unreliable"}``. Keys are
        compared as text (``1``, ``1.0`` and ``"1"`` are the same). Without a mapping
        the raw values (as text) are the class names.
    metadata : sequence of str
        Numeric columns to keep; values that are not numbers become NaN.
    name, licence, split : str
        Recorded in :attr:`LabelledData.source` (and so in model cards).
    keep : sequence of str
        Other columns to keep as they are (e.g. a group column for grouped folds).

    Raises
    ------
    ValueError
        Missing column, a row without a label, or a label absent from the mapping
        (the message lists the values seen and the mapping).
    """
    path = Path(path)
    df = read_table(
        path,
        text_col=text_col,
        label_col=label_col,
        columns=[*metadata, *keep],
        format=format,
    )
    frame, label_map, nan_rows = labelled_frame(
        df, df[text_col], label_col, labels, metadata, keep, where=str(path)
    )
    source = {
        "name": name or path.name,
        "path": path.name,
        "split": split,
        "rows": len(frame),
        "licence": licence,
    }
    return LabelledData(frame, source, label_map, nan_rows)


def labelled_frame(
    df: pd.DataFrame, text, label_col, labels, metadata, keep, *, where: str
) -> tuple[pd.DataFrame, dict, list[int]]:
    """``(frame, label_map, nan_rows)`` of :class:`LabelledData` from a table already read:
    ``text`` (the text column), ``label`` mapped through ``labels``, numeric ``metadata``
    and the ``keep`` columns; ``nan_rows`` are the 1-based rows without text."""
    frame = pd.DataFrame({"text": text}, index=df.index)
    if label_col is None:
        frame["label"] = None
        label_map: dict = {}
    else:
        frame["label"] = map_labels(df[label_col], labels, where=where, column=label_col)
        label_map = (
            {label_key(k): str(v) for k, v in labels.items()}
            if labels is not None
            else {k: k for k in sorted(frame["label"].unique())}
        )
    for col in metadata:
        frame[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    for col in keep:
        if col not in frame.columns:
            frame[col] = df[col]
    nan_rows = [int(i) + 1 for i in frame.index[frame["text"].isna()]]
    return frame, label_map, nan_rows


def read_dataset(
    layout: str,
    split: str = "train",
    *,
    task: str | None = None,
    data_dir=None,
    labelled: bool = True,
) -> LabelledData:
    """Read one split of a known dataset layout (see :data:`LAYOUTS`).

    Parameters
    ----------
    layout : {"reintel", "vihsd", "vispamreviews", "sample"}
    split : str
        ``train``, ``dev``, ``test`` (what the layout has).
    task : str, optional
        The head whose labels to read when the dataset has several (``sample``).
    data_dir : str or Path, optional
        Where the public datasets are (default :func:`default_data_dir`).
    labelled : bool, default=True
        ``False`` reads the posts only.

    Examples
    --------
    >>> from misinfo_clf import read_dataset
    >>> data = read_dataset("sample", task="harmful")
    >>> sorted(set(data.labels))
    ['CLEAN', 'HATE', 'OFFENSIVE']
    >>> data.source["licence"]
    'MIT, written for misinfo_clf'
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown dataset layout {layout!r}; layouts are {sorted(LAYOUTS)}.")
    spec = LAYOUTS[layout]
    _, t = spec.task(task)
    return read_labelled(
        spec.path(split, data_dir),
        text_col=spec.text_col,
        label_col=t.label_col if labelled else None,
        labels=t.labels,
        metadata=spec.metadata,
        name=spec.name,
        licence=spec.licence,
        split=split,
    )


def json_safe(value):
    """``value`` with numpy scalars as Python ones, tuples as lists, NaN as None.

    For manifests and reports: strict JSON has no NaN and no numpy types.
    """
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value
