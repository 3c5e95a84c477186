"""Averaging the snapshots into a blueprint: warm-up, linear weights, rebuilds of one run."""

import json

import numpy as np
import pytest

from holdem.storage.array_files import read_arrays
from holdem.training.artifacts import write_blueprint, write_snapshot
from holdem.training.averaging import MAX_WEIGHT, rebuild_blueprint, snapshot_weights
from holdem.training.config import Point
from holdem.training.table_policies import QUANTUM, current_rows
from holdem.training.training_game import load_training_game
from tests.training.test_trainer import ROOT, hu_small_config, train


def records(iterations, seconds=None):
    seconds = seconds or [float(i) for i in range(1, len(iterations) + 1)]
    return [
        {"name": f"iter_{t:012d}", "iteration": t, "seconds": s}
        for t, s in zip(iterations, seconds, strict=True)
    ]


def test_equal_weights_without_warmup_count_every_snapshot_the_same():
    weights = snapshot_weights(records([10, 20, 30, 40, 50]), 0.0, "equal", 50)
    assert weights == [51] * 5  # the largest equal whole weights with a sum <= 257


def test_a_warmup_leaves_out_the_early_snapshots_and_always_keeps_the_last():
    snaps = records([100, 200, 300, 400], seconds=[5.0, 10.0, 15.0, 20.0])
    assert snapshot_weights(snaps, 0.5, "equal", 400) == [0, 85, 85, 85]  # from iteration 200
    assert snapshot_weights(snaps, Point(12.0, "seconds"), "equal", 400) == [0, 0, 128, 128]
    assert snapshot_weights(snaps, Point(301, "iterations"), "equal", 400) == [0, 0, 0, 257]
    assert snapshot_weights(snaps, Point(10_000, "iterations"), "equal", 400) == [0, 0, 0, 257]


def test_linear_weights_sum_the_iteration_numbers_each_snapshot_stands_for():
    # Snapshots at 100, 200, 300 stand for (0, 100], (100, 200], (200, 300]: weights
    # proportional to 100^2, 200^2 - 100^2, 300^2 - 200^2 = 1 : 3 : 5.
    weights = np.array(snapshot_weights(records([100, 200, 300]), 0.0, "linear", 300))
    assert weights.sum() <= MAX_WEIGHT
    assert np.allclose(weights / weights.sum(), np.array([1, 3, 5]) / 9, atol=1 / MAX_WEIGHT)
    # After a warm-up, the first snapshot kept still stands for the iterations since the one
    # before it: 300 and 400 after a warm-up to 250 weigh 5 : 7.
    kept = np.array(snapshot_weights(records([100, 200, 300, 400]), 0.6, "linear", 400))
    assert kept[:2].tolist() == [0, 0]
    assert abs(kept[2] / kept[3] - 5 / 7) < 2 / kept[3]


def test_more_snapshots_than_the_uint16_sum_holds_are_thinned_evenly():
    weights = snapshot_weights(records(list(range(1, 1001))), 0.0, "equal", 1000)
    assert sum(weights) <= MAX_WEIGHT and weights[-1] > 0 and weights[0] > 0
    assert sum(w > 0 for w in weights) == MAX_WEIGHT


def test_the_blueprint_is_the_weighted_mean_of_the_snapshots(bucket_file, tmp_path):
    training = load_training_game(ROOT / "configs/hu_small.yaml", bucket_file)
    game = training.game
    summed = game.layout.rows_through(0)
    sums = np.ones(summed, np.float64)
    rng = np.random.default_rng(0)
    folders, currents = [], []
    for k in range(2):
        regret = rng.integers(-50, 100, game.layout.size).astype(np.int32)
        folders.append(write_snapshot(tmp_path / f"s{k}", training, regret, sums, {}))
        currents.append(
            current_rows(game.tree, game.layout, regret, summed, game.layout.size, float)
        )
    write_blueprint(tmp_path / "bp", training, sums, [(folders[0], 1), (folders[1], 3)], {})
    rest = read_arrays(tmp_path / "bp")[0]["rest"].astype(float) / QUANTUM
    expected = (currents[0] + 3 * currents[1]) / 4
    # uint8 snapshots and a uint8 mean: each step rounds by at most half a 255th.
    assert np.abs(rest - expected).max() < 2.5 / QUANTUM
    # Against the equal mean, the weights moved the entries where the snapshots differ.
    assert np.abs(rest - (currents[0] + currents[1]) / 2).max() > 0.2
    with pytest.raises(ValueError, match="at most 257"):
        write_blueprint(tmp_path / "bad", training, sums, [(folders[0], 200), (folders[1], 58)], {})


def test_a_rebuild_with_the_runs_settings_reproduces_its_blueprint(bucket_file, tmp_path):
    average = {"update": "sampled", "interval": 2, "sums": "preflop"}
    config = hu_small_config(
        bucket_file,
        iterations=2000,
        snapshot_interval=1e-4,  # a snapshot at nearly every pass of the loop
        average={**average, "warmup": "30%", "weights": "linear"},
    )
    trainer, _ = train(config, tmp_path)
    manifest = json.loads((tmp_path / "blueprint" / "manifest.json").read_text())
    assert len(trainer.state.snapshots) >= 3
    assert manifest["snapshot_averaging"] == {"warmup": "30%", "weights": "linear"}
    assert 0 < len(manifest["snapshots_averaged"]) < len(trainer.state.snapshots)
    again = rebuild_blueprint(tmp_path, tmp_path / "again", 0.3, "linear")
    ours, theirs = read_arrays(tmp_path / "blueprint")[0], read_arrays(again)[0]
    for name in ("summed", "rest"):
        assert np.array_equal(ours[name], theirs[name])
    every = rebuild_blueprint(tmp_path, tmp_path / "every", 0.0, "equal")
    assert not np.array_equal(read_arrays(every)[0]["rest"], ours["rest"])
    assert json.loads((every / "manifest.json").read_text())["config"]["average"]["weights"] == (
        "equal"
    )
