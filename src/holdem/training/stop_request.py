"""A request to stop a run after its current batch: from SIGINT, SIGTERM or a caller.

The trainer checks it between chunks and then writes a checkpoint, so Ctrl-C or a SIGTERM ends
a run with its state saved and no orphaned worker.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class StopRequest:
    """Set by SIGINT or SIGTERM (or a caller); the trainer stops after the current batch."""

    def __init__(self) -> None:
        self.reason: str | None = None

    def __bool__(self) -> bool:
        return self.reason is not None

    def set(self, reason: str) -> None:
        self.reason = self.reason or reason

    @contextmanager
    def on_signals(self) -> Iterator[StopRequest]:
        """Catch SIGINT and SIGTERM while inside (main thread only), then restore handlers."""

        def handler(number: int, frame: FrameType | None) -> None:
            self.set(signal.Signals(number).name)

        previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for number, old in previous.items():
                signal.signal(number, old)
