"""misinfo-clf tune-thresholds: re-choose a head's flag/review thresholds.

For a target precision (labelled data), or for a daily review capacity
(--reviews-per-day with --posts-per-day; labels not needed, the data should look
like production traffic). Rewrites the model's manifest.json and model card (in
place, or in --out); the model file is unchanged. Prints the expected queue per
100,000 posts.
"""

from __future__ import annotations

from ._evaluate import add_data_options


def add_parser(sub, name):
    p = sub.add_parser(name, help="re-choose a head's decision thresholds", description=__doc__)
    p.add_argument("model", help="model directory")
    src = p.add_mutually_exclusive_group(required=True)
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
    p.add_argument("--reviews-per-day", type=float, default=None, help="review capacity per day")
    p.add_argument("--posts-per-day", type=float, default=None, help="posts scored per day")
    p.add_argument("--out", default=None, help="write the tuned model here (default: in place)")
    return p


def run(args) -> int:
    from .._evaluate import tune_thresholds

    if args.head is None:
        raise ValueError("--head is required: thresholds belong to one head.")
    if args.reviewed is not None:
        return _measure_reviewed(args)
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
        prevalence=args.prevalence,
    )
    old, new, q, q0 = (
        r["previous"],
        r["thresholds"],
        r["queue_per_100k"],
        r["queue_per_100k_previous"],
    )
    print(f"head {r['head']}: targets {r['targets']} on {r['rows']} rows")
    print(
        f"  thresholds  flag {old['flag']:.4f} -> {new['flag']:.4f}, "
        f"review {old['review']:.4f} -> {new['review']:.4f}"
    )
    print(
        f"  expected queue per 100k posts: flag {q['flag']}, review {q['review']} "
        f"(was flag {q0['flag']}, review {q0['review']})"
    )
    if "bands" in r:
        b = r["bands"]
        print(
            f"  on this data: flag precision {b['flag']['precision']}, "
            f"flag+review recall {b['flag_or_review']['recall']:.4f}"
        )
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
