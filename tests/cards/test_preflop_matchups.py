"""Exact preflop matchups between classes: the kernel against enumerations with PHEvaluator and
eval7 (not our evaluator), the suit-symmetry shortcut, invariants of the full tables, the cache.
"""

import itertools
from math import comb

import eval7
import numpy as np
import phevaluator
import pytest

from holdem.cards import preflop_matchups as pm
from holdem.cards.boards import canonical_boards
from holdem.cards.encoding import format_card, parse_cards
from holdem.cards.isomorphism import hand_index
from holdem.storage.cache import cache_dir
from tests.numba_cache_check import assert_second_process_loads_from_cache

AA, KK = hand_index("AsAh"), hand_index("KsKh")


def _reference_counts(boards, weights):
    """Wins and ties by class pair on the given boards, from PHEvaluator ranks (lower is
    better): every ordered pair of disjoint hole pairs, tallied with one-hot matrices."""
    classes = pm.class_of_cards()
    wins = np.zeros((169, 169), np.int64)
    ties = np.zeros((169, 169), np.int64)
    for board, weight in zip(boards.tolist(), weights.tolist(), strict=True):
        rest = [c for c in range(52) if c not in board]
        hands = np.array(list(itertools.combinations(rest, 2)))
        rank = np.array([phevaluator.evaluate_cards(int(a), int(b), *board) for a, b in hands])
        a, b = hands[:, 0], hands[:, 1]
        share = (a[:, None] == a) | (a[:, None] == b) | (b[:, None] == a) | (b[:, None] == b)
        onehot = np.zeros((len(hands), 169))
        onehot[np.arange(len(hands)), classes[a, b]] = 1.0
        beats = (rank[:, None] < rank[None, :]) & ~share
        equal = (rank[:, None] == rank[None, :]) & ~share
        # Float products of 0/1 matrices are exact integers far below 2**53.
        wins += weight * np.rint(onehot.T @ beats @ onehot).astype(np.int64)
        ties += weight * np.rint(onehot.T @ equal @ onehot).astype(np.int64)
    return wins, ties


def test_the_kernel_on_a_few_boards_matches_an_enumeration_with_phevaluator():
    rng = np.random.default_rng(11)
    boards = np.array([np.sort(rng.choice(52, 5, replace=False)) for _ in range(5)], np.uint8)
    # Boards where many hands tie (the board plays, quads, a full house on board) stress the
    # tie bookkeeping.
    boards = np.vstack([boards, [parse_cards("Ts Js Qs Ks As")], [parse_cards("7c 7d 7h 7s 2c")]])
    boards = np.vstack([boards, [sorted(parse_cards("9c 9d 9h 4s 4c"))]]).astype(np.uint8)
    weights = np.array([1, 2, 3, 5, 7, 24, 1, 4], np.int64)
    wins, ties = pm.matchup_counts(boards, weights)
    ref_wins, ref_ties = _reference_counts(boards, weights)
    assert np.array_equal(wins, ref_wins)
    assert np.array_equal(ties, ref_ties)
    assert ties.sum() > 0 and wins.sum() > 0


def _suit_renamings(board):
    out = set()
    for perm in itertools.permutations(range(4)):
        out.add(tuple(sorted(4 * (c // 4) + perm[c % 4] for c in board)))
    return out


def test_orbit_weights_count_the_suit_renamings_and_cover_every_board():
    boards = canonical_boards(5)
    weights = pm.orbit_weights(boards)
    assert weights.sum() == comb(52, 5)
    rng = np.random.default_rng(5)
    for i in rng.choice(len(boards), 40, replace=False):
        assert weights[i] == len(_suit_renamings(boards[i].tolist()))


def test_a_canonical_board_with_its_weight_equals_its_whole_orbit():
    boards = canonical_boards(5)
    weights = pm.orbit_weights(boards)
    for i in (0, 777, 50_000, len(boards) - 1):
        orbit = np.array(sorted(_suit_renamings(boards[i].tolist())), np.uint8)
        assert len(orbit) == weights[i]
        whole = pm.matchup_counts(orbit)
        one = pm.matchup_counts(boards[i : i + 1], weights[i : i + 1])
        assert np.array_equal(whole[0], one[0]) and np.array_equal(whole[1], one[1])


def _combos(c):
    return [h for h in itertools.combinations(range(52), 2) if hand_index(list(h)) == c]


def test_pair_counts_and_class_sizes():
    pairs = pm.pair_counts()
    assert pairs.sum() == 1326 * 1225
    assert np.array_equal(pairs, pairs.T)
    assert pairs[AA, AA] == 6 and pairs[AA, KK] == 36
    sizes = pm.class_sizes()
    assert sorted(set(sizes.tolist())) == [4, 6, 12] and sizes.sum() == 1326
    for x, y in [("AsKs", "AhKh"), ("AsKd", "KhQc"), ("7c7d", "7h2h"), ("Ts9s", "Kd9c")]:
        cx, cy = hand_index(x), hand_index(y)
        disjoint = sum(not set(h1) & set(h2) for h1 in _combos(cx) for h2 in _combos(cy))
        assert pairs[cx, cy] == disjoint


def test_class_labels():
    labels = [pm.class_label(c) for c in range(169)]
    assert len(set(labels)) == 169
    assert labels[AA] == "AA" and labels[hand_index("Ts9s")] == "T9s"
    assert labels[hand_index("2c7d")] == "72o" and labels[hand_index("KdAc")] == "AKo"
    with pytest.raises(ValueError, match=r"0\.\.168, got 169"):
        pm.class_label(169)


@pytest.fixture(scope="module")
def tables():
    """The full tables from the holdem cache (computed there once on a fresh machine)."""
    return pm.preflop_matchups()


def test_full_tables_add_up(tables):
    tables.check()
    assert np.array_equal(tables.pairs, pm.pair_counts())
    assert np.allclose(tables.equity + tables.equity.T, tables.pairs)
    assert np.all(tables.wins >= 0) and np.all(tables.ties >= 0)
    assert tables.wins.sum() + tables.wins.T.sum() + tables.ties.sum() == (
        1326 * 1225 * pm.N_RUNOUTS
    )
    diagonal = np.diag(tables.mean_equity)
    assert np.allclose(diagonal, 0.5)  # a class against itself: as many wins as losses


def test_full_tables_against_published_figures(tables):
    eq = tables.mean_equity
    # Kevin Gong, "Calling Pre-Flop All-In with KK or AK" (2007),
    # http://www.kevingong.com/Math/KKPreflop.html: AA is "81.946031" % against KK.
    assert eq[AA, KK] == pytest.approx(0.81946031, abs=1e-6)
    # Equity against a random hand, to one decimal, from "Hand Equity v Random Hand" (Replay
    # Poker forum, https://forums.replaypoker.com/t/hand-equity-v-random-hand/22406).
    against_random = tables.equity.sum(axis=1) / tables.pairs.sum(axis=1)
    published = {"AsAh": 85.2, "KsKh": 82.4, "QsQh": 79.9, "AsKs": 67.0, "AsKd": 65.3}
    published |= {"7s7h": 66.2, "KsQd": 61.5, "5s5h": 60.3, "4s4h": 57.0, "KsTd": 59.7}
    for hand, percent in published.items():
        assert 100 * against_random[hand_index(hand)] == pytest.approx(percent, abs=0.05)
    assert np.argmax(against_random) == AA


def _eval7_class_pair(c1, c2):
    """Sum over disjoint combination pairs of c1's equity against c2, each pair enumerated over
    all 1,712,304 boards with eval7. Pairs equal up to renaming suits are enumerated once."""
    groups: dict[tuple, list] = {}
    for h1 in _combos(c1):
        for h2 in _combos(c2):
            if set(h1) & set(h2):
                continue
            key = min(
                (
                    tuple(sorted(4 * (c // 4) + p[c % 4] for c in h1)),
                    tuple(sorted(4 * (c // 4) + p[c % 4] for c in h2)),
                )
                for p in itertools.permutations(range(4))
            )
            groups.setdefault(key, []).append((h1, h2))
    total_wins = total_ties = 0
    for (h1, h2), members in groups.items():
        hero = [eval7.Card(format_card(c)) for c in h1]
        villain = [eval7.Card(format_card(c)) for c in h2]
        deck = [eval7.Card(format_card(c)) for c in range(52) if c not in h1 + h2]
        wins = ties = 0
        for board in itertools.combinations(deck, 5):
            mine = eval7.evaluate([*hero, *board])
            theirs = eval7.evaluate([*villain, *board])
            wins += mine > theirs
            ties += mine == theirs
        total_wins += wins * len(members)
        total_ties += ties * len(members)
    return total_wins, total_ties


@pytest.mark.slow
@pytest.mark.parametrize(
    ("hero", "villain"),
    [
        ("AsAh", "KsKh"),  # a pair over a pair
        ("Ts9s", "Kd9c"),  # a suited connector against an offsuit hand sharing a rank
        ("KsKh", "Kd7d"),  # a pair against the hand it dominates
    ],
)
def test_class_pairs_match_an_enumeration_with_eval7(tables, hero, villain):
    c1, c2 = hand_index(hero), hand_index(villain)
    wins, ties = _eval7_class_pair(c1, c2)
    assert (tables.wins[c1, c2], tables.ties[c1, c2]) == (wins, ties)


def test_cache_round_trip_and_damage(tmp_path):
    boards = canonical_boards(5)[:3]
    wins, ties = pm.matchup_counts(boards)
    small = pm.PreflopMatchups(wins, ties, pm.pair_counts())
    folder = tmp_path / "cache" / "m"
    pm.save_preflop_matchups(small, folder)
    back = pm.load_preflop_matchups(folder)
    for name in ("wins", "ties", "pairs"):
        assert np.array_equal(getattr(back, name), getattr(small, name))
    raw = bytearray((folder / "ties.npy").read_bytes())
    raw[-1] ^= 1
    (folder / "ties.npy").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"m: ties does not match its checksum"):
        pm.load_preflop_matchups(folder)
    with pytest.raises(ValueError, match="no such file"):
        pm.load_preflop_matchups(tmp_path / "missing")


def test_preflop_matchups_computes_once_and_rebuilds_a_damaged_cache(tmp_path, monkeypatch):
    calls = []

    def fake_compute(progress=None):
        calls.append(1)
        wins, ties = pm.matchup_counts(canonical_boards(5)[:2])
        return pm.PreflopMatchups(wins, ties, pm.pair_counts())

    monkeypatch.setattr(pm, "compute_preflop_matchups", fake_compute)
    monkeypatch.setenv("HOLDEM_CACHE_DIR", str(tmp_path / "hc"))
    monkeypatch.setattr(pm, "_LOADED", {})
    first = pm.preflop_matchups()
    assert (tmp_path / "hc" / "preflop_matchups" / "manifest.json").is_file()
    assert pm.preflop_matchups() is first and len(calls) == 1
    monkeypatch.setattr(pm, "_LOADED", {})
    assert np.array_equal(pm.preflop_matchups().wins, first.wins) and len(calls) == 1
    (tmp_path / "hc" / "preflop_matchups" / "wins.npy").write_bytes(b"junk")
    monkeypatch.setattr(pm, "_LOADED", {})
    with pytest.warns(UserWarning, match="computing the tables again"):
        pm.preflop_matchups()
    assert len(calls) == 2


def test_cache_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HOLDEM_CACHE_DIR", str(tmp_path / "a"))
    assert cache_dir() == tmp_path / "a"
    monkeypatch.delenv("HOLDEM_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "holdem"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "holdem"


def test_bad_boards_are_refused():
    with pytest.raises(ValueError, match=r"shape \(n, 5\)"):
        pm.matchup_counts(np.zeros((2, 4), np.uint8))
    with pytest.raises(ValueError, match="5 different cards"):
        pm.matchup_counts(np.array([[1, 1, 2, 3, 4]], np.uint8))


def test_a_second_process_loads_the_kernels_from_the_numba_cache():
    script = (
        "import numpy as np\n"
        "from holdem.cards.preflop_matchups import matchup_counts, orbit_weights\n"
        "boards = np.array([[0, 5, 10, 20, 30]], np.uint8)\n"
        "matchup_counts(boards, orbit_weights(boards))\n"
    )
    # three kernels of its own (the evaluator builds its tables with numpy, no kernel to load)
    assert_second_process_loads_from_cache(script, min_loaded=3)
