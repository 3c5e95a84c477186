"""A blueprint's preflop chart: the 13x13 grid of hands, each cell its fold / call / raise mix.

holdem chart runs/pushfold_10bb --position SB --out sb.png
holdem chart runs/pushfold_10bb --position BB --facing a --terminal
holdem chart runs/six_max --position BB --facing "CO:r250" --out bb_vs_co.png

``--position`` is the seat the chart is for (heads-up SB or BB; with more seats SB BB UTG HJ CO
BTN). ``--facing`` is what happened before, in the history syntax of ``holdem strategy`` (``a``
all-in, ``r250`` raise to 250 chips, ``CO:r250`` every seat before the CO folds, then it raises);
after it, seats before the position fold. Without it every seat before the position folds (the
position is first in). ``--out`` writes a PNG (needs matplotlib: ``pip install
'holdem[plots]'``), ``--terminal`` draws the chart in the terminal; neither means terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from holdem.cli.errors import print_error
from holdem.cli.outputs import check_png_path
from holdem.cli.strategy import (
    add_blueprint_arguments,
    check_stakes,
    load_blueprint,
    table_of,
)
from holdem.policy.chart import chart_table, preflop_chart, save_chart_png
from holdem.policy.situation import parse_situation


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_blueprint_arguments(parser)
    parser.add_argument("--position", required=True, help="whose chart: SB, BB, UTG, HJ, CO, BTN")
    parser.add_argument(
        "--facing", default="", help="the actions before it, e.g. 'a', 'r250', 'CO:r250'"
    )
    parser.add_argument("--out", type=Path, help="write the chart to this PNG file")
    parser.add_argument("--terminal", action="store_true", help="draw the chart in the terminal")


def require_matplotlib() -> None:
    """A one-line error when matplotlib (the ``plots`` extra) is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ValueError(
            "drawing PNG files needs matplotlib: pip install 'holdem[plots]'"
        ) from None


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        check_stakes(args)
        if args.out is not None:
            check_png_path(args.out)
            require_matplotlib()
        blueprint = load_blueprint(args)
        config = table_of(blueprint, args)
        situation = parse_situation(config, args.facing, (), args.position)
        chart = preflop_chart(blueprint, situation)
        if args.out is not None:
            save_chart_png(chart, str(args.out))
    except ValueError as error:
        print_error(console, error)
        return 2
    if args.terminal or args.out is None:
        console.print(chart_table(chart))
    if args.out is not None:
        console.print(f"wrote {args.out}: {chart.title}", soft_wrap=True, highlight=False)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m holdem.cli.chart", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
