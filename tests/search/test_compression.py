"""16-bit tables: each entry within half a step of the float32 solver's, the same accuracy
reached in about as many iterations, half the memory."""

import numpy as np
import pytest

from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
from holdem.search.spot_tree import ACTION
from holdem.search.vector_cfr import REGRET_STEPS, SUM_STEPS

TURN = Spot.build(
    "Ks 7s 2h 3h",
    100,
    400,
    "AA,KK,AK,76s,54s,QJs,JTs:0.5",
    "QQ-99,KQ,T9s,87s,A5s",
    BetTree.uniform([50, 100], [60], True),
)


def _every_copy(solver: SpotSolver) -> list[tuple[int, int]]:
    tree = solver.tree
    copies = (1, len(solver.first_slots))
    return [
        (node, copy)
        for node in np.flatnonzero(tree.kind == ACTION).tolist()
        for copy in range(copies[int(tree.chance_depth[node])])
    ]


def test_one_iteration_is_stored_to_within_half_a_step() -> None:
    """OOP's first update plays the uniform strategy in both solvers, so OOP's regrets and sums
    differ only by the rounding of 16-bit storage: at most half a step of the node copy's scale
    (plus float32's rounding of the plain solver). (IP's first update already plays against
    OOP's updated, rounded regrets.)"""
    plain, compressed = SpotSolver(TURN), SpotSolver(TURN, compress=True)
    for solver in (plain, compressed):
        solver.iterate(1)
    assert compressed.regret.dtype == np.int16 and compressed.strategy_sum.dtype == np.uint16
    checked = 0
    for node, copy in _every_copy(plain):
        if plain.tree.player[node] != 0:
            continue
        exact = plain.table_rows(node, copy)
        stored = compressed.table_rows(node, copy)
        for steps, want, got in zip((REGRET_STEPS, SUM_STEPS), exact, stored, strict=True):
            scale = np.abs(want).max()
            assert np.abs(got - want).max() <= scale / steps / 2 + 1e-6 * scale
            checked += 1
    assert checked > 100


def test_a_compressed_solve_reaches_the_accuracy_in_half_the_memory() -> None:
    plain, compressed = SpotSolver(TURN), SpotSolver(TURN, compress=True)
    assert compressed.memory_bytes < 0.55 * plain.memory_bytes
    done = [solver.solve(0.5, 400) for solver in (plain, compressed)]
    assert done[1].exploitability_pct <= 0.5
    assert done[1].iterations <= 1.25 * done[0].iterations
    # each average strategy's value is within twice its exploitability (the mean of both
    # players' gains) of the game's value, so the two are within the sum of those bounds
    values = [solver.game_values()[0] for solver in (plain, compressed)]
    bound = 2 * sum(d.exploitability_pct for d in done) / 100 * TURN.pot
    assert values[1] == pytest.approx(values[0], abs=bound)
