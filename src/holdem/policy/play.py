"""Play heads-up against a blueprint, one typed action at a time.

`HeadsUpSession` deals hands under the exact rules (`holdem.rules`), the button moving each
hand and stacks reset to the starting stack, so every hand counts the same towards the result.
The blueprint acts with `Blueprint.act`; the human types an action at each decision:

==================  ================================================
``f``, ``fold``     fold
``x``, ``check``    check
``c``, ``call``     call (or check when there is nothing to call)
``r 600``           bet or raise *to* 600 chips (``r600``, ``raise 600``, ``b 600``,
                    ``bet 600`` too; ``r 3bb`` in big blinds)
``a``, ``allin``    all-in
``h``, ``?``        the list of commands
``q``, ``quit``     end the session (the end of input does too)
==================  ================================================

A mistyped or illegal action gets a message saying why and what is allowed, and the prompt
again. At the end the session's result: hands played, chips won or lost, and big blinds won
per 100 hands. Input and output are functions (``read`` returns None at the end of input), so
the same loop runs in a terminal and in tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from holdem.cards.encoding import format_cards
from holdem.policy.blueprint import Blueprint
from holdem.policy.situation import action_text, position_of
from holdem.rules.actions import Action, IllegalActionError
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig

HUMAN = 0
BOT = 1
HELP = (
    "actions: f (fold), x (check), c (call, or check), r <chips> (bet or raise to that many "
    "chips; r 3bb in big blinds), a (all-in); h for help, q to quit"
)
_RAISE = re.compile(r"^(?:r|raise|b|bet)\s*(\d+(?:\.\d+)?)\s*(bb)?$")


class SessionEnd(Exception):  # noqa: N818 (a signal, not an error)
    """The human asked to stop (or the input ended)."""


@dataclass
class SessionResult:
    """Hands completed and the human's net chips over them."""

    hands: int
    chips: int
    big_blind: int

    @property
    def bb_per_100(self) -> float:
        """The human's big blinds won per 100 hands (0 before any hand)."""
        return 100.0 * self.chips / self.big_blind / self.hands if self.hands else 0.0

    def summary(self) -> str:
        won = "won" if self.chips >= 0 else "lost"
        return (
            f"Session: {self.hands} hand{'s' if self.hands != 1 else ''}, you {won} "
            f"{abs(self.chips)} chips ({self.bb_per_100:+.1f} bb/100)"
        )


def parse_command(text: str, state: HandState) -> Action:
    """The action a typed line means for the seat to act in ``state``.

    Raises `SessionEnd` for ``q``; ValueError with a message for anything else that is not an
    action (the caller shows it and asks again). Legality is checked by the caller.
    """
    word = text.strip().lower()
    legal = state.legal_actions()
    if word in ("q", "quit", "exit"):
        raise SessionEnd
    if word in ("f", "fold"):
        return Action.fold()
    if word in ("x", "k", "check"):
        return Action.check()
    if word in ("c", "call"):
        return Action.call() if legal.can_call else Action.check()
    if word in ("a", "allin", "all-in", "all in", "shove"):
        if legal.max_raise_to is None:
            return Action.call() if legal.can_call else Action.check()
        return Action.raise_to(legal.max_raise_to)
    match = _RAISE.match(word)
    if match:
        amount = float(match.group(1)) * (state.config.big_blind if match.group(2) else 1)
        if amount != int(amount) or amount <= 0:
            raise ValueError(f"{text.strip()!r}: raise to a whole number of chips")
        return Action.raise_to(int(amount))
    if word in ("r", "raise", "b", "bet"):
        raise ValueError(
            f"{word!r} needs an amount: {word} <chips>, e.g. {word} {legal.min_raise_to}"
        )
    raise ValueError(f"{text.strip()!r} is not an action; {HELP}")


def legal_text(state: HandState) -> str:
    """What the seat to act may type now, with the raise range."""
    legal = state.legal_actions()
    parts = []
    if legal.can_fold:
        parts.append("f (fold)")
    if legal.can_check:
        parts.append("x (check)")
    if legal.can_call:
        parts.append(f"c (call {legal.call_amount})")
    if legal.min_raise_to is not None and legal.max_raise_to is not None:
        verb = "bet" if state.max_bet == 0 else "raise"
        if legal.min_raise_to < legal.max_raise_to:
            parts.append(f"r <{legal.min_raise_to}..{legal.max_raise_to}> ({verb} to)")
        parts.append(f"a (all-in {legal.max_raise_to})")
    return ", ".join(parts)


class HeadsUpSession:
    """Hands between a human (real seat 0) and ``blueprint`` (seat 1) on ``config``'s stakes;
    ``player`` (anything with ``act(state, rng)``, such as a
    `holdem.search.search_policy.SearchPolicy` of the blueprint) plays instead when given.

    ``config`` gives the stacks (reset every hand), blinds and ante; the button alternates,
    starting with the human. ``rng`` deals the cards and draws the blueprint's actions.
    """

    def __init__(
        self,
        blueprint: Blueprint,
        config: TableConfig,
        rng: np.random.Generator,
        read: Callable[[str], str | None],
        write: Callable[[str], None],
        player: Any | None = None,
    ) -> None:
        if blueprint.n_players != 2 or config.n_seats != 2:
            raise ValueError(
                f"play is heads-up: the blueprint plays {blueprint.n_players} seats; train one "
                "for 2 players"
            )
        self.blueprint = blueprint
        self.player = blueprint if player is None else player
        self.config = config
        self.rng = rng
        self.read = read
        self.write = write
        self.result = SessionResult(0, 0, config.big_blind)

    def run(self, hands: int | None = None) -> SessionResult:
        """Play ``hands`` hands (None: until the human quits or the input ends)."""
        searching = "" if self.player is self.blueprint else ", searching the turn and river"
        self.write(f"Heads-up against {self.blueprint.describe()}{searching}")
        self.write(HELP)
        try:
            while hands is None or self.result.hands < hands:
                self.play_hand(self.result.hands)
        except SessionEnd:
            self.write("")
        self.write(self.result.summary())
        return self.result

    def play_hand(self, number: int) -> int:
        """Play one hand (the button on the human every other hand); the human's net chips."""
        c = self.config
        config = TableConfig(c.stacks, c.small_blind, c.big_blind, c.ante, number % 2)
        state = HandState.deal_random(config, self.rng)
        you = position_of(config, HUMAN)
        self.write("")
        self.write(
            f"Hand {number + 1}: you are {you}, the blueprint {position_of(config, BOT)}. "
            f"Your cards: {format_cards(state.hole_cards[HUMAN])}"
        )
        street = -1
        while not state.is_terminal:
            if int(state.street) != street:
                street = int(state.street)
                if street > 0:
                    self.write(
                        f"-- {state.street.name.lower()}: {format_cards(state.board)}  "
                        f"(pot {state.total_pot})"
                    )
            seat = state.to_act
            assert seat is not None
            if seat == HUMAN:
                action = self._ask(state)
                self.write(f"You: {action_text(action, state)}")
                state.apply(action, seat)
            else:
                action = self.player.act(state, self.rng)
                self.write(f"Blueprint: {action_text(action, state)}")
                state.apply(action, seat)
        return self._finish(state)

    def _show(self, state: HandState) -> None:
        board = format_cards(state.board) or "-"
        self.write(
            f"Board {board} | pot {state.total_pot} | your cards "
            f"{format_cards(state.hole_cards[HUMAN])}, stack {state.stacks[HUMAN]} (bet "
            f"{state.bets[HUMAN]}) | blueprint stack {state.stacks[BOT]} (bet {state.bets[BOT]})"
        )
        self.write(f"You may: {legal_text(state)}")

    def _ask(self, state: HandState) -> Action:
        self._show(state)
        while True:
            line = self.read("> ")
            if line is None:
                raise SessionEnd
            if line.strip().lower() in ("h", "help", "?"):
                self.write(HELP)
                self.write(f"You may: {legal_text(state)}")
                continue
            if not line.strip():
                self.write(f"Type an action. You may: {legal_text(state)}")
                continue
            try:
                action = parse_command(line, state)
                state.verify(action)
            except (ValueError, IllegalActionError) as error:
                message = str(error).replace(f"seat {HUMAN} ", "you ")
                self.write(f"Not allowed: {message}. You may: {legal_text(state)}")
                continue
            return action

    def _finish(self, state: HandState) -> int:
        won = state.payoffs[HUMAN]
        if len(state.in_hand) > 1:
            self.write(
                f"Showdown on {format_cards(state.board)}: you "
                f"{format_cards(state.hole_cards[HUMAN])}, blueprint "
                f"{format_cards(state.hole_cards[BOT])}"
            )
        elif state.folded[HUMAN]:
            self.write("You fold.")
        else:
            self.write("The blueprint folds.")
        self.result.hands += 1
        self.result.chips += won
        verb = "win" if won > 0 else "lose" if won < 0 else "split, net"
        plural = "s" if self.result.hands != 1 else ""
        self.write(
            f"You {verb} {abs(won)} chips. Total after {self.result.hands} hand{plural}: "
            f"{self.result.chips:+d}"
        )
        return won
