"""A card abstraction of random bucket tables: a real file of any bucket counts, built at once.

What a build of the preset would take minutes or hours to cluster, this fills with uniform
random buckets (a 169-bucket preflop is the identity, the lossless classes). Its buckets mean
nothing, so it serves where only the shapes and the speed matter: measuring memory and speed
of training on a large abstraction, and tests of everything that reads bucket files.
"""

from __future__ import annotations

import numpy as np

from holdem.abstraction.bucket_presets import STREETS, BucketSpec
from holdem.abstraction.buckets import CardAbstraction
from holdem.cards.isomorphism import N_INDICES


def random_abstraction(counts: dict[str, int], seed: int) -> CardAbstraction:
    """Random tables of the given bucket counts per street (a 169-bucket preflop is the
    identity), drawn from ``numpy.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    spec = BucketSpec(
        preset="random",
        k_preflop=counts["preflop"],
        k_flop=counts["flop"],
        k_turn=counts["turn"],
        k_river=counts["river"],
    )
    tables = {}
    for street, n in zip(STREETS, N_INDICES, strict=True):
        k = counts[street]
        dtype = np.uint8 if k <= 256 else np.uint16
        if street == "preflop" and k == n:
            tables[street] = np.arange(n, dtype=dtype)
        else:
            tables[street] = rng.integers(0, k, size=n, dtype=dtype)
    stats = {s: np.zeros((counts[s], 3)) for s in STREETS}
    return CardAbstraction.from_tables(tables, spec, stats, {}, {"seconds": 0})
