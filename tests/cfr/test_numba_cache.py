"""Numba's on-disk cache: a second process loads the solver kernels instead of compiling them."""

from tests.numba_cache_check import assert_second_process_loads_from_cache

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


def test_second_process_loads_every_solver_kernel_from_the_cache():
    assert_second_process_loads_from_cache(SCRIPT, min_loaded=8)
