"""How the blueprint averages its snapshots: variants of ONE run, by LBR and head-to-head; JSON.

    python benchmarks/measure_averaging.py --out benchmarks/results/averaging.json
    python benchmarks/measure_averaging.py --match-deals 50000 --lbr-from old.json --out new.json

The later streets of a blueprint are the mean of snapshots of the current strategy
(`holdem.training.averaging`). To compare ways of averaging without training noise, one run of
the ``make run`` game (configs/blueprint_hu_open.yaml, small buckets, 90 s on every core) is
trained once with a snapshot every 5 s (``holdem train --config configs/blueprint_hu_open.yaml
--logdir LOGDIR --num-workers 0 --snapshot-interval 5 --overwrite``; skipped when LOGDIR holds
a run), and each variant's blueprint is rebuilt from the same checkpoint and snapshots
(`holdem.training.averaging.rebuild_blueprint`): the variants differ in the averaging only
(their preflop, from the strategy sums, is the same).

Each variant is measured by LBR (``holdem lbr``, our action set and fold/call only: ``--bet-sizes
none --no-all-in``, same seed, so the same deals) and head-to-head, each variant against each
other in a duplicate match (``holdem eval``), every figure with its 95 % interval over deals.
LBR is the slow part: ``--lbr-from`` takes its figures from an earlier JSON of the same run.
The machine is shared, so the load average is recorded before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import emit, machine_info, run_holdem, source_version
from holdem.eval.intervals import mean_interval
from holdem.eval.lbr import run_lbr
from holdem.eval.lbr_model import Opponent
from holdem.training.averaging import rebuild_blueprint

ROOT = Path(__file__).resolve().parents[1]
VARIANTS: dict[str, tuple[float, str]] = {
    "equal_all": (0.0, "equal"),
    "equal_warmup25": (0.25, "equal"),
    "linear_all": (0.0, "linear"),
    "linear_warmup25": (0.25, "linear"),
}
"""Name: (warm-up as a share of the run's iterations, weights). The first is the baseline:
every snapshot counted equally, as before ``average.warmup``/``average.weights`` existed."""


def _summary(result: dict[str, Any], key: str = "mbb_per_hand") -> dict[str, Any]:
    figure = result[key]
    return {
        "mean": round(figure["mean"], 1),
        "ci95": [round(x, 1) for x in figure["ci95"]],
    }


def _lbr(blueprint: Path, args: argparse.Namespace, extra: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "lbr.json"
        command = ["lbr", str(blueprint), "--hands", str(args.lbr_deals), "--seed", str(args.seed)]
        command += ["--num-workers", str(args.num_workers), *extra, "--out", str(out)]
        seconds = run_holdem(*command)
        result = json.loads(out.read_text())
    return {
        "command": "holdem " + " ".join(command[:-2]),
        "wall_seconds": round(seconds, 1),
        "lbr_mbb_per_hand": _summary(result),
    }


def _match(policy: Path, opponent: Path, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "eval.json"
        command = ["eval", "--policy", str(policy), "--opponent", str(opponent)]
        command += ["--hands", str(args.match_deals), "--seed", str(args.seed)]
        command += ["--num-workers", str(args.num_workers), "--out", str(out)]
        seconds = run_holdem(*command)
        match = json.loads(out.read_text())["matches"][0]
    return {
        "policy": policy.name,
        "opponent": opponent.name,
        "mbb_per_hand": round(match["mbb_per_hand"], 1),
        "ci95": [round(x, 1) for x in match["mbb_per_hand_ci95"]],
        "deals": match["deals"],
        "command": "holdem " + " ".join(command[:-2]),
        "wall_seconds": round(seconds, 1),
    }


def _paired_lbr(first: Path, second: Path, args: argparse.Namespace) -> dict[str, Any]:
    """LBR against two variants on the same deals (our action set) for each seed of
    ``--paired-seeds``, and the per-deal difference of LBR's winnings (first minus second) with
    its 95 % interval, per seed and over all the deals: paired, so the deals' luck cancels
    where the two variants play alike."""
    label = f"{first.name}_minus_{second.name}"
    runs, differences = [], []
    for seed in (int(s) for s in args.paired_seeds.split(",")):
        results = [
            run_lbr(
                Opponent.load(str(path)), args.lbr_deals, seed=seed, num_workers=args.num_workers
            )
            for path in (first, second)
        ]
        scale = 1000 / results[0].config.big_blind
        per_deal = (results[0].seat_chips.mean(axis=1) - results[1].seat_chips.mean(axis=1)) * scale
        differences.append(per_deal)
        runs.append(
            {
                "seed": seed,
                "deals": results[0].deals,
                **{
                    path.name: _figure(result.mbb_per_hand())
                    for path, result in zip((first, second), results, strict=True)
                },
                label: _figure(mean_interval(per_deal)),
            }
        )
        print(json.dumps(runs[-1]), file=sys.stderr)
    return {
        "runs": runs,
        label + "_over_all_deals": _figure(mean_interval(np.concatenate(differences))),
    }


def _figure(interval: Any) -> dict[str, Any]:
    return {
        "mean": round(interval.mean, 1),
        "ci95": [round(interval.low, 1), round(interval.high, 1)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logdir", type=Path, default=ROOT / "runs" / "avg_hu_open")
    parser.add_argument("--lbr-deals", type=int, default=10_000)
    parser.add_argument("--match-deals", type=int, default=10_000)
    parser.add_argument(
        "--lbr-from", type=Path, default=None, help="reuse the LBR figures of an earlier JSON"
    )
    parser.add_argument(
        "--matches-from", type=Path, default=None, help="reuse the matches of an earlier JSON"
    )
    parser.add_argument(
        "--paired",
        default=None,
        help="two variants A,B: LBR on the same deals (--paired-seeds), per-deal difference",
    )
    parser.add_argument("--paired-seeds", default="0,1,2", help="seeds of the paired LBR runs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num-workers", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    train = ["train", "--config", "configs/blueprint_hu_open.yaml", "--logdir", str(args.logdir)]
    train += ["--num-workers", "0", "--snapshot-interval", "5", "--overwrite"]
    trained = None
    if not (args.logdir / "checkpoints").is_dir():
        trained = {"wall_seconds": round(run_holdem(*train), 1)}
    checkpoint = json.loads(
        sorted((args.logdir / "checkpoints").glob("iter_*"))[-1]
        .joinpath("manifest.json")
        .read_text()
    )
    earlier = json.loads(args.lbr_from.read_text()) if args.lbr_from else None
    if earlier is not None and earlier["run"]["iterations"] != checkpoint["iteration"]:
        raise SystemExit(f"{args.lbr_from} measured another run")
    variants: dict[str, Any] = {}
    paths: dict[str, Path] = {}
    for name, (warmup, weights) in VARIANTS.items():
        path = rebuild_blueprint(args.logdir, args.logdir / "variants" / name, warmup, weights)
        manifest = json.loads((path / "manifest.json").read_text())
        paths[name] = path
        variants[name] = {
            "warmup": f"{100 * warmup:g}%",
            "weights": weights,
            "snapshots_averaged": manifest["snapshots_averaged"],
        }
        if earlier is not None:
            for key in ("lbr", "lbr_fold_call"):
                variants[name][key] = earlier["variants"][name][key]
            continue
        variants[name]["lbr"] = _lbr(path, args, [])
        variants[name]["lbr_fold_call"] = _lbr(path, args, ["--bet-sizes", "none", "--no-all-in"])
        print(f"{name}: {json.dumps(variants[name]['lbr']['lbr_mbb_per_hand'])}", file=sys.stderr)
    names = list(VARIANTS)
    matches = []
    if args.matches_from is not None:
        reused = json.loads(args.matches_from.read_text())
        if reused["run"]["iterations"] != checkpoint["iteration"]:
            raise SystemExit(f"{args.matches_from} measured another run")
        matches, match_deals = reused["head_to_head"], reused["match_deals"]
    else:
        match_deals = args.match_deals
        for i, policy in enumerate(names):
            for opponent in names[:i]:
                matches.append(_match(paths[policy], paths[opponent], args))
                print(json.dumps(matches[-1]), file=sys.stderr)
    paired = None
    if args.paired is not None:
        first, second = args.paired.split(",")
        paired = _paired_lbr(paths[first], paths[second], args)
    record = {
        "benchmark": "averaging",
        "machine": machine_info(),
        "source": source_version(),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "run": {
            "logdir": str(args.logdir),
            "command": "holdem " + " ".join(train),
            "trained_here": trained,
            "iterations": checkpoint["iteration"],
            "seconds": round(checkpoint["seconds"], 1),
            "snapshots": len(checkpoint["snapshots"]),
        },
        "lbr_deals": args.lbr_deals if earlier is None else earlier["lbr_deals"],
        "lbr_from": str(args.lbr_from) if args.lbr_from else None,
        "match_deals": match_deals,
        "matches_from": str(args.matches_from) if args.matches_from else None,
        "note": (
            "LBR: LBR's winnings in mbb/hand against the variant (lower is better); each deal "
            "is played in both seats. Head-to-head: the policy's winnings against the opponent "
            "(duplicate deals). All intervals 95 % over deals."
        ),
        "variants": variants,
        "head_to_head": matches,
        "paired_lbr": paired,
    }
    emit(record, args.out)


if __name__ == "__main__":
    main()
