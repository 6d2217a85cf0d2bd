"""What a run reports: row counts per band and head, and the queue share check."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Counts", "queue_shares"]

log = logging.getLogger(__name__)


@dataclass
class Counts:
    """Rows read = scored + abstained (no text) + errored."""

    rows_read: int = 0
    rows_scored: int = 0
    rows_errored: int = 0
    flagged: int = 0
    review: int = 0
    passed: int = 0
    rows_abstained: int = 0
    #: per head: rows in each band (flag, review, pass, abstain) and unreadable rows (error)
    heads: dict = field(default_factory=dict)

    def add(self, out: pd.DataFrame) -> None:
        ok = (out["status"] == "ok").to_numpy()
        dec = out["decision"].to_numpy()
        abstained = ok & (dec == "abstain")
        for col in out.columns:
            if not col.endswith("_decision"):
                continue
            head = self.heads.setdefault(
                col[: -len("_decision")],
                {"flag": 0, "review": 0, "pass": 0, "abstain": 0, "error": 0},
            )
            d = out[col].to_numpy()
            for band in ("flag", "review", "pass", "abstain"):
                head[band] += int(((d == band) & ok).sum())
            head["error"] += int((~ok).sum())
        self.rows_read += len(out)
        self.rows_scored += int((ok & ~abstained).sum())
        self.rows_abstained += int(abstained.sum())
        self.rows_errored += int((~ok).sum())
        self.flagged += int(((dec == "flag") & ok).sum())
        self.review += int(((dec == "review") & ok).sum())
        self.passed += int(((dec == "pass") & ok).sum())

    def merge(self, other: Counts) -> None:
        """Add the counts of ``other`` (another chunk's)."""
        for name, value in other.__dict__.items():
            if name != "heads":
                setattr(self, name, getattr(self, name) + value)
        for head, bands in other.heads.items():
            mine = self.heads.setdefault(head, dict.fromkeys(bands, 0))
            for band, n in bands.items():
                mine[band] = mine.get(band, 0) + n


#: the observed queue share is called far above the expected one past this ratio ...
SHARE_WARN_RATIO = 2.0
#: ... and this absolute difference (small dumps are noisy)
SHARE_WARN_MARGIN = 0.05


def queue_shares(model, summary: dict) -> dict:
    """Expected (from the model's traffic profile) and observed queue shares of a run.

    The share is of the scored rows (abstained and errored rows excluded) that reached
    flag or review. When the observed share is far above the profile's, the traffic is
    unlike the posts the bands were sized on: a warning is logged and returned.
    """
    manifest = getattr(model, "manifest", None) or {}
    expected = (manifest.get("profile") or {}).get("expected", {}).get("queue")
    scored = summary.get("rows_scored") or 0
    observed = (summary.get("flagged", 0) + summary.get("review", 0)) / scored if scored else None
    out = {"expected_queue_share": expected, "observed_queue_share": observed, "warning": None}
    if expected is not None and observed is not None and scored >= 200:
        if observed > max(SHARE_WARN_RATIO * expected, expected + SHARE_WARN_MARGIN):
            out["warning"] = (
                f"{observed:.1%} of the scored posts reached the review queue, against "
                f"{expected:.1%} expected from the model's traffic profile: this traffic is "
                "unlike the posts the bands were sized on. Rebuild the profile from your own "
                "posts (`misinfo-clf profile DUMP --model DIR --out NEW`)."
            )
            log.warning(out["warning"])
    return out
