"""Training configs: the TOML structure, parsed into specs (no training, no scoring).

Shared by training (:mod:`misinfo_clf._train`), evaluation and threshold tuning, which
read each head's configured data; see :mod:`misinfo_clf._train` for the format.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._io import (
    LAYOUTS,
    LabelledData,
    default_data_dir,
    labelled_frame,
    read_labelled,
)
from ._persist import file_sha256
from ._sources import frame_sha256

__all__ = ["load_config", "HeadSpec", "ProfileSpec", "head_specs"]

MODEL_KEYS = {
    "name",
    "version",
    "tokenizer",
    "teencode",
    "seed",
    "data_dir",
    "min_tokens",
    "max_unknown",
}
DATA_KEYS = {
    "layout",
    "task",
    "format",
    "path",
    "train",
    "validation",
    "test",
    "text_col",
    "label_col",
    "labels",
    "clean_label",
    "metadata",
    "dataset_name",
    "licence",
    "group_col",
}
PIPELINE_KEYS = {
    "classifier",
    "C",
    "word_ngrams",
    "char_ngrams",
    "accent_view",
    "accent_chars",
    "calibration",
    "calibration_cv",
    "min_df",
    "max_features",
    "class_weight",
    "sublinear_tf",
    "gate",
    "style_prior",
}
TRAIN_KEYS = {
    "precision",
    "recall",
    "tune_offsets",
    "label_rule",
    "prevalence",
    "augment_accents",
    "validation_folds",
    "validation_split",
    "search",
    "extra",
}
#: keys of one ``[[heads.<name>.extra]]`` table besides the source keys (_sources.py)
EXTRA_KEYS = {"label", "weight"}
SEARCH_KEYS = {"cv", "scoring", "n_jobs"}


# -- config -------------------------------------------------------------------------------


def load_config(config) -> tuple[dict, Path]:
    """``(config dict, directory that relative paths start from)``.

    ``config`` is a path to a TOML file or a dict (paths then start from the
    current directory).
    """
    if isinstance(config, Mapping):
        return dict(config), Path.cwd()
    path = Path(config)
    if not path.is_file():
        raise FileNotFoundError(f"config file {path} not found.")
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc}).") from None
    return data, path.resolve().parent


def _check_keys(table: Mapping, valid: set, where: str) -> None:
    unknown = sorted(set(table) - valid)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; valid keys are {sorted(valid)}.")


def _pipeline_param(key: str, value):
    """TOML value -> build_pipeline argument (TOML has no null: false/"none" mean None)."""
    if key in ("word_ngrams", "char_ngrams"):
        if value is False or value == [] or value == "none":
            if key == "word_ngrams":
                raise ValueError("word_ngrams cannot be disabled.")
            return None
        if not (isinstance(value, list | tuple) and len(value) == 2):
            raise ValueError(f"{key} must be [min, max], got {value!r}.")
        return (int(value[0]), int(value[1]))
    if key in ("calibration", "class_weight", "max_features") and value in (False, "none"):
        return None
    if key == "gate":
        if not isinstance(value, Mapping):
            raise ValueError(
                f"gate must be a table (C, floor, alpha, outside_label, style_prior), got {value!r}."
            )
        return dict(value)
    return value


@dataclass
class HeadSpec:
    """One ``[heads.<name>]`` table, resolved: where its data is and how to train it."""

    name: str
    table: dict
    base_dir: Path
    data_dir: Path
    layout: str | None = None
    text_col: str = "text"
    label_col: str = ""
    labels: dict | None = None
    clean_label: str = ""
    metadata: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)
    search: dict | None = None

    @classmethod
    def from_table(cls, name: str, table: Mapping, *, base_dir, data_dir) -> HeadSpec:
        where = f"[heads.{name}]"
        if not isinstance(table, Mapping):
            raise ValueError(f"{where} must be a table, got {type(table).__name__}.")
        _check_keys(table, DATA_KEYS | PIPELINE_KEYS | TRAIN_KEYS, where)
        spec = cls(name=name, table=dict(table), base_dir=Path(base_dir), data_dir=Path(data_dir))
        layout = table.get("layout")
        if layout is not None:
            if layout not in LAYOUTS:
                raise ValueError(
                    f"{where}: unknown layout {layout!r}; layouts are {sorted(LAYOUTS)}."
                )
            if "path" in table:
                raise ValueError(f"{where}: give either layout (with split names) or path.")
            ds = LAYOUTS[layout]
            _, task = ds.task(table.get("task", name))
            spec.layout = layout
            spec.text_col = table.get("text_col", ds.text_col)
            spec.label_col = table.get("label_col", task.label_col)
            spec.labels = dict(table.get("labels", task.labels))
            spec.clean_label = str(table.get("clean_label", task.clean_label))
            spec.metadata = tuple(table.get("metadata", ds.metadata))
        else:
            if "path" in table and "train" in table:
                raise ValueError(f"{where}: give the training file as train or path, not both.")
            if "path" not in table and "train" not in table:
                raise ValueError(f"{where}: no training data; set layout or train = <file>.")
            spec.text_col = table.get("text_col", "text")
            spec.label_col = table.get("label_col", name)
            spec.labels = dict(table["labels"]) if "labels" in table else None
            if "clean_label" not in table:
                raise ValueError(f"{where}: set clean_label (the negative class, e.g. 'reliable').")
            spec.clean_label = str(table["clean_label"])
            spec.metadata = tuple(table.get("metadata", ()))
        spec.params = {k: _pipeline_param(k, v) for k, v in table.items() if k in PIPELINE_KEYS}
        if "search" in table:
            search = dict(table["search"])
            _check_keys(search, PIPELINE_KEYS | SEARCH_KEYS, f"[heads.{name}.search]")
            for k, v in search.items():
                if k in PIPELINE_KEYS and not isinstance(v, list):
                    raise ValueError(f"[heads.{name}.search]: {k} must be a list of values.")
            spec.search = search
        return spec

    @property
    def precision(self) -> float:
        return float(self.table.get("precision", 0.90))

    @property
    def recall(self) -> float:
        return float(self.table.get("recall", 0.90))

    @property
    def prevalence(self) -> float | None:
        """Expected positive rate of real traffic: the flag precision is the one expected
        there (for validation data whose class balance is artificial)."""
        value = self.table.get("prevalence")
        return None if value is None else float(value)

    def has(self, split: str) -> bool:
        key = "path" if split == "train" and "path" in self.table else split
        return key in self.table or (split == "train" and self.layout is not None)

    def load_required(self, split: str, *, labelled: bool = True, keep=()) -> LabelledData:
        """:meth:`load` for a split that must be configured (``train`` always is)."""
        data = self.load(split, labelled=labelled, keep=keep)
        if data is None:
            raise ValueError(f"[heads.{self.name}]: no {split!r} data is configured.")
        return data

    def source_of(self, split: str):
        """The configured data of ``split``: a DataFrame or a resolved file path."""
        key = "path" if split == "train" and "path" in self.table else split
        value = self.table.get(key, "train")
        if isinstance(value, pd.DataFrame):
            return value
        if self.layout is not None:
            return LAYOUTS[self.layout].path(str(value), self.data_dir)
        path = Path(value)
        return path if path.is_absolute() else self.base_dir / path

    def load(self, split: str, *, labelled: bool = True, keep=()) -> LabelledData | None:
        """``train``, ``validation`` or ``test`` data of this head (None if not configured).

        The source record gets the sha256 of the file (or of the DataFrame's rows)."""
        if not self.has(split):
            return None
        key = "path" if split == "train" and "path" in self.table else split
        value = self.table.get(key, "train")
        data = self.source_of(split)
        if self.layout is not None:
            ds = LAYOUTS[self.layout]
            name, licence = ds.name, ds.licence
        else:
            default = "DataFrame" if isinstance(data, pd.DataFrame) else data.name
            name = self.table.get("dataset_name", default)
            licence = self.table.get("licence", "unknown")
        kwargs: dict[str, Any] = dict(
            text_col=self.text_col,
            label_col=self.label_col if labelled else None,
            labels=self.labels,
            metadata=self.metadata,
            name=name,
            licence=licence,
            split=split if self.layout is None else str(value),
            keep=tuple(
                dict.fromkeys(
                    [*((self.table["group_col"],) if "group_col" in self.table else ()), *keep]
                )
            ),
        )
        if isinstance(data, pd.DataFrame):
            out = _read_frame(data, where=f"[heads.{self.name}] {split} (DataFrame)", **kwargs)
            out.source["sha256"] = frame_sha256(data)
            return out
        out = read_labelled(data, format=self.table.get("format"), **kwargs)
        out.source["sha256"] = file_sha256(data)
        return out


def _read_frame(
    df: pd.DataFrame,
    *,
    where: str,
    text_col: str,
    label_col,
    labels,
    metadata,
    name: str,
    licence: str,
    split: str,
    keep,
) -> LabelledData:
    """:func:`~misinfo_clf._io.read_labelled` for a DataFrame given in a config dict."""
    need = [c for c in (text_col, label_col, *metadata, *keep) if c is not None]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise ValueError(f"{where}: column(s) {missing} not found; columns are {list(df.columns)}.")
    df = df.reset_index(drop=True)
    text = df[text_col].map(lambda v: v if isinstance(v, str) else np.nan).astype(object)
    frame, label_map, nan_rows = labelled_frame(
        df, text, label_col, labels, metadata, keep, where=where
    )
    source = {"name": name, "path": "<DataFrame>", "split": split, "rows": len(frame)}
    source["licence"] = licence
    return LabelledData(frame, source, label_map, nan_rows)


def head_specs(config, *, data_dir=None) -> tuple[dict, dict[str, HeadSpec]]:
    """Parse a config: ``([model] table, {head name: HeadSpec})``."""
    model_cfg, specs, _ = _specs_and_profile(config, data_dir)
    return model_cfg, specs


#: keys of the ``[profile]`` table
PROFILE_KEYS = {"sources", "flag_share", "queue_share"}


@dataclass
class ProfileSpec:
    """The ``[profile]`` table: everyday posts for the traffic profile, and band sizes."""

    sources: list
    base_dir: Path
    data_dir: Path
    flag_share: float
    queue_share: float

    def read(self):
        """(texts, source records) of every source."""
        from ._sources import read_source

        texts, records = [], []
        for k, table in enumerate(self.sources, start=1):
            sample = read_source(
                table,
                base_dir=self.base_dir,
                data_dir=self.data_dir,
                where=f"[[profile.sources]] #{k}",
            )
            texts.extend(sample.texts)
            records.append(sample.source)
        return texts, records


def _specs_and_profile(config, data_dir=None):
    cfg, base_dir = load_config(config)
    _check_keys(cfg, {"model", "heads", "profile"}, "config")
    model_cfg = dict(cfg.get("model", {}))
    _check_keys(model_cfg, MODEL_KEYS, "[model]")
    heads = cfg.get("heads") or {}
    if not heads:
        raise ValueError("config has no [heads.<name>] table; a model needs at least one head.")
    if data_dir is None:
        data_dir = (
            base_dir / model_cfg["data_dir"] if "data_dir" in model_cfg else default_data_dir()
        )
    specs = {
        name: HeadSpec.from_table(name, table, base_dir=base_dir, data_dir=Path(data_dir))
        for name, table in heads.items()
    }
    profile = None
    if "profile" in cfg:
        table = cfg["profile"]
        _check_keys(table, PROFILE_KEYS, "[profile]")
        sources = table.get("sources") or []
        if not sources:
            raise ValueError("[profile]: list at least one [[profile.sources]] table.")
        from ._profile import FLAG_SHARE, QUEUE_SHARE

        profile = ProfileSpec(
            sources=list(sources),
            base_dir=base_dir,
            data_dir=Path(data_dir),
            flag_share=float(table.get("flag_share", FLAG_SHARE)),
            queue_share=float(table.get("queue_share", QUEUE_SHARE)),
        )
    return model_cfg, specs, profile
