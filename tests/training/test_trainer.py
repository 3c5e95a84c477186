"""The blueprint trainer: what a run leaves, resume bit for bit, stops, damaged checkpoints."""

import json
from pathlib import Path

import numpy as np
import pytest

from holdem.policy.loading import load_policy
from holdem.storage.array_files import read_arrays
from holdem.training.artifacts import policy_game, read_policy_folder
from holdem.training.checkpoint import list_checkpoints, load_checkpoint
from holdem.training.config import train_config_from_dict
from holdem.training.metrics import read_metrics
from holdem.training.stop_request import StopRequest
from holdem.training.trainer import Stage, Trainer
from holdem.training.training_game import SetupError, load_training_game

ROOT = Path(__file__).resolve().parents[2]


def hu_small_config(bucket_file, **changes):
    data = {
        "betting": str(ROOT / "configs/hu_small.yaml"),
        "buckets": str(bucket_file),
        "seed": 7,
        "iterations": 600,
        "time_budget": None,
        "batch": 64,
        "regrets": {"dtype": "int32", "scale": 1.0, "floor": -2100},
        "discount": {"interval": 100, "cutoff": 400},
        "prune": {"start": 150, "threshold": -2000, "probability": 0.9},
        "average": {"update": "sampled", "interval": 2, "sums": "preflop"},
        "snapshot_interval": None,
        "checkpoint_interval": None,
        "keep_checkpoints": 2,
        "report_interval": 1000,
    }
    data.update(changes)
    return train_config_from_dict(data)


def train(config, logdir, resume=None, stop=None):
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(config, training, logdir)
    trainer.allocate(resume)
    return trainer, trainer.train(stop)


def test_a_run_leaves_config_metrics_checkpoint_snapshot_and_blueprint(bucket_file, tmp_path):
    trainer, result = train(hu_small_config(bucket_file), tmp_path)
    assert result.reason == "budget" and result.iterations == 600
    assert trainer.stage is Stage.FINISHED
    assert (tmp_path / "config.yaml").is_file()
    records = read_metrics(tmp_path / "metrics.jsonl")
    last = records[-1]
    assert last["iteration"] == 600
    # The sampler reached every street and regrets moved there (the earlier system's were 0).
    assert all(r > 0 for r in last["avg_positive_regret"])
    assert all(t > 0 for t in last["infosets_touched"])
    assert last["discounts"] == 4 and last["pruning"] and last["pruned_traversals"] > 0
    assert last["bytes_per_entry"] < 4.5
    assert list_checkpoints(tmp_path / "checkpoints")[-1].name == "iter_000000000600"
    arrays, manifest = read_arrays(tmp_path / "blueprint")
    assert manifest["format"] == "holdem-blueprint"
    assert manifest["files"]["buckets_checksum"] == trainer.training.cards_checksum
    game = trainer.training.game
    assert arrays["summed"].shape == (game.layout.rows_through(0),)
    assert arrays["rest"].shape == (game.layout.size - game.layout.rows_through(0),)
    policy = read_policy_folder(tmp_path / "blueprint", policy_game(tmp_path / "blueprint"))
    for node in game.tree.decision_nodes()[:50]:
        n, street = int(game.tree.n_actions[node]), int(game.tree.street[node])
        rows = game.layout.node_rows(policy, int(node), street, n)
        assert np.allclose(rows.sum(axis=1), 1.0, atol=1e-5)


def test_a_stopped_and_resumed_run_ends_bit_identical(bucket_file, tmp_path):
    whole, _ = train(hu_small_config(bucket_file), tmp_path / "whole")
    # Stopped at a batch boundary (batches of 64): the resumed run continues with batch 4.
    _, first = train(hu_small_config(bucket_file, iterations=256), tmp_path / "split")
    resumed, result = train(
        hu_small_config(bucket_file), tmp_path / "split", resume=load_checkpoint(first.checkpoint)
    )
    assert result.iterations == 600
    a, b = whole.state, resumed.state
    for name in ("regret", "strategy_sum"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert np.array_equal(whole._total_counters(), resumed._total_counters())
    assert (a.discounts_done, a.prune_from) == (b.discounts_done, b.prune_from)
    summed_a, _ = read_arrays(tmp_path / "whole" / "blueprint")
    summed_b, _ = read_arrays(tmp_path / "split" / "blueprint")
    assert np.array_equal(summed_a["summed"], summed_b["summed"])


def test_a_stop_request_checkpoints_and_writes_no_blueprint(bucket_file, tmp_path):
    stop = StopRequest()
    config = hu_small_config(bucket_file, iterations=None, time_budget=600, report_interval=0.01)
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(config, training, tmp_path, on_report=lambda r: stop.set("SIGTERM"))
    trainer.allocate()
    result = trainer.train(stop)
    assert result.reason == "SIGTERM" and result.blueprint is None
    assert not (tmp_path / "blueprint").exists()
    loaded = load_checkpoint(tmp_path)
    assert loaded.state.iteration == result.iterations > 0
    with pytest.raises(RuntimeError, match="cannot train a run that is finished"):
        trainer.train()


def test_damaged_checkpoints_are_refused_and_the_previous_one_stays(bucket_file, tmp_path):
    train(hu_small_config(bucket_file, iterations=100), tmp_path)
    train(
        hu_small_config(bucket_file, iterations=200),
        tmp_path,
        resume=load_checkpoint(tmp_path / "checkpoints"),
    )
    older, newest = list_checkpoints(tmp_path / "checkpoints")
    regret = newest / "regret.npy"
    data = bytearray(regret.read_bytes())
    data[-5] ^= 0xFF
    regret.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="does not match its checksum") as error:
        load_checkpoint(newest)
    assert "\n" not in str(error.value) and str(newest) in str(error.value)
    regret.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(ValueError, match=str(newest.name)):
        load_checkpoint(newest)
    assert load_checkpoint(older).state.iteration == 100


def test_resuming_with_another_abstraction_names_both_files(
    bucket_file, other_bucket_file, tmp_path
):
    _, result = train(hu_small_config(bucket_file, iterations=50), tmp_path)
    checkpoint = load_checkpoint(result.checkpoint)
    other = load_training_game(ROOT / "configs/hu_small.yaml", other_bucket_file)
    with pytest.raises(SetupError) as error:
        other.check_same_files(checkpoint.files, "checkpoint")
    message = str(error.value)
    assert str(bucket_file) in message and str(other_bucket_file) in message
    rich = load_training_game(ROOT / "configs/hu_rich.yaml", bucket_file)
    with pytest.raises(SetupError, match=r"hu_small\.yaml.*hu_rich\.yaml"):
        rich.check_same_files(checkpoint.files, "checkpoint")


def test_games_that_cannot_be_trained_say_why(bucket_file, tmp_path):
    with pytest.raises(SetupError, match="four betting rounds"):
        load_training_game(ROOT / "configs/leduc.yaml", bucket_file)
    with pytest.raises(SetupError, match="decisions after the preflop"):
        load_training_game(ROOT / "configs/hu_small.yaml", None)
    with pytest.raises(SetupError, match="holdem buckets build --preset tiny"):
        load_training_game(ROOT / "configs/hu_small.yaml", tmp_path / "buckets_tiny.npz")
    pickle = tmp_path / "buckets_mid.pkl"
    pickle.write_bytes(b"\x80\x04\x95" + b"\x00" * 64)
    with pytest.raises(ValueError, match=r"buckets_mid\.pkl"):
        load_training_game(ROOT / "configs/hu_small.yaml", pickle)


def test_three_players_train_with_the_sampled_update(bucket_file, tmp_path):
    betting = tmp_path / "three.yaml"
    betting.write_text(
        "game: {players: 3, stack: 2000, blinds: [50, 100]}\n"
        "betting:\n"
        "  preflop: {sizes: [[1.0]], all_in: true, max_raises: 2}\n"
        "  flop: {sizes: [[1.0]], max_raises: 1}\n"
        "  turn: {sizes: [[1.0]], max_raises: 1}\n"
        "  river: {sizes: [[1.0]], max_raises: 1}\n"
    )
    config = hu_small_config(bucket_file, betting=str(betting), prune=None, discount=None)
    trainer, result = train(config, tmp_path / "run")
    assert result.iterations == 600
    summed = trainer.state.strategy_sum
    # Each update adds 1 to one action: the sums count the updates exactly.
    assert summed.sum() == trainer._total_counters()[4]
    assert read_metrics(tmp_path / "run" / "metrics.jsonl")[-1]["avg_positive_regret"][3] > 0


def test_files_of_the_node_major_format_are_refused_with_the_reason(bucket_file, tmp_path):
    """Version 1 files laid tables out node by node: read with today's layout they would be
    silently scrambled, so every reader refuses them and says to train again."""
    _, result = train(hu_small_config(bucket_file, iterations=50), tmp_path)
    for folder in (result.checkpoint, tmp_path / "blueprint"):
        manifest_path = folder / "manifest.json"
        manifest = json.loads(manifest_path.read_text())
        manifest["format_version"] = 1
        manifest_path.write_text(json.dumps(manifest))
    reason = "version 1 was written by an earlier holdem: its tables are laid out node by node"
    with pytest.raises(ValueError, match=reason):
        load_checkpoint(result.checkpoint)
    with pytest.raises(ValueError, match=reason):
        read_policy_folder(tmp_path / "blueprint", policy_game(tmp_path / "blueprint"))
    for folder in (result.checkpoint, tmp_path / "blueprint"):
        with pytest.raises(ValueError, match=reason):
            load_policy(folder)


def test_a_resume_with_another_batch_size_is_refused_in_one_line(bucket_file, tmp_path):
    _, result = train(hu_small_config(bucket_file, iterations=128), tmp_path)
    loaded = load_checkpoint(result.checkpoint)
    assert loaded.batch_size == 64
    config = hu_small_config(bucket_file, batch=100)
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(config, training, tmp_path)
    with pytest.raises(ValueError, match="batches of 64 iterations") as error:
        trainer.allocate(loaded)
    assert "--batch-size 64" in str(error.value) and "\n" not in str(error.value)
    # A checkpoint written before the field: the batch of the config it was trained with.
    manifest_path = result.checkpoint / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["batch_size"]
    manifest["config"]["batch"] = 32
    manifest_path.write_text(json.dumps(manifest))
    assert load_checkpoint(result.checkpoint).batch_size == 32


def _damage(folder, name="regret"):
    path = folder / f"{name}.npy"
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))


def test_resume_picks_the_newest_written_checkpoint_that_verifies(bucket_file, tmp_path):
    checkpoints = tmp_path / "checkpoints"
    train(hu_small_config(bucket_file, iterations=128), tmp_path)
    train(hu_small_config(bucket_file, iterations=256), tmp_path, resume=load_checkpoint(tmp_path))
    _damage(checkpoints / "iter_000000000256")
    loaded = load_checkpoint(tmp_path)
    assert loaded.path.name == "iter_000000000128"
    (line,) = loaded.skipped
    assert "iter_000000000256" in line and "does not match its checksum" in line
    assert "\n" not in line
    # Resumed from the older one: what it writes next is newer than the damaged folder,
    # whatever the names say, and retention (keep 2) drops the damaged one in time.
    train(hu_small_config(bucket_file, iterations=192), tmp_path, resume=loaded)
    loaded = load_checkpoint(tmp_path)
    assert loaded.path.name == "iter_000000000192" and loaded.skipped == ()
    train(hu_small_config(bucket_file, iterations=320), tmp_path, resume=loaded)
    names = [p.name for p in list_checkpoints(checkpoints)]
    assert names == ["iter_000000000192", "iter_000000000320"]
    for name in names:
        _damage(checkpoints / name, "strategy_sum")
    with pytest.raises(ValueError, match="none of its 2 checkpoints verifies") as error:
        load_checkpoint(tmp_path)
    assert "\n" not in str(error.value)


def test_a_flipped_byte_in_a_blueprint_or_snapshot_array_is_refused_in_one_line(
    bucket_file, tmp_path
):
    trainer, _ = train(hu_small_config(bucket_file, iterations=128), tmp_path)
    blueprint = tmp_path / "blueprint"
    snapshot = sorted((tmp_path / "snapshots").iterdir())[0]
    manifest = json.loads((blueprint / "manifest.json").read_text())
    assert manifest["format_version"] == 3 and set(manifest["digests"]) == {"summed", "rest"}
    _damage(blueprint, "rest")
    _damage(snapshot, "summed")
    for load in (load_policy, lambda path: read_policy_folder(path, policy_game(path))):
        for folder, name in ((blueprint, "rest"), (snapshot, "summed")):
            with pytest.raises(ValueError, match="does not match its checksum") as error:
                load(folder)
            message = str(error.value)
            assert str(folder) in message and f"the {name} array" in message
            assert "\n" not in message
    # The snapshots a blueprint averages are checked too.
    with pytest.raises(ValueError, match=f"{snapshot}: the summed array does not match"):
        trainer.write_blueprint()


def test_a_format_2_blueprint_without_digests_loads_with_one_warning(bucket_file, tmp_path, caplog):
    """Format 2 (before digests) is read, unchecked, so that blueprints trained before can
    still be compared; a format-2 file whose digests do not match is still refused."""
    train(hu_small_config(bucket_file, iterations=128), tmp_path)
    blueprint = tmp_path / "blueprint"
    manifest_path = blueprint / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 2
    digests = manifest.pop("digests")
    manifest_path.write_text(json.dumps(manifest))
    fresh = load_policy(blueprint)
    (record,) = [r for r in caplog.records if r.levelname == "WARNING"]
    message = record.getMessage()
    assert str(blueprint) in message and "no array digests" in message and "\n" not in message
    assert np.array_equal(fresh.rows.summed, read_arrays(blueprint)[0]["summed"])
    manifest["digests"] = {**digests, "summed": "sha256:" + "0" * 64}
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match=f"{blueprint}: the summed array does not match"):
        load_policy(blueprint)
