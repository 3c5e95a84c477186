"""A file of hand histories that grows as hands end: ``holdem play --log`` and ``eval --log``.

`HandLog` appends each finished hand in one of `LOG_FORMATS` and flushes it, so the file is
whole up to the last hand however the program ends (a log is read while it grows, as poker
clients write theirs; it is not written atomically). An existing file is appended to: a
tracker reads several sessions from one file. `format_hand` is the formatting alone, for
processes that play hands where another writes them (`holdem.eval.match`).

Hand numbers: PokerStars numbers identify hands across files (trackers skip a number they
have already imported), so a log's first number is taken from the clock (`first_hand_id`),
a million per second; ACPC logs number the hands of a match from 0.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from holdem.histories.acpc import acpc_hand, check_acpc_table
from holdem.histories.pokerstars import pokerstars_hand
from holdem.rules.state import HandState

LOG_FORMATS = ("pokerstars", "acpc")
"""The formats a log may be written in; the first is the default."""
_NAME_CHARACTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def first_hand_id(log_format: str) -> int:
    """The number of a new log's first hand (see the module docstring)."""
    return int(time.time()) * 1_000_000 if log_format == "pokerstars" else 0


def check_log_format(log_format: str, ante: int) -> None:
    """ValueError naming the flag when ``log_format`` is unknown or cannot write the table."""
    if log_format not in LOG_FORMATS:
        raise ValueError(
            f"--log-format {log_format!r} is not a format: use one of {', '.join(LOG_FORMATS)}"
        )
    if log_format == "acpc":
        check_acpc_table(ante)


def player_name(text: str) -> str:
    """``text`` as a player's name both formats accept: letters, digits, ``_ . -`` only
    (a policy's path ``runs/hu_open/blueprint`` becomes ``runs_hu_open_blueprint``)."""
    return "".join(c if c in _NAME_CHARACTERS else "_" for c in text.strip()) or "player"


def distinct_names(names: Sequence[str]) -> list[str]:
    """``names`` made players' names; when two are alike, each gets its seat number."""
    clean = [player_name(name) for name in names]
    if len(set(clean)) < len(clean):
        clean = [f"{name}_{seat + 1}" for seat, name in enumerate(clean)]
    return clean


def format_hand(
    log_format: str, state: HandState, hand_id: int, names: Sequence[str], table: str
) -> str:
    """The finished hand ``state`` as text of ``log_format``, with its separator after it."""
    if log_format == "acpc":
        return acpc_hand(state, hand_id, names)
    when = datetime.now(UTC)
    return pokerstars_hand(state, hand_id, names, when, table) + "\n\n"


class HandLog:
    """Hands appended to ``path`` in ``log_format``, one flush per hand; use it as a context
    manager (or call `close`). ``table`` names the table in PokerStars headers."""

    def __init__(self, path: Path, log_format: str, table: str = "holdem") -> None:
        check_log_format(log_format, 0)
        self.path = Path(path)
        self.log_format = log_format
        self.table = table
        self.next_id = first_hand_id(log_format)
        self.hands = 0
        try:
            self._file: TextIO = self.path.open("a", encoding="utf-8")
        except OSError as error:
            raise ValueError(f"--log {path}: cannot write it ({error.strerror})") from None

    def write(self, state: HandState, names: Sequence[str]) -> None:
        """Append the finished hand ``state``, seat ``s`` played by ``names[s]``."""
        self.write_text(format_hand(self.log_format, state, self.next_id, names, self.table))
        self.next_id += 1

    def write_text(self, text: str, hands: int = 1) -> None:
        """Append ``hands`` hands already formatted (by `format_hand`) and flush."""
        self._file.write(text)
        self._file.flush()
        self.hands += hands

    def close(self) -> None:
        """Close the file (every hand is already flushed)."""
        self._file.close()

    def __enter__(self) -> HandLog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
