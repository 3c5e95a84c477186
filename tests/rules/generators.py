"""Random tables, deals and actions that favour the hard cases of the rules.

Tables have 2 to 6 seats and unequal stacks with many short ones (so all-ins, blinds posted
all-in and side pots are common), odd blinds and antes (odd chips). One deal in eight has a
board on which every hand ties (a broadway straight that no two hole cards can improve), so
split pots with odd chips reach showdown often. Actions are drawn from the legal ones with a
bias toward raises and all-ins.
"""

from __future__ import annotations

import numpy as np

from holdem.cards.encoding import parse_cards
from holdem.rules import Action, Deal, LegalActions, TableConfig

TIE_BOARD = tuple(parse_cards("Ts Js Qd Kh Ac"))


def random_table(rng: np.random.Generator) -> TableConfig:
    """A table of 2 to 6 seats with unequal stacks, often short, and odd blinds/antes."""
    n = int(rng.integers(2, 7))
    big = int(rng.choice([2, 3, 10, 25, 100]))
    # Heads-up with equal blinds PokerKit lets the big blind act first preflop (it breaks the
    # tie between equal blind bets by player index), so heads-up tables get a smaller small blind.
    top_small = big if n > 2 else big - 1
    small = int(rng.integers(1, top_small + 1)) if rng.random() < 0.3 else max(1, big // 2)
    ante = int(rng.integers(1, big + 1)) if rng.random() < 0.35 else 0
    stacks = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.1:
            stacks.append(int(rng.integers(1, big + ante + 2)))
        elif kind < 0.55:
            stacks.append(int(rng.integers(big, 12 * big + 1)))
        else:
            stacks.append(int(rng.integers(10 * big, 120 * big + 1)))
    return TableConfig(tuple(stacks), small, big, ante, int(rng.integers(n)))


def random_deal(n_seats: int, rng: np.random.Generator) -> Deal:
    """Random cards; one deal in eight has the all-tie broadway board."""
    if rng.random() >= 0.125:
        return Deal.random(n_seats, rng)
    deck = [c for c in rng.permutation(52).tolist() if c not in TIE_BOARD]
    holes = tuple((deck[2 * s], deck[2 * s + 1]) for s in range(n_seats))
    return Deal(holes, TIE_BOARD)


def random_action(legal: LegalActions, rng: np.random.Generator, calm: bool = False) -> Action:
    """A legal action, biased toward raises (often all-in) and away from folds.

    ``calm`` play raises less and rarely shoves, so that hands see betting on every street.
    """
    options = []
    if legal.can_fold:
        options.append(("fold", 0.15))
    options.append(("check" if legal.can_check else "call", 0.6 if calm else 0.45))
    if legal.can_raise:
        options.append(("raise", 0.25 if calm else 0.4))
    names = [name for name, _ in options]
    weights = np.array([w for _, w in options])
    name = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    if name == "fold":
        return Action.fold()
    if name == "check":
        return Action.check()
    if name == "call":
        return Action.call()
    assert legal.min_raise_to is not None and legal.max_raise_to is not None
    size = rng.random()
    if size < (0.03 if calm else 0.35):
        return Action.raise_to(legal.max_raise_to)
    if size < 0.65:
        return Action.raise_to(legal.min_raise_to)
    return Action.raise_to(int(rng.integers(legal.min_raise_to, legal.max_raise_to + 1)))
