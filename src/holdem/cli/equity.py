"""Exact equity of a hand against another hand, or against a random hand, on a board.

holdem equity AsKs QhQd --board "Js Th 2c"
holdem equity AsKs random
"""

from __future__ import annotations

import argparse
import sys
import time

from rich.console import Console
from rich.table import Table

from holdem.cards.encoding import parse_cards
from holdem.cards.equity import Equity, equity_vs_hand, equity_vs_random
from holdem.cli.help_text import HelpParser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hero", help='two cards, e.g. "AsKs"')
    parser.add_argument("villain", help='two cards, or "random" for a uniformly random hand')
    parser.add_argument("--board", default="", help='0, 3, 4 or 5 cards, e.g. "Js Th 2c"')


def equity_table(title: str, hero: str, villain: str, result: Equity, seconds: float) -> Table:
    """A table of one exact enumeration, seen from ``hero``."""
    table = Table(title=title)
    for column in ("hand", "equity", "win", "tie", "lose", "outcomes enumerated", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        hero,
        f"{result.equity:.4%}",
        f"{result.win:.4%}",
        f"{result.tie:.4%}",
        f"{result.loss:.4%}",
        f"{result.total:,}",
        f"{seconds:.3f}",
    )
    return table


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        hero = parse_cards(args.hero)
        board = parse_cards(args.board)
        start = time.perf_counter()
        if args.villain.lower() == "random":
            result = equity_vs_random(hero, board)
        else:
            result = equity_vs_hand(hero, parse_cards(args.villain), board)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}")
        return 2
    seconds = time.perf_counter() - start
    title = f"{args.hero} vs {args.villain}" + (f" on {args.board}" if args.board else " preflop")
    console.print(equity_table(title, args.hero, args.villain, result, seconds))
    return 0


if __name__ == "__main__":
    parser = HelpParser(prog="python -m holdem.cli.equity", description=__doc__)
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
