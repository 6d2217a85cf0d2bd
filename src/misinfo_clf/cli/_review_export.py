"""misinfo-clf review-export QUEUE --to label-studio -o tasks.json: tasks for reviewers.

QUEUE is the file written by `misinfo-clf score --queue`, or a scored file (`score -o`)
with --input, the dump it was scored from: the queue is then rebuilt from the stored
scores (no scoring again), with other thresholds if --threshold is given. Writes the
Label Studio import tasks (one per post, the model's label per head pre-filled, the
reasons as highlighted spans, near-duplicates kept together) and, next to them,
tasks.label_config.xml: the labelling config to paste into the project.
"""

from __future__ import annotations


def parse_threshold(value: str) -> tuple[str, dict]:
    """``HEAD=FLAG,REVIEW`` -> (head, {"flag": .., "review": ..})."""
    head, sep, rest = value.partition("=")
    parts = rest.split(",")
    try:
        if not sep or not head.strip() or len(parts) != 2:
            raise ValueError
        flag, review = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(
            f"--threshold expects HEAD=FLAG,REVIEW (e.g. harmful=0.9,0.5), got {value!r}."
        ) from None
    return head.strip(), {"flag": flag, "review": review}


def add_queue_source_options(p) -> None:
    """--input, --text-col, --id-col, --threshold, --reviewed: how the queue is read."""
    p.add_argument(
        "--input",
        default=None,
        metavar="DUMP",
        help="with a scored file: the file it was scored from (same rows, same order)",
    )
    p.add_argument("--text-col", default="text", help="text column of --input (default: text)")
    p.add_argument("--id-col", default="id", help="the queue's id column (default: id)")
    p.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="HEAD=FLAG,REVIEW",
        help="with a scored file and --input: re-band a head's stored scores (repeatable)",
    )
    p.add_argument(
        "--reviewed",
        default=None,
        metavar="REVIEWED",
        help="posts already reviewed (review-import output): left out with their near-duplicates",
    )
    p.add_argument(
        "--prelabel",
        action="store_true",
        help="with --reviewed: keep those posts, with the reviewers' labels as fields",
    )


def read_queue_source(args):
    """The queue an invocation names (see :func:`add_queue_source_options`)."""
    from .._review_page import queue_from_scored, read_queue

    thresholds = dict(parse_threshold(t) for t in args.threshold)
    exclude = None
    if args.reviewed is not None:
        from .._reviewed import reviewed_filter

        exclude = reviewed_filter(
            args.reviewed, id_col=args.id_col, mode="label" if args.prelabel else "exclude"
        )
    if args.input is not None:
        return queue_from_scored(
            args.queue,
            args.input,
            id_col=args.id_col,
            text_col=args.text_col,
            thresholds=thresholds,
            exclude=exclude,
        )
    if thresholds:
        raise ValueError(
            "--threshold needs the scored file and --input DUMP: a queue file holds only "
            "the posts that reached review under the old thresholds."
        )
    queue = read_queue(args.queue)
    return queue if exclude is None else exclude(queue)


def add_parser(sub, name):
    p = sub.add_parser(
        name, help="write review tasks (Label Studio) from a queue", description=__doc__
    )
    p.add_argument("queue", metavar="QUEUE", help="queue file (`score --queue`) or scored file")
    p.add_argument("--to", choices=("label-studio",), default="label-studio", help="review tool")
    p.add_argument("-o", "--output", required=True, metavar="TASKS.json", help="tasks to write")
    p.add_argument(
        "--model", default=None, help="the model that scored the queue (default: the shipped one)"
    )
    p.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        metavar="N",
        help="about N tasks per file: TASKS-0001.json, ... (groups are not split)",
    )
    add_queue_source_options(p)
    return p


def run(args) -> int:
    from .._label_studio import export_label_studio

    queue = read_queue_source(args)
    s = export_label_studio(
        queue, args.output, model=args.model, id_col=args.id_col, chunk_size=args.chunk_size
    )
    files = s["files"]
    where = files[0] if len(files) == 1 else f"{files[0]} … {files[-1]} ({len(files)} files)"
    print(f"{s['tasks']:,} tasks in {s['groups']:,} near-duplicate groups: {where}")
    print(
        f"{s['spans']:,} reason spans"
        + (
            f" ({s['spans_dropped']:,} not exact in their post: left out)"
            if s["spans_dropped"]
            else ""
        )
    )
    print(f"labelling config: {s['config']} (config {s['config_id']})")
    return 0
