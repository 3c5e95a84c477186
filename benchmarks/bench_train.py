"""Blueprint training speed: our ES-MCCFR against OpenSpiel's, and table memory; prints JSON.

    python benchmarks/bench_train.py                       # 30 s per run, best of 3 (~8 min)
    python benchmarks/bench_train.py --seconds 10 --repeat 1

Measured, each run in a fresh process, the runs taken in turn (round robin) so that load on a
shared machine falls on all of them alike, the best of ``--repeat`` kept:

- ``hu_rich``: our kernel on ``configs/hu_rich.yaml`` with the ``pluribus`` buckets when
  ``assets/abstraction/buckets_pluribus.npz`` exists, else ``mid``, run as the trainer runs it
  in each process: numbered batches of 256 iterations (`holdem.training.batches.run_batches`,
  one `run_iterations` call each, deals drawn from the batch's own generator), handed out in
  chunks of about a quarter second, with the kernel options the trainer derives from
  ``configs/blueprint_training.yaml`` (int32 regrets with Pluribus's floor, strategy sums for
  the preflop only, float64, updated by Pluribus's sampled walk every 100 iterations; pruning
  starts after 200 minutes there, so never inside a run). Iterations and nodes per second (the
  kernel's ``NODES`` counter: nodes entered by the traversals), after a warm-up that compiles
  or loads the kernels on a throwaway state. The share of dealing: after each chunk, the same
  batches are dealt again from their generators, timed alone (`HoldemCards.deal_batch`), over
  the chunk's time.
- ``fcpa``: the same on ``configs/fcpa.yaml`` (the betting tree of OpenSpiel's
  ``universal_poker`` with ``bettingAbstraction=fcpa``, see tests/training/test_fcpa_preset.py)
  with the same buckets and with the ``tiny`` ones, beside OpenSpiel's C++
  ``pyspiel.ExternalSamplingMCCFRSolver`` on that game (``run_iteration()`` in a loop, tables
  from empty). Both count one iteration as one traversal per seat: ours deals once and
  traverses for seat 0 then seat 1; OpenSpiel's ``RunIteration`` calls ``UpdateRegrets`` for
  player 0 then player 1, each sampling its own cards (and its own board below each of the
  traverser's actions). OpenSpiel has no card abstraction: its infosets are strings with the
  exact cards, so its tables grow for the whole run (its peak memory is reported).
- memory: bytes per (infoset, action) of hu_rich's tables, and what ``configs/6max.yaml``
  with 169/200/200/200 buckets needs (regrets, preflop sums, tree, bucket tables), computed
  from `BettingTree.layout`.

Every run lasts ``--seconds`` of wall time; rates are given per second of the process's CPU
time (every kernel here is single-threaded, so this is per core, and time taken by other jobs
on a shared machine does not count) and per second of wall time. The load average is recorded
before and after each run.

A missing ``assets/abstraction/buckets_mid.npz`` or ``buckets_tiny.npz`` is built first (under
a minute each), as ``make run`` builds its own bucket file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from bench_common import machine_info, run_child  # noqa: E402

BLUEPRINT = ROOT / "configs/blueprint_training.yaml"
HU_RICH = ROOT / "configs/hu_rich.yaml"
FCPA = ROOT / "configs/fcpa.yaml"
SIX_MAX = ROOT / "configs/6max.yaml"
BUCKETS = ROOT / "assets/abstraction"
SIX_MAX_BUCKETS = (169, 200, 200, 200)
OPENSPIEL_FCPA = (
    "universal_poker(betting=nolimit,numPlayers=2,numRounds=4,blind=100 50,"
    "firstPlayer=2 1 1 1,numSuits=4,numRanks=13,numHoleCards=2,numBoardCards=0 3 1 1,"
    "stack=10000 10000,bettingAbstraction=fcpa)"
)
CHUNK_SECONDS = 0.25
TARGET_RATIO = 50.0
TARGET_NODES_PER_SECOND = 3e6
MACHINE_16GB = 16e9

CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from bench_train import child_main; child_main(sys.argv[2:])"
)


# -- measurements, each run in its own process by `child_main` --------------------------------


def _rates(iterations: int, cpu: float, wall: float) -> dict:
    return {
        "iterations": iterations,
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "iterations_per_cpu_second": round(iterations / cpu, 1),
        "iterations_per_wall_second": round(iterations / wall, 1),
    }


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure_ours(betting: str, buckets: str, seconds: float, seed: int) -> dict:
    """Our kernel as the trainer runs it, for ``seconds`` of wall time after a warm-up."""
    from holdem.cfr.mccfr import AVERAGE_UPDATES, NODES, MCCFRState, run_iterations
    from holdem.training.batches import Tables, batch_generators, run_batches
    from holdem.training.config import load_train_config
    from holdem.training.trainer import kernel_options_for
    from holdem.training.training_game import load_training_game

    config = load_train_config(BLUEPRINT)
    options = kernel_options_for(config)  # as the trainer runs it (pruning starts later)
    batch = config.batch
    training = load_training_game(Path(betting), Path(buckets))
    game, cards = training.game, training.cards
    warm = MCCFRState.fresh(game, options, seed + 1)
    run_iterations(game, options, warm, 2 * batch)
    cards.deal_batch(batch_generators(seed + 1, 0)[0], batch)
    del warm

    fresh = MCCFRState.fresh(game, options, seed)
    tables = Tables(fresh.regret, fresh.strategy_sum, fresh.counters)
    cpu = wall = deal_cpu = 0.0
    first, chunk, iterations = 0, 1, 0
    while wall < seconds:
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        iterations += run_batches(game, options, tables, seed, batch, first, chunk)
        cpu += time.process_time() - cpu_start
        spent = time.perf_counter() - wall_start
        wall += spent
        # The same deals again, alone: each batch draws them from its own generator.
        deal_start = time.process_time()
        for number in range(first, first + chunk):
            cards.deal_batch(batch_generators(seed, number)[0], batch)
        deal_cpu += time.process_time() - deal_start
        first += chunk
        # As the trainer sizes its chunks: about a quarter second of batches each.
        chunk = max(1, int(CHUNK_SECONDS * chunk / max(spent, 1e-9)))
    nodes = int(tables.counters[NODES])
    report = _rates(iterations, cpu, wall)
    report.update(
        {
            "nodes": nodes,
            "nodes_per_iteration": round(nodes / iterations, 1),
            "nodes_per_cpu_second": round(nodes / cpu),
            "nodes_per_wall_second": round(nodes / wall),
            "average_updates": int(tables.counters[AVERAGE_UPDATES]),
            "deal_cpu_seconds": round(deal_cpu, 3),
            "deal_share": round(deal_cpu / cpu, 4),
            "table_entries": int(tables.regret.size),
            "peak_rss_mb": _peak_rss_mb(),
        }
    )
    return report


def measure_openspiel(game_string: str, seconds: float, seed: int) -> dict:
    """OpenSpiel's C++ ES-MCCFR from empty tables, ``run_iteration()`` for ``seconds`` of wall."""
    import pyspiel

    game = pyspiel.load_game(game_string)
    solver = pyspiel.ExternalSamplingMCCFRSolver(game, seed=seed)
    iterations, chunk = 0, 100
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall_start < seconds:
        for _ in range(chunk):
            solver.run_iteration()
        iterations += chunk
    cpu = time.process_time() - cpu_start
    wall = time.perf_counter() - wall_start
    return {**_rates(iterations, cpu, wall), "peak_rss_mb": _peak_rss_mb()}


def memory_report(buckets: str) -> dict:
    """Bytes per (infoset, action) of hu_rich with ``buckets``; what 6max would need."""
    from holdem.abstraction.betting_config import load_betting_spec
    from holdem.abstraction.betting_tree import DECISION, NODE_ARRAYS, compile_tree
    from holdem.cards.isomorphism import N_INDICES
    from holdem.cfr.holdem_cards import HoldemCards

    counts = HoldemCards.load(buckets, 2, verify=False).n_buckets
    tree = compile_tree(load_betting_spec(HU_RICH))
    layout = tree.layout(counts)
    regrets, sums = 4 * layout.size, 8 * layout.rows_through(0)
    hu_rich = {
        "buckets": list(counts),
        "entries": layout.size,
        "regret_bytes_int32": regrets,
        "preflop_sum_entries": layout.rows_through(0),
        "preflop_sum_bytes_float64": sums,
        "table_bytes": regrets + sums,
        "bytes_per_entry": round((regrets + sums) / layout.size, 4),
    }
    tree = compile_tree(load_betting_spec(SIX_MAX))
    layout = tree.layout(SIX_MAX_BUCKETS)
    decisions = tree.kind == DECISION
    infosets = int(
        sum(int(decisions[tree.street == s].sum()) * b for s, b in enumerate(SIX_MAX_BUCKETS))
    )
    arrays = sum(getattr(tree, name).nbytes for name in NODE_ARRAYS) + tree.chips.nbytes
    tree_bytes = arrays + layout.offsets.nbytes
    regrets, sums = 4 * layout.size, 8 * layout.rows_through(0)
    bucket_tables = sum(N_INDICES)  # one uint8 per canonical hand and street (<= 256 buckets)
    total = regrets + sums + tree_bytes + bucket_tables
    six_max = {
        "buckets": list(SIX_MAX_BUCKETS),
        "nodes": tree.n_nodes,
        "decision_nodes": int(decisions.sum()),
        "infosets": infosets,
        "entries": layout.size,
        "regret_bytes_int32": regrets,
        "preflop_sum_bytes_float64": sums,
        "tree_bytes": tree_bytes,
        "tree_bytes_note": "the ten node arrays of BettingTree plus TableLayout.offsets (int64)",
        "bucket_table_bytes": bucket_tables,
        "bucket_table_note": "pluribus-sized uint8 tables, memory-mapped and shared by workers",
        "total_bytes": total,
        "total_gib": round(total / 2**30, 2),
        "bytes_per_entry": round((regrets + sums) / layout.size, 4),
        "fits_16_gb": total < MACHINE_16GB,
        "headroom_on_16_gb_bytes": int(MACHINE_16GB - total),
    }
    return {"hu_rich": hu_rich, "6max": six_max}


def child_main(argv: list[str]) -> None:
    """Entry point of a child process: ``kind`` then its arguments; prints one JSON line."""
    kind, rest = argv[0], argv[1:]
    if kind == "ours":
        result = measure_ours(rest[0], rest[1], float(rest[2]), int(rest[3]))
    elif kind == "openspiel":
        result = measure_openspiel(rest[0], float(rest[1]), int(rest[2]))
    elif kind == "memory":
        result = memory_report(rest[0])
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    print(json.dumps(result))


# -- the parent: runs, best of, targets --------------------------------------------------------


def _child(args: list[str]) -> dict:
    # Every kernel measured is single-threaded; an idle BLAS thread pool left spinning by numpy
    # would be charged to the process's CPU time, so it gets one thread.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    before = [round(x, 2) for x in os.getloadavg()]
    result = run_child(CHILD, [str(BENCH_DIR), *args], env, cwd=str(ROOT))
    if "error" in result:
        raise SystemExit(f"measurement {args[0]} {args[1:]} failed: {result['error']}")
    result["load_average_before"] = before
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def _git() -> dict:
    def run(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        "commit": run("rev-parse", "HEAD"),
        "uncommitted_in_src": run("status", "--porcelain", "--", "src").splitlines(),
    }


def _best(runs: list[dict], key: str) -> dict:
    return max(runs, key=lambda r: r[key])


SUMMARY_KEYS = (
    "iterations_per_cpu_second",
    "iterations_per_wall_second",
    "nodes_per_cpu_second",
    "nodes_per_wall_second",
    "nodes_per_iteration",
    "deal_share",
    "peak_rss_mb",
)


def _summary(run: dict) -> dict:
    return {key: run[key] for key in SUMMARY_KEYS if key in run}


def _build_if_missing(path: Path, preset: str) -> None:
    """Build a missing bucket file of ``preset``, as ``make run`` builds its own (``holdem
    buckets build``), so that ``make bench`` runs on a fresh clone."""
    if path.exists():
        return
    print(f"{path}: missing, building the {preset} preset ...", file=sys.stderr, flush=True)
    command = [sys.executable, "-m", "holdem.cli.build_buckets", "--preset", preset]
    subprocess.run([*command, "--out", str(path)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="wall seconds per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best is kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out",
        default=str(ROOT / "benchmarks/results/train.json"),
        help="also write the JSON here ('' for stdout only)",
    )
    args = parser.parse_args()
    if not args.seconds > 0 or args.repeat < 1:
        parser.error("--seconds must be positive and --repeat at least 1")

    pluribus = BUCKETS / "buckets_pluribus.npz"
    main_buckets = pluribus if pluribus.exists() else BUCKETS / "buckets_mid.npz"
    tiny = BUCKETS / "buckets_tiny.npz"
    for path in (main_buckets, tiny):
        _build_if_missing(path, "tiny" if "tiny" in path.name else "mid")
    label = main_buckets.stem.removeprefix("buckets_")
    seconds, seed = str(args.seconds), str(args.seed)
    plan: dict[str, list[str]] = {
        f"ours_hu_rich_{label}": ["ours", str(HU_RICH), str(main_buckets), seconds, seed],
        f"ours_fcpa_{label}": ["ours", str(FCPA), str(main_buckets), seconds, seed],
        "ours_fcpa_tiny": ["ours", str(FCPA), str(tiny), seconds, seed],
        "openspiel_fcpa": ["openspiel", OPENSPIEL_FCPA, seconds, seed],
    }
    load_start = [round(x, 2) for x in os.getloadavg()]
    memory = _child(["memory", str(main_buckets)])
    runs: dict[str, list[dict]] = {name: [] for name in plan}
    for repeat in range(args.repeat):
        for name, child_args in plan.items():
            print(f"[{repeat + 1}/{args.repeat}] {name} ...", file=sys.stderr, flush=True)
            runs[name].append(_child(child_args))

    cpu_key = "iterations_per_cpu_second"
    best = {name: _best(results, cpu_key) for name, results in runs.items()}
    best_wall = {
        name: _best(results, "iterations_per_wall_second") for name, results in runs.items()
    }
    rich = best[f"ours_hu_rich_{label}"]
    openspiel = best["openspiel_fcpa"]

    def ratio(name: str, key: str, table: dict[str, dict]) -> float:
        return round(table[name][key] / table["openspiel_fcpa"][key], 1)

    ratios: dict[str, dict] = {}
    for name in (f"ours_fcpa_{label}", "ours_fcpa_tiny"):
        cpu_ratio = ratio(name, cpu_key, best)
        ratios[name] = {
            "per_cpu_second": cpu_ratio,
            "per_wall_second": ratio(name, "iterations_per_wall_second", best_wall),
            "met": cpu_ratio >= TARGET_RATIO,
            "shortfall_factor": round(TARGET_RATIO / cpu_ratio, 2)
            if cpu_ratio < TARGET_RATIO
            else None,
        }
    nodes_rate = rich["nodes_per_cpu_second"]
    six = memory["6max"]
    report = {
        "benchmark": "train",
        "machine": {
            **machine_info(),
            "open_spiel": _version("open_spiel"),
            "load_average_at_start": load_start,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "git": _git(),
        },
        "mode": {
            "seconds_per_run": args.seconds,
            "repeats": args.repeat,
            "order": "round robin, one fresh process per run",
            "best_of": "highest iterations per CPU second",
            "clock": "process CPU time (time.process_time), wall time beside it",
            "seed": args.seed,
        },
        "buckets_used": {
            "main": str(main_buckets.relative_to(ROOT)),
            "why": "buckets_pluribus.npz exists"
            if main_buckets == pluribus
            else "assets/abstraction/buckets_pluribus.npz does not exist, so mid",
            "tiny": str(tiny.relative_to(ROOT)),
        },
        "kernel_options": "from configs/blueprint_training.yaml: int32 regrets, floor -310M, "
        "sampled preflop averaging every 100 iterations into float64 sums, batches of 256 "
        "iterations (run_batches, one run_iterations call each) in chunks of about 0.25 s, "
        "no pruning (it starts at 200 minutes)",
        "openspiel": {
            "game": OPENSPIEL_FCPA,
            "solver": "pyspiel.ExternalSamplingMCCFRSolver(game, seed), average type SIMPLE",
            "iteration": "RunIteration: UpdateRegrets for player 0 then player 1 (two "
            "traversals, each sampling its own cards); ours: one deal, then one traversal "
            "per seat; both counted as one iteration",
        },
        "best": {name: _summary(r) for name, r in best.items()},
        "targets": {
            "fcpa_iterations_ratio_vs_openspiel": {
                "required": TARGET_RATIO,
                "openspiel_iterations_per_cpu_second": openspiel[cpu_key],
                **ratios,
            },
            "hu_rich_nodes_per_second_per_core": {
                "required": TARGET_NODES_PER_SECOND,
                "measured": nodes_rate,
                "met": nodes_rate >= TARGET_NODES_PER_SECOND,
            },
        },
        "memory": memory,
        "memory_summary": {
            "hu_rich_bytes_per_entry": memory["hu_rich"]["bytes_per_entry"],
            "6max_total_gib": six["total_gib"],
            "6max_fits_16_gb": six["fits_16_gb"],
        },
        "runs": runs,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        from holdem.storage.atomic import write_text

        write_text(Path(args.out), text + "\n")
    return 0


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
