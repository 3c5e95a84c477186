"""Hand isomorphism indexer, checked against brute-force canonical forms and Burnside counts.

The reference for "isomorphic" is the definition itself: the minimum over all 24 suit
permutations of the hand written as (sorted hole cards, sorted board cards). Class counts are
also derived independently with Burnside's lemma.
"""

import functools
import itertools
import re
from math import comb

import numpy as np
import pytest
from numba import njit

from holdem.cards.encoding import parse_cards
from holdem.cards.evaluator import SUITED_BIT
from holdem.cards.isomorphism import (
    FLOP,
    N_BOARD_CARDS,
    N_INDICES,
    PREFLOP,
    RIVER,
    TURN,
    hand_from_index,
    hand_index,
    index_batch,
    index_hand,
    index_masks,
    suit_rank_mask,
    unindex_batch,
    unindex_hand,
    unindex_into,
)

PERMS = np.array(list(itertools.permutations(range(4))), np.int64)
WAUGH_COUNTS = (169, 1_286_792, 13_960_050, 123_156_254)


# --- references --------------------------------------------------------------------------------


def canonical_py(hole, board):
    """The slow, obvious canonical form: the least (sorted hole, sorted board) over all 24 suit
    permutations."""
    best = None
    for perm in itertools.permutations(range(4)):
        form = (
            tuple(sorted(4 * (c >> 2) + perm[c & 3] for c in hole)),
            tuple(sorted(4 * (c >> 2) + perm[c & 3] for c in board)),
        )
        if best is None or form < best:
            best = form
    return best


@njit(cache=True)
def _form_key(cards, perm, scratch):
    """The hand under one suit permutation as (sorted hole, sorted board) in base-52 digits."""
    n = cards.shape[0]
    for i in range(n):
        scratch[i] = 4 * (cards[i] >> 2) + perm[cards[i] & 3]
    for lo, hi in ((0, 2), (2, n)):
        for i in range(lo + 1, hi):
            v = scratch[i]
            j = i - 1
            while j >= lo and scratch[j] > v:
                scratch[j + 1] = scratch[j]
                j -= 1
            scratch[j + 1] = v
    key = np.int64(0)
    for i in range(n):
        key = key * 52 + scratch[i]
    return key


@njit(cache=True)
def _canonical_key(cards):
    """canonical_py as one integer: the least _form_key over the 24 suit permutations."""
    scratch = np.empty(cards.shape[0], np.int64)
    best = _form_key(cards, PERMS[0], scratch)
    for p in range(1, PERMS.shape[0]):
        best = min(best, _form_key(cards, PERMS[p], scratch))
    return best


@njit(cache=True)
def canonical_keys(hands):
    out = np.empty(hands.shape[0], np.int64)
    for i in range(hands.shape[0]):
        out[i] = _canonical_key(hands[i])
    return out


def burnside_count(n_board):
    """Classes of (hole set of 2, board set of n_board) under suit permutations, by Burnside.

    A suit permutation fixes a pair of disjoint card sets iff both are unions of its cycles on
    the deck (13 copies of its suit cycles), so the fixed pairs number the coefficient of
    x^2 y^n_board in the product over cycles c of (1 + x^|c| + y^|c|).
    """
    total = 0
    for perm in itertools.permutations(range(4)):
        seen, lengths = set(), []
        for s in range(4):
            length = 0
            while s not in seen:
                seen.add(s)
                s = perm[s]
                length += 1
            if length:
                lengths.append(length)
        poly = {(0, 0): 1}
        for length in lengths * 13:
            nxt = dict(poly)
            for (a, b), v in poly.items():
                if a + length <= 2:
                    nxt[a + length, b] = nxt.get((a + length, b), 0) + v
                if b + length <= n_board:
                    nxt[a, b + length] = nxt.get((a, b + length), 0) + v
            poly = nxt
        total += poly.get((2, n_board), 0)
    assert total % 24 == 0
    return total // 24


@functools.cache
def _configuration_offsets(n_board):
    """Offset of each configuration (sorted keys) of a street, laid out as the docstring says."""
    size = {6 * h + b: comb(13, h) * comb(13 - h, b) for h in range(3) for b in range(6)}
    configurations = sorted(
        (
            keys
            for keys in itertools.product(range(18), repeat=4)
            if list(keys) == sorted(keys, reverse=True)
            and sum(k // 6 for k in keys) == 2
            and sum(k % 6 for k in keys) == n_board
        ),
        reverse=True,
    )
    offsets, total = {}, 0
    for keys in configurations:
        offsets[keys] = total
        count = 1
        for k in set(keys):
            count *= comb(size[k] + keys.count(k) - 1, keys.count(k))
        total += count
    return offsets


def formula_index(hole, board):
    """The index exactly as the module docstring writes it, in plain Python."""
    size = {6 * h + b: comb(13, h) * comb(13 - h, b) for h in range(3) for b in range(6)}

    def colex(ranks):
        return sum(comb(r, i + 1) for i, r in enumerate(sorted(ranks)))

    codes = []
    for s in range(4):
        hole_ranks = [c >> 2 for c in hole if c & 3 == s]
        board_ranks = [c >> 2 for c in board if c & 3 == s]
        squeezed = [r - sum(u < r for u in hole_ranks) for r in board_ranks]
        x = colex(hole_ranks) + comb(13, len(hole_ranks)) * colex(squeezed)
        codes.append((6 * len(hole_ranks) + len(board_ranks), x))
    codes.sort(reverse=True)

    keys = tuple(k for k, _ in codes)
    offset = _configuration_offsets(len(board))[keys]
    index, mult = 0, 1
    groups = [(k, [x for _, x in g]) for k, g in itertools.groupby(codes, key=lambda c: c[0])]
    for key, xs in reversed(groups):
        a = sorted(xs)
        index += mult * sum(comb(a_t + t - 1, t) for t, a_t in enumerate(a, 1))
        mult *= comb(size[key] + len(a) - 1, len(a))
    return offset + index


def random_hands(rng, n, n_board, deck=None):
    """n hands of 2 + n_board distinct cards drawn from ``deck`` (default: all 52)."""
    deck = np.arange(52) if deck is None else np.asarray(deck)
    order = np.argsort(rng.random((n, deck.size)), axis=1)[:, : 2 + n_board]
    return deck[order].astype(np.uint8)


def all_hands(n_board, deck):
    """Every hand of 2 + n_board cards from ``deck`` (hole pair, then a board of the rest)."""
    rows = []
    for hole in itertools.combinations(deck, 2):
        rest = [c for c in deck if c not in hole]
        for board in itertools.combinations(rest, n_board):
            rows.append(hole + board)
    return np.array(rows, np.uint8).reshape(-1, 2 + n_board)


def assert_same_partition(indices, keys):
    """index(a) == index(b) iff canonical(a) == canonical(b), over all pairs of the rows."""
    n_idx = np.unique(indices).size
    n_key = np.unique(keys).size
    n_pair = np.unique(np.column_stack([indices, keys]), axis=0).shape[0]
    assert n_idx == n_key == n_pair


def isomorphic_variants(rng, hands):
    """Each hand under a random suit permutation, hole and board each in a random order."""
    perms = PERMS[rng.integers(0, 24, hands.shape[0])]
    mapped = 4 * (hands >> 2).astype(np.int64) + np.take_along_axis(perms, hands & 3, axis=1)
    hole = np.take_along_axis(mapped[:, :2], np.argsort(rng.random((len(hands), 2)), 1), 1)
    k = hands.shape[1] - 2
    board = np.take_along_axis(mapped[:, 2:], np.argsort(rng.random((len(hands), k)), 1), 1)
    return np.hstack([hole, board]).astype(np.uint8)


# --- counts ------------------------------------------------------------------------------------


def test_counts_are_waughs():
    assert N_INDICES == WAUGH_COUNTS


@pytest.mark.parametrize("street", [PREFLOP, FLOP, TURN, RIVER])
def test_counts_match_burnside(street):
    assert burnside_count(N_BOARD_CARDS[street]) == N_INDICES[street]


def test_canonical_key_kernel_matches_python():
    rng = np.random.default_rng(1)
    for n_board in (0, 3, 4, 5):
        hands = random_hands(rng, 300, n_board)
        for hand, key in zip(hands, canonical_keys(hands), strict=True):
            hole, board = canonical_py(hand[:2].tolist(), hand[2:].tolist())
            digits = []
            for _ in range(2 + n_board):
                key, digit = divmod(int(key), 52)
                digits.append(digit)
            assert digits[::-1] == [*hole, *board]


# --- exhaustive preflop and flop ---------------------------------------------------------------


def test_preflop_exhaustive():
    hands = all_hands(0, list(range(52)))
    assert hands.shape[0] == 1326
    indices = index_batch(hands)
    assert sorted(set(indices.tolist())) == list(range(169))
    assert_same_partition(indices, canonical_keys(hands))
    reps = unindex_batch(PREFLOP, np.arange(169))
    assert (index_batch(reps) == np.arange(169)).all()
    assert (canonical_keys(reps[indices]) == canonical_keys(hands)).all()
    pairs = sum(r[0] >> 2 == r[1] >> 2 for r in reps)
    suited = sum(r[0] & 3 == r[1] & 3 for r in reps)
    assert (pairs, suited, 169 - pairs - suited) == (13, 78, 78)


@njit  # not cached: a cached caller would keep a stale copy of the indexer
def _scan_flop(n_indices):
    """Index every flop hand; count the hits per index and compare canonical forms.

    Returns (hits per index, first canonical key seen per index, indices out of range, hands
    whose canonical key differs from the first one seen at their index).
    """
    hits = np.zeros(n_indices, np.int64)
    first = np.full(n_indices, -1, np.int64)
    out_of_range = 0
    mismatches = 0
    cards = np.empty(5, np.uint8)
    rest = np.empty(50, np.uint8)
    for h0 in range(52):
        for h1 in range(h0 + 1, 52):
            cards[0], cards[1] = h0, h1
            n_rest = 0
            for c in range(52):
                if c != h0 and c != h1:
                    rest[n_rest] = c
                    n_rest += 1
            for b0 in range(50):
                for b1 in range(b0 + 1, 50):
                    for b2 in range(b1 + 1, 50):
                        cards[2], cards[3], cards[4] = rest[b0], rest[b1], rest[b2]
                        i = index_hand(cards)
                        if i < 0 or i >= n_indices:
                            out_of_range += 1
                            continue
                        hits[i] += 1
                        key = _canonical_key(cards)
                        if first[i] < 0:
                            first[i] = key
                        elif first[i] != key:
                            mismatches += 1
    return hits, first, out_of_range, mismatches


@njit(cache=True)
def _orbit_sizes(hands):
    """Number of distinct hands isomorphic to each row (the size of its class)."""
    out = np.empty(hands.shape[0], np.int64)
    images = np.empty(PERMS.shape[0], np.int64)
    scratch = np.empty(hands.shape[1], np.int64)
    for i in range(hands.shape[0]):
        for p in range(PERMS.shape[0]):
            images[p] = _form_key(hands[i], PERMS[p], scratch)
        out[i] = np.unique(images).size
    return out


def test_flop_exhaustive():
    """Every one of the 1326 * C(50, 3) flop hands: the indices are exactly 0 .. N - 1;
    index(a) == index(b) iff canonical(a) == canonical(b); each index is hit by as many hands
    as its class holds; index(unindex(i)) == i and unindex(i) lies in the class of i."""
    n = N_INDICES[FLOP]
    hits, first, out_of_range, mismatches = _scan_flop(n)
    assert out_of_range == 0
    assert mismatches == 0
    assert hits.sum() == 1326 * comb(50, 3)
    assert (hits > 0).all()
    assert np.unique(first).size == n
    reps = unindex_batch(FLOP, np.arange(n))
    assert (index_batch(reps) == np.arange(n)).all()
    assert (canonical_keys(reps) == first).all()
    assert (_orbit_sizes(reps) == hits).all()


# --- restricted decks, exhaustive, and random samples ------------------------------------------


@pytest.mark.parametrize("street", [FLOP, TURN, RIVER])
@pytest.mark.parametrize("ranks", [(0, 1, 2), (0, 1, 2, 3), (0, 6, 11, 12)])
def test_small_deck_exhaustive_partition(street, ranks):
    """Every hand from a deck of a few ranks, where classes collide a lot."""
    deck = [4 * r + s for r in ranks for s in range(4)]
    hands = all_hands(N_BOARD_CARDS[street], deck)
    indices = index_batch(hands)
    keys = canonical_keys(hands)
    assert_same_partition(indices, keys)
    reps = unindex_batch(street, indices)
    assert (canonical_keys(reps) == keys).all()


@pytest.mark.parametrize("street", [FLOP, TURN, RIVER])
def test_random_hands_partition_and_round_trip(street):
    """200k random hands plus a random isomorphic variant of each."""
    rng = np.random.default_rng(100 + street)
    hands = random_hands(rng, 200_000, N_BOARD_CARDS[street])
    variants = isomorphic_variants(rng, hands)
    indices = index_batch(hands)
    assert (index_batch(variants) == indices).all()
    keys = canonical_keys(hands)
    assert (canonical_keys(variants) == keys).all()
    both = np.concatenate([indices, indices])
    assert_same_partition(both, np.concatenate([keys, keys]))
    assert ((indices >= 0) & (indices < N_INDICES[street])).all()
    assert (canonical_keys(unindex_batch(street, indices)) == keys).all()


@pytest.mark.parametrize("street", [PREFLOP, FLOP, TURN, RIVER])
def test_random_indices_round_trip(street):
    rng = np.random.default_rng(200 + street)
    indices = rng.integers(0, N_INDICES[street], 200_000)
    indices[:2] = (0, N_INDICES[street] - 1)
    reps = unindex_batch(street, indices)
    assert (index_batch(reps) == indices).all()
    assert (np.diff(reps[:, :2].astype(int), axis=1) > 0).all()
    assert (np.diff(reps[:, 2:].astype(int), axis=1) > 0).all()
    assert (np.sort(reps, axis=1)[:, 1:] != np.sort(reps, axis=1)[:, :-1]).all()
    assert reps.max() < 52


@pytest.mark.parametrize("street", [PREFLOP, FLOP, TURN, RIVER])
def test_invariant_under_every_suit_permutation_and_order(street):
    rng = np.random.default_rng(300 + street)
    hands = random_hands(rng, 2000, N_BOARD_CARDS[street])
    expected = index_batch(hands)
    for perm in PERMS:
        moved = (4 * (hands >> 2) + perm[hands & 3]).astype(np.uint8)
        hole = moved[:, :2][:, ::-1]
        board = np.take_along_axis(
            moved[:, 2:], np.argsort(rng.random((len(hands), moved.shape[1] - 2)), 1), 1
        )
        assert (index_batch(np.hstack([hole, board])) == expected).all()


# --- the kernel against the written formula, and the API surfaces ------------------------------


@pytest.mark.parametrize("street", [PREFLOP, FLOP, TURN, RIVER])
def test_kernel_matches_docstring_formula(street):
    rng = np.random.default_rng(400 + street)
    hands = random_hands(rng, 300, N_BOARD_CARDS[street])
    for hand in hands:
        assert index_hand(hand) == formula_index(hand[:2].tolist(), hand[2:].tolist())


def test_single_kernels_match_batch():
    rng = np.random.default_rng(5)
    for street in (PREFLOP, FLOP, TURN, RIVER):
        hands = random_hands(rng, 500, N_BOARD_CARDS[street])
        batch = index_batch(hands)
        for hand, i in zip(hands, batch, strict=True):
            assert index_hand(hand) == i
            assert index_hand(hand.astype(np.int64)) == i
            assert index_masks(suit_rank_mask(hand[:2]), suit_rank_mask(hand[2:])) == i
            assert hand_index(hand[:2].tolist(), hand[2:].tolist()) == i
        reps = unindex_batch(street, batch)
        out = np.empty(2 + N_BOARD_CARDS[street], np.int64)
        for i, rep in zip(batch, reps, strict=True):
            assert (unindex_hand(street, i) == rep).all()
            assert (hand_from_index(street, int(i)) == rep).all()
            unindex_into(street, i, out)
            assert (out == rep).all()


def test_evaluator_suited_bits_are_suit_rank_masks():
    rng = np.random.default_rng(6)
    for hand in random_hands(rng, 200, 5):
        hole = SUITED_BIT[hand[0]] | SUITED_BIT[hand[1]]
        board = np.bitwise_or.reduce(SUITED_BIT[hand[2:]])
        assert index_masks(hole, board) == index_hand(hand)


def test_text_hands():
    assert hand_index("AsKs") == hand_index("AhKh") != hand_index("AsKh")
    assert hand_index("As Kd", "7h 8h 9c") == hand_index("Ah Kc", "9d 8s 7s")
    assert hand_index("AsKd", "7h8h9c") != hand_index("AsKd", "7h8h9h")
    assert hand_index("7h8h", "AsKd9c") != hand_index("AsKd", "7h8h9c")
    rep = hand_from_index(RIVER, hand_index("2c3d", "4h5s6c7d8h"))
    assert canonical_py(rep[:2].tolist(), rep[2:].tolist()) == canonical_py(
        parse_cards("2c3d"), parse_cards("4h5s6c7d8h")
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: hand_index("AsKsQs"), "2 hole cards, got 3"),
        (lambda: hand_index("As"), "2 hole cards, got 1"),
        (lambda: hand_index("AsKs", "2c3c"), "0, 3, 4 or 5 cards, got 2"),
        (lambda: hand_index("AsKs", "2c3c4c5c6c7c"), "got 6"),
        (lambda: hand_index("AsKs", "2cAs3c"), "card As appears twice"),
        (lambda: hand_index([51, 51]), "card As appears twice"),
        (lambda: hand_index([0, 52]), "hole card 52 is out of range"),
        (lambda: hand_index([0, 1], [2, 3, -1]), "board card -1 is out of range"),
        (lambda: hand_index([0, 1.5]), "not an integer card"),
        (lambda: hand_index("AsXx"), "unknown rank"),
        (lambda: hand_from_index(RIVER, N_INDICES[RIVER]), "index 123156254 is out of range"),
        (lambda: hand_from_index(PREFLOP, -1), "index -1 is out of range for the preflop"),
        (lambda: hand_from_index(4, 0), "street must be 0 (preflop)"),
        (lambda: hand_from_index(FLOP, 2.0), "index must be an integer"),
        (lambda: index_batch(np.zeros((3, 4), np.uint8)), "shape (n, 2|5|6|7)"),
        (lambda: index_batch(np.array([[0, 1, 2, 3, 60]])), "row 0 holds a card outside"),
        (lambda: index_batch(np.array([[0, 1, 2, 3, 4], [0, 1, 2, 3, 3]])), "row 1 repeats"),
        (lambda: index_batch(np.array([[0.0, 1.0]])), "integer cards"),
        (lambda: unindex_batch(FLOP, np.array([0, 5, 1_286_792])), "position 2"),
        (lambda: unindex_batch(-1, np.array([0])), "street must be"),
        (lambda: unindex_batch(TURN, np.zeros((2, 2), np.int64)), "1-D integer array"),
    ],
)
def test_bad_input_raises_value_error_naming_it(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_empty_batches():
    assert index_batch(np.zeros((0, 7), np.uint8)).shape == (0,)
    assert unindex_batch(RIVER, np.zeros(0, np.int64)).shape == (0, 7)


@njit  # not cached: a cached caller would keep a stale copy of the indexer
def _round_trip_all(street, n, n_cards):
    """Count indices i in 0 .. n - 1 with index(unindex(i)) != i."""
    out = np.empty(n_cards, np.uint8)
    bad = 0
    for i in range(n):
        unindex_into(street, i, out)
        if index_hand(out) != i:
            bad += 1
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("street", [TURN, RIVER])
def test_every_index_round_trips(street):
    """Every index of the street: index(unindex(i)) == i (river: about 12 s on one core)."""
    assert _round_trip_all(street, N_INDICES[street], 2 + N_BOARD_CARDS[street]) == 0
