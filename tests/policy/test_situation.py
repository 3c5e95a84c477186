"""The history syntax: actions, positions, big blinds, streets, and one-line mistakes."""

import pytest

from holdem.cards.encoding import parse_cards
from holdem.policy.situation import (
    history_text,
    parse_board,
    parse_hand,
    parse_situation,
    position_names,
    position_of,
    seat_of,
)
from holdem.rules.actions import Action
from holdem.rules.table import TableConfig

HEADS_UP = TableConfig((10_000, 10_000), 50, 100, 0, 0)
SIX = TableConfig((2000,) * 6, 10, 20, 0, 5)  # seat 0 is the small blind, as in the trees


def test_positions_from_the_small_blind_on():
    assert position_names(2) == ("SB", "BB")
    assert position_names(3) == ("SB", "BB", "BTN")
    assert position_names(6) == ("SB", "BB", "UTG", "HJ", "CO", "BTN")
    assert [position_of(SIX, s) for s in range(6)] == list(position_names(6))
    assert seat_of(HEADS_UP, "btn") == seat_of(HEADS_UP, "SB") == 0
    moved = TableConfig((100,) * 3, 1, 2, 0, 0)  # button on seat 0: SB is seat 1
    assert seat_of(moved, "SB") == 1 and position_of(moved, 0) == "BTN"


def test_a_history_plays_out_on_the_board():
    board = parse_cards("Qs 7h 2c")
    situation = parse_situation(HEADS_UP, "r300 c / x r2bb", board)
    assert situation.position == "BB"  # heads-up the big blind acts first after the flop
    state = situation.state(parse_cards("AsKd"))
    assert state.board == tuple(board) and state.bets == (200, 0)
    assert history_text(state) == "r300 c / x r200"
    assert [a for _, a in situation.actions] == [
        Action.raise_to(300),
        Action.call(),
        Action.check(),
        Action.raise_to(200),
    ]
    # c checks when there is nothing to call; a is all-in; commas are spaces.
    allin = parse_situation(HEADS_UP, "c, c /, c, a", board)
    assert allin.actions[1][1] == Action.check() and allin.actions[-1][1] == Action.raise_to(9900)


def test_positions_fold_the_seats_before_them():
    situation = parse_situation(SIX, "CO:r50", position="BB")
    names = [(position_of(SIX, s), a.kind.value) for s, a in situation.actions]
    assert names == [
        ("UTG", "fold"),
        ("HJ", "fold"),
        ("CO", "raise"),
        ("BTN", "fold"),
        ("SB", "fold"),
    ]
    assert situation.position == "BB"
    assert parse_situation(SIX, position="BTN").position == "BTN"


@pytest.mark.parametrize(
    ("history", "board", "position", "expected"),
    [
        ("r300 zz", "", None, "'zz' is not an action"),
        ("r50", "", None, "'r50' is illegal for SB"),
        ("r300 / x", "", None, "the preflop is not over"),
        ("r300 c x", "", None, "give a board of at least 3 cards"),
        ("r300 c", "Qs7h2c4d", None, "the board has 4"),
        ("f", "", None, "the hand is over"),
        ("r2.5", "", None, "whole numbers"),
        ("", "", "BB", "the hand is over before BB acts"),
        ("", "", "CO", "position 'CO' is not at a table of 2"),
    ],
)
def test_mistakes_are_one_line(history, board, position, expected):
    with pytest.raises(ValueError) as info:
        parse_situation(HEADS_UP, history, parse_cards(board), position)
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_cards_are_checked():
    assert parse_hand("AsKd") == tuple(parse_cards("AsKd"))
    for text, expected in (("AsKdQh", "exactly two"), ("AsXx", "unknown"), ("AsAs", "twice")):
        with pytest.raises(ValueError, match=expected):
            parse_hand(text)
    with pytest.raises(ValueError, match="3, 4 or 5"):
        parse_board("AsKd")
    situation = parse_situation(HEADS_UP, "r300 c", parse_cards("Qs 7h 2c"))
    with pytest.raises(ValueError, match="both in the hand and on the board"):
        situation.state(parse_cards("QsKd"))
