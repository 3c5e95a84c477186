"""What the commands that play many deals (`holdem eval`, `holdem lbr`) share: a progress bar,
and SIGTERM stopping them the way Ctrl-C does, with exit code 130 and nothing written."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

EXIT_INTERRUPTED = 130
"""Exit code of a command stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as Ctrl-C does (a KeyboardInterrupt: no `except Exception` eats it)."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Inside, SIGTERM raises `Terminated` (on the main thread only, where Python delivers
    signals; elsewhere nothing changes); the previous handler is restored on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stopped(stop: KeyboardInterrupt, console: Console) -> int:
    """Say why the command stopped (Ctrl-C or SIGTERM) and return `EXIT_INTERRUPTED`."""
    why = "SIGTERM" if isinstance(stop, Terminated) else "Ctrl-C"
    console.print(f"stopped ({why}): no result written", soft_wrap=True)
    return EXIT_INTERRUPTED


def deal_progress(console: Console) -> Progress:
    """A transient progress bar: what is played, a bar, done of total, time left."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    return Progress(*columns, console=console, transient=True)
