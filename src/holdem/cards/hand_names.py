"""A poker hand named as a player (and PokerStars) says it: "two pair, Kings and Fives".

`hand_name` takes 5 to 7 cards, finds the best five with the evaluator
(`holdem.cards.evaluator`: its rank decides which five, its category which kind of hand) and
names the ranks that decide it, in the words of PokerStars' hand histories, so one wording
serves ``holdem play``'s showdowns and the hand-history logs that tools read:

=================  ===========================================
high card          ``high card Ace``
one pair           ``a pair of Kings``
two pair           ``two pair, Kings and Fives``
three of a kind    ``three of a kind, Sevens``
straight           ``a straight, Five to Nine`` (the wheel: ``Ace to Five``)
flush              ``a flush, Ace high``
full house         ``a full house, Kings full of Fives``
four of a kind     ``four of a kind, Aces``
straight flush     ``a straight flush, Nine to King``; ``a Royal Flush``
=================  ===========================================
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

import numpy as np

from holdem.cards.encoding import N_RANKS, rank_of
from holdem.cards.evaluator import (
    CATEGORY_OF_RANK,
    FLUSH,
    FULL_HOUSE,
    HIGH_CARD,
    PAIR,
    QUADS,
    STRAIGHT,
    STRAIGHT_FLUSH,
    TRIPS,
    TWO_PAIR,
    evaluate_batch,
)

RANK_WORDS = (
    "Deuce", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Jack", "Queen",
    "King", "Ace",
)  # fmt: skip
"""The name of each rank 0..12 (2..A); the plural adds ``s`` (``Sixes`` adds ``es``)."""
_ACE = N_RANKS - 1
_FIVE = 3


def plural(rank: int) -> str:
    """``Kings``, ``Sixes``, ``Deuces``."""
    word = RANK_WORDS[rank]
    return word + ("es" if word.endswith("x") else "s")


def best_five(cards: Sequence[int]) -> tuple[tuple[int, ...], int]:
    """The best five of 5 to 7 distinct cards, and their rank 1..7462 (higher is better)."""
    if not 5 <= len(cards) <= 7 or len(set(cards)) != len(cards):
        raise ValueError(f"a hand is 5 to 7 distinct cards, got {list(cards)}")
    fives = list(combinations((int(c) for c in cards), 5))
    ranks = evaluate_batch(np.asarray(fives, np.uint8), parallel=False)
    best = int(np.argmax(ranks))
    return fives[best], int(ranks[best])


def hand_name(cards: Sequence[int]) -> str:
    """The name of the best five-card hand among 5 to 7 cards (see the module's table)."""
    five, rank = best_five(cards)
    category = int(CATEGORY_OF_RANK[rank])
    counts = Counter(rank_of(c) for c in five)
    # ranks by how many times they occur, then by rank: (trips, pair) of a full house, ...
    order = sorted(counts, key=lambda r: (counts[r], r), reverse=True)
    if category in (STRAIGHT, STRAIGHT_FLUSH):
        top = _FIVE if set(counts) == {_ACE, 0, 1, 2, _FIVE} else max(counts)
        if category == STRAIGHT_FLUSH and top == _ACE:
            return "a Royal Flush"
        low = _ACE if top == _FIVE else top - 4
        kind = "a straight flush" if category == STRAIGHT_FLUSH else "a straight"
        return f"{kind}, {RANK_WORDS[low]} to {RANK_WORDS[top]}"
    if category == QUADS:
        return f"four of a kind, {plural(order[0])}"
    if category == FULL_HOUSE:
        return f"a full house, {plural(order[0])} full of {plural(order[1])}"
    if category == FLUSH:
        return f"a flush, {RANK_WORDS[order[0]]} high"
    if category == TRIPS:
        return f"three of a kind, {plural(order[0])}"
    if category == TWO_PAIR:
        return f"two pair, {plural(order[0])} and {plural(order[1])}"
    if category == PAIR:
        return f"a pair of {plural(order[0])}"
    assert category == HIGH_CARD
    return f"high card {RANK_WORDS[order[0]]}"
