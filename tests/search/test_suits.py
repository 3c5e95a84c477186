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
    with_symmetry = SpotSolver(SYMMETRIC)
    without = SpotSolver(SYMMETRIC, isomorphism=False)
    assert with_symmetry.table_size < 0.75 * without.table_size
    for solver in (with_symmetry, without):
        solver.iterate(30)
    assert with_symmetry.exploitability() == pytest.approx(without.exploitability(), rel=1e-5)
    values = with_symmetry.game_values()
    assert values == pytest.approx(without.game_values(), rel=1e-5, abs=1e-6)
    runouts = [tuple(parse_cards("4c")), tuple(parse_cards("4d"))]
    ours = solution_nodes(with_symmetry, runouts)
    theirs = solution_nodes(without, runouts)
    assert set(ours) == set(theirs)
    for history in ("xx/4d", "xx/4dx", "xx/4c", "xx/4cb75"):
        for combo, row in theirs[history].strategy.items():
            assert ours[history].strategy[combo] == pytest.approx(row, abs=1e-4), (history, combo)
        for combo, ev in theirs[history].ev.items():
            assert ours[history].ev[combo] == pytest.approx(ev, rel=1e-4, abs=1e-3)
