"""Re-choosing a saved model's thresholds: for one head's target precision, or for the
review team's daily capacity over all heads together.

Changing a model directory is explicit: a new directory (``out``), or ``in_place=True``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ._io import json_safe
from ._metrics import _bands
from ._thresholds import Thresholds, choose_thresholds, queue_per_100k

__all__ = ["tune_thresholds", "edit_target", "write_edited"]


# -- changing a model directory ---------------------------------------------------------


def edit_target(model_dir, out, in_place: bool, *, what: str, out_option: str = "--out") -> Path:
    """The directory a command that changes a model writes to.

    A new directory ``out`` (the model's files are copied there), or ``model_dir``
    itself with ``in_place=True``; neither is an error that names both (a command never
    rewrites a model unasked).
    """
    model_dir = Path(model_dir)
    if out is not None and in_place:
        raise ValueError(f"{what}: give {out_option} DIR or --in-place, not both.")
    if out is None and not in_place:
        raise ValueError(
            f"{what} changes the model: give {out_option} DIR to write a new model directory "
            f"(out=DIR), or --in-place (in_place=True) to change {model_dir} itself."
        )
    if in_place:
        return model_dir
    target = Path(out)
    if target.resolve() == model_dir.resolve():
        raise ValueError(
            f"{out_option} {target} is the model directory itself; give a new directory, or "
            "--in-place to change the model."
        )
    return target


def write_edited(model_dir, target, manifest: dict) -> Path:
    """Write ``manifest`` (and its model card) to ``target``, copying the model's files
    there first when it is a new directory. The model file is unchanged (same sha256)."""
    from ._card import write_model_card
    from ._persist import MANIFEST, copy_data_files, write_manifest

    model_dir, target = Path(model_dir), Path(target)
    if target.resolve() != model_dir.resolve():
        copy_data_files(model_dir, target, manifest)
    write_manifest(target, manifest)
    write_model_card(target, manifest)
    return target / MANIFEST


# -- data -------------------------------------------------------------------------------


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _stored(model, head: str) -> tuple[np.ndarray, np.ndarray, dict]:
    """The head's validation predictions kept with the model (no text)."""
    v = model.validation.get(head)
    if v is None:
        raise ValueError(
            f"head {head!r}: no labelled data to tune on: give data (--data FILE, or --config "
            "with a validation split), or use a model trained with validation_folds, which keeps "
            "its out-of-fold validation scores (validation.npz)."
        )
    method = (model.heads[head].info.get("validation") or {}).get("method", "validation")
    y, score = v
    source = {
        "name": "validation scores kept with the model",
        "method": method,
        "rows": len(score),
    }
    return np.asarray(y, bool), np.asarray(score, float), source


def _head_scores(model, head: str, data, **resolve) -> tuple:
    """``(y_positive or None, scores, forced, source)`` of one head on ``data``; without
    data (or a config without the split for this head), the stored validation scores."""
    from ._evaldata import _resolve, _sub_model

    if data is not None:
        items = _resolve(model, data, head=head, skipped={}, **resolve)
        if items:
            ((_, frame, source),) = items
            sub = _sub_model(model, head)
            scored = sub.predict_frame(frame.reset_index(drop=True), text_col="text", explain=False)
            score = scored[f"{head}_prob"].to_numpy(float)
            forced = (scored["status"] != "ok").to_numpy()
            labelled = frame["label"].notna().all()
            y = (
                (frame["label"].to_numpy(dtype=object) != model.heads[head].clean_label)
                if (labelled)
                else None
            )
            return y, score, forced, source
    y, score, source = _stored(model, head)
    return y, score, np.zeros(len(score), dtype=bool), source


def _traffic(model, data, text_col: str):
    """``(TrafficProfile of the scored posts, rows, forced rows, source)`` for capacity."""
    from ._evaldata import _is_config
    from ._profile import TrafficProfile

    if data is None:
        if model.profile is None:
            raise ValueError(
                "capacity tuning needs posts that look like the team's traffic: give data "
                "(--data FILE, unlabelled is fine), or a model with a traffic profile "
                "(misinfo-clf profile)."
            )
        p = model.profile
        source = {"name": "the model's traffic profile", "posts": len(p), "sources": p.sources}
        return p, len(p), 0, source
    if _is_config(data):
        raise ValueError(
            "capacity tuning needs posts that look like the team's traffic (--data FILE), or "
            "the model's traffic profile (no data); a training config holds research data."
        )
    if isinstance(data, pd.DataFrame):
        df, source = data, {"name": "DataFrame"}
    else:
        from ._io import read_table

        df = read_table(data, text_col=text_col)
        source = {"name": Path(data).name, "path": Path(data).name}
    if text_col not in df.columns:
        raise ValueError(f"text column {text_col!r} not found; columns are {list(df.columns)}.")
    scored = model.predict_frame(df.reset_index(drop=True), text_col=text_col, explain=False)
    ok = (scored["status"] == "ok").to_numpy()
    heads = tuple(model.heads)
    scores = np.column_stack([scored[f"{h}_prob"].to_numpy(float) for h in heads])
    profile = TrafficProfile(heads, scores[ok])
    source["rows"] = len(df)
    return profile, len(df), int((~ok).sum()), source


# -- tuning -----------------------------------------------------------------------------


def _check_targets(precision, recall, reviews_per_day, posts_per_day, prevalence) -> None:
    if precision is None and reviews_per_day is None:
        raise ValueError("give a target precision, or reviews_per_day with posts_per_day.")
    if (reviews_per_day is None) != (posts_per_day is None):
        raise ValueError("reviews_per_day and posts_per_day go together.")
    if prevalence is not None and precision is None:
        raise ValueError("prevalence corrects the precision target: give precision too.")
    if precision is not None and not 0 < precision <= 1:
        raise ValueError(f"precision must be in (0, 1], got {precision}.")
    if recall is not None and not 0 < recall <= 1:
        raise ValueError(f"recall must be in (0, 1], got {recall}.")
    if reviews_per_day is not None and not (reviews_per_day > 0 and posts_per_day > 0):
        raise ValueError(
            f"reviews_per_day and posts_per_day must be > 0, got {reviews_per_day} and "
            f"{posts_per_day}."
        )


def _for_precision(model, head, y, score, *, precision, recall, prevalence) -> Thresholds:
    if y is None:
        raise ValueError(
            f"a precision target needs labels: the data has no label column for head {head!r}."
        )
    new = choose_thresholds(y, score, precision=precision, recall=recall, prevalence=prevalence)
    if new.flag > 1:
        order = np.argsort(-score, kind="stable")
        top = y[order][: max(1, int(np.ceil(0.01 * len(y))))]
        raise ValueError(
            f"head {head!r}: no threshold reaches precision {precision} on these "
            f"{len(y)} rows ({int(y.sum())} positive; the top 1% of scores reach "
            f"{top.mean():.3f}); nothing could be flagged. Lower the precision target."
        )
    return new


def _for_capacity(model, profile, rows: int, forced: int, share: float, targets: dict):
    """Thresholds of all heads for a queue of ``share`` of all posts (see
    :func:`misinfo_clf._profile.size_bands`)."""
    from ._profile import FLAG_SHARE, queue_share, size_bands

    missing = [h for h in model.heads if h not in model.validation]
    if missing:
        raise ValueError(
            f"head(s) {missing} have no validation scores kept with the model (validation.npz),"
            " which capacity tuning needs to share the queue between heads; retrain the model."
        )
    n_scored = int(profile.scored.sum())
    if forced >= share * rows:
        raise ValueError(
            f"{forced} of {rows} posts ({forced / rows:.2%}) go to review whatever their score "
            f"(input that cannot be read), more than the capacity ({share:.2%} of the posts): "
            "nothing is left for the heads. Raise the capacity, or fix the input."
        )
    if not n_scored:
        raise ValueError("none of the posts has text to score; capacity cannot be planned.")
    budget = min(1.0, (share * rows - forced) / n_scored)
    kept = model.profile.targets if model.profile is not None else {}
    flag_share = min(float(kept.get("flag_share", FLAG_SHARE)), budget)
    thresholds, report = size_bands(
        model.validation,
        profile,
        precision={h: targets[h].get("precision", 0.90) for h in model.heads},
        recall={h: targets[h].get("recall", 0.90) for h in model.heads},
        prevalence={h: targets[h].get("prevalence") for h in model.heads},
        flag_share=flag_share,
        queue_share_max=budget,
    )
    for h, th in thresholds.items():
        if th.flag > 1 or th.review > 1:
            raise ValueError(
                f"head {h!r}: no threshold reaches its precision target "
                f"{targets[h].get('precision', 0.90)} on its validation scores; lower it first "
                f"(tune-thresholds --head {h} --precision P)."
            )
    got = queue_share(profile, thresholds)["queue"]
    if got > budget + 1e-9:
        raise ValueError(
            f"{n_scored} scored posts are too few to plan a queue of {budget:.3%} of them (one "
            f"post is {1 / n_scored:.3%}); give more posts that look like the traffic"
            + (
                f", or no data to use the model's traffic profile ({len(model.profile)} posts)."
                if model.profile is not None and len(model.profile) > n_scored
                else "."
            )
        )
    return thresholds, report, budget


def _forecast(profile, rows: int, forced: int, thresholds: Mapping) -> dict:
    """Posts per 100,000 in flag / review (any head) and per head, forced rows included."""
    from ._profile import queue_share

    q = queue_share(profile, thresholds)
    scored = int(profile.scored.sum())
    flag = q["flag"] * scored / rows
    queue = (q["queue"] * scored + forced) / rows
    out = {
        "flag": round(flag * 100_000),
        "review": round((queue - flag) * 100_000),
        "pass": 100_000 - round(flag * 100_000) - round((queue - flag) * 100_000),
        "n": rows,
        "forced_review": forced,
        "per_head": {
            h: {k: round(v * scored / rows * 100_000) for k, v in s.items()}
            for h, s in q["per_head"].items()
        },
    }
    return out


def tune_thresholds(
    model_dir,
    data=None,
    *,
    head: str | None = None,
    precision: float | None = None,
    recall: float | None = None,
    reviews_per_day: float | None = None,
    posts_per_day: float | None = None,
    text_col: str = "text",
    label_col: str | None = None,
    labels: Mapping | None = None,
    split: str = "validation",
    data_dir=None,
    out=None,
    in_place: bool = False,
    prevalence: float | None = None,
) -> dict:
    """Re-choose a saved model's thresholds and write the result as a model directory.

    - ``precision`` (one ``head``, labelled data): ``flag`` becomes the lowest threshold
      whose flagged posts reach that precision; ``review`` is re-chosen for ``recall``
      (default: the head's recorded recall target). With ``prevalence``, the precision is
      the one expected on traffic whose positive rate is ``prevalence``. When no
      threshold reaches the precision, this is an error (never a threshold above 1).
    - ``reviews_per_day`` and ``posts_per_day``: the review team's capacity, one number
      for the whole team: the thresholds of **all heads** are sized together so that the
      posts reaching the queue through any head (flag or review), plus the posts sent to
      review whatever their score (unreadable input), are at most
      ``reviews_per_day / posts_per_day`` of the traffic. The traffic is ``data``
      (unlabelled posts that look like production) or, without data, the model's traffic
      profile; the budget goes where it buys the most validation recall
      (:func:`misinfo_clf._profile.size_bands`, with each head's precision and recall
      targets). Errors when the forced reviews alone exceed the capacity, or a threshold
      would be above 1. With ``precision`` too, ``head``'s precision target is replaced
      first.

    The model file is untouched (its sha256 stays valid); the manifest (with the tuning:
    when, on what data, previous thresholds) and the model card are written to ``out``
    (a new directory; the model's files are copied there) or, with ``in_place=True``,
    over ``model_dir``. Neither is an error.

    Parameters
    ----------
    model_dir : str or Path
    data : DataFrame, path or config, optional
        As for :func:`~misinfo_clf.evaluate`; a config gives the head's ``split`` data.
        Without data, or when the config has no such split for the head (a head trained
        with ``validation_folds``), the validation scores kept with the model are used
        for a precision target, and the traffic profile for a capacity.
    head : str, optional
        The head of a precision target. Not used for a capacity alone (it is shared).

    Returns
    -------
    dict
        ``heads``: per changed head ``previous`` and new ``thresholds``, ``targets``;
        ``queue_per_100k`` (expected posts per 100,000 in each band: for a capacity,
        through any head, with ``per_head`` and ``forced_review``; for a precision, the
        head's on ``data``), ``queue_per_100k_previous``, ``rows``, ``data``,
        ``reviews_per_day`` (capacity), ``bands`` (precision: on the labelled data),
        ``out`` (the manifest written). With a precision target, also ``head``,
        ``previous`` and ``thresholds`` of that head.
    """
    from ._persist import load_model, read_manifest

    _check_targets(precision, recall, reviews_per_day, posts_per_day, prevalence)
    if reviews_per_day is not None and precision is None and head is not None:
        raise ValueError(
            "a review capacity is shared by all heads: drop head (--head); it is only used "
            "with a precision target."
        )
    if precision is not None and head is None:
        raise ValueError("a precision target belongs to one head: give head (--head).")
    model_dir = Path(model_dir)
    target = edit_target(model_dir, out, in_place, what="tune-thresholds")
    model = load_model(model_dir)
    if head is not None and head not in model.heads:
        raise KeyError(f"unknown head {head!r}; the model's heads are {list(model.heads)}.")
    previous = {n: h.thresholds for n, h in model.heads.items()}
    targets = {n: dict(h.info.get("threshold_targets") or {}) for n, h in model.heads.items()}
    result: dict = {"heads": {}}
    tuning = {"tuned": _now()}
    changed: list[str] = []
    if precision is not None:
        y, score, forced, source = _head_scores(
            model,
            head,
            data,
            text_col=text_col,
            label_col=label_col,
            labels=labels,
            split=split,
            data_dir=data_dir,
        )
        rec = recall if recall is not None else float(targets[head].get("recall", 0.90))
        new = _for_precision(
            model, head, y, score, precision=precision, recall=rec, prevalence=prevalence
        )
        model.heads[head].thresholds = new
        targets[head] = {"precision": float(precision), "recall": rec}
        if prevalence is not None:
            targets[head]["prevalence"] = float(prevalence)
        changed.append(head)
        result.update(
            head=head,
            queue_per_100k=queue_per_100k(score, new, forced=forced),
            queue_per_100k_previous=queue_per_100k(score, previous[head], forced=forced),
            rows=len(score),
            data=source,
            bands=json_safe(_bands(y, score, new)),
        )
        tuning.update(data=source, precision_head=head)
    if reviews_per_day is not None:
        profile, rows, forced, source = _traffic(model, data, text_col)
        share = min(1.0, reviews_per_day / posts_per_day)
        before = _forecast(profile, rows, forced, previous)
        thresholds, bands, _ = _for_capacity(model, profile, rows, forced, share, targets)
        for name, th in thresholds.items():
            model.heads[name].thresholds = th
            model.heads[name].info["bands"] = bands["heads"][name]
            targets[name].update(
                reviews_per_day=float(reviews_per_day), posts_per_day=float(posts_per_day)
            )
        changed = list(dict.fromkeys([*changed, *thresholds]))
        forecast = _forecast(profile, rows, forced, thresholds)
        idle = [h for h, q in forecast["per_head"].items() if q["queue"] == 0]
        if idle:
            result["warnings"] = [
                f"head(s) {idle} send no post of this traffic to the queue at this capacity: "
                "the budget buys more validation recall elsewhere; raise the capacity to "
                "give them room."
            ]
        result.update(
            queue_per_100k=forecast,
            queue_per_100k_previous=before,
            rows=rows,
            data=source,
            reviews_per_day=(forecast["flag"] + forecast["review"]) / 100_000 * posts_per_day,
            capacity={"reviews_per_day": reviews_per_day, "posts_per_day": posts_per_day},
        )
        tuning.update(traffic=source, capacity=result["capacity"])
    manifest = read_manifest(model_dir)
    for name in changed:
        new = model.heads[name].thresholds
        result["heads"][name] = {
            "previous": previous[name].to_dict(),
            "thresholds": new.to_dict(),
            "targets": targets[name],
        }
        spec = manifest["heads"][name]
        spec["thresholds"] = new.to_dict()
        spec["threshold_targets"] = targets[name]
        if "bands" in model.heads[name].info and reviews_per_day is not None:
            spec["bands"] = model.heads[name].info["bands"]
        spec["threshold_tuning"] = json_safe(
            {
                **tuning,
                "previous": previous[name].to_dict(),
                "queue_per_100k": result["queue_per_100k"],
            }
        )
    if precision is not None:
        result["previous"] = result["heads"][head]["previous"]
        result["thresholds"] = result["heads"][head]["thresholds"]
        result["targets"] = result["heads"][head]["targets"]
    if model.profile is not None and manifest.get("profile"):
        from ._profile import queue_share

        manifest["profile"]["expected"] = queue_share(
            model.profile, {n: h.thresholds for n, h in model.heads.items()}
        )
    result["out"] = str(write_edited(model_dir, target, manifest))
    return json_safe(result)
