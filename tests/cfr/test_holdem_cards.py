"""HoldemCards: the deck, buckets against CardAbstraction, ranks against evaluate7 and eval7.

The deal is checked as a sampler (no card twice; uniform card and hole-pair frequencies by
chi-square tests on a fixed seed; preflop classes at their combinatorial odds), the buckets
against `CardAbstraction.buckets` on the same cards (random tables), the ranks against our
evaluator and, on who wins, against eval7's.
"""

from collections import Counter
from itertools import combinations
from pathlib import Path

import eval7
import numpy as np
import pytest
from scipy.stats import chi2

from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_tree import compile_tree
from holdem.abstraction.buckets import CardAbstraction
from holdem.abstraction.random_abstraction import random_abstraction
from holdem.cards.encoding import RANKS, format_card, parse_cards
from holdem.cards.evaluator import evaluate
from holdem.cards.isomorphism import hand_index
from holdem.cfr.card_model import require_exact
from holdem.cfr.cfr_full import FullWidthSolver
from holdem.cfr.game import SolverGame, load_game
from holdem.cfr.holdem_cards import (
    LOSSLESS_PREFLOP_CHECKSUM,
    HoldemCards,
    deal_cards,
    preflop_class_names,
)
from holdem.cfr.rng import new_state, next_below

CONFIGS = Path(__file__).resolve().parents[2] / "configs"

# Chi-square tests reject at this level; the seeds are fixed, so a pass is not luck per run.
SIGNIFICANCE = 1e-4


@pytest.fixture(scope="module")
def abstraction():
    """169 lossless preflop buckets, a uint16 flop table, small turn and river tables."""
    return random_abstraction({"preflop": 169, "flop": 300, "turn": 7, "river": 200}, 0)


def _hands(cards, n_players, seat, n_board):
    """(n, 2 + n_board) hands of one seat: its hole cards then the first board cards."""
    first = 2 * n_players
    return np.concatenate(
        (cards[:, 2 * seat : 2 * seat + 2], cards[:, first : first + n_board]), axis=1
    )


@pytest.mark.parametrize("n_players", [2, 6])
def test_no_card_is_dealt_twice(n_players):
    cards = deal_cards(new_state(1), 50_000, n_players)
    assert cards.shape == (50_000, 2 * n_players + 5)
    assert cards.dtype == np.uint8
    assert cards.max() < 52
    ordered = np.sort(cards, axis=1)
    assert (ordered[:, 1:] != ordered[:, :-1]).all()


def test_the_deal_kernel_is_the_textbook_fisher_yates():
    """A plain Python partial Fisher-Yates with the same generator draws the same cards."""
    n_players, n = 4, 200
    got = deal_cards(new_state(21), n, n_players)
    state = new_state(21)
    for row in got:
        deck = list(range(52))
        for k in range(2 * n_players + 5):
            j = k + next_below(state, 52 - k)
            deck[k], deck[j] = deck[j], deck[k]
        assert row.tolist() == deck[: 2 * n_players + 5]


@pytest.mark.parametrize("n_players", [2, 6])
def test_every_card_is_equally_likely_in_every_position(n_players):
    n = 52 * 400
    cards = deal_cards(new_state(2), n, n_players)
    counts = np.zeros((cards.shape[1], 52), np.int64)
    for position in range(cards.shape[1]):
        counts[position] = np.bincount(cards[:, position], minlength=52)
    expected = n / 52
    statistic = ((counts - expected) ** 2 / expected).sum(axis=1)
    threshold = chi2.ppf(1 - SIGNIFICANCE, df=51)
    assert (statistic < threshold).all(), statistic
    total = ((counts - expected) ** 2 / expected).sum()
    assert total < chi2.ppf(1 - SIGNIFICANCE, df=51 * cards.shape[1])


def test_every_hole_pair_is_equally_likely():
    n = 1326 * 100
    cards = deal_cards(new_state(3), n, 3)
    low = np.minimum(cards[:, 4], cards[:, 5]).astype(np.int64)
    high = np.maximum(cards[:, 4], cards[:, 5]).astype(np.int64)
    counts = np.bincount(low * 52 + high, minlength=52 * 52)
    pairs = [a * 52 + b for a, b in combinations(range(52), 2)]
    observed = counts[pairs]
    assert observed.sum() == n
    expected = n / 1326
    statistic = ((observed - expected) ** 2 / expected).sum()
    assert statistic < chi2.ppf(1 - SIGNIFICANCE, df=1325)


def test_preflop_classes_come_at_their_combinatorial_odds():
    cards = HoldemCards(2)
    n = 200_000
    buckets, _ = cards.deal_batch(new_state(4), n)
    observed = np.bincount(buckets[:, :, 0].reshape(-1), minlength=169)
    # 6 combinations of a pair, 4 of a suited hand, 12 of an offsuit one, out of 1326.
    combos = np.array(
        [6 if len(name) == 2 else 4 if name.endswith("s") else 12 for name in preflop_class_names()]
    )
    assert combos.sum() == 1326
    expected = 2 * n * combos / 1326
    statistic = ((observed - expected) ** 2 / expected).sum()
    assert statistic < chi2.ppf(1 - SIGNIFICANCE, df=168)


@pytest.mark.parametrize("n_players", [2, 3, 6])
def test_buckets_are_the_abstractions_buckets_of_the_same_cards(abstraction, n_players):
    model = HoldemCards(n_players, abstraction)
    assert model.n_buckets == (169, 300, 7, 200)
    cards = model.deal_cards(new_state(5), 3000)
    buckets, _ = model.buckets_and_ranks(cards)
    assert buckets.shape == (3000, n_players, 4)
    assert buckets.dtype == np.int32
    for seat in range(n_players):
        for street, n_board in enumerate((0, 3, 4, 5)):
            want = abstraction.buckets(_hands(cards, n_players, seat, n_board))
            assert np.array_equal(buckets[:, seat, street], want)
    # Spot checks through the one-hand API, text in and out.
    for i in range(20):
        seat = i % n_players
        hole = [int(c) for c in cards[i, 2 * seat : 2 * seat + 2]]
        board = [int(c) for c in cards[i, 2 * n_players :]]
        assert buckets[i, seat, 3] == abstraction.bucket(hole, board)
        assert buckets[i, seat, 1] == abstraction.bucket(hole, board[:3])


def test_clustered_preflop_buckets_come_from_the_table():
    abstraction = random_abstraction({"preflop": 8, "flop": 5, "turn": 6, "river": 9}, 1)
    model = HoldemCards(4, abstraction)
    assert not model.lossless_preflop
    cards = model.deal_cards(new_state(6), 2000)
    buckets, _ = model.buckets_and_ranks(cards)
    for seat in range(4):
        for street, n_board in enumerate((0, 3, 4, 5)):
            want = abstraction.buckets(_hands(cards, 4, seat, n_board))
            assert np.array_equal(buckets[:, seat, street], want)
    assert model.bucket_label(0, 7) == "preflop:b7"
    assert model.checksum == abstraction.checksum


@pytest.mark.parametrize("with_file", [False, True])
def test_lossless_preflop_bucket_is_the_canonical_class(abstraction, with_file):
    model = HoldemCards(3, abstraction if with_file else None)
    assert model.lossless_preflop
    cards = model.deal_cards(new_state(7), 500)
    buckets, _ = model.buckets_and_ranks(cards)
    for i in range(cards.shape[0]):
        for seat in range(3):
            hole = [int(c) for c in cards[i, 2 * seat : 2 * seat + 2]]
            assert buckets[i, seat, 0] == hand_index(hole)
    if not with_file:
        assert model.n_buckets == (169, 1, 1, 1)
        assert (buckets[:, :, 1:] == 0).all()
        assert model.checksum == LOSSLESS_PREFLOP_CHECKSUM


def _name_from_cards(a, b):
    """The class name computed straight from two cards, without the isomorphism."""
    high, low = max(a // 4, b // 4), min(a // 4, b // 4)
    suffix = "" if high == low else ("s" if a % 4 == b % 4 else "o")
    return RANKS[high] + RANKS[low] + suffix


def test_preflop_labels_name_the_class_of_every_hole_pair():
    model = HoldemCards(2)
    names = [model.bucket_label(0, b) for b in range(169)]
    assert len(set(names)) == 169
    kinds = Counter("pair" if len(n) == 2 else n[-1] for n in names)
    assert kinds == {"pair": 13, "s": 78, "o": 78}
    for a, b in combinations(range(52), 2):
        assert names[hand_index([a, b])] == _name_from_cards(a, b)
    assert model.bucket_label(0, hand_index("AsKs")) == "AKs"
    assert model.bucket_label(0, hand_index("Td9c")) == "T9o"
    assert model.bucket_label(0, hand_index("AhAd")) == "AA"
    assert model.bucket_label(2, 0) == "turn:b0"


@pytest.mark.parametrize("n_players", [2, 6])
def test_ranks_are_evaluate7_and_agree_with_eval7_on_who_wins(n_players):
    model = HoldemCards(n_players)
    cards = model.deal_cards(new_state(8), 1500)
    _, ranks = model.buckets_and_ranks(cards)
    assert ranks.shape == (1500, n_players)
    first = 2 * n_players
    for i in range(cards.shape[0]):
        board = [int(c) for c in cards[i, first:]]
        theirs = []
        for seat in range(n_players):
            hand = [int(c) for c in cards[i, 2 * seat : 2 * seat + 2]] + board
            assert ranks[i, seat] == evaluate(hand)
            theirs.append(eval7.evaluate([eval7.Card(format_card(c)) for c in hand]))
        for s, t in combinations(range(n_players), 2):
            assert np.sign(int(ranks[i, s]) - int(ranks[i, t])) == np.sign(theirs[s] - theirs[t])


def test_a_board_straight_ties_every_seat():
    model = HoldemCards(6)
    board = [int(c) for c in parse_cards("Ts Jh Qd Kc Ad")]
    rng = np.random.default_rng(9)
    rest = np.array([c for c in range(52) if c not in board])
    rows = [np.concatenate((rng.choice(rest, 12, replace=False), board)) for _ in range(50)]
    _, ranks = model.buckets_and_ranks(np.array(rows))
    assert (ranks == ranks[0, 0]).all()


def test_deals_are_reproducible_from_the_seed_and_batches_compose(abstraction):
    model = HoldemCards(6, abstraction)
    state = new_state(11)
    buckets, ranks = model.deal_batch(state, 300)
    assert state[0] != new_state(11)[0]
    again = model.deal_batch(new_state(11), 300)
    assert np.array_equal(buckets, again[0]) and np.array_equal(ranks, again[1])
    # The batch is its cards' buckets and ranks, and two batches continue one stream of deals.
    cards = model.deal_cards(new_state(11), 300)
    same = model.buckets_and_ranks(cards)
    assert np.array_equal(buckets, same[0]) and np.array_equal(ranks, same[1])
    split = new_state(11)
    head, tail = model.deal_batch(split, 120), model.deal_batch(split, 180)
    assert np.array_equal(np.concatenate((head[0], tail[0])), buckets)
    assert split[0] == state[0]
    other, _ = model.deal_batch(new_state(12), 300)
    assert not np.array_equal(other, buckets)
    assert model.deal_batch(new_state(1), 0)[0].shape == (0, 6, 4)


def test_the_model_fits_a_holdem_tree_and_exact_solvers_refuse_it():
    tree = compile_tree(load_betting_spec(CONFIGS / "hu_small.yaml"))
    game = SolverGame.build("hu", tree, HoldemCards(2))
    assert game.layout.n_buckets == (169, 1, 1, 1)
    with pytest.raises(ValueError, match="cannot list its deals"):
        require_exact(game.cards)
    with pytest.raises(ValueError, match="'holdem2:preflop169' cannot list its deals"):
        FullWidthSolver(game)
    assert require_exact(load_game("leduc").cards).exact_deals().n_deals > 0


def test_a_169_bucket_preflop_table_must_be_the_identity(abstraction):
    tables = dict(abstraction.tables)
    tables["preflop"] = tables["preflop"][::-1].copy()
    shuffled = CardAbstraction.from_tables(
        tables, abstraction.spec, abstraction.stats, {}, {"seconds": 0}
    )
    with pytest.raises(ValueError, match="preflop table = identity"):
        HoldemCards(2, shuffled)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: HoldemCards(1), "2 to 6 players, got 1"),
        (lambda: HoldemCards(7), "2 to 6 players, got 7"),
        (lambda: HoldemCards(True), "got True"),
        (lambda: HoldemCards(2).deal_batch(np.zeros(1, np.int64), 3), "rng_state"),
        (lambda: HoldemCards(2).deal_batch(new_state(0), -1), "got -1"),
        (lambda: HoldemCards(2).bucket_label(4, 0), "street must be 0..3, got 4"),
        (lambda: HoldemCards(2).bucket_label(1, 1), "bucket 1 is out of range on flop"),
        (lambda: HoldemCards(2).bucket_label(0, 169), "bucket 169 is out of range"),
        (lambda: HoldemCards(2).buckets_and_ranks(np.zeros((3, 8), int)), r"shape \(n, 9\)"),
        (lambda: HoldemCards(2).buckets_and_ranks(np.zeros((3, 9), int)), "deal 0 holds"),
        (lambda: HoldemCards(2).buckets_and_ranks(np.full((1, 9), 52)), "0..51"),
    ],
)
def test_bad_input_is_refused_with_the_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_saved_abstraction_loads_memory_mapped_and_deals_the_same(abstraction, tmp_path):
    path = abstraction.save(tmp_path / "random.npz")
    loaded = HoldemCards.load(path, 3, verify=False)
    assert isinstance(loaded.abstraction.tables["river"], np.memmap)
    assert loaded.checksum == abstraction.checksum
    assert loaded.name == "holdem3:random"
    in_memory = HoldemCards(3, abstraction).deal_batch(new_state(13), 500)
    from_file = loaded.deal_batch(new_state(13), 500)
    assert np.array_equal(in_memory[0], from_file[0])
    assert np.array_equal(in_memory[1], from_file[1])
    with pytest.raises(ValueError, match=r"missing\.npz"):
        HoldemCards.load(tmp_path / "missing.npz", 3)
