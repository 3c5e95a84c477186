"""The cards of one hand: two hole cards per seat and up to five board cards.

Cards are integers 0..51 as defined in :mod:`holdem.cards.encoding`. A deal can be given
explicitly (so that two engines, or a test and its expectation, see identical cards), parsed
from text, or drawn from a seeded ``np.random.Generator``. The board may be shorter than five
cards: the hand state then waits for the missing cards when a street needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from holdem.cards.encoding import N_CARDS, format_cards, parse_cards

BOARD_SIZE = 5
HOLE_SIZE = 2


def _card(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= int(value) < N_CARDS:
        raise ValueError(f"{where} must be a card 0..51, got {value!r}")
    return int(value)


def as_cards(value: object, where: str) -> tuple[int, ...]:
    """Cards from text (``"AsKd"``) or card integers; ``where`` names them in errors."""
    if isinstance(value, str):
        return tuple(parse_cards(value))
    if not isinstance(value, Sequence | np.ndarray):
        raise ValueError(f"{where} must be text like 'AsKd' or a sequence of cards, got {value!r}")
    return tuple(_card(c, f"{where}[{i}]") for i, c in enumerate(value))


@dataclass(frozen=True)
class Deal:
    """Hole cards seat by seat (two each) and the board known so far (0 to 5 cards).

    Each part may be given as text (``"AsKd"``) or card integers. Validated on construction:
    every card 0..51 and no card twice.
    """

    hole_cards: tuple[tuple[int, int], ...]
    board: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.hole_cards, str) or not isinstance(self.hole_cards, Sequence):
            raise ValueError(
                f"hole_cards must hold one pair of cards per seat, got {self.hole_cards!r}"
            )
        holes = []
        for seat, pair in enumerate(self.hole_cards):
            cards = as_cards(pair, f"hole cards of seat {seat}")
            if len(cards) != HOLE_SIZE:
                raise ValueError(
                    f"seat {seat} must have {HOLE_SIZE} hole cards, got {len(cards)}: {pair!r}"
                )
            holes.append((cards[0], cards[1]))
        board = as_cards(self.board, "board")
        if len(board) > BOARD_SIZE:
            raise ValueError(f"a board has at most {BOARD_SIZE} cards, got {len(board)}: {board}")
        object.__setattr__(self, "hole_cards", tuple(holes))
        object.__setattr__(self, "board", board)
        seen: set[int] = set()
        for card in [c for pair in holes for c in pair] + list(board):
            if card in seen:
                raise ValueError(
                    f"card {format_cards([card])} is dealt twice; each card can be dealt once"
                )
            seen.add(card)

    @property
    def n_seats(self) -> int:
        """Number of seats dealt in."""
        return len(self.hole_cards)

    @classmethod
    def random(cls, n_seats: int, rng: np.random.Generator) -> Deal:
        """Deal ``n_seats`` hands and a full board from a shuffled deck drawn with ``rng``."""
        if not isinstance(rng, np.random.Generator):
            raise ValueError(
                f"rng must be a numpy Generator (np.random.default_rng(seed)), got {rng!r}"
            )
        if not 1 <= n_seats <= (N_CARDS - BOARD_SIZE) // HOLE_SIZE:
            raise ValueError(f"n_seats must be 1..23 to deal from one deck, got {n_seats}")
        deck = rng.permutation(N_CARDS)
        holes = tuple((int(deck[2 * s]), int(deck[2 * s + 1])) for s in range(n_seats))
        start = HOLE_SIZE * n_seats
        board = tuple(int(c) for c in deck[start : start + BOARD_SIZE])
        return cls(holes, board)

    def __str__(self) -> str:
        holes = " | ".join(format_cards(pair, "") for pair in self.hole_cards)
        return f"{holes} ; board {format_cards(self.board) or '-'}"
