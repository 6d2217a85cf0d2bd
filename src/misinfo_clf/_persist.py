"""Model directories: a skops file (no code runs on load), a JSON manifest, a model card.

A model directory holds::

    model.skops      the fitted pipelines, one per head (skops format)
    manifest.json    versions, heads, labels, thresholds, training data and
                     licences, metrics, creation time, sha256 of model.skops
    MODEL_CARD.md    generated from the manifest

Loading checks, in order: the manifest (valid JSON, heads, a model file inside the
directory), versions, the sha256, the archive's size bounds, then every type the
file names against :data:`TRUSTED_TYPES`, and only then builds the objects.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import shutil
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

from ._model import DeferredPipeline, Head, Model
from ._profile import PROFILE_FILE, VALIDATION_FILE, load_validation, save_validation
from ._serving import SERVING_FILE, SERVING_FORMAT, load_serving, save_serving
from ._thresholds import Thresholds
from ._types import StrPath
from ._version import __version__

__all__ = [
    "save_model",
    "load_model",
    "read_manifest",
    "default_model_path",
    "ModelFileError",
    "UntrustedTypesError",
    "TRUSTED_TYPES",
    "MAX_MODEL_BYTES",
    "MAX_MODEL_MEMBERS",
]

FORMAT_VERSION = 1
MODEL_FILE = "model.skops"
MANIFEST = "manifest.json"

#: Every type a misinfo_clf model file may name, by exact name (never a module prefix).
#:
#: The union of the types in the files of every pipeline ``build_pipeline`` offers
#: (classifiers logreg, linear_svm, sgd, complement_nb; calibration sigmoid, isotonic,
#: none; character n-grams on/off, accent view, accent characters, metadata, syllable or
#: word tokens), for binary and multi-class heads: collected once from the saved files
#: (scikit-learn 1.9, numpy 2.4, skops 0.16) and kept honest by
#: ``tests/test_security.py``, which saves and reloads each of them and fails when one
#: needs a type that is not here. All are classes of estimators, of their parts, or of
#: containers and arrays; no function is trusted (no ``eval``, ``getattr``,
#: ``numpy.load``, ``operator.attrgetter``...): skops reads arrays with
#: ``numpy.load(allow_pickle=False)`` and names no reconstructor function.
TRUSTED_TYPES = frozenset(
    {
        # containers and scalars
        "builtins.dict",
        "builtins.list",
        "builtins.slice",
        "builtins.str",
        "builtins.tuple",
        "numpy.float64",
        "numpy.ndarray",
        # this library's estimators and analyzer
        "misinfo_clf._features.CharWBAnalyzer",
        "misinfo_clf._features.CompactTfidfVectorizer",
        "misinfo_clf._features.GatedClassifier",
        "misinfo_clf._features.NumericMetadata",
        "misinfo_clf.text._transformers.TextViews",
        # scikit-learn: pipeline, features, classifiers, calibration
        "sklearn.calibration.CalibratedClassifierCV",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.isotonic.IsotonicRegression",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.linear_model._sgd_fast.ModifiedHuber",
        "sklearn.linear_model._stochastic_gradient.SGDClassifier",
        "sklearn.model_selection._split.StratifiedKFold",
        "sklearn.naive_bayes.ComplementNB",
        "sklearn.pipeline.Pipeline",
        "sklearn.svm._classes.LinearSVC",
    }
)

#: How skops may build each trusted type (its ``__loader__``). Types not listed here are
#: estimators: rebuilt from their attributes (``ObjectNode``), never called with
#: arguments from the file. This rules out the loaders that call a named object with
#: arguments (``ConstructorFromReduceNode``), return functions or methods
#: (``FunctionNode``, ``MethodNode``, ``PartialNode``, ``OperatorFuncNode``) or read
#: other formats (``SparseMatrixNode``, ``BytesNode``...), whatever type they name.
_TRUSTED_LOADERS = {
    "builtins.dict": frozenset({"DictNode"}),
    "builtins.list": frozenset({"ListNode"}),
    "builtins.slice": frozenset({"SliceNode"}),
    "builtins.str": frozenset({"TypeNode"}),
    "builtins.tuple": frozenset({"TupleNode"}),
    "numpy.float64": frozenset({"NdArrayNode", "TypeNode"}),
    "numpy.ndarray": frozenset({"NdArrayNode"}),
    "sklearn.linear_model._sgd_fast.ModifiedHuber": frozenset({"LossNode"}),
}
_ESTIMATOR_LOADERS = frozenset({"ObjectNode"})

#: Bounds checked on the zip's central directory before anything is decompressed.
#: The shipped model (two heads, 127k and 252k terms) is 7.6 MB on disk, 18 MB
#: uncompressed in 22 members, at most 12:1 compressed: these leave a 28x and 450x
#: margin. ``load_model(..., max_bytes=...)`` raises or lowers the first.
MAX_MODEL_BYTES = 512 * 1024 * 1024
MAX_MODEL_MEMBERS = 10_000
#: deflate reaches ~1000:1 on runs of one byte; real arrays stay far below
MAX_COMPRESSION_RATIO = 100
_RATIO_MIN_BYTES = 1 << 20  # the ratio is only checked on members larger than this

#: fixed zip entry time (the earliest a zip can hold): byte-identical files
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ModelFileError(ValueError):
    """A model directory is missing, corrupted, truncated or incompatible."""


class UntrustedTypesError(TypeError):
    """The model file references types outside the allow-list; it was not loaded."""


def file_sha256(path: StrPath) -> str:
    """sha256 of a file, read 1 MiB at a time (model files, their arrays, training data)."""
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


def _sklearn_version() -> str:
    """The installed scikit-learn's version, without importing it (slow to import)."""
    from importlib.metadata import version

    return version("scikit-learn")


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
        "sklearn_version": _sklearn_version(),
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


def _schema_types(schema) -> dict[str, set[str]]:
    """Every type a skops ``schema.json`` names, with the loaders that would build it.

    Walks every dict of the document (not only the ones skops would reach), so nothing
    skops builds escapes it. ``JsonNode`` is skipped: its content goes through
    ``json.loads`` and builds no named type.
    """
    found: dict[str, set[str]] = {}
    stack = [schema]
    while stack:
        obj = stack.pop()
        if isinstance(obj, dict):
            if "__loader__" in obj and obj["__loader__"] != "JsonNode":
                name = f"{obj.get('__module__')}.{obj.get('__class__')}"
                found.setdefault(name, set()).add(str(obj["__loader__"]))
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)
    return found


def _refused_types(schema) -> list[str]:
    """The types (or type and loader) of ``schema`` outside :data:`TRUSTED_TYPES`."""
    refused = []
    for name, loaders in sorted(_schema_types(schema).items()):
        if name not in TRUSTED_TYPES:
            refused.append(name)
            continue
        allowed = _TRUSTED_LOADERS.get(name, _ESTIMATOR_LOADERS)
        refused.extend(f"{name} (built by {loader})" for loader in sorted(loaders - allowed))
    return refused


def _canonical_archive(data: bytes) -> bytes:
    """The skops archive ``data`` rewritten so that equal models give equal bytes.

    skops names ``__id__`` fields and array members after ``id()`` of the saved
    objects and stamps members with the current time. Here ids become 1, 2, ... in
    order of first appearance in ``schema.json`` (an object shared inside the model
    stays shared: one id; JSON primitives, whose sharing depends on interning, each get
    their own), each member is named after the id of the node that reads it, and
    members are written in sorted order with a fixed time and attributes. The objects
    that load are the same (tested).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        schema = json.loads(src.read("schema.json"))
        members = {n: src.read(n) for n in src.namelist() if n != "schema.json"}
    ids: dict = {}
    renamed: dict[str, str] = {}
    next_id = 1
    stack = [schema]
    while stack:  # pre-order, in document order
        obj = stack.pop()
        if isinstance(obj, dict):
            if "__id__" in obj and "__loader__" in obj:
                if obj["__loader__"] == "JsonNode":
                    obj["__id__"], next_id = next_id, next_id + 1
                else:
                    if obj["__id__"] not in ids:
                        ids[obj["__id__"]], next_id = next_id, next_id + 1
                    obj["__id__"] = ids[obj["__id__"]]
                if isinstance(obj.get("file"), str):
                    old = obj["file"]
                    new = renamed.setdefault(old, f"{obj['__id__']}{os.path.splitext(old)[1]}")
                    obj["file"] = new
            stack.extend(reversed(list(obj.values())))
        elif isinstance(obj, list):
            stack.extend(reversed(obj))
    if set(members) != set(renamed) or len(set(renamed.values())) != len(renamed):
        raise RuntimeError(  # a skops change this code does not know: fail loudly
            f"skops wrote members {sorted(members)}; its schema names {sorted(renamed)}."
        )
    entries = {renamed[n]: b for n, b in members.items()}
    entries["schema.json"] = json.dumps(schema, indent=2).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # "unix" on every OS
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()


def save_model(model: Model, path, *, extra: dict | None = None, card: bool = True) -> Path:
    """Save ``model`` as a model directory (created if needed; files replaced atomically).

    The same fitted model gives the same ``model.skops`` bytes (and sha256) on every
    save, given the same versions of the libraries (and of zlib).

    Parameters
    ----------
    model : Model
    path : str or Path
        The directory.
    extra : dict, optional
        Extra manifest fields (e.g. ``intended_use``, ``limitations``).
    card : bool, default=True
        Also write ``MODEL_CARD.md``.

    Raises
    ------
    UntrustedTypesError
        The model holds a type :func:`load_model` would refuse (e.g. a pipeline not
        built by :func:`~misinfo_clf.build_pipeline`); nothing is written.
    """
    import skops.io as sio

    path = Path(path)
    payload = {
        "format_version": FORMAT_VERSION,
        "heads": {name: h.pipeline for name, h in model.heads.items()},
    }
    data = _canonical_archive(sio.dumps(payload, compression=zipfile.ZIP_DEFLATED))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        refused = _refused_types(json.loads(z.read("schema.json")))
    if refused:
        raise UntrustedTypesError(
            f"the model holds types that load_model refuses: {refused}. It was not saved "
            f"(the allowed types are misinfo_clf._persist.TRUSTED_TYPES)."
        )
    try:  # before anything is written: a model that cannot be served is not saved
        servings = {name: h.serving for name, h in model.heads.items()}
    except ValueError as exc:
        raise ValueError(f"the model cannot be served, so it was not saved: {exc}") from None
    path.mkdir(parents=True, exist_ok=True)
    tmp = path / (MODEL_FILE + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path / MODEL_FILE)
    manifest = _manifest_for(model, hashlib.sha256(data).hexdigest(), extra)
    tmp = path / (SERVING_FILE + ".tmp.npz")
    save_serving(servings, tmp)
    os.replace(tmp, path / SERVING_FILE)
    manifest["serving"] = {
        "file": SERVING_FILE,
        "format": SERVING_FORMAT,
        "sha256": file_sha256(path / SERVING_FILE),
    }
    if model.profile is not None:
        manifest["profile"]["sha256"] = file_sha256(model.profile.save(path))
    else:
        (path / PROFILE_FILE).unlink(missing_ok=True)
    if model.validation:
        manifest["validation_scores"] = {
            "file": VALIDATION_FILE,
            "heads": sorted(model.validation),
            "sha256": file_sha256(save_validation(path, model.validation)),
        }
    else:
        (path / VALIDATION_FILE).unlink(missing_ok=True)
    write_manifest(path, manifest)
    if card:
        from ._card import write_model_card

        write_model_card(path, manifest)
    return path


def copy_data_files(src, dst, manifest: dict) -> None:
    """Copy the files a manifest names (model file, traffic profile, validation scores)
    from model directory ``src`` to ``dst``, for commands that write a new directory with
    a changed manifest."""
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    names = [manifest.get("model_file", MODEL_FILE)]
    for key, default in (
        ("profile", PROFILE_FILE),
        ("validation_scores", VALIDATION_FILE),
        ("serving", SERVING_FILE),
    ):
        if manifest.get(key):
            names.append(manifest[key].get("file", default))
    for name in names:
        source = _model_file_path(src, {"model_file": name})
        if source.is_file():
            shutil.copy2(source, dst / Path(name).name)


def write_manifest(path, manifest: dict) -> None:
    path = Path(path)
    tmp = path / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path / MANIFEST)


def read_manifest(path=None) -> dict:
    """The manifest of a model directory, as a dict (clear errors if absent or corrupt).

    Also refuses a manifest whose ``model_file`` does not resolve inside the directory.
    """
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
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ModelFileError(f"{file} is not valid JSON: {exc}.") from None
    if not isinstance(manifest, dict) or "heads" not in manifest:
        raise ModelFileError(f"{file} is not a misinfo_clf manifest (no 'heads').")
    heads = manifest["heads"]
    if (
        not isinstance(heads, dict)
        or not heads
        or not all(isinstance(h, dict) for h in heads.values())
    ):
        raise ModelFileError(
            f"{file}: 'heads' must map each head name to its description, got {heads!r:.200}."
        )
    _model_file_path(path, manifest)
    return manifest


def _model_file_path(path: Path, manifest: dict) -> Path:
    """The model file the manifest names, resolved; refused unless inside ``path``."""
    name = manifest.get("model_file", MODEL_FILE)
    where = Path(path) / MANIFEST
    if not isinstance(name, str) or not name:
        raise ModelFileError(f"{where}: model_file must be a file name, got {name!r}.")
    try:
        root = Path(path).resolve()
        target = (Path(path) / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loop, NUL byte
        raise ModelFileError(
            f"{where} names model file {name!r}, which is unusable: {exc}."
        ) from None
    if target == root or not target.is_relative_to(root):
        raise ModelFileError(
            f"{where} names model file {name!r}, which resolves to {target}, outside the "
            f"model directory {root}: refused (a model directory is self-contained)."
        )
    return target


def _check_versions(manifest: dict, file: Path) -> None:
    fmt = manifest.get("format_version")
    if not isinstance(fmt, int) or fmt > FORMAT_VERSION:
        raise ModelFileError(
            f"{file} has format_version {fmt!r}; this misinfo_clf {__version__} reads up to "
            f"{FORMAT_VERSION}. Upgrade misinfo_clf."
        )
    saved = str(manifest.get("sklearn_version", "unknown"))
    installed = _sklearn_version()
    if saved.split(".")[:2] != installed.split(".")[:2]:
        if saved.split(".")[:1] != installed.split(".")[:1]:
            raise ModelFileError(
                f"{file} was saved with scikit-learn {saved}; this environment has "
                f"{installed}. Install scikit-learn=={saved} or retrain the model."
            )
        warnings.warn(
            f"{file} was saved with scikit-learn {saved} and is loaded with "
            f"{installed}; results may differ. Retrain or pin scikit-learn=={saved}.",
            UserWarning,
            stacklevel=3,
        )


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB"


def _check_archive(file: Path, max_bytes: int, keep=()) -> dict[str, bytes]:
    """Bounds on the zip: first its central directory, then each member's real size.

    Declared sizes are checked first (nothing inflated yet), then every deflated member
    is inflated in bounded chunks and must end exactly at its declared size: zipfile's
    ``read()`` (which skops uses) inflates a member's whole stream before cutting it to
    the declared size, so a member declaring 1 KB could otherwise take gigabytes.

    Returns the checked bytes of the members named in ``keep`` (``True``: all of them),
    so that a reader parses what was checked instead of inflating the file again.
    """
    try:
        with zipfile.ZipFile(file) as z:
            infos = z.infolist()
    except Exception as exc:  # not a zip, truncated, damaged directory
        raise ModelFileError(f"{file} is not a readable skops file: {exc}.") from None
    if len(infos) > MAX_MODEL_MEMBERS:
        raise ModelFileError(
            f"{file} holds {len(infos)} members; a model holds at most {MAX_MODEL_MEMBERS} "
            "(the shipped one: 22). Refused before decompressing."
        )
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise ModelFileError(f"{file} holds duplicate members: the archive was tampered with.")
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        raise ModelFileError(
            f"{file} would take {_mib(total)} uncompressed, more than the {_mib(max_bytes)} a "
            "model may take (the shipped one: 18 MB). Refused before decompressing; pass "
            "max_bytes= to load_model to raise the bound for a file you trust."
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ModelFileError(f"{file}: member {info.filename!r} is encrypted.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(
                f"{file}: member {info.filename!r} uses compression method "
                f"{info.compress_type}; model files are stored or deflated."
            )
        if info.file_size > _RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise ModelFileError(
                f"{file}: member {info.filename!r} inflates {info.compress_size} bytes to "
                f"{_mib(info.file_size)} (more than {MAX_COMPRESSION_RATIO}:1; model arrays "
                "compress far less). Refused before decompressing."
            )
    return _check_streams(file, infos, keep)


def _check_streams(file: Path, infos: list[zipfile.ZipInfo], keep=()) -> dict[str, bytes]:
    """Each member inflates to exactly its declared size and CRC-32, checked 1 MiB at a
    time (a flipped byte can inflate to the right size: only the CRC-32 then shows it).
    The bytes of the members in ``keep`` (``True``: all) are returned."""
    kept: dict[str, bytes] = {}
    with open(file, "rb") as f:
        for info in infos:
            parts: list[bytes] | None = [] if keep is True or info.filename in keep else None
            f.seek(info.header_offset)
            header = f.read(30)
            if len(header) != 30 or header[:4] != b"PK\x03\x04":
                raise ModelFileError(f"{file}: member {info.filename!r} has no local header.")
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            f.seek(info.header_offset + 30 + name_len + extra_len)
            if info.compress_type == zipfile.ZIP_STORED:
                size, crc = _stored_size(f, info, parts)
            else:
                size, crc = _inflated_size(f, info, file, parts)
            if size != info.file_size:
                raise ModelFileError(
                    f"{file}: member {info.filename!r} holds {size} bytes but declares "
                    f"{info.file_size}: the archive is damaged or was tampered with."
                )
            if crc != info.CRC:
                raise ModelFileError(
                    f"{file}: member {info.filename!r} does not match its CRC-32 "
                    f"({crc:08x}, declared {info.CRC:08x}): the archive is damaged or was "
                    "tampered with."
                )
            if parts is not None:
                kept[info.filename] = b"".join(parts)
    return kept


def _stored_size(f, info: zipfile.ZipInfo, parts: list | None = None) -> tuple[int, int]:
    """(bytes, CRC-32) of the stored member at ``f``'s position; its bytes are appended
    to ``parts`` if given."""
    left, size, crc = info.compress_size, 0, 0
    while left:
        data = f.read(min(left, 1 << 20))
        if not data:
            break  # truncated: the size check reports it
        left -= len(data)
        size += len(data)
        crc = zlib.crc32(data, crc)
        if parts is not None:
            parts.append(data)
    return size, crc


def _inflated_size(
    f, info: zipfile.ZipInfo, file: Path, parts: list | None = None
) -> tuple[int, int]:
    """(bytes, CRC-32) the deflated member at ``f``'s position inflates to, stopping past
    its size; the inflated bytes are appended to ``parts`` if given."""
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    left, size, crc = info.compress_size, 0, 0
    try:
        while left and not inflate.eof:
            data = f.read(min(left, 1 << 16))
            if not data:
                break  # truncated: the size check reports it
            left -= len(data)
            while data and not inflate.eof:
                out = inflate.decompress(data, 1 << 20)
                size += len(out)
                crc = zlib.crc32(out, crc)
                if size > info.file_size:
                    raise ModelFileError(
                        f"{file}: member {info.filename!r} inflates past the {info.file_size} "
                        "bytes it declares: the archive was tampered with. Refused."
                    )
                if parts is not None:
                    parts.append(out)
                data = inflate.unconsumed_tail
    except zlib.error as exc:
        raise ModelFileError(f"{file} is not a readable skops file: {exc}.") from None
    if not inflate.eof:
        raise ModelFileError(
            f"{file}: member {info.filename!r} ends before its compressed data does: the "
            "archive is truncated or damaged."
        )
    return size, crc


def _check_model_file(
    path: Path, manifest: dict, *, verify: bool = True, max_bytes: int = MAX_MODEL_BYTES
) -> tuple[Path, bytes]:
    """The model file named by ``manifest``: inside ``path``, present, versions, sha256,
    size; and the checked bytes of its ``schema.json`` (empty if it has none)."""
    file = _model_file_path(Path(path), manifest)
    if not file.is_file():
        raise ModelFileError(f"model file {file} is missing (the manifest names it).")
    _check_versions(manifest, Path(path) / MANIFEST)
    size = file.stat().st_size
    if size > max_bytes:
        raise ModelFileError(
            f"{file} is {_mib(size)}, more than the {_mib(max_bytes)} a model may take; "
            "pass max_bytes= to load_model to raise the bound for a file you trust."
        )
    if verify:
        digest = file_sha256(file)
        if digest != manifest.get("sha256"):
            raise ModelFileError(
                f"{file} does not match its manifest (sha256 {digest[:12]}..., expected "
                f"{str(manifest.get('sha256'))[:12]}...): the file is truncated, corrupted or "
                "was replaced."
            )
    kept = _check_archive(file, max_bytes, keep=("schema.json",))
    return file, kept.get("schema.json", b"")


def _read_schema(file: Path, data: bytes = b"") -> dict:
    """The skops schema: ``data`` (the checked bytes of ``schema.json``), else read."""
    try:
        if not data:
            with zipfile.ZipFile(file) as z:
                data = z.read("schema.json")
        schema = json.loads(data)
    except Exception as exc:  # no schema.json, bad CRC, not JSON, nested too deep
        raise ModelFileError(f"{file} is not a readable skops file: {exc}.") from None
    if not isinstance(schema, dict):
        raise ModelFileError(f"{file} is not a readable skops file: schema.json is no object.")
    return schema


def load_model(
    path: StrPath | None = None, *, verify: bool = True, max_bytes: int = MAX_MODEL_BYTES
) -> Model:
    """Load a model directory; without ``path``, the shipped default model.

    Loading never executes code from the file. In order: the manifest must name a
    model file inside the directory; the versions must fit; the file's sha256 must be
    the manifest's; the archive must stay within :data:`MAX_MODEL_BYTES` uncompressed
    and :data:`MAX_MODEL_MEMBERS` members; every type it names must be in
    :data:`TRUSTED_TYPES` (exact names, each built only the way misinfo_clf's own files
    build it). Only then are the objects built.

    Parameters
    ----------
    path : str or Path, optional
        A model directory (``models/default`` when omitted, or ``$MISINFO_CLF_MODEL``).
    verify : bool, default=True
        Check the model file's sha256 against the manifest.
    max_bytes : int, default=MAX_MODEL_BYTES (512 MiB)
        Refuse a model file larger than this, on disk or uncompressed.

    Raises
    ------
    ModelFileError
        Missing, truncated, corrupted or oversized files, a model file outside the
        directory, heads that do not match the manifest, or incompatible versions.
    UntrustedTypesError
        The file names a type outside the allow-list; nothing was built.
    """
    path = Path(path) if path is not None else default_model_path()
    manifest = read_manifest(path)
    file, schema = _check_model_file(path, manifest, verify=verify, max_bytes=max_bytes)
    refused = _refused_types(_read_schema(file, schema))
    if refused:
        raise UntrustedTypesError(
            f"{file} references types outside the allow-list "
            f"(misinfo_clf._persist.TRUSTED_TYPES): {refused}. It was not loaded."
        )
    pipelines = _PipelineLoader(path, manifest, file)
    if manifest.get("serving"):
        # serving reads plain arrays; the pipelines load when someone asks for them
        serving = _load_serving(path, manifest, verify=verify, max_bytes=max_bytes)
        heads = [
            _head(name, spec, DeferredPipeline(serving[name], pipelines), file)
            for name, spec in manifest["heads"].items()
        ]
    else:  # a model directory saved before serving files: compiled here
        payload = pipelines.payload()
        heads = [_head(name, spec, payload[name], file) for name, spec in manifest["heads"].items()]
    limits = manifest.get("limits", {})
    try:
        model = Model(
            heads,
            name=manifest.get("name", "misinfo_clf"),
            version=str(manifest.get("version", "0")),
            min_tokens=limits.get("min_tokens", 2),
            max_unknown=limits.get("max_unknown", 0.6),
            max_chars=limits.get("max_chars", 100_000),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(f"{path / MANIFEST} does not describe a usable model: {exc}") from None
    model.profile = _load_profile(path, manifest, verify=verify)
    model.validation = _load_validation(path, manifest, verify=verify)
    # how it was trained (config, its sha256, seed, seconds), as ``train`` recorded it
    training = manifest.get("training")
    model.training = dict(training) if isinstance(training, dict) else {}
    model.manifest = manifest
    model.path = path
    return model


#: bound on the plain-array files beside the model (traffic profile, validation scores)
MAX_ARRAYS_BYTES = 64 * 1024 * 1024


def _array_file(
    path: Path, spec: dict, name: str, what: str, *, verify: bool, max_bytes: int = 0
) -> tuple[Path, dict[str, bytes]]:
    """``name`` in the model directory, checked like the model file: the manifest names
    exactly it, it resolves inside the directory, it is a bounded zip of arrays, and its
    sha256 matches. Returns it and its members' checked bytes (read from those, the
    arrays are what was checked, and the file is inflated once)."""
    if spec.get("file", name) != name:
        raise ModelFileError(
            f"{path / MANIFEST} names {what} file {spec.get('file')!r}; expected {name!r}."
        )
    file = _model_file_path(path, {"model_file": name})
    if not file.is_file():
        raise ModelFileError(f"the manifest names {what} but {file} is missing.")
    bound = max_bytes or MAX_ARRAYS_BYTES
    if file.stat().st_size > bound:
        raise ModelFileError(f"{file} is larger than {_mib(bound)}: refused.")
    if verify and file_sha256(file) != spec.get("sha256"):
        raise ModelFileError(
            f"{file} does not match its manifest (sha256): truncated, corrupted or replaced."
        )
    return file, _check_archive(file, bound, keep=True)


class _PipelineLoader:
    """Loads the skops file (already checked: sha256, bounds, allow-listed types) once,
    when the first head's pipeline is asked for."""

    def __init__(self, path: Path, manifest: dict, file: Path):
        self.path, self.manifest, self.file = path, manifest, file
        self._heads: dict | None = None  # read on first use

    def payload(self) -> dict:
        if self._heads is None:
            import skops.io as sio

            file, manifest = self.file, self.manifest
            try:
                payload = sio.load(file, trusted=sorted(TRUSTED_TYPES))
            except Exception as exc:
                raise ModelFileError(
                    f"{file} could not be loaded: {type(exc).__name__}: {exc}."
                ) from None
            if not isinstance(payload, dict) or not isinstance(payload.get("heads"), dict):
                raise ModelFileError(f"{file} does not hold misinfo_clf heads.")
            if set(payload["heads"]) != set(manifest["heads"]):
                raise ModelFileError(
                    f"{self.path / MANIFEST} lists heads {sorted(manifest['heads'])} but {file} "
                    f"holds {sorted(map(str, payload['heads']))}: the files do not belong together."
                )
            self._heads = payload["heads"]
        return self._heads

    def __call__(self, name: str):
        pipeline = self.payload()[name]
        labels = [str(c) for c in getattr(pipeline, "classes_", ())]
        expected = self.manifest["heads"][name].get("labels")
        if expected is not None and list(expected) != labels:
            raise ModelFileError(
                f"head {name!r}: the manifest lists labels {expected} but the model in "
                f"{self.file} predicts {labels}: the files do not belong together."
            )
        return pipeline


def _load_serving(path: Path, manifest: dict, *, verify: bool, max_bytes: int) -> dict:
    """The serving forms named by the manifest, checked like every file of the directory."""
    spec = manifest["serving"]
    if not isinstance(spec, dict):
        raise ModelFileError(f"{path / MANIFEST}: 'serving' must be an object, got {spec!r:.100}.")
    file, members = _array_file(
        path, spec, SERVING_FILE, "a serving file", verify=verify, max_bytes=max_bytes
    )
    try:
        heads = load_serving(file, members)
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as exc:
        raise ModelFileError(
            f"{file} is not a readable serving file: {type(exc).__name__}: {exc}."
        ) from None
    if set(heads) != set(manifest["heads"]):
        raise ModelFileError(
            f"{path / MANIFEST} lists heads {sorted(manifest['heads'])} but {file} holds "
            f"{sorted(heads)}: the files do not belong together."
        )
    return heads


def _load_profile(path: Path, manifest: dict, *, verify: bool):
    """The traffic profile named by the manifest (None when the model has none)."""
    from ._profile import TrafficProfile

    spec = manifest.get("profile")
    if not spec:
        return None
    file, _ = _array_file(path, spec, PROFILE_FILE, "a traffic profile", verify=verify)
    try:
        return TrafficProfile.load(file, spec.get("sources"), spec.get("targets"))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"{file} is not a readable traffic profile: {exc}") from None


def _load_validation(path: Path, manifest: dict, *, verify: bool) -> dict:
    spec = manifest.get("validation_scores")
    if not spec:
        return {}
    file, _ = _array_file(path, spec, VALIDATION_FILE, "validation scores", verify=verify)
    try:
        return load_validation(file)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"{file} is not a readable validation file: {exc}") from None


_HEAD_KEYS = ("labels", "clean_label", "thresholds", "metadata", "class_offsets", "label_rule")


def _head(name: str, spec: dict, pipeline, file: Path) -> Head:
    """Head ``name`` from its manifest entry and the pipeline the file holds for it."""
    try:
        if isinstance(pipeline, DeferredPipeline):
            labels = list(pipeline.serving.classes)
        else:
            labels = [str(c) for c in pipeline.classes_]
    except (AttributeError, TypeError):
        raise ModelFileError(
            f"head {name!r} in {file} is a {type(pipeline).__name__}, not a fitted classifier."
        ) from None
    if "labels" in spec and list(spec["labels"]) != labels:
        raise ModelFileError(
            f"head {name!r}: the manifest lists labels {spec['labels']} but the model in "
            f"{file} predicts {labels}: the files do not belong together."
        )
    offsets = spec.get("class_offsets")
    try:
        if offsets is not None and len(offsets) != len(labels):
            raise ValueError(f"{len(offsets)} class_offsets for {len(labels)} labels")
        return Head(
            name=name,
            pipeline=pipeline,
            clean_label=spec["clean_label"],
            thresholds=Thresholds.from_dict(spec["thresholds"]),
            metadata=tuple(spec.get("metadata") or ()),
            class_offsets=None if offsets is None else tuple(offsets),
            info={k: v for k, v in spec.items() if k not in _HEAD_KEYS},
            label_rule=spec.get("label_rule", "calibrated"),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(
            f"head {name!r} of the manifest does not fit the model in {file}: "
            f"{type(exc).__name__}: {exc}."
        ) from None
