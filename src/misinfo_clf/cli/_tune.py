"""misinfo-clf tune-thresholds: re-choose a model's flag/review thresholds.

Two targets:
  --precision P --head HEAD   one head: flag is the lowest threshold whose flagged posts
                              reach precision P on labelled data (--data FILE, --config
                              with a validation split, or, for a head trained with
                              validation_folds, the out-of-fold scores kept with the model);
  --reviews-per-day R --posts-per-day N
                              the review team's capacity, shared by ALL heads: the queue
                              (flag or review through any head, plus posts sent to review
                              whatever their score) is at most R/N of the traffic, given as
                              --data FILE (unlabelled posts like production) or, without
                              --data, the model's traffic profile.
The result is a model directory: a new one (--out DIR; the model file is copied, its sha256
unchanged) or the model itself (--in-place). Prints the expected queue per 100,000 posts.
"""

from __future__ import annotations

from ._evaluate import add_data_options


def add_parser(sub, name):
    p = sub.add_parser(name, help="re-choose decision thresholds", description=__doc__)
    p.add_argument("model", help="model directory")
    src = p.add_mutually_exclusive_group(required=False)
    src.add_argument("--config", help="training config: use the head's validation data")
    src.add_argument("--data", help="data file (CSV, TSV, JSONL, Parquet, .gz)")
    src.add_argument(
        "--reviewed",
        metavar="REVIEWED",
        help="reviewed posts (review-import): measure the real precision of the head's bands "
        "at the model's thresholds (the model is not changed)",
    )
    add_data_options(p, split="validation")
    p.add_argument("--precision", type=float, default=None, help="target precision of flag")
    p.add_argument(
        "--recall",
        type=float,
        default=None,
        help="target recall of flag+review with --precision (default: the head's target)",
    )
    p.add_argument(
        "--prevalence",
        type=float,
        default=None,
        help="expected positive rate of your traffic (e.g. 0.02): precision is the one expected there",
    )
    p.add_argument(
        "--reviews-per-day", type=float, default=None, help="review capacity per day (all heads)"
    )
    p.add_argument("--posts-per-day", type=float, default=None, help="posts scored per day")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", default=None, help="write the tuned model to this new directory")
    where.add_argument("--in-place", action="store_true", help="change the model directory itself")
    return p


def _fmt(q: dict) -> str:
    return f"flag {q['flag']:,}, review {q['review']:,}"


def run(args) -> int:
    from .._tune import tune_thresholds

    if args.reviewed is not None:
        if args.head is None:
            raise ValueError(
                "--head is required with --reviewed: a band's precision is one head's."
            )
        return _measure_reviewed(args)
    if args.precision is not None and args.head is None:
        raise ValueError("--head is required with --precision: a precision target is one head's.")
    r = tune_thresholds(
        args.model,
        args.config or args.data,
        head=args.head,
        precision=args.precision,
        recall=args.recall,
        reviews_per_day=args.reviews_per_day,
        posts_per_day=args.posts_per_day,
        text_col=args.text_col,
        label_col=args.label_col,
        labels=args.labels,
        split=args.split,
        data_dir=args.data_dir,
        out=args.out,
        in_place=args.in_place,
        prevalence=args.prevalence,
    )
    print(f"tuned on {r['data'].get('name')} ({r['rows']:,} rows)")
    for name, h in r["heads"].items():
        old, new = h["previous"], h["thresholds"]
        print(
            f"  {name}: flag {old['flag']:.4f} -> {new['flag']:.4f}, "
            f"review {old['review']:.4f} -> {new['review']:.4f}  (targets {h['targets']})"
        )
    q, q0 = r["queue_per_100k"], r["queue_per_100k_previous"]
    what = "through any head" if "per_head" in q else f"head {r.get('head')}"
    print(f"  expected queue per 100k posts ({what}): {_fmt(q)} (was {_fmt(q0)})")
    if q.get("forced_review"):
        print(f"    of which {q['forced_review']} rows go to review whatever their score")
    if "reviews_per_day" in r:
        cap = r["capacity"]
        print(
            f"  expected reviews per day: {r['reviews_per_day']:,.0f} of a capacity of "
            f"{cap['reviews_per_day']:,.0f} ({cap['posts_per_day']:,.0f} posts per day)"
        )
    if "bands" in r:
        b = r["bands"]
        print(
            f"  on this data: flag precision {b['flag']['precision']}, "
            f"flag+review recall {b['flag_or_review']['recall']:.4f}"
        )
    for w in r.get("warnings", []):
        print(f"  warning: {w}")
    print(f"  wrote {r['out']}")
    return 0


def _measure_reviewed(args) -> int:
    from .._persist import read_manifest
    from .._reviewed import band_precision

    heads = read_manifest(args.model)["heads"]
    if args.head not in heads:
        raise KeyError(f"unknown head {args.head!r}; the model's heads are {list(heads)}.")
    h = heads[args.head]
    r = band_precision(
        args.reviewed, args.head, clean_label=h["clean_label"], thresholds=h["thresholds"]
    )

    def fmt(b):
        p = "n/a" if b["precision"] is None else f"{b['precision']:.3f}"
        return f"precision {p} ({b['positives']:,} of {b['n']:,} reviewed posts)"

    t = h["thresholds"]
    print(f"head {args.head}: {r['rows']:,} reviewed posts with a decision for this head")
    print(f"  flag band   (score >= {t['flag']:.4f}): {fmt(r['flag'])}")
    print(f"  review band (score >= {t['review']:.4f}): {fmt(r['review'])}")
    print("  precision of score >= t on the reviewed posts:")
    for row in r["by_threshold"]:
        print(f"    t = {row['threshold']:.4f}: {fmt(row)}")
    if r["lowest_score"] is not None:
        print(
            f"  (nothing below {r['lowest_score']:.4f} was reviewed: precision there is unknown, "
            "and recall cannot be measured from reviewed posts alone)"
        )
    return 0
