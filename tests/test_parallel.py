"""Blocks of work on threads: coverage, order, the thread count, errors, a nogil kernel."""

import threading
import time

import numba
import numpy as np
import pytest
from numba import njit

from holdem.parallel import even_block, map_blocks, spans


def test_spans_cover_the_range_once_in_order():
    assert spans(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert spans(8, 4) == [(0, 4), (4, 8)]
    assert spans(0, 4) == []
    with pytest.raises(ValueError, match="block must be a positive number"):
        spans(10, 0)


def test_results_come_back_in_block_order():
    assert map_blocks(lambda lo, hi: (lo, hi), 10, 3) == [(0, 3), (3, 6), (6, 9), (9, 10)]
    assert map_blocks(lambda lo, hi: lo, 0, 3) == []


def test_one_thread_runs_in_the_calling_thread():
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        idents = map_blocks(lambda lo, hi: threading.get_ident(), 100, 10)
    finally:
        numba.set_num_threads(threads)
    assert set(idents) == {threading.get_ident()}


def test_an_error_in_a_block_reaches_the_caller():
    def work(lo, hi):
        if lo == 6:
            raise RuntimeError(f"block {lo}..{hi} failed")
        return lo

    with pytest.raises(RuntimeError, match=r"block 6\.\.9 failed"):
        map_blocks(work, 12, 3)


@njit(cache=True, nogil=True)
def _partial_sum(values):
    total = 0.0
    for v in values:
        total += v
    return total


def test_sums_merged_in_block_order_do_not_depend_on_the_thread_count():
    values = np.random.default_rng(3).random(100_003)
    threads = numba.get_num_threads()
    results = []
    for count in sorted({1, threads}):
        numba.set_num_threads(count)
        try:
            parts = map_blocks(lambda lo, hi: _partial_sum(values[lo:hi]), values.size, 4096)
        finally:
            numba.set_num_threads(threads)
        total = 0.0
        for part in parts:
            total += part
        results.append(total)
    assert len(set(results)) == 1
    assert results[0] == pytest.approx(values.sum())


def test_even_block_gives_about_four_blocks_per_thread():
    threads = numba.get_num_threads()
    assert len(spans(1000 * threads, even_block(1000 * threads))) == 4 * threads
    assert even_block(10, minimum=64) == 64


def _two_threads() -> int:
    """The thread count to restore; the tests below need 2."""
    threads = numba.get_num_threads()
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    return threads


@pytest.mark.timeout(60)
def test_the_pool_is_kept_between_calls_and_a_nested_call_runs_inline():
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs 2 Numba threads")
    threads = _two_threads()
    try:
        names = set()
        for _ in range(20):
            names |= set(map_blocks(lambda lo, hi: threading.current_thread().name, 8, 1))
        nested = map_blocks(
            lambda lo, hi: (threading.get_ident(), set(map_blocks(
                lambda a, b: threading.get_ident(), 4, 1
            ))),
            4,
            1,
        )  # fmt: skip
    finally:
        numba.set_num_threads(threads)
    # threads of a pool made per call would have new names each call
    assert threading.current_thread().name not in names
    assert len(names) <= 2, names
    for outer, inner in nested:
        assert inner == {outer}


@pytest.mark.timeout(60)
def test_every_block_has_finished_when_an_error_reaches_the_caller():
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs 2 Numba threads")
    done = []

    def work(lo, hi):
        if lo == 0:
            raise RuntimeError("first block failed")
        time.sleep(0.01)
        done.append(lo)

    threads = _two_threads()
    try:
        with pytest.raises(RuntimeError, match="first block failed"):
            map_blocks(work, 8, 1)
    finally:
        numba.set_num_threads(threads)
    assert sorted(done) == list(range(1, 8))
