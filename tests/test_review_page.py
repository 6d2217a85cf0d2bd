"""The review page: escaping of hostile posts, links, caps, summary, groups, and a real
headless-Chromium run (highlights, filters, search, no injected script runs)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from misinfo_clf import render_review_page, write_review_page
from misinfo_clf._review_page import read_queue

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_TEXTS = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    "a \"quoted\" and 'single' </p></article><script>window.pwned=1</script>",
    "<svg onload=window.pwned=1>",
]


def _reason(head, text, start, weight=0.5):
    return {
        "head": head,
        "text": text[start : start + 3],
        "feature": text[start : start + 3],
        "weight": weight,
        "start": start,
        "end": start + 3,
    }


def _queue(rows, heads=("misinformation", "harmful")):
    """A queue frame in the `build_queue` schema from (id, text, {head: (prob, band)})."""
    out = []
    for g, (pid, text, scores, *extra) in enumerate(rows, start=1):
        rec = {"group_id": g, "group_size": 1, "id": pid, "text": text}
        rec["decision"] = "flag" if any(b == "flag" for _, b in scores.values()) else "review"
        for h in heads:
            p, b = scores.get(h, (0.05, "pass"))
            rec[f"{h}_prob"], rec[f"{h}_decision"] = p, b
        reasons = [_reason(h, text, 0) for h, (_, b) in scores.items() if b != "pass"]
        rec["reasons"] = json.dumps(reasons, ensure_ascii=False)
        if extra:
            rec.update(extra[0])
        out.append(rec)
    return pd.DataFrame(out)


def _hostile_queue():
    rows = [
        (f"h{i}", t, {"harmful": (0.9, "flag")}, {"url": "https://example.org/p/" + str(i)})
        for i, t in enumerate(HOSTILE_TEXTS)
    ]
    rows.append(
        (
            '"><script>window.pwned=1</script>',
            "id is hostile",
            {"misinformation": (0.6, "review")},
            {"url": "javascript:window.pwned=1", "author": "<b onmouseover='window.pwned=1'>x</b>"},
        )
    )
    q = _queue(rows)
    # a reason whose text is markup, a note with markup in its code
    q.loc[0, "reasons"] = json.dumps(
        [
            {
                "head": "harmful",
                "text": "<script>",
                "feature": '"><img src=x onerror=window.pwned=1>',
                "weight": 1.0,
                "start": 0,
                "end": 8,
            },
            {"code": "<script>window.pwned=1</script>"},
        ]
    )
    return q


class _Tags(HTMLParser):
    """Every start tag of a document as parsed by an HTML parser: (tag, attrs)."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _cards(page: str) -> int:
    return len(re.findall(r'<article class="card', page))


# ---------------------------------------------------------------- pure HTML tests


def test_hostile_values_are_escaped_and_only_the_page_own_scripts_remain():
    page = render_review_page(_hostile_queue())
    tags = _Tags(page).tags
    # exactly two script elements: the JSON data block and the page's own code
    assert [a for t, a in tags if t == "script"] == [
        {"type": "application/json", "id": "queue-data"},
        {},
    ]
    assert {t for t, _ in tags} & {"img", "iframe", "object", "embed"} == set()
    assert all(a.get("role") == "img" for t, a in tags if t == "svg")  # only the histograms
    assert [(t, k) for t, a in tags for k in a if k.startswith("on")] == []
    assert [a["href"] for t, a in tags if t == "a"] == [
        f"https://example.org/p/{i}" for i in range(len(HOSTILE_TEXTS)) for _ in "ab"
    ]
    shown = [
        re.sub(r"</?mark[^>]*>", "", m) for m in re.findall(r'<p class="text s">(.*?)</p>', page)
    ]
    assert shown[: len(HOSTILE_TEXTS)] == [html.escape(t, quote=True) for t in HOSTILE_TEXTS]


@pytest.mark.parametrize(
    "url, linked",
    [
        ("https://example.org/p/1?a=1&b=2", True),
        ("HTTP://example.org/p/2", True),
        ("javascript:window.pwned=1", False),
        ("JaVaScRiPt:window.pwned=1", False),
        ("java\tscript:window.pwned=1", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>window.pwned=1</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//evil.example/x", False),
        ('https://example.org/" onmouseover="window.pwned=1', False),
        ("ftp://example.org/file", False),
    ],
    ids=[
        "https",
        "http-upper",
        "javascript",
        "javascript-mixed-case",
        "javascript-tab",
        "javascript-space",
        "data",
        "vbscript",
        "scheme-relative",
        "quote-breakout",
        "ftp",
    ],
)
def test_only_http_and_https_values_become_links(url, linked):
    page = render_review_page(
        _queue([("p1", "bài viết", {"harmful": (0.9, "flag")}, {"url": url})])
    )
    hrefs = re.findall(r'href="([^"]*)"', page)
    if linked:
        assert hrefs and all(h == url.replace("&", "&amp;") for h in hrefs)
        assert "open post" in page
    else:
        assert hrefs == []
        assert "open post" not in page


def test_an_http_value_in_any_context_column_is_a_link_but_only_url_columns_open_the_post():
    q = _queue([("p1", "abc def", {"harmful": (0.9, "flag")}, {"page": "https://example.org/pg"})])
    page = render_review_page(q)
    assert 'href="https://example.org/pg"' in page and "open post" not in page


def test_the_page_refers_to_no_other_file():
    tags = _Tags(render_review_page(_queue([("p1", "abc", {"harmful": (0.9, "flag")})]))).tags
    assert [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed")] == []
    assert [(t, k) for t, a in tags for k in a if k in ("src", "srcset", "href", "action")] == []


def test_lone_surrogates_become_replacement_characters(tmp_path):
    q = _queue([("p1", "xin chào", {"harmful": (0.9, "flag")})])
    # pandas' arrow strings cannot hold lone surrogates: object columns can (e.g. from JSON)
    q["id"] = pd.Series(["p\ud800"], dtype=object)
    q["text"] = pd.Series(["xin chào \ud800 bạn \udfff"], dtype=object)
    q["author"] = pd.Series(["a\udc00"], dtype=object)
    path = write_review_page(q, tmp_path / "r.html")
    text = path.read_text(encoding="utf-8")  # strict decoding: the file is valid UTF-8
    assert "chào \ufffd bạn \ufffd" in text and "p\ufffd" in text and "a\ufffd" in text


def test_filter_data_cannot_close_its_script_element():
    hostile = "</script><script>window.pwned=1</script>\u2028&"
    q = _queue([("p1", "abc", {"harmful": (0.9, "flag")})])
    q["harmful_decision"] = hostile
    page = render_review_page(q)
    block = re.search(
        r'<script type="application/json" id="queue-data">(.*?)</script>', page, flags=re.S
    ).group(1)
    assert "<" not in block and ">" not in block and "&" not in block and "\u2028" not in block
    assert json.loads(block)["rows"][0][1] == ["pass", hostile]
    assert len(re.findall(r"<script", page)) == 2


def test_max_posts_caps_the_cards_and_says_where_the_full_queue_is():
    q = _queue([(f"p{i}", f"post {i}", {"harmful": (0.9, "flag")}) for i in range(30)])
    page = render_review_page(q, max_posts=10, queue_path="out/queue.csv")
    assert _cards(page) == 10
    assert "Showing the first 10 of 30 posts; the full queue is in <code>out/queue.csv</code>" in (
        page
    )
    assert "<b>30</b> posts in the queue" in page  # the summary covers the whole queue
    assert "Showing the first" not in render_review_page(q)


@pytest.mark.parametrize("max_posts", [0, -1, 2.5, True], ids=["zero", "negative", "float", "bool"])
def test_max_posts_must_be_a_positive_integer(max_posts):
    with pytest.raises(ValueError, match="max_posts must be a positive integer"):
        render_review_page(_queue([("p1", "a", {})]), max_posts=max_posts)


def test_each_head_has_its_own_colour_class_and_marks_carry_their_head():
    heads = ("misinformation", "harmful", "scam")
    q = _queue(
        [
            ("p1", "aaa bbb ccc", {"scam": (0.95, "flag")}),
            ("p2", "ddd eee", {"misinformation": (0.7, "review"), "harmful": (0.4, "review")}),
        ],
        heads=heads,
    )
    q.loc[1, "reasons"] = json.dumps(
        [_reason("misinformation", "ddd eee", 0)] + [_reason("harmful", "ddd eee", 4)]
    )
    page = render_review_page(q)
    colours = {
        h: re.search(rf"\.h-{h},\.r-{h} i\{{background:(#[0-9a-f]+)\}}", page).group(1)
        for h in heads
    }
    assert len(set(colours.values())) == 3
    assert re.findall(r'<mark class="([^"]+)"', page) == ["h-scam", "h-misinformation", "h-harmful"]


def test_overlapping_spans_of_two_heads_are_one_mark_with_both_classes():
    text = "abcdef"
    q = _queue([("p1", text, {"harmful": (0.9, "flag")})])
    q.loc[0, "reasons"] = json.dumps(
        [_reason("harmful", text, 0), _reason("misinformation", text, 2)]
    )
    page = render_review_page(q)
    marks = re.findall(
        r'<mark class="([^"]+)" data-start="(\d+)" data-end="(\d+)"[^>]*>([^<]*)<', page
    )
    assert marks == [("h-harmful h-misinformation", "0", "5", "abcde")]
    assert "mark.h-harmful.h-misinformation{background:linear-gradient(" in page


def test_summary_counts_heads_and_bands_and_shows_only_the_given_figures():
    q = _queue(
        [
            ("p1", "a", {"harmful": (0.95, "flag")}),
            ("p2", "b", {"harmful": (0.5, "review"), "misinformation": (0.6, "review")}),
            ("p3", "c", {"misinformation": (0.7, "review")}),
        ]
    )
    page = render_review_page(
        q,
        summary={"rows_scored": 12000, "expected_queue_share": 0.025, "observed_queue_share": None},
    )
    row = re.search(r"harmful</th>(.*?)</tr>", page).group(1)
    # bands in order flag, review, pass
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1", "1"]
    row = re.search(r"misinformation</th>(.*?)</tr>", page).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["0", "2", "1"]
    assert "<b>3</b> posts in the queue" in page
    assert "<b>12,000</b> posts scored" in page
    assert "expected <b>2.50%</b>" in page and "observed" not in page
    assert "posts scored" not in render_review_page(q)
    assert page.count("<svg") == 2  # one histogram per head


def test_reasons_list_the_deciding_head_first_and_notes_as_badges():
    q = _queue([("p1", "abcdef", {"misinformation": (0.8, "review"), "harmful": (0.9, "flag")})])
    q.loc[0, "reasons"] = json.dumps(
        [_reason("misinformation", "abcdef", 0), _reason("harmful", "abcdef", 3)]
        + [{"code": "text_truncated"}]
    )
    page = render_review_page(q)
    assert re.findall(r'<span class="hname">([^<]+)</span>', page) == ["harmful", "misinformation"]
    assert '<span class="note">text_truncated</span>' in page


def test_band_ties_are_broken_by_probability():
    q = _queue([("p1", "abcdef", {"misinformation": (0.8, "review"), "harmful": (0.4, "review")})])
    page = render_review_page(q)
    assert re.findall(r'<span class="hname">([^<]+)</span>', page) == ["misinformation", "harmful"]


def test_spans_outside_the_text_are_not_marked_and_noted():
    q = _queue([("p1", "abc", {"harmful": (0.9, "flag")})])
    q.loc[0, "reasons"] = json.dumps(
        [{"head": "harmful", "text": "x", "feature": "x", "weight": 1, "start": 2, "end": 9}]
    )
    page = render_review_page(q)
    assert "<mark" not in page and ">span_out_of_range<" in page


def test_near_duplicate_groups_collapse_behind_a_toggle():
    q = _queue([(f"p{i}", "cùng một tin đồn", {"harmful": (0.9, "flag")}) for i in range(3)])
    q["group_id"], q["group_size"] = 1, 3
    page = render_review_page(q)
    assert page.count('<section class="group"') == 1
    assert page.count('<article class="card dup"') == 2
    assert ">show 2 similar posts</button>" in page


def test_abstain_decisions_and_error_statuses_are_shown():
    q = _queue([("p1", "abc", {"harmful": (0.5, "review")}), ("p2", "def", {})])
    q["decision"] = ["abstain", "review"]
    q["status"], q["error"] = ["ok", "error"], [None, "text too long"]
    page = render_review_page(q)
    assert '<span class="band b-abstain dec">abstain</span>' in page
    assert '<span class="note" title="{&quot;error&quot;: &quot;text too long&quot;}">' in page
    assert '<input type="checkbox" class="f-dec" value="abstain" checked>' in page
    assert "<dt>status</dt>" not in page  # status is a badge, not context


def test_a_hostile_head_name_is_escaped_and_gets_a_safe_class():
    head = 'x"><script>window.pwned=1</script>'
    q = _queue([("p1", "abcdef", {head: (0.9, "flag")})], heads=(head,))
    tags = _Tags(render_review_page(q)).tags
    assert len([t for t, _ in tags if t == "script"]) == 2
    classes = {c for _, a in tags for c in (a.get("class") or "").split()}
    assert "h-x-script-window-pwned-1-script" in classes


_SPAN = {"head": "harmful", "text": "abc", "feature": "abc", "weight": 1.0, "start": 0, "end": 3}


@pytest.mark.parametrize(
    "cell, marks, note",
    [
        (json.dumps([_SPAN]), 1, None),
        ([_SPAN], 1, None),
        (np.array([_SPAN], dtype=object), 1, None),
        ("[{", 0, "reasons_unreadable"),
        ('{"head": "harmful"}', 0, "reasons_unreadable"),
        (float("nan"), 0, None),
        ("", 0, None),
    ],
    ids=["json", "list", "ndarray", "bad-json", "not-a-list", "nan", "empty"],
)
def test_reasons_cells_of_every_shape_render(cell, marks, note):
    q = _queue([("p1", "abcdef", {"harmful": (0.9, "flag")})])
    q["reasons"] = pd.Series([cell], dtype=object)
    page = render_review_page(q)
    assert page.count("<mark") == marks
    assert (f">{note}</span>" in page) if note else ('class="note"' not in page)


def test_missing_columns_are_named():
    q = _queue([("p1", "a", {})])
    with pytest.raises(ValueError, match=r"no column\(s\) \['text'\]"):
        render_review_page(q.drop(columns="text"))
    with pytest.raises(ValueError, match="id column 'post_id' not found"):
        render_review_page(q, id_col="post_id")


def test_an_empty_queue_gives_a_page_that_says_so():
    q = _queue([("p1", "a", {})]).iloc[:0]
    page = render_review_page(q)
    assert "The queue is empty" in page and _cards(page) == 0


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"], ids=str)
def test_read_queue_reads_the_formats_score_writes(tmp_path, suffix):
    q = _queue([("007", "'=SUM(A1)", {"harmful": (0.9, "flag")}, {"author": "'@me"})])
    q.loc[0, "reasons"] = "[]"
    path = tmp_path / f"q{suffix}"
    if suffix == ".parquet":
        q.to_parquet(path)
    elif suffix == ".jsonl":
        q.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        q.to_csv(path, sep="\t" if suffix == ".tsv" else ",", index=False)
    back = read_queue(path)
    assert back.loc[0, "id"] == "007"
    assert back.loc[0, "harmful_prob"] == pytest.approx(0.9)
    if suffix in (".csv", ".tsv"):  # the formula escape of the CSV writer is undone
        assert back.loc[0, "text"] == "=SUM(A1)" and back.loc[0, "author"] == "@me"


def test_read_queue_undoes_exactly_what_the_writer_escapes(tmp_path):
    """One rule with the batch writer (misinfo_clf._formats.escape_cell): a post that starts
    with a quote or a formula sign comes back as it was."""
    from misinfo_clf._formats import escape_column

    texts = ["'quoted' text", "=1+1 là bao nhiêu", "'=already quoted", "-- trích dẫn"]
    q = _queue([(f"p{i}", t, {"harmful": (0.9, "flag")}) for i, t in enumerate(texts)])
    q["text"] = escape_column(q["text"])
    q.to_csv(tmp_path / "q.csv", index=False)
    assert read_queue(tmp_path / "q.csv")["text"].tolist() == texts


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "misinfo_clf.cli", "review-page", *map(str, args)],
        capture_output=True,
        text=True,
    )


def test_cli_writes_the_page(tmp_path):
    q = _queue([(f"p{i}", f"post {i}", {"harmful": (0.9, "flag")}) for i in range(5)])
    q.to_csv(tmp_path / "q.csv", index=False)
    r = _cli(tmp_path / "q.csv", "-o", tmp_path / "r.html", "--max-posts", "3")
    assert r.returncode == 0, r.stderr
    assert "3 of 5 posts" in r.stdout
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert _cards(page) == 3 and str(tmp_path / "q.csv") in page


def test_cli_names_a_missing_id_column(tmp_path):
    _queue([("p1", "a", {})]).to_csv(tmp_path / "q.csv", index=False)
    r = _cli(tmp_path / "q.csv", "-o", tmp_path / "r.html", "--id-col", "post_id")
    assert r.returncode == 2 and "id column 'post_id' not found" in r.stderr
    assert not (tmp_path / "r.html").exists()


# ---------------------------------------------------------------- headless Chromium


def _find(*names):
    return next((p for p in map(shutil.which, names) if p), None)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium not installed (pip install 'misinfo_clf[review]')"
    )
    from selenium.webdriver.chrome.service import Service

    chromium = _find("chromium", "chromium-browser", "google-chrome")
    driver = _find("chromedriver")
    if chromium is None or driver is None:
        pytest.skip(
            "headless browser test needs chromium and chromedriver (apt: chromium chromium-driver)"
        )
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        opts.add_argument(flag)
    d = webdriver.Chrome(options=opts, service=Service(driver))
    d.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    yield d
    d.quit()


@pytest.fixture(scope="module")
def example_queue(tmp_path_factory, example_dump_path):
    """The queue of the example dump scored with the shipped model."""
    from misinfo_clf import score_file

    out = tmp_path_factory.mktemp("example")
    score_file(example_dump_path, out / "scored.csv", queue=out / "queue.csv", jobs=1)
    return read_queue(out / "queue.csv")


def _open(browser, page: str, path: Path):
    from selenium.webdriver.support.ui import WebDriverWait

    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    # get() can return before a large file is parsed; the page's script, last in the
    # body, fills the counter once every card exists
    WebDriverWait(browser, 60).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && "
            "!!document.getElementById('counter').textContent"
        )
    )


def _visible_ids(browser):
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#queue .card'))"
        ".filter(c => c.offsetParent !== null).map(c => +c.dataset.i);"
    )


def _merge(spans):
    out = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [tuple(x) for x in out]


def test_browser_highlights_cover_exactly_the_reason_spans(browser, example_queue, tmp_path):
    page = render_review_page(example_queue, queue_path="queue.csv")
    _open(browser, page, tmp_path / "review.html")
    marks = browser.execute_script(
        "return Array.from(document.querySelectorAll('#queue .card')).map(c => ["
        "+c.dataset.i, Array.from(c.querySelectorAll('.text mark')).map(m => "
        "[+m.dataset.start, +m.dataset.end, m.textContent, m.className])]);"
    )
    assert len(marks) == len(example_queue) > 0
    n_marks = 0
    for i, got in marks:
        text = example_queue.loc[i, "text"]
        reasons = [r for r in json.loads(example_queue.loc[i, "reasons"]) if "start" in r]
        assert [(s, e) for s, e, _, _ in got] == _merge((r["start"], r["end"]) for r in reasons)
        for s, e, shown, cls in got:
            assert shown == text[s:e]
            heads = {r["head"] for r in reasons if s <= r["start"] and r["end"] <= e}
            assert set(cls.split()) == {f"h-{h}" for h in heads}
        n_marks += len(got)
    assert n_marks > len(example_queue)
    shot = Path(os.environ.get("REVIEW_PAGE_SCREENSHOT") or tmp_path / "review_page.png")
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(shot))


def test_browser_filters_and_search_change_the_visible_cards(browser, example_queue, tmp_path):
    q = example_queue
    _open(browser, render_review_page(q), tmp_path / "review.html")
    from selenium.webdriver.common.by import By

    counter = browser.find_element(By.ID, "counter")
    groups = q["group_id"].nunique()
    assert _visible_ids(browser) == [
        i for i in range(len(q)) if i == 0 or q.loc[i, "group_id"] != q.loc[i - 1, "group_id"]
    ]
    assert counter.text.startswith(f"showing {len(q)} of {len(q)} posts ({groups} groups)")
    # harmful: only flag
    for box in browser.find_elements(By.CSS_SELECTOR, ".f-band"):
        head = q.columns[q.columns.str.endswith("_decision")][int(box.get_attribute("data-h"))]
        if head == "harmful_decision" and box.get_attribute("value") != "flag":
            box.click()
    shown = _visible_ids(browser)
    assert shown and all(q.loc[i, "harmful_decision"] == "flag" for i in shown)
    n_flag = (q["harmful_decision"] == "flag").sum()
    assert counter.text.startswith(f"showing {n_flag} of {len(q)} posts")
    for box in browser.find_elements(By.CSS_SELECTOR, ".f-band"):
        if not box.is_selected():
            box.click()
    assert len(_visible_ids(browser)) == groups
    # the search folds accents: "tu cach" finds "tư cách"
    target = q.loc[q["text"].str.contains("tư cách", regex=False)].index
    search = browser.find_element(By.ID, "search")
    search.send_keys("tu cach")
    browser.implicitly_wait(0)
    import time

    time.sleep(0.4)  # the search waits 150 ms after the last key
    assert set(_visible_ids(browser)) == set(target) and len(target) > 0
    search.clear()
    search.send_keys(" ")  # an input event after clear()
    time.sleep(0.4)
    assert len(_visible_ids(browser)) == groups
    # a group's toggle shows its similar posts
    i_dup = int(q.index[q["group_size"] > 1][1])
    assert i_dup not in _visible_ids(browser)
    browser.execute_script(
        "document.querySelector('.card[data-i=\"' + arguments[0] + '\"]')"
        ".parentNode.querySelector('.toggle').click()",
        i_dup,
    )
    assert i_dup in _visible_ids(browser)


def test_browser_runs_no_injected_script_and_links_carry_the_url(browser, tmp_path):
    q = _hostile_queue()
    _open(browser, render_review_page(q), tmp_path / "hostile.html")

    assert browser.execute_script("return typeof window.pwned") == "undefined"
    # nothing was fetched: no image, font, style sheet or script from anywhere
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert (
        browser.execute_script("return document.querySelectorAll('main script, main img').length")
        == 0
    )
    texts = browser.execute_script(
        "return Array.from(document.querySelectorAll('.card .text')).map(e => e.textContent);"
    )
    assert texts[: len(HOSTILE_TEXTS)] == HOSTILE_TEXTS
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('#queue .card')).map(c => ["
        "c.querySelector('.pid').textContent, "
        "Array.from(c.querySelectorAll('a')).map(a => a.getAttribute('href'))]);"
    )
    by_id = dict(links)
    for i in range(len(HOSTILE_TEXTS)):
        assert set(by_id[f"h{i}"]) == {f"https://example.org/p/{i}"}
    assert by_id['"><script>window.pwned=1</script>'] == []
    assert browser.execute_script("return typeof window.pwned") == "undefined"


def test_score_writes_the_page_when_the_queue_ends_in_html(tmp_path, example_dump_path):
    from misinfo_clf import score_file

    summary = score_file(
        example_dump_path, tmp_path / "scored.csv", queue=tmp_path / "review.html", jobs=1
    )
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lstrip().lower().startswith("<!doctype html")
    assert summary["queue_rows"] > 0 and f"{summary['queue_rows']}" in page
    # per head: every scored row is in one band, and the bands add up
    for counts in summary["heads"].values():
        assert sum(counts.values()) == summary["rows_read"]


def test_page_from_a_scored_file_and_its_input_equals_the_queue(tmp_path, example_dump_path):
    from misinfo_clf import score_file
    from misinfo_clf._review_page import queue_from_scored

    score_file(example_dump_path, tmp_path / "scored.csv", queue=tmp_path / "q.csv", jobs=1)
    rebuilt = queue_from_scored(tmp_path / "scored.csv", example_dump_path)
    queue = read_queue(tmp_path / "q.csv")
    assert rebuilt["id"].astype(str).tolist() == queue["id"].astype(str).tolist()
    assert rebuilt["text"].tolist() == queue["text"].tolist()
    r = _cli(tmp_path / "scored.csv", "--input", example_dump_path, "-o", tmp_path / "p.html")
    assert r.returncode == 0, r.stderr
    # another input is refused, not silently misaligned
    other = pd.read_csv(example_dump_path).iloc[::-1]
    other.to_csv(tmp_path / "reversed.csv", index=False)
    with pytest.raises(ValueError, match="disagree on 'id'"):
        queue_from_scored(tmp_path / "scored.csv", tmp_path / "reversed.csv")
