"""Trained runs shared by the policy tests (one per test process, trained in seconds)."""

from pathlib import Path

import pytest

from holdem.policy.blueprint import Blueprint
from tests.policy.runs import save_bucket_file, train_hu_small, train_push_fold


@pytest.fixture(scope="session")
def pushfold_run(tmp_path_factory) -> Path:
    """The logdir of a push/fold run at 10 bb (100,000 iterations)."""
    return train_push_fold(tmp_path_factory.mktemp("pushfold") / "run")


@pytest.fixture(scope="session")
def policy_buckets(tmp_path_factory) -> Path:
    """A random 8-bucket abstraction saved as a file."""
    return save_bucket_file(tmp_path_factory.mktemp("buckets") / "buckets_random.npz")


@pytest.fixture(scope="session")
def hu_run(tmp_path_factory, policy_buckets) -> Path:
    """The logdir of a heads-up hu_small run: blueprint, snapshot and checkpoint."""
    return train_hu_small(tmp_path_factory.mktemp("hu") / "run", policy_buckets)


@pytest.fixture(scope="session")
def pushfold(pushfold_run) -> Blueprint:
    return Blueprint.load(pushfold_run / "blueprint")


@pytest.fixture(scope="session")
def hu(hu_run) -> Blueprint:
    return Blueprint.load(hu_run / "blueprint")
