"""Labelled data for evaluation and tuning: a config's split, a file or a DataFrame,
resolved into one frame per head (``text``, ``label``, metadata)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ._io import label_key, map_labels, read_table
from ._model import Model
from ._persist import file_sha256
from ._sources import frame_sha256


def _sub_model(model: Model, head: str) -> Model:
    """The same model restricted to one head (same scoring code, one head's cost)."""
    return Model(
        [model.heads[head]],
        name=model.name,
        version=model.version,
        min_tokens=model.min_tokens,
        max_unknown=model.max_unknown,
        max_chars=model.max_chars,
    )


def _is_config(data) -> bool:
    return isinstance(data, Mapping) or (
        isinstance(data, str | Path) and str(data).lower().endswith(".toml")
    )


def _map_for_head(raw: pd.Series, model: Model, head: str, labels, where: str, column: str):
    h = model.heads[head]
    if labels is None:
        keys = set(raw.map(label_key).dropna())
        stored = (h.info.get("data") or {}).get("label_map") or {}
        if not keys <= set(h.labels) and stored:
            labels = stored
    mapped = map_labels(raw, labels, where=where, column=column)
    unknown = sorted(set(mapped) - set(h.labels))
    if unknown:
        raise ValueError(
            f"{where}: column {column!r}: classes {unknown} are not classes of head {head!r} "
            f"({list(h.labels)}); pass a label mapping (labels=..., --labels JSON)."
        )
    return mapped


def _resolve(
    model: Model,
    data,
    *,
    head,
    text_col,
    label_col,
    labels,
    split,
    data_dir,
    require_labels: bool = True,
    skipped: dict | None = None,
    keep: Sequence[str] = (),
    keep_if_present: Sequence[str] = (),
) -> list[tuple[str, pd.DataFrame, dict]]:
    """``[(head, frame with text/label/metadata and the ``keep`` columns, source)]`` for
    evaluation or tuning (``keep_if_present``: copied when a data file has them).

    With a config, a head without ``split`` data is an error when asked for by name;
    otherwise it is left out, with the reason in ``skipped`` when given (then no head
    with data is not an error either). ``source`` carries the data file's sha256.
    """
    if head is not None and head not in model.heads:
        raise KeyError(f"unknown head {head!r}; the model's heads are {list(model.heads)}.")
    if _is_config(data):
        from ._config import head_specs

        _, specs = head_specs(data, data_dir=data_dir)
        wanted = [head] if head else list(model.heads)
        out = []
        for name in wanted:
            if name not in specs:
                if head and skipped is None:
                    raise ValueError(
                        f"the config has no [heads.{name}] table; heads: {list(specs)}."
                    )
                if skipped is not None:
                    skipped[name] = f"the config has no [heads.{name}] table"
                continue
            if not specs[name].has(split):
                reason = f"[heads.{name}] of the config has no {split!r} data"
                if skipped is not None:
                    skipped[name] = reason
                    continue
                if head:
                    raise ValueError(reason + ".")
                continue
            d = specs[name].load_required(split, keep=keep)
            out.append((name, d.frame, d.source))
        if not out and skipped is None:
            raise ValueError(f"no head of the config has {split!r} data; set {split} = ...")
        return out
    if isinstance(data, pd.DataFrame):
        df, where = data.reset_index(drop=True), "data"
        source = {"name": "DataFrame", "sha256": frame_sha256(data)}
        if text_col not in df.columns:
            raise ValueError(f"text column {text_col!r} not found; columns are {list(df.columns)}.")
    else:
        path = Path(data)
        df = read_table(path, text_col=text_col)
        where = str(path)
        source = {"name": path.name, "path": path.name, "sha256": file_sha256(path)}
    keep = [*keep, *(c for c in keep_if_present if c in df.columns and c not in keep)]
    missing = [c for c in keep if c not in df.columns]
    if missing:
        raise ValueError(f"{where}: column(s) {missing} not found; columns are {list(df.columns)}.")
    if head is not None:
        wanted = [head]
    elif label_col is not None:
        if len(model.heads) != 1:
            raise ValueError(
                f"label column {label_col!r} given but the model has heads {list(model.heads)}; "
                "say which one (head=...)."
            )
        wanted = list(model.heads)
    else:
        wanted = [h for h in model.heads if h in df.columns]
        if not wanted and require_labels:
            raise ValueError(
                f"{where}: no label column; name it after a head ({list(model.heads)}) or pass "
                f"label_col and head. Columns are {list(df.columns)}."
            )
        if not wanted:
            wanted = list(model.heads)
        if skipped is not None:
            for name in model.heads:
                if name not in wanted:
                    skipped[name] = f"{where} has no label column {name!r}"
    out = []
    for name in wanted:
        col = label_col or name
        frame = pd.DataFrame({"text": df[text_col]})
        if col in df.columns:
            frame["label"] = _map_for_head(df[col], model, name, labels, where, col)
        elif require_labels:
            raise ValueError(
                f"{where}: label column {col!r} not found; columns are {list(df.columns)}."
            )
        else:
            frame["label"] = None
        for m in model.heads[name].metadata:
            if m in df.columns:
                frame[m] = pd.to_numeric(df[m], errors="coerce").astype(float)
        for c in keep:
            if c not in frame.columns:
                frame[c] = df[c].to_numpy()
        out.append((name, frame, {**source, "rows": len(frame)}))
    return out
