"""The contract between a game's cards and the solvers: deals as bucket and rank arrays.

A solver never sees cards. For each deal it reads two small arrays:

- ``buckets[seat, street]`` (int32): the bucket seat ``seat`` sees on ``street``, in
  ``0..n_buckets[street]-1``; a bucket stands for everything the seat knows about the cards
  (its private cards and the public ones). Small games use lossless buckets.
- ``ranks[seat]`` (int32): the seat's showdown strength; higher wins, equal ranks split.

Sampling solvers ask for a batch of deals once per batch of iterations (`deal_batch`: one deal
per iteration, dealt before the traversal starts). Every game provides that (`CardModel`). Exact
solvers and best response also ask for every deal with its probability (`exact_deals`), which
only small games can list (`ExactCardModel`: Kuhn, Leduc). Hold'em has 2.8 * 10**12 deals
heads-up and 10**24 six-handed, so its card model is sampled only; `require_exact` refuses it
with a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np


@dataclass(frozen=True, eq=False)
class DealTable:
    """Every distinct deal with its probability.

    ``buckets``: int32 ``(n_deals, n_players, n_streets)``; ``ranks``: int32
    ``(n_deals, n_players)``; ``weights``: float64 ``(n_deals,)`` summing to 1.
    """

    buckets: np.ndarray
    ranks: np.ndarray
    weights: np.ndarray

    @property
    def n_deals(self) -> int:
        return int(self.weights.shape[0])


class CardModel(Protocol):
    """What every game's cards must provide to the sampling solvers."""

    name: str
    n_players: int
    n_buckets: tuple[int, ...]

    def deal_batch(self, rng_state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``n`` sampled deals: buckets ``(n, n_players, n_streets)`` and ranks ``(n, n_players)``.

        Advances ``rng_state`` (see `holdem.cfr.rng`) so runs are reproducible from a seed.
        """
        ...

    def bucket_label(self, street: int, bucket: int) -> str:
        """The text of a bucket in policy files, for example ``K`` or ``KQ``."""
        ...


class ExactCardModel(CardModel, Protocol):
    """A card model small enough to list every deal: what exact solvers and best response need."""

    def exact_deals(self) -> DealTable:
        """Every distinct deal with its probability."""
        ...


def require_exact(cards: CardModel) -> ExactCardModel:
    """``cards`` as an `ExactCardModel`; a ValueError naming the model when it lists no deals."""
    if not callable(getattr(cards, "exact_deals", None)):
        raise ValueError(
            f"card model {cards.name!r} cannot list its deals (no exact_deals): exact solvers "
            "and best response run on small games such as Kuhn and Leduc; sample it with MCCFR"
        )
    return cast(ExactCardModel, cards)


def merge_deals(buckets: np.ndarray, ranks: np.ndarray, weights: np.ndarray) -> DealTable:
    """Merge identical deals (same buckets and ranks for every seat), adding their weights."""
    n = buckets.shape[0]
    rows = np.concatenate((buckets.reshape(n, -1), ranks.reshape(n, -1)), axis=1)
    unique, inverse = np.unique(rows, axis=0, return_inverse=True)
    merged = np.zeros(unique.shape[0], dtype=np.float64)
    np.add.at(merged, inverse.reshape(-1), weights)
    width = buckets.shape[1] * buckets.shape[2]
    return DealTable(
        buckets=np.ascontiguousarray(unique[:, :width].reshape(-1, *buckets.shape[1:]), np.int32),
        ranks=np.ascontiguousarray(unique[:, width:], np.int32),
        weights=merged,
    )
