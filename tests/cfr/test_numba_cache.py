"""Numba's on-disk cache: a second process loads the solver kernels instead of compiling them."""

import os
import subprocess
import sys

SCRIPT = """
from holdem.cfr.best_response import exploitability
from holdem.cfr.game import load_game
from holdem.cfr.mccfr import ExternalSamplingSolver, MCCFROptions
from holdem.cfr.cfr_full import FullWidthSolver
game = load_game("leduc")
ExternalSamplingSolver(game, MCCFROptions(regret_dtype="int32")).run(10)
ExternalSamplingSolver(game).run(10)
solver = FullWidthSolver(game, "cfr+")
solver.run(2)
exploitability(game, solver.average_policy())
"""


def _run() -> str:
    env = dict(os.environ, NUMBA_DEBUG_CACHE="1")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout + done.stderr


def test_second_process_loads_every_solver_kernel_from_the_cache():
    _run()  # fills the cache if this checkout has not compiled yet
    log = _run()
    loaded = [line for line in log.splitlines() if "data loaded" in line]
    saved = [line for line in log.splitlines() if "data saved" in line]
    assert len(loaded) >= 8
    assert saved == []
