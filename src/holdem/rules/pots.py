"""Main and side pots from what each seat put in, and how a pot is split among winners.

A pot boundary lies at each distinct amount put in by a seat still in the hand (an all-in for
less than the others starts a side pot above it). Chips of folded seats fill the levels
they reach but make no boundary: a dealer does not start a side pot because someone folded.
So the pots are strictly nested: each side pot's eligible seats are a proper subset of the
previous pot's, and every pot is contested by the seats that matched its level.

Odd chips follow the Poker TDA rule (Rules, "Odd chips"): when a pot does not divide evenly
among tied winners, the odd chips all go to the first winner clockwise from the button. Each
pot is split on its own (TDA: side pots are not mixed before they are split).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Pot:
    """A main or side pot: its ``amount`` in chips and the seats ``eligible`` to win it."""

    amount: int
    eligible: tuple[int, ...]


def build_pots(contributions: Sequence[int], live: Sequence[bool]) -> list[Pot]:
    """The main pot then the side pots, from each seat's chips in and who is still in.

    ``contributions[s]`` is everything seat ``s`` has put in (antes, blinds, bets) and
    ``live[s]`` is whether it has not folded. Pots of zero chips are left out; with no live
    seat (not a reachable state) all chips form one pot with no eligible seat.
    """
    if len(contributions) != len(live):
        raise ValueError(
            f"contributions and live must have one entry per seat, got {len(contributions)} "
            f"and {len(live)}"
        )
    levels = sorted({c for c, is_live in zip(contributions, live, strict=True) if is_live})
    pots: list[Pot] = []
    floor = 0
    for k, level in enumerate(levels):
        is_top = k == len(levels) - 1
        # The top pot also takes any chips above the highest live level, which can only be
        # folded chips that were never returned; normally there are none.
        amount = sum(max(0, (c if is_top else min(c, level)) - floor) for c in contributions)
        eligible = tuple(s for s, c in enumerate(contributions) if live[s] and c >= level)
        if amount:
            pots.append(Pot(amount, eligible))
        floor = level
    total = sum(int(c) for c in contributions)
    if not levels and total:
        pots.append(Pot(total, ()))
    return pots


def split_pot(amount: int, winners_in_order: Sequence[int]) -> dict[int, int]:
    """Shares of a pot split equally among ``winners_in_order``, odd chips to the first.

    ``winners_in_order`` lists the tied winners clockwise from the button, so the first
    one is the first winner left of the button and takes every odd chip (TDA).
    """
    if not winners_in_order:
        raise ValueError(f"a pot of {amount} chips needs at least one winner")
    share, odd = divmod(amount, len(winners_in_order))
    shares = dict.fromkeys(winners_in_order, share)
    shares[winners_in_order[0]] += odd
    return shares
