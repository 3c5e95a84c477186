"""The fast follower against the rules engine, for 2, 3 and 6 seats, and off the tree."""

import numpy as np
import pytest

from holdem.policy.follower import TreeFollower
from holdem.policy.hand_chips import EngineChips, HandChips
from holdem.rules.actions import Action
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig
from tests.policy.runs import random_blueprint
from tests.policy.test_blueprint import _random_action, check_answers


@pytest.fixture(scope="module", params=[3, 6])
def multiway(request, policy_buckets):
    return random_blueprint(request.param, policy_buckets, seed=request.param)


def test_multiway_answers_are_legal_and_the_resumed_walk_agrees(multiway):
    n = multiway.n_players
    assert check_answers(multiway, multiway.table_config(), 40, n) > 40
    # Other stakes, uneven stacks, an ante and another button.
    stacks = tuple(int(s) for s in np.linspace(300, 5000, n))
    assert check_answers(multiway, TableConfig(stacks, 5, 10, 1, 1), 40, n + 10) > 20


def test_the_chips_replay_matches_the_rules_engine_at_every_decision(multiway):
    """`HandChips` gives each action the same (max bet, pot, bet, stack) as the engine."""
    rng = np.random.default_rng(5)
    config = TableConfig(tuple(int(s) for s in rng.integers(50, 3000, multiway.n_players)), 5, 10)
    for _ in range(100):
        state = HandState.deal_random(config, rng)
        start = HandState.new(config, state.hole_cards)
        chips, replay = HandChips.at_start(start), EngineChips(start)
        while not state.is_terminal:
            state.apply(_random_action(state, rng))
        for record in state.history:
            assert chips.before(record) == replay.before(record)
            chips.apply(record)
            replay.apply(record)


def test_every_real_action_of_a_spot_exists_and_tree_actions_merge(hu):
    follower = TreeFollower(hu.tree)
    # Blinds 1/2 with 30 bb: the tree's pot raise and all-in fall on distinct real amounts...
    state = HandState.new(TableConfig((60, 60), 1, 2, 0, 0), ["AsKd", "7c2d"])
    spot = follower.spot(state)
    assert sorted(i for s in spot.sources for i in s) == list(range(hu.tree.n_actions[0]))
    # ...at 3 bb both become all-in: one real action carries both tree actions.
    short = HandState.new(TableConfig((6, 6), 1, 2, 0, 0), ["AsKd", "7c2d"])
    spot = follower.spot(short)
    assert spot.actions[-1] == Action.raise_to(6) and len(spot.sources[-1]) == 2
    assert follower.spot(short) is spot  # cached per betting history


def test_multiway_charts_name_the_positions(multiway):
    from holdem.policy.chart import preflop_chart
    from holdem.policy.situation import parse_situation

    config = multiway.table_config()
    chart = preflop_chart(multiway, parse_situation(config, "", (), "BTN"))
    folded = "SB, BB" if multiway.n_players == 3 else "UTG, HJ, CO"
    if multiway.n_players == 3:
        assert chart.title == "BTN first in"
    else:
        assert chart.title == f"BTN first in ({folded} fold)"
    assert chart.probabilities.sum(axis=1) == pytest.approx(np.ones(169))
    facing = preflop_chart(multiway, parse_situation(config, "BTN:r60", (), "BB"))
    before = "SB" if multiway.n_players == 3 else "UTG, HJ, CO, SB"
    assert facing.title == f"BB facing BTN raise to 60 ({before} fold)"
    assert facing.actions[0] == Action.fold()


def test_a_limp_into_a_tree_without_limps_is_the_smallest_open():
    """configs/hu_open.yaml takes no limp: a real one maps to the open to 2 bb; the big blind,
    facing no real bet, checks where the tree would fold or call, and raises by the real pot."""
    from pathlib import Path

    from holdem.abstraction.betting_config import load_betting_spec
    from holdem.abstraction.betting_tree import compile_tree

    root = Path(__file__).resolve().parents[2]
    tree = compile_tree(load_betting_spec(root / "configs/hu_open.yaml"))
    follower = TreeFollower(tree)
    state = HandState.new(TableConfig((10_000, 10_000), 50, 100, 0, 0), ["7c2d", "AsAh"])
    opens = follower.spot(state)
    assert opens.actions[:2] == (Action.fold(), Action.raise_to(200))  # no limp offered
    state.apply(Action.call())
    spot = follower.spot(state)
    assert spot.on_tree and spot.notes == (
        "SB call: the tree takes no limp, mapped to its raise to 200",
    )
    assert spot.actions[0] == Action.check() and len(spot.sources[0]) == 2  # fold and call
    # The tree's pot-sized re-raise over a 2 bb open, on the real pot of 2 bb: to 100 + 200.
    assert Action.raise_to(300) in spot.actions
    assert spot.node == tree.children(opens.node)[opens.sources[1][0]]
