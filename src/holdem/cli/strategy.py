"""What a blueprint does with a hand in a real situation.

holdem strategy runs/hu_open/blueprint --hand AsKd --history "r300"
holdem strategy runs/hu_open --hand QhJh --board "Qs 7h 2c" --history "r300 c / x r200"

The history lists the real actions so far, in order: ``f`` fold, ``x`` check, ``c`` call,
``r300`` (or ``b300``) bet or raise *to* 300 chips in this round, ``r2.5bb`` in big blinds,
``a`` all-in; ``BTN:r250`` first folds every seat before the BTN; ``/`` may separate streets.
The table is the blueprint's own game (its stack and blinds) unless ``--stack`` or
``--blinds`` say otherwise: bet sizes are compared as fractions of the pot, so any stakes
work. The hand belongs to the seat to act after the history. Prints each real action with
its probability, the tree node the hand was followed to, and what had to be translated; with
``--search`` (the river, or the ``--search-streets``, heads-up) also the searched strategy
beside the blueprint's and the subgame's size, time and exploitability.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from holdem.cards.encoding import format_cards
from holdem.cli.errors import print_error
from holdem.cli.help_text import HelpParser
from holdem.cli.search_flags import add_search_arguments, search_config
from holdem.policy.blueprint import Blueprint
from holdem.policy.follower import Spot
from holdem.policy.situation import (
    action_text,
    history_text,
    parse_board,
    parse_hand,
    parse_situation,
)
from holdem.rules.table import TableConfig
from holdem.search.search_policy import SearchPolicy


def add_blueprint_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments every blueprint command shares: the folder, stakes and moved files."""
    parser.add_argument(
        "blueprint",
        type=Path,
        help="a run's logdir, or its blueprint/, snapshots/iter_* or checkpoints/iter_* folder",
    )
    parser.add_argument("--stack", type=int, help="chips per seat (default: the blueprint's)")
    parser.add_argument("--blinds", help="small/big blind, e.g. 50/100 (default: the blueprint's)")
    parser.add_argument("--betting", type=Path, help="the betting config, if it moved")
    parser.add_argument("--buckets", type=Path, help="the bucket file, if it moved")


def parse_blinds(text: str | None) -> tuple[int, int] | None:
    """``"50/100"`` as (50, 100); None stays None. ValueError naming the text otherwise."""
    if text is None:
        return None
    parts = text.replace(",", "/").split("/")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"--blinds {text!r}: write small/big in chips, e.g. 50/100")
    small, big = int(parts[0]), int(parts[1])
    if not 0 < small <= big:
        raise ValueError(f"--blinds {text!r}: need 0 < small blind <= big blind")
    return small, big


def check_stakes(args: argparse.Namespace) -> tuple[int | None, tuple[int, int] | None]:
    """``--stack`` and ``--blinds`` checked (before any loading)."""
    if args.stack is not None and args.stack <= 0:
        raise ValueError(f"--stack must be a positive number of chips, got {args.stack}")
    return args.stack, parse_blinds(args.blinds)


def load_blueprint(args: argparse.Namespace) -> Blueprint:
    """The blueprint the arguments name (one-line ValueError when it cannot be opened)."""
    return Blueprint.load(args.blueprint, betting=args.betting, buckets=args.buckets)


def table_of(blueprint: Blueprint, args: argparse.Namespace) -> TableConfig:
    """The real table: the blueprint's game, or the stakes the arguments give."""
    stack, blinds = check_stakes(args)
    return blueprint.table_config(stack, blinds)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_blueprint_arguments(parser)
    add_search_arguments(parser)
    parser.add_argument("--hand", required=True, help="the hole cards of the seat to act: AsKd")
    parser.add_argument("--board", default="", help="board cards so far: 'Qs 7h 2c'")
    parser.add_argument(
        "--history",
        default="",
        help="real actions so far: f x c r<chips> b<chips> r<n>bb a, POS: before an action, "
        "'/' between streets (e.g. 'r300 c / x b200')",
    )


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        hand = parse_hand(args.hand)
        board = parse_board(args.board)
        clash = set(hand) & set(board)
        if clash:
            raise ValueError(f"card {format_cards(sorted(clash))} is in --hand and in --board")
        check_stakes(args)
        blueprint = load_blueprint(args)
        config = table_of(blueprint, args)
        situation = parse_situation(config, args.history, board)
        state = situation.state(hand)
        probabilities = blueprint.action_probabilities(state)
        spot = blueprint.spot(state)
        search = search_config(args)
        policy = SearchPolicy(blueprint, search) if search is not None else None
        if policy is not None and not policy.searches(state):
            raise ValueError(
                f"--search: the {state.street.name.lower()} is not searched (heads-up, "
                f"--search-streets {args.search_streets} are): add it to --search-streets, "
                "drop --search or give another --history"
            )
    except ValueError as error:
        print_error(console, error)
        return 2
    seat = situation.hero
    legal = state.legal_actions()
    console.print(f"blueprint: {blueprint.describe()}", soft_wrap=True, highlight=False)
    street = state.street.name.lower()
    console.print(
        f"{situation.position} to act on the {street}"
        + (f" [{format_cards(state.board)}]" if state.board else "")
        + f", pot {state.total_pot}, to call {legal.call_amount}, stack {state.stacks[seat]}; "
        f"history: {history_text(state) or '(none)'}",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
    on_tree = any(line.on_tree for line in spot.lines)
    bucket = blueprint.bucket_label(state) if on_tree else "-"
    lines = spot.lines
    head = f"hand {format_cards(hand, '')}: bucket {bucket}; "
    if len(lines) == 1:
        head += _where(spot)
    else:
        head += f"{len(lines)} translations of the history, the answer is their mixture"
    console.print(head, soft_wrap=True, highlight=False, markup=False)
    for line in lines:
        indent = "  "
        if len(lines) > 1:
            console.print(
                f"  {line.probability:.3f}: {_where(line)}",
                soft_wrap=True,
                highlight=False,
                markup=False,
            )
            indent = "    "
        for note in line.notes:
            console.print(f"{indent}note: {note}", soft_wrap=True, highlight=False, markup=False)
    table = Table(show_header=True, header_style="bold")
    table.add_column("action")
    table.add_column("blueprint" if policy is not None else "probability", justify="right")
    if policy is None:
        for action, p in probabilities:
            table.add_row(action_text(action, state), f"{p:.3f}")
        console.print(table)
        return 0
    searched = dict(policy.action_probabilities(state))
    subgame = policy.last
    assert subgame is not None
    solver = subgame.solver
    trusted = "played" if policy.trusted(subgame) else "not played: the blueprint answers"
    reach = "to the end of the hand"
    if solver.continuation is not None:
        reach = (
            f"to the turn, {len(solver.leaves)} leaves valued on "
            f"{len(solver.continuation.runouts)} runouts by {solver.continuation.k} "
            "continuation strategies"
        )
    console.print(
        f"search: a subgame from the start of the {street} {reach} ({solver.tree.n_nodes:,} "
        "nodes, "
        f"{len(solver.combos[0]):,} and {len(solver.combos[1]):,} combinations, "
        f"{solver.memory_bytes / 1e6:,.0f} MB), {subgame.iterations} iterations in "
        f"{subgame.seconds:.2f} s to {subgame.exploitability_pct:.2f}% of the pot ({trusted})",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
    table.add_column("search", justify="right")
    before = dict(probabilities)
    for action in list(before) + [a for a in searched if a not in before]:
        table.add_row(
            action_text(action, state),
            f"{before.get(action, 0.0):.3f}",
            f"{searched.get(action, 0.0):.3f}",
        )
    console.print(table)
    return 0


def _where(spot: Spot) -> str:
    place = "exact" if spot.exact else "translated"
    return f"tree node {spot.node} {spot.history!r} ({place})" if spot.on_tree else "off the tree"


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.strategy", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
