"""Throughput of text preprocessing, ours against underthesea, on one core.

Run from the project root::

    python bench/preprocess.py [--n 50000] [--repeat 3] [--word-n 5000] [--profile]
    python bench/preprocess.py --adversarial [--chars 100000] [--case NAME]

Prints one markdown table, then a line with the machine and the targets. Progress
goes to stderr.

``--adversarial`` times single long posts built to make regular expressions
backtrack (:func:`adversarial_cases`), through ``normalize_text`` and
``normalize_with_offsets``, against the target of 0.5 s per post of 100,000
characters, and shows how the time grows from ``chars // 10`` to ``chars``.

Method
------
* One process, one core: BLAS/OpenMP/Rayon pools are set to one thread before any
  numeric library is imported, and the process is pinned to one CPU where the OS
  allows it. No multiprocessing.
* Every model/table a task needs is loaded before timing (underthesea's CRF model,
  our teencode table), so neither pass pays for imports or file loading.
* For every repeat and task: the data caches of ``misinfo_clf.text`` (chunk cache,
  syllable cache, tone-placement cache) are cleared, then the task runs twice over
  the same posts: the first pass is *cold*, the second *warm*. underthesea keeps no
  such caches, so it runs one pass per repeat, reported in both columns.
  Repeats are the outer loop, so that a slow spell of the machine hits every task.
* Time is the process CPU time by default (``--clock cpu``): the process has one
  thread, so this is one core's time, and it does not count time the OS gave to
  other processes on a shared machine. ``--clock wall`` uses wall-clock time.
* posts/s is the median over repeats. The ratio is our time divided by the
  underthesea peer's time on the same posts (lower is faster).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# one thread for every native pool, set before numpy/pandas/underthesea are imported
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "RAYON_NUM_THREADS",
):
    os.environ[_var] = "1"

SYLLABLE_TARGET = 50_000  # posts/s, TextViews(mode="syllable"), ViHSD-length posts
WORD_RATIO_TARGET = 1.3  # word mode time / underthesea.word_tokenize time


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _pin_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def _load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "n/a"


def _clear_caches() -> list[str]:
    """Empty the data caches of misinfo_clf.text; return the names not found."""
    from misinfo_clf.text import _chars, _normalize, _tokenize

    missing = []
    chunk_cache = getattr(_normalize, "_CHUNK_CACHE", None)
    if isinstance(chunk_cache, dict):
        for per_setting in chunk_cache.values():
            per_setting.clear()
    else:
        missing.append("_normalize._CHUNK_CACHE")
    syllable_cache = getattr(_tokenize, "_SYLLABLE_CACHE", None)
    if isinstance(syllable_cache, dict):
        syllable_cache.clear()
    else:
        missing.append("_tokenize._SYLLABLE_CACHE")
    place_tone = getattr(_chars, "_place_tone", None)
    if hasattr(place_tone, "cache_clear"):
        place_tone.cache_clear()
    else:
        missing.append("_chars._place_tone cache")
    return missing


@dataclass
class Task:
    key: str
    label: str
    fn: Callable[[list[str]], object]
    word_subset: bool = False  # runs on posts[:word_n]
    peer: str | None = None  # key of the underthesea task it is compared with
    cached: bool = True  # uses misinfo_clf caches: time a cold and a warm pass


@dataclass
class Result:
    task: Task
    n_posts: int
    avg_chars: float
    cold: list[float] = field(default_factory=list)  # seconds per pass
    warm: list[float] = field(default_factory=list)

    def rate(self, which: str) -> float:
        return self.n_posts / statistics.median(getattr(self, which))


def _tasks() -> list[Task]:
    from underthesea import text_normalize, word_tokenize

    from misinfo_clf.text import TextViews, normalize_text
    from misinfo_clf.text._normalize import normalized_chunks
    from misinfo_clf.text._tokenize import syllables_of_chunks

    syllable_views = TextViews(mode="syllable")
    word_views = TextViews(mode="word")

    def ours_normalize(posts):
        return [normalize_text(p) for p in posts]

    def bare_syllables(posts):
        return [syllables_of_chunks(normalized_chunks(p)) for p in posts]

    def ut_normalize(posts):
        return [text_normalize(p) for p in posts]

    def ut_word(posts):
        return [word_tokenize(p) for p in posts]

    return [
        Task("norm", "`normalize_text` (ours)", ours_normalize, peer="ut_norm"),
        Task(
            "syl",
            '`TextViews(mode="syllable")` (text + tokens + plain)',
            syllable_views.transform,
            peer="ut_norm",
        ),
        Task(
            "syl_bare",
            "`normalized_chunks` + `syllables_of_chunks`",
            bare_syllables,
            peer="ut_norm",
        ),
        Task(
            "word",
            '`TextViews(mode="word")`',
            word_views.transform,
            word_subset=True,
            peer="ut_word",
        ),
        Task("ut_norm", "`underthesea.text_normalize` (peer)", ut_normalize, cached=False),
        Task(
            "ut_word",
            "`underthesea.word_tokenize` (peer)",
            ut_word,
            word_subset=True,
            cached=False,
        ),
    ]


def _warm_up(tasks: list[Task]) -> None:
    """Load models and tables (not data caches) so that timing excludes them."""
    sample = ["Uỷ ban nói ko đc quáaaa!!!! =)))) xem https://vd.vn 0912345678 @ban"]
    for task in tasks:
        task.fn(sample)


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def _time(fn, posts, clock) -> float:
    gc.collect()
    t0 = clock()
    out = fn(posts)
    elapsed = clock() - t0
    del out
    return elapsed


def _run_set(name: str, posts: list[str], tasks, repeat: int, word_n: int, clock):
    word_posts = posts[:word_n]
    results = []
    for task in tasks:
        run_on = word_posts if task.word_subset else posts
        results.append(Result(task, len(run_on), sum(map(len, run_on)) / max(len(run_on), 1)))
    for r in range(repeat):
        for res in results:
            run_on = word_posts if res.task.word_subset else posts
            missing = _clear_caches()
            if missing:
                _log(f"warning: caches not found, not cleared: {', '.join(missing)}")
            res.cold.append(_time(res.task.fn, run_on, clock))
            if res.task.cached:
                res.warm.append(_time(res.task.fn, run_on, clock))
            else:  # nothing cached between passes: one pass stands for both
                res.warm.append(res.cold[-1])
            _log(
                f"[{name}] repeat {r + 1}/{repeat} {res.task.key}: "
                f"cold {res.cold[-1]:.2f}s, warm {res.warm[-1]:.2f}s ({len(run_on)} posts)"
            )
    _clear_caches()
    return results


def _ratio(res: Result, by_key: dict[str, Result]) -> tuple[float, float] | None:
    peer = by_key.get(res.task.peer) if res.task.peer else None
    if peer is None:
        return None
    # same posts for both, so the time ratio is the inverse throughput ratio
    return peer.rate("cold") / res.rate("cold"), peer.rate("warm") / res.rate("warm")


def _table(sets: list[tuple[str, list[Result]]]) -> str:
    lines = [
        "| set | task | posts | avg chars | posts/s cold | posts/s warm "
        "| time ratio vs underthesea peer (cold / warm) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for set_name, results in sets:
        by_key = {r.task.key: r for r in results}
        for res in results:
            ratio = _ratio(res, by_key)
            if ratio is not None:
                peer_name = "word_tokenize" if res.task.peer == "ut_word" else "text_normalize"
                ratio_cell = f"{ratio[0]:.2f}× / {ratio[1]:.2f}× vs {peer_name}"
            else:
                ratio_cell = "1 (peer)"
            lines.append(
                f"| {set_name} | {res.task.label} | {res.n_posts:,} | {res.avg_chars:.0f} "
                f"| {res.rate('cold'):,.0f} | {res.rate('warm'):,.0f} | {ratio_cell} |"
            )
    return "\n".join(lines)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _targets(sets: list[tuple[str, list[Result]]]) -> list[str]:
    out = []
    for set_name, results in sets:
        by_key = {r.task.key: r for r in results}
        if set_name.startswith("ViHSD") and "syl" in by_key:
            cold, warm = by_key["syl"].rate("cold"), by_key["syl"].rate("warm")
            out.append(
                f"syllable mode ≥ {SYLLABLE_TARGET:,} posts/s on {set_name} posts: "
                f"cold {cold:,.0f} {_verdict(cold >= SYLLABLE_TARGET)}, "
                f"warm {warm:,.0f} {_verdict(warm >= SYLLABLE_TARGET)}"
            )
        ratio = _ratio(by_key["word"], by_key) if "word" in by_key else None
        if ratio is not None:
            out.append(
                f"word mode time / word_tokenize time ≤ {WORD_RATIO_TARGET}× on {set_name}: "
                f"cold {ratio[0]:.2f}× {_verdict(ratio[0] <= WORD_RATIO_TARGET)}, "
                f"warm {ratio[1]:.2f}× {_verdict(ratio[1] <= WORD_RATIO_TARGET)}"
            )
    return out


def _profile_syllable(posts: list[str], top: int = 8) -> None:
    import cProfile
    import io
    import pstats

    from misinfo_clf.text import TextViews

    views = TextViews(mode="syllable")
    for which in ("cold", "warm"):
        if which == "cold":
            _clear_caches()
        prof = cProfile.Profile()
        prof.runcall(views.transform, posts)
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
        _log(f"--- cProfile, TextViews(mode='syllable'), {len(posts):,} posts, {which} ---")
        _log(buf.getvalue())


# --- adversarial inputs: worst-case time of one long post ---------------------------

ADVERSARIAL_TARGET = 0.5  # seconds for one post of up to 100,000 characters


def _fill(unit: str, n: int, head: str = "", tail: str = "") -> str:
    """``head + unit * k + tail`` of exactly ``n`` characters (the unit run is cut)."""
    body = n - len(head) - len(tail)
    return head + (unit * (body // len(unit) + 1))[:body] + tail


def adversarial_cases(n: int) -> list[tuple[str, str]]:
    """(name, text of ``n`` characters) for inputs that make naive regexes backtrack.

    Every normalization step has at least one case aimed at it: runs a pattern starts
    on everywhere and fails at the end (``a-a-…a-.``, ``aaa…@``), separators the
    phone and number patterns accept (``1.1.1…``), runs of every ASCII punctuation
    character, emoji and combining-mark runs, obfuscation and elongation runs.
    """
    import string

    cases = [
        ("a- run then .", _fill("a-", n, tail=".")),
        ("a run then @", _fill("a", n, tail="@")),
        (". run", _fill(".", n)),
        ("@ run", _fill("@", n)),
        ("http:// + a. run", _fill("a.", n, head="http://")),
        ("http:// + . run + a", _fill(".", n, head="http://", tail="a")),
        ("www. + a run then <", _fill("a", n, head="www.", tail="<")),
        ("a.com/ + . run + a", _fill(".", n, head="a.com/", tail="a")),
        ("a. run (bare domain)", _fill("a.", n)),
        ("a-a. run", _fill("a-a.", n)),
        ("a@ run", _fill("a@", n)),
        ("a.b@ run", _fill("a.b@", n)),
        ("a@b. run", _fill("a@b.", n)),
        ("@a run (mentions)", _fill("@a", n)),
        ("1. run", _fill("1.", n)),
        ("1- run", _fill("1-", n)),
        ("1<space> run", _fill("1 ", n)),
        ("0 run (one number)", _fill("0", n)),
        ("09 run glued to a", _fill("a09", n)),
        ("+84 run", _fill("+84 ", n)),
        ("(028) run", _fill("(028) ", n)),
        ("phone glued run", _fill("zalo0912345678", n)),
        ("1234567<space> run", _fill("1234567 ", n)),
        ("2.000.000đ run", _fill("2.000.000đ ", n)),
        ("emoji run", _fill("😂", n)),
        ("emoji<space> run", _fill("😂 ", n)),
        ("combining mark run", _fill("\u0301", n)),
        ("a + combining mark run", _fill("a\u0301\u0323", n)),
        ("l.ừ.a run (dotted)", _fill("l.ừ.", n)),
        ("l-ừ-a run then .", _fill("l-ừ-", n, tail="..")),
        ("a<space> run (spaced)", _fill("a ", n)),
        ("a b<space> run then !", _fill("a b ", n, tail="!")),
        ("a elongation", _fill("a", n)),
        ("á + a elongation", _fill("a", n, head="á")),
        ("quáaaa<space> run", _fill("quáaaa ", n)),
        ("a0 run (leet)", _fill("a0", n)),
        (":) run (emoticons)", _fill(":)", n)),
        (":-( run then a", _fill(":-(", n, tail="a")),
        ("x run then d", _fill("x", n, tail="d")),
        ("ko<space> run (teencode)", _fill("ko ", n)),
        ("oà run (tones)", _fill("oà", n)),
        ("control char run", _fill("\x07\u200b", n)),
    ]
    for c in string.punctuation:
        cases.append((f"{c} run", _fill(c, n)))
        cases.append((f"a{c} run", _fill("a" + c, n)))
    return cases


def _time_once(fn, text: str, clock) -> float:
    t0 = clock()
    fn(text)
    return clock() - t0


def run_adversarial(n: int, clock, only: str | None = None) -> int:
    """Print a table of seconds per case at ``n`` and ``n // 10`` characters."""
    from misinfo_clf.text import normalize_text, normalize_with_offsets
    from misinfo_clf.text._normalize import _CHUNK_CACHE

    small = max(n // 10, 1)
    funcs = (("normalize_text", normalize_text), ("normalize_with_offsets", normalize_with_offsets))
    lines = [
        f"| case | {funcs[0][0]} s at {n:,} | growth ×{n // small} chars "
        f"| {funcs[1][0]} s at {n:,} | growth | ≤ {ADVERSARIAL_TARGET} s |",
        "|---|---:|---:|---:|---:|---|",
    ]
    worst = 0.0
    normalize_text("warm up the tables: ko =)) 0912345678 a@b.vn http://x.vn")
    for (name, text), (_, small_text) in zip(
        adversarial_cases(n), adversarial_cases(small), strict=True
    ):
        if only and only not in name:
            continue
        cells = []
        for _, fn in funcs:
            for cache in _CHUNK_CACHE.values():
                cache.clear()
            t_small = _time_once(fn, small_text, clock)
            t_big = _time_once(fn, text, clock)
            worst = max(worst, t_big)
            cells.append(f"{t_big:.3f} | {t_big / max(t_small, 1e-4):.0f}×")
        verdict = _verdict(max(float(c.split()[0]) for c in cells) <= ADVERSARIAL_TARGET)
        label = name.replace("|", "\\|")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {verdict} |")
        _log(lines[-1])
    print("\n".join(lines))
    print()
    print(
        f"Worst case {worst:.3f} s for a post of {n:,} characters; target ≤ "
        f"{ADVERSARIAL_TARGET} s: {_verdict(worst <= ADVERSARIAL_TARGET)}. Growth is the time "
        f"at {n:,} characters over the time at {small:,} (linear ≈ {n // small}×, "
        f"quadratic ≈ {(n // small) ** 2}×; times under a millisecond are noisy)."
    )
    return 0 if worst <= ADVERSARIAL_TARGET else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=50_000, help="posts in the mixed set")
    parser.add_argument("--repeat", type=int, default=3, help="repeats (median reported)")
    parser.add_argument(
        "--word-n", type=int, default=5_000, help="posts for word mode and word_tokenize"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu: process CPU time (robust on a shared machine); wall: wall-clock time",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print a cProfile of syllable mode on the ViHSD posts to stderr",
    )
    parser.add_argument(
        "--adversarial",
        action="store_true",
        help="time adversarial long posts instead (see adversarial_cases); exit 1 over target",
    )
    parser.add_argument(
        "--chars", type=int, default=100_000, help="characters per adversarial post"
    )
    parser.add_argument("--case", default=None, help="only adversarial cases whose name has this")
    args = parser.parse_args(argv)
    if args.adversarial:
        if args.chars < 100:
            parser.error("--chars must be at least 100")
        return run_adversarial(args.chars, CLOCKS[args.clock], args.case)
    if args.n <= 0 or args.repeat <= 0 or args.word_n <= 0:
        parser.error("--n, --repeat and --word-n must be positive")

    pinned = _pin_one_cpu()

    import underthesea
    from _data import benchmark_source, load_benchmark_posts, vihsd_posts

    t_start = time.perf_counter()
    _log("loading posts ...")
    sets: list[tuple[str, list[str]]] = []
    vihsd = vihsd_posts()
    if vihsd is not None:
        sets.append(("ViHSD-length", vihsd[: args.n]))
    else:
        _log("ViHSD absent: ViHSD-length rows skipped")
    sets.append((f"mixed ({args.n // 1000}k)", load_benchmark_posts(args.n, args.seed)))

    tasks = _tasks()
    _warm_up(tasks)
    load_before = _load_average()
    clock = CLOCKS[args.clock]
    results = [
        (name, _run_set(name, posts, tasks, args.repeat, args.word_n, clock))
        for name, posts in sets
    ]

    print(_table(results))
    print()
    print(
        f"Machine: Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, cpu_count={os.cpu_count()}, "
        f"{pinned}, 1 thread; load average {load_before} before, {_load_average()} after; "
        f"underthesea {underthesea.__version__}; {args.clock} clock, median of "
        f"{args.repeat} repeats; data: {benchmark_source()}; "
        f"wall time {time.perf_counter() - t_start:.0f}s."
    )
    print("Targets: " + "; ".join(_targets(results)) + ".")

    if args.profile and vihsd is not None:
        _profile_syllable(sets[0][1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
