"""The ``--search`` flags that every command playing a blueprint shares (`holdem lbr`, ...)."""

from __future__ import annotations

import argparse
from pathlib import Path

from holdem.search.search_policy import SearchConfig
from holdem.search.spot import load_bet_tree
from holdem.storage.yaml_files import ConfigError

_STREET_NAMES = ("preflop", "flop", "turn", "river")


def add_search_arguments(parser: argparse.ArgumentParser) -> None:
    """``--search`` and its budget flags."""
    defaults = SearchConfig()
    parser.add_argument(
        "--search",
        action="store_true",
        help="the blueprint re-solves the river (or --search-streets) as it plays "
        "(heads-up; README, 'Real-time search')",
    )
    parser.add_argument(
        "--search-streets",
        default=",".join(_STREET_NAMES[s] for s in defaults.streets),
        help="the streets searched, comma separated: flop (depth-limited), turn, river "
        f"(default {','.join(_STREET_NAMES[s] for s in defaults.streets)})",
    )
    parser.add_argument(
        "--search-flop-seconds",
        type=float,
        default=defaults.flop_seconds,
        help=f"time per flop search (default {defaults.flop_seconds:g})",
    )
    parser.add_argument(
        "--search-turn-depth-limited",
        action="store_true",
        help="turn searches stop at the river, leaves valued by the blueprint's continuation "
        "strategies on every river card (else the turn is solved to the end of the hand)",
    )
    parser.add_argument(
        "--search-flop-runouts",
        type=int,
        default=defaults.flop_runouts,
        help="runouts (turn and river cards) that value a flop search's leaves (default "
        f"{defaults.flop_runouts})",
    )
    parser.add_argument(
        "--search-seconds",
        type=float,
        default=defaults.seconds,
        help=f"time per search (default {defaults.seconds:g})",
    )
    parser.add_argument(
        "--search-iterations",
        type=int,
        default=defaults.max_iterations,
        help=f"iterations per search at most (default {defaults.max_iterations})",
    )
    parser.add_argument(
        "--search-accuracy",
        type=float,
        default=defaults.accuracy_pct,
        help=f"stop a search at this exploitability, %% of the pot (default "
        f"{defaults.accuracy_pct:g})",
    )
    parser.add_argument(
        "--search-sizes",
        type=Path,
        default=None,
        help="a YAML of the subgames' bet sizes (sizes, max_raises, allin_threshold; README, "
        "'Real-time search'), instead of the blueprint's",
    )
    parser.add_argument(
        "--search-range-mass",
        type=float,
        default=defaults.range_mass,
        help="keep in each subgame the heaviest combinations of both ranges that hold this share "
        f"of the range, and the bot's own hand (default {defaults.range_mass:g}: all)",
    )
    parser.add_argument(
        "--search-opponent-floor",
        type=float,
        default=defaults.opponent_floor,
        help="spread this share of the opponent's range over every hand, also those its model "
        f"(the blueprint) would not have played so (default {defaults.opponent_floor:g}; 0: off)",
    )
    parser.add_argument(
        "--search-play",
        choices=("average", "current"),
        default=defaults.play,
        help=f"play the search's average strategy or its last iterate (default {defaults.play})",
    )


def search_config(args: argparse.Namespace) -> SearchConfig | None:
    """The `SearchConfig` of the flags (None without ``--search``); a one-line ValueError
    naming the flag."""
    if not args.search:
        return None
    sizes = None
    if args.search_sizes is not None:
        try:
            sizes = load_bet_tree(args.search_sizes)
        except (ConfigError, OSError, ValueError) as error:
            raise ValueError(f"--search-sizes {error}") from None
    names = [name.strip() for name in args.search_streets.split(",") if name.strip()]
    unknown = [name for name in names if name not in _STREET_NAMES[1:]]
    if unknown or not names:
        raise ValueError(
            f"--search-streets {args.search_streets!r}: give some of flop, turn, river, comma "
            "separated"
        )
    try:
        return SearchConfig(
            streets=tuple(sorted(_STREET_NAMES.index(name) for name in set(names))),
            flop_seconds=args.search_flop_seconds,
            flop_runouts=args.search_flop_runouts,
            turn_depth_limited=args.search_turn_depth_limited,
            seconds=args.search_seconds,
            max_iterations=args.search_iterations,
            accuracy_pct=args.search_accuracy,
            play=args.search_play,
            sizes=sizes,
            range_mass=args.search_range_mass,
            opponent_floor=args.search_opponent_floor,
        )
    except ValueError as error:
        raise ValueError(f"--{str(error).replace(' ', '-', 1)}") from None
