"""A short tour of what holdem can do today, on built-in examples (what `make run` shows).

holdem demo

Until blueprint training lands, this is the card layer: hand ranks, exact equity by full
enumeration, hand isomorphism, and the evaluator's speed measured on this machine.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from rich.console import Console
from rich.table import Table

from holdem.cards.encoding import format_cards, parse_cards
from holdem.cards.equity import range_equity
from holdem.cards.evaluator import category_name, evaluate, evaluate_batch
from holdem.cards.isomorphism import N_INDICES, STREET_NAMES, hand_from_index, hand_index
from holdem.cli.equity import equity_table, versus_random
from holdem.cli.help_text import HelpParser
from holdem.search.ranges import parse_range

EXAMPLE_HANDS = (
    "As Ks Qs Js Ts 2c 3d",
    "Kh Kd Kc 2s 2c 7d 9h",
    "Ac 2d 3h 4s 5c Kd Kh",
    "Jc Jd 4h 4s 2c 2d As",
    "7c 5d 4h 3s 2c",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="seed of the speed check's hands")


def _hand_ranks() -> Table:
    table = Table(title="Hand ranks (1..7462, higher is better)")
    table.add_column("cards")
    table.add_column("rank", justify="right")
    table.add_column("category")
    for text in EXAMPLE_HANDS:
        rank = evaluate(text)
        table.add_row(format_cards(parse_cards(text)), str(rank), category_name(rank))
    return table


def _isomorphism() -> Table:
    table = Table(title="Hand isomorphism: one index per class of suit-equivalent hands")
    for column in ("hand", "street", "index", "of", "representative"):
        table.add_column(column, justify="right")
    for hole, board in (("AsKs", ""), ("AhKh", ""), ("AsKs", "Qs 7d 2s"), ("AhKh", "2h Qh 7c")):
        street = {0: 0, 3: 1, 4: 2, 5: 3}[len(parse_cards(board))]
        index = hand_index(hole, board)
        hand = hand_from_index(street, index)
        shown = f"{format_cards(hand[:2])} | {format_cards(hand[2:])}".rstrip(" |")
        table.add_row(
            f"{hole} {board}".strip(),
            STREET_NAMES[street],
            f"{index:,}",
            f"{N_INDICES[street]:,}",
            shown,
        )
    return table


def _speed(seed: int, n: int = 2_000_000) -> str:
    rng = np.random.default_rng(seed)
    hands = np.empty((n, 7), np.uint8)
    for i in range(0, n, 200_000):
        block = np.argsort(rng.random((min(200_000, n - i), 52)), axis=1)[:, :7]
        hands[i : i + block.shape[0]] = block
    evaluate_batch(hands[:1000])
    start = time.perf_counter()
    evaluate_batch(hands)
    seconds = time.perf_counter() - start
    return f"{n:,} random 7-card hands evaluated in {seconds:.3f} s ({n / seconds / 1e6:,.0f} M/s)"


def run(args: argparse.Namespace) -> int:
    console = Console()
    console.rule("holdem: the card layer")
    console.print(_hand_ranks())
    for hero, villain, board in (("AsKs", "QhQd", ""), ("AsKs", "QhQd", "Js Th 2c")):
        start = time.perf_counter()
        result = range_equity(np.stack([parse_range(hero), parse_range(villain)]), board)
        title = f"{hero} vs {villain}" + (f" on {board}" if board else " preflop")
        console.print(equity_table(title, [hero, villain], result, time.perf_counter() - start))
    start = time.perf_counter()
    hand = parse_cards("AsKs")
    result = versus_random((hand[0], hand[1]), parse_cards("Js Th 2c"))
    title = "AsKs vs a random hand on Js Th 2c"
    console.print(equity_table(title, ["AsKs", "random"], result, time.perf_counter() - start))
    console.print(_isomorphism())
    console.print(_speed(args.seed))
    return 0


if __name__ == "__main__":
    parser = HelpParser(prog="python -m holdem.cli.demo", description=__doc__)
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
