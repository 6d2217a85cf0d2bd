"""The review queue: flagged and reviewed posts, riskiest first, near duplicates grouped.

A copied rumour should be judged once, so posts whose normalized, accent-stripped
syllables share most of their 3-syllable shingles fall in one group. Similarity is
estimated with MinHash signatures and candidate pairs come from LSH banding (a few
dozen lines of numpy: no extra dependency). Posts with the same normalized text are
always in the same group.

Only the queue's rows are kept (flag and review rows whose status is ``ok``; rows
that abstain, i.e. have no text, only when asked for; never error rows), with their raw
text. :func:`build_queue` holds them in memory. Batch scoring does not: each chunk's
candidates go to disk with their keys (:func:`queue_candidates_keyed`: priority, text
hash, MinHash signature; no text), and only the keys come back to group and order the
queue (:func:`groups_of_keys`, :func:`queue_order`; see ``misinfo_clf.batch._spill``).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from itertools import chain
from typing import Any, cast

import numpy as np
import pandas as pd

from ._formats import text_safe
from ._thresholds import SEVERITY
from .text import normalize_text, strip_accents, tokenize

__all__ = [
    "build_queue",
    "candidate_keys",
    "groups_of_keys",
    "near_duplicate_groups",
    "queue_candidates",
    "queue_candidates_keyed",
    "queue_order",
    "reband",
]

_PRIME = (1 << 31) - 1
_TEXT = "text"
#: ``score_chunk(canonical=True)``'s column with the canonical text (``normalize_text``)
#: scoring computed for each row that can enter the queue: the worker passes it to
#: :func:`queue_candidates_keyed` (``canonical=``), so a post is normalized once.
CANONICAL_COL = "_canonical_text"


_MONEY = re.compile(
    r"\d[\d.,]*\s*(?:k|đ|d|vnd|vnđ|triệu|trieu|tr|nghìn|nghin|ngàn|ngan|tỷ|ty|usd|\$)(?![^\W\d_])",
    re.IGNORECASE,
)


def signals(text, reach: float | None = None, canonical: str | None = None) -> str:
    """What a post carries besides words, for a reviewer's badges: ``link``, ``phone
    number``, ``e-mail``, ``money amount``, ``reach N`` (likes + comments + shares).
    ``canonical``: the post's ``normalize_text``, when the caller has it."""
    out = []
    if isinstance(text, str) and text:
        canon = normalize_text(text) if canonical is None else canonical
        for token, name in (("xxurl", "link"), ("xxphone", "phone number"), ("xxemail", "e-mail")):
            if token in canon:
                out.append(name)
        if _MONEY.search(text):
            out.append("money amount")
    if reach is not None and math.isfinite(reach) and reach > 0:
        out.append(f"reach {int(reach):,}")
    return " · ".join(out)


#: reasons per head in the queue's ``why`` column
WHY_PER_HEAD = 3


def why(reasons_json) -> str:
    """A short readable line from a ``reasons`` cell, the deciding head first:
    ``harmful: "câm mồm", "loại như mày" · misinformation: "chữa khỏi"``."""
    from ._explain import parse_reasons

    spans, codes = parse_reasons(reasons_json)
    per_head: dict[str, list[str]] = {}
    notes = [str(n["code"]) for n in codes if n["code"] != "reasons_unreadable"]
    for r in spans:
        if "text" in r:
            texts = per_head.setdefault(str(r["head"]), [])
            if len(texts) < WHY_PER_HEAD and r["text"] not in texts:
                texts.append(str(r["text"]))
    parts = [
        f"{head}: " + ", ".join(f'"{" ".join(t.split())}"' for t in texts)
        for head, texts in per_head.items()
    ]
    if notes:
        parts.append("notes: " + ", ".join(notes))
    return " · ".join(parts)


def _whys(cells) -> list[str]:
    """:func:`why` of each ``reasons`` cell; reposts share their reasons' JSON, so each
    distinct text is read once."""
    lines: dict[str, str] = {}
    out = []
    for r in cells:
        if not isinstance(r, str):
            out.append(why(r))
            continue
        line = lines.get(r)
        if line is None:
            line = lines[r] = why(r)
        out.append(line)
    return out


def _head_columns(columns: Sequence[str]) -> list[str]:
    heads = [c[: -len("_decision")] for c in columns if c.endswith("_decision")]
    out = []
    for h in heads:
        # the label too: a review tool pre-fills the model's class (HATE vs OFFENSIVE)
        out += [c for c in (f"{h}_prob", f"{h}_label", f"{h}_decision") if c in columns]
    return out


def queue_mask(scored: pd.DataFrame, abstain: bool = False) -> np.ndarray:
    """Which rows of ``scored`` go to the queue (see :func:`queue_candidates`)."""
    decisions = ["flag", "review", "abstain"] if abstain else ["flag", "review"]
    return (scored["decision"].isin(decisions) & (scored["status"] == "ok")).to_numpy()


def queue_candidates(
    scored: pd.DataFrame,
    texts: Sequence,
    id_col: str | None = "id",
    *,
    abstain: bool = False,
    reach: Sequence[float] | np.ndarray | None = None,
    context: Sequence[str] = (),
    canonical: Sequence[str | None] | None = None,
) -> pd.DataFrame:
    """The rows of ``scored`` that go to the queue, with their raw text (not yet grouped).

    ``scored`` has the :meth:`~misinfo_clf.Model.output_columns` schema; ``texts`` is
    aligned with it by position. Kept: ``decision`` in (flag, review) and status ``ok``;
    with ``abstain``, also the rows whose decision is ``abstain`` (no text to score).
    Rows with an error status are never kept. ``reach`` (likes + comments + shares,
    aligned with ``scored``; see :func:`reach_of`) becomes a ``reach`` column that
    raises a post's place in the queue. ``context`` columns of ``scored`` (url, author,
    time: see ``score_file(keep=...)``) come along unchanged. Lone surrogates in a text
    (which no file can hold) become U+FFFD. ``canonical`` (aligned with ``scored``; None
    where unknown): the texts' ``normalize_text`` when the caller has it already (the
    :data:`CANONICAL_COL` of ``score_chunk(canonical=True)``).
    """
    return _candidates(
        scored, texts, id_col, abstain=abstain, reach=reach, context=context, canonical=canonical
    )[0]


def queue_candidates_keyed(
    scored: pd.DataFrame, texts: Sequence, id_col: str | None = "id", **options: Any
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """:func:`queue_candidates` (the same arguments) and the small per-row keys the queue
    is ordered by.

    The keys (:func:`candidate_keys`: priority, a hash of the normalized text and the
    MinHash signature) let a caller group and sort many chunks' candidates without
    holding their texts, reasons or shingles (see :func:`queue_order`).
    """
    cands, canon = _candidates(scored, texts, id_col, **options)
    return cands, candidate_keys(canon, priority(cands))


def _candidates(
    scored, texts, id_col, *, abstain=False, reach=None, context=(), canonical=None
) -> tuple[pd.DataFrame, list[str]]:
    texts = list(texts)
    if len(texts) != len(scored):
        raise ValueError(
            f"scored and texts must be the same length, but scored has {len(scored)} rows "
            f"and texts has {len(texts)}."
        )
    keep = queue_mask(scored, abstain)
    id_cols = [id_col] if id_col and id_col in scored.columns else []
    cols = id_cols + [c for c in ("source",) if c in scored.columns]
    cols += ["decision"] + [c for c in ("deciding_head",) if c in scored.columns]
    cols += _head_columns(scored.columns)
    cols += [c for c in context if c in scored.columns and c not in cols]
    cols += [c for c in ("model_version",) if c in scored.columns and c not in cols] + ["reasons"]
    out = scored.loc[keep, cols].reset_index(drop=True)
    out.insert(out.columns.get_loc("reasons"), "why", _whys(out["reasons"]))
    # text_safe: a lone surrogate (from a JSON escape) cannot be stored; it becomes U+FFFD
    rows = np.flatnonzero(keep)
    kept = [text_safe(texts[i]) for i in rows]
    canon = [
        _canon(t, kept[j], None if canonical is None else canonical[i])
        for j, (i, t) in enumerate(zip(rows, (texts[i] for i in rows), strict=True))
    ]
    out.insert(len(id_cols) + ("source" in cols), _TEXT, kept)
    if reach is not None:
        counts = np.asarray(reach, dtype=float)
        if len(counts) != len(scored):
            raise ValueError(
                f"reach must be aligned with scored, but it has {len(counts)} values for "
                f"{len(scored)} rows."
            )
        out.insert(out.columns.get_loc("reasons"), "reach", counts[keep])
    out.insert(
        out.columns.get_loc("reasons"),
        "signals",
        [
            signals(t, None if reach is None else r, c)
            for t, r, c in zip(
                out[_TEXT],
                out["reach"] if reach is not None else [None] * len(out),
                canon,
                strict=True,
            )
        ],
    )
    return out, canon


def _canon(raw, safe, norm: str | None) -> str:
    """``normalize_text`` of a queue row's stored text (``safe``); ``norm`` is that of
    ``raw``, reused when the two texts are the same."""
    if not isinstance(safe, str):
        return ""
    if isinstance(norm, str) and safe is raw:
        return norm
    return normalize_text(safe)


def reband(scored: pd.DataFrame, thresholds) -> pd.DataFrame:
    """``scored`` with the decisions of other thresholds, from its stored scores.

    ``thresholds`` maps a head to a :class:`~misinfo_clf.Thresholds` (or a
    ``{"flag": .., "review": ..}`` dict); heads not named keep their decisions. Only rows
    with status ``ok`` and a score are re-banded (abstained and error rows keep theirs);
    ``decision`` and ``deciding_head`` follow. Nothing is scored again, so a post that
    reaches review only under the new thresholds has no reasons (reasons are computed
    at scoring time for heads at or above their review band).
    """
    from ._thresholds import Thresholds, band, deciding_head, overall_decision

    out = scored.copy()
    heads = [c[: -len("_decision")] for c in out.columns if c.endswith("_decision")]
    unknown = [h for h in thresholds if h not in heads]
    if unknown:
        raise ValueError(f"no head(s) {unknown} in the scored file; its heads are {heads}.")
    ok = (out["status"].astype(str) == "ok").to_numpy() if "status" in out.columns else None
    if ok is None:
        ok = np.ones(len(out), dtype=bool)
    for head, t in thresholds.items():
        t = t if isinstance(t, Thresholds) else Thresholds.from_dict(t)
        prob = pd.to_numeric(out[f"{head}_prob"], errors="coerce").to_numpy(dtype=float)
        rows = ok & np.isfinite(prob)
        dec = out[f"{head}_decision"].to_numpy(dtype=object, copy=True)
        dec[rows] = band(prob[rows], t)
        out[f"{head}_decision"] = dec
    rows = ok & np.all(
        [pd.to_numeric(out[f"{h}_prob"], errors="coerce").notna().to_numpy() for h in heads],
        axis=0,
    )
    if rows.any():
        per_head = [out.loc[rows, f"{h}_decision"].to_numpy(dtype=object) for h in heads]
        dec = out["decision"].to_numpy(dtype=object, copy=True)
        dec[rows] = overall_decision(per_head, int(rows.sum()))
        out["decision"] = dec
        if "deciding_head" in out.columns:
            review = {h: _review_of(h, thresholds, out) for h in heads}
            dh = out["deciding_head"].to_numpy(dtype=object, copy=True)
            dh[rows] = deciding_head(
                {
                    h: (
                        out.loc[rows, f"{h}_decision"].to_numpy(dtype=object),
                        pd.to_numeric(out.loc[rows, f"{h}_prob"], errors="coerce").to_numpy(),
                        review[h],
                    )
                    for h in heads
                },
                int(rows.sum()),
            )
            out["deciding_head"] = dh
    return out


def _review_of(head: str, thresholds, scored: pd.DataFrame) -> float:
    """A head's review threshold: the new one, else the lowest score it sent to review."""
    from ._thresholds import Thresholds

    if head in thresholds:
        t = thresholds[head]
        return float(t.review if isinstance(t, Thresholds) else t["review"])
    prob = pd.to_numeric(scored[f"{head}_prob"], errors="coerce")
    sent = prob[scored[f"{head}_decision"].isin(["review", "flag"])]
    return float(sent.min()) if len(sent) else 1.0


#: syllables per shingle
_K = 3


def _shingle_hashes(canons: Sequence[str], k: int = _K) -> tuple[np.ndarray, np.ndarray]:
    """(hashes of every post's k-syllable shingles laid end to end, shingles per post) of
    normalized posts (accents stripped here), all posts at once.

    A shingle's hash mixes the 64-bit hashes of its syllables (:func:`_plain_hashes`); a
    post of fewer than ``k`` syllables is one shingle, padded with zeros. A shingle that
    repeats in a post repeats here: MinHash takes a minimum, which repeats do not change.
    """
    per_post = [_plain_hashes(c) for c in canons]
    # a post of fewer than k syllables gets zeros up to k: one window
    padded = [h if len(h) >= k else h + (0,) * (k - len(h)) for h in per_post]
    sizes = np.fromiter(map(len, padded), np.int64, len(padded))
    flat = np.fromiter(chain.from_iterable(padded), np.uint64, int(sizes.sum()))
    windows = sizes - (k - 1)
    offsets = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=offsets[1:])
    first = np.cumsum(windows) - windows
    starts = np.repeat(offsets - first, windows) + np.arange(int(windows.sum()), dtype=np.int64)
    mixed = np.zeros(len(starts), dtype=np.uint64)
    for j in range(k):
        mixed ^= flat[starts + j] * _MIX[j]
        mixed ^= mixed >> np.uint64(29)
    mixed *= _MIX[k]
    mixed >>= np.uint64(32)  # the high half: 32 bits, as (h * a + b) needs
    return mixed, windows


#: odd 64-bit constants that mix a shingle's syllable hashes (splitmix64's and golden ratio's)
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


def _plain_hashes(canon: str) -> tuple[int, ...]:
    """64-bit hashes of the syllables of ``tokenize(strip_accents(canon), "syllable")``,
    chunk by chunk (cached: posts repeat words). Stripping accents and NFC never look
    across a space, so the tokens are those of each chunk of an NFC text; other text goes
    the long way."""
    if not (canon.isascii() or unicodedata.is_normalized("NFC", canon)):
        return _hashed(tokenize(strip_accents(canon), "syllable"))
    chunks = canon.split()
    found = list(map(_PLAIN_HASHES.get, chunks))
    if None in found:
        for i, chunk in enumerate(chunks):
            if found[i] is None:
                found[i] = _plain_chunk(chunk)
    return tuple(chain.from_iterable(cast(list[tuple[int, ...]], found)))  # no None left


def _plain_chunk(chunk: str) -> tuple[int, ...]:
    hashes = _hashed(tokenize(strip_accents(chunk), "syllable"))
    if len(chunk) <= 40:
        if len(_PLAIN_HASHES) >= 1 << 14:
            _PLAIN_HASHES.clear()
        _PLAIN_HASHES[chunk] = hashes
    return hashes


def _hashed(syllables) -> tuple[int, ...]:
    """Each syllable's first 8 bytes of blake2b, as a little-endian integer (the same in
    every process, unlike ``hash``)."""
    return tuple(
        int.from_bytes(
            hashlib.blake2b(s.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
        )
        for s in syllables
    )


# chunk of canonical text -> the hashes of its accent-free syllables; bounded (cleared when full)
_PLAIN_HASHES: dict[str, tuple[int, ...]] = {}


def _hash_params(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=num_perm, dtype=np.uint64)
    return a, b


def candidate_keys(
    canon: Sequence[str], priorities=None, *, num_perm: int = 64, seed: int = 0
) -> dict[str, np.ndarray]:
    """Per row of normalized texts: ``key`` (a 128-bit hash of the text, two uint64),
    ``sig`` (its MinHash signature, ``num_perm`` uint32 values < 2^31) and, when given,
    ``priority`` (:func:`priority`): all :func:`queue_order` needs, 8 + 16 + 4 x
    ``num_perm`` bytes a row."""
    a, b = _hash_params(num_perm, seed)
    key = _text_keys(canon)
    first: dict[str, int] = {}  # identical texts in a chunk: one signature
    rep = np.fromiter((first.setdefault(c, r) for r, c in enumerate(canon)), np.int64, len(canon))
    distinct = np.flatnonzero(rep == np.arange(len(canon)))
    hashes, counts = _shingle_hashes([canon[int(r)] for r in distinct])
    sig = _minhash(hashes, counts, a, b)[np.searchsorted(distinct, rep)]
    out: dict[str, np.ndarray] = {"key": key, "sig": sig}
    if priorities is not None:
        out["priority"] = np.asarray(priorities, dtype=np.float64)
    return out


def _text_keys(canon: Sequence[str]) -> np.ndarray:
    """A 128-bit blake2b hash of each text, as two uint64 a row."""
    digests = (
        hashlib.blake2b(c.encode("utf-8", "surrogatepass"), digest_size=16).digest() for c in canon
    )
    return np.frombuffer(b"".join(digests), dtype=np.uint64).reshape(len(canon), 2).copy()


#: shingle hashes per block of :func:`_minhash` (a block holds 8 x num_perm bytes each)
_MINHASH_BLOCK = 1 << 10


def _minhash(hashes: np.ndarray, counts: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signatures (``(len(counts), len(a))`` uint32) of sets of shingle hashes laid
    end to end (``counts[i]`` for post ``i``, none 0): the least ``(h * a + b) % _PRIME``
    of each, in blocks of posts."""
    sig = np.empty((len(counts), len(a)), dtype=np.uint32)
    ends = np.cumsum(counts)
    lo = 0
    while lo < len(counts):
        # the posts whose shingles fit in a block (at least one post)
        begin = int(ends[lo] - counts[lo])
        hi = max(int(np.searchsorted(ends, begin + _MINHASH_BLOCK, "right")), lo + 1)
        values = hashes[begin : int(ends[hi - 1]), None] * a
        values += b
        _mod_prime(values)
        sig[lo:hi] = np.minimum.reduceat(values, ends[lo:hi] - counts[lo:hi] - begin, axis=0)
        lo = hi
    return sig


def _mod_prime(x: np.ndarray) -> None:
    """``x %= _PRIME`` in place, for uint64 ``x`` (the prime is 2^31 - 1: a shift and a
    mask fold the high bits onto the low ones, without a division)."""
    scratch = x >> 31
    x &= _PRIME
    x += scratch  # < 2^34
    np.right_shift(x, 31, out=scratch)
    x &= _PRIME
    x += scratch  # < _PRIME + 8
    x[x >= _PRIME] -= _PRIME


def near_duplicate_groups(
    texts: Sequence[str],
    *,
    threshold: float = 0.5,
    num_perm: int = 64,
    bands: int = 16,
    seed: int = 0,
    canonical: Sequence[str | None] | None = None,
) -> np.ndarray:
    """Group labels (0..G-1, by first appearance) for near-duplicate texts.

    Two texts are linked when the MinHash estimate of the Jaccard similarity of their
    shingle sets is at least ``threshold`` and LSH banding (``bands`` bands of
    ``num_perm / bands`` rows) made them candidates; groups are the connected
    components. Identical normalized texts always share a group. ``canonical``: each
    text's ``normalize_text`` when the caller has it (None entries are computed).
    """
    if num_perm % bands:
        raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands}).")
    given = [None] * len(texts) if canonical is None else list(canonical)
    canon = [
        c if isinstance(c, str) else normalize_text(t) if isinstance(t, str) else ""
        for t, c in zip(texts, given, strict=True)
    ]
    keys = candidate_keys(canon, num_perm=num_perm, seed=seed)
    return groups_of_keys(keys["key"], keys["sig"], threshold=threshold, bands=bands)


def groups_of_keys(
    key: np.ndarray, sig: np.ndarray, *, threshold: float = 0.5, bands: int = 16
) -> np.ndarray:
    """:func:`near_duplicate_groups` from :func:`candidate_keys` (text hashes and
    signatures): no text needed, so many chunks' candidates can be grouped at once."""
    n = len(key)
    num_perm = sig.shape[1] if sig.ndim == 2 else 0
    if num_perm % bands:
        raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands}).")
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    # identical normalized texts: one group, the first one's signature for all
    flat = np.ascontiguousarray(key, dtype=np.uint64).view(np.dtype((np.void, 16))).ravel()
    _, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    parent = first[inverse.ravel()].astype(np.int64)
    uniq = np.sort(first)
    del flat, first, inverse

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    rows = num_perm // bands
    cap = 50  # compare with at most this many earlier members of a bucket
    for band in range(bands):
        part = np.ascontiguousarray(sig[uniq, band * rows : (band + 1) * rows])
        flat = part.view(np.dtype((np.void, part.dtype.itemsize * rows))).ravel()
        _, bucket, size = np.unique(flat, return_inverse=True, return_counts=True)
        bucket = bucket.ravel()
        del part, flat
        # a post alone in its bucket has nothing to compare with: only shared buckets
        members: dict[int, list[int]] = {}
        for r in np.flatnonzero(size[bucket] > 1).tolist():
            earlier = members.setdefault(int(bucket[r]), [])
            for m in earlier[:cap]:
                if find(uniq[m]) == find(uniq[r]):
                    break
                if (sig[uniq[m]] == sig[uniq[r]]).mean() >= threshold:
                    union(uniq[m], uniq[r])
                    break
            earlier.append(r)
        del members, bucket, size
    roots = np.array([find(i) for i in range(n)])
    _, labels = np.unique(roots, return_inverse=True)
    # renumber by first appearance
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(x), len(order)) for x in labels], dtype=np.int64)


#: numeric columns whose sum is a post's reach, when a dump has them
REACH_COLUMNS = (
    "num_like_post",
    "num_comment_post",
    "num_share_post",
    "likes",
    "comments",
    "shares",
    "like_count",
    "comment_count",
    "share_count",
    "reactions",
)
#: the weight of each band in the queue order (abstained rows come last)
BAND_WEIGHT = {"flag": 2.0, "review": 1.0}


def reach_of(frame: pd.DataFrame) -> np.ndarray | None:
    """Likes + comments + shares per row (the :data:`REACH_COLUMNS` present), or None.

    Values that are not finite non-negative numbers count as 0; a single value is capped
    at 10^12 (one absurd count must not reorder the whole queue).
    """
    cols = [c for c in REACH_COLUMNS if c in frame.columns]
    if not cols:
        return None
    numeric = pd.DataFrame({c: pd.to_numeric(frame[c], errors="coerce") for c in cols})
    if not numeric.notna().to_numpy().any():  # the columns exist but hold nothing
        return None
    total = np.zeros(len(frame))
    for c in cols:
        v = pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        v = np.where(np.isfinite(v) & (v > 0), v, 0.0)
        total += np.minimum(v, 1e12)
    return total


def priority(df: pd.DataFrame) -> np.ndarray:
    """Queue order: band weight (flag 2, review 1) x the deciding head's probability (the
    highest head probability when the column is absent) x ``1 + log10(1 + reach) / 4``
    when a ``reach`` column is present (10,000 likes, comments and shares double a post's
    priority: a viral rumour comes first)."""
    weight = df["decision"].map(BAND_WEIGHT).fillna(0.0).to_numpy(dtype=float)
    probs = [c for c in df.columns if c.endswith("_prob")]
    top = (
        df[probs].max(axis=1, skipna=True).fillna(0).to_numpy(dtype=float, copy=True)
        if probs
        else np.zeros(len(df))
    )
    if "deciding_head" in df.columns:  # the one definition of the deciding head
        for head in df["deciding_head"].dropna().unique():
            col = f"{head}_prob"
            if col in df.columns:
                rows = (df["deciding_head"] == head).to_numpy()
                top[rows] = df.loc[rows, col].fillna(0).to_numpy(dtype=float)
    out = weight * top
    if "reach" in df.columns:
        reach = pd.to_numeric(df["reach"], errors="coerce").fillna(0).to_numpy(dtype=float)
        out = out * (1.0 + np.log10(1.0 + np.clip(reach, 0, 1e12)) / 4.0)
    # abstained rows (no text) after everything else, in input order
    severity = df["decision"].map(SEVERITY).fillna(0).to_numpy(dtype=float)
    return np.where(severity < 0, -1.0, out)


def queue_order(labels: np.ndarray, pri: np.ndarray) -> tuple[np.ndarray, ...]:
    """The queue's row order from group labels and priorities: (positions in queue
    order, their ``group_id``, their ``group_size``). Groups are ordered by their riskiest
    row, then first appearance; rows within a group likewise."""
    frame = pd.DataFrame({"g": labels, "pri": pri, "pos": np.arange(len(labels))})
    best = frame.groupby("g")["pri"].max()
    first = frame.groupby("g")["pos"].min()
    gorder = (
        pd.DataFrame({"pri": best, "pos": first})
        .sort_values(["pri", "pos"], ascending=[False, True])
        .index
    )
    gid = {g: k + 1 for k, g in enumerate(gorder)}
    frame["gid"] = frame["g"].map(gid)
    frame = frame.sort_values(["gid", "pri", "pos"], ascending=[True, False, True])
    sizes = frame["gid"].map(frame["gid"].value_counts()).to_numpy()
    return (
        frame["pos"].to_numpy(),
        frame["gid"].to_numpy().astype("int64"),
        sizes.astype("int64"),
    )


def _group_and_sort(cands: pd.DataFrame, **lsh) -> pd.DataFrame:
    cands = cands.reset_index(drop=True)
    if cands.empty:
        return cands.assign(
            group_id=pd.Series([], dtype="int64"), group_size=pd.Series([], dtype="int64")
        )[["group_id", "group_size", *cands.columns]]
    labels = near_duplicate_groups(cands[_TEXT].tolist(), **lsh)
    pos, gid, sizes = queue_order(labels, priority(cands))
    out = cands.iloc[pos].reset_index(drop=True)
    out.insert(0, "group_size", sizes)
    out.insert(0, "group_id", gid)
    return out


def build_queue(
    scored: pd.DataFrame,
    texts: Sequence,
    *,
    id_col: str | None = "id",
    threshold: float = 0.5,
    num_perm: int = 64,
    bands: int = 16,
    abstain: bool = False,
    reach: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """The review queue of scored posts.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`~misinfo_clf.score_frame` / :func:`~misinfo_clf.score_file`
        (``decision``, ``status``, ``reasons``, ``<head>_prob``, ``<head>_decision``).
    texts : sequence of str
        The raw posts, aligned with ``scored`` by position.
    id_col : str, optional
        The id column of ``scored`` (kept in the queue).
    threshold, num_perm, bands
        Near-duplicate grouping, see :func:`near_duplicate_groups`.
    abstain : bool, default=False
        Also queue the posts that abstain (no text), after every flag and review group.
    reach : sequence of float, optional
        Likes + comments + shares per row of ``scored`` (:func:`reach_of` of the input).

    Returns
    -------
    DataFrame
        ``group_id`` (1 = riskiest group), ``group_size``, the id column, ``source``
        (when present), ``text``, ``decision``, ``<head>_prob``, ``<head>_decision``,
        ``reasons``. Only ``flag`` and ``review`` rows with status ``ok`` (and
        ``abstain`` rows when asked). Groups are
        ordered by their riskiest post (decision severity, then highest head
        probability); rows within a group likewise.
    """
    return _group_and_sort(
        queue_candidates(scored, texts, id_col, abstain=abstain, reach=reach),
        threshold=threshold,
        num_perm=num_perm,
        bands=bands,
    )


def build_queue_from_candidates(
    frames: Sequence[pd.DataFrame], columns: Sequence[str], id_col: str | None = "id"
) -> pd.DataFrame:
    """Group and sort candidates collected chunk by chunk (see :func:`queue_candidates`).

    ``columns`` is the scored schema, used for the columns of an empty queue.
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
        return _group_and_sort(queue_candidates(empty, [], id_col))
    return _group_and_sort(pd.concat(frames, ignore_index=True))
