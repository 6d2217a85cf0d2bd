"""The review queue spilled to disk: same queue as in memory, scratch files removed,
resume over spilled candidates, resume refused across checkpoint or reader versions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import misinfo_clf.batch._local as local_engine
import misinfo_clf.batch._resume as resume_mod
import misinfo_clf.batch._spill as spill_mod
from misinfo_clf import InputError, build_queue, load_model, score_file
from misinfo_clf._queue import (
    CANONICAL_COL,
    candidate_keys,
    groups_of_keys,
    near_duplicate_groups,
)
from misinfo_clf.batch import read_output, score_chunk
from misinfo_clf.text import normalize_text


@pytest.fixture(scope="module")
def model(small_model_dir):
    return load_model(small_model_dir)


@pytest.fixture(scope="module")
def dump(example_dump_path, tmp_path_factory):
    """The example dump with reposts (near-duplicate groups that span chunks) and a
    ``likes`` column (reach)."""
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False)
    reposts = df.head(30).assign(id=lambda d: d["id"] + "-repost", text=lambda d: d["text"] + " !!")
    df = pd.concat([df, reposts], ignore_index=True)
    df["likes"] = [str(i * 37 % 1000) for i in range(len(df))]
    path = tmp_path_factory.mktemp("dump") / "posts.csv"
    df.to_csv(path, index=False)
    return path


def _score(dump, out_dir, model, queue_name="q.csv", **kw):
    out_dir.mkdir(exist_ok=True)
    kw.setdefault("chunk_size", 23)
    s = score_file(dump, out_dir / "out.csv", model=model, jobs=1, queue=out_dir / queue_name, **kw)
    return s, out_dir / queue_name


@pytest.mark.parametrize("queue_name", ["q.csv", "q.jsonl"], ids=["csv", "jsonl"])
@pytest.mark.parametrize("batch_rows", [1, 7, 50], ids=["batch1", "batch7", "batch50"])
def test_a_spilled_queue_is_the_in_memory_queue(
    tmp_path, dump, model, monkeypatch, batch_rows, queue_name
):
    whole, q_whole = _score(dump, tmp_path / "whole", model, queue_name)
    monkeypatch.setattr(spill_mod, "QUEUE_BATCH_ROWS", batch_rows)
    spilled, q_spilled = _score(dump, tmp_path / "spilled", model, queue_name)
    assert whole["queue_rows"] > 50 and whole["queue_groups"] < whole["queue_rows"]
    assert q_spilled.read_bytes() == q_whole.read_bytes()
    assert {k: spilled[k] for k in ("queue_rows", "queue_groups")} == {
        k: whole[k] for k in ("queue_rows", "queue_groups")
    }
    # and it is the queue build_queue makes from the scored file in memory
    scored = read_output(tmp_path / "whole" / "out.csv")
    inputs = pd.read_csv(dump, dtype=str, keep_default_na=False)
    want = build_queue(
        scored, inputs["text"].tolist(), reach=pd.to_numeric(inputs["likes"]).to_numpy()
    )
    got = read_output(q_spilled)
    assert got["id"].tolist() == want["id"].tolist()
    assert got["group_id"].astype(int).tolist() == want["group_id"].tolist()


def test_a_parquet_queue_written_in_batches_holds_the_same_rows(tmp_path, dump, model, monkeypatch):
    _, q_whole = _score(dump, tmp_path / "whole", model, "q.parquet")
    monkeypatch.setattr(spill_mod, "QUEUE_BATCH_ROWS", 9)
    _, q_spilled = _score(dump, tmp_path / "spilled", model, "q.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(q_spilled), pd.read_parquet(q_whole))


def test_no_scratch_file_is_left(tmp_path, dump, model, monkeypatch):
    monkeypatch.setattr(spill_mod, "QUEUE_BATCH_ROWS", 5)
    _score(dump, tmp_path / "run", model)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["out.csv", "q.csv"]


def test_groups_from_keys_are_the_near_duplicate_groups(example_dump_path):
    texts = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False)["text"].tolist()
    texts += [t.upper() + " !!" for t in texts[:40]] + [None, ""]
    keys = candidate_keys([normalize_text(t) if isinstance(t, str) else "" for t in texts])
    groups = groups_of_keys(keys["key"], keys["sig"])
    assert groups.tolist() == near_duplicate_groups(texts).tolist()
    assert len(set(groups.tolist())) < len(texts)


@pytest.mark.parametrize("dedupe", [True, False], ids=["dedupe", "no-dedupe"])
def test_score_chunk_gives_the_normalized_text_it_computed(model, example_dump_path, dedupe):
    chunk = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False).head(60)
    chunk = pd.concat([chunk, chunk.head(5)], ignore_index=True)
    out = score_chunk(model, chunk, dedupe=dedupe, canonical=True)
    assert len(out) == len(chunk)
    queued = (
        out["decision"].isin(["flag", "review", "abstain"]) & (out["status"] == "ok")
    ).tolist()
    canon = [c if isinstance(c, str) else None for c in out[CANONICAL_COL]]
    # every row that can enter the queue has its canonical text, and only those
    assert [c is not None for c in canon] == queued and sum(queued) > 0
    given = [(t, c) for t, c in zip(chunk["text"], canon, strict=True) if c is not None]
    assert all(c == normalize_text(t) for t, c in given)


def _interrupted(monkeypatch, dump, out_dir, model, fail_at=4):
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == fail_at:
            raise RuntimeError("boom")
        return score_chunk(*args, **kwargs)

    monkeypatch.setattr(local_engine, "score_chunk", failing)
    with pytest.raises(RuntimeError, match="boom"):
        _score(dump, out_dir, model)
    monkeypatch.setattr(local_engine, "score_chunk", score_chunk)


def test_resume_over_spilled_candidates_gives_the_same_queue(tmp_path, dump, model, monkeypatch):
    _, q_whole = _score(dump, tmp_path / "whole", model)
    monkeypatch.setattr(spill_mod, "QUEUE_BATCH_ROWS", 6)
    _interrupted(monkeypatch, dump, tmp_path / "run", model)
    parts = tmp_path / "run" / "out.csv.parts"
    spilled = sorted(parts.glob("queue-*.parquet"))
    assert len(spilled) == len(list(parts.glob("queue-*.keys.npz"))) > 0
    # the keys hold no text: a hash and a signature of the normalized text, the priority
    rows = pd.read_parquet(spilled[0])
    with np.load(spilled[0].with_name(spilled[0].stem + ".keys.npz")) as z:
        keys = {name: z[name] for name in z.files}
    assert sorted(keys) == ["key", "priority", "sig"]
    assert all(v.dtype.kind in "uf" and len(v) == len(rows) for v in keys.values())
    want = candidate_keys([normalize_text(t) for t in rows["text"]])
    assert np.array_equal(keys["key"], want["key"]) and np.array_equal(keys["sig"], want["sig"])
    s, q = _score(dump, tmp_path / "run", model, resume=True)
    assert s["resumed_rows"] == 3 * 23
    assert q.read_bytes() == q_whole.read_bytes()
    assert (tmp_path / "run" / "out.csv").read_bytes() == (
        tmp_path / "whole" / "out.csv"
    ).read_bytes()
    assert not parts.exists()


def test_resume_is_refused_when_the_reader_changed(tmp_path, dump, model, monkeypatch):
    _interrupted(monkeypatch, dump, tmp_path / "run", model)
    monkeypatch.setattr(resume_mod, "READER_VERSION", resume_mod.READER_VERSION + 1)
    with pytest.raises(InputError, match=r"reader version 1.*reader version 2.*without --resume"):
        _score(dump, tmp_path / "run", model, resume=True)


def test_resume_is_refused_over_a_checkpoint_of_another_format(tmp_path, dump, model, monkeypatch):
    _interrupted(monkeypatch, dump, tmp_path / "run", model)
    ckpt = tmp_path / "run" / "out.csv.parts" / "checkpoint.json"
    state = json.loads(ckpt.read_text(encoding="utf-8"))
    state["version"] = 2  # the format before parts of text outputs were encoded
    ckpt.write_text(json.dumps(state), encoding="utf-8")
    writes = resume_mod.CHECKPOINT_VERSION
    with pytest.raises(InputError, match=rf"checkpoint format 2, this version writes {writes}\b"):
        _score(dump, tmp_path / "run", model, resume=True)
    # without --resume it starts over
    s, _ = _score(dump, tmp_path / "run", model)
    assert s["resumed_rows"] == 0


def test_score_file_gives_the_callers_arrow_allocator_back(tmp_path, dump, model):
    import pyarrow as pa

    before = pa.default_memory_pool().backend_name
    _score(dump, tmp_path / "run", model)
    assert pa.default_memory_pool().backend_name == before
