"""Random tiny spots, each against the references of `tests.search.spot_reference`.

Seeded draws of a board, a few combinations per player (overlapping ranges, sometimes the same
combination in both), weights, pot, stack and a bet tree (sizes, raises, all-in, the all-in
threshold, the raise cap). On each river spot: the kernel's value of the sequence-form LP's
equilibrium is the LP value and its exploitability 0, and after a few iterations its best
responses equal the tree recursion's. On each turn spot: the best responses against the
uniform strategy (every river card, card removal against the river card).
"""

import numpy as np
import pytest

from holdem.cards.combos import COMBOS
from holdem.cards.encoding import format_cards
from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
from holdem.search.spot_tree import ACTION, build_tree
from holdem.search.vector_cfr import MODE_AVERAGE, MODE_BEST_RESPONSE
from tests.search.spot_reference import (
    behavior,
    pair_mass,
    sequence_form,
    solve_equilibrium,
    solver_strategy,
    strategy_value,
    uniform_strategy,
)


def random_spot(seed: int, board_size: int, max_combos: int) -> Spot:
    """A small spot drawn from ``seed`` (ranges in single-combination syntax with weights)."""
    rng = np.random.default_rng(seed)
    cards = [int(c) for c in rng.permutation(52)]
    board, rest = cards[:board_size], cards[board_size:]
    # the combinations of six cards: many share a card
    pool = [(a, b) for i, a in enumerate(rest[:6]) for b in rest[i + 1 : 6]]
    ranges = []
    for _ in range(2):
        picks = rng.choice(len(pool), size=int(rng.integers(2, max_combos + 1)), replace=False)
        parts = []
        for i in picks:
            a, b = pool[int(i)]
            weight = float(rng.choice([0.25, 0.5, 0.8, 1.0]))
            parts.append(f"{format_cards([a, b], sep='')}:{weight:g}")
        ranges.append(",".join(parts))
    bets = sorted(rng.choice([25, 50, 75, 100, 150], size=int(rng.integers(1, 3)), replace=False))
    raises = [int(rng.choice([50, 100]))] if rng.random() < 0.7 else []
    tree = BetTree.uniform(
        [float(b) for b in bets],
        raises,
        bool(rng.random() < 0.5),
        allin_threshold=float(rng.choice([0.0, 0.2])),
        max_raises=int(rng.integers(1, 3)),
    )
    pot = int(rng.integers(20, 200))
    stack = int(rng.integers(pot // 2, 4 * pot))
    spot = Spot.build(format_cards(board), pot, stack, ranges[0], ranges[1], tree)
    if pair_mass(spot) == 0:  # every OOP hand shares a card with every IP hand: draw again
        return random_spot(seed + 1000, board_size, max_combos)
    return spot


def test_random_spots_are_varied() -> None:
    spots = [random_spot(seed, 5, 4) for seed in range(10)]
    # different combinations of the two ranges that share a card, and the same combination on
    # both sides
    shared = same = 0
    for spot in spots:
        live = [set(np.flatnonzero(r > 0)) for r in spot.ranges]
        same += bool(live[0] & live[1])
        shared += any(len(set(COMBOS[a]) & set(COMBOS[b])) == 1 for a in live[0] for b in live[1])
    assert shared >= 3 and same >= 1
    assert len({build_tree(s).n_nodes for s in spots}) >= 3


@pytest.mark.parametrize("seed", range(10))
def test_random_river_against_the_lp(seed: int) -> None:
    spot = random_spot(seed, 5, 4)
    tree = build_tree(spot)
    form = sequence_form(spot, tree)
    value, plan_oop = solve_equilibrium(form, 0)
    value_ip, plan_ip = solve_equilibrium(form, 1)
    assert value == pytest.approx(-value_ip, abs=1e-8)
    tables = (behavior(form, spot, tree, 0, plan_oop), behavior(form, spot, tree, 1, plan_ip))
    locks = {
        node: tables[int(tree.player[node])][(node, ())]
        for node in range(tree.n_nodes)
        if tree.kind[node] == ACTION
    }
    locked = SpotSolver(spot, locks=locks)
    v0, v1 = locked.game_values(MODE_AVERAGE)
    assert v0 == pytest.approx(value, abs=1e-6)
    assert v1 == pytest.approx(-value, abs=1e-6)
    assert abs(locked.exploitability()) < 1e-6

    solver = SpotSolver(spot)
    solver.iterate(7)
    strategy = solver_strategy(solver)
    ours = solver.game_values(MODE_BEST_RESPONSE)
    for p in (0, 1):
        expected = strategy_value(spot, tree, p, strategy)
        assert ours[p] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert -ours[1] - 1e-7 <= value <= ours[0] + 1e-7


@pytest.mark.parametrize("seed", range(4))
def test_random_turn_uniform_best_response(seed: int) -> None:
    spot = random_spot(100 + seed, 4, 3)
    tree = build_tree(spot)
    solver = SpotSolver(spot)
    uniform = uniform_strategy(spot, tree)
    ours = solver.game_values(MODE_BEST_RESPONSE)
    for p in (0, 1):
        assert ours[p] == pytest.approx(strategy_value(spot, tree, p, uniform), rel=1e-9)
    expected = strategy_value(spot, tree, 0, uniform, uniform)
    assert solver.game_values(MODE_AVERAGE)[0] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_ranges_with_no_deal_are_refused() -> None:
    # every OOP hand shares the 3s with every IP hand: no deal exists, the values divide by 0
    with pytest.raises(ValueError):
        spot = Spot.build(
            "Ah Kd 5c 2h", 100, 200, "3s7h,Ts3s", "3s6d", BetTree.uniform([50], [], False)
        )
        SpotSolver(spot).game_values()


def test_random_turn_best_response_after_iterations() -> None:
    for seed in range(206, 212):
        spot = random_spot(seed, 4, 3)
        tree = build_tree(spot)
        solver = SpotSolver(spot)
        for iterations in (1, 3, 6):
            solver.iterate(iterations - solver.iterations)
            strategy = solver_strategy(solver)
            ours = solver.game_values(MODE_BEST_RESPONSE)
            for p in (0, 1):
                expected = strategy_value(spot, tree, p, strategy)
                assert ours[p] == pytest.approx(expected, rel=1e-9, abs=1e-9), (seed, iterations)
