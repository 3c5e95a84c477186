"""Kernel speed with float32 against float64 preflop strategy sums, side by side; prints JSON.

    python benchmarks/bench_sum_dtype.py --out benchmarks/results/sum_dtype.json
    python benchmarks/bench_sum_dtype.py --config configs/blueprint_training.yaml --rounds 10

The trainer keeps its preflop sums in float64 (float32 stops counting at 2**24). Two states of
the same game and seed, one per type, run ``--iterations`` more iterations in turn for
``--rounds`` rounds (the order alternating), in one process with the kernel options the trainer
derives from ``--config``. The sums never feed back into the regrets, so both do the same work
(the JSON says whether their node counts matched); each round's CPU time of float64 over
float32's of the same round is the paired ratio, so the load of a shared machine falls on both.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import emit, machine_info, source_version
from holdem.cfr.mccfr import NODES, MCCFRState, run_iterations
from holdem.training.config import load_train_config
from holdem.training.trainer import kernel_options_for
from holdem.training.training_game import load_training_game

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("float32", "float64")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "configs/blueprint_hu_open.yaml")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=150_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    config = load_train_config(args.config)
    game = load_training_game(config.betting, config.buckets).game
    base = kernel_options_for(config)
    options = {t: replace(base, sum_dtype=t) for t in TYPES}
    states = {t: MCCFRState.fresh(game, options[t], 0) for t in TYPES}
    for t in TYPES:
        run_iterations(game, options[t], states[t], 1000)  # compile or load the kernels
    cpu: dict[str, list[float]] = {t: [] for t in TYPES}
    nodes: dict[str, list[int]] = {t: [] for t in TYPES}
    load_before = [round(x, 2) for x in os.getloadavg()]
    for r in range(args.rounds):
        for t in TYPES if r % 2 == 0 else TYPES[::-1]:
            state = states[t]
            before, started = int(state.counters[NODES]), time.process_time()
            run_iterations(game, options[t], state, args.iterations)
            cpu[t].append(time.process_time() - started)
            nodes[t].append(int(state.counters[NODES]) - before)
    pairs = [b / a for a, b in zip(cpu["float32"], cpu["float64"], strict=True)]
    record = {
        "benchmark": "sum_dtype",
        "machine": machine_info(),
        "source": source_version(),
        "config": str(args.config),
        "rounds": args.rounds,
        "iterations_per_round": args.iterations,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "same_work": nodes["float32"] == nodes["float64"],
        "cpu_seconds_float64_over_float32": {
            "median_of_rounds": round(float(np.median(pairs)), 3),
            "total": round(sum(cpu["float64"]) / sum(cpu["float32"]), 3),
        },
        **{
            t: {
                "cpu_seconds": round(sum(cpu[t]), 2),
                "iterations_per_cpu_second": round(args.rounds * args.iterations / sum(cpu[t])),
                "nodes_per_cpu_second": round(sum(nodes[t]) / sum(cpu[t])),
            }
            for t in TYPES
        },
    }
    emit(record, args.out)


if __name__ == "__main__":
    main()
