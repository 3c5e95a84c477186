"""Blueprint queries per second: `Blueprint.action_probabilities` on real states; prints JSON.

    python benchmarks/bench_policy.py                      # trains the two blueprints first
    python benchmarks/bench_policy.py --blueprint runs/hu_open/blueprint

The states are every decision of hands played at the blueprint's own table, each action
either the blueprint's (`Blueprint.act`) or a random legal one (a random raise size half the
time), so histories vary and bets off the tree's sizes get translated. Three rates, each in
queries per second of this process's CPU time (one thread), best of a few repeats:

- ``cold``: a freshly loaded blueprint: every node, history and bucket is new;
- ``new_history``: one state per distinct history, in the order play met them, caches
  emptied first (tree nodes known): every query a history not seen before, as play and
  evaluation meet them (each decision of a hand extends the history of the one before);
- ``warm``: the same states again (everything cached).

Beside them, the peer in the same run: ``TreeFollower.spot`` with its caches emptied before each
query (the whole history walked from the start, as without the cache and the resumed walks),
without the bucket and row reads.

Without ``--blueprint`` the script trains push/fold at 10 bb (lossless preflop) and the
``hu_small`` tree with ``assets/abstraction/buckets_tiny.npz`` in a temporary folder, and adds a
6-player tree with random rows (the cost of six seats; its probabilities mean nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench_common import machine_info
from holdem.abstraction.betting_config import betting_spec_from_dict
from holdem.abstraction.betting_tree import compile_tree
from holdem.cfr.game import SolverGame
from holdem.cfr.holdem_cards import HoldemCards
from holdem.policy.blueprint import Blueprint
from holdem.policy.follower import TreeFollower
from holdem.policy.stored_rows import PolicyRows
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState
from holdem.training.config import train_config_from_dict
from holdem.training.trainer import Trainer
from holdem.training.training_game import TrainingGame, load_training_game, tree_checksum

CLOCK = time.process_time
ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "assets/abstraction/buckets_tiny.npz"
SIX_MAX = {
    "game": {"players": 6, "stack": 10000, "blinds": [50, 100]},
    "betting": {
        "preflop": {"sizes": [[1.0]], "all_in": True, "max_raises": 2},
        "flop": {"sizes": [[1.0]], "max_raises": 1},
        "turn": {"max_raises": 0},
        "river": {"max_raises": 0},
    },
}


def train(betting: Path, buckets: Path | None, iterations: int, logdir: Path) -> Path:
    """A short single-process run; returns its blueprint folder."""
    config = train_config_from_dict(
        {
            "betting": str(betting),
            "buckets": str(buckets) if buckets else "lossless-preflop",
            "seed": 0,
            "iterations": iterations,
            "time_budget": None,
            "regrets": {"dtype": "int32", "scale": 10.0},
            "discount": None,
            "average": {"update": "sampled", "interval": 1, "sums": "preflop"},
            "snapshot_interval": None,
            "checkpoint_interval": None,
            "report_interval": 1000,
        }
    )
    trainer = Trainer(config, load_training_game(config.betting, config.buckets), logdir)
    trainer.allocate()
    trainer.train()
    return logdir / "blueprint"


def random_six_max(buckets: Path) -> Blueprint:
    """A 6-player blueprint of random rows over a small tree (for the cost of six seats)."""
    tree = compile_tree(betting_spec_from_dict(SIX_MAX))
    game = SolverGame.build("six_random", tree, HoldemCards.load(buckets, 6))
    training = TrainingGame(game, Path("six_random.yaml"), buckets, tree_checksum(tree))
    rng = np.random.default_rng(0)
    split = game.layout.rows_through(0)
    rows = PolicyRows(
        rng.random(split).astype(np.float32),
        rng.integers(0, 256, game.layout.size - split).astype(np.uint8),
        False,
    )
    return Blueprint(Path("six_random"), "blueprint", {}, training, rows)


def decision_states(blueprint: Blueprint, hands: int, seed: int) -> list[HandState]:
    """Every decision of ``hands`` hands, actions half the blueprint's, half random."""
    rng = np.random.default_rng(seed)
    config = blueprint.table_config()
    states = []
    for _ in range(hands):
        state = HandState.deal_random(config, rng)
        while not state.is_terminal:
            states.append(state.clone())
            if rng.random() < 0.5:
                state.apply(blueprint.act(state, rng))
                continue
            legal = state.legal_actions()
            kinds = legal.kinds()
            kind = kinds[int(rng.integers(len(kinds)))]
            if kind is ActionKind.RAISE:
                assert legal.min_raise_to is not None and legal.max_raise_to is not None
                if rng.random() < 0.5:
                    amount = int(rng.integers(legal.min_raise_to, legal.max_raise_to + 1))
                else:
                    amount = min(legal.max_raise_to, max(legal.min_raise_to, state.total_pot))
                state.apply(Action.raise_to(amount))
            else:
                state.apply(Action(kind))
    return states


def rate(run, count: int, repeat: int) -> float:
    """Best queries per CPU second of ``run()`` over ``count`` queries."""
    best = float("inf")
    for _ in range(repeat):
        start = CLOCK()
        run()
        best = min(best, CLOCK() - start)
    return round(count / max(best, 1e-9))


def bench(label: str, path: Path | None, blueprint: Blueprint, hands: int, repeat: int) -> dict:
    states = decision_states(blueprint, hands, 1)
    n = len(states)
    # One state per betting history, in the order play met them: each one new to the caches.
    first: dict = {}
    for state in states:
        first.setdefault((state.config, state.history), state)
    fresh_states = list(first.values())

    def query(b: Blueprint, chosen: list[HandState]) -> None:
        for state in chosen:
            b.action_probabilities(state)

    cold_times = []
    for _ in range(repeat):
        if path is not None:
            target = Blueprint.load(path)
        else:  # an in-memory blueprint: empty every cache, node facts too
            target = blueprint
            target.clear_caches()
            target.follower.clear_caches(nodes=True)
        start = CLOCK()
        query(target, states)
        cold_times.append(CLOCK() - start)
    query(blueprint, states)

    def new_histories() -> None:
        blueprint.clear_caches()
        query(blueprint, fresh_states)

    new_rate = rate(new_histories, len(fresh_states), repeat)
    warm_rate = rate(lambda: query(blueprint, states), n, repeat)
    sample = states[: min(n, 2000)]
    walker = TreeFollower(blueprint.tree)

    def peer_run() -> None:
        for state in sample:
            walker.clear_caches()
            walker.spot(state)

    peer = rate(peer_run, len(sample), 1)
    spots = [blueprint.spot(s) for s in states]
    return {
        "blueprint": label,
        "players": blueprint.n_players,
        "tree_nodes": blueprint.tree.n_nodes,
        "buckets_per_street": list(blueprint.layout.n_buckets),
        "states": n,
        "distinct_histories": len(fresh_states),
        "on_tree_share": round(sum(s.on_tree for s in spots) / n, 3),
        "translated_share": round(sum(not s.exact for s in spots) / n, 3),
        "several_lines_share": round(sum(bool(s.others) for s in spots) / n, 3),
        "mean_lines": round(sum(len(s.lines) for s in spots) / n, 3),
        "cold_queries_per_s": round(n / min(cold_times)),
        "new_history_queries_per_s": new_rate,
        "warm_queries_per_s": warm_rate,
        "peer_walk_from_start_per_s": peer,
        "peer_states": len(sample),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprint", action="append", type=Path, help="a policy folder (repeat)")
    parser.add_argument("--hands", type=int, default=2000, help="hands played for the states")
    parser.add_argument("--repeat", type=int, default=3, help="timed repeats (best is kept)")
    args = parser.parse_args()
    load_start = os.getloadavg()
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(str(p), p) for p in args.blueprint or []]
        extra: list[Blueprint] = []
        if not runs:
            if not TINY.exists():
                print(
                    f"{TINY}: no such bucket file; build it with\n"
                    f"  .venv/bin/holdem buckets build --preset tiny --out {TINY}",
                    file=sys.stderr,
                )
                sys.exit(2)
            runs = [
                (
                    "push/fold 10 bb, lossless preflop, 200,000 iterations",
                    train(ROOT / "configs/pushfold_10bb.yaml", None, 200_000, Path(tmp) / "pf"),
                ),
                (
                    "hu_small, buckets_tiny, 20,000 iterations",
                    train(ROOT / "configs/hu_small.yaml", TINY, 20_000, Path(tmp) / "hu"),
                ),
            ]
            extra.append(random_six_max(TINY))
        for label, path in runs:
            reports.append(bench(label, path, Blueprint.load(path), args.hands, args.repeat))
        for blueprint in extra:
            label = "6 players (small tree), buckets_tiny, random rows"
            reports.append(bench(label, None, blueprint, args.hands // 4, args.repeat))
    result = {
        "benchmark": "policy",
        "machine": {
            **machine_info(),
            "load_average_at_start": [round(x, 2) for x in load_start],
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "clock": "process CPU time, one thread",
        "hands": args.hands,
        "blueprints": reports,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
