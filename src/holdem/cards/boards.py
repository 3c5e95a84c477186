"""Boards for counts made board by board: one board per suit class, and hole pairs ranked on one.

1. Boards up to suit permutation (`canonical_boards`): a board is kept when its four suit rank
   masks are in non-increasing order (suit 0's mask >= suit 1's >= ...). Every board is a suit
   permutation of exactly one kept board: 134,459 of the 2,598,960 river boards.
2. On a river board, the 1,081 hole pairs from the 47 cards left are ranked with the
   incremental evaluator (the board's key is summed once, then two cards are added) and
   counting-sorted by rank (`rank_hole_pairs`), ready for a walk up the ranks that counts wins
   and ties with card removal (`holdem.abstraction.river_equity`,
   `holdem.cards.preflop_matchups`, `holdem.abstraction.ochs`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.cards.combinations import next_combination
from holdem.cards.encoding import N_CARDS
from holdem.cards.evaluator import KEY, N_HAND_RANKS, SUITED_BIT, _finish

N_HOLE_PAIRS = 1081  # C(47, 2)


@njit(cache=True, nogil=True)
def _suit_masks_sorted(mask: int) -> bool:
    """Whether the 13-bit rank masks of suits 0..3 in a card mask are non-increasing."""
    prev = np.int64(1 << 13)
    for suit in range(4):
        m = np.int64(0)
        for rank in range(13):
            if mask >> (4 * rank + suit) & 1:
                m |= np.int64(1) << rank
        if m > prev:
            return False
        prev = m
    return True


@njit(cache=True, nogil=True)
def _canonical_boards_kernel(n_cards: int) -> np.ndarray:
    """Boards of ``n_cards`` cards (increasing rows) whose suit masks are non-increasing."""
    total = 1
    for i in range(n_cards):
        total = total * (N_CARDS - i) // (i + 1)
    out = np.empty((total, n_cards), np.uint8)
    idx = np.arange(n_cards)
    m = 0
    while True:
        mask = int(np.int64(0))  # typed: a literal 0 would compile _suit_masks_sorted for it too
        for j in range(n_cards):
            mask |= 1 << idx[j]
        if _suit_masks_sorted(mask):
            for j in range(n_cards):
                out[m, j] = idx[j]
            m += 1
        if not next_combination(idx, n_cards, N_CARDS):
            break
    return out[:m].copy()


def canonical_boards(n_cards: int) -> np.ndarray:
    """One board of ``n_cards`` (3, 4 or 5) per class under suit permutation, (m, n) uint8."""
    if n_cards not in (3, 4, 5):
        raise ValueError(f"a board has 3, 4 or 5 cards, got {n_cards}")
    return _canonical_boards_kernel(n_cards)


@njit(cache=True, nogil=True)
def rank_hole_pairs(
    board: np.ndarray, first: np.ndarray, second: np.ndarray, rank: np.ndarray
) -> np.ndarray:
    """Rank every hole pair on a 5-card ``board``; returns the pairs in increasing rank order.

    Hole pair ``h`` is ``(first[h], second[h])``, the pairs of the 47 cards left in increasing
    order, with hand rank ``rank[h]`` (all three of length 1081, filled here). The returned
    ``order`` (1081,) lists the pairs by rank, from a counting sort.
    """
    key = np.uint64(0)
    suited = np.uint64(0)
    used = 0
    for c in board:
        key += KEY[c]
        suited |= SUITED_BIT[c]
        used |= 1 << int(c)
    left = np.empty(47, np.int64)
    n_left = 0
    for c in range(N_CARDS):
        if not used >> c & 1:
            left[n_left] = c
            n_left += 1
    h = 0
    for i in range(47):
        a = left[i]
        key_a = key + KEY[a]
        suited_a = suited | SUITED_BIT[a]
        for j in range(i + 1, 47):
            b = left[j]
            first[h] = a
            second[h] = b
            rank[h] = _finish(key_a + KEY[b], suited_a | SUITED_BIT[b])
            h += 1
    start = np.zeros(N_HAND_RANKS + 2, np.int64)
    for h in range(N_HOLE_PAIRS):
        start[rank[h] + 1] += 1
    for r in range(1, N_HAND_RANKS + 2):
        start[r] += start[r - 1]
    order = np.empty(N_HOLE_PAIRS, np.int64)
    for h in range(N_HOLE_PAIRS):
        order[start[rank[h]]] = h
        start[rank[h]] += 1
    return order
