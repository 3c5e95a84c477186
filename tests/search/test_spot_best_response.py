"""The spot solver's exact best response, checked on its own against brute force.

A fresh solver's average strategy is uniform (no strategy sum yet); the exploitability it reports
must equal a brute-force best response computed hand by hand: for each hand of one player, a
recursion over every public node that takes the best action at its own decisions and sums over
the opponent's uniform actions, with the opponent's hands that share a card with it removed
(`tests.search.spot_reference.strategy_value`). No sorted sweep, no per-card sums: a loop over
every opponent hand at every fold and showdown, ranks from the 7-card evaluator.
"""

import numpy as np
import pytest

from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
from holdem.search.spot_tree import ACTION
from holdem.search.vector_cfr import MODE_AVERAGE, MODE_BEST_RESPONSE
from tests.search.spot_reference import live_hands, strategy_value, uniform_strategy

# 22 combinations each, with weights; both ranges hold Ac7c, 8c8d and QcQd, so the same
# combination in both hands and shared cards are both exercised. Two bets, a raise, all-in.
SPOT = Spot.build(
    "Qs Jh 7d 4c 2s",
    100,
    300,
    "AA,KQs,JTs,77,A5s:0.5,Ac7c,8c8d:0.3,QcQd",
    "KK,QQ:0.5,AJs,T9s,44,Ac7c:0.6,8c8d,AhKd:0.25",
    BetTree.uniform([33, 75], [50], True, max_raises=2),
)


def test_uniform_strategy_exploitability_equals_brute_force() -> None:
    solver = SpotSolver(SPOT)
    tree = solver.tree
    sizes = [len(live_hands(SPOT, p).cards) for p in (0, 1)]
    assert min(sizes) >= 18 and max(sizes) <= 30
    assert tree.n_nodes > 40
    # the average of no iteration is uniform: what the brute force plays against
    for node in range(tree.n_nodes):
        if tree.kind[node] == ACTION:
            k = int(tree.n_children[node])
            assert np.array_equal(
                solver.strategy(node), np.full((k, sizes[tree.player[node]]), 1 / k)
            )
    uniform = uniform_strategy(SPOT, tree)
    brute = [strategy_value(SPOT, tree, p, uniform) for p in (0, 1)]
    ours = solver.game_values(MODE_BEST_RESPONSE)
    for p in (0, 1):
        assert ours[p] == pytest.approx(brute[p], rel=1e-9)
    exploitability = (brute[0] + brute[1]) / 2 / SPOT.pot * 100
    assert exploitability > 1.0
    assert solver.exploitability() == pytest.approx(exploitability, rel=1e-9)
    # and the value of uniform against uniform, by the same recursion
    on_policy = strategy_value(SPOT, tree, 0, uniform, uniform)
    assert solver.game_values(MODE_AVERAGE)[0] == pytest.approx(on_policy, rel=1e-9)
