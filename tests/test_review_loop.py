"""The review loop: queue -> Label Studio tasks -> reviewers' export -> reviewed file ->
training rows -> champion/challenger comparison (no server: exports are built here the
way Label Studio writes them; tests/test_label_studio_server.py runs a real server)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import load_model, score_file, train
from misinfo_clf._compare import compare
from misinfo_clf._formats import read_output
from misinfo_clf._label_studio import (
    ReviewHeads,
    export_label_studio,
    import_label_studio,
    label_config,
    read_reviewed,
    write_reviewed,
)
from misinfo_clf._review_page import queue_from_scored, read_queue
from misinfo_clf._reviewed import band_precision, mark_reviewed, reviewed_filter
from misinfo_clf._sources import read_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"
RUMOUR = (
    "Khẩn cấp: uống nước chanh nóng mỗi sáng chữa khỏi ung thư giai đoạn cuối, "
    "bác sĩ bệnh viện giấu không nói, mọi người chia sẻ gấp cho người thân"
)
# ids and texts a spreadsheet would run as formulas, leading zeros, emoji before a span
HOSTILE = [
    ("007", '=HYPERLINK("http://x") ' + RUMOUR),
    ("=1+2", "-" + RUMOUR.replace("mọi người", "các bạn")),
    ("'quoted", "@admin 🤬🤬 câm mồm đi thằng ngu, loại như mày không đáng sống"),
    ("+84", "+ 😀 " + RUMOUR + " !!!"),
]
MISINFO = {0: "reliable", 1: "unreliable"}


def choice(head: str, label: str) -> dict:
    return {"from_name": head, "to_name": "text", "type": "choices", "value": {"choices": [label]}}


def annotation(k: int, result: list, *, when: str | None = None, cancelled=False) -> dict:
    """An annotation as Label Studio 1.23's JSON export writes it."""
    t = when or f"2026-01-01T00:{k // 60:02d}:{k % 60:02d}.000000Z"
    return {
        "id": k,
        "completed_by": 1,
        "result": result,
        "was_cancelled": cancelled,
        "ground_truth": False,
        "created_at": t,
        "updated_at": t,
        "lead_time": 3.2,
    }


def as_export(tasks: list, results) -> list:
    """Label Studio's JSON export of ``tasks``; ``results(data)`` gives each task's
    annotation results (None: not annotated)."""
    out = []
    for k, t in enumerate(tasks, start=1):
        res = results(t["data"])
        anns = [] if res is None else [annotation(k, res)]
        out.append({"id": k, "data": t["data"], "annotations": anns, "predictions": [k]})
    return out


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, small_model_dir):
    """The sample corpus plus hostile ids/texts, scored to CSV with a CSV queue."""
    d = tmp_path_factory.mktemp("loop")
    df = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).head(80)[["id", "text"]]
    df = pd.concat([pd.DataFrame(HOSTILE, columns=["id", "text"]), df], ignore_index=True)
    df.to_csv(d / "dump.csv", index=False)
    score_file(
        d / "dump.csv", d / "scored.csv", model=small_model_dir, jobs=1, queue=d / "queue.csv"
    )
    return d, df


def test_export_import_round_trip_keeps_ids_and_text_exact(hostile_run, small_model_dir, tmp_path):
    d, dump = hostile_run
    queue = read_queue(d / "queue.csv")
    assert set(dict(HOSTILE)) <= set(queue["id"])  # all four are queued, through the CSV
    s = export_label_studio(queue, tmp_path / "tasks.json", model=small_model_dir)
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert s["tasks"] == len(tasks) == len(queue) and s["config"].endswith("tasks.label_config.xml")
    text_of = dict(zip(dump["id"], dump["text"], strict=True))
    assert all(t["data"]["text"] == text_of[t["data"]["id"]] for t in tasks)
    export = as_export(tasks, lambda data: [choice("harmful", "HATE")])
    (tmp_path / "export.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    r = import_label_studio(tmp_path / "export.json", heads=small_model_dir)
    write_reviewed(r.frame, tmp_path / "reviewed.csv")
    raw = (tmp_path / "reviewed.csv").read_text(encoding="utf-8")
    assert "\n'=1+2," in raw and "\n'+84," in raw  # spreadsheet-safe on disk ...
    back = read_reviewed(tmp_path / "reviewed.csv")
    assert sorted(back["id"]) == sorted(queue["id"])  # ... exact when read back
    assert all(back["text"] == back["id"].map(text_of))


def test_reason_spans_are_exact_in_the_raw_post(hostile_run, small_model_dir, tmp_path):
    d, _ = hostile_run
    export_label_studio(read_queue(d / "queue.csv"), tmp_path / "t.json", model=small_model_dir)
    tasks = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    regions = [
        (t["data"]["text"], r)
        for t in tasks
        for r in t["predictions"][0]["result"]
        if r["type"] == "labels"
    ]
    assert regions, "no reason became a span"
    for text, r in regions:
        v = r["value"]
        assert text[v["start"] : v["end"]] == v["text"]
        assert r["from_name"] == v["labels"][0] + "_reasons"
    # the post with emoji before its reasons: offsets are code points, as Label Studio keeps
    emoji = next(t for t in tasks if t["data"]["id"] == "'quoted")
    assert any(r["type"] == "labels" for r in emoji["predictions"][0]["result"])


def test_predictions_prefill_the_class_not_the_band(hostile_run, small_model_dir, tmp_path):
    d, _ = hostile_run
    scored = read_output(d / "scored.csv").set_index("id")
    export_label_studio(read_queue(d / "queue.csv"), tmp_path / "t.json", model=small_model_dir)
    for t in json.loads((tmp_path / "t.json").read_text(encoding="utf-8")):
        p = t["predictions"][0]
        assert p["model_version"] == "test" and 0 <= p["score"] <= 1
        got = {
            r["from_name"]: r["value"]["choices"][0] for r in p["result"] if r["type"] == "choices"
        }
        pid = t["data"]["id"]
        assert got == {h: scored.loc[pid, f"{h}_label"] for h in ("misinformation", "harmful")}
        for key in ("has_link", "has_phone", "has_email", "money", "reach", "group_members"):
            assert key in t["data"]


def test_the_config_has_one_choices_and_one_labels_per_head(small_model_dir):
    import xml.etree.ElementTree as ET

    heads = ReviewHeads.from_model(small_model_dir)
    root = ET.fromstring(label_config(heads))
    choices = {c.get("name"): [x.get("value") for x in c] for c in root.iter("Choices")}
    assert choices == {
        "misinformation": ["reliable", "unreliable"],
        "harmful": list(heads.labels["harmful"]),
    }
    assert all(c.get("required") is None for c in root.iter("Choices"))  # empty stays missing
    labels = {c.get("name"): [x.get("value") for x in c] for c in root.iter("Labels")}
    assert labels == {"misinformation_reasons": ["misinformation"], "harmful_reasons": ["harmful"]}


def _queue(ids, texts, groups) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_id": groups,
            "group_size": pd.Series(groups).map(pd.Series(groups).value_counts()).tolist(),
            "id": ids,
            "text": texts,
            "decision": "review",
            "misinformation_prob": 0.5,
            "misinformation_label": "unreliable",
            "misinformation_decision": "review",
            "reasons": "[]",
        }
    )


HEADS = ReviewHeads({"misinformation": ("reliable", "unreliable")}, {"misinformation": "reliable"})


def test_chunks_never_split_a_near_duplicate_group(tmp_path):
    q = _queue(list("abcde"), ["x one", "x two", "x three", "y", "z"], [1, 1, 1, 2, 3])
    s = export_label_studio(q, tmp_path / "tasks.json", model=HEADS, chunk_size=2)
    files = [json.loads(Path(f).read_text("utf-8")) for f in s["files"]]
    assert [Path(f).name for f in s["files"]] == ["tasks-0001.json", "tasks-0002.json"]
    assert [[t["data"]["id"] for t in f] for f in files] == [["a", "b", "c"], ["d", "e"]]
    first = files[0][0]["data"]
    assert first["group_size"] == 3 and first["group_members"] == ["b", "c"]


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda e: e[0]["data"].pop("misinfo_clf"), "not written by `misinfo-clf review-export`"),
        (
            lambda e: e[0]["annotations"][0]["result"].append(choice("sentiment", "positive")),
            "not a head of this config",
        ),
        (
            lambda e: e[0]["annotations"][0]["result"].__setitem__(
                0, choice("misinformation", "fake")
            ),
            "got class 'fake'",
        ),
        (lambda e: e[0].pop("data"), "has no 'data' object"),
    ],
    ids=["foreign-tasks", "foreign-control", "foreign-class", "json-min-export"],
)
def test_an_export_of_another_config_is_refused(tmp_path, mutate, match):
    q = _queue(["a", "b"], ["post one here", "post two here"], [1, 2])
    export_label_studio(q, tmp_path / "t.json", model=HEADS)
    tasks = json.loads((tmp_path / "t.json").read_text("utf-8"))
    export = as_export(tasks, lambda data: [choice("misinformation", "unreliable")])
    mutate(export)
    with pytest.raises(ValueError, match=match):
        import_label_studio(export)


def test_the_export_must_match_the_model_given(tmp_path, small_model_dir):
    q = _queue(["a"], ["post one here"], [1])
    export_label_studio(q, tmp_path / "t.json", model=HEADS)
    export = as_export(json.loads((tmp_path / "t.json").read_text("utf-8")), lambda d: [])
    with pytest.raises(ValueError, match="not for this model"):
        import_label_studio(export, heads=small_model_dir)


def test_empty_head_is_missing_skips_are_reported_and_the_latest_annotation_counts(tmp_path):
    heads = ReviewHeads(
        {"misinformation": ("reliable", "unreliable"), "harmful": ("CLEAN", "HATE")},
        {"misinformation": "reliable", "harmful": "CLEAN"},
    )
    q = _queue(list("abcd"), ["one post", "two post", "three post", "four post"], [1, 2, 3, 4])
    q["harmful_prob"], q["harmful_label"], q["harmful_decision"] = 0.1, "CLEAN", "pass"
    export_label_studio(q, tmp_path / "t.json", model=heads)
    tasks = json.loads((tmp_path / "t.json").read_text("utf-8"))
    export = as_export(tasks, lambda d: [choice("harmful", "HATE")])  # misinformation left empty
    export[1]["annotations"] = [annotation(90, [], cancelled=True)]  # skipped
    export[2]["annotations"] = []  # not reviewed yet
    export[3]["annotations"] = [  # reviewed twice: the later one counts, whatever the order
        annotation(91, [choice("misinformation", "unreliable")], when="2026-02-02T10:00:00Z"),
        annotation(92, [choice("misinformation", "reliable")], when="2026-02-01T10:00:00Z"),
    ]
    r = import_label_studio(export)
    f = r.frame.set_index("id")
    assert sorted(f.index) == ["a", "d"]
    assert f.loc["a", "harmful"] == "HATE" and pd.isna(f.loc["a", "misinformation"])
    assert f.loc["d", "misinformation"] == "unreliable" and f.loc["d", "annotation_id"] == "91"
    assert f.loc["a", "misinformation_predicted"] == "unreliable"  # the model at review time
    s = r.summary
    assert (s["reviewed"], s["skipped"], s["unreviewed"], s["skipped_ids"]) == (2, 1, 1, ["b"])
    assert s["missing"] == {"misinformation": 1, "harmful": 1}
    # written and read back, the empty head is still missing, never the clean class
    write_reviewed(r.frame, tmp_path / "reviewed.csv")
    back = read_reviewed(tmp_path / "reviewed.csv").set_index("id")
    assert pd.isna(back.loc["a", "misinformation"])
    sample = read_source(
        {"layout": "reviewed", "path": str(tmp_path / "reviewed.csv")},
        base_dir=tmp_path,
        data_dir=tmp_path,
        where="test",
        head="misinformation",
    )
    assert sample.labels == ["unreliable"] and sample.source["unlabelled_dropped"] == 1
    # a relative path starts from the config's directory; from Python, a DataFrame will do
    for path in ("reviewed.csv", back.reset_index()):
        again = read_source(
            {"layout": "reviewed", "path": path},
            base_dir=tmp_path,
            data_dir=tmp_path,
            where="test",
            head="misinformation",
        )
        assert again.labels == ["unreliable"]


def test_queue_rebuilt_with_other_thresholds_without_scoring(hostile_run, monkeypatch):
    d, _ = hostile_run
    import misinfo_clf._model as model_module

    def no_scoring(*a, **k):
        raise AssertionError("scored again")

    monkeypatch.setattr(model_module, "score_frame", no_scoring)
    same = queue_from_scored(d / "scored.csv", d / "dump.csv")
    assert sorted(same["id"]) == sorted(read_queue(d / "queue.csv")["id"])
    strict = queue_from_scored(
        d / "scored.csv",
        d / "dump.csv",
        thresholds={
            "misinformation": {"flag": 1.01, "review": 1.01},
            "harmful": {"flag": 0.9, "review": 0.9},
        },
    )
    out = read_output(d / "scored.csv")
    prob = pd.to_numeric(out["harmful_prob"])
    want = out.loc[(prob >= 0.9) & (out["status"] == "ok"), "id"]
    assert sorted(strict["id"]) == sorted(want) and 0 < len(strict) < len(same)
    assert set(strict["decision"]) <= {"flag"}


def test_reviewed_posts_and_their_near_duplicates_leave_the_next_queue(tmp_path):
    q = _queue(
        ["new1", "r1", "copy", "new2"],
        [
            "Giá vàng hôm nay tăng mạnh, người dân đổ xô đi mua tích trữ",
            RUMOUR,
            RUMOUR.replace("mọi người", "các bạn") + " !!!",
            "Nghe nói ngày mai cắt điện toàn thành phố, không biết có thật không",
        ],
        [1, 2, 2, 3],
    )
    rev = pd.DataFrame(
        {
            "id": ["r1"],
            "text": [RUMOUR],
            "misinformation": ["unreliable"],
            "misinformation_predicted": ["unreliable"],
        }
    )
    marks = mark_reviewed(q, rev)
    assert marks["reviewed_match"].fillna("").tolist() == ["", "id", "near-duplicate", ""]
    left = reviewed_filter(rev)(q)
    assert left["id"].tolist() == ["new1", "new2"] and left["group_id"].tolist() == [1, 2]
    labelled = reviewed_filter(rev, mode="label")(q)
    assert labelled["reviewed_misinformation"].fillna("").tolist() == [
        "",
        "unreliable",
        "unreliable",
        "",
    ]
    # exported, a pre-labelled post comes with the reviewer's class pre-filled
    q["misinformation_label"] = "reliable"
    labelled = reviewed_filter(rev, mode="label")(q)
    export_label_studio(labelled, tmp_path / "t.json", model=HEADS)
    tasks = json.loads((tmp_path / "t.json").read_text("utf-8"))
    prefilled = [t["predictions"][0]["result"][0]["value"]["choices"][0] for t in tasks]
    assert prefilled == ["reliable", "unreliable", "unreliable", "reliable"]
    assert tasks[2]["data"]["reviewed_match"] == "near-duplicate"


def test_band_precision_counts_reviewers_decisions():
    rev = pd.DataFrame(
        {
            "id": list("abcdef"),
            "text": list("abcdef"),
            "m": ["bad", "bad", "ok", "bad", "ok", None],
            "m_predicted": "bad",
            "m_prob": [0.95, 0.9, 0.85, 0.5, 0.4, 0.99],
            "m_decision": ["flag", "flag", "flag", "review", "review", "flag"],
        }
    )
    r = band_precision(rev, "m", clean_label="ok")
    assert r["rows"] == 5  # the post the reviewer left empty does not count
    assert r["flag"] == {"n": 3, "positives": 2, "precision": pytest.approx(2 / 3)}
    assert r["review"] == {"n": 2, "positives": 1, "precision": 0.5}
    r2 = band_precision(rev, "m", clean_label="ok", thresholds={"flag": 0.88, "review": 0.3})
    assert r2["flag"]["precision"] == 1.0 and r2["lowest_score"] == 0.4


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """Champion on half the sample corpus; the other half queued and 'reviewed' (true
    labels); challenger = champion's config + the first 70% of the reviewed posts."""
    d = tmp_path_factory.mktemp("champ")
    df = pd.read_csv(SAMPLE, dtype={"id": str})
    half = df.sample(frac=0.5, random_state=0)
    half.to_csv(d / "train.csv", index=False)
    rest = df.drop(half.index)
    rest[["id", "text"]].to_csv(d / "traffic.csv", index=False)

    def config(extra):
        common = {"train": str(d / "train.csv"), "validation_folds": 3, "min_df": 1}
        common |= {"char_ngrams": False, "precision": 0.8, "recall": 0.8}
        return {
            "model": {"name": "m", "version": "2" if extra else "1"},
            "heads": {
                "misinformation": {**common, "labels": MISINFO, "clean_label": "reliable", **extra},
                "harmful": {**common, "clean_label": "CLEAN", **extra},
            },
        }

    train(config({}), out=d / "champion")
    score_file(d / "traffic.csv", d / "s.csv", model=d / "champion", jobs=1, queue=d / "q.csv")
    s = export_label_studio(read_queue(d / "q.csv"), d / "tasks.json", model=d / "champion")
    truth = rest.set_index("id")
    export = as_export(
        json.loads(Path(s["files"][0]).read_text("utf-8")),
        lambda data: [
            choice("misinformation", MISINFO[int(truth.loc[data["id"], "misinformation"])]),
            choice("harmful", truth.loc[data["id"], "harmful"]),
        ],
    )
    (d / "export.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    write_reviewed(import_label_studio(d / "export.json").frame, d / "reviewed.csv")
    extra = {
        "extra": [
            {
                "layout": "reviewed",
                "path": str(d / "reviewed.csv"),
                "slice": [0.0, 0.7],
                "weight": 2.0,
            }
        ]
    }
    train(config(extra), out=d / "challenger")
    return d


def test_a_challenger_trains_on_reviewed_rows_and_is_compared_on_the_unseen_ones(loop):
    d = loop
    reviewed = read_reviewed(d / "reviewed.csv")
    card = load_model(d / "challenger").heads["harmful"].info["training_data"]
    src = next(s for s in card if s.get("layout") == "reviewed")
    assert src["rows"] == round(0.7 * len(reviewed)) and src["slice"] == [0.0, 0.7]
    r = compare(
        d / "champion",
        d / "challenger",
        d / "reviewed.csv",
        traffic=d / "traffic.csv",
        out=d / "cmp",
    )
    s = r["split"]
    assert "time split" in s["rule"] and s["seen_fraction"] == 0.7
    assert s["unseen_rows"] + s["near_duplicates_dropped"] == len(reviewed) - round(
        0.7 * len(reviewed)
    )
    for head in ("misinformation", "harmful"):
        assert r["heads"][head]["champion"]["n"] == s["unseen_rows"]
    assert r["changes"]["posts"] == len(r["changes"]["listed"]) or len(r["changes"]["listed"]) == 50
    assert 0 < r["queue_share"]["champion"]["queue"] <= 1
    md = (d / "cmp" / "compare.md").read_text("utf-8")
    assert "time split" in md and "## Decisions that change" in md
    pytest.importorskip("matplotlib")
    assert (d / "cmp" / "roc_harmful.png").is_file()


def test_compare_says_when_no_reviewed_post_is_left(loop):
    d = loop
    empty = read_reviewed(d / "reviewed.csv").iloc[:0]
    with pytest.raises(ValueError, match="no reviewed post left to compare on"):
        compare(d / "champion", d / "challenger", empty)


def test_score_leaves_reviewed_posts_out_of_the_next_queue(loop, tmp_path):
    d = loop
    reviewed = read_reviewed(d / "reviewed.csv")
    kept = reviewed.iloc[: len(reviewed) // 2]
    s = score_file(
        d / "traffic.csv",
        tmp_path / "s.csv",
        model=d / "champion",
        jobs=1,
        queue=tmp_path / "q.csv",
        reviewed=kept,
    )
    q = read_queue(tmp_path / "q.csv")
    first = read_queue(d / "q.csv")
    assert len(read_output(tmp_path / "s.csv")) == len(read_output(d / "s.csv"))  # all scored
    assert not set(q["id"]) & set(kept["id"])
    assert s["queue_reviewed_left_out"] == len(first) - len(q) >= len(kept)
    s = score_file(
        d / "traffic.csv",
        tmp_path / "s2.csv",
        model=d / "champion",
        jobs=1,
        queue=tmp_path / "q2.csv",
        reviewed=kept,
        reviewed_mode="label",
    )
    q2 = read_queue(tmp_path / "q2.csv").set_index("id")
    assert len(q2) == len(first) and s["queue_reviewed_left_out"] == 0
    k = kept.set_index("id")
    assert (q2.loc[k.index, "reviewed_harmful"].fillna("") == k["harmful"].fillna("")).all()


def test_the_cli_runs_the_loop(loop, tmp_path):
    d = loop

    def cli(*args):
        p = subprocess.run(
            [sys.executable, "-m", "misinfo_clf.cli", *map(str, args)],
            capture_output=True,
            text=True,
        )
        assert p.returncode == 0, p.stderr
        return p.stdout

    out = cli(
        "review-export",
        d / "s.csv",
        "--input",
        d / "traffic.csv",
        "--model",
        d / "champion",
        "--to",
        "label-studio",
        "-o",
        tmp_path / "t.json",
        "--reviewed",
        d / "reviewed.csv",
    )
    assert "0 tasks" in out  # every queued post was reviewed already
    out = cli("review-import", d / "export.json", "-o", tmp_path / "r.csv")
    assert "reviewed, 0 skipped" in out
    assert read_reviewed(tmp_path / "r.csv").equals(read_reviewed(d / "reviewed.csv"))
    out = cli(
        "compare",
        d / "champion",
        d / "challenger",
        "--data",
        d / "reviewed.csv",
        "--out",
        tmp_path / "cmp",
        "--no-plots",
    )
    assert "time split" in out and (tmp_path / "cmp" / "compare.md").is_file()
    out = cli(
        "tune-thresholds", d / "champion", "--reviewed", d / "reviewed.csv", "--head", "harmful"
    )
    assert "flag band" in out and "precision" in out
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "misinfo_clf.cli",
            "review-export",
            d / "s.csv",
            "-o",
            tmp_path / "x.json",
            "--model",
            d / "champion",
        ],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "pass the dump it was scored from with --input" in p.stderr
    assert np.isfinite(read_reviewed(d / "reviewed.csv")["harmful_prob"]).all()
