"""Hand isomorphism benchmark: index and unindex operations per second per street, one core.

Prints one JSON object. Each case runs the Numba-callable per-hand functions (``index_hand``,
``unindex_into``) in a serial Numba loop, as a kernel would call them, over random inputs drawn
before timing (random distinct-card hands for index, uniform indices for unindex); the rate is
the best of repeated passes within ``seconds_per_case``. A checksum of the results is folded in
so the work cannot be optimised away. ``measure`` is also called by ``bench_cards.py``.

    python benchmarks/bench_isomorphism.py [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from numba import njit

from holdem.cards.isomorphism import (
    N_BOARD_CARDS,
    N_INDICES,
    STREET_NAMES,
    index_hand,
    unindex_into,
)

_BATCH = 1 << 18


@njit(nogil=True)  # not cached: a cached caller keeps a stale copy of the indexer
def _index_loop(hands: np.ndarray) -> int:
    total = 0
    for i in range(hands.shape[0]):
        total += index_hand(hands[i])
    return total


@njit(nogil=True)
def _unindex_loop(street: int, indices: np.ndarray, out: np.ndarray) -> int:
    total = 0
    for i in range(indices.shape[0]):
        unindex_into(street, indices[i], out)
        total += out[0] + out[out.shape[0] - 1]
    return total


def _random_hands(rng: np.random.Generator, n: int, n_cards: int) -> np.ndarray:
    """n hands of n_cards distinct cards: the first n_cards of a random permutation per row."""
    return np.argsort(rng.random((n, 52)), axis=1)[:, :n_cards].astype(np.uint8)


def _rate(run, n: int, seconds: float) -> float:
    run()  # compile or load from the cache outside the timing
    best = float("inf")
    deadline = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
        if time.perf_counter() >= deadline:
            return n / best


def measure(seconds_per_case: float = 1.0, seed: int = 2013) -> dict:
    """Index and unindex rates (operations per second, one core) for every street."""
    rng = np.random.default_rng(seed)
    result: dict = {"batch": _BATCH, "seconds_per_case": seconds_per_case}
    for street, name in enumerate(STREET_NAMES):
        hands = _random_hands(rng, _BATCH, 2 + N_BOARD_CARDS[street])
        indices = rng.integers(0, N_INDICES[street], _BATCH, dtype=np.int64)
        out = np.empty(2 + N_BOARD_CARDS[street], np.uint8)
        result[name] = {
            "n_indices": N_INDICES[street],
            "index_per_s": round(_rate(lambda h=hands: _index_loop(h), _BATCH, seconds_per_case)),
            "unindex_per_s": round(
                _rate(
                    lambda s=street, i=indices, o=out: _unindex_loop(s, i, o),
                    _BATCH,
                    seconds_per_case,
                )
            ),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="seconds per case")
    args = parser.parse_args()
    print(json.dumps({"benchmark": "isomorphism", **measure(args.seconds)}, indent=2))


if __name__ == "__main__":
    main()
