"""Kuhn poker: n + 1 cards for n players (J, Q, K for two; J, Q, K, A for three), ante 1, one
betting round with a single bet of 1.

The two-player game is the smallest poker with a known solution: the first player's equilibrium
value is -1/18 (H. W. Kuhn, "A simplified two-person poker", Contributions to the Theory of
Games I, 1950). The three-player variant (as in OpenSpiel's ``kuhn_poker(players=3)``) checks
that nothing in the solvers assumes two players. Each player's bucket is its card (lossless);
the highest card still in the hand wins the showdown.
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
from numba import njit

from holdem.abstraction.betting_spec import BetSize, BettingSpec, StreetBetting
from holdem.cfr.card_model import DealTable, merge_deals
from holdem.cfr.rng import next_below

RANK_LETTERS = "JQKA"


def kuhn_betting(n_players: int = 2) -> BettingSpec:
    """Kuhn's betting for ``n_players`` (2 or 3): ante 1, one bet or call of 1, no raise."""
    return BettingSpec(
        n_players=n_players,
        stack=100,
        ante=1,
        streets=(StreetBetting(sizes=((BetSize.fixed(1),),), max_raises=1),),
    )


KUHN_BETTING = kuhn_betting(2)


@njit(cache=True, nogil=True)
def _deal_batch(rng_state: np.ndarray, n: int, n_players: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row: ``n_players`` distinct cards of ``n_players + 1`` (a partial Fisher-Yates)."""
    buckets = np.empty((n, n_players, 1), np.int32)
    ranks = np.empty((n, n_players), np.int32)
    deck = np.empty(n_players + 1, np.int32)
    for i in range(n):
        for c in range(n_players + 1):
            deck[c] = c
        for seat in range(n_players):
            j = seat + next_below(rng_state, n_players + 1 - seat)
            deck[seat], deck[j] = deck[j], deck[seat]
            buckets[i, seat, 0] = deck[seat]
            ranks[i, seat] = deck[seat]
    return buckets, ranks


class KuhnCards:
    """Kuhn's card model (an `ExactCardModel`): one private card each from ``n_players + 1``."""

    def __init__(self, n_players: int = 2) -> None:
        if n_players not in (2, 3):
            raise ValueError(f"Kuhn poker here has 2 or 3 players, got {n_players!r}")
        self.name: str = "kuhn" if n_players == 2 else f"kuhn{n_players}"
        self.n_players: int = n_players
        self.n_buckets: tuple[int, ...] = (n_players + 1,)

    def deal_batch(self, rng_state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        return _deal_batch(rng_state, n, self.n_players)

    def exact_deals(self) -> DealTable:
        n = self.n_players
        deals = list(permutations(range(n + 1), n))
        cards = np.array(deals, dtype=np.int32)
        return merge_deals(cards.reshape(-1, n, 1), cards, np.full(len(deals), 1.0 / len(deals)))

    def bucket_label(self, street: int, bucket: int) -> str:
        return RANK_LETTERS[bucket]
