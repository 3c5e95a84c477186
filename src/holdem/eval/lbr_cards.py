"""Card facts over the 1,326 hole-card combinations, for local best response (`holdem.eval.lbr`).

An opponent's range is a vector over the 1,326 two-card combinations, in the order of
`holdem.cards.combos.COMBOS`. Three vectors in that order serve each LBR decision:

- `blocked_combos(cards)` (`holdem.cards.combos`): the combinations that share a card with
  the given ones (LBR's own hole cards and the board), which the range gives probability zero;
- `equity_vector`: LBR's all-in equity (wins plus half the ties) against each combination.
  On the flop, turn and river it is exact: every runout of the remaining board (C(45, 2) = 990
  on the flop, 44 on the turn) is enumerated with the 7-card evaluator, about 1.1 million
  evaluations on the flop (12 ms on one core of the shared test machine). Preflop, where every
  5-card board would cost 2 billion evaluations per decision, each combination gets the exact
  mean equity of LBR's preflop class against its class with card removal
  (`holdem.cards.preflop_matchups`), which is exact against any range that weighs the suits of
  a class alike (a uniform range, a range of a policy over the 169 classes such as push/fold)
  and off by the suits' effects otherwise (flush domination: a few per cent);
- `combo_buckets`: each combination's bucket in a street's card abstraction table, as
  `holdem.policy.Blueprint.bucket` reads it for one hand (``table[index_masks(hole, board)]``).

Kernels take flat int64 arrays: ``first[i], second[i]`` the cards of combination ``i``, ``board``
the 3, 4 or 5 board cards.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.cards.combos import FIRST, N_COMBOS, SECOND, blocked_combos, combo_classes, combo_index
from holdem.cards.evaluator import evaluate7
from holdem.cards.isomorphism import index_masks, suit_rank_bit


@njit(cache=True, nogil=True)
def _runouts(used: np.ndarray, board: np.ndarray) -> np.ndarray:
    """(n, 2) int64: the turn and river cards of every runout of ``board`` (3, 4 or 5 cards)
    from the cards not ``used`` (one row, the board's own, when it is complete)."""
    n_board = board.shape[0]
    if n_board == 5:
        out = np.empty((1, 2), np.int64)
        out[0, 0] = board[3]
        out[0, 1] = board[4]
        return out
    free = np.flatnonzero(~used)
    if n_board == 4:
        out = np.empty((free.shape[0], 2), np.int64)
        for k in range(free.shape[0]):
            out[k, 0] = board[3]
            out[k, 1] = free[k]
        return out
    m = free.shape[0]
    out = np.empty((m * (m - 1) // 2, 2), np.int64)
    k = 0
    for x in range(m):
        for y in range(x + 1, m):
            out[k, 0] = free[x]
            out[k, 1] = free[y]
            k += 1
    return out


@njit(cache=True, nogil=True)
def _rollout_equity(
    h0: int, h1: int, board: np.ndarray, first: np.ndarray, second: np.ndarray, out: np.ndarray
) -> None:
    """``out[i]``: the equity of ``(h0, h1)`` against combination ``i`` over every runout of the
    board to five cards (0.5 for a combination that shares a card with the hand or board)."""
    used = np.zeros(52, np.bool_)
    used[h0] = True
    used[h1] = True
    for c in board:
        used[c] = True
    runouts = _runouts(used, board)
    n = first.shape[0]
    halves = np.zeros(n, np.int64)  # twice the equity, summed over runouts
    counts = np.zeros(n, np.int64)
    b0, b1, b2 = board[0], board[1], board[2]
    for k in range(runouts.shape[0]):
        t = runouts[k, 0]
        r = runouts[k, 1]
        mine = evaluate7(h0, h1, b0, b1, b2, t, r)
        had_t, had_r = used[t], used[r]  # both already used when the board is complete
        used[t] = True
        used[r] = True
        for i in range(n):
            a = first[i]
            b = second[i]
            if used[a] or used[b]:
                continue
            theirs = evaluate7(a, b, b0, b1, b2, t, r)
            if mine > theirs:
                halves[i] += 2
            elif mine == theirs:
                halves[i] += 1
            counts[i] += 1
        used[t] = had_t
        used[r] = had_r
    for i in range(n):
        out[i] = 0.5 if counts[i] == 0 else halves[i] / (2.0 * counts[i])


def equity_vector(
    hand: tuple[int, int], board: tuple[int, ...], preflop: np.ndarray | None = None
) -> np.ndarray:
    """(1326,) float64: the all-in equity of ``hand`` against each combination (module docstring).

    ``board`` has 0, 3, 4 or 5 cards; preflop needs ``preflop``, the (169, 169) mean equity of a
    class against a class (`PreflopMatchups.mean_equity`). Entries of combinations that share a
    card with the hand or board are 0.5 (they carry no weight).
    """
    h0, h1 = int(hand[0]), int(hand[1])
    out = np.empty(N_COMBOS, np.float64)
    if len(board) == 0:
        if preflop is None:
            raise ValueError("preflop equity needs the preflop matchup tables' mean equity")
        classes = _COMBO_CLASSES
        out[:] = preflop[classes[combo_index(h0, h1)], classes]
        out[blocked_combos((h0, h1))] = 0.5
        return out
    if len(board) not in (3, 4, 5):
        raise ValueError(f"a board has 0, 3, 4 or 5 cards, got {len(board)}")
    _rollout_equity(h0, h1, np.array(board, np.int64), FIRST, SECOND, out)
    return out


_COMBO_CLASSES = combo_classes()


@njit(cache=True, nogil=True)
def _buckets(
    table: np.ndarray,
    board_mask: int,
    first: np.ndarray,
    second: np.ndarray,
    skip: np.ndarray,
    out: np.ndarray,
) -> None:
    for i in range(first.shape[0]):
        if skip[i]:
            out[i] = 0
        else:
            hole = suit_rank_bit(first[i]) | suit_rank_bit(second[i])
            out[i] = table[index_masks(hole, board_mask)]


_PREFLOP_IDENTITY = np.arange(169, dtype=np.int64)


def combo_buckets(table: np.ndarray | None, board: tuple[int, ...]) -> np.ndarray:
    """(1326,) int64: each combination's bucket on the street of ``board`` (0, 3, 4, 5 cards).

    ``table`` is the street's bucket table of the card abstraction, indexed by the canonical
    hand index; None means the street has no table: preflop the bucket is the class (lossless
    preflop), later streets have the single bucket 0. Combinations that share a card with the
    board get bucket 0.
    """
    out = np.zeros(N_COMBOS, np.int64)
    if table is None and board:
        return out
    board_mask = 0
    for card in board:
        board_mask |= suit_rank_bit(card)
    skip = blocked_combos(board)
    _buckets(_PREFLOP_IDENTITY if table is None else table, board_mask, FIRST, SECOND, skip, out)
    return out
