"""Range text: counts, the combinations against eval7's range parser, weights, overrides,
board removal, one-line errors and the format/parse round trip."""

import eval7.rangestring
import numpy as np
import pytest

from holdem.cards.combos import N_COMBOS, combo_index
from holdem.cards.encoding import RANKS, parse_card, parse_cards
from holdem.search.ranges import board_removed, combo_count, format_range, parse_range

# The two ranges of TexasSolver's turn benchmark (../shared/peers/texassolver/spots/turn.txt,
# the set_range_oop and set_range_ip lines; the same ranges as its README's flop example).
TEXASSOLVER_OOP = (
    "AA,KK,QQ,JJ,TT,99:0.75,88:0.75,77:0.5,66:0.25,55:0.25,AK,AQs,AQo:0.75,AJs,AJo:0.5,ATs:0.75,"
    "A6s:0.25,A5s:0.75,A4s:0.75,A3s:0.5,A2s:0.5,KQs,KQo:0.5,KJs,KTs:0.75,K5s:0.25,K4s:0.25,"
    "QJs:0.75,QTs:0.75,Q9s:0.5,JTs:0.75,J9s:0.75,J8s:0.75,T9s:0.75,T8s:0.75,T7s:0.75,98s:0.75,"
    "97s:0.75,96s:0.5,87s:0.75,86s:0.5,85s:0.5,76s:0.75,75s:0.5,65s:0.75,64s:0.5,54s:0.75,"
    "53s:0.5,43s:0.5"
)
TEXASSOLVER_IP = (
    "QQ:0.5,JJ:0.75,TT,99,88,77,66,55,44,33,22,AKo:0.25,AQs,AQo:0.75,AJs,AJo:0.75,ATs,ATo:0.75,"
    "A9s,A8s,A7s,A6s,A5s,A4s,A3s,A2s,KQ,KJ,KTs,KTo:0.5,K9s,K8s,K7s,K6s,K5s,K4s:0.5,K3s:0.5,"
    "K2s:0.5,QJ,QTs,Q9s,Q8s,Q7s,JTs,JTo:0.5,J9s,J8s,T9s,T8s,T7s,98s,97s,96s,87s,86s,76s,75s,"
    "65s,64s,54s,53s,43s"
)


def all_class_labels() -> list[str]:
    """The 169 class names written out here, not taken from the code under test."""
    labels = []
    for high in range(13):
        labels.append(RANKS[high] * 2)
        for low in range(high):
            labels += [RANKS[high] + RANKS[low] + "s", RANKS[high] + RANKS[low] + "o"]
    return labels


def hand_count_by_class_sizes(text: str) -> float:
    """Combinations of a list of plain classes, counted by hand: 6 a pair, 4 suited, 12
    offsuit, 16 both, times the weight."""
    total = 0.0
    for item in text.split(","):
        hand, _, weight = item.partition(":")
        size = 6 if hand[0] == hand[1] else {"s": 4, "o": 12}.get(hand[-1], 16)
        total += size * float(weight or 1)
    return total


def weight_of(weights: np.ndarray, cards: str) -> float:
    a, b = parse_cards(cards)
    return float(weights[combo_index(a, b)])


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("AA", 6),
        ("AKs", 4),
        ("AKo", 12),
        ("AK", 16),
        ("22+", 78),
        ("TT+", 30),
        ("ATs+", 16),
        ("ATo+", 48),
        ("AT+", 64),
        ("T9s-T6s", 16),
        ("T6s-T9s", 16),
        ("77-44", 24),
        ("AA-KK", 12),
        ("A5-A2", 64),
        ("AsKd", 1),
    ],
)
def test_counts(text: str, count: int) -> None:
    weights = parse_range(text)
    assert combo_count(weights) == count
    assert set(np.unique(weights)) <= {0.0, 1.0}


def test_all_classes_are_every_combination_once() -> None:
    labels = all_class_labels()
    assert len(labels) == 169
    assert sum(combo_count(parse_range(label)) for label in labels) == N_COMBOS
    assert (parse_range(",".join(labels)) == 1.0).all()


@pytest.mark.parametrize(
    "text",
    [
        "AA",
        "AKs",
        "AKo",
        "AK",
        "22+",
        "ATs+",
        "ATo+",
        "AT+",
        "T6s+",
        "77-44",
        "44-77",
        "T9s-T6s",
        "A5o-A2o",
        "KJ-K8",
        "AsKd",
        "KdAs",
        "ak",
        "QQ+, AKs, ATs+, KQo, 98s, 7h6h",
    ],
)
def test_combinations_match_eval7(text: str) -> None:
    """eval7's Pokerstove-style parser (not ours) names the same combinations."""
    expected = {
        combo_index(parse_card(str(a)), parse_card(str(b)))
        for (a, b), _ in eval7.rangestring.string_to_hands(text)
    }
    assert set(np.flatnonzero(parse_range(text))) == expected


def test_single_combo_is_that_combination() -> None:
    weights = parse_range("AsKd")
    assert np.flatnonzero(weights).tolist() == [combo_index(parse_card("As"), parse_card("Kd"))]
    assert (parse_range("kdAS") == weights).all()
    assert (parse_range("10sKd") == parse_range("KdTs")).all()


def test_weights() -> None:
    weights = parse_range("KQo:0.5,AsKd:0.25,QQ:0,JJ:1.0,TT:.75,99:1")
    assert combo_count(weights) == 12 * 0.5 + 0.25 + 0 + 6 + 6 * 0.75 + 6
    assert weight_of(weights, "KhQd") == 0.5
    assert weight_of(weights, "KhQh") == 0.0
    assert weight_of(weights, "AsKd") == 0.25
    assert weight_of(weights, "AsKs") == 0.0
    assert weight_of(weights, "QsQh") == 0.0
    assert weight_of(weights, "TsTh") == 0.75
    assert combo_count(parse_range("AK:0.5")) == 8


def test_later_item_wins() -> None:
    weights = parse_range("AK,AKo:0.5")
    assert weight_of(weights, "AsKs") == 1.0 and weight_of(weights, "AsKd") == 0.5
    assert (parse_range("AKo:0.5,AK") == parse_range("AK")).all()
    assert combo_count(parse_range("22+,AA:0")) == 72
    assert weight_of(parse_range("AK,AsKd:0.25"), "AsKd") == 0.25
    assert weight_of(parse_range("AsKd:0.25,AK"), "AsKd") == 1.0


def test_whitespace_is_ignored() -> None:
    assert (parse_range(" AKs , QQ : 0.5 ,T9s - T6s ") == parse_range("AKs,QQ:0.5,T9s-T6s")).all()


@pytest.mark.parametrize("text", [TEXASSOLVER_OOP, TEXASSOLVER_IP])
def test_texassolver_ranges(text: str) -> None:
    weights = parse_range(text)
    assert combo_count(weights) == pytest.approx(hand_count_by_class_sizes(text), abs=1e-12)
    assert (parse_range(format_range(weights)) == weights).all()


def test_texassolver_totals() -> None:
    # By hand: OOP pairs 5*6 + 6*(0.75+0.75+0.5+0.25+0.25) = 45; IP pairs 6*(0.5+0.75+9) = 61.5.
    oop_pairs = parse_range("AA,KK,QQ,JJ,TT,99:0.75,88:0.75,77:0.5,66:0.25,55:0.25")
    assert combo_count(oop_pairs) == 45.0
    ip_pairs = parse_range("QQ:0.5,JJ:0.75,TT,99,88,77,66,55,44,33,22")
    assert combo_count(ip_pairs) == 61.5
    # The whole ranges, added up by hand class by class (A-high OOP 53, IP 74; K-high 19, 68; ...).
    assert combo_count(parse_range(TEXASSOLVER_OOP)) == 175.0
    assert combo_count(parse_range(TEXASSOLVER_IP)) == 313.5


def test_board_removed_on_the_texassolver_turn() -> None:
    board = "Qs Jh 2h 8d"
    ip = board_removed(parse_range(TEXASSOLVER_IP), board, "IP")
    oop = board_removed(parse_range(TEXASSOLVER_OOP), parse_cards(board), "OOP")
    assert combo_count(ip * parse_range("QQ")) == 3 * 0.5  # Qs leaves 3 of the 6 QQ
    assert combo_count(ip * parse_range("JJ")) == 3 * 0.75
    assert combo_count(ip * parse_range("88")) == 3
    assert combo_count(ip * parse_range("22")) == 3
    assert combo_count(oop * parse_range("AQs")) == 3  # AsQs is gone
    assert combo_count(oop * parse_range("AK")) == 16  # no A or K on the board
    assert weight_of(oop, "AhJh") == 0.0 and weight_of(oop, "AsJs") == 1.0


def test_board_removed() -> None:
    weights = parse_range("QQ,AK")
    left = board_removed(weights, "Qs Jh 2h", "IP")
    assert combo_count(left) == 3 + 16
    assert combo_count(weights) == 6 + 16  # the input is not changed
    with pytest.raises(ValueError, match="the IP range has no combination left") as error:
        board_removed(parse_range("QQ"), "Qs Qh Qd", "IP")
    assert "Qs Qh Qd" in str(error.value) and "widen" in str(error.value)
    with pytest.raises(ValueError, match="52"):
        board_removed(weights, [51, 52, 3], "OOP")


@pytest.mark.parametrize(
    "item",
    [
        "AKx",
        "XX",
        "AKQ",
        "A-K-Q",
        "AK:1.5",
        "AK:-0.1",
        "AK:abc",
        "AK:",
        "AK:0.5:1",
        "A2s-KQs",
        "98s-65s",
        "AA-AK",
        "AKs-AQo",
        "AsAs",
        "AsXd",
        "AAs",
        "AK+",
        "T9s+",
        "AsKd+",
        "AhAs-KhKs",
    ],
)
def test_bad_item_is_one_line_naming_it(item: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_range(f"QQ+,{item},KQo:0.5")
    message = str(error.value)
    assert repr(item) in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("AK+", "'AK'"),
        ("T9s+", "'T9s,JTs,QJs,KQs,AKs'"),
        ("A2s-KQs", "keeps its top card"),
        ("AK:1.5", "from 0 to 1"),
        ("AAs", "write 'AA'"),
    ],
)
def test_errors_say_what_to_write(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_range(text)


@pytest.mark.parametrize("text", ["", "  ", "22+,", ",AA", "AA,,KK"])
def test_empty_text_or_item(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_range(text)
    assert repr(text) in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AA,KK", "KK+"),
        ("KK,QQ", "KK-QQ"),
        ("AA:0.5,KK,QQ,JJ:0.5", "AA:0.5,KK-QQ,JJ:0.5"),
        ("ATs+,AKo", "ATs+,AKo"),
        ("T9s-T6s", "T6s+"),
        ("K8s-K5s", "K8s-K5s"),
        ("AsKd:0.25", "AsKd:0.25"),
        ("AK,AsKd:0", None),
    ],
)
def test_format_known(text: str, expected: str | None) -> None:
    written = format_range(parse_range(text))
    if expected is not None:
        assert written == expected
    assert (parse_range(written) == parse_range(text)).all()


def test_format_round_trip_random() -> None:
    rng = np.random.default_rng(16)
    labels = all_class_labels()
    levels = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    for trial in range(40):
        class_weights = rng.choice(levels, size=len(labels), p=[0.4, 0.1, 0.1, 0.1, 0.3])
        text = ",".join(
            f"{label}:{float(w)!r}" for label, w in zip(labels, class_weights, strict=True)
        )
        weights = parse_range(text)
        if trial % 2:  # break some classes into combos of different weights
            spots = rng.choice(N_COMBOS, size=20, replace=False)
            weights[spots] = rng.choice(levels, size=20)
        written = format_range(weights)
        assert np.array_equal(parse_range(written), weights), written
        if trial % 2 == 0:  # whole classes: never more items than classes of weight > 0
            assert len(written.split(",")) <= (class_weights > 0).sum()


def test_format_exact_weights_and_empty() -> None:
    weights = parse_range("AA:0.1,KK:0.3333333333333333,AsKd:1e-05")
    assert np.array_equal(parse_range(format_range(weights)), weights)
    assert format_range(np.zeros(N_COMBOS)) == ""


@pytest.mark.parametrize(
    "weights",
    [np.ones(1325), np.full(N_COMBOS, 1.5), np.full(N_COMBOS, np.nan), -np.ones(N_COMBOS)],
)
def test_bad_weight_vectors(weights: np.ndarray) -> None:
    for function in (format_range, combo_count):
        with pytest.raises(ValueError, match="weight"):
            function(weights)
    with pytest.raises(ValueError, match="weight"):
        board_removed(weights, "Qs Jh 2h", "OOP")
