"""misinfo-clf evaluate: metrics, robustness slices, report.md and plots for a model.

Data: either --config (each head's configured test split, e.g. configs/default.toml; a
head without one is reported on the out-of-fold validation predictions kept with the
model, and the report says so) or --data FILE (CSV/TSV/JSONL/Parquet) with a label column
per head, named after the head or given with --label-col and --head. Writes metrics.json,
report.md (95% bootstrap intervals, slices, definitions), PNG plots and one
predictions_<head>.csv per head (id, true label, probabilities, label, decision, reasons).
--record stores the headline metrics in the model: into a new model directory
(--model-out DIR) or the model itself (--in-place).
"""

from __future__ import annotations

import argparse
import json


def add_parser(sub, name):
    p = sub.add_parser(
        name,
        help="evaluate a model on labelled data; write metrics.json, report.md, plots",
        description=__doc__,
    )
    p.add_argument("model", help="model directory")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--config", help="training config: evaluate each head on its test data")
    src.add_argument("--data", help="labelled data file (CSV, TSV, JSONL, Parquet, .gz)")
    add_data_options(p, split="test")
    p.add_argument("--out", required=True, help="report directory to write")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--no-slices", action="store_true", help="skip the robustness slices")
    p.add_argument(
        "--everyday",
        default=None,
        metavar="FILE",
        help="real everyday posts the model never saw (--text-col column): adds a traffic report",
    )
    add_mlflow_option(p)
    p.add_argument(
        "--slice-by",
        action="append",
        default=[],
        metavar="COLUMN",
        help="also report metrics per value of this column of --data (repeatable)",
    )
    p.add_argument("--id-col", default=None, help="id column for predictions (default: id)")
    p.add_argument(
        "--bootstrap",
        type=int,
        default=500,
        help="bootstrap resamples for the 95%% intervals (default 500; 0: none)",
    )
    p.add_argument(
        "--record",
        action="store_true",
        help="also store the headline metrics and slices in a model's manifest and card "
        "(with --model-out DIR or --in-place)",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--model-out", default=None, help="with --record: write the model with them here"
    )
    where.add_argument(
        "--in-place", action="store_true", help="with --record: change the model itself"
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress on stderr (a bar on a terminal, one line per step otherwise)",
    )
    return p


def add_mlflow_option(p) -> None:
    """``--mlflow [URI]`` (train and evaluate)."""
    p.add_argument(
        "--mlflow",
        nargs="?",
        const=True,
        default=None,
        metavar="URI",
        help="log an MLflow run (needs mlflow; URI: tracking URI, default MLflow's own)",
    )


def add_data_options(p, *, split: str) -> None:
    p.add_argument("--head", default=None, help="evaluate this head only")
    p.add_argument("--text-col", default="text", help="text column of --data (default: text)")
    p.add_argument(
        "--label-col", default=None, help="label column of --data (default: the head's name)"
    )
    p.add_argument(
        "--labels",
        default=None,
        type=_json_mapping,
        help='raw label -> class name as JSON, e.g. \'{"0": "reliable", "1": "unreliable"}\' '
        "(default: the mapping the head was trained with)",
    )
    p.add_argument(
        "--split", default=split, help=f"which configured data of --config (default: {split})"
    )
    p.add_argument("--data-dir", default=None, help="dataset directory for --config layouts")


def _json_mapping(text: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(
            f'expected a JSON object such as \'{{"0": "reliable"}}\', got {type(value).__name__}'
        )
    return value


def _f(v) -> str:
    return "n/a" if v is None else f"{v:.4f}"


def run(args) -> int:
    import sys

    from .._evaluate import evaluate
    from .._progress import cli_steps

    if args.record and args.model_out is None and not args.in_place:
        raise ValueError(
            "--record changes the model: give --model-out DIR to write a new model directory, "
            f"or --in-place to change {args.model} itself."
        )
    if (args.model_out or args.in_place) and not args.record:
        raise ValueError("--model-out and --in-place go with --record.")
    result = evaluate(
        args.model,
        args.config or args.data,
        head=args.head,
        text_col=args.text_col,
        label_col=args.label_col,
        labels=args.labels,
        split=args.split,
        data_dir=args.data_dir,
        out_dir=args.out,
        slices=not args.no_slices,
        plots=not args.no_plots,
        everyday=args.everyday,
        slice_by=args.slice_by,
        id_col=args.id_col,
        bootstrap=args.bootstrap,
        mlflow=args.mlflow,
        progress=cli_steps(args.quiet),
    )
    for name, r in result["heads"].items():
        for w in r.get("warnings", []):
            print(f"WARNING ({name}): {w}", file=sys.stderr)
    for name, reason in result.get("skipped", {}).items():
        print(f"not evaluated: {name}: {reason}", file=sys.stderr)
    if args.record:
        from .._evaluate import record_evaluation

        record_evaluation(args.model, result, out=args.model_out, in_place=args.in_place)
    for name, r in result["heads"].items():
        m = r["metrics"]
        line = (
            f"{name}: {m['n']} rows, macro-F1 {_f(m['macro_f1'])}, ROC-AUC {_f(m['roc_auc'])}, "
            f"PR-AUC {_f(m['pr_auc'])}, ECE {_f(m['ece'])}"
        )
        ci = (m.get("ci95") or {}).get("macro_f1")
        if ci:
            line = line.replace(
                f"macro-F1 {_f(m['macro_f1'])}",
                f"macro-F1 {_f(m['macro_f1'])} [{ci[0]:.3f}, {ci[1]:.3f}]",
            )
        if "slices" in r:
            line += f"; accents stripped macro-F1 {_f(r['slices']['accents_stripped']['macro_f1'])}"
        if r.get("note"):
            line += " (out-of-fold validation predictions, not a test)"
        print(line)
    if "traffic" in result:
        ev = result["traffic"]["everyday"]
        print(
            f"traffic: {ev['posts']:,} everyday posts, {ev['queue_share']:.1%} reach the queue "
            f"(flag {ev['flag_share']:.1%}); common-word reasons "
            f"{result['traffic']['reasons']['common_word_share']:.1%}"
        )
    print(f"wrote {args.out}/metrics.json and report.md")
    if args.record:
        print(f"recorded in {args.model_out or args.model}")
    return 0
