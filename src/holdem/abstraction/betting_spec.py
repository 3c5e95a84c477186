"""What a betting abstraction says: who posts what, and which bets are allowed on each street.

A `BettingSpec` is a plain frozen value, validated when it is built, that `compile_tree` (in
`holdem.abstraction.betting_tree`) turns into flat arrays. It covers both kinds of betting the
solver meets:

- limit betting: each bet or raise adds a fixed number of chips (`BetSize.chips`), with a cap on
  the number of bets and raises per street (Kuhn, Leduc, limit Hold'em);
- no-limit betting: each raise adds a fraction of the pot (`BetSize.pot`), with an optional
  all-in action (no-limit Hold'em abstractions).

Chips are integers. All players start with the same stack, so the tree needs no side pots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SizeKind = Literal["chips", "pot"]


@dataclass(frozen=True)
class BetSize:
    """One bet or raise size.

    ``kind == "chips"``: the raise adds exactly ``amount`` chips over the bet being faced (limit).
    ``kind == "pot"``: the raise adds ``amount`` times the pot as it would be after calling.
    """

    kind: SizeKind
    amount: float

    def __post_init__(self) -> None:
        if self.kind not in ("chips", "pot"):
            raise ValueError(f"bet size kind must be 'chips' or 'pot', got {self.kind!r}")
        if not self.amount > 0:
            raise ValueError(f"bet size amount must be positive, got {self.amount!r}")
        if self.kind == "chips" and float(self.amount) != int(self.amount):
            raise ValueError(f"a 'chips' bet size must be a whole number, got {self.amount!r}")

    @classmethod
    def fixed(cls, chips: int) -> BetSize:
        """A limit bet or raise of ``chips`` chips."""
        return cls("chips", chips)

    @classmethod
    def pot_fraction(cls, fraction: float) -> BetSize:
        """A bet or raise of ``fraction`` of the pot after calling."""
        return cls("pot", fraction)


@dataclass(frozen=True)
class StreetBetting:
    """The betting allowed on one street (betting round).

    ``sizes[k]`` lists the sizes offered for the (k+1)-th bet or raise of the street; deeper raises
    reuse the last entry. ``max_raises`` caps bets plus raises on the street (0 means only checks,
    calls and folds). ``all_in`` adds an all-in action wherever a raise is allowed.
    ``first_player`` is the seat that acts first on this street (the next seat still in the hand
    when that one has folded or is all-in). ``limp = False`` (first street of a game with blinds
    only) removes the call of a seat that has put in less than the big blind while nobody has
    bet or raised on the street: it may fold or raise, the big blind may still check. Push/fold
    games (fold or all-in from the small blind) need it.
    """

    sizes: tuple[tuple[BetSize, ...], ...]
    max_raises: int
    all_in: bool = False
    first_player: int = 0
    limp: bool = True

    def __post_init__(self) -> None:
        if self.max_raises < 0:
            raise ValueError(f"max_raises must be 0 or more, got {self.max_raises!r}")
        if self.max_raises > 0 and not self.sizes and not self.all_in:
            raise ValueError(
                f"max_raises is {self.max_raises} but no bet sizes are given and all_in is off: "
                "give sizes or set max_raises to 0"
            )
        for depth, options in enumerate(self.sizes):
            if not options:
                raise ValueError(f"bet sizes at raise depth {depth} are empty: give one or more")
            for size in options:
                if not isinstance(size, BetSize):
                    raise ValueError(
                        f"bet sizes must be BetSize values, got {size!r} at raise depth {depth}"
                    )
        if self.first_player < 0:
            raise ValueError(f"first_player must be a seat number, got {self.first_player!r}")
        if not self.limp and self.max_raises == 0:
            raise ValueError(
                "limp is off but max_raises is 0, so a seat facing the big blind could only fold: "
                "allow a raise or turn limp on"
            )

    def sizes_at(self, depth: int) -> tuple[BetSize, ...]:
        """The sizes offered for a raise when ``depth`` bets or raises were already made."""
        if not self.sizes:
            return ()
        return self.sizes[min(depth, len(self.sizes) - 1)]


@dataclass(frozen=True)
class BettingSpec:
    """A game's betting: players, equal starting stacks, forced bets and per-street betting.

    Seats are 0..n_players-1. ``ante`` is posted by every seat; ``blinds[i]`` (if given) by seat
    i. Antes are dead money; blinds count as bets on the first street. In no-limit streets the
    smallest raise is the larger of the big blind (largest blind, or 1 chip) and the previous
    raise on the street.
    """

    n_players: int
    stack: int
    streets: tuple[StreetBetting, ...]
    ante: int = 0
    blinds: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not 2 <= self.n_players <= 31:
            raise ValueError(f"n_players must be between 2 and 31, got {self.n_players!r}")
        if not self.streets:
            raise ValueError("a betting spec needs at least one street")
        if self.ante < 0:
            raise ValueError(f"ante must be 0 or more chips, got {self.ante!r}")
        if self.blinds and len(self.blinds) != self.n_players:
            raise ValueError(
                f"blinds must give one amount per seat ({self.n_players}), got {self.blinds!r}"
            )
        if any(b < 0 for b in self.blinds):
            raise ValueError(f"blinds must be 0 or more chips, got {self.blinds!r}")
        if self.ante == 0 and not any(self.blinds):
            raise ValueError("a game needs an ante or a blind, otherwise there is nothing to win")
        if self.stack <= self.ante + max(self.blinds, default=0):
            raise ValueError(
                f"stack {self.stack} must exceed the forced bets "
                f"(ante {self.ante} + largest blind {max(self.blinds, default=0)})"
            )
        for number, street in enumerate(self.streets):
            if not street.limp and (number > 0 or not any(self.blinds)):
                raise ValueError(
                    f"street {number}: limp is off, which only applies to the first street of a "
                    "game with blinds: turn it on"
                )
            if street.first_player >= self.n_players:
                raise ValueError(
                    f"street {number}: first_player {street.first_player} is not a seat of a "
                    f"{self.n_players}-player game"
                )

    @property
    def n_streets(self) -> int:
        return len(self.streets)

    def forced_bet(self, seat: int) -> int:
        """Chips seat ``seat`` has in the pot before anyone acts (ante plus blind)."""
        return self.ante + (self.blinds[seat] if self.blinds else 0)

    @property
    def big_blind(self) -> int:
        """Smallest no-limit raise increment: the largest blind, or 1 chip without blinds."""
        return max(max(self.blinds, default=0), 1)
