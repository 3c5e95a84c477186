"""The spot solver against an exact solution of the same game that it did not compute.

The game of tiny river, turn and flop spots is written out independently of the kernel
(`tests.search.spot_reference`: the deal of both hands with card removal, the turn and river
cards, payoffs from the 7-card evaluator) and solved as a sequence-form linear program (Koller,
Megiddo and von Stengel, STOC 1994) with HiGHS. Checked:

- the kernel's value of the LP's equilibrium (locked at every node on the river, written into
  the strategy sums per card below a chance node) is the LP value to 1e-6, and the kernel's
  exploitability of it is 0;
- the solver's own solution: the LP value lies between the two best-response values, and the
  average strategies' value within their exploitability of it;
- the kernel's best responses against its average strategy equal two references: a
  recursion over the public tree per hand and the sequence-form best response (a linear
  program over the realization plans); on the turn this covers the 44 river cards of each deal
  and the strategy copies below the chance node.

Three tests of the turn and flop cover chance nodes that the traverser's current strategy never
reaches: their values count in the best response and their regrets are still updated.
"""

from dataclasses import dataclass

import numpy as np
import pytest

from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
from holdem.search.spot_tree import ACTION, SpotTree, build_tree
from holdem.search.vector_cfr import MODE_AVERAGE, MODE_BEST_RESPONSE
from tests.search.spot_reference import (
    SequenceForm,
    behavior,
    best_response_lp,
    copy_of,
    exploitability_pct,
    live_hands,
    realization_plan,
    sequence_form,
    solve_equilibrium,
    solver_strategy,
    strategy_value,
)

# Four combinations each with weights; KcKh/Kh7s and AsAh/Ah5h share a card, so the deal's card
# removal matters. Two bet sizes, a raise (all-in at this stack).
RIVER = Spot.build(
    "Ks Qd 7h 4c 2s",
    100,
    200,
    "AsAh,7c7d:0.5,JcTc,Kh7s:0.3",
    "KcKh,QcJd:0.7,8c8d,Ah5h:0.4",
    BetTree.uniform([50, 100], [100], False, max_raises=1),
)
# Three combinations each, one bet size and all-in on both streets: the river card is dealt
# below four turn lines (one of them all-in, straight to the showdown).
TURN = Spot.build(
    "Ks Qd 7h 4c",
    100,
    150,
    "AsAh,7c7d:0.5,JcTc",
    "KcKh,QcJd:0.7,8c8d:0.6",
    BetTree.uniform([75], [], True, max_raises=1),
)


@dataclass(frozen=True)
class Solved:
    """The river spot's sequence form and both players' linear programs."""

    tree: SpotTree
    form: SequenceForm
    value: float
    value_ip: float
    plans: tuple[np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def river_lp() -> Solved:
    tree = build_tree(RIVER)
    form = sequence_form(RIVER, tree)
    value, plan_oop = solve_equilibrium(form, 0)
    value_ip, plan_ip = solve_equilibrium(form, 1)
    return Solved(tree, form, value, value_ip, (plan_oop, plan_ip))


def test_lp_values_of_both_players_are_opposite(river_lp: Solved) -> None:
    value, value_ip = river_lp.value, river_lp.value_ip
    # two separate programs (each player maximising) meet at the game's value
    assert value == pytest.approx(-value_ip, abs=1e-9)
    assert value < 0  # IP's nut-heavy range wins: a value of 0 would hint at a broken payoff


def test_kernel_values_the_lp_equilibrium_exactly(river_lp: Solved) -> None:
    tree, value = river_lp.tree, river_lp.value
    tables = tuple(behavior(river_lp.form, RIVER, tree, p, river_lp.plans[p]) for p in (0, 1))
    locks = {
        node: tables[int(tree.player[node])][(node, ())]
        for node in range(tree.n_nodes)
        if tree.kind[node] == ACTION
    }
    # the equilibrium is not the uniform strategy the kernel starts from
    assert any(not np.allclose(table, 1.0 / table.shape[0]) for table in locks.values())
    solver = SpotSolver(RIVER, locks=locks)
    for p in (0, 1):
        assert np.array_equal(solver.combos[p], np.flatnonzero(RIVER.ranges[p] > 0))
    v0, v1 = solver.game_values(MODE_AVERAGE)
    assert v0 == pytest.approx(value, abs=1e-6)
    assert v1 == pytest.approx(-value, abs=1e-6)
    assert abs(solver.exploitability()) < 1e-6
    # and the tree recursion agrees that the LP's strategies are an equilibrium
    strategies = tuple(lambda n, d, t=t: t[(n, d)] for t in tables)
    assert abs(exploitability_pct(RIVER, tree, strategies)) < 1e-6


@pytest.mark.parametrize("algorithm", ["dcfr", "cfr+"])
def test_solved_value_lies_within_exploitability_of_the_lp_value(
    river_lp: Solved, algorithm: str
) -> None:
    value = river_lp.value
    solver = SpotSolver(RIVER, algorithm)
    solver.iterate(4000)
    br0, br1 = solver.game_values(MODE_BEST_RESPONSE)
    gap = br0 + br1
    assert solver.exploitability() < 3e-3  # % of the pot
    # each best response bounds the game value from its side
    assert -br1 - 1e-7 <= value <= br0 + 1e-7
    v0, v1 = solver.game_values(MODE_AVERAGE)
    assert abs(v0 - value) <= gap + 1e-7
    assert v0 == pytest.approx(-v1, abs=1e-9)


def _check_best_responses(spot: Spot, iterations: int) -> None:
    """Kernel best responses and values against the tree recursion and the sequence form."""
    tree = build_tree(spot)
    form = sequence_form(spot, tree)
    solver = SpotSolver(spot)
    solver.iterate(iterations)
    strategy = solver_strategy(solver)
    ours = solver.game_values(MODE_BEST_RESPONSE)
    for p in (0, 1):
        by_tree = strategy_value(spot, tree, p, strategy)
        plan = realization_plan(form, tree, 1 - p, strategy)
        by_lp = best_response_lp(form, p, plan)
        assert ours[p] == pytest.approx(by_tree, rel=1e-9, abs=1e-9)
        assert ours[p] == pytest.approx(by_lp, rel=1e-7, abs=1e-7)
    mine = exploitability_pct(spot, tree, (strategy, strategy))
    assert mine > 0.1  # far from solved: a best response that did nothing would show here
    assert solver.exploitability() == pytest.approx(mine, rel=1e-6)
    v0, _ = solver.game_values(MODE_AVERAGE)
    plans = [realization_plan(form, tree, p, strategy) for p in (0, 1)]
    assert v0 == pytest.approx(strategy_value(spot, tree, 0, strategy, strategy), abs=1e-9)
    assert v0 == pytest.approx(float(plans[0] @ (form.payoff @ plans[1])), abs=1e-9)


def test_best_response_equals_references_on_the_river() -> None:
    _check_best_responses(RIVER, 20)


def test_best_response_equals_references_on_the_turn() -> None:
    tree = build_tree(TURN)
    assert any(tree.chance_depth[n] == 1 and tree.kind[n] == ACTION for n in range(tree.n_nodes))
    assert len(live_hands(TURN, 0).cards) == 3
    _check_best_responses(TURN, 10)


def _kernel_values_lp_equilibrium(spot: Spot) -> None:
    """Locks hold one table for every card dealt, so the LP's equilibrium (whose later play
    depends on the cards) goes into the strategy sums: the average strategy is their
    normalised rows, at g.offset[node] + (copy * k + a) * H + h (vector_cfr's layout)."""
    tree = build_tree(spot)
    form = sequence_form(spot, tree)
    value, plan_oop = solve_equilibrium(form, 0)
    value_ip, plan_ip = solve_equilibrium(form, 1)
    assert value == pytest.approx(-value_ip, abs=1e-8)
    solver = SpotSolver(spot)
    board = tuple(spot.board)
    below_chance = 0
    for p, plan in ((0, plan_oop), (1, plan_ip)):
        for (node, dealt), table in behavior(form, spot, tree, p, plan).items():
            k, n_hands = table.shape
            start = solver.game.offset[node] + copy_of(board, dealt) * k * n_hands
            solver.strategy_sum[start : start + k * n_hands] = table.ravel()
            below_chance += len(dealt) > 0
    assert below_chance > 100
    v0, v1 = solver.game_values(MODE_AVERAGE)
    assert v0 == pytest.approx(value, abs=1e-6)
    assert v1 == pytest.approx(-value, abs=1e-6)
    # the strategies are stored in float32: 3e-7 (turn) and 4e-7 (flop) % of the pot measured
    assert abs(solver.exploitability()) < 1e-5


def test_kernel_values_the_turn_lp_equilibrium_exactly() -> None:
    _kernel_values_lp_equilibrium(TURN)


def test_turn_solution_brackets_the_lp_value() -> None:
    tree = build_tree(TURN)
    value, _ = solve_equilibrium(sequence_form(TURN, tree), 0)
    solver = SpotSolver(TURN)
    solver.iterate(300)
    br0, br1 = solver.game_values(MODE_BEST_RESPONSE)
    assert -br1 - 1e-7 <= value <= br0 + 1e-7
    assert abs(solver.game_values(MODE_AVERAGE)[0] - value) <= br0 + br1 + 1e-7


# One OOP hand: after a few iterations its current strategy (regret matching) plays one line
# only, so the chance nodes below the other lines are not reached by OOP's current strategy.
TURN_ONE_HAND = Spot.build(
    "Ks Qd 7h 4c",
    100,
    100,
    "AsAh",
    "KcKh:0.5,8c8d",
    BetTree.uniform([100], [], False, max_raises=0),
)


def test_best_response_where_the_current_strategy_leaves_a_line() -> None:
    tree = build_tree(TURN_ONE_HAND)
    solver = SpotSolver(TURN_ONE_HAND)
    for _ in range(8):
        solver.iterate(1)
        strategy = solver_strategy(solver)
        ours = solver.game_values(MODE_BEST_RESPONSE)
        # at iteration 3 ours is (0.0, 12.8895) against the reference's (28.8149, 12.8895)
        for p in (0, 1):
            expected = strategy_value(TURN_ONE_HAND, tree, p, strategy)
            assert ours[p] == pytest.approx(expected, rel=1e-9), (solver.iterations, p)


def test_turn_converges_where_the_current_strategy_leaves_a_line() -> None:
    tree = build_tree(TURN_ONE_HAND)
    solver = SpotSolver(TURN_ONE_HAND)
    solver.iterate(1000)
    strategy = solver_strategy(solver)
    # the kernel walked from the root on one thread (no chance node skipped) reaches 0.0074 %
    # of the pot in 1,000 iterations; with the skipped chance nodes the regrets of the first
    # street are wrong and it is at 0.18 %
    assert exploitability_pct(TURN_ONE_HAND, tree, (strategy, strategy)) < 0.05


FLOP = Spot.build(
    "Ks Qd 7h",
    100,
    100,
    "AsAh,JcTc:0.5",
    "KcKh:0.5,8c8d",
    BetTree.uniform([100], [], False, max_raises=0),
)


def test_flop_value_of_the_average_strategies() -> None:
    # two chance nodes deep: the copies of the river's nodes number (turn, river) card pairs
    tree = build_tree(FLOP)
    assert max(tree.chance_depth) == 2
    solver = SpotSolver(FLOP)
    solver.iterate(5)
    strategy = solver_strategy(solver)
    v0, v1 = solver.game_values(MODE_AVERAGE)
    expected = strategy_value(FLOP, tree, 0, strategy, strategy)
    assert abs(expected) > 0.5
    assert v0 == pytest.approx(expected, rel=1e-9)
    assert v1 == pytest.approx(-expected, rel=1e-9)


def test_flop_best_responses() -> None:
    tree = build_tree(FLOP)
    solver = SpotSolver(FLOP)
    solver.iterate(5)
    strategy = solver_strategy(solver)
    ours = solver.game_values(MODE_BEST_RESPONSE)
    # ours (3.1032, 2.5558), the reference's (32.6799, 2.5558)
    for p in (0, 1):
        assert ours[p] == pytest.approx(strategy_value(FLOP, tree, p, strategy), rel=1e-9)


# About 20 combinations each on a richer tree: two bets, a raise, all-in, two raises at most.
MEDIUM = Spot.build(
    "Qs Jh 7d 4c 2s",
    100,
    400,
    "AA,KQs,JTs,77,A5s:0.5",
    "KK,QQ:0.5,AJs,T9s,44:0.7,8c8d",
    BetTree.uniform([33, 75], [60], True, max_raises=2),
)


def test_medium_river_against_the_lp() -> None:
    tree = build_tree(MEDIUM)
    form = sequence_form(MEDIUM, tree)
    value, plan_oop = solve_equilibrium(form, 0)
    value_ip, plan_ip = solve_equilibrium(form, 1)
    assert value == pytest.approx(-value_ip, abs=1e-8)
    tables = (behavior(form, MEDIUM, tree, 0, plan_oop), behavior(form, MEDIUM, tree, 1, plan_ip))
    locks = {
        node: tables[int(tree.player[node])][(node, ())]
        for node in range(tree.n_nodes)
        if tree.kind[node] == ACTION
    }
    locked = SpotSolver(MEDIUM, locks=locks)
    assert locked.game_values(MODE_AVERAGE)[0] == pytest.approx(value, abs=1e-6)
    assert abs(locked.exploitability()) < 1e-6
    solver = SpotSolver(MEDIUM)
    solver.iterate(1000)
    br0, br1 = solver.game_values(MODE_BEST_RESPONSE)
    assert solver.exploitability() < 0.01  # measured 0.0035
    assert -br1 - 1e-7 <= value <= br0 + 1e-7
    assert abs(solver.game_values(MODE_AVERAGE)[0] - value) <= br0 + br1 + 1e-7


@pytest.mark.slow
def test_medium_river_solved_close_to_the_lp_value() -> None:
    tree = build_tree(MEDIUM)
    value, _ = solve_equilibrium(sequence_form(MEDIUM, tree), 0)
    solver = SpotSolver(MEDIUM)
    solver.iterate(20000)
    v0, _ = solver.game_values(MODE_AVERAGE)
    br0, br1 = solver.game_values(MODE_BEST_RESPONSE)
    # measured: 5.5e-5 % of the pot, and the value within 4e-8 chips of the LP's
    assert solver.exploitability() < 1e-4
    assert -br1 - 1e-7 <= value <= br0 + 1e-7
    assert abs(v0 - value) <= br0 + br1 + 1e-7


@pytest.mark.slow
def test_kernel_values_the_flop_lp_equilibrium_exactly() -> None:
    # two chance nodes: 17,681 sequences a player, about 20 s (the LPs)
    _kernel_values_lp_equilibrium(FLOP)
