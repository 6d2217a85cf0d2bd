"""misinfo-clf review-page QUEUE -o review.html: one self-contained HTML page for reviewers.

QUEUE is the file written by `misinfo-clf score --queue` (CSV, TSV, JSONL or Parquet), or
a scored file (`score -o`) with --input, the dump it was scored from: the queue is then
rebuilt from the scores (no scoring again), the texts taken from the input row by row.
The page works offline: summary, filters, search, one card per post with its reasons
highlighted, near-duplicate groups collapsed.
"""

from __future__ import annotations


def add_parser(sub, name):
    from .._review_page import DEFAULT_MAX_POSTS, DEFAULT_TITLE

    p = sub.add_parser(name, help="write an HTML review page from a queue", description=__doc__)
    p.add_argument("queue", metavar="QUEUE", help="queue file written by `score --queue`")
    p.add_argument("-o", "--output", required=True, metavar="HTML", help="page to write")
    p.add_argument("--id-col", default="id", help="the queue's id column (default: id)")
    p.add_argument(
        "--max-posts",
        type=int,
        default=DEFAULT_MAX_POSTS,
        metavar="N",
        help=f"cards for at most the first N posts (default: {DEFAULT_MAX_POSTS})",
    )
    p.add_argument("--title", default=DEFAULT_TITLE, help="page title")
    p.add_argument(
        "--input",
        default=None,
        metavar="DUMP",
        help="with a scored file: the file it was scored from (same rows, same order)",
    )
    p.add_argument("--text-col", default="text", help="text column of --input (default: text)")
    return p


def run(args) -> int:
    from .._review_page import read_queue, write_review_page

    if args.input is not None:
        from .._review_page import queue_from_scored

        queue = queue_from_scored(
            args.queue, args.input, id_col=args.id_col, text_col=args.text_col
        )
    else:
        queue = read_queue(args.queue)
    path = write_review_page(
        queue,
        args.output,
        id_col=args.id_col,
        title=args.title,
        max_posts=args.max_posts,
        queue_path=args.queue,
    )
    shown = min(len(queue), args.max_posts)
    print(f"review page: {path} ({shown:,} of {len(queue):,} posts)")
    return 0
