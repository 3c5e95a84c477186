"""A tight-aggressive rule bot: the ``tag`` baseline, a player that folds most hands and bets
the good ones, as a sanity check between the trivial baselines and a blueprint.

Preflop it ranks hands by the Chen formula (Bill Chen's quick starting-hand score; rules as
given at https://www.thepokerbank.com/strategy/basic/starting-hand-selection/chen-formula/):
highest card A 10, K 8, Q 7, J 6, lower cards half their face value; a pair doubles that (at
least 5); suited +2; a gap between the ranks costs 1, 2, 4 or 5 (gap of 1, 2, 3, 4 or more);
+1 for a connector or one-gapper below a queen; half points round up. "Top X %" is every hand
whose score is at least the score of the hand at the X % mark of the 1,326 combinations sorted
by score (so hands tied at the boundary all count, and a range can be a little wider than X:
the default 20 %, 12 % and 5 % are scores 6, 7 and 9, or 25.5 %, 17.8 % and 6.6 % of hands).

- No raise yet (the big blind at most to call): raise to ``open_to_bb`` big blinds with the top
  ``open_share``, else check (the big blind's option) or fold.
- Facing a raise: re-raise to ``reraise_factor`` times the bet with the top ``reraise_share``,
  call with the top ``call_share``, fold the rest.

After the flop it sorts its holding with the hand evaluator into five tiers (`postflop_tier`):
``STRONG`` (two pair or better that the board alone does not make), ``GOOD`` (top pair or an
overpair), ``MEDIUM`` (another pair made with a hole card), ``DRAW`` (four to a flush, or an
open-ended straight draw, on the flop or turn) and ``WEAK``. With no bet to face it bets
``bet_fraction`` of the pot with ``STRONG`` and ``GOOD`` and checks the rest; facing a bet it
raises the pot with ``STRONG``, calls with ``GOOD``, calls with ``MEDIUM`` or ``DRAW`` when the
price (call / pot after calling) is at most ``max_price``, and folds otherwise.

The bot is deterministic: it never draws from its generator.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cache

import numpy as np

from holdem.cards.encoding import N_CARDS, N_RANKS, rank_of, suit_of
from holdem.cards.evaluator import (
    FLUSH,
    FULL_HOUSE,
    HIGH_CARD,
    PAIR,
    QUADS,
    STRAIGHT,
    TRIPS,
    TWO_PAIR,
    evaluate_cards,
    hand_category,
)
from holdem.eval.agents import check_or_call, clamp_raise, pot_raise_to
from holdem.rules.actions import Action
from holdem.rules.state import HandState, Street

_ACE = N_RANKS - 1
_CHEN_HIGH = {_ACE: 10.0, _ACE - 1: 8.0, _ACE - 2: 7.0, _ACE - 3: 6.0}
_QUEEN = _ACE - 2


def chen_score(first: int, second: int) -> int:
    """The Chen formula's score of two hole cards (cards 0..51): from -1 (72o) to 20 (AA)."""
    high, low = max(rank_of(first), rank_of(second)), min(rank_of(first), rank_of(second))
    score = _CHEN_HIGH.get(high, (high + 2) / 2)
    if high == low:
        return math.ceil(max(2 * score, 5.0))
    if suit_of(first) == suit_of(second):
        score += 2
    gap = high - low - 1
    score -= (0, 1, 2, 4)[gap] if gap < 4 else 5
    if gap <= 1 and high < _QUEEN:
        score += 1
    return math.ceil(score)


@cache
def _chen_table() -> np.ndarray:
    """``table[a, b]``: the Chen score of cards a and b (52 x 52; the diagonal unused)."""
    table = np.zeros((N_CARDS, N_CARDS), np.int64)
    for a in range(N_CARDS):
        for b in range(N_CARDS):
            if a != b:
                table[a, b] = chen_score(a, b)
    return table


@cache
def chen_threshold(share: float) -> int:
    """The lowest Chen score in the top ``share`` (0..1] of the 1,326 hole-card combinations."""
    if not 0.0 < share <= 1.0:
        raise ValueError(f"a range is a share of hands in (0, 1], got {share}")
    table = _chen_table()
    scores = np.sort(table[np.triu_indices(N_CARDS, 1)])[::-1]
    return int(scores[max(0, math.ceil(share * scores.size) - 1)])


class Tier(IntEnum):
    """How good a holding is after the flop, weakest first (see the module docstring)."""

    WEAK = 0
    DRAW = 1
    MEDIUM = 2
    GOOD = 3
    STRONG = 4


def _rank_counts_category(ranks: Sequence[int]) -> int:
    """The category the ranks alone make (pairs, trips, quads, full house) of up to 5 cards."""
    counts = [*sorted(Counter(ranks).values(), reverse=True), 0, 0]
    if counts[0] >= 4:
        return QUADS
    if counts[0] == 3:
        return FULL_HOUSE if counts[1] >= 2 else TRIPS
    if counts[0] == 2:
        return TWO_PAIR if counts[1] == 2 else PAIR
    return HIGH_CARD


def board_category(board: Sequence[int]) -> int:
    """The category the board makes on its own (a five-card board by the evaluator)."""
    if len(board) == 5:
        return int(hand_category(evaluate_cards(np.asarray(board, np.uint8))))
    return _rank_counts_category([rank_of(c) for c in board])


def _has_flush_draw(hole: Sequence[int], cards: Sequence[int]) -> bool:
    suits = Counter(suit_of(c) for c in cards)
    return any(suits[suit_of(c)] == 4 for c in hole)


def _has_open_ended_draw(hole: Sequence[int], cards: Sequence[int]) -> bool:
    present, mine = _straight_ranks(cards), _straight_ranks(hole)
    # Four in a row low..low+3 with a rank left at both ends (so not A234 or JQKA); a fifth
    # in a row would be a straight, which the caller has ruled out.
    for low in range(1, 10):
        run = set(range(low, low + 4))
        if run <= present and run & mine:
            return True
    return False


def _straight_ranks(cards: Sequence[int]) -> set[int]:
    """Ranks on a 0..13 scale where an ace counts both low (0) and high (13)."""
    ranks = {rank_of(c) + 1 for c in cards}
    if N_RANKS in ranks:
        ranks.add(0)
    return ranks


def postflop_tier(hole: Sequence[int], board: Sequence[int]) -> Tier:
    """The tier of two hole cards on a board of 3 to 5 cards."""
    cards = [*hole, *board]
    category = int(hand_category(evaluate_cards(np.asarray(cards, np.uint8))))
    on_board = board_category(board)
    counterfeit_two_pair = category == TWO_PAIR and on_board == PAIR
    if category > on_board and category >= TWO_PAIR and not counterfeit_two_pair:
        return Tier.STRONG
    if category > on_board and category in (PAIR, TWO_PAIR):
        top = max(rank_of(c) for c in board)
        first, second = rank_of(hole[0]), rank_of(hole[1])
        if first == second:
            return Tier.GOOD if first > top else Tier.MEDIUM
        board_ranks = {rank_of(c) for c in board}
        paired = [r for r in (first, second) if r in board_ranks]
        if paired:
            return Tier.GOOD if max(paired) == top else Tier.MEDIUM
    if len(board) < 5 and category < STRAIGHT:
        if category < FLUSH and _has_flush_draw(hole, cards):
            return Tier.DRAW
        if _has_open_ended_draw(hole, cards):
            return Tier.DRAW
    return Tier.WEAK


@dataclass(frozen=True)
class TightAggressiveAgent:
    """The ``tag`` baseline: Chen-formula ranges preflop, evaluator tiers after the flop."""

    name: str = "tag"
    open_share: float = 0.20
    reraise_share: float = 0.05
    call_share: float = 0.12
    open_to_bb: float = 3.0
    reraise_factor: float = 3.0
    bet_fraction: float = 0.66
    max_price: float = 0.25

    def __post_init__(self) -> None:
        for share in ("open_share", "reraise_share", "call_share"):
            chen_threshold(getattr(self, share))  # checks the range
        if self.open_to_bb <= 0 or self.reraise_factor <= 0 or self.bet_fraction <= 0:
            raise ValueError("tag sizes (open_to_bb, reraise_factor, bet_fraction) must be > 0")
        if not 0.0 <= self.max_price <= 1.0:
            raise ValueError(f"max_price is a share of the pot in [0, 1], got {self.max_price}")

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        if state.street is Street.PREFLOP:
            return self._preflop(state, seat)
        return self._postflop(state, seat)

    def _preflop(self, state: HandState, seat: int) -> Action:
        legal = state.legal_actions()
        hole = state.hole_cards[seat]
        score = int(_chen_table()[hole[0], hole[1]])
        big_blind = state.config.big_blind
        if state.max_bet <= big_blind:
            if score >= chen_threshold(self.open_share):
                return clamp_raise(legal, round(self.open_to_bb * big_blind))
            return Action.check() if legal.can_check else Action.fold()
        if score >= chen_threshold(self.reraise_share):
            return clamp_raise(legal, round(self.reraise_factor * state.max_bet))
        if score >= chen_threshold(self.call_share):
            return check_or_call(legal)
        return Action.check() if legal.can_check else Action.fold()

    def _postflop(self, state: HandState, seat: int) -> Action:
        legal = state.legal_actions()
        tier = postflop_tier(state.hole_cards[seat], state.board)
        if legal.can_check:
            if tier >= Tier.GOOD:
                return clamp_raise(
                    legal, state.max_bet + round(self.bet_fraction * state.total_pot)
                )
            return Action.check()
        if tier is Tier.STRONG:
            return clamp_raise(legal, pot_raise_to(state, seat))
        if tier is Tier.GOOD:
            return Action.call()
        price = legal.call_amount / (state.total_pot + legal.call_amount)
        if tier >= Tier.DRAW and price <= self.max_price:
            return Action.call()
        return Action.fold()
