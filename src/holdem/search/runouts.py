"""All-in runouts at once: the equity of every pair of hands over the last card to come.

Where both players are all in before the river, a spot deals the cards left and shows down.
Walked card by card, that is one showdown sweep per river card (`holdem.search.terminal_values`)
on every line that goes all in, for every turn card: on TexasSolver's flop spot a fifth of an
iteration. The value is linear in the opponent's reach, and the same matrix serves every
all-in line below the same board: ``E[h, o] = (1 / n) * Σ_c sign(rank(h, board + c) - rank(o,
board + c))`` over the cards ``c`` that neither hand holds, for hands ``h`` (player 0) and ``o``
(player 1) sharing no card with each other or the board (0 otherwise); ``n = 52 - 4 - 4``, the
cards left for any such pair of hands. An all-in line's values are then one product with the
opponent's reach: ``stake * E @ reach_1`` for player 0, ``-stake * E.T @ reach_0`` for player 1.

The sums ``n * E`` are kept, exact, in int8 (they lie in -44..44): a byte per pair of hands,
so the 36 turn cards of a flop spot's 225 by 310 hands take 2.5 MB and the products read them
from the cache rather than memory (float64 matrices cost 11% of the flop's iteration more).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.search.terminal_values import hand_ranks

LAST_BOARD = 4
"""Cards on the board before the last one: the matrices are per such board."""
CARDS_LEFT = 52 - LAST_BOARD - 4
"""The last cards that a pair of hands sharing no card leaves: the ``n`` of ``E``."""


@njit(cache=True, nogil=True)
def _signs_summed(ranks_0, ranks_1, holds_0, holds_1, out):  # type: ignore[no-untyped-def]
    """``out[h, o] = Σ_c sign(ranks_0[c, h] - ranks_1[c, o])`` over the last cards ``c``
    (rows) that neither hand holds (``holds_p[c, h]``)."""
    n_0, n_1 = out.shape
    total = np.zeros((n_0, n_1), np.int32)
    alive = np.empty(n_1, np.int32)
    for c in range(ranks_0.shape[0]):
        for o in range(n_1):
            alive[o] = 0 if holds_1[c, o] else 1
        for h in range(n_0):
            if holds_0[c, h]:
                continue
            mine = ranks_0[c, h]
            for o in range(n_1):
                theirs = ranks_1[c, o]
                total[h, o] += alive[o] * ((mine > theirs) - (mine < theirs))
    for h in range(n_0):
        for o in range(n_1):
            out[h, o] = total[h, o]


def runout_equity(boards: np.ndarray, hands: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """(len(boards), H_0, H_1) int8: ``n * E`` (module docstring) on each board of ``boards``
    ((n, 4) cards) for the players' ``hands`` ((H_p, 2) cards each)."""
    boards = np.asarray(boards, np.int64)
    if boards.ndim != 2 or boards.shape[1] != LAST_BOARD:
        raise ValueError(f"boards must have shape (n, {LAST_BOARD}), got {boards.shape}")
    out = np.zeros((len(boards), len(hands[0]), len(hands[1])), np.int8)
    shared: np.ndarray = (hands[0][:, None, :, None] == hands[1][None, :, None, :]).any(axis=(2, 3))
    for i, board in enumerate(boards):
        last = np.array([c for c in range(52) if c not in set(board.tolist())], np.int64)
        rivers = np.hstack([np.repeat(board[None, :], len(last), axis=0), last[:, None]])
        ranks = [hand_ranks(rivers, h) for h in hands]
        holds = [(h[None, :, 0] == last[:, None]) | (h[None, :, 1] == last[:, None]) for h in hands]
        _signs_summed(ranks[0], ranks[1], holds[0], holds[1], out[i])
        on_board = [np.asarray(np.isin(h, board).any(axis=1)) for h in hands]
        out[i][shared | on_board[0][:, None] | on_board[1][None, :]] = 0
    return out


@njit(cache=True, nogil=True, fastmath=True)
def runout_values(equity, trav, stake, reach_o, out):  # type: ignore[no-untyped-def]
    """``out``: the traverser's values of an all-in line whose showdown is for ``stake`` each,
    against the opponent's ``reach_o``, from the line's board's sums ``equity`` (H_0, H_1;
    `runout_equity`)."""
    scale = stake / CARDS_LEFT
    if trav == 0:
        for h in range(out.shape[0]):
            total = 0.0
            for o in range(reach_o.shape[0]):
                total += equity[h, o] * reach_o[o]
            out[h] = scale * total
        return
    out[:] = 0.0
    for o in range(reach_o.shape[0]):
        weight = scale * reach_o[o]
        for h in range(out.shape[0]):
            out[h] -= weight * equity[o, h]
