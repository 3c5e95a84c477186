"""Play heads-up against a blueprint in the terminal.

holdem play runs/hu_open --hands 20 --seed 1

Each decision shows your cards, the board, the pot, both stacks and what you may type:
``f`` fold, ``x`` check, ``c`` call, ``r 600`` bet or raise to 600 chips (``r 3bb`` in big
blinds), ``a`` all-in, ``h`` help, ``q`` quit. A mistyped or illegal action gets a message and
the prompt again. The button moves every hand and stacks reset to the starting stack (the
blueprint's, or ``--stack``). A showdown names both hands. At the end: hands played, chips
won or lost, bb/100; a hand left unfinished by q or Ctrl-C is left out of them (and said so).

holdem play runs/hu_open --log hands.txt --hints

--log FILE appends every finished hand to FILE in the PokerStars hand-history format (or ACPC
dealer lines with --log-format acpc), flushed hand by hand; --hints shows, before each of your
decisions, what the blueprint itself would play with your hand there. The session warns once
when your play leaves the blueprint's tree (a limp into a tree that never limps) or when the
stacks differ from its training.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from rich.console import Console

from holdem.cli.errors import print_error
from holdem.cli.help_text import HelpParser
from holdem.cli.log_flags import add_log_arguments, open_log
from holdem.cli.search_flags import add_search_arguments, search_config
from holdem.cli.strategy import (
    add_blueprint_arguments,
    check_stakes,
    load_blueprint,
    table_of,
)
from holdem.policy.play import HeadsUpSession
from holdem.search.search_policy import SearchPolicy


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_blueprint_arguments(parser)
    add_search_arguments(parser)
    parser.add_argument("--hands", type=int, help="stop after this many hands (default: until q)")
    parser.add_argument("--seed", type=int, help="seed of the cards and the blueprint's choices")
    parser.add_argument(
        "--hints",
        action="store_true",
        help="before each of your decisions, show the blueprint's own strategy for your hand",
    )
    add_log_arguments(parser)


def _read(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


def run(args: argparse.Namespace) -> int:
    console = Console(highlight=False)
    try:
        check_stakes(args)
        if args.hands is not None and args.hands < 1:
            raise ValueError(f"--hands must be 1 or more, got {args.hands}")
        search = search_config(args)
        blueprint = load_blueprint(args)
        table = table_of(blueprint, args)
        log = open_log(args, table.ante, "holdem play")
        session = HeadsUpSession(
            blueprint,
            table,
            np.random.default_rng(args.seed),
            _read,
            lambda line: console.print(line, soft_wrap=True, markup=False),
            SearchPolicy(blueprint, search) if search is not None else None,
            log,
            args.hints,
        )
    except ValueError as error:
        print_error(console, error)
        return 2
    try:
        session.run(args.hands)
    except KeyboardInterrupt:
        console.print("")
        session.end()
    finally:
        if log is not None:
            log.close()
            plural = "s" if log.hands != 1 else ""
            console.print(
                f"{log.hands} hand{plural} appended to {log.path}", markup=False, soft_wrap=True
            )
    return 0


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.play", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
