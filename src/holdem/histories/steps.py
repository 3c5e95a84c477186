"""A finished hand replayed action by action, with the chips each format writes.

Both hand-history formats need more than a `HandState`'s records: what each call paid, by how
much a raise raised, whether it put the seat all-in, its total for the hand so far (ACPC writes
raises as that total) and the uncalled chips returned when a round ended. `hand_steps` replays
the records in the rules engine on a fresh state with the same cards and reads them off, so
the numbers are the engine's own, never re-derived.
"""

from __future__ import annotations

from dataclasses import dataclass

from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState, Street


@dataclass(frozen=True)
class Step:
    """One action of a hand and its chips.

    ``paid``: chips the action put in; ``to``: the seat's bet in the round after it (a raise's
    "to"); ``raised_by``: the increment over the largest bet before it (raises only);
    ``hand_total``: the seat's chips in the hand after it, antes left out; ``all_in``: whether
    it left the seat without chips; ``returned``: uncalled chips given back when the action
    ended a betting round, as ``(seat, chips)``, or None.
    """

    street: Street
    seat: int
    action: Action
    paid: int
    to: int
    raised_by: int
    hand_total: int
    all_in: bool
    returned: tuple[int, int] | None


def antes_paid(state: HandState) -> tuple[int, ...]:
    """What each seat put in as its ante (all it had when its stack was smaller)."""
    ante = state.config.ante
    return tuple(min(ante, stack) for stack in state.config.stacks)


def blinds_posted(state: HandState) -> tuple[tuple[int, int], ...]:
    """``(seat, chips)`` of the small then the big blind as posted (short stacks post less)."""
    config = state.config
    after_antes = [s - a for s, a in zip(config.stacks, antes_paid(state), strict=True)]
    return tuple(
        (seat, min(blind, after_antes[seat]))
        for seat, blind in (
            (config.small_blind_seat, config.small_blind),
            (config.big_blind_seat, config.big_blind),
        )
    )


def hand_steps(state: HandState) -> list[Step]:
    """Every action of the finished hand ``state`` with its chips (see `Step`)."""
    if not state.is_terminal:
        raise ValueError("a hand history is written once the hand is over")
    replay = HandState.new(state.config, state.hole_cards, state.board)
    antes = antes_paid(state)
    steps = []
    for record in state.history:
        seat, action = record.seat, record.action
        before = replay.contributions
        bet, max_bet = replay.bets[seat], replay.max_bet
        if action.kind is ActionKind.CALL:
            paid = min(max_bet - bet, replay.stacks[seat])
        elif action.kind is ActionKind.RAISE:
            paid = action.amount - bet
        else:
            paid = 0
        all_in = paid > 0 and paid == replay.stacks[seat]
        replay.apply(action, seat)
        after = replay.contributions
        returned = None
        for other in range(state.n_seats):
            expected = before[other] + (paid if other == seat else 0)
            if after[other] < expected:
                returned = (other, expected - after[other])
        steps.append(
            Step(
                record.street,
                seat,
                action,
                paid,
                bet + paid,
                action.amount - max_bet if action.kind is ActionKind.RAISE else 0,
                before[seat] + paid - antes[seat],
                all_in,
                returned,
            )
        )
    return steps
