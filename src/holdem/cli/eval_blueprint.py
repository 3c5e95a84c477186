"""Evaluate a policy: duplicate matches against baselines or other policies, on every core.

python -m holdem.cli.eval_blueprint --policy tag --opponent random --opponent call --hands 20000
holdem eval --policy runs/hu_open/blueprint --opponent tag --opponent raise-pot \\
    --hands 100000 --out eval.json

--policy and each --opponent are a baseline (random, call, raise-pot, fold, tag) or the path of
a blueprint, snapshot or checkpoint. --hands counts deals: with --duplicate (the default) each
deal is played once per seat with the seats swapped round, so heads-up 100,000 deals are 200,000
hands; with --no-duplicate each deal is one hand, the policy's seat rotating. Results are milli
big blinds per hand and big blinds per 100 hands won by the policy, with 95 % confidence
intervals over independent deals; the same --seed gives the same numbers on any --num-workers.
Ctrl-C or SIGTERM stops the run (code 130) once the workers' current chunks finish, leaving no
worker process behind.

holdem eval --policy runs/hu_open --opponent tag --hands 1000 --log hands.txt

--log FILE appends every hand played to FILE in the PokerStars hand-history format, or as ACPC
dealer STATE lines with --log-format acpc (the same file on any --num-workers; players are named
after the policies, a path's slashes as underscores).
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

from holdem.cli.errors import print_error
from holdem.cli.help_text import HelpParser
from holdem.cli.interruptible import deal_progress, sigterm_interrupts, stopped
from holdem.cli.log_flags import add_log_arguments, open_log
from holdem.cli.outputs import check_output
from holdem.cli.search_flags import add_search_arguments, search_config
from holdem.eval.agents import Agent
from holdem.eval.blueprint_agent import BlueprintAgent
from holdem.eval.chunk_pool import WorkerDiedError, resolve_workers
from holdem.eval.match import MatchConfig, MatchResult, play_matches
from holdem.eval.registry import BASELINES, baseline_name, make_agent
from holdem.histories.hand_log import HandLog
from holdem.rules.table import MAX_SEATS, MIN_SEATS
from holdem.search.search_policy import SearchConfig
from holdem.storage.atomic import write_text

RESULT_FORMAT = "holdem-eval"
FORMAT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = ", ".join(BASELINES)
    parser.add_argument(
        "--policy", required=True, help=f"the policy to evaluate: a baseline ({names}) or a path"
    )
    parser.add_argument(
        "--opponent",
        action="append",
        required=True,
        help="an opponent, baseline name or policy path (repeat the flag for several)",
    )
    parser.add_argument(
        "--hands",
        type=int,
        default=10_000,
        help="deals per opponent (with --duplicate each is played once per seat)",
    )
    parser.add_argument(
        "--duplicate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="play each deal once per seat, seats swapped (default: on)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--num-workers", type=int, default=0, help="worker processes (0, the default: every core)"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    parser.add_argument(
        "--players",
        type=int,
        default=None,
        help="seats at the table, 2 to 6 (default: the blueprint's, else 2)",
    )
    parser.add_argument("--small-blind", type=int, default=50, help="small blind in chips")
    parser.add_argument("--big-blind", type=int, default=100, help="big blind in chips")
    parser.add_argument("--ante", type=int, default=0, help="ante in chips (default 0)")
    add_search_arguments(parser)
    parser.add_argument(
        "--search-side",
        choices=("policy", "opponents", "both"),
        default="policy",
        help="with --search, which blueprints search: the policy's (default), the opponents' or "
        "both (baselines never do; searches use every core, so give --num-workers 1)",
    )
    parser.add_argument(
        "--stack-bb",
        type=float,
        default=None,
        help="starting stack in big blinds (default: the blueprint's, else 100)",
    )
    add_log_arguments(parser)


def _table_defaults(args: argparse.Namespace, agents: list[Agent]) -> tuple[int, float]:
    """Seats and stack (big blinds): the flags, else the first blueprint's game, else 2 and 100.

    Every blueprint must have as many seats as the table.
    """
    blueprints = [a for a in agents if isinstance(a, BlueprintAgent)]
    players = args.players
    stack_bb = args.stack_bb
    if blueprints:
        players = blueprints[0].n_players if players is None else players
        stack_bb = blueprints[0].stack_bb if stack_bb is None else stack_bb
    players = 2 if players is None else players
    for agent in blueprints:
        if agent.n_players != players:
            raise ValueError(
                f"{agent.name} plays {agent.n_players} seats but the table has {players}: give "
                f"--players {agent.n_players}, or a policy trained for {players} seats"
            )
    return players, 100.0 if stack_bb is None else stack_bb


def _check_stakes(args: argparse.Namespace) -> None:
    """The table's flags, each named when it is wrong (before the rules engine sees them)."""
    if args.players is not None and not MIN_SEATS <= args.players <= MAX_SEATS:
        raise ValueError(
            f"--players must be from {MIN_SEATS} to {MAX_SEATS} seats, got {args.players}"
        )
    if args.big_blind < 1:
        raise ValueError(f"--big-blind must be 1 chip or more, got {args.big_blind}")
    if not 1 <= args.small_blind <= args.big_blind:
        raise ValueError(
            f"--small-blind must be from 1 chip to the big blind ({args.big_blind}), got "
            f"{args.small_blind}"
        )
    if args.ante < 0:
        raise ValueError(f"--ante must be 0 chips or more, got {args.ante}")


def game_warnings(agents: list[Agent], config: MatchConfig) -> list[str]:
    """One line per blueprint trained for another game than the table's: another stack or
    ante, in big blinds. It still plays, reading bets as pot fractions, but off the game it
    learned, so a 100 bb blueprint against a 10 bb one is worth saying."""
    stack_bb = config.stack / config.big_blind
    ante_bb = config.ante / config.big_blind
    lines = []
    for agent in agents:
        if not isinstance(agent, BlueprintAgent):
            continue
        if abs(agent.stack_bb - stack_bb) > 1e-9:
            lines.append(
                f"{agent.name} was trained with stacks of {agent.stack_bb:g} big blinds but "
                f"the table plays {stack_bb:g} (set --stack-bb to choose the table's)"
            )
        spec = agent.blueprint.tree.spec
        trained_ante = spec.ante / max(spec.blinds)
        if abs(trained_ante - ante_bb) > 1e-9:
            lines.append(
                f"{agent.name} was trained with an ante of {trained_ante:g} big blinds but the "
                f"table's is {ante_bb:g} (set --ante to choose the table's, in chips)"
            )
    return lines


def prepare(args: argparse.Namespace) -> tuple[MatchConfig, Agent, list[Agent], int]:
    """Every argument checked and every agent loaded, before any hand; ValueError says what."""
    if args.hands < 1:
        raise ValueError(f"--hands must be 1 or more, got {args.hands}")
    if args.seed < 0:
        raise ValueError(f"--seed must be 0 or more, got {args.seed}")
    if args.num_workers < 0:
        raise ValueError(f"--num-workers must be 0 (every core) or more, got {args.num_workers}")
    if args.stack_bb is not None and not args.stack_bb > 0:
        raise ValueError(
            f"--stack-bb must be a positive number of big blinds, got {args.stack_bb:g}"
        )
    _check_stakes(args)
    if args.out is not None:
        check_output(args.out, example="eval.json")
    search = search_config(args)

    def searching(spec: str, side: str) -> SearchConfig | None:
        wanted = args.search_side in (side, "both")
        return search if wanted and baseline_name(spec) is None else None

    sides = [(args.policy, "policy")] + [(spec, "opponents") for spec in args.opponent]
    if search is not None and not any(searching(spec, side) for spec, side in sides):
        raise ValueError(f"--search --search-side {args.search_side}: no blueprint on that side")
    policy, *opponents = [make_agent(spec, searching(spec, side)) for spec, side in sides]
    players, stack_bb = _table_defaults(args, [policy, *opponents])
    chips = stack_bb * args.big_blind
    if chips != int(chips):
        raise ValueError(
            f"a stack of {stack_bb:g} big blinds of {args.big_blind} chips is not a whole number "
            "of chips: change --stack-bb or --big-blind"
        )
    try:
        config = MatchConfig(
            n_seats=players,
            small_blind=args.small_blind,
            big_blind=args.big_blind,
            stack=int(chips),
            ante=args.ante,
            duplicate=args.duplicate,
        )
    except ValueError as error:
        raise ValueError(f"table: {error}") from None
    units = config.units_for(args.hands)
    if units < 2:
        raise ValueError(f"--hands {args.hands} is too few: an interval needs at least 2 units")
    return config, policy, opponents, resolve_workers(args.num_workers)


def _table(results: list[MatchResult], console: Console) -> None:
    table = Table(title=f"{results[0].policy}: mbb/hand and bb/100 won (± 95 % interval)")
    for column in ("opponent", "hands", "mbb/hand", "bb/100", "hands/s"):
        left = column == "opponent"
        table.add_column(column, justify="left" if left else "right", overflow="fold")
    for result in results:
        mbb, bb100 = result.mbb_per_hand(), result.bb_per_100()
        table.add_row(
            result.opponent,
            f"{result.hands:,}",
            f"{mbb.mean:+.1f} ± {mbb.half_width:.1f}",
            f"{bb100.mean:+.2f} ± {bb100.half_width:.2f}",
            f"{result.hands / result.seconds:,.0f}",
        )
    console.print(table)


def result_document(
    results: list[MatchResult], args: argparse.Namespace, workers: int
) -> dict[str, Any]:
    """The JSON a run writes with --out: settings, then one entry per opponent."""
    first = results[0]
    return {
        "format": RESULT_FORMAT,
        "format_version": FORMAT_VERSION,
        "policy": first.policy,
        "deals_note": "--hands counts deals; with duplicate each deal is played once per seat",
        "deals": args.hands,
        "seed": args.seed,
        "num_workers": workers,
        "table": first.config.to_dict(),
        "matches": [r.to_dict() for r in results],
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        config, policy, opponents, workers = prepare(args)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    for line in game_warnings([policy, *opponents], config):
        console.print(f"warning: {line}", soft_wrap=True, highlight=False, markup=False)
    try:
        log = open_log(args, config.ante, "holdem eval")
    except ValueError as error:
        print_error(console, error)
        return 2
    try:
        with sigterm_interrupts():
            return _play(args, console, config, policy, opponents, workers, log)
    finally:
        if log is not None:
            log.close()
            console.print(f"{log.hands:,} hands appended to {log.path}", soft_wrap=True)


def _play(
    args: argparse.Namespace,
    console: Console,
    config: MatchConfig,
    policy: Agent,
    opponents: list[Agent],
    workers: int,
    log: HandLog | None,
) -> int:
    """The matches with a progress bar, then the table and the file."""
    try:
        with deal_progress(console) as progress:
            units = config.units_for(args.hands)
            tasks = [
                progress.add_task(f"{policy.name} vs {opponent.name}", total=units)
                for opponent in opponents
            ]

            def advance(k: int, done: int) -> None:
                progress.advance(tasks[k], done)

            results = play_matches(
                policy,
                opponents,
                args.hands,
                config,
                seed=args.seed,
                num_workers=workers,
                on_progress=advance,
                log=log,
            )
    except KeyboardInterrupt as stop:
        return stopped(stop, console)
    except ValueError as error:  # e.g. a policy file that fails when a worker loads it
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    except WorkerDiedError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 1
    _table(results, console)
    if args.out is not None:
        write_text(args.out, json.dumps(result_document(results, args, workers), indent=2) + "\n")
        console.print(f"wrote {args.out}", soft_wrap=True)
    return 0


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.eval_blueprint", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
