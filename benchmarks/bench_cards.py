"""Card-layer benchmark: 7-card evaluations per second (one core, all cores) beside PHEvaluator.

Prints one JSON object. Hands are random 7-card hands drawn before timing; each rate is the best
of several repetitions. PHEvaluator is measured through its Python API (``evaluate_cards``), one
call per hand, in the same run. The isomorphism indexer's rates come from
``bench_isomorphism.measure`` when that module is present.

    python benchmarks/bench_cards.py [--hands 10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

from bench_common import machine_info
from holdem.cards.evaluator import _evaluate_rows, _evaluate_rows_threaded


@njit(cache=True)
def _random_hands(n: int, seed: int) -> np.ndarray:
    """n random 7-card hands (distinct cards in each), by a partial Fisher-Yates shuffle."""
    np.random.seed(seed)
    deck = np.arange(52).astype(np.uint8)
    out = np.empty((n, 7), np.uint8)
    for i in range(n):
        for j in range(7):
            k = j + np.random.randint(52 - j)
            deck[j], deck[k] = deck[k], deck[j]
            out[i, j] = deck[j]
    return out


def _best_rate(kernel, hands: np.ndarray, repeat: int) -> float:
    out = np.empty(hands.shape[0], np.uint16)
    kernel(hands[:1000], out[:1000])  # compile or load from cache outside the timing
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        kernel(hands, out)
        best = min(best, time.perf_counter() - start)
    return hands.shape[0] / best


def _phevaluator_rate(hands: np.ndarray) -> float | None:
    try:
        from phevaluator import evaluate_cards
    except ImportError:
        return None
    rows = [tuple(int(c) for c in h) for h in hands]
    start = time.perf_counter()
    for h in rows:
        evaluate_cards(*h)
    return len(rows) / (time.perf_counter() - start)


def _indexer_rates(seconds: float) -> dict | None:
    sys.path.insert(0, str(Path(__file__).parent))
    try:
        import bench_isomorphism
    except ImportError:
        return None
    return bench_isomorphism.measure(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=10_000_000, help="random 7-card hands")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the best counts")
    parser.add_argument("--peer-hands", type=int, default=300_000, help="hands for PHEvaluator")
    parser.add_argument("--indexer-seconds", type=float, default=1.0)
    args = parser.parse_args()

    hands = _random_hands(args.hands, 12345)
    one_core = _best_rate(_evaluate_rows, hands, args.repeat)
    all_cores = _best_rate(_evaluate_rows_threaded, hands, args.repeat)
    peer = _phevaluator_rate(hands[: args.peer_hands])
    result = {
        "benchmark": "cards",
        "machine": machine_info(),
        "evaluator_7card": {
            "hands": args.hands,
            "ours_one_core_per_s": round(one_core),
            # blocks of rows on numba.get_num_threads() threads, each running the one-core kernel
            "ours_all_cores_per_s": round(all_cores),
            "phevaluator_python_api_per_s": None if peer is None else round(peer),
            "ratio_ours_one_core_over_phevaluator": None
            if peer is None
            else round(one_core / peer, 1),
            "target_per_core_per_s": 50_000_000,
        },
        "isomorphism": _indexer_rates(args.indexer_seconds),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
