import numpy as np
import pytest
from numba import njit

from holdem.cards.encoding import (
    as_card_array,
    cards_to_mask,
    format_card,
    format_cards,
    make_card,
    mask_to_cards,
    parse_card,
    parse_cards,
    rank_of,
    suit_of,
)


def test_layout_is_four_times_rank_plus_suit():
    assert parse_card("2c") == 0
    assert parse_card("2d") == 1
    assert parse_card("2h") == 2
    assert parse_card("2s") == 3
    assert parse_card("3c") == 4
    assert parse_card("As") == 51
    assert parse_card("Td") == 4 * 8 + 1
    for card in range(52):
        assert make_card(rank_of(card), suit_of(card)) == card


@njit(cache=True)
def _round_trip_in_numba(cards):
    out = np.empty_like(cards)
    for i in range(cards.shape[0]):
        out[i] = make_card(rank_of(cards[i]), suit_of(cards[i]))
    return out


def test_card_helpers_work_inside_numba_kernels():
    cards = np.arange(52, dtype=np.int64)
    assert np.array_equal(_round_trip_in_numba(cards), cards)


def test_every_card_round_trips_through_text():
    texts = [format_card(c) for c in range(52)]
    assert len(set(texts)) == 52
    assert [parse_card(t) for t in texts] == list(range(52))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AsKd", [51, 45]),
        ("As Kd 7h", [51, 45, 22]),
        ("as,kd", [51, 45]),
        ("10h Tc", [34, 32]),
        (["Qs", "Jh"], [43, 38]),
    ],
)
def test_parse_cards_accepts_common_spellings(text, expected):
    assert parse_cards(text) == expected


@pytest.mark.parametrize(
    ("text", "bad"),
    [("Xs", "'Xs'"), ("Ax", "'Ax'"), ("AsKd1h", "'1h'"), ("As Kd As", "'As'"), ("A", "'A'")],
)
def test_bad_cards_name_the_token(text, bad):
    with pytest.raises(ValueError, match=bad):
        parse_cards(text)


def test_repeated_card_is_rejected():
    with pytest.raises(ValueError, match="twice"):
        parse_cards("AsAs")


def test_format_rejects_out_of_range():
    with pytest.raises(ValueError, match="52"):
        format_card(52)


def test_masks_round_trip():
    cards = parse_cards("As Kd 7h 2c")
    mask = cards_to_mask(cards)
    assert mask == (1 << 51) | (1 << 45) | (1 << 22) | 1
    assert mask_to_cards(mask) == sorted(cards)
    assert format_cards(mask_to_cards(mask)) == "2c 7h Kd As"


def test_as_card_array_is_uint8():
    arr = as_card_array("AsKd")
    assert arr.dtype == np.uint8
    assert arr.tolist() == [51, 45]
