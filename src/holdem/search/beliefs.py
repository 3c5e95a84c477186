"""Beliefs: each seat's range over the 1,326 hole-card combinations as a hand is played.

Real-time search solves a subgame from the start of a betting round with both players' ranges
at that point (Brown and Sandholm, Science 2019, supplementary "real-time search"; Moravcik et
al., Science 2017, "continual re-solving"). A range is the probability, up to a constant, that
the seat holds each combination given the public history: start uniform, and after each action
multiply the acting seat's range by the probability that the strategy it played takes that
action with each combination (Bayes' rule). Combinations that touch the board are set to 0.

Where the likelihoods come from is the caller's choice, per action: a `RangeModel` (such as
`holdem.eval.lbr_model.BlueprintRange` for a blueprint's play, by bucket) or the strategy a
search computed for the whole range. Ranges are kept per seat, not jointly: the card removal
between the two seats' hands is the spot solver's to apply (`holdem.search.vector_cfr`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from holdem.cards.combos import N_COMBOS, blocked_combos
from holdem.rules.actions import Action
from holdem.rules.state import HandState

Likelihood = Callable[[HandState, Action], np.ndarray]
"""``(state before the action, action) -> (1326,)``: the probability that the seat to act in
``state`` takes ``action`` with each combination."""


def replay(state: HandState, n_actions: int) -> HandState:
    """``state``'s hand replayed from its deal through its first ``n_actions`` actions (the
    board as it stood then)."""
    history = state.history
    if not 0 <= n_actions <= len(history):
        raise ValueError(f"the hand has {len(history)} actions, not {n_actions}")
    out = HandState.new(state.config, list(state.hole_cards), state.board)
    for record in history[:n_actions]:
        out.apply(record.action, record.seat)
    return out


def hand_ranges(
    state: HandState,
    likelihood_of: Callable[[int, int], Likelihood],
    n_actions: int | None = None,
) -> np.ndarray:
    """(seats, 1326) float64: every seat's range after the first ``n_actions`` actions of
    ``state``'s hand (all of them by default), unnormalised.

    ``likelihood_of(i, seat)`` gives the likelihood function of action number ``i``, taken by
    ``seat``, so the caller can use a blueprint for some actions and a search's strategy for
    others. Combinations touching the board dealt by then are 0.
    """
    history = state.history
    count = len(history) if n_actions is None else n_actions
    walk = replay(state, 0)
    ranges = np.ones((state.n_seats, N_COMBOS))
    for i, record in enumerate(history[:count]):
        likelihoods = likelihood_of(i, record.seat)(walk, record.action)
        if likelihoods.shape != (N_COMBOS,):
            raise ValueError(f"likelihoods of action {i} have shape {likelihoods.shape}")
        ranges[record.seat] *= likelihoods
        walk.apply(record.action, record.seat)
    ranges[:, blocked_combos(walk.board)] = 0.0
    return ranges


def trim_range(weights: np.ndarray, mass: float, keep: int = -1) -> np.ndarray:
    """``weights`` (1326,) without its lightest combinations, as many as together hold at most
    ``1 - mass`` of its total; combination ``keep`` (the searcher's own hand) stays whatever its
    weight. A blueprint's play on buckets leaves almost every combination some weight, and a
    search's time grows with the combinations (README, "Real-time search"); ``mass`` 1 keeps
    them all."""
    if mass >= 1.0:
        return weights
    order = np.argsort(weights, kind="stable")
    light = np.cumsum(weights[order]) <= (1.0 - mass) * weights.sum()
    out = weights.copy()
    out[order[light]] = 0.0
    if keep >= 0:
        out[keep] = weights[keep]
    return out


def widen_range(weights: np.ndarray, floor: float, live: np.ndarray) -> np.ndarray:
    """``weights`` (1326,) mixed with the uniform range over the ``live`` combinations (a
    boolean mask, those not touching the board): ``floor`` of the result's mass is spread evenly
    over them, ``1 - floor`` keeps the shape of ``weights``. Why: a range by Bayes' rule over a
    model of the opponent (the blueprint) gives ~0 to every hand the model would not have
    played so; an opponent that plays them anyway (local best response calls with every hand)
    meets a subgame solved as if it could not hold them. ``floor`` 0 returns ``weights``."""
    if floor <= 0.0:
        return weights
    uniform = live / live.sum()
    total = weights.sum()
    shaped = weights / total if total > 0 else uniform
    return (1.0 - floor) * shaped + floor * uniform
