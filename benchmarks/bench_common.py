"""What every benchmark script shares: a description of the machine and of the source
measured, child-process runs, and the command line of a benchmark made of parts."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba

ROOT = Path(__file__).resolve().parents[1]


def machine_info() -> dict:
    """The machine and the toolchain a benchmark ran on, for its JSON."""
    return {
        "cpu_count": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "python": platform.python_version(),
        "numba": numba.__version__,
        "processor": platform.processor() or platform.machine(),
    }


def run_child(code: str, args: list[str], env: dict[str, str], cwd: str | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; its last stdout line parsed as JSON, or the error."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    report: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return report


HOLDEM = [sys.executable, "-m", "holdem.cli.main"]
"""The ``holdem`` command of this interpreter."""


def run_holdem(*args: str, src: Path | None = None, log: Path | None = None) -> float:
    """Run ``holdem ARGS`` with this interpreter; its wall seconds. Raises SystemExit on failure.

    ``src``: a ``src`` folder put first on ``PYTHONPATH`` (another checkout's code); ``log``: a
    file for the command's output (else it is kept and its tail shown on failure)."""
    env = {**os.environ, "PYTHONPATH": str(src)} if src is not None else None
    started = time.perf_counter()
    if log is None:
        done = subprocess.run(
            [*HOLDEM, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        detail = done.stderr.strip()[-400:]
    else:
        with log.open("w") as out:
            done = subprocess.run([*HOLDEM, *args], cwd=ROOT, env=env, stdout=out, stderr=out)
        detail = f"see {log}"
    if done.returncode != 0:
        raise SystemExit(f"holdem {' '.join(args)} failed (exit {done.returncode}): {detail}")
    return time.perf_counter() - started


def emit(record: dict[str, Any], out: Path | None, indent: int = 2) -> None:
    """Print a benchmark's JSON, and write it to ``out`` too when given."""
    text = json.dumps(record, indent=indent)
    print(text)
    if out is not None:
        out.write_text(text + "\n")


def source_version() -> dict[str, Any]:
    """The commit measured, and the files of the solver and trainer that differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "src/holdem/cfr", "src/holdem/training")
    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_in_cfr_or_training": changed.splitlines(),
    }


def measure_parts(
    description: str, title: str, parts: dict[str, tuple[str, Callable[[], dict]]]
) -> None:
    """The command line of a benchmark made of parts: ``--part`` (one of ``parts``, or all),
    ``--out`` (also write the JSON there) and ``--merge`` (keep the other parts already in
    ``--out``). ``parts[name]`` is the key of its result and the function that measures it;
    each result carries the source version. Prints the JSON."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--part", choices=("all", *parts), default="all")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    parser.add_argument(
        "--merge", action="store_true", help="keep the other parts already in --out"
    )
    args = parser.parse_args()
    report: dict[str, Any] = {}
    if args.merge and args.out is not None and args.out.exists():
        report = json.loads(args.out.read_text())
    report["benchmark"] = title
    report["machine"] = machine_info()
    report["date"] = time.strftime("%Y-%m-%d")
    for name, (key, measure) in parts.items():
        if args.part in ("all", name):
            report[key] = {"source": source_version(), **measure()}
    emit(report, args.out, indent=1)
