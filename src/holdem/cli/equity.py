"""All-in equity of two to six hands or ranges on a board, every hand's row printed.

holdem equity AsKs QhQd --board "Js Th 2c"
holdem equity AsKs QQ
holdem equity AsKs random
holdem equity "AA,KK" "AKs,AQs" "22+" --board "Qs 7h 2c"
holdem equity AK QQ JTs random --samples 200000 --seed 1

Each hand is two cards (``AsKs``), ``random`` (any two cards) or a range in the syntax of
``holdem spot``'s ``--oop`` and ``--ip`` (``QQ+,AKs,ATs+,KQo:0.5``: `holdem.search.ranges`).
Every deal of the hands that shares no card meets every runout of the board, each weighted
alike. The result is exact when that takes at most about ten seconds (a hand against a random
hand too: a faster enumeration); otherwise ``--samples`` deals are drawn with ``--seed`` and each
equity carries its standard error.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from rich.console import Console
from rich.table import Table

from holdem.cards.combos import COMBOS, N_COMBOS
from holdem.cards.equity import MAX_PLAYERS, RangeEquity, equity_vs_random, range_equity
from holdem.cli.errors import print_error
from holdem.cli.help_text import HelpParser
from holdem.policy.situation import parse_board
from holdem.search.ranges import parse_range


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "hands",
        nargs="+",
        metavar="HAND",
        help="2 to 6 hands: two cards (AsKs), a range (QQ+,AKs) or random",
    )
    parser.add_argument("--board", default="", help='0, 3, 4 or 5 cards, e.g. "Js Th 2c"')
    parser.add_argument(
        "--samples",
        type=int,
        default=1_000_000,
        help="deals drawn when exact enumeration would take too long (default 1,000,000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the drawn deals (default 0)")


def parse_hand_range(text: str, number: int) -> np.ndarray:
    """The (1326,) weights of hand ``number``'s text: ``random`` (every combination), or two
    cards or a range (`holdem.search.ranges.parse_range`); ValueError naming the hand."""
    if text.strip().lower() == "random":
        return np.ones(N_COMBOS)
    try:
        return parse_range(text)
    except ValueError as error:
        raise ValueError(f"hand {number} {text!r}: {error}") from None


def hero_versus_random(hands: list[str], ranges: np.ndarray) -> tuple[int, int] | None:
    """The two cards of the first hand when it is one combination facing ``random`` alone
    (exact by the faster enumeration of `holdem.cards.equity.equity_vs_random`), else None."""
    if len(hands) != 2 or hands[1].strip().lower() != "random":
        return None
    held = np.flatnonzero(ranges[0] > 0)
    if held.size != 1:
        return None
    first, second = COMBOS[int(held[0])]
    return int(first), int(second)


def equity_table(
    title: str, hands: list[str], result: RangeEquity, seconds: float, seed: int = 0
) -> Table:
    """One row per hand: its combinations, equity, win and tie (and the standard error of a
    sampled equity)."""
    if result.exact:
        caption = f"exact: {result.deals:,} deals enumerated in {seconds:.2f} s"
    else:
        caption = (
            f"sampled: {result.deals:,} deals drawn with seed {seed} in {seconds:.2f} s; "
            "± is one standard error"
        )
    table = Table(title=title, caption=caption)
    columns = ["hand", "combos", "equity", "win", "tie"]
    if not result.exact:
        columns.append("± (1 s.e.)")
    for column in columns:
        table.add_column(column, justify="left" if column == "hand" else "right")
    for p, text in enumerate(hands):
        row = [
            text,
            f"{result.combos[p]:g}",
            f"{result.equity[p]:.4%}",
            f"{result.win[p]:.4%}",
            f"{result.tie[p]:.4%}",
        ]
        if not result.exact:
            row.append(f"{result.std_error[p]:.4%}")
        table.add_row(*row)
    return table


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        hands = list(args.hands)
        if not 2 <= len(hands) <= MAX_PLAYERS:
            raise ValueError(
                f"give 2 to {MAX_PLAYERS} hands (two cards, a range or random), got {len(hands)}"
            )
        if args.samples < 1:
            raise ValueError(f"--samples must be at least 1, got {args.samples}")
        board = list(parse_board(args.board))
        ranges = np.stack([parse_hand_range(text, i + 1) for i, text in enumerate(hands)])
        start = time.perf_counter()
        hero = hero_versus_random(hands, ranges)
        if hero is not None:
            result = versus_random(hero, board)
        else:
            result = range_equity(ranges, board, args.samples, args.seed)
    except ValueError as error:
        print_error(console, error)
        return 2
    seconds = time.perf_counter() - start
    title = " vs ".join(hands) + (f" on {args.board}" if args.board else " preflop")
    console.print(equity_table(title, hands, result, seconds, args.seed))
    return 0


def versus_random(hero: tuple[int, int], board: list[int]) -> RangeEquity:
    """`equity_vs_random` as a `RangeEquity`: the random hand's row is the hero's seen from
    the other side."""
    counts = equity_vs_random(list(hero), board)
    total = counts.total
    win = np.array([counts.wins, counts.losses]) / total
    tie = np.array([counts.ties, counts.ties]) / total
    used = set(board) | set(hero)
    left = 52 - len(used)
    return RangeEquity(
        equity=win + tie / 2,
        win=win,
        tie=tie,
        combos=np.array([1.0, left * (left - 1) / 2]),
        deals=total,
        exact=True,
        std_error=np.zeros(2),
    )


if __name__ == "__main__":
    parser = HelpParser(prog="python -m holdem.cli.equity", description=__doc__)
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
