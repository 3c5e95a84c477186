"""Card abstraction benchmark: build time and peak memory per preset, and bucket lookups per second.

Prints one JSON object. Each preset is built in its own child process, so its peak resident
memory (``ru_maxrss`` of that process) is its own; ``--cold`` gives each child an empty Numba
cache directory, so the time includes compiling every kernel. Lookups are measured from an
uncached ``njit`` loop (a cached caller would keep a stale copy of the indexer) over random
7-card hands: computing a hand's suit-rank masks, its canonical index and reading its bucket,
one hand at a time (``bucket_of``) and eight at a time (``buckets_of``), beside two peers in
the same run: the index computation alone, and a plain read of the table at precomputed random
positions (memory alone).

    python benchmarks/bench_buckets.py --presets tiny,small [--cold] [--file buckets.npz]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time

import numpy as np
from numba import njit

from bench_common import machine_info, run_child
from holdem.abstraction.bucket_presets import PRESETS, STREETS
from holdem.abstraction.buckets import CardAbstraction, bucket_of, buckets_of
from holdem.cards.evaluator import SUITED_BIT
from holdem.cards.isomorphism import N_INDICES, index_masks

_CHILD = """
import json, resource, sys, time
from holdem.abstraction.bucket_builder import build_buckets
from holdem.abstraction.bucket_presets import preset
start = time.perf_counter()
abstraction = build_buckets(preset(sys.argv[1]))
seconds = time.perf_counter() - start
path = abstraction.save(sys.argv[2])
print(json.dumps({
    "seconds": round(seconds, 1),
    "seconds_with_save": round(time.perf_counter() - start, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "stage_seconds": abstraction.manifest["build"]["stage_seconds"],
    "fit": abstraction.manifest["build"]["fit"],
    "counts": abstraction.counts,
    "checksum": abstraction.checksum,
    "file_mb": round(path.stat().st_size / 1e6),
    "quality": abstraction.quality(),
}))
"""


def build_preset(name: str, cold: bool, folder: str) -> dict:
    """Build ``name`` in a child process; its JSON report plus the wall time seen from here."""
    env = dict(os.environ)
    if cold:
        env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="numba-cold-", dir=folder)
    start = time.perf_counter()
    report = run_child(_CHILD, [name, os.path.join(folder, f"{name}.npz")], env)
    if "error" in report:
        return report
    report["process_seconds"] = round(time.perf_counter() - start, 1)
    report["cold_numba_cache"] = cold
    return report


@njit(nogil=True)
def _lookup_loop(table: np.ndarray, hands: np.ndarray) -> int:
    total = 0
    for i in range(hands.shape[0]):
        hole = np.int64(SUITED_BIT[hands[i, 0]] | SUITED_BIT[hands[i, 1]])
        board = np.int64(0)
        for j in range(2, hands.shape[1]):
            board |= np.int64(SUITED_BIT[hands[i, j]])
        total += bucket_of(table, hole, board)
    return total


@njit(nogil=True)
def _batched_loop(table: np.ndarray, hands: np.ndarray) -> int:
    """Eight hands at a time through ``buckets_of`` (indices first, then the reads)."""
    total = 0
    holes = np.empty(8, np.int64)
    boards = np.empty(8, np.int64)
    out = np.empty(8, np.int64)
    for start in range(0, hands.shape[0] - 7, 8):
        for b in range(8):
            i = start + b
            holes[b] = np.int64(SUITED_BIT[hands[i, 0]] | SUITED_BIT[hands[i, 1]])
            board = np.int64(0)
            for j in range(2, hands.shape[1]):
                board |= np.int64(SUITED_BIT[hands[i, j]])
            boards[b] = board
        buckets_of(table, holes, boards, out)
        total += out.sum()
    return total


@njit(nogil=True)
def _index_loop(hands: np.ndarray) -> int:
    total = 0
    for i in range(hands.shape[0]):
        hole = np.int64(SUITED_BIT[hands[i, 0]] | SUITED_BIT[hands[i, 1]])
        board = np.int64(0)
        for j in range(2, hands.shape[1]):
            board |= np.int64(SUITED_BIT[hands[i, j]])
        total += index_masks(hole, board)
    return total


@njit(nogil=True)
def _read_loop(table: np.ndarray, positions: np.ndarray) -> int:
    total = 0
    for i in range(positions.shape[0]):
        total += table[positions[i]]
    return total


def _rate(function, args: tuple, n: int, repeat: int = 3) -> float:
    function(*args)  # compile and warm the pages outside the timing
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return n / best


def lookup_rates(abstraction: CardAbstraction | None, n: int) -> dict:
    """Lookups per second on one core per street, beside index-only and read-only peers."""
    rng = np.random.default_rng(0)
    out = {}
    for street, n_board in zip(STREETS, (0, 3, 4, 5), strict=True):
        if abstraction is not None:
            table = abstraction.tables[street]
        else:
            table = rng.integers(0, 200, size=N_INDICES[STREETS.index(street)], dtype=np.uint8)
        hands = np.argsort(rng.random((n, 52)), axis=1)[:, : 2 + n_board].astype(np.uint8)
        positions = rng.integers(0, table.shape[0], size=n)
        out[street] = {
            "lookups_per_s": round(_rate(_lookup_loop, (table, hands), n)),
            "batched_8_lookups_per_s": round(_rate(_batched_loop, (table, hands), n)),
            "peer_index_only_per_s": round(_rate(_index_loop, (hands,), n)),
            "peer_table_read_only_per_s": round(_rate(_read_loop, (table, positions), n)),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--presets",
        default="tiny",
        help=f"comma-separated presets to build ({', '.join(PRESETS)}), or none",
    )
    parser.add_argument("--cold", action="store_true", help="empty Numba cache for each build")
    parser.add_argument(
        "--file",
        default=None,
        help="measure lookups on this file (default: the first built preset)",
    )
    parser.add_argument("--lookups", type=int, default=2_000_000, help="random hands per street")
    parser.add_argument("--keep", default=None, help="folder to keep the built files in")
    args = parser.parse_args()
    names = [p for p in args.presets.split(",") if p and p != "none"]
    unknown = [p for p in names if p not in PRESETS]
    if unknown:
        parser.error(f"unknown preset(s) {unknown}: use {', '.join(PRESETS)}")

    builds = {}
    with tempfile.TemporaryDirectory(prefix="bench-buckets-", dir=args.keep) as folder:
        for name in names:
            builds[name] = build_preset(name, args.cold, folder)
        source = args.file or (os.path.join(folder, f"{names[0]}.npz") if names else None)
        abstraction = CardAbstraction.load(source) if source and os.path.exists(source) else None
        lookups = lookup_rates(abstraction, args.lookups)
        if abstraction is not None:
            lookups["table_source"] = args.file or names[0]
        else:
            lookups["table_source"] = "random uint8 tables"
    result = {
        "benchmark": "buckets",
        "machine": {
            **machine_info(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "targets": {"tiny_seconds": 60, "pluribus_seconds": 3600, "pluribus_peak_rss_mb": 4096},
        "builds": builds,
        "lookups_one_core": lookups,
        "bench_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
