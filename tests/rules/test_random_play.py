"""Invariants of random play with our engine alone: chips conserved, payoffs sum to zero,
every legal action accepted and the actions just outside the legal set refused."""

from __future__ import annotations

import numpy as np
import pytest

from holdem.rules import Action, HandState, IllegalActionError, LegalActions
from tests.rules.generators import random_action, random_deal, random_table


def probes(legal: LegalActions) -> tuple[list[Action], list[Action]]:
    """Actions that must be accepted and actions that must be refused at this decision."""
    accepted, refused = [], []
    (accepted if legal.can_fold else refused).append(Action.fold())
    (accepted if legal.can_check else refused).append(Action.check())
    (accepted if legal.can_call else refused).append(Action.call())
    if legal.min_raise_to is not None and legal.max_raise_to is not None:
        accepted += [Action.raise_to(legal.min_raise_to), Action.raise_to(legal.max_raise_to)]
        refused.append(Action.raise_to(legal.max_raise_to + 1))
        if legal.min_raise_to > 1:
            refused.append(Action.raise_to(legal.min_raise_to - 1))
    else:
        refused.append(Action.raise_to(10**9))
    return accepted, refused


def check_hand(state: HandState, rng: np.random.Generator) -> None:
    start = sum(state.config.stacks)
    while not state.is_terminal:
        assert sum(state.stacks) + state.total_pot == start
        assert min(state.stacks) >= 0
        assert sum(p.amount for p in state.pots) + sum(state.bets) == state.total_pot
        assert all(b <= c for b, c in zip(state.bets, state.contributions, strict=True))
        legal = state.legal_actions()
        assert state.to_act == legal.seat and not state.folded[legal.seat]
        assert state.stacks[legal.seat] > 0
        accepted, refused = probes(legal)
        for action in accepted:
            assert state.can_apply(action) and action in legal, (action, legal)
        for action in refused:
            assert not state.can_apply(action) and action not in legal, (action, legal)
            with pytest.raises(IllegalActionError):
                state.clone().apply(action)
        state.apply(random_action(legal, rng))
    payoffs = state.payoffs
    assert sum(payoffs) == 0
    assert sum(state.stacks) == start
    contributions = state.contributions
    for seat in range(state.n_seats):
        assert payoffs[seat] >= -state.config.stacks[seat]
        if state.folded[seat]:
            assert payoffs[seat] == -contributions[seat]
        # Nobody wins more from another seat than it put in itself.
        assert payoffs[seat] <= sum(
            min(c, contributions[seat]) for s, c in enumerate(contributions) if s != seat
        )
    assert sum(a.pot.amount for a in state.awards) == sum(contributions)
    assert len(state.board) == 5 or len(state.in_hand) == 1


def test_random_play_invariants() -> None:
    rng = np.random.default_rng(2024)
    for _ in range(400):
        config = random_table(rng)
        check_hand(HandState(config, random_deal(config.n_seats, rng)), rng)


def test_same_seed_same_hand() -> None:
    def run(seed: int) -> tuple[object, ...]:
        rng = np.random.default_rng(seed)
        config = random_table(rng)
        state = HandState.deal_random(config, rng)
        while not state.is_terminal:
            state.apply(random_action(state.legal_actions(), rng))
        return state.payoffs, state.history

    assert run(5) == run(5)
