"""Re-profiling a saved model: its traffic profile rebuilt from a team's own posts, into
a new model directory (``misinfo-clf profile``).

Above both :mod:`misinfo_clf._profile` (the profile itself) and :mod:`misinfo_clf._persist`
(model directories), which it joins.
"""

from __future__ import annotations

from pathlib import Path

from ._card import write_model_card
from ._io import read_table
from ._persist import MANIFEST, copy_data_files, file_sha256, load_model, write_manifest
from ._profile import rebuild_profile

__all__ = ["profile_model"]


def profile_model(model_dir, inputs, out, *, text_col: str = "text", **shares) -> dict:
    """Rebuild a saved model's traffic profile from unlabelled dumps into a new directory.

    ``model_dir`` is never changed: the model file is copied to ``out`` with a new
    ``profile.npz``, re-sized thresholds, manifest and card.

    Parameters
    ----------
    model_dir : str or Path
    inputs : sequence of str or Path
        CSV/TSV/JSONL/Parquet files of the team's own posts (labels not needed).
    out : str or Path
        The new model directory (must not be ``model_dir``).
    text_col : str
    **shares
        ``flag_share`` and ``queue_share_max`` (see :func:`size_bands`).

    Returns
    -------
    dict
        :func:`~misinfo_clf._profile.rebuild_profile`'s report, with ``out``.
    """
    model_dir, out = Path(model_dir), Path(out)
    if out.resolve() == model_dir.resolve():
        raise ValueError(f"--out {out} is the model directory itself; give a new directory.")
    model = load_model(model_dir)
    texts, sources = [], []
    for path in inputs:
        df = read_table(path, text_col=text_col)
        col = df[text_col].dropna()
        texts.extend(col.tolist())
        sources.append(
            {"name": Path(path).name, "rows": int(len(col)), "licence": "the team's own data"}
        )
    report = rebuild_profile(model, texts, sources=sources, **shares)
    manifest = dict(model.manifest)
    copy_data_files(model_dir, out, manifest)
    for name, head in model.heads.items():
        manifest["heads"][name]["thresholds"] = head.thresholds.to_dict()
        if "bands" in head.info:
            manifest["heads"][name]["bands"] = head.info["bands"]
    manifest["profile"] = model.profile.to_manifest(
        {n: h.thresholds for n, h in model.heads.items()}
    )
    manifest["profile"]["sha256"] = file_sha256(model.profile.save(out))
    write_manifest(out, manifest)
    write_model_card(out, manifest)
    report["out"] = str(out / MANIFEST)
    return report
