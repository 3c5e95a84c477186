"""Solve Kuhn or Leduc poker, print exploitability as it falls, and save the average policy.

holdem solve leduc --algo cfr+ --seconds 5 --out leduc.json
holdem solve kuhn --algo es-mccfr --seconds 2 --iterations 100000 --seed 7
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from holdem.cfr.game import GAME_NAMES, load_game
from holdem.cfr.mccfr import MCCFROptions
from holdem.cfr.policy_io import write_policy
from holdem.cfr.runner import ALGORITHMS, Checkpoint, SolveResult, solve
from holdem.cfr.schedules import LinearDiscount, PruneSchedule
from holdem.cli.help_text import HelpParser
from holdem.cli.outputs import check_output

ES_MCCFR_FLAGS = (
    "regrets",
    "regret_scale",
    "discount_interval",
    "discount_cutoff",
    "prune_start",
    "prune_threshold",
    "regret_floor",
)
"""The es-mccfr options (None when not given): the full-width solvers use none of them."""
PRUNE_THRESHOLD = -300_000_000.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("game", choices=GAME_NAMES, help="the game to solve")
    parser.add_argument("--algo", choices=ALGORITHMS, default="cfr+", help="solver (default cfr+)")
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="solver time budget in seconds (default 10)"
    )
    parser.add_argument(
        "--iterations", type=int, default=None, help="stop earlier after this many iterations"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of es-mccfr (default 0)")
    parser.add_argument("--out", type=Path, default=None, help="write the average policy here")
    group = parser.add_argument_group("es-mccfr options")
    group.add_argument(
        "--regrets",
        choices=("float32", "int32"),
        default=None,
        help="regret storage (default float32)",
    )
    group.add_argument(
        "--regret-scale",
        type=float,
        default=None,
        help="regrets are stored in units of 1/scale chips (default 1)",
    )
    group.add_argument(
        "--discount-interval",
        type=int,
        default=None,
        help="linear discounting every N iterations (default off)",
    )
    group.add_argument(
        "--discount-cutoff",
        type=int,
        default=None,
        help="last iteration that discounts (default 40 intervals)",
    )
    group.add_argument(
        "--prune-start", type=int, default=None, help="prune after this iteration (default off)"
    )
    group.add_argument(
        "--prune-threshold",
        type=float,
        default=None,
        help=f"prune actions with regret below this (stored units; default {PRUNE_THRESHOLD:,.0f})",
    )
    group.add_argument(
        "--regret-floor",
        type=float,
        default=None,
        help="regrets never fall below this (stored units; with pruning the default is "
        "31/30 of the threshold, Pluribus's ratio; otherwise none for float32)",
    )


def mccfr_options(args: argparse.Namespace) -> MCCFROptions:
    """The es-mccfr options of the command line; ValueError names a bad one."""
    discount = None
    if args.discount_interval is not None:
        cutoff = args.discount_cutoff
        if cutoff is None:
            cutoff = 40 * args.discount_interval
        discount = LinearDiscount(args.discount_interval, cutoff)
    elif args.discount_cutoff is not None:
        raise ValueError("--discount-cutoff needs --discount-interval")
    prune = None
    floor = args.regret_floor
    if args.prune_start is not None:
        threshold = PRUNE_THRESHOLD if args.prune_threshold is None else args.prune_threshold
        prune = PruneSchedule(args.prune_start, threshold)
        if floor is None:
            floor = prune.threshold * 31 / 30
    return MCCFROptions(
        regret_dtype=args.regrets or "float32",
        regret_scale=1.0 if args.regret_scale is None else args.regret_scale,
        regret_floor=floor,
        discount=discount,
        prune=prune,
    )


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse impossible arguments before any work starts, and es-mccfr options given to a
    solver that would ignore them."""
    given = [name for name in ES_MCCFR_FLAGS if getattr(args, name) is not None]
    if given and args.algo != "es-mccfr":
        flag = "--" + given[0].replace("_", "-")
        raise ValueError(
            f"{flag} is an es-mccfr option, which --algo {args.algo} does not use: drop it, or "
            "give --algo es-mccfr"
        )
    if not args.seconds > 0:
        raise ValueError(f"--seconds must be positive, got {args.seconds}")
    if args.iterations is not None and args.iterations < 1:
        raise ValueError(f"--iterations must be 1 or more, got {args.iterations}")
    if args.seed < 0:
        raise ValueError(f"--seed must be 0 or more, got {args.seed}")
    if args.out is not None:
        check_output(args.out, example="policy.json")


def summary(game_name: str, result: SolveResult, out: Path | None) -> Table:
    """The final table of a run."""
    table = Table(title=f"{game_name}: {result.algorithm}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rate = result.iterations / result.seconds if result.seconds > 0 else float("nan")
    rows = [
        ("iterations", f"{result.iterations:,}"),
        ("solver seconds", f"{result.seconds:.3f}"),
        ("iterations per second", f"{rate:,.0f}"),
        ("exploitability (chips/game)", f"{result.report.exploitability:.6g}"),
        ("NashConv (chips/game)", f"{result.report.nash_conv:.6g}"),
        ("first player's value", f"{result.report.expected[0]:+.6f}"),
        ("policy file", str(out) if out is not None else "(not written: use --out)"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        check_arguments(args)
        options = mccfr_options(args)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    game = load_game(args.game)
    interactive = sys.stdout.isatty()

    def progress(point: Checkpoint) -> None:
        line = (
            f"iteration {point.iteration:>12,}  {point.seconds:8.3f} s  "
            f"exploitability {point.exploitability:.6g}"
        )
        if interactive:
            sys.stdout.write("\r" + line)
            sys.stdout.flush()
        else:
            print(line, flush=True)

    result = solve(
        game,
        args.algo,
        args.seconds,
        args.iterations,
        args.seed,
        options,
        checkpoint_growth=1.5,
        on_checkpoint=progress,
    )
    if interactive:
        sys.stdout.write("\n")
    if args.out is not None:
        try:
            write_policy(args.out, game, result.policy)
        except OSError as error:
            message = f"cannot write {args.out}: {error.strerror}"
            console.print(f"[red]error:[/red] {message}", soft_wrap=True)
            return 1
    console.print(summary(args.game, result, args.out))
    return 0


if __name__ == "__main__":
    parser = HelpParser(prog="python -m holdem.cli.solve", description=__doc__)
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
