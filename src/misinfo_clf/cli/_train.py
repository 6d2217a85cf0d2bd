"""misinfo-clf train: train a multi-head model from a TOML config and save it."""

from __future__ import annotations

from ._evaluate import add_mlflow_option


def add_parser(sub, name):
    p = sub.add_parser(
        name,
        help="train a model from a TOML config",
        description=__doc__ + " See configs/default.toml and configs/sample.toml.",
    )
    p.add_argument("--config", required=True, help="training config (TOML)")
    p.add_argument(
        "--data-dir",
        default=None,
        help="where the dataset layouts are (default: the config's [model] data_dir, "
        "$MISINFO_CLF_DATA, or ../shared/datasets next to the checkout)",
    )
    p.add_argument("--out", required=True, help="model directory to write (e.g. models/NAME)")
    add_mlflow_option(p)
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress on stderr (a bar on a terminal, one line per step otherwise)",
    )
    return p


def run(args) -> int:
    from .._progress import cli_steps
    from .._train import train

    model = train(
        args.config,
        data_dir=args.data_dir,
        out=args.out,
        progress=cli_steps(args.quiet),
        mlflow=args.mlflow,
    )
    print(f"saved {model.name} {model.version} to {args.out} ({model.training['seconds']}s)")
    for name, head in model.heads.items():
        m = head.info.get("metrics", {})
        th = head.thresholds
        print(
            f"  {name}: classes {list(head.labels)}; validation macro-F1 "
            f"{m.get('validation_macro_f1', float('nan')):.4f}, ROC-AUC "
            f"{m.get('validation_roc_auc') or float('nan'):.4f}; thresholds flag {th.flag:.4f}, "
            f"review {th.review:.4f}"
        )
    return 0
