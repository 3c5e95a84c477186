"""The spot solver side by side with TexasSolver (C++) on the same spots, same threads; JSON.

    python benchmarks/bench_spot.py --spots river turn --out benchmarks/results/spot.json
    python benchmarks/bench_spot.py --spots flop --out benchmarks/results/spot_flop.json

The spots are TexasSolver's own command files in ``../shared/peers/texassolver/spots/`` (read
back by `texassolver_peer.read_command_file`), turned into our spots with the same tree (its
all-in threshold mapped to ours). Each spot, one after the other in this run:

- ours in a child process: the kernel compiled first on a tiny spot (compile excluded), then
  solved to the accuracy with an exploitability check every 10 iterations as TexasSolver does;
  iterations, exploitability, solve seconds (checks included, as its ``time used``), tables,
  peak RSS of the process;
- TexasSolver on the same number of threads: the same figures from its log (its dictionary
  load and tree build excluded, as its ``time used`` excludes them);
- the root's strategies compared by hand class (each side's mean over the class's combos of
  the range, weighted) and, on the river, TexasSolver's whole strategy played against our exact
  best response (its exploitability as we measure ours);
- with ``--compressed``, ours again with 16-bit tables (``SpotSolver(compress=True)``): the same
  figures under ``ours_compressed``;
- with ``--repeats N``, N - 1 more pairs of solves (TexasSolver, then ours) under ``repeats``,
  each pair's ratio and their median: on a machine whose speed drifts from minute to minute (a
  shared virtual machine), one pair's ratio moves by 20%, the median of several much less.

``--command-runs N`` also times the whole river command of the README (``holdem spot`` with
flags: start-up, imports, solve to 0.3%, table, JSON), after one run that fills Numba's cache
(compile excluded), with the interpreter of ``--python`` (a run-only install has no SciPy; with
SciPy present, Numba imports its BLAS on the first call, about 0.2 s more).

Each finished spot is written to ``--out`` at once; a run with the same ``--out`` skips spots
already there, so the flop (about 10 minutes for TexasSolver on 2 threads) can resume.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import texassolver_peer as peer
from bench_common import ROOT, machine_info, run_child
from holdem.storage.atomic import write_text

_OURS = r"""
import json, resource, sys, time
import numba
sys.path.insert(0, sys.argv[1])
import texassolver_peer as peer
from bench_spot import class_strategy, our_spot, texassolver_exploitability
from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
threads = int(sys.argv[3])
numba.set_num_threads(threads)
warm = Spot.build("Qs Jh 2h 8d", 10, 95, "AA,KK", "QQ,JJ", BetTree.uniform([100], [50], True))
SpotSolver(warm, compress=sys.argv[7] == "1").solve(50, 2)
spot = our_spot(peer.read_command_file(sys.argv[2]))
started = time.perf_counter()
compress = sys.argv[7] == "1"
solver = SpotSolver(spot, compress=compress)
built = time.perf_counter() - started
checks = []
last = solver.solve(float(sys.argv[4]), int(sys.argv[5]), check_every=10,
                    report=lambda p: checks.append([p.iterations, p.exploitability_pct, p.seconds]))
result = {
    "iterations": last.iterations, "exploitability_pct": last.exploitability_pct,
    "initial_exploitability_pct": checks[0][1], "solve_seconds": last.seconds,
    "build_seconds": built, "nodes": solver.tree.n_nodes, "table_bytes": solver.memory_bytes,
    "table_entries": solver.table_size, "bytes_per_entry": 4 if compress else 8,
    "compressed": compress,
    "combos": [len(solver.combos[0]), len(solver.combos[1])], "threads": numba.get_num_threads(),
    "iterations_per_second": last.iterations / last.seconds, "checks": checks,
    "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "root_by_class": class_strategy(solver),
}
if len(spot.board) == 5 and not compress:
    result["texassolver_exploitability_pct"] = texassolver_exploitability(
        solver, json.loads(open(sys.argv[6]).read()), peer.read_command_file(sys.argv[2]))
print(json.dumps(result))
"""


def our_spot(spot: peer.PeerSpot):  # type: ignore[no-untyped-def]
    """Our spot with TexasSolver's tree: its sizes, and its all-in threshold (an action is
    all-in when the player's chips in the pot after it would pass ``t * S``, the P/2 included)
    as ours (when fewer than ``share * S`` chips would be left behind): ``share = 1 - t +
    P / (2 S)``."""
    from holdem.search.spot import STREETS, BetTree, PlayerSizes, Spot

    sizes = {}
    for street in STREETS:
        for player in ("oop", "ip"):
            theirs = spot.sizes_for(street, player)
            sizes[(street, player)] = PlayerSizes(
                theirs.bets, theirs.raises, theirs.donks, theirs.allin
            )
    share = max(0.0, 1 - spot.allin_threshold + spot.pot / (2 * spot.stack))
    tree = BetTree(sizes, share, spot.raise_limit - 1)
    return Spot.build(spot.board, spot.pot, spot.stack, spot.oop_range, spot.ip_range, tree)


def class_strategy(solver) -> dict[str, dict[str, list[float]]]:  # type: ignore[no-untyped-def]
    """The root's average strategy per hand class (the range-weighted mean over its combos):
    ``{"actions": [...], "classes": {"AKs": [p per action], ...}}``."""
    import numpy as np

    from holdem.cards.combos import combo_classes
    from holdem.cards.preflop_matchups import class_label

    classes = combo_classes()[solver.combos[0]]
    weights = solver.weights[0]
    strategy = solver.strategy(0)
    out = {}
    for c in np.unique(classes):
        mine = classes == c
        out[class_label(int(c))] = list(strategy[:, mine] @ weights[mine] / weights[mine].sum())
    return {"actions": solver.tree.actions_of(0), "classes": out}


def class_weights(spot: peer.PeerSpot) -> dict[str, float]:
    """Each hand class's share of OOP's range (its combos' weights, board removed)."""
    from holdem.cards.combos import combo_classes
    from holdem.cards.encoding import parse_cards
    from holdem.cards.preflop_matchups import class_label
    from holdem.search.ranges import board_removed, parse_range

    weights = board_removed(parse_range(spot.oop_range), parse_cards(spot.board), "OOP")
    classes = combo_classes()
    out: dict[str, float] = {}
    for combo in range(len(weights)):
        if weights[combo] > 0:
            label = class_label(int(classes[combo]))
            out[label] = out.get(label, 0.0) + float(weights[combo])
    total = sum(out.values())
    return {label: w / total for label, w in out.items()}


def _their_classes(spot: peer.PeerSpot, dump: dict) -> dict[str, Any]:
    """TexasSolver's root strategy per hand class, weighted by the range as ours is."""
    import numpy as np

    from holdem.cards.combos import combo_classes, combo_index
    from holdem.cards.encoding import parse_cards
    from holdem.cards.preflop_matchups import class_label
    from holdem.search.ranges import parse_range

    _, rows = peer.root_strategy(dump)
    letters = [a.letter for a in peer.node_actions(spot, dump, ())]
    weights = parse_range(spot.oop_range)
    classes = combo_classes()
    sums: dict[int, np.ndarray] = {}
    mass: dict[int, float] = {}
    for combo, probs in rows.items():
        index = combo_index(*parse_cards(combo))
        c = int(classes[index])
        sums[c] = sums.get(c, 0) + weights[index] * np.array(probs)
        mass[c] = mass.get(c, 0.0) + weights[index]
    return {
        "actions": letters,
        "classes": {class_label(c): list(sums[c] / mass[c]) for c in sums if mass[c] > 0},
    }


def texassolver_exploitability(solver, dump: dict, spot: peer.PeerSpot) -> float:  # type: ignore[no-untyped-def]
    """The exploitability (% of the pot, our exact best response) of TexasSolver's whole
    strategy of a river spot: its strategy written into our average-strategy tables."""
    import numpy as np

    from holdem.cards.combos import combo_text
    from holdem.search.spot_tree import ACTION

    tree = solver.tree
    solver.strategy_sum[:] = 0.0
    stack: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    while stack:
        node, path = stack.pop()
        if tree.kind[node] != ACTION:
            continue
        player = int(tree.player[node])
        theirs = peer.node_actions(spot, dump, path)
        ours = tree.actions_of(node)
        if sorted(a.letter for a in theirs) != sorted(ours):
            raise ValueError(
                f"trees differ at {path}: ours {ours}, theirs {[a.letter for a in theirs]}"
            )
        _, rows = peer.node_strategy(dump, path)
        order = [ours.index(a.letter) for a in theirs]
        k, n_hands = len(ours), len(solver.combos[player])
        table = np.zeros((k, n_hands))
        for h, combo in enumerate(solver.combos[player]):
            row = rows.get(combo_text(int(combo)))
            if row is not None:
                table[order, h] = row
        start = int(solver.game.offset[node])
        solver.strategy_sum[start : start + k * n_hands] = table.ravel()
        for child, action in zip(tree.children_of(node).tolist(), ours, strict=True):
            name = theirs[[a.letter for a in theirs].index(action)].name
            stack.append((child, (*path, name)))
    return solver.exploitability()


def _compare(ours: dict, theirs: dict) -> dict[str, Any]:
    """The largest difference by class and action between two root strategies."""
    index = [ours["actions"].index(a) for a in theirs["actions"]]
    worst, where = 0.0, ""
    for label, row in theirs["classes"].items():
        mine = ours["classes"].get(label)
        if mine is None:
            continue
        for i, j in enumerate(index):
            gap = abs(mine[j] - row[i])
            if gap > worst:
                worst, where = gap, f"{label} {theirs['actions'][i]}"
    return {"max_class_gap": worst, "at": where, "classes": len(theirs["classes"])}


# the river spot that `make run` solves (README quick start)
RIVER_COMMAND = (
    "spot", "--board", "Qs Jh 2h 8d 3c", "--pot", "1000", "--stack", "9500",
    "--oop", "AA,KK,QQ,AK,AQs,99:0.75,JTs,T9s", "--ip", "QQ:0.5,JJ-22,AQo:0.75,KQ,KJs,QJs",
    "--bets", "33,75", "--raises", "50", "--allin", "--accuracy", "0.3",
)  # fmt: skip


def river_command(python: str, runs: int) -> dict[str, Any]:
    """Wall seconds of the whole ``holdem spot`` river command, ``runs`` times after a warm-up."""
    out = ROOT / "runs" / "bench_spot" / "river_command.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = [python, "-m", "holdem.cli.main", *RIVER_COMMAND, "--out", str(out)]
    seconds = []
    for run in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        if run:
            seconds.append(time.perf_counter() - started)
    has_scipy = subprocess.run([python, "-c", "import scipy"], capture_output=True).returncode
    return {
        "python": python,
        "scipy_installed": has_scipy == 0,
        "runs": runs,
        "median_seconds": statistics.median(seconds),
        "seconds": seconds,
        "iterations": json.loads(out.read_text())["iterations"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--spots", nargs="*", default=["river", "turn"], choices=("river", "turn", "flop")
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--accuracy", type=float, default=0.3, help="target exploitability, %% of the pot"
    )
    parser.add_argument(
        "--build",
        type=Path,
        default=Path(os.environ.get("HOLDEM_TEXASSOLVER_BUILD", "/tmp/texassolver")),
    )
    parser.add_argument(
        "--command-runs", type=int, default=0, help="time the whole river command this often"
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter of that command")
    parser.add_argument(
        "--compressed", action="store_true", help="also solve each spot with 16-bit tables"
    )
    parser.add_argument(
        "--repeats", type=int, default=1, help="pairs of solves per spot (median ratio)"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    record: dict[str, Any] = json.loads(args.out.read_text()) if args.out.is_file() else {}
    record.setdefault("machine", machine_info())
    record.setdefault("spots", {})
    if args.command_runs:
        timing = river_command(args.python, args.command_runs)
        key = "river_command_with_scipy" if timing["scipy_installed"] else "river_command"
        record[key] = timing
        write_text(args.out, json.dumps(record, indent=1))
        print(f"{key}: median {timing['median_seconds']:.2f} s over {args.command_runs} runs")
    binary = peer.build(args.build)
    here = Path(__file__).resolve().parent
    for name in args.spots:
        if name in record["spots"]:
            print(f"{name}: already in {args.out}, skipped")
            continue
        path = peer.PEER_DIR / "spots" / f"{name}.txt"
        spot = peer.read_command_file(path)
        limit = 1000 if name != "flop" else 300
        load_before = os.getloadavg()[0]
        work = ROOT / "runs" / "bench_spot" / name
        text = peer.command_file(spot, args.threads, args.accuracy, limit, "dump.json")
        theirs = peer.run(binary, text, work, timeout=7200)
        dump_path = work / "dump.json"
        dump_path.write_text(json.dumps(theirs.dump))
        env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{here}"}
        runs = {}
        for key, compress in (("ours", "0"), ("ours_compressed", "1")):
            if compress == "1" and not args.compressed:
                continue
            options = [str(args.threads), str(args.accuracy), str(limit), str(dump_path)]
            runs[key] = run_child(_OURS, [str(here), str(path), *options, compress], env)
            if "error" in runs[key]:
                raise SystemExit(f"{name}: our solver failed: {runs[key]['error']}")
        ours = runs["ours"]
        their_classes = _their_classes(spot, theirs.dump)
        record["spots"][name] = {
            "board": spot.board,
            "threads": args.threads,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg()[0],
            "ours": ours,
            "texassolver": {
                "iterations": theirs.iterations,
                "exploitability_pct": theirs.exploitability_pct,
                "initial_exploitability_pct": theirs.initial_exploitability_pct,
                "solve_seconds": theirs.solve_seconds,
                "wall_seconds": theirs.wall_seconds,
                "peak_rss_kb": theirs.peak_rss_kb,
                "root_by_class": their_classes,
            },
            "speedup": theirs.solve_seconds / ours["solve_seconds"],
            "root_strategy": _compare(ours["root_by_class"], their_classes),
        }
        if "ours_compressed" in runs:
            compressed = runs["ours_compressed"]
            record["spots"][name]["ours_compressed"] = compressed
            record["spots"][name]["speedup_compressed"] = (
                theirs.solve_seconds / compressed["solve_seconds"]
            )
        if args.repeats > 1:
            pairs = [(theirs.solve_seconds, ours["solve_seconds"])]
            for _ in range(args.repeats - 1):
                again = peer.run(binary, text, work, timeout=7200)
                options = [str(args.threads), str(args.accuracy), str(limit), str(dump_path)]
                mine = run_child(_OURS, [str(here), str(path), *options, "0"], env)
                if "error" in mine:
                    raise SystemExit(f"{name}: our solver failed: {mine['error']}")
                pairs.append((again.solve_seconds, mine["solve_seconds"]))
            ratios = [their / our for their, our in pairs]
            record["spots"][name]["repeats"] = {
                "texassolver_seconds": [their for their, _ in pairs],
                "ours_seconds": [our for _, our in pairs],
                "speedups": ratios,
                "median_speedup": statistics.median(ratios),
            }
            print(f"{name}: speedups {', '.join(f'{r:.2f}' for r in ratios)}")
        write_text(args.out, json.dumps(record, indent=1))
        summary = record["spots"][name]
        print(
            f"{name}: ours {ours['solve_seconds']:.3f} s ({ours['iterations']} it, "
            f"{ours['exploitability_pct']:.3f}%), TexasSolver {theirs.solve_seconds:.3f} s "
            f"({theirs.iterations} it, {theirs.exploitability_pct:.3f}%): "
            f"{summary['speedup']:.2f}x; root classes within "
            f"{summary['root_strategy']['max_class_gap']:.3f}"
        )
        if "ours_compressed" in summary:
            compressed = summary["ours_compressed"]
            print(
                f"{name}: ours compressed {compressed['solve_seconds']:.3f} s "
                f"({compressed['iterations']} it, {compressed['exploitability_pct']:.3f}%, "
                f"peak RSS {compressed['peak_rss_kb'] / 1024:,.0f} MB): "
                f"{summary['speedup_compressed']:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
