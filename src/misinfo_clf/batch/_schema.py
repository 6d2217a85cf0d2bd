"""The model as the main process of a run sees it: loaded, or only its manifest."""

from __future__ import annotations

import os
from pathlib import Path

from .._model import Model, metadata_columns, output_columns

__all__ = ["ModelSchema", "prob_columns", "resolve_model"]


class ModelSchema:
    """What the main process needs of a model that only the worker processes load.

    Read from the manifest: name, version, metadata columns and the output columns.
    Keeps a second copy of the model (about 100 MB) out of the main process.
    """

    def __init__(self, path):
        from .._persist import _check_model_file, default_model_path, read_manifest

        self.path = Path(path) if path is not None else default_model_path()
        self.manifest = read_manifest(self.path)
        # fail here, with the loader's message, rather than in every worker
        _check_model_file(self.path, self.manifest)
        self.name = self.manifest.get("name", "misinfo_clf")
        self.version = str(self.manifest.get("version", "0"))
        self.heads = {n: tuple(h["labels"]) for n, h in self.manifest["heads"].items()}
        self.metadata_columns = metadata_columns(
            h.get("metadata") or () for h in self.manifest["heads"].values()
        )

    def output_columns(self, id_col=None) -> list[str]:
        return output_columns(self.heads, id_col)

    def load(self) -> Model:
        from .._persist import load_model

        return load_model(self.path)


def prob_columns(model) -> list[str]:
    """The float columns of the output: every ``<head>_prob`` and ``<head>_prob_<CLASS>``."""
    return [
        c
        for c in model.output_columns()
        if any(c == f"{n}_prob" or c.startswith(f"{n}_prob_") for n in model.heads)
    ]


def resolve_model(model) -> Model:
    from .._persist import load_model

    if model is None or isinstance(model, str | os.PathLike):
        return load_model(model)
    if not isinstance(model, Model):
        raise TypeError(
            f"model must be a Model, a model directory or None, got {type(model).__name__}."
        )
    return model
