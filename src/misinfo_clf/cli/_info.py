"""misinfo-clf info MODEL: print a model's manifest."""

from __future__ import annotations

import json


def add_parser(sub, name):
    p = sub.add_parser(name, help="print a model's manifest", description=__doc__)
    p.add_argument(
        "model", nargs="?", default=None, help="model directory (default: the shipped model)"
    )
    p.add_argument("--card", action="store_true", help="print the model card (markdown) instead")
    return p


def run(args) -> int:
    from .._card import render_model_card
    from .._persist import read_manifest

    manifest = read_manifest(args.model)
    print(
        render_model_card(manifest)
        if args.card
        else json.dumps(manifest, indent=2, ensure_ascii=False)
    )
    return 0
