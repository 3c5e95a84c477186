"""Node locking: a player's strategy fixed at a node, the rest solved against it."""

import numpy as np

from holdem.cli.spot import first_street_nodes
from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot

RIVER = Spot.build(
    "Qs Jh 2h 8d 3c",
    1000,
    9500,
    "AA,KK,QQ,AK,AQs,99:0.75,JTs,T9s",
    "QQ:0.5,JJ-22,AQo:0.75,KQ,KJs,QJs",
    BetTree.uniform([75], [50], False),
)


def _defence(solver: SpotSolver, node: int) -> float:
    """OOP's share of the range that does not fold at ``node`` (it faces a bet)."""
    reach = solver.reach_at(node, ())[0]
    strategy = solver.strategy(node)
    fold = solver.tree.actions_of(node).index("f")
    return float(1 - strategy[fold] @ reach / reach.sum())


def test_a_locked_bet_is_played_and_met_with_more_calls() -> None:
    free = SpotSolver(RIVER)
    nodes = first_street_nodes(free.tree)
    after_check, facing = nodes["x"], nodes["xb750"]
    actions = free.tree.actions_of(after_check)
    lock = np.zeros((len(actions), len(free.combos[1])))
    lock[actions.index("b750")] = 1.0  # IP bets 750 with its whole range after a check
    locked = SpotSolver(RIVER, locks={after_check: lock})
    for solver in (free, locked):
        last = solver.solve(accuracy_pct=0.2, max_iterations=2000)
        # the best response respects the lock, so the locked game's exploitability still falls
        assert last.exploitability_pct <= 0.2
    assert np.array_equal(locked.strategy(after_check), lock)
    # IP's check-back range now bets too: OOP defends more against a range full of air
    assert _defence(locked, facing) > _defence(free, facing) + 0.1
    # and the values differ: OOP earns more against the exploitable lock
    assert locked.game_values()[0] > free.game_values()[0]
