"""Next-street equity histograms, checked against plain enumerations with the checked indexer."""

import itertools

import numpy as np
import pytest

from holdem.abstraction.features import n_outcomes, outcome_histograms
from holdem.abstraction.river_equity import river_equity_table
from holdem.cards.boards import canonical_boards
from holdem.cards.equity import equity_vs_random
from holdem.cards.isomorphism import N_INDICES, hand_from_index, hand_index

STREET_OF_BOARD = {0: 0, 3: 1, 4: 2, 5: 3}


def _slow_features(street, index, n_add, values, scale, n_bins):
    """Cumulative bin counts and mean of ``values`` over every ``n_add``-card completion."""
    hand = [int(c) for c in hand_from_index(street, index)]
    hole, board = hand[:2], hand[2:]
    deck = [c for c in range(52) if c not in hand]
    hist = np.zeros(n_bins, np.int64)
    total = 0.0
    count = 0
    for extra in itertools.combinations(deck, n_add):
        v = values[hand_index(hole, board + list(extra))]
        hist[min(int(v / scale * n_bins), n_bins - 1)] += 1
        total += float(v)
        count += 1
    return np.cumsum(hist)[:-1], total / scale / count


@pytest.mark.parametrize(
    ("street", "n_add", "value_street", "n_bins"),
    [(2, 1, 3, 50), (1, 1, 2, 30), (1, 2, 3, 16), (0, 3, 1, 20)],
)
def test_kernel_matches_slow_enumeration_on_synthetic_values(street, n_add, value_street, n_bins):
    rng = np.random.default_rng(street * 10 + n_add)
    if value_street == 3:
        values = rng.integers(0, 1981, size=N_INDICES[3], dtype=np.uint16)
        scale = 1980.0
    else:
        values = rng.random(N_INDICES[value_street], dtype=np.float32)
        scale = 1.0
    count = 3 if street == 0 else 6
    starts = rng.choice(N_INDICES[street] - 1, count, replace=False)
    for start in starts:
        cdf, mean = outcome_histograms(
            street, n_add, values, scale, n_bins, indices=(int(start), int(start) + 2)
        )
        assert cdf.dtype == (np.uint8 if n_outcomes(street, n_add) <= 255 else np.uint16)
        for row in range(2):
            want_cdf, want_mean = _slow_features(
                street, int(start) + row, n_add, values, scale, n_bins
            )
            assert cdf[row].tolist() == want_cdf.tolist()
            assert mean[row] == pytest.approx(want_mean, rel=1e-6)


def test_outcome_counts():
    assert [n_outcomes(0, 3), n_outcomes(1, 1), n_outcomes(1, 2), n_outcomes(2, 1)] == [
        19600,
        47,
        1081,
        46,
    ]


def _canonical(board):
    """The suit permutation of ``board`` that canonical_boards keeps (suit masks descending)."""
    masks = [sum(1 << (c >> 2) for c in board if c & 3 == s) for s in range(4)]
    order = sorted(range(4), key=lambda s: (-masks[s], s))
    new_suit = {old: new for new, old in enumerate(order)}
    return sorted(4 * (c >> 2) + new_suit[c & 3] for c in board)


def test_turn_histograms_from_real_river_equity():
    rng = np.random.default_rng(3)
    indices = rng.choice(N_INDICES[2], 4, replace=False)
    boards = set()
    for index in indices:
        hand = [int(c) for c in hand_from_index(2, int(index))]
        for r in range(52):
            if r not in hand:
                boards.add(tuple(_canonical([*hand[2:], r])))
    known = {tuple(b) for b in canonical_boards(5).tolist()}
    assert boards <= known
    river = river_equity_table(np.array(sorted(boards), np.uint8))
    for index in indices:
        span = (int(index), int(index) + 1)
        cdf, mean = outcome_histograms(2, 1, river, 1980.0, 10, indices=span)
        hand = [int(c) for c in hand_from_index(2, int(index))]
        hist = np.zeros(10, np.int64)
        equities = []
        for r in range(52):
            if r not in hand:
                e = equity_vs_random(hand[:2], [*hand[2:], r])
                equities.append(e.equity)
                hist[min(int(e.equity * 10), 9)] += 1
        assert cdf[0].tolist() == np.cumsum(hist)[:-1].tolist()
        # the turn equity against a random hand, enumerated directly over rivers and opponents
        assert mean[0] == pytest.approx(equity_vs_random(hand[:2], hand[2:]).equity, abs=1e-6)
        assert mean[0] == pytest.approx(np.mean(equities), abs=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2, 2), "cannot deal 2 card"),
        ((0, 1), "cannot deal 1 card"),
        ((3, 1), "cannot deal"),
    ],
)
def test_bad_streets_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        outcome_histograms(*args, np.zeros(10, np.float32), 1.0, 10)


def test_bad_bins_and_ranges_are_refused():
    values = np.zeros(10, np.float32)
    with pytest.raises(ValueError, match="n_bins"):
        outcome_histograms(2, 1, values, 1.0, 1)
    with pytest.raises(ValueError, match="outside"):
        outcome_histograms(2, 1, values, 1.0, 10, indices=(5, N_INDICES[2] + 1))
