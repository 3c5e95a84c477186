"""A blueprint's chart: the 13x13 grid of hands, each cell its fold / call / raise mix.

holdem chart runs/pushfold_10bb --out sb.png
holdem chart runs/pushfold_10bb --position BB --terminal
holdem chart runs/six_max --position BB --facing "CO:r350" --out bb_vs_co.png
holdem chart runs/hu_open --position SB --csv sb.csv
holdem chart runs/hu_open --board "Qs 7h 2c" --history "r300 c / x"

(runs/six_max is what holdem train --config configs/blueprint_6max.yaml --logdir runs/six_max
writes; a pot-size open at 50/100 is a raise to 350.)

``--position`` is the seat the chart is for (heads-up SB or BB; with more seats SB BB UTG HJ CO
BTN); without it, the first seat to act preflop.

``--facing`` is what happened before, in the history syntax of ``holdem strategy`` (``a``
all-in, ``r250`` raise to 250 chips, ``CO:r250`` every seat before the CO folds, then it
raises); after it, seats before the position fold. Without it every seat before the position
folds (the position is first in), except for the BB, which then faces the first to act's most
frequent open. The title says what was defaulted.

``--history`` (the whole hand so far, same syntax, ``/`` between streets) with ``--board``
draws the range of the seat to act there instead: each class's bar as tall as the share of its
combinations the blueprint's play leaves in the range (Bayes' rule over the seat's earlier
actions), split by what the blueprint does with them now.

``--out`` writes a PNG (needs matplotlib: ``pip install 'holdem[plots]'``); ``--terminal``
draws the chart in the terminal, with letters instead of colours when the output is piped or
``NO_COLOR`` is set; ``--csv`` writes each class's probabilities, and for a range the share of
the class in it (``-`` prints them). None of them means ``--terminal``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from holdem.cli.errors import print_error
from holdem.cli.help_text import HelpParser
from holdem.cli.outputs import check_output, check_png_path
from holdem.cli.strategy import (
    add_blueprint_arguments,
    check_stakes,
    load_blueprint,
    table_of,
)
from holdem.policy.blueprint import Blueprint
from holdem.policy.chart import chart_table, default_facing, first_to_act, preflop_chart
from holdem.policy.hand_grid import grid_csv, grid_table, save_grid_png
from holdem.policy.situation import Situation, parse_board, parse_situation
from holdem.rules.table import TableConfig
from holdem.search.range_chart import range_chart
from holdem.storage.atomic import write_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_blueprint_arguments(parser)
    parser.add_argument(
        "--position",
        help="whose chart: SB, BB, UTG, HJ, CO, BTN (default: the first to act preflop)",
    )
    parser.add_argument(
        "--facing",
        default="",
        help="the actions before it, e.g. 'a', 'r250', 'CO:r250' (default: none, or for the BB "
        "the first to act's most frequent open)",
    )
    parser.add_argument("--board", default="", help="board cards, e.g. 'Qs 7h 2c': a range chart")
    parser.add_argument(
        "--history",
        help="the whole hand so far, e.g. 'r300 c / x': the range chart of the seat to act",
    )
    parser.add_argument("--out", type=Path, help="write the chart to this PNG file")
    parser.add_argument("--terminal", action="store_true", help="draw the chart in the terminal")
    parser.add_argument(
        "--csv",
        type=Path,
        help="write each hand class's action probabilities to this CSV file ('-': print them)",
    )


def plain_terminal(console: Console) -> bool:
    """Whether ``console`` shows no colour (output piped, ``NO_COLOR`` set, a dumb terminal):
    charts then draw their bars with letters."""
    return console.color_system is None or console.no_color


def write_csv(text: str, path: Path, console: Console) -> None:
    """CSV ``text`` to ``path``, or printed as it is when the path is ``-``."""
    if str(path) == "-":
        console.file.write(text)
        return
    write_text(path, text)
    console.print(f"wrote {path}", soft_wrap=True, highlight=False)


def require_matplotlib() -> None:
    """A one-line error when matplotlib (the ``plots`` extra) is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ValueError(
            "drawing PNG files needs matplotlib: pip install 'holdem[plots]'"
        ) from None


def _preflop_situation(
    blueprint: Blueprint, config: TableConfig, args: argparse.Namespace
) -> tuple[Situation, str]:
    """The situation ``--position`` and ``--facing`` name, with their defaults filled in, and
    what was defaulted in words for the title ("" when nothing was)."""
    position = args.position
    said = []
    if position is None:
        position = first_to_act(config)
        said.append("first to act")
    facing = args.facing
    if not facing:
        facing = default_facing(blueprint, config, position) or ""
        if facing:
            opener = facing.split(":")[0]
            said.append(f"{opener}'s most frequent open; --facing for another")
    return parse_situation(config, facing, (), position), "; ".join(said)


def _range_situation(config: TableConfig, args: argparse.Namespace) -> Situation:
    """The situation ``--history`` and ``--board`` name (``--position``, if given, is to act
    after the seats before it fold)."""
    if args.facing:
        raise ValueError(
            "--facing and --history both give the actions before the chart: write them all "
            "in --history"
        )
    return parse_situation(config, args.history or "", parse_board(args.board), args.position)


def run(args: argparse.Namespace) -> int:
    console = Console()
    plain = plain_terminal(console)
    try:
        check_stakes(args)
        if args.out is not None:
            check_png_path(args.out)
            require_matplotlib()
        if args.csv is not None and str(args.csv) != "-":
            if args.csv.suffix.lower() != ".csv":
                raise ValueError(
                    f"--csv {args.csv}: give a file name ending in .csv, or - to print"
                )
            check_output(args.csv, "--csv", "chart.csv")
        blueprint = load_blueprint(args)
        config = table_of(blueprint, args)
        drawn: Any
        if args.history is not None or args.board:
            picture = range_chart(blueprint, _range_situation(config, args)).picture()
            drawn = grid_table(picture, plain=plain)
        else:
            situation, defaulted = _preflop_situation(blueprint, config, args)
            chart = preflop_chart(blueprint, situation, defaulted)
            picture, drawn = chart.picture(), chart_table(chart, plain=plain)
        if args.out is not None:
            save_grid_png(picture, str(args.out))
    except ValueError as error:
        print_error(console, error)
        return 2
    if args.csv is not None:
        write_csv(grid_csv(picture, "in range"), args.csv, console)
    if args.terminal or (args.out is None and args.csv is None):
        console.print(drawn)
    if args.out is not None:
        console.print(f"wrote {args.out}: {picture.title}", soft_wrap=True, highlight=False)
    return 0


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.chart", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
