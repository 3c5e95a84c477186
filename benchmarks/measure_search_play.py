"""Which strategy a search should play: its average or its last iterate; JSON.

    python benchmarks/measure_search_play.py --blueprint runs/hunl_200bb/blueprint \
        --hands 40 --out benchmarks/results/search_play.json

The blueprint plays itself; at the first decision of each searched street of a hand a
`holdem.search.search_policy.SearchPolicy` solves that round's subgame with a fixed number of
iterations per street (what a second gives on 2 cores, about; fixed so the comparison does not
depend on the machine's load), and the spot solver's exact best responses measure, in the same
subgame, the exploitability of the average strategy and of the last iterate (regret matching on
the last regrets) in % of the pot. The subgame's own game is the measure: on the flop it is the
depth-limited game (leaves with their continuation strategies).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import machine_info
from holdem.policy.blueprint import Blueprint
from holdem.rules.state import HandState
from holdem.search.search_policy import SearchConfig, SearchPolicy
from holdem.search.solver import SpotSolver
from holdem.storage.atomic import write_text

STREETS = {1: "flop", 2: "turn", 3: "river"}


def exploitability_of_current(solver: SpotSolver) -> float:
    """The exploitability of the last iterate: regret matching reads the positive regrets as
    the average reads the strategy sums, so the regrets stand in for the sums for one check."""
    sums = solver.strategy_sum.copy()
    leaf_sums = [t.copy() for t in solver.continuation.strategy_sum] if solver.continuation else []
    try:
        solver.strategy_sum[:] = np.maximum(solver.regret, 0.0)
        if solver.continuation is not None:
            for table, regret in zip(
                solver.continuation.strategy_sum, solver.continuation.regret, strict=True
            ):
                table[:] = np.maximum(regret, 0.0)
        return solver.exploitability()
    finally:
        solver.strategy_sum[:] = sums
        if solver.continuation is not None:
            for table, saved in zip(solver.continuation.strategy_sum, leaf_sums, strict=True):
                table[:] = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprint", type=Path, required=True)
    parser.add_argument("--hands", type=int, default=40)
    parser.add_argument(
        "--iterations", default="30,20,150", help="iterations per search on the flop,turn,river"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    budgets = dict(zip((1, 2, 3), (int(x) for x in args.iterations.split(",")), strict=True))
    blueprint = Blueprint.load(args.blueprint)
    rng = np.random.default_rng(args.seed)
    rows: list[dict[str, Any]] = []
    for hand in range(args.hands):
        state = HandState.deal_random(blueprint.table_config(), rng)
        searched: set[int] = set()
        while not state.is_terminal:
            street = int(state.street)
            if street in budgets and street not in searched:
                searched.add(street)
                config = SearchConfig(
                    seconds=1e6,
                    flop_seconds=1e6,
                    max_iterations=budgets[street],
                    streets=(street,),
                    trust_pct=1e9,
                )
                policy = SearchPolicy(blueprint, config)
                started = time.perf_counter()
                policy.action_probabilities(state)
                seconds = time.perf_counter() - started
                subgame = policy.last
                assert subgame is not None
                rows.append(
                    {
                        "hand": hand,
                        "street": STREETS[street],
                        "nodes": int(subgame.solver.tree.n_nodes),
                        "iterations": subgame.iterations,
                        "seconds": seconds,
                        "average_pct": subgame.exploitability_pct,
                        "current_pct": exploitability_of_current(subgame.solver),
                    }
                )
                last = rows[-1]
                print(
                    f"hand {hand} {last['street']}: {last['iterations']} it, average "
                    f"{last['average_pct']:.2f}%, current {last['current_pct']:.2f}%",
                    flush=True,
                )
            state.apply(blueprint.act(state, rng))
    summary = {}
    for name in STREETS.values():
        mine = [r for r in rows if r["street"] == name]
        if mine:
            summary[name] = {
                "subgames": len(mine),
                "median_average_pct": statistics.median(r["average_pct"] for r in mine),
                "median_current_pct": statistics.median(r["current_pct"] for r in mine),
                "average_better": sum(r["average_pct"] < r["current_pct"] for r in mine),
            }
    record = {
        "blueprint": str(args.blueprint),
        "iterations": {STREETS[s]: n for s, n in budgets.items()},
        "machine": machine_info(),
        "summary": summary,
        "subgames": rows,
    }
    write_text(args.out, json.dumps(record, indent=1) + "\n")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
