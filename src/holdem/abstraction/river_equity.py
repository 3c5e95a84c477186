"""Exact equity against a uniformly random hand for every canonical river hand, board by board.

A river hand's equity against a random hand is ``(wins + ties / 2) / 990`` over the C(45, 2)
opponent hands that share no card with it. We store ``2 * wins + ties``, an integer 0..1980,
as uint16 (exact, and half the memory of float32): 246 MB for the 123,156,254 canonical river
hands.

How (per board, with no hand evaluated twice):

1. Boards are taken up to suit permutation (`holdem.cards.boards.canonical_boards`): a
   5-card board is kept when its four suit rank masks are in non-increasing order (suit 0's
   mask >= suit 1's >= ...). Every board is a suit permutation of exactly one kept board, and
   permuting suits maps a river hand to the same canonical index, so the kept boards with
   every hole pair reach every canonical river hand. There are 134,459 kept boards (of
   2,598,960).
2. On a board, the 1,081 hole pairs from the 47 cards left are ranked with the incremental
   evaluator (the board's key is summed once, then two cards are added) and counting-sorted by
   rank (`holdem.cards.boards.rank_hole_pairs`).
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

from holdem.cards.boards import N_HOLE_PAIRS, canonical_boards, rank_hole_pairs
from holdem.cards.evaluator import SUITED_BIT
from holdem.cards.isomorphism import N_RIVER_INDICES, index_masks
from holdem.parallel import map_blocks

N_OPPONENT_HANDS = 990  # C(45, 2)
EQUITY_SCALE = 2 * N_OPPONENT_HANDS  # stored value 2 * wins + ties lies in 0..1980
_N_CARDS = 52
_BOARD_BLOCK = 32  # boards per thread task: about 2 ms of work each


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
