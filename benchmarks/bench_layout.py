"""Table row order: the trainer's kernel on identical work with the rows of each street in
depth-first node order (the layout training uses) and in node numbers (breadth-first); prints
JSON.

    python benchmarks/bench_layout.py --seconds 60

Both tables are bucket-major inside each street (`holdem.abstraction.betting_tree.TableLayout`);
only the order of the nodes inside a street's block differs, so the two runs do the same
arithmetic on the same deals with the same samples (the same seeds; their node counts must
agree, which is checked) and differ only in where their rows lie in memory. `hu_rich` with the
`mid` buckets and the kernel options of `configs/blueprint_training.yaml`, one core; the two
runs alternate in bursts of 5,000 iterations, so that the machine's drift falls on both alike,
after 200,000 iterations each from empty tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import ROOT, emit, machine_info
from holdem.cfr.game import SolverGame
from holdem.cfr.mccfr import NODES, MCCFRState, run_iterations
from holdem.training.config import load_train_config
from holdem.training.trainer import kernel_options_for
from holdem.training.training_game import load_training_game


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--buckets", type=Path, default=ROOT / "assets/abstraction/buckets_mid.npz")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not args.buckets.exists():
        print(f"{args.buckets}: missing; build it with holdem buckets build", file=sys.stderr)
        return 2
    config = load_train_config(ROOT / "configs/blueprint_training.yaml")
    options = kernel_options_for(config)
    game = load_training_game(config.betting, args.buckets, verify=False).game
    tree, n_buckets = game.tree, game.cards.n_buckets
    games = {
        "depth_first": SolverGame(game.name, tree, game.cards, tree.layout(n_buckets)),
        "node_numbers": SolverGame(game.name, tree, game.cards, tree.layout(n_buckets, False)),
    }
    states = {name: MCCFRState.fresh(g, options, config.seed) for name, g in games.items()}
    for name, g in games.items():
        run_iterations(g, options, states[name], 200_000)
    seconds = dict.fromkeys(games, 0.0)
    nodes = dict.fromkeys(games, 0)
    stop, round_ = time.perf_counter() + args.seconds, 0
    while time.perf_counter() < stop:
        for name in list(games) if round_ % 2 else list(reversed(games)):
            before, started = int(states[name].counters[NODES]), time.perf_counter()
            run_iterations(games[name], options, states[name], 5_000)
            seconds[name] += time.perf_counter() - started
            nodes[name] += int(states[name].counters[NODES]) - before
        round_ += 1
    if len(set(nodes.values())) != 1:
        raise RuntimeError(f"the two layouts did different work: {nodes}")
    rates = {name: nodes[name] / seconds[name] for name in games}
    record = {
        "benchmark": "table row order inside a street, identical work",
        "machine": machine_info(),
        "game": "hu_rich",
        "buckets": str(args.buckets),
        "rounds": round_,
        "nodes_each": nodes["depth_first"],
        "nodes_per_second": rates,
        "depth_first_over_node_numbers": rates["depth_first"] / rates["node_numbers"],
    }
    emit(record, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
