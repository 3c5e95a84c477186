"""PokerKit 0.7.7 set up to play the same game as ``holdem.rules``, seen through our seats.

How the two engines are made to agree:

- Seats. PokerKit numbers players from the first seat left of the button: player ``i`` is our
  seat ``button + 1 + i`` (mod n). With 3+ players that makes player 0 the small blind and
  the last player the button; heads-up PokerKit makes player 0 the big blind and player 1
  the button and small blind (it reverses the blinds for two players), which is again seat
  ``button + 1 + i``. Its odd-chip rule (remainder to the lowest player index among the
  winners) is then ours: first winner clockwise from the button.
- Blinds and ante: ``raw_blinds_or_straddles=(small, big)``, ``min_bet=big``, a uniform
  ``raw_antes=ante`` posted by every player, ``ante_trimming_status=True`` (antes count as
  contributions for side pots, and an ante nobody matched is returned, as ours).
- Mode TOURNAMENT: one runout, and no fold when there is nothing to call (ours too).
- Cards. Dealing is not automated: hole cards and board cards are the ones of our ``Deal``,
  burn cards are dealt face down as unknown cards (``??``) so that no real card is consumed.
  Antes, blinds, bet collection, showdown (show or muck), hand killing and chip pushing and
  pulling are automated.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from pokerkit import Automation, NoLimitTexasHoldem, State

from holdem.cards.encoding import format_card
from holdem.rules import Action, ActionKind, Deal, TableConfig

AUTOMATIONS = (
    Automation.ANTE_POSTING,
    Automation.BET_COLLECTION,
    Automation.BLIND_OR_STRADDLE_POSTING,
    Automation.HOLE_CARDS_SHOWING_OR_MUCKING,
    Automation.HAND_KILLING,
    Automation.CHIPS_PUSHING,
    Automation.CHIPS_PULLING,
)


@dataclass(frozen=True)
class ReferenceLegal:
    """PokerKit's legal actions for the player to act, in our terms.

    ``raise_refusal`` is PokerKit's reason when it refuses a raise; ``raise_increment`` is
    its largest bet/raise increment of the round so far (0 at the start of every round) and
    ``full_raise_to`` the smallest full raise by its count (not capped at the stack).
    """

    seat: int
    can_fold: bool
    can_check: bool
    call_amount: int
    min_raise_to: int | None
    max_raise_to: int | None
    raise_refusal: str | None
    full_raise_to: int
    raise_increment: int

    @property
    def can_raise(self) -> bool:
        return self.min_raise_to is not None


def _text(cards: tuple[int, ...] | list[int]) -> str:
    return "".join(format_card(c) for c in cards)


class PokerKitHand:
    """One PokerKit hand driven with the cards of a ``Deal``; everything indexed by our seats."""

    def __init__(self, config: TableConfig, deal: Deal) -> None:
        n = config.n_seats
        self.seat_of = [config.seat_after(config.button, 1 + i) for i in range(n)]
        self.index_of = {seat: i for i, seat in enumerate(self.seat_of)}
        self.deal = deal
        self.big_blind = config.big_blind
        self.board_dealt = 0
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            self.state: State = NoLimitTexasHoldem.create_state(
                AUTOMATIONS,
                True,
                config.ante,
                (config.small_blind, config.big_blind),
                config.big_blind,
                tuple(config.stacks[seat] for seat in self.seat_of),
                n,
            )
            self._deal_pending_cards()

    def _deal_pending_cards(self) -> None:
        state = self.state
        while True:
            if state.can_burn_card("??"):
                state.burn_card("??")
            elif state.can_deal_hole():
                index = state.hole_dealee_index
                assert index is not None
                state.deal_hole(_text(self.deal.hole_cards[self.seat_of[index]]), index)
            elif state.can_deal_board():
                count = state.board_dealing_count
                assert count is not None
                cards = self.deal.board[self.board_dealt : self.board_dealt + count]
                state.deal_board(_text(cards))
                self.board_dealt += count
            else:
                return

    def _by_seat(self, values: list[int]) -> tuple[int, ...]:
        return tuple(values[self.index_of[seat]] for seat in range(len(values)))

    @property
    def to_act(self) -> int | None:
        index = self.state.actor_index
        return None if index is None else self.seat_of[index]

    @property
    def is_over(self) -> bool:
        return not self.state.status

    @property
    def stacks(self) -> tuple[int, ...]:
        return self._by_seat(list(self.state.stacks))

    @property
    def bets(self) -> tuple[int, ...]:
        return self._by_seat(list(self.state.bets))

    @property
    def payoffs(self) -> tuple[int, ...]:
        return self._by_seat(list(self.state.payoffs))

    @property
    def total_pot(self) -> int:
        return int(self.state.total_pot_amount)

    @property
    def pots(self) -> tuple[tuple[int, tuple[int, ...]], ...]:
        """(amount, eligible seats sorted) of each gathered pot, main pot first."""
        return tuple(
            (int(pot.amount), tuple(sorted(self.seat_of[i] for i in pot.player_indices)))
            for pot in self.state.pots
        )

    def legal(self) -> ReferenceLegal:
        state = self.state
        seat = self.to_act
        assert seat is not None
        call = state.checking_or_calling_amount if state.can_check_or_call() else None
        refusal = None
        try:
            state.verify_completion_betting_or_raising_to()
        except ValueError as error:
            refusal = str(error)
        return ReferenceLegal(
            seat=seat,
            can_fold=state.can_fold(),
            can_check=call == 0,
            call_amount=call or 0,
            min_raise_to=state.min_completion_betting_or_raising_to_amount,
            max_raise_to=state.max_completion_betting_or_raising_to_amount,
            raise_refusal=refusal,
            full_raise_to=max(state.completion_betting_or_raising_amount, self.big_blind)
            + max(state.bets),
            raise_increment=state.completion_betting_or_raising_amount,
        )

    def play_forced_check(self) -> bool:
        """Check for the player to act if checking is all it may do; True if it did.

        PokerKit decides at the start of a round who will be asked to act; when later folds
        leave a player facing no bet with every other player all-in, it still asks that
        player, who can only check. We skip such a player, so the driver checks for it.
        """
        if self.to_act is None:
            return False
        legal = self.legal()
        if legal.can_fold or legal.call_amount or legal.max_raise_to is not None:
            return False
        self.apply(Action.check())
        return True

    def apply(self, action: Action) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            if action.kind is ActionKind.FOLD:
                self.state.fold()
            elif action.kind in (ActionKind.CHECK, ActionKind.CALL):
                self.state.check_or_call()
            else:
                self.state.complete_bet_or_raise_to(action.amount)
            self._deal_pending_cards()
