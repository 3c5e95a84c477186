"""Cached kernels follow their sources, also across modules (holdem.kernel_cache)."""

import os
import subprocess
import sys
import time
from pathlib import Path

from holdem.kernel_cache import STAMP, drop_stale_kernels

CALLEE = """
from numba import njit

@njit(cache=True)
def step():
    return {value}
"""

CALLER = """
from numba import njit
from kernels.callee import step

@njit(cache=True)
def total():
    return step() + 100
"""

RUN = """
import sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "guarded":
    from pathlib import Path
    from holdem.kernel_cache import drop_stale_kernels
    drop_stale_kernels(Path(sys.argv[1]) / "kernels")
from kernels.caller import total
print(total())
"""


def _package(root: Path, value: int) -> None:
    package = root / "kernels"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "caller.py").write_text(CALLER)
    callee = package / "callee.py"
    callee.write_text(CALLEE.format(value=value))
    # a new modification time even on a file system with coarse stamps
    later = time.time() + value
    os.utime(callee, (later, later))


def _total(root: Path, mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(root), mode],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return int(done.stdout.strip())


def test_a_change_in_a_called_module_reaches_the_caller(tmp_path: Path) -> None:
    _package(tmp_path, 1)
    assert _total(tmp_path, "plain") == 101
    _package(tmp_path, 5)
    # Numba alone keeps the caller's cached code, with the old callee inlined in it
    assert _total(tmp_path, "plain") == 101
    assert _total(tmp_path, "guarded") == 105
    _package(tmp_path, 7)
    assert _total(tmp_path, "guarded") == 107


def test_caches_are_kept_while_the_sources_do_not_change(tmp_path: Path) -> None:
    package = tmp_path / "kernels"
    cache = package / "__pycache__"
    cache.mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    for name in ("a.f-3.py311.nbi", "a.f-3.py311.1.nbc"):
        (cache / name).write_bytes(b"compiled")
    assert drop_stale_kernels(package) == 2  # no digest yet: nothing is known to be fresh
    assert (cache / STAMP).is_file()
    (cache / "a.f-3.py311.nbi").write_bytes(b"compiled")
    assert drop_stale_kernels(package) == 0
    assert (cache / "a.f-3.py311.nbi").is_file()
    (package / "a.py").write_text("x = 22\n")
    assert drop_stale_kernels(package) == 1
    assert not (cache / "a.f-3.py311.nbi").exists()


def test_a_folder_it_cannot_write_to_is_no_error(tmp_path: Path) -> None:
    """An error of the file system (here: no such folder) leaves the caches to Numba."""
    assert drop_stale_kernels(tmp_path / "absent") == 0
