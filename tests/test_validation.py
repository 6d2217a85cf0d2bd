"""One rule for what counts as text (_validation.py), the same in predict and in batch
scoring; bad metadata values; probabilities independent of batch size."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import Decision, load_model, score_file
from misinfo_clf._features import NumericMetadata
from misinfo_clf._thresholds import SEVERITY, overall_decision
from misinfo_clf.batch import read_output
from misinfo_clf.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "models" / "default"
NEVER = {"flag": 1.01, "review": 1.01}  # thresholds no score reaches

# id, value, decision, status (prefix), notes
CASES = [
    ("none", None, "abstain", "ok", ("empty",)),
    ("nan", float("nan"), "abstain", "ok", ("empty",)),
    ("empty", "", "abstain", "ok", ("empty",)),
    ("blank", "   ", "abstain", "ok", ("empty",)),
    ("url", "https://x.vn", "abstain", "ok", ("no_text",)),
    ("emoji", "😀😀", "abstain", "ok", ("no_text",)),
    ("digits", "12345", "abstain", "ok", ("no_text",)),
    ("punctuation", "!!!", "abstain", "ok", ("no_text",)),
    ("email_phone_emoticon", "a@b.vn 0912345678 =)) :D", "abstain", "ok", ("no_text",)),
    ("short_hate", "đồ ngu", "flag", "ok", ()),
    ("english", "hello world this is english", None, "ok", ("unknown_language",)),
    ("bad_bytes", b"\xff", "review", "error: undecodable bytes (invalid start byte at byte 0)", ()),
    ("number", 5, "review", "error: expected text, got int", ()),
    ("too_long", "x" * 200_000, "review", "error: text too long (200000 characters", ()),
]
IDS = [c[0] for c in CASES]


@pytest.fixture(scope="module")
def model(small_model_dir):
    return load_model(small_model_dir)


@pytest.fixture(scope="module")
def default_model():
    if not (DEFAULT_MODEL / "manifest.json").is_file():
        pytest.skip(f"no shipped model at {DEFAULT_MODEL}")
    return load_model(DEFAULT_MODEL)


def _codes(reasons_json: str) -> tuple[str, ...]:
    return tuple(r["code"] for r in json.loads(reasons_json) if "code" in r)


@pytest.mark.parametrize(("value", "decision", "status", "notes"), [c[1:] for c in CASES], ids=IDS)
def test_what_each_value_gets(model, value, decision, status, notes):
    (pred,) = model.predict([value])
    assert pred.status.startswith(status)
    assert pred.notes == notes
    if decision is not None:
        assert pred.decision == decision
    probs = [h.probability for h in pred.heads.values()]
    if decision == "abstain":
        assert all(h.decision is Decision.ABSTAIN and h.label is None for h in pred.heads.values())
        assert all(math.isnan(p) for p in probs) and pred.reasons == ()
    elif status == "ok":
        assert not any(math.isnan(p) for p in probs)
    else:
        assert all(math.isnan(p) for p in probs) and pred.decision is Decision.REVIEW


@pytest.fixture(scope="module")
def batch_outputs(model, tmp_path_factory):
    """score_file over one JSONL and one CSV holding every value of CASES they can hold."""
    d = tmp_path_factory.mktemp("validation")
    lines = []
    for cid, value, *_ in CASES:
        if isinstance(value, bytes):  # raw bytes in the line: the reader cannot decode it
            lines.append(b'{"id": "' + cid.encode() + b'", "text": "' + value + b'"}\n')
        else:
            lines.append(
                json.dumps({"id": cid, "text": value}, ensure_ascii=False).encode() + b"\n"
            )
    (d / "in.jsonl").write_bytes(b"".join(lines))
    with open(d / "in.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for cid, value, *_ in CASES:
            if isinstance(value, str):
                w.writerow([cid, value])
            elif value is None or (isinstance(value, float) and math.isnan(value)):
                w.writerow([cid, ""])  # a missing value is an empty field in CSV
    with open(d / "in.csv", "ab") as f:
        f.write(b'bad_bytes,"\xff"\n')
    out = {}
    for name in ("in.jsonl", "in.csv"):
        summary = score_file(d / name, d / f"{name}.out.parquet", model=model, jobs=1, chunk_size=5)
        frame = read_output(d / f"{name}.out.parquet")
        out[name] = (frame.set_index(frame["id"].astype(str)), summary)
    return out


@pytest.mark.parametrize("value", [c[1] for c in CASES], ids=IDS)
@pytest.mark.parametrize("fmt", ["in.jsonl", "in.csv"])
def test_predict_and_batch_agree(model, batch_outputs, fmt, value):
    cid = IDS[[c[1] is value for c in CASES].index(True)]
    frame, _ = batch_outputs[fmt]
    if cid not in frame.index:
        pytest.skip(f"{cid} cannot be written in {fmt}")
    row = frame.loc[cid]
    (pred,) = model.predict([value])
    assert row["status"] == pred.status
    assert row["decision"] == pred.decision.value
    assert _codes(row["reasons"]) == pred.notes
    for name, h in pred.heads.items():
        assert row[f"{name}_decision"] == h.decision.value
        got = row[f"{name}_prob"]
        assert (math.isnan(got) and math.isnan(h.probability)) or got == h.probability


def test_batch_summary_counts_abstained_rows(batch_outputs):
    n_abstain = sum(c[2] == "abstain" for c in CASES)
    _, summary = batch_outputs["in.jsonl"]
    assert summary["rows_abstained"] == n_abstain
    assert summary["rows_errored"] == 3
    assert summary["rows_scored"] == len(CASES) - n_abstain - 3
    assert summary["rows_read"] == len(CASES)


def test_short_or_unknown_posts_are_scored_not_forced_to_review(model):
    texts = ["ok", "qwxz bnmv plkj ngu"]
    preds = model.predict(texts, thresholds={"misinformation": NEVER, "harmful": NEVER})
    assert [p.notes for p in preds] == [("too_short",), ("unknown_language",)]
    assert [p.decision for p in preds] == [Decision.PASS, Decision.PASS]
    # the same posts, with the model's thresholds: their scores alone decide
    _, obfuscated = model.predict(texts)
    assert obfuscated.decision is Decision.FLAG  # abuse among unknown words still flagged
    assert obfuscated.heads["harmful"].probability >= model.heads["harmful"].thresholds.flag


def test_abstain_is_below_pass_and_only_overall_when_every_head_abstains():
    assert SEVERITY["abstain"] < SEVERITY["pass"] < SEVERITY["review"] < SEVERITY["flag"]
    assert Decision.ABSTAIN.severity < Decision.PASS.severity
    assert Decision.from_str("ABSTAIN") is Decision.ABSTAIN
    heads = [np.array(["abstain", "abstain", "pass"]), np.array(["abstain", "review", "abstain"])]
    assert overall_decision(heads, 3).tolist() == ["abstain", "review", "pass"]


def _queue_run(tmp_path):
    path = tmp_path / "in.csv"
    pd.DataFrame(
        {
            "id": ["flag", "blank", "link", "pass", "short"],
            "text": [
                "Uống nước chanh nóng chữa khỏi ung thư, bác sĩ giấu không nói, share gấp!!!",
                "",
                "https://x.vn 😀",
                "Hôm nay trời đẹp, cả nhà đi công viên chơi vui lắm",
                "ngu",
            ],
        }
    ).to_csv(path, index=False)
    return path


def test_abstained_rows_stay_out_of_the_queue_unless_asked(model, tmp_path):
    path = _queue_run(tmp_path)
    s = score_file(path, tmp_path / "out.csv", model=model, jobs=1, queue=tmp_path / "q.csv")
    q = pd.read_csv(tmp_path / "q.csv", dtype=str, keep_default_na=False)
    assert set(q["id"]) == {"flag", "short"} and s["rows_abstained"] == 2
    score_file(
        path,
        tmp_path / "out2.csv",
        model=model,
        jobs=1,
        queue=tmp_path / "q2.csv",
        queue_abstain=True,
    )
    q2 = pd.read_csv(tmp_path / "q2.csv", dtype=str, keep_default_na=False)
    assert q2["id"].tolist()[:2] == q["id"].tolist()  # flag and review groups first
    assert set(q2["id"].tolist()[2:]) == {"blank", "link"}
    assert (q2["decision"].tolist()[2:]) == ["abstain", "abstain"]


def test_cli_queue_abstain_flag_and_counts(small_model_dir, tmp_path, capsys):
    path = _queue_run(tmp_path)
    args = ["score", str(path), "-o", str(tmp_path / "o.csv"), "--model", str(small_model_dir)]
    args += ["--jobs", "1", "--queue", str(tmp_path / "q.csv"), "--queue-abstain"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "5 rows read, 3 scored, 2 abstained (no text), 0 errored" in printed
    q = pd.read_csv(tmp_path / "q.csv", dtype=str, keep_default_na=False)
    assert {"blank", "link"} <= set(q["id"])


# -- metadata values --------------------------------------------------------------------

BAD_COUNTS = [np.inf, -np.inf, "1e400", "abc", 1e30, None, 10**400, complex(1, 2)]


def test_bad_metadata_values_are_missing_per_row(default_model):
    head = default_model.heads["misinformation"]
    assert "num_like_post" in head.metadata
    text = "Uống nước chanh nóng chữa khỏi ung thư, chia sẻ ngay"
    df = pd.DataFrame(
        {"text": [text] * (len(BAD_COUNTS) + 2), "num_like_post": [*BAD_COUNTS, 5, np.nan]},
    )
    df["num_like_post"] = df["num_like_post"].astype(object)
    out = default_model.predict_frame(df)
    assert (out["status"] == "ok").all()
    probs = out["misinformation_prob"].to_numpy()
    missing = probs[-1]
    assert np.all(probs[: len(BAD_COUNTS)] == missing)
    assert probs[len(BAD_COUNTS)] != missing  # a real count is used: the test can fail


def test_numeric_metadata_reads_bad_values_as_missing_and_keeps_its_state():
    meta = NumericMetadata(columns=["n"]).fit(pd.DataFrame({"n": [1, 10, 100]}))
    values = meta._values(pd.DataFrame({"n": pd.Series([*BAD_COUNTS, -3, 7], dtype=object)}))
    assert np.isnan(values[: len(BAD_COUNTS), 0]).all()
    assert values[len(BAD_COUNTS) :, 0].tolist() == [0.0, 7.0]
    # saved models hold exactly these attributes: no new state to break old files
    assert set(vars(meta)) == {"columns", "indicators", "median_", "scale_", "n_features_in_"}


def test_batch_run_with_bad_metadata_completes(default_model, tmp_path):
    path = tmp_path / "in.csv"
    values = ["inf", "-inf", "1e400", "abc", "1e30", "", "5", "9" * 400]
    pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(len(values))],
            "text": ["Bác sĩ giấu: nước chanh chữa khỏi ung thư"] * len(values),
            "num_like_post": values,
        }
    ).to_csv(path, index=False)
    s = score_file(path, tmp_path / "out.parquet", model=default_model, jobs=1)
    out = read_output(tmp_path / "out.parquet")
    assert s["rows_scored"] == len(values) and (out["status"] == "ok").all()
    probs = out["misinformation_prob"].to_numpy()
    assert (np.delete(probs, 6) == probs[5]).all() and probs[6] != probs[5]


# -- the same probabilities whatever the batch --------------------------------------------


def test_probabilities_do_not_depend_on_batch_size(default_model, example_dump_path):
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False).head(100)

    def scored(size):
        parts = [
            default_model.predict_frame(df.iloc[i : i + size], explain=False)
            for i in range(0, len(df), size)
        ]
        return pd.concat(parts)

    one, seven, every = scored(1), scored(7), scored(len(df))
    cols = [c for c in one.columns if "_prob" in c]
    assert len(cols) >= 2
    for c in cols:
        assert np.array_equal(one[c].to_numpy(), seven[c].to_numpy(), equal_nan=True), c
        assert np.array_equal(one[c].to_numpy(), every[c].to_numpy(), equal_nan=True), c
    assert one["decision"].tolist() == every["decision"].tolist()


def test_batch_scores_do_not_depend_on_chunk_size(model, example_dump_path, tmp_path):
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False).head(100)
    path = tmp_path / "in.csv"
    df.to_csv(path, index=False)
    outs = []
    for size in (7, 2000):
        score_file(path, tmp_path / f"o{size}.parquet", model=model, jobs=1, chunk_size=size)
        outs.append(read_output(tmp_path / f"o{size}.parquet"))
    pd.testing.assert_frame_equal(outs[0], outs[1], check_exact=True)
    single = model.predict_frame(df.iloc[:1], explain=False)
    assert single["harmful_prob"].iat[0] == outs[0]["harmful_prob"].iat[0]


def test_lean_path_equals_the_pipeline_with_metadata(default_model, example_dump_path):
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False).head(40)
    df["num_like_post"] = [str(i * 7) if i % 3 else "" for i in range(len(df))]
    df["num_comment_post"] = [str(i) for i in range(len(df))]
    df["num_share_post"] = ""
    df = df[df["text"].str.contains(r"[^\W\d_]", regex=True)].reset_index(drop=True)
    out = default_model.predict_frame(df, explain=False)
    for name, head in default_model.heads.items():
        expected = head.pipeline.predict_proba(df)
        if head.is_multiclass:
            got = np.column_stack([out[f"{name}_prob_{c}"] for c in head.labels])
        else:
            score = out[f"{name}_prob"].to_numpy()
            clean = head.labels.index(head.clean_label)
            got = np.column_stack([1 - score, score] if clean == 0 else [score, 1 - score])
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("text", "foreign"),
    [
        ("I love this product, it is great and I will buy it again", True),
        ("Breaking news: the vaccine contains microchips, share before they delete it", True),
        ("Nam nay vai thieu duoc mua, gia o vuon khoang 20 nghin mot ky", False),
        ("inbox shop để check size nhé", False),
    ],
    ids=["english", "english-news", "vietnamese-without-accents", "vietnamese-with-loanwords"],
)
def test_english_gets_unknown_language_even_when_its_words_are_known(text, foreign):
    from misinfo_clf import TextViews
    from misinfo_clf._validation import text_notes

    views = TextViews().views_of([text])
    # a vocabulary that knows every word (English words occur in Vietnamese training data)
    known = set(views["tokens"][0].split()) | set(views["plain"][0].split())
    (notes,) = text_notes(views, known, min_tokens=2, max_unknown=0.6)
    assert ("unknown_language" in notes) == foreign


def _missing_column_call(kind, model, tmp_path):
    """Call one entry point with a file or frame that has ``id, post`` but no ``text``."""
    frame = pd.DataFrame({"id": ["1", "2"], "post": ["tin giả", "tin thật"]})
    path = tmp_path / "posts.csv"
    frame.to_csv(path, index=False)
    if kind == "read_table":
        from misinfo_clf import read_table

        return lambda: read_table(path, text_col="text")
    if kind == "score_file":
        return lambda: score_file(path, tmp_path / "out.csv", model=model, jobs=1)
    if kind == "score_file_jsonl":
        jsonl = tmp_path / "posts.jsonl"
        frame.to_json(jsonl, orient="records", lines=True, force_ascii=False)
        return lambda: score_file(jsonl, tmp_path / "out.csv", model=model, jobs=1)
    if kind == "score_frame":
        from misinfo_clf import score_frame

        return lambda: score_frame(model, frame)
    from misinfo_clf import find_label_issues

    return lambda: find_label_issues(frame, label_col="label")


@pytest.mark.parametrize(
    "kind, named_file",
    [
        ("read_table", "posts.csv"),
        ("score_file", "posts.csv"),
        ("score_file_jsonl", "posts.jsonl"),
        ("score_frame", None),
        ("find_label_issues", None),
    ],
    ids=["read_table", "score_file", "score_file_jsonl", "score_frame", "find_label_issues"],
)
def test_a_missing_text_column_is_one_error_everywhere(model, tmp_path, kind, named_file):
    """Files raised ValueError, frames KeyError: the one error is both, and names the
    file (when there is one), the column and the columns that are there."""
    from misinfo_clf import InputError
    from misinfo_clf._validation import MissingColumnError

    call = _missing_column_call(kind, model, tmp_path)
    for caught in (KeyError, ValueError, InputError):
        with pytest.raises(caught) as info:
            call()
        assert info.type is MissingColumnError
        msg = str(info.value)
        if named_file is None:  # a DataFrame: no file to name
            assert str(tmp_path) not in msg, msg
        else:
            assert msg.startswith(f"{tmp_path / named_file}: "), msg
        assert "'text'" in msg and "not found" in msg, msg
        assert "['id', 'post']" in msg, msg
