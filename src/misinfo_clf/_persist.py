"""Model directories: a skops file (no code runs on load), a JSON manifest, a model card.

A model directory holds::

    model.skops      the fitted pipelines, one per head (skops format)
    manifest.json    versions, heads, labels, thresholds, training data and
                     licences, metrics, creation time, sha256 of model.skops
    MODEL_CARD.md    generated from the manifest
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import warnings
import zipfile
from pathlib import Path

import sklearn

from ._model import Head, Model
from ._profile import PROFILE_FILE, VALIDATION_FILE, load_validation, save_validation
from ._thresholds import Thresholds
from ._version import __version__

__all__ = [
    "save_model",
    "load_model",
    "read_manifest",
    "default_model_path",
    "ModelFileError",
    "UntrustedTypesError",
    "ALLOWED_MODULE_PREFIXES",
]

FORMAT_VERSION = 1
MODEL_FILE = "model.skops"
MANIFEST = "manifest.json"

#: a saved model may only reference types from these modules
ALLOWED_MODULE_PREFIXES = ("misinfo_clf.", "sklearn.", "numpy.", "scipy.", "builtins.")


class ModelFileError(ValueError):
    """A model directory is missing, corrupted, truncated or incompatible."""


class UntrustedTypesError(TypeError):
    """The model file references types outside the allow-list; it was not loaded."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_model_path() -> Path:
    """``$MISINFO_CLF_MODEL`` if set, else ``models/default`` of the source checkout."""
    env = os.environ.get("MISINFO_CLF_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "models" / "default"


def _manifest_for(model: Model, sha256: str, extra: dict | None) -> dict:
    import skops

    heads = {}
    for name, h in model.heads.items():
        heads[name] = {
            "labels": list(h.labels),
            "clean_label": h.clean_label,
            "thresholds": h.thresholds.to_dict(),
            "metadata": list(h.metadata),
            "class_offsets": None
            if h.class_offsets is None
            else [float(x) for x in h.class_offsets],
            "label_rule": h.label_rule,
            **h.info,
        }
    from .text import load_teencode

    manifest = {
        "format_version": FORMAT_VERSION,
        "name": model.name,
        "version": model.version,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "library_version": __version__,
        "sklearn_version": sklearn.__version__,
        "skops_version": skops.__version__,
        "teencode_version": load_teencode().version,
        "model_file": MODEL_FILE,
        "sha256": sha256,
        "views": model.views.get_params(),
        "limits": {
            "min_tokens": model.min_tokens,
            "max_unknown": model.max_unknown,
            "max_chars": model.max_chars,
        },
        "heads": heads,
    }
    if model.profile is not None:
        manifest["profile"] = model.profile.to_manifest(
            {n: h.thresholds for n, h in model.heads.items()}
        )
    manifest.update(extra or {})
    return manifest


def save_model(model: Model, path, *, extra: dict | None = None, card: bool = True) -> Path:
    """Save ``model`` as a model directory (created if needed; files replaced atomically).

    Parameters
    ----------
    model : Model
    path : str or Path
        The directory.
    extra : dict, optional
        Extra manifest fields (e.g. ``intended_use``, ``limitations``).
    card : bool, default=True
        Also write ``MODEL_CARD.md``.
    """
    import skops.io as sio

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    payload = {
        "format_version": FORMAT_VERSION,
        "heads": {name: h.pipeline for name, h in model.heads.items()},
    }
    tmp = path / (MODEL_FILE + ".tmp")
    sio.dump(payload, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(tmp, path / MODEL_FILE)
    manifest = _manifest_for(model, _sha256(path / MODEL_FILE), extra)
    if model.profile is not None:
        manifest["profile"]["sha256"] = _sha256(model.profile.save(path))
    else:
        (path / PROFILE_FILE).unlink(missing_ok=True)
    if model.validation:
        manifest["validation_scores"] = {
            "file": VALIDATION_FILE,
            "heads": sorted(model.validation),
            "sha256": _sha256(save_validation(path, model.validation)),
        }
    else:
        (path / VALIDATION_FILE).unlink(missing_ok=True)
    write_manifest(path, manifest)
    if card:
        from ._card import write_model_card

        write_model_card(path, manifest)
    return path


def write_manifest(path, manifest: dict) -> None:
    path = Path(path)
    tmp = path / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path / MANIFEST)


def read_manifest(path=None) -> dict:
    """The manifest of a model directory, as a dict (clear errors if absent or corrupt)."""
    path = Path(path) if path is not None else default_model_path()
    file = path / MANIFEST
    if not file.is_file():
        found = sorted(p.name for p in path.iterdir()) if path.is_dir() else None
        raise ModelFileError(
            f"no {MANIFEST} in {path}"
            + (
                f"; the directory holds {found}."
                if found is not None
                else "; the directory does not exist."
            )
            + (
                " Train the default model with `misinfo-clf train --config configs/default.toml "
                "--out models/default`, or pass a model directory."
                if found is None
                else ""
            )
        )
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{file} is not valid JSON: {exc}.") from None
    if not isinstance(manifest, dict) or "heads" not in manifest:
        raise ModelFileError(f"{file} is not a misinfo_clf manifest (no 'heads').")
    return manifest


def _check_versions(manifest: dict, file: Path) -> None:
    fmt = manifest.get("format_version")
    if not isinstance(fmt, int) or fmt > FORMAT_VERSION:
        raise ModelFileError(
            f"{file} has format_version {fmt!r}; this misinfo_clf {__version__} reads up to "
            f"{FORMAT_VERSION}. Upgrade misinfo_clf."
        )
    saved = manifest.get("sklearn_version", "unknown")
    if saved.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        if saved.split(".")[:1] != sklearn.__version__.split(".")[:1]:
            raise ModelFileError(
                f"{file} was saved with scikit-learn {saved}; this environment has "
                f"{sklearn.__version__}. Install scikit-learn=={saved} or retrain the model."
            )
        warnings.warn(
            f"{file} was saved with scikit-learn {saved} and is loaded with "
            f"{sklearn.__version__}; results may differ. Retrain or pin scikit-learn=={saved}.",
            UserWarning,
            stacklevel=3,
        )


def _check_model_file(path: Path, manifest: dict, *, verify: bool = True) -> Path:
    """The model file named by ``manifest``; checks presence, versions and sha256."""
    file = Path(path) / manifest.get("model_file", MODEL_FILE)
    if not file.is_file():
        raise ModelFileError(f"model file {file} is missing (the manifest names it).")
    _check_versions(manifest, Path(path) / MANIFEST)
    if verify:
        digest = _sha256(file)
        if digest != manifest.get("sha256"):
            raise ModelFileError(
                f"{file} does not match its manifest (sha256 {digest[:12]}..., expected "
                f"{str(manifest.get('sha256'))[:12]}...): the file is truncated, corrupted or "
                "was replaced."
            )
    return file


def load_model(path=None, *, verify: bool = True) -> Model:
    """Load a model directory; without ``path``, the shipped default model.

    Loading never executes code from the file: the skops file may only reference
    types from :data:`ALLOWED_MODULE_PREFIXES`; anything else raises
    :class:`UntrustedTypesError`. The sha256 in the manifest is checked first.

    Parameters
    ----------
    path : str or Path, optional
        A model directory (``models/default`` when omitted, or ``$MISINFO_CLF_MODEL``).
    verify : bool, default=True
        Check the model file's sha256 against the manifest.

    Raises
    ------
    ModelFileError
        Missing, truncated or corrupted files, or incompatible versions.
    UntrustedTypesError
        The file references a type outside the allow-list.
    """
    import skops.io as sio

    path = Path(path) if path is not None else default_model_path()
    manifest = read_manifest(path)
    file = _check_model_file(path, manifest, verify=verify)
    try:
        untrusted = sio.get_untrusted_types(file=file)
    except Exception as exc:  # zip or JSON damage inside the skops file
        raise ModelFileError(f"{file} is not a readable skops file: {exc}.") from None
    refused = [t for t in untrusted if not t.startswith(ALLOWED_MODULE_PREFIXES)]
    if refused:
        raise UntrustedTypesError(
            f"{file} references types outside the allow-list {ALLOWED_MODULE_PREFIXES}: "
            f"{refused}. It was not loaded."
        )
    try:
        payload = sio.load(file, trusted=untrusted)
    except Exception as exc:
        raise ModelFileError(f"{file} could not be loaded: {type(exc).__name__}: {exc}.") from None
    if not isinstance(payload, dict) or "heads" not in payload:
        raise ModelFileError(f"{file} does not hold misinfo_clf heads.")
    heads = []
    for name, spec in manifest["heads"].items():
        if name not in payload["heads"]:
            raise ModelFileError(f"head {name!r} is in the manifest but not in {file}.")
        info = {
            k: v
            for k, v in spec.items()
            if k
            not in (
                "labels",
                "clean_label",
                "thresholds",
                "metadata",
                "class_offsets",
                "label_rule",
            )
        }
        offsets = spec.get("class_offsets")
        heads.append(
            Head(
                name=name,
                pipeline=payload["heads"][name],
                clean_label=spec["clean_label"],
                thresholds=Thresholds.from_dict(spec["thresholds"]),
                metadata=tuple(spec.get("metadata") or ()),
                class_offsets=None if offsets is None else tuple(offsets),
                info=info,
                label_rule=spec.get("label_rule", "calibrated"),
            )
        )
    limits = manifest.get("limits", {})
    model = Model(
        heads,
        name=manifest.get("name", "misinfo_clf"),
        version=str(manifest.get("version", "0")),
        min_tokens=limits.get("min_tokens", 2),
        max_unknown=limits.get("max_unknown", 0.6),
        max_chars=limits.get("max_chars", 100_000),
    )
    model.profile = _load_profile(path, manifest, verify=verify)
    model.validation = _load_validation(path, manifest, verify=verify)
    model.manifest = manifest
    model.path = path
    return model


def _load_profile(path: Path, manifest: dict, *, verify: bool):
    """The traffic profile named by the manifest (None when the model has none)."""
    from ._profile import TrafficProfile

    spec = manifest.get("profile")
    if not spec:
        return None
    file = path / PROFILE_FILE
    if spec.get("file", PROFILE_FILE) != PROFILE_FILE or not file.is_file():
        raise ModelFileError(f"the manifest names a traffic profile but {file} is missing.")
    if verify and _sha256(file) != spec.get("sha256"):
        raise ModelFileError(
            f"{file} does not match its manifest (sha256): truncated, corrupted or replaced."
        )
    try:
        return TrafficProfile.load(file, spec.get("sources"), spec.get("targets"))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"{file} is not a readable traffic profile: {exc}") from None


def _load_validation(path: Path, manifest: dict, *, verify: bool) -> dict:
    spec = manifest.get("validation_scores")
    if not spec:
        return {}
    file = path / VALIDATION_FILE
    if spec.get("file", VALIDATION_FILE) != VALIDATION_FILE or not file.is_file():
        raise ModelFileError(f"the manifest names validation scores but {file} is missing.")
    if verify and _sha256(file) != spec.get("sha256"):
        raise ModelFileError(
            f"{file} does not match its manifest (sha256): truncated, corrupted or replaced."
        )
    try:
        return load_validation(file)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"{file} is not a readable validation file: {exc}") from None
