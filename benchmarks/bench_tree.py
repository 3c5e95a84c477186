"""Betting-tree compile time and peak memory per preset in configs/, beside the Python reference.

Prints one JSON object. Each measurement runs in its own child process, so its peak resident
memory (``ru_maxrss``) is its own: ``rss_before_mb`` is the process after imports and a warm-up
compile of Kuhn poker (Numba kernels loaded or compiled), ``peak_rss_mb`` after the builds.
``first_seconds`` is the first build in the process (fresh memory from the operating system);
``best_seconds`` the best of ``--repeat`` builds (later ones reuse freed memory).
The peer is the pure-Python compiler the Numba one replaced
(``tests/abstraction/reference_compiler.py``), timed once per preset named in ``--reference``.
``--cold`` gives each child an empty Numba cache directory (``warmup_seconds`` then includes
compiling the kernels). Target: hu_rich well under 2 seconds, 6max about a second.

    python benchmarks/bench_tree.py [--repeat 3] [--skip 6max] [--reference hu_rich,6max] [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from bench_common import machine_info, run_child

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"

_CHILD = """
import gc, json, resource, sys, time
from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_tree import DECISION, compile_tree
from holdem.cfr.kuhn import KUHN_BETTING
from tests.abstraction.reference_compiler import reference_compile_tree
path, repeat, which = sys.argv[1], int(sys.argv[2]), sys.argv[3]
build = compile_tree if which == "numba" else reference_compile_tree
spec = load_betting_spec(path)
start = time.perf_counter()
compile_tree(KUHN_BETTING)
warmup = time.perf_counter() - start
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
seconds = []
for _ in range(repeat):
    start = time.perf_counter()
    tree = build(spec)
    seconds.append(time.perf_counter() - start)
    nodes, decisions = tree.n_nodes, int((tree.kind == DECISION).sum())
    del tree
    gc.collect()
print(json.dumps({
    "nodes": nodes,
    "decision_nodes": decisions,
    "warmup_seconds": round(warmup, 2),
    "first_seconds": round(seconds[0], 6),
    "best_seconds": round(min(seconds), 6),
    "rss_before_mb": round(rss_before / 1024),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


def measure(path: Path, repeat: int, which: str, cache_dir: str | None) -> dict:
    """Build the preset at ``path`` in a child process with ``which`` compiler; its report."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="numba-cold-", dir=cache_dir)
    return run_child(_CHILD, [str(path), str(repeat), which], env, cwd=str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per preset; best counts")
    parser.add_argument("--skip", nargs="*", default=[], help="presets to leave out")
    parser.add_argument(
        "--reference",
        default="kuhn,leduc,hu_small,hu_rich",
        help="presets also built by the Python reference compiler (6max takes ~40 s, 1.5 GB)",
    )
    parser.add_argument("--cold", action="store_true", help="empty Numba cache in each child")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be 1 or more, got {args.repeat}")
    peers = {name for name in args.reference.split(",") if name}
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        cache_dir = folder if args.cold else None
        for path in sorted(CONFIGS.glob("*.yaml")):
            if path.stem in args.skip:
                continue
            report = measure(path, args.repeat, "numba", cache_dir)
            if "error" not in report and report["best_seconds"]:
                report["nodes_per_second"] = round(report["nodes"] / report["best_seconds"])
            if path.stem in peers:
                peer = measure(path, 1, "reference", cache_dir)
                report["reference"] = peer
                if "error" not in report and "error" not in peer and report["first_seconds"]:
                    report["speedup"] = round(peer["first_seconds"] / report["first_seconds"], 1)
            results[path.stem] = report
    print(
        json.dumps(
            {
                "benchmark": "betting_tree",
                "machine": machine_info(),
                "cold_numba_cache": args.cold,
                "presets": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
