"""Chips a seat wins or loses at a terminal node of a betting tree, for 2 to 31 players.

At a fold terminal the one seat left takes the pot; at a showdown the seats still in with the
highest rank share it equally. Every seat starts with the same stack, so there are no side pots.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.betting_tree import FOLD_END


@njit(cache=True, nogil=True, inline="always")
def terminal_value(
    node: int, seat: int, kind: np.ndarray, chips: np.ndarray, folded: np.ndarray, ranks: np.ndarray
) -> float:
    """Net chips of ``seat`` at terminal ``node``: its share of the pot minus what it put in.

    ``ranks[s]`` is seat s's showdown rank for the deal (ignored at fold terminals).
    """
    n_players = chips.shape[1]
    pot = 0
    for s in range(n_players):
        pot += chips[node, s]
    paid = float(chips[node, seat])
    mask = folded[node]
    if mask >> seat & 1:
        return -paid
    if kind[node] == FOLD_END:
        return pot - paid
    best = -1
    winners = 0
    for s in range(n_players):
        if mask >> s & 1:
            continue
        if ranks[s] > best:
            best = ranks[s]
            winners = 1
        elif ranks[s] == best:
            winners += 1
    if ranks[seat] < best:
        return -paid
    return pot / winners - paid
