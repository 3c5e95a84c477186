"""Match speed: duplicate hands per second under the rules engine, one core and every core; JSON.

    python benchmarks/bench_eval.py          # 100,000 deals (200,000 hands) of tag vs random
    python benchmarks/bench_eval.py --deals 20000 --pairs 'call,random;tag,tag'

Three parts:

- ``single_core``: each pair of baselines for ``--single-deals`` deals in this process (no
  workers), timed by this process's CPU time so other jobs on a shared machine do not count;
  hands and actions per second, and microseconds per action;
- ``profile``: where the time of one pair goes (cProfile): the share spent in the rules engine
  (``holdem/rules``), in the agents (``holdem/eval`` less the match loop) and elsewhere;
- ``full``: the headline, ``--deals`` duplicate deals (each played twice, seats swapped, so
  twice as many hands) of each of ``--pairs`` on every core (``num_workers=0``), timed by the
  wall clock from the call to the result, worker start-up included, beside the workers' CPU
  time, with the result and its interval. The default pairs are a typical one (tag against
  random) and the slowest of the one-core table (raise-pot against call: ten actions a hand).

The load average before and after is recorded: the team's machine is shared, and a busy machine
shows in the wall-clock figures.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import time

from bench_common import machine_info
from holdem.eval.match import CHUNK_UNITS, MatchConfig, play_match
from holdem.eval.registry import make_agent

PAIRS = (
    ("random", "random"),
    ("call", "call"),
    ("raise-pot", "call"),
    ("tag", "random"),
    ("tag", "tag"),
)


def _single_core(deals: int) -> list[dict]:
    rows = []
    for hero, opponent in PAIRS:
        play_match(make_agent(hero), make_agent(opponent), 2, seed=1)  # warm the evaluator
        start = time.process_time()
        result = play_match(make_agent(hero), make_agent(opponent), deals, seed=1)
        cpu = time.process_time() - start
        rows.append(
            {
                "pair": f"{hero} vs {opponent}",
                "deals": deals,
                "hands": result.hands,
                "actions_per_hand": round(result.actions / result.hands, 3),
                "cpu_seconds": round(cpu, 3),
                "hands_per_second": round(result.hands / cpu),
                "microseconds_per_action": round(1e6 * cpu / max(1, result.actions), 2),
            }
        )
    return rows


def _profile(hero: str, opponent: str, deals: int) -> dict:
    profiler = cProfile.Profile()
    profiler.enable()
    play_match(make_agent(hero), make_agent(opponent), deals, seed=2)
    profiler.disable()
    stats = pstats.Stats(profiler)
    shares = {"rules": 0.0, "agents": 0.0, "match_loop": 0.0, "other": 0.0}
    total = 0.0
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        total += own
        path = filename.replace(os.sep, "/")
        if "holdem/rules/" in path:
            shares["rules"] += own
        elif "holdem/eval/match" in path:
            shares["match_loop"] += own
        elif "holdem/eval/" in path:
            shares["agents"] += own
        else:
            shares["other"] += own  # numpy, the evaluator's dispatch, dataclasses, builtins
    return {
        "pair": f"{hero} vs {opponent}",
        "deals": deals,
        "share_of_own_time": {k: round(v / total, 3) for k, v in shares.items()},
    }


def _full(hero: str, opponent: str, deals: int) -> dict:
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = play_match(
        make_agent(hero), make_agent(opponent), deals, MatchConfig(), seed=0, num_workers=0
    )
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (children.ru_utime + children.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    mbb = result.mbb_per_hand()
    return {
        "pair": f"{hero} vs {opponent}",
        "deals": deals,
        "hands": result.hands,
        "hands_counted_as": "each deal played twice (seats swapped): hands = 2 x deals",
        "workers": result.workers,
        "wall_seconds": round(wall, 2),
        "hands_per_second": round(result.hands / wall),
        "deals_per_second": round(deals / wall),
        "within_2_minutes": wall <= 120,
        "worker_cpu_seconds": round(worker_cpu, 2),
        "mbb_per_hand": round(mbb.mean, 2),
        "mbb_per_hand_ci95": [round(mbb.low, 2), round(mbb.high, 2)],
        "chunk_units": CHUNK_UNITS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deals", type=int, default=100_000, help="deals of the full run")
    parser.add_argument(
        "--pairs",
        default="tag,random;raise-pot,call",
        help="policy,opponent pairs of the full run, separated by ';'",
    )
    parser.add_argument("--single-deals", type=int, default=3000, help="deals per one-core pair")
    args = parser.parse_args()
    pairs = [tuple(pair.split(",")) for pair in args.pairs.split(";")]
    load_before = os.getloadavg()
    report = {
        "benchmark": "eval",
        "machine": machine_info(),
        "single_core": _single_core(args.single_deals),
        "profile": _profile(*pairs[0], args.single_deals),
        "full": [_full(hero, opponent, args.deals) for hero, opponent in pairs],
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
