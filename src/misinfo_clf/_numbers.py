"""Counts (likes, comments, shares) read from raw cells: one rule for training and serving."""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_COUNT", "count", "counts"]

#: counts above this are data errors, read as missing (see NumericMetadata)
MAX_COUNT = 1e12


def count(value) -> float:
    """One value as a float; NaN when it is not a real number or overflows."""
    import pandas as pd

    if isinstance(value, complex | np.complexfloating):
        return np.nan
    try:
        out = pd.to_numeric(value, errors="coerce")
        return float(out)
    except (TypeError, ValueError, OverflowError):
        return np.nan


def counts(values: np.ndarray) -> np.ndarray:
    """A column of raw values as floats; what cannot be a number becomes NaN."""
    import pandas as pd

    try:
        out = pd.to_numeric(values, errors="coerce")
        if np.asarray(out).dtype.kind in "biuf":
            return np.asarray(out, dtype=float)
    except (TypeError, ValueError, OverflowError):
        pass
    # a value pandas cannot convert in bulk (an int above 1e308, a complex): one by one
    return np.array([count(v) for v in values], dtype=float)
