"""A blueprint before and after a change of the trainer or the policy, side by side; JSON.

    python benchmarks/measure_soundness.py --before-src ../before/src \
        --out benchmarks/results/soundness_hu_open.json
    python benchmarks/measure_soundness.py --before-src ../before/src --config \
        configs/blueprint_training.yaml --seconds 3600 --out benchmarks/results/soundness_1h.json

``--before-src`` is the ``src`` folder of a checkout of the code before the change (``git
worktree add ../before COMMIT``); this checkout is the code after. The steps, each a ``holdem``
command in a child process with the named code first on ``PYTHONPATH``:

1. train a blueprint with each code (``before``, ``after``), same config and seconds, both at
   once on half the cores each (a drift of the machine's speed falls on both alike; 180 s on one
   core each is the CPU time of ``make run``'s 90 s on two); their iterations are recorded;
2. LBR (both seats of every deal, 95 % intervals) with LBR's default action set (fold, call,
   pot, all-in) and with fold and call only (FC/FC/FC/FC of Lisy and Bowling, 2017) against:
   the before blueprint played by the before code, the before blueprint played by the after
   code (what the policy's changes alone do), and the after blueprint played by the after code;
3. head-to-head, after code: the after blueprint against the before one (duplicate deals).

Each finished step is written to ``--out`` at once, and a run with the same ``--out`` skips the
steps already there, so a measurement longer than a session resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import HOLDEM, ROOT, machine_info, run_holdem
from holdem.storage.atomic import write_text

ACTION_SETS = {
    "fcpa": ("fold, call, pot, all-in (LBR's default)", []),
    "fc": ("fold, call only (FC/FC/FC/FC)", ["--bet-sizes", "none", "--no-all-in"]),
}


def _train_side_by_side(
    runs: dict[str, tuple[Path, Path]], config: Path, seconds: float
) -> dict[str, dict[str, Any]]:
    """Train one blueprint per ``name: (src, logdir)`` at the same time, the cores split evenly.

    Each code reads ``config`` from its own checkout (the same path next to its ``src``), since
    a config may use keys that older code does not know.

    Side by side rather than one after the other: this machine's speed drifts by a third from
    minute to minute, and a drift then falls on both runs alike.
    """
    workers = max(1, (os.cpu_count() or 1) // len(runs))
    started = time.perf_counter()
    children = {}
    for name, (src, logdir) in runs.items():
        log = logdir.with_suffix(".log").open("w")
        args = [
            *("train", "--config", str(src.parent / config.relative_to(ROOT)), "--logdir"),
            str(logdir),
            *("--num-workers", str(workers), "--time-budget", str(seconds), "--overwrite"),
        ]
        children[name] = (
            subprocess.Popen(
                [*HOLDEM, *args],
                env={**os.environ, "PYTHONPATH": str(src)},
                cwd=ROOT,
                stdout=log,
                stderr=log,
            ),
            log,
        )
    results = {}
    for name, (child, log) in children.items():
        code = child.wait()
        log.close()
        logdir = runs[name][1]
        if code != 0:
            raise SystemExit(f"training {name} failed (exit {code}): see {log.name}")
        manifest = json.loads((logdir / "blueprint" / "manifest.json").read_text())
        results[name] = {
            "blueprint": str(logdir / "blueprint"),
            "iteration": manifest.get("iteration"),
            "workers": workers,
            "wall_seconds": round(time.perf_counter() - started, 1),
            "load_average_after": list(os.getloadavg()),
        }
    return results


def _lbr(src: Path, blueprint: str, action_set: str, deals: int, out: Path) -> dict[str, Any]:
    label, flags = ACTION_SETS[action_set]
    wall = run_holdem(
        *("lbr", blueprint, "--hands", str(deals), "--seed", "0", "--out", str(out), *flags),
        src=src,
        log=out.with_suffix(".log"),
    )
    result: dict[str, Any] = json.loads(out.read_text())
    result["action_set_name"] = label
    result["wall_seconds_here"] = round(wall, 1)
    return result


def _head_to_head(src: Path, policy: str, opponent: str, deals: int, out: Path) -> dict[str, Any]:
    wall = run_holdem(
        *("eval", "--policy", policy, "--opponent", opponent),
        *("--hands", str(deals), "--seed", "0", "--out", str(out)),
        src=src,
        log=out.with_suffix(".log"),
    )
    result: dict[str, Any] = json.loads(out.read_text())
    result["wall_seconds_here"] = round(wall, 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-src", type=Path, required=True, help="src/ of the old code")
    parser.add_argument("--config", type=Path, default=ROOT / "configs/blueprint_hu_open.yaml")
    parser.add_argument(
        "--seconds", type=float, default=180.0, help="training seconds of each (both at once)"
    )
    parser.add_argument("--lbr-deals", type=int, default=10000, help="deals per LBR run")
    parser.add_argument("--h2h-deals", type=int, default=10000, help="head-to-head deals")
    parser.add_argument("--workdir", type=Path, default=ROOT / "runs" / "soundness")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    before_src = args.before_src.resolve()
    if not (before_src / "holdem" / "__init__.py").is_file():
        parser.error(f"--before-src {args.before_src}: no holdem package there; give a src/ folder")
    after_src = ROOT / "src"
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)

    record: dict[str, Any] = {
        "benchmark": "soundness",
        "machine": machine_info(),
        "config": str(args.config),
        "seconds": args.seconds,
        "before_src": str(before_src),
        "after_src": str(after_src),
        "steps": {},
    }
    if args.out.exists():
        record = json.loads(args.out.read_text())
    steps: dict[str, Any] = record["steps"]

    def step(name: str, measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if name not in steps:
            print(f"{time.strftime('%H:%M:%S')} {name} ...", flush=True)
            steps[name] = {"load_average_before": list(os.getloadavg()), **measure()}
            write_text(args.out, json.dumps(record, indent=1) + "\n")
        return dict(steps[name])

    config = args.config.resolve()
    trained = step(
        "train",
        lambda: _train_side_by_side(
            {"before": (before_src, work / "before"), "after": (after_src, work / "after")},
            config,
            args.seconds,
        ),
    )
    before, after = trained["before"], trained["after"]
    codes = {"before": before_src, "after": after_src}
    for code, blueprint in (("before", before), ("after", before), ("after", after)):
        owner = "before" if blueprint is before else "after"
        for action_set in ACTION_SETS:
            name = f"lbr_{action_set}_{owner}_blueprint_{code}_code"
            step(
                name,
                lambda code=code, blueprint=blueprint, action_set=action_set, name=name: _lbr(
                    codes[code],
                    blueprint["blueprint"],
                    action_set,
                    args.lbr_deals,
                    work / f"{name}.json",
                ),
            )
    step(
        "head_to_head_after_vs_before",
        lambda: _head_to_head(
            after_src, after["blueprint"], before["blueprint"], args.h2h_deals, work / "h2h.json"
        ),
    )
    record["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    write_text(args.out, json.dumps(record, indent=1) + "\n")
    print(json.dumps({k: _summary(v) for k, v in steps.items()}, indent=1))
    return 0


def _summary(step: dict[str, Any]) -> Any:
    """The headline number of a step, for the printout."""
    if "before" in step:
        return {name: run["iteration"] for name, run in step.items() if isinstance(run, dict)}
    if "mbb_per_hand" in step:
        return step["mbb_per_hand"]
    if "matches" in step:
        return [m.get("mbb_per_hand") for m in step["matches"]]
    return None


if __name__ == "__main__":
    raise SystemExit(main())
