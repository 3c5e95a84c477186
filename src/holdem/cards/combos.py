"""The 1,326 hole-card combinations: their order, index and the card facts over them.

A range, a vector of values or a strategy over hole cards is a vector over the 1,326 two-card
combinations in the order of `COMBOS`: ``COMBOS[i] = (a, b)`` with ``a < b``, lexicographic
(``(2c, 2d)`` first, ``(Ks, As)`` last), so ``i = combo_index(a, b)``. Local best response
(`holdem.eval`) and the spot solver (`holdem.search`) share this order.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from holdem.cards.encoding import format_card
from holdem.cards.preflop_matchups import class_of_cards

N_COMBOS = 1326
N_CARDS = 52


def _combos() -> np.ndarray:
    pairs = [(a, b) for a in range(N_CARDS) for b in range(a + 1, N_CARDS)]
    return np.array(pairs, np.int64)


COMBOS: np.ndarray = _combos()
"""(1326, 2) int64: the cards ``(a, b)``, ``a < b``, of each combination, lexicographic."""
COMBOS.flags.writeable = False

FIRST = np.ascontiguousarray(COMBOS[:, 0])
SECOND = np.ascontiguousarray(COMBOS[:, 1])
_INDEX = np.full((N_CARDS, N_CARDS), -1, np.int64)
_INDEX[FIRST, SECOND] = np.arange(N_COMBOS)
_INDEX[SECOND, FIRST] = np.arange(N_COMBOS)


def combo_index(a: int, b: int) -> int:
    """The index in `COMBOS` of the hole cards ``a`` and ``b`` (either order)."""
    if not (0 <= a < N_CARDS and 0 <= b < N_CARDS) or a == b:
        raise ValueError(f"hole cards are two different cards 0..51, got {a} and {b}")
    return int(_INDEX[a, b])


def combo_indices(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The indices in `COMBOS` of the hole cards ``first[i]``, ``second[i]`` (either order;
    arrays of cards, two different cards in each pair: not checked, unlike `combo_index`)."""
    return _INDEX[first, second]


def combo_text(combo: int) -> str:
    """A combination's text as players write it, high card first: ``AsKd``."""
    low, high = COMBOS[combo]
    return format_card(int(high)) + format_card(int(low))


def blocked_combos(cards: Iterable[int]) -> np.ndarray:
    """(1326,) bool: the combinations holding any of ``cards``."""
    used = np.zeros(N_CARDS, np.bool_)
    used[np.fromiter((int(c) for c in cards), np.int64)] = True
    return used[FIRST] | used[SECOND]


def combo_classes() -> np.ndarray:
    """(1326,) int64: the preflop class (0..168) of each combination."""
    return class_of_cards()[FIRST, SECOND]
