"""The scam corpus (datasets/scam/posts.csv) is well formed and reproducible from its script."""

import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "datasets" / "scam" / "posts.csv"
SCRIPT = ROOT / "datasets" / "scam" / "make_corpus.py"
COLUMNS = ["id", "text", "scam", "scenario", "group", "style", "source_note"]

URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:vn|com|top|xyz|cc|online|site|info|vip|ly)\b")
BANK = re.compile(
    r"vietcombank|vcb|techcombank|mb ?bank|bidv|agribank|vietinbank|acb|vpbank|sacombank|tpbank",
    re.I,
)
MONEY = re.compile(r"\d[\d.,]*\s?(?:k|tr|triệu|trieu|nghìn|nghin|đ|d|vnd|vnđ)\b", re.I)
# 8+ digit runs that are not glued to letters (order codes like SPXVN0123456789 are)
LONG_DIGITS = re.compile(r"(?<![A-Za-z0-9])\d{8,}(?![A-Za-z0-9])")
PHONE_LIKE = re.compile(r"0[35789]\d{8}|84[35789]\d{8}|[35789]\d{8}|1[89]00\d{4,6}")
ACCOUNT_CONTEXT = re.compile(r"stk|\btk\b|tài khoản|tai khoan|số tk|so tk", re.I)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with open(CORPUS, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_size_ids_and_values(rows):
    assert len(rows) >= 1500
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"sc\d{5}", i) for i in ids)
    assert {r["scam"] for r in rows} == {"0", "1"}
    assert {r["style"] for r in rows} <= {"sms", "social", "comment", "chat"}
    assert {r["source_note"] for r in rows} == {"written for misinfo_clf"}
    assert all(r["text"].strip() for r in rows)
    assert all(r["scenario"] and r["group"] for r in rows)


def test_labels_are_balanced(rows):
    share = Counter(r["scam"] for r in rows)
    for label in ("0", "1"):
        assert share[label] / len(rows) >= 0.40, share


@pytest.mark.parametrize("key", ["scenario", "group"], ids=["scenario", "group"])
def test_each_scenario_and_group_has_one_label(rows, key):
    labels = defaultdict(set)
    for r in rows:
        labels[r[key]].add(r["scam"])
    mixed = {k: v for k, v in labels.items() if len(v) > 1}
    assert not mixed, f"{key}s with both labels: {sorted(mixed)[:5]}"


def test_many_seeds_few_variants_each(rows):
    per_group = Counter(r["group"] for r in rows)
    assert len(per_group) >= 400
    assert len(rows) / len(per_group) <= 6
    assert max(per_group.values()) <= 8
    scam_scenarios = {r["scenario"] for r in rows if r["scam"] == "1"}
    assert len(scam_scenarios) >= 15


def test_everyday_chatter_is_a_small_negative_slice(rows):
    everyday = [r for r in rows if r["scenario"] == "everyday_chat"]
    assert 40 <= len(everyday) <= 60
    assert {r["scam"] for r in everyday} == {"0"}


def test_exact_duplicate_texts_are_rare(rows):
    texts = Counter(r["text"] for r in rows)
    duplicates = sum(n - 1 for n in texts.values())
    assert duplicates <= 0.03 * len(rows)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [("url", URL), ("bank", BANK), ("money", MONEY)],
    ids=["url", "bank", "money"],
)
def test_surface_cues_appear_under_both_labels(rows, name, pattern):
    """Hard negatives: links, bank names and amounts must not give the label away."""
    for label in ("0", "1"):
        texts = [r["text"] for r in rows if r["scam"] == label]
        share = sum(bool(pattern.search(t)) for t in texts) / len(texts)
        assert share >= 0.10, f"{name} in only {share:.0%} of rows with scam={label}"


def test_long_digit_runs_are_phones_or_accounts(rows):
    stray = []
    for r in rows:
        text = r["text"]
        for m in LONG_DIGITS.finditer(text):
            if PHONE_LIKE.fullmatch(m.group()):
                continue
            if ACCOUNT_CONTEXT.search(text[max(0, m.start() - 60) : m.start()]):
                continue
            stray.append((r["id"], m.group()))
    assert not stray, stray[:10]


def test_script_reproduces_the_csv(tmp_path):
    out = tmp_path / "posts.csv"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True
    )
    assert out.read_bytes() == CORPUS.read_bytes()
