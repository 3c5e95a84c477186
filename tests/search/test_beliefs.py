"""Beliefs against brute-force Bayes: each combination's probability of the seat's actions,
asked of the policy with the hand replayed with that combination in the seat."""

import numpy as np
import pytest

from holdem.cards.combos import COMBOS, blocked_combos
from holdem.eval.lbr_model import BlueprintRange
from holdem.policy.blueprint import Blueprint
from holdem.rules.state import HandState
from holdem.search.beliefs import hand_ranges, replay, trim_range, widen_range
from tests.policy.runs import random_blueprint, save_bucket_file


@pytest.fixture(scope="module")
def random_hu(tmp_path_factory) -> Blueprint:
    buckets = save_bucket_file(tmp_path_factory.mktemp("belief_buckets") / "buckets.npz", seed=2)
    return random_blueprint(2, buckets, seed=3)


def _hand_to_the_turn(blueprint: Blueprint, seed: int) -> HandState:
    """A hand the blueprint plays against itself, stopped at the first decision on the turn."""
    rng = np.random.default_rng(seed)
    for _ in range(500):
        deck = [int(c) for c in rng.permutation(52)]
        state = HandState.new(blueprint.table_config(), [deck[:2], deck[2:4]], deck[4:9])
        while not state.is_terminal and int(state.street) < 2:
            state.apply(blueprint.act(state, rng))
        if not state.is_terminal and len(state.history) >= 4:
            return state
    raise AssertionError("500 hands did not reach the turn")


def _brute_force(blueprint: Blueprint, state: HandState, seat: int, combo: int) -> float:
    """The product over ``seat``'s actions of the probability the blueprint takes each, in the
    hand replayed with ``COMBOS[combo]`` in the seat."""
    holes = list(state.hole_cards)
    holes[seat] = tuple(int(c) for c in COMBOS[combo])
    walk = HandState.new(state.config, holes, state.board)
    product = 1.0
    for record in state.history:
        if record.seat == seat:
            choices = blueprint.action_probabilities(walk)
            product *= sum(p for action, p in choices if action == record.action)
        walk.apply(record.action, record.seat)
    return product


@pytest.mark.parametrize("seed", [1, 2])
def test_ranges_are_bayes_over_every_combination(random_hu, seed):
    state = _hand_to_the_turn(random_hu, seed)
    model = BlueprintRange(random_hu)
    ranges = hand_ranges(state, lambda i, seat: model.likelihoods)
    rng = np.random.default_rng(seed)
    for seat in (0, 1):
        other = state.hole_cards[1 - seat]
        live = np.flatnonzero(~blocked_combos((*state.board, *other)))
        for combo in rng.choice(live, 60, replace=False):
            expected = _brute_force(random_hu, state, seat, int(combo))
            assert ranges[seat, combo] == pytest.approx(expected, rel=1e-9, abs=1e-15)
        assert not ranges[seat, blocked_combos(state.board)].any()
        assert ranges[seat].sum() > 0


def test_the_ranges_after_a_prefix_are_those_of_the_hand_replayed_to_it(random_hu):
    state = _hand_to_the_turn(random_hu, 1)
    model = BlueprintRange(random_hu)
    k = 2
    prefix = hand_ranges(state, lambda i, seat: model.likelihoods, n_actions=k)
    np.testing.assert_array_equal(
        prefix, hand_ranges(replay(state, k), lambda i, seat: model.likelihoods)
    )
    assert not np.array_equal(prefix, hand_ranges(state, lambda i, seat: model.likelihoods))


def test_replay_stops_where_asked_and_refuses_a_count_past_the_end(random_hu):
    state = _hand_to_the_turn(random_hu, 1)
    first = replay(state, 2)
    assert first.history == state.history[:2]
    assert replay(state, len(state.history)).board == state.board
    with pytest.raises(ValueError, match="actions, not"):
        replay(state, len(state.history) + 1)


def test_a_trimmed_range_loses_its_lightest_combinations_up_to_the_share_asked():
    weights = np.zeros(1326)
    weights[:5] = [0.04, 0.5, 0.06, 0.3, 0.1]
    np.testing.assert_array_equal(trim_range(weights, 0.85)[:5], [0.0, 0.5, 0.0, 0.3, 0.1])
    # the hand kept stays whatever its weight; a mass of 1 keeps everything
    np.testing.assert_array_equal(trim_range(weights, 0.85, keep=0)[:5], [0.04, 0.5, 0, 0.3, 0.1])
    assert trim_range(weights, 1.0) is weights


def test_a_widened_range_spreads_its_floor_evenly_over_the_live_combinations():
    weights = np.zeros(1326)
    weights[:3] = [2.0, 1.0, 1.0]
    live = np.ones(1326, bool)
    live[1000:] = False  # touching the board
    wide = widen_range(weights, 0.2, live)
    assert wide.sum() == pytest.approx(1.0)
    # the modelled shape keeps 0.8 of the mass, the floor 0.2 over the 1,000 live combinations
    np.testing.assert_allclose(
        wide[:3], [0.8 * 0.5 + 0.2e-3, 0.8 * 0.25 + 0.2e-3, 0.8 * 0.25 + 0.2e-3]
    )
    np.testing.assert_allclose(wide[3:1000], 0.2e-3)
    assert not wide[1000:].any()
    assert widen_range(weights, 0.0, live) is weights
