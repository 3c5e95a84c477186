"""What every benchmark script shares: a description of the machine, and child-process runs."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import numba


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
