"""Review queue: risk order, near-duplicate groups, only flag/review rows."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import build_queue, load_model, score_file
from misinfo_clf._queue import candidate_keys, near_duplicate_groups
from misinfo_clf.batch import read_output

RUMOUR = (
    "Khẩn cấp: uống nước chanh nóng mỗi sáng chữa khỏi ung thư giai đoạn cuối, "
    "bác sĩ bệnh viện giấu không nói, mọi người chia sẻ gấp cho người thân"
)


def test_near_duplicates_share_a_group_and_others_do_not():
    texts = [
        RUMOUR,
        "Trời hôm nay đẹp quá, cả nhà đi dạo công viên rồi ăn kem ở quán quen",
        RUMOUR.replace("mọi người", "các bạn") + " !!!",  # edited copy
        RUMOUR,  # exact repost
        "khan cap: uong nuoc chanh nong moi sang chua khoi ung thu giai doan cuoi, "
        "bac si benh vien giau khong noi, moi nguoi chia se gap cho nguoi than",  # no accents
        "Giá vàng hôm nay tăng mạnh, người dân đổ xô đi mua tích trữ",
    ]
    groups = near_duplicate_groups(texts)
    assert groups[0] == groups[2] == groups[3] == groups[4]
    assert len({groups[0], groups[1], groups[5]}) == 3


def test_keys_of_short_and_empty_posts_and_signatures_that_estimate_overlap():
    """Posts of 0 to 3 syllables are one shingle each (no error, distinct signatures); a
    signature's agreement with another's estimates the share of shingles they share."""
    short = ["", "a", "a b", "a b c", "a b c d"]
    keys = candidate_keys(short)
    assert keys["sig"].shape == (5, 64) and keys["sig"].dtype == np.uint32
    assert len({row.tobytes() for row in keys["sig"]}) == 5
    words = [f"tu{i}" for i in range(40)]
    base = " ".join(words)
    half = " ".join(words[:20] + [f"khac{i}" for i in range(20)])  # 18 of 58 shingles shared
    sig = candidate_keys([base, half, base], num_perm=256)["sig"]
    assert (sig[0] == sig[2]).all()
    assert 0.15 < (sig[0] == sig[1]).mean() < 0.5


def _scored(rows):
    df = pd.DataFrame(
        rows,
        columns=["id", "misinformation_prob", "misinformation_decision", "decision", "status"],
    )
    df["reasons"] = "[]"
    return df


def test_queue_keeps_flag_and_review_rows_sorted_by_risk_and_grouped():
    texts = [
        "Trời hôm nay đẹp quá, cả nhà đi dạo công viên rồi ăn kem ở quán quen",
        RUMOUR,
        "Giá vàng hôm nay tăng mạnh, người dân đổ xô đi mua tích trữ ngay",
        RUMOUR + " !!",
        "",
        "Nghe nói ngày mai cắt điện toàn thành phố, không biết có thật không",
    ]
    scored = _scored(
        [
            ["a", 0.1, "pass", "pass", "ok"],
            ["b", 0.8, "flag", "flag", "ok"],
            ["c", 0.5, "review", "review", "ok"],
            ["d", 0.95, "flag", "flag", "ok"],
            ["e", float("nan"), "review", "review", "error: expected text, got int"],
            ["f", 0.6, "review", "review", "ok"],
        ]
    )
    q = build_queue(scored, texts)
    assert q["id"].tolist() == ["d", "b", "f", "c"]
    assert q["group_id"].tolist() == [1, 1, 2, 3]
    assert q["group_size"].tolist() == [2, 2, 1, 1]
    assert q["text"].tolist() == [texts[3], texts[1], texts[5], texts[2]]
    assert list(q.columns[:4]) == ["group_id", "group_size", "id", "text"]


def test_score_file_writes_the_queue(tmp_path, small_model_dir, example_dump_path):
    model = load_model(small_model_dir)
    df = pd.read_csv(example_dump_path, dtype=str, keep_default_na=False).head(60)
    df = pd.concat([df, df.head(10).assign(id=lambda d: d["id"] + "-repost")], ignore_index=True)
    path = tmp_path / "in.csv"
    df.to_csv(path, index=False)
    s = score_file(
        path, tmp_path / "out.csv", model=model, jobs=1, chunk_size=8, queue=tmp_path / "q.csv"
    )
    out = read_output(tmp_path / "out.csv")
    q = pd.read_csv(tmp_path / "q.csv", dtype=str, keep_default_na=False)
    want = out[out["decision"].isin(["flag", "review"]) & (out["status"] == "ok")]
    assert sorted(q["id"]) == sorted(want["id"]) and s["queue_rows"] == len(q) > 0
    text_of = dict(zip(df["id"], df["text"], strict=True))
    assert all(text_of[i] == t for i, t in zip(q["id"], q["text"], strict=True))
    for i in q["id"][q["id"].str.endswith("-repost")]:
        orig = i.removesuffix("-repost")
        assert q.loc[q["id"] == i, "group_id"].item() == q.loc[q["id"] == orig, "group_id"].item()
    assert all(isinstance(json.loads(r), list) for r in q["reasons"])


def test_a_viral_post_moves_up_the_queue():
    texts = [
        "Nghe nói ngày mai cắt điện toàn thành phố, không biết có thật không nữa",
        "Tin khẩn: nhà máy nước bị nhiễm độc, mọi người tuyệt đối không dùng nước máy",
        "Ai biết quán phở nào ngon gần hồ Gươm không chỉ mình với, cảm ơn nhiều",
    ]
    scored = _scored(
        [
            ["a", 0.90, "flag", "flag", "ok"],
            ["b", 0.85, "review", "review", "ok"],
            ["c", 0.55, "review", "review", "ok"],
        ]
    )
    assert build_queue(scored, texts)["id"].tolist() == ["a", "b", "c"]
    # 100,000 shares: the reviewed rumour outranks a flagged post nobody saw
    q = build_queue(scored, texts, reach=[0, 100_000, 5])
    assert q["id"].tolist() == ["b", "a", "c"]
    assert q["reach"].tolist() == [100_000, 0, 5]


def test_reach_of_sums_known_columns_and_ignores_garbage():
    from misinfo_clf._queue import reach_of

    df = pd.DataFrame(
        {
            "num_like_post": [1, "x", float("inf")],
            "num_share_post": [2, -5, 1e300],
            "other": [9, 9, 9],
        }
    )
    np.testing.assert_array_equal(reach_of(df), [3.0, 0.0, 1e12])
    assert reach_of(pd.DataFrame({"text": ["a"]})) is None


def test_score_file_carries_reach_into_the_queue(tmp_path, small_model_dir, sample_corpus_path):
    df = pd.read_csv(sample_corpus_path)
    rumours = df[df["misinformation"] == 1].head(8).reset_index(drop=True)
    dump = pd.DataFrame(
        {"id": rumours["id"], "text": rumours["text"], "shares": [0] * 7 + [250_000]}
    )
    dump.to_csv(tmp_path / "in.csv", index=False)
    score_file(
        [tmp_path / "in.csv"],
        tmp_path / "out.csv",
        model=small_model_dir,
        queue=tmp_path / "q.jsonl",
        jobs=1,
    )
    q = pd.read_json(tmp_path / "q.jsonl", lines=True, dtype={"id": str})
    assert "reach" in q.columns and len(q) >= 2
    shares = dict(zip(dump["id"], dump["shares"], strict=True))
    assert all(q["reach"] == q["id"].map(shares))
    if dump["id"].iloc[-1] in set(q["id"]):  # the viral one is queued: it leads
        assert q["id"].iloc[0] == dump["id"].iloc[-1]


def test_why_reads_like_a_sentence_deciding_head_first():
    from misinfo_clf._queue import why

    reasons = json.dumps(
        [
            {
                "head": "harmful",
                "text": "câm mồm",
                "feature": "câm mồm",
                "weight": 2.1,
                "start": 4,
                "end": 11,
            },
            {
                "head": "harmful",
                "text": "loại như\nmày",
                "feature": "loại như mày",
                "weight": 1.5,
                "start": 20,
                "end": 32,
            },
            {
                "head": "misinformation",
                "text": "chữa khỏi",
                "feature": "chữa khỏi",
                "weight": 0.3,
                "start": 40,
                "end": 49,
            },
            {"code": "too_short"},
        ],
        ensure_ascii=False,
    )
    assert why(reasons) == (
        'harmful: "câm mồm", "loại như mày" · misinformation: "chữa khỏi" · notes: too_short'
    )
    assert why("not json") == "" and why(None) == ""
    # a chunk's cells, reposts sharing one JSON text: each cell gets its own line
    from misinfo_clf._queue import _whys

    other = json.dumps([{"head": "scam", "text": "nhận thưởng", "feature": "nhận thưởng"}])
    cells = [reasons, None, reasons, other, float("nan"), other]
    assert _whys(cells) == [why(c) for c in cells]


def test_keep_carries_context_columns_into_the_output_and_the_queue(
    tmp_path, small_model_dir, sample_corpus_path
):
    df = pd.read_csv(sample_corpus_path).head(40)
    dump = pd.DataFrame(
        {
            "id": df["id"],
            "text": df["text"],
            "url": [f"https://example.com/p/{i}" for i in range(len(df))],
            "author": ["=HYPERLINK(evil)"] + [f"user{i}" for i in range(1, len(df))],
            "num_like_post": range(len(df)),
        }
    )
    dump.to_csv(tmp_path / "in.csv", index=False)
    score_file(
        [tmp_path / "in.csv"],
        tmp_path / "out.csv",
        model=small_model_dir,
        queue=tmp_path / "q.csv",
        jobs=1,
        keep=["url", "author"],
    )
    out = read_output(tmp_path / "out.csv")
    assert out["url"].tolist() == dump["url"].tolist()
    assert out["author"].tolist() == dump["author"].tolist()  # exact after the CSV escape
    q = read_output(tmp_path / "q.csv")
    assert len(q) and set(q.columns) >= {"url", "author", "why", "deciding_head"}
    urls = dict(zip(dump["id"], dump["url"], strict=True))
    assert (q["url"] == q["id"].map(urls)).all()


def test_keep_defaults_to_the_metadata_the_model_reads(tmp_path, example_dump_path):
    dump = pd.read_csv(example_dump_path).head(30).assign(num_like_post=7, shares=3)
    dump.to_csv(tmp_path / "in.csv", index=False)
    score_file([tmp_path / "in.csv"], tmp_path / "out.csv", jobs=1)  # the shipped model
    out = read_output(tmp_path / "out.csv")
    assert "num_like_post" in out.columns and (out["num_like_post"] == "7").all()
    assert "shares" not in out.columns  # not a column the model reads
    score_file([tmp_path / "in.csv"], tmp_path / "none.csv", jobs=1, keep=[])
    assert "num_like_post" not in read_output(tmp_path / "none.csv").columns


def test_keep_refuses_a_string_and_the_text_column(tmp_path, small_model_dir, example_dump_path):
    with pytest.raises(TypeError, match="list of column names"):
        score_file(example_dump_path, tmp_path / "o.csv", model=small_model_dir, keep="url")
    with pytest.raises(ValueError, match="already in the output"):
        score_file(example_dump_path, tmp_path / "o.csv", model=small_model_dir, keep=["text"])


@pytest.mark.parametrize(
    "text, reach, expected",
    [
        (
            "Nhận 500k ngay tại http://abc.xyz, gọi 0912345678",
            None,
            "link · phone number · money amount",
        ),
        (
            "chuyển 2 triệu phí hồ sơ, mail abc@gmail.com",
            12000.0,
            "e-mail · money amount · reach 12,000",
        ),
        ("trời hôm nay đẹp quá", 0.0, ""),
        (None, None, ""),
    ],
    ids=["link-phone-money", "mail-money-reach", "nothing", "no-text"],
)
def test_signals_are_what_a_post_carries_besides_words(text, reach, expected):
    from misinfo_clf._queue import signals

    assert signals(text, reach) == expected
