"""River equity per canonical hand, checked against independent enumerations."""

import itertools
from math import comb

import numpy as np
import phevaluator
import pytest

from holdem.abstraction.river_equity import board_equities, river_equity_table
from holdem.cards.boards import N_HOLE_PAIRS, canonical_boards
from holdem.cards.equity import equity_vs_random
from holdem.cards.isomorphism import N_RIVER_INDICES, hand_index, unindex_batch


def _phe_equity2(hole, board):
    """2 * wins + ties against every opponent hand, ranked by PHEvaluator (lower is better)."""
    deck = [c for c in range(52) if c not in hole and c not in board]
    mine = phevaluator.evaluate_cards(*hole, *board)
    wins = ties = 0
    for opp in itertools.combinations(deck, 2):
        theirs = phevaluator.evaluate_cards(*opp, *board)
        wins += mine < theirs
        ties += mine == theirs
    return 2 * wins + ties


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_board_kernel_matches_enumeration_for_every_hole_pair(seed):
    rng = np.random.default_rng(seed)
    board = np.sort(rng.choice(52, 5, replace=False)).astype(np.uint8)
    first = np.empty(N_HOLE_PAIRS, np.int64)
    second = np.empty(N_HOLE_PAIRS, np.int64)
    values = board_equities(board, first, second)
    pairs = list(itertools.combinations([c for c in range(52) if c not in board], 2))
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == pairs
    b = [int(c) for c in board]
    for h, (x, y) in enumerate(pairs):
        e = equity_vs_random([x, y], b)
        assert e.total == comb(45, 2)
        assert values[h] == 2 * e.wins + e.ties
    for h in rng.choice(N_HOLE_PAIRS, 5, replace=False):
        assert values[h] == _phe_equity2([int(first[h]), int(second[h])], b)


def test_board_kernel_on_boards_with_ties():
    # a royal flush on the board: every hand ties every other
    board = np.array([32 + 3, 36 + 3, 40 + 3, 44 + 3, 48 + 3], np.uint8)
    scratch = (np.empty(N_HOLE_PAIRS, np.int64), np.empty(N_HOLE_PAIRS, np.int64))
    values = board_equities(board, *scratch)
    assert np.all(values == 990)


def test_table_holds_each_hand_at_its_canonical_index():
    # fill from a few canonical boards, then look up suit-permuted copies of random hands
    rng = np.random.default_rng(11)
    boards = canonical_boards(5)
    chosen = boards[rng.choice(len(boards), 40, replace=False)]
    table = np.full(N_RIVER_INDICES, 65535, np.uint16)
    river_equity_table(chosen, table)
    for board in chosen[:10]:
        rest = [c for c in range(52) if c not in board]
        for _ in range(5):
            hole = [int(c) for c in rng.choice(rest, 2, replace=False)]
            perm = rng.permutation(4)
            moved_hole = [4 * (c >> 2) + int(perm[c & 3]) for c in hole]
            moved_board = [4 * (c >> 2) + int(perm[c & 3]) for c in board]
            rng.shuffle(moved_board)
            e = equity_vs_random(moved_hole, moved_board)
            assert table[hand_index(moved_hole, moved_board)] == 2 * e.wins + e.ties
    assert np.count_nonzero(table != 65535) <= 40 * N_HOLE_PAIRS


@pytest.mark.slow
def test_full_table_covers_every_index_and_matches_enumeration():
    table = np.full(N_RIVER_INDICES, 65535, np.uint16)
    river_equity_table(table=table)
    assert not np.any(table == 65535)
    assert table.max() == 1980
    rng = np.random.default_rng(5)
    indices = rng.choice(N_RIVER_INDICES, 300, replace=False)
    for index, hand in zip(indices, unindex_batch(3, indices), strict=True):
        e = equity_vs_random([int(c) for c in hand[:2]], [int(c) for c in hand[2:]])
        assert table[index] == 2 * e.wins + e.ties


def test_bad_boards_are_refused():
    with pytest.raises(ValueError, match="shape"):
        river_equity_table(np.zeros((3, 4), np.uint8))
