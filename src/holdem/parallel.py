"""Parallel loops over blocks of rows: Python threads, each calling a serial ``nogil`` kernel.

Why not Numba's ``prange``: a ``parallel=True`` kernel takes two to four times as long to
compile as the same loop in a serial kernel (3 to 6 s against 1 to 1.5 s on our 2-core machine,
``benchmarks/bench_compile.py``), every argument-type signature compiles again, and a fresh
machine pays that for each kernel before any work starts. A serial kernel compiled with
``nogil=True`` releases the GIL while it runs, so threads calling it on disjoint blocks run on
every core as fast as ``prange`` does, and the same kernel serves one thread.

The thread count is ``numba.get_num_threads()`` in the calling thread, so
``numba.set_num_threads`` (``holdem buckets build --threads``) and ``NUMBA_NUM_THREADS`` apply
as they did to ``prange``. Blocks are fixed by the caller, never by the thread count: a caller
that merges per-block results in block order gets the same bits on any number of threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

import numba

T = TypeVar("T")

_pool_lock = threading.Lock()
_pool: tuple[int, int, ThreadPoolExecutor] | None = None  # (process id, threads, pool)
_inside = threading.local()


def _mark_worker() -> None:
    _inside.worker = True


def _forget_pool_in_child() -> None:
    """A forked child has none of its parent's threads (and maybe a lock held by one)."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool_in_child)


def _shared_pool(threads: int) -> ThreadPoolExecutor:
    """One pool of ``threads`` threads per process, kept between calls: starting threads anew
    for every call cost a spot solve 15% of its time (two pools an iteration). A forked child
    or another thread count gets a new one."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid() or _pool[1] != threads:
            if _pool is not None and _pool[0] == os.getpid():
                _pool[2].shutdown(wait=False)  # its threads end once idle
            pool = ThreadPoolExecutor(
                max_workers=threads, thread_name_prefix="holdem-blocks", initializer=_mark_worker
            )
            _pool = (os.getpid(), threads, pool)
        return _pool[2]


def spans(n: int, block: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive blocks of ``block`` items covering ``0 .. n - 1``."""
    if block < 1:
        raise ValueError(f"block must be a positive number of items, got {block}")
    return [(start, min(n, start + block)) for start in range(0, n, block)]


def map_blocks(work: Callable[[int, int], T], n: int, block: int) -> list[T]:
    """``work(start, stop)`` for every block of ``spans(n, block)``, results in block order.

    Blocks run on a pool of ``numba.get_num_threads()`` threads kept for the process, taken in
    order as threads free up. ``work`` must only write its own block's outputs (a kernel
    compiled with ``nogil=True`` to run in parallel). One thread, one block, or a call from
    inside a block runs in the calling thread. An exception in a block reaches the caller once
    every block has finished.
    """
    blocks = spans(n, block)
    threads = min(numba.get_num_threads(), len(blocks))
    if threads <= 1 or getattr(_inside, "worker", False):
        # one thread, or a block that maps blocks itself: run in this thread (waiting on the
        # shared pool from inside it could wait on itself)
        return [work(start, stop) for start, stop in blocks]
    futures = [_shared_pool(numba.get_num_threads()).submit(work, *span) for span in blocks]
    wait(futures)
    return [future.result() for future in futures]


def even_block(n: int, minimum: int = 1) -> int:
    """A block size splitting ``n`` items into about four blocks per thread, at least ``minimum``.

    For work whose result does not depend on where blocks start (each item written alone);
    sums that must not depend on the thread count use a fixed block instead.
    """
    per = -(-n // (4 * numba.get_num_threads()))
    return max(minimum, per)
