"""Solve a postflop spot on exact cards (range against range), or look at a solved one.

holdem spot --board "Qs Jh 2h" --pot 1000 --stack 9500 \\
    --oop "AA,KK,QQ,AK,AQs,99:0.75" --ip "QQ:0.5,JJ-22,AQo:0.75,KQ" \\
    --bets 33,75 --raises 50 --allin --accuracy 0.3 --seconds 60 --out spot.json
holdem spot --config spot.yaml --out spot.json      (a YAML spot file; flags override it)
holdem spot show spot.json --node x
holdem spot chart spot.json --node x --out x.png
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np
from rich.console import Console
from rich.table import Table

from holdem.cards.combos import combo_text
from holdem.cards.encoding import format_cards, parse_cards
from holdem.cli.errors import print_error
from holdem.cli.outputs import check_output
from holdem.search.solution import write_solution
from holdem.search.solver import ALGORITHMS, Progress, SpotSolver
from holdem.search.spot import BetTree, Spot, bet_tree_from_mapping, load_spot
from holdem.search.spot_tree import ACTION, SpotTree
from holdem.storage.yaml_files import ConfigError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "view", nargs="?", choices=("show", "chart"), help="show or chart a solved spot.json"
    )
    parser.add_argument("solution", nargs="?", help="the spot.json to show or chart")
    parser.add_argument(
        "--node", default="", help='a history, e.g. "" (the root), "x", "xb750c/8d"'
    )
    spot = parser.add_argument_group("the spot (or --config FILE)")
    spot.add_argument("--config", type=Path, help="a YAML spot file; flags given override it")
    spot.add_argument("--board", help='3, 4 or 5 cards, e.g. "Qs Jh 2h"')
    spot.add_argument("--pot", type=int, help="chips in the pot")
    spot.add_argument("--stack", type=int, help="effective stack behind, in chips")
    spot.add_argument("--oop", help='out-of-position range, e.g. "AA,KK,AQs,99:0.75"')
    spot.add_argument("--ip", help="in-position range")
    spot.add_argument("--bets", help="bet sizes in %% of the pot, e.g. 33,75 (every street)")
    spot.add_argument("--raises", help="raise sizes in %% of the pot after the call, e.g. 50")
    spot.add_argument("--donks", help="OOP's lead after calling, in %% of the pot (default: bets)")
    spot.add_argument(
        "--allin",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="offer all-in at every bet and raise (--no-allin: never; default: the file's)",
    )
    spot.add_argument(
        "--allin-threshold",
        type=float,
        help="a bet leaving less than this share of the stack behind goes all-in (default 0: off)",
    )
    spot.add_argument("--max-raises", type=int, help="raises after the first bet (default 3)")
    solve = parser.add_argument_group("solving")
    solve.add_argument(
        "--accuracy", type=float, default=0.3, help="stop at this exploitability, %% of the pot"
    )
    solve.add_argument("--seconds", type=float, help="stop after this many seconds")
    solve.add_argument(
        "--iterations", type=int, default=1000, help="stop after this many iterations"
    )
    solve.add_argument("--threads", type=int, default=0, help="threads (0: every core)")
    solve.add_argument("--algorithm", choices=ALGORITHMS, default="dcfr", help="default dcfr")
    solve.add_argument(
        "--compress",
        action="store_true",
        help="keep regrets and strategy sums in 16 bits: half the memory of the tables",
    )
    solve.add_argument(
        "--lock",
        action="append",
        default=[],
        metavar="NODE=SPEC",
        help='fix a strategy at a first-street node: "x=b750:1.0" (whole range) or x=FILE.json',
    )
    solve.add_argument(
        "--dump-runouts",
        default="",
        help='runouts whose nodes spot.json also holds, e.g. "8d,8d 3c"',
    )
    parser.add_argument("--out", type=Path, help="spot.json to write (chart: the PNG)")


_FIELDS = ("board", "pot", "stack", "oop", "ip")


def _sizes(text: str | None, flag: str) -> list[float] | None:
    if text is None:
        return None
    if text.strip().lower() in ("", "none"):
        return []
    try:
        sizes = [float(x) for x in text.split(",")]
    except ValueError:
        raise ValueError(
            f"{flag} {text!r}: give sizes in % of the pot separated by commas, e.g. 33,75"
        ) from None
    bad = [s for s in sizes if not s > 0]
    if bad:
        raise ValueError(f"{flag} {text!r}: a size must be a positive % of the pot, got {bad[0]:g}")
    return sizes


def spot_from_arguments(args: argparse.Namespace) -> Spot:
    """The spot of ``--config`` and the flags (flags win); every mistake a one-line error."""
    base = load_spot(args.config) if args.config else None
    given: dict[str, Any] = {}
    if base is not None:
        given = {"board": format_cards(base.board), "pot": base.pot, "stack": base.stack}
        given.update(zip(("oop", "ip"), base.range_texts, strict=True))
    # a flag given wins even when it is falsy (--stack 0 is an error, not the file's stack)
    given.update({name: getattr(args, name) for name in _FIELDS if getattr(args, name) is not None})
    missing = [name for name in _FIELDS if name not in given]
    if missing:
        raise ValueError(
            f"--{missing[0]} is missing: a spot needs --board, --pot, --stack, --oop, --ip "
            "(or --config FILE)"
        )
    layer: dict[str, object] = {}
    for key, flag in (("bet", "--bets"), ("raise", "--raises"), ("donk", "--donks")):
        sizes = _sizes(getattr(args, flag[2:]), flag)
        if sizes is not None:
            layer[key] = sizes
    if args.allin is not None:
        layer["allin"] = args.allin
    base_tree = base.tree if base is not None else BetTree.uniform((), (), False)
    threshold = base_tree.allin_threshold if args.allin_threshold is None else args.allin_threshold
    max_raises = base_tree.max_raises if args.max_raises is None else args.max_raises
    if not 0 <= threshold < 1:
        raise ValueError(f"--allin-threshold {threshold:g}: give a share of the stack in 0..1")
    if max_raises < 0:
        raise ValueError(f"--max-raises {max_raises}: give 0 or more")
    defaults = BetTree(base_tree.sizes, threshold, max_raises)
    tree = bet_tree_from_mapping(layer, "flags", defaults)
    return Spot.build(
        str(given["board"]),
        int(given["pot"]),
        int(given["stack"]),
        str(given["oop"]),
        str(given["ip"]),
        tree,
    )


def first_street_nodes(tree: SpotTree) -> dict[str, int]:
    """History -> node of every decision of the first street."""
    out = {}
    stack = [("", 0)]
    while stack:
        history, node = stack.pop()
        if tree.kind[node] != ACTION:
            continue
        out[history] = node
        for child in tree.children_of(node).tolist():
            stack.append((history + tree.action[child], child))
    return out


def _lock_values(solver: SpotSolver, node: int, spec: str, history: str) -> np.ndarray:
    """(k, H) probabilities of a lock: ``ACTION:P,...`` for the whole range (actions not named
    share what is left equally) or a JSON file of per-combination rows."""
    actions = solver.tree.actions_of(node)
    player = int(solver.tree.player[node])
    n_hands = len(solver.combos[player])
    k = len(actions)
    if spec.endswith(".json"):
        try:
            rows = json.loads(Path(spec).read_text())
        except (OSError, json.JSONDecodeError) as error:
            raise ValueError(f"--lock {history}={spec}: cannot read it: {error}") from None
        values = np.full((k, n_hands), 1.0 / k)
        texts = [combo_text(int(c)) for c in solver.combos[player]]
        index = {t: i for i, t in enumerate(texts)}
        for combo, row in rows.items():
            if combo not in index:
                continue
            if len(row) != k or abs(sum(row) - 1) > 1e-6 or min(row) < 0:
                raise ValueError(
                    f"--lock {history}={spec}: {combo} needs {k} probabilities summing to 1, "
                    f"for {', '.join(actions)}"
                )
            values[:, index[combo]] = row
        return values
    given: dict[int, float] = {}
    for part in spec.split(","):
        name, _, prob = part.partition(":")
        if name.strip() not in actions:
            raise ValueError(
                f"--lock {history}={spec}: {name.strip()!r} is not an action there; "
                f"the actions are {', '.join(actions)}"
            )
        try:
            given[actions.index(name.strip())] = float(prob) if prob else 1.0
        except ValueError:
            raise ValueError(f"--lock {history}={spec}: {prob!r} is not a probability") from None
    left = 1.0 - sum(given.values())
    if left < -1e-9 or min(given.values()) < 0:
        raise ValueError(
            f"--lock {history}={spec}: probabilities must be 0..1 and sum to at most 1"
        )
    rest = [a for a in range(k) if a not in given]
    if not rest and abs(left) > 1e-9:
        raise ValueError(f"--lock {history}={spec}: the probabilities must sum to 1")
    row = np.array([given.get(a, left / len(rest) if rest else 0.0) for a in range(k)])
    return np.repeat(row[:, None], n_hands, axis=1)


def frequency_table(solver: SpotSolver) -> Table:
    """The whole range's action frequencies at the root and after each first action."""
    tree = solver.tree
    table = Table(title=f"strategy of the whole range ({solver.spot.street})")
    table.add_column("history")
    table.add_column("player")
    table.add_column("actions: share of the range")
    nodes = [0] + [int(c) for c in tree.children_of(0) if tree.kind[c] == ACTION]
    for node in nodes:
        player = int(tree.player[node])
        reach = solver.reach_at(node, ())[player]
        strategy = solver.strategy(node)
        shares = strategy @ reach / reach.sum()
        text = "  ".join(f"{a} {s:.1%}" for a, s in zip(tree.actions_of(node), shares, strict=True))
        table.add_row(tree.action[node] or "(root)", ("OOP", "IP")[player], text)
    return table


def _runouts(text: str) -> list[tuple[int, ...]]:
    return [tuple(parse_cards(part)) for part in text.split(",") if part.strip()]


def _solve(args: argparse.Namespace, console: Console) -> int:
    spot = spot_from_arguments(args)
    if args.iterations < 1:
        raise ValueError(f"--iterations {args.iterations}: give 1 or more")
    if args.seconds is not None and not args.seconds > 0:
        raise ValueError(f"--seconds {args.seconds:g}: give a time above 0, or leave it out")
    if not args.accuracy >= 0:
        raise ValueError(
            f"--accuracy {args.accuracy:g}: give the target exploitability in % of the pot, "
            "0 or more (0.3 is a good target)"
        )
    if args.threads < 0:
        raise ValueError(f"--threads {args.threads}: give 0 (every core) or a number of threads")
    if args.threads:
        most: int = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]
        numba.set_num_threads(min(args.threads, most))
    if args.out is not None:
        check_output(args.out, example="spot.json")
    runouts = _runouts(args.dump_runouts)
    for runout in runouts:
        if set(runout) & set(spot.board) or len(runout) > 5 - len(spot.board):
            raise ValueError(
                f"--dump-runouts {format_cards(runout)!r}: give at most {5 - len(spot.board)} "
                "cards per runout, none of them on the board"
            )
    started = time.perf_counter()
    solver = SpotSolver(spot, algorithm=args.algorithm, compress=args.compress)
    if args.lock:
        nodes = first_street_nodes(solver.tree)
        locks = {}
        for item in args.lock:
            history, equals, spec = item.partition("=")
            if not equals:
                raise ValueError(f"--lock {item}: give NODE=SPEC, e.g. x=b750:1.0 or x=FILE.json")
            if history not in nodes:
                raise ValueError(
                    f"--lock {item}: no decision {history!r} on the first street; "
                    f"the decisions are {', '.join(repr(h) for h in sorted(nodes, key=len)[:12])}"
                )
            locks[nodes[history]] = _lock_values(solver, nodes[history], spec, history)
        solver = SpotSolver(spot, algorithm=args.algorithm, locks=locks, compress=args.compress)
    built = time.perf_counter() - started
    console.print(
        f"spot: board {format_cards(spot.board)}, pot {spot.pot}, "
        f"stack {spot.stack}; {len(solver.combos[0])} OOP and {len(solver.combos[1])} IP combos; "
        f"{solver.tree.n_nodes} nodes; tables {solver.memory_bytes / 2**20:,.2f} MiB; "
        f"{numba.get_num_threads()} threads; built in {built:.2f} s"
    )

    def report(progress: Progress) -> None:
        console.print(
            f"  iteration {progress.iterations:5d}  "
            f"exploitability {progress.exploitability_pct:8.4f}% of the pot"
            f"  {progress.seconds:8.2f} s"
        )

    last = solver.solve(args.accuracy, args.iterations, args.seconds, report=report)
    console.print(frequency_table(solver))
    if args.out is not None:
        write_solution(args.out, solver, last.exploitability_pct, last.seconds, runouts)
        console.print(f"wrote {args.out}")
    return 0


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        if args.view is None:
            return _solve(args, console)
        from holdem.cli.spot_view import run_view

        return run_view(args, console)
    except (ValueError, ConfigError) as error:
        print_error(console, error)
        return 2
