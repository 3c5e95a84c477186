"""Policies a run wrote: export a blueprint or snapshot as a policy JSON file.

holdem policy export runs/pushfold_10bb --out pushfold_10bb.json

The JSON is the format of ``holdem solve`` (see the README): one key per information set,
``<bucket label>|<history>``, mapping each action letter to its probability. Preflop buckets of
a lossless abstraction are the classes (``AA``, ``AKs``, ``T9o``), other buckets name their
street, ``flop:b47``; histories use the tree's letters (``f`` fold, ``c`` check or call, ``r``
the raise, or ``r<chips>`` where a node offers several raises: the raiser's chips in after it),
streets separated by ``/``. A postflop bucket stands for hands on every board (the card
abstraction groups them); ``holdem buckets show FILE --board "Qs 7h 2c" --bucket 47`` lists
the hands it holds on one board.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from holdem.cfr.policy_io import write_policy
from holdem.cli.help_text import HelpParser
from holdem.cli.outputs import check_output
from holdem.policy.loading import resolve_policy_folder
from holdem.training.artifacts import policy_game, read_policy_folder

MAX_EXPORT_INFOSETS = 2_000_000
"""Larger trees do not fit a readable JSON file (export a smaller abstraction)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export", help="write a blueprint or snapshot as policy JSON", description=__doc__
    )
    export.add_argument(
        "policy", type=Path, help="a run's logdir (its blueprint), or a snapshots/iter_* folder"
    )
    export.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    export.set_defaults(policy_run=run_export)


def run_export(args: argparse.Namespace) -> int:
    console = Console()
    try:
        check_output(args.out, example="policy.json")
        folder = resolve_policy_folder(args.policy)
        training = policy_game(folder)
        game = training.game
        infosets = sum(
            game.layout.n_buckets[int(game.tree.street[n])] for n in game.tree.decision_nodes()
        )
        if infosets > MAX_EXPORT_INFOSETS:
            raise ValueError(
                f"{folder}: {infosets:,} information sets are too many to list as JSON "
                f"(at most {MAX_EXPORT_INFOSETS:,}); query it with the policy API instead"
            )
        table = read_policy_folder(folder, training)
        write_policy(args.out, game, table.astype(float))
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    console.print(f"wrote {infosets:,} information sets of {folder} to {args.out}", soft_wrap=True)
    return 0


def run(args: argparse.Namespace) -> int:
    return int(args.policy_run(args))


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.policy", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
