"""Preflop strategy sums in float64: exact past 2**24 updates; float32 files still resume."""

import json

import numpy as np
from numba import njit

from holdem.cfr.mccfr import AVERAGE_UPDATES, N_COUNTERS, _average_walk
from holdem.cfr.rng import new_state
from holdem.policy.loading import load_policy
from holdem.storage.array_files import array_digest
from holdem.training.checkpoint import load_checkpoint
from holdem.training.config import load_train_config
from holdem.training.table_policies import average_rows
from holdem.training.trainer import Trainer, kernel_options_for
from holdem.training.training_game import load_training_game
from tests.training.test_trainer import ROOT, hu_small_config, train


@njit
def _walks(count, kind, player, street, n_actions, first_child, folded, offsets, strides,
           buckets, regret, sums, rng, counters, pending, scratch):  # fmt: skip
    for _ in range(count):
        _average_walk(0, kind, player, street, n_actions, first_child, folded, offsets, strides,
                      buckets, regret, sums, rng, counters, pending, scratch)  # fmt: skip


def test_the_preflop_average_stays_exact_past_2_to_the_24_updates():
    """float32(2**24) + 1 == 2**24: a float32 entry stops counting there and the average drifts
    toward the rarer action (the trainer's sums were float32 until this test)."""
    config = load_train_config(ROOT / "configs/blueprint_pushfold_10bb.yaml")
    training = load_training_game(config.betting, config.buckets)
    tree, layout = training.game.tree, training.game.layout
    options = kernel_options_for(config)
    sums = np.zeros(options.summed_rows(training.game), np.dtype(options.sum_dtype))
    regret = np.zeros(layout.size, np.int32)
    n = int(tree.n_actions[0])
    regret[layout.offsets[0] : layout.offsets[0] + 2] = (1, 3)  # the root plays (1/4, 3/4, 0..)
    counters = np.zeros(N_COUNTERS, np.int64)
    buckets = np.zeros((tree.n_players, tree.n_streets), np.int64)
    walks = 25_000_000  # the 3/4 action is sampled about 18.75M > 2**24 = 16.78M times
    _walks(
        walks, tree.kind, tree.player, tree.street, tree.n_actions, tree.first_child,
        tree.folded, layout.offsets, layout.strides, buckets, regret, sums, new_state(3),
        counters, np.empty(tree.decision_depth() * n + 1, np.int64), np.empty(n, np.float64),
    )  # fmt: skip
    assert counters[AVERAGE_UPDATES] == walks
    root = int(layout.offsets[0])
    rare = int(sums[root])  # about 6.25M: below 2**24, so exact in either type
    assert 0.24 < rare / walks < 0.26
    exact = np.array([rare, walks - rare]) / walks
    policy = average_rows(tree, layout, sums, root, root + n, np.float32)
    assert np.abs(policy[:2] - exact).max() < 1e-6, (policy[:2], exact)


def test_a_checkpoint_with_float32_sums_resumes_into_float64(bucket_file, tmp_path):
    """Checkpoints of format version 2 written before the sums were float64 still resume."""
    config = hu_small_config(bucket_file, iterations=300)
    _, result = train(config, tmp_path / "run")
    folder = result.checkpoint
    sums = np.load(folder / "strategy_sum.npy")
    assert sums.dtype == np.float64
    old = sums.astype(np.float32)
    np.save(folder / "strategy_sum.npy", old)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["digests"]["strategy_sum"] = array_digest(old)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert load_policy(folder) is not None
    resume = load_checkpoint(folder)
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(config.with_overrides(iterations=400), training, tmp_path / "resumed")
    trainer.allocate(resume)
    assert trainer.state is not None and trainer.state.strategy_sum.dtype == np.float64
    assert np.array_equal(trainer.state.strategy_sum, old.astype(np.float64))
    assert trainer.train().reason == "budget"
