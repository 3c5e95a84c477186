"""Player actions, the set of legal actions at a decision, and the error for an illegal one.

An action is one of fold, check, call, or bet/raise *to* a total amount. "To" means the
seat's whole bet in the current betting round after the action, the way a dealer says it
("raise to 300"), not the increment. A bet is a raise from a current bet of zero, so one
kind covers both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from numbers import Integral


class IllegalActionError(ValueError):
    """An action that the rules do not allow in the current state; the message says why."""


class ActionKind(Enum):
    """What a player does when it is their turn."""

    FOLD = "fold"
    CHECK = "check"
    CALL = "call"
    RAISE = "raise"


@dataclass(frozen=True)
class Action:
    """One player action: ``kind`` and, for a bet or raise, the ``amount`` to raise to.

    Build actions with :meth:`fold`, :meth:`check`, :meth:`call` and :meth:`raise_to`.
    ``amount`` is the seat's total bet in this betting round after a bet or raise, and is
    0 for the other kinds. A call needs no amount: it is whatever the seat owes, capped at
    its stack (a call for less is an all-in call).
    """

    kind: ActionKind
    amount: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.kind, ActionKind):
            raise ValueError(f"action kind must be an ActionKind, got {self.kind!r}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(
                f"action amount must be an integer number of chips, got {self.amount!r}"
            )
        if self.kind is ActionKind.RAISE and self.amount <= 0:
            raise ValueError(f"a bet or raise must be to a positive amount, got {self.amount}")
        if self.kind is not ActionKind.RAISE and self.amount != 0:
            raise ValueError(
                f"only a bet or raise carries an amount; {self.kind.value} got {self.amount}"
            )

    @classmethod
    def fold(cls) -> Action:
        """Give up the hand."""
        return cls(ActionKind.FOLD)

    @classmethod
    def check(cls) -> Action:
        """Pass when there is nothing to call."""
        return cls(ActionKind.CHECK)

    @classmethod
    def call(cls) -> Action:
        """Match the largest bet of the round, or put in the whole stack if it is smaller."""
        return cls(ActionKind.CALL)

    @classmethod
    def raise_to(cls, amount: int) -> Action:
        """Bet or raise so that this seat's bet in the round totals ``amount`` chips."""
        if isinstance(amount, Integral) and not isinstance(amount, bool):
            amount = int(amount)
        return cls(ActionKind.RAISE, amount)

    def __str__(self) -> str:
        if self.kind is ActionKind.RAISE:
            return f"raise to {self.amount}"
        return self.kind.value


@dataclass(frozen=True)
class LegalActions:
    """What the seat to act may do.

    ``call_amount`` is the chips a call puts in (0 when there is nothing to call, in which
    case ``can_check`` is true and calling is not offered). ``min_raise_to`` and
    ``max_raise_to`` bound a bet or raise (totals for the round, both inclusive), or are
    None when the seat may not bet or raise. Every whole amount in between is legal.
    ``min_raise_to`` equals ``max_raise_to`` when the seat can only go all-in.
    """

    seat: int
    can_fold: bool
    can_check: bool
    call_amount: int
    min_raise_to: int | None
    max_raise_to: int | None

    @property
    def can_call(self) -> bool:
        """True when there is a bet to call (possibly all-in for less)."""
        return self.call_amount > 0

    @property
    def can_raise(self) -> bool:
        """True when a bet or raise is allowed."""
        return self.min_raise_to is not None

    def kinds(self) -> tuple[ActionKind, ...]:
        """The kinds of action allowed, in the order fold, check, call, raise."""
        allowed = (
            (ActionKind.FOLD, self.can_fold),
            (ActionKind.CHECK, self.can_check),
            (ActionKind.CALL, self.can_call),
            (ActionKind.RAISE, self.can_raise),
        )
        return tuple(kind for kind, ok in allowed if ok)

    def __contains__(self, action: object) -> bool:
        if not isinstance(action, Action):
            return False
        if action.kind is ActionKind.RAISE:
            return (
                self.min_raise_to is not None
                and self.max_raise_to is not None
                and self.min_raise_to <= action.amount <= self.max_raise_to
            )
        return action.kind in self.kinds()

    def __str__(self) -> str:
        parts = []
        if self.can_fold:
            parts.append("fold")
        if self.can_check:
            parts.append("check")
        if self.can_call:
            parts.append(f"call {self.call_amount}")
        if self.can_raise:
            parts.append(f"raise to {self.min_raise_to}..{self.max_raise_to}")
        return f"seat {self.seat}: " + ", ".join(parts)
