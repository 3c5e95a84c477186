"""Random hands played by ``holdem.rules`` and PokerKit in lockstep, compared at every step.

The generator favours the hard cases: 2 to 6 seats, unequal stacks with many short ones
(so all-ins, blinds posted all-in and side pots are common), odd blinds and antes (odd
chips), and some boards on which every hand ties (a broadway straight that no two hole
cards can improve), so that split pots with odd chips reach showdown often. Actions are
drawn from the legal ones with a bias toward raises and all-ins.

At every decision both engines must agree on the seat to act, stacks, bets, the gathered
pots (amounts and eligible seats), the total pot, and the legal actions (fold, check, call
amount, minimum and maximum raise-to). At the end both must be over with equal payoffs.

The one accepted disagreement is PokerKit 0.7.7's reopening of the betting after an all-in
for less than a full raise, where it departs from TDA Rule 47A in three ways (see
``REOPEN_DIVERGENCES``). Such a disagreement is accepted only when an all-in bet or raise
smaller than PokerKit's own minimum raise has happened in the current betting round, only
on whether the seat may raise (everything else must still agree), and the hand then goes on
with an action both engines allow.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from holdem.cards.encoding import parse_cards
from holdem.rules import (
    Action,
    ActionKind,
    Deal,
    HandState,
    IllegalActionError,
    LegalActions,
    Street,
    TableConfig,
    award_pots,
    build_pots,
    hand_rank,
)
from tests.rules.pokerkit_reference import PokerKitHand, ReferenceLegal

TIE_BOARD = tuple(parse_cards("Ts Js Qd Kh Ac"))

REOPEN_DIVERGENCES = {
    "pokerkit reopens": (
        "PokerKit lets a seat that already acted raise after all-ins that add less than a "
        "full raise: it measures a full raise against the largest increment of the round "
        "starting from 0, so preflop a short all-in over the big blind, or postflop a short "
        "opening bet below the big blind, counts as full"
    ),
    "pokerkit keeps closed": (
        "PokerKit refuses a raise to a seat that faces at least a full raise since it acted, "
        "when the short all-ins behind that raise were followed by another short all-in "
        "(its running sum of consecutive short all-ins restarts)"
    ),
}


@dataclass
class Tally:
    """What a batch of differential hands covered."""

    hands: int = 0
    showdowns: int = 0
    side_pots: int = 0
    split_pots: int = 0
    odd_chip_splits: int = 0
    all_in_hands: int = 0
    decisions: int = 0
    forced_checks: int = 0
    river_betting: int = 0
    merged_odd_chips: int = 0
    seats: Counter[int] = field(default_factory=Counter)
    divergences: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return (
            f"{self.hands} hands ({dict(sorted(self.seats.items()))} by seats), "
            f"{self.decisions} decisions, {self.river_betting} with river betting, "
            f"{self.showdowns} showdowns, {self.side_pots} with "
            f"side pots, {self.all_in_hands} with an all-in, {self.split_pots} split pots "
            f"({self.odd_chip_splits} with odd chips); reopening divergences "
            f"{dict(self.divergences)}; {self.forced_checks} forced pokerkit checks; "
            f"{self.merged_odd_chips} hands whose odd chips pokerkit places by merged pots"
        )


def random_table(rng: np.random.Generator) -> TableConfig:
    """A table of 2 to 6 seats with unequal stacks, often short, and odd blinds/antes."""
    n = int(rng.integers(2, 7))
    big = int(rng.choice([2, 3, 10, 25, 100]))
    # Heads-up with equal blinds PokerKit lets the big blind act first preflop (it breaks the
    # tie between equal blind bets by player index), so heads-up tables get a smaller small blind.
    top_small = big if n > 2 else big - 1
    small = int(rng.integers(1, top_small + 1)) if rng.random() < 0.3 else max(1, big // 2)
    ante = int(rng.integers(1, big + 1)) if rng.random() < 0.35 else 0
    stacks = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.1:
            stacks.append(int(rng.integers(1, big + ante + 2)))
        elif kind < 0.55:
            stacks.append(int(rng.integers(big, 12 * big + 1)))
        else:
            stacks.append(int(rng.integers(10 * big, 120 * big + 1)))
    return TableConfig(tuple(stacks), small, big, ante, int(rng.integers(n)))


def random_deal(n_seats: int, rng: np.random.Generator) -> Deal:
    """Random cards; one deal in eight has the all-tie broadway board."""
    if rng.random() >= 0.125:
        return Deal.random(n_seats, rng)
    deck = [c for c in rng.permutation(52).tolist() if c not in TIE_BOARD]
    holes = tuple((deck[2 * s], deck[2 * s + 1]) for s in range(n_seats))
    return Deal(holes, TIE_BOARD)


def random_action(legal: LegalActions, rng: np.random.Generator, calm: bool = False) -> Action:
    """A legal action, biased toward raises (often all-in) and away from folds.

    ``calm`` play raises less and rarely shoves, so that hands see betting on every street.
    """
    options = []
    if legal.can_fold:
        options.append(("fold", 0.15))
    options.append(("check" if legal.can_check else "call", 0.6 if calm else 0.45))
    if legal.can_raise:
        options.append(("raise", 0.25 if calm else 0.4))
    names = [name for name, _ in options]
    weights = np.array([w for _, w in options])
    name = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    if name == "fold":
        return Action.fold()
    if name == "check":
        return Action.check()
    if name == "call":
        return Action.call()
    assert legal.min_raise_to is not None and legal.max_raise_to is not None
    size = rng.random()
    if size < (0.03 if calm else 0.35):
        return Action.raise_to(legal.max_raise_to)
    if size < 0.65:
        return Action.raise_to(legal.min_raise_to)
    return Action.raise_to(int(rng.integers(legal.min_raise_to, legal.max_raise_to + 1)))


class MismatchError(AssertionError):
    """The engines disagree; the message has the table, the cards and the actions so far."""


def _legal_tuple(legal: LegalActions | ReferenceLegal) -> tuple[object, ...]:
    return (
        legal.seat,
        legal.can_fold,
        legal.can_check,
        legal.call_amount,
        legal.min_raise_to,
        legal.max_raise_to,
    )


def _reopening_divergence(
    ours: HandState,
    legal: LegalActions,
    ref_legal: ReferenceLegal,
    short_all_ins: set[tuple[int, int]],
) -> str | None:
    """The kind of a known reopening divergence (a key of REOPEN_DIVERGENCES), or None.

    Known only if the engines agree on everything but whether the seat may raise, an all-in
    short of a full raise happened this round, and each engine's reason is the one we know.
    """
    if _legal_tuple(legal)[:4] != _legal_tuple(ref_legal)[:4]:
        return None
    if not any(street == int(ours.street) for street, _ in short_all_ins):
        return None
    if ref_legal.can_raise and not legal.can_raise:
        ours_reason = ""
        try:
            ours.verify(Action.raise_to(ours.stacks[legal.seat] + ours.bets[legal.seat]))
        except IllegalActionError as error:
            ours_reason = str(error)
        if "does not reopen" in ours_reason and ref_legal.raise_increment < ours.config.big_blind:
            return "pokerkit reopens"
    if legal.can_raise and not ref_legal.can_raise:
        assert ref_legal.raise_refusal is not None
        refusal = ref_legal.raise_refusal
        if "non-full all-in" in refusal or "Short all-in" in refusal:
            return "pokerkit keeps closed"
    return None


def play_hand(config: TableConfig, deal: Deal, rng: np.random.Generator, tally: Tally) -> None:
    """Play one random hand in both engines, raising MismatchError at the first disagreement.

    One hand in three is played ``calm`` (see :func:`random_action`).
    """
    calm = bool(rng.random() < 1 / 3)
    ours = HandState(config, deal)
    ref = PokerKitHand(config, deal)
    # (street, seat) of every all-in bet/raise whose increment was below PokerKit's minimum.
    short_all_ins: set[tuple[int, int]] = set()
    any_all_in = False
    river_betting = False

    def fail(what: str) -> MismatchError:
        actions = "; ".join(f"{r.street.name.lower()} s{r.seat} {r.action}" for r in ours.history)
        return MismatchError(
            f"{what}\n  table {config}\n  deal {deal}\n  actions {actions}\n  {ours!r}"
        )

    while not ours.is_terminal:
        if ours.to_act != ref.to_act and ref.play_forced_check():
            tally.forced_checks += 1
            continue
        if ours.to_act != ref.to_act:
            raise fail(f"seat to act: ours {ours.to_act}, pokerkit {ref.to_act}")
        for name in ("stacks", "bets", "total_pot"):
            if getattr(ours, name) != getattr(ref, name):
                raise fail(f"{name}: ours {getattr(ours, name)}, pokerkit {getattr(ref, name)}")
        our_pots = tuple((pot.amount, pot.eligible) for pot in ours.pots)
        if our_pots != ref.pots:
            raise fail(f"pots: ours {our_pots}, pokerkit {ref.pots}")
        legal = ours.legal_actions()
        ref_legal = ref.legal()
        tally.decisions += 1
        river_betting = river_betting or ours.street is Street.RIVER
        if _legal_tuple(legal) != _legal_tuple(ref_legal):
            kind = _reopening_divergence(ours, legal, ref_legal, short_all_ins)
            if kind is None:
                raise fail(f"legal actions: ours {legal}, pokerkit {ref_legal}")
            tally.divergences[kind] += 1
            if ref_legal.min_raise_to is None:
                legal = LegalActions(legal.seat, legal.can_fold, legal.can_check,
                                     legal.call_amount, None, None)
        action = random_action(legal, rng, calm)
        if action.kind is ActionKind.RAISE:
            seat = legal.seat
            if action.amount == ours.stacks[seat] + ours.bets[seat]:
                any_all_in = True
                if action.amount < ref_legal.full_raise_to:
                    short_all_ins.add((int(ours.street), seat))
        elif action.kind is ActionKind.CALL and legal.call_amount == ours.stacks[legal.seat]:
            any_all_in = True
        ours.apply(action)
        ref.apply(action)
    while ref.play_forced_check():
        tally.forced_checks += 1
    if not ref.is_over:
        raise fail("our hand is over but pokerkit's is not")
    if ours.payoffs != ref.payoffs:
        merged = _payoffs_with_merged_pots(ours)
        if ref.payoffs != merged:
            raise fail(f"payoffs: ours {ours.payoffs}, pokerkit {ref.payoffs}")
        tally.merged_odd_chips += 1
    if sum(ours.payoffs) != 0:
        raise fail(f"payoffs do not sum to zero: {ours.payoffs}")
    tally.hands += 1
    tally.seats[config.n_seats] += 1
    any_all_in = any_all_in or 0 in ours.stacks
    tally.all_in_hands += any_all_in
    tally.river_betting += river_betting
    if len(ours.in_hand) > 1:
        tally.showdowns += 1
    tally.side_pots += len(ours.awards) > 1
    for award in ours.awards:
        if len(award.winners) > 1:
            tally.split_pots += 1
            tally.odd_chip_splits += award.pot.amount % len(award.winners) != 0


def _payoffs_with_merged_pots(state: HandState) -> tuple[int, ...]:
    """Payoffs if pots were rebuilt with only the pot winners in the hand, PokerKit's way.

    PokerKit kills the losing hands before it pushes chips and then rebuilds the pots, so
    consecutive pots won by the same seats are merged and split once. The total each winner
    gets is the same as with separate pots; only the odd chips can land differently. TDA
    (and ``holdem.rules``) split every pot on its own.
    """
    winners = {seat for award in state.awards for seat in award.winners}
    survivors = [seat in winners for seat in range(state.n_seats)]
    pots = build_pots(state.contributions, survivors)
    ranks = {seat: hand_rank(state.hole_cards[seat], state.board) for seat in winners}
    stacks = [start - put for start, put in zip(state.config.stacks, state.contributions,
                                                strict=True)]
    for award in award_pots(pots, ranks, state.config.seats_from_button()):
        for seat, share in zip(award.winners, award.shares, strict=True):
            stacks[seat] += share
    return tuple(end - start for end, start in zip(stacks, state.config.stacks, strict=True))


def run_batch(n_hands: int, seed: int) -> Tally:
    """Play ``n_hands`` random hands from ``seed``; raises MismatchError at the first difference."""
    rng = np.random.default_rng(seed)
    tally = Tally()
    for _ in range(n_hands):
        config = random_table(rng)
        play_hand(config, random_deal(config.n_seats, rng), rng, tally)
    return tally
