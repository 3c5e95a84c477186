"""A finished hand in the text format of PokerStars' hand histories.

The format hand-history tools (trackers, replayers, PokerKit's `pokerkit.notation`
``HandHistory.from_pokerstars``) read, as PokerStars writes it for a play-money table::

    PokerStars Hand #1: Hold'em No Limit (50/100) - 2026/12/04 16:00:00 UTC
    Table 'holdem' 2-max Seat #1 is the button
    Seat 1: you (10000 in chips)
    Seat 2: blueprint (10000 in chips)
    you: posts small blind 50
    blueprint: posts big blind 100
    *** HOLE CARDS ***
    Dealt to blueprint [Qh Qc]
    Dealt to you [As Kd]
    you: raises 200 to 300
    blueprint: calls 200
    *** FLOP *** [2c 3d 4h]
    blueprint: bets 400
    you: folds
    Uncalled bet (400) returned to blueprint
    blueprint collected 600 from pot
    *** SUMMARY ***
    Total pot 600 | Rake 0
    Board [2c 3d 4h]
    Seat 1: you (button) (small blind) folded on the Flop
    Seat 2: blueprint (big blind) collected (600)

Chips are whole chips with no currency sign. Every seat's hole cards are written (``Dealt
to``), dealt from the seat left of the button as a dealer deals, since a log of our own games
knows them all; hands are named at the showdown by `holdem.cards.hand_names`. Hands are
separated by two empty lines, as PokerStars' files are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from holdem.cards.encoding import format_cards
from holdem.cards.hand_names import hand_name
from holdem.histories.steps import Step, antes_paid, blinds_posted, hand_steps
from holdem.rules.actions import ActionKind
from holdem.rules.state import BOARD_CARDS_SEEN, HandState, Street

_STREET_WORDS = {Street.FLOP: "Flop", Street.TURN: "Turn", Street.RIVER: "River"}


def _action_line(name: str, step: Step) -> str:
    kind = step.action.kind
    if kind is ActionKind.FOLD:
        return f"{name}: folds"
    if kind is ActionKind.CHECK:
        return f"{name}: checks"
    if kind is ActionKind.CALL:
        text = f"{name}: calls {step.paid}"
    elif step.raised_by == step.to:  # nothing was bet before it
        text = f"{name}: bets {step.to}"
    else:
        text = f"{name}: raises {step.raised_by} to {step.to}"
    return text + (" and is all-in" if step.all_in else "")


def _street_header(street: Street, board: Sequence[int]) -> str:
    seen = BOARD_CARDS_SEEN[street]
    if street is Street.FLOP:
        return f"*** FLOP *** [{format_cards(board[:3])}]"
    return (
        f"*** {street.name} *** [{format_cards(board[: seen - 1])}] "
        f"[{format_cards(board[seen - 1 : seen])}]"
    )


def _pot_names(count: int) -> list[str]:
    if count == 1:
        return ["pot"]
    return ["main pot"] + [f"side pot-{k}" for k in range(1, count)]


def pokerstars_hand(
    state: HandState,
    hand_id: int,
    names: Sequence[str],
    when: datetime,
    table: str = "holdem",
) -> str:
    """The finished hand ``state`` as PokerStars writes it; ``names[s]`` is seat ``s``'s
    player (no two alike), ``hand_id`` the number after ``Hand #``. Ends with a newline."""
    config = state.config
    n = state.n_seats
    if len(names) != n or len(set(names)) != n:
        raise ValueError(f"give one distinct name per seat, got {list(names)}")
    steps = hand_steps(state)
    lines = [
        f"PokerStars Hand #{hand_id}: Hold'em No Limit ({config.small_blind}/{config.big_blind})"
        f" - {when:%Y/%m/%d %H:%M:%S} UTC",
        f"Table '{table}' {n}-max Seat #{config.button + 1} is the button",
    ]
    lines += [f"Seat {s + 1}: {names[s]} ({config.stacks[s]} in chips)" for s in range(n)]
    for seat, ante in enumerate(antes_paid(state)):
        if ante:
            lines.append(f"{names[seat]}: posts the ante {ante}")
    (sb_seat, sb), (bb_seat, bb) = blinds_posted(state)
    lines.append(f"{names[sb_seat]}: posts small blind {sb}")
    lines.append(f"{names[bb_seat]}: posts big blind {bb}")
    lines.append("*** HOLE CARDS ***")
    order = config.seats_from_button()
    lines += [f"Dealt to {names[s]} [{format_cards(state.hole_cards[s])}]" for s in order]
    board = state.board
    street = Street.PREFLOP
    folded_on: dict[int, Street] = {}
    for step in steps:
        while street < step.street:
            street = Street(street + 1)
            lines.append(_street_header(street, board))
        lines.append(_action_line(names[step.seat], step))
        if step.action.kind is ActionKind.FOLD:
            folded_on[step.seat] = step.street
        if step.returned is not None:
            seat, chips = step.returned
            lines.append(f"Uncalled bet ({chips}) returned to {names[seat]}")
    showdown = len(state.in_hand) > 1
    while showdown and BOARD_CARDS_SEEN[street] < len(board):
        street = Street(street + 1)
        lines.append(_street_header(street, board))
    named = {s: hand_name((*state.hole_cards[s], *board)) for s in state.in_hand if showdown}
    if showdown:
        lines.append("*** SHOW DOWN ***")
        lines += [
            f"{names[s]}: shows [{format_cards(state.hole_cards[s])}] ({named[s]})"
            for s in order
            if s in named
        ]
    awards = state.awards
    won = [0] * n
    for award, pot_name in zip(awards, _pot_names(len(awards)), strict=True):
        for seat, share in zip(award.winners, award.shares, strict=True):
            won[seat] += share
            lines.append(f"{names[seat]} collected {share} from {pot_name}")
    lines.append("*** SUMMARY ***")
    total = sum(a.pot.amount for a in awards)
    if len(awards) > 1:
        side = " ".join(f"Side pot-{k} {a.pot.amount}." for k, a in enumerate(awards[1:], 1))
        lines.append(f"Total pot {total} Main pot {awards[0].pot.amount}. {side} | Rake 0")
    else:
        lines.append(f"Total pot {total} | Rake 0")
    if board:
        lines.append(f"Board [{format_cards(board)}]")
    for seat in range(n):
        tags = "".join(
            tag
            for tag, at in (
                (" (button)", config.button),
                (" (small blind)", sb_seat),
                (" (big blind)", bb_seat),
            )
            if seat == at
        )
        if seat in folded_on:
            where = folded_on[seat]
            outcome = (
                "folded before Flop"
                if where is Street.PREFLOP
                else f"folded on the {_STREET_WORDS[where]}"
            )
        elif seat in named:
            shown = f"showed [{format_cards(state.hole_cards[seat])}]"
            outcome = (
                f"{shown} and won ({won[seat]}) with {named[seat]}"
                if won[seat]
                else f"{shown} and lost with {named[seat]}"
            )
        else:
            outcome = f"collected ({won[seat]})"
        lines.append(f"Seat {seat + 1}: {names[seat]}{tags} {outcome}")
    return "\n".join(lines) + "\n"
