"""misinfo-clf review-import EXPORT.json -o reviewed.csv: the reviewers' decisions.

EXPORT.json is Label Studio's JSON export (Export -> JSON) of a project whose tasks were
written by `misinfo-clf review-export`. Writes one row per reviewed post: id, text, the
reviewer's class per head (empty when the reviewer left the head empty: missing, never
the clean class), reviewer, time, and the model's label, score and band at review time.
The latest annotation of each task counts; skipped (cancelled) tasks are reported.
"""

from __future__ import annotations


def add_parser(sub, name):
    p = sub.add_parser(
        name, help="read reviewers' decisions from a Label Studio export", description=__doc__
    )
    p.add_argument("export", metavar="EXPORT.json", help="Label Studio JSON export")
    p.add_argument("-o", "--output", required=True, metavar="REVIEWED", help="file to write")
    p.add_argument(
        "--model",
        default=None,
        help="refuse an export whose tasks were written for another model's heads",
    )
    return p


def run(args) -> int:
    from .._label_studio import import_label_studio, write_reviewed

    r = import_label_studio(args.export, heads=args.model)
    write_reviewed(r.frame, args.output)
    s = r.summary
    print(
        f"{s['tasks']:,} tasks: {s['reviewed']:,} reviewed, {s['skipped']:,} skipped, "
        f"{s['unreviewed']:,} not reviewed yet"
        + (f", {s['duplicates']:,} posts reviewed twice (latest kept)" if s["duplicates"] else "")
    )
    for head in r.heads:
        print(
            f"  {head:<16} {s['labelled'][head]:>6,} labelled, {s['missing'][head]:>6,} left empty"
        )
    if s["skipped_ids"]:
        shown = ", ".join(map(str, s["skipped_ids"][:10]))
        more = f" and {len(s['skipped_ids']) - 10} more" if len(s["skipped_ids"]) > 10 else ""
        print(f"skipped posts: {shown}{more}")
    print(f"wrote {args.output}")
    return 0
