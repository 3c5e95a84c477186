"""Boards up to suit permutation, checked against brute force over the 24 permutations."""

import itertools

import pytest

from holdem.cards.boards import canonical_boards


def _orbit_representatives(n_cards):
    """One board per suit-permutation class, by brute force over the 24 permutations."""
    seen = set()
    for board in itertools.combinations(range(52), n_cards):
        seen.add(
            min(
                tuple(sorted(4 * (c >> 2) + perm[c & 3] for c in board))
                for perm in itertools.permutations(range(4))
            )
        )
    return seen


def _canonical_form(board):
    return min(
        tuple(sorted(4 * (c >> 2) + perm[c & 3] for c in board))
        for perm in itertools.permutations(range(4))
    )


@pytest.mark.parametrize(("n_cards", "count"), [(3, 1755), (4, 16432), (5, 134459)])
def test_canonical_board_counts_are_the_known_numbers(n_cards, count):
    # 1,755 flops, 16,432 turns, 134,459 rivers up to suit permutation (Burnside's count)
    assert canonical_boards(n_cards).shape == (count, n_cards)


def test_canonical_flops_are_one_per_class():
    boards = canonical_boards(3)
    forms = {_canonical_form(tuple(int(c) for c in b)) for b in boards}
    assert len(forms) == len(boards)
    assert forms == _orbit_representatives(3)


@pytest.mark.slow
def test_canonical_turns_are_one_per_class():
    boards = canonical_boards(4)
    forms = {_canonical_form(tuple(int(c) for c in b)) for b in boards}
    assert len(forms) == len(boards) == len(_orbit_representatives(4))


def test_a_board_of_two_cards_is_refused():
    with pytest.raises(ValueError, match="3, 4 or 5"):
        canonical_boards(2)
