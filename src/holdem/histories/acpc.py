"""A finished hand as a line of the ACPC dealer's log (the Annual Computer Poker Competition).

The ACPC protocol (http://www.computerpokercompetition.org, "ACPC Protocol", version 2.0)
writes a played hand as ``STATE:<hand>:<betting>:<cards>:<results>:<players>``, the line its
dealer logs and PokerKit's `pokerkit.notation` ``HandHistory.from_acpc_protocol`` reads::

    STATE:0:r300c/cr700f:QhQc|AsKd/2c3d4h:400|-400:blueprint|you

Everything is listed by *position*: position 0 is the first seat left of the button (heads-up
the big blind), the button last. ``<betting>``: per betting round ``f`` (fold), ``c`` (check
or call) and ``r<chips>`` (bet or raise), rounds separated by ``/``; the chips of a raise are
the raiser's whole total in the pot for the hand after it, not the round's bet. ``<cards>``:
the hole cards of every position separated by ``|``, then ``/`` and the board cards of each
street reached. ``<results>``: each position's net chips. ``<players>``: the names.

The format has no antes, so a table with an ante cannot be written in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from holdem.cards.encoding import format_cards
from holdem.histories.steps import hand_steps
from holdem.rules.actions import ActionKind
from holdem.rules.state import BOARD_CARDS_SEEN, HandState, Street

_FORBIDDEN = set(":|\n")


def check_acpc_table(ante: int) -> None:
    """ValueError when a table cannot be written in the ACPC format (it has no antes)."""
    if ante:
        raise ValueError(
            f"the ACPC format has no antes and this table has an ante of {ante}: use "
            "--log-format pokerstars, or drop the ante"
        )


def acpc_hand(state: HandState, hand_number: int, names: Sequence[str]) -> str:
    """The finished hand ``state`` as an ACPC ``STATE`` line (with its newline); ``names[s]``
    is seat ``s``'s player."""
    check_acpc_table(state.config.ante)
    if len(names) != state.n_seats or any(set(name) & _FORBIDDEN for name in names):
        raise ValueError(f"give one name per seat without ':' or '|', got {list(names)}")
    betting: list[str] = []
    street = Street.PREFLOP
    for step in hand_steps(state):
        if step.street > street:
            betting.append("/" * (step.street - street))
            street = step.street
        kind = step.action.kind
        betting.append(
            "f"
            if kind is ActionKind.FOLD
            else "c"
            if kind is not ActionKind.RAISE
            else f"r{step.hand_total}"
        )
    order = state.config.seats_from_button()
    board = state.board
    streets = [
        board[BOARD_CARDS_SEEN[Street(s - 1)] : BOARD_CARDS_SEEN[Street(s)]]
        for s in range(1, 4)
        if len(board) >= BOARD_CARDS_SEEN[Street(s)]
    ]
    cards = "|".join(format_cards(state.hole_cards[s], "") for s in order)
    cards += "".join("/" + format_cards(street_cards, "") for street_cards in streets)
    results = "|".join(str(state.payoffs[s]) for s in order)
    players = "|".join(names[s] for s in order)
    return f"STATE:{hand_number}:{''.join(betting)}:{cards}:{results}:{players}\n"
