"""Inspect a betting abstraction: its nodes, infosets and table memory.

holdem tree stats configs/hu_open.yaml
holdem tree stats configs/6max.yaml --buckets 169,50,50,50

Compiles the YAML configuration into a betting tree and prints its nodes and infosets per
street and per player, and the memory the dense regret and strategy tables would need. A tree
past ``--max-nodes`` (or a wrong file or argument) is one line saying what to change, exit 2.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from holdem.abstraction.betting_config import (
    HOLDEM_ROUNDS,
    betting_config_path,
    load_betting_spec,
)
from holdem.abstraction.betting_tree import TreeTooLargeError, compile_tree
from holdem.abstraction.tree_stats import tree_stats
from holdem.cli.help_text import HelpParser

DEFAULT_HOLDEM_BUCKETS = (169, 200, 200, 200)
DEFAULT_MAX_NODES = 20_000_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="tree_command", metavar="ACTION", required=True)
    stats = sub.add_parser("stats", help="nodes, infosets and table memory of a betting config")
    stats.add_argument("config", help="a betting configuration, e.g. configs/hu_rich.yaml")
    # argparse before Python 3.13 takes "-1,0,0,0" for an option, not --buckets's value, and
    # says "expected one argument": a value that starts like a negative number is a value.
    stats._negative_number_matcher = re.compile(r"^-\d[\d,.]*$")
    stats.add_argument(
        "--buckets",
        default=None,
        help="buckets per street, comma-separated (default 169,200,200,200 for Hold'em, "
        "1 per round otherwise)",
    )
    stats.add_argument(
        "--max-nodes",
        type=int,
        default=DEFAULT_MAX_NODES,
        help=f"stop and report when the tree passes this many nodes (default {DEFAULT_MAX_NODES:,}"
        "; building takes about 4 * (12 + players) bytes per node)",
    )


def _bucket_counts(text: str | None, n_streets: int) -> tuple[int, ...]:
    if text is None:
        return DEFAULT_HOLDEM_BUCKETS if n_streets == 4 else (1,) * n_streets
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(
            f"--buckets must be whole numbers separated by commas, got {text!r}"
        ) from None
    if len(counts) != n_streets or min(counts) < 1:
        raise ValueError(
            f"--buckets needs {n_streets} positive counts (one per betting round), got {text!r}"
        )
    return counts


def _too_large(error: TreeTooLargeError) -> str:
    """What to tell a user whose tree passed the node limit, on one line."""
    return (
        f"the betting tree passed the limit of {error.limit:,} nodes (counting stopped at "
        f"{error.reached:,}): offer fewer bet sizes or lower max_raises in the config, or raise "
        "--max-nodes"
    )


def _size(n_bytes: int) -> str:
    if n_bytes < 1024:
        return f"{n_bytes:,} B"
    value = float(n_bytes)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:,.1f} {unit}"


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        if args.max_nodes < 1:
            raise ValueError(
                f"--max-nodes must be a positive number of nodes, got {args.max_nodes}"
            )
        config = betting_config_path(args.config)
        spec = load_betting_spec(config)
        buckets = _bucket_counts(args.buckets, spec.n_streets)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    if config != Path(args.config):
        console.print(
            f"{args.config} is a training config: its betting abstraction is {config}",
            soft_wrap=True,
            highlight=False,
        )
    start = time.perf_counter()
    try:
        tree = compile_tree(spec, args.max_nodes)
    except TreeTooLargeError as error:
        console.print(f"[red]error:[/red] {config}: {_too_large(error)}", soft_wrap=True)
        return 2
    except MemoryError:
        message = (
            f"not enough memory to build the tree (up to {args.max_nodes:,} nodes): use fewer "
            "bet sizes or lower max_raises, or a lower --max-nodes"
        )
        console.print(f"[red]error:[/red] {config}: {message}", soft_wrap=True)
        return 2
    except ValueError as error:
        console.print(f"[red]error:[/red] {config}: {error}", soft_wrap=True)
        return 2
    seconds = time.perf_counter() - start
    stats = tree_stats(tree, buckets)
    names = HOLDEM_ROUNDS if spec.n_streets == 4 else tuple(f"round {i + 1}" for i in range(4))

    table = Table(title=f"{config}: {spec.n_players} players, stack {spec.stack}")
    table.add_column("street")
    table.add_column("buckets", justify="right")
    table.add_column("decision nodes", justify="right")
    for seat in range(spec.n_players):
        table.add_column(f"infosets seat {seat}", justify="right")
    table.add_column("table entries", justify="right")
    for street in range(spec.n_streets):
        table.add_row(
            names[street],
            f"{buckets[street]:,}",
            f"{stats.n_decision[street]:,}",
            *(f"{stats.infosets[street, seat]:,}" for seat in range(spec.n_players)),
            f"{stats.entries[street]:,}",
        )
    table.add_row(
        "all",
        "",
        f"{int(stats.n_decision.sum()):,}",
        *(f"{int(stats.infosets[:, seat].sum()):,}" for seat in range(spec.n_players)),
        f"{stats.total_entries:,}",
        style="bold",
    )
    console.print(table)
    console.print(
        f"nodes {stats.n_nodes:,} (fold ends {stats.n_fold_ends:,}, showdowns "
        f"{stats.n_showdowns:,}), compiled in {seconds:.2f} s; infosets {stats.total_infosets:,}"
    )
    console.print(
        f"dense tables: regrets {_size(stats.regret_bytes)} (int32 or float32), strategy sums "
        f"{_size(stats.strategy_bytes)} (float64), together "
        f"{_size(stats.regret_bytes + stats.strategy_bytes)}"
    )
    return 0


if __name__ == "__main__":
    parser = HelpParser(prog="python -m holdem.cli.tree", description=__doc__)
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
