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
  has 2**17 slots of uint16 (256 KiB) and 2**14 displacements, built at import in a few
  milliseconds.

All tables are derived here from the rules of poker, by code that is checked against
exhaustive counts and against PHEvaluator in the tests.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from holdem.cards.encoding import N_CARDS, N_RANKS

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


@njit(cache=True)
def _straight_top(mask: int) -> int:
    """Top rank of the best straight in a 13-bit rank mask (3 for the wheel), or -1."""
    for top in range(12, 3, -1):
        run = 0x1F << (top - 4)
        if mask & run == run:
            return top
    wheel = 0x100F  # A, 2, 3, 4, 5
    if mask & wheel == wheel:
        return 3
    return -1


@njit(cache=True)
def _score(category: int, r1: int, r2: int, r3: int, r4: int, r5: int) -> int:
    """A sortable score: the category, then up to five deciding ranks (4 bits each)."""
    return (category << 20) | (r1 << 16) | (r2 << 12) | (r3 << 8) | (r4 << 4) | r5


@njit(cache=True)
def _top_bits(mask: int, count: int, out: np.ndarray) -> None:
    """The ``count`` highest ranks set in ``mask``, highest first, into ``out`` (rest 0)."""
    out[:] = 0
    k = 0
    for r in range(12, -1, -1):
        if k < count and mask >> r & 1:
            out[k] = r
            k += 1


@njit(cache=True)
def _flush_score(mask: int) -> int:
    """Score of the best hand made of one suit's ranks (``mask`` has 5 or more bits)."""
    top = _straight_top(mask)
    if top >= 0:
        return _score(STRAIGHT_FLUSH, top, 0, 0, 0, 0)
    t = np.zeros(5, np.int64)
    _top_bits(mask, 5, t)
    return _score(FLUSH, t[0], t[1], t[2], t[3], t[4])


@njit(cache=True)
def _unsuited_score(counts: np.ndarray) -> int:
    """Score of the best five-card hand from rank counts, ignoring flushes."""
    present = 0
    quad = -1
    trips = np.full(2, -1, np.int64)
    pairs = np.full(3, -1, np.int64)
    n_trips = 0
    n_pairs = 0
    for r in range(12, -1, -1):
        c = counts[r]
        if c > 0:
            present |= 1 << r
        if c == 4:
            quad = r
        elif c == 3:
            trips[n_trips] = r
            n_trips += 1
        elif c == 2:
            pairs[n_pairs] = r
            n_pairs += 1
    t = np.zeros(5, np.int64)
    if quad >= 0:
        _top_bits(present & ~(1 << quad), 1, t)
        return _score(QUADS, quad, t[0], 0, 0, 0)
    if n_trips >= 1 and (n_trips == 2 or n_pairs >= 1):
        second = trips[1] if n_trips == 2 else -1
        if n_pairs >= 1 and pairs[0] > second:
            second = pairs[0]
        return _score(FULL_HOUSE, trips[0], second, 0, 0, 0)
    top = _straight_top(present)
    if top >= 0:
        return _score(STRAIGHT, top, 0, 0, 0, 0)
    if n_trips == 1:
        _top_bits(present & ~(1 << trips[0]), 2, t)
        return _score(TRIPS, trips[0], t[0], t[1], 0, 0)
    if n_pairs >= 2:
        _top_bits(present & ~(1 << pairs[0]) & ~(1 << pairs[1]), 1, t)
        return _score(TWO_PAIR, pairs[0], pairs[1], t[0], 0, 0)
    if n_pairs == 1:
        _top_bits(present & ~(1 << pairs[0]), 3, t)
        return _score(PAIR, pairs[0], t[0], t[1], t[2], 0)
    _top_bits(present, 5, t)
    return _score(HIGH_CARD, t[0], t[1], t[2], t[3], t[4])


@njit(cache=True)
def _rank_multisets(n: int) -> np.ndarray:
    """Every multiset of ``n`` ranks with no rank more than 4 times, as count rows (m, 13)."""
    out = np.zeros((60000, N_RANKS), np.int64)
    m = 0
    a = np.zeros(n, np.int64)
    while True:
        counts = np.zeros(N_RANKS, np.int64)
        ok = True
        for i in range(n):
            counts[a[i]] += 1
            if counts[a[i]] > 4:
                ok = False
        if ok:
            out[m] = counts
            m += 1
        i = n - 1
        while i >= 0 and a[i] == N_RANKS - 1:
            i -= 1
        if i < 0:
            break
        a[i] += 1
        for j in range(i + 1, n):
            a[j] = a[i]
    return out[:m].copy()


@njit(cache=True)
def _splitmix64(x: np.uint64) -> np.uint64:
    """A 64-bit mixing step (Steele, Lea and Flood, 2014) to draw hash multipliers."""
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _row_col(key: np.uint64, mult: np.uint64) -> tuple[np.int64, np.int64]:
    h = key * mult
    row = np.int64(h >> np.uint64(64 - _ROW_BITS))
    col = np.int64((h >> np.uint64(64 - _ROW_BITS - _TABLE_BITS)) & np.uint64(_TABLE_MASK))
    return row, col


@njit(cache=True)
def _build_perfect_hash(
    keys: np.ndarray, values: np.ndarray
) -> tuple[np.uint64, np.ndarray, np.ndarray]:
    """Displacement perfect hash of distinct uint64 keys to uint16 values.

    Tries multipliers in a fixed sequence until every (row, column) pair is distinct and every
    row finds a displacement, so the result is the same on every run.
    """
    n = keys.shape[0]
    n_rows = 1 << _ROW_BITS
    size = 1 << _TABLE_BITS
    for attempt in range(1, 1000):
        mult = _splitmix64(np.uint64(attempt)) | np.uint64(1)
        rows = np.empty(n, np.int64)
        cols = np.empty(n, np.int64)
        for i in range(n):
            rows[i], cols[i] = _row_col(keys[i], mult)
        order = np.argsort(rows * size + cols)
        clash = False
        for j in range(1, n):
            a, b = order[j - 1], order[j]
            if rows[a] == rows[b] and cols[a] == cols[b]:
                clash = True
                break
        if clash:
            continue
        row_start = np.zeros(n_rows + 1, np.int64)
        for i in range(n):
            row_start[rows[i] + 1] += 1
        row_size = row_start[1:].copy()
        for r in range(n_rows):
            row_start[r + 1] += row_start[r]
        members = np.empty(n, np.int64)
        fill = row_start[:-1].copy()
        for i in range(n):
            members[fill[rows[i]]] = i
            fill[rows[i]] += 1
        used = np.zeros(size, np.bool_)
        table = np.zeros(size, np.uint16)
        disp = np.zeros(n_rows, np.int32)
        ok = True
        for r in np.argsort(-row_size, kind="mergesort"):
            k = row_size[r]
            if k == 0:
                break
            placed = False
            for d in range(size):
                free = True
                for m in range(row_start[r], row_start[r] + k):
                    if used[(cols[members[m]] + d) & _TABLE_MASK]:
                        free = False
                        break
                if free:
                    for m in range(row_start[r], row_start[r] + k):
                        slot = (cols[members[m]] + d) & _TABLE_MASK
                        used[slot] = True
                        table[slot] = values[members[m]]
                    disp[r] = d
                    placed = True
                    break
            if not placed:
                ok = False
                break
        if ok:
            return mult, disp, table
    raise RuntimeError("no perfect hash found for the hand ranks")


@njit(cache=True)
def _unsuited_scores(multisets: np.ndarray) -> np.ndarray:
    out = np.empty(multisets.shape[0], np.int64)
    for i in range(multisets.shape[0]):
        out[i] = _unsuited_score(multisets[i])
    return out


@njit(cache=True)
def _flush_scores(masks: np.ndarray) -> np.ndarray:
    out = np.empty(masks.shape[0], np.int64)
    for i in range(masks.shape[0]):
        out[i] = _flush_score(masks[i])
    return out


def _build_tables() -> dict[str, np.ndarray]:
    """Every table of the evaluator, derived from the rules of poker."""
    multisets = [_rank_multisets(n) for n in (5, 6, 7)]
    unsuited = np.concatenate([_unsuited_scores(m) for m in multisets])
    bits = np.array([bin(m).count("1") for m in range(1 << N_RANKS)])
    flush_masks = np.flatnonzero(bits >= 5)
    flush_scores = _flush_scores(flush_masks)
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

    flush_suit = np.full(1 << 12, -1, np.int8)
    for field in range(1 << 12):
        for suit in range(4):
            if field >> (3 * suit) & 7 >= 5:
                flush_suit[field] = suit

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


_T = _build_tables()
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


@njit(cache=True, nogil=True, parallel=True)
def _evaluate_rows_parallel(hands: np.ndarray, out: np.ndarray) -> None:
    for i in prange(hands.shape[0]):
        key = np.uint64(0)
        suited = np.uint64(0)
        for j in range(hands.shape[1]):
            key += KEY[hands[i, j]]
            suited |= SUITED_BIT[hands[i, j]]
        out[i] = _finish(key, suited)


@njit(cache=True, nogil=True)
def _evaluate_rows_serial(hands: np.ndarray, out: np.ndarray) -> None:
    for i in range(hands.shape[0]):
        key = np.uint64(0)
        suited = np.uint64(0)
        for j in range(hands.shape[1]):
            key += KEY[hands[i, j]]
            suited |= SUITED_BIT[hands[i, j]]
        out[i] = _finish(key, suited)


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
    (_evaluate_rows_parallel if parallel else _evaluate_rows_serial)(hands, out)
    return out


def evaluate(cards: str | list[int] | np.ndarray) -> int:
    """Rank 1..7462 of 5 to 7 cards given as text (``"As Ks Qs Js Ts"``) or card integers."""
    from holdem.cards.encoding import parse_cards

    values = parse_cards(cards) if isinstance(cards, str) else [int(c) for c in cards]
    if not 5 <= len(values) <= 7 or len(set(values)) != len(values):
        raise ValueError(f"a hand is 5 to 7 distinct cards, got {len(values)}: {cards!r}")
    if min(values) < 0 or max(values) >= N_CARDS:
        raise ValueError(f"cards must be integers 0..51, got {values}")
    return int(evaluate_cards(np.asarray(values, np.uint8)))


def category_name(rank: int) -> str:
    """Name of the category of a hand rank, e.g. ``"Full house"``."""
    return CATEGORY_NAMES[int(CATEGORY_OF_RANK[int(rank)])]
