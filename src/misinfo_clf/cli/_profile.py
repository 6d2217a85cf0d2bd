"""misinfo-clf profile DUMP... --model DIR --out NEW: size the bands for your own traffic.

Scores the posts of your own unlabelled dumps with every head, keeps the scores (never
the text) as the model's traffic profile, and re-sizes the flag and review thresholds
so that at most --flag-share of such posts are flagged and at most --queue-share reach
the review queue. Writes a new model directory; the model you give is not changed.
"""

from __future__ import annotations


def add_parser(sub, name):
    p = sub.add_parser(
        name, help="rebuild the traffic profile from your own posts", description=__doc__
    )
    p.add_argument("inputs", nargs="+", metavar="DUMP", help="CSV/TSV/JSONL/Parquet files of posts")
    p.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    p.add_argument("--out", required=True, help="the new model directory")
    p.add_argument("--text-col", default="text", help="text column (default: text)")
    p.add_argument("--flag-share", type=float, default=None, help="share that may be flagged")
    p.add_argument("--queue-share", type=float, default=None, help="share that may reach the queue")
    return p


def run(args) -> int:
    from .._persist import default_model_path
    from .._reprofile import profile_model

    r = profile_model(
        args.model or default_model_path(),
        args.inputs,
        args.out,
        text_col=args.text_col,
        flag_share=args.flag_share,
        queue_share_max=args.queue_share,
    )
    b, a = r["before"], r["after"]
    print(f"{r['posts']:,} posts scored")
    print(f"  with the previous thresholds: queue {b['queue']:.1%}, flagged {b['flag']:.1%}")
    if r["resized"]:
        print(f"  with re-sized thresholds:    queue {a['queue']:.1%}, flagged {a['flag']:.1%}")
    else:
        print("  the model keeps no validation scores: thresholds unchanged")
    print(f"  wrote {r['out']}")
    return 0
