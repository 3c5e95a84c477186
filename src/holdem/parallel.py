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

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numba

T = TypeVar("T")


def spans(n: int, block: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive blocks of ``block`` items covering ``0 .. n - 1``."""
    if block < 1:
        raise ValueError(f"block must be a positive number of items, got {block}")
    return [(start, min(n, start + block)) for start in range(0, n, block)]


def map_blocks(work: Callable[[int, int], T], n: int, block: int) -> list[T]:
    """``work(start, stop)`` for every block of ``spans(n, block)``, results in block order.

    Blocks run on up to ``numba.get_num_threads()`` threads, taken in order as threads free
    up. ``work`` must only write its own block's outputs (a kernel compiled with ``nogil=True``
    to run in parallel). One thread, or one block, runs in the calling thread. An exception in a
    block reaches the caller once the blocks already started have finished.
    """
    blocks = spans(n, block)
    threads = min(numba.get_num_threads(), len(blocks))
    if threads <= 1:
        return [work(start, stop) for start, stop in blocks]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda span: work(*span), blocks))


def even_block(n: int, minimum: int = 1) -> int:
    """A block size splitting ``n`` items into about four blocks per thread, at least ``minimum``.

    For work whose result does not depend on where blocks start (each item written alone);
    sums that must not depend on the thread count use a fixed block instead.
    """
    per = -(-n // (4 * numba.get_num_threads()))
    return max(minimum, per)
