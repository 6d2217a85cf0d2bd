"""Load time, single-post latency and model size of a model directory.

    python bench/latency.py [--model models/default] [--repeat 7]

Prints one markdown table. Targets (issue 4): model directory <= 25 MB,
load_model() <= 1 s, single-post predict median <= 2 ms after load. Each load is
timed in a fresh subprocess (cold imports excluded, caches cold).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
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
import misinfo_clf
t = time.perf_counter()
misinfo_clf.load_model(sys.argv[1])
print(json.dumps({"load_s": time.perf_counter() - t}))
"""


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--calls", type=int, default=200, help="single-post calls per repeat")
    args = ap.parse_args()
    path = Path(args.model)

    import misinfo_clf

    loads = []
    for _ in range(max(3, args.repeat // 2)):
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SNIPPET, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        loads.append(json.loads(out.stdout.strip().splitlines()[-1])["load_s"])

    model = misinfo_clf.load_model(path)
    model.predict(POSTS)  # warm the lazily built lean path and caches

    def per_call_ms(explain: bool, posts) -> float:
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            for i in range(args.calls):
                model.predict([posts[i % len(posts)]], explain=explain)
            runs.append((time.perf_counter() - t) / args.calls * 1000)
        return statistics.median(runs)

    flagged = [p for p in POSTS if model.predict([p])[0].decision.value != "pass"]
    rows = [
        ("model directory size", f"{_size_mb(path):.1f} MB", "<= 25 MB", _size_mb(path) <= 25),
        (
            "load_model() (fresh process, median)",
            f"{statistics.median(loads) * 1000:.0f} ms",
            "<= 1000 ms",
            statistics.median(loads) <= 1.0,
        ),
    ]
    for label, explain, posts in [
        ("predict 1 post, mixed posts, with reasons", True, POSTS),
        ("predict 1 post, mixed posts, no reasons", False, POSTS),
        ("predict 1 post, flagged/reviewed posts, with reasons", True, flagged or POSTS),
    ]:
        ms = per_call_ms(explain, posts)
        rows.append((label + " (median)", f"{ms:.2f} ms", "<= 2 ms", ms <= 2.0))
    batch = POSTS * 125
    t = time.perf_counter()
    model.predict(batch)
    rate = len(batch) / (time.perf_counter() - t)
    rows.append(("predict batch of 1000 posts", f"{rate:,.0f} posts/s", "", None))

    import platform

    print(
        f"model: {path} ({model.name} {model.version}); python {platform.python_version()}; "
        f"repeats {args.repeat} x {args.calls} calls"
    )
    print()
    print("| measure | value | target | |")
    print("|---|---|---|---|")
    for name, value, target, ok in rows:
        print(f"| {name} | {value} | {target} | {'' if ok is None else 'PASS' if ok else 'FAIL'} |")


if __name__ == "__main__":
    main()
