"""CardAbstraction: save, load (memory-mapped), checksum, lookups, and refusal of bad files."""

import json

import numpy as np
import pytest
from numba import njit

from holdem.abstraction.bucket_presets import STREETS, BucketSpec
from holdem.abstraction.buckets import CardAbstraction, bucket_of, buckets_of, tables_checksum
from holdem.cards.evaluator import SUITED_BIT
from holdem.cards.isomorphism import N_INDICES, hand_index
from holdem.storage.array_files import read_arrays, write_arrays

SPEC = BucketSpec(preset="test", k_preflop=169, k_flop=300, k_turn=7, k_river=200)


@pytest.fixture(scope="module")
def abstraction():
    rng = np.random.default_rng(0)
    tables = {}
    for street, n in zip(STREETS, N_INDICES, strict=True):
        k = SPEC.counts()[street]
        dtype = np.uint8 if k <= 256 else np.uint16
        tables[street] = rng.integers(0, k, size=n, dtype=dtype)
    stats = {s: np.zeros((SPEC.counts()[s], 3)) for s in STREETS}
    return CardAbstraction.from_tables(tables, SPEC, stats, {"river": "random"}, {"seconds": 0})


@pytest.fixture(scope="module")
def saved(abstraction, tmp_path_factory):
    path = tmp_path_factory.mktemp("buckets") / "random.npz"
    abstraction.save(path)
    return path


def test_manifest_records_what_a_trainer_needs(abstraction):
    m = abstraction.manifest
    assert m["format"] == "holdem-card-abstraction"
    assert m["format_version"] == 1
    assert m["counts"] == {"preflop": 169, "flop": 300, "turn": 7, "river": 200}
    assert m["seed"] == 0
    assert m["spec"] == SPEC.to_dict()
    assert m["checksum"].startswith("sha256:")
    assert m["tables"] == {"preflop": "uint8", "flop": "uint16", "turn": "uint8", "river": "uint8"}
    assert abstraction.spec == SPEC
    json.dumps(m)


@pytest.mark.parametrize("form", ["npz", "folder"])
def test_round_trip_is_memory_mapped_and_identical(abstraction, tmp_path, form):
    path = abstraction.save(tmp_path / ("b.npz" if form == "npz" else "b"))
    loaded = CardAbstraction.load(path)
    assert loaded.checksum == abstraction.checksum
    assert loaded.manifest == abstraction.manifest
    for street in STREETS:
        assert np.array_equal(loaded.tables[street], abstraction.tables[street])
    assert isinstance(loaded.tables["river"], np.memmap)
    assert loaded.path == path


def test_checksum_depends_on_every_table(abstraction):
    tables = dict(abstraction.tables)
    before = tables_checksum(tables)
    turn = tables["turn"].copy()
    turn[12345] = (turn[12345] + 1) % 7
    assert tables_checksum({**tables, "turn": turn}) != before
    assert tables_checksum(tables) == before


def test_lookups_agree_with_the_indexer(abstraction):
    rng = np.random.default_rng(1)
    for n_board, street in ((0, "preflop"), (3, "flop"), (4, "turn"), (5, "river")):
        hands = np.array([rng.choice(52, 2 + n_board, replace=False) for _ in range(50)])
        batch = abstraction.buckets(hands)
        for hand, got in zip(hands, batch, strict=True):
            hole, board = [int(c) for c in hand[:2]], [int(c) for c in hand[2:]]
            want = abstraction.tables[street][hand_index(hole, board)]
            assert got == want
            assert abstraction.bucket(hole, board) == want
    assert (
        abstraction.bucket("AsKd", "Qh Jh 2c")
        == abstraction.tables["flop"][hand_index("AsKd", "QhJh2c")]
    )


@njit
def _lookup_all(table, hands):
    out = np.empty(hands.shape[0], np.int64)
    for i in range(hands.shape[0]):
        hole = np.int64(SUITED_BIT[hands[i, 0]] | SUITED_BIT[hands[i, 1]])
        board = np.int64(0)
        for j in range(2, hands.shape[1]):
            board |= np.int64(SUITED_BIT[hands[i, j]])
        out[i] = bucket_of(table, hole, board)
    return out


@pytest.mark.parametrize("n_board", [0, 3, 4, 5])
def test_kernel_lookups_match_python(abstraction, n_board):
    rng = np.random.default_rng(2)
    hands = np.array([rng.choice(52, 2 + n_board, replace=False) for _ in range(200)], np.uint8)
    table = abstraction.tables[STREETS[(0, 3, 4, 5).index(n_board)]]
    want = abstraction.buckets(hands)
    assert np.array_equal(_lookup_all(table, hands), want)
    holes = np.array([SUITED_BIT[h[0]] | SUITED_BIT[h[1]] for h in hands], np.int64)
    boards = np.array([np.bitwise_or.reduce(SUITED_BIT[h[2:]]) for h in hands], np.int64)
    out = np.empty(len(hands), np.int64)
    buckets_of(table, holes, boards, out)
    assert np.array_equal(out, want)


def _one_line_error(path, match, verify=True):
    with pytest.raises(ValueError, match=match) as info:
        CardAbstraction.load(path, verify=verify)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def _rewrite(saved, path, tables=None, manifest=None, drop=()):
    arrays, original = read_arrays(saved)
    arrays = {k: v for k, v in arrays.items() if k not in drop}
    arrays.update(tables or {})
    write_arrays(path, arrays, {**original, **(manifest or {})})
    return path


def test_damaged_table_fails_the_checksum_unless_unverified(saved, tmp_path):
    river = np.array(read_arrays(saved)[0]["river"])
    river[777] = (river[777] + 1) % 200
    path = _rewrite(saved, tmp_path / "damaged.npz", tables={"river": river})
    _one_line_error(path, "checksum mismatch")
    assert CardAbstraction.load(path, verify=False).tables["river"][777] == river[777]


def test_bucket_out_of_range_is_refused(saved, tmp_path):
    turn = np.array(read_arrays(saved)[0]["turn"])
    turn[5] = 9
    _one_line_error(_rewrite(saved, tmp_path / "range.npz", tables={"turn": turn}), "bucket 9 >= 7")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"manifest": {"format": "something-else"}}, "not a card abstraction"),
        ({"manifest": {"format_version": 99}}, "version 99 is not supported"),
        ({"manifest": {"counts": {"flop": 3}}}, "no bucket count for every street"),
        ({"drop": ("flop",)}, "no flop table"),
        ({"tables": {"turn": np.zeros(10, np.uint8)}}, r"shape \(10,\)"),
        ({"tables": {"flop": np.zeros(N_INDICES[1], np.uint8)}}, "dtype uint8, expected uint16"),
    ],
)
def test_wrong_files_are_one_line_errors(saved, tmp_path, change, match):
    _one_line_error(_rewrite(saved, tmp_path / "wrong.npz", **change), match)


def test_truncated_file_is_a_one_line_error(saved, tmp_path):
    path = tmp_path / "cut.npz"
    with open(saved, "rb") as f:
        path.write_bytes(f.read(saved.stat().st_size // 2))
    _one_line_error(path, "truncated|not an npz")


def test_foreign_npz_is_a_one_line_error(tmp_path):
    path = tmp_path / "foreign.npz"
    np.savez(path, river=np.zeros(5, np.uint8))
    _one_line_error(path, "no manifest")
