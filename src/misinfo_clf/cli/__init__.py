"""The ``misinfo-clf`` command. Each command lives in its own module with
``add_parser(subparsers)`` and ``run(args) -> int``; it parses arguments, calls one
library function and prints the result."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# command name -> module (imported only when the command runs)
COMMANDS = {
    "score": "misinfo_clf.cli._score",
    "train": "misinfo_clf.cli._train",
    "evaluate": "misinfo_clf.cli._evaluate",
    "tune-thresholds": "misinfo_clf.cli._tune",
    "info": "misinfo_clf.cli._info",
    "profile": "misinfo_clf.cli._profile",
    "review-page": "misinfo_clf.cli._review_page",
    "review-export": "misinfo_clf.cli._review_export",
    "review-import": "misinfo_clf.cli._review_import",
    "compare": "misinfo_clf.cli._compare",
}


def build_parser(commands=COMMANDS) -> argparse.ArgumentParser:
    from .._version import __version__

    parser = argparse.ArgumentParser(
        prog="misinfo-clf",
        description="Flag likely false or harmful Vietnamese posts for human review.",
    )
    parser.add_argument("--version", action="version", version=f"misinfo_clf {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in commands.items():
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue  # command not built yet
        p = mod.add_parser(sub, name)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (FileNotFoundError, KeyError, ValueError, TypeError) as exc:
        if args.verbose >= 2:
            raise
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"misinfo-clf {args.command}: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
