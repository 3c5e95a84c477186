"""Training configs: defaults, schedule points in iterations or time, one-line errors by key."""

import re
from pathlib import Path

import pytest
import yaml

from holdem.training.config import (
    ClusterConfig,
    Point,
    check_players,
    duration_seconds,
    load_train_config,
    parse_point,
    train_config_from_dict,
)
from holdem.training.trainer import Trainer
from holdem.training.training_game import load_training_game

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def test_shipped_blueprint_configs_load():
    paths = sorted(CONFIGS.glob("blueprint_*.yaml"))
    assert paths, "no configs/blueprint_*.yaml shipped"
    for path in paths:
        config = load_train_config(path)
        assert config.betting.exists(), f"{path} names a missing betting config"


def test_a_betting_config_given_as_a_training_config_says_where_it_goes():
    with pytest.raises(ValueError, match=r"hu_small\.yaml: is a betting abstraction") as error:
        load_train_config(CONFIGS / "hu_small.yaml")
    assert "betting: key of a training config" in str(error.value)


def test_a_training_config_given_as_the_betting_config_stands_for_the_one_it_names():
    """What ``--betting`` of the blueprint commands does with a training config."""
    training = load_training_game(CONFIGS / "blueprint_pushfold_10bb.yaml", None)
    assert training.betting_path == CONFIGS / "pushfold_10bb.yaml"
    assert training.tree_checksum == load_training_game(training.betting_path, None).tree_checksum


def test_betting_and_buckets_resolve_against_the_config_folder(tmp_path, monkeypatch):
    """Both keys by one rule, from any working folder: a bucket file beside the working
    folder but not the config's is not picked up (it used to be, and the hint to build it then
    named the wrong place)."""
    folder = tmp_path / "configs"
    folder.mkdir()
    config = folder / "train.yaml"
    config.write_text("betting: hu.yaml\nbuckets: assets/b.npz\n")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "assets").mkdir(parents=True)
    (elsewhere / "assets" / "b.npz").write_bytes(b"")
    (elsewhere / "hu.yaml").write_text("")
    monkeypatch.chdir(elsewhere)
    loaded = load_train_config(Path("..") / "configs" / "train.yaml")
    assert loaded.betting == folder / "hu.yaml"
    assert loaded.buckets == folder / "assets" / "b.npz"


def test_shipped_configs_name_the_repository_assets():
    for path in sorted(CONFIGS.glob("blueprint_*.yaml")):
        buckets = load_train_config(path).buckets
        assert buckets is None or buckets.parent == CONFIGS.parent / "assets" / "abstraction"


def test_points_are_iterations_or_training_time():
    assert parse_point(5000, "f", "k") == Point(5000, "iterations")
    assert parse_point("10m", "f", "k") == Point(600.0, "seconds")
    assert parse_point("1.5h", "f", "k") == Point(5400.0, "seconds")
    assert parse_point("90s", "f", "k").reached(0, 90.0)
    assert not Point(100, "iterations").reached(99, 1e9)


def test_times_are_seconds_or_written_with_a_unit():
    assert duration_seconds(600) == duration_seconds("600") == duration_seconds("10m") == 600.0
    assert duration_seconds("90s") == 90.0 and duration_seconds("1.5h") == 5400.0
    assert duration_seconds("soon") is None and duration_seconds(True) is None
    config = train_config_from_dict(
        {
            "betting": "x.yaml",
            "time_budget": "10m",
            "snapshot_interval": "2m",
            "checkpoint_interval": "1h",
            "report_interval": "30s",
        }
    )
    assert (config.time_budget, config.snapshot_interval) == (600.0, 120.0)
    assert (config.checkpoint_interval, config.report_interval) == (3600.0, 30.0)


def test_round_trip_through_the_resolved_yaml(tmp_path):
    config = train_config_from_dict(
        {
            "betting": "configs/pushfold_10bb.yaml",
            "discount": {"interval": "10m", "cutoff": "400m"},
            "prune": {"start": 200, "threshold": -1000, "probability": 0.9},
            "regrets": {"dtype": "int32", "floor": -1100},
            "cluster": {"ray": "head:6379", "sync_interval": "2m"},
        },
        base=CONFIGS.parent,
    )
    assert config.cluster == ClusterConfig("head:6379", 120.0, None)
    again = train_config_from_dict(yaml.safe_load(config.to_yaml()))
    assert again == config
    alone = train_config_from_dict({"betting": "configs/pushfold_10bb.yaml"}, base=CONFIGS.parent)
    assert alone.cluster is None
    assert train_config_from_dict(yaml.safe_load(alone.to_yaml())).cluster is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"betting": "x.yaml", "speed": 3}, "speed: unknown key"),
        ({}, "betting: is missing"),
        ({"betting": "x.yaml", "seed": -1}, "seed: must be 0 or more"),
        ({"betting": "x.yaml", "batch": 0}, "batch: must be positive"),
        ({"betting": "x.yaml", "time_budget": "long"}, "time_budget: must be a positive number"),
        ({"betting": "x.yaml", "snapshot_interval": "-5m"}, "snapshot_interval: must be a pos"),
        ({"betting": "x.yaml", "regrets": {"dtype": "int8"}}, "regrets.dtype: must be one of"),
        ({"betting": "x.yaml", "regrets": {"floor": 5}}, "regrets.floor: must be negative"),
        ({"betting": "x.yaml", "discount": {"interval": "soon", "cutoff": 1}}, "discount.interval"),
        ({"betting": "x.yaml", "discount": {"interval": 10}}, "discount.cutoff: is missing"),
        ({"betting": "x.yaml", "prune": {"start": 1, "threshold": 3}}, "prune.threshold"),
        (
            {"betting": "x.yaml", "prune": {"start": 1, "threshold": -3, "probability": 2}},
            "prune.probability",
        ),
        (
            {
                "betting": "x.yaml",
                "regrets": {"dtype": "float32"},
                "prune": {"start": 1, "threshold": -3},
            },
            "pruning needs a regret floor",
        ),
        (
            {
                "betting": "x.yaml",
                "regrets": {"floor": -2},
                "prune": {"start": 1, "threshold": -3},
            },
            "regret floor below it",
        ),
        ({"betting": "x.yaml", "average": {"sums": "river"}}, "average.sums"),
        ({"betting": "x.yaml", "keep_checkpoints": 0}, "keep_checkpoints"),
        ({"betting": "x.yaml", "cluster": "auto"}, "cluster: must be a mapping"),
        ({"betting": "x.yaml", "cluster": {"nodes": 3}}, "cluster.nodes: unknown key"),
        ({"betting": "x.yaml", "cluster": {"ray": ""}}, "cluster.ray: must be auto or"),
        ({"betting": "x.yaml", "cluster": {"sync_interval": 0}}, "cluster.sync_interval"),
        ({"betting": "x.yaml", "cluster": {"workers_per_node": 0}}, "cluster.workers_per_node"),
    ],
)
def test_mistakes_name_the_file_and_key(data, message):
    with pytest.raises(ValueError, match=message) as error:
        train_config_from_dict(data, "my.yaml")
    assert str(error.value).startswith("my.yaml: ")
    assert "\n" not in str(error.value)


def test_files_that_are_missing_or_not_yaml(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_train_config(tmp_path / "none.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ValueError, match=r"empty\.yaml: the file is empty"):
        load_train_config(empty)
    bad = tmp_path / "bad.yaml"
    bad.write_text("betting: [unclosed\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_train_config(bad)


@pytest.mark.parametrize(
    ("discount", "message"),
    [
        (
            {"interval": 1000, "cutoff": "400m"},
            "discount.cutoff: is '400m' (seconds) but discount.interval is 1000 (iterations): "
            "give both in iterations or both as times",
        ),
        (
            {"interval": "10m", "cutoff": 24000},
            "discount.cutoff: is 24000 (iterations) but discount.interval is '10m' (seconds)",
        ),
    ],
)
def test_a_discount_in_mixed_units_is_refused(discount, message):
    """The cutoff is compared with multiples of the interval: 1000 iterations against 400
    minutes read as 24,000 would stop discounting after 24,000 iterations."""
    with pytest.raises(ValueError, match=re.escape(message)):
        train_config_from_dict({"betting": "x.yaml", "discount": discount}, "my.yaml")
    same = {"interval": 1000, "cutoff": 24000}
    assert train_config_from_dict({"betting": "x.yaml", "discount": same}).discount is not None


def test_opponent_averaging_is_refused_beyond_two_players():
    average = {"update": "opponent", "interval": 1, "sums": "all"}
    two = train_config_from_dict({"betting": "x.yaml", "num_players": 2, "average": average})
    check_players(two, 2)
    with pytest.raises(
        ValueError, match=r"average\.update: opponent averaging is biased with more"
    ):
        train_config_from_dict({"betting": "x.yaml", "num_players": 3, "average": average}, "f")
    with pytest.raises(ValueError, match=r"average\.update: .* \(6 here\): use sampled"):
        check_players(two, 6)
    with pytest.raises(ValueError, match=r"average\.update"):
        two.with_overrides(num_players=6)
    check_players(train_config_from_dict({"betting": "x.yaml"}), 6)  # sampled: any number


def test_the_snapshot_warmup_is_a_share_or_a_point():
    def warmup(value):
        return train_config_from_dict({"betting": "x.yaml", "average": {"warmup": value}})

    assert warmup("25%").average_warmup == 0.25
    assert warmup("0%").average_warmup == 0.0
    assert warmup("90s").average_warmup == Point(90.0, "seconds")
    assert warmup(5000).average_warmup == Point(5000, "iterations")
    config = train_config_from_dict(
        {"betting": "x.yaml", "average": {"warmup": "30%", "weights": "equal"}}
    )
    assert train_config_from_dict(yaml.safe_load(config.to_yaml())) == config
    for bad in ("100%", "-5%", "a%", "soon", -3):
        with pytest.raises(ValueError, match=r"average\.warmup"):
            train_config_from_dict({"betting": "x.yaml", "average": {"warmup": bad}}, "f")
    with pytest.raises(ValueError, match=r"average\.weights: must be one of equal, linear"):
        train_config_from_dict({"betting": "x.yaml", "average": {"weights": "cubic"}}, "f")


def test_the_trainer_refuses_opponent_averaging_on_a_game_of_three(bucket_file, tmp_path):
    """The betting file, not the config, says three players: checked once the game loads."""
    betting = tmp_path / "three.yaml"
    betting.write_text(
        "game: {players: 3, stack: 2000, blinds: [50, 100]}\n"
        "betting:\n"
        "  preflop: {sizes: [[1.0]], all_in: true, max_raises: 1}\n"
        "  flop: {max_raises: 0}\n  turn: {max_raises: 0}\n  river: {max_raises: 0}\n"
    )
    average = {"update": "opponent", "interval": 1, "sums": "all"}
    config = train_config_from_dict(
        {"betting": str(betting), "buckets": str(bucket_file), "average": average}, "t.yaml"
    )
    training = load_training_game(config.betting, config.buckets)
    with pytest.raises(ValueError, match=r"^t\.yaml: average\.update: .* \(3 here\)"):
        Trainer(config, training, tmp_path / "run")
