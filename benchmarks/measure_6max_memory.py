"""Memory of a real 6-max training run at Pluribus-size buckets (169/200/200/200).

Trains `configs/6max.yaml` for a short budget with a card abstraction of those counts (random
tables: the trainer's memory does not depend on which hand lands in which bucket), then writes
a snapshot, a checkpoint and the blueprint, as a real run does. Prints JSON: table entries,
bytes per (infoset, action), the peak resident memory of the process (the whole run, writes
included) and the sizes on disk, beside the machine description.

    python benchmarks/measure_6max_memory.py --seconds 60 --out benchmarks/results/memory_6max.json
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench_common import emit, machine_info
from holdem.abstraction.random_abstraction import random_abstraction
from holdem.training.config import train_config_from_dict
from holdem.training.trainer import Trainer
from holdem.training.training_game import load_training_game
from holdem.training.worker import TREE_ARRAYS

ROOT = Path(__file__).resolve().parents[1]
COUNTS = {"preflop": 169, "flop": 200, "turn": 200, "river": 200}


def _folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(
        dir=ROOT / "runs" if (ROOT / "runs").exists() else None
    ) as tmp:
        folder = Path(tmp)
        buckets = folder / "buckets_random_pluribus_counts.npz"
        random_abstraction(COUNTS, 0).save(buckets)
        config = train_config_from_dict(
            {
                "betting": str(ROOT / "configs/6max.yaml"),
                "buckets": str(buckets),
                "time_budget": args.seconds,
                "average": {"update": "sampled", "interval": 100, "sums": "preflop"},
                "report_interval": max(5.0, args.seconds / 4),
                "checkpoint_interval": None,
                "snapshot_interval": None,
            }
        )
        start = time.perf_counter()
        training = load_training_game(config.betting, config.buckets)
        layout = training.game.layout
        trainer = Trainer(config, training, folder / "run")
        trainer.allocate()
        result = trainer.train()
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (
            1 if sys.platform == "darwin" else 1024
        )
        record = {
            "benchmark": "6max training memory at 169/200/200/200 buckets",
            "machine": machine_info(),
            "table_entries": layout.size,
            "infosets": sum(
                layout.n_buckets[int(training.game.tree.street[n])]
                for n in training.game.tree.decision_nodes()
            ),
            "regret_bytes": trainer.state.mccfr.regret.nbytes,
            "strategy_sum_bytes": trainer.state.mccfr.strategy_sum.nbytes,
            "bytes_per_entry": trainer.bytes_per_entry(),
            "tree_bytes": sum(getattr(training.game.tree, name).nbytes for name in TREE_ARRAYS),
            "training_seconds": result.seconds,
            "iterations": result.iterations,
            "wall_seconds_with_writes": wall,
            "peak_rss_bytes": peak,
            "last_report": {
                k: result.last_report[k]
                for k in (
                    "rss_bytes",
                    "iterations_per_second",
                    "nodes_per_second",
                    "infosets_touched",
                    "infosets",
                )
            },
            "disk_bytes": {
                name: _folder_bytes(folder / "run" / name)
                for name in ("checkpoints", "snapshots", "blueprint")
            },
        }
    emit(record, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
