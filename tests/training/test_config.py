"""Training configs: defaults, schedule points in iterations or time, one-line errors by key."""

from pathlib import Path

import pytest
import yaml

from holdem.training.config import (
    Point,
    load_train_config,
    parse_point,
    train_config_from_dict,
)

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def test_shipped_blueprint_configs_load():
    paths = sorted(CONFIGS.glob("blueprint_*.yaml"))
    assert paths, "no configs/blueprint_*.yaml shipped"
    for path in paths:
        config = load_train_config(path)
        assert config.betting.exists(), f"{path} names a missing betting config"


def test_points_are_iterations_or_training_time():
    assert parse_point(5000, "f", "k") == Point(5000, "iterations")
    assert parse_point("10m", "f", "k") == Point(600.0, "seconds")
    assert parse_point("1.5h", "f", "k") == Point(5400.0, "seconds")
    assert parse_point("90s", "f", "k").reached(0, 90.0)
    assert not Point(100, "iterations").reached(99, 1e9)


def test_round_trip_through_the_resolved_yaml(tmp_path):
    config = train_config_from_dict(
        {
            "betting": "configs/pushfold_10bb.yaml",
            "discount": {"interval": "10m", "cutoff": 4000},
            "prune": {"start": 200, "threshold": -1000, "probability": 0.9},
            "regrets": {"dtype": "int32", "floor": -1100},
        },
        base=CONFIGS.parent,
    )
    again = train_config_from_dict(yaml.safe_load(config.to_yaml()))
    assert again == config


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"betting": "x.yaml", "speed": 3}, "speed: unknown key"),
        ({}, "betting: is missing"),
        ({"betting": "x.yaml", "seed": -1}, "seed: must be 0 or more"),
        ({"betting": "x.yaml", "batch": 0}, "batch: must be positive"),
        ({"betting": "x.yaml", "time_budget": "long"}, "time_budget: must be a number"),
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
    bad = tmp_path / "bad.yaml"
    bad.write_text("betting: [unclosed\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_train_config(bad)
