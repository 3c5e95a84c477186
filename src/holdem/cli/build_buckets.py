"""Build a card abstraction (bucket tables for every street) and write it atomically.

python -m holdem.cli.build_buckets --preset mid --out assets/abstraction/buckets_mid.npz
holdem buckets build --preset tiny --out assets/abstraction/buckets_tiny.npz --k-flop 12 --seed 3
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numba
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from holdem.abstraction.bucket_builder import build_buckets
from holdem.abstraction.bucket_presets import PRESETS, BucketSpec, preset
from holdem.abstraction.buckets import FORMAT as ABSTRACTION_FORMAT
from holdem.abstraction.buckets import CardAbstraction
from holdem.cli.help_text import HelpParser
from holdem.cli.outputs import check_output

_MAX_THREADS: int = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preset",
        default="tiny",
        choices=list(PRESETS),
        help="bucket counts and settings to start from (default tiny)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output .npz file, or a folder for any other name "
        "(default assets/abstraction/buckets_PRESET.npz)",
    )
    for street in ("preflop", "flop", "turn", "river"):
        parser.add_argument(
            f"--k-{street}",
            type=int,
            default=None,
            help=f"buckets on the {street} (overrides the preset)",
        )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default 0)")
    parser.add_argument(
        "--bins",
        type=int,
        default=None,
        dest="n_bins",
        help="equity bins of the potential-aware histograms",
    )
    parser.add_argument(
        "--sample-size", type=int, default=None, help="hands k-means fits on per street, 0 for all"
    )
    parser.add_argument("--max-iter", type=int, default=None, help="k-means iteration cap")
    parser.add_argument(
        "--flop-feature",
        choices=("turn-equity", "runout-equity"),
        default=None,
        help="flop histogram over the 47 turn cards or the 1,081 runouts",
    )
    parser.add_argument(
        "--river-feature",
        choices=("equity", "ochs"),
        default=None,
        help="river: equity against a random hand, or against each cluster of "
        "opponent preflop hands (OCHS)",
    )
    parser.add_argument(
        "--ochs-clusters",
        type=int,
        default=None,
        help="opponent clusters of --river-feature ochs (default 8)",
    )
    parser.add_argument(
        "--threads", type=int, default=None, help=f"worker threads (default all: {_MAX_THREADS})"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def spec_from_args(args: argparse.Namespace) -> BucketSpec:
    """The BucketSpec of the command line; ValueError names a bad value."""
    return preset(args.preset).replace(
        k_preflop=args.k_preflop,
        k_flop=args.k_flop,
        k_turn=args.k_turn,
        k_river=args.k_river,
        seed=args.seed,
        n_bins=args.n_bins,
        sample_size=args.sample_size,
        max_iter=args.max_iter,
        flop_feature=args.flop_feature,
        river_feature=args.river_feature,
        ochs_clusters=args.ochs_clusters,
    )


def output_path(args: argparse.Namespace) -> Path:
    """Where to write, checked before any work (`holdem.cli.outputs`: missing folders are
    created when the file is written)."""
    out = args.out or Path("assets/abstraction") / f"buckets_{args.preset}.npz"
    if out.suffix == ".npz" and out.is_dir():
        raise ValueError(f"--out {out} is a folder: give a file name or remove the folder")
    if out.suffix != ".npz" and out.is_file():
        raise ValueError(f"--out {out} is a file but not .npz: name it NAME.npz or use a folder")
    check_output(out, example=f"buckets_{args.preset}.npz", folder=out.suffix != ".npz")
    if out.suffix != ".npz" and out.is_dir() and any(out.iterdir()) and not _is_abstraction(out):
        raise ValueError(
            f"--out {out} is a folder of other files, which the build would replace as a whole: "
            "give a new folder, or a file NAME.npz"
        )
    return out


def _is_abstraction(folder: Path) -> bool:
    """Whether ``folder`` holds a card abstraction (an earlier build, fine to replace)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == ABSTRACTION_FORMAT


def _count(n: float) -> str:
    """A hand count in 6 characters or fewer: 169, 64.8k, 13.96M."""
    if n < 10_000:
        return f"{n:,.0f}"
    if n < 1_000_000:
        return f"{n / 1e3:.1f}k"
    return f"{n / 1e6:.2f}M"


def quality_table(abstraction: CardAbstraction) -> Table:
    """Per street: buckets, sizes in canonical hands, and the spread of equity inside buckets."""
    table = Table(title="buckets per street")
    for column in ("street", "buckets", "hands", "min", "median", "max", "within", "overall"):
        table.add_column(column, justify="right")
    for street, q in abstraction.quality().items():
        table.add_row(
            street,
            f"{int(q['buckets']):,}" + (f" ({int(q['empty'])} empty)" if q["empty"] else ""),
            _count(q["hands"]),
            _count(q["min_hands"]),
            _count(q["median_hands"]),
            _count(q["max_hands"]),
            f"{q['within_std']:.4f}" if "within_std" in q else "-",
            f"{q['overall_std']:.4f}" if "overall_std" in q else "-",
        )
    table.caption = (
        "hands per bucket count canonical hands; within/overall: standard deviation of "
        "expected equity vs a random hand inside buckets (weighted; lower is better) and "
        "over all hands"
    )
    return table


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        spec = spec_from_args(args)
        out = output_path(args)
        if args.threads is not None:
            if not 1 <= args.threads <= _MAX_THREADS:
                raise ValueError(f"--threads must lie in 1..{_MAX_THREADS}, got {args.threads}")
            numba.set_num_threads(args.threads)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    console.print(
        f"building [bold]{spec.preset}[/bold] buckets {spec.counts()} "
        f"(seed {spec.seed}, {numba.get_num_threads()} threads) -> {out}"
    )
    start = time.perf_counter()
    progress = Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        disable=args.quiet,
    )
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    with progress:
        abstraction = build_buckets(spec, report)
    path = abstraction.save(out)
    seconds = time.perf_counter() - start
    console.print(quality_table(abstraction))
    console.print(
        f"wrote {path} ({_size(path)}) in {seconds:.1f} s; checksum {abstraction.checksum}",
        soft_wrap=True,
    )
    return 0


def _size(path: Path) -> str:
    files = [path] if path.is_file() else list(path.iterdir())
    return f"{sum(f.stat().st_size for f in files) / 1e6:,.0f} MB"


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.build_buckets", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
