"""Cold start: seconds each stage spends before its work, with an empty and a warm Numba cache.

Prints one JSON object. Each stage runs in its own child process with its own empty
``NUMBA_CACHE_DIR`` (``cold``: every kernel it needs is compiled), then again in a second child
with that same cache directory (``warm``: kernels load from the cache). ``compile`` is cold minus
warm: what a fresh machine pays once. Times are taken inside the child, after
``import numpy, numba`` (reported apart as ``import_numba``), so they hold the stage's imports,
its compilation and its work: wall seconds, and CPU seconds of all the process's threads
(``compile_cpu``). ``jit_cpu`` is the CPU time the threads spent inside Numba's dispatcher,
compiling (cold) or loading from the cache (warm): the cost of compiling itself, steady on a
machine shared with other jobs, where wall times and the cold-minus-warm differences of long
parallel stages are not. The summary compares ``jit_cpu_cold``. Stages:

- ``evaluator``: ``import holdem.cards.evaluator`` and one ``evaluate``;
- ``isomorphism``: import, ``hand_index``, ``hand_from_index``, ``index_batch``, ``unindex_batch``;
- ``equity``: ``equity_vs_hand`` on a flop and ``equity_vs_random`` on a turn;
- ``demo``: ``holdem demo``, timed part by part (``parts``: hand ranks, equities, isomorphism,
  the speed check);
- ``buckets_tiny``: ``holdem buckets build --preset tiny`` (about 15 s of work; its compile share
  is cold minus warm, so it carries that run's noise);
- ``solver``: ``holdem solve leduc --seconds 1``, then ``--algo es-mccfr --seconds 1``;
- ``tree``: ``compile_tree`` of ``configs/hu_small.yaml``;
- ``make_run``: the four commands ``make run`` ran when this benchmark was written (demo,
  buckets build and info, ``solve leduc --algo es-mccfr``), in one process, the solver for 1 s
  instead of 10; kept as they were so an older checkout runs the same commands.

``--before DIR`` measures the source tree ``DIR/src`` too (e.g. a git worktree of an older
commit), interleaved with ``--after`` (default this checkout) stage by stage, so both see the
same machine; ``--repeat N`` runs N rounds and keeps the best.

    python benchmarks/bench_compile.py [--stages evaluator,demo] [--before DIR] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from bench_common import machine_info, run_child

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import contextlib, io, json, sys, tempfile, threading, time
start = time.perf_counter()
import numpy, numba
from numba.core import dispatcher

# CPU seconds of the threads inside Numba's dispatcher: compiling, or loading from the cache
jit = {"cpu": 0.0, "calls": 0}
jit_lock, jit_depth = threading.Lock(), threading.local()
jit_compile = dispatcher.Dispatcher.compile

def timed_compile(self, sig):
    depth = getattr(jit_depth, "n", 0)
    jit_depth.n = depth + 1
    begin = time.thread_time()
    try:
        return jit_compile(self, sig)
    finally:
        jit_depth.n = depth
        if depth == 0:
            with jit_lock:
                jit["cpu"] += time.thread_time() - begin
                jit["calls"] += 1

dispatcher.Dispatcher.compile = timed_compile
ready, ready_cpu = time.perf_counter(), time.process_time()
stage, root = sys.argv[1], sys.argv[2]
parts, parts_cpu = {}, {}
mark = [ready, ready_cpu]

def part(name):
    now, now_cpu = time.perf_counter(), time.process_time()
    parts[name] = round(now - mark[0], 3)
    parts_cpu[name] = round(now_cpu - mark[1], 3)
    mark[:] = [now, now_cpu]

def cli(*argv):
    from holdem.cli.main import main
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    if code != 0:
        raise SystemExit(f"holdem {' '.join(argv)} exited with {code}")

out = tempfile.mkdtemp()
if stage == "evaluator":
    from holdem.cards.evaluator import evaluate
    part("import")
    assert evaluate("As Ks Qs Js Ts 2c 3d") == 7462
    part("first_evaluate")
elif stage == "isomorphism":
    from holdem.cards.isomorphism import hand_from_index, hand_index, index_batch, unindex_batch
    part("import")
    index = hand_index("AsKs", "Qs 7d 2s")
    hand_from_index(1, index)
    part("one_hand")
    unindex_batch(1, index_batch(numpy.array([[51, 47, 43, 23, 3]], numpy.uint8)))
    part("batch")
elif stage == "equity":
    from holdem.cards.equity import equity_vs_hand, equity_vs_random
    part("import")
    equity_vs_hand("AsKs", "QhQd", "Js Th 2c")
    part("vs_hand")
    equity_vs_random("AsKs", "Js Th 2c 3d")
    part("vs_random")
elif stage == "demo":
    from holdem.cli import demo
    from holdem.cards.equity import equity_vs_hand, equity_vs_random
    part("import")
    demo._hand_ranks()
    part("hand_ranks")
    equity_vs_hand("AsKs", "QhQd", "")
    equity_vs_hand("AsKs", "QhQd", "Js Th 2c")
    part("equity_vs_hand")
    equity_vs_random("AsKs", "Js Th 2c")
    part("equity_vs_random")
    demo._isomorphism()
    part("isomorphism")
    demo._speed(0)
    part("speed")
elif stage == "buckets_tiny":
    cli("buckets", "build", "--preset", "tiny", "--out", f"{out}/b.npz")
    part("build")
elif stage == "solver":
    cli("solve", "leduc", "--seconds", "1")
    part("cfr_plus")
    cli("solve", "leduc", "--algo", "es-mccfr", "--seconds", "1")
    part("es_mccfr")
elif stage == "tree":
    from holdem.abstraction.betting_config import load_betting_spec
    from holdem.abstraction.betting_tree import compile_tree
    part("import")
    compile_tree(load_betting_spec(f"{root}/configs/hu_small.yaml"))
    part("compile_tree")
elif stage == "make_run":
    cli("demo")
    part("demo")
    cli("buckets", "build", "--preset", "tiny", "--out", f"{out}/b.npz")
    part("buckets_build")
    cli("buckets", "info", f"{out}/b.npz")
    part("buckets_info")
    cli("solve", "leduc", "--algo", "es-mccfr", "--seconds", "1", "--out", f"{out}/p.json")
    part("solve")
else:
    raise SystemExit(f"unknown stage {stage!r}")
print(json.dumps({
    "seconds": round(time.perf_counter() - ready, 3),
    "cpu_seconds": round(time.process_time() - ready_cpu, 3),
    "jit_cpu_seconds": round(jit["cpu"], 3),
    "import_numba": round(ready - start, 3),
    "parts": parts,
    "parts_cpu": parts_cpu,
}))
"""

STAGES = (
    "evaluator",
    "isomorphism",
    "equity",
    "demo",
    "buckets_tiny",
    "solver",
    "tree",
    "make_run",
)


def run_stage(stage: str, source: Path, cache_dir: str) -> dict:
    """One child: ``stage`` with the package in ``source/src`` and ``cache_dir`` as Numba cache."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(source / "src")
    env["NUMBA_CACHE_DIR"] = cache_dir
    return run_child(_CHILD, [stage, str(source)], env, cwd=str(source))


def _best(runs: list[dict], key: str) -> float | None:
    values = [run[key] for run in runs if "error" not in run]
    return min(values) if values else None


def cold_and_warm(
    stage: str, sources: dict[str, Path], folder: str, repeat: int
) -> dict[str, dict]:
    """``repeat`` rounds of a cold then a warm run of ``stage`` per source, interleaved.

    Each round starts from a new empty cache. The best (least) cold and warm times count, so a
    busy moment of a shared machine in one round does not; ``compile`` is best cold minus best
    warm, in wall seconds and in CPU seconds (all threads).
    """
    runs: dict[str, dict[str, list[dict]]] = {name: {"cold": [], "warm": []} for name in sources}
    for round_number in range(repeat):
        caches = {
            name: tempfile.mkdtemp(prefix=f"{name}-{stage}-{round_number}-", dir=folder)
            for name in sources
        }
        for kind in ("cold", "warm"):
            for name, source in sources.items():
                runs[name][kind].append(run_stage(stage, source, caches[name]))
    report: dict[str, dict] = {}
    for name, kinds in runs.items():
        entry: dict = {"runs": kinds}
        for key, label in (("seconds", "compile"), ("cpu_seconds", "compile_cpu")):
            cold, warm = _best(kinds["cold"], key), _best(kinds["warm"], key)
            entry[f"cold_{key}"], entry[f"warm_{key}"] = cold, warm
            if cold is not None and warm is not None:
                entry[label] = round(cold - warm, 3)
        entry["jit_cpu_cold"] = _best(kinds["cold"], "jit_cpu_seconds")
        entry["jit_cpu_warm"] = _best(kinds["warm"], "jit_cpu_seconds")
        report[name] = entry
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated stage names")
    parser.add_argument("--before", type=Path, default=None, help="another checkout to compare")
    parser.add_argument("--after", type=Path, default=ROOT, help="this checkout (default: here)")
    parser.add_argument("--repeat", type=int, default=1, help="cold and warm rounds; best counts")
    args = parser.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        parser.error(f"unknown stage {unknown[0]!r}: choose from {', '.join(STAGES)}")
    if args.repeat < 1:
        parser.error(f"--repeat must be 1 or more, got {args.repeat}")
    sources = {"after": args.after}
    if args.before is not None:
        sources = {"before": args.before, "after": args.after}
    for name, source in sources.items():
        if not (source / "src" / "holdem").is_dir():
            parser.error(f"--{name} {source} has no src/holdem: give a checkout of holdem")
    load_start = os.getloadavg()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for stage in stages:
            results[stage] = cold_and_warm(stage, sources, folder, args.repeat)
    summary = {}
    for stage, report in results.items():
        row = {}
        for name in sources:
            for key in ("jit_cpu_cold", "jit_cpu_warm", "compile", "cold_seconds", "warm_seconds"):
                row[f"{key}_{name}"] = report[name].get(key)
        before, after = row.get("jit_cpu_cold_before"), row.get("jit_cpu_cold_after")
        if before and after is not None:
            row["jit_cpu_cold_after_over_before"] = round(after / before, 3)
        summary[stage] = row
    print(
        json.dumps(
            {
                "benchmark": "compile",
                "machine": machine_info(),
                "load_average_start_end": [round(load_start[0], 2), round(os.getloadavg()[0], 2)],
                "sources": {name: str(source) for name, source in sources.items()},
                "repeat": args.repeat,
                "summary": summary,
                "stages": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
