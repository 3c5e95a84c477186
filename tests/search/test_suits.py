"""Suit symmetry: a spot solved with one table copy per suit class of the first card dealt is the
same spot as solved with a copy per card."""

import numpy as np
import pytest

from holdem.cards.encoding import parse_card, parse_cards
from holdem.search.solution import solution_nodes
from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
from holdem.search.suits import canonical_deal, spot_symmetries

# spades and hearts on the board; clubs and diamonds free and the ranges written as classes
SYMMETRIC = Spot.build(
    "Ks 7s 2h 3h",
    100,
    400,
    "AA,KK,AK,76s,54s,QJs",
    "QQ-99,KQ,T9s,87s",
    BetTree.uniform([75], [60], True),
)


def test_symmetries_of_a_board_and_ranges() -> None:
    assert spot_symmetries(SYMMETRIC.board, SYMMETRIC.ranges) == [(0, 1, 2, 3), (1, 0, 2, 3)]
    # a single combination in a range breaks the symmetry
    lopsided = Spot.build(
        "Ks 7s 2h 3h", 100, 400, "AA,QcJc", "QQ-99", BetTree.uniform([75], [], False)
    )
    assert spot_symmetries(lopsided.board, lopsided.ranges) == [(0, 1, 2, 3)]
    # a monotone flop leaves three suits free: 3! permutations
    assert len(spot_symmetries(tuple(parse_cards("Ks 7s 2s")), ())) == 6


def test_canonical_deal_pairs_clubs_with_diamonds() -> None:
    deck = np.array([c for c in range(52) if c not in SYMMETRIC.board])
    representative, mapping = canonical_deal(deck, [(0, 1, 2, 3), (1, 0, 2, 3)])
    slot = {int(c): i for i, c in enumerate(deck)}
    assert representative[slot[parse_card("4d")]] == slot[parse_card("4c")]
    assert mapping[slot[parse_card("4d")]] == 1
    assert representative[slot[parse_card("4s")]] == slot[parse_card("4s")]
    assert len(np.unique(representative)) == 48 - 13


def test_solving_with_the_symmetry_changes_nothing_but_memory() -> None:
    """Walking a class's representative and renaming suits gives every card's values: the
    same tables give the same values, strategies and game values, up to rounding.

    Compared after 3 iterations, where the tables are no longer uniform: later, CFR with
    float32 tables is chaotic (a relative change of 1e-14 in one showdown's values moves the
    exploitability after 30 iterations by 10%), and the sums of the two solvers run in
    different orders; both still converge (checked after 30). Strategies are not compared
    hand by hand: a hand indifferent between its actions has regrets at the level of rounding,
    and its regret matching follows the rounding (8c7c after "xx/4d" mixes 0.93/0.04/0.04 in one
    solver and 0.04/0.48/0.48 in the other, both at the value 100.0)."""
    with_symmetry = SpotSolver(SYMMETRIC)
    without = SpotSolver(SYMMETRIC, isomorphism=False)
    assert with_symmetry.table_size < 0.75 * without.table_size
    for solver in (with_symmetry, without):
        solver.iterate(3)
    assert with_symmetry.exploitability() == pytest.approx(without.exploitability(), rel=1e-9)
    values = with_symmetry.game_values()
    assert values == pytest.approx(without.game_values(), rel=1e-9, abs=1e-9)
    runouts = [tuple(parse_cards("4c")), tuple(parse_cards("4d"))]
    ours = solution_nodes(with_symmetry, runouts)
    theirs = solution_nodes(without, runouts)
    assert set(ours) == set(theirs)
    for history in ("xx/4d", "xx/4dx", "xx/4c", "xx/4cb75"):
        assert set(ours[history].strategy) == set(theirs[history].strategy)
        for combo, ev in theirs[history].ev.items():
            assert ours[history].ev[combo] == pytest.approx(ev, rel=1e-6, abs=1e-6)
    for solver in (with_symmetry, without):
        solver.iterate(27)
    assert with_symmetry.exploitability() < 1.0
    assert without.exploitability() < 1.0
    assert with_symmetry.game_values() == pytest.approx(without.game_values(), rel=1e-3)
