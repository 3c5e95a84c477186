"""Real situations written as text: positions, a betting history, hole cards and a board.

The history syntax of ``holdem strategy --history`` and ``holdem chart --facing`` lists the
real actions in the order they were taken, separated by spaces (or commas); ``/`` may separate
the streets (it is checked: the round must be over there):

==============  ==========================================================================
``f``           fold
``x``           check (``k`` too)
``c``           call, or check when there is nothing to call
``r300``        bet or raise *to* 300 chips: the seat's whole bet in this round, as a
                dealer says it (``b300`` is the same); ``r2.5bb`` is in big blinds
``a``           all-in (``allin`` too); a call when the stack only covers a call
``BTN:r250``    a position before an action: every seat to act before it folds first
==============  ==========================================================================

So ``r300 c / x r200`` is: first to act raises to 300, the next calls; on the flop a check
and a bet of 200. Heads-up the small blind (``SB``, also ``BTN``) acts first preflop and
the big blind (``BB``) first after; with more seats the positions, from the small blind on,
are ``SB BB UTG HJ CO BTN`` (the last ones of that list as many as there are seats: 3 seats
are ``SB BB BTN``).

A `Situation` is a table, the actions taken (with their seats) and the board so far, and the
seat to act after them (the hero); `Situation.state` deals it with the hero's hole cards (every
other seat gets spare cards: betting never depends on them). Every mistake is a one-line
ValueError that quotes the history and says what to change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from holdem.cards.encoding import N_CARDS, format_cards, parse_cards
from holdem.rules.actions import Action, ActionKind, IllegalActionError
from holdem.rules.state import BOARD_CARDS_SEEN, HandState, Street
from holdem.rules.table import TableConfig

POSITIONS = ("SB", "BB", "UTG", "HJ", "CO", "BTN")
_TOKEN = re.compile(
    r"^(?:(?P<position>[a-z]+):)?"
    r"(?P<action>f|x|k|c|a|allin|(?P<kind>[br])(?P<amount>\d+(?:\.\d+)?)(?P<bb>bb)?)$",
    re.IGNORECASE,
)
SYNTAX = "f, x, c, r<chips>, b<chips>, r<n>bb, a, with an optional POSITION: before"


def position_names(n_seats: int) -> tuple[str, ...]:
    """The names of the seats of a table of ``n_seats``, from the small blind on."""
    if not 2 <= n_seats <= 6:
        raise ValueError(f"a table has 2 to 6 seats, got {n_seats}")
    if n_seats == 2:
        return ("SB", "BB")
    return (*POSITIONS[:2], *POSITIONS[2 + 6 - n_seats :])


def position_of(config: TableConfig, seat: int) -> str:
    """The position name of a real seat (``BB``, ``BTN``...)."""
    names = position_names(config.n_seats)
    return names[(seat - config.small_blind_seat) % config.n_seats]


def seat_of(config: TableConfig, name: str) -> int:
    """The real seat of a position name (case does not matter; heads-up ``BTN`` is ``SB``)."""
    names = position_names(config.n_seats)
    wanted = name.strip().upper()
    if config.n_seats == 2 and wanted == "BTN":
        wanted = "SB"
    if wanted not in names:
        raise ValueError(
            f"position {name!r} is not at a table of {config.n_seats}: use one of "
            f"{', '.join(names)}" + (" (BTN is SB)" if config.n_seats == 2 else "")
        )
    return (names.index(wanted) + config.small_blind_seat) % config.n_seats


def parse_hand(text: str) -> tuple[int, int]:
    """Two hole cards from text such as ``AsKd``; ValueError saying what is wrong."""
    try:
        cards = parse_cards(text)
    except ValueError as error:
        raise ValueError(f"hand {text!r}: {error}") from None
    if len(cards) != 2:
        raise ValueError(f"hand {text!r}: give exactly two cards, like AsKd")
    return cards[0], cards[1]


def parse_board(text: str) -> tuple[int, ...]:
    """Board cards from text (``Qh Jh 2c``): 0, 3, 4 or 5 of them."""
    try:
        cards = parse_cards(text)
    except ValueError as error:
        raise ValueError(f"board {text!r}: {error}") from None
    if len(cards) not in (0, 3, 4, 5):
        raise ValueError(f"board {text!r}: a board has 3, 4 or 5 cards, got {len(cards)}")
    return tuple(cards)


def action_text(action: Action, state: HandState | None = None) -> str:
    """An action in words: ``fold``, ``check``, ``call 200``, ``raise to 600``, ``all-in 10000``.

    With ``state`` (before the action) calls say how much and an all-in says so.
    """
    if action.kind is ActionKind.CALL and state is not None and state.to_act is not None:
        return f"call {state.legal_actions().call_amount}"
    if action.kind is ActionKind.RAISE:
        if state is not None and state.to_act is not None:
            seat = state.to_act
            all_in = action.amount == state.stacks[seat] + state.bets[seat]
            return raise_text(action.amount, state.max_bet, all_in)
        return f"raise to {action.amount}"
    return action.kind.value


def raise_text(amount: int, max_bet: int, all_in: bool = False) -> str:
    """A bet or raise to ``amount`` chips in this round, in words: ``all-in 10000``, ``bet 200``
    when nothing was bet in the round (``max_bet`` 0), ``raise to 600`` otherwise."""
    if all_in:
        return f"all-in {amount}"
    return f"{'bet' if max_bet == 0 else 'raise to'} {amount}"


def history_text(state: HandState) -> str:
    """The state's actions in the history syntax (``r300 c / x r200``), positions omitted."""
    parts: list[str] = []
    street = Street.PREFLOP
    for record in state.history:
        while record.street > street:
            parts.append("/")
            street = Street(street + 1)
        action = record.action
        letter = {ActionKind.FOLD: "f", ActionKind.CHECK: "x", ActionKind.CALL: "c"}
        parts.append(letter.get(action.kind, f"r{action.amount}"))
    return " ".join(parts)


def _spare_cards(used: set[int], count: int) -> list[int]:
    spare = [c for c in range(N_CARDS - 1, -1, -1) if c not in used]
    return spare[:count]


def _holes(n_seats: int, hero: int | None, hand: Sequence[int], board: Sequence[int]) -> list:
    used = set(board) | (set(hand) if hero is not None else set())
    spare = iter(_spare_cards(used, 2 * n_seats))
    holes = []
    for seat in range(n_seats):
        if seat == hero:
            holes.append((int(hand[0]), int(hand[1])))
        else:
            holes.append((next(spare), next(spare)))
    return holes


@dataclass(frozen=True)
class Situation:
    """A table, the actions taken so far (seat, action), the board and the seat to act."""

    config: TableConfig
    actions: tuple[tuple[int, Action], ...]
    board: tuple[int, ...]
    hero: int

    @property
    def position(self) -> str:
        """The hero's position name."""
        return position_of(self.config, self.hero)

    def state(self, hand: Sequence[int]) -> HandState:
        """The hand with the hero holding ``hand`` (other seats get spare cards)."""
        if len(hand) != 2 or len(set(hand)) != 2:
            raise ValueError(f"a hand is two different cards, got {list(hand)}")
        clash = set(hand) & set(self.board)
        if clash:
            raise ValueError(
                f"card {format_cards(sorted(clash))} is both in the hand and on the board"
            )
        state = HandState.new(
            self.config, _holes(self.config.n_seats, self.hero, hand, self.board), self.board
        )
        for seat, action in self.actions:
            state.apply(action, seat)
        return state


def _token_action(token: str, match: re.Match[str], state: HandState) -> Action:
    legal = state.legal_actions()
    word = match.group("action").lower()
    if word == "f":
        return Action.fold()
    if word in ("x", "k"):
        return Action.check()
    if word == "c":
        return Action.call() if legal.can_call else Action.check()
    if word in ("a", "allin"):
        if legal.max_raise_to is not None:
            return Action.raise_to(legal.max_raise_to)
        return Action.call() if legal.can_call else Action.check()
    amount = float(match.group("amount"))
    if match.group("bb"):
        amount *= state.config.big_blind
    if amount != int(amount):
        raise ValueError(f"{token!r}: chips are whole numbers, got {amount:g}")
    return Action.raise_to(int(amount))


def parse_situation(
    config: TableConfig,
    history: str = "",
    board: Sequence[int] = (),
    position: str | None = None,
) -> Situation:
    """The situation after ``history`` (see the module docstring) on ``board``.

    With ``position``, seats to act before it fold after the history, until that position is
    to act (its round must still be open). Raises a one-line ValueError that quotes the
    history for an unknown token, an illegal action, a ``/`` before the round is over, a
    board too short for the street reached or longer than it, or a hand with nobody to act.
    """
    board = tuple(int(c) for c in board)
    where = f"history {history!r}"
    state = HandState.new(config, _holes(config.n_seats, None, (), board), board)
    actions: list[tuple[int, Action]] = []
    slashes = 0
    previous = "the start"

    def play(action: Action, token: str) -> None:
        seat = state.to_act
        if seat is None:
            raise ValueError(f"{where}: {_nobody(state, board)} before {token!r}")
        try:
            state.apply(action, seat)
        except IllegalActionError as error:
            name = position_of(config, seat)
            raise ValueError(f"{where}: {token!r} is illegal for {name}: {error}") from None
        actions.append((seat, action))

    def fold_until(seat: int, token: str) -> None:
        while state.to_act is not None and state.to_act != seat:
            if state.folded[seat]:
                break
            play(Action.fold(), f"{token} (folding {position_of(config, state.to_act)})")
        if state.to_act != seat:
            name = position_of(config, seat)
            if state.folded[seat]:
                why = f"{name} has folded"
            elif state.is_terminal:
                why = f"the hand is over before {name} acts: write what the seats before it did"
            else:
                why = _nobody(state, board)
            raise ValueError(f"{where}: {name} is not to act at {token}: {why}")

    for token in history.replace(",", " ").replace("/", " / ").split():
        if token == "/":
            slashes += 1
            if int(state.street) < slashes and not state.is_terminal and not state.awaiting_cards:
                street = Street(slashes - 1).name.lower()
                raise ValueError(
                    f"{where}: '/' after {previous}: the {street} is not over "
                    f"({position_of(config, state.to_act or 0)} is to act)"
                )
            continue
        match = _TOKEN.match(token)
        if match is None:
            raise ValueError(f"{where}: {token!r} is not an action: use {SYNTAX}")
        if match.group("position"):
            fold_until(seat_of(config, match.group("position")), repr(token))
        if state.to_act is None:
            raise ValueError(f"{where}: {_nobody(state, board)} at {token!r}")
        play(_token_action(token, match, state), token)
        previous = repr(token)
    if position is not None:
        fold_until(seat_of(config, position), "its end")
    if state.to_act is None:
        raise ValueError(f"{where}: {_nobody(state, board)} after it")
    shown = BOARD_CARDS_SEEN[state.street]
    if len(board) > shown:
        raise ValueError(
            f"{where} ends on the {state.street.name.lower()}, which shows {shown} board cards, "
            f"but the board has {len(board)}: remove cards or add the actions that reach the "
            "next street"
        )
    return Situation(config, tuple(actions), board, state.to_act)


def _nobody(state: HandState, board: Sequence[int]) -> str:
    if state.is_terminal:
        return "the hand is over"
    if state.awaiting_cards:
        street = Street(state.street).name.lower()
        need = BOARD_CARDS_SEEN[state.street]
        return f"the history reaches the {street}: give a board of at least {need} cards"
    return "nobody is to act"
