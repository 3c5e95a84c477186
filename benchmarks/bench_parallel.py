"""Training throughput on every core: N workers against one, and the rate over a long run.

The trainer's iterations get longer as it learns: under the first, uniform strategies most hands
end in an early fold, later they reach the river, so the nodes visited per iteration grow by
about a third in a run's first twenty minutes on `hu_rich`. And a shared or virtual machine's speed
drifts by tens of percent over minutes. Both are measured here, apart from the trainer's own
speed:

- Throughput (``--seconds``): a run on every core warms the tables up (``--warm``), then for N =
  1 .. cores, a copy of that checkpoint trains ``--seconds`` more with N workers (N = 1 in the
  main process, N > 1 spawned workers on shared tables); the order of N alternates between
  ``--repeats`` rounds, so a drift of the machine falls on every N alike. Iterations and tree
  nodes per second come from the runs' own metrics (their second half), the speedup over one
  worker (target: at least 0.9 N on N idle cores) beside the machine's own ceiling (N separate
  one-process trainings at once, sharing nothing: on a machine whose cores slow each other down,
  no parallel run can beat it), and the memory of the whole run: the proportional set size
  (PSS, shared pages split between the processes that map them) summed over the main process
  and its workers, beside the table size.
- ``--long SECONDS``: one run on every core for that long (a checkpoint every 90 s), its rates
  in the second minute and in the last as it reported them (the earlier system decayed from 38
  to 28 iterations per second), and then its states in the middle of those two minutes trained
  side by side in alternation for ``--probe`` seconds on the same deals: the machine's drift
  cancels out, what remains is the trainer's own change of speed, split into nodes per second
  (the trainer's speed at its work) and nodes per iteration (the work an iteration is, which
  grows as the strategies learn).

    python benchmarks/bench_parallel.py --seconds 60 --out benchmarks/results/parallel.json
    python benchmarks/bench_parallel.py --long 1200 --out benchmarks/results/parallel_long.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import yaml

from bench_common import emit, machine_info
from holdem.cfr.mccfr import N_COUNTERS, NODES
from holdem.training.batches import Tables, run_batches
from holdem.training.checkpoint import load_checkpoint
from holdem.training.config import load_train_config
from holdem.training.trainer import kernel_options_for
from holdem.training.training_game import load_training_game

ROOT = Path(__file__).resolve().parents[1]


def _pss_bytes(pid: int) -> int:
    """PSS of ``pid`` and its descendants (Linux), 0 where unreadable."""
    total = 0
    for proc in [pid, *_descendants(pid)]:
        try:
            with open(f"/proc/{proc}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    out, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


def _run(
    workers: int,
    seconds: float,
    buckets: Path,
    logdir: Path,
    resume: Path | None = None,
    config: Path = ROOT / "configs/blueprint_training.yaml",
    checkpoint_interval: float | None = None,
) -> dict:
    """Train ``seconds`` with ``workers`` (more, from checkpoint ``resume`` copied into
    ``logdir``), checkpointing at the end only unless ``checkpoint_interval`` is given; rates
    from the second half of what this run added to ``metrics.jsonl``."""
    if resume is None:
        start = 0.0
        source = ["--config", str(config), "--overwrite"]
        source += ["--buckets", str(buckets), "--logdir", str(logdir)]
    else:
        shutil.rmtree(logdir, ignore_errors=True)
        shutil.copytree(resume, logdir)
        start = _records(logdir)[-1]["seconds"]
        source = ["--resume-from", str(logdir)]
    command = [
        sys.executable,
        "-m",
        "holdem.cli.train_blueprint",
        *source,
        "--time-budget",
        str(start + seconds),
        "--num-workers",
        str(workers),
        "--checkpoint-interval",
        str(checkpoint_interval or 10 * (start + seconds)),
        "--snapshot-interval",
        str(10 * (start + seconds)),
        "--no-tensorboard",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    loads: list[float] = []

    def watch() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _pss_bytes(process.pid))
            loads.append(os.getloadavg()[0])
            time.sleep(1.0)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = process.communicate()
    watcher.join()
    if process.returncode != 0:
        raise RuntimeError(f"{workers} workers failed: {err.decode()[-2000:]}")
    records = [r for r in _records(logdir) if r["seconds"] > start]
    half = [r for r in records if r["seconds"] >= start + seconds / 2] or records[-1:]
    first, last = half[0], records[-1]
    rate = (last["iteration"] - first["iteration"]) / max(1e-9, last["seconds"] - first["seconds"])
    nodes = sum(r["nodes_per_second"] for r in half[1:]) / max(1, len(half) - 1)
    return {
        "workers": workers,
        "from_iteration": 0 if resume is None else _records(resume)[-1]["iteration"],
        "iterations_per_second": rate,
        "nodes_per_second": nodes,
        "nodes_per_iteration": nodes / rate if rate else 0.0,
        "iterations": last["iteration"],
        "table_bytes": last["table_bytes"],
        "peak_pss_bytes_all_processes": peak[0],
        "load_average_1min_during": {
            "min": min(loads, default=0.0),
            "max": max(loads, default=0.0),
        },
        "records": [(r["seconds"], r["iteration"], r["nodes_per_second"]) for r in records],
    }


def _records(logdir: Path) -> list[dict]:
    return [json.loads(line) for line in (logdir / "metrics.jsonl").read_text().splitlines()]


def _mean(runs: list[dict], key: str) -> float:
    return sum(run[key] for run in runs) / len(runs)


def _throughput(seconds: float, warm: float, repeats: int, buckets: Path, folder: Path) -> dict:
    cores = os.cpu_count() or 1
    warm_run = _run(cores, warm, buckets, folder / "warm")
    warm_run.pop("records")
    by_workers: dict[int, list[dict]] = {n: [] for n in range(1, cores + 1)}
    ceilings: list[float] = []
    for round_ in range(repeats):
        order = list(by_workers) if round_ % 2 == 0 else list(reversed(by_workers))
        for n in order:
            run = _run(n, seconds, buckets, folder / f"w{n}", resume=folder / "warm")
            run.pop("records")
            by_workers[n].append(run)
        if cores > 1:
            ceilings.append(_independent(cores, seconds, buckets, folder))
    base_it = _mean(by_workers[1], "iterations_per_second")
    base_nodes = _mean(by_workers[1], "nodes_per_second")
    rows = []
    for n, runs in by_workers.items():
        row = {
            "workers": n,
            "iterations_per_second": _mean(runs, "iterations_per_second"),
            "nodes_per_second": _mean(runs, "nodes_per_second"),
            "nodes_per_iteration": _mean(runs, "nodes_per_iteration"),
            "speedup": _mean(runs, "iterations_per_second") / base_it,
            "nodes_speedup": _mean(runs, "nodes_per_second") / base_nodes,
            "target_speedup": 0.9 * n,
            "peak_pss_bytes_all_processes": max(r["peak_pss_bytes_all_processes"] for r in runs),
            "table_bytes": runs[0]["table_bytes"],
            "rounds": runs,
        }
        if n == cores and ceilings:
            ceiling = sum(ceilings) / len(ceilings)
            row["independent_processes_iterations_per_second"] = ceiling
            row["machine_ceiling_speedup"] = ceiling / base_it
            row["share_of_ceiling"] = row["iterations_per_second"] / ceiling
        rows.append(row)
    return {"warm_up": warm_run, "seconds_per_run": seconds, "repeats": repeats, "runs": rows}


def _independent(copies: int, seconds: float, buckets: Path, folder: Path) -> float:
    """The machine's ceiling for this work: ``copies`` separate one-process trainings from the
    warm checkpoint at once (nothing shared), their iterations per second added up."""
    with ThreadPoolExecutor(copies) as pool:
        runs = list(
            pool.map(
                lambda i: _run(1, seconds, buckets, folder / f"alone{i}", resume=folder / "warm"),
                range(copies),
            )
        )
    return sum(run["iterations_per_second"] for run in runs)


def _near(checkpoints: dict[float, Path], seconds: float) -> Path:
    """The checkpoint written at ``seconds`` of training (within the 5 s of a barrier)."""
    at = min(checkpoints, key=lambda t: abs(t - seconds))
    if abs(at - seconds) > 5.0:
        raise RuntimeError(f"no checkpoint at {seconds:g} s, only at {sorted(checkpoints)}")
    return checkpoints[at]


def _same_moments(logdir: Path, states: dict[str, Path], threads: int, seconds: float) -> dict:
    """Iterations and nodes per second of training continued from each checkpoint in
    ``states``, measured in alternation on the same deals, so that the machine's drift falls on
    every state alike.

    Each burst restores one state's tables from its checkpoint, then ``threads`` threads run
    the trainer's own batches (`holdem.training.batches.run_batches`, the kernel releases the
    GIL) on those shared tables, as the run's workers do on shared memory; the next burst does
    the same from the other state with the same batch numbers (the same deals and samples).
    """
    config = load_train_config(logdir / "config.yaml")
    game = load_training_game(config.betting, config.buckets, verify=False).game
    options = kernel_options_for(config)
    saved = {name: load_checkpoint(path).state for name, path in states.items()}
    first = next(iter(saved.values()))
    regret, strategy_sum = np.empty_like(first.regret), np.empty_like(first.strategy_sum)
    counters = [np.zeros(N_COUNTERS, np.int64) for _ in range(threads)]
    batches = max(1, 5000 // config.batch)  # about a fifth of a second per burst
    totals = {name: {"iterations": 0, "nodes": 0, "seconds": 0.0} for name in states}

    def burst(name: str, round_: int, pool: ThreadPoolExecutor) -> None:
        np.copyto(regret, saved[name].regret)
        np.copyto(strategy_sum, saved[name].strategy_sum)
        nodes = sum(int(c[NODES]) for c in counters)
        started = time.perf_counter()
        done = pool.map(
            lambda k: run_batches(
                game,
                options,
                Tables(regret, strategy_sum, counters[k]),
                config.seed,
                config.batch,
                (round_ * threads + k) * batches,
                batches,
            ),
            range(threads),
        )
        total = totals[name]
        total["iterations"] += sum(done)
        total["seconds"] += time.perf_counter() - started
        total["nodes"] += sum(int(c[NODES]) for c in counters) - nodes

    with ThreadPoolExecutor(threads) as pool:
        for name in states:  # load every kernel and page before the clock
            burst(name, 0, pool)
        totals = {name: {"iterations": 0, "nodes": 0, "seconds": 0.0} for name in states}
        round_, stop = 1, time.perf_counter() + seconds
        while time.perf_counter() < stop:
            names = list(states) if round_ % 2 else list(reversed(states))
            for name in names:
                burst(name, round_, pool)
            round_ += 1
    return {
        name: {
            "checkpoint_iteration": saved[name].iteration,
            "iterations_per_second": t["iterations"] / t["seconds"],
            "nodes_per_second": t["nodes"] / t["seconds"],
            "nodes_per_iteration": t["nodes"] / t["iterations"],
            "seconds_measured": t["seconds"],
        }
        for name, t in totals.items()
    } | {"rounds": round_ - 1, "threads": threads}


def _long(seconds: float, probe: float, buckets: Path, folder: Path) -> dict:
    """A run of ``seconds`` on every core, checkpointed every 90 seconds (all kept); its rates
    in the second and last minute as it reported them, then its states in the middle of those
    two minutes (at 90 seconds and 30 seconds before the end) measured side by side for
    ``probe`` seconds."""
    if seconds < 180 or (seconds - 30) % 90:
        raise ValueError(f"--long {seconds:g}: give 30 s more than a multiple of 90, e.g. 1200")
    cores = os.cpu_count() or 1
    data = yaml.safe_load((ROOT / "configs/blueprint_training.yaml").read_text())
    data["betting"] = str(ROOT / "configs" / data["betting"])
    data["keep_checkpoints"] = int(seconds // 90) + 2
    config = folder / "long.yaml"
    config.write_text(yaml.safe_dump(data))
    run = _run(cores, seconds, buckets, folder / "long", config=config, checkpoint_interval=90)
    points = run.pop("records")
    checkpoints = {
        load_checkpoint(path).state.seconds: path
        for path in sorted((folder / "long" / "checkpoints").iterdir())
    }

    def rate_between(start: float, end: float) -> tuple[float, float]:
        """Iterations per second and mean nodes per second reported in [start, end]."""
        inside = [p for p in points if start <= p[0] <= end]
        (t0, i0, _), (t1, i1, _) = inside[0], inside[-1]
        nodes = sum(p[2] for p in inside[1:]) / max(1, len(inside) - 1)
        return (i1 - i0) / max(1e-9, t1 - t0), nodes

    second, second_nodes = rate_between(60.0, 120.0)
    last, last_nodes = rate_between(seconds - 60.0, seconds)
    states = {
        "second_minute": _near(checkpoints, 90.0),
        "last_minute": _near(checkpoints, seconds - 30.0),
    }
    side = _same_moments(folder / "long", states, cores, probe)
    before, after = side["second_minute"], side["last_minute"]
    return {
        "workers": cores,
        "seconds": seconds,
        "iterations": run["iterations"],
        "table_bytes": run["table_bytes"],
        "peak_pss_bytes_all_processes": run["peak_pss_bytes_all_processes"],
        "load_average_1min_during": run["load_average_1min_during"],
        "as_reported": {
            "note": "the run's own reports: the machine's drift over 20 minutes is in them",
            "iterations_per_second_second_minute": second,
            "iterations_per_second_last_minute": last,
            "last_over_second": last / second,
            "nodes_per_second_second_minute": second_nodes,
            "nodes_per_second_last_minute": last_nodes,
            "nodes_last_over_second": last_nodes / second_nodes,
            "nodes_per_iteration_second_minute": second_nodes / second,
            "nodes_per_iteration_last_minute": last_nodes / last,
        },
        "side_by_side": {
            "note": (
                "the states in the middle of the second and of the last minute, trained in "
                "alternation on the same deals with one thread per core on shared tables"
            ),
            "probe_seconds": probe,
            **side,
            "iterations_per_second_last_over_second": after["iterations_per_second"]
            / before["iterations_per_second"],
            "nodes_per_second_last_over_second": after["nodes_per_second"]
            / before["nodes_per_second"],
            "nodes_per_iteration_last_over_second": after["nodes_per_iteration"]
            / before["nodes_per_iteration"],
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--buckets", type=Path, default=ROOT / "assets/abstraction/buckets_mid.npz")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warm", type=float, default=120.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--long", type=float, default=None)
    parser.add_argument("--probe", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the runs' logdirs under this folder"
    )
    args = parser.parse_args()
    if not args.buckets.exists():
        print(
            f"{args.buckets}: missing; build it with: holdem buckets build --preset mid "
            f"--out {args.buckets}",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        record: dict = {
            "benchmark": "training throughput by workers",
            "machine": machine_info(),
            "buckets": str(args.buckets),
            "load_average_before": os.getloadavg(),
        }
        if args.long is not None:
            record["long_run"] = _long(args.long, args.probe, args.buckets, folder)
        else:
            record.update(_throughput(args.seconds, args.warm, args.repeats, args.buckets, folder))
        record["load_average_after"] = os.getloadavg()
    emit(record, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
