"""What trimming a turn subgame's ranges (`SearchConfig.range_mass`) buys in a search's second;
JSON.

    python benchmarks/measure_range_trim.py --blueprint runs/hunl_200bb/blueprint \
        --states 12 --masses 1,0.99,0.95,0.9 --out benchmarks/results/range_trim.json

The blueprint plays itself to the start of the turn (``--states`` times). There the round's
subgame is solved once for ``--reference-seconds`` (to 0.1% of the pot) with the ranges whole,
and once per mass within the search's budget (``--seconds``). Each short solve is scored by the
distance of its root strategy from the reference's: the L1 distance between the two action
distributions of each combination, averaged over the combinations the short solve kept,
weighted by the player's range (0: the same strategy, 2: disjoint), and the same distance for
the hand the player to act really holds. A trimmed subgame's exploitability is measured in its
own, smaller game, so it is reported but does not compare across masses; the distance does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import machine_info
from holdem.cards.combos import combo_index
from holdem.policy.blueprint import Blueprint
from holdem.rules.state import HandState
from holdem.search.search_policy import SearchConfig, SearchPolicy
from holdem.storage.atomic import write_text

TURN = 2


def turn_starts(blueprint: Blueprint, count: int, seed: int) -> list[HandState]:
    """``count`` states at the start of the turn, the blueprint playing itself from random deals."""
    rng = np.random.default_rng(seed)
    states: list[HandState] = []
    while len(states) < count:
        state = HandState.deal_random(blueprint.table_config(), rng)
        while not state.is_terminal and int(state.street) < TURN:
            state.apply(blueprint.act(state, rng))
        if not state.is_terminal and int(state.street) == TURN:
            states.append(state)
    return states


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprint", type=Path, required=True)
    parser.add_argument("--states", type=int, default=12)
    parser.add_argument("--masses", default="1,0.99,0.95,0.9")
    parser.add_argument("--seconds", type=float, default=SearchConfig().seconds)
    parser.add_argument("--reference-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    masses = [float(x) for x in args.masses.split(",")]
    blueprint = Blueprint.load(args.blueprint)
    rows: list[dict[str, Any]] = []
    for number, state in enumerate(turn_starts(blueprint, args.states, args.seed)):
        seat = state.to_act
        assert seat is not None
        reference = SearchPolicy(
            blueprint,
            SearchConfig(seconds=args.reference_seconds, max_iterations=100_000, accuracy_pct=0.1),
        )
        long_solve, node = reference.subgame(state)
        target = long_solve.strategy_at(node)
        player = int(long_solve.solver.tree.player[node])
        weights = long_solve.spot.ranges[player].astype(np.float64)
        own = combo_index(*state.hole_cards[seat])
        row: dict[str, Any] = {
            "state": number,
            "pot": int(state.total_pot),
            "reference": {
                "iterations": long_solve.iterations,
                "exploitability_pct": long_solve.exploitability_pct,
                "combos": [int((r > 0).sum()) for r in long_solve.spot.ranges],
            },
        }
        for mass in masses:
            policy = SearchPolicy(blueprint, SearchConfig(seconds=args.seconds, range_mass=mass))
            short, short_node = policy.subgame(state)
            distance = np.abs(short.strategy_at(short_node) - target).sum(axis=0)
            kept = short.spot.ranges[player] > 0
            row[f"{mass:g}"] = {
                "iterations": short.iterations,
                "seconds": short.seconds,
                "exploitability_pct": short.exploitability_pct,
                "combos": [int((r > 0).sum()) for r in short.spot.ranges],
                "mass_kept": float(weights[kept].sum() / weights.sum()),
                "distance": float((weights * distance)[kept].sum() / weights[kept].sum()),
                "distance_own_hand": float(distance[own]),
            }
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {
        f"{mass:g}": {
            "mean_distance": statistics.mean(r[f"{mass:g}"]["distance"] for r in rows),
            "mean_distance_own_hand": statistics.mean(
                r[f"{mass:g}"]["distance_own_hand"] for r in rows
            ),
            "median_iterations": statistics.median(r[f"{mass:g}"]["iterations"] for r in rows),
            "closest_of_masses": sum(
                min(masses, key=lambda m: r[f"{m:g}"]["distance"]) == mass for r in rows
            ),
        }
        for mass in masses
    }
    record = {
        "blueprint": str(args.blueprint),
        "seconds": args.seconds,
        "reference_seconds": args.reference_seconds,
        "machine": machine_info(),
        "summary": summary,
        "states": rows,
    }
    write_text(args.out, json.dumps(record, indent=1) + "\n")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
