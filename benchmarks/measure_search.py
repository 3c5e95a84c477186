"""Real-time search measured as the published LBR table measured bots; JSON, resumable.

    python benchmarks/measure_search.py --blueprint runs/hunl_200bb/blueprint \
        --out benchmarks/results/search_200bb.json --hours 3

For the heads-up blueprint given (the 200 bb game of configs/hunl_200bb.yaml, as the LBR paper's
table) and the same blueprint searching as it plays (`holdem.search.search_policy.SearchPolicy`,
``--search-seconds`` per search on every core, on the ``--streets`` given; a flop search is
depth-limited, ``--flop-seconds``):

- ``lbr_blueprint``: local best response (`holdem.eval.lbr.run_lbr`) against the blueprint
  alone with each action set of the table (``FC/FC/FC/FC``, ``C/C/FCPA/FCPA``,
  ``C/C/56bets/56bets`` and ours, ``FCPA/FCPA/FCPA/FCPA``), on every core;
- ``lbr_search``: the same against the searching bot (the sets of ``--action-sets``; `GROWN`
  by default), in batches of ``--batch`` deals on one
  process (the searches use the cores), each batch with its own seed; each batch is also
  played against the blueprint alone on the same deals with the same random numbers
  (``blueprint_per_deal_chips``), so ``paired`` gives what search changes (``difference``) and
  LBR's winnings against search less half those against the blueprint (``less_half``, the
  goal "at most half" holds at 95% when its interval is below zero), each with the narrower
  interval of a paired comparison;
- ``head_to_head``: the searching bot against its own blueprint over duplicate deals, in
  batches;
- ``searches``: every subgame solved (street, size, iterations, seconds, exploitability, whether
  it was played), and per street the median, 95th percentile and largest time per search.

Each batch lands in ``--out`` as soon as it ends and a run with the same ``--out`` goes on from
there, so a measurement longer than a session is never lost; ``--hours`` bounds this run's
wall time (the batch in progress finishes). Each batch records the commit that played it. The
published figures are recorded beside ours.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import machine_info, source_version
from holdem.eval.blueprint_agent import BlueprintAgent
from holdem.eval.intervals import mean_interval
from holdem.eval.lbr import ActionSet, run_lbr
from holdem.eval.lbr_model import Opponent
from holdem.eval.match import MatchConfig, play_match
from holdem.rules.state import Street
from holdem.search.search_policy import SearchConfig, SearchPolicy
from holdem.storage.atomic import write_text

STREET_NAMES = tuple(street.name.lower() for street in Street)
ACTION_SETS = ("FC/FC/FC/FC", "C/C/FCPA/FCPA", "C/C/56bets/56bets", "FCPA/FCPA/FCPA/FCPA")
GROWN = ("FC/FC/FC/FC", "C/C/FCPA/FCPA", "FCPA/FCPA/FCPA/FCPA")
"""The rows against the searching bot grown by default: ``56bets`` asks the searching bot's
answer to each of its 56 sizes, a subgame each, so its row is grown only when asked."""
PUBLISHED = {
    "unit": "mbb per game, LBR's winnings with FC/FC/FC/FC, C/C/FCPA/FCPA, C/C/56bets/56bets",
    "source": "M. Moravcik et al., DeepStack, Science 356(6337), 2017, supplement table 3 (from "
    "V. Lisy and M. Bowling, arXiv:1612.07547)",
    "Hyperborean 2014": [721, 3852, 4675],
    "Slumbot 2016": [522, 4020, 3763],
    "Act1 2016": [407, 2597, 3302],
    "DeepStack": [-428, -383, -775],
}


def _mbb(per_deal_chips: np.ndarray, big_blind: int) -> dict[str, Any]:
    """The mean per hand over deals (each the mean of its two hands) in mbb, 95% interval."""
    interval = mean_interval(per_deal_chips, 0.95).scaled(1000 / big_blind)
    low, high = interval.mean - interval.half_width, interval.mean + interval.half_width
    return {"mean": interval.mean, "ci95": [low, high], "deals": int(per_deal_chips.size)}


def _paired(batches: list[dict[str, Any]], big_blind: int) -> dict[str, Any] | None:
    """Per deal, LBR's winnings against search less those against the blueprint (and less half
    of them), over the batches played against both on the same deals."""
    both = [b for b in batches if "blueprint_per_deal_chips" in b]
    if not both:
        return None
    searched = np.concatenate([np.asarray(b["per_deal_chips"], float) for b in both])
    alone = np.concatenate([np.asarray(b["blueprint_per_deal_chips"], float) for b in both])
    return {
        "search": _mbb(searched, big_blind),
        "blueprint": _mbb(alone, big_blind),
        "difference": _mbb(searched - alone, big_blind),
        "less_half": _mbb(searched - alone / 2, big_blind),
    }


def _quantiles(values: list[float]) -> dict[str, float]:
    data = np.asarray(values, np.float64)
    return {
        "count": int(data.size),
        "median": float(np.median(data)),
        "p95": float(np.percentile(data, 95)),
        "max": float(data.max()),
    }


class Record:
    """The JSON file, saved atomically after every change."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path = path
        self.data: dict[str, Any] = json.loads(path.read_text()) if path.is_file() else {}
        for key, value in header.items():
            if key in self.data and key != "machine" and self.data[key] != value:
                raise SystemExit(f"{path}: {key} differs from this run's; use another --out")
            self.data.setdefault(key, value)
        self.save()

    def save(self) -> None:
        write_text(self.path, json.dumps(self.data, indent=1) + "\n")


def _search_summary(record: dict[str, Any]) -> None:
    solves = record.get("searches", [])
    by_street: dict[str, Any] = {}
    for name, street in (("flop", 1), ("turn", 2), ("river", 3)):
        times = [s["seconds"] for s in solves if s["street"] == street]
        if times:
            by_street[name] = {
                **_quantiles(times),
                "played": sum(s["trusted"] for s in solves if s["street"] == street),
            }
    record["search_seconds"] = by_street


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprint", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hours", type=float, default=3.0, help="wall time of this run")
    parser.add_argument("--search-seconds", type=float, default=1.0)
    parser.add_argument(
        "--streets",
        default=",".join(STREET_NAMES[s] for s in SearchConfig().streets),
        help="streets searched: flop (depth-limited), turn, river (default: the search's)",
    )
    parser.add_argument("--flop-seconds", type=float, default=SearchConfig().flop_seconds)
    parser.add_argument(
        "--range-mass",
        type=float,
        default=SearchConfig().range_mass,
        help="share of each range a subgame keeps, its heaviest combinations (default: all)",
    )
    parser.add_argument(
        "--opponent-floor",
        type=float,
        default=SearchConfig().opponent_floor,
        help="share of the opponent's range spread over every hand (default: the search's, "
        f"{SearchConfig().opponent_floor:g}; 0: off)",
    )
    parser.add_argument("--blueprint-deals", type=int, default=5000)
    parser.add_argument("--search-deals", type=int, default=300, help="per action set")
    parser.add_argument("--h2h-deals", type=int, default=300)
    parser.add_argument("--batch", type=int, default=25, help="deals per saved batch")
    parser.add_argument(
        "--action-sets",
        default=",".join(GROWN),
        help="the LBR rows against the searching bot to grow, comma separated (default: all "
        "but C/C/56bets/56bets)",
    )
    args = parser.parse_args()
    grown = args.action_sets.split(",")
    unknown = sorted(set(grown) - set(ACTION_SETS))
    if unknown:
        parser.error(f"--action-sets: {', '.join(unknown)} is not one of {', '.join(ACTION_SETS)}")
    deadline = time.monotonic() + 3600 * args.hours
    # each batch names the code that played it: a run resumed after a change of the solver
    # mixes batches of two versions, and the file says which
    commit = source_version()["commit"]
    streets = tuple(sorted(STREET_NAMES.index(name) for name in args.streets.split(",")))
    config = SearchConfig(
        seconds=args.search_seconds,
        streets=streets,
        flop_seconds=args.flop_seconds,
        range_mass=args.range_mass,
        opponent_floor=args.opponent_floor,
    )
    blueprint_opponent = Opponent.load(str(args.blueprint))
    table = blueprint_opponent.table
    big_blind = int(table.big_blind)
    record = Record(
        args.out,
        {
            "blueprint": str(args.blueprint),
            "blueprint_detail": blueprint_opponent.description,
            "search": {
                "seconds": config.seconds,
                "flop_seconds": config.flop_seconds,
                "flop_runouts": config.flop_runouts,
                "range_mass": config.range_mass,
                # only when above 0, so that the files measured before the option resume (with 0)
                **({"opponent_floor": config.opponent_floor} if config.opponent_floor else {}),
                "detail": config.describe(),
            },
            "machine": machine_info(),
            "published": PUBLISHED,
        },
    )
    data = record.data
    # LBR against the blueprint alone: fast, every core, one run per action set
    lbr_blueprint = data.setdefault("lbr_blueprint", {})
    for name in ACTION_SETS:
        if name in lbr_blueprint or not args.blueprint_deals:
            continue
        started = time.perf_counter()
        result = run_lbr(blueprint_opponent, args.blueprint_deals, ActionSet.parse(name), 0, 0)
        lbr_blueprint[name] = {
            **_mbb(result.seat_chips.mean(axis=1), big_blind),
            "seconds": time.perf_counter() - started,
        }
        record.save()
        print(f"LBR {name} against the blueprint: {lbr_blueprint[name]['mean']:+.0f} mbb/hand")
    searching = Opponent.load(str(args.blueprint), config)
    policy = searching.policy
    assert isinstance(policy, SearchPolicy)
    searches: list[dict[str, Any]] = data.setdefault("searches", [])
    lbr_search = data.setdefault("lbr_search", {})
    h2h = data.setdefault("head_to_head", {"batches": []})
    blueprint_agent = BlueprintAgent(str(args.blueprint), policy.blueprint)
    searching_agent = BlueprintAgent(str(args.blueprint), policy.blueprint, config)
    match = MatchConfig(2, int(table.small_blind), big_blind, int(table.stacks[0]))
    while time.monotonic() < deadline:
        # the item with the fewest deals so far goes next, so every one grows together
        items = [(name, lbr_search.setdefault(name, {"batches": []})) for name in ACTION_SETS]
        items.append(("head_to_head", h2h))
        # a row not grown this run keeps the deals it has
        targets = {name: args.search_deals if name in grown else 0 for name in ACTION_SETS} | {
            "head_to_head": args.h2h_deals
        }
        pending = [
            (sum(b["deals"] for b in item["batches"]), name, item)
            for name, item in items
            if sum(b["deals"] for b in item["batches"]) < targets[name]
        ]
        if not pending:
            break
        _, name, item = min(pending, key=lambda p: p[0])
        seed = 1000 + len(item["batches"])
        solves = searching_agent.searcher.solves if name == "head_to_head" else policy.solves
        before = len(solves)
        started = time.perf_counter()
        if name == "head_to_head":
            result = play_match(searching_agent, blueprint_agent, args.batch, match, seed, 1)
            chips = result.unit_chips.astype(float).tolist()
        else:
            actions = ActionSet.parse(name)
            lbr = run_lbr(searching, args.batch, actions, seed, 1)
            chips = lbr.seat_chips.mean(axis=1).tolist()
        batch = {
            "seed": seed,
            "deals": args.batch,
            "per_deal_chips": chips,
            "seconds": time.perf_counter() - started,
            "commit": commit,
        }
        if name != "head_to_head":
            alone = run_lbr(blueprint_opponent, args.batch, actions, seed, 1)
            batch["blueprint_per_deal_chips"] = alone.seat_chips.mean(axis=1).tolist()
        item["batches"].append(batch)
        every = np.concatenate([np.asarray(b["per_deal_chips"]) for b in item["batches"]])
        divisor = 2 if name == "head_to_head" else 1  # a duplicate unit is two hands
        item["summary"] = _mbb(every / divisor, big_blind)
        paired = _paired(item["batches"], big_blind)  # None for head to head: no such batches
        if paired:
            item["paired"] = paired
        searches.extend(solves[before:])
        _search_summary(data)
        data["load_average"] = os.getloadavg()[0]
        record.save()
        print(
            f"{name}: {item['summary']['deals']} deals, {item['summary']['mean']:+.0f} mbb/hand "
            f"[{item['summary']['ci95'][0]:+.0f}, {item['summary']['ci95'][1]:+.0f}]",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
