"""misinfo-clf compare CHAMPION CHALLENGER --data reviewed.csv: which model to ship.

Scores the reviewed posts the challenger never trained on (a time split read from the
challenger's manifest: it trained on the first part of the reviewed file; near-duplicates
of training rows left out) with both models, and writes a markdown report with plots:
metrics per head side by side, the posts whose decision changes, and the share of
traffic each model would queue (on --traffic DUMP, else each model's stored profile).
"""

from __future__ import annotations


def add_parser(sub, name):
    p = sub.add_parser(name, help="compare two models on reviewed posts", description=__doc__)
    p.add_argument("champion", metavar="CHAMPION", help="model directory (the shipped model)")
    p.add_argument("challenger", metavar="CHALLENGER", help="model directory (the candidate)")
    p.add_argument("--data", required=True, metavar="REVIEWED", help="reviewed posts")
    p.add_argument("--out", required=True, metavar="DIR", help="report directory")
    p.add_argument("--traffic", default=None, metavar="DUMP", help="everyday posts to queue")
    p.add_argument("--text-col", default="text", help="text column of --traffic")
    p.add_argument(
        "--test-from",
        type=float,
        default=None,
        metavar="F",
        help="compare on the rows after this fraction of --data (default: from the challenger)",
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    return p


def run(args) -> int:
    from .._compare import compare

    r = compare(
        args.champion,
        args.challenger,
        args.data,
        traffic=args.traffic,
        text_col=args.text_col,
        test_from=args.test_from,
        out=args.out,
        plots=not args.no_plots,
    )
    s = r["split"]
    print(f"{s['unseen_rows']:,} of {s['rows']:,} reviewed posts compared: {s['rule']}")
    for head, m in r["heads"].items():
        a, b = m["champion"], m["challenger"]

        def f(v):
            return "n/a" if v is None else f"{v:.3f}"

        print(
            f"  {head:<16} n={a['n']:<6} macro-F1 {f(a['macro_f1'])} -> {f(b['macro_f1'])}, "
            f"ROC-AUC {f(a['roc_auc'])} -> {f(b['roc_auc'])}, "
            f"flag precision {f(a['flag_precision'])} -> {f(b['flag_precision'])}"
        )
    c = r["changes"]
    print(f"decision changes on {c['posts']:,} posts ({c['share']:.1%})")
    q = r["queue_share"]
    for who in ("champion", "challenger"):
        v = q[who]
        print(
            f"  queue share, {who}: "
            + ("n/a" if v is None else f"flag {v['flag']:.2%}, flag+review {v['queue']:.2%}")
        )
    print(f"report: {r['report']}")
    return 0
