"""All-in equity: a hand against a hand or a uniformly random hand, exactly; two to six ranges.

Every board completion (and, against a random hand, every opponent hand) is enumerated, so the
result is exact, not sampled. Costs, in 7-card evaluations: hand vs hand preflop
2 x C(48,5) = 3.4 million; hand vs random hand preflop about 2 x 10**9 (seconds on a few cores),
on the flop about a million.

`range_equity` takes two to six ranges (weights over the 1,326 combinations): every deal of
their hands that shares no card, by the product of the combinations' weights, meets every
runout of the cards left. It enumerates when that stays under `EXACT_EVALUATIONS` and samples
deals with a seeded generator otherwise, giving the standard error with the result.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import comb

import numpy as np
from numba import njit

from holdem.cards.combinations import next_combination
from holdem.cards.combos import COMBOS, N_COMBOS, blocked_combos
from holdem.cards.encoding import N_CARDS, format_cards, parse_cards
from holdem.cards.evaluator import KEY, SUITED_BIT, _finish
from holdem.parallel import even_block, map_blocks


@dataclass(frozen=True)
class Equity:
    """Outcome counts of an exact enumeration, seen from the first hand."""

    wins: int
    ties: int
    losses: int

    @property
    def total(self) -> int:
        return self.wins + self.ties + self.losses

    @property
    def win(self) -> float:
        return self.wins / self.total

    @property
    def tie(self) -> float:
        return self.ties / self.total

    @property
    def loss(self) -> float:
        return self.losses / self.total

    @property
    def equity(self) -> float:
        """Share of the pot won on average: wins plus half the ties."""
        return (self.wins + 0.5 * self.ties) / self.total


@njit(cache=True, nogil=True)
def _combinations(pool: np.ndarray, k: int) -> np.ndarray:
    """All k-subsets of ``pool`` (in increasing index order) as rows of a (C(n,k), k) array."""
    n = pool.shape[0]
    total = 1
    for i in range(k):
        total = total * (n - i) // (i + 1)
    out = np.empty((total, k), np.uint8)
    idx = np.arange(k)
    for row in range(total):
        for j in range(k):
            out[row, j] = pool[idx[j]]
        if not next_combination(idx, k, n):
            break
    return out


@njit(cache=True, nogil=True)
def _hand_vs_hand(
    hero: np.ndarray, villain: np.ndarray, board: np.ndarray, runouts: np.ndarray
) -> tuple[int, int, int]:
    """(wins, ties, losses) of hero against villain over the given board completions."""
    base_key = np.uint64(0)
    base_suited = np.uint64(0)
    for c in board:
        base_key += KEY[c]
        base_suited |= SUITED_BIT[c]
    hero_key = base_key + KEY[hero[0]] + KEY[hero[1]]
    hero_suited = base_suited | SUITED_BIT[hero[0]] | SUITED_BIT[hero[1]]
    vil_key = base_key + KEY[villain[0]] + KEY[villain[1]]
    vil_suited = base_suited | SUITED_BIT[villain[0]] | SUITED_BIT[villain[1]]
    wins = 0
    ties = 0
    losses = 0
    for r in range(runouts.shape[0]):
        key = np.uint64(0)
        suited = np.uint64(0)
        for j in range(runouts.shape[1]):
            key += KEY[runouts[r, j]]
            suited |= SUITED_BIT[runouts[r, j]]
        a = _finish(hero_key + key, hero_suited | suited)
        b = _finish(vil_key + key, vil_suited | suited)
        if a > b:
            wins += 1
        elif a == b:
            ties += 1
        else:
            losses += 1
    return wins, ties, losses


@njit(cache=True, nogil=True)
def _hand_vs_random(
    hero: np.ndarray, board: np.ndarray, deck: np.ndarray, runouts: np.ndarray
) -> tuple[int, int, int]:
    """(wins, ties, losses) of hero against every hand from ``deck`` disjoint from a runout."""
    base_key = np.uint64(0)
    base_suited = np.uint64(0)
    for c in board:
        base_key += KEY[c]
        base_suited |= SUITED_BIT[c]
    n = deck.shape[0]
    wins = 0
    ties = 0
    losses = 0
    for r in range(runouts.shape[0]):
        key = base_key
        suited = base_suited
        used = np.uint64(0)
        for j in range(runouts.shape[1]):
            c = runouts[r, j]
            key += KEY[c]
            suited |= SUITED_BIT[c]
            used |= np.uint64(1) << np.uint64(c)
        mine = _finish(
            key + KEY[hero[0]] + KEY[hero[1]], suited | SUITED_BIT[hero[0]] | SUITED_BIT[hero[1]]
        )
        for i in range(n):
            ci = deck[i]
            if used >> np.uint64(ci) & np.uint64(1):
                continue
            key_i = key + KEY[ci]
            suited_i = suited | SUITED_BIT[ci]
            for j in range(i + 1, n):
                cj = deck[j]
                if used >> np.uint64(cj) & np.uint64(1):
                    continue
                theirs = _finish(key_i + KEY[cj], suited_i | SUITED_BIT[cj])
                if mine > theirs:
                    wins += 1
                elif mine == theirs:
                    ties += 1
                else:
                    losses += 1
    return wins, ties, losses


def _cards(value: str | list[int] | np.ndarray) -> list[int]:
    return parse_cards(value) if isinstance(value, str) else [int(c) for c in value]


def _checked(hands: list[list[int]], board: list[int]) -> None:
    seen: set[int] = set()
    for cards in [*hands, board]:
        for c in cards:
            if not 0 <= c < N_CARDS:
                raise ValueError(f"cards must be integers 0..51, got {c}")
            if c in seen:
                raise ValueError(
                    f"card {format_cards([c])} is dealt twice: each card can be dealt once"
                )
            seen.add(c)
    for cards in hands:
        if len(cards) != 2:
            raise ValueError(f"a hand is two cards, got {format_cards(cards)!r}")
    if len(board) not in (0, 3, 4, 5):
        raise ValueError(
            f"a board has 0, 3, 4 or 5 cards, got {len(board)}: {format_cards(board)!r}"
        )


def equity_vs_hand(
    hero: str | list[int], villain: str | list[int], board: str | list[int] = ""
) -> Equity:
    """Exact outcome of ``hero`` against ``villain`` over every completion of ``board``."""
    h, v, b = _cards(hero), _cards(villain), _cards(board)
    _checked([h, v], b)
    dead = set(h) | set(v) | set(b)
    deck = np.array([c for c in range(N_CARDS) if c not in dead], np.uint8)
    runouts = _combinations(deck, 5 - len(b))
    hero_cards, villain_cards, board_cards = (np.array(x, np.uint8) for x in (h, v, b))
    counts = map_blocks(
        lambda lo, hi: _hand_vs_hand(hero_cards, villain_cards, board_cards, runouts[lo:hi]),
        runouts.shape[0],
        even_block(runouts.shape[0], 1024),
    )
    return Equity(*(int(sum(c[i] for c in counts)) for i in range(3)))


def equity_vs_random(hero: str | list[int], board: str | list[int] = "") -> Equity:
    """Exact outcome of ``hero`` against a uniformly random hand, over every board completion.

    Each (board completion, opponent hand) pair counts once, which is the uniform distribution
    over the opponent's hand and the remaining cards.
    """
    h, b = _cards(hero), _cards(board)
    _checked([h], b)
    dead = set(h) | set(b)
    deck = np.array([c for c in range(N_CARDS) if c not in dead], np.uint8)
    runouts = _combinations(deck, 5 - len(b))
    hero_cards, board_cards = np.array(h, np.uint8), np.array(b, np.uint8)
    counts = map_blocks(
        lambda lo, hi: _hand_vs_random(hero_cards, board_cards, deck, runouts[lo:hi]),
        runouts.shape[0],
        even_block(runouts.shape[0], 64),
    )
    result = Equity(*(int(sum(c[i] for c in counts)) for i in range(3)))
    expected = comb(len(deck), 5 - len(b)) * comb(len(deck) - (5 - len(b)), 2)
    assert result.total == expected
    return result


# -- ranges, two to six of them ---------------------------------------------------------------

MAX_PLAYERS = 6
EXACT_EVALUATIONS = 500_000_000
"""Above this many hand evaluations (deals times players) `range_equity` samples instead of
enumerating: about ten seconds of enumeration on two cores (40 million a second measured)."""
EXACT_MATCHUPS = 200_000
"""Above this many ways to deal the ranges' hands together, `range_equity` samples."""


@dataclass(frozen=True, eq=False)
class RangeEquity:
    """All-in equity of each of two to six ranges against the others.

    ``equity[p]``: the share of the pot range ``p`` wins on average (ties split); ``win[p]``:
    the probability it wins alone; ``tie[p]``: that it shares the best hand; ``combos[p]``: its
    combinations left after the board (by weight). ``deals`` is how many (hands, runout) deals
    were enumerated (``exact``) or sampled; ``std_error[p]`` is the standard error of
    ``equity[p]`` when sampled (0 when exact).
    """

    equity: np.ndarray
    win: np.ndarray
    tie: np.ndarray
    combos: np.ndarray
    deals: int
    exact: bool
    std_error: np.ndarray


@njit(cache=True, nogil=True)
def _showdowns(
    keys: np.ndarray,
    suited: np.ndarray,
    masks: np.ndarray,
    weights: np.ndarray,
    runouts: np.ndarray,
    paired: bool,
) -> np.ndarray:
    """(5, n) float64 sums over deals, by weight: win alone, tie, pot share, pot share squared,
    and the deals' total weight in row 4.

    ``keys[m, p]`` and ``suited[m, p]`` hold the evaluator keys of deal ``m``'s player ``p``'s
    hole cards plus the board, ``masks[m]`` their card bits, ``weights[m]`` the deal's weight.
    ``paired``: deal ``m`` is completed by runout ``m`` alone; otherwise every hand deal meets
    every runout not sharing a card with it (exact enumeration).
    """
    n_deals, n = keys.shape
    out = np.zeros((5, n))
    scores = np.zeros(n, np.int64)
    for r in range(runouts.shape[0]):
        key = np.uint64(0)
        suit = np.uint64(0)
        bits = np.uint64(0)
        for j in range(runouts.shape[1]):
            c = runouts[r, j]
            key += KEY[c]
            suit |= SUITED_BIT[c]
            bits |= np.uint64(1) << np.uint64(c)
        first, last = (r, r + 1) if paired else (0, n_deals)
        for m in range(first, last):
            if masks[m] & bits:
                continue
            best = -1
            count = 0
            for p in range(n):
                scores[p] = _finish(keys[m, p] + key, suited[m, p] | suit)
                if scores[p] > best:
                    best = scores[p]
                    count = 1
                elif scores[p] == best:
                    count += 1
            w = weights[m]
            share = 1.0 / count
            for p in range(n):
                if scores[p] == best:
                    out[0 if count == 1 else 1, p] += w
                    out[2, p] += w * share
                    out[3, p] += w * share * share
            out[4, 0] += w
    return out


def _hand_keys(hands: np.ndarray, board: list[int]) -> tuple[np.ndarray, ...]:
    """Evaluator keys, suit bits and card masks of deals ``hands`` (deals, players, 2)."""
    key = np.uint64(sum(int(KEY[c]) for c in board))
    suit = np.uint64(0)
    for c in board:
        suit |= SUITED_BIT[c]
    keys = KEY[hands[:, :, 0]] + KEY[hands[:, :, 1]] + key
    suited = SUITED_BIT[hands[:, :, 0]] | SUITED_BIT[hands[:, :, 1]] | suit
    bits = np.left_shift(np.uint64(1), hands.astype(np.uint64))
    masks = np.bitwise_or.reduce(bits.reshape(hands.shape[0], -1), axis=1)
    return keys, suited, masks


def _board_removed(ranges: np.ndarray, board: list[int]) -> np.ndarray:
    """The ranges' weights with combinations touching the board at 0; ValueError naming the
    first range left empty."""
    out = np.array(ranges, dtype=np.float64)
    if out.ndim != 2 or out.shape[1] != N_COMBOS or not 2 <= out.shape[0] <= MAX_PLAYERS:
        raise ValueError(
            f"range equity takes 2 to {MAX_PLAYERS} ranges of {N_COMBOS} weights, "
            f"got an array of shape {out.shape}"
        )
    out[:, blocked_combos(board)] = 0.0
    for p in range(out.shape[0]):
        if not out[p].sum() > 0:
            raise ValueError(
                f"range {p + 1} has no combination left beside the board "
                f"{format_cards(board)!r}: widen it or change the board"
            )
    return out


def _matchups(ranges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every way to deal the ranges' combinations together without a shared card: hole cards
    (deals, players, 2) and weights (the product of the combinations' weights)."""
    held = [np.flatnonzero(w > 0) for w in ranges]
    hands: list[tuple[int, ...]] = []
    weights: list[float] = []
    for pick in itertools.product(*held):
        cards = COMBOS[list(pick)].ravel()
        if len(set(cards.tolist())) == cards.size:
            hands.append(tuple(int(x) for x in pick))
            weights.append(float(np.prod(ranges[np.arange(len(pick)), list(pick)])))
    return COMBOS[np.array(hands, np.int64).reshape(-1, len(held))], np.array(weights)


def _sampled_deals(
    ranges: np.ndarray, board: list[int], count: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` deals drawn from the ranges (each combination by its weight, deals sharing a
    card redrawn) with their runouts (uniform over the cards left): hole cards (count,
    players, 2) and runouts (count, 5 - board)."""
    n = ranges.shape[0]
    p = ranges / ranges.sum(axis=1, keepdims=True)
    on_board = np.zeros(N_CARDS, np.bool_)
    on_board[board] = True
    kept: list[np.ndarray] = []
    have = 0
    for _ in range(1000):
        batch = max(1024, 2 * (count - have))
        picks = np.stack([rng.choice(N_COMBOS, size=batch, p=p[i]) for i in range(n)], axis=1)
        cards = np.sort(COMBOS[picks].reshape(batch, 2 * n), axis=1)
        apart = (np.diff(cards.astype(np.int64), axis=1) != 0).all(axis=1)
        kept.append(COMBOS[picks[apart]])
        have += int(apart.sum())
        if have >= count:
            break
    else:
        raise ValueError(
            "the ranges can hardly ever be dealt together (their hands share cards): widen them"
        )
    hands = np.concatenate(kept)[:count]
    k = 5 - len(board)
    runouts = np.empty((count, k), np.uint8)
    for lo in range(0, count, 100_000):
        hi = min(count, lo + 100_000)
        order = rng.random((hi - lo, N_CARDS))
        order[:, on_board] = 2.0
        np.put_along_axis(order, hands[lo:hi].reshape(hi - lo, -1).astype(np.int64), 2.0, axis=1)
        runouts[lo:hi] = np.argsort(order, axis=1)[:, :k]
    return hands, runouts


def range_equity(
    ranges: np.ndarray,
    board: str | list[int] = "",
    samples: int = 1_000_000,
    seed: int = 0,
) -> RangeEquity:
    """All-in equity of two to six ranges ((players, 1326) weights, e.g. from
    `holdem.search.ranges.parse_range`) on ``board``.

    Every deal of hole cards (each combination by its weight, no card shared) meets every
    runout of the cards left, uniformly. Enumerated exactly when that is at most
    `EXACT_MATCHUPS` hand deals and `EXACT_EVALUATIONS` evaluations; otherwise ``samples``
    deals are drawn with ``seed`` and the result carries its standard error. Raises ValueError
    for a range with no combination beside the board, or ranges that cannot be dealt together.
    """
    b = _cards(board)
    _checked([], b)
    weights = _board_removed(ranges, b)
    n = weights.shape[0]
    k = 5 - len(b)
    deck = np.array([c for c in range(N_CARDS) if c not in set(b)], np.uint8)
    counts = (weights > 0).sum(axis=1)
    bound = float(np.prod(counts.astype(np.float64)))
    runout_count = comb(len(deck) - 2 * n, k)
    exact = bound <= EXACT_MATCHUPS and bound * runout_count * n <= EXACT_EVALUATIONS
    if exact:
        hands, deal_weights = _matchups(weights)
        if hands.shape[0] == 0:
            raise ValueError(
                "the hands cannot be dealt together: every deal of them shares a card; give "
                "hands without common cards"
            )
        runouts = _combinations(deck, k)
        paired = False
        block = even_block(runouts.shape[0], 256)
        n_items = runouts.shape[0]
    else:
        if samples < 1:
            raise ValueError(f"samples must be at least 1, got {samples}")
        hands, runouts = _sampled_deals(weights, b, samples, np.random.default_rng(seed))
        deal_weights = np.ones(samples)
        paired = True
        block = even_block(samples, 4096)
        n_items = samples
    keys, suited, masks = _hand_keys(hands, b)

    def work(lo: int, hi: int) -> np.ndarray:
        if paired:
            return _showdowns(
                keys[lo:hi], suited[lo:hi], masks[lo:hi], deal_weights[lo:hi], runouts[lo:hi], True
            )
        return _showdowns(keys, suited, masks, deal_weights, runouts[lo:hi], False)

    sums = np.sum(map_blocks(work, n_items, block), axis=0)
    total = sums[4, 0]
    share = sums[2] / total
    if exact:
        deals = int(hands.shape[0]) * runout_count
        error = np.zeros(n)
    else:
        deals = samples
        error = np.sqrt(np.maximum(sums[3] / total - share**2, 0.0) / samples)
    return RangeEquity(
        equity=share,
        win=sums[0] / total,
        tie=sums[1] / total,
        combos=weights.sum(axis=1),
        deals=deals,
        exact=exact,
        std_error=error,
    )
