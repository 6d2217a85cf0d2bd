"""A model directory is data, never code: what load_model trusts and what it refuses.

- every pipeline build_pipeline offers saves, reloads and predicts the same, and names
  only types of the exact allow-list (TRUSTED_TYPES), which holds nothing else;
- crafted files that call eval, exec, open, __import__, numpy.savetxt... are refused
  before anything is built, even with the manifest's sha256 rewritten to match;
- the manifest cannot point outside the directory;
- the archive's size is bounded before anything is decompressed;
- corrupted files and manifests that do not fit their model give ModelFileError;
- the same model saves to the same bytes.
"""

import functools
import hashlib
import importlib
import io
import itertools
import json
import operator
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from misinfo_clf import (
    Head,
    Model,
    ModelFileError,
    Thresholds,
    UntrustedTypesError,
    _persist,
    build_pipeline,
    load_model,
    save_model,
)
from misinfo_clf._features import CLASSIFIERS
from misinfo_clf._persist import (
    MAX_MODEL_BYTES,
    MAX_MODEL_MEMBERS,
    TRUSTED_TYPES,
    _refused_types,
    _schema_types,
    file_sha256,
    read_manifest,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "default"


# -- helpers ---------------------------------------------------------------------------


def _schema(file) -> dict:
    with zipfile.ZipFile(file) as z:
        return json.loads(z.read("schema.json"))


def _rewrite_hash(model_dir: Path) -> None:
    manifest = json.loads((model_dir / "manifest.json").read_text())
    manifest["sha256"] = file_sha256(model_dir / manifest.get("model_file", "model.skops"))
    (model_dir / "manifest.json").write_text(json.dumps(manifest))


def _edit_manifest(model_dir: Path, **changes) -> None:
    manifest = json.loads((model_dir / "manifest.json").read_text())
    manifest.update(changes)
    (model_dir / "manifest.json").write_text(json.dumps(manifest))


def _rewrite_archive(model_dir: Path, schema=None, extra: dict | None = None) -> None:
    """Replace schema.json and/or add members, keeping the rest; then fix the sha256."""
    file = model_dir / "model.skops"
    with zipfile.ZipFile(file) as z:
        members = {n: z.read(n) for n in z.namelist()}
    if schema is not None:
        members["schema.json"] = json.dumps(schema).encode()
    members.update(extra or {})
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    _rewrite_hash(model_dir)


@pytest.fixture
def model_copy(small_model_dir, tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(small_model_dir, dst)
    return dst


# -- 1. every pipeline build_pipeline offers loads, with exactly the trusted types -------

_DATA = ROOT / "datasets" / "sample" / "posts_labelled.csv"


@functools.cache
def _tiny():
    """24 posts of the sample corpus (8 per harmful class), with a numeric column."""
    df = pd.read_csv(_DATA).groupby("harmful").head(8).reset_index(drop=True)
    X = df[["text"]].assign(num_like_post=np.arange(len(df), dtype=float) * 3)
    binary = df["misinformation"].map({0: "reliable", 1: "unreliable"}).to_numpy(dtype=object)
    return X, {"binary": (binary, "reliable"), "multiclass": (df["harmful"].to_numpy(), "CLEAN")}


def _cases():
    """Two axes, each covered in full: classifier x calibration x head kind (with the
    richest features), and features x metadata x tokenizer (with logreg + sigmoid).
    The two axes build disjoint parts of the pipeline (``clf`` vs ``views``/``features``),
    so together they name every type the full product names, in 46 fits instead of 528.
    """
    cases = {}
    for clf, cal, head in itertools.product(
        CLASSIFIERS, ("sigmoid", "isotonic", None), ("binary", "multiclass")
    ):
        if clf == "linear_svm" and cal is None:
            continue  # build_pipeline refuses it: no probabilities
        cases[f"{clf}-{cal or 'uncalibrated'}-{head}"] = dict(
            classifier=clf,
            calibration=cal,
            head=head,
            char_ngrams=(1, 3),
            accent_view=True,
            accent_chars=True,
            # ComplementNB needs non-negative features; scaled metadata are not
            metadata=clf != "complement_nb",
            tokenizer="syllable",
        )
    features = [(None, av, False) for av in (True, False)] + [
        ((1, 3), av, ac) for av in (True, False) for ac in (True, False)
    ]
    for i, ((chars, av, ac), meta, tok) in enumerate(
        itertools.product(features, (True, False), ("syllable", "word"))
    ):
        name = (
            f"{'chars' if chars else 'nochars'}-{'accent' if av else 'noaccent'}"
            f"{'-accentchars' if ac else ''}-{'meta' if meta else 'nometa'}-{tok}"
        )
        cases[name] = dict(
            classifier="logreg",
            calibration="sigmoid",
            head=("binary", "multiclass")[i % 2],
            char_ngrams=chars,
            accent_view=av,
            accent_chars=ac,
            metadata=meta,
            tokenizer=tok,
        )
    for head in ("binary", "multiclass"):  # the gated head (everyday posts train the gate)
        cases[f"gated-{head}"] = dict(
            classifier="logreg",
            calibration="sigmoid",
            head=head,
            char_ngrams=(1, 3),
            accent_view=True,
            accent_chars=False,
            metadata=True,
            tokenizer="syllable",
            gate=True,
        )
    return cases


CASES = _cases()


@functools.cache
def _round_trip(case_id: str) -> dict[str, frozenset]:
    """Fit, save, reload: asserts the same probabilities; returns the file's types."""
    params = dict(CASES[case_id])
    head_kind, meta = params.pop("head"), params.pop("metadata")
    gated = params.pop("gate", False)
    X, heads = _tiny()
    y, clean = heads[head_kind]
    if gated:
        everyday = pd.read_csv(ROOT / "datasets" / "examples" / "posts.csv")["text"].dropna()
        everyday = everyday.head(24).tolist()
        X = pd.concat(
            [X, pd.DataFrame({"text": everyday, "num_like_post": 1.0})], ignore_index=True
        )
        y = np.concatenate([y, np.full(len(everyday), "ordinary", dtype=object)])
        params["gate"] = {"clean_label": clean, "C": 1.0}
    columns = ["num_like_post"] if meta else []
    pipe = build_pipeline(min_df=1, calibration_cv=2, metadata=columns, **params)
    X = X[["text", *columns]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SGD does not converge on 24 posts
        pipe.fit(X, y)
    model = Model([Head("h", pipe, clean, Thresholds(0.7, 0.3), metadata=tuple(columns))])
    with tempfile.TemporaryDirectory() as d:
        save_model(model, d, card=False)
        types = _schema_types(_schema(Path(d) / "model.skops"))
        refused = _refused_types(_schema(Path(d) / "model.skops"))
        assert not refused, f"{case_id} needs types outside TRUSTED_TYPES: {refused}"
        loaded = load_model(d).heads["h"].pipeline
    np.testing.assert_array_equal(loaded.predict_proba(X), pipe.predict_proba(X))
    assert list(loaded.classes_) == list(pipe.classes_)
    return {name: frozenset(loaders) for name, loaders in types.items()}


@pytest.mark.parametrize("case_id", list(CASES), ids=list(CASES))
def test_every_pipeline_option_saves_and_loads_with_trusted_types(case_id):
    types = _round_trip(case_id)
    assert set(types) <= TRUSTED_TYPES


def test_trusted_types_are_exactly_what_the_pipelines_need():
    """No stale entry: every trusted type (and each way to build it) is used by some option."""
    used: dict[str, set] = {}
    for case_id in CASES:
        for name, loaders in _round_trip(case_id).items():
            used.setdefault(name, set()).update(loaders)
    assert set(used) == TRUSTED_TYPES
    for name, loaders in _persist._TRUSTED_LOADERS.items():
        assert used[name] == loaders, name


@pytest.mark.parametrize("name", sorted(TRUSTED_TYPES))
def test_every_trusted_name_is_a_class(name):
    """A class of an estimator, a container or an array: never a function like eval."""
    module, _, attr = name.rpartition(".")
    assert isinstance(getattr(importlib.import_module(module), attr), type)


def test_no_module_prefix_is_trusted():
    assert not hasattr(_persist, "ALLOWED_MODULE_PREFIXES")
    assert "ALLOWED_MODULE_PREFIXES" not in _persist.__all__
    assert "TRUSTED_TYPES" in _persist.__all__
    assert all(not t.endswith(".") and t.count(".") >= 1 for t in TRUSTED_TYPES)


@pytest.mark.skipif(not (SHIPPED / "manifest.json").exists(), reason="no models/default")
def test_shipped_model_loads_with_the_allow_list():
    assert _refused_types(_schema(SHIPPED / "model.skops")) == []
    model = load_model(SHIPPED)
    (pred,) = model.predict(["Uống nước chanh nóng chữa khỏi ung thư"])
    assert pred.status == "ok"
    # the size bounds keep a wide margin over the shipped model
    with zipfile.ZipFile(SHIPPED / "model.skops") as z:
        infos = z.infolist()
    assert sum(i.file_size for i in infos) * 10 < MAX_MODEL_BYTES
    assert len(infos) * 100 < MAX_MODEL_MEMBERS


def test_saving_a_type_the_loader_refuses_fails_and_writes_nothing(tmp_path):
    from sklearn.naive_bayes import MultinomialNB

    pipe = build_pipeline(min_df=1, char_ngrams=None, calibration=None)
    pipe.steps[-1] = ("clf", MultinomialNB())
    pipe.fit(["tin giả lan truyền", "trời đẹp quá"] * 3, ["fake", "ok"] * 3)
    with pytest.raises(UntrustedTypesError, match=r"MultinomialNB.*not saved"):
        save_model(Model([Head("h", pipe, "ok", Thresholds(0.7, 0.3))]), tmp_path / "m")
    assert not (tmp_path / "m").exists()


# -- crafted files: refused before anything is built -----------------------------------


def _json(value) -> dict:
    return {
        "__class__": type(value).__name__,
        "__module__": "builtins",
        "__loader__": "JsonNode",
        "content": json.dumps(value),
        "is_json": True,
    }


def _tuple(*items) -> dict:
    return {
        "__class__": "tuple",
        "__module__": "builtins",
        "__loader__": "TupleNode",
        "content": list(items),
    }


def _call(module: str, name: str, *args) -> dict:
    """A node skops builds by calling ``module.name(*args)``."""
    return {
        "__class__": name,
        "__module__": module,
        "__loader__": "ConstructorFromReduceNode",
        "content": _tuple(*args),
    }


class _Touch:
    """Pickled into a file that numpy.load(allow_pickle=True) would run."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _payloads(marker: Path, module: str, pickled: Path) -> dict:
    """Crafted nodes by the callable they name; most would write ``marker`` when built."""
    touch = f"open({str(marker)!r}, 'w').close()"
    return {
        "builtins.eval": _call("builtins", "eval", _json(touch)),
        "builtins.exec": _call("builtins", "exec", _json(touch)),
        "builtins.open": _call("builtins", "open", _json(str(marker)), _json("w")),
        "builtins.__import__": _call("builtins", "__import__", _json(module)),
        "numpy.savetxt": _call("numpy", "savetxt", _json(str(marker)), _tuple(_json(1.0))),
        "numpy.load": _call("numpy", "load", _json(str(pickled)), _json(None), _json(True)),
        "builtins.getattr": _call(
            "builtins",
            "getattr",
            {"__class__": "Path", "__module__": "pathlib", "__loader__": "TypeNode"},
            _json("touch"),
        ),
        "operator.attrgetter": {
            "__class__": "attrgetter",
            "__module__": "operator",
            "__loader__": "OperatorFuncNode",
            "attrs": _tuple(_json("system")),
        },
        # a trusted type, built a way misinfo_clf's files never build it
        "numpy.ndarray (built by ConstructorFromReduceNode)": _call(
            "numpy", "ndarray", _tuple(_json(4), _json(4))
        ),
        # a function returned as such, for the pipeline to call later
        "builtins.eval (built by FunctionNode)": {
            "__class__": "eval",
            "__module__": "builtins",
            "__loader__": "FunctionNode",
        },
    }


def _crafted(model_dir: Path, tmp_path: Path, payload: str, monkeypatch) -> Path:
    """Inject ``payload`` into a copy of a real model; return the marker it would write."""
    marker = tmp_path / "ran" / "marker"
    marker.parent.mkdir()
    module = f"evil_{hashlib.sha1(str(tmp_path).encode()).hexdigest()[:12]}"
    (tmp_path / f"{module}.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    pickled = tmp_path / "payload.npy"
    pickled.write_bytes(pickle.dumps(_Touch(marker)))
    _inject(model_dir, _payloads(marker, module, pickled)[payload])
    return marker


_WRITES_MARKER = {
    "builtins.eval",
    "builtins.exec",
    "builtins.open",
    "builtins.__import__",
    "numpy.savetxt",
    "numpy.load",
}
_PAYLOAD_NAMES = sorted(_payloads(Path("marker"), "module", Path("pickled")))


def _inject(model_dir: Path, node: dict) -> None:
    """Put ``node`` where the real model file holds its format_version; fix the sha256."""
    schema = _schema(model_dir / "model.skops")
    schema["content"]["format_version"] = node
    _rewrite_archive(model_dir, schema=schema)


@pytest.mark.parametrize("payload", _PAYLOAD_NAMES, ids=_PAYLOAD_NAMES)
def test_crafted_file_is_refused_and_runs_nothing(payload, model_copy, tmp_path, monkeypatch):
    marker = _crafted(model_copy, tmp_path, payload, monkeypatch)
    built = []
    original = sio.load
    monkeypatch.setattr(sio, "load", lambda *a, **k: built.append(1) or original(*a, **k))

    with pytest.raises(UntrustedTypesError, match="It was not loaded") as err:
        load_model(model_copy)
    assert payload.split(" (")[0] in str(err.value)
    assert not built, "skops was asked to build objects from a refused file"
    assert not marker.exists()
    with pytest.raises(UntrustedTypesError):
        load_model(model_copy, verify=False)
    assert not marker.exists()


_BUILT = {  # what a loader that trusts what the file names would build
    "builtins.getattr": lambda obj: obj is Path.touch,
    "operator.attrgetter": lambda obj: isinstance(obj, operator.attrgetter),
    "numpy.ndarray (built by ConstructorFromReduceNode)": lambda obj: obj.shape == (4, 4),
    "builtins.eval (built by FunctionNode)": lambda obj: obj is eval,
}


@pytest.mark.parametrize("payload", _PAYLOAD_NAMES, ids=_PAYLOAD_NAMES)
def test_crafted_payloads_are_live(payload, model_copy, tmp_path, monkeypatch):
    """The test above can fail: trusting what the file names (as the module-prefix list
    trusting builtins.* and numpy.* did) runs the payload or builds the function."""
    marker = _crafted(model_copy, tmp_path, payload, monkeypatch)
    file = model_copy / "model.skops"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = sio.load(file, trusted=sio.get_untrusted_types(file=file))
    if payload in _WRITES_MARKER:
        assert marker.exists()
    else:
        assert _BUILT[payload](loaded["format_version"])


def test_untrusted_estimator_class_is_refused(model_copy):
    node = {
        "__class__": "FunctionTransformer",
        "__module__": "sklearn.preprocessing._function_transformer",
        "__loader__": "ObjectNode",
    }
    _inject(model_copy, node)
    with pytest.raises(UntrustedTypesError, match="FunctionTransformer"):
        load_model(model_copy)


# -- 2. the manifest cannot point outside the directory --------------------------------


@pytest.fixture
def elsewhere(small_model_dir, tmp_path):
    """A valid model file outside the model directory (it would load if followed)."""
    d = tmp_path / "elsewhere"
    d.mkdir()
    shutil.copy(small_model_dir / "model.skops", d / "model.skops")
    return d / "model.skops"


@pytest.mark.parametrize(
    "name",
    ["../elsewhere/model.skops", "ABSOLUTE", "sub/../../elsewhere/model.skops"],
    ids=["parent", "absolute", "dotdot-inside"],
)
def test_model_file_outside_the_directory_is_refused(name, model_copy, elsewhere):
    name = str(elsewhere) if name == "ABSOLUTE" else name
    _edit_manifest(model_copy, model_file=name)
    for call in (load_model, read_manifest):
        with pytest.raises(ModelFileError, match=r"outside the model directory") as err:
            call(model_copy)
        assert name in str(err.value)


def test_symlink_pointing_out_is_refused(model_copy, elsewhere):
    (model_copy / "model.skops").unlink()
    (model_copy / "model.skops").symlink_to(elsewhere)
    with pytest.raises(ModelFileError, match=r"model.skops.*outside the model directory"):
        load_model(model_copy)


def test_symlinks_inside_the_directory_are_fine(model_copy, tmp_path):
    (model_copy / "v1").mkdir()
    (model_copy / "model.skops").rename(model_copy / "v1" / "model.skops")
    (model_copy / "model.skops").symlink_to(Path("v1") / "model.skops")
    linked_dir = tmp_path / "current"
    linked_dir.symlink_to(model_copy)
    assert load_model(model_copy).heads and load_model(linked_dir).heads
    _edit_manifest(model_copy, model_file="v1/model.skops")
    assert load_model(model_copy).heads


@pytest.mark.parametrize("name", [5, "", None, ".", "bad\x00name"], ids=repr)
def test_model_file_that_is_not_a_file_name_is_refused(name, model_copy):
    _edit_manifest(model_copy, model_file=name)
    with pytest.raises(ModelFileError, match="model_file|model file"):
        load_model(model_copy)


# -- 3. size bounds, checked before decompressing ---------------------------------------


def _patch_declared_size(file: Path, member: str, size: int) -> None:
    """Make the central directory declare ``size`` uncompressed bytes for ``member``."""
    data = bytearray(file.read_bytes())
    with zipfile.ZipFile(file) as z:
        offset = z.start_dir
    while data[offset : offset + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<3H", data, offset + 28)
        if data[offset + 46 : offset + 46 + n].decode() == member:
            struct.pack_into("<L", data, offset + 24, size)
            file.write_bytes(bytes(data))
            return
        offset += 46 + n + m + k
    raise AssertionError(f"{member} not in {file}")


def _peak_mib(fn) -> float:
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / (1 << 20)


def test_declared_size_over_the_bound_is_refused_before_decompressing(model_copy):
    _rewrite_archive(model_copy, extra={"bomb.npy": bytes(1024)})
    _patch_declared_size(model_copy / "model.skops", "bomb.npy", 600 << 20)
    _rewrite_hash(model_copy)

    def load():
        with pytest.raises(ModelFileError, match=r"\d+ MiB uncompressed.*max_bytes="):
            load_model(model_copy)

    assert _peak_mib(load) < 50


def test_zip_bomb_member_is_refused(model_copy):
    _rewrite_archive(model_copy, extra={"bomb.npy": bytes(32 << 20)})  # ~32 KB on disk
    assert (model_copy / "model.skops").stat().st_size < 2 << 20
    with pytest.raises(ModelFileError, match=r"'bomb.npy' inflates .* Refused before"):
        load_model(model_copy)


def test_total_size_bound_is_a_keyword(model_copy):
    with zipfile.ZipFile(model_copy / "model.skops") as z:
        total = sum(i.file_size for i in z.infolist())
    load_model(model_copy, max_bytes=total)  # exactly at the bound: fine
    with pytest.raises(ModelFileError, match="uncompressed, more than"):
        load_model(model_copy, max_bytes=total - 1)
    # members under the ratio check, many of them: the total still binds
    _rewrite_archive(model_copy, extra={f"pad{i}.npy": bytes(1 << 20) for i in range(8)})
    with pytest.raises(ModelFileError, match="uncompressed, more than"):
        load_model(model_copy, max_bytes=total + (4 << 20))


def test_file_larger_than_the_bound_on_disk_is_refused_before_hashing(model_copy):
    size = (model_copy / "model.skops").stat().st_size
    with pytest.raises(ModelFileError, match=r"MiB, more than the"):
        load_model(model_copy, max_bytes=size - 1)


def test_too_many_members_is_refused(model_copy):
    _rewrite_archive(model_copy, extra={f"{i}.npy": b"" for i in range(MAX_MODEL_MEMBERS)})
    with pytest.raises(ModelFileError, match=r"holds \d+ members; a model holds at most"):
        load_model(model_copy)


def test_member_lying_about_its_size_is_not_inflated_past_it(model_copy):
    """A member declaring 1 KB that inflates to 64 MiB: zipfile.read() would inflate it
    all (then cut it to 1 KB); the loader stops 1 MiB past the declared size."""
    schema = _schema(model_copy / "model.skops")  # a real array node reads the member
    node = {"__class__": "ndarray", "__module__": "numpy", "__loader__": "NdArrayNode"}
    schema["content"]["format_version"] = {**node, "type": "numpy", "file": "big.npy"}
    _rewrite_archive(model_copy, schema=schema, extra={"big.npy": bytes(64 << 20)})
    _patch_declared_size(model_copy / "model.skops", "big.npy", 1024)
    _rewrite_hash(model_copy)

    def load():
        with pytest.raises(ModelFileError, match="'big.npy' inflates past the 1024 bytes"):
            load_model(model_copy)

    assert _peak_mib(load) < 16


def test_member_declaring_more_than_it_holds_is_refused(model_copy):
    _rewrite_archive(model_copy, extra={"short.npy": bytes(1024)})
    _patch_declared_size(model_copy / "model.skops", "short.npy", 2048)
    _rewrite_hash(model_copy)
    with pytest.raises(ModelFileError, match="'short.npy' holds 1024 bytes but declares 2048"):
        load_model(model_copy)


# -- 4. corrupted files ----------------------------------------------------------------


def test_truncated_file(model_copy):
    data = (model_copy / "model.skops").read_bytes()
    (model_copy / "model.skops").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="does not match its manifest"):
        load_model(model_copy)
    _rewrite_hash(model_copy)
    with pytest.raises(ModelFileError, match="not a readable skops file"):
        load_model(model_copy)


@pytest.mark.parametrize(
    "content", [b"", b"not a zip file at all", b"PK\x03\x04" + bytes(100)], ids=repr
)
def test_garbage_with_a_matching_hash(content, model_copy):
    (model_copy / "model.skops").write_bytes(content)
    _rewrite_hash(model_copy)
    with pytest.raises(ModelFileError, match="not a readable skops file"):
        load_model(model_copy)


def test_flipped_byte_inside_a_member_with_a_matching_hash(model_copy):
    file = model_copy / "model.skops"
    with zipfile.ZipFile(file) as z:
        info = max(z.infolist(), key=lambda i: i.compress_size)
    data = bytearray(file.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    _rewrite_hash(model_copy)
    # a flipped deflate byte fails to inflate, inflates to another size, or yields garbage
    with pytest.raises(
        ModelFileError, match="not a readable skops file|could not be loaded|inflates|tampered"
    ):
        load_model(model_copy)


@pytest.mark.parametrize(
    "schema",
    [None, b"{ not json", b"[1, 2]", b"[" * 100_000],
    ids=["absent", "text", "list", "deep"],
)
def test_damaged_schema(schema, model_copy):
    file = model_copy / "model.skops"
    with zipfile.ZipFile(file) as z:
        members = {n: z.read(n) for n in z.namelist() if n != "schema.json"}
    if schema is not None:
        members["schema.json"] = schema
    with zipfile.ZipFile(file, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    _rewrite_hash(model_copy)
    with pytest.raises(ModelFileError, match="not a readable skops file"):
        load_model(model_copy)


@pytest.mark.parametrize(
    "text",
    ["{ not json", "[1, 2]", '{"heads": []}', '{"heads": {}}', '{"heads": {"h": 1}}', "\xff"],
    ids=["not-json", "list", "heads-list", "no-heads", "head-not-object", "not-utf8"],
)
def test_corrupt_manifest(text, model_copy):
    (model_copy / "manifest.json").write_bytes(text.encode("latin-1"))
    with pytest.raises(ModelFileError, match=r"manifest.json"):
        load_model(model_copy)


def _manifest(model_dir):
    return json.loads((model_dir / "manifest.json").read_text())


def test_manifest_with_a_head_the_file_lacks(model_copy):
    heads = _manifest(model_copy)["heads"]
    heads["extra"] = heads["harmful"]
    _edit_manifest(model_copy, heads=heads)
    with pytest.raises(ModelFileError, match=r"lists heads .*extra.*do not belong together"):
        load_model(model_copy)


def test_manifest_missing_a_head_the_file_holds(model_copy):
    heads = _manifest(model_copy)["heads"]
    del heads["harmful"]
    _edit_manifest(model_copy, heads=heads)
    with pytest.raises(ModelFileError, match=r"lists heads \['misinformation'\] but"):
        load_model(model_copy)


def test_manifest_heads_swapped(model_copy):
    heads = _manifest(model_copy)["heads"]
    heads["harmful"], heads["misinformation"] = heads["misinformation"], heads["harmful"]
    _edit_manifest(model_copy, heads=heads)
    with pytest.raises(ModelFileError, match=r"manifest lists labels .* but the model"):
        load_model(model_copy)


@pytest.mark.parametrize(
    "change",
    [
        {"clean_label": "NOPE"},
        {"thresholds": {"flag": "high"}},
        {"class_offsets": [0.0]},
        {"label_rule": "magic"},
    ],
    ids=["clean-label", "thresholds", "class-offsets", "label-rule"],
)
def test_manifest_head_that_does_not_fit_the_file(change, model_copy):
    heads = _manifest(model_copy)["heads"]
    heads["harmful"].update(change)
    _edit_manifest(model_copy, heads=heads)
    with pytest.raises(ModelFileError, match=r"head 'harmful'"):
        load_model(model_copy)


# -- 5. byte-reproducible model files --------------------------------------------------


def _fit_small(seed: int = 0) -> Model:
    X, heads = _tiny()
    y, clean = heads["multiclass"]
    pipe = build_pipeline(
        min_df=1,
        calibration_cv=2,
        char_ngrams=(1, 3),
        metadata=["num_like_post"],
        random_state=seed,
    ).fit(X, y)
    return Model([Head("h", pipe, clean, Thresholds(0.7, 0.3), metadata=("num_like_post",))])


def _digest(d: Path) -> str:
    return hashlib.sha256((d / "model.skops").read_bytes()).hexdigest()


def test_same_model_saves_to_the_same_bytes(tmp_path):
    model = _fit_small()
    save_model(model, tmp_path / "a")
    save_model(model, tmp_path / "b")
    save_model(_fit_small(), tmp_path / "c")  # fitted again from scratch, same seed
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") == _digest(tmp_path / "c")
    assert _manifest(tmp_path / "a")["sha256"] == _digest(tmp_path / "a")
    # and the seed matters (the test can fail)
    save_model(_fit_small(seed=1), tmp_path / "d")
    assert _digest(tmp_path / "d") != _digest(tmp_path / "a")


def test_serving_file_is_deflated_and_saves_to_the_same_bytes(tmp_path):
    save_model(_fit_small(), tmp_path / "a")
    save_model(_fit_small(), tmp_path / "b")
    a, b = (tmp_path / d / "serving.npz" for d in ("a", "b"))
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_reloaded_model_saves_to_the_same_bytes_and_predicts_the_same(tmp_path):
    model = _fit_small()
    save_model(model, tmp_path / "a")
    loaded = load_model(tmp_path / "a")
    save_model(loaded, tmp_path / "b")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    X, _ = _tiny()
    np.testing.assert_array_equal(
        loaded.heads["h"].pipeline.predict_proba(X), model.heads["h"].pipeline.predict_proba(X)
    )


def test_archive_layout_is_canonical(tmp_path):
    save_model(_fit_small(), tmp_path / "a")
    with zipfile.ZipFile(tmp_path / "a" / "model.skops") as z:
        infos = z.infolist()
        schema = json.loads(z.read("schema.json"))
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    ids = []
    stack = [schema]
    while stack:
        obj = stack.pop()
        if isinstance(obj, dict):
            ids += [obj["__id__"]] if "__id__" in obj else []
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)
    # sequential, not object addresses; members are named after their node's id
    assert max(ids) <= len(ids)
    assert all(n == "schema.json" or int(n.split(".")[0]) in ids for n in names)


_SUBPROCESS = """
import hashlib, sys, tempfile
sys.path.insert(0, {tests!r})
from test_security import _fit_small
from misinfo_clf import save_model
d = tempfile.mkdtemp()
save_model(_fit_small(), d, card=False)
print(hashlib.sha256(open(d + "/model.skops", "rb").read()).hexdigest())
"""


@pytest.mark.slow
def test_same_bytes_across_processes(tmp_path):
    """Another process (another string hash seed, other object addresses): same bytes."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS.format(tests=str(Path(__file__).parent))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    save_model(_fit_small(), tmp_path / "here")
    assert out.stdout.strip().splitlines()[-1] == _digest(tmp_path / "here")


def test_canonical_rewrite_keeps_shared_objects_shared():
    """An object referenced twice in the model stays one object after the rewrite."""
    shared = np.arange(3.0)
    data = _persist._canonical_archive(sio.dumps({"a": shared, "b": shared, "c": [1, 1]}))
    loaded = sio.loads(data, trusted=[])
    assert loaded["a"] is loaded["b"]
    np.testing.assert_array_equal(loaded["a"], shared)
    assert loaded["c"] == [1, 1]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert len([n for n in z.namelist() if n.endswith(".npy")]) == 1


# -- 8. the serving file: plain arrays, checked like the model file ----------------------


def _rehash_serving(model_dir: Path) -> None:
    manifest = json.loads((model_dir / "manifest.json").read_text())
    manifest["serving"]["sha256"] = file_sha256(model_dir / "serving.npz")
    (model_dir / "manifest.json").write_text(json.dumps(manifest))


def test_a_saved_model_has_a_serving_file_in_its_manifest(small_model_dir):
    manifest = json.loads((small_model_dir / "manifest.json").read_text())
    assert manifest["serving"]["file"] == "serving.npz"
    assert manifest["serving"]["sha256"] == file_sha256(small_model_dir / "serving.npz")


def test_flipped_byte_in_the_serving_file_is_refused(model_copy):
    file = model_copy / "serving.npz"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match=r"serving.npz does not match its manifest"):
        load_model(model_copy)


class _Shell:
    """Unpickling it would call os.system."""

    def __init__(self, cmd):
        self.cmd = cmd

    def __reduce__(self):
        return (os.system, (self.cmd,))


def test_serving_file_with_a_pickle_is_refused_and_runs_nothing(model_copy, monkeypatch):
    with np.load(model_copy / "serving.npz", allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["h0__model__coef"] = np.array([_Shell("echo pwned")], dtype=object)  # a pickle
    np.savez(model_copy / "serving.npz", **arrays)
    _rehash_serving(model_copy)
    ran = []
    monkeypatch.setattr(os, "system", lambda *a: ran.append(a))
    with pytest.raises(ModelFileError, match=r"serving.npz is not a readable serving file"):
        load_model(model_copy)
    assert ran == []


@pytest.mark.parametrize(
    "name", ["../serving.npz", "/etc/passwd", "profile.npz"], ids=["parent", "absolute", "other"]
)
def test_serving_file_named_elsewhere_is_refused(name, model_copy):
    manifest = json.loads((model_copy / "manifest.json").read_text())
    manifest["serving"]["file"] = name
    (model_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFileError, match=r"names a serving file .*expected 'serving.npz'"):
        load_model(model_copy)


def test_missing_serving_file_is_refused(model_copy):
    (model_copy / "serving.npz").unlink()
    with pytest.raises(ModelFileError, match=r"names a serving file but .*serving.npz is missing"):
        load_model(model_copy)


def test_serving_file_over_the_bound_is_refused(model_copy):
    with np.load(model_copy / "serving.npz", allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["h0__padding"] = np.zeros(4 << 20, dtype=np.uint8)
    np.savez(model_copy / "serving.npz", **arrays)
    _rehash_serving(model_copy)
    with zipfile.ZipFile(model_copy / "model.skops") as z:
        skops_bytes = sum(i.file_size for i in z.infolist())
    with pytest.raises(ModelFileError, match=r"serving.npz is larger than"):
        load_model(model_copy, max_bytes=skops_bytes + (1 << 20))


def test_serving_file_of_other_heads_is_refused(model_copy, tmp_path):
    from misinfo_clf._serving import load_serving, save_serving

    heads = load_serving(model_copy / "serving.npz")
    save_serving(
        {"other": heads["harmful"], "misinformation": heads["misinformation"]},
        model_copy / "serving.npz",
    )
    _rehash_serving(model_copy)
    with pytest.raises(ModelFileError, match=r"the files do not belong together"):
        load_model(model_copy)


def test_serving_file_is_read_from_the_bytes_its_check_inflated(model_copy, monkeypatch):
    # a member that is not an array is refused with its name, not parsed
    with zipfile.ZipFile(model_copy / "serving.npz", "a") as z:
        z.writestr("notes.txt", b"not an array")
    _rehash_serving(model_copy)
    with pytest.raises(ModelFileError, match=r"not a readable serving file.*'notes.txt'"):
        load_model(model_copy)
    # a valid file is inflated once: the arrays come from the checked bytes
    with zipfile.ZipFile(model_copy / "serving.npz") as z:
        members = {i.filename: z.read(i) for i in z.infolist() if i.filename != "notes.txt"}
    with zipfile.ZipFile(model_copy / "serving.npz", "w", zipfile.ZIP_DEFLATED) as z:
        for name, raw in members.items():
            z.writestr(name, raw)
    _rehash_serving(model_copy)
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("serving.npz inflated twice"))
    model = load_model(model_copy)
    assert set(model.predict(["Uống chanh chữa ung thư"])[0].heads) == set(model.heads)


def test_serving_loads_without_scikit_learn_and_the_pipeline_on_demand(small_model_dir):
    code = (
        "import sys, misinfo_clf\n"
        f"m = misinfo_clf.load_model({str(small_model_dir)!r})\n"
        "p = m.predict(['Uống chanh chữa ung thư'])[0]\n"
        "assert not {'sklearn', 'skops', 'scipy', 'pandas'} & set(sys.modules), sys.modules\n"
        "pipe = m.heads['harmful'].pipeline\n"
        "assert 'sklearn' in sys.modules and type(pipe).__name__ == 'Pipeline'\n"
        "import pandas as pd\n"
        "want = pipe.predict_proba(pd.DataFrame({'text': ['Uống chanh chữa ung thư']}))[0]\n"
        "got = [p.heads['harmful'].probabilities[c] for c in m.heads['harmful'].labels]\n"
        "assert max(abs(a - b) for a, b in zip(got, want)) < 1e-12\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})
