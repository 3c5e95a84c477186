"""Hand isomorphism: a dense index of Hold'em hands up to the symmetry of suits.

Two hands are *isomorphic* when one becomes the other by renaming suits (one permutation applied
to every card) and by reordering cards within the hole set or within the board set. The board is
one unordered set on every street: on the turn the four board cards are a single set, the turn
card is not told apart from the flop. This module numbers the classes densely per street and
maps an index back to a representative hand:

    street     cards    indices 0 .. N - 1
    preflop    2 + 0    N =         169
    flop       2 + 3    N =   1,286,792
    turn       2 + 4    N =  13,960,050
    river      2 + 5    N = 123,156,254

Algorithm: Kevin Waugh, "A Fast and Optimal Hand Isomorphism Algorithm", AAAI Workshop on
Computer Poker and Imperfect Information, 2013,
https://www.cs.cmu.edu/~waugh/publications/isomorphism13.pdf. The code is our own. With two
rounds (the hole set, then the board set) the index of a hand is built as follows.

1. Per suit ``s``: the hole ranks ``H_s`` and the board ranks ``B_s`` (13-bit masks). The suit's
   *shape* is ``(h, b) = (|H_s|, |B_s|)``, kept as ``key = 6 * h + b`` (0..17). Its *value* is

       x_s = colex(H_s) + C(13, h) * colex(B_s with the ranks of H_s squeezed out)

   in ``0 .. size(key) - 1`` where ``size(key) = C(13, h) * C(13 - h, b)``. Here
   ``colex(M) = sum_i C(r_i, i + 1)`` over the ranks ``r_0 < r_1 < ...`` of ``M``; it equals the
   position of ``M`` among the masks of its popcount in numeric order, so a table gives it.
   Squeezing (dropping the hole ranks and closing the gaps) makes the board set of a suit a
   subset of the ``13 - h`` ranks left, as Waugh's per-round rank sets require.
2. The four ``(key, x)`` pairs are sorted in decreasing order. The sorted keys are the hand's
   *configuration*; each configuration owns a block ``offset .. offset + count - 1`` of its
   street's indices, ``count`` being the product of the group sizes of step 3. A street's
   configurations are laid out in decreasing lexicographic order of their sorted keys
   (a table built at import).
3. Suits with equal keys form a group whose values are a multiset: which of those suits is
   clubs must not matter. A group of ``k`` values out of ``n = size(key)`` is numbered by the
   multiset colex index ``sum_{t=1..k} C(a_t + t - 1, t)`` over its values in increasing order
   ``a_1 <= ... <= a_k``, in ``0 .. C(n + k - 1, k) - 1``.
4. ``index = offset[configuration] + sum_g m_g * prod_{g' < g} C(n_g' + k_g' - 1, k_g')``,
   the groups ``g`` taken from the smallest key (least significant) to the largest.

Unindexing runs these steps backwards. The representative hand gives suit ``j`` (0 = clubs) to
the ``j``-th sorted position, so clubs holds the largest key; its hole cards and its board cards
are each sorted increasingly.

Kernels take a hand as two 64-bit *suit-rank masks*, one for the hole set and one for the board:
bit ``16 * suit + rank`` per card, the layout of ``evaluator.SUITED_BIT`` (so a kernel that
already ORs ``SUITED_BIT`` for the evaluator has the board mask for free). Costs: index is about
two hundred machine instructions with no allocation and no loop, its lookups mostly in a 32 KiB
table of rank-mask codes and a 24 KiB table of configuration offsets; unindex adds a binary
search over the configurations of a street (at most 36) and writes into a caller's array.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations_with_replacement
from math import comb

import numpy as np
from numba import njit

from holdem.cards.encoding import N_CARDS, N_RANKS, format_card, parse_cards
from holdem.parallel import even_block, map_blocks

PREFLOP, FLOP, TURN, RIVER = 0, 1, 2, 3
STREET_NAMES = ("preflop", "flop", "turn", "river")
N_BOARD_CARDS = (0, 3, 4, 5)
N_HOLE_CARDS = 2

_B_RADIX = 6  # board cards of one suit: 0..5
_N_KEYS = 3 * _B_RADIX  # hole cards of one suit: 0..2
_N_SUITS = 4
_LOW32 = 0xFFFFFFFF
_RANK_FIELD = (1 << N_RANKS) - 1


def _build_rank_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Colex codes of the 8192 rank masks and their inverse.

    ``code[mask] = popcount << 16 | colex(mask)``; ``masks[start[k] + i]`` is the mask of
    popcount ``k`` with colex index ``i``.
    """
    masks = np.arange(1 << N_RANKS, dtype=np.int64)
    popcount = np.zeros_like(masks)
    for r in range(N_RANKS):
        popcount += (masks >> r) & 1
    order = np.lexsort((masks, popcount))
    start = np.zeros(N_RANKS + 2, np.int64)
    start[1:] = np.cumsum(np.bincount(popcount, minlength=N_RANKS + 1))
    colex = np.empty_like(masks)
    colex[order] = np.arange(masks.size) - start[popcount[order]]
    code = (popcount << 16 | colex).astype(np.int32)
    return code, order.astype(np.int32), start


def _multiset_rank4(keys: tuple[int, ...]) -> int:
    """Colex rank of a decreasing 4-tuple of keys as a multiset, in 0 .. C(21, 4) - 1.

    It addresses the table of configuration offsets (``index_masks`` computes it the same way
    from ``_MS4``, ``_MS3`` and ``_MS2``).
    """
    k0, k1, k2, k3 = keys
    return comb(k0 + 3, 4) + comb(k1 + 2, 3) + comb(k2 + 1, 2) + k3


def _build_configurations() -> dict[str, np.ndarray]:
    """Suit sizes, group sizes and every configuration of every street with its offset."""
    suit_size = np.array(
        [
            comb(N_RANKS, key // _B_RADIX) * comb(N_RANKS - key // _B_RADIX, key % _B_RADIX)
            for key in range(_N_KEYS)
        ],
        np.int64,
    )
    group_size = np.array(
        [[comb(int(n) + k - 1, k) for k in range(_N_SUITS + 1)] for n in suit_size], np.int64
    )
    conf_offset = np.full(comb(_N_KEYS + 3, 4), -1, np.int32)
    conf_keys: list[tuple[int, ...]] = []
    conf_start: list[int] = []
    street_first = [0]
    n_indices = []
    for n_board in N_BOARD_CARDS:
        total = 0
        for keys in combinations_with_replacement(range(_N_KEYS - 1, -1, -1), _N_SUITS):
            if sum(k // _B_RADIX for k in keys) != N_HOLE_CARDS:
                continue
            if sum(k % _B_RADIX for k in keys) != n_board:
                continue
            count = 1
            for key in set(keys):
                count *= int(group_size[key, keys.count(key)])
            conf_offset[_multiset_rank4(keys)] = total
            conf_keys.append(keys)
            conf_start.append(total)
            total += count
        street_first.append(len(conf_keys))
        n_indices.append(total)
    return {
        "suit_size": suit_size,
        "group_size": group_size,
        "conf_offset": conf_offset,
        "conf_keys": np.array(conf_keys, np.int64),
        "conf_start": np.array(conf_start, np.int64),
        "street_first": np.array(street_first, np.int64),
        "n_indices": np.array(n_indices, np.int64),
    }


_RANK_CODE, _MASK_OF_COLEX, _COLEX_START = _build_rank_tables()
_CHOOSE13 = np.array([comb(N_RANKS, h) for h in range(3)], np.int64)
_MS2 = np.array([comb(k + 1, 2) for k in range(_N_KEYS)], np.int64)
_MS3 = np.array([comb(k + 2, 3) for k in range(_N_KEYS)], np.int64)
_MS4 = np.array([comb(k + 3, 4) for k in range(_N_KEYS)], np.int64)
_C = _build_configurations()
_SUIT_SIZE: np.ndarray = _C["suit_size"]
_GROUP_SIZE: np.ndarray = _C["group_size"]
_CONF_OFFSET: np.ndarray = _C["conf_offset"]
_CONF_KEYS: np.ndarray = _C["conf_keys"]
_CONF_START: np.ndarray = _C["conf_start"]
_STREET_FIRST_CONF: np.ndarray = _C["street_first"]

N_INDICES: tuple[int, ...] = tuple(int(n) for n in _C["n_indices"])
"""Number of indices (isomorphism classes) per street: 169, 1286792, 13960050, 123156254."""
N_PREFLOP_INDICES, N_FLOP_INDICES, N_TURN_INDICES, N_RIVER_INDICES = N_INDICES
del _C


@njit(cache=True, nogil=True, inline="always")
def _as_int64(x: int) -> int:
    """``x`` (any integer type) as a signed 64-bit integer inside Numba."""
    return int(np.int64(x))


@njit(cache=True, nogil=True, inline="always")
def suit_rank_bit(card: int) -> int:
    """The bit ``1 << (16 * suit + rank)`` of a card 0..51 in a suit-rank mask."""
    c = _as_int64(card)
    return 1 << (((c & 3) << 4) + (c >> 2))


@njit(cache=True, nogil=True)
def suit_rank_mask(cards: np.ndarray) -> int:
    """The suit-rank mask (OR of ``suit_rank_bit``) of a 1-D array of distinct cards."""
    mask = 0
    for i in range(cards.shape[0]):
        mask |= suit_rank_bit(cards[i])
    return mask


@njit(cache=True, nogil=True, inline="always")
def _choose_small(n: int, k: int) -> int:
    """C(n, k) for 1 <= k <= 4 and n >= 0 (0 when n < k)."""
    if k == 1:
        return n
    if k == 2:
        return n * (n - 1) // 2
    if k == 3:
        return n * (n - 1) * (n - 2) // 6
    return n * (n - 1) * (n - 2) * (n - 3) // 24


@njit(cache=True, nogil=True, inline="always")
def _squeeze_lowest(mask: int, used: int) -> int:
    """``mask`` with the position of the lowest bit of ``used`` removed (identity if none).

    Bits above that position move down by one. A suit holds at most two hole ranks, so two
    calls squeeze them all without a data-dependent loop.
    """
    low = (used & -used) - 1
    return (mask & low) | ((mask >> 1) & ~low)


@njit(cache=True, nogil=True, inline="always")
def _second_bit_after_squeeze(used: int) -> int:
    """The bits of ``used`` above its lowest, moved down by one (their place after a squeeze)."""
    return _squeeze_lowest(used & (used - 1), used)


@njit(cache=True, nogil=True, inline="always")
def _suit_code(hole: int, board: int, suit: int) -> int:
    """``key << 32 | x`` of one suit (step 1 of the module docstring)."""
    shift = 16 * suit
    hm = (hole >> shift) & _RANK_FIELD
    bm = (board >> shift) & _RANK_FIELD
    bm = _squeeze_lowest(bm, hm)
    bm = _squeeze_lowest(bm, _second_bit_after_squeeze(hm))
    hc = _RANK_CODE[hm]
    bc = _RANK_CODE[bm]
    h = hc >> 16
    x = (hc & 0xFFFF) + _CHOOSE13[h] * (bc & 0xFFFF)
    return ((_B_RADIX * h + (bc >> 16)) << 32) | x


@njit(cache=True, nogil=True, inline="always")
def _absorb(
    key: int, x: int, prev_key: int, idx: int, mult: int, run: int, m: int
) -> tuple[int, int, int, int]:
    """Add the next larger sorted suit to the running group sum (step 3 and 4)."""
    if key == prev_key:
        run += 1
        m += _choose_small(x + run - 1, run)
    else:
        idx += m * mult
        mult *= _GROUP_SIZE[prev_key, run]
        run = 1
        m = x
    return idx, mult, run, m


@njit(cache=True, nogil=True, inline="always")
def index_masks(hole: int, board: int) -> int:
    """Index of a hand given as suit-rank masks of its hole set and its board set.

    Mask bit ``16 * suit + rank`` per card (``suit_rank_mask``; any integer type, e.g. the
    uint64 OR of ``evaluator.SUITED_BIT``). The street follows from the number of board bits
    (0, 3, 4 or 5); the result lies in ``0 .. N_INDICES[street] - 1`` and is computed as the
    module docstring writes it. Masks must hold 2 hole bits and disjoint board bits: the kernel
    does not check (use ``hand_index`` for checked input).

    Inlined into its caller, it hands int64 masks to the compiled ``_index_masks``, so that one
    is compiled once, whatever integer types (or literal constants) callers pass.
    """
    return _index_masks(_as_int64(hole), _as_int64(board))


@njit(cache=True, nogil=True)
def _index_masks(hole: int, board: int) -> int:
    """`index_masks` of int64 masks."""
    a = _suit_code(hole, board, 0)
    b = _suit_code(hole, board, 1)
    c = _suit_code(hole, board, 2)
    d = _suit_code(hole, board, 3)
    a, b = max(a, b), min(a, b)
    c, d = max(c, d), min(c, d)
    a, c = max(a, c), min(a, c)
    b, d = max(b, d), min(b, d)
    b, c = max(b, c), min(b, c)
    ka, kb, kc, kd = a >> 32, b >> 32, c >> 32, d >> 32
    offset = _CONF_OFFSET[_MS4[ka] + _MS3[kb] + _MS2[kc] + kd]
    idx, mult, run, m = 0, 1, 1, d & _LOW32
    idx, mult, run, m = _absorb(kc, c & _LOW32, kd, idx, mult, run, m)
    idx, mult, run, m = _absorb(kb, b & _LOW32, kc, idx, mult, run, m)
    idx, mult, run, m = _absorb(ka, a & _LOW32, kb, idx, mult, run, m)
    return offset + idx + m * mult


@njit(cache=True, nogil=True)
def index_hand(cards: np.ndarray) -> int:
    """Index of a hand given as a 1-D card array: 2 hole cards, then 0, 3, 4 or 5 board cards."""
    hole = suit_rank_bit(cards[0]) | suit_rank_bit(cards[1])
    board = 0
    for i in range(2, cards.shape[0]):
        board |= suit_rank_bit(cards[i])
    return index_masks(hole, board)


@njit(cache=True, nogil=True)
def _largest_with_choose_at_most(m: int, t: int, top: int) -> int:
    """Largest ``v`` in ``t - 1 .. top`` with ``C(v, t) <= m`` (colex unranking)."""
    if t == 1:
        return m
    lo = t - 1
    hi = top
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if _choose_small(mid, t) <= m:
            lo = mid
        else:
            hi = mid - 1
    return lo


@njit(cache=True, nogil=True, inline="always")
def _lowest_rank(mask: int) -> int:
    """Position of the lowest bit of a non-zero 13-bit mask: the popcount of the bits below."""
    return _RANK_CODE[(mask & -mask) - 1] >> 16


@njit(cache=True, nogil=True)
def _emit_suit(key: int, x: int, suit: int, out: np.ndarray, n_hole: int, n_board: int) -> int:
    """Write the cards of one suit with shape ``key`` and value ``x``; returns new counts."""
    h = key // _B_RADIX
    b = key - _B_RADIX * h
    ch = _CHOOSE13[h]
    hm = _MASK_OF_COLEX[_COLEX_START[h] + x % ch]
    bm = _MASK_OF_COLEX[_COLEX_START[b] + x // ch]
    used = hm
    while used:
        lowest = used & -used
        low = lowest - 1
        bm = (bm & low) | ((bm & ~low) << 1)
        used ^= lowest
    while hm:
        out[n_hole] = 4 * _lowest_rank(hm) + suit
        n_hole += 1
        hm &= hm - 1
    while bm:
        out[N_HOLE_CARDS + n_board] = 4 * _lowest_rank(bm) + suit
        n_board += 1
        bm &= bm - 1
    return n_hole << 8 | n_board


@njit(cache=True, nogil=True)
def _sort_slice(out: np.ndarray, lo: int, hi: int) -> None:
    """Insertion sort of ``out[lo:hi]`` (at most five cards)."""
    for i in range(lo + 1, hi):
        v = out[i]
        j = i - 1
        while j >= lo and out[j] > v:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = v


@njit(cache=True, nogil=True)
def unindex_into(street: int, index: int, out: np.ndarray) -> None:
    """Write a representative hand of ``index`` on ``street`` (0..3) into ``out``.

    ``out[0:2]`` gets the hole cards and ``out[2:2 + N_BOARD_CARDS[street]]`` the board, each
    sorted increasingly; ``out`` may be any integer array that long. ``index`` must lie in
    ``0 .. N_INDICES[street] - 1`` (not checked). No allocation.
    """
    first = _STREET_FIRST_CONF[street]
    last = _STREET_FIRST_CONF[street + 1]
    conf = first + np.searchsorted(_CONF_START[first:last], index, side="right") - 1
    rem = _as_int64(index) - _CONF_START[conf]
    # int64 counters from the start: a literal 0 would compile _emit_suit for that constant too
    n_hole = _as_int64(0)
    n_board = _as_int64(0)
    j = 3
    while j >= 0:
        key = _CONF_KEYS[conf, j]
        start = j
        while start > 0 and _CONF_KEYS[conf, start - 1] == key:
            start -= 1
        k = j - start + 1
        size = _GROUP_SIZE[key, k]
        m = rem % size
        rem //= size
        top = _SUIT_SIZE[key] + k - 2
        for t in range(k, 0, -1):
            v = _largest_with_choose_at_most(m, t, top)
            m -= _choose_small(v, t)
            counts = _emit_suit(key, v - t + 1, start + k - t, out, n_hole, n_board)
            n_hole = counts >> 8
            n_board = counts & 0xFF
        j = start - 1
    hole_end = _as_int64(N_HOLE_CARDS)  # typed, not a literal: one _sort_slice for both calls
    _sort_slice(out, _as_int64(0), hole_end)
    _sort_slice(out, hole_end, hole_end + n_board)


@njit(cache=True, nogil=True)
def unindex_hand(street: int, index: int) -> np.ndarray:
    """A representative hand (uint8 array of 2 + board cards) of ``index`` on ``street``."""
    out = np.empty(N_HOLE_CARDS + N_BOARD_CARDS[street], np.uint8)
    unindex_into(street, index, out)
    return out


@njit(cache=True, nogil=True)
def _index_rows(hands: np.ndarray, out: np.ndarray) -> None:
    for i in range(hands.shape[0]):
        out[i] = index_hand(hands[i])


@njit(cache=True, nogil=True)
def _unindex_rows(street: int, indices: np.ndarray, out: np.ndarray) -> None:
    for i in range(indices.shape[0]):
        unindex_into(street, indices[i], out[i])


# --- checked Python API --------------------------------------------------------------------


def _check_street(street: int) -> int:
    if isinstance(street, bool) or not isinstance(street, int | np.integer) or not 0 <= street < 4:
        raise ValueError(
            f"street must be 0 (preflop), 1 (flop), 2 (turn) or 3 (river), got {street!r}"
        )
    return int(street)


def _card_list(cards: str | Iterable[int], what: str) -> list[int]:
    if isinstance(cards, str):
        return parse_cards(cards)
    values = []
    for card in cards:
        if isinstance(card, bool) or not isinstance(card, int | np.integer):
            raise ValueError(f"{what} card {card!r} is not an integer card 0..51")
        if not 0 <= card < N_CARDS:
            raise ValueError(f"{what} card {int(card)} is out of range: cards are 0..51")
        values.append(int(card))
    return values


def hand_index(hole: str | Iterable[int], board: str | Iterable[int] = ()) -> int:
    """Index of a hand: ``hole`` is 2 cards, ``board`` 0, 3, 4 or 5 (text like ``"AsKd"`` or ints).

    Raises ValueError naming the problem for a wrong number of cards, a card outside 0..51 or a
    card given twice.
    """
    hole_cards = _card_list(hole, "hole")
    board_cards = _card_list(board, "board")
    if len(hole_cards) != N_HOLE_CARDS:
        raise ValueError(f"a hand has 2 hole cards, got {len(hole_cards)}: {hole!r}")
    if len(board_cards) not in N_BOARD_CARDS:
        raise ValueError(f"a board has 0, 3, 4 or 5 cards, got {len(board_cards)}: {board!r}")
    all_cards = hole_cards + board_cards
    for i, card in enumerate(all_cards):
        if card in all_cards[:i]:
            raise ValueError(
                f"card {format_card(card)} appears twice in the hand: each card is dealt once"
            )
    return int(index_hand(np.array(all_cards, np.uint8)))


def hand_from_index(street: int, index: int) -> np.ndarray:
    """A representative hand of ``index`` on ``street``: uint8 array, 2 hole then board cards.

    Raises ValueError when the street is not 0..3 or the index is outside its range.
    """
    street = _check_street(street)
    if isinstance(index, bool) or not isinstance(index, int | np.integer):
        raise ValueError(f"index must be an integer, got {index!r}")
    if not 0 <= index < N_INDICES[street]:
        raise ValueError(
            f"index {index} is out of range for the {STREET_NAMES[street]}: "
            f"use 0 .. {N_INDICES[street] - 1}"
        )
    out = np.empty(N_HOLE_CARDS + N_BOARD_CARDS[street], np.uint8)
    unindex_into(street, int(index), out)  # no separate kernel to compile for the allocation
    return out


def index_batch(hands: np.ndarray) -> np.ndarray:
    """Indices of many hands: ``hands`` is (n, 2 + k) cards, hole cards first, k in 0, 3, 4, 5.

    Returns an (n,) int64 array. Blocks of rows run on Numba's thread count
    (`holdem.parallel`). Raises ValueError naming the first bad row for a card outside 0..51 or
    a card repeated within a row.
    """
    hands = np.asarray(hands)
    if hands.ndim != 2 or hands.shape[1] - N_HOLE_CARDS not in N_BOARD_CARDS:
        raise ValueError(f"hands must have shape (n, 2|5|6|7), got {hands.shape}")
    if hands.size and not np.issubdtype(hands.dtype, np.integer):
        raise ValueError(f"hands must hold integer cards 0..51, got dtype {hands.dtype}")
    bad = np.flatnonzero(((hands < 0) | (hands >= N_CARDS)).any(axis=1))
    if bad.size:
        raise ValueError(f"row {bad[0]} holds a card outside 0..51: {hands[bad[0]].tolist()}")
    ordered = np.sort(hands, axis=1)
    bad = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
    if bad.size:
        raise ValueError(f"row {bad[0]} repeats a card: {hands[bad[0]].tolist()}")
    out = np.empty(hands.shape[0], np.int64)
    rows = np.ascontiguousarray(hands, dtype=np.uint8)
    n = rows.shape[0]
    map_blocks(lambda lo, hi: _index_rows(rows[lo:hi], out[lo:hi]), n, even_block(n, 4096))
    return out


def unindex_batch(street: int, indices: np.ndarray) -> np.ndarray:
    """Representative hands of many indices on one street: (n,) -> (n, 2 + board) uint8.

    Raises ValueError when the street is not 0..3 or an index is outside its range.
    """
    street = _check_street(street)
    indices = np.asarray(indices)
    if indices.ndim != 1 or (indices.size and not np.issubdtype(indices.dtype, np.integer)):
        raise ValueError(
            f"indices must be a 1-D integer array, got dtype {indices.dtype}, shape {indices.shape}"
        )
    bad = np.flatnonzero((indices < 0) | (indices >= N_INDICES[street]))
    if bad.size:
        raise ValueError(
            f"index {indices[bad[0]]} (position {bad[0]}) is out of range for the "
            f"{STREET_NAMES[street]}: use 0 .. {N_INDICES[street] - 1}"
        )
    out = np.empty((indices.shape[0], N_HOLE_CARDS + N_BOARD_CARDS[street]), np.uint8)
    flat = np.ascontiguousarray(indices, dtype=np.int64)
    n = flat.shape[0]
    map_blocks(
        lambda lo, hi: _unindex_rows(street, flat[lo:hi], out[lo:hi]), n, even_block(n, 4096)
    )
    return out
