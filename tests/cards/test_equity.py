"""Exact equity, checked against enumerations driven by reference libraries."""

import itertools

import eval7
import phevaluator
import pytest

from holdem.cards.encoding import parse_cards
from holdem.cards.equity import equity_vs_hand, equity_vs_random


def _reference_vs_hand(hero, villain, board):
    """Enumerate every board completion, ranking hands with PHEvaluator (lower is better)."""
    dead = set(hero) | set(villain) | set(board)
    deck = [c for c in range(52) if c not in dead]
    wins = ties = losses = 0
    for runout in itertools.combinations(deck, 5 - len(board)):
        full = [*board, *runout]
        a = phevaluator.evaluate_cards(*hero, *full)
        b = phevaluator.evaluate_cards(*villain, *full)
        wins += a < b
        ties += a == b
        losses += a > b
    return wins, ties, losses


def _reference_vs_random(hero, board):
    dead = set(hero) | set(board)
    deck = [c for c in range(52) if c not in dead]
    wins = ties = losses = 0
    for runout in itertools.combinations(deck, 5 - len(board)):
        full = [*board, *runout]
        mine = phevaluator.evaluate_cards(*hero, *full)
        rest = [c for c in deck if c not in runout]
        for opp in itertools.combinations(rest, 2):
            theirs = phevaluator.evaluate_cards(*opp, *full)
            wins += mine < theirs
            ties += mine == theirs
            losses += mine > theirs
    return wins, ties, losses


@pytest.mark.parametrize(
    ("hero", "villain", "board"),
    [
        ("AsAh", "KsKh", "2c7dJh"),
        ("AhKh", "QsQd", "Jh Th 2c"),
        ("7c7d", "8s9s", "6s Ts 2d Kh"),
        ("5c5d", "5h5s", "Ac Kd 2h"),
        ("AcQd", "AdQc", "Kh 7s 2c 3d"),
    ],
)
def test_hand_vs_hand_matches_an_enumeration_with_phevaluator(hero, villain, board):
    h, v, b = parse_cards(hero), parse_cards(villain), parse_cards(board)
    got = equity_vs_hand(h, v, b)
    assert (got.wins, got.ties, got.losses) == _reference_vs_hand(h, v, b)


@pytest.mark.parametrize(("hero", "board"), [("AsKs", "2s 7s Jd 9h"), ("2c7d", "Ah Kh Qh Jh")])
def test_hand_vs_random_matches_an_enumeration_with_phevaluator(hero, board):
    h, b = parse_cards(hero), parse_cards(board)
    got = equity_vs_random(h, b)
    assert (got.wins, got.ties, got.losses) == _reference_vs_random(h, b)


@pytest.mark.parametrize(
    ("hero", "board"),
    [("AsKs", "2s 7s Jd 9h 3c"), ("QhQd", "Ah Kd 4c 4d 9s"), ("7c2d", "7h 7s 2h 2s Ac")],
)
def test_river_equity_vs_random_matches_eval7(hero, board):
    # eval7's exact hand-vs-range routine works on complete boards only, in single precision.
    ref = eval7.py_hand_vs_range_exact(
        [eval7.Card(hero[:2]), eval7.Card(hero[2:])],
        eval7.HandRange(", ".join(_all_other_hands(hero, board))),
        [eval7.Card(c) for c in board.split()],
    )
    assert equity_vs_random(hero, board).equity == pytest.approx(
        ref, abs=1e-7
    )  # eval7 answers in single precision


def _all_other_hands(hero, board):
    dead = set(parse_cards(hero)) | set(parse_cards(board))
    ranks, suits = "23456789TJQKA", "cdhs"
    names = [r + s for r in ranks for s in suits]
    return [
        names[a] + names[b]
        for a, b in itertools.combinations(range(52), 2)
        if a not in dead and b not in dead
    ]


def test_preflop_aces_against_kings_agree_with_eval7_monte_carlo():
    exact = equity_vs_hand("AsAh", "KsKh")
    assert exact.total == 1_712_304  # C(48, 5) boards
    sampled = eval7.py_hand_vs_range_monte_carlo(
        [eval7.Card("As"), eval7.Card("Ah")], eval7.HandRange("KsKh"), [], 2_000_000
    )
    # 2,000,000 samples: standard error about 0.0003.
    assert exact.equity == pytest.approx(sampled, abs=0.0015)


def test_equity_is_symmetric():
    a = equity_vs_hand("AhKh", "QsQd", "Jh Th 2c")
    b = equity_vs_hand("QsQd", "AhKh", "Jh Th 2c")
    assert (a.wins, a.ties, a.losses) == (b.losses, b.ties, b.wins)
    assert a.equity + b.equity == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("hero", "villain", "board", "message"),
    [
        ("AsAs", "KdKc", "", "twice"),
        ("AsKs", "KsQd", "", "twice"),
        ("AsKs", "QdQc", "2c3c", "0, 3, 4 or 5"),
        ("AsKsQs", "JdJc", "", "two cards"),
    ],
)
def test_bad_spots_are_rejected_with_a_reason(hero, villain, board, message):
    with pytest.raises(ValueError, match=message):
        equity_vs_hand(hero, villain, board)


# -- ranges, multiway ---------------------------------------------------------------------------


def _one(text):
    from holdem.search.ranges import parse_range

    return parse_range(text)


def _reference_multiway(hands, board):
    """Win, tie and pot share of each hand over every runout, ranked by PHEvaluator."""
    dead = {c for hand in hands for c in hand} | set(board)
    deck = [c for c in range(52) if c not in dead]
    n = len(hands)
    win, tie, share = [0.0] * n, [0.0] * n, [0.0] * n
    runouts = list(itertools.combinations(deck, 5 - len(board)))
    for runout in runouts:
        ranks = [phevaluator.evaluate_cards(*hand, *board, *runout) for hand in hands]
        best = min(ranks)
        winners = [p for p in range(n) if ranks[p] == best]
        for p in winners:
            (win if len(winners) == 1 else tie)[p] += 1
            share[p] += 1 / len(winners)
    return [[x / len(runouts) for x in row] for row in (win, tie, share)]


def test_multiway_equity_matches_a_reference_enumeration():
    import numpy as np

    from holdem.cards.equity import range_equity

    texts = ["AsKs", "QhQd", "7c7d", "Jc Tc"]
    board = parse_cards("Qs 7h 2s 9c")
    result = range_equity(np.stack([_one(t) for t in texts]), board)
    win, tie, share = _reference_multiway([parse_cards(t) for t in texts], board)
    assert result.exact and result.deals == 40  # 52 - 8 hole cards - 4 on the board
    assert result.win == pytest.approx(win) and result.tie == pytest.approx(tie)
    assert result.equity == pytest.approx(share) and result.equity.sum() == pytest.approx(1.0)


def test_two_single_hands_give_the_hand_against_hand_enumeration():
    import numpy as np

    from holdem.cards.equity import range_equity

    for board in ("", "Js Th 2c"):
        result = range_equity(np.stack([_one("AsKs"), _one("QhQd")]), board)
        counts = equity_vs_hand("AsKs", "QhQd", board)
        assert result.exact and result.deals == counts.total
        assert result.equity[0] == pytest.approx(counts.equity, abs=1e-12)
        assert result.tie[0] == pytest.approx(counts.tie, abs=1e-12)


def test_a_range_is_the_mean_of_its_matchups_and_sampling_agrees_within_its_error(monkeypatch):
    import numpy as np

    from holdem.cards import equity
    from holdem.cards.combos import COMBOS

    board = "2c 7d 9h"
    result = equity.range_equity(np.stack([_one("AA"), _one("KK,AKs")]), board)
    pairs = [
        (COMBOS[a].tolist(), COMBOS[b].tolist())
        for a in np.flatnonzero(_one("AA"))
        for b in np.flatnonzero(_one("KK,AKs"))
        if not set(COMBOS[a].tolist()) & set(COMBOS[b].tolist())
    ]
    mean = np.mean([equity_vs_hand(h, v, board).equity for h, v in pairs])
    assert result.exact and result.equity[0] == pytest.approx(mean)
    # Sampled instead (enumeration switched off): within four standard errors, and the same
    # seed gives the same numbers.
    monkeypatch.setattr(equity, "EXACT_EVALUATIONS", 0)
    ranges = np.stack([_one("AA"), _one("KK,AKs")])
    sampled = equity.range_equity(ranges, board, samples=100_000, seed=3)
    assert not sampled.exact and sampled.deals == 100_000
    assert abs(sampled.equity[0] - mean) < 4 * sampled.std_error[0]
    again = equity.range_equity(ranges, board, samples=100_000, seed=3)
    assert (again.equity == sampled.equity).all()


def test_a_board_that_plays_splits_the_pot_every_way():
    import numpy as np

    from holdem.cards.equity import range_equity

    ranges = np.stack([_one("22"), _one("33"), _one("44"), np.ones(1326)])
    result = range_equity(ranges, "As Ks Qs Js Ts")
    assert result.equity == pytest.approx([0.25] * 4) and result.tie == pytest.approx([1.0] * 4)


def test_range_mistakes_are_sentences():
    import numpy as np

    from holdem.cards.equity import range_equity

    with pytest.raises(ValueError, match="range 2 has no combination left beside the board"):
        range_equity(np.stack([_one("AsKs"), _one("QhQd")]), "Qh Qd 2c")
    with pytest.raises(ValueError, match="cannot be dealt together"):
        range_equity(np.stack([_one("AsKs"), _one("AsKs")]), "")
    with pytest.raises(ValueError, match="2 to 6 ranges"):
        range_equity(np.ones((7, 1326)), "")
