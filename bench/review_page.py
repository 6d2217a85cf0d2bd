"""How big the review page of a large queue is and how fast headless Chromium opens it.

A synthetic 20,000-row queue (texts recombined from the project's example posts, three
heads, five reasons per head, near-duplicate groups, url/author/created_time context)
is written with the default cap (5,000 cards) and a smaller one; each page is opened
in headless Chromium (``--caps 20000`` shows what an uncapped page costs). Needs chromium, chromedriver and selenium
(``pip install 'misinfo_clf[review]'``); without them only the sizes are printed.

    python bench/review_page.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from misinfo_clf import write_review_page
from misinfo_clf._review_page import DEFAULT_MAX_POSTS

ROOT = Path(__file__).resolve().parent.parent
HEADS = ("misinformation", "harmful", "scam")


def synthetic_queue(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = random.Random(seed)
    base = pd.read_csv(ROOT / "datasets" / "examples" / "posts.csv")["text"].dropna().tolist()
    recs, gid = [], 0
    while len(recs) < rows:
        gid += 1
        size = rng.choice([1] * 8 + [2, 3, 5])
        text = " ".join(rng.sample(base, rng.randint(1, 3)))
        probs = {h: rng.random() for h in HEADS}
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        for _ in range(min(size, rows - len(recs))):
            reasons = []
            for h in HEADS:
                picked = []
                for s, e in rng.sample(words, min(5, len(words))):
                    picked.append(
                        {
                            "head": h,
                            "text": text[s:e],
                            "feature": text[s:e].lower(),
                            "weight": round(rng.random(), 4),
                            "start": s,
                            "end": e,
                        }
                    )
                reasons += sorted(picked, key=lambda r: -r["weight"])
            rec = {
                "group_id": gid,
                "group_size": size,
                "id": f"post{len(recs):07d}",
                "text": text,
                "decision": "flag" if max(probs.values()) > 0.9 else "review",
            }
            for h in HEADS:
                p = probs[h]
                rec[f"{h}_prob"] = p
                rec[f"{h}_decision"] = "flag" if p > 0.9 else "review" if p > 0.3 else "pass"
            rec["reasons"] = json.dumps(reasons, ensure_ascii=False, separators=(",", ":"))
            rec["url"] = f"https://example.org/posts/{len(recs)}"
            rec["author"] = f"user{rng.randint(1, 5000)}"
            rec["created_time"] = f"2024-05-{rng.randint(1, 28):02d}T12:00:00"
            recs.append(rec)
    q = pd.DataFrame(recs)
    # riskiest first, as build_queue orders it
    top = q[[f"{h}_prob" for h in HEADS]].max(axis=1)
    order = q.assign(top=top).groupby("group_id")["top"].transform("max")
    q = q.assign(_o=-order).sort_values(["_o", "group_id"], kind="stable").drop(columns="_o")
    return q.reset_index(drop=True)


def _browser(profile: str):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        return None
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
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(flag)
    return webdriver.Chrome(options=opts, service=Service(driver))


_SEARCH_JS = """
var done = arguments[arguments.length - 1], box = document.getElementById('search');
var counter = document.getElementById('counter'), t0 = performance.now();
new MutationObserver(function () { done(performance.now() - t0 - 150); })
  .observe(counter, {childList: true, characterData: true, subtree: true});
box.value = arguments[0]; box.dispatchEvent(new Event('input'));
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument(
        "--caps",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[1000, DEFAULT_MAX_POSTS],
        help="max_posts values, comma-separated (default: 1000 and the default cap)",
    )
    args = ap.parse_args(argv)
    q = synthetic_queue(args.rows)
    tmp = Path(tempfile.mkdtemp())
    driver = _browser(str(tmp / "profile"))
    print(f"queue: {len(q):,} rows, {q['group_id'].nunique():,} groups, heads {', '.join(HEADS)}")
    print(
        f"{'cap':>8} {'cards':>7} {'size MB':>8} {'write s':>8} {'load s':>7} "
        f"{'onload s':>8} {'filter ms':>9} {'search ms':>9}"
    )
    for cap in args.caps:
        t = time.perf_counter()
        path = write_review_page(q, tmp / f"review-{cap}.html", max_posts=cap)
        write_s = time.perf_counter() - t
        size = path.stat().st_size / 1e6
        load = onload = filt = search = float("nan")
        if driver is not None:
            t = time.perf_counter()
            driver.get(path.as_uri())
            while not driver.execute_script(  # get() may return before a big file is parsed
                "return document.readyState === 'complete' && "
                "!!document.getElementById('counter').textContent"
            ):
                time.sleep(0.05)
            load = time.perf_counter() - t
            onload = driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].loadEventEnd / 1000"
            )
            filt = driver.execute_script(
                "var b = document.querySelector('.f-band'), t = performance.now();"
                "b.click(); var d = performance.now() - t; b.click(); return d;"
            )
            driver.set_script_timeout(60)
            search = driver.execute_async_script(_SEARCH_JS, "tin")
        print(
            f"{cap:>8,} {min(cap, len(q)):>7,} {size:>8.1f} {write_s:>8.2f} {load:>7.2f} "
            f"{onload:>8.2f} {filt:>9.0f} {search:>9.0f}"
        )
    if driver is None:
        print("(chromium, chromedriver or selenium not found: browser timings skipped)")
    else:
        driver.quit()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
