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
again. A showdown names both hands ("two pair, Kings and Fives", `holdem.cards.hand_names`).
At the end the session's result: hands played, chips won or lost, and big blinds won per 100
hands. A hand left unfinished (``q``, the end of input, Ctrl-C) is left out of the result,
and the session says so: only finished hands count, as only they are in the log.

The session says once, the first time it happens, when the human's play leaves the
blueprint's tree (an action of a kind the tree lacks at that point, such as a limp into a tree
that never limps: the blueprint then plays by translation, not by its training), and once at
the start when the table's stacks, in big blinds, differ from the blueprint's training. With
``hints`` each of the human's decisions first shows the blueprint's own strategy for the
human's hand there; with a ``log`` (`holdem.histories.hand_log.HandLog`) every finished hand
is written to it. Input and output are functions (``read`` returns None at the end of input),
so the same loop runs in a terminal and in tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from holdem.cards.encoding import format_cards
from holdem.cards.hand_names import hand_name
from holdem.histories.hand_log import HandLog
from holdem.policy.blueprint import Blueprint
from holdem.policy.follower import OFF_TREE, TRANSLATED
from holdem.policy.situation import action_text, position_of
from holdem.rules.actions import Action, ActionKind, IllegalActionError
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig

HUMAN = 0
BOT = 1
HELP = (
    "actions: f (fold), x (check), c (call, or check), r <chips> (bet or raise to that many "
    "chips; r 3bb in big blinds), a (all-in); h for help, q to quit"
)
_RAISE = re.compile(r"^(?:r|raise|b|bet)\s*(\d+(?:\.\d+)?)\s*(bb)?$")
NAMES = ("you", "blueprint")
"""The players' names in the log, by real seat (`HUMAN`, `BOT`)."""
_SECOND_PERSON = (
    (f"seat {HUMAN} ", "you "),
    ("its stack", "your stack"),
    ("it already acted", "you already acted"),
    ("it can make", "you can make"),
    ("it faces", "you face"),
)
"""The rules engine's words about a seat, as the session says them to the human."""


def second_person(message: str) -> str:
    """An illegal-action message of the rules engine about the human, addressed to them."""
    for third, second in _SECOND_PERSON:
        message = message.replace(third, second)
    return message


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
    ``log`` receives every finished hand; ``hints`` shows the blueprint's strategy for the
    human's hand at each of the human's decisions.
    """

    def __init__(
        self,
        blueprint: Blueprint,
        config: TableConfig,
        rng: np.random.Generator,
        read: Callable[[str], str | None],
        write: Callable[[str], None],
        player: Any | None = None,
        log: HandLog | None = None,
        hints: bool = False,
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
        self.log = log
        self.hints = hints
        self.result = SessionResult(0, 0, config.big_blind)
        self._open: int | None = None  # the number of the hand being played
        self._warned_off_tree = False

    def run(self, hands: int | None = None) -> SessionResult:
        """Play ``hands`` hands (None: until the human quits or the input ends)."""
        self.write(f"Heads-up against {self.player.describe()}")
        self._warn_stacks()
        self.write(HELP)
        try:
            while hands is None or self.result.hands < hands:
                self.play_hand(self.result.hands)
        except SessionEnd:
            self.write("")
        self.end()
        return self.result

    def end(self) -> None:
        """Close the session: say that a hand left unfinished does not count, then the result
        (`run` calls it; a caller that stops `run` by Ctrl-C calls it itself)."""
        if self._open is not None:
            self.write(
                f"Hand {self._open + 1} was not finished: it is left out of the totals and the log."
            )
            self._open = None
        self.write(self.result.summary())

    def _warn_stacks(self) -> None:
        """Say when the table's stacks, in big blinds, are not those the blueprint trained on."""
        spec = self.blueprint.tree.spec
        trained = spec.stack / spec.blinds[1]
        here = self.config.stacks[HUMAN] / self.config.big_blind
        if abs(trained - here) > 1e-9:
            self.write(
                f"Note: the blueprint trained with stacks of {trained:g} big blinds and this "
                f"table has {here:g}; it reads bets as fractions of the pot and plays on, but "
                "this is not the game it learnt."
            )

    def _warn_off_tree(self, state: HandState) -> None:
        """Say once per session when the human's actions have left the blueprint's tree."""
        if self._warned_off_tree or state.is_terminal or state.to_act is None:
            return
        spot = self.blueprint.spot(state)
        for record, mark in zip(state.history, spot.marks, strict=False):
            raised = record.action.kind is ActionKind.RAISE
            if record.seat == HUMAN and (mark & OFF_TREE or (mark & TRANSLATED and not raised)):
                why = f" ({spot.notes[-1]})" if spot.notes else ""
                self.write(
                    f"Note: your {action_text(record.action)} is not in the blueprint's tree"
                    f"{why}; from here it plays by translation, not by its training. "
                    "(Said once.)"
                )
                self._warned_off_tree = True
                return

    def play_hand(self, number: int) -> int:
        """Play one hand (the button on the human every other hand); the human's net chips."""
        c = self.config
        config = TableConfig(c.stacks, c.small_blind, c.big_blind, c.ante, number % 2)
        state = HandState.deal_random(config, self.rng)
        self._open = number
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
                self._warn_off_tree(state)
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
        if self.hints:
            self.write(self._hint(state))

    def _hint(self, state: HandState) -> str:
        """The blueprint's own probabilities for the human's hand at this decision."""
        choices = self.blueprint.action_probabilities(state)
        shown = ", ".join(
            f"{action_text(action, state)} {p:.0%}" for action, p in choices if p >= 0.005
        )
        spot = self.blueprint.spot(state)
        trained = any(line.on_tree for line in spot.lines)
        fallback = "" if trained else " (off its tree: a fallback, not a trained strategy)"
        return f"Hint: the blueprint here with your hand plays {shown}{fallback}"

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
                message = second_person(str(error))
                self.write(f"Not allowed: {message}. You may: {legal_text(state)}")
                continue
            return action

    def _finish(self, state: HandState) -> int:
        won = state.payoffs[HUMAN]
        if len(state.in_hand) > 1:
            board = state.board
            you, bot = state.hole_cards[HUMAN], state.hole_cards[BOT]
            self.write(
                f"Showdown on {format_cards(board)}: you {format_cards(you)} "
                f"({hand_name((*you, *board))}), blueprint {format_cards(bot)} "
                f"({hand_name((*bot, *board))})"
            )
        elif state.folded[HUMAN]:
            self.write("You fold.")
        else:
            self.write("The blueprint folds.")
        self.result.hands += 1
        self.result.chips += won
        self._open = None
        if self.log is not None:
            self.log.write(state, NAMES)
        verb = "win" if won > 0 else "lose" if won < 0 else "split, net"
        plural = "s" if self.result.hands != 1 else ""
        self.write(
            f"You {verb} {abs(won)} chips. Total after {self.result.hands} hand{plural}: "
            f"{self.result.chips:+d}"
        )
        return won
