"""The state of one hand of no-limit Texas Hold'em, 2 to 6 seats, as a state machine.

A hand starts with antes and blinds posted (:class:`~holdem.rules.table.TableConfig` says who
posts what), then runs up to four betting rounds (preflop, flop, turn, river) and ends when
all but one seat have folded or at showdown. Chips are integers throughout.

Betting rules (no-limit, as in the Poker TDA rules and Robert's Rules of Poker):

- The seat to act may fold (only when facing a bet), check (when not facing one), call (all-in
  for less when its stack is short), or bet/raise to a total.
- A bet or raise must increase the largest bet by at least the *full raise size*: the big
  blind at the start of every round, then the increment of the last full bet or raise of the
  round. Going all-in for less is always allowed; it does not change the full raise size.
- Reopening (TDA Rule 47A): a seat that has already acted in this round (checked, called or
  raised) may raise again only if the largest bet has grown by at least one full raise since
  its last action. So an all-in for less than a full raise does not reopen the betting for
  those who already acted, while several short all-ins that add up to a full raise do. The
  blinds are not actions: the big blind keeps its option preflop.
- A seat with no decision to make (facing no bet while every other seat still in is all-in)
  is skipped; when fewer than two seats in the hand have chips left, the remaining board is
  dealt without betting.
- Chips that nobody can match (an uncalled bet, or the part of a bet above every other
  seat's total) go back to their owner at the end of each round (and after the antes).

Pots are built by :mod:`holdem.rules.pots`, the showdown by :mod:`holdem.rules.showdown`.
The engine is checked action by action against PokerKit (Kim, "PokerKit: A Comprehensive
Python Library for Fine-Grained Multi-Variant Poker Game Simulations", IEEE Transactions on
Games, 2023, https://doi.org/10.1109/TG.2023.3325637) in ``tests/rules``; the few places
where PokerKit 0.7.7 plays a different rule (reopening after short all-ins, odd chips of
pots with the same winners) are listed in ``tests/rules/differential.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from holdem.cards.encoding import format_cards
from holdem.rules.actions import Action, ActionKind, IllegalActionError, LegalActions
from holdem.rules.dealing import BOARD_SIZE, Deal, as_cards
from holdem.rules.pots import Pot, build_pots
from holdem.rules.showdown import PotAward, award_pots, hand_rank
from holdem.rules.table import TableConfig


class Street(IntEnum):
    """The four betting rounds."""

    PREFLOP = 0
    FLOP = 1
    TURN = 2
    RIVER = 3


BOARD_CARDS_SEEN = {Street.PREFLOP: 0, Street.FLOP: 3, Street.TURN: 4, Street.RIVER: 5}
"""How many board cards are face up during each street."""


@dataclass(frozen=True)
class ActionRecord:
    """One action taken in the hand: on which street, by which seat, and what."""

    street: Street
    seat: int
    action: Action


class HandState:
    """One hand in progress or finished; mutate it with :meth:`apply` and :meth:`deal_board`.

    Build it with :meth:`new` (explicit cards) or :meth:`deal_random` (seeded cards). Read
    ``to_act``, :meth:`legal_actions`, ``stacks``, ``bets``, ``pots``, ``board`` and, at the
    end, ``payoffs``. :meth:`clone` gives an independent copy (for search).
    """

    def __init__(self, config: TableConfig, deal: Deal) -> None:
        if not isinstance(config, TableConfig):
            raise ValueError(f"config must be a TableConfig, got {config!r}")
        if not isinstance(deal, Deal):
            raise ValueError(f"deal must be a Deal, got {deal!r}")
        if deal.n_seats != config.n_seats:
            raise ValueError(
                f"the deal has hole cards for {deal.n_seats} seats but the table has "
                f"{config.n_seats}; give one pair per seat"
            )
        n = config.n_seats
        self._config = config
        self._deal = deal
        self._stacks = list(config.stacks)
        self._bets = [0] * n
        self._committed = [0] * n
        self._live = [True] * n
        self._board: list[int] = []
        self._street = Street.PREFLOP
        self._history: list[ActionRecord] = []
        self._full_raise = config.big_blind
        self._acted_at: list[int | None] = [None] * n
        self._pending: set[int] = set()
        self._cursor = 0
        self._to_act: int | None = None
        self._awaiting = 0
        self._awards: list[PotAward] | None = None
        self._post_forced_bets()
        self._start_round()

    @classmethod
    def new(
        cls,
        config: TableConfig,
        hole_cards: Sequence[Sequence[int] | str],
        board: Sequence[int] | str = (),
    ) -> HandState:
        """A hand with the given hole cards (one pair per seat) and board (0 to 5 cards).

        Cards are integers 0..51 or text like ``"AsKd"``. Board cards not given now are
        supplied with :meth:`deal_board` when a street needs them.
        """
        return cls(config, Deal(tuple(hole_cards), board))  # type: ignore[arg-type]

    @classmethod
    def deal_random(cls, config: TableConfig, rng: np.random.Generator) -> HandState:
        """A hand with hole cards and a full board drawn from ``rng``."""
        return cls(config, Deal.random(config.n_seats, rng))

    def clone(self) -> HandState:
        """An independent copy: actions applied to it do not touch this state."""
        other = copy.copy(self)
        for name in ("_stacks", "_bets", "_committed", "_live", "_board", "_history", "_acted_at"):
            setattr(other, name, list(getattr(self, name)))
        other._pending = set(self._pending)
        other._awards = None if self._awards is None else list(self._awards)
        return other

    @property
    def config(self) -> TableConfig:
        """The table: seats, starting stacks, blinds, ante, button."""
        return self._config

    @property
    def n_seats(self) -> int:
        """Number of seats."""
        return self._config.n_seats

    @property
    def street(self) -> Street:
        """The current betting round (the last one reached once the hand is over)."""
        return self._street

    @property
    def board(self) -> tuple[int, ...]:
        """Board cards face up so far."""
        return tuple(self._board)

    @property
    def hole_cards(self) -> tuple[tuple[int, int], ...]:
        """Hole cards of every seat."""
        return self._deal.hole_cards

    @property
    def stacks(self) -> tuple[int, ...]:
        """Chips each seat has behind (not yet put in)."""
        return tuple(self._stacks)

    @property
    def bets(self) -> tuple[int, ...]:
        """Chips each seat has put in during the current betting round (blinds count)."""
        return tuple(self._bets)

    @property
    def contributions(self) -> tuple[int, ...]:
        """Chips each seat has put in during the whole hand (antes, blinds, bets)."""
        return tuple(self._committed)

    @property
    def folded(self) -> tuple[bool, ...]:
        """Whether each seat has folded."""
        return tuple(not live for live in self._live)

    @property
    def in_hand(self) -> tuple[int, ...]:
        """The seats that have not folded."""
        return tuple(s for s in range(self.n_seats) if self._live[s])

    @property
    def to_act(self) -> int | None:
        """The seat whose turn it is, or None (board cards awaited, or the hand is over)."""
        return self._to_act

    @property
    def awaiting_cards(self) -> int:
        """How many board cards :meth:`deal_board` must supply before play goes on (or 0)."""
        return self._awaiting

    @property
    def is_terminal(self) -> bool:
        """True once the pots have been awarded."""
        return self._awards is not None

    @property
    def history(self) -> tuple[ActionRecord, ...]:
        """Every action applied so far, in order."""
        return tuple(self._history)

    @property
    def max_bet(self) -> int:
        """The largest bet of the current betting round."""
        return max(self._bets)

    @property
    def full_raise(self) -> int:
        """The smallest increment of a full bet or raise now (big blind or last full raise)."""
        return self._full_raise

    @property
    def pots(self) -> tuple[Pot, ...]:
        """Main pot then side pots, from the chips gathered in finished betting rounds.

        Bets of the current round are not in a pot yet (see ``bets`` and ``total_pot``). Once
        the hand is over these are the pots that were awarded.
        """
        gathered = [c - b for c, b in zip(self._committed, self._bets, strict=True)]
        return tuple(build_pots(gathered, self._live))

    @property
    def total_pot(self) -> int:
        """All chips put in so far, pots and current bets together (at the end: awarded)."""
        return sum(self._committed)

    @property
    def awards(self) -> tuple[PotAward, ...]:
        """How each pot was won; raises ValueError before the hand is over."""
        if self._awards is None:
            raise ValueError("the hand is not over yet: pots are awarded at the end")
        return tuple(self._awards)

    @property
    def payoffs(self) -> tuple[int, ...]:
        """Net chips won (+) or lost (-) by each seat; they sum to zero.

        Raises ValueError before the hand is over.
        """
        if self._awards is None:
            raise ValueError("the hand is not over yet: payoffs are known at the end")
        return tuple(
            end - start for end, start in zip(self._stacks, self._config.stacks, strict=True)
        )

    def legal_actions(self) -> LegalActions:
        """What the seat to act may do; raises IllegalActionError when no seat is to act."""
        seat = self._require_turn()
        to_call = self.max_bet - self._bets[seat]
        can_raise = self._raise_blocker(seat) is None
        all_in_to = self._stacks[seat] + self._bets[seat]
        return LegalActions(
            seat=seat,
            can_fold=to_call > 0,
            can_check=to_call == 0,
            call_amount=min(to_call, self._stacks[seat]),
            min_raise_to=min(self.max_bet + self._full_raise, all_in_to) if can_raise else None,
            max_raise_to=all_in_to if can_raise else None,
        )

    def verify(self, action: Action, seat: int | None = None) -> None:
        """Raise IllegalActionError, saying why, unless ``action`` is legal now.

        ``seat``, when given, must be the seat to act (a check that the caller's idea of
        whose turn it is matches the state's).
        """
        if not isinstance(action, Action):
            raise IllegalActionError(f"expected an Action (e.g. Action.call()), got {action!r}")
        actor = self._require_turn()
        if seat is not None and seat != actor:
            raise IllegalActionError(f"it is seat {actor}'s turn, not seat {seat}'s")
        to_call = self.max_bet - self._bets[actor]
        if action.kind is ActionKind.FOLD and to_call == 0:
            raise IllegalActionError(
                f"seat {actor} cannot fold: there is no bet to call (check instead)"
            )
        if action.kind is ActionKind.CHECK and to_call > 0:
            raise IllegalActionError(
                f"seat {actor} cannot check: it faces a bet of {self.max_bet} "
                f"(call {min(to_call, self._stacks[actor])} or fold)"
            )
        if action.kind is ActionKind.CALL and to_call == 0:
            raise IllegalActionError(
                f"seat {actor} cannot call: there is no bet to call (check instead)"
            )
        if action.kind is ActionKind.RAISE:
            self._verify_raise(actor, action.amount)

    def can_apply(self, action: Action) -> bool:
        """True when :meth:`apply` would accept ``action`` now."""
        try:
            self.verify(action)
        except IllegalActionError:
            return False
        return True

    def apply(self, action: Action, seat: int | None = None) -> None:
        """Play ``action`` for the seat to act, then move the hand on.

        Raises IllegalActionError (a ValueError) with the reason when the action is not
        legal; the state is then unchanged.
        """
        self.verify(action, seat)
        actor = self._to_act
        assert actor is not None
        self._history.append(ActionRecord(self._street, actor, action))
        self._pending.discard(actor)
        max_bet = self.max_bet
        if action.kind is ActionKind.FOLD:
            self._live[actor] = False
            if sum(self._live) == 1:
                self._to_act = None
                self._end_round()
                return
        elif action.kind is ActionKind.CHECK:
            self._acted_at[actor] = max_bet
        elif action.kind is ActionKind.CALL:
            self._put_in(actor, min(max_bet - self._bets[actor], self._stacks[actor]))
            self._acted_at[actor] = max_bet
        else:
            increment = action.amount - max_bet
            if increment >= self._full_raise:
                self._full_raise = increment
            self._put_in(actor, action.amount - self._bets[actor])
            self._acted_at[actor] = action.amount
            self._pending = {
                s
                for s in range(self.n_seats)
                if s != actor and self._live[s] and self._stacks[s] > 0
            }
        self._cursor = self._config.seat_after(actor)
        self._advance()

    def deal_board(self, cards: Sequence[int] | str) -> None:
        """Supply the ``awaiting_cards`` board cards the next street needs (ints or text)."""
        if self._awaiting == 0:
            raise IllegalActionError(
                "no board cards are awaited now"
                + (": the hand is over" if self.is_terminal else f": seat {self._to_act} is to act")
            )
        new_cards = as_cards(cards, "board cards")
        if len(new_cards) != self._awaiting:
            raise IllegalActionError(
                f"the {self._street.name.lower()} needs {self._awaiting} board cards, "
                f"got {len(new_cards)}: {format_cards(new_cards)}"
            )
        used = set(self._board) | {c for pair in self._deal.hole_cards for c in pair}
        for card in new_cards:
            if card in used or new_cards.count(card) > 1:
                raise IllegalActionError(
                    f"card {format_cards([card])} is already dealt; each card can be dealt once"
                )
        self._board.extend(new_cards)
        self._awaiting = 0
        self._start_round()

    def _require_turn(self) -> int:
        if self._to_act is None:
            if self.is_terminal:
                raise IllegalActionError("the hand is over: no seat is to act")
            raise IllegalActionError(
                f"the hand waits for {self._awaiting} board cards: call deal_board first"
            )
        return self._to_act

    def _raise_blocker(self, seat: int) -> str | None:
        """Why ``seat`` may not bet or raise now, or None when it may."""
        max_bet = self.max_bet
        to_call = max_bet - self._bets[seat]
        if self._stacks[seat] <= to_call:
            return f"its stack of {self._stacks[seat]} only covers a call"
        if not any(
            self._live[s] and self._stacks[s] + self._bets[s] > max_bet
            for s in range(self.n_seats)
            if s != seat
        ):
            return "no other seat in the hand has chips left to call a raise"
        acted_at = self._acted_at[seat]
        if acted_at is not None and max_bet - acted_at < self._full_raise:
            return (
                f"it already acted and the bet has grown by {max_bet - acted_at} since, "
                f"less than a full raise of {self._full_raise} (an all-in for less does not "
                f"reopen the betting)"
            )
        return None

    def _verify_raise(self, seat: int, amount: int) -> None:
        verb = "bet" if self.max_bet == 0 else "raise"
        reason = self._raise_blocker(seat)
        if reason is not None:
            raise IllegalActionError(f"seat {seat} cannot {verb}: {reason}")
        all_in_to = self._stacks[seat] + self._bets[seat]
        min_to = self.max_bet + self._full_raise
        if amount > all_in_to:
            raise IllegalActionError(
                f"seat {seat} cannot {verb} to {amount}: its stack allows at most {all_in_to} "
                f"(all-in)"
            )
        if amount < min_to and amount != all_in_to:
            if all_in_to < min_to:
                detail = f"the only {verb} it can make is all-in to {all_in_to}"
            else:
                detail = f"the minimum {verb} is to {min_to}"
            raise IllegalActionError(f"seat {seat} cannot {verb} to {amount}: {detail}")

    def _put_in(self, seat: int, chips: int, to_bet: bool = True) -> None:
        assert 0 <= chips <= self._stacks[seat]
        self._stacks[seat] -= chips
        self._committed[seat] += chips
        if to_bet:
            self._bets[seat] += chips

    def _post_forced_bets(self) -> None:
        config = self._config
        if config.ante:
            for seat in range(self.n_seats):
                self._put_in(seat, min(config.ante, self._stacks[seat]), to_bet=False)
            self._return_uncalled()
        for seat, blind in (
            (config.small_blind_seat, config.small_blind),
            (config.big_blind_seat, config.big_blind),
        ):
            self._put_in(seat, min(blind, self._stacks[seat]))

    def _return_uncalled(self) -> None:
        """Give back the chips of the top contributor that no other seat matched."""
        ranked = sorted(range(self.n_seats), key=self._committed.__getitem__, reverse=True)
        top, second = ranked[0], ranked[1]
        excess = self._committed[top] - self._committed[second]
        if excess > 0:
            self._stacks[top] += excess
            self._committed[top] -= excess
            self._bets[top] = max(0, self._bets[top] - excess)

    def _start_round(self) -> None:
        config = self._config
        self._full_raise = config.big_blind
        self._acted_at = [None] * self.n_seats
        self._pending = {s for s in range(self.n_seats) if self._live[s] and self._stacks[s] > 0}
        first = config.big_blind_seat if self._street is Street.PREFLOP else config.button
        self._cursor = config.seat_after(first)
        self._advance()

    def _has_decision(self, seat: int) -> bool:
        """False when ``seat`` faces no bet and every other seat in the hand is all-in."""
        if self._bets[seat] < self.max_bet:
            return True
        return any(self._live[s] and self._stacks[s] > 0 for s in range(self.n_seats) if s != seat)

    def _advance(self) -> None:
        """Find the next seat to act from the cursor, or end the round when none is left."""
        for k in range(self.n_seats):
            seat = self._config.seat_after(self._cursor, k)
            if seat not in self._pending:
                continue
            if self._has_decision(seat):
                self._to_act = seat
                return
            self._pending.discard(seat)
        self._to_act = None
        self._end_round()

    def _end_round(self) -> None:
        self._return_uncalled()
        self._bets = [0] * self.n_seats
        if sum(self._live) == 1 or self._street is Street.RIVER:
            self._award()
            return
        self._street = Street(self._street + 1)
        needed = BOARD_CARDS_SEEN[self._street] - len(self._board)
        known = self._deal.board[len(self._board) : len(self._board) + needed]
        if len(known) < needed:
            self._awaiting = needed
            return
        self._board.extend(known)
        self._start_round()

    def _award(self) -> None:
        pots = build_pots(self._committed, self._live)
        contenders = [s for s in range(self.n_seats) if self._live[s]]
        ranks: dict[int, int] = {}
        if len(contenders) > 1:
            assert len(self._board) == BOARD_SIZE
            ranks = {s: hand_rank(self._deal.hole_cards[s], self._board) for s in contenders}
        self._awards = award_pots(pots, ranks, self._config.seats_from_button())
        for award in self._awards:
            for seat, share in zip(award.winners, award.shares, strict=True):
                self._stacks[seat] += share

    def __repr__(self) -> str:
        if self.is_terminal:
            status = f"over, payoffs {list(self.payoffs)}"
        elif self._to_act is None:
            status = f"awaiting {self._awaiting} board cards"
        else:
            status = f"seat {self._to_act} to act"
        return (
            f"<HandState {self._street.name.lower()} board [{format_cards(self._board)}] "
            f"stacks {self._stacks} bets {self._bets} pot {self.total_pot}: {status}>"
        )
