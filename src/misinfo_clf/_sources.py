"""Samples of posts from a file or a dataset layout, described by a small config table.

Two things in a config read posts this way:

* ``[[heads.<name>.extra]]``: extra training rows for one head, all with one label and a
  sample weight (everyday comments as ``reliable`` examples of the misinformation head);
* ``[[profile.sources]]``: the unlabelled everyday posts whose scores make the model's
  traffic profile (see :mod:`misinfo_clf._profile`).

A source table::

    layout = "vilexnorm"     # a known layout (misinfo_clf._io.LAYOUTS) and its split ...
    split = "train"
    # path = "../data/comments.csv"   # ... or a file (relative to the config file)
    text_col = "original"    # default: the layout's text column, else "text"
    where = { label_id = [0] }   # keep rows whose column value is listed (compared as text)
    slice = [0.0, 0.5]       # keep this fraction of the file, in file order
    sample = 3000            # then at most this many rows, drawn with the seed
    seed = 0

``slice`` lets two uses of one file stay apart (training negatives from one half, the
traffic profile from the other). Rows without text are dropped and counted.

Posts reviewed by the team (the file ``misinfo-clf review-import`` writes, sorted by
review time) are the ``reviewed`` layout; each row brings its own label for the head,
and rows the reviewer left empty for that head are dropped (missing is never clean)::

    [[heads.harmful.extra]]
    layout = "reviewed"
    path = "reviewed.csv"    # or, from Python, a pandas DataFrame of reviewed posts
    weight = 2.0
    slice = [0.0, 0.7]       # the earliest 70%: the rest stays unseen for `compare`
    # label_col = "harmful"  # default: the head's name
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._io import LAYOUTS, label_key, read_table
from ._persist import file_sha256

__all__ = ["SOURCE_KEYS", "TextSample", "read_source"]

SOURCE_KEYS = {
    "layout",
    "split",
    "path",
    "text_col",
    "where",
    "slice",
    "sample",
    "seed",
    "name",
    "licence",
    "label_col",
}
#: the layout of a reviewed file (``review-import``): one label per row
REVIEWED = "reviewed"


@dataclass(frozen=True)
class TextSample:
    """Posts read from one source, and a record of where they came from."""

    texts: list[str]
    source: dict
    #: one class per text (the ``reviewed`` layout), else None (the table's ``label``)
    labels: list[str] | None = None


def _check_table(table: Mapping, where: str, extra_keys: set) -> None:
    if not isinstance(table, Mapping):
        raise ValueError(f"{where} must be a table, got {type(table).__name__}.")
    unknown = sorted(set(table) - SOURCE_KEYS - extra_keys)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {unknown}; valid keys are {sorted(SOURCE_KEYS | extra_keys)}."
        )
    if table.get("layout") == REVIEWED:
        if "path" not in table:
            raise ValueError(f"{where}: layout = {REVIEWED!r} needs path = the reviewed file.")
    elif ("layout" in table) == ("path" in table):
        raise ValueError(f"{where}: give either layout (with split) or path.")
    elif "label_col" in table:
        raise ValueError(f"{where}: label_col is for layout = {REVIEWED!r} only.")


def read_source(
    table: Mapping,
    *,
    base_dir,
    data_dir,
    where: str,
    extra_keys: AbstractSet[str] = frozenset(),
    head: str | None = None,
) -> TextSample:
    """Read the posts a source table describes (see the module docstring).

    ``head`` names the head whose labels a ``reviewed`` source gives (its column).

    Raises
    ------
    ValueError
        Unknown keys, a bad ``slice``/``sample``, a missing column, or no rows left.
    FileNotFoundError
        The file does not exist.
    """
    _check_table(table, where, set(extra_keys))
    label_col, digest = None, None
    if table.get("layout") == REVIEWED:
        from ._label_studio import read_reviewed

        label_col = table.get("label_col", head)
        if label_col is None:
            raise ValueError(f"{where}: set label_col = the head column of the reviewed file.")
        src = table["path"]
        if not isinstance(src, pd.DataFrame) and not Path(src).is_absolute():
            src = Path(base_dir) / src  # relative to the config file, like every path
        df = read_reviewed(src)
        digest = frame_sha256(src) if isinstance(src, pd.DataFrame) else file_sha256(src)
        if label_col not in df.columns:
            raise ValueError(
                f"{where}: the reviewed file has no column {label_col!r} (heads are the "
                f"columns with a <head>_predicted: {sorted(c[:-10] for c in df.columns if str(c).endswith('_predicted'))})."
            )
        text_col = "text"
        name = f"reviewed posts ({_name_of(table['path'])})"
        path = Path(_name_of(table["path"]))
        split, licence = "", table.get("licence", "the team's own reviewed posts")
    elif "layout" in table:
        layout = table["layout"]
        if layout not in LAYOUTS:
            raise ValueError(f"{where}: unknown layout {layout!r}; layouts are {sorted(LAYOUTS)}.")
        ds = LAYOUTS[layout]
        split = str(table.get("split", "train"))
        path = ds.path(split, data_dir)
        text_col = table.get("text_col", ds.text_col)
        name, licence = ds.name, ds.licence
    else:
        path = Path(table["path"])
        if not path.is_absolute():
            path = Path(base_dir) / path
        split = ""
        text_col = table.get("text_col", "text")
        name = table.get("name", path.name)
        licence = table.get("licence", "unknown")
    filters = dict(table.get("where", {}))
    if label_col is None:
        df = read_table(path, text_col=text_col, columns=list(filters))
    n_file = len(df)
    if "slice" in table:
        lo, hi = _slice(table["slice"], where)
        df = df.iloc[int(round(lo * n_file)) : int(round(hi * n_file))]
    for col, allowed in filters.items():
        allowed = allowed if isinstance(allowed, list) else [allowed]
        keys = {label_key(v) for v in allowed}
        df = df[df[col].map(label_key).isin(keys)]
    df = df[df[text_col].notna()]
    unlabelled = 0
    if label_col is not None:  # a head the reviewer left empty: missing, never clean
        has = df[label_col].map(label_key).notna()
        unlabelled = int((~has).sum())
        df = df[has]
    dropped_empty = int((df[text_col].str.strip() == "").sum())
    df = df[df[text_col].str.strip() != ""]
    if "sample" in table:
        n = table["sample"]
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"{where}: sample must be a positive integer, got {n!r}.")
        if n < len(df):
            rng = np.random.default_rng(int(table.get("seed", 0)))
            df = df.iloc[np.sort(rng.choice(len(df), size=n, replace=False))]
    if not len(df):
        raise ValueError(f"{where}: no rows with text left in {path} after where/slice.")
    source = {
        "name": name,
        "path": path.name,
        "split": split,
        "rows": len(df),
        "licence": licence,
        "sha256": digest or file_sha256(path),
    }
    for key in ("where", "slice", "sample", "seed"):
        if key in table:
            source[key] = table[key]
    if dropped_empty:
        source["empty_text_dropped"] = dropped_empty
    if label_col is not None:
        source["layout"] = REVIEWED
        source["label_col"] = label_col
        if unlabelled:
            source["unlabelled_dropped"] = unlabelled
        labels = [str(label_key(v)) for v in df[label_col]]  # unlabelled rows were dropped
        return TextSample(df[text_col].tolist(), source, labels)
    return TextSample(df[text_col].tolist(), source)


def frame_sha256(df) -> str:
    """sha256 of a DataFrame's rows (``pandas.util.hash_pandas_object``, index excluded)."""
    import hashlib

    import pandas as pd

    values = pd.util.hash_pandas_object(df, index=False).to_numpy()
    h = hashlib.sha256(values.tobytes())
    h.update("\x1f".join(map(str, df.columns)).encode("utf-8"))
    return h.hexdigest()


def _name_of(path) -> str:
    if isinstance(path, pd.DataFrame):
        return "DataFrame"
    return Path(path).name


def _slice(value, where: str) -> tuple[float, float]:
    ok = isinstance(value, list | tuple) and len(value) == 2
    if ok:
        lo, hi = float(value[0]), float(value[1])
        ok = 0.0 <= lo < hi <= 1.0
    if not ok:
        raise ValueError(
            f"{where}: slice must be [start, stop] with 0 <= start < stop <= 1, got {value!r}."
        )
    return lo, hi
