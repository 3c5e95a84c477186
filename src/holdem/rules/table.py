"""The table a hand is played at: seats, stacks, blinds, ante and the button.

Seats are numbered 0..n-1 clockwise. Positions follow the usual rules of a button game:

- three or more seats: the small blind is the first seat left of the button, the big blind
  the next one;
- heads-up (two seats): the button posts the small blind and the other seat the big blind.

Preflop, the first to act is the seat left of the big blind (heads-up: the button); on later
streets it is the first seat left of the button still in the hand (heads-up: the big blind).
Every seat posts the ante, if there is one, before the blinds; a seat that cannot cover its
ante or blind posts all it has and is all-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral

MIN_SEATS = 2
MAX_SEATS = 6


def _chips(name: str, value: object) -> int:
    """``value`` as an int, or a ValueError naming ``name`` when it is not a whole number."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number of chips, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class TableConfig:
    """Seats, starting stacks (chips, seat by seat), blinds, ante and button seat.

    Validated on construction: 2 to 6 seats, every stack positive, ``0 < small_blind <=
    big_blind``, ``ante >= 0``, the button a seat number. Stacks may differ and may be
    smaller than the blinds (that seat is all-in from its blind).
    """

    stacks: tuple[int, ...]
    small_blind: int
    big_blind: int
    ante: int = 0
    button: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.stacks, str | bytes) or not isinstance(self.stacks, Sequence):
            raise ValueError(f"stacks must be a sequence of chip counts, got {self.stacks!r}")
        stacks = tuple(_chips(f"stacks[{i}]", s) for i, s in enumerate(self.stacks))
        object.__setattr__(self, "stacks", stacks)
        if not MIN_SEATS <= len(stacks) <= MAX_SEATS:
            raise ValueError(
                f"a table has {MIN_SEATS} to {MAX_SEATS} seats, got {len(stacks)} stacks: {stacks}"
            )
        for seat, stack in enumerate(stacks):
            if stack <= 0:
                raise ValueError(f"stack of seat {seat} must be positive, got {stack}")
        for name in ("small_blind", "big_blind", "ante", "button"):
            object.__setattr__(self, name, _chips(name, getattr(self, name)))
        if self.small_blind <= 0:
            raise ValueError(f"small_blind must be positive, got {self.small_blind}")
        if self.big_blind < self.small_blind:
            raise ValueError(
                f"big_blind must be at least the small blind {self.small_blind}, "
                f"got {self.big_blind}"
            )
        if self.ante < 0:
            raise ValueError(f"ante must be 0 or more, got {self.ante}")
        if not 0 <= self.button < len(stacks):
            raise ValueError(f"button must be a seat 0..{len(stacks) - 1}, got {self.button}")

    @property
    def n_seats(self) -> int:
        """Number of seats (2..6)."""
        return len(self.stacks)

    def seat_after(self, seat: int, steps: int = 1) -> int:
        """The seat ``steps`` places clockwise (to the left) of ``seat``."""
        return (seat + steps) % self.n_seats

    @property
    def small_blind_seat(self) -> int:
        """The seat posting the small blind (the button itself when heads-up)."""
        return self.button if self.n_seats == 2 else self.seat_after(self.button)

    @property
    def big_blind_seat(self) -> int:
        """The seat posting the big blind."""
        return self.seat_after(self.small_blind_seat)

    def seats_from_button(self) -> tuple[int, ...]:
        """All seats clockwise starting left of the button, ending with the button.

        This is the order of postflop action and of odd chips at showdown.
        """
        return tuple(self.seat_after(self.button, k) for k in range(1, self.n_seats + 1))
