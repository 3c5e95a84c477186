"""Where holdem keeps what it computes once and reuses: the exact preflop matchup tables and
the hand evaluator's tables."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The holdem cache folder: ``$HOLDEM_CACHE_DIR``, ``$XDG_CACHE_HOME/holdem`` or
    ``~/.cache/holdem``, in that order."""
    if os.environ.get("HOLDEM_CACHE_DIR"):
        return Path(os.environ["HOLDEM_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "holdem"
    return Path.home() / ".cache" / "holdem"
