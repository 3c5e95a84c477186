"""Card abstractions: build the bucket tables, or inspect a saved file.

holdem buckets build --preset tiny --out assets/abstraction/buckets_tiny.npz
holdem buckets info assets/abstraction/buckets_tiny.npz
holdem buckets info assets/abstraction/buckets_tiny.npz --json
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console

from holdem.abstraction.buckets import CardAbstraction
from holdem.cli import build_buckets


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
    main_parser = argparse.ArgumentParser(prog="python -m holdem.cli.buckets", description=__doc__)
    add_arguments(main_parser)
    sys.exit(run(main_parser.parse_args()))
