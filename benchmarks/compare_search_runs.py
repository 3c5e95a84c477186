"""Two runs of `measure_search.py` compared on the deals both played; JSON on stdout.

    python benchmarks/compare_search_runs.py benchmarks/results/search_200bb_river_lbr.json \
        benchmarks/results/search_200bb_turn_river_lbr.json --row C/C/FCPA/FCPA

A batch's seed fixes its deals and the opponents' random numbers (`holdem.eval.lbr`,
`holdem.eval.match`), so the batches of the same seed and size in two runs played the same
deals: the per-deal difference of the second run less the first has the interval of a paired
comparison, much narrower than the two runs' own intervals where the bots play alike (two
searching bots that differ on the river only play the same preflop, flop and turn). ``--row`` is
an LBR action set of ``lbr_search`` or ``head_to_head``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from holdem.eval.intervals import mean_interval


def _batches(path: Path, row: str) -> dict[tuple[int, int], list[float]]:
    """The per-deal chips of ``row``'s batches in ``path``, by (seed, deals)."""
    data = json.loads(path.read_text())
    item = data["head_to_head"] if row == "head_to_head" else data["lbr_search"].get(row)
    if not item or not item.get("batches"):
        raise SystemExit(f"{path}: no batches of {row}; give a row it measured")
    return {(b["seed"], b["deals"]): b["per_deal_chips"] for b in item["batches"]}


def compare(first: Path, second: Path, row: str, big_blind: int) -> dict[str, Any]:
    """The second run less the first over their common batches, in mbb per hand (95%)."""
    a, b = _batches(first, row), _batches(second, row)
    common = sorted(set(a) & set(b))
    if not common:
        raise SystemExit(f"{first} and {second} share no batch of {row} (same seed and size)")
    difference = np.concatenate([np.subtract(b[key], a[key]) for key in common])
    hands = 2 if row == "head_to_head" else 1  # a duplicate unit of a match is two hands
    interval = mean_interval(difference / hands, 0.95).scaled(1000 / big_blind)
    return {
        "row": row,
        "first": str(first),
        "second": str(second),
        "deals": int(difference.size),
        "second_less_first": interval.mean,
        "ci95": [interval.low, interval.high],
        "deals_that_differ": int(np.count_nonzero(difference)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--row", default="C/C/FCPA/FCPA")
    parser.add_argument("--big-blind", type=int, default=100, help="chips (the 200 bb game's)")
    args = parser.parse_args()
    print(json.dumps(compare(args.first, args.second, args.row, args.big_blind), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
