"""The holdem console script: one subcommand per module of holdem.cli.

holdem demo
holdem chart runs/pushfold_10bb --terminal
holdem COMMAND --help

Plain holdem prints this help.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from holdem.cli.help_text import HelpParser

# (subcommand, module under holdem.cli, one-line help)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("demo", "demo", "show the card layer: hand ranks, exact equity, hand isomorphism"),
    ("equity", "equity", "exact equity of hands on a board"),
    ("tree", "tree", "inspect a betting abstraction: nodes, infosets, table memory"),
    ("solve", "solve", "solve Kuhn or Leduc poker (ES-MCCFR, CFR+, DCFR) and save the policy"),
    ("buckets", "buckets", "build card abstractions (bucket tables) and inspect their files"),
    ("train", "train_blueprint", "train a Hold'em blueprint (MCCFR, Pluribus schedule)"),
    ("average", "average", "average a run's snapshots into a blueprint again (warm-up, weights)"),
    ("policy", "policy", "export a trained blueprint or snapshot as policy JSON"),
    ("strategy", "strategy", "what a blueprint does with a hand in a real situation"),
    ("chart", "chart", "a blueprint's 13x13 preflop chart (PNG or terminal)"),
    ("plot", "plot", "training curves of a run (speed, regret per street, exploitability)"),
    ("play", "play", "play heads-up against a blueprint in the terminal"),
    ("eval", "eval_blueprint", "play a policy against baselines or policies: duplicate matches"),
    ("lbr", "lbr", "local best response: a lower bound on a heads-up policy's exploitability"),
    ("spot", "spot", "solve a postflop spot range against range on exact cards; show or chart it"),
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or with ``command`` only that one's arguments (the
    others listed by name): a command then imports its own module only, so it starts faster."""
    parser = HelpParser(prog="holdem", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name, help_text in COMMANDS:
        if command is not None and name != command:
            sub.add_parser(name, help=help_text)
            continue
        module = importlib.import_module(f"holdem.cli.{module_name}")
        subparser = sub.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(subparser)
        subparser.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``holdem``; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = argv[0] if argv and argv[0] in {name for name, _, _ in COMMANDS} else None
    if not argv:
        build_parser().print_help()
        return 0
    args = build_parser(chosen).parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
