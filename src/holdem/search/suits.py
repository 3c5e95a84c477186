"""Suit symmetry of a spot: the first card dealt, solved once per class of equivalent cards.

A permutation of the four suits that maps the board to itself and each range to itself maps the
whole spot to itself: it maps every hand, card and strategy to an equivalent one. On the flop
Qs Jh 2h with ranges written as hand classes, clubs and diamonds can be swapped: the turn 8c
is the turn 8d with the suits renamed, so a solver keeps one copy of the turn's subtree for
both, and reads the values of 8c from those of 8d (postflop-solver and TexasSolver do the same;
Waugh, "A fast and optimal hand isomorphism algorithm", 2013, for the idea of canonical suits).
It is exact: CFR started from the uniform strategy on a symmetric game stays symmetric.

On a flop spot it is used for both cards dealt: the turn by the spot's symmetries, and the
river by those of them that leave the turn card in place (on Qs Jh 2h a spade or heart turn
keeps clubs and diamonds interchangeable, a diamond turn does not: 1,429 river boards instead of
1,728).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from holdem.cards.combos import COMBOS, N_COMBOS, combo_indices

Permutation = tuple[int, int, int, int]
"""``perm[suit]``: the suit that ``suit`` becomes."""


def map_card(card: int, perm: Permutation) -> int:
    """``card`` with its suit renamed by ``perm`` (cards are ``4 * rank + suit``)."""
    return (card & ~3) | perm[card & 3]


def inverse(perm: Permutation) -> Permutation:
    """The permutation undoing ``perm``."""
    out = [0, 0, 0, 0]
    for suit, image in enumerate(perm):
        out[image] = suit
    return (out[0], out[1], out[2], out[3])


def combo_map(perm: Permutation) -> np.ndarray:
    """(1326,) the combination each combination becomes under ``perm``."""
    suits = np.asarray(perm, np.int64)
    mapped = (COMBOS & ~3) | suits[COMBOS & 3]
    return combo_indices(mapped[:, 0], mapped[:, 1])


def spot_symmetries(board: tuple[int, ...], ranges: tuple[np.ndarray, ...]) -> list[Permutation]:
    """Every suit permutation mapping the board and both ranges to themselves (identity first)."""
    found: list[Permutation] = []
    cards = set(board)
    for candidate in permutations(range(4)):
        perm: Permutation = (candidate[0], candidate[1], candidate[2], candidate[3])
        if {map_card(c, perm) for c in cards} != cards:
            continue
        mapped = combo_map(perm)
        if all(np.array_equal(weights[mapped], weights) for weights in ranges):
            found.append(perm)
    return found


def canonical_deal(
    deck: np.ndarray, symmetries: list[Permutation]
) -> tuple[np.ndarray, np.ndarray]:
    """For each card of ``deck``: the slot of its class's representative (the lowest card of
    the class) and the index in ``symmetries`` of a permutation taking the representative to
    it (0, the identity, for a representative)."""
    where = {int(c): i for i, c in enumerate(deck)}
    representative = np.empty(len(deck), np.int64)
    mapping = np.zeros(len(deck), np.int64)
    for slot, card in enumerate(deck.tolist()):
        best, best_perm = card, 0
        for index, perm in enumerate(symmetries):
            image = map_card(card, inverse(perm))
            if image < best:
                best, best_perm = image, index
        representative[slot] = where[best]
        mapping[slot] = best_perm
    return representative, mapping


def second_deal(
    deck: np.ndarray, symmetries: list[Permutation], first_slots: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The classes of the second card dealt below each first card's representative: arrays
    (len(first_slots), len(deck)) of, per second card's slot, the slot of its class's
    representative under the symmetries that fix the first card, the index in ``symmetries``
    of a permutation taking the representative to it, and the table copy of a representative
    (representatives numbered in row order, then slot order; -1 elsewhere and at the first
    card's own slot). Without a symmetry every second card is its own class."""
    n_first, n_deck = len(first_slots), len(deck)
    representative = np.empty((n_first, n_deck), np.int64)
    mapping = np.empty((n_first, n_deck), np.int64)
    copy = np.full((n_first, n_deck), -1, np.int64)
    copies = 0
    for row, first in enumerate(first_slots.tolist()):
        card = int(deck[first])
        fixing = [i for i, perm in enumerate(symmetries) if map_card(card, perm) == card]
        representative[row], within = canonical_deal(deck, [symmetries[i] for i in fixing])
        mapping[row] = np.array(fixing, np.int64)[within]
        for slot in range(n_deck):
            if slot != first and representative[row, slot] == slot:
                copy[row, slot] = copies
                copies += 1
    return representative, mapping, copy


def hand_permutation(combos: np.ndarray, perm: Permutation) -> np.ndarray:
    """(H,) for each live hand ``h`` (combination ``combos[h]``), the live-hand index of the
    hand that ``perm``'s inverse takes it to: the values of a card's image are read from the
    representative's values at these indices."""
    back = combo_map(inverse(perm))
    where = np.full(N_COMBOS, -1, np.int64)
    where[combos] = np.arange(len(combos))
    out = where[back[combos]]
    if np.any(out < 0):
        raise ValueError("the range is not symmetric under this suit permutation")
    return out
