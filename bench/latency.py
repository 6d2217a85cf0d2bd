"""Load time, single-post latency and model size of a model directory.

    python bench/latency.py [--model models/default] [--repeat 7] [--baseline REF]

Prints one markdown table. Targets (issue 11): ``import misinfo_clf`` + ``load_model()``
<= 1 s in a fresh process, single-post ``predict`` median <= 1 ms with reasons. Each
load is timed in a fresh subprocess (imports included, caches cold). With
``--baseline REF`` (a git commit, e.g. the last commit before the serving form), that
version's sources are unpacked to a temporary directory and measured in the same run,
on the same model directory, each measure alternating between the two versions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

POSTS = [
    "Uống nước chanh nóng mỗi sáng chữa khỏi ung thư, bác sĩ giấu không nói!!! Chia sẻ ngay",
    "Hôm nay trời đẹp, cả nhà đi công viên chơi vui lắm",
    "Mấy đứa ngu như bò mà cũng đòi lên mạng dạy đời",
    "ko bik có ai đi hội chợ cuối tuần này ko nhỉ =))",
    "Nhắn tin ngay để nhận quà 5 triệu đồng, chỉ cần chuyển phí 200k",
    "Bộ Y tế khuyến cáo người dân tiêm đủ mũi vắc xin theo lịch",
    "cam on shop giao hang nhanh, dong goi can than",
    "Thằng này óc chó thật sự, nói chuyện như đấm vào tai",
]

LOAD_SNIPPET = """
import json, sys, time
t0 = time.perf_counter()
import misinfo_clf
t = time.perf_counter()
misinfo_clf.load_model(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import_s": t - t0, "load_s": t2 - t, "total_s": t2 - t0}))
"""

PREDICT_SNIPPET = """
import json, statistics, sys, time
import misinfo_clf
posts = json.loads(sys.argv[2])
repeat, calls = int(sys.argv[3]), int(sys.argv[4])
model = misinfo_clf.load_model(sys.argv[1])
model.predict(posts)  # warm caches
flagged = [p for p in posts if model.predict([p])[0].decision.value != "pass"] or posts
out = {}
for label, explain, texts in (("mixed_reasons", True, posts), ("mixed_plain", False, posts),
                              ("flagged_reasons", True, flagged)):
    runs = []
    for _ in range(repeat):
        times = []
        for i in range(calls):
            t = time.perf_counter()
            model.predict([texts[i % len(texts)]], explain=explain)
            times.append(time.perf_counter() - t)
        runs.append(statistics.median(times) * 1000)
    out[label] = statistics.median(runs)
# distinct posts: identical ones would be scored once (predict dedupes canonical texts)
batch = [f"{p} (#{i})" for i, p in enumerate(posts * 125)]
t = time.perf_counter()
model.predict(batch)
out["batch_rate"] = len(batch) / (time.perf_counter() - t)
print(json.dumps(out))
"""


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file()) / 1e6


def _run(snippet: str, src: Path, *args) -> dict:
    import os

    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", snippet, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _sources(ref: str) -> Path:
    import tarfile
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="misinfo_clf-baseline-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True
    ).stdout
    import io

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "src"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--calls", type=int, default=200, help="single-post calls per repeat")
    ap.add_argument("--loads", type=int, default=5, help="fresh processes per version")
    ap.add_argument("--baseline", default=None, help="git ref of the version to compare")
    args = ap.parse_args()
    path = Path(args.model)
    versions = {"this": ROOT / "src"}
    if args.baseline:
        versions[args.baseline] = _sources(args.baseline)
    loads: dict[str, list[dict]] = {v: [] for v in versions}
    for _ in range(args.loads):  # alternating: load drifts alike for both
        for v, src in versions.items():
            loads[v].append(_run(LOAD_SNIPPET, src, path))
    # one process per version and repeat, alternating: load drifts alike for both
    runs: dict[str, list[dict]] = {v: [] for v in versions}
    for _ in range(args.repeat):
        for v, src in versions.items():
            runs[v].append(_run(PREDICT_SNIPPET, src, path, json.dumps(POSTS), 1, args.calls))
    preds = {v: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for v, rs in runs.items()}
    import os
    import platform

    print(
        f"model: {path}; python {platform.python_version()}; {os.cpu_count()} cores, load "
        f"average {os.getloadavg()[0]:.1f}; {args.loads} fresh processes per version; "
        f"predict: median over {args.repeat} alternating processes of the median of "
        f"{args.calls} calls"
    )
    print()
    names = list(versions)
    print("| measure | " + " | ".join(names) + " | target |")
    print("|---|" + "---:|" * len(names) + "---|")

    def row(label, values, target=""):
        print(f"| {label} | " + " | ".join(values) + f" | {target} |")

    med = statistics.median
    row(
        "import + load_model(), fresh process (median)",
        [f"{med(r['total_s'] for r in loads[v]) * 1000:.0f} ms" for v in names],
        "<= 1000 ms",
    )
    row(
        "  of which import misinfo_clf",
        [f"{med(r['import_s'] for r in loads[v]) * 1000:.0f} ms" for v in names],
    )
    row(
        "  of which load_model()",
        [f"{med(r['load_s'] for r in loads[v]) * 1000:.0f} ms" for v in names],
    )
    for key, label, target in (
        ("mixed_reasons", "predict 1 post, mixed posts, with reasons (median)", "<= 1 ms"),
        ("mixed_plain", "predict 1 post, mixed posts, no reasons (median)", ""),
        ("flagged_reasons", "predict 1 post, flagged/reviewed posts, with reasons (median)", ""),
    ):
        row(label, [f"{preds[v][key]:.2f} ms" for v in names], target)
    row("predict batch of 1000 posts", [f"{preds[v]['batch_rate']:,.0f} posts/s" for v in names])
    row("model directory size", [f"{_size_mb(path):.1f} MB"] * len(names))


if __name__ == "__main__":
    main()
