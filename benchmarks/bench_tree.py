"""Betting-tree compile time per preset in configs/ (JSON). Target: hu_rich under 2 seconds.

python benchmarks/bench_tree.py [--repeat 3] [--skip 6max]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_tree import DECISION, compile_tree

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="compiles per preset; best counts")
    parser.add_argument("--skip", nargs="*", default=[], help="presets to leave out")
    args = parser.parse_args()
    results = {}
    for path in sorted(CONFIGS.glob("*.yaml")):
        if path.stem in args.skip:
            continue
        spec = load_betting_spec(path)
        best = float("inf")
        for _ in range(args.repeat if path.stem != "6max" else 1):
            start = time.perf_counter()
            tree = compile_tree(spec)
            best = min(best, time.perf_counter() - start)
        results[path.stem] = {
            "players": spec.n_players,
            "nodes": tree.n_nodes,
            "decision_nodes": int((tree.kind == DECISION).sum()),
            "compile_seconds": round(best, 3),
            "nodes_per_second": round(tree.n_nodes / best),
        }
    print(
        json.dumps(
            {"benchmark": "betting_tree", "target_hu_rich_seconds": 2.0, "presets": results},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
