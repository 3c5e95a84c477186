"""Shared fixtures of the training tests: a small random card abstraction saved once."""

from pathlib import Path

import pytest

from holdem.abstraction.random_abstraction import random_abstraction


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
