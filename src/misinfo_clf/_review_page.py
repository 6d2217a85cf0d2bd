"""The review page: one self-contained HTML file built from a review queue.

A reviewer opens it in a browser, offline: a summary (posts, counts per head and band,
a score histogram per head), then the queue in priority order, one card per post with
its scores, its text with the reasons' spans marked in one colour per head, the reasons
per head, notes, context columns and a link to the post. Near-duplicate groups are
collapsed behind a toggle. Filters by decision, head and band and a search box hide and
show cards (plain JavaScript, no network, no external file).

Post text is hostile: every value from the queue is HTML-escaped, links are made only
for ``http``/``https`` URLs, the filter data is JSON with ``<``, ``>``, ``&`` and
U+2028/U+2029 escaped, and lone surrogates become U+FFFD.

This module only reads a queue table (see :func:`~misinfo_clf.build_queue`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ._explain import parse_reasons
from ._thresholds import SEVERITY
from ._validation import check_columns

__all__ = ["render_review_page", "write_review_page", "read_queue"]

DEFAULT_TITLE = "Review queue"
DEFAULT_MAX_POSTS = 5000

# colours of the known heads; other heads take the next free colour of the palette
_HEAD_COLOURS = {"misinformation": "#ffd166", "harmful": "#ff9aa2", "scam": "#a0c4ff"}
_PALETTE = ["#b5e48c", "#ffc6ff", "#9bf6ff", "#fdffb6", "#ffadad", "#caffbf", "#bdb2ff"]
# display order of bands; severity for ties beyond SEVERITY (abstain sits above pass)
_BAND_ORDER = ["flag", "review", "abstain", "pass", "error"]
_EXTRA_SEVERITY = {"abstain": 0.5, "error": -1}
_URL_COLS = {"url", "link", "permalink"}
_URL_RE = re.compile(r"https?://[^\s\"'<>`\x00-\x1f\x7f]+", re.IGNORECASE)
_SURROGATES = re.compile("[\ud800-\udfff]")
_BINS = 10


def _clean(value) -> str:
    """``value`` as text that can be written as UTF-8 (lone surrogates -> U+FFFD)."""
    return _SURROGATES.sub("\ufffd", value if isinstance(value, str) else str(value))


def _esc(value) -> str:
    return html.escape(_clean(value), quote=True)


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _severity(band) -> float:
    return SEVERITY.get(band, _EXTRA_SEVERITY.get(band, -2))


def _band_sort_key(band: str):
    return (_BAND_ORDER.index(band) if band in _BAND_ORDER else len(_BAND_ORDER), band)


def _band(band: str, extra: str = "") -> str:
    """A band badge; its class comes from a fixed list, never from the data."""
    cls = f"b-{band}" if band in _BAND_ORDER else "b-other"
    return f'<span class="band {cls}{" " + extra if extra else ""}">{_esc(band)}</span>'


def _is_http_url(value) -> bool:
    return isinstance(value, str) and _URL_RE.fullmatch(value.strip()) is not None


def _json_for_script(obj) -> str:
    """JSON safe to embed in ``<script type="application/json">``."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, rep in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, rep)
    return text


def _valid_span(r: dict, n: int) -> bool:
    s, e = r.get("start"), r.get("end")
    return (
        isinstance(s, int)
        and isinstance(e, int)
        and not isinstance(s, bool)
        and not isinstance(e, bool)
        and 0 <= s < e <= n
    )


class _Heads:
    """Heads found in the queue (from the ``<head>_decision`` columns), with CSS classes."""

    def __init__(self, columns):
        self.names = [c[: -len("_decision")] for c in columns if c.endswith("_decision")]
        self.css: dict[str, str] = {}
        self.combos: set[tuple[str, ...]] = set()  # classes of marks shared by several heads
        self.colour: dict[str, str] = {}
        free = iter(_PALETTE * (1 + len(self.names) // len(_PALETTE)))
        used: set[str] = set()
        for i, h in enumerate(self.names):
            slug = re.sub(r"[^a-z0-9]+", "-", h.lower()).strip("-") or "head"
            cls = f"h-{slug}" if f"h-{slug}" not in used else f"h-{slug}-{i}"
            used.add(cls)
            self.css[h] = cls
            self.colour[h] = _HEAD_COLOURS.get(h) or next(free)


def _marked_text(text: str, spans: list[dict], heads: _Heads) -> str:
    """The post as HTML with each reason span in a ``<mark>`` of its head's class.

    Overlapping spans are drawn as one mark (its extent is the union, in ``data-start``
    and ``data-end``) carrying the classes of all its heads; its tooltip lists them.
    """
    n = len(text)
    items = sorted((r for r in spans if _valid_span(r, n)), key=lambda r: (r["start"], r["end"]))
    merged: list[list] = []
    for r in items:
        if merged and r["start"] < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], r["end"])
            merged[-1][2].append(r)
        else:
            merged.append([r["start"], r["end"], [r]])
    parts, pos = [], 0
    for start, end, rs in merged:
        hs = list(dict.fromkeys(str(r.get("head")) for r in rs))
        css = tuple(dict.fromkeys(heads.css.get(h, "h-other") for h in hs))
        if len(css) > 1:
            heads.combos.add(css)
        tip = "; ".join(f"{r.get('head')} {_fmt_weight(r.get('weight'))}{_feature(r)}" for r in rs)
        parts.append(_esc(text[pos:start]))
        parts.append(
            f'<mark class="{" ".join(css)}" data-start="{start}" data-end="{end}" '
            f'title="{_esc(tip)}">{_esc(text[start:end])}</mark>'
        )
        pos = end
    parts.append(_esc(text[pos:]))
    return "".join(parts)


def _feature(r: Mapping) -> str:
    """`` (feature: X)`` when the model's feature differs from the span's text."""
    f, t = r.get("feature"), r.get("text")
    if _missing(f) or f == "" or (isinstance(t, str) and str(f) == t.lower()):
        return ""
    return f" (feature: {_clean(f)})"


def _fmt_weight(w) -> str:
    try:
        return f"{float(w):+.3f}"
    except (TypeError, ValueError):
        return _clean(w)


def _fmt_prob(p) -> str:
    return "–" if _missing(p) else f"{float(p):.3f}"


def _fmt_share(x) -> str:
    try:
        return f"{100 * float(x):.2f}%"
    except (TypeError, ValueError):
        return _clean(x)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(value)


class _Layout:
    """Which queue columns play which part."""

    def __init__(self, queue: pd.DataFrame, id_col: str | None):
        cols = [str(c) for c in queue.columns]
        missing = [c for c in ("text", "decision") if c not in cols]
        if missing:
            hint = (
                " This looks like a scored file (`score -o`): pass the file written by "
                "`score --queue` instead."
                if "status" in cols and "text" not in cols
                else ""
            )
            raise ValueError(
                f"the queue has no column(s) {missing}; a queue written by "
                f"`misinfo-clf score --queue` has them. Columns found: {cols}.{hint}"
            )
        check_columns(cols, [id_col], role="id", hint="Pass the queue's id column (--id-col).")
        self.id_col = id_col
        self.heads = _Heads(cols)
        known = {"group_id", "group_size", "text", "decision", "reasons", "status", "error"}
        # the library's deciding head orders the reasons; why repeats them as a line
        known |= {"deciding_head", "why", "signals", "reach", "model_version"}
        known |= {id_col} if id_col else set()
        for h in self.heads.names:
            known |= {f"{h}_prob", f"{h}_label", f"{h}_decision"}
        self.context = [c for c in cols if c not in known]


def _histograms(queue: pd.DataFrame, heads: _Heads) -> str:
    out = []
    w, h, pad = 220, 70, 14
    bw = w / _BINS
    for name in heads.names:
        col = f"{name}_prob"
        if col not in queue.columns:
            continue
        p = pd.to_numeric(queue[col], errors="coerce").to_numpy(dtype=float)
        p = p[np.isfinite(p)]
        counts, _ = np.histogram(np.clip(p, 0, 1), bins=_BINS, range=(0, 1))
        top = max(int(counts.max()) if len(counts) else 0, 1)
        bars = []
        for i, c in enumerate(counts):
            bh = (h - 4) * c / top
            lo, hi = i / _BINS, (i + 1) / _BINS
            bars.append(
                f'<rect x="{i * bw + 1:.1f}" y="{h - bh:.1f}" width="{bw - 2:.1f}" '
                f'height="{bh:.1f}" fill="{heads.colour[name]}" stroke="#555" stroke-width="0.5">'
                f"<title>{lo:.1f}–{hi:.1f}: {int(c)} posts</title></rect>"
            )
        axis = (
            f'<line x1="0" y1="{h}" x2="{w}" y2="{h}" stroke="#555"/>'
            f'<text x="0" y="{h + pad - 2}">0</text>'
            f'<text x="{w / 2}" y="{h + pad - 2}" text-anchor="middle">0.5</text>'
            f'<text x="{w}" y="{h + pad - 2}" text-anchor="end">1</text>'
        )
        out.append(
            f'<figure class="hist"><figcaption><span class="swatch {heads.css[name]}"></span>'
            f"{_esc(name)} score <small>(tallest bar: {top:,} posts)</small></figcaption>"
            f'<svg width="{w}" height="{h + pad}" viewBox="0 0 {w} {h + pad}" role="img" '
            f'aria-label="{_esc(name)} score histogram">{"".join(bars)}{axis}</svg></figure>'
        )
    return "".join(out)


def _summary_html(
    queue: pd.DataFrame, lay: _Layout, summary: Mapping | None, n_cards: int, queue_path
) -> str:
    n = len(queue)
    groups = queue["group_id"].nunique() if "group_id" in queue.columns else n
    facts = [f"<div><b>{n:,}</b> posts in the queue</div>", f"<div><b>{groups:,}</b> groups</div>"]
    summary = dict(summary or {})
    if summary.get("rows_scored") is not None:
        facts.append(f"<div><b>{int(summary['rows_scored']):,}</b> posts scored</div>")
    shares = [
        (label, summary[k])
        for k, label in (
            ("expected_queue_share", "expected"),
            ("observed_queue_share", "observed"),
        )
        if summary.get(k) is not None
    ]
    if shares:
        facts.append(
            "<div>queue share: "
            + ", ".join(f"{label} <b>{_fmt_share(v)}</b>" for label, v in shares)
            + "</div>"
        )
    decisions = queue["decision"].astype(object).where(queue["decision"].notna(), "?")
    dcounts = decisions.map(_clean).value_counts()
    dec_txt = ", ".join(
        f"{_band(d)} {int(c):,}"
        for d, c in sorted(dcounts.items(), key=lambda kv: _band_sort_key(kv[0]))
    )
    facts.append(f"<div>decision: {dec_txt}</div>")
    # counts per head and band
    bands: set[str] = set()
    per_head = {}
    for h in lay.heads.names:
        vc = queue[f"{h}_decision"].astype(object).where(queue[f"{h}_decision"].notna(), "–")
        per_head[h] = vc.map(_clean).value_counts()
        bands |= set(per_head[h].index)
    bands_sorted = sorted(bands, key=_band_sort_key)
    head_row = "".join(f"<th>{_band(b)}</th>" for b in bands_sorted)
    rows = "".join(
        f'<tr><th><span class="swatch {lay.heads.css[h]}"></span>{_esc(h)}</th>'
        + "".join(f"<td>{int(per_head[h].get(b, 0)):,}</td>" for b in bands_sorted)
        + "</tr>"
        for h in lay.heads.names
    )
    table = (
        f'<table class="counts"><thead><tr><th>head \\ band</th>{head_row}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        if lay.heads.names
        else ""
    )
    cap = ""
    if n_cards < n:
        where = (
            f" the full queue is in <code>{_esc(queue_path)}</code>"
            if queue_path
            else (" the full queue is in the queue file")
        )
        cap = (
            f'<p class="cap" id="cap-note">Showing the first {n_cards:,} of {n:,} posts;'
            f"{where}. The counts and histograms above cover all {n:,} posts.</p>"
        )
    return (
        f'<section class="summary"><div class="facts">{"".join(facts)}</div>'
        f'<div class="charts">{table}{_histograms(queue, lay.heads)}</div>{cap}</section>'
    )


def _card_html(row: Mapping, i: int, lay: _Layout, rank: int, dup: bool) -> tuple[str, list]:
    heads = lay.heads
    raw = row.get("text")
    text = "" if _missing(raw) else _clean(raw)
    spans, notes = parse_reasons(row.get("reasons"))
    if _missing(raw):
        notes.append({"code": "no_text"})
    n_bad = sum(not _valid_span(r, len(text)) for r in spans)
    if n_bad:
        notes.append({"code": "span_out_of_range", "count": n_bad})
    status = row.get("status")
    if not _missing(status) and str(status) != "ok":
        err = row.get("error")
        notes.append({"code": f"status: {status}", **({} if _missing(err) else {"error": err})})
    decision = "?" if _missing(row.get("decision")) else _clean(row["decision"])
    bands, probs = {}, {}
    for h in heads.names:
        b = row.get(f"{h}_decision")
        bands[h] = "–" if _missing(b) else _clean(b)
        p = row.get(f"{h}_prob")
        probs[h] = None if _missing(p) else _to_float(p)
    # deciding head first: most severe band, then highest probability
    order = sorted(
        heads.names,
        key=lambda h: (-_severity(bands[h]), -(probs[h] if probs[h] is not None else -1)),
    )
    decider = row.get("deciding_head")
    if not _missing(decider) and str(decider) in order:  # the library's one definition
        order.remove(str(decider))
        order.insert(0, str(decider))
    pid = "" if lay.id_col is None else row.get(lay.id_col)
    pid = f"#{i + 1}" if _missing(pid) else _cell_text(pid)
    scores = []
    for h in order:
        p = probs[h]
        width = 0 if p is None or not math.isfinite(p) else max(0, min(100, round(100 * p)))
        scores.append(
            f'<span class="score">{_esc(h)} <span class="bar"><span class="{heads.css[h]}" '
            f'style="width:{width}%"></span></span> {_fmt_prob(p)} {_band(bands[h])}</span>'
        )
    link = ""
    ctx = []
    for c in lay.context:
        v = row.get(c)
        if _missing(v) or (isinstance(v, str) and not v.strip()):
            continue
        sv = _cell_text(v)
        if _is_http_url(sv):
            href = _esc(sv.strip())
            val = f'<a href="{href}">{_esc(sv)}</a>'
            if not link and c.lower() in _URL_COLS:
                link = f'<a class="open" href="{href}">open post ↗</a>'
        else:
            val = _esc(sv)
        ctx.append(f'<dt>{_esc(c)}</dt><dd class="s">{val}</dd>')
    by_head: dict[str, list] = {}
    for r in spans:
        by_head.setdefault(str(r.get("head")), []).append(r)
    reason_rows = []
    for h in order + [h for h in by_head if h not in heads.names]:
        rs = by_head.get(h)
        if not rs:
            continue
        chips = "".join(
            (f'<i title="{_esc(_feature(r)[2:-1])}">' if _feature(r) else "<i>")
            + f"{_esc(r.get('text', ''))} <small>{_esc(_fmt_weight(r.get('weight')))}</small></i>"
            for r in rs
        )
        rcls = "r-" + heads.css.get(h, "h-other")[2:]
        reason_rows.append(
            f'<div class="rh"><span class="hname">{_esc(h)}</span>'
            f'<span class="s {rcls}">{chips}</span></div>'
        )
    sig = row.get("signals")  # what the post carries besides words: badges, not spans
    if not _missing(sig) and str(sig).strip():
        notes = [{"code": x.strip()} for x in str(sig).split("·") if x.strip()] + notes
    note_html = "".join(_note(n) for n in notes)
    html_ = (
        f'<article class="card{" dup" if dup else ""}" data-i="{i}">'
        f'<header><span class="rank">{rank}</span><span class="pid s">{_esc(pid)}</span>'
        f"{_band(decision, 'dec')}"
        f"{''.join(scores)}{link}</header>"
        f'<p class="text s">{_marked_text(text, spans, heads)}</p>'
        + (f'<div class="reasons">{"".join(reason_rows)}</div>' if reason_rows else "")
        + (f'<div class="notes">{note_html}</div>' if note_html else "")
        + (f'<dl class="ctx">{"".join(ctx)}</dl>' if ctx else "")
        + "</article>"
    )
    return html_, [decision, [bands[h] for h in heads.names]]


def _note(n: Mapping) -> str:
    """A note badge: its code, with its other fields as tooltip."""
    rest = {k: v for k, v in n.items() if k != "code"}
    tip = f' title="{_esc(json.dumps(rest, ensure_ascii=False, default=str))}"' if rest else ""
    return f'<span class="note"{tip}>{_esc(n.get("code"))}</span>'


def _to_float(p):
    try:
        return float(p)
    except (TypeError, ValueError):
        return None


def _combo_css(classes: tuple[str, ...], colour: dict[str, str]) -> str:
    """A mark shared by several heads: horizontal stripes, one per head."""
    k = len(classes)
    stops = ",".join(
        f"{colour.get(c, '#ddd')} {100 * i / k:.0f}% {100 * (i + 1) / k:.0f}%"
        for i, c in enumerate(classes)
    )
    return f"mark.{'.'.join(classes)}{{background:linear-gradient(180deg,{stops})}}"


def _filters_html(lay: _Layout, decisions: list[str], head_bands: dict[str, list[str]]) -> str:
    dec = "".join(
        f'<label><input type="checkbox" class="f-dec" value="{_esc(d)}" checked> {_band(d)}</label>'
        for d in decisions
    )
    heads = "".join(
        f'<fieldset class="f-head" data-h="{k}"><legend><span class="swatch {lay.heads.css[h]}">'
        f"</span>{_esc(h)} band</legend>"
        + "".join(
            f'<label><input type="checkbox" class="f-band" data-h="{k}" value="{_esc(b)}" checked>'
            f" {_band(b)}</label>"
            for b in head_bands[h]
        )
        + "</fieldset>"
        for k, h in enumerate(lay.heads.names)
    )
    return (
        '<section class="filters" id="filters">'
        f"<fieldset><legend>decision</legend>{dec}</fieldset>{heads}"
        '<input type="search" id="search" placeholder="search text, id, reasons, context…" '
        'aria-label="search">'
        '<span id="counter" aria-live="polite"></span>'
        '<button type="button" id="expand-all">expand all groups</button>'
        "</section>"
    )


def render_review_page(
    queue: pd.DataFrame,
    *,
    id_col: str | None = "id",
    title: str = DEFAULT_TITLE,
    summary: Mapping | None = None,
    max_posts: int = DEFAULT_MAX_POSTS,
    queue_path=None,
) -> str:
    """The review page of a queue, as one self-contained HTML document.

    Parameters
    ----------
    queue : DataFrame
        A review queue (:func:`~misinfo_clf.build_queue`, or read back from the file
        written by ``misinfo-clf score --queue``): ``text``, ``decision``, ``reasons``,
        ``<head>_prob`` and ``<head>_decision`` per head, ``group_id``/``group_size``,
        the id column; any other column is shown as context (``url``, ``link`` and
        ``permalink`` columns, and any ``http(s)`` value, become links).
    id_col : str or None, default="id"
        The id column (``None``: posts are numbered by their queue position).
    title : str
        The page title.
    summary : mapping, optional
        Shown at the top when present: ``rows_scored``, ``expected_queue_share``,
        ``observed_queue_share``.
    max_posts : int, default=5000
        At most this many posts (the first ones, in queue order) get a card; the page
        says so. Counts and histograms always cover the whole queue.
    queue_path : str or Path, optional
        Named in the note shown when the queue is capped.

    Returns
    -------
    str
        The HTML document. All queue values are escaped; it loads nothing from the
        network.
    """
    if not isinstance(queue, pd.DataFrame):
        raise TypeError(f"queue must be a pandas DataFrame, got {type(queue).__name__}.")
    if isinstance(max_posts, bool) or not isinstance(max_posts, int | np.integer) or max_posts < 1:
        raise ValueError(f"max_posts must be a positive integer, got {max_posts!r}.")
    queue = queue.reset_index(drop=True)
    queue.columns = [str(c) for c in queue.columns]
    lay = _Layout(queue, id_col)
    shown = queue.iloc[: int(max_posts)]
    records = shown.to_dict("records")
    gids = shown["group_id"].tolist() if "group_id" in shown.columns else list(range(len(shown)))
    groups: dict = {}
    for i, g in enumerate(gids):
        groups.setdefault(("na", i) if _missing(g) else g, []).append(i)
    body, data = [], []
    rank = 0
    for members in groups.values():
        rank += 1
        cards = []
        for j, i in enumerate(members):
            card, d = _card_html(records[i], i, lay, rank, dup=j > 0)
            cards.append(card)
            data.append((i, d))
        toggle = (
            f'<button type="button" class="toggle" aria-expanded="false">'
            f"show {len(members) - 1} similar post{'s' if len(members) > 2 else ''}</button>"
            if len(members) > 1
            else ""
        )
        body.append(
            f'<section class="group" data-size="{len(members)}">{cards[0]}{toggle}'
            f"{''.join(cards[1:])}</section>"
        )
    data.sort()
    decisions = sorted({d[0] for _, d in data}, key=_band_sort_key)
    head_bands = {
        h: sorted({d[1][k] for _, d in data}, key=_band_sort_key)
        for k, h in enumerate(lay.heads.names)
    }
    payload = {
        "heads": lay.heads.names,
        "total": len(queue),
        "rows": [[d[0], d[1]] for _, d in data],
    }
    col = {lay.heads.css[h]: lay.heads.colour[h] for h in lay.heads.names}
    css_heads = "".join(
        f".{c},.r-{c[2:]} i{{background:{colour}}}" for c, colour in col.items()
    ) + "".join(_combo_css(combo, col) for combo in sorted(lay.heads.combos))
    empty = "" if len(queue) else '<p class="empty">The queue is empty: no post to review.</p>'
    doc = (
        "<!DOCTYPE html>\n"
        '<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"style-src 'unsafe-inline'; script-src '{_JS_HASH}'; img-src 'none'; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'\">"
        '<meta name="referrer" content="no-referrer"><base target="_blank">'
        f"<title>{_esc(title)}</title><style>{_CSS}{css_heads}</style></head><body>"
        f"<h1>{_esc(title)}</h1>"
        + (f'<p class="sub">from <code>{_esc(queue_path)}</code></p>' if queue_path else "")
        + f"{_summary_html(queue, lay, summary, len(shown), queue_path)}"
        + (_LEGEND if len(queue) else "")
        + f"{_filters_html(lay, decisions, head_bands) if len(queue) else ''}"
        f'<main id="queue">{empty}{"".join(body)}</main>'
        f'<script type="application/json" id="queue-data">{_json_for_script(payload)}</script>'
        f"<script>{_JS}</script></body></html>\n"
    )
    return _clean(doc)


def write_review_page(
    queue: pd.DataFrame,
    path,
    *,
    id_col: str | None = "id",
    title: str = DEFAULT_TITLE,
    summary: Mapping | None = None,
    max_posts: int = DEFAULT_MAX_POSTS,
    queue_path=None,
) -> Path:
    """Write :func:`render_review_page` to ``path`` (UTF-8, atomically); return the path."""
    path = Path(path)
    doc = render_review_page(
        queue,
        id_col=id_col,
        title=title,
        summary=summary,
        max_posts=max_posts,
        queue_path=queue_path,
    )
    if not path.parent.is_dir():
        raise FileNotFoundError(f"directory {path.parent} does not exist (writing {path}).")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(doc, encoding="utf-8")
    tmp.replace(path)
    return path


def queue_from_scored(
    scored,
    source,
    *,
    id_col: str | None = "id",
    text_col: str = "text",
    thresholds=None,
    exclude=None,
):
    """The review queue rebuilt from a scored file and the dump it was scored from.

    ``score`` writes one output row per input row, in order, so the texts are taken from
    ``source`` by position (the ids must agree where both files have them). Nothing is
    scored again; reach columns of the source order the queue as in ``score``.
    ``thresholds`` (``{head: Thresholds or {"flag": .., "review": ..}}``) re-bands the
    stored scores first (:func:`~misinfo_clf._queue.reband`). ``exclude`` (a callable
    taking the queue and returning it filtered) drops rows, e.g. posts already reviewed.
    """
    from ._formats import read_output
    from ._io import read_table
    from ._queue import build_queue, reach_of

    out = read_output(scored)
    src = read_table(source, text_col=text_col)
    if len(out) != len(src):
        raise ValueError(
            f"{scored} has {len(out)} rows but {source} has {len(src)}: a scored file and "
            "its input have the same rows, in the same order."
        )
    if id_col and id_col in out.columns and id_col in src.columns:
        a = out[id_col].astype(str).to_numpy()
        b = src[id_col].astype(str).to_numpy()
        if (a != b).any():
            row = int((a != b).argmax()) + 1
            raise ValueError(
                f"{scored} and {source} disagree on {id_col!r} at data row {row} "
                f"({a[row - 1]!r} vs {b[row - 1]!r}): not the input this file was scored from."
            )
    for col in out.columns:
        if col.endswith("_prob"):
            out[col] = pd.to_numeric(out[col], errors="coerce")
    if thresholds:
        from ._queue import reband

        out = reband(out, thresholds)
    texts = src[text_col].where(src[text_col].notna(), "").astype(str).tolist()
    queue = build_queue(
        out, texts, id_col=id_col if id_col in out.columns else None, reach=reach_of(src)
    )
    return queue if exclude is None else exclude(queue)


def read_queue(path, *, format: str | None = None) -> pd.DataFrame:
    """Read a queue file written by ``misinfo-clf score --queue`` (CSV/TSV/JSONL/Parquet).

    Text columns are read as text (ids keep their leading zeros); in CSV/TSV files a
    leading ``'`` put before ``= + - @`` to stop spreadsheet formulas is removed.
    """
    import io

    from ._formats import infer_format, unescape_cell
    from ._io import _open_bytes, _read_delimited, _read_jsonl

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"queue file {path} not found.")
    fmt = infer_format(path, format)
    if fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        try:
            header = pd.read_csv(path, sep=sep, nrows=0, encoding="utf-8", compression="infer")
        except (pd.errors.EmptyDataError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise ValueError(f"{path}: not a readable queue file ({exc}).") from None
        numeric = {"group_id", "group_size"} | {c for c in header.columns if c.endswith("_prob")}
        df = _read_delimited(path, sep, [c for c in header.columns if c not in numeric])
        for c in df.columns:
            if c in numeric:
                df[c] = pd.to_numeric(df[c], errors="coerce")
            elif df[c].dtype == object:
                df[c] = df[c].map(unescape_cell)
        df.columns = [unescape_cell(c) for c in df.columns]
    elif fmt == "jsonl":
        df = _read_jsonl(path)
    else:
        try:
            df = pd.read_parquet(io.BytesIO(_open_bytes(path)))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable Parquet file ({exc}).") from None
    return df


_LEGEND = (
    '<p class="legend">Posts in queue order, riskiest group first. Marked words raised a '
    "head's score (one colour per head); the numbers are their weights. Near-duplicate "
    "posts are grouped: the riskiest is shown, the others behind the toggle.</p>"
)

_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
margin:0 auto;padding:12px 20px 40px;max-width:1100px;color:#1d1d1f;background:#f4f5f7}
h1{font-size:20px;margin:4px 0 10px}.sub{margin:-8px 0 8px;color:#555;font-size:12px}
.legend{font-size:12px;color:#555;margin:8px 2px 0}figcaption small{color:#777}
.summary{background:#fff;border:1px solid #d8dbe0;border-radius:8px;padding:10px 14px}
.facts{display:flex;flex-wrap:wrap;gap:6px 22px;margin-bottom:8px}
.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
table.counts{border-collapse:collapse;font-size:13px}
table.counts th,table.counts td{border:1px solid #e1e3e8;padding:3px 8px;text-align:right}
table.counts th:first-child{text-align:left}
figure.hist{margin:0}figure.hist figcaption{font-size:12px;color:#444}
figure.hist text{font-size:9px;fill:#555}
.cap{margin:8px 0 0;padding:6px 10px;background:#fff4ce;border:1px solid #e8c547;border-radius:6px}
.filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:6px 14px;
align-items:center;background:#f4f5f7;padding:8px 0;margin:8px 0;border-bottom:1px solid #d8dbe0}
.filters fieldset{border:1px solid #d8dbe0;border-radius:6px;padding:2px 8px;margin:0;background:#fff}
.filters legend{font-size:11px;color:#555;padding:0 3px}
.filters label{margin-right:6px;white-space:nowrap}
#search{flex:1 1 220px;padding:6px 8px;border:1px solid #b9bec7;border-radius:6px;font:inherit}
#counter{font-weight:600;white-space:nowrap}
button{font:inherit;font-size:12px;border:1px solid #b9bec7;background:#fff;border-radius:5px;
padding:2px 8px;cursor:pointer}
.group{background:#fff;border:1px solid #d8dbe0;border-radius:8px;margin:10px 0;padding:2px 12px 4px;
content-visibility:auto;contain-intrinsic-size:auto 170px}
.card{padding:8px 0 4px}.card.dup{border-top:1px dashed #ccd;display:none}
.group.open .card.dup,.card.dup.lead{display:block}.card.lead{border-top:0}
.card header{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;font-size:13px}
.rank{color:#888;font-size:12px}.rank:before{content:"#"}
.pid{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.score{white-space:nowrap}
.bar{display:inline-block;width:46px;height:8px;background:#eceef2;border-radius:4px;
vertical-align:middle;overflow:hidden;border:1px solid #d0d3d9}
.bar span{display:block;height:100%}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;
vertical-align:-1px;border:1px solid #0003}
.band{display:inline-block;padding:0 6px;border-radius:9px;font-size:12px;background:#e4e6ea;color:#333}
.b-flag{background:#c62828;color:#fff}.b-review{background:#f0a500;color:#222}
.b-pass{background:#e4e6ea;color:#555}.b-abstain{background:#cfd8dc;color:#333}
.b-error{background:#6d4c41;color:#fff}.b-other{background:#e4e6ea}
.band.dec{font-weight:600;text-transform:uppercase;letter-spacing:.03em}
.open{margin-left:auto}
.text{font-size:15px;margin:6px 0;white-space:pre-wrap;overflow-wrap:anywhere}
mark{border-radius:3px;padding:0 1px;color:inherit}
mark.h-other{background:#ddd}
.reasons{font-size:12px;display:grid;grid-template-columns:max-content 1fr;gap:3px 8px}
.rh{display:contents}.hname{color:#555;font-weight:600}
.rh i{font-style:normal;display:inline-block;border-radius:4px;padding:0 5px;margin:0 4px 2px 0}
.rh i small{color:#444}
.notes{margin-top:4px}
.note{display:inline-block;font-size:11px;background:#eef;border:1px solid #99c;color:#225;
border-radius:9px;padding:0 7px;margin-right:4px}
dl.ctx{display:grid;grid-template-columns:max-content 1fr;gap:1px 10px;font-size:12px;
color:#444;margin:6px 0 0}
dl.ctx dt{color:#777}dl.ctx dd{margin:0;overflow-wrap:anywhere}
.toggle{margin:0 0 4px}
.hidden{display:none!important}
.empty{font-style:italic}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("queue-data").textContent);
  var groups = Array.prototype.slice.call(document.querySelectorAll("#queue > .group"));
  var cardsByI = {};
  var all = document.querySelectorAll("#queue .card");
  for (var k = 0; k < all.length; k++) cardsByI[all[k].getAttribute("data-i")] = all[k];
  var hay = null;
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0111/g, "d");
  }
  function haystacks() {
    if (hay) return hay;
    hay = {};
    for (var i in cardsByI) {
      var parts = cardsByI[i].querySelectorAll(".s"), t = [];
      for (var j = 0; j < parts.length; j++) t.push(parts[j].textContent);
      hay[i] = fold(t.join(" \u0000 "));
    }
    return hay;
  }
  function checked(sel) {
    var out = {}, els = document.querySelectorAll(sel);
    for (var i = 0; i < els.length; i++) {
      var h = els[i].getAttribute("data-h") || "";
      if (!out[h]) out[h] = {};
      if (els[i].checked) out[h][els[i].value] = true;
    }
    return out;
  }
  function matches(i, dec, bands, q) {
    var row = data.rows[i];
    if (!dec[""] || !dec[""][row[0]]) return false;
    for (var h = 0; h < row[1].length; h++) {
      if (bands[h] && !bands[h][row[1][h]]) return false;
    }
    if (q && haystacks()[i].indexOf(q) < 0) return false;
    return true;
  }
  function apply() {
    var dec = checked(".f-dec"), bands = checked(".f-band");
    var q = fold(document.getElementById("search").value.trim());
    var shown = 0, gshown = 0;
    groups.forEach(function (g) {
      var cards = g.querySelectorAll(".card"), first = true, extra = 0;
      var open = g.classList.contains("open");
      for (var j = 0; j < cards.length; j++) {
        var c = cards[j], ok = matches(+c.getAttribute("data-i"), dec, bands, q);
        if (ok) shown++;
        if (ok && !first) extra++;
        c.classList.toggle("hidden", !ok);
        c.classList.toggle("lead", ok && first);
        if (ok) first = false;
      }
      g.classList.toggle("hidden", first);
      if (!first) gshown++;
      var t = g.querySelector(".toggle");
      if (t) {
        t.classList.toggle("hidden", extra === 0);
        t.textContent = (open ? "hide " : "show ") + extra + " similar post" + (extra === 1 ? "" : "s");
        t.setAttribute("aria-expanded", open ? "true" : "false");
      }
    });
    count(shown, gshown);
  }
  function count(shown, gshown) {
    var total = data.rows.length;
    document.getElementById("counter").textContent =
      "showing " + shown + " of " + total + " posts (" + gshown + " groups)" +
      (data.total > total ? "; " + data.total + " in the queue" : "");
  }
  var timer = null;
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches(".f-dec, .f-band")) apply();
  });
  var search = document.getElementById("search");
  if (search) search.addEventListener("input", function () {
    clearTimeout(timer); timer = setTimeout(apply, 150);
  });
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains("toggle")) {
      t.parentNode.classList.toggle("open"); apply();
    } else if (t.id === "expand-all") {
      var anyClosed = groups.some(function (g) {
        return g.querySelector(".toggle") && !g.classList.contains("open");
      });
      groups.forEach(function (g) { g.classList.toggle("open", anyClosed); });
      t.textContent = anyClosed ? "collapse all groups" : "expand all groups";
      apply();
    }
  });
  // the page opens with every post matching: no need to touch the cards
  if (document.getElementById("counter")) count(data.rows.length, groups.length);
})();
"""

# only this script may run (Content-Security-Policy): an injected script or event
# handler would be blocked even if escaping ever failed
_JS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_JS.encode()).digest()).decode()
