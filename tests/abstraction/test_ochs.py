"""OCHS river features against a plain enumeration of opponents, and the assignment pass."""

import itertools

import numpy as np
import pytest

from holdem.abstraction.ochs import (
    board_ochs,
    ochs_features,
    ochs_river_table,
    pair_clusters,
)
from holdem.cards.boards import canonical_boards
from holdem.cards.encoding import parse_cards
from holdem.cards.evaluator import evaluate_cards
from holdem.cards.isomorphism import N_INDICES, N_RIVER_INDICES, hand_index


def _labels(m, seed):
    """Random preflop clusters, with pocket aces alone in the last one (easily all blocked)."""
    labels = np.random.default_rng(seed).integers(0, m - 1, size=N_INDICES[0])
    labels[hand_index("AcAd")] = m - 1
    return labels


def _slow_ochs(board, labels, m):
    """Per hole pair: equity against the opponent pairs of each cluster, by enumeration."""
    deck = [c for c in range(52) if c not in board]
    rank = {
        pair: int(evaluate_cards(np.array([*pair, *board], np.uint8)))
        for pair in itertools.combinations(deck, 2)
    }
    cluster = {pair: int(labels[hand_index(list(pair))]) for pair in rank}
    out = {}
    for hero in rank:
        score = np.zeros(m)
        count = np.zeros(m)
        for opp in rank:
            if set(opp) & set(hero):
                continue
            c = cluster[opp]
            count[c] += 1
            score[c] += 2 if rank[hero] > rank[opp] else 1 if rank[hero] == rank[opp] else 0
        overall = score.sum() / (2 * count.sum())
        out[hero] = np.where(count > 0, score / (2 * np.maximum(count, 1)), overall)
    return out


@pytest.mark.parametrize("board_text", ["As Ad 7h 8c 2d", "Kh Qh Jh 3s 3c", "2c 5d 9h Ts Ks"])
def test_board_kernel_matches_enumeration(board_text):
    m = 5
    labels = _labels(m, seed=len(board_text))
    board = np.array(sorted(parse_cards(board_text)), np.uint8)
    out = np.empty((1081, m), np.float32)
    pairs = board_ochs(board, pair_clusters(labels), m, out)
    want = _slow_ochs([int(c) for c in board], labels, m)
    assert len(want) == 1081
    for h, (a, b) in enumerate(pairs.tolist()):
        assert out[h] == pytest.approx(want[(a, b)], abs=1e-6)
    if board_text.startswith("As Ad"):
        aces = pairs.tolist().index([parse_cards("Ac")[0], parse_cards("Ah")[0]])
        assert np.all(out[aces] == out[aces, 0])  # every cluster blocked or not, equity is 1


def test_pair_clusters_follow_the_preflop_classes():
    labels = np.arange(N_INDICES[0]) % 7
    table = pair_clusters(labels)
    assert table[parse_cards("As")[0], parse_cards("Ks")[0]] == labels[hand_index("AhKh")]
    assert np.array_equal(table, table.T)
    assert np.all(np.diag(table) == -1)
    with pytest.raises(ValueError, match="169"):
        pair_clusters(np.zeros(10))


def test_assignment_pass_writes_the_nearest_center_at_each_index():
    m = 4
    labels = _labels(m, seed=1)
    cluster = pair_clusters(labels)
    rng = np.random.default_rng(2)
    boards = canonical_boards(5)[rng.choice(134459, 6, replace=False)]
    features = ochs_features(boards, cluster, m)
    centers = features[rng.choice(len(features), 9, replace=False)]
    table = np.full(N_RIVER_INDICES, 255, np.uint8)
    ochs_river_table(boards, cluster, centers, table, chunk=4)
    row = 0
    for board in boards:
        rest = [c for c in range(52) if c not in board]
        for pair in itertools.combinations(rest, 2):
            d = ((features[row] - centers) ** 2).sum(axis=1)
            assert d[table[hand_index(list(pair), [int(c) for c in board])]] == pytest.approx(
                d.min(), abs=1e-5
            )
            row += 1
    assert np.count_nonzero(table != 255) <= len(boards) * 1081
