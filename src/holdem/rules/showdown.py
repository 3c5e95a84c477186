"""Showdown: rank each live hand with our evaluator and award every pot to its best hands.

Hand strength is :func:`holdem.cards.evaluator.evaluate7` (1..7462, higher is better) of the
two hole cards and the five board cards. Each pot goes to the eligible seats with the highest
rank, split by :func:`holdem.rules.pots.split_pot` (odd chips to the first winner clockwise
from the button).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from holdem.cards.evaluator import evaluate7
from holdem.rules.pots import Pot, split_pot


@dataclass(frozen=True)
class PotAward:
    """Who won a pot and how many chips each winner took (``shares`` in seat order)."""

    pot: Pot
    winners: tuple[int, ...]
    shares: tuple[int, ...]


def hand_rank(hole: Sequence[int], board: Sequence[int]) -> int:
    """Rank 1..7462 (higher is better) of two hole cards with a five-card board."""
    if len(hole) != 2 or len(board) != 5:
        raise ValueError(
            f"a showdown hand is 2 hole cards and 5 board cards, got {len(hole)} and {len(board)}"
        )
    return int(evaluate7(hole[0], hole[1], board[0], board[1], board[2], board[3], board[4]))


def award_pots(pots: Sequence[Pot], ranks: dict[int, int], order: Sequence[int]) -> list[PotAward]:
    """Award each pot to its eligible seats of best rank.

    ``ranks`` maps every seat that may win a pot to its hand rank (a pot with a single
    eligible seat needs no rank), and ``order`` is the seats clockwise from the button
    (first left of the button first), which decides who takes odd chips.
    """
    position = {seat: k for k, seat in enumerate(order)}
    awards = []
    for pot in pots:
        if len(pot.eligible) == 1:
            winners: tuple[int, ...] = pot.eligible
        else:
            missing = [s for s in pot.eligible if s not in ranks]
            if missing:
                raise ValueError(f"no hand rank for eligible seats {missing} of pot {pot}")
            best = max(ranks[s] for s in pot.eligible)
            winners = tuple(
                sorted((s for s in pot.eligible if ranks[s] == best), key=position.__getitem__)
            )
        shares = split_pot(pot.amount, winners)
        awards.append(
            PotAward(pot, tuple(sorted(winners)), tuple(shares[s] for s in sorted(winners)))
        )
    return awards
