"""Suit symmetry: a spot solved with one table copy per suit class of each card dealt is the same
spot as solved with a copy per card."""

import numpy as np
import pytest

from holdem.cards.encoding import parse_card, parse_cards
from holdem.search.solution import solution_nodes
from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot
from holdem.search.spot_tree import ACTION
from holdem.search.suits import canonical_deal, second_deal, spot_symmetries

# spades and hearts on the board; clubs and diamonds free and the ranges written as classes
SYMMETRIC = Spot.build(
    "Ks 7s 2h 3h",
    100,
    400,
    "AA,KK,AK,76s,54s,QJs",
    "QQ-99,KQ,T9s,87s",
    BetTree.uniform([75], [60], True),
)

# the same free suits on a flop: both the turn and the river have classes
SYMMETRIC_FLOP = Spot.build(
    "Ks 7s 2h", 100, 400, "AA,KK,76s,QJs", "QQ-TT,KQs,87s", BetTree.uniform([75], [], False)
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


def test_second_deal_keeps_the_symmetries_that_fix_the_turn() -> None:
    """On the benchmark's flop Qs Jh 2h (clubs and diamonds free): a spade or heart turn
    leaves clubs and diamonds interchangeable for the river (35 classes of 48 cards), a club
    turn (the representative of clubs and diamonds) does not: 23 * 35 + 13 * 48 rivers."""
    board = tuple(parse_cards("Qs Jh 2h"))
    deck = np.array([c for c in range(52) if c not in board])
    slot = {int(c): i for i, c in enumerate(deck)}
    symmetries = [(0, 1, 2, 3), (1, 0, 2, 3)]
    first_slots = np.unique(canonical_deal(deck, symmetries)[0])
    assert len(first_slots) == 36
    representative, mapping, copy = second_deal(deck, symmetries, first_slots)
    assert (copy >= 0).sum() == 23 * 35 + 13 * 48 == 1429
    assert sorted(copy[copy >= 0].tolist()) == list(range(1429))
    row = {int(deck[s]): r for r, s in enumerate(first_slots)}
    spade, club = row[parse_card("4s")], row[parse_card("4c")]
    assert representative[spade, slot[parse_card("5d")]] == slot[parse_card("5c")]
    assert mapping[spade, slot[parse_card("5d")]] == 1
    assert copy[spade, slot[parse_card("5d")]] == -1
    assert representative[club, slot[parse_card("5d")]] == slot[parse_card("5d")]
    assert copy[club, slot[parse_card("4c")]] == -1  # the turn itself is not dealt again
    # without a symmetry every river is its own copy, numbered as vector_cfr's formula
    _, _, plain = second_deal(deck, [(0, 1, 2, 3)], np.arange(len(deck)))
    for first in (0, 7, 48):
        for second in (0, 7, 48):
            if first != second:
                expected = first * 48 + (second - 1 if second > first else second)
                assert plain[first, second] == expected


def _dealt_of_copies(solver: SpotSolver, depth: int) -> list[tuple[int, ...]]:
    """The cards dealt above each table copy of a node at ``depth`` (representatives only)."""
    deck = solver.game.deck.tolist()
    if depth == 0:
        return [()]
    firsts = [(deck[s],) for s in solver.first_slots]
    if depth == 1:
        return firsts
    return [
        (first, river)
        for (first,) in firsts
        for river in deck
        if river != first and solver.canonical((first, river))[0] == (first, river)
    ]


def test_a_flop_solved_with_river_symmetry_is_the_same_spot() -> None:
    """Both cards' classes on a flop: every table row of every node copy, the exploitability,
    the game values and each written node of runouts whose river is not its class's
    representative agree with the solver that keeps a copy per card. Compared after 2
    iterations: at the third a turn regret of 1e-15 (a hand indifferent between its actions;
    the solver without the symmetry walks 5d itself, summing in another order) crosses zero
    and regret matching follows it (see the test above)."""
    with_symmetry = SpotSolver(SYMMETRIC_FLOP)
    without = SpotSolver(SYMMETRIC_FLOP, isomorphism=False)
    # spades and hearts turns keep clubs and diamonds free for the river, club turns do not
    assert len(with_symmetry.game.plans.order[0]) == 23 * 35 + 13 * 48
    assert len(without.game.plans.order[0]) == 49 * 48
    for solver in (with_symmetry, without):
        solver.iterate(2)
    tree = with_symmetry.tree
    compared = 0
    for node in np.flatnonzero(tree.kind == ACTION).tolist():
        k, player = int(tree.n_children[node]), int(tree.player[node])
        size = k * len(with_symmetry.combos[player])
        for dealt in _dealt_of_copies(with_symmetry, int(tree.chance_depth[node])):
            rows = []
            for solver in (with_symmetry, without):
                start = solver.game.offset[node] + solver.copy_of(dealt) * size
                tables = (solver.regret, solver.strategy_sum)
                rows.append(np.concatenate([t[start : start + size] for t in tables]))
            scale = float(np.abs(rows[1]).max())
            np.testing.assert_allclose(rows[0], rows[1], rtol=1e-9, atol=1e-9 * scale)
            compared += 1
    assert compared > 1429
    assert with_symmetry.exploitability() == pytest.approx(without.exploitability(), rel=1e-9)
    assert with_symmetry.game_values() == pytest.approx(without.game_values(), rel=1e-9, abs=1e-9)
    runouts = [tuple(parse_cards(cards)) for cards in ("4s 5c", "4s 5d", "4d 5c", "4c 5d")]
    ours = solution_nodes(with_symmetry, runouts)
    theirs = solution_nodes(without, runouts)
    assert set(ours) == set(theirs)
    for history in ("xx/4sxx/5d", "xx/4sxx/5dx", "xx/4sxx/5cb75", "xx/4dxx/5c", "xx/4cxx/5d"):
        assert set(ours[history].strategy) == set(theirs[history].strategy)
        for combo, ev in theirs[history].ev.items():
            assert ours[history].ev[combo] == pytest.approx(ev, rel=1e-6, abs=1e-6)


def test_a_lock_that_tells_suits_apart_turns_the_symmetry_off() -> None:
    plain = SpotSolver(SYMMETRIC_FLOP)
    assert len(plain.symmetries) == 2
    k, n_hands = int(plain.tree.n_children[0]), len(plain.combos[0])
    even = np.full((k, n_hands), 1.0 / k)
    assert len(SpotSolver(SYMMETRIC_FLOP, locks={0: even}).symmetries) == 2
    lopsided = np.zeros((k, n_hands))
    lopsided[0] = np.linspace(0.0, 1.0, n_hands)  # no two hands alike, so no renaming keeps it
    lopsided[1] = 1.0 - lopsided[0]
    assert len(SpotSolver(SYMMETRIC_FLOP, locks={0: lopsided}).symmetries) == 1
