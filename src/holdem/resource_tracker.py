"""The multiprocessing resource tracker, relaunched quietly if something killed it.

Python starts one helper process, the resource tracker, the first time a process creates a
shared-memory block or a semaphore (our tables, the workers' queues and pools): it notes every
name, and if our process dies without removing them, it does. When the tracker itself is
killed in the middle of a run (``kill``, ``pkill python``, an out-of-memory kill), the next call
that needs it starts a new one, which never saw the names created before. Each name we then
remove, as we always do when a run ends (`holdem.training.shared_arrays.SharedArrays.close`,
the queues' semaphores), makes the new tracker print a ``KeyError`` traceback on our stderr: a
screen of them for nothing, since every block and semaphore is removed by us regardless.

`revive_quietly` starts that new tracker itself, ahead of those calls, with its stderr sent to
``/dev/null`` (it inherits ours otherwise), and tells the caller, who may say so in one line:
the training supervisor before it removes its blocks or starts a worker, `holdem eval` and
`holdem lbr` before they shut their pools down.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from multiprocessing import resource_tracker


@contextlib.contextmanager
def _stderr_discarded() -> Iterator[None]:
    """File descriptor 2 points at ``/dev/null`` inside (a process started here inherits it)."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def revive_quietly() -> bool:
    """Make sure the tracker runs; if it had died, start a new one whose output is discarded
    and return True (False when it was alive).

    Call it, in a process that has created shared blocks or semaphores, before removing them
    and before starting a process (a spawned process is handed the tracker). Costs one write to
    a pipe when the tracker is alive.
    """
    with warnings.catch_warnings(record=True) as caught, _stderr_discarded():
        warnings.simplefilter("always")
        resource_tracker.ensure_running()
    return any("resource_tracker" in str(warning.message) for warning in caught)
