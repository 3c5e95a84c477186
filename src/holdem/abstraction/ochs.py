"""Opponent cluster hand strength (OCHS): river equity against each of m clusters of opponents.

From Michael Johanson, Neil Burch, Richard Valenzano and Michael Bowling, *Evaluating
State-Space Abstractions in Extensive-Form Games*, AAMAS 2013
(https://poker.cs.ualberta.ca/publications/AAMAS13-abstraction.pdf): the opponent's 169 preflop
classes are partitioned into ``m`` clusters (here by the preflop k-means under EMD of
``features``), and a river hand is described by ``m`` numbers, its equity against an opponent
hand drawn uniformly from each cluster (opponent hands sharing a card with the hand or the
board excluded). Hands with equal equity against a random hand can differ here: one beats
the weak hands an opponent would fold, the other the strong ones.

On a board the counts come from one walk over the hole pairs sorted by rank, as for the equity
against a random hand (``river_equity``), with one counter per cluster instead of one in all.
Stored for all 123,156,254 river hands the features would take 3.9 GB at m = 8, so they are
not: k-means is fitted on the hands of a random sample of boards, then a second pass over every
canonical board computes each hand's features again and writes its nearest center's label at
the hand's canonical index. A cluster with no opponent hand left (all blocked) takes the hand's
equity against a random hand.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numba import njit

from holdem.abstraction.river_equity import EQUITY_SCALE
from holdem.cards.boards import N_HOLE_PAIRS, rank_hole_pairs
from holdem.cards.evaluator import SUITED_BIT
from holdem.cards.isomorphism import N_INDICES, hand_index, index_masks
from holdem.parallel import map_blocks

_N_CARDS = 52
_BOARD_BLOCK = 16  # boards per thread task


def pair_clusters(preflop_labels: np.ndarray) -> np.ndarray:
    """(52, 52) int64: the cluster of each hole pair, from a cluster per preflop index (169,)."""
    labels = np.asarray(preflop_labels)
    if labels.shape != (N_INDICES[0],):
        raise ValueError(f"preflop labels must have shape (169,), got {labels.shape}")
    out = np.full((_N_CARDS, _N_CARDS), -1, np.int64)
    for a in range(_N_CARDS):
        for b in range(a + 1, _N_CARDS):
            out[a, b] = out[b, a] = int(labels[hand_index([a, b])])
    return out


@njit(cache=True, nogil=True)
def board_ochs(board: np.ndarray, cluster: np.ndarray, m: int, out: np.ndarray) -> np.ndarray:
    """OCHS features of every hole pair on a 5-card ``board`` into ``out`` (1081, m) float32.

    ``cluster`` is ``pair_clusters``'s (52, 52) table. Returns the (1081, 2) hole pairs, in the
    order of ``river_equity.board_equities``.
    """
    first = np.empty(N_HOLE_PAIRS, np.int64)
    second = np.empty(N_HOLE_PAIRS, np.int64)
    rank = np.empty(N_HOLE_PAIRS, np.int64)
    order = rank_hole_pairs(board, first, second, rank)
    total = np.zeros(m, np.int64)
    total_with = np.zeros((_N_CARDS, m), np.int64)
    for h in range(N_HOLE_PAIRS):
        c = cluster[first[h], second[h]]
        total[c] += 1
        total_with[first[h], c] += 1
        total_with[second[h], c] += 1
    below = np.zeros(m, np.int64)
    below_with = np.zeros((_N_CARDS, m), np.int64)
    same = np.zeros(m, np.int64)
    same_with = np.zeros((_N_CARDS, m), np.int64)
    p = 0
    while p < N_HOLE_PAIRS:
        q = p
        r = rank[order[p]]
        while q < N_HOLE_PAIRS and rank[order[q]] == r:
            h = order[q]
            c = cluster[first[h], second[h]]
            same[c] += 1
            same_with[first[h], c] += 1
            same_with[second[h], c] += 1
            q += 1
        for t in range(p, q):
            h = order[t]
            a = first[h]
            b = second[h]
            own = cluster[a, b]
            scores = 0
            for c in range(m):
                # inclusion-exclusion: the only pair holding both a and b is the hand itself,
                # counted in its own cluster's totals; it is never an opponent
                back = 1 if c == own else 0
                wins = below[c] - below_with[a, c] - below_with[b, c]
                ties = same[c] - same_with[a, c] - same_with[b, c] + back
                n = total[c] - total_with[a, c] - total_with[b, c] + back
                scores += 2 * wins + ties
                out[h, c] = (2 * wins + ties) / (2.0 * n) if n > 0 else -1.0
            for c in range(m):
                if out[h, c] < 0:
                    out[h, c] = scores / EQUITY_SCALE
        for t in range(p, q):
            h = order[t]
            a = first[h]
            b = second[h]
            c = cluster[a, b]
            below[c] += 1
            below_with[a, c] += 1
            below_with[b, c] += 1
            same[c] = 0
            same_with[a, c] = 0
            same_with[b, c] = 0
        p = q
    pairs = np.empty((N_HOLE_PAIRS, 2), np.int64)
    pairs[:, 0] = first
    pairs[:, 1] = second
    return pairs


@njit(cache=True, nogil=True)
def _features(boards: np.ndarray, cluster: np.ndarray, m: int, out: np.ndarray) -> None:
    """Features of every hole pair on each board: board ``b`` fills rows ``1081 b ..``."""
    for b in range(boards.shape[0]):
        board_ochs(boards[b], cluster, m, out[b * N_HOLE_PAIRS : (b + 1) * N_HOLE_PAIRS])


@njit(cache=True, nogil=True, fastmath=True)
def _assign_boards(
    boards: np.ndarray, cluster: np.ndarray, m: int, centers_t: np.ndarray, table: np.ndarray
) -> None:
    """Nearest center (squared L2) of every hand on each board, written at its river index.

    ``centers_t`` is the (m, k) transpose of the centers. Hands reached twice are isomorphic,
    have equal features and so get equal labels.
    """
    k = centers_t.shape[1]
    features = np.empty((N_HOLE_PAIRS, m), np.float32)
    acc = np.empty(k, np.float32)
    for b in range(boards.shape[0]):
        board = boards[b]
        pairs = board_ochs(board, cluster, m, features)
        board_mask = 0
        for c in board:
            board_mask |= int(SUITED_BIT[c])
        for h in range(N_HOLE_PAIRS):
            acc[:] = 0.0
            for j in range(m):
                x = features[h, j]
                for c in range(k):
                    y = x - centers_t[j, c]
                    acc[c] += y * y
            best = np.inf
            arg = 0
            for c in range(k):
                if acc[c] < best:
                    best = acc[c]
                    arg = c
            hole = int(SUITED_BIT[pairs[h, 0]] | SUITED_BIT[pairs[h, 1]])
            table[index_masks(hole, board_mask)] = arg


def ochs_features(boards: np.ndarray, cluster: np.ndarray, m: int) -> np.ndarray:
    """OCHS features (n_boards * 1081, m) float32 of every hole pair on the given boards."""
    boards = np.ascontiguousarray(boards, np.uint8)
    out = np.empty((boards.shape[0] * N_HOLE_PAIRS, m), np.float32)
    cluster = np.ascontiguousarray(cluster, np.int64)
    map_blocks(
        lambda lo, hi: _features(
            boards[lo:hi], cluster, m, out[lo * N_HOLE_PAIRS : hi * N_HOLE_PAIRS]
        ),
        boards.shape[0],
        _BOARD_BLOCK,
    )
    return out


def ochs_river_table(
    boards: np.ndarray,
    cluster: np.ndarray,
    centers: np.ndarray,
    table: np.ndarray,
    chunk: int = 2048,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Write the nearest of ``centers`` (k, m) for every hand on ``boards`` into ``table``.

    With ``boards = canonical_boards(5)`` every canonical river index is written.
    ``progress(done_boards, total_boards)`` runs after each ``chunk`` boards.
    """
    boards = np.ascontiguousarray(boards, np.uint8)
    centers_t = np.ascontiguousarray(np.asarray(centers, np.float32).T)
    m = centers_t.shape[0]
    cluster = np.ascontiguousarray(cluster, np.int64)
    for start in range(0, boards.shape[0], chunk):
        stop = min(boards.shape[0], start + chunk)
        part = boards[start:stop]

        def assign(lo: int, hi: int, part: np.ndarray = part) -> None:
            _assign_boards(part[lo:hi], cluster, m, centers_t, table)

        map_blocks(assign, stop - start, _BOARD_BLOCK)
        if progress is not None:
            progress(stop, boards.shape[0])
    return table
