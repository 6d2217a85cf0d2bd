"""Champion and challenger side by side on the team's reviewed posts.

:func:`compare` scores the reviewed posts that the challenger never trained on with both
models and reports, per head, the metrics on the reviewers' decisions, the posts whose
decision changes, and the share of traffic each model would send to the queue. It
writes ``compare.md`` with plots (when matplotlib is installed) and ``compare.json``.

Which rows are unseen: reviewed files (``review-import``) are sorted by review time, and
a challenger trained on one through a ``reviewed`` source with ``slice = [0, f]`` saw its
earliest fraction ``f`` (the challenger's manifest records it). The comparison uses the
rows after that cut (a **time split**) and drops those that are near-duplicates of a
training row (a group split within the time split), so that a copy of a training post
does not count as unseen. The report states the split.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["compare"]


def _load(model):
    from ._model import Model
    from ._persist import load_model

    return model if isinstance(model, Model) else load_model(model)


def _name(model, fallback: str) -> str:
    return f"{fallback} ({model.name} {model.version})"


def _reviewed_sources(model) -> list[dict]:
    out = []
    for h in model.heads.values():
        for s in h.info.get("training_data") or []:
            if isinstance(s, Mapping) and s.get("layout") == "reviewed":
                out.append({"head": h.name, **s})
    return out


def _cut(challenger, data, test_from) -> tuple[float, str]:
    """(fraction of the reviewed file the challenger may have seen, why)."""
    if test_from is not None:
        f = float(test_from)
        if not 0 <= f < 1:
            raise ValueError(f"test_from must be in [0, 1), got {test_from!r}.")
        return f, f"rows after the first {f:.0%} of the file in review-time order (as asked)"
    name = "DataFrame" if isinstance(data, pd.DataFrame) else Path(data).name
    sources = [s for s in _reviewed_sources(challenger) if s.get("path") in (name, "DataFrame")]
    if not sources:
        return 0.0, (f"every row: the challenger's training data names no reviewed file {name!r}")
    ends = [float((s.get("slice") or [0.0, 1.0])[1]) for s in sources]
    f = max(ends)
    if f >= 1.0:
        raise ValueError(
            f"the challenger was trained on every row of {name} (head "
            f"{sources[ends.index(f)]['head']!r}): no reviewed post is unseen. Train it with "
            "slice = [0.0, 0.7] in its reviewed source, or pass test_from."
        )
    heads = sorted({s["head"] for s in sources})
    return f, (
        f"time split: the challenger trained on the first {f:.0%} of {name} in review-time "
        f"order (heads {heads}); the later rows are compared"
    )


def _head_metrics(y: np.ndarray, clean: str, frame: pd.DataFrame, head: str, labels) -> dict:
    from sklearn.metrics import f1_score, roc_auc_score

    score = frame[f"{head}_prob"].to_numpy(dtype=float)
    pred = frame[f"{head}_label"].astype(str).to_numpy()
    dec = frame[f"{head}_decision"].astype(str).to_numpy()
    pos = y != clean
    flag, queued = dec == "flag", np.isin(dec, ["flag", "review"])
    ok = np.isfinite(score)
    out = {
        "n": int(len(y)),
        "positives": int(pos.sum()),
        "accuracy": float(np.mean(pred == y)) if len(y) else None,
        "macro_f1": float(f1_score(y, pred, labels=list(labels), average="macro", zero_division=0))
        if len(y)
        else None,
        "roc_auc": float(roc_auc_score(pos[ok], score[ok]))
        if ok.any() and 0 < pos[ok].sum() < ok.sum()
        else None,
        "flag_precision": float(pos[flag].mean()) if flag.any() else None,
        "flag_recall": float(flag[pos].mean()) if pos.any() else None,
        "queue_recall": float(queued[pos].mean()) if pos.any() else None,
        "queue_share": float(queued.mean()) if len(y) else None,
    }
    return out


def _queue_share_scored(model, texts: list) -> dict:
    frame = model.predict_frame(pd.DataFrame({"text": texts}), explain=False)
    ok = (frame["status"] == "ok") & (frame["decision"] != "abstain")
    dec = frame.loc[ok, "decision"]
    n = int(ok.sum())
    return {
        "flag": float((dec == "flag").mean()) if n else None,
        "queue": float(dec.isin(["flag", "review"]).mean()) if n else None,
        "n": n,
    }


def _queue_share_profile(model) -> dict | None:
    from ._profile import queue_share

    if model.profile is None:
        return None
    th = {n: h.thresholds for n, h in model.heads.items() if n in model.profile.heads}
    q = queue_share(model.profile, th)
    return {"flag": q["flag"], "queue": q["queue"], "n": q["n"]}


def compare(
    champion,
    challenger,
    data,
    *,
    traffic=None,
    text_col: str = "text",
    test_from: float | None = None,
    out=None,
    plots: bool = True,
    max_changes: int = 50,
) -> dict:
    """Compare two models on reviewed posts the challenger never trained on.

    Parameters
    ----------
    champion, challenger : Model or model directory
    data : path or DataFrame
        Reviewed posts (``misinfo-clf review-import``), in review-time order.
    traffic : path, DataFrame or list of str, optional
        A sample of everyday posts: the queue share each model would produce on it.
        Default: each model's stored traffic profile (scores of its own sample).
    text_col : str
        Text column of ``traffic``.
    test_from : float, optional
        Compare the rows after this fraction of ``data`` (default: read from the
        challenger's manifest, see the module docstring).
    out : str or Path, optional
        Write ``compare.md``, ``compare.json`` and the plots into this directory.
    plots : bool
        PNG plots in the report (skipped, and said so, when matplotlib is missing).
    max_changes : int
        At most this many changed posts listed in the report.

    Returns
    -------
    dict
        ``split`` (the rule, ``rows``, ``unseen_rows``, ``near_duplicates_dropped``),
        ``heads`` ``{head: {"champion": metrics, "challenger": metrics}}``, ``changes``
        (counts of decision pairs and the listed posts), ``queue_share``, ``report``.
    """
    from ._label_studio import read_reviewed, reviewed_heads
    from ._reviewed import mark_reviewed

    a, b = _load(champion), _load(challenger)
    rev = read_reviewed(data)
    f, rule = _cut(b, data, test_from)
    n = len(rev)
    start = int(round(f * n))
    train_part, test = rev.iloc[:start], rev.iloc[start:].reset_index(drop=True)
    dropped = 0
    if len(train_part) and len(test):
        near = mark_reviewed(test, train_part)["reviewed_id"].notna().to_numpy()
        dropped = int(near.sum())
        test = test.loc[~near].reset_index(drop=True)
        rule += "; rows that are near-duplicates of a training row are left out"
    if not len(test):
        raise ValueError(
            f"no reviewed post left to compare on ({n} rows, the first {start} seen in "
            f"training, {dropped} near-duplicates of them)."
        )
    heads = [h for h in reviewed_heads(rev) if h in a.heads and h in b.heads]
    if not heads:
        raise ValueError(
            f"the reviewed posts have heads {reviewed_heads(rev)}, the champion "
            f"{list(a.heads)}, the challenger {list(b.heads)}: no head in common."
        )
    frame = pd.DataFrame({"text": test["text"].astype(str).tolist()})
    sa = a.predict_frame(frame, explain=False)
    sb = b.predict_frame(frame, explain=False)
    res_heads = {}
    for h in heads:
        has = test[h].notna().to_numpy()
        y = test.loc[has, h].astype(str).to_numpy()
        clean = a.heads[h].clean_label
        labels = sorted(set(a.heads[h].labels) | set(b.heads[h].labels))
        res_heads[h] = {
            "champion": _head_metrics(y, clean, sa.loc[has], h, labels),
            "challenger": _head_metrics(y, clean, sb.loc[has], h, labels),
        }
    da, db = sa["decision"].astype(str), sb["decision"].astype(str)
    changed = (da != db).to_numpy()
    pairs = pd.Series([f"{x} -> {y}" for x, y in zip(da[changed], db[changed], strict=True)])
    listed = []
    for i in np.flatnonzero(changed)[:max_changes]:
        listed.append(
            {
                "id": test["id"].iat[i],
                "text": test["text"].iat[i],
                "reviewed": {h: test[h].iat[i] for h in heads if pd.notna(test[h].iat[i])},
                "champion": da.iat[i],
                "challenger": db.iat[i],
            }
        )
    if traffic is not None:
        if isinstance(traffic, pd.DataFrame):
            texts = traffic[text_col].tolist()
            where = "the traffic sample given"
        elif isinstance(traffic, list | tuple):
            texts, where = list(traffic), "the traffic sample given"
        else:
            from ._io import read_table

            texts = read_table(traffic, text_col=text_col)[text_col].tolist()
            where = f"{Path(traffic).name} (scored by both models)"
        shares = {
            "champion": _queue_share_scored(a, texts),
            "challenger": _queue_share_scored(b, texts),
        }
    else:
        where = "each model's stored traffic profile (its own sample of everyday posts)"
        shares = {"champion": _queue_share_profile(a), "challenger": _queue_share_profile(b)}
    result = {
        "champion": _name(a, "champion"),
        "challenger": _name(b, "challenger"),
        "split": {
            "rule": rule,
            "rows": n,
            "seen_fraction": f,
            "unseen_rows": len(test),
            "near_duplicates_dropped": dropped,
        },
        "heads": res_heads,
        "changes": {
            "posts": int(changed.sum()),
            "share": float(changed.mean()),
            "pairs": {k: int(v) for k, v in pairs.value_counts().items()},
            "listed": listed,
        },
        "queue_share": {"source": where, **shares},
        "report": None,
    }
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        cleans = {h: a.heads[h].clean_label for h in heads}
        figures = _plots(out, result, test, sa, sb, cleans) if plots else {}
        md = _markdown(result, figures)
        (out / "compare.md").write_text(md, encoding="utf-8")
        (out / "compare.json").write_text(
            json.dumps(_jsonable(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        result["report"] = str(out / "compare.md")
    return result


def _jsonable(value):
    from ._io import json_safe

    return json_safe(value)


def _plots(out: Path, result: dict, test, sa, sb, cleans: dict) -> dict | None:
    """The PNGs ``{kind: file name}``; None when matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return None
    from sklearn.metrics import roc_curve

    from ._evaluate import _figure

    files = {}
    for h, clean in cleans.items():
        has = test[h].notna().to_numpy()
        y = (test.loc[has, h].astype(str) != clean).to_numpy()
        if not 0 < y.sum() < len(y):
            continue
        fig = _figure()
        ax = fig.add_subplot()
        for who, s in (("champion", sa), ("challenger", sb)):
            score = s.loc[has, f"{h}_prob"].to_numpy(dtype=float)
            ok = np.isfinite(score)
            fpr, tpr, _ = roc_curve(y[ok], score[ok])
            auc = result["heads"][h][who]["roc_auc"]
            ax.plot(fpr, tpr, label=f"{who} (ROC-AUC {auc:.3f})" if auc is not None else who)
        ax.plot([0, 1], [0, 1], ls=":", c="grey")
        ax.set_xlabel("false positive rate")
        ax.set_ylabel("true positive rate")
        ax.set_title(f"{h}: reviewed posts the challenger never saw")
        ax.legend(loc="lower right")
        name = f"roc_{h}.png"
        fig.savefig(out / name)
        files[f"roc_{h}"] = name
    q = result["queue_share"]
    if q["champion"] and q["challenger"]:
        fig = _figure((5.5, 3.2))
        ax = fig.add_subplot()
        who = ["champion", "challenger"]
        flag = [100 * (q[w]["flag"] or 0) for w in who]
        queue = [100 * (q[w]["queue"] or 0) for w in who]
        x = np.arange(2)
        ax.bar(x - 0.18, flag, 0.36, label="flag")
        ax.bar(x + 0.18, queue, 0.36, label="flag + review")
        ax.set_xticks(x, who)
        ax.set_ylabel("% of traffic")
        ax.set_title("queue share")
        ax.legend()
        fig.savefig(out / "queue_share.png")
        files["queue_share"] = "queue_share.png"
    return files


def _fmt(v, pct: bool = False) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{100 * v:.1f}%" if pct else f"{v:.3f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _markdown(r: dict, figures: dict | None) -> str:
    """The report; ``figures`` None: plots were asked for but matplotlib is missing."""
    plots_missing = figures is None
    figures = figures or {}
    s = r["split"]
    lines = [
        "# Champion vs challenger on reviewed posts",
        "",
        f"- champion: {r['champion']}",
        f"- challenger: {r['challenger']}",
        f"- split: {s['rule']}.",
        f"- {s['unseen_rows']:,} of {s['rows']:,} reviewed posts compared"
        + (
            f" ({s['near_duplicates_dropped']:,} near-duplicates of training rows left out)"
            if s["near_duplicates_dropped"]
            else ""
        )
        + ".",
        "- Reviewed posts come from the queue: they over-represent high scores, so these "
        "figures compare the models on what reviewers see, not on all traffic.",
        "",
        "## Metrics per head",
        "",
        "| head | metric | champion | challenger |",
        "|---|---|---|---|",
    ]
    keys = [
        ("n", "posts with a decision", False),
        ("positives", "not clean", False),
        ("accuracy", "accuracy", False),
        ("macro_f1", "macro-F1", False),
        ("roc_auc", "ROC-AUC", False),
        ("flag_precision", "flag precision", False),
        ("flag_recall", "flag recall", False),
        ("queue_recall", "flag+review recall", False),
        ("queue_share", "share sent to flag+review", True),
    ]
    for h, m in r["heads"].items():
        for k, label, pct in keys:
            lines.append(
                f"| {h} | {label} | {_fmt(m['champion'][k], pct)} | {_fmt(m['challenger'][k], pct)} |"
            )
    for h in r["heads"]:
        if f"roc_{h}" in figures:
            lines += ["", f"![ROC {h}]({figures[f'roc_{h}']})"]
    c = r["changes"]
    lines += [
        "",
        "## Decisions that change",
        "",
        f"{c['posts']:,} posts ({_fmt(c['share'], True)}) get another decision from the "
        "challenger.",
        "",
    ]
    if c["pairs"]:
        lines += ["| champion -> challenger | posts |", "|---|---|"]
        lines += [f"| {k} | {v:,} |" for k, v in c["pairs"].items()]
        lines += ["", "| id | reviewers | champion | challenger | text |", "|---|---|---|---|---|"]
        for p in c["listed"]:
            text = " ".join(str(p["text"]).split())
            text = (text[:117] + "…") if len(text) > 120 else text
            rev = ", ".join(f"{k}: {v}" for k, v in p["reviewed"].items()) or "–"
            lines.append(
                f"| {_cell(p['id'])} | {_cell(rev)} | {p['champion']} | {p['challenger']} | "
                f"{_cell(text)} |"
            )
    q = r["queue_share"]
    lines += ["", "## Queue share on traffic", "", f"From {q['source']}.", ""]
    lines += ["| model | flag | flag + review | posts |", "|---|---|---|---|"]
    for who in ("champion", "challenger"):
        v = q[who]
        if v is None:
            lines.append(f"| {who} | n/a | n/a | no traffic profile: pass a traffic sample |")
        else:
            lines.append(
                f"| {who} | {_fmt(v['flag'], True)} | {_fmt(v['queue'], True)} | {v['n']:,} |"
            )
    if "queue_share" in figures:
        lines += ["", "![queue share](queue_share.png)"]
    if plots_missing:
        lines += ["", "_Plots skipped: matplotlib is not installed (pip install matplotlib)._"]
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
