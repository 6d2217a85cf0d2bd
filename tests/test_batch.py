"""Batch scoring: formats, order, malformed rows, atomic output, resume, jobs, dedupe."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import misinfo_clf.batch._chunk as chunk_module
import misinfo_clf.batch._local as local_engine
import misinfo_clf.batch._pool as pool
from misinfo_clf import load_model, score_file, score_frame
from misinfo_clf.batch import ERROR_COL, read_output, score_chunk
from misinfo_clf.batch._schema import ModelSchema
from misinfo_clf.cli import main

FLAG_TEXT = "Uống nước chanh nóng chữa khỏi ung thư, bác sĩ giấu không nói, share gấp!!!"


@pytest.fixture(scope="session")
def model(small_model_dir):
    return load_model(small_model_dir)


@pytest.fixture(scope="session")
def posts(example_dump_path) -> pd.DataFrame:
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False)
    df = df[df["text"].str.strip() != ""].head(40).reset_index(drop=True)
    return df[["id", "text"]]


def _write(df: pd.DataFrame, path: Path) -> Path:
    name = path.name
    if name.endswith(".parquet"):
        df.to_parquet(path, index=False)
    elif ".jsonl" in name:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in df.to_dict("records"))
        data = text.encode()
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    else:
        sep = "\t" if ".tsv" in name else ","
        df.to_csv(path, sep=sep, index=False, compression="gzip" if name.endswith(".gz") else None)
    return path


def _expected(model, df) -> pd.DataFrame:
    return score_frame(model, df, id_col="id").reset_index(drop=True)


def _same_scores(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert got["id"].astype(str).tolist() == want["id"].astype(str).tolist()
    for c in want.columns:
        if want[c].dtype.kind == "f":
            np.testing.assert_allclose(
                got[c].astype(float).to_numpy(), want[c].to_numpy(), rtol=1e-5, atol=1e-7, err_msg=c
            )
        elif c != "id":
            g = got[c].where(got[c].notna(), None).tolist()
            w = want[c].where(want[c].notna(), None).tolist()
            g = [None if v == "" else v for v in g]
            w = [None if v == "" else v for v in w]
            assert g == w, c


@pytest.mark.parametrize(
    "name",
    ["in.csv", "in.tsv", "in.jsonl", "in.parquet", "in.csv.gz", "in.tsv.gz", "in.jsonl.gz"],
    ids=["csv", "tsv", "jsonl", "parquet", "csv.gz", "tsv.gz", "jsonl.gz"],
)
def test_every_row_once_in_order_for_every_input_format(tmp_path, model, posts, name):
    path = _write(posts, tmp_path / name)
    summary = score_file(path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=7)
    got = read_output(tmp_path / "out.csv")
    assert list(got.columns) == model.output_columns("id")
    _same_scores(got, _expected(model, posts))
    assert summary["rows_read"] == len(posts) == summary["rows_scored"]
    assert not (tmp_path / "out.csv.parts").exists()


@pytest.mark.parametrize(
    "name", ["out.tsv", "out.jsonl.gz", "out.parquet", "out.csv.gz"], ids=lambda s: s[4:]
)
def test_output_formats_hold_the_same_results(tmp_path, model, posts, name):
    path = _write(posts, tmp_path / "in.csv")
    score_file(path, tmp_path / name, model=model, jobs=1, chunk_size=16)
    got = read_output(tmp_path / name)
    assert list(got.columns) == model.output_columns("id")
    _same_scores(got, _expected(model, posts))


def test_several_inputs_and_globs_add_a_source_column(tmp_path, model, posts):
    a = _write(posts.iloc[:15], tmp_path / "a.csv")
    b = _write(posts.iloc[15:], tmp_path / "b.jsonl")
    summary = score_file(
        [str(tmp_path / "a.*"), b], tmp_path / "out.parquet", model=model, jobs=1, chunk_size=4
    )
    got = read_output(tmp_path / "out.parquet")
    assert got["id"].tolist() == posts["id"].tolist()
    assert got["source"].tolist() == [str(a)] * 15 + [str(b)] * (len(posts) - 15)
    assert summary["rows_read"] == len(posts)


def test_malformed_csv_rows_get_error_status_in_place(tmp_path, model):
    huge = "tin giả " * 20_000  # 160,000 characters: above the model's max_chars
    lines = [
        b"id,text\n",
        b"r1,Hom nay troi dep qua di choi thoi\n",
        b"r2,too,many,fields\n",
        b'r3,"bad bytes \xff\xfe here in the text"\n',
        b"r4,\n",
        b'r5,"' + huge.encode() + b'"\n',
        b',"no id but fine text here for sure"\n',
        b'r7,"a quoted, multi\nline post about the weather"\n',
        b"r8\n",
        b"r9,the last good row of the file\n",
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(b"".join(lines))
    summary = score_file(path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=3)
    got = read_output(tmp_path / "out.csv")
    assert got["id"].tolist() == ["r1", "r2", "r3", "r4", "r5", f"{path}:7", "r7", "r8", "r9"]
    status = dict(zip(got["id"], got["status"], strict=True))
    assert status["r1"] == status["r7"] == status["r9"] == status[f"{path}:7"] == "ok"
    assert status["r2"] == "error: malformed CSV record at line 3: expected 2 fields, found 4"
    assert status["r3"].startswith("error: undecodable bytes")
    assert status["r4"] == "ok"  # an empty field: no text, the row abstains
    assert got.loc[got["id"] == "r4", "decision"].tolist() == ["abstain"]
    assert status["r5"].startswith("error: text too long")
    assert status["r8"] == "error: malformed CSV record at line 10: expected 2 fields, found 1"
    errors = got[got["status"] != "ok"]
    assert (errors["decision"] == "review").all()
    assert errors["misinformation_prob"].isna().all()
    assert summary["rows_errored"] == 4 and summary["rows_read"] == 9
    assert summary["rows_abstained"] == 1 and summary["rows_scored"] == 4


def test_malformed_jsonl_lines_get_error_status_in_place(tmp_path, model):
    lines = [
        b'{"id": "j1", "text": "Hom nay troi dep qua di choi thoi"}\n',
        b'{"id": "j2", "text": "broken json\n',
        b"not json at all\n",
        b"\n",
        b'["a", "list"]\n',
        b'{"id": "j6"}\n',
        b'{"id": "j7", "text": null}\n',
        b'{"id": "j8", "text": 42}\n',
        b'{"id": "j9", "text": "bad \xff bytes"}\n',
        b'{"id": 10, "text": "numeric id and a fine text"}\n',
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"".join(lines))
    score_file(path, tmp_path / "out.jsonl", model=model, jobs=1, chunk_size=4)
    got = read_output(tmp_path / "out.jsonl")
    assert got["id"].tolist() == [
        "j1",
        "j2",
        f"{path}:3",
        f"{path}:5",
        "j6",
        "j7",
        "j8",
        "j9",
        "10",
    ]
    st = got["status"].tolist()
    assert st[0] == st[8] == "ok"
    assert st[1].startswith("error: invalid JSON at line 2")
    assert st[2].startswith("error: invalid JSON at line 3")
    assert st[3] == "error: line 5 holds a JSON list, not an object"
    assert st[4] == st[5] == "ok"  # no text key, or null: no text, the rows abstain
    assert got["decision"].tolist()[4:6] == ["abstain", "abstain"]
    assert st[6] == "error: expected text, got int"
    assert st[7].startswith("error: undecodable bytes")


def test_missing_file_exits_non_zero_naming_it(tmp_path, capsys, small_model_dir):
    code = main(["score", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")])
    assert code != 0
    assert "nope.csv" in capsys.readouterr().err


def test_missing_text_column_exits_non_zero_listing_columns(tmp_path, capsys, small_model_dir):
    path = tmp_path / "in.csv"
    path.write_text("id,message\n1,xin chao\n", encoding="utf-8")
    argv = ["score", str(path), "-o", str(tmp_path / "o.csv"), "--model", str(small_model_dir)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0
    assert "in.csv" in err and "'text'" in err and "['id', 'message']" in err
    assert not (tmp_path / "o.csv").exists()


def test_cli_prints_summary(tmp_path, capsys, small_model_dir, posts):
    path = _write(posts, tmp_path / "in.csv")
    argv = ["score", str(path), "-o", str(tmp_path / "o.csv"), "--model", str(small_model_dir)]
    assert main([*argv, "--jobs", "1", "--queue", str(tmp_path / "q.csv")]) == 0
    out = capsys.readouterr().out
    assert f"{len(posts)} rows read" in out and "flagged" in out and "sent to review" in out
    assert (tmp_path / "q.csv").exists()


def test_output_is_atomic_when_the_run_fails(tmp_path, model, posts, monkeypatch):
    path = _write(posts, tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    out.write_text("previous results\n", encoding="utf-8")
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return score_chunk(*args, **kwargs)

    monkeypatch.setattr(local_engine, "score_chunk", failing)
    with pytest.raises(RuntimeError, match="boom"):
        score_file(path, out, model=model, jobs=1, chunk_size=10)
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv", "out.csv.parts"]


def test_empty_input_gives_an_empty_output_with_header(tmp_path, model):
    path = tmp_path / "in.csv"
    path.write_text("id,text\n", encoding="utf-8")
    summary = score_file(path, tmp_path / "out.csv", model=model, jobs=1)
    assert summary["rows_read"] == 0
    assert (tmp_path / "out.csv").read_text().strip() == ",".join(model.output_columns("id"))


def test_summary_counts_match_the_output(tmp_path, model, posts):
    path = _write(posts, tmp_path / "in.csv")
    s = score_file(path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=9)
    got = read_output(tmp_path / "out.csv")
    assert s["flagged"] == int((got["decision"] == "flag").sum())
    assert s["review"] == int(((got["decision"] == "review") & (got["status"] == "ok")).sum())
    assert s["flagged"] + s["review"] + s["passed"] + s["rows_errored"] == len(posts)


# -- dedupe -------------------------------------------------------------------------------


def test_dedupe_gives_the_same_results_and_scores_fewer_rows(model, monkeypatch):
    variants = [
        FLAG_TEXT,
        FLAG_TEXT,  # exact repost
        "   " + FLAG_TEXT,  # same after normalization; spans shifted by 3
        FLAG_TEXT.upper(),  # same after normalization; other raw letters
        "Trời hôm nay đẹp quá, đi dạo công viên thôi",
        "Trời hôm nay đẹp quá,   đi dạo công viên thôi",
        "",
        FLAG_TEXT,
    ]
    chunk = pd.DataFrame(
        {
            "id": [f"d{i}" for i in range(len(variants))],
            "text": pd.Series(variants, dtype=object),
        }
    )
    seen = []
    real = chunk_module.score_frame

    def counting(model, df, *args, **kwargs):
        seen.append(len(df))
        return real(model, df, *args, **kwargs)

    monkeypatch.setattr(chunk_module, "score_frame", counting)
    plain = score_chunk(model, chunk, dedupe=False)
    n_plain = sum(seen)
    seen.clear()
    deduped = score_chunk(model, chunk, dedupe=True)
    assert sum(seen) < n_plain
    # a post's probabilities do not depend on the other rows of its batch
    pd.testing.assert_frame_equal(deduped, plain, check_exact=True)
    # the test means something: the shifted repost has its own spans
    r0, r2 = json.loads(plain["reasons"][0]), json.loads(plain["reasons"][2])
    spans0 = [(r["start"], r["end"]) for r in r0 if "start" in r]
    spans2 = [(r["start"], r["end"]) for r in r2 if "start" in r]
    assert spans0 and spans2 == [(a + 3, b + 3) for a, b in spans0]


def test_queue_rows_carry_their_canonical_text_and_the_queue_is_unchanged(model):
    from misinfo_clf._queue import (
        CANONICAL_COL,
        build_queue_from_candidates,
        queue_candidates,
    )
    from misinfo_clf.text import normalize_text

    texts = [FLAG_TEXT, "  " + FLAG_TEXT.upper(), "Trời hôm nay đẹp quá, đi dạo thôi", "", None]
    chunk = pd.DataFrame(
        {
            "id": [f"c{i}" for i in range(len(texts))],
            "text": pd.Series(texts, dtype=object),
            ERROR_COL: [None, None, None, None, "error: unreadable"],
        }
    )
    out = score_chunk(model, chunk, canonical=True)
    plain = score_chunk(model, chunk)
    pd.testing.assert_frame_equal(out.drop(columns=[CANONICAL_COL]), plain, check_exact=True)
    queued = out["decision"].isin(["flag", "review", "abstain"]) & (out["status"] == "ok")
    assert queued[:2].all() and not queued[4]  # the test means something
    want = [normalize_text(t) if q else None for t, q in zip(texts, queued, strict=True)]
    canon = [v if isinstance(v, str) else None for v in out[CANONICAL_COL]]  # None or NaN
    assert canon == want
    columns = list(plain.columns)
    with_canon = build_queue_from_candidates(
        [queue_candidates(plain, texts, abstain=True, canonical=canon)], columns
    )
    without = build_queue_from_candidates([queue_candidates(plain, texts, abstain=True)], columns)
    assert CANONICAL_COL not in with_canon.columns
    pd.testing.assert_frame_equal(with_canon, without, check_exact=True)
    assert with_canon["group_id"].iloc[0] == with_canon["group_id"].iloc[1]  # reposts grouped


def test_reader_error_column_wins_over_text(model):
    chunk = pd.DataFrame(
        {"id": ["a", "b"], "text": ["xin chào cả nhà", None], ERROR_COL: ["error: x", None]}
    )
    out = score_chunk(model, chunk)
    assert out["status"].tolist() == ["error: x", "ok"]
    assert out["decision"].tolist() == ["review", "abstain"]
    assert out["misinformation_prob"].isna().all()


# -- processes and resume -------------------------------------------------------------------


@pytest.mark.slow
def test_two_jobs_equal_one_job(tmp_path, model, posts):
    df = pd.concat([posts] * 5, ignore_index=True)
    df["id"] = [f"x{i}" for i in range(len(df))]
    path = _write(df, tmp_path / "in.csv")
    score_file(path, tmp_path / "one.parquet", model=model, jobs=1, chunk_size=13)
    s = score_file(path, tmp_path / "two.parquet", model=model, jobs=2, chunk_size=13)
    assert s["jobs"] == 2
    pd.testing.assert_frame_equal(
        read_output(tmp_path / "two.parquet"), read_output(tmp_path / "one.parquet")
    )


def test_workers_load_a_model_directory_themselves(tmp_path, small_model_dir, model, posts):
    df = pd.concat([posts] * 3, ignore_index=True)
    df["id"] = [f"d{i}" for i in range(len(df))]
    path = _write(df, tmp_path / "in.csv")
    s = score_file(path, tmp_path / "dir.parquet", model=small_model_dir, jobs=2, chunk_size=17)
    assert s["jobs"] == 2
    _same_scores(read_output(tmp_path / "dir.parquet"), _expected(model, df))


def test_broken_model_directory_fails_before_scoring(tmp_path, small_model_dir, posts):
    import shutil

    from misinfo_clf import ModelFileError

    broken = tmp_path / "broken"
    shutil.copytree(small_model_dir, broken)
    data = (broken / "model.skops").read_bytes()
    (broken / "model.skops").write_bytes(data[:1000])
    path = _write(pd.concat([posts] * 3, ignore_index=True), tmp_path / "in.csv")
    with pytest.raises(ModelFileError, match="does not match its manifest"):
        score_file(path, tmp_path / "out.csv", model=broken, jobs=2, chunk_size=17)
    assert not (tmp_path / "out.csv").exists()


def test_worker_load_errors_reach_the_caller(small_model_dir, monkeypatch):
    from misinfo_clf import ModelFileError

    def refuse(self):
        raise ModelFileError("refused by the test")

    monkeypatch.setattr(ModelSchema, "load", refuse)
    monkeypatch.setattr(pool, "_WORKER", {})
    pool._init_worker(ModelSchema(small_model_dir), {})  # must not raise
    with pytest.raises(ModelFileError, match="refused by the test"):
        pool._work(pd.DataFrame({"text": ["x"]}))


def _big_input(tmp_path, posts, n) -> Path:
    reps = -(-n // len(posts))
    df = pd.concat([posts] * reps, ignore_index=True).head(n)
    # vary texts so that dedupe does not make the run trivial
    df["text"] = [f"{t} (bài {i % 997})" for i, t in enumerate(df["text"])]
    df["id"] = [f"k{i:06d}" for i in range(len(df))]
    return _write(df, tmp_path / "big.csv")


@pytest.mark.slow
def test_resume_after_sigkill_loses_and_duplicates_nothing(tmp_path, model, posts, small_model_dir):
    path = _big_input(tmp_path, posts, 2000)
    out = tmp_path / "out.csv"
    parts = tmp_path / "out.csv.parts"
    cmd = [
        sys.executable,
        "-c",
        "import sys; from misinfo_clf.cli import main; sys.exit(main())",
        "score",
        str(path),
        "-o",
        str(out),
        "--model",
        str(small_model_dir),
        "--jobs",
        "2",
        "--chunk-size",
        "40",
    ]
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    try:
        while not (parts / "part-000004.part").exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no progress before the deadline"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    done = json.loads((parts / "checkpoint.json").read_text())["chunks_done"]
    assert 0 < done < 50
    res = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert f"resumed after {done * 40:,} rows" in res.stdout
    got = read_output(out)
    ids = pd.read_csv(path, dtype=str)["id"].tolist()
    assert got["id"].tolist() == ids  # every id exactly once, in order
    score_file(path, tmp_path / "clean.csv", model=model, jobs=1, chunk_size=40)
    pd.testing.assert_frame_equal(got, read_output(tmp_path / "clean.csv"))
    assert not parts.exists()


def test_resume_refuses_other_options(tmp_path, model, posts):
    path = _write(posts, tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    parts = out.with_name("out.csv.parts")
    parts.mkdir()
    (parts / "checkpoint.json").write_text(
        json.dumps({"fingerprint": {"chunk_size": 1}, "chunks_done": 0, "counts": {}})
    )
    with pytest.raises(ValueError, match="cannot resume"):
        score_file(path, out, model=model, jobs=1, resume=True)


def test_progress_is_quiet_when_stderr_is_not_a_terminal(tmp_path, model, posts, capsys):
    path = _write(posts, tmp_path / "in.csv")
    score_file(path, tmp_path / "out.csv", model=model, jobs=1)
    assert capsys.readouterr().err == ""
    score_file(path, tmp_path / "out.csv", model=model, jobs=1, progress=True)
    assert "rows/s" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["o.csv", "o.tsv", "o.jsonl", "o.csv.gz", "o.jsonl.gz"])
def test_parts_encoded_in_workers_make_the_file_the_writer_makes(tmp_path, name):
    """Workers encode their rows; the parts laid end to end after the header are the file
    one Writer makes (formula escapes, a bare carriage return, surrogates, NaN included)."""
    from misinfo_clf._formats import detect_format
    from misinfo_clf.batch._write import Writer, encode_part, join_parts

    obj = {"dtype": object}  # as scoring makes them (a "str" column cannot hold a surrogate)
    frames = [
        pd.DataFrame({"id": pd.Series(["1", "=2"], **obj), "p": [0.25, np.nan]}),
        pd.DataFrame({"id": pd.Series(["3"], **obj), "p": [1e-9]}),
    ]
    frames[0]["reasons"] = pd.Series(["[]", 'x\ud800,"y"'], **obj)
    frames[1]["reasons"] = pd.Series(["a\r\nb"], **obj)  # this part: every string quoted
    columns = list(frames[0].columns)
    w = Writer(tmp_path / name, ["p"])
    for df in frames:
        w.write(df)
    w.commit(columns)
    fmt, gz = detect_format(tmp_path / name)
    parts = []
    for k, df in enumerate(frames):
        parts.append(tmp_path / f"part{k}")
        parts[-1].write_bytes(encode_part(df, fmt, gz))
    join_parts(tmp_path / ("joined-" + name), columns, parts)
    a, b = (tmp_path / name).read_bytes(), (tmp_path / ("joined-" + name)).read_bytes()
    if gz:
        a, b = gzip.decompress(a), gzip.decompress(b)
    assert b == a
    pd.testing.assert_frame_equal(
        read_output(tmp_path / ("joined-" + name)), read_output(tmp_path / name)
    )


def test_reposts_in_later_chunks_come_from_the_cache_with_the_same_rows(model, posts):
    """A post seen in an earlier chunk is taken from the run's cache (only rows that
    passed every head are kept), and every chunk's rows equal scoring it afresh."""
    from misinfo_clf.batch._chunk import RowCache

    cache = RowCache()
    first = posts.iloc[:25].reset_index(drop=True)
    second = pd.concat([posts.iloc[10:40], posts.iloc[:5]], ignore_index=True)
    second["id"] = [f"r{i}" for i in range(len(second))]
    for chunk in (first, second):
        got = score_chunk(model, chunk, canonical=True, cache=cache)
        want = score_chunk(model, chunk, canonical=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert cache.hits > 0  # the second chunk's reposts that passed came from the cache
    assert all(row[cache.columns.index("decision")] == "pass" for row in cache.rows.values())
    # bounded: cleared when full
    small = RowCache(capacity=3)
    score_chunk(model, first, cache=small)
    assert len(small.rows) <= 3
