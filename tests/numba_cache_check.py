"""Shared check: a second process running a script loads its Numba kernels from the disk cache."""

import os
import subprocess
import sys


def _run(script: str) -> list[str]:
    env = dict(os.environ, NUMBA_DEBUG_CACHE="1")
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return (done.stdout + done.stderr).splitlines()


def assert_second_process_loads_from_cache(script: str, min_loaded: int) -> None:
    """Run ``script`` twice: the second run loads ``min_loaded`` or more kernels, compiles none."""
    _run(script)  # fills the cache if this checkout has not compiled yet
    log = _run(script)
    loaded = [line for line in log if "data loaded" in line]
    saved = [line for line in log if "data saved" in line]
    assert len(loaded) >= min_loaded
    assert saved == []
