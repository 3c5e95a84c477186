"""Random hands played by ``holdem.rules`` and PokerKit in lockstep, compared at every step.

Hands come from :mod:`tests.rules.generators` (short stacks, odd blinds and antes, all-tie
boards, actions biased toward raises and all-ins).

At every decision both engines must agree on the seat to act, stacks, bets, the gathered
pots (amounts and eligible seats), the total pot, and the legal actions (fold, check, call
amount, minimum and maximum raise-to). At the end both must be over with equal payoffs.

Where PokerKit 0.7.7 plays a different rule, the comparison is made exact in another way
(each case is pinned on a small hand in ``test_differential.py``):

1. Reopening after an all-in for less than a full raise, where PokerKit departs from TDA
   Rule 47A in two ways (``REOPEN_DIVERGENCES``). Accepted only when an all-in bet or raise
   below PokerKit's own full raise happened in the current round, only on whether the seat
   may raise (everything else must agree), and only for the reason we know on each side;
   the hand then goes on with an action both engines allow.
2. A player PokerKit still asks to act after folds left it facing no bet with everyone
   else all-in: it can only check, and we skip it; the driver checks for it in PokerKit.
3. Odd chips when several pots have the same winners: PokerKit merges such pots before
   splitting, TDA (and we) split each pot on its own. Payoffs that differ must equal the
   merged split computed from our own pots exactly.
4. Heads-up with equal blinds PokerKit lets the big blind act first; such tables are not
   generated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

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
from tests.rules.generators import random_action, random_deal, random_table
from tests.rules.pokerkit_reference import PokerKitHand, ReferenceLegal

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
    short_all_in_streets: set[Street],
) -> str | None:
    """The kind of a known reopening divergence (a key of REOPEN_DIVERGENCES), or None.

    Known only if the engines agree on everything but whether the seat may raise, an all-in
    short of a full raise happened this round, and each engine's reason is the one we know.
    """
    if _legal_tuple(legal)[:4] != _legal_tuple(ref_legal)[:4]:
        return None
    if ours.street not in short_all_in_streets:
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
    # Streets with an all-in bet or raise smaller than a full one by PokerKit's count.
    short_all_in_streets: set[Street] = set()
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
            kind = _reopening_divergence(ours, legal, ref_legal, short_all_in_streets)
            if kind is None:
                raise fail(f"legal actions: ours {legal}, pokerkit {ref_legal}")
            tally.divergences[kind] += 1
            if ref_legal.min_raise_to is None:
                legal = LegalActions(
                    legal.seat, legal.can_fold, legal.can_check, legal.call_amount, None, None
                )
        action = random_action(legal, rng, calm)
        if action.kind is ActionKind.RAISE:
            seat = legal.seat
            if action.amount == ours.stacks[seat] + ours.bets[seat]:
                any_all_in = True
                if action.amount < ref_legal.full_raise_to:
                    short_all_in_streets.add(ours.street)
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
    stacks = [
        start - put for start, put in zip(state.config.stacks, state.contributions, strict=True)
    ]
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
