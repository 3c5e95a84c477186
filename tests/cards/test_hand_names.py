"""Hands named as PokerStars names them, one case per category and the edge ranks."""

import pytest

from holdem.cards.encoding import parse_cards
from holdem.cards.evaluator import evaluate
from holdem.cards.hand_names import best_five, hand_name


@pytest.mark.parametrize(
    ("cards", "name"),
    [
        ("Ah Kd 9c 7s 4h 3c 2d", "high card Ace"),
        ("Kh Kd 9c 7s 4h 3c 2d", "a pair of Kings"),
        ("Kh Kd 5c 5s 4h 3c Qd", "two pair, Kings and Fives"),
        ("Kh Kd 5c 5s 4h 4c Qd", "two pair, Kings and Fives"),  # the best two of three pairs
        ("7h 7d 7c As 4h 3c Qd", "three of a kind, Sevens"),
        ("6h 6d 6c As 4h 3c Qd", "three of a kind, Sixes"),
        ("5h 6d 7c 8s 9h Kc Kd", "a straight, Five to Nine"),
        ("Ah 2d 3c 4s 5h Kc Kd", "a straight, Ace to Five"),
        ("Th Jd Qc Ks Ah 2c 2d", "a straight, Ten to Ace"),
        ("Ah 9h 7h 4h 2h Kc Kd", "a flush, Ace high"),
        ("Kh Kd Kc 5s 5h 2c 2d", "a full house, Kings full of Fives"),
        ("2h 2d 2c 5s 5h 5c Ad", "a full house, Fives full of Deuces"),
        ("Ah Ad Ac As 5h 5c 2d", "four of a kind, Aces"),
        ("9h Th Jh Qh Kh 2c 2d", "a straight flush, Nine to King"),
        ("Ah 2h 3h 4h 5h Kc Kd", "a straight flush, Ace to Five"),
        ("Ts Js Qs Ks As 2c 2d", "a Royal Flush"),
        ("Kh Kd 5c 5s 4h", "two pair, Kings and Fives"),
    ],
)
def test_every_category_is_named_by_its_deciding_ranks(cards, name):
    assert hand_name(parse_cards(cards)) == name


def test_best_five_is_the_evaluators_best_hand():
    five, rank = best_five(parse_cards("Kh Kd 5c 5s 4h 4c Qd"))
    assert rank == evaluate("Kh Kd 5c 5s 4h 4c Qd")
    assert sorted(five) == sorted(parse_cards("Kh Kd 5c 5s Qd"))
    with pytest.raises(ValueError, match="5 to 7 distinct cards"):
        best_five(parse_cards("Kh Kd 5c 5s"))
