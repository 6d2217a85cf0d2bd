"""Exceptions that modules without heavy imports raise (pandas-free, for serving)."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """An input cannot be scored at all (unknown format, no text column, no header)."""
