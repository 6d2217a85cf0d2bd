"""Label Studio: the review queue as labelling tasks, and the reviewers' decisions back.

Export (:func:`export_label_studio`): one task per queued post, in queue order, with

* ``data``: the post's ``id`` and raw ``text`` (exactly as scored), a one-line ``info``
  for the reviewer, the model's scores, bands and labels per head at review time, the
  signals that are not words (``reach``, ``has_link``, ``has_phone``, ``has_email``,
  ``money`` amounts) as fields, the near-duplicate group (``group_id``, ``group_size``,
  ``group_members``: the ids of the other posts of the group) and the context columns;
* ``predictions`` (``model_version``, ``score``): one choice per head pre-filled with the
  model's label for that head (the reviewer records the true class, not the band; for a
  post pre-labelled as reviewed already, ``reviewed_<head>``, the reviewer's class), and
  the reasons as ``labels`` regions whose ``start``, ``end`` (character offsets, Python
  code points, as Label Studio stores them) and ``text`` are exact in the raw post.

Near-duplicates stay together: a group's tasks follow each other and a chunk never
splits a group. The labelling config (:func:`label_config`) has one ``Choices`` per head
(the head's classes, none required: a head the reviewer leaves empty stays missing) and
one ``Labels`` per head for spans.

Import (:func:`import_label_studio`): Label Studio's JSON export (``Export -> JSON``)
gives one row per reviewed post: the latest annotation of each task that was not
cancelled (skipped tasks are reported, never labelled), the reviewer's class per head
(empty when left empty, never the clean class), who and when, and what the model said at
review time. Every task carries the id of the config it was exported with
(``data.misinfo_clf``), so an export of another project is refused with a clear error.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd

__all__ = [
    "ReviewHeads",
    "ReviewImport",
    "label_config",
    "queue_tasks",
    "export_label_studio",
    "import_label_studio",
    "write_reviewed",
    "read_reviewed",
]

#: version of the task layout written into every task (``data.misinfo_clf.format``)
TASK_FORMAT = 1
#: the task data key that marks a task written by :func:`queue_tasks`
MARK = "misinfo_clf"
TEXT = "text"
#: data keys the export writes besides the per-head ones (a head may not be called so)
_RESERVED = {
    "id",
    TEXT,
    "info",
    "decision",
    "deciding_head",
    "group_id",
    "group_size",
    "group_members",
    "reach",
    "has_link",
    "has_phone",
    "has_email",
    "money",
    "signals",
    "why",
    "model_version",
    MARK,
}
_HEAD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_COLOURS = {"misinformation": "#ffd166", "harmful": "#ff9aa2", "scam": "#a0c4ff"}
_PALETTE = ["#b5e48c", "#ffc6ff", "#9bf6ff", "#fdffb6", "#ffadad", "#caffbf", "#bdb2ff"]


# -- the heads of a review project ---------------------------------------------------------


@dataclass(frozen=True)
class ReviewHeads:
    """The heads a review project labels: ``{head: class names}`` and each clean class.

    Build it from a model (:meth:`from_model`: a :class:`~misinfo_clf.Model`, a model
    directory, or None for the shipped model; only the manifest is read).
    """

    labels: Mapping[str, tuple[str, ...]]
    clean: Mapping[str, str]

    def __post_init__(self):
        if not self.labels:
            raise ValueError("a review project needs at least one head.")
        for head, labels in self.labels.items():
            if not isinstance(head, str) or not _HEAD_NAME.fullmatch(head):
                raise ValueError(
                    f"head name {head!r} cannot name a Label Studio control: use letters, "
                    "digits and _ (starting with a letter)."
                )
            if head in _RESERVED or head.endswith(("_reasons", "_prob", "_label", "_decision")):
                raise ValueError(f"head name {head!r} clashes with a task field.")
            if len(labels) < 2 or len(set(labels)) != len(labels):
                raise ValueError(
                    f"head {head!r}: needs two or more distinct classes, got {labels}."
                )
            if self.clean.get(head) not in labels:
                raise ValueError(
                    f"head {head!r}: clean class {self.clean.get(head)!r} is not one of {labels}."
                )

    @classmethod
    def from_model(cls, model=None) -> ReviewHeads:
        from ._model import Model

        if isinstance(model, ReviewHeads):
            return model
        if isinstance(model, Model):
            return cls(
                {n: tuple(h.labels) for n, h in model.heads.items()},
                {n: h.clean_label for n, h in model.heads.items()},
            )
        from ._persist import read_manifest

        manifest = read_manifest(model)
        heads = manifest["heads"]
        return cls(
            {n: tuple(str(x) for x in h["labels"]) for n, h in heads.items()},
            {n: str(h["clean_label"]) for n, h in heads.items()},
        )

    @classmethod
    def from_dict(cls, d: Mapping) -> ReviewHeads:
        return cls(
            {h: tuple(v["labels"]) for h, v in d.items()}, {h: v["clean"] for h, v in d.items()}
        )

    def to_dict(self) -> dict:
        return {h: {"labels": list(v), "clean": self.clean[h]} for h, v in self.labels.items()}

    @property
    def config_id(self) -> str:
        """A short fingerprint of the heads and classes: tasks and config must agree."""
        blob = json.dumps([TASK_FORMAT, self.to_dict()], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def __iter__(self):
        return iter(self.labels)


def label_config(heads: ReviewHeads) -> str:
    """The Label Studio labelling config (XML) for ``heads``.

    The post (``$text``) with one ``Labels`` control per head (``<head>_reasons``, one
    label named after the head, for the words that make the case) and one ``Choices``
    control per head (``<head>``, its classes; not required: a head left empty is
    recorded as missing). ``$info`` shows the model's view and the signals.
    """
    colours = iter(_PALETTE * (1 + len(heads.labels) // len(_PALETTE)))
    lines = [
        f"<!-- misinfo_clf review config {heads.config_id}: written by `misinfo-clf "
        "review-export`; paste it into the project's Labeling Interface (Code) -->",
        "<View>",
        '  <Header value="Post" size="5"/>',
        '  <Text name="info" value="$info"/>',
    ]
    for head in heads:
        colour = _COLOURS.get(head) or next(colours)
        lines += [
            f"  <Labels name={quoteattr(head + '_reasons')} toName={quoteattr(TEXT)}>",
            f"    <Label value={quoteattr(head)} background={quoteattr(colour)}/>",
            "  </Labels>",
        ]
    lines.append(f'  <Text name="{TEXT}" value="${TEXT}"/>')
    for head, labels in heads.labels.items():
        lines += [
            f'  <Header value={quoteattr(head)} size="6"/>',
            f'  <Choices name={quoteattr(head)} toName={quoteattr(TEXT)} choice="single-radio" '
            'showInline="true">',
            *(f"    <Choice value={quoteattr(lab)}/>" for lab in labels),
            "  </Choices>",
        ]
    lines.append("</View>")
    return "\n".join(lines) + "\n"


# -- export --------------------------------------------------------------------------------


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _str(v) -> str | None:
    if _missing(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _signal_fields(text: str, reach) -> dict:
    """The post's signals that are not words, as task fields (no spans)."""
    from ._queue import _MONEY
    from .text import normalize_text

    canon = normalize_text(text) if text else ""
    return {
        "reach": _num(reach),
        "has_link": "xxurl" in canon,
        "has_phone": "xxphone" in canon,
        "has_email": "xxemail" in canon,
        "money": [m.group(0) for m in _MONEY.finditer(text)] if text else [],
    }


def _spans(reasons, text: str, heads: ReviewHeads) -> tuple[list[dict], int]:
    """The reasons of a queue row as ``labels`` regions; (regions, spans dropped)."""
    from ._explain import parse_reasons

    spans, _ = parse_reasons(reasons)
    out, dropped, seen = [], 0, set()
    for r in spans:
        head, s, e = r.get("head"), r.get("start"), r.get("end")
        ok = (
            head in heads.labels
            and isinstance(s, int)
            and isinstance(e, int)
            and not isinstance(s, bool)
            and not isinstance(e, bool)
            and 0 <= s < e <= len(text)
            and text[s:e] == r.get("text", text[s:e])
        )
        if not ok:
            dropped += 1
            continue
        if (head, s, e) in seen:
            continue
        seen.add((head, s, e))
        out.append(
            {
                "id": f"{head}-{len(out) + 1}",
                "from_name": f"{head}_reasons",
                "to_name": TEXT,
                "type": "labels",
                "value": {"start": s, "end": e, "text": text[s:e], "labels": [head]},
            }
        )
    return out, dropped


def _info(row: Mapping, heads: ReviewHeads, signals: str) -> str:
    parts = [f"model: {_str(row.get('decision')) or '?'}"]
    for h in heads:
        p = _num(row.get(f"{h}_prob"))
        lab = _str(row.get(f"{h}_label"))
        band = _str(row.get(f"{h}_decision"))
        if p is None and band is None:
            continue
        parts.append(
            f"{h} {'–' if p is None else f'{p:.2f}'}"
            + (f" {band}" if band else "")
            + (f" ({lab})" if lab else "")
        )
    if signals:
        parts.append(signals)
    size = row.get("group_size")
    if _num(size) and _num(size) > 1:
        parts.append(
            f"group {int(_num(row.get('group_id')) or 0)} of {int(_num(size))} similar posts"
        )
    return " · ".join(parts)


def _predicted_label(row: Mapping, head: str, heads: ReviewHeads) -> str | None:
    """The model's class for ``head``: the queue's ``<head>_label``; for a queue written
    before labels were kept, a binary head's class from its band (flag: not clean)."""
    lab = _str(row.get(f"{head}_label"))
    if lab in heads.labels[head]:
        return lab
    labels = heads.labels[head]
    band = _str(row.get(f"{head}_decision"))
    if len(labels) == 2 and band in ("flag", "pass"):
        clean = heads.clean[head]
        return clean if band == "pass" else next(x for x in labels if x != clean)
    return None


def queue_tasks(
    queue: pd.DataFrame,
    heads: ReviewHeads,
    *,
    id_col: str = "id",
    model_version: str | None = None,
) -> tuple[list[dict], dict]:
    """Label Studio tasks for a review queue (see the module docstring); (tasks, counts).

    Raises
    ------
    ValueError
        The queue has no ``text`` or id column, an id is missing or repeated, or it has
        ``<head>_decision`` columns of heads the project does not label.
    """
    if not isinstance(queue, pd.DataFrame):
        raise TypeError(f"queue must be a pandas DataFrame, got {type(queue).__name__}.")
    cols = [str(c) for c in queue.columns]
    if TEXT not in cols:
        hint = (
            " This looks like a scored file: pass the dump it was scored from with --input."
            if "status" in cols
            else ""
        )
        raise ValueError(f"the queue has no {TEXT!r} column; columns found: {cols}.{hint}")
    if id_col not in cols:
        raise ValueError(
            f"id column {id_col!r} not found in the queue; columns found: {cols}. Reviewed "
            "posts are matched by id: pass the queue's id column (--id-col)."
        )
    queue_heads = [c[: -len("_decision")] for c in cols if c.endswith("_decision")]
    foreign = [h for h in queue_heads if h not in heads.labels]
    if foreign:
        raise ValueError(
            f"the queue has head(s) {foreign} that the model does not have (its heads: "
            f"{list(heads.labels)}); pass the model that scored the queue (--model)."
        )
    ids = queue[id_col].map(_str)
    bad = ids.index[ids.isna()]
    if len(bad):
        raise ValueError(f"the queue has no {id_col!r} in row(s) {[int(i) + 1 for i in bad[:5]]}.")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise ValueError(
            f"id(s) {sorted(set(dup))[:5]} occur more than once in the queue: reviewed posts "
            "are matched by id."
        )
    known = {id_col, TEXT, "reasons", "status", "error", "signals", "why", "reach"}
    known |= {"decision", "deciding_head", "group_id", "group_size", "model_version"}
    for h in queue_heads:
        known |= {f"{h}_prob", f"{h}_label", f"{h}_decision"}
    context = [c for c in cols if c not in known]
    gids = queue["group_id"].tolist() if "group_id" in cols else list(range(1, len(queue) + 1))
    members: dict = {}
    for pid, g in zip(ids, gids, strict=True):
        members.setdefault(g, []).append(pid)
    mark = {"config": heads.config_id, "format": TASK_FORMAT, "heads": heads.to_dict()}
    tasks, dropped, version_seen = [], 0, set()
    for k, row in enumerate(queue.to_dict("records")):
        raw = row.get(TEXT)
        text = "" if _missing(raw) else str(raw)
        pid = ids.iat[k]
        version = _str(row.get("model_version")) or model_version
        version_seen.add(version)
        sig = _signal_fields(text, row.get("reach"))
        signals = _str(row.get("signals"))
        if signals is None:
            from ._queue import signals as _signals

            signals = _signals(text, sig["reach"])
        data = {
            "id": pid,
            TEXT: text,
            "info": _info(row, heads, signals),
            "decision": _str(row.get("decision")),
            "deciding_head": _str(row.get("deciding_head")),
            "group_id": int(gids[k]) if _num(gids[k]) is not None else None,
            "group_size": len(members[gids[k]]),
            "group_members": [m for m in members[gids[k]] if m != pid],
            **sig,
            "signals": signals,
            "why": _str(row.get("why")) or "",
            "model_version": version,
        }
        for h in heads:
            data[f"{h}_prob"] = _num(row.get(f"{h}_prob"))
            data[f"{h}_label"] = _predicted_label(row, h, heads) if h in queue_heads else None
            data[f"{h}_decision"] = _str(row.get(f"{h}_decision"))
        for c in context:
            data[c] = _str(row.get(c))
        data[MARK] = mark
        # a post reviewed already (``score --reviewed ... --prelabel``): the reviewer's class
        # is pre-filled instead of the model's (the model's stays in ``<head>_label``)
        prefill = {}
        for h in heads:
            known_class = _str(row.get(f"reviewed_{h}"))
            prefill[h] = known_class if known_class in heads.labels[h] else data[f"{h}_label"]
        result = [
            {
                "id": h,
                "from_name": h,
                "to_name": TEXT,
                "type": "choices",
                "value": {"choices": [prefill[h]]},
            }
            for h in heads
            if prefill[h] is not None
        ]
        regions, n_bad = _spans(row.get("reasons"), text, heads)
        dropped += n_bad
        decider = data["deciding_head"]
        probs = [data[f"{h}_prob"] for h in heads if data[f"{h}_prob"] is not None]
        score = data.get(f"{decider}_prob") if decider in heads.labels else None
        if score is None:
            score = max(probs) if probs else None
        prediction = {"model_version": version or "unknown", "result": result + regions}
        if score is not None:
            prediction["score"] = round(float(score), 6)
        tasks.append({"data": data, "predictions": [prediction]})
    counts = {
        "tasks": len(tasks),
        "groups": len(members),
        "spans": sum(
            sum(r["type"] == "labels" for r in t["predictions"][0]["result"]) for t in tasks
        ),
        "spans_dropped": dropped,
        "model_versions": sorted(v for v in version_seen if v),
    }
    return tasks, counts


def _chunks(tasks: list[dict], size: int) -> list[list[dict]]:
    """Tasks in chunks of about ``size``: a near-duplicate group is never split (a chunk
    grows past ``size`` rather than cut a group)."""
    out: list[list[dict]] = []
    cur: list[dict] = []
    for i, t in enumerate(tasks):
        cur.append(t)
        nxt = tasks[i + 1] if i + 1 < len(tasks) else None
        same_group = nxt is not None and nxt["data"]["group_id"] == t["data"]["group_id"]
        if len(cur) >= size and not same_group:
            out.append(cur)
            cur = []
    if cur or not out:
        out.append(cur)
    return out


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def export_label_studio(
    queue: pd.DataFrame,
    out,
    *,
    model=None,
    id_col: str = "id",
    chunk_size: int | None = None,
) -> dict:
    """Write a queue as Label Studio import tasks, and the labelling config next to them.

    Parameters
    ----------
    queue : DataFrame
        A review queue (:func:`~misinfo_clf.build_queue`, ``read_queue`` of the file that
        ``score --queue`` wrote, or ``queue_from_scored``).
    out : str or Path
        ``tasks.json``: the tasks (a JSON list, UTF-8). With ``chunk_size``, the tasks go
        to ``tasks-0001.json``, ``tasks-0002.json``, ... instead. The labelling config
        goes to ``tasks.label_config.xml``.
    model : Model, model directory, ReviewHeads or None
        The model that scored the queue: its heads and classes make the config (only
        its manifest is read). None: the shipped model.
    id_col : str, default="id"
        The queue's id column (kept as text, exactly).
    chunk_size : int, optional
        At most about this many tasks per file (near-duplicate groups are not split).

    Returns
    -------
    dict
        ``files`` (task files written), ``config`` (XML path), ``tasks``, ``groups``,
        ``spans``, ``spans_dropped`` (reasons whose span was not exact in the text),
        ``model_versions``, ``config_id``.
    """
    heads = ReviewHeads.from_model(model)
    if chunk_size is not None and (isinstance(chunk_size, bool) or int(chunk_size) < 1):
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}.")
    out = Path(out)
    if not out.parent.is_dir():
        raise FileNotFoundError(f"directory {out.parent} does not exist (writing {out}).")
    tasks, counts = queue_tasks(queue, heads, id_col=id_col)
    stem = out.name[: -len(".json")] if out.name.endswith(".json") else out.name
    files = []
    if chunk_size is None:
        files.append(out)
        _write_text(out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    else:
        for k, chunk in enumerate(_chunks(tasks, int(chunk_size)), start=1):
            path = out.with_name(f"{stem}-{k:04d}.json")
            _write_text(path, json.dumps(chunk, ensure_ascii=False, indent=1) + "\n")
            files.append(path)
    config = out.with_name(f"{stem}.label_config.xml")
    _write_text(config, label_config(heads))
    return {
        "files": [str(f) for f in files],
        "config": str(config),
        "config_id": heads.config_id,
        **counts,
    }


# -- import --------------------------------------------------------------------------------


@dataclass
class ReviewImport:
    """Reviewed posts read from a Label Studio export.

    Attributes
    ----------
    frame : DataFrame
        One row per reviewed post (see :data:`REVIEWED_COLUMNS` and the heads).
    heads : ReviewHeads
    summary : dict
        ``tasks``, ``reviewed``, ``skipped`` (tasks whose annotations were all cancelled),
        ``unreviewed`` (no annotation), ``duplicates`` (a post reviewed in two tasks:
        the latest kept), ``labelled`` and ``missing`` per head, ``skipped_ids``.
    """

    frame: pd.DataFrame
    heads: ReviewHeads
    summary: dict = field(default_factory=dict)


#: the columns of a reviewed file besides the heads' (``<head>``: the reviewer's class,
#: ``<head>_predicted``, ``<head>_prob``, ``<head>_decision``: the model at review time)
REVIEWED_COLUMNS = (
    "id",
    TEXT,
    "reviewer",
    "reviewed_at",
    "task_id",
    "annotation_id",
    "group_id",
    "model_version",
    "decision",
)


def _load_export(export) -> tuple[list, str]:
    if isinstance(export, list):
        return export, "the export"
    path = Path(export)
    if not path.is_file():
        raise FileNotFoundError(f"Label Studio export {path} not found.")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(
            f"{path}: not a JSON file ({exc}). Export the project as JSON (Export -> JSON), "
            "not CSV or TSV."
        ) from None
    if not isinstance(data, list):
        raise ValueError(
            f"{path}: expected Label Studio's JSON export (a list of tasks), got a JSON "
            f"{type(data).__name__}."
        )
    return data, str(path)


def _time(a: Mapping) -> str:
    return str(a.get("updated_at") or a.get("created_at") or "")


def _reviewer(a: Mapping) -> str | None:
    by = a.get("completed_by")
    if isinstance(by, Mapping):
        return str(by.get("email") or by.get("username") or by.get("id"))
    name = a.get("created_username")
    if isinstance(name, str) and name.strip():
        return name.split(",")[0].strip()
    return None if by is None else str(by)


def import_label_studio(export, *, heads=None) -> ReviewImport:
    """Read Label Studio's JSON export of tasks written by :func:`export_label_studio`.

    Parameters
    ----------
    export : str, Path or list
        The exported JSON file (``Export -> JSON``), or its parsed list of tasks.
    heads : ReviewHeads, model or model directory, optional
        When given, the export must come from this model's config.

    Returns
    -------
    ReviewImport
        One row per reviewed post, sorted by review time: ``id`` and ``text`` exactly as
        exported, the reviewer's class per head (missing when the reviewer left the head
        empty), ``<head>_spans`` (the reviewer's spans, JSON), ``reviewer``,
        ``reviewed_at``, and the model's ``<head>_predicted``, ``<head>_prob``,
        ``<head>_decision`` and ``decision`` at review time.

    Raises
    ------
    ValueError
        Not a JSON export; tasks not written by ``review-export`` or of another config;
        an annotation with a control or class that the config does not have (the
        message names the task).
    """
    tasks, where = _load_export(export)
    expected = None if heads is None else ReviewHeads.from_model(heads)
    config: dict[str, ReviewHeads] = {}
    rows, skipped, unreviewed = [], [], 0
    for k, task in enumerate(tasks, start=1):
        if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
            keys = sorted(task)[:8] if isinstance(task, Mapping) else type(task).__name__
            raise ValueError(
                f"{where}: task #{k} has no 'data' object (found {keys}). Export the project "
                "as JSON (Export -> JSON); JSON-MIN and CSV exports drop the annotations' "
                "metadata."
            )
        data = task["data"]
        tid = task.get("id", k)
        mark = data.get(MARK)
        if not isinstance(mark, Mapping) or "config" not in mark or "heads" not in mark:
            raise ValueError(
                f"{where}: task {tid} was not written by `misinfo-clf review-export` (its data "
                f"has no {MARK!r} field; data keys: {sorted(data)[:10]}). Import the tasks that "
                "review-export wrote, and export that project."
            )
        cid = str(mark["config"])
        if cid not in config:
            config[cid] = ReviewHeads.from_dict(mark["heads"])
            if len(config) > 1:
                raise ValueError(
                    f"{where}: tasks from several review configs ({sorted(config)}), e.g. task "
                    f"{tid}: export one project (one model's heads) at a time."
                )
        h = config[cid]
        if expected is not None and expected.config_id != cid:
            raise ValueError(
                f"{where}: the tasks were exported for heads {h.to_dict()} (config {cid}), "
                f"not for this model's {expected.to_dict()} (config {expected.config_id})."
            )
        anns = [a for a in task.get("annotations") or [] if isinstance(a, Mapping)]
        done = [a for a in anns if not a.get("was_cancelled")]
        if not done:
            if anns:
                skipped.append(_str(data.get("id")))
            else:
                unreviewed += 1
            continue
        ann = max(done, key=lambda a: (_time(a), a.get("id") or 0))
        labels: dict[str, str] = {}
        spans: dict[str, list] = {x: [] for x in h}
        for r in ann.get("result") or []:
            if not isinstance(r, Mapping):
                continue
            name, kind, value = r.get("from_name"), r.get("type"), r.get("value") or {}
            if kind == "choices":
                if name not in h.labels:
                    raise ValueError(
                        f"{where}: task {tid}: the annotation answers a control {name!r} that "
                        f"is not a head of this config ({list(h.labels)}): an export of "
                        "another labelling config?"
                    )
                chosen = value.get("choices") or []
                if len(chosen) > 1:
                    raise ValueError(
                        f"{where}: task {tid}: head {name!r} has several classes {chosen}; "
                        "one class per head."
                    )
                if chosen:
                    if chosen[0] not in h.labels[name]:
                        raise ValueError(
                            f"{where}: task {tid}: head {name!r} got class {chosen[0]!r}, not "
                            f"one of {list(h.labels[name])}: the project's config was edited?"
                        )
                    labels[name] = chosen[0]
            elif kind == "labels":
                head = name[: -len("_reasons")] if isinstance(name, str) else None
                if head not in h.labels:
                    raise ValueError(
                        f"{where}: task {tid}: a span of control {name!r}, which this config "
                        f"does not have (span controls: {[x + '_reasons' for x in h]})."
                    )
                spans[head].append(
                    {k2: value.get(k2) for k2 in ("start", "end", "text") if k2 in value}
                )
        row = {
            "id": _str(data.get("id")),
            TEXT: data.get(TEXT),
            "reviewer": _reviewer(ann),
            "reviewed_at": _time(ann) or None,
            "task_id": _str(tid),
            "annotation_id": _str(ann.get("id")),
            "group_id": _str(data.get("group_id")),
            "model_version": _str(data.get("model_version")),
            "decision": _str(data.get("decision")),
        }
        for x in h:
            row[x] = labels.get(x)
        for x in h:
            row[f"{x}_spans"] = (
                json.dumps(spans[x], ensure_ascii=False, separators=(",", ":"))
                if spans[x]
                else None
            )
            row[f"{x}_predicted"] = _str(data.get(f"{x}_label"))
            row[f"{x}_prob"] = _num(data.get(f"{x}_prob"))
            row[f"{x}_decision"] = _str(data.get(f"{x}_decision"))
        rows.append(row)
    if not config:
        raise ValueError(f"{where}: no tasks in the export.")
    heads_ = next(iter(config.values()))
    cols = list(REVIEWED_COLUMNS[:2]) + list(heads_) + list(REVIEWED_COLUMNS[2:])
    cols += [f"{x}_{s}" for x in heads_ for s in ("spans", "predicted", "prob", "decision")]
    frame = pd.DataFrame(rows, columns=cols)
    frame = frame.sort_values(["reviewed_at", "task_id"], kind="stable", na_position="first")
    before = len(frame)
    frame = frame.drop_duplicates("id", keep="last").reset_index(drop=True)
    for x in heads_:
        frame[f"{x}_prob"] = pd.to_numeric(frame[f"{x}_prob"], errors="coerce")
    summary = {
        "tasks": len(tasks),
        "reviewed": len(frame),
        "skipped": len(skipped),
        "unreviewed": unreviewed,
        "duplicates": before - len(frame),
        "labelled": {x: int(frame[x].notna().sum()) for x in heads_},
        "missing": {x: int(frame[x].isna().sum()) for x in heads_},
        "skipped_ids": skipped,
        "config_id": heads_.config_id,
    }
    return ReviewImport(frame, heads_, summary)


# -- the reviewed file ---------------------------------------------------------------------


def write_reviewed(frame: pd.DataFrame, path) -> Path:
    """Write reviewed posts (CSV, TSV, JSONL or Parquet by the name), atomically.

    In CSV/TSV, a cell a spreadsheet would run as a formula gets a leading ``'``
    (:func:`~misinfo_clf._io.escape_cell`); :func:`read_reviewed` removes it.
    """
    from ._formats import escape_cell, escape_column, infer_format, text_safe

    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"directory {path.parent} does not exist (writing {path}).")
    fmt = infer_format(path)
    tmp = path.with_name(f".{path.name}.tmp")
    df = frame.copy()
    texty = [
        c for c in df.columns if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype)
    ]
    for c in texty:
        df[c] = df[c].astype(object).map(text_safe)
    if fmt in ("csv", "tsv"):
        safe = pd.DataFrame(
            {escape_cell(c): (escape_column(df[c]) if c in texty else df[c]) for c in df.columns}
        )
        safe.to_csv(
            tmp,
            sep="," if fmt == "csv" else "\t",
            index=False,
            lineterminator="\n",
            encoding="utf-8",
            compression="infer" if path.suffix == ".gz" else None,
            quoting=1 if any(_has_cr(df[c]) for c in df.columns) else 0,
        )
    elif fmt == "jsonl":
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            for rec in df.to_dict("records"):
                rec = {k: (None if _missing(v) else v) for k, v in rec.items()}
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        df.to_parquet(tmp, index=False)
    tmp.replace(path)
    return path


def _has_cr(s: pd.Series) -> bool:
    return s.dtype == object and any(isinstance(v, str) and "\r" in v for v in s)


def read_reviewed(data) -> pd.DataFrame:
    """Reviewed posts from a file written by ``review-import`` (or a DataFrame of them).

    Ids, texts and labels come back as text, exactly (the CSV formula prefix removed);
    ``<head>_prob`` as numbers. Raises ValueError when ``id`` or ``text`` is missing.
    """
    from ._formats import infer_format, unescape_cell
    from ._io import _read_delimited, _read_jsonl

    if isinstance(data, pd.DataFrame):
        df = data.copy()
        where = "the reviewed DataFrame"
    else:
        path = Path(data)
        where = str(path)
        if not path.is_file():
            raise FileNotFoundError(f"reviewed file {path} not found.")
        fmt = infer_format(path)
        if fmt in ("csv", "tsv"):
            sep = "," if fmt == "csv" else "\t"
            header = pd.read_csv(path, sep=sep, nrows=0, encoding="utf-8", compression="infer")
            df = _read_delimited(path, sep, list(header.columns))
            df = pd.DataFrame(
                {unescape_cell(c): df[c].map(unescape_cell) for c in df.columns}, index=df.index
            )
        elif fmt == "jsonl":
            df = _read_jsonl(path)
        else:
            df = pd.read_parquet(path)
    missing = [c for c in ("id", TEXT) if c not in df.columns]
    if missing:
        raise ValueError(
            f"{where}: column(s) {missing} not found; a file written by `misinfo-clf "
            f"review-import` has them. Columns found: {list(df.columns)}."
        )
    for c in df.columns:
        if str(c).endswith("_prob"):
            df[c] = pd.to_numeric(df[c], errors="coerce")
        elif df[c].dtype != object:
            df[c] = df[c].map(lambda v: None if _missing(v) else _str(v)).astype(object)
    return df.reset_index(drop=True)


def reviewed_heads(frame: pd.DataFrame) -> list[str]:
    """The heads of a reviewed frame (the columns that have a ``<head>_predicted``)."""
    return [c[: -len("_predicted")] for c in frame.columns if str(c).endswith("_predicted")]
