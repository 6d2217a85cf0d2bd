"""The views every head reads (canonical text, tokens, accent-free tokens), without
scikit-learn: what :class:`~misinfo_clf.text.TextViews` computes, for serving."""

from __future__ import annotations

from ._chars import _STRIP_TABLE
from ._normalize import normalize_text, normalized_chunks
from ._tokenize import TOKEN_MODES, Mode, syllables_of_chunks, tokenize

__all__ = ["Views", "canonical_chunks", "views_of"]


def views_of(
    texts: list, mode: Mode = "syllable", teencode: bool = True, chunked: list | None = None
) -> dict[str, list[str]]:
    """The views of raw texts as a dict of lists: ``text``, ``tokens``, ``plain``.

    ``chunked``: the texts' canonical chunks when the caller has them already
    (:func:`canonical_chunks`, e.g. for the batch dedupe key): not normalized again.
    """
    if mode == "syllable":
        if chunked is None:
            chunked = canonical_chunks(texts, teencode)
        normalized = [" ".join(c) for c in chunked]
        tokens = [syllables_of_chunks(c) for c in chunked]
    else:
        if chunked is not None:
            normalized = [" ".join(c) for c in chunked]
        else:
            normalized = [normalize_text(t, teencode=teencode) for t in texts]
        tokens = [" ".join(tokenize(t, mode)) for t in normalized]
    # the tokens are canonical text (NFC): translate directly, no NFC check per post
    return {
        "text": normalized,
        "tokens": tokens,
        "plain": [t.translate(_STRIP_TABLE) for t in tokens],
    }


def canonical_chunks(texts: list, teencode: bool = True) -> list[list[str]]:
    """Each text's canonical form as chunks (``" ".join`` gives ``normalize_text``)."""
    return [normalized_chunks(t, teencode=teencode) for t in texts]


class Views:
    """The view settings a model serves with (``TextViews``'s parameters)."""

    def __init__(self, mode: Mode = "syllable", teencode: bool = True, text_col: str = "text"):
        if mode not in TOKEN_MODES:
            raise ValueError(f"mode must be one of {TOKEN_MODES}, got {mode!r}.")
        self.mode = mode
        self.teencode = teencode
        self.text_col = text_col

    def get_params(self, deep: bool = True) -> dict:
        return {"mode": self.mode, "teencode": self.teencode, "text_col": self.text_col}

    def views_of(self, texts: list, chunked: list | None = None) -> dict[str, list[str]]:
        return views_of(texts, self.mode, self.teencode, chunked)

    def canonical_chunks(self, texts: list) -> list[list[str]]:
        """Each text's canonical chunks: what :meth:`views_of` reads and the dedupe key."""
        return canonical_chunks(texts, self.teencode)

    def __repr__(self) -> str:
        return f"Views(mode={self.mode!r}, teencode={self.teencode!r})"
