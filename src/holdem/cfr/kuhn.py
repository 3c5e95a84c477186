"""Kuhn poker: three cards (J, Q, K), ante 1, one betting round with a single bet of 1.

The smallest poker with a known solution: the first player's equilibrium value is -1/18
(H. W. Kuhn, "A simplified two-person poker", Contributions to the Theory of Games I, 1950).
Each player's bucket is its card (lossless); the higher card wins the showdown.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.betting_spec import BetSize, BettingSpec, StreetBetting
from holdem.cfr.card_model import DealTable, merge_deals
from holdem.cfr.rng import next_below

RANK_LETTERS = "JQK"

KUHN_BETTING = BettingSpec(
    n_players=2,
    stack=100,
    ante=1,
    streets=(StreetBetting(sizes=((BetSize.fixed(1),),), max_raises=1),),
)


@njit(cache=True, nogil=True)
def _deal_batch(rng_state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    buckets = np.empty((n, 2, 1), np.int32)
    ranks = np.empty((n, 2), np.int32)
    for i in range(n):
        first = next_below(rng_state, 3)
        second = next_below(rng_state, 2)
        if second >= first:
            second += 1
        buckets[i, 0, 0] = first
        buckets[i, 1, 0] = second
        ranks[i, 0] = first
        ranks[i, 1] = second
    return buckets, ranks


class KuhnCards:
    """Kuhn's card model: one private card per player from J, Q, K."""

    name: str = "kuhn"
    n_players: int = 2
    n_buckets: tuple[int, ...] = (3,)

    def deal_batch(self, rng_state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        return _deal_batch(rng_state, n)

    def exact_deals(self) -> DealTable:
        pairs = [(a, b) for a in range(3) for b in range(3) if a != b]
        cards = np.array(pairs, dtype=np.int32)
        return merge_deals(
            cards.reshape(-1, 2, 1), cards, np.full(len(pairs), 1.0 / len(pairs))
        )

    def bucket_label(self, street: int, bucket: int) -> str:
        return RANK_LETTERS[bucket]
