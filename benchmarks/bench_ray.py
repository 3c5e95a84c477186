"""Training on a Ray cluster against one machine, and what its syncs cost; prints JSON.

    python benchmarks/bench_ray.py                         # 120 s a run, syncs every 30 s
    python benchmarks/bench_ray.py --seconds 60 --games hu_rich --out /tmp/ray.json

On this machine, with the same total of cores (the machine's, 2 here), each game is trained
three ways, each run in turn for ``--seconds`` of training:

- ``one_machine``: `holdem train` as one machine runs it, a pool of one worker per core;
- ``one_node``: a Ray cluster of one node with every core, its actor running that same pool;
- ``nodes``: a Ray cluster of one node per core, each actor training in its own process.

A cluster is started for its run (`ray.cluster_utils.Cluster`, nodes on this machine) and shut
down after it. The games: ``hu_rich`` (`configs/blueprint_training.yaml`: hu_rich with the
``mid`` buckets, built by `make run`'s command when missing) and ``6max`` (`configs/6max.yaml`
at 169/200/200/200 buckets, random tables as `measure_6max_memory.py` uses: speed and memory do
not depend on which hand lands in which bucket), both with the Pluribus schedule of
``blueprint_training.yaml`` (nothing of it falls due in a short run but the syncs).

Per run: iterations per second (over training time), the syncs (count, seconds and bytes in
all and per sync: entries gathered from the nodes plus entries sent back), their share of the
training time, the table bytes a full copy would move, and the load average. The JSON is
written after each run, and a rerun with the same ``--out`` skips the runs it holds.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import machine_info, run_holdem
from holdem.abstraction.random_abstraction import random_abstraction
from holdem.training.config import load_train_config, train_config_from_dict
from holdem.training.trainer import Trainer
from holdem.training.training_game import bucket_build_command, load_training_game

ROOT = Path(__file__).resolve().parents[1]

BLUEPRINT = ROOT / "configs/blueprint_training.yaml"
SIX_MAX = ROOT / "configs/6max.yaml"
PLURIBUS_COUNTS = {"preflop": 169, "flop": 200, "turn": 200, "river": 200}
SETUPS = ("one_machine", "one_node", "nodes")


def game_config(game: str, folder: Path) -> dict[str, Any]:
    """The training config of ``game`` as a mapping (buckets built or made when missing)."""
    base = load_train_config(BLUEPRINT).to_dict()
    if game == "hu_rich":
        buckets = Path(base["buckets"])
        if not buckets.exists():
            run_holdem(*bucket_build_command(buckets).split()[1:])
        return base
    buckets = folder / "buckets_random_pluribus_counts.npz"
    if not buckets.exists():
        random_abstraction(PLURIBUS_COUNTS, 0).save(buckets)
    return {**base, "betting": str(SIX_MAX), "buckets": str(buckets)}


def measure(game: str, setup: str, seconds: float, sync: float, folder: Path) -> dict[str, Any]:
    """One run of ``game`` trained by ``setup`` for ``seconds`` of training."""
    import ray
    from ray.cluster_utils import Cluster

    cores = os.cpu_count() or 1
    data = {
        **game_config(game, folder),
        "time_budget": seconds,
        "iterations": None,
        "report_interval": seconds / 4,
        "snapshot_interval": None,
        "checkpoint_interval": None,
    }
    cluster = None
    if setup != "one_machine":
        if setup == "one_node":
            shape, per_node = [cores], cores
        else:
            shape, per_node = [1] * cores, 1
        cluster = Cluster(
            initialize_head=True,
            head_node_args={"num_cpus": shape[0], "include_dashboard": False},
        )
        for cpus in shape[1:]:
            cluster.add_node(num_cpus=cpus)
        cluster.wait_for_nodes()
        ray.init(address=cluster.address, log_to_driver=False)
        data["cluster"] = {
            "ray": cluster.address,
            "sync_interval": sync,
            "workers_per_node": per_node,
        }
    config = train_config_from_dict(data)
    training = load_training_game(config.betting, config.buckets)
    logdir = Path(tempfile.mkdtemp(prefix=f"bench_ray_{game}_{setup}_", dir=folder))
    trainer = Trainer(config, training, logdir, num_workers=cores, say=print)
    load_before = os.getloadavg()[0]
    try:
        trainer.allocate()
        result = trainer.train()
    finally:
        if cluster is not None:
            ray.shutdown()
            cluster.shutdown()
    report = result.last_report
    record: dict[str, Any] = {
        "setup": setup,
        "training_seconds": result.seconds,
        "iterations": result.iterations,
        "iterations_per_second": result.iterations / result.seconds,
        "table_bytes": trainer.table_bytes(),
        "rss_bytes_driver": report["rss_bytes"],
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
    }
    cluster_report = report.get("cluster")
    if cluster_report is not None:
        syncs = max(1, cluster_report["syncs"])
        record.update(
            nodes=len(cluster_report["nodes"]),
            nodes_lost=cluster_report["nodes_lost"],
            workers_per_node=[n["workers"] for n in cluster_report["nodes"]],
            syncs=cluster_report["syncs"],
            sync_seconds_total=cluster_report["sync_seconds_total"],
            sync_bytes_total=cluster_report["sync_bytes_total"],
            sync_seconds_mean=cluster_report["sync_seconds_total"] / syncs,
            sync_bytes_mean=cluster_report["sync_bytes_total"] / syncs,
            sync_share_of_training=cluster_report["sync_seconds_total"] / result.seconds,
        )
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="training time of a run")
    parser.add_argument("--sync-interval", type=float, default=30.0)
    parser.add_argument("--games", default="hu_rich,6max")
    parser.add_argument("--setups", default=",".join(SETUPS))
    parser.add_argument("--out", type=Path, default=None, help="JSON file (resumed if present)")
    args = parser.parse_args()
    document: dict[str, Any] = {
        "benchmark": "Ray cluster training against one machine, with the cost of syncs",
        "machine": machine_info(),
        "seconds": args.seconds,
        "sync_interval": args.sync_interval,
        "runs": {},
    }
    if args.out is not None and args.out.exists():
        document = json.loads(args.out.read_text())
    with tempfile.TemporaryDirectory(prefix="bench_ray_") as scratch:
        for game in args.games.split(","):
            for setup in args.setups.split(","):
                key = f"{game}/{setup}"
                if key in document["runs"]:
                    continue
                started = time.perf_counter()
                record = measure(game, setup, args.seconds, args.sync_interval, Path(scratch))
                record["wall_seconds"] = time.perf_counter() - started
                document["runs"][key] = record
                if args.out is not None:
                    args.out.write_text(json.dumps(document, indent=2) + "\n")
                print(json.dumps({key: record}), flush=True)
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
