"""Shared fixtures of the training tests: a small random card abstraction saved once."""

from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.bucket_presets import STREETS, BucketSpec
from holdem.abstraction.buckets import CardAbstraction
from holdem.cards.isomorphism import N_INDICES


def random_abstraction(counts: dict[str, int], seed: int) -> CardAbstraction:
    """Random tables of the given bucket counts (a 169-bucket preflop is the identity)."""
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


@pytest.fixture(scope="session")
def bucket_file(tmp_path_factory) -> Path:
    """A saved abstraction with 8 buckets per street (random, but a real file)."""
    path = tmp_path_factory.mktemp("buckets") / "buckets_random.npz"
    random_abstraction({"preflop": 8, "flop": 8, "turn": 8, "river": 8}, 0).save(path)
    return path


@pytest.fixture(scope="session")
def other_bucket_file(tmp_path_factory) -> Path:
    """Another abstraction of the same counts (a different checksum)."""
    path = tmp_path_factory.mktemp("buckets") / "buckets_other.npz"
    random_abstraction({"preflop": 8, "flop": 8, "turn": 8, "river": 8}, 1).save(path)
    return path
