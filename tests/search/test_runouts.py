"""All-in runouts by one matrix per board (`holdem.search.runouts`), against brute force.

The matrix is checked pair by pair against the 7-card evaluator over every river card; then a
flop spot whose lines go all in on the flop and on the turn is solved a few iterations and its
best responses compared with the tree recursion of `tests.search.spot_reference`, which deals
every turn and river card itself (no matrix, no sweep).
"""

import numpy as np
import pytest

from holdem.cards.combos import COMBOS
from holdem.cards.encoding import parse_cards
from holdem.cards.evaluator import evaluate
from holdem.search.runouts import CARDS_LEFT, runout_equity, runout_values
from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
from holdem.search.spot_tree import build_tree
from holdem.search.vector_cfr import MODE_BEST_RESPONSE
from tests.search.spot_reference import solver_strategy, strategy_value


def _hands(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` combinations (some hold the board's cards: their rows must come out 0)."""
    return np.ascontiguousarray(COMBOS[np.sort(rng.choice(len(COMBOS), n, replace=False))])


def test_runout_equity_equals_a_brute_force() -> None:
    rng = np.random.default_rng(11)
    board = parse_cards("Qs Jh 2h 8d")
    hands = (_hands(rng, 40), _hands(rng, 30))
    hands = (hands[0], np.vstack([hands[1], hands[0][:5]]))  # the same combinations in both
    equity = runout_equity(np.array([board]), hands)[0]
    assert equity.dtype == np.int8
    expected = np.zeros(equity.shape, np.int64)
    for h, mine in enumerate(hands[0].tolist()):
        for o, theirs in enumerate(hands[1].tolist()):
            if len({*mine, *theirs, *board}) < 8:
                continue  # a shared card: no such deal
            for river in set(range(52)) - {*mine, *theirs, *board}:
                ours = evaluate([*board, river, *mine])
                other = evaluate([*board, river, *theirs])
                expected[h, o] += (ours > other) - (ours < other)
    assert np.array_equal(equity, expected)
    assert np.abs(expected).max() > 30  # some pairs are far apart, not only near ties

    reach = rng.random(len(hands[1]))
    out = np.empty(len(hands[0]))
    runout_values(equity, 0, 12.5, reach, out)
    assert out == pytest.approx(12.5 / CARDS_LEFT * (expected @ reach), rel=1e-12)
    reach_0 = rng.random(len(hands[0]))
    out_1 = np.empty(len(hands[1]))
    runout_values(equity, 1, 12.5, reach_0, out_1)
    assert out_1 == pytest.approx(-12.5 / CARDS_LEFT * (expected.T @ reach_0), rel=1e-12)


# Three combinations each on a flop; all-in the only bet: lines go all in on the flop (the turn
# and the river dealt below) and on the turn (the river dealt below).
FLOP = Spot.build(
    "Ks Qd 7h",
    100,
    150,
    "AsAh,7c7d:0.5,JcTc",
    "KcKh,QcJd:0.7,8c8d:0.6",
    BetTree.uniform([], [], True, max_raises=0),
)


def test_flop_all_in_lines_equal_the_tree_recursion() -> None:
    tree = build_tree(FLOP)
    runouts = [n for n in range(tree.n_nodes) if tree.deals_the_last_card(n)]
    depths = {int(tree.street[tree.parent[tree.parent[n]]]) for n in runouts}
    assert len(runouts) >= 2 and depths == {0, 1}  # all in on the flop and on the turn
    # without suit symmetry the copies are the cards' slots, as the recursion numbers them
    solver = SpotSolver(FLOP, isomorphism=False)
    solver.iterate(3)
    strategy = solver_strategy(solver)
    ours = solver.game_values(MODE_BEST_RESPONSE)
    for p in (0, 1):
        assert ours[p] == pytest.approx(strategy_value(FLOP, tree, p, strategy), rel=1e-9)
