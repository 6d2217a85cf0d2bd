"""misinfo-clf score INPUT... -o OUTPUT: score post dumps file to file.

Every input row gives one output row, in input order, with a status column (``ok`` or
the error for that row). Rows without text (missing, blank, only links, numbers or
emoji) get decision ``abstain`` and stay out of the queue unless --queue-abstain.
Formats follow the file names: .csv, .tsv, .jsonl, .parquet, and .gz for the text
formats. In CSV/TSV outputs, a cell that a spreadsheet would run as a formula (starting
with = + - @, tab or CR) or that starts with ' gets a leading '. One run at a time per
output (OUTPUT.lock).
"""

from __future__ import annotations

import sys


def add_parser(sub, name):
    p = sub.add_parser(
        name,
        help="score post dumps (CSV/TSV/JSONL/Parquet) file to file",
        description=__doc__,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="input files or globs")
    p.add_argument("-o", "--output", required=True, help="output file (format from its extension)")
    p.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    p.add_argument("--text-col", default="text", help="text column / JSON key (default: text)")
    p.add_argument("--id-col", default="id", help="id column / JSON key (default: id)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument(
        "--chunk-size", type=int, default=None, help="rows per chunk (default: %(default)s)"
    )
    p.add_argument(
        "--resume", action="store_true", help="continue an interrupted run from OUTPUT.parts/"
    )
    p.add_argument(
        "--queue",
        default=None,
        metavar="QUEUE",
        help="also write the review queue (CSV, TSV, JSONL, Parquet, or .html: the review page)",
    )
    p.add_argument(
        "--queue-abstain",
        action="store_true",
        help="also put the rows without text (decision abstain) in the review queue",
    )
    p.add_argument(
        "--keep",
        default=None,
        metavar="COL,COL",
        help="input columns to carry into the output and the queue, e.g. url,author,created_time "
        "(default: the metadata columns the model reads; --keep '' for none)",
    )
    p.add_argument(
        "--reviewed",
        default=None,
        metavar="REVIEWED",
        help="posts reviewed already (review-import): left out of the queue with their "
        "near-duplicates",
    )
    p.add_argument(
        "--prelabel",
        action="store_true",
        help="with --reviewed: keep those posts in the queue, with the reviewers' labels",
    )
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="dask scheduler address")
    p.add_argument(
        "--no-dedupe", action="store_true", help="score every row even when texts repeat"
    )
    return p


def run(args) -> int:
    from ..batch import DEFAULT_CHUNK_SIZE, score_file

    summary = score_file(
        args.inputs,
        args.output,
        model=args.model,
        text_col=args.text_col,
        id_col=args.id_col,
        jobs=args.jobs,
        chunk_size=args.chunk_size or DEFAULT_CHUNK_SIZE,
        resume=args.resume,
        queue=args.queue,
        engine=args.engine,
        scheduler=args.scheduler,
        dedupe=not args.no_dedupe,
        queue_abstain=args.queue_abstain,
        keep=None if args.keep is None else [c for c in args.keep.split(",") if c.strip()],
        reviewed=args.reviewed,
        reviewed_mode="label" if args.prelabel else "exclude",
    )
    out = sys.stdout
    print(
        f"{summary['rows_read']:,} rows read, {summary['rows_scored']:,} scored, "
        f"{summary['rows_abstained']:,} abstained (no text), "
        f"{summary['rows_errored']:,} errored; {summary['flagged']:,} flagged, "
        f"{summary['review']:,} sent to review",
        file=out,
    )
    if summary.get("observed_queue_share") is not None:
        exp = summary.get("expected_queue_share")
        print(
            f"queue share: {summary['observed_queue_share']:.1%} of scored posts"
            + (
                f" (expected {exp:.1%} from the model's traffic profile)" if exp is not None else ""
            ),
            file=out,
        )
    heads = summary.get("heads") or {}
    if heads:
        print(
            f"{'head':<16}{'flag':>8}{'review':>8}{'pass':>8}{'abstain':>9}{'errors':>8}", file=out
        )
        for name, c in heads.items():
            print(
                f"{name:<16}{c['flag']:>8,}{c['review']:>8,}{c['pass']:>8,}"
                f"{c['abstain']:>9,}{c['error']:>8,}",
                file=out,
            )
    print(f"output: {summary['output']}", file=out)
    if summary.get("queue"):
        print(
            f"queue: {summary['queue']} ({summary['queue_rows']:,} rows in "
            f"{summary['queue_groups']:,} groups)"
            + (
                f"; {summary['queue_reviewed_left_out']:,} reviewed already, left out"
                if summary.get("queue_reviewed_left_out")
                else ""
            ),
            file=out,
        )
    if summary.get("resumed_rows"):
        print(f"resumed after {summary['resumed_rows']:,} rows", file=out)
    print(f"{summary['seconds']:.1f} s, {summary['rows_per_s']:,.0f} rows/s", file=out)
    return 0
