"""Integer card encoding, parsing, formatting and card sets as bit masks.

The one definition of a card in this project:

    card = 4 * rank + suit            (an integer 0..51)
    rank: 0..12 for 2, 3, 4, 5, 6, 7, 8, 9, T, J, Q, K, A
    suit: 0..3  for c (clubs), d (diamonds), h (hearts), s (spades)

So ``2c`` is 0, ``2d`` is 1, ``As`` is 51. This is also the order PHEvaluator uses, which lets the
tests compare card for card. A set of cards is a 64-bit mask with bit ``card`` set
(``mask = sum(1 << c for c in cards)``).

Strings exist only at the edges: parse on the way in, format on the way out.

``rank_of``, ``suit_of`` and ``make_card`` are plain Python when called from Python and are
compiled into the Numba kernels that call them (``register_jitable``): nothing to compile first.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numba.extending import register_jitable

RANKS = "23456789TJQKA"
SUITS = "cdhs"
N_CARDS = 52
N_RANKS = 13
N_SUITS = 4

_RANK_OF_CHAR = {ch: i for i, ch in enumerate(RANKS)}
_RANK_OF_CHAR.update({ch.lower(): i for i, ch in enumerate(RANKS)})
_RANK_OF_CHAR["10"] = RANKS.index("T")
_SUIT_OF_CHAR = {ch: i for i, ch in enumerate(SUITS)}
_SUIT_OF_CHAR.update({ch.upper(): i for i, ch in enumerate(SUITS)})


@register_jitable
def rank_of(card: int) -> int:
    """Rank 0..12 (2..A) of a card 0..51."""
    return card >> 2


@register_jitable
def suit_of(card: int) -> int:
    """Suit 0..3 (c, d, h, s) of a card 0..51."""
    return card & 3


@register_jitable
def make_card(rank: int, suit: int) -> int:
    """The card 0..51 of a rank 0..12 and a suit 0..3."""
    return 4 * rank + suit


def parse_card(token: str) -> int:
    """Parse one card such as ``"As"``, ``"td"`` or ``"10h"`` into 0..51.

    Raises ValueError naming the token when the rank or the suit is unknown.
    """
    if not isinstance(token, str):
        raise ValueError(f"card must be a string like 'As', got {token!r}")
    text = token.strip()
    rank_text, suit_text = text[:-1], text[-1:]
    if rank_text not in _RANK_OF_CHAR:
        raise ValueError(
            f"unknown rank in card {token!r}: use one of {' '.join(RANKS)} followed by a suit"
        )
    if suit_text not in _SUIT_OF_CHAR:
        raise ValueError(f"unknown suit in card {token!r}: use one of c d h s after the rank")
    return make_card(_RANK_OF_CHAR[rank_text], _SUIT_OF_CHAR[suit_text])


def _tokens(text: str) -> list[str]:
    """Split ``"AsKd"``, ``"As Kd"`` or ``"As,Kd,10h"`` into card tokens."""
    tokens: list[str] = []
    for chunk in text.replace(",", " ").split():
        i = 0
        while i < len(chunk):
            width = 3 if chunk.startswith("10", i) else 2
            tokens.append(chunk[i : i + width])
            i += width
    return tokens


def parse_cards(text: str | Iterable[str]) -> list[int]:
    """Parse cards written together or apart (``"AsKd"``, ``"As Kd 7h"``, ``["As", "Kd"]``).

    Raises ValueError naming the bad token for an unknown rank or suit, and naming the card
    when a card appears twice.
    """
    tokens = _tokens(text) if isinstance(text, str) else [str(t) for t in text]
    cards: list[int] = []
    seen: set[int] = set()
    for token in tokens:
        card = parse_card(token)
        if card in seen:
            raise ValueError(
                f"card {token!r} appears twice in {text!r}: each card can be dealt once"
            )
        seen.add(card)
        cards.append(card)
    return cards


def format_card(card: int) -> str:
    """Format a card 0..51 as two characters, e.g. 51 -> ``"As"``."""
    card = int(card)
    if not 0 <= card < N_CARDS:
        raise ValueError(f"card must be an integer 0..51, got {card}")
    return RANKS[card >> 2] + SUITS[card & 3]


def format_cards(cards: Iterable[int], sep: str = " ") -> str:
    """Format several cards, e.g. ``[51, 46]`` -> ``"As Kh"``."""
    return sep.join(format_card(c) for c in cards)


def cards_to_mask(cards: Iterable[int]) -> int:
    """The 52-bit set of some cards (bit ``card`` set)."""
    mask = 0
    for card in cards:
        mask |= 1 << int(card)
    return mask


def mask_to_cards(mask: int) -> list[int]:
    """The cards of a 52-bit set, in increasing order."""
    return [c for c in range(N_CARDS) if mask >> c & 1]


def as_card_array(cards: Iterable[int] | str) -> np.ndarray:
    """Cards (parsed from text when given text) as a uint8 array, the form kernels take."""
    values = parse_cards(cards) if isinstance(cards, str) else [int(c) for c in cards]
    return np.asarray(values, dtype=np.uint8)
