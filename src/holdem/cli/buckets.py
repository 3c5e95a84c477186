"""Card abstractions: build the bucket tables, or inspect a saved file.

holdem buckets build --preset tiny --out assets/abstraction/buckets_tiny.npz
holdem buckets info assets/abstraction/buckets_tiny.npz
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console

from holdem.abstraction.buckets import CardAbstraction
from holdem.cli import build_buckets
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
        help="print a file's manifest, bucket sizes and quality",
        description="Print the manifest of a card abstraction file, then per "
        "street the bucket sizes and the spread of equity inside "
        "buckets.",
    )
    info.add_argument("file", help="a .npz file or folder written by holdem buckets build")
    info.add_argument(
        "--no-verify",
        action="store_true",
        help="skip the checksum and range check (faster on large files)",
    )
    info.set_defaults(buckets_run=run_info)


def run_info(args: argparse.Namespace) -> int:
    console = Console()
    try:
        abstraction = CardAbstraction.load(args.file, verify=not args.no_verify)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    console.print_json(json.dumps(abstraction.manifest))
    verified = "not verified" if args.no_verify else "checksum verified"
    console.print(f"{args.file}: {verified}", soft_wrap=True)
    console.print(build_buckets.quality_table(abstraction))
    return 0


def run(args: argparse.Namespace) -> int:
    return int(args.buckets_run(args))


if __name__ == "__main__":
    main_parser = HelpParser(prog="python -m holdem.cli.buckets", description=__doc__)
    add_arguments(main_parser)
    sys.exit(run(main_parser.parse_args()))
