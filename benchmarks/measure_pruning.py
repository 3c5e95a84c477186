"""Negative-regret pruning: exploitability and speed with and without it, on Leduc and push/fold.

    python benchmarks/measure_pruning.py                     # both parts (about 14 minutes)
    python benchmarks/measure_pruning.py --part leduc        # Leduc only (about 3.5 minutes)
    python benchmarks/measure_pruning.py --out benchmarks/results/pruning.json

Leduc (`holdem.cfr.mccfr.ExternalSamplingSolver`, 300,000 iterations, seeds 0, 1, 2): no
pruning against pruning after ``start`` iterations (probability 0.95) below thresholds of -50,
-200, -1,000 and -5,000 chips, each with a floor at 1.033x (Pluribus's 310/300) and 1.5x the
threshold, starting after 1,000 or 30,000 iterations; float32 regrets, and int32 regrets stored
as 1,000 times chips (threshold and floor scaled the same); the solver's default "opponent"
averaging, and a few with Pluribus's "sampled" averaging (the trainer's). A floor of -3e38
stands for no floor (MCCFROptions refuses pruning without one), to show what the floor is for.

Push/fold at 10 big blinds (the blueprint `Trainer` on configs/pushfold_10bb.yaml with
lossless-preflop buckets and the schedule of configs/blueprint_pushfold_10bb.yaml: int32
regrets at scale 10, discounting every 100,000 iterations, sampled averaging; 5,000,000
iterations, seeds 0, 1, 2): no pruning against a few threshold/floor pairs; exploitability is
exact (big blinds per hand, `holdem.training.exact.exact_evaluator`). Only the small blind's
all-in can be pruned there (pruning skips actions that end the hand).

What is reproducible bit for bit (seeded iteration counts): exploitability, pruned actions,
nodes per iteration (``stats.nodes``: every node the traversals enter, the work pruning saves).
Seconds are this process's CPU time (``time.process_time``) on a machine others share, so the
load average is recorded with each run, and speed is compared in a separate pass that
alternates the configurations over several rounds and keeps each one's fastest round.

Also measured, to explain the results: how negative the regrets of actions that the average
strategy plays (probability >= 5 %) get without pruning; a threshold above that prunes actions
of the equilibrium. Thresholds are given in big blinds times the regret scale (Leduc's ante of
1 chip stands for the big blind), the unit in which they carry over to Hold'em: stored = bb *
big blind in chips * scale (Pluribus: -300,000,000 at blinds 50/100, scale 1, is -3,000,000).
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import measure_parts
from holdem.abstraction.betting_tree import DECISION, RAISE
from holdem.cfr.best_response import exploitability
from holdem.cfr.game import SolverGame, load_game
from holdem.cfr.mccfr import (
    NODES,
    PRUNED_ACTIONS,
    PRUNED_TRAVERSALS,
    ExternalSamplingSolver,
    MCCFROptions,
    MCCFRState,
    run_iterations,
)
from holdem.cfr.schedules import LinearDiscount, PruneSchedule

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (0, 1, 2)
NO_FLOOR = -3e38  # below any regret float32 reaches here: pruning with, in effect, no floor
PLAYED = 0.05  # an action the average strategy plays at least this often
TIMING_ROUNDS = 5

LEDUC_ITERATIONS = 300_000
LEDUC_CHECKPOINTS = (10_000, 30_000, 100_000, 200_000, 250_000, 300_000)
LEDUC_THRESHOLDS = (-50.0, -200.0, -1000.0, -5000.0)  # chips
LEDUC_FLOOR_RATIOS = (31 / 30, 1.5)
LEDUC_STARTS = (1000, 30_000)
LEDUC_INT_SCALE = 1000.0
# With the sampled averaging (start 1000): (threshold in chips, floor ratio; None: no floor).
LEDUC_SAMPLED = (
    (-200.0, None),
    (-50.0, 31 / 30),
    (-200.0, 31 / 30),
    (-200.0, 1.5),
    (-1000.0, 31 / 30),
    (-5000.0, 31 / 30),
)
LEDUC_TIMED = ((-200.0, None), (-200.0, 31 / 30), (-1000.0, 31 / 30), (-5000.0, 31 / 30))

PF_ITERATIONS = 5_000_000
PF_BB_CHIPS = 100
PF_SCALE = 10.0
PF_DISCOUNT = (100_000, 10_000_000)
# (threshold in big blinds of regret, floor ratio, start in iterations); stored = bb * 100 * 10
PF_PRUNES = (
    (-30.0, 31 / 30, 50_000),
    (-300.0, 31 / 30, 50_000),
    (-300.0, 1.5, 50_000),
    (-1000.0, 31 / 30, 50_000),
    (-3000.0, 31 / 30, 50_000),
    (-3000.0, 1.5, 50_000),
    (-300.0, 31 / 30, 500_000),
    (-3000.0, 31 / 30, 500_000),
)
PF_TIMING_ITERATIONS = 1_000_000
PF_TIMED = ((-300.0, 1.5, 50_000), (-3000.0, 31 / 30, 50_000))


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _loglog(curve: dict[int, float], at: float) -> float:
    """``curve`` (iteration -> exploitability) interpolated at ``at`` on log-log axes."""
    xs = sorted(curve)
    at = min(max(at, xs[0]), xs[-1])
    for lo, hi in itertools.pairwise(xs):
        if lo <= at <= hi:
            w = (np.log(at) - np.log(lo)) / (np.log(hi) - np.log(lo))
            return float(np.exp((1 - w) * np.log(curve[lo]) + w * np.log(curve[hi])))
    return curve[xs[-1]]


def _summary(runs: list[dict[str, Any]], name: str, baseline: dict[str, Any] | None) -> dict:
    finals = [r["final_exploitability"] for r in runs]
    iterations = sum(r["iterations"] for r in runs)
    nodes = sum(r["nodes"] for r in runs)
    out: dict[str, Any] = {
        "config": name,
        "final_exploitability": {
            "mean": statistics.fmean(finals),
            "min": min(finals),
            "max": max(finals),
            "per_seed": finals,
        },
        "pruned_actions_mean": statistics.fmean(r["pruned_actions"] for r in runs),
        "pruned_traversals_mean": statistics.fmean(r["pruned_traversals"] for r in runs),
        "nodes_per_iteration": nodes / iterations,
        "iterations_per_cpu_second": iterations / sum(r["cpu_seconds"] for r in runs),
    }
    if baseline is not None:
        ratio = out["nodes_per_iteration"] / baseline["nodes"]
        out["vs_no_pruning"] = {
            "exploitability_ratio": out["final_exploitability"]["mean"] / baseline["expl"],
            "nodes_per_iteration_ratio": ratio,
        }
        if baseline.get("curve"):
            # What no pruning reaches with the same number of nodes (the same work).
            same = _loglog(baseline["curve"], ratio * runs[0]["iterations"])
            out["vs_no_pruning"]["no_pruning_at_same_nodes"] = same
            out["vs_no_pruning"]["exploitability_ratio_at_same_nodes"] = (
                out["final_exploitability"]["mean"] / same
            )
    return out


def _baseline(summary: dict[str, Any], runs: list[dict[str, Any]]) -> dict[str, Any]:
    curve = None
    if "exploitability" in runs[0]:
        curve = {
            int(k): statistics.fmean(r["exploitability"][k] for r in runs)
            for k in runs[0]["exploitability"]
        }
    return {
        "expl": summary["final_exploitability"]["mean"],
        "nodes": summary["nodes_per_iteration"],
        "curve": curve,
    }


def _compare(
    label: str,
    configs: list[tuple[str, dict[str, Any], Callable[[int], dict[str, Any]]]],
    describe: Callable[[dict[str, Any]], str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each configuration ``(name, meta, run on a seed)`` on every seed, each run told on
    stderr, and a summary of each against the first configuration (the group's baseline)."""
    runs: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    baseline = None
    for name, meta, measure in configs:
        results = []
        for seed in SEEDS:
            run = {"config": name, **meta, **measure(seed)}
            print(f"{label} {name} seed {seed}: {describe(run)}", file=sys.stderr)
            results.append(run)
        runs.extend(results)
        summary = _summary(results, name, baseline)
        if baseline is None:
            baseline = _baseline(summary, results)
        summaries.append(summary)
    return runs, summaries


def _quantiles(values: np.ndarray) -> dict[str, float] | None:
    if values.size == 0:
        return None
    return {
        "count": int(values.size),
        "min": float(values.min()),
        "p1": float(np.percentile(values, 1)),
        "p5": float(np.percentile(values, 5)),
        "median": float(np.median(values)),
    }


def _time_alternating(jobs: dict[str, Any]) -> dict[str, Any]:
    """Run each job (a function returning (iterations, nodes)) ``TIMING_ROUNDS`` times, the
    jobs alternating; each job's fastest round in CPU time."""
    best: dict[str, float] = {}
    work: dict[str, tuple[int, int]] = {}
    loads = [load()]
    for _ in range(TIMING_ROUNDS):
        for name, job in jobs.items():
            start = time.process_time()
            work[name] = job()
            spent = time.process_time() - start
            best[name] = min(best.get(name, float("inf")), spent)
        loads.append(load())
    first = next(iter(jobs))
    out = {}
    for name in jobs:
        iterations, nodes = work[name]
        out[name] = {
            "best_cpu_seconds": best[name],
            "iterations_per_second": iterations / best[name],
            "nodes_per_second": nodes / best[name],
            "nodes_per_iteration": nodes / iterations,
            "speedup_vs_no_pruning": best[first] / best[name],
        }
    return {"rounds": TIMING_ROUNDS, "load_average_per_round": loads, "configs": out}


# -- Leduc -------------------------------------------------------------------------------------


def _prunable_entries(game: SolverGame) -> np.ndarray:
    """Table indices of the actions a pruned traversal may skip (not on the last street, not
    ending the hand)."""
    tree, layout = game.tree, game.layout
    out = []
    for node in range(tree.n_nodes):
        if tree.kind[node] != DECISION or tree.street[node] == tree.n_streets - 1:
            continue
        n = int(tree.n_actions[node])
        for a in range(n):
            if tree.kind[int(tree.first_child[node]) + a] != DECISION:
                continue
            for bucket in range(layout.n_buckets[int(tree.street[node])]):
                out.append(layout.row(node, int(tree.street[node]), bucket) + a)
    return np.array(out, np.int64)


def leduc_run(game: SolverGame, options: MCCFROptions, seed: int, prunable: np.ndarray) -> dict:
    solver = ExternalSamplingSolver(game, options, seed)
    before = load()
    curve, played = {}, {}
    cpu = 0.0
    for stop in LEDUC_CHECKPOINTS:
        start = time.process_time()
        solver.run(stop - solver.iteration)
        cpu += time.process_time() - start
        policy = solver.average_policy()
        curve[str(stop)] = exploitability(game, policy)
        regrets = solver.regret[prunable] / options.regret_scale
        played[str(stop)] = _quantiles(regrets[policy[prunable] >= PLAYED])
    counters = solver.state.counters
    return {
        "seed": seed,
        "iterations": solver.iteration,
        "exploitability": curve,
        "final_exploitability": curve[str(LEDUC_ITERATIONS)],
        "current_strategy_exploitability": exploitability(game, solver.current_policy()),
        "regret_chips_of_played_prunable_actions": played,
        "pruned_actions": int(counters[PRUNED_ACTIONS]),
        "pruned_traversals": int(counters[PRUNED_TRAVERSALS]),
        "nodes": int(counters[NODES]),
        "nodes_per_iteration": int(counters[NODES]) / solver.iteration,
        "cpu_seconds": cpu,
        "iterations_per_cpu_second": solver.iteration / cpu,
        "nodes_per_cpu_second": int(counters[NODES]) / cpu,
        "load_average_before": before,
        "load_average_after": load(),
    }


def leduc_config(
    dtype: str,
    averaging: str,
    threshold: float | None = None,
    ratio: float | None = None,
    start: int = LEDUC_STARTS[0],
) -> tuple[str, dict[str, Any], MCCFROptions]:
    scale = 1.0 if dtype == "float32" else LEDUC_INT_SCALE
    base = {"regret_dtype": dtype, "regret_scale": scale, "averaging": averaging}
    if threshold is None:
        name = f"{dtype} {averaging} no pruning"
        return name, {**base, "prune": None}, MCCFROptions(**base)
    stored = threshold * scale
    floor = NO_FLOOR if ratio is None else stored * ratio
    name = (
        f"{dtype} {averaging} threshold {threshold:g} floor "
        + ("none" if ratio is None else f"{ratio:.4g}x")
        + f" start {start}"
    )
    meta = {
        **base,
        "prune": {
            "threshold_chips": threshold,
            "threshold_bb_x_scale": threshold * scale,
            "threshold_stored": stored,
            "floor_ratio": ratio,
            "floor_stored": None if ratio is None else floor,
            "start": start,
            "start_fraction": start / LEDUC_ITERATIONS,
            "probability": 0.95,
        },
    }
    options = MCCFROptions(**base, regret_floor=floor, prune=PruneSchedule(start, stored, 0.95))
    return name, meta, options


def leduc_groups() -> list[list[tuple[str, dict[str, Any], MCCFROptions]]]:
    """Groups of configurations, the first of each group its no-pruning baseline."""
    groups = []
    for dtype in ("float32", "int32"):
        group = [leduc_config(dtype, "opponent")]
        for threshold in LEDUC_THRESHOLDS:
            if dtype == "float32":
                group.append(leduc_config(dtype, "opponent", threshold, None))
            for ratio in LEDUC_FLOOR_RATIOS:
                for start in LEDUC_STARTS:
                    group.append(leduc_config(dtype, "opponent", threshold, ratio, start))
        groups.append(group)
    group = [leduc_config("float32", "sampled")]
    group += [leduc_config("float32", "sampled", t, r) for t, r in LEDUC_SAMPLED]
    groups.append(group)
    return groups


def measure_leduc() -> dict[str, Any]:
    game = load_game("leduc")
    prunable = _prunable_entries(game)
    warm = ExternalSamplingSolver(game, MCCFROptions(regret_dtype="int32"), 0)
    warm.run(10)  # compile or load every kernel from the cache before any clock runs
    exploitability(game, warm.average_policy())
    runs, summaries = [], []
    for group in leduc_groups():
        group_runs, group_summaries = _compare(
            "leduc",
            [
                (name, meta, partial(leduc_run, game, options, prunable=prunable))
                for name, meta, options in group
            ],
            lambda run: (
                f"{run['final_exploitability']:.4f}, "
                f"{run['nodes_per_iteration']:.2f} nodes/iteration"
            ),
        )
        runs.extend(group_runs)
        summaries.extend(group_summaries)

    def job(options: MCCFROptions):
        def run() -> tuple[int, int]:
            solver = ExternalSamplingSolver(game, options, 0)
            solver.run(LEDUC_ITERATIONS)
            return solver.iteration, solver.stats.nodes

        return run

    timed = [leduc_config("float32", "opponent")]
    timed += [leduc_config("float32", "opponent", t, r) for t, r in LEDUC_TIMED]
    timing = _time_alternating({name: job(options) for name, _, options in timed})
    return {
        "game": "leduc (ante 1, raises 2 and 4; 'bb' is the 1-chip ante)",
        "iterations": LEDUC_ITERATIONS,
        "seeds": list(SEEDS),
        "int32_regret_scale": LEDUC_INT_SCALE,
        "no_floor_stands_for": NO_FLOOR,
        "prunable_entries": int(prunable.size),
        "summary": summaries,
        "speed_alternating_seed0": timing,
        "runs": runs,
    }


# -- push/fold ---------------------------------------------------------------------------------


def _pf_stored(threshold_bb: float) -> float:
    return threshold_bb * PF_BB_CHIPS * PF_SCALE


def pushfold_config(prune: tuple[float, float, int] | None, seed: int, iterations: int) -> dict:
    data: dict[str, Any] = {
        "betting": "configs/pushfold_10bb.yaml",
        "buckets": "lossless-preflop",
        "seed": seed,
        "iterations": iterations,
        "time_budget": None,
        "regrets": {"dtype": "int32", "scale": PF_SCALE},
        "discount": {"interval": PF_DISCOUNT[0], "cutoff": PF_DISCOUNT[1]},
        "average": {"update": "sampled", "interval": 1, "sums": "preflop"},
        "snapshot_interval": None,
        "checkpoint_interval": None,
        "report_interval": 1.0,
    }
    if prune is not None:
        threshold_bb, ratio, start = prune
        data["regrets"]["floor"] = _pf_stored(threshold_bb) * ratio
        data["prune"] = {"start": start, "threshold": _pf_stored(threshold_bb), "probability": 0.95}
    return data


def _jam_regrets(training, regret: np.ndarray) -> np.ndarray:
    """The small blind's all-in regret per class, in big blinds."""
    tree, layout = training.game.tree, training.game.layout
    kinds = [int(tree.action_kind[c]) for c in tree.children(0)]
    jam = kinds.index(RAISE)
    rows = layout.node_rows(regret, 0, 0, 2)
    return rows[:, jam].astype(np.float64) / (PF_SCALE * PF_BB_CHIPS)


def trainer_tables(trainer) -> tuple[np.ndarray, np.ndarray]:
    """(regret, counters) of a finished run, whichever shape the trainer's state has (the
    trainer is being reworked: one MCCFRState, or tables plus per-worker counters)."""
    state = trainer.state
    if hasattr(state, "mccfr"):
        return state.mccfr.regret, state.mccfr.counters
    total = getattr(trainer, "_total_counters", None)
    return state.regret, (total() if total is not None else state.counters)


def pushfold_run(prune: tuple[float, float, int] | None, seed: int) -> dict[str, Any]:
    from holdem.training.config import train_config_from_dict
    from holdem.training.exact import exact_evaluator
    from holdem.training.metrics import read_metrics
    from holdem.training.pushfold import read_push_fold
    from holdem.training.trainer import Trainer
    from holdem.training.training_game import load_training_game

    config = train_config_from_dict(
        pushfold_config(prune, seed, PF_ITERATIONS), "measure_pruning", ROOT
    )
    training = load_training_game(config.betting, config.buckets)
    evaluate = exact_evaluator(training)
    assert evaluate is not None
    before = load()
    with tempfile.TemporaryDirectory() as folder:
        trainer = Trainer(config, training, Path(folder), evaluator=evaluate)
        trainer.allocate()
        start = time.process_time()
        result = trainer.train()
        cpu = time.process_time() - start
        metrics = read_metrics(Path(folder) / "metrics.jsonl")
    regret, counters = trainer_tables(trainer)
    policy = trainer.average_policy()
    final = evaluate(policy)
    jam, _ = read_push_fold(training.game.tree, training.game.layout, policy)
    regrets = _jam_regrets(training, regret)
    return {
        "seed": seed,
        "iterations": result.iterations,
        "curve": [[m["iteration"], m["seconds"], m["exploitability_bb"]] for m in metrics],
        "final_exploitability": final["exploitability_bb"],
        "jam_fraction": final["jam_fraction"],
        "call_fraction": final["call_fraction"],
        "jam_regret_bb_of_played_classes": _quantiles(regrets[jam >= PLAYED]),
        "jam_regret_bb_of_mixed_classes": _quantiles(
            regrets[(jam >= PLAYED) & (jam <= 1 - PLAYED)]
        ),
        "pruned_actions": int(counters[PRUNED_ACTIONS]),
        "pruned_traversals": int(counters[PRUNED_TRAVERSALS]),
        "nodes": int(counters[NODES]),
        "nodes_per_iteration": int(counters[NODES]) / result.iterations,
        "kernel_seconds": result.seconds,
        "cpu_seconds": cpu,
        "iterations_per_kernel_second": result.iterations / result.seconds,
        "load_average_before": before,
        "load_average_after": load(),
    }


def _pf_name(prune: tuple[float, float, int] | None) -> tuple[str, dict[str, Any]]:
    if prune is None:
        return "no pruning", {"prune": None}
    threshold_bb, ratio, start = prune
    name = f"threshold {threshold_bb * PF_SCALE:g} bb*scale floor {ratio:.4g}x start {start}"
    return name, {
        "prune": {
            "threshold_bb_of_regret": threshold_bb,
            "threshold_bb_x_scale": threshold_bb * PF_SCALE,
            "threshold_stored": _pf_stored(threshold_bb),
            "floor_stored": _pf_stored(threshold_bb) * ratio,
            "floor_ratio": ratio,
            "start": start,
            "start_fraction": start / PF_ITERATIONS,
            "probability": 0.95,
        }
    }


def measure_pushfold() -> dict[str, Any]:
    from holdem.training.training_game import load_training_game

    runs, summaries = _compare(
        "pushfold",
        [(*_pf_name(prune), partial(pushfold_run, prune)) for prune in (None, *PF_PRUNES)],
        lambda run: f"{run['final_exploitability']:.6f} bb, {run['pruned_actions']} pruned",
    )

    # Speed: the trainer's kernel and schedule (run_iterations with the same options).
    training = load_training_game(ROOT / "configs/pushfold_10bb.yaml", None)
    game = training.game

    def job(prune: tuple[float, float, int] | None):
        options = MCCFROptions(
            regret_dtype="int32",
            regret_scale=PF_SCALE,
            regret_floor=None if prune is None else _pf_stored(prune[0]) * prune[1],
            discount=LinearDiscount(*PF_DISCOUNT),
            prune=None if prune is None else PruneSchedule(prune[2], _pf_stored(prune[0])),
            averaging="sampled",
            average_streets=1,
            sum_dtype="float32",
        )
        run_iterations(game, options, MCCFRState.fresh(game, options, 0), 1)  # compile

        def run() -> tuple[int, int]:
            state = MCCFRState.fresh(game, options, 0)
            run_iterations(game, options, state, PF_TIMING_ITERATIONS)
            return state.iteration, int(state.counters[NODES])

        return run

    timing = _time_alternating({_pf_name(p)[0]: job(p) for p in (None, *PF_TIMED)})
    timing["iterations_per_round"] = PF_TIMING_ITERATIONS
    return {
        "game": "push/fold 10 bb (blinds 50/100 chips), lossless-preflop, blueprint Trainer",
        "schedule": "int32 regrets at scale 10, discount every 100,000 iterations up to 10 M, "
        "sampled averaging of the preflop (as configs/blueprint_pushfold_10bb.yaml)",
        "iterations": PF_ITERATIONS,
        "seeds": list(SEEDS),
        "units": "stored regret = bb of regret * 100 chips * scale 10 = bb*scale * 100; "
        "regret quantiles in bb of regret (unscaled)",
        "exploitability_unit": "big blinds per hand (exact)",
        "summary": summaries,
        "speed_alternating_seed0": timing,
        "runs": runs,
    }


def main() -> None:
    measure_parts(
        (__doc__ or "").splitlines()[0],
        "measure_pruning: negative-regret pruning on Leduc and push/fold",
        {"leduc": ("leduc", measure_leduc), "pushfold": ("pushfold", measure_pushfold)},
    )


if __name__ == "__main__":
    main()
