"""Small trained runs for the policy and CLI tests, trained in-process in a few seconds."""

from pathlib import Path

import numpy as np

from holdem.abstraction.betting_config import betting_spec_from_dict, load_betting_spec
from holdem.abstraction.betting_tree import compile_tree
from holdem.abstraction.random_abstraction import random_abstraction
from holdem.cfr.game import SolverGame
from holdem.cfr.holdem_cards import HoldemCards
from holdem.policy.blueprint import Blueprint
from holdem.policy.stored_rows import PolicyRows
from holdem.training.config import train_config_from_dict
from holdem.training.trainer import Trainer
from holdem.training.training_game import TrainingGame, load_training_game, tree_checksum

ROOT = Path(__file__).resolve().parents[2]
PUSHFOLD = ROOT / "configs/pushfold_10bb.yaml"
HU_SMALL = ROOT / "configs/hu_small.yaml"
HU_OPEN = ROOT / "configs/hu_open.yaml"


def _train(data: dict, logdir: Path) -> Path:
    config = train_config_from_dict(data)
    trainer = Trainer(config, load_training_game(config.betting, config.buckets), logdir)
    trainer.allocate()
    trainer.train()
    return logdir


def train_push_fold(logdir: Path, iterations: int = 100_000, betting: Path = PUSHFOLD) -> Path:
    """A push/fold run at 10 bb (or the push/fold config ``betting``; lossless preflop):
    ``logdir`` with its blueprint."""
    data = {
        "betting": str(betting),
        "buckets": "lossless-preflop",
        "seed": 0,
        "iterations": iterations,
        "time_budget": None,
        "regrets": {"dtype": "int32", "scale": 10.0},
        "discount": {"interval": 20_000, "cutoff": 1_000_000},
        "average": {"update": "sampled", "interval": 1, "sums": "preflop"},
        "snapshot_interval": None,
        "checkpoint_interval": None,
        "report_interval": 1000,
    }
    return _train(data, logdir)


def save_bucket_file(path: Path, seed: int = 0) -> Path:
    """A random abstraction of 8 buckets per street, saved at ``path``."""
    random_abstraction({"preflop": 8, "flop": 8, "turn": 8, "river": 8}, seed).save(path)
    return path


def train_hu_small(logdir: Path, buckets: Path, iterations: int = 2_000) -> Path:
    """A heads-up run on configs/hu_small.yaml with ``buckets``: blueprint, snapshot and
    checkpoint in ``logdir``."""
    data = {
        "betting": str(HU_SMALL),
        "buckets": str(buckets),
        "seed": 3,
        "iterations": iterations,
        "time_budget": None,
        "batch": 64,
        "regrets": {"dtype": "int32", "scale": 1.0},
        "discount": None,
        "average": {"update": "sampled", "interval": 1, "sums": "preflop"},
        "snapshot_interval": None,
        "checkpoint_interval": None,
        "report_interval": 1000,
    }
    return _train(data, logdir)


def small_table_config(n_players: int) -> dict:
    """A small betting abstraction for ``n_players`` (a few hundred thousand nodes at 6)."""
    return {
        "game": {"players": n_players, "stack": 2000, "blinds": [10, 20]},
        "betting": {
            "preflop": {"sizes": [[1.0]], "all_in": True, "max_raises": 2},
            "flop": {"sizes": [[0.5, 1.0]] if n_players <= 3 else [[1.0]], "max_raises": 1},
            "turn": {"sizes": [[1.0]], "max_raises": 1 if n_players <= 3 else 0},
            "river": {"sizes": [[1.0]], "all_in": True, "max_raises": 1 if n_players <= 3 else 0},
        },
    }


def random_blueprint(
    n_players: int, buckets: Path, seed: int = 0, betting: Path | None = None
) -> Blueprint:
    """A blueprint of random rows over `small_table_config` (or the config at ``betting``; no
    training: for shape tests)."""
    spec = (
        betting_spec_from_dict(small_table_config(n_players))
        if betting is None
        else load_betting_spec(betting)
    )
    tree = compile_tree(spec)
    cards = HoldemCards.load(buckets, n_players)
    game = SolverGame.build(f"random{n_players}", tree, cards)
    training = TrainingGame(game, Path(f"random{n_players}.yaml"), buckets, tree_checksum(tree))
    rng = np.random.default_rng(seed)
    split = game.layout.rows_through(0)
    summed = rng.random(split).astype(np.float32)
    rest = rng.integers(0, 256, game.layout.size - split).astype(np.uint8)
    return Blueprint(
        Path(f"random{n_players}"), "blueprint", {}, training, PolicyRows(summed, rest, False)
    )
