"""Potential-aware hand features: histograms of equity over the next street's outcomes.

A hand on the turn is described by where its equity goes on the river: for each of the 46
river cards, the exact river equity against a random hand, binned into ``n_bins`` equal-width
bins of [0, 1]. On the flop the outcome is each of the 47 turn cards (the value binned is the
turn hand's expected equity, the mean over its river cards), or, as an option, each of the
1,081 (turn, river) runouts (the value binned is the final river equity). Preflop the outcome
is each of the 19,600 flops (the flop hand's expected equity). These distributions are
compared with the earth mover's distance, which for 1-D histograms is the L1 distance between
cumulative sums (Sam Ganzfried and Tuomas Sandholm, *Potential-Aware Imperfect-Recall
Abstraction with Earth Mover's Distance in Imperfect-Information Games*, AAAI 2014,
https://www.cs.cmu.edu/~sandholm/potential-aware_imperfect-recall.aaai14.pdf; the histograms of
equity follow Johanson, Burch, Valenzano and Bowling, *Evaluating State-Space Abstractions in
Extensive-Form Games*, AAMAS 2013, https://poker.cs.ualberta.ca/publications/AAMAS13-abstraction.pdf).

So a feature row is the cumulative count of outcomes per bin, without the last bin (always the
number of outcomes): ``cdf[i, j] = #{outcomes of hand i with equity bin <= j}``, j in
``0 .. n_bins - 2``. Counts are integers (uint8 on the flop and turn, where they reach 46 or
47; uint16 for 1,081 runouts or 19,600 flops), so the 13,960,050 turn rows at 50 bins take
684 MB instead of 2.7 GB as float32. The bin of an equity ``e`` is ``min(floor(e * n_bins),
n_bins - 1)``.

Rows are canonical indices of ``holdem.cards.isomorphism``: each hand is unindexed to its
representative, each outcome's hand indexed on the next street, and its value read from that
street's table. Every next-street hand of a representative is an outcome of the class, so the
result does not depend on which representative unindexing gives.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numba import njit

from holdem.cards.combinations import next_combination
from holdem.cards.evaluator import SUITED_BIT
from holdem.cards.isomorphism import N_INDICES, index_masks, unindex_into
from holdem.parallel import map_blocks

FLOP_FEATURES = ("turn-equity", "runout-equity")
N_BOARD = (0, 3, 4, 5)
_BLOCK = 1024  # hands per thread task
_NEXT = {(0, 3), (1, 1), (1, 2), (2, 1)}  # (street, cards dealt) that reach a later street


def n_outcomes(street: int, n_add: int) -> int:
    """Number of ways to deal ``n_add`` more board cards to a hand of ``street`` (0..2)."""
    left = 52 - 2 - N_BOARD[street]
    total = 1
    for i in range(n_add):
        total = total * (left - i) // (i + 1)
    return total


@njit(cache=True, nogil=True, inline="always")
def _bin(value: float, scale: float, n_bins: int) -> int:
    """Equal-width bin of the equity ``value / scale`` in [0, 1]."""
    return min(int(value / scale * n_bins), n_bins - 1)


@njit(cache=True, nogil=True)
def _histograms(
    street: int,
    n_add: int,
    values: np.ndarray,
    scale: float,
    start: int,
    stop: int,
    n_bins: int,
    cdf: np.ndarray,
    mean: np.ndarray,
) -> None:
    """Cumulative outcome counts and mean equity of the hands ``start .. stop - 1`` of a street.

    Outcomes are the ``n_add``-card board completions (1, 2 or 3 cards); the value of an
    outcome is ``values[index of the completed hand] / scale``. Row ``i - start`` of ``cdf``
    (n, n_bins - 1) int32 and of ``mean`` (n,) receive hand ``i``. Threads run blocks of hands
    (`outcome_histograms`).
    """
    n_cards = 2 + N_BOARD[street]
    cards = np.empty(7, np.uint8)
    hist = np.empty(n_bins, np.int64)
    free = np.empty(52, np.int64)
    pick = np.empty(3, np.int64)
    for i in range(start, stop):
        unindex_into(street, i, cards)
        hole = int(SUITED_BIT[cards[0]] | SUITED_BIT[cards[1]])
        board = 0
        used = 0
        for j in range(n_cards):
            used |= 1 << int(cards[j])
            if j >= 2:
                board |= int(SUITED_BIT[cards[j]])
        n_free = 0
        for c in range(52):
            if not used >> c & 1:
                free[n_free] = c
                n_free += 1
        hist[:] = 0
        total = 0.0
        count = 0
        for j in range(n_add):
            pick[j] = j
        while True:
            added = board
            for j in range(n_add):
                added |= int(SUITED_BIT[free[pick[j]]])
            v = values[index_masks(hole, added)]
            hist[_bin(v, scale, n_bins)] += 1
            total += v
            count += 1
            if not next_combination(pick, n_add, n_free):
                break
        run = 0
        for b in range(n_bins - 1):
            run += hist[b]
            cdf[i - start, b] = run
        mean[i - start] = total / scale / count


def outcome_histograms(
    street: int,
    n_add: int,
    values: np.ndarray,
    scale: float,
    n_bins: int,
    indices: tuple[int, int] | None = None,
    chunk: int = 1 << 18,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Features of every hand of ``street`` (0 preflop, 1 flop, 2 turn): (cdf, mean equity).

    ``values`` is the table of the street ``n_add`` cards later, indexed by its canonical
    index, with equity ``values / scale``. Returns ``cdf`` (n, n_bins - 1), uint8 when the
    outcome count fits, else uint16, and ``mean`` (n,) float32 (the hand's exact expected
    equity when the values are exact). ``indices=(start, stop)`` restricts to a range.
    ``progress(done, total)`` runs after each ``chunk`` hands.
    """
    if (street, n_add) not in _NEXT:
        raise ValueError(
            f"cannot deal {n_add} card(s) after street {street}: use one of {sorted(_NEXT)}"
        )
    if not 2 <= n_bins <= 255:
        raise ValueError(f"n_bins must lie in 2..255, got {n_bins}")
    start, stop = indices if indices is not None else (0, N_INDICES[street])
    if not 0 <= start <= stop <= N_INDICES[street]:
        raise ValueError(f"indices {start}..{stop} lie outside 0..{N_INDICES[street]}")
    dtype = np.uint8 if n_outcomes(street, n_add) <= 255 else np.uint16
    n = stop - start
    cdf = np.empty((n, n_bins - 1), dtype)
    mean = np.empty(n, np.float32)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)

        def block(a: int, b: int, lo: int = lo) -> None:
            first, last = lo + a, lo + b
            # int32 counts, cast into cdf here: the kernel compiles once per values dtype, not
            # once more per cdf dtype
            counts = np.empty((last - first, n_bins - 1), np.int32)
            _histograms(
                street,
                n_add,
                values,
                float(scale),
                start + first,
                start + last,
                n_bins,
                counts,
                mean[first:last],
            )
            cdf[first:last] = counts

        map_blocks(block, hi - lo, _BLOCK)
        if progress is not None:
            progress(hi, n)
    return cdf, mean
