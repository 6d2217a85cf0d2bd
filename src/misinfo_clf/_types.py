"""Types shared by the public signatures (``score_file``, ``train``, ``evaluate``,
``load_model``, ``Model.predict``...): one name for each kind of argument."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TypeAlias

from ._thresholds import Thresholds

__all__ = ["Progress", "StrPath", "ThresholdOverrides"]

#: a file or directory path
StrPath: TypeAlias = str | os.PathLike[str]
#: per-head thresholds for one call: ``{"harmful": {"flag": 0.8, "review": 0.4}}``
ThresholdOverrides: TypeAlias = Mapping[str, Thresholds | Mapping[str, float]]
#: the ``progress`` argument: ``None`` a bar on a terminal, ``True``/``False`` always/never,
#: a callable gets each step as a line
Progress: TypeAlias = bool | Callable[[str], None] | None
