"""Exact equity against a uniformly random hand for every canonical river hand, board by board.

A river hand's equity against a random hand is ``(wins + ties / 2) / 990`` over the C(45, 2)
opponent hands that share no card with it. We store ``2 * wins + ties``, an integer 0..1980,
as uint16 (exact, and half the memory of float32): 246 MB for the 123,156,254 canonical river
hands.

How (per board, with no hand evaluated twice):

1. Boards are taken up to suit permutation: a 5-card board is kept when its four suit rank
   masks are in non-increasing order (suit 0's mask >= suit 1's >= ...). Every board is a suit
   permutation of exactly one kept board, and permuting suits maps a river hand to the same
   canonical index, so the kept boards with every hole pair reach every canonical river hand.
   There are 134,459 kept boards (of 2,598,960).
2. On a board, the 1,081 hole pairs from the 47 cards left are ranked with the incremental
   evaluator (the board's key is summed once, then two cards are added) and counting-sorted by
   rank.
3. Walking the ranks upward, with ``below`` the number of hands ranked lower and
   ``below_with[c]`` the number of those holding card ``c``, hand ``(a, b)`` beats
   ``below - below_with[a] - below_with[b]`` opponent hands: inclusion-exclusion removes the
   hands sharing a card with it (no lower hand holds both ``a`` and ``b``, that is the hand
   itself). Ties count the same way within the hand's own rank, adding back the hand itself.

Cost: about 145 million hand ranks and canonical indices in all, seconds on a few cores.
The method is the standard one of sorting hands by strength and counting with card removal,
as in Michael Johanson's poker-evaluation notes and open equity calculators; the code is ours.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numba import njit

from holdem.cards.combinations import next_combination
from holdem.cards.evaluator import KEY, N_HAND_RANKS, SUITED_BIT, _finish
from holdem.cards.isomorphism import N_RIVER_INDICES, index_masks
from holdem.parallel import map_blocks

N_OPPONENT_HANDS = 990  # C(45, 2)
EQUITY_SCALE = 2 * N_OPPONENT_HANDS  # stored value 2 * wins + ties lies in 0..1980
N_HOLE_PAIRS = 1081  # C(47, 2)
_N_CARDS = 52
_BOARD_BLOCK = 32  # boards per thread task: about 2 ms of work each


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
        total = total * (_N_CARDS - i) // (i + 1)
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
        if not next_combination(idx, n_cards, _N_CARDS):
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
    for c in range(_N_CARDS):
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


@njit(cache=True, nogil=True)
def board_equities(board: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``2 * wins + ties`` against a random hand of every hole pair on a 5-card ``board``.

    Hole pair ``h`` is ``(first[h], second[h])``, the pairs of the 47 cards left in
    increasing order (``first``/``second`` are filled here, length 1081). Returns (1081,)
    uint16.
    """
    rank = np.empty(N_HOLE_PAIRS, np.int64)
    order = rank_hole_pairs(board, first, second, rank)
    below_with = np.zeros(_N_CARDS, np.int64)
    same_with = np.zeros(_N_CARDS, np.int64)
    out = np.empty(N_HOLE_PAIRS, np.uint16)
    below = 0
    p = 0
    while p < N_HOLE_PAIRS:
        q = p
        r = rank[order[p]]
        while q < N_HOLE_PAIRS and rank[order[q]] == r:
            same_with[first[order[q]]] += 1
            same_with[second[order[q]]] += 1
            q += 1
        group = q - p
        for t in range(p, q):
            h = order[t]
            a = first[h]
            b = second[h]
            wins = below - below_with[a] - below_with[b]
            ties = group - same_with[a] - same_with[b] + 1
            out[h] = 2 * wins + ties
        for t in range(p, q):
            h = order[t]
            a = first[h]
            b = second[h]
            below_with[a] += 1
            below_with[b] += 1
            same_with[a] = 0
            same_with[b] = 0
        below += group
        p = q
    return out


@njit(cache=True, nogil=True)
def _fill_river(boards: np.ndarray, table: np.ndarray) -> None:
    """Write the equity of every hole pair on each board at its canonical river index.

    Threads fill blocks of boards at once (`river_equity_table`): hands reached from two boards
    or two hole pairs are isomorphic and get equal values, so concurrent writes agree.
    """
    first = np.empty(N_HOLE_PAIRS, np.int64)
    second = np.empty(N_HOLE_PAIRS, np.int64)
    for b in range(boards.shape[0]):
        board = boards[b]
        values = board_equities(board, first, second)
        board_mask = 0
        for c in board:
            board_mask |= int(SUITED_BIT[c])
        for h in range(N_HOLE_PAIRS):
            hole = int(SUITED_BIT[first[h]] | SUITED_BIT[second[h]])
            table[index_masks(hole, board_mask)] = values[h]


def river_equity_table(
    boards: np.ndarray | None = None,
    table: np.ndarray | None = None,
    chunk: int = 2048,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """``2 * wins + ties`` (uint16, 0..1980) of every canonical river hand, by river index.

    ``boards`` defaults to ``canonical_boards(5)`` (then every entry is written); a subset
    fills only the hands on those boards, for tests. ``table`` may be given to fill in place.
    ``progress(done_boards, total_boards)`` runs after each ``chunk`` boards.
    """
    if boards is None:
        boards = canonical_boards(5)
    boards = np.ascontiguousarray(boards, np.uint8)
    if boards.ndim != 2 or boards.shape[1] != 5:
        raise ValueError(f"boards must have shape (n, 5), got {boards.shape}")
    if table is None:
        table = np.zeros(N_RIVER_INDICES, np.uint16)
    for start in range(0, boards.shape[0], chunk):
        stop = min(boards.shape[0], start + chunk)
        part = boards[start:stop]

        def fill(lo: int, hi: int, part: np.ndarray = part) -> None:
            _fill_river(part[lo:hi], table)

        map_blocks(fill, stop - start, _BOARD_BLOCK)
        if progress is not None:
            progress(stop, boards.shape[0])
    return table
