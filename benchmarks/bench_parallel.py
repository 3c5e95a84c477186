"""Training throughput on every core: N workers against one, and the rate over a long run.

For N = 1 .. cores, trains `configs/hu_rich.yaml` with the given buckets (default
`assets/abstraction/buckets_mid.npz`) for ``--seconds`` with N workers (N = 1 in the main
process, N > 1 spawned workers on shared tables) and reports iterations per second from the
run's own metrics (the second half of the run, after start-up), the speedup over one worker
(target: at least 0.9 N on N idle cores) beside the machine's own ceiling (N separate
one-process trainings at once, sharing nothing: on a machine whose cores slow each other down,
no parallel run can beat it) and the memory of the whole run: the proportional
set size (PSS, shared pages split between the processes that map them) summed over the main
process and its workers, beside the table size. ``--long SECONDS`` also runs every core for that
long and compares the rate in its second minute with the rate in its last minute (the earlier
system decayed from 38 to 28 iterations per second).

    python benchmarks/bench_parallel.py --seconds 60 --out benchmarks/results/parallel.json
    python benchmarks/bench_parallel.py --long 1200 --out benchmarks/results/parallel_long.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_common import machine_info

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


def _run(workers: int, seconds: float, buckets: Path, logdir: Path) -> dict:
    command = [
        sys.executable,
        "-m",
        "holdem.cli.train_blueprint",
        "--config",
        str(ROOT / "configs/blueprint_training.yaml"),
        "--buckets",
        str(buckets),
        "--logdir",
        str(logdir),
        "--time-budget",
        str(seconds),
        "--num-workers",
        str(workers),
        "--checkpoint-interval",
        str(10 * seconds),
        "--snapshot-interval",
        str(10 * seconds),
        "--overwrite",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def watch() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _pss_bytes(process.pid))
            time.sleep(1.0)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = process.communicate()
    watcher.join()
    if process.returncode != 0:
        raise RuntimeError(f"{workers} workers failed: {err.decode()[-2000:]}")
    records = [json.loads(line) for line in (logdir / "metrics.jsonl").read_text().splitlines()]
    half = [r for r in records if r["seconds"] >= seconds / 2] or records[-1:]
    first, last = half[0], records[-1]
    rate = (last["iteration"] - first["iteration"]) / max(1e-9, last["seconds"] - first["seconds"])
    nodes = sum(r["nodes_per_second"] for r in half) / len(half)
    return {
        "workers": workers,
        "iterations_per_second": rate,
        "nodes_per_second": nodes,
        "iterations": last["iteration"],
        "table_bytes": last["table_bytes"],
        "peak_pss_bytes_all_processes": peak[0],
        "records": [(r["seconds"], r["iteration"]) for r in records],
    }


def _independent(copies: int, seconds: float, buckets: Path, folder: Path) -> float:
    """The machine's ceiling for this work: ``copies`` separate one-process trainings run at
    once (nothing shared), their iterations per second added up."""
    with ThreadPoolExecutor(copies) as pool:
        runs = list(
            pool.map(lambda i: _run(1, seconds, buckets, folder / f"alone{i}"), range(copies))
        )
    return sum(run["iterations_per_second"] for run in runs)


def _long(seconds: float, buckets: Path, folder: Path) -> dict:
    result = _run(os.cpu_count() or 1, seconds, buckets, folder / "long")
    points = result.pop("records")

    def rate_between(start: float, end: float) -> float:
        inside = [p for p in points if start <= p[0] <= end]
        (t0, i0), (t1, i1) = inside[0], inside[-1]
        return (i1 - i0) / max(1e-9, t1 - t0)

    second = rate_between(60.0, 120.0)
    last = rate_between(seconds - 60.0, seconds)
    return {
        **result,
        "rate_second_minute": second,
        "rate_last_minute": last,
        "last_over_second": last / second,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--buckets", type=Path, default=ROOT / "assets/abstraction/buckets_mid.npz")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--long", type=float, default=None)
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
            record["long_run"] = _long(args.long, args.buckets, folder)
        else:
            runs = []
            for workers in range(1, (os.cpu_count() or 1) + 1):
                run = _run(workers, args.seconds, args.buckets, folder / f"w{workers}")
                run.pop("records")
                runs.append(run)
            base = runs[0]["iterations_per_second"]
            for run in runs:
                run["speedup"] = run["iterations_per_second"] / base
                run["target_speedup"] = 0.9 * run["workers"]
                if run["workers"] > 1:
                    ceiling = _independent(run["workers"], args.seconds, args.buckets, folder)
                    run["independent_processes_iterations_per_second"] = ceiling
                    run["machine_ceiling_speedup"] = ceiling / base
                    run["share_of_ceiling"] = run["iterations_per_second"] / ceiling
            record["runs"] = runs
        record["load_average_after"] = os.getloadavg()
    text = json.dumps(record, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
