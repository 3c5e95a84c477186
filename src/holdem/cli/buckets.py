"""Card abstractions: build the bucket tables, or inspect a saved file.

holdem buckets build --preset tiny --out assets/abstraction/buckets_tiny.npz
holdem buckets info assets/abstraction/buckets_tiny.npz
holdem buckets info assets/abstraction/buckets_tiny.npz --json
holdem buckets show assets/abstraction/buckets_tiny.npz --street flop --board "Qs 7h 2c" --bucket 5
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console

from holdem.abstraction.bucket_presets import STREETS
from holdem.abstraction.buckets import CardAbstraction
from holdem.cards.combos import N_COMBOS, blocked_combos, combo_classes, combo_text
from holdem.cards.encoding import format_cards, parse_cards
from holdem.cards.isomorphism import N_BOARD_CARDS
from holdem.cards.preflop_matchups import class_label
from holdem.cli import build_buckets
from holdem.cli.errors import print_error
from holdem.cli.help_text import HelpParser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="buckets_command", metavar="ACTION", required=True)
    build = sub.add_parser(
        "build", help="build bucket tables for every street", description=build_buckets.__doc__
    )
    build_buckets.add_arguments(build)
    build.set_defaults(buckets_run=build_buckets.run)
    info = sub.add_parser(
        "info",
        help="summarise a file: preset, buckets and features per street, quality",
        description="Summarise a card abstraction file (preset, seed, buckets and features per "
        "street, build time, checksum), then per street the bucket sizes and the spread of "
        "equity inside buckets. --json prints the whole manifest as JSON instead.",
    )
    info.add_argument("file", help="a .npz file or folder written by holdem buckets build")
    info.add_argument(
        "--no-verify",
        action="store_true",
        help="skip the checksum and range check (faster on large files)",
    )
    info.add_argument("--json", action="store_true", help="print the whole manifest as JSON")
    info.set_defaults(buckets_run=run_info)
    show = sub.add_parser(
        "show",
        help="list the hands in a bucket on a board",
        description="List the hole cards that a bucket holds on a board, by hand class. A "
        "bucket after the preflop groups hands over every board: this shows it on one.",
    )
    show.add_argument("file", help="a .npz file or folder written by holdem buckets build")
    show.add_argument("--street", choices=STREETS, help="the street (default: by the board)")
    show.add_argument("--board", default="", help="the board: 3, 4 or 5 cards, 'Qs 7h 2c'")
    show.add_argument("--bucket", type=int, required=True, help="the bucket number")
    show.set_defaults(buckets_run=run_show)


def run_info(args: argparse.Namespace) -> int:
    console = Console()
    try:
        abstraction = CardAbstraction.load(args.file, verify=not args.no_verify)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    if args.json:
        print(json.dumps(abstraction.manifest, indent=2, sort_keys=True))
        return 0
    for line in summary_lines(args.file, abstraction.manifest, not args.no_verify):
        console.print(line, soft_wrap=True, highlight=False, markup=False)
    console.print(build_buckets.quality_table(abstraction))
    return 0


def run_show(args: argparse.Namespace) -> int:
    console = Console()
    try:
        board = parse_cards(args.board) if args.board.strip() else []
        street = STREETS[N_BOARD_CARDS.index(len(board))] if len(board) in N_BOARD_CARDS else None
        if street is None or (args.street is not None and args.street != street):
            wanted = N_BOARD_CARDS[STREETS.index(args.street)] if args.street else "3, 4 or 5"
            raise ValueError(
                f"--board {args.board!r} has {len(board)} cards: the {args.street or 'board'} "
                f"needs {wanted}"
            )
        abstraction = CardAbstraction.load(args.file, verify=False)
        count = abstraction.counts[street]
        if not 0 <= args.bucket < count:
            raise ValueError(
                f"--bucket {args.bucket}: the {street} of {args.file} has buckets 0 to {count - 1}"
            )
    except ValueError as error:
        print_error(console, error)
        return 2
    hands = abstraction.bucket_hands(board, args.bucket)
    live = N_COMBOS - int(blocked_combos(board).sum())
    where = f" on {format_cards(board)}" if board else ""
    console.print(
        f"{street} bucket {args.bucket} of {count}{where}: {len(hands):,} of {live:,} "
        "combinations (by hand class)",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )
    by_class: dict[int, list[str]] = {}
    for combo, cls in zip(hands.tolist(), combo_classes()[hands].tolist(), strict=True):
        by_class.setdefault(cls, []).append(combo_text(combo))
    for cls in sorted(by_class, key=_strength, reverse=True):
        combos = by_class[cls]
        console.print(
            f"  {class_label(cls)} ({len(combos)}): {' '.join(combos)}",
            soft_wrap=True,
            highlight=False,
            markup=False,
        )
    return 0


def _strength(cls: int) -> tuple[int, int, bool]:
    """A hand class's place in the usual order: pairs and high cards first, suited first."""
    label = class_label(cls)
    ranks = "23456789TJQKA"
    return ranks.index(label[0]), ranks.index(label[1]), label.endswith("s")


def summary_lines(file: str, manifest: dict[str, Any], verified: bool) -> list[str]:
    """A few lines a reader takes in at a glance: what built the file, buckets and features
    per street, and whether its checksum was verified (the whole manifest is ``--json``)."""
    counts = manifest.get("counts", {})
    features = manifest.get("features", {})
    build = manifest.get("build", {})
    made = f"preset {manifest.get('preset')}, seed {manifest.get('seed')}"
    if isinstance(build, dict) and "seconds" in build:
        made += f", built in {float(build['seconds']):,.1f} s"
        if build.get("created"):
            made += f" on {build['created']}"
    lines = [f"{file}: card abstraction ({made})"]
    for street in ("preflop", "flop", "turn", "river"):
        if street in counts:
            feature = features.get(street) if isinstance(features, dict) else None
            lines.append(
                f"  {street}: {counts[street]:,} buckets" + (f"; {feature}" if feature else "")
            )
    check = "verified" if verified else "not verified (--no-verify)"
    lines.append(f"checksum {manifest.get('checksum')}, {check}; the whole manifest: --json")
    return lines


def run(args: argparse.Namespace) -> int:
    return int(args.buckets_run(args))


if __name__ == "__main__":
    main_parser = HelpParser(prog="python -m holdem.cli.buckets", description=__doc__)
    add_arguments(main_parser)
    sys.exit(run(main_parser.parse_args()))
