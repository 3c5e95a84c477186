"""Average a run's snapshots into a blueprint again, with another warm-up or other weights.

holdem average runs/hu_open --warmup 25% --weights linear --out runs/hu_open/blueprint_linear
holdem average runs/blueprint_8h --warmup 2h --weights equal --out runs/blueprint_8h/bp_2h

The later streets of a blueprint are the mean of the run's snapshots of the current strategy
(`holdem.training.averaging`): this writes another blueprint from the run's newest checkpoint
(its preflop strategy sums and its list of snapshots) and the snapshots in ``LOGDIR/snapshots``,
leaving out those before ``--warmup`` (a share of the run's iterations like ``25%``, a number of
iterations, or a time like ``10m``) and weighting the rest ``equal`` or ``linear``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from holdem.cli.outputs import check_output
from holdem.training.averaging import rebuild_blueprint
from holdem.training.config import DEFAULT_WARMUP, DEFAULT_WEIGHTS, parse_warmup, warmup_to_yaml


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("logdir", type=Path, help="a run's folder (checkpoints/, snapshots/)")
    parser.add_argument(
        "--warmup",
        default=warmup_to_yaml(DEFAULT_WARMUP),
        help="leave out snapshots before this: a share (25%%), iterations or a time "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--weights",
        choices=("equal", "linear"),
        default=DEFAULT_WEIGHTS,
        help="weights of the snapshots kept (default %(default)s)",
    )
    parser.add_argument("--out", type=Path, required=True, help="the blueprint folder to write")


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        text = args.warmup.strip()
        warmup = parse_warmup(int(text) if text.isdigit() else text, "holdem average", "--warmup")
        if args.out.exists():
            raise ValueError(f"--out {args.out} exists: give a new folder")
        check_output(args.out, folder=True)
        path = rebuild_blueprint(args.logdir, args.out, warmup, args.weights)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    console.print(f"wrote {path}", soft_wrap=True)
    return 0
