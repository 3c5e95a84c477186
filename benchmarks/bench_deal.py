"""Hold'em deals per second: `HoldemCards.deal_batch` on real bucket files; prints JSON.

    python benchmarks/bench_deal.py                       # assets/abstraction/buckets_tiny.npz
    python benchmarks/bench_deal.py --buckets a.npz,b.npz   # several bucket files

A deal is what the trainer needs per iteration: a shuffled deck, every seat's bucket on every
street (four canonical indices and four table reads per seat) and every seat's 7-card rank.
Measured on one core, for 2 players (the ``hu_rich`` tree) and 6 players, at several batch
sizes (one Python call per batch), beside three peers in the same run: the lossless
preflop-only form (no postflop tables: the cost of the deck, one index and the ranks), the
same work in a Numba loop that reads the tables one hand at a time (``bucket_of``, no
overlapping of cache misses), and plain Python (``random.sample``, the checked
``hand_index`` and the evaluator called per seat). Times are the best of a few repeats of this
process's CPU time (every kernel here runs on one thread), so other jobs on a shared machine
do not count against a run; the load average is recorded beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

from bench_common import machine_info
from holdem.abstraction.bucket_presets import STREETS
from holdem.abstraction.buckets import bucket_of
from holdem.cards.evaluator import evaluate7
from holdem.cards.isomorphism import hand_index, suit_rank_bit
from holdem.cfr.holdem_cards import HoldemCards, deal_cards
from holdem.cfr.rng import new_state

CLOCK = time.process_time
DEFAULT_BUCKETS = "assets/abstraction/buckets_tiny.npz"
PLAYERS = (2, 6)
BATCHES = (64, 1024, 16384)


@njit(nogil=True)
def _unbatched(
    cards: np.ndarray,
    n_players: int,
    preflop: np.ndarray,
    flop: np.ndarray,
    turn: np.ndarray,
    river: np.ndarray,
) -> int:
    """Peer: the same buckets and ranks, each table read right after its index (a checksum)."""
    total = 0
    first = 2 * n_players
    for i in range(cards.shape[0]):
        b0, b1, b2 = cards[i, first], cards[i, first + 1], cards[i, first + 2]
        b3, b4 = cards[i, first + 3], cards[i, first + 4]
        flop_mask = suit_rank_bit(b0) | suit_rank_bit(b1) | suit_rank_bit(b2)
        turn_mask = flop_mask | suit_rank_bit(b3)
        river_mask = turn_mask | suit_rank_bit(b4)
        for s in range(n_players):
            h0, h1 = cards[i, 2 * s], cards[i, 2 * s + 1]
            hole = suit_rank_bit(h0) | suit_rank_bit(h1)
            total += bucket_of(preflop, hole, 0)
            total += bucket_of(flop, hole, flop_mask)
            total += bucket_of(turn, hole, turn_mask)
            total += bucket_of(river, hole, river_mask)
            total += evaluate7(h0, h1, b0, b1, b2, b3, b4)
    return total


def _best(run, repeat: int) -> float:
    run()  # compile and warm the pages outside the timing
    best = float("inf")
    for _ in range(repeat):
        start = CLOCK()
        run()
        best = min(best, CLOCK() - start)
    return best


def deal_rates(model: HoldemCards, total: int, repeat: int) -> dict:
    """Deals per second of ``deal_batch`` at each batch size, ``total`` deals per repeat."""
    out = {}
    for batch in BATCHES:
        calls = max(1, total // batch)

        def run(batch: int = batch, calls: int = calls) -> None:
            state = new_state(1)
            for _ in range(calls):
                model.deal_batch(state, batch)

        out[f"batch_{batch}_deals_per_s"] = round(calls * batch / _best(run, repeat))
    return out


def unbatched_rate(model: HoldemCards, total: int, repeat: int) -> int:
    """Peer: `deal_cards` then a Numba loop that reads each table right after its index."""
    tables = [model.abstraction.tables[s] for s in STREETS] if model.abstraction else None
    assert tables is not None
    n_players = model.n_players

    def run() -> None:
        cards = deal_cards(new_state(1), total, n_players)
        _unbatched(cards, n_players, *tables)

    return round(total / _best(run, repeat))


def python_rate(model: HoldemCards, n: int) -> int:
    """Peer: plain Python per deal (``random.sample``, checked ``hand_index``, evaluate7)."""
    tables = [model.abstraction.tables[s] for s in STREETS] if model.abstraction else None
    assert tables is not None
    p = model.n_players
    rng = random.Random(1)
    start = CLOCK()
    for _ in range(n):
        cards = rng.sample(range(52), 2 * p + 5)
        board = cards[2 * p :]
        for s in range(p):
            hole = cards[2 * s : 2 * s + 2]
            for street, n_board in enumerate((0, 3, 4, 5)):
                int(tables[street][hand_index(hole, board[:n_board])])
            evaluate7(*hole, *board)
    return round(n / (CLOCK() - start))


def bench_file(path: Path, total: int, repeat: int, python_deals: int) -> dict:
    report: dict = {"file": str(path)}
    start = time.perf_counter()
    model = HoldemCards.load(path, 2, verify=True)
    report["load_and_verify_seconds"] = round(time.perf_counter() - start, 2)
    report["counts"] = dict(zip(STREETS, model.n_buckets, strict=True))
    report["checksum"] = model.checksum
    for n_players in PLAYERS:
        model = HoldemCards(n_players, model.abstraction)
        players = deal_rates(model, total, repeat)
        players["peer_unbatched_numba_deals_per_s"] = unbatched_rate(model, total, repeat)
        players["peer_plain_python_deals_per_s"] = python_rate(model, python_deals)
        report[f"{n_players}_players"] = players
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--buckets",
        default=DEFAULT_BUCKETS,
        help=f"comma-separated bucket files (default {DEFAULT_BUCKETS})",
    )
    parser.add_argument("--deals", type=int, default=1 << 20, help="deals per timed repeat")
    parser.add_argument("--repeat", type=int, default=3, help="timed repeats (best is kept)")
    parser.add_argument("--python-deals", type=int, default=3000, help="deals for the Python peer")
    args = parser.parse_args()
    paths = [Path(p) for p in args.buckets.split(",") if p]
    for path in paths:
        if not path.exists():
            preset = next(
                (p for p in ("tiny", "small", "mid", "pluribus") if p in path.name), "tiny"
            )
            print(
                f"{path}: no such bucket file; build it with\n"
                f"  .venv/bin/holdem buckets build --preset {preset} --out {path}",
                file=sys.stderr,
            )
            sys.exit(2)

    load_start = os.getloadavg()
    lossless = {}
    for n_players in PLAYERS:
        lossless[f"{n_players}_players"] = deal_rates(
            HoldemCards(n_players), args.deals, args.repeat
        )
    files = [bench_file(p, args.deals, args.repeat, args.python_deals) for p in paths]
    result = {
        "benchmark": "deal",
        "machine": {
            **machine_info(),
            "load_average_at_start": [round(x, 2) for x in load_start],
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "deals_per_repeat": args.deals,
        "batches": list(BATCHES),
        "lossless_preflop_only": lossless,
        "files": files,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
