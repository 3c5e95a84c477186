"""Chunks of a match or an LBR run played on a pool of spawned worker processes.

A run is cut into numbered chunks (`split_chunks`) whose results depend on the chunk's number
only, so any number of workers gives the same numbers. `spawn_pool` starts the workers with the
``spawn`` context (what macOS uses): each receives the run's values (agents, table, seed)
pickled once at start-up and keeps them for every chunk it plays (`worker_values`), and watches
its parent, exiting by itself when the parent is killed outright (`_exit_with_parent`).
`run_bounded` submits the chunks a few at a time and turns a worker's abrupt death into
`WorkerDiedError`; `close_pool` shuts the pool down (waiting for chunks already running) on
every exit path.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context, parent_process
from multiprocessing.connection import wait as wait_for_objects
from typing import Any, TypeVar

from holdem.resource_tracker import revive_quietly

T = TypeVar("T")

_VALUES: dict[str, Any] = {}
"""A worker's run values, set once at its start-up (`spawn_pool`)."""


class WorkerDiedError(RuntimeError):
    """A worker process ended without returning its chunk (killed, or out of memory)."""


def resolve_workers(num_workers: int) -> int:
    """``num_workers``, with 0 meaning every core; ValueError for a negative number."""
    if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(
            f"the number of workers must be 0 (every core) or more, got {num_workers!r}"
        )
    return num_workers or (os.cpu_count() or 1)


def split_chunks(total: int, size: int) -> list[tuple[int, int]]:
    """``(index, count)`` of each chunk of ``total`` items cut ``size`` at a time."""
    return [(c, min(size, total - start)) for c, start in enumerate(range(0, total, size))]


def spawn_pool(workers: int, values: dict[str, Any]) -> ProcessPoolExecutor:
    """``workers`` processes started with ``spawn``, each holding ``values`` (pickled once)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=_init_worker,
        initargs=(values,),
    )


def worker_values() -> dict[str, Any]:
    """Inside a worker: the values its pool was started with."""
    return _VALUES


def close_pool(pool: ProcessPoolExecutor) -> None:
    """Shut ``pool`` down, waiting for the chunks already running and cancelling the rest."""
    revive_quietly()  # a killed tracker would print a traceback per semaphore freed
    pool.shutdown(wait=True, cancel_futures=True)


def _init_worker(values: dict[str, Any]) -> None:
    """Worker start-up: keep the run's values for every chunk, and watch the parent."""
    _VALUES.update(values)
    parent = parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True).start()


def _exit_with_parent(sentinel: int) -> None:
    """Exit this worker as soon as its parent is gone.

    A pool's workers wait for tasks on a queue whose writing end they hold themselves, so a
    parent killed outright (SIGKILL, a crash) would leave them waiting for ever; the parent's
    sentinel becomes ready when it dies.
    """
    wait_for_objects([sentinel])
    os._exit(1)


def run_bounded(
    submit: Callable[[int, int], Future[T]],
    chunks: list[tuple[int, int]],
    in_flight: int,
    on_done: Callable[[T], None] | None,
    what: str,
) -> list[T]:
    """Every ``(index, size)`` chunk through ``submit`` (a process pool's), at most
    ``in_flight`` submitted at a time (so a stop waits for few), results in whatever order they
    finish; ``on_done`` sees each. A worker that dies ends it with `WorkerDiedError` naming
    ``what`` (``"a match worker"``)."""
    queue = iter(chunks)
    pending: set[Future[T]] = set()
    results: list[T] = []
    try:
        while True:
            for index, size in queue:
                pending.add(submit(index, size))
                if len(pending) >= in_flight:
                    break
            if not pending:
                return results
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                results.append(result)
                if on_done:
                    on_done(result)
    except BrokenProcessPool:
        raise WorkerDiedError(
            f"{what} process ended abruptly (killed, or out of memory?); no result: "
            "run again, with fewer --num-workers if memory is short"
        ) from None
