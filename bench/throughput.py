"""Throughput and peak memory of batch scoring, against the Rust peer and a naive pipeline.

Run from the project root (not a timed test)::

    python bench/throughput.py [--rows 1000000] [--word-rows 20000] [--small-rows N]

Prints one markdown table. Every configuration runs in its own subprocess, so its
peak RSS is its own: ``main`` is that process's peak (``ru_maxrss``); a sampling
thread (psutil, every 50 ms) records the largest worker process and the largest sum
over the process and all its descendants (forkserver workers are not children, so
``RUSAGE_CHILDREN`` would miss them).

Configurations
--------------
* ``score`` syllable mode, 1 and 2 jobs, file to file (CSV in, CSV out), on the full
  dump; and 2 jobs on a ``--small-rows`` prefix, to show that peak memory does not
  grow with the file.
* ``score`` word mode (underthesea segmentation), 1 and 2 jobs, on the first
  ``--word-rows`` rows only (it is slow).
* ``underthesea_core.TextClassifier`` (Rust TF-IDF + linear SVM, Rayon-parallel):
  ``predict_batch`` on the posts held in memory (reading the file not timed), trained
  on the same labelled sample as our models.
* naive: pandas reads the whole file, underthesea ``word_tokenize`` per post,
  scikit-learn TF-IDF + logistic regression ``predict`` (``--word-rows`` rows); its
  ``word_tokenize`` time alone is the single-process segmentation speed.

The dump recombines real posts (``bench/_data.py``: the shared datasets when present,
else the project's sample) with about 30% reposts: exact copies and light edits
(case, spacing, trailing ``!!``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "datasets" / "sample" / "posts_labelled.csv"


class _TreeRss:
    """Samples the RSS of this process and all its descendants (worker processes of a
    forkserver are not our children, so RUSAGE_CHILDREN would miss them)."""

    def __init__(self, interval: float = 0.05):
        import threading

        self.total = self.worker = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._t.start()

    def _run(self, interval):
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            try:
                kids = [k.memory_info().rss for k in me.children(recursive=True)]
            except psutil.Error:
                kids = []
            self.total = max(self.total, me.memory_info().rss + sum(kids))
            self.worker = max(self.worker, max(kids, default=0))
            time.sleep(interval)

    def stop(self) -> dict:
        self._stop.set()
        self._t.join()
        return {
            "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "workers_mb": self.worker / 2**20,
            "total_mb": self.total / 2**20,
        }


_RSS: _TreeRss | None = None


def _peak_kb() -> dict:
    return _RSS.stop()


# -- data -----------------------------------------------------------------------------------


def make_dump(path: Path, rows: int, seed: int = 0) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _data import load_benchmark_posts

    rng = random.Random(seed)
    pool = [p.replace("\r", " ") for p in load_benchmark_posts(min(rows, 60_000), seed=seed)]
    recent: list[str] = []
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i in range(rows):
            if recent and rng.random() < 0.3:
                text = rng.choice(recent)
                r = rng.random()
                if r < 0.2:
                    text = text.upper()
                elif r < 0.4:
                    text = "  " + text + " !!"
            else:
                text = pool[i % len(pool)]
                recent.append(text)
                if len(recent) > 500:
                    recent.pop(0)
            w.writerow([f"p{i:08d}", text])


def train_models(workdir: Path) -> dict[str, Path]:
    import pandas as pd

    from misinfo_clf import Head, Model, Thresholds, build_pipeline, save_model

    df = pd.read_csv(SAMPLE)
    out = {}
    for mode in ("syllable", "word"):
        path = workdir / f"model-{mode}"
        if not (path / "manifest.json").exists():
            heads = [
                Head(
                    "misinformation",
                    build_pipeline(min_df=1, tokenizer=mode).fit(
                        df[["text"]], df.misinformation.map({0: "reliable", 1: "unreliable"})
                    ),
                    "reliable",
                    Thresholds(0.7, 0.3),
                ),
                Head(
                    "harmful",
                    build_pipeline(min_df=1, tokenizer=mode).fit(df[["text"]], df.harmful),
                    "CLEAN",
                    Thresholds(0.7, 0.3),
                ),
            ]
            save_model(Model(heads, version=f"bench-{mode}"), path)
        out[mode] = path
    return out


# -- children -------------------------------------------------------------------------------


def child_score(a) -> dict:
    from misinfo_clf import score_file

    s = score_file(
        a.input, a.output, model=a.model, jobs=a.jobs, chunk_size=a.chunk_size, progress=False
    )
    return {"rows": s["rows_read"], "seconds": s["seconds"], **_peak_kb()}


def _head(path, n):
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, nrows=n)


def child_rust(a) -> dict:
    import pandas as pd
    from underthesea_core import TextClassifier

    train = pd.read_csv(SAMPLE)
    clf = TextClassifier(max_features=20000, ngram_range=(1, 2))
    clf.fit(train["text"].tolist(), train["harmful"].tolist())
    t0 = time.perf_counter()
    texts = _head(a.input, a.rows)["text"].tolist()
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    clf.predict_batch(texts)
    secs = time.perf_counter() - t0
    return {"rows": len(texts), "seconds": secs, "read_seconds": t_read, **_peak_kb()}


def child_naive(a) -> dict:
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from underthesea import word_tokenize

    train = pd.read_csv(SAMPLE)
    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
    pipe.fit([word_tokenize(t, format="text") for t in train["text"]], train["harmful"])
    t0 = time.perf_counter()
    df = pd.read_csv(a.input, nrows=a.rows)
    t1 = time.perf_counter()
    tokens = [word_tokenize(str(t), format="text") for t in df["text"]]
    t2 = time.perf_counter()
    df["pred"] = pipe.predict(tokens)
    df[["id", "pred"]].to_csv(a.output, index=False)
    t3 = time.perf_counter()
    return {"rows": len(df), "seconds": t3 - t0, "tokenize_seconds": t2 - t1, **_peak_kb()}


# -- parent ---------------------------------------------------------------------------------


def run_child(kind: str, **kw) -> dict:
    cmd = [sys.executable, __file__, "--child", kind]
    for k, v in kw.items():
        cmd += [f"--{k.replace('_', '-')}", str(v)]
    print(f"running {kind} {kw}", file=sys.stderr, flush=True)
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        raise RuntimeError(f"{kind} failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--small-rows", type=int, default=None, help="default: rows / 10")
    p.add_argument("--word-rows", type=int, default=20_000)
    p.add_argument("--chunk-size", type=int, default=2000)
    p.add_argument("--workdir", default=None, help="keep dumps and models here (default: temp)")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    p.add_argument("--input", help=argparse.SUPPRESS)
    p.add_argument("--output", help=argparse.SUPPRESS)
    p.add_argument("--model", help=argparse.SUPPRESS)
    p.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        fn = {"score": child_score, "rust": child_rust, "naive": child_naive}[a.child]
        global _RSS
        _RSS = _TreeRss()
        print(json.dumps(fn(a)))
        return
    work = Path(a.workdir or tempfile.mkdtemp(prefix="misinfo_clf-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    small = a.small_rows or max(a.rows // 10, 1)
    dump, dump_small = work / f"dump-{a.rows}.csv", work / f"dump-{small}.csv"
    for path, n in ((dump, a.rows), (dump_small, small)):
        if not path.exists():
            print(f"generating {n:,} posts -> {path}", file=sys.stderr, flush=True)
            make_dump(path, n)
    models = train_models(work)
    rows = []

    def add(name, r, note=""):
        rows.append(
            (
                name,
                r["rows"],
                r["rows"] / r["seconds"],
                r["main_mb"],
                r["workers_mb"],
                r["total_mb"],
                note,
            )
        )
        return r["rows"] / r["seconds"]

    out = work / "out.csv"
    common = {"input": dump, "output": out, "chunk_size": a.chunk_size}
    syl = {}
    for jobs in (1, 2):
        r = run_child("score", model=models["syllable"], jobs=jobs, **common)
        syl[jobs] = add(f"score, syllable, {jobs} job(s)", r, "file to file")
    r = run_child(
        "score",
        model=models["syllable"],
        jobs=2,
        input=dump_small,
        output=out,
        chunk_size=a.chunk_size,
    )
    add("score, syllable, 2 jobs (small dump)", r, "memory check")
    word_in = work / f"dump-word-{a.word_rows}.csv"
    if not word_in.exists():
        make_dump(word_in, a.word_rows)
    word = {}
    for jobs in (1, 2):
        r = run_child(
            "score", model=models["word"], jobs=jobs, input=word_in, output=out, chunk_size=500
        )
        word[jobs] = add(f"score, word, {jobs} job(s)", r, f"first {a.word_rows:,} rows")
    r = run_child("rust", input=dump, rows=a.rows)
    rust = add("underthesea_core TextClassifier.predict_batch", r, "in memory, all cores")
    r = run_child("naive", input=word_in, output=work / "naive.csv", rows=a.word_rows)
    add("naive: pandas + word_tokenize + sklearn", r, f"first {a.word_rows:,} rows")
    tok_rate = r["rows"] / r["tokenize_seconds"]
    print(
        f"\n{a.rows:,}-row dump ({os.path.getsize(dump) / 1e6:.0f} MB), "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores\n"
    )
    print(
        "| configuration | rows | rows/s | peak RSS main (MB) | peak RSS one worker (MB) "
        "| peak RSS all processes (MB) | note |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, n, rate, m, w, tot, note in rows:
        print(f"| {name} | {n:,} | {rate:,.0f} | {m:,.0f} | {w:,.0f} | {tot:,.0f} | {note} |")
    print(
        f"\nsyllable 2 jobs / Rust peer: {syl[2] / rust:.3f} (target >= 0.5); "
        f"word 2 jobs / single-process word_tokenize ({tok_rate:,.0f} posts/s): "
        f"{word[2] / tok_rate:.2f} (target >= 1.8)"
    )


if __name__ == "__main__":
    main()
