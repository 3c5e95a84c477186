"""Proofs of the evaluator: exhaustive counts and agreement with PHEvaluator."""

import itertools
from collections import Counter

import numpy as np
import phevaluator
import pytest
from numba import njit, prange

from holdem.cards.encoding import parse_cards
from holdem.cards.equity import _combinations
from holdem.cards.evaluator import (
    CATEGORY_OF_RANK,
    FLUSH,
    FULL_HOUSE,
    HIGH_CARD,
    N_HAND_RANKS,
    PAIR,
    QUADS,
    STRAIGHT,
    STRAIGHT_FLUSH,
    TRIPS,
    TWO_PAIR,
    category_name,
    evaluate,
    evaluate5,
    evaluate6,
    evaluate7,
    evaluate_batch,
    evaluate_cards,
    hand_category,
)


@pytest.fixture(scope="module")
def all_five_card_ranks():
    hands = _combinations(np.arange(52, dtype=np.uint8), 5)
    assert hands.shape == (2_598_960, 5)
    return evaluate_batch(hands)


def test_five_card_category_counts_are_the_known_ones(all_five_card_ranks):
    counts = np.bincount(CATEGORY_OF_RANK[all_five_card_ranks], minlength=9)
    assert counts[STRAIGHT_FLUSH] == 40
    assert counts[QUADS] == 624
    assert counts[FULL_HOUSE] == 3_744
    assert counts[FLUSH] == 5_108
    assert counts[STRAIGHT] == 10_200
    assert counts[TRIPS] == 54_912
    assert counts[TWO_PAIR] == 123_552
    assert counts[PAIR] == 1_098_240
    assert counts[HIGH_CARD] == 1_302_540


def test_exactly_7462_distinct_five_card_ranks(all_five_card_ranks):
    distinct = np.unique(all_five_card_ranks)
    assert distinct.size == N_HAND_RANKS
    assert distinct[0] == 1 and distinct[-1] == N_HAND_RANKS


@njit(cache=True, parallel=True)
def _seven_card_census():
    cats = np.zeros((52, 9), np.int64)
    seen = np.zeros((52, N_HAND_RANKS + 1), np.bool_)
    for a in prange(52):
        for b in range(a + 1, 52):
            for c in range(b + 1, 52):
                for d in range(c + 1, 52):
                    for e in range(d + 1, 52):
                        for f in range(e + 1, 52):
                            for g in range(f + 1, 52):
                                r = evaluate7(a, b, c, d, e, f, g)
                                cats[a, CATEGORY_OF_RANK[r]] += 1
                                seen[a, r] = True
    return cats.sum(axis=0), seen.sum(axis=0) > 0


def test_all_133784560_seven_card_hands_have_the_known_category_counts():
    counts, seen = _seven_card_census()
    # Frequencies of 7-card poker hands (e.g. Wikipedia, "Poker probability", 7-card table).
    assert counts.tolist() == [
        23_294_460,  # high card
        58_627_800,  # one pair
        31_433_400,  # two pair
        6_461_620,  # three of a kind
        6_180_020,  # straight
        4_047_644,  # flush
        3_473_184,  # full house
        224_848,  # four of a kind
        41_584,  # straight flush, royal included
    ]
    assert counts.sum() == 133_784_560
    assert seen.sum() == 4_824  # distinct 7-card values: no 7-card hand is 7-5-4-3-2 high, etc.


def _random_hands(n, k, seed):
    rng = np.random.default_rng(seed)
    return np.argsort(rng.random((n, 52)), axis=1)[:, :k].astype(np.uint8)


def _phevaluator_ranks(hands):
    return np.array([7463 - phevaluator.evaluate_cards(*map(int, h)) for h in hands])


@pytest.mark.parametrize("k", [5, 6, 7])
def test_agrees_with_phevaluator_on_random_hands(k):
    hands = _random_hands(100_000, k, seed=k)
    assert np.array_equal(evaluate_batch(hands), _phevaluator_ranks(hands))


@pytest.mark.slow
def test_agrees_with_phevaluator_on_two_million_seven_card_hands():
    hands = _random_hands(2_000_000, 7, seed=2026)
    assert np.array_equal(evaluate_batch(hands), _phevaluator_ranks(hands))


def _slow_five_card_key(cards):
    """An obvious evaluator: category first, then the deciding ranks, for 5 cards."""
    ranks = sorted((c >> 2 for c in cards), reverse=True)
    counts = Counter(ranks)
    groups = sorted(counts.items(), key=lambda rc: (rc[1], rc[0]), reverse=True)
    flush = len({c & 3 for c in cards}) == 1
    distinct = sorted(counts, reverse=True)
    straight_top = None
    if len(distinct) == 5:
        if distinct[0] - distinct[4] == 4:
            straight_top = distinct[0]
        elif distinct == [12, 3, 2, 1, 0]:
            straight_top = 3
    shape = [n for _, n in groups]
    ordered = [r for r, _ in groups]
    if straight_top is not None and flush:
        return (8, straight_top)
    if shape == [4, 1]:
        return (7, *ordered)
    if shape == [3, 2]:
        return (6, *ordered)
    if flush:
        return (5, *ranks)
    if straight_top is not None:
        return (4, straight_top)
    if shape == [3, 1, 1]:
        return (3, *ordered)
    if shape == [2, 2, 1]:
        return (2, *ordered)
    if shape == [2, 1, 1, 1]:
        return (1, *ordered)
    return (0, *ranks)


def test_order_matches_an_obvious_python_evaluator_on_random_seven_card_pairs():
    rng = np.random.default_rng(7)
    for _ in range(1_500):
        deck = rng.permutation(52)
        a, b = deck[:7].tolist(), deck[7:14].tolist()
        best_a = max(_slow_five_card_key(h) for h in itertools.combinations(a, 5))
        best_b = max(_slow_five_card_key(h) for h in itertools.combinations(b, 5))
        ra, rb = evaluate(a), evaluate(b)
        assert (ra > rb) == (best_a > best_b) and (ra == rb) == (best_a == best_b)
        assert hand_category(ra) == best_a[0]


def test_scalar_entry_points_agree_with_the_batch():
    hands = _random_hands(20_000, 7, seed=11)
    batch7 = evaluate_batch(hands)
    batch6 = evaluate_batch(hands[:, :6])
    batch5 = evaluate_batch(hands[:, :5], parallel=False)
    for i in range(0, 20_000, 97):
        h = [int(c) for c in hands[i]]
        assert evaluate7(*h) == batch7[i] == evaluate_cards(hands[i])
        assert evaluate6(*h[:6]) == batch6[i]
        assert evaluate5(*h[:5]) == batch5[i]


@pytest.mark.parametrize(
    ("hand", "name"),
    [
        ("As Ks Qs Js Ts", "Straight flush"),
        ("5d 4d 3d 2d Ad", "Straight flush"),
        ("9h 9d 9c 9s 2c", "Four of a kind"),
        ("Kh Kd Kc 2s 2c 2d 7h", "Full house"),
        ("Ah 9h 7h 4h 2h Kd Qc", "Flush"),
        ("Ac 2d 3h 4s 5c Kd Kh", "Straight"),
        ("7c 7d 7h As Kd", "Three of a kind"),
        ("Jc Jd 4h 4s 2c 2d As", "Two pair"),
        ("Tc Td 8h 6s 3c", "One pair"),
        ("7c 5d 4h 3s 2c", "High card"),
    ],
)
def test_named_hands(hand, name):
    assert category_name(evaluate(hand)) == name


def test_known_order_of_a_few_hands():
    assert evaluate("As Ks Qs Js Ts") == N_HAND_RANKS
    assert evaluate("7c 5d 4h 3s 2c") == 1
    wheel, six_high = evaluate("5c 4d 3h 2s Ac"), evaluate("6c 5d 4h 3s 2c")
    assert six_high == wheel + 1
    # The board plays: both players tie with a board straight.
    board = parse_cards("9c Td Jh Qs Kc")
    assert evaluate([*board, *parse_cards("2c 3d")]) == evaluate([*board, *parse_cards("4h 5s")])


@pytest.mark.parametrize(
    "bad", ["As Ks Qs Js", "As Ks Qs Js Ts 9s 8s 7s", [51, 51, 1, 2, 3], [60, 1, 2, 3, 4]]
)
def test_bad_hands_are_rejected(bad):
    with pytest.raises(ValueError):
        evaluate(bad)


def test_batch_rejects_bad_shapes_and_cards():
    with pytest.raises(ValueError, match="shape"):
        evaluate_batch(np.zeros((3, 4), np.uint8))
    with pytest.raises(ValueError, match=r"0\.\.51"):
        evaluate_batch(np.full((2, 7), 52))


def test_the_tables_are_cached_and_a_damaged_cache_is_built_again(tmp_path, monkeypatch):
    from holdem.cards import evaluator

    monkeypatch.setenv("HOLDEM_CACHE_DIR", str(tmp_path))
    built = evaluator._build_tables()
    first = evaluator._cached_tables()
    path = tmp_path / evaluator.TABLES_FILE
    assert path.is_file()
    assert set(first) == set(built)
    for name in built:
        np.testing.assert_array_equal(first[name], built[name])
    for damage in (b"junk", path.read_bytes()[:-100]):
        path.write_bytes(damage)
        again = evaluator._cached_tables()
        for name in built:
            np.testing.assert_array_equal(again[name], built[name])
        np.testing.assert_array_equal(evaluator._cached_tables()["table"], built["table"])
    # a stored table that changed fails its checksum
    with np.load(path) as stored:
        tables = {name: stored[name].copy() for name in stored.files}
    tables["flush_rank"][100] += 1
    np.savez(path, **tables)
    np.testing.assert_array_equal(evaluator._cached_tables()["flush_rank"], built["flush_rank"])
