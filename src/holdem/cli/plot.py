"""Training curves of a run: speed, nodes per second, average regret per street,
exploitability.

holdem plot runs/pushfold_10bb --out curves.png

Reads the run's ``metrics.jsonl`` (the logdir, or the file itself) and writes one PNG of four
panels: iterations per second; tree nodes per second (the stable measure of speed); the
average positive regret per street (the cumulative regret divided by the iterations, which
falls as the run learns); exploitability where the game has an exact best response
(push/fold). Needs matplotlib: ``pip install 'holdem[plots]'``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from holdem.cli.chart import require_matplotlib
from holdem.cli.errors import print_error
from holdem.cli.help_text import HelpParser
from holdem.cli.outputs import check_png_path
from holdem.policy.curves import load_metrics, save_curves_png


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("logdir", type=Path, help="a run's logdir (or its metrics.jsonl)")
    parser.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    parser.add_argument("--title", help="the figure's title (default: the logdir's name)")


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        check_png_path(args.out)
        require_matplotlib()
        file, records, skipped = load_metrics(args.logdir)
        title = args.title if args.title is not None else file.parent.name
        save_curves_png(records, args.out, title)
    except ValueError as error:
        print_error(console, error)
        return 2
    if skipped:
        numbers = ", ".join(str(n) for n in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        console.print(
            f"warning: {file}: skipped {len(skipped)} line(s) that are not a report "
            f"(line {numbers}): damaged, or cut short by a crash",
            soft_wrap=True,
            highlight=False,
            markup=False,
        )
    console.print(
        f"wrote {args.out}: {len(records)} reports, up to iteration {records[-1]['iteration']:,}",
        soft_wrap=True,
        highlight=False,
    )
    return 0


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.plot", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
