"""Look at a solved spot: ``holdem spot show FILE --node H`` and ``holdem spot chart FILE``.

holdem spot show spot.json                       (the root: the first player to act)
holdem spot show spot.json --node xb750          (OOP checked, IP bet 750: OOP's answer)
holdem spot chart spot.json --node x --out x.png (the 13x13 chart of a node as a PNG)
holdem spot chart spot.json --node x             (the same chart in the terminal)

``show`` prints who acts, the whole range's frequency of each action and a table of the hand
classes at the node (combinations reaching it, average strategy, EV); ``chart`` draws the
classes' action mixes on the 13x13 grid (see `holdem.search.spot_chart`).
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from holdem.cli.chart import plain_terminal, require_matplotlib
from holdem.cli.outputs import check_png_path
from holdem.policy.hand_grid import grid_table, save_grid_png
from holdem.search.solution import load_spot_solution
from holdem.search.spot_chart import frequency_line, node_picture, node_table, node_view


def run_view(args: argparse.Namespace, console: Console) -> int:
    """`holdem spot show` or `holdem spot chart` (``args.view``); errors are ValueError."""
    if args.solution is None:
        raise ValueError(
            f"give the spot.json to {args.view}, e.g. holdem spot {args.view} spot.json --node x"
        )
    if args.view == "show" and args.out is not None:
        raise ValueError(
            f"--out {args.out}: show prints to the terminal; "
            "holdem spot chart FILE --out x.png draws a PNG"
        )
    if args.view == "chart" and args.out is not None:
        check_png_path(args.out)
        require_matplotlib()
    solution = load_spot_solution(args.solution)
    try:
        view = node_view(solution, args.node)
    except ValueError as error:
        raise ValueError(f"{args.solution}: {error}") from None
    if args.view == "show":
        console.print(
            f"{args.solution}: board {solution.board}, pot {solution.pot:,}, "
            f"stack {solution.stack:,}; solved to {solution.exploitability_pct_pot:.3f}% of the "
            f"pot in {solution.iterations:,} iterations",
            highlight=False,
            soft_wrap=True,
        )
        for name, text in solution.ranges.items():
            console.print(f"{name.upper()} range: {escape(text)}", highlight=False, soft_wrap=True)
        console.print(frequency_line(view), highlight=False, soft_wrap=True)
        if view.classes():
            console.print(node_table(view))
        return 0
    picture = node_picture(view, solution)
    if args.out is None:
        console.print(grid_table(picture, plain=plain_terminal(console)))
        return 0
    save_grid_png(picture, str(args.out))
    console.print(f"wrote {args.out}: {picture.title}", soft_wrap=True, highlight=False)
    return 0
