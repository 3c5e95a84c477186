"""Local best response: how much a heads-up policy loses to LBR (a lower bound on its
exploitability; Lisý and Bowling 2017, https://arxiv.org/abs/1612.07547).

holdem lbr runs/hu_open/blueprint --hands 10000 --seed 0 --num-workers 0 --out lbr.json
python -m holdem.cli.lbr call --hands 2000

BLUEPRINT is a run's blueprint, snapshot or checkpoint (or its logdir), or a baseline (call,
fold, raise-pot, random, tag). The table is the blueprint's own game (stack and blinds), 100 big
blinds at 50/100 for a baseline. --hands counts deals: each is played twice with the cards
staying with the seats, LBR in the small blind then in the big blind, so 10,000 deals are 20,000
hands. LBR's action set is fold, check/call, the --bet-sizes (fractions of the pot; default 1)
and all-in (--no-all-in drops it), raising on the --raise-streets; --no-limp forbids calling
the big blind preflop (as push/fold). Results are LBR's milli big blinds per hand, overall and
per seat, with 95 % intervals over deals; the same --seed gives the same numbers on any
--num-workers. Against a blueprint a second table counts, per street, LBR's actions that the
blueprint's tree translated (or had no decision for) and the blueprint's answers given off the
tree or after a translation: what LBR exploits beyond the strategy (also in --out's JSON,
"off_tree"). Ctrl-C or SIGTERM stops the run (code 130) once the workers' chunks finish.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from holdem.cli.help_text import HelpParser
from holdem.cli.interruptible import deal_progress, sigterm_interrupts, stopped
from holdem.cli.outputs import check_output
from holdem.cli.search_flags import add_search_arguments, search_config
from holdem.eval.chunk_pool import WorkerDiedError, resolve_workers
from holdem.eval.lbr import STREET_NAMES, ActionSet, LBRResult, match_config_for, run_lbr
from holdem.eval.lbr_model import BASELINE_OPPONENTS, Opponent
from holdem.eval.registry import baseline_name
from holdem.storage.atomic import write_text

RESULT_FORMAT = "holdem-lbr"
FORMAT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = ", ".join(BASELINE_OPPONENTS)
    parser.add_argument(
        "blueprint",
        metavar="BLUEPRINT",
        help=f"a blueprint, snapshot or checkpoint (or a run's logdir), or a baseline ({names})",
    )
    parser.add_argument(
        "--hands", type=int, default=1000, help="deals, each played once in each seat (1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--num-workers", type=int, default=0, help="worker processes (0, the default: every core)"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    parser.add_argument(
        "--bet-sizes",
        default="1",
        help="LBR's bet and raise sizes as fractions of the pot, comma-separated (default 1; "
        "'none' for none)",
    )
    parser.add_argument(
        "--all-in",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="LBR may go all-in (default: yes)",
    )
    parser.add_argument(
        "--limp",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="LBR may call the big blind preflop (default: yes)",
    )
    parser.add_argument(
        "--raise-streets",
        default=",".join(STREET_NAMES),
        help="streets where LBR may bet or raise, comma-separated (default: all four)",
    )
    add_search_arguments(parser)
    parser.add_argument(
        "--actions",
        default=None,
        help="LBR's actions per street in the LBR paper's notation, instead of the three flags "
        "above: FC/FC/FC/FC, C/C/FCPA/FCPA, C/C/56bets/56bets, FCPA/FCPA/FCPA/FCPA (F fold, "
        "C check/call, P pot, A all-in; 56bets: fold, check/call, 55 sizes from 0.05 to 95 "
        "pots and all-in)",
    )


def parse_action_set(args: argparse.Namespace) -> ActionSet:
    """The `ActionSet` of the flags; one-line ValueError naming the flag."""
    if args.actions is not None:
        defaults = (args.bet_sizes == "1", args.raise_streets == ",".join(STREET_NAMES))
        if not all(defaults):
            raise ValueError(
                "--actions replaces --bet-sizes and --raise-streets: give one or the other"
            )
        try:
            return ActionSet.parse(args.actions)
        except ValueError as error:
            raise ValueError(f"--actions {error}") from None
    text = args.bet_sizes.strip().lower()
    fractions: list[float] = []
    if text not in ("", "none"):
        for token in text.split(","):
            try:
                fractions.append(float(token))
            except ValueError:
                raise ValueError(
                    f"--bet-sizes {args.bet_sizes!r}: {token.strip()!r} is not a number (give "
                    "fractions of the pot such as 0.5,1,2)"
                ) from None
    streets: list[int] = []
    for token in args.raise_streets.split(","):
        name = token.strip().lower()
        if not name:
            continue
        if name not in STREET_NAMES:
            raise ValueError(
                f"--raise-streets {args.raise_streets!r}: {name!r} is not a street "
                f"({', '.join(STREET_NAMES)})"
            )
        streets.append(STREET_NAMES.index(name))
    try:
        return ActionSet(tuple(fractions), args.all_in, args.limp, tuple(streets))
    except ValueError as error:
        raise ValueError(f"--bet-sizes {args.bet_sizes!r}: {error}") from None


def prepare(args: argparse.Namespace) -> tuple[Opponent, ActionSet, int]:
    """Every argument checked and the opponent loaded, before any hand; ValueError says what."""
    if args.hands < 2:
        raise ValueError(
            f"--hands must be 2 or more (an interval needs two deals), got {args.hands}"
        )
    if args.seed < 0:
        raise ValueError(f"--seed must be 0 or more, got {args.seed}")
    if args.num_workers < 0:
        raise ValueError(f"--num-workers must be 0 (every core) or more, got {args.num_workers}")
    actions = parse_action_set(args)
    if args.out is not None:
        check_output(args.out, example="lbr.json")
    search = search_config(args)
    if search is not None and baseline_name(args.blueprint) is not None:
        raise ValueError(f"--search needs a blueprint, not the baseline {args.blueprint!r}")
    opponent = Opponent.load(args.blueprint, search)
    match_config_for(opponent)
    return opponent, actions, resolve_workers(args.num_workers)


def result_document(result: LBRResult, args: argparse.Namespace) -> dict[str, Any]:
    """The JSON a run writes with --out."""
    return {
        "format": RESULT_FORMAT,
        "format_version": FORMAT_VERSION,
        "method": "local best response (Lisy and Bowling 2017, arXiv:1612.07547)",
        "deals_note": "--hands counts deals; each deal is played once with LBR in each seat",
        **result.to_dict(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _table(result: LBRResult, console: Console) -> None:
    table = Table(title=f"LBR against {result.opponent}: mbb/hand won by LBR (± 95 % interval)")
    for column in ("hands", "mbb/hand", "as small blind", "as big blind", "hands/s"):
        table.add_column(column, justify="right")

    def cell(seat: int | None) -> str:
        i = result.mbb_per_hand() if seat is None else result.mbb_in_seat(seat)
        return f"{i.mean:+.1f} ± {i.half_width:.1f}"

    table.add_row(
        f"{result.hands:,}",
        cell(None),
        cell(0),
        cell(1),
        f"{result.hands / result.seconds:,.1f}" if result.seconds > 0 else "-",
    )
    console.print(table)
    console.print(f"action set: {result.actions.label}", soft_wrap=True)
    counts = result.tree_counts()
    if counts is not None:
        _tree_table(counts, console)


def _tree_table(counts: dict[str, dict[str, dict[str, int]]], console: Console) -> None:
    """What LBR exploits: per street, its actions the tree translated or lacked, and the
    blueprint's answers off the tree or after a translation (`holdem.eval.lbr.count_tree`)."""
    table = Table(title="off the blueprint's tree: translated/off the tree of all, per street")
    table.add_column("")
    for street in STREET_NAMES:
        table.add_column(street, justify="right")
    for key, label in (("lbr_actions", "LBR actions"), ("blueprint_answers", "blueprint answers")):
        cells = []
        for street in STREET_NAMES:
            c = counts[key][street]
            cells.append(f"{c['translated']:,}/{c['off_tree']:,} of {c['actions']:,}")
        table.add_row(label, *cells)
    console.print(table)


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        opponent, actions, workers = prepare(args)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    with sigterm_interrupts():
        return _play(args, console, opponent, actions, workers)


def _play(
    args: argparse.Namespace,
    console: Console,
    opponent: Opponent,
    actions: ActionSet,
    workers: int,
) -> int:
    try:
        with deal_progress(console) as progress:
            task = progress.add_task(f"LBR vs {opponent.name} (deals)", total=args.hands)
            result = run_lbr(
                opponent,
                args.hands,
                actions,
                seed=args.seed,
                num_workers=workers,
                on_progress=lambda done: progress.advance(task, done),
            )
    except KeyboardInterrupt as stop:
        return stopped(stop, console)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    except WorkerDiedError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 1
    _table(result, console)
    if args.out is not None:
        write_text(args.out, json.dumps(result_document(result, args), indent=2) + "\n")
        console.print(f"wrote {args.out}", soft_wrap=True)
    return 0


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.lbr", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
