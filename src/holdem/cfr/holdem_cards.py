"""The Hold'em card model: deals as buckets per street and showdown ranks, for 2 to 6 players.

A deal is one shuffled deck: seat ``s`` holds cards ``2s`` and ``2s + 1`` of it and the board is
the next five (flop, turn, river in that order). Seats are the betting tree's seats: seat 0 is
the small blind (`holdem.policy.follower.real_seat` maps them to a real table). A partial
Fisher-Yates shuffle with the seeded `holdem.cfr.rng` generator draws the ``2 * n_players + 5``
cards, so no card comes twice and every ordered draw is equally likely.

For each deal the kernel computes once, before any traversal (the design's "deal once per
iteration"), every seat's bucket on every street and every seat's 7-card rank:

- bucket: the hand's canonical index (`holdem.cards.isomorphism`, hole cards plus the board the
  street shows), then that street's table of a `CardAbstraction`. Indices of a whole batch are
  computed before any table is read (`holdem.abstraction.buckets.buckets_of`), so the cache
  misses of the large turn and river tables overlap;
- rank: `holdem.cards.evaluator.evaluate7` of the hole cards and the five board cards (higher
  wins, equal ranks split).

Two forms: over a `CardAbstraction` (the four street tables), or lossless preflop only, with no
file (169 preflop buckets, the canonical class, and one bucket on each later street: enough
for push/fold, where nobody acts after the flop). With 169 preflop buckets the bucket is the
canonical class ``hand_index(hole)`` in both forms, so a label such as ``AKs`` names it.

Layouts: cards uint8 ``(n, 2 * n_players + 5)``; buckets int32 ``(n, n_players, 4)``,
``buckets[i, seat, street]``; ranks int32 ``(n, n_players)``.
"""

from __future__ import annotations

from functools import cache
from numbers import Integral
from pathlib import Path

import numpy as np
from numba import njit

from holdem.abstraction.bucket_presets import STREETS
from holdem.abstraction.buckets import CardAbstraction, buckets_of
from holdem.cards.encoding import N_CARDS, RANKS
from holdem.cards.evaluator import evaluate7
from holdem.cards.isomorphism import N_PREFLOP_INDICES, hand_from_index, suit_rank_bit
from holdem.cfr.rng import next_below

MIN_PLAYERS = 2
MAX_PLAYERS = 6
N_STREETS = 4
BOARD_CARDS = 5
LOSSLESS_PREFLOP_CHECKSUM = "lossless-preflop-169"
"""The `HoldemCards.checksum` of the lossless preflop-only form (it has no file to hash)."""

_IDENTITY_PREFLOP = np.arange(N_PREFLOP_INDICES, dtype=np.uint8)
_NO_TABLE = np.zeros(1, np.uint8)


@njit(cache=True, nogil=True)
def deal_cards(rng_state: np.ndarray, n: int, n_players: int) -> np.ndarray:
    """``n`` deals of ``2 * n_players + 5`` distinct cards each: uint8 ``(n, 2 * n_players + 5)``.

    Seat ``s`` holds columns ``2s`` and ``2s + 1``, the board is the last five. Each row is the
    first cards of a fresh partial Fisher-Yates shuffle of the 52 cards; advances ``rng_state``
    by one draw per card.
    """
    m = 2 * n_players + BOARD_CARDS
    cards = np.empty((n, m), np.uint8)
    deck = np.empty(N_CARDS, np.uint8)
    for i in range(n):
        for c in range(N_CARDS):
            deck[c] = c
        for k in range(m):
            j = k + next_below(rng_state, N_CARDS - k)
            card = deck[j]
            deck[j] = deck[k]
            deck[k] = card
            cards[i, k] = card
    return cards


@njit(cache=True, nogil=True)
def _street_buckets(
    table: np.ndarray,
    cards: np.ndarray,
    n_players: int,
    street: int,
    n_board: int,
    holes: np.ndarray,
    boards: np.ndarray,
    out: np.ndarray,
    buckets: np.ndarray,
) -> None:
    """Fill ``buckets[:, :, street]`` from ``table`` for a board of ``n_board`` cards.

    ``holes[i * n_players + s]`` already holds seat s's hole mask of deal i.
    """
    first = 2 * n_players
    for i in range(cards.shape[0]):
        board = 0
        for k in range(n_board):
            board |= suit_rank_bit(cards[i, first + k])
        for s in range(n_players):
            boards[i * n_players + s] = board
    buckets_of(table, holes, boards, out)
    for i in range(cards.shape[0]):
        for s in range(n_players):
            buckets[i, s, street] = out[i * n_players + s]


@njit(cache=True, nogil=True)
def buckets_and_ranks(
    cards: np.ndarray,
    n_players: int,
    preflop: np.ndarray,
    flop: np.ndarray,
    turn: np.ndarray,
    river: np.ndarray,
    postflop: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Buckets int32 ``(n, n_players, 4)`` and ranks int32 ``(n, n_players)`` of dealt cards.

    ``cards`` is laid out as `deal_cards` returns it. Each street's bucket is
    ``table[index_masks(hole, board)]``; with ``postflop`` false only the preflop table is read
    and later streets are bucket 0. Cost: per deal and seat, four canonical indices, four
    table reads (overlapped across the batch) and one 7-card evaluation.
    """
    n = cards.shape[0]
    m = n * n_players
    first = 2 * n_players
    buckets = np.zeros((n, n_players, N_STREETS), np.int32)
    ranks = np.empty((n, n_players), np.int32)
    holes = np.empty(m, np.int64)
    boards = np.empty(m, np.int64)
    out = np.empty(m, np.int64)
    for i in range(n):
        b0, b1, b2 = cards[i, first], cards[i, first + 1], cards[i, first + 2]
        b3, b4 = cards[i, first + 3], cards[i, first + 4]
        for s in range(n_players):
            h0, h1 = cards[i, 2 * s], cards[i, 2 * s + 1]
            holes[i * n_players + s] = suit_rank_bit(h0) | suit_rank_bit(h1)
            ranks[i, s] = evaluate7(h0, h1, b0, b1, b2, b3, b4)
    _street_buckets(preflop, cards, n_players, 0, 0, holes, boards, out, buckets)
    if postflop:
        _street_buckets(flop, cards, n_players, 1, 3, holes, boards, out, buckets)
        _street_buckets(turn, cards, n_players, 2, 4, holes, boards, out, buckets)
        _street_buckets(river, cards, n_players, 3, 5, holes, boards, out, buckets)
    return buckets, ranks


@njit(cache=True, nogil=True)
def _deal_batch(
    rng_state: np.ndarray,
    n: int,
    n_players: int,
    preflop: np.ndarray,
    flop: np.ndarray,
    turn: np.ndarray,
    river: np.ndarray,
    postflop: bool,
) -> tuple[np.ndarray, np.ndarray]:
    cards = deal_cards(rng_state, n, n_players)
    return buckets_and_ranks(cards, n_players, preflop, flop, turn, river, postflop)


@cache
def preflop_class_names() -> tuple[str, ...]:
    """The name of each canonical preflop class 0..168: ``AA``, ``AKs``, ``T9o``, ...

    Higher rank first; ``s`` when both cards share a suit, ``o`` otherwise, nothing for a pair.
    """
    names = []
    for index in range(N_PREFLOP_INDICES):
        a, b = (int(c) for c in hand_from_index(0, index)[:2])
        high, low = max(a // 4, b // 4), min(a // 4, b // 4)
        suffix = "" if high == low else ("s" if a % 4 == b % 4 else "o")
        names.append(RANKS[high] + RANKS[low] + suffix)
    return tuple(names)


def _check_players(n_players: object) -> int:
    if isinstance(n_players, bool) or not isinstance(n_players, Integral):
        raise ValueError(f"n_players must be a whole number 2..6, got {n_players!r}")
    if not MIN_PLAYERS <= int(n_players) <= MAX_PLAYERS:
        raise ValueError(
            f"Hold'em here has {MIN_PLAYERS} to {MAX_PLAYERS} players, got {n_players}"
        )
    return int(n_players)


def _check_rng_state(rng_state: object) -> np.ndarray:
    if (
        not isinstance(rng_state, np.ndarray)
        or rng_state.dtype != np.uint64
        or rng_state.shape != (1,)
    ):
        raise ValueError(
            f"rng_state must be a generator state from holdem.cfr.rng.new_state, got {rng_state!r}"
        )
    return rng_state


def _check_count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, Integral) or int(n) < 0:
        raise ValueError(f"the number of deals must be a whole number 0 or more, got {n!r}")
    return int(n)


class HoldemCards:
    """Hold'em's card model for ``n_players`` (2 to 6) over a card abstraction, or lossless preflop.

    ``HoldemCards(n, abstraction)`` buckets every street with the abstraction's tables;
    ``HoldemCards(n)`` is the lossless preflop-only form (169 classes, then one bucket per
    street). An abstraction with 169 preflop buckets must have the identity preflop table (as
    ``holdem buckets build`` writes it), so its preflop bucket is the canonical class too;
    another table raises ValueError. ``checksum`` identifies the abstraction for checkpoints.
    """

    def __init__(self, n_players: int, abstraction: CardAbstraction | None = None) -> None:
        self.n_players: int = _check_players(n_players)
        self.abstraction = abstraction
        self._tables: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
        if abstraction is None:
            counts = {"preflop": N_PREFLOP_INDICES, "flop": 1, "turn": 1, "river": 1}
            self._tables = (_IDENTITY_PREFLOP, _NO_TABLE, _NO_TABLE, _NO_TABLE)
            self._postflop = False
            self.checksum: str = LOSSLESS_PREFLOP_CHECKSUM
            label = "preflop169"
        else:
            counts = abstraction.counts
            tables = abstraction.tables
            self._tables = (tables["preflop"], tables["flop"], tables["turn"], tables["river"])
            self._postflop = True
            self.checksum = abstraction.checksum
            label = str(abstraction.manifest.get("preset", "custom"))
            if counts["preflop"] == N_PREFLOP_INDICES:
                preflop = np.asarray(abstraction.tables["preflop"])
                if not np.array_equal(preflop, _IDENTITY_PREFLOP):
                    where = abstraction.path or f"preset {label!r}"
                    raise ValueError(
                        f"{where}: 169 preflop buckets must be the canonical classes "
                        "(preflop table = identity), but the table is not: rebuild it with "
                        "holdem buckets build"
                    )
        self.n_buckets: tuple[int, ...] = tuple(int(counts[street]) for street in STREETS)
        self.lossless_preflop: bool = self.n_buckets[0] == N_PREFLOP_INDICES
        self.name: str = f"holdem{self.n_players}:{label}"

    @classmethod
    def load(cls, path: str | Path, n_players: int, verify: bool = True) -> HoldemCards:
        """The card model over the abstraction saved at ``path``, its tables memory-mapped.

        ``verify`` checks the tables' checksum and bucket range (`CardAbstraction.load`), which
        reads every table once; a missing or damaged file raises its one-line ValueError.
        """
        n_players = _check_players(n_players)
        return cls(n_players, CardAbstraction.load(path, verify=verify))

    def deal_cards(self, rng_state: np.ndarray, n: int) -> np.ndarray:
        """The cards of ``n`` deals, uint8 ``(n, 2 * n_players + 5)``, as `deal_batch` draws them.

        From the same ``rng_state``, ``buckets_and_ranks(deal_cards(...))`` equals ``deal_batch``.
        """
        return deal_cards(_check_rng_state(rng_state), _check_count(n), self.n_players)

    def buckets_and_ranks(self, cards: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Buckets ``(n, n_players, 4)`` and ranks ``(n, n_players)`` (int32) of given deals.

        ``cards`` is ``(n, 2 * n_players + 5)`` laid out as `deal_cards` returns it; raises
        ValueError for another shape, a card outside 0..51 or a card twice in a row.
        """
        cards = np.asarray(cards)
        width = 2 * self.n_players + BOARD_CARDS
        if cards.ndim != 2 or cards.shape[1] != width:
            raise ValueError(
                f"cards must have shape (n, {width}) for {self.n_players} players, "
                f"got {cards.shape}"
            )
        if cards.size and (
            not np.issubdtype(cards.dtype, np.integer) or cards.min() < 0 or cards.max() >= N_CARDS
        ):
            raise ValueError(
                f"cards must be integers 0..51, got {cards.dtype} from {cards.min()} to "
                f"{cards.max()}"
            )
        ordered = np.sort(cards, axis=1)
        bad = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
        if bad.size:
            raise ValueError(f"deal {bad[0]} holds a card twice: {cards[bad[0]].tolist()}")
        return buckets_and_ranks(
            np.ascontiguousarray(cards, np.uint8), self.n_players, *self._tables, self._postflop
        )

    def deal_batch(self, rng_state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``n`` sampled deals: buckets int32 ``(n, n_players, 4)``, ranks int32 ``(n, n_players)``.

        One Numba call deals the cards (`deal_cards`) and computes every seat's bucket on every
        street and its showdown rank; advances ``rng_state``.
        """
        return _deal_batch(
            _check_rng_state(rng_state),
            _check_count(n),
            self.n_players,
            *self._tables,
            self._postflop,
        )

    def bucket_label(self, street: int, bucket: int) -> str:
        """``AKs``-style class names for lossless preflop buckets, else the street and the
        bucket, ``flop:b47``: bucket numbers restart on every street, and a postflop bucket
        groups hands over every board (``holdem buckets show`` lists its hands on one)."""
        if isinstance(street, bool) or not isinstance(street, Integral):
            raise ValueError(f"street must be 0..3, got {street!r}")
        if not 0 <= street < N_STREETS:
            raise ValueError(f"street must be 0..3, got {street}")
        if isinstance(bucket, bool) or not isinstance(bucket, Integral):
            raise ValueError(f"bucket must be a whole number, got {bucket!r}")
        if not 0 <= bucket < self.n_buckets[street]:
            raise ValueError(
                f"bucket {bucket} is out of range on {STREETS[street]}: "
                f"0..{self.n_buckets[street] - 1}"
            )
        if street == 0 and self.lossless_preflop:
            return preflop_class_names()[int(bucket)]
        return f"{STREETS[street]}:b{int(bucket)}"
