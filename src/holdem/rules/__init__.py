"""The exact rules of no-limit Texas Hold'em for 2 to 6 seats: the truth that play, evaluation
and search use.

``TableConfig`` (seats, stacks, blinds, ante, button) and a ``Deal`` (cards) start a
``HandState``; ``legal_actions()`` says what the seat to act may do and ``apply(Action...)``
plays it; at the end ``payoffs`` gives each seat's net chips.
"""

from holdem.rules.actions import Action, ActionKind, IllegalActionError, LegalActions
from holdem.rules.dealing import Deal
from holdem.rules.pots import Pot, build_pots, split_pot
from holdem.rules.showdown import PotAward, award_pots, hand_rank
from holdem.rules.state import ActionRecord, HandState, Street
from holdem.rules.table import TableConfig

__all__ = [
    "Action",
    "ActionKind",
    "ActionRecord",
    "Deal",
    "HandState",
    "IllegalActionError",
    "LegalActions",
    "Pot",
    "PotAward",
    "Street",
    "TableConfig",
    "award_pots",
    "build_pots",
    "hand_rank",
    "split_pot",
]
