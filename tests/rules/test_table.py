"""TableConfig validation, positions, and Action / Deal validation."""

from __future__ import annotations

import re

import numpy as np
import pytest

from holdem.cards.encoding import parse_cards
from holdem.rules import Action, ActionKind, Deal, LegalActions, TableConfig


def test_positions_heads_up_button_posts_small_blind() -> None:
    config = TableConfig((1000, 1000), 5, 10, button=1)
    assert config.small_blind_seat == 1
    assert config.big_blind_seat == 0
    assert config.seats_from_button() == (0, 1)


def test_positions_six_seats() -> None:
    config = TableConfig((100,) * 6, 1, 2, button=4)
    assert config.small_blind_seat == 5
    assert config.big_blind_seat == 0
    assert config.seats_from_button() == (5, 0, 1, 2, 3, 4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stacks": (100,)}, "2 to 6 seats, got 1"),
        ({"stacks": (100,) * 7}, "2 to 6 seats, got 7"),
        ({"stacks": (100, 0)}, "stack of seat 1 must be positive, got 0"),
        ({"stacks": (100, 2.5)}, "stacks[1] must be a whole number of chips, got 2.5"),
        ({"stacks": "100"}, "stacks must be a sequence"),
        ({"small_blind": 0}, "small_blind must be positive, got 0"),
        ({"big_blind": 1}, "big_blind must be at least the small blind 5, got 1"),
        ({"ante": -1}, "ante must be 0 or more, got -1"),
        ({"button": 3}, "button must be a seat 0..2, got 3"),
        ({"big_blind": True}, "big_blind must be a whole number of chips, got True"),
    ],
)
def test_config_rejects_bad_values(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"stacks": (100, 100, 100), "small_blind": 5, "big_blind": 10}
    args.update(kwargs)
    with pytest.raises(ValueError, match=re.escape(message)):
        TableConfig(**args)  # type: ignore[arg-type]


def test_config_accepts_numpy_integers_and_lists() -> None:
    config = TableConfig([np.int64(50), 70], np.int32(1), 2)  # type: ignore[arg-type]
    assert config.stacks == (50, 70)
    assert type(config.stacks[0]) is int
    assert type(config.small_blind) is int


def test_action_validation_and_text() -> None:
    assert str(Action.raise_to(300)) == "raise to 300"
    assert Action.raise_to(np.int64(7)).amount == 7  # type: ignore[arg-type]
    assert str(Action.call()) == "call"
    with pytest.raises(ValueError, match="positive amount, got 0"):
        Action.raise_to(0)
    with pytest.raises(ValueError, match="only a bet or raise carries an amount; call got 5"):
        Action(ActionKind.CALL, 5)
    with pytest.raises(ValueError, match=r"integer number of chips, got 2\.5"):
        Action.raise_to(2.5)  # type: ignore[arg-type]


def test_legal_actions_membership() -> None:
    legal = LegalActions(
        seat=2, can_fold=True, can_check=False, call_amount=100, min_raise_to=200, max_raise_to=500
    )
    assert Action.fold() in legal
    assert Action.call() in legal
    assert Action.check() not in legal
    assert Action.raise_to(200) in legal and Action.raise_to(500) in legal
    assert Action.raise_to(199) not in legal and Action.raise_to(501) not in legal
    assert legal.kinds() == (ActionKind.FOLD, ActionKind.CALL, ActionKind.RAISE)
    assert str(legal) == "seat 2: fold, call 100, raise to 200..500"


def test_deal_validation() -> None:
    deal = Deal(("AsKd", [0, 1]), "2h 3h 4h")
    assert deal.hole_cards == (tuple(parse_cards("AsKd")), (0, 1))
    assert deal.board == tuple(parse_cards("2h3h4h"))
    with pytest.raises(ValueError, match="card As is dealt twice"):
        Deal(("AsKd", "AsQd"))
    with pytest.raises(ValueError, match="seat 1 must have 2 hole cards, got 3"):
        Deal(("AsKd", "QdJdTd"))
    with pytest.raises(ValueError, match="at most 5 cards, got 6"):
        Deal(("AsKd", "QdJd"), "2c3c4c5c6c7c")
    with pytest.raises(ValueError, match=r"hole cards of seat 0\[1\] must be a card 0..51, got 52"):
        Deal(((0, 52), (1, 2)))


def test_random_deal_is_seeded_and_distinct() -> None:
    first = Deal.random(6, np.random.default_rng(7))
    again = Deal.random(6, np.random.default_rng(7))
    assert first == again
    cards = [c for pair in first.hole_cards for c in pair] + list(first.board)
    assert len(cards) == 17 and len(set(cards)) == 17
