"""Agents that play real hands, and the simple baselines a blueprint is measured against.

An agent is anything with a ``name`` and ``act(state, seat, rng) -> Action``: given a
`holdem.rules.HandState` where ``seat`` is to act, it returns a legal action. Agents hold no
memory of earlier hands and draw every random choice from the ``rng`` they are handed, so a
match that hands them seeded generators is reproducible, and two agents (or one agent in two
seats) given the same generator state make the same choices.

Baselines, by the name the command line knows them by:

- ``random``: a legal kind of action uniformly (fold, check, call, raise, whichever are
  allowed), then, for a raise, a whole amount uniformly between the minimum and all-in. A floor
  that any strategy should beat by a wide margin.
- ``call``: checks when it can, else calls; never folds or raises (a "calling station").
- ``raise-pot``: raises the size of the pot (to the largest bet plus the pot after calling),
  clamped to the legal range; calls (or checks) when no raise is allowed. The maniac.
- ``fold``: checks when it can, else folds. It loses exactly the blinds and antes it posts
  against any opponent that bets, which gives the matches a result known in closed form.
- ``tag``: a tight-aggressive rule bot (`holdem.eval.rule_bot.TightAggressiveAgent`).

All of them except ``random`` are deterministic: they never touch ``rng``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from holdem.rules.actions import Action, ActionKind, LegalActions
from holdem.rules.state import HandState


@runtime_checkable
class Agent(Protocol):
    """A player: ``act`` returns a legal action for ``seat``, the seat to act in ``state``.

    ``rng`` is the only source of randomness an agent may use; ``state`` must not be changed
    (clone it to look ahead).
    """

    @property
    def name(self) -> str:
        """A short label for tables and result files (``random``, a blueprint's path)."""
        ...

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        """The action of ``seat`` in ``state``."""
        ...


def check_or_call(legal: LegalActions) -> Action:
    """Check when there is nothing to call, else call."""
    return Action.check() if legal.can_check else Action.call()


def clamp_raise(legal: LegalActions, target: int) -> Action:
    """A raise to ``target`` moved into the legal range, or check/call when raising is not legal."""
    if legal.min_raise_to is None or legal.max_raise_to is None:
        return check_or_call(legal)
    return Action.raise_to(max(legal.min_raise_to, min(int(target), legal.max_raise_to)))


def pot_raise_to(state: HandState, seat: int) -> int:
    """The total a pot-sized raise goes to: the largest bet plus the pot after calling it.

    The pot counts every chip put in so far, this round's bets included (``total_pot``).
    Preflop heads-up at 50/100 the small blind's pot raise is to 300.
    """
    to_call = state.max_bet - state.bets[seat]
    return state.max_bet + state.total_pot + to_call


@dataclass(frozen=True)
class RandomAgent:
    """Uniform over the legal kinds of action; a raise's amount uniform over the legal range."""

    name: str = "random"

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        legal = state.legal_actions()
        kinds = legal.kinds()
        kind = kinds[int(rng.integers(len(kinds)))]
        if kind is ActionKind.RAISE:
            assert legal.min_raise_to is not None and legal.max_raise_to is not None
            return Action.raise_to(int(rng.integers(legal.min_raise_to, legal.max_raise_to + 1)))
        return Action(kind)


@dataclass(frozen=True)
class CallAgent:
    """Always checks or calls: never folds, never raises."""

    name: str = "call"

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        return check_or_call(state.legal_actions())


@dataclass(frozen=True)
class RaisePotAgent:
    """Always raises the pot (clamped to the legal range); calls or checks when it may not raise."""

    name: str = "raise-pot"

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        return clamp_raise(state.legal_actions(), pot_raise_to(state, seat))


@dataclass(frozen=True)
class FoldAgent:
    """Checks when it can, folds to any bet: loses exactly its blinds and antes to a bettor."""

    name: str = "fold"

    def act(self, state: HandState, seat: int, rng: np.random.Generator) -> Action:
        legal = state.legal_actions()
        return Action.check() if legal.can_check else Action.fold()
