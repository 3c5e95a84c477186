"""Leduc Hold'em: two suits of J, Q, K; ante 1; two betting rounds with one public card between.

Raises are 2 chips in the first round and 4 in the second, at most two bets or raises a round.
At showdown a private card that pairs the public card wins, otherwise the higher private card;
equal ranks split. (F. Southey et al., "Bayes' Bluff: Opponent Modelling in Poker", UAI 2005,
https://arxiv.org/abs/1207.1411.)

Buckets are lossless up to suits, which never matter in Leduc: the first round's bucket is the
private rank (0..2 for J, Q, K), the second round's is ``3 * private + public`` (0..8).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.betting_spec import BetSize, BettingSpec, StreetBetting
from holdem.cfr.card_model import DealTable, merge_deals
from holdem.cfr.rng import next_below

RANK_LETTERS = "JQK"

LEDUC_BETTING = BettingSpec(
    n_players=2,
    stack=100,
    ante=1,
    streets=(
        StreetBetting(sizes=((BetSize.fixed(2),),), max_raises=2),
        StreetBetting(sizes=((BetSize.fixed(4),),), max_raises=2),
    ),
)


@njit(cache=True, nogil=True)
def fill_deal(
    private0: int, private1: int, public: int, buckets: np.ndarray, ranks: np.ndarray, i: int
) -> None:
    """Buckets and showdown ranks of one deal of cards 0..5 (rank = card // 2)."""
    board = public // 2
    for seat in range(2):
        rank = (private0 if seat == 0 else private1) // 2
        buckets[i, seat, 0] = rank
        buckets[i, seat, 1] = 3 * rank + board
        ranks[i, seat] = rank + 3 if rank == board else rank


@njit(cache=True, nogil=True)
def _deal_batch(rng_state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    buckets = np.empty((n, 2, 2), np.int32)
    ranks = np.empty((n, 2), np.int32)
    for i in range(n):
        a = next_below(rng_state, 6)
        b = next_below(rng_state, 5)
        if b >= a:
            b += 1
        c = next_below(rng_state, 4)
        low, high = min(a, b), max(a, b)
        if c >= low:
            c += 1
        if c >= high:
            c += 1
        fill_deal(a, b, c, buckets, ranks, i)
    return buckets, ranks


class LeducCards:
    """Leduc's card model (an `ExactCardModel`): one private card each and one public card."""

    name: str = "leduc"
    n_players: int = 2
    n_buckets: tuple[int, ...] = (3, 9)

    def deal_batch(self, rng_state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        return _deal_batch(rng_state, n)

    def exact_deals(self) -> DealTable:
        triples = [
            (a, b, c) for a in range(6) for b in range(6) for c in range(6) if len({a, b, c}) == 3
        ]
        buckets = np.empty((len(triples), 2, 2), np.int32)
        ranks = np.empty((len(triples), 2), np.int32)
        for i, (a, b, c) in enumerate(triples):
            fill_deal(a, b, c, buckets, ranks, i)
        return merge_deals(buckets, ranks, np.full(len(triples), 1.0 / len(triples)))

    def bucket_label(self, street: int, bucket: int) -> str:
        if street == 0:
            return RANK_LETTERS[bucket]
        return RANK_LETTERS[bucket // 3] + RANK_LETTERS[bucket % 3]
