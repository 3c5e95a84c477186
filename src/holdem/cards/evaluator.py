"""Poker hand evaluator for 5, 6 and 7 cards, callable from Numba kernels.

A hand's *rank* is an integer 1..7462: higher is better, equal means a tie, and exactly 7,462
values occur (the number of distinct five-card poker hands). 1 is 7-5-4-3-2 offsuit, 7462 a
royal flush. ``hand_category(rank)`` gives the category (high card .. straight flush).

How it works (per hand, no branches but one):

* Each card ``c`` has a 64-bit key ``KEY[c] = 8**rank + 8**(13 + suit)``: 3-bit counters for the
  13 ranks (bits 0..38) and for the 4 suits (bits 39..50). Adding the keys of up to 7 cards
  never carries, so the sum holds every rank count and every suit count.
* ``FLUSH_SUIT[sum >> 39]`` tells whether some suit has 5 or more cards. If so, the ranks of that
  suit (kept as a 13-bit row of ``suited``, an OR of ``1 << (16 * suit + rank)``) index
  ``FLUSH_RANK``, 8,192 entries.
* Otherwise the rank counters (39 bits) are looked up in a minimal-memory perfect hash
  ("hash, displace": Belazzougui, Botelho and Dietzfelbinger, *Hash, displace, and compress*,
  ESA 2009, https://doi.org/10.1007/978-3-642-04128-0_61): a multiplicative hash picks a row
  and a column; the row's displacement moves the column to a slot no other key uses. The table
  has 2**17 slots of uint16 (256 KiB) and 2**14 displacements.

All tables are derived here from the rules of poker, with numpy (about 0.1 s, no kernel to
compile), by code that is checked against exhaustive counts and against PHEvaluator in the
tests. They are built once and kept in the holdem cache folder (`holdem.storage.cache`,
``evaluator/tables_v1.npz``, 0.36 MB with its SHA-256), so a command starts without building
them (5 ms to load); a cache file that fails its checksum is built again.
"""

from __future__ import annotations

import hashlib
import zipfile
from typing import Any

import numpy as np
from numba import njit

from holdem.cards.encoding import N_CARDS, N_RANKS
from holdem.parallel import even_block, map_blocks
from holdem.storage.atomic import atomic_file
from holdem.storage.cache import cache_dir

HIGH_CARD, PAIR, TWO_PAIR, TRIPS, STRAIGHT, FLUSH, FULL_HOUSE, QUADS, STRAIGHT_FLUSH = range(9)
CATEGORY_NAMES = (
    "High card",
    "One pair",
    "Two pair",
    "Three of a kind",
    "Straight",
    "Flush",
    "Full house",
    "Four of a kind",
    "Straight flush",
)
N_HAND_RANKS = 7462

_SUIT_SHIFT = 3 * N_RANKS  # suit counters start at bit 39
_RANK_FIELD = (1 << _SUIT_SHIFT) - 1
_ROW_BITS = 14
_TABLE_BITS = 17
_TABLE_MASK = (1 << _TABLE_BITS) - 1
_M64 = (1 << 64) - 1


def _top_ranks() -> np.ndarray:
    """``top[mask, j]``: the ``j``-th highest rank set in a 13-bit mask (0 when fewer), j < 5."""
    ranks = np.arange(N_RANKS - 1, -1, -1)
    bits = (np.arange(1 << N_RANKS)[:, None] >> ranks) & 1
    seen = np.cumsum(bits, axis=1)
    top = np.zeros((1 << N_RANKS, 5), np.int64)
    for j in range(5):
        hit = (bits == 1) & (seen == j + 1)
        top[:, j] = np.where(hit.any(axis=1), ranks[hit.argmax(axis=1)], 0)
    return top


def _straight_tops(masks: np.ndarray) -> np.ndarray:
    """Top rank of the best straight in each 13-bit rank mask (3 for the wheel), or -1."""
    top = np.full(masks.shape, -1, np.int64)
    for high in range(12, 3, -1):
        run = 0x1F << (high - 4)
        top = np.where((top < 0) & (masks & run == run), high, top)
    wheel = 0x100F  # A, 2, 3, 4, 5
    return np.where((top < 0) & (masks & wheel == wheel), 3, top)


def _score(category: int, *ranks: np.ndarray | int) -> np.ndarray:
    """A sortable score: the category, then up to five deciding ranks (4 bits each)."""
    score = np.asarray(category << 20, np.int64)
    for shift, rank in zip((16, 12, 8, 4, 0), ranks, strict=False):
        score = score | (np.asarray(rank, np.int64) << shift)
    return score


def _unsuited_scores(counts: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Score of the best five-card hand of each row of rank counts (m, 13), ignoring flushes."""
    weight = 1 << np.arange(N_RANKS)
    present = (counts > 0) @ weight
    quads, trips, pairs = ((counts == c) @ weight for c in (4, 3, 2))
    n_trips, n_pairs = _popcount(trips), _popcount(pairs)
    quad, trip, pair = top[quads, 0], top[trips], top[pairs]
    second = np.where(n_trips == 2, trip[:, 1], -1)
    second = np.where((n_pairs >= 1) & (pair[:, 0] > second), pair[:, 0], second)
    straight = _straight_tops(present)
    kick_quad = top[present & ~(1 << quad)]
    kick_trips = top[present & ~(1 << trip[:, 0])]
    kick_two = top[present & ~(1 << pair[:, 0]) & ~(1 << pair[:, 1])]
    kick_pair = top[present & ~(1 << pair[:, 0])]
    high = top[present]
    return np.select(
        [
            quads != 0,
            (n_trips >= 1) & ((n_trips == 2) | (n_pairs >= 1)),
            straight >= 0,
            n_trips == 1,
            n_pairs >= 2,
            n_pairs == 1,
        ],
        [
            _score(QUADS, quad, kick_quad[:, 0]),
            _score(FULL_HOUSE, trip[:, 0], second),
            _score(STRAIGHT, straight),
            _score(TRIPS, trip[:, 0], kick_trips[:, 0], kick_trips[:, 1]),
            _score(TWO_PAIR, pair[:, 0], pair[:, 1], kick_two[:, 0]),
            _score(PAIR, pair[:, 0], kick_pair[:, 0], kick_pair[:, 1], kick_pair[:, 2]),
        ],
        _score(HIGH_CARD, *high.T),
    )


def _flush_scores(masks: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Score of the best hand made of one suit's ranks (each mask has 5 or more bits)."""
    straight = _straight_tops(masks)
    return np.where(straight >= 0, _score(STRAIGHT_FLUSH, straight), _score(FLUSH, *top[masks].T))


def _popcount(masks: np.ndarray) -> np.ndarray:
    """Number of ranks set in each 13-bit mask."""
    return (masks[:, None] >> np.arange(N_RANKS) & 1).sum(axis=1)


def _rank_multisets() -> list[np.ndarray]:
    """Every multiset of 5, 6 and 7 ranks with no rank more than 4 times, as count rows (m, 13).

    Built rank by rank: each row so far is extended by a count 0..4 of the next rank while the
    total stays at most 7.
    """
    rows = np.zeros((1, 0), np.int8)
    total = np.zeros(1, np.int8)
    counts = np.arange(5, dtype=np.int8)
    for _ in range(N_RANKS):
        total = (total[:, None] + counts).ravel()
        keep = total <= 7
        rows = np.concatenate(
            [np.repeat(rows, 5, axis=0), np.tile(counts, rows.shape[0])[:, None]], axis=1
        )[keep]
        total = total[keep]
    return [rows[total == n].astype(np.int64) for n in (5, 6, 7)]


def _splitmix64(x: int) -> int:
    """A 64-bit mixing step (Steele, Lea and Flood, 2014) to draw hash multipliers."""
    z = (x + 0x9E3779B97F4A7C15) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def _displacements(rows: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
    """First-fit displacement of every row, largest rows first; None when one fits nowhere.

    A plain Python loop over the rows (about 0.1 s): cheaper than compiling a kernel for it on a
    fresh machine, and about as fast as loading a compiled one from the cache.
    """
    n_rows, size = 1 << _ROW_BITS, 1 << _TABLE_BITS
    row_size = np.bincount(rows, minlength=n_rows)
    row_start = np.concatenate(([0], np.cumsum(row_size))).tolist()
    cols_by_row = cols[np.argsort(rows, kind="stable")].tolist()
    used = bytearray(size)
    disp = np.zeros(n_rows, np.int32)
    for r in np.argsort(-row_size, kind="stable").tolist():
        members = cols_by_row[row_start[r] : row_start[r + 1]]
        if not members:
            break
        d = 0
        while d < size:
            for c in members:
                if used[(c + d) & _TABLE_MASK]:
                    break
            else:
                break
            d += 1
        else:
            return None
        for c in members:
            used[(c + d) & _TABLE_MASK] = 1
        disp[r] = d
    return disp


def _build_perfect_hash(keys: np.ndarray, values: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """Displacement perfect hash of distinct uint64 keys to uint16 values.

    Tries multipliers in a fixed sequence until every (row, column) pair is distinct and every
    row finds a displacement, so the result is the same on every run.
    """
    size = 1 << _TABLE_BITS
    for attempt in range(1, 1000):
        mult = _splitmix64(attempt) | 1
        h = keys * np.uint64(mult)
        rows = (h >> np.uint64(64 - _ROW_BITS)).astype(np.int64)
        cols = (h >> np.uint64(64 - _ROW_BITS - _TABLE_BITS) & np.uint64(_TABLE_MASK)).astype(
            np.int64
        )
        if np.unique(rows * size + cols).size != keys.size:
            continue
        disp = _displacements(rows, cols)
        if disp is None:
            continue
        table = np.zeros(size, np.uint16)
        table[(cols + disp[rows]) & _TABLE_MASK] = values
        return mult, disp, table
    raise RuntimeError("no perfect hash found for the hand ranks")


def _build_tables() -> dict[str, np.ndarray]:
    """Every table of the evaluator, derived from the rules of poker.

    Plain numpy and Python (about 0.1 s of CPU) rather than jitted helpers: compiling those
    took 8 to 13 s on a fresh machine, and loading them from the cache took as long as this.
    """
    top = _top_ranks()
    multisets = _rank_multisets()
    unsuited = np.concatenate([_unsuited_scores(m, top) for m in multisets])
    bits = _popcount(np.arange(1 << N_RANKS))
    flush_masks = np.flatnonzero(bits >= 5)
    flush_scores = _flush_scores(flush_masks, top)
    five_card = np.unique(
        np.concatenate([unsuited[: len(multisets[0])], flush_scores[bits[flush_masks] == 5]])
    )
    if five_card.size != N_HAND_RANKS:
        raise RuntimeError(f"evaluator tables hold {five_card.size} five-card classes, not 7462")

    def rank_of_score(scores: np.ndarray) -> np.ndarray:
        return (np.searchsorted(five_card, scores) + 1).astype(np.uint16)

    flush_rank = np.zeros(1 << N_RANKS, np.uint16)
    flush_rank[flush_masks] = rank_of_score(flush_scores)

    weights = np.array([1 << (3 * r) for r in range(N_RANKS)], np.uint64)
    rank_keys = np.concatenate([m.astype(np.uint64) @ weights for m in multisets])
    mult, disp, table = _build_perfect_hash(rank_keys, rank_of_score(unsuited))

    fields = np.arange(1 << 12)
    flush_suit = np.full(1 << 12, -1, np.int8)
    for suit in range(4):
        flush_suit[(fields >> (3 * suit) & 7) >= 5] = suit

    key = np.array(
        [(1 << (3 * (c >> 2))) + (1 << (_SUIT_SHIFT + 3 * (c & 3))) for c in range(N_CARDS)],
        np.uint64,
    )
    suited_bit = np.array([1 << (16 * (c & 3) + (c >> 2)) for c in range(N_CARDS)], np.uint64)

    category = np.zeros(N_HAND_RANKS + 1, np.uint8)
    category[1:] = five_card >> 20
    return {
        "key": key,
        "suited_bit": suited_bit,
        "flush_suit": flush_suit,
        "flush_rank": flush_rank,
        "mult": np.array([mult], np.uint64),
        "disp": disp,
        "table": table,
        "category": category,
    }


TABLES_FILE = "evaluator/tables_v1.npz"
"""The cached tables, under `holdem.storage.cache.cache_dir` (a new layout takes a new name)."""


def _digest(tables: dict[str, np.ndarray]) -> bytes:
    """SHA-256 over the tables' names, dtypes, shapes and bytes."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        array = np.ascontiguousarray(tables[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.digest()


def _cached_tables() -> dict[str, np.ndarray]:
    """The tables from the cache when its file is whole, else built and written there (a
    cache folder that cannot be written is skipped: the tables are built each time)."""
    path = cache_dir() / TABLES_FILE
    try:
        with np.load(path, allow_pickle=False) as stored:
            tables = {name: stored[name] for name in stored.files}
        checksum = tables.pop("sha256").tobytes()
        if checksum == _digest(tables):
            return tables
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass
    tables = _build_tables()
    checksum = np.frombuffer(_digest(tables), np.uint8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path) as stream:
            arrays: dict[str, Any] = {"sha256": checksum, **tables}
            np.savez(stream, **arrays)
    except OSError:
        pass
    return tables


_T = _cached_tables()
KEY: np.ndarray = _T["key"]
SUITED_BIT: np.ndarray = _T["suited_bit"]
FLUSH_SUIT: np.ndarray = _T["flush_suit"]
FLUSH_RANK: np.ndarray = _T["flush_rank"]
HASH_MULT = np.uint64(_T["mult"][0])
HASH_DISP: np.ndarray = _T["disp"]
HASH_TABLE: np.ndarray = _T["table"]
CATEGORY_OF_RANK: np.ndarray = _T["category"]
del _T


@njit(cache=True, nogil=True, inline="always")
def _finish(key: np.uint64, suited: np.uint64) -> int:
    """Rank of a hand from its summed KEYs and OR-ed SUITED_BITs (see the module docstring)."""
    suit = FLUSH_SUIT[np.int64(key >> np.uint64(_SUIT_SHIFT))]
    if suit >= 0:
        return int(FLUSH_RANK[np.int64((suited >> np.uint64(16 * suit)) & np.uint64(0x1FFF))])
    h = (key & np.uint64(_RANK_FIELD)) * HASH_MULT
    row = np.int64(h >> np.uint64(64 - _ROW_BITS))
    col = np.int64(h >> np.uint64(64 - _ROW_BITS - _TABLE_BITS)) & _TABLE_MASK
    return int(HASH_TABLE[(col + HASH_DISP[row]) & _TABLE_MASK])


@njit(cache=True, nogil=True, inline="always")
def evaluate7(c0: int, c1: int, c2: int, c3: int, c4: int, c5: int, c6: int) -> int:
    """Rank 1..7462 (higher is better) of the best five-card hand among seven distinct cards."""
    key = KEY[c0] + KEY[c1] + KEY[c2] + KEY[c3] + KEY[c4] + KEY[c5] + KEY[c6]
    suited = (
        SUITED_BIT[c0]
        | SUITED_BIT[c1]
        | SUITED_BIT[c2]
        | SUITED_BIT[c3]
        | SUITED_BIT[c4]
        | SUITED_BIT[c5]
        | SUITED_BIT[c6]
    )
    return _finish(key, suited)


@njit(cache=True, nogil=True, inline="always")
def evaluate6(c0: int, c1: int, c2: int, c3: int, c4: int, c5: int) -> int:
    """Rank 1..7462 of the best five-card hand among six distinct cards."""
    key = KEY[c0] + KEY[c1] + KEY[c2] + KEY[c3] + KEY[c4] + KEY[c5]
    suited = (
        SUITED_BIT[c0]
        | SUITED_BIT[c1]
        | SUITED_BIT[c2]
        | SUITED_BIT[c3]
        | SUITED_BIT[c4]
        | SUITED_BIT[c5]
    )
    return _finish(key, suited)


@njit(cache=True, nogil=True, inline="always")
def evaluate5(c0: int, c1: int, c2: int, c3: int, c4: int) -> int:
    """Rank 1..7462 of a five-card hand."""
    key = KEY[c0] + KEY[c1] + KEY[c2] + KEY[c3] + KEY[c4]
    suited = SUITED_BIT[c0] | SUITED_BIT[c1] | SUITED_BIT[c2] | SUITED_BIT[c3] | SUITED_BIT[c4]
    return _finish(key, suited)


@njit(cache=True, nogil=True)
def evaluate_cards(cards: np.ndarray) -> int:
    """Rank 1..7462 of the best five-card hand among 5, 6 or 7 distinct cards (an int array)."""
    key = np.uint64(0)
    suited = np.uint64(0)
    for i in range(cards.shape[0]):
        key += KEY[cards[i]]
        suited |= SUITED_BIT[cards[i]]
    return _finish(key, suited)


@njit(cache=True, nogil=True, inline="always")
def hand_category(rank: int) -> int:
    """Category 0..8 (HIGH_CARD .. STRAIGHT_FLUSH) of a hand rank 1..7462."""
    return CATEGORY_OF_RANK[rank]


@njit(cache=True, nogil=True)
def _evaluate_rows(hands: np.ndarray, out: np.ndarray) -> None:
    """Rank of each row of ``hands`` (n, 5|6|7) uint8 into ``out`` (n,) uint16."""
    for i in range(hands.shape[0]):
        key = np.uint64(0)
        suited = np.uint64(0)
        for j in range(hands.shape[1]):
            key += KEY[hands[i, j]]
            suited |= SUITED_BIT[hands[i, j]]
        out[i] = _finish(key, suited)


def _evaluate_rows_threaded(hands: np.ndarray, out: np.ndarray) -> None:
    """`_evaluate_rows` over blocks of rows on every Numba thread (`holdem.parallel`)."""
    n = hands.shape[0]
    map_blocks(lambda lo, hi: _evaluate_rows(hands[lo:hi], out[lo:hi]), n, even_block(n, 4096))


def evaluate_batch(hands: np.ndarray, parallel: bool = True) -> np.ndarray:
    """Ranks of many hands at once: ``hands`` is (n, 5|6|7) of cards 0..51; returns (n,) uint16.

    With ``parallel`` (the default) the rows are split over every core Numba may use
    (``NUMBA_NUM_THREADS``). Cards are checked to be in 0..51; distinctness is the caller's.
    """
    hands = np.asarray(hands)
    if hands.ndim != 2 or hands.shape[1] not in (5, 6, 7):
        raise ValueError(f"hands must have shape (n, 5|6|7), got {hands.shape}")
    if hands.size and (hands.min() < 0 or hands.max() >= N_CARDS):
        raise ValueError("hands hold a card outside 0..51")
    hands = np.ascontiguousarray(hands, dtype=np.uint8)
    out = np.empty(hands.shape[0], np.uint16)
    (_evaluate_rows_threaded if parallel else _evaluate_rows)(hands, out)
    return out


def evaluate(cards: str | list[int] | np.ndarray) -> int:
    """Rank 1..7462 of 5 to 7 cards given as text (``"As Ks Qs Js Ts"``) or card integers."""
    from holdem.cards.encoding import parse_cards

    values = parse_cards(cards) if isinstance(cards, str) else [int(c) for c in cards]
    if not 5 <= len(values) <= 7 or len(set(values)) != len(values):
        raise ValueError(f"a hand is 5 to 7 distinct cards, got {len(values)}: {cards!r}")
    if min(values) < 0 or max(values) >= N_CARDS:
        raise ValueError(f"cards must be integers 0..51, got {values}")
    # the batch kernel on one row: the one kernel the demo and the tests compile anyway
    out = np.empty(1, np.uint16)
    _evaluate_rows(np.asarray([values], np.uint8), out)
    return int(out[0])


def category_name(rank: int) -> str:
    """Name of the category of a hand rank, e.g. ``"Full house"``."""
    return CATEGORY_NAMES[int(CATEGORY_OF_RANK[int(rank)])]
