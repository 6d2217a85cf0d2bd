"""Data integrity of batch scoring: what reaches the outputs, and what never aborts a run.

Spreadsheet formula injection, concurrent runs on one output, outputs that would
overwrite an input, workers outliving a killed run, text no file can encode, unclosed
CSV quotes, damaged gzip files and files that are not UTF-8.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import misinfo_clf.batch._local as local_engine
from misinfo_clf import load_model, read_table, score_file
from misinfo_clf._formats import escape_cell, escape_column, unescape_cell, unescape_column
from misinfo_clf.batch import InputError, read_output, score_chunk
from misinfo_clf.batch._outputs import OutputLock

FLAG_TEXT = "Uống nước chanh nóng chữa khỏi ung thư, bác sĩ giấu không nói, share gấp!!!"
CLI = [sys.executable, "-c", "import sys; from misinfo_clf.cli import main; sys.exit(main())"]


@pytest.fixture(scope="session")
def model(small_model_dir):
    return load_model(small_model_dir)


@pytest.fixture(scope="session")
def posts(example_dump_path) -> pd.DataFrame:
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False)
    df = df[df["text"].str.strip() != ""].head(40).reset_index(drop=True)
    return df[["id", "text"]]


def _big_csv(path: Path, posts: pd.DataFrame, n: int) -> Path:
    df = pd.concat([posts] * (-(-n // len(posts))), ignore_index=True).head(n)
    df["text"] = [f"{t} (bài {i % 997})" for i, t in enumerate(df["text"])]
    df["id"] = [f"k{i:06d}" for i in range(len(df))]
    df.to_csv(path, index=False)
    return path


def _wait_for(predicate, proc, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert proc.poll() is None, f"the run ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"no {what} before the deadline"
        time.sleep(0.05)


# -- 5. spreadsheet formula injection ---------------------------------------------------------

DANGEROUS = ["=1+1", "+33 123", "-abc", "@SUM(A1)", "\tTAB", "\rCR", "'quoted"]


@given(st.text())
def test_cell_escape_round_trips_and_never_starts_a_formula(value):
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    assert escaped[:1] not in set("=+-@\t\r")
    assert escaped == value or escaped == "'" + value


@given(st.lists(st.none() | st.text(st.characters(blacklist_categories=("Cs",)))))
def test_column_escape_is_the_cell_escape(values):
    for dtype in ("str", object):
        col = pd.Series(values, dtype=dtype)
        escaped = escape_column(col)
        assert _plain(escaped) == [None if v is None else escape_cell(v) for v in values]
        assert _plain(unescape_column(escaped)) == values


def _plain(col: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in col.tolist()]


@pytest.mark.parametrize(
    "value", [None, 1.5, float("nan"), -3], ids=["none", "float", "nan", "int"]
)
def test_cell_escape_leaves_non_strings_alone(value):
    assert escape_cell(value) is value
    assert unescape_cell(value) is value


def _injection_input(tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    ids = [*DANGEROUS, "plain", ""]
    texts = [f"{d} {FLAG_TEXT}" for d in DANGEROUS] + [FLAG_TEXT, "-" + FLAG_TEXT]
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts, strict=True)),
        encoding="utf-8",
    )
    return path, [*DANGEROUS, "plain", f"{path}:9"], texts


def _raw_cells(path: Path, sep: str) -> list[list[str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter=sep))


@pytest.mark.parametrize("name", ["out.csv", "out.tsv", "out.csv.gz"], ids=["csv", "tsv", "csv.gz"])
def test_spreadsheet_outputs_neutralise_formulas_and_read_back_exactly(tmp_path, model, name):
    path, ids, texts = _injection_input(tmp_path)
    out, queue = tmp_path / name, tmp_path / ("queue" + name[3:])
    score_file(path, out, model=model, jobs=1, queue=queue)
    sep = "\t" if ".tsv" in name else ","
    for f in (out, queue):
        cells = [c for row in _raw_cells(f, sep) for c in row]
        assert not [c for c in cells if c[:1] in set("=+-@\t\r")], f.name
    got = read_output(out)
    assert got["id"].tolist() == ids
    q = read_output(queue)
    assert len(q) > 0
    text_of = dict(zip(ids, texts, strict=True))
    for rid, text, reasons in zip(q["id"], q["text"], q["reasons"], strict=True):
        assert text == text_of[rid]  # exact, no leading quote
        for r in json.loads(reasons):
            if "start" in r:  # span offsets index the post as written in the queue
                assert text[r["start"] : r["end"]].lower() == r["text"].lower()


@pytest.mark.parametrize("name", ["out.jsonl", "out.parquet"], ids=["jsonl", "parquet"])
def test_jsonl_and_parquet_outputs_stay_exact(tmp_path, model, name):
    path, ids, texts = _injection_input(tmp_path)
    queue = tmp_path / ("queue" + name[3:])
    score_file(path, tmp_path / name, model=model, jobs=1, queue=queue)
    assert read_output(tmp_path / name)["id"].tolist() == ids
    if name.endswith(".jsonl"):
        raw = [json.loads(line) for line in (tmp_path / name).read_text().splitlines()]
        assert [r["id"] for r in raw] == ids
        q = [json.loads(line) for line in queue.read_text().splitlines()]
    else:
        q = pd.read_parquet(queue).to_dict("records")
    assert q and all(r["text"] in texts for r in q)


# -- 6. one run per output ---------------------------------------------------------------------


#: the CLI, held before its third chunk until the file $GO exists: a run in progress
HELD_CLI = [
    sys.executable,
    "-c",
    """
import itertools, os, sys, time
import misinfo_clf.batch._local as b
real, calls, go, until = b.score_chunk, itertools.count(), os.environ["GO"], time.time() + 300
def held(*args, **kwargs):
    while next(calls) >= 2 and not os.path.exists(go) and time.time() < until:
        time.sleep(0.05)
    return real(*args, **kwargs)
b.score_chunk = held
from misinfo_clf.cli import main
sys.exit(main())
""",
]


def test_a_second_run_on_the_same_output_fails_fast_naming_the_first(
    tmp_path, posts, small_model_dir
):
    path = _big_csv(tmp_path / "big.csv", posts, 200)
    out, go = tmp_path / "out.csv", tmp_path / "go"
    args = ["score", str(path), "-o", str(out), "--model", str(small_model_dir), "--jobs", "1"]
    first = subprocess.Popen(
        [*HELD_CLI, *args, "--chunk-size", "20"],
        env={**os.environ, "GO": str(go)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for((tmp_path / "out.csv.parts" / "part-000001.part").exists, first, "a part")
        second = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)
        assert first.poll() is None  # held: the first run is still in progress
        go.touch()
        _, stderr = first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == 2
    assert f"another run is writing {out}" in second.stderr
    assert f"pid {first.pid}" in second.stderr
    assert first.returncode == 0, stderr
    got = read_output(out)
    assert got["id"].tolist() == pd.read_csv(path, dtype=str)["id"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "go", "out.csv"]


def test_a_held_lock_refuses_the_run_before_anything_is_written(tmp_path, model, posts):
    path = tmp_path / "in.csv"
    posts.to_csv(path, index=False)
    out = tmp_path / "out.csv"
    with OutputLock(out):
        with pytest.raises(InputError, match=f"another run is writing {out}.*pid {os.getpid()}"):
            score_file(path, out, model=model, jobs=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    score_file(path, out, model=model, jobs=1)  # released: the next run goes through
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


# -- 7. outputs never overwrite inputs ---------------------------------------------------------


def _collisions(tmp_path: Path) -> dict:
    src = tmp_path / "in.csv"
    link = tmp_path / "link.csv"
    hard = tmp_path / "hard.csv"
    return {
        "queue-is-input": dict(inputs=[src], output=tmp_path / "o.csv", queue=src),
        "queue-is-output": dict(inputs=[src], output=tmp_path / "o.csv", queue=tmp_path / "o.csv"),
        "output-is-second-input": dict(inputs=[tmp_path / "b.csv", src], output=src, queue=None),
        "output-symlink-to-input": dict(inputs=[src], output=link, queue=None),
        "queue-hard-link-to-input": dict(inputs=[src], output=tmp_path / "o.csv", queue=hard),
        "input-in-parts-dir": dict(
            inputs=[tmp_path / "o.csv.parts" / "in.csv"], output=tmp_path / "o.csv", queue=None
        ),
        "queue-in-parts-dir": dict(
            inputs=[src], output=tmp_path / "o.csv", queue=tmp_path / "o.csv.parts" / "q.csv"
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "queue-is-input",
        "queue-is-output",
        "output-is-second-input",
        "output-symlink-to-input",
        "queue-hard-link-to-input",
        "input-in-parts-dir",
        "queue-in-parts-dir",
    ],
)
def test_an_output_path_that_is_an_input_or_another_output_is_refused(tmp_path, model, case):
    content = "id,text\n1,xin chào cả nhà\n"
    for p in ("in.csv", "b.csv", "o.csv.parts/in.csv"):
        (tmp_path / p).parent.mkdir(exist_ok=True)
        (tmp_path / p).write_text(content, encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(tmp_path / "in.csv")
    os.link(tmp_path / "in.csv", tmp_path / "hard.csv")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    kw = _collisions(tmp_path)[case]
    with pytest.raises(InputError, match="is the same file as|is inside"):
        score_file(kw["inputs"], kw["output"], model=model, jobs=1, queue=kw["queue"])
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


# -- 8. workers die with their parent ----------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and SIGKILL")
def test_workers_exit_when_the_main_process_is_killed(tmp_path, posts, small_model_dir):
    psutil = pytest.importorskip("psutil")
    path = _big_csv(tmp_path / "big.csv", posts, 4000)
    out = tmp_path / "out.csv"
    proc = subprocess.Popen(
        [*CLI, "score", str(path), "-o", str(out), "--model", str(small_model_dir)]
        + ["--jobs", "2", "--chunk-size", "40"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(
            lambda: (tmp_path / "out.csv.parts" / "part-000002.part").exists(), proc, "a part"
        )
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 2, children  # the two workers (and the fork server)
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, not its group
        proc.wait()

        def alive():
            left = []
            for c in children:
                try:
                    if c.is_running() and c.status() != psutil.STATUS_ZOMBIE:
                        left.append(c)
                except psutil.NoSuchProcess:
                    pass
            return left

        deadline = time.monotonic() + 60
        while alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        left = alive()
    finally:
        if proc.poll() is None:
            proc.kill()
    for c in left:  # do not leave them behind when the test fails
        c.kill()
    assert not left, f"workers still running after their parent was killed: {left}"


# -- 10. text that no file can hold ------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["out.csv", "out.tsv", "out.jsonl", "out.parquet"], ids=["csv", "tsv", "jsonl", "pq"]
)
def test_lone_surrogates_and_nul_never_abort_a_run(tmp_path, model, name):
    lines = [
        r'{"id": "s1", "text": "tin gi\ud800 ' + FLAG_TEXT + '"}',
        r'{"id": "s2", "text": "NUL \u0000 ' + FLAG_TEXT + '"}',
        r'{"id": "s3\udfff", "text": "' + FLAG_TEXT + '"}',
        r'{"id": "s4", "text": "' + FLAG_TEXT + '"}',
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    queue = tmp_path / ("queue" + name[3:])
    summary = score_file(path, tmp_path / name, model=model, jobs=1, queue=queue)
    got = read_output(tmp_path / name)
    assert got["id"].tolist() == ["s1", "s2", "s3\ufffd", "s4"]
    assert got["status"].tolist() == ["ok"] * 4
    assert summary["queue_rows"] == 4
    texts = read_output(queue)["text"].tolist()
    assert any("gi\ufffd " in t for t in texts) and any("NUL \x00 " in t for t in texts)


# -- 11. unclosed CSV quotes -------------------------------------------------------------------


UNCLOSED = {
    # no quote after the bad one: the quoted field runs to the end of the file
    "runs-to-the-end": (
        [
            ["r1", "bài đầu tiên bình thường"],
            ["r2", '"một bài viết\nnhiều dòng, hợp lệ\n\nkết thúc"'],
            ["r3", '"câu trích dẫn không bao giờ đóng'],
            ["r4", "bài sau đó vẫn đọc được"],
            ["r5", "bài thứ năm"],
            ["r6", "bài cuối"],
        ],
        "unclosed quote: its quoted field runs to the end of the file",
    ),
    # the next quote closes it, and a letter follows: the swallowed lines end there
    "closed-by-a-later-quote": (
        [
            ["r1", "bài đầu tiên bình thường"],
            ["r2", '"một bài viết\nnhiều dòng, hợp lệ\n\nkết thúc"'],
            ["r3", '"câu trích dẫn không bao giờ đóng'],
            ["r4", "bài sau đó vẫn đọc được"],
            ["r5", '"bài có ""ngoặc"" và\nxuống dòng"'],
            ["r6", "bài cuối"],
        ],
        "',' expected after '\"' at line 9: an unclosed quote?",
    ),
}


@pytest.mark.parametrize("case", list(UNCLOSED))
@pytest.mark.parametrize("name", ["in.csv", "in.tsv", "in.csv.gz"], ids=["csv", "tsv", "csv.gz"])
@pytest.mark.parametrize("chunk_size", [2, 100], ids=["small-chunks", "one-chunk"])
def test_an_unclosed_quote_is_one_error_row_and_the_rows_after_it_come_out(
    tmp_path, model, name, chunk_size, case
):
    rows, why = UNCLOSED[case]
    sep = "\t" if ".tsv" in name else ","
    data = "id" + sep + "text\n" + "".join(f"{i}{sep}{t}\n" for i, t in rows)
    path = tmp_path / name
    raw = data.encode()
    path.write_bytes(gzip.compress(raw) if name.endswith(".gz") else raw)
    out = tmp_path / "out.parquet"
    summary = score_file(path, out, model=model, jobs=1, chunk_size=chunk_size)
    got = read_output(out)
    assert got["id"].tolist() == ["r1", "r2", "r3", "r4", "r5", "r6"]
    status = dict(zip(got["id"], got["status"], strict=True))
    if sep == "\t":
        why = why.replace("','", "'\t'")
    assert status["r3"] == (
        f"error: unreadable CSV record at line 7: {why}; the lines after line 7 were read "
        "again as records"
    )
    assert [status[r] for r in ("r1", "r2", "r4", "r5", "r6")] == ["ok"] * 5
    assert summary["rows_errored"] == 1


def test_a_legitimate_multi_line_field_at_the_end_stays_one_ok_row(tmp_path, model):
    text = "dòng một\ndòng hai, có dấu phẩy\n" + "\n".join(f"dòng {i}" for i in range(100))
    path = tmp_path / "in.csv"
    pd.DataFrame({"id": ["a", "b"], "text": ["xin chào", text]}).to_csv(path, index=False)
    score_file(path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=1)
    got = read_output(tmp_path / "out.csv")
    assert got["id"].tolist() == ["a", "b"]
    assert got["status"].tolist() == ["ok", "ok"]


def test_an_unclosed_quote_in_the_header_is_an_input_error(tmp_path, model):
    path = tmp_path / "in.csv"
    path.write_text('id,"text\n1,xin chào\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"in\.csv: unclosed quote in the header line"):
        score_file(path, tmp_path / "out.csv", model=model, jobs=1)


# -- 12. damaged gzip files --------------------------------------------------------------------


def _truncated(path: Path, n: int, fmt: str) -> Path:
    if fmt == "csv":
        data = "id,text\n" + "".join(f"t{i},bài viết số {i} về thời tiết\n" for i in range(n))
    else:
        data = "".join(
            json.dumps({"id": f"t{i}", "text": f"bài viết số {i} về thời tiết"}) + "\n"
            for i in range(n)
        )
    # level 0 stores the data, so a cut file holds a predictable number of whole rows
    full = gzip.compress(data.encode(), compresslevel=0)
    path.write_bytes(full[: len(full) * 2 // 3])
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_truncated_gzip_keeps_the_rows_before_the_damage_and_names_the_file(tmp_path, model, fmt):
    path = _truncated(tmp_path / f"cut.{fmt}.gz", 300, fmt)
    summary = score_file(path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=50)
    got = read_output(tmp_path / "out.csv")
    ok = got[got["status"] == "ok"]
    assert len(ok) > 150
    assert ok["id"].tolist() == [f"t{i}" for i in range(len(ok))]
    last = got.iloc[-1]
    assert len(got) == len(ok) + 1 and summary["rows_errored"] == 1
    assert last["status"].startswith(f"error: {path}: truncated or corrupt gzip data after line")
    assert "the rest of the file could not be read" in last["status"]


def test_resume_over_a_truncated_gzip_keeps_the_rows_already_written(tmp_path, model, monkeypatch):
    path = _truncated(tmp_path / "cut.csv.gz", 300, "csv")
    clean = score_file(path, tmp_path / "clean.csv", model=model, jobs=1, chunk_size=40)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return score_chunk(*args, **kwargs)

    monkeypatch.setattr(local_engine, "score_chunk", failing)
    with pytest.raises(RuntimeError, match="boom"):
        score_file(path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=40)
    monkeypatch.undo()
    summary = score_file(
        path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=40, resume=True
    )
    assert summary["resumed_rows"] == 120
    pd.testing.assert_frame_equal(
        read_output(tmp_path / "out.csv"), read_output(tmp_path / "clean.csv")
    )
    assert clean["rows_errored"] == 1


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_file_that_is_not_gzip_at_all_is_an_input_error_naming_it(tmp_path, model, fmt):
    path = tmp_path / f"fake.{fmt}.gz"
    path.write_text("id,text\n1,xin chào\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"fake\.{fmt}\.gz: not a readable gzip file"):
        score_file(path, tmp_path / "out.csv", model=model, jobs=1)
    assert not (tmp_path / "out.csv").exists()


# -- 13. encodings and unreadable Parquet ------------------------------------------------------

ENCODINGS = {
    "utf-16": ("utf-16", "it looks like UTF-16"),
    "utf-16-le-no-bom": ("utf-16-le", "it looks like UTF-16"),
    "utf-16-be-no-bom": ("utf-16-be", "it looks like UTF-16"),
    "utf-32": ("utf-32", "it looks like UTF-32"),
    "cp1252": ("cp1252", "it looks like an 8-bit encoding"),
}


def _encoded(tmp_path: Path, encoding: str, fmt: str) -> Path:
    if fmt == "csv":
        text = "id,tiêu đề,text\n1,é,xin chào cả nhà\n"
    else:
        text = json.dumps({"id": "1", "tiêu đề": "é", "text": "xin chào"}, ensure_ascii=False)
        text += "\n"
    path = tmp_path / f"in.{fmt}"
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("case", list(ENCODINGS))
def test_a_file_that_is_not_utf8_says_so(tmp_path, model, case, fmt):
    encoding, looks = ENCODINGS[case]
    if fmt == "jsonl" and encoding == "cp1252":
        pytest.skip("a JSONL line with bad bytes is a per-row error (no header to judge)")
    path = _encoded(tmp_path, encoding, fmt)
    with pytest.raises(InputError, match=rf"in\.{fmt} is not UTF-8: {looks}.*re-save it as UTF-8"):
        score_file(path, tmp_path / "out.csv", model=model, jobs=1)


@pytest.mark.parametrize("case", list(ENCODINGS))
def test_read_table_says_when_a_file_is_not_utf8(tmp_path, case):
    encoding, looks = ENCODINGS[case]
    path = _encoded(tmp_path, encoding, "csv")
    with pytest.raises(ValueError, match=rf"in\.csv is not UTF-8: {looks}.*re-save it as UTF-8"):
        read_table(path, text_col="text")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_a_utf8_bom_just_works(tmp_path, model, fmt):
    if fmt == "jsonl":
        data = '{"id": "b1", "text": "xin chào cả nhà"}\n'
    else:
        sep = "," if fmt == "csv" else "\t"
        data = f"id{sep}text\nb1{sep}xin chào cả nhà\n"
    path = tmp_path / f"in.{fmt}"
    path.write_bytes(b"\xef\xbb\xbf" + data.encode())
    score_file(path, tmp_path / "out.csv", model=model, jobs=1)
    got = read_output(tmp_path / "out.csv")
    assert got["id"].tolist() == ["b1"] and got["status"].tolist() == ["ok"]
    if fmt != "jsonl":
        assert read_table(path, text_col="text")["id"].tolist() == ["b1"]


def test_a_garbage_parquet_file_is_an_input_error_naming_it(tmp_path, model):
    path = tmp_path / "junk.parquet"
    path.write_bytes(b"this is not parquet at all\n" * 10)
    with pytest.raises(InputError, match=r"junk\.parquet: not a readable Parquet file"):
        score_file(path, tmp_path / "out.csv", model=model, jobs=1)
    with pytest.raises(ValueError, match=r"junk\.parquet: not a readable Parquet file"):
        read_table(path, text_col="text")


@pytest.mark.parametrize("kind", ["truncated", "not-gzip"])
def test_read_table_names_a_damaged_gzip_file(tmp_path, kind):
    path = tmp_path / "train.csv.gz"
    if kind == "truncated":
        _truncated(path, 300, "csv")
    else:
        path.write_text("id,text\n1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"train\.csv\.gz: not a readable gzip file"):
        read_table(path, text_col="text")


def test_csv_escape_is_undone_by_read_output_only_for_spreadsheet_formats(tmp_path):
    # a JSONL output keeps a leading quote that was in the data: nothing to undo
    f = tmp_path / "o.jsonl"
    f.write_text(json.dumps({"id": "'x", "status": "ok"}) + "\n", encoding="utf-8")
    assert read_output(f)["id"].tolist() == ["'x"]
    c = tmp_path / "o.csv"
    c.write_text("id,status\n'-x,ok\n''y,ok\n", encoding="utf-8")
    assert read_output(c)["id"].tolist() == ["-x", "'y"]


def test_a_damaged_parquet_row_group_keeps_the_rows_before_it(tmp_path, model):
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = pd.DataFrame({"id": [f"p{i}" for i in range(300)], "text": ["xin chào cả nhà"] * 300})
    path = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(df), path, row_group_size=100, compression="none")
    offset = pq.ParquetFile(path).metadata.row_group(1).column(1).data_page_offset
    data = bytearray(path.read_bytes())
    data[offset : offset + 64] = b"\xff" * 64  # the page header of the second row group
    path.write_bytes(bytes(data))
    summary = score_file(path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=50)
    got = read_output(tmp_path / "out.csv")
    assert got["id"].tolist() == [f"p{i}" for i in range(100)] + [f"{path}:101"]
    assert got["status"].iat[-1].startswith(f"error: {path}: unreadable Parquet data after row 100")
    assert summary["rows_errored"] == 1


def test_a_stray_quote_in_a_one_line_record_is_still_read_leniently(tmp_path, model):
    path = tmp_path / "in.csv"
    path.write_text('id,text\nq1,"Tin giả" lan truyền trên mạng\nq2,bài sau\n', encoding="utf-8")
    score_file(path, tmp_path / "out.csv", model=model, jobs=1)
    got = read_output(tmp_path / "out.csv")
    assert got["id"].tolist() == ["q1", "q2"]
    assert got["status"].tolist() == ["ok", "ok"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_read_table_names_an_8bit_row_after_a_plain_header(tmp_path, fmt):
    path = tmp_path / f"train.{fmt}"
    if fmt == "csv":
        text = "id,text\n1,xin chao\n2,tête\n"
    else:
        text = '{"id": "1", "text": "xin chao"}\n{"id": "2", "text": "tête"}\n'
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(ValueError, match=r"train\.\w+ is not UTF-8: byte \d+ of the file"):
        read_table(path, text_col="text")


@pytest.mark.parametrize("case", ["garbage-parquet", "utf-16-csv", "cp1252-csv", "fake-gzip"])
def test_the_dask_engine_reader_names_unreadable_files(tmp_path, case):
    pytest.importorskip(
        "dask.dataframe", reason="dask engine needs: pip install 'misinfo_clf[dask]'"
    )
    from misinfo_clf.batch._dask import _read

    if case == "garbage-parquet":
        path, match = tmp_path / "junk.parquet", r"junk\.parquet: not a readable Parquet file"
        path.write_bytes(b"not parquet\n" * 10)
    elif case == "fake-gzip":
        path, match = tmp_path / "fake.csv.gz", r"fake\.csv\.gz: not a readable gzip file"
        path.write_text("id,text\n1,x\n", encoding="utf-8")
    else:
        encoding = "utf-16" if case.startswith("utf-16") else "cp1252"
        path = _encoded(tmp_path, encoding, "csv")
        match = r"in\.csv is not UTF-8: " + ENCODINGS[encoding][1]
    with pytest.raises(InputError, match=match):
        _read(path, "text", "id", [], "16MB")
