"""`SearchPolicy` on a small heads-up game: river searches solved to the accuracy asked, an
off-tree bet answered from a subgame that holds its real size, the blueprint where it does not
search, and answers that are legal and sum to 1."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from holdem.cards.combos import blocked_combos, combo_index
from holdem.eval.lbr_model import BlueprintRange
from holdem.policy.blueprint import Blueprint
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState
from holdem.search.beliefs import hand_ranges
from holdem.search.search_policy import (
    SearchConfig,
    SearchPolicy,
    round_actions,
)
from holdem.search.spot import load_bet_tree
from holdem.storage.yaml_files import ConfigError
from tests.policy.runs import random_blueprint, save_bucket_file

BETTING = {
    "game": {"players": 2, "stack": 2000, "blinds": [10, 20]},
    "betting": {
        "preflop": {"sizes": [[1.0]], "all_in": True, "max_raises": 2},
        "flop": {"sizes": [[1.0]], "max_raises": 1},
        "turn": {"sizes": [[1.0]], "all_in": True, "max_raises": 2},
        "river": {"sizes": [[1.0, 2.0], [1.0]], "all_in": True, "max_raises": 2},
    },
}


@pytest.fixture(scope="module")
def blueprint(tmp_path_factory) -> Blueprint:
    folder = tmp_path_factory.mktemp("search_policy")
    betting = folder / "betting.yaml"
    betting.write_text(yaml.safe_dump(BETTING, sort_keys=False))
    buckets = save_bucket_file(folder / "buckets.npz", seed=6)
    return random_blueprint(2, buckets, seed=7, betting=Path(betting))


def _checked_to(blueprint: Blueprint, street: int) -> HandState:
    """A hand where the small blind called and everyone checked until ``street`` (2 turn, 3
    river) began."""
    state = HandState.new(blueprint.table_config(), ["AsKd", "7c7h"], "Qs Jh 2h 8d 3c")
    state.apply(Action.call())
    while int(state.street) < street:
        state.apply(Action.check())
    return state


def _assert_a_legal_distribution(state: HandState, answer: list[tuple[Action, float]]) -> None:
    legal = state.legal_actions()
    assert sum(p for _, p in answer) == pytest.approx(1.0, abs=1e-6)
    for action, p in answer:
        assert p >= 0
        assert action in legal, f"{action} is not legal in {legal}"


def test_a_river_search_is_solved_to_the_accuracy_asked(blueprint):
    config = SearchConfig(seconds=60, max_iterations=3000, accuracy_pct=0.2)
    policy = SearchPolicy(blueprint, config)
    state = _checked_to(blueprint, 3)
    answer = policy.action_probabilities(state)
    _assert_a_legal_distribution(state, answer)
    subgame = policy.last
    assert subgame is not None
    assert subgame.spot.pot == 40 and subgame.spot.stack == 1980
    assert subgame.spot.board == state.board
    # the spot solver's exact best response, measured again
    assert subgame.solver.exploitability() <= config.accuracy_pct
    assert subgame.exploitability_pct <= config.accuracy_pct


def test_a_flop_search_is_depth_limited_and_plays_the_flop_to_its_end(blueprint):
    """On the flop the subgame stops at the turn, its leaves valued by the blueprint's four
    continuation strategies; the re-solve after an off-tree bet keeps the searcher's check."""
    config = SearchConfig(streets=(1,), flop_seconds=30, max_iterations=40, flop_runouts=3)
    policy = SearchPolicy(blueprint, config)
    state = _checked_to(blueprint, 1)
    answer = policy.action_probabilities(state)
    _assert_a_legal_distribution(state, answer)
    subgame = policy.last
    assert subgame is not None and subgame.solver.continuation is not None
    tree = subgame.solver.tree
    assert (tree.street == 0).all() and tree.n_nodes > 1
    leaves = subgame.solver.continuation
    assert leaves.k == 4 and len(leaves.rests) == len(subgame.solver.leaves) > 0
    assert subgame.exploitability_pct <= config.trust_pct
    choices = leaves.choices(0, 0)
    np.testing.assert_allclose(choices.sum(axis=0), 1.0)
    state.apply(Action.check())
    state.apply(Action.raise_to(26))  # off the tree: 0.65 of the pot
    reply = policy.action_probabilities(state)
    _assert_a_legal_distribution(state, reply)
    assert policy.last is not subgame
    assert "b26" in policy.last.solver.tree.actions_of(policy.last.solver.tree.children_of(0)[0])


def test_a_trimmed_subgame_keeps_the_heaviest_combinations_and_the_searchers_hand(blueprint):
    state = _checked_to(blueprint, 3)
    whole = SearchPolicy(blueprint, SearchConfig(max_iterations=5))
    trimmed = SearchPolicy(blueprint, SearchConfig(max_iterations=5, range_mass=0.9))
    whole.action_probabilities(state)
    trimmed.action_probabilities(state)
    own = combo_index(*state.hole_cards[state.to_act])
    for before, after in zip(whole.last.spot.ranges, trimmed.last.spot.ranges, strict=True):
        kept = after > 0
        assert 0 < kept.sum() < (before > 0).sum()
        np.testing.assert_array_equal(after[kept], before[kept])
        # what was left out is the lightest (but for the searcher's own hand) and holds at
        # most a tenth of the range
        others = kept.copy()
        others[own] = False
        assert before[~kept & (before > 0)].max() <= before[others].min()
        assert before[~kept].sum() <= 0.1 * before.sum() + 1e-12
    player = 0 if state.to_act == trimmed.last.oop_seat else 1
    assert trimmed.last.spot.ranges[player][own] > 0


def test_an_opponent_floor_gives_every_hand_off_the_board_a_place_in_the_opponents_range(
    blueprint,
):
    state = _checked_to(blueprint, 3)
    modelled = SearchPolicy(blueprint, SearchConfig(max_iterations=5, opponent_floor=0.0))
    floored = SearchPolicy(blueprint, SearchConfig(max_iterations=5, opponent_floor=0.1))
    modelled.action_probabilities(state)
    floored.action_probabilities(state)
    seat = 1 if state.to_act == floored.last.oop_seat else 0  # the opponent's side of the spot
    before, after = modelled.last.spot.ranges[seat], floored.last.spot.ranges[seat]
    live = ~blocked_combos(state.board)
    shares = after / after.sum()
    np.testing.assert_allclose(shares, 0.9 * before / before.sum() + 0.1 * live / live.sum())
    # every hand off the board holds at least its part of the floor, whatever the model said
    assert shares[live].min() >= 0.1 / live.sum() - 1e-15
    assert not after[~live].any()
    # the searcher's own range is its own strategy's: untouched
    own_side = 1 - seat
    np.testing.assert_array_equal(
        floored.last.spot.ranges[own_side], modelled.last.spot.ranges[own_side]
    )


def test_a_depth_limited_turn_search_values_its_leaves_on_every_river_card(blueprint):
    config = SearchConfig(seconds=30, max_iterations=20, streets=(2, 3), turn_depth_limited=True)
    policy = SearchPolicy(blueprint, config)
    state = _checked_to(blueprint, 2)
    _assert_a_legal_distribution(state, policy.action_probabilities(state))
    subgame = policy.last
    assert subgame is not None and subgame.solver.continuation is not None
    assert (subgame.solver.tree.street == 1).all()  # the turn only
    runouts = subgame.solver.continuation.runouts
    assert runouts.shape == (52 - 4, 1)
    assert set(runouts[:, 0]).isdisjoint(state.board[:4])
    assert "turn depth-limited" in config.describe()


def test_an_off_tree_bet_is_answered_from_a_subgame_holding_its_real_size(blueprint):
    """The river tree bets 1x and 2x the pot; the big blind bets 1.3x (52 into 40)."""
    policy = SearchPolicy(blueprint, SearchConfig(seconds=10, max_iterations=300))
    state = _checked_to(blueprint, 3)
    assert state.to_act == 1
    state.apply(Action.raise_to(52))
    answer = policy.action_probabilities(state)
    _assert_a_legal_distribution(state, answer)
    subgame = policy.last
    assert subgame is not None
    tree = subgame.solver.tree
    assert "b52" in tree.actions_of(0)
    node = subgame.node_of(state)
    assert node is not None and tree.action[node] == "b52"
    assert {a.kind for a, _ in answer} <= {ActionKind.FOLD, ActionKind.CALL, ActionKind.RAISE}
    [action] = round_actions(state, subgame.round_start, subgame.oop_seat, subgame.spot.pot)
    assert action.text == "b52" and action.percent == pytest.approx(130.0)


def test_an_off_tree_bet_updates_beliefs_by_the_subgame_that_held_it(blueprint):
    """The big blind bets 1.3 pots on the turn (the tree has 1): the small blind's subgame holds
    that size, and on the river its belief about the big blind's range takes the subgame's
    probability of that bet for each combination, not the blueprint's translation of it."""
    config = SearchConfig(seconds=10, max_iterations=300, streets=(2, 3), trust_pct=1e9)
    policy = SearchPolicy(blueprint, config)
    state = _checked_to(blueprint, 2)
    turn_start = len(state.history)
    state.apply(Action.raise_to(52))
    policy.action_probabilities(state)  # the small blind searches, facing the real size
    turn = policy.last
    assert turn is not None and "b52" in turn.solver.tree.actions_of(0)
    bet_row = turn.strategy_at(0)[turn.solver.tree.actions_of(0).index("b52")]
    state.apply(Action.call())
    state.apply(Action.check())  # the big blind checks the river; the small blind to act
    river_start = turn_start + 2
    ranges = hand_ranges(state, policy._likelihood_of(state, 0), river_start)
    model = BlueprintRange(blueprint)
    before = hand_ranges(state, lambda i, seat: model.likelihoods, turn_start)
    expected = before[1] * bet_row
    expected[blocked_combos(state.board)] = 0.0
    np.testing.assert_allclose(ranges[1], expected, rtol=1e-12, atol=0)
    translated = hand_ranges(state, lambda i, seat: model.likelihoods, river_start)
    assert not np.allclose(translated[1], ranges[1])


def test_a_re_solve_keeps_the_searchers_actions_already_taken(blueprint):
    """On the river the big blind bets the pot as its search says; the small blind raises to
    an off-tree 130; the big blind's new subgame keeps its first decision as the first subgame
    played it (for every combination), the raise of 130 in the tree."""
    policy = SearchPolicy(blueprint, SearchConfig(seconds=10, max_iterations=200, trust_pct=1e9))
    state = _checked_to(blueprint, 3)
    policy.action_probabilities(state)
    first = policy.last
    assert first is not None
    state.apply(Action.raise_to(40))
    state.apply(Action.raise_to(130))
    policy.action_probabilities(state)
    second = policy.last
    assert second is not None and second is not first
    root = second.solver.tree.actions_of(0)
    assert root == first.solver.tree.actions_of(0)
    np.testing.assert_allclose(second.strategy_at(0), first.strategy_at(0), atol=1e-12)
    assert second.node_of(state) is not None
    assert "r130" in second.solver.tree.actions_of(second.solver.tree.children_of(0)[1])


def test_a_round_raised_past_the_trees_cap_is_in_its_subgame(blueprint):
    """The river allows a bet and one raise; a real round bets, raises and raises again."""
    policy = SearchPolicy(blueprint, SearchConfig(seconds=5, max_iterations=100))
    state = _checked_to(blueprint, 3)
    for to in (40, 160, 500):
        state.apply(Action.raise_to(to))
    answer = policy.action_probabilities(state)
    _assert_a_legal_distribution(state, answer)
    subgame = policy.last
    assert subgame is not None and subgame.spot.tree.max_raises == 2
    assert subgame.solver.tree.action[subgame.node_of(state)] == "r500"


def test_the_next_decision_of_the_round_reuses_the_subgame(blueprint):
    policy = SearchPolicy(blueprint, SearchConfig(seconds=10, max_iterations=200))
    state = _checked_to(blueprint, 3)
    policy.action_probabilities(state)
    first = policy.last
    state.apply(Action.check())
    policy.action_probabilities(state)
    assert policy.last is not first  # the other seat searches with its own beliefs
    other = policy.last
    state.apply(Action.raise_to(40))
    policy.action_probabilities(state)
    assert policy.last is first  # the big blind again, facing a size the subgame holds
    assert other is not None


def test_the_blueprint_answers_where_there_is_no_search(blueprint):
    policy = SearchPolicy(blueprint, SearchConfig())  # the river alone by default
    state = _checked_to(blueprint, 2)
    assert not policy.searches(state)
    assert policy.action_probabilities(state) == blueprint.action_probabilities(state)
    rng = np.random.default_rng(0)
    assert policy.act(state, rng) in state.legal_actions()


def test_a_turn_search_plays_a_whole_hand_to_its_end(blueprint):
    policy = SearchPolicy(blueprint, SearchConfig(seconds=2, max_iterations=50, streets=(2, 3)))
    rng = np.random.default_rng(3)
    state = _checked_to(blueprint, 2)
    while not state.is_terminal:
        choices = policy.action_probabilities(state)
        _assert_a_legal_distribution(state, choices)
        state.apply(policy.act(state, rng))
    assert sum(state.payoffs) == 0


def test_a_search_stopped_far_from_its_target_leaves_the_decision_to_the_blueprint(blueprint):
    policy = SearchPolicy(blueprint, SearchConfig(max_iterations=1, trust_pct=1.0))
    state = _checked_to(blueprint, 3)
    answer = policy.action_probabilities(state)
    assert policy.last is not None and policy.last.exploitability_pct > 1.0
    assert answer == blueprint.action_probabilities(state)
    trusting = SearchPolicy(blueprint, SearchConfig(max_iterations=1, trust_pct=1e9))
    assert trusting.action_probabilities(state) != answer


def test_a_sizes_file_replaces_the_blueprints_sizes_and_the_real_ones_are_added(
    blueprint, tmp_path
):
    path = tmp_path / "sizes.yaml"
    path.write_text("sizes: {bet: [75], raise: [], allin: false}\nmax_raises: 0\n")
    sizes = load_bet_tree(path)
    policy = SearchPolicy(blueprint, SearchConfig(seconds=5, max_iterations=100, sizes=sizes))
    state = _checked_to(blueprint, 3)
    state.apply(Action.raise_to(52))
    policy.action_probabilities(state)
    subgame = policy.last
    assert subgame is not None
    # OOP's root: check, 75% of the pot and its real bet of 130%; IP facing it: no raise
    assert subgame.solver.tree.actions_of(0) == ["x", "b30", "b52"]
    assert subgame.solver.tree.actions_of(subgame.node_of(state)) == ["f", "c"]
    for text, match in (
        ("size: [1]\n", "size: unknown key"),
        ("max_raises: 1\n", "sizes: missing"),
        ("sizes: {bet: [0]}\n", "sizes"),
        ("sizes: {bet: [50]}\nmax_raises: -1\n", "max_raises"),
    ):
        path.write_text(text)
        with pytest.raises(ConfigError, match=match):
            load_bet_tree(path)


def test_bad_configs_are_refused():
    with pytest.raises(ValueError, match="seconds"):
        SearchConfig(seconds=0)
    with pytest.raises(ValueError, match="preflop is the blueprint's"):
        SearchConfig(streets=(0, 2, 3))
    with pytest.raises(ValueError, match="flop-runouts"):
        SearchConfig(flop_runouts=0)
    with pytest.raises(ValueError, match="average or current"):
        SearchConfig(play="last")
    with pytest.raises(ValueError, match="trust"):
        SearchConfig(trust_pct=0)
    for mass in (0.0, 1.5):
        with pytest.raises(ValueError, match="range-mass"):
            SearchConfig(range_mass=mass)
    for floor in (-0.1, 1.0):
        with pytest.raises(ValueError, match="opponent-floor"):
            SearchConfig(opponent_floor=floor)


def test_warm_up_ranges_leave_a_possible_deal_when_both_sides_favour_the_same_cards():
    # Both players' heaviest combinations are aces: the warm-up's IP hands must avoid OOP's.
    from holdem.cards.combos import COMBOS, combo_index
    from holdem.cards.encoding import parse_cards
    from holdem.search.search_policy import _tiny_ranges

    ranges = (np.full(1326, 0.1), np.full(1326, 0.1))
    aces = [combo_index(*parse_cards(text)) for text in ("AsAh", "AsAd", "AhAd", "AcAs")]
    ranges[0][aces[:2]] = 1.0
    ranges[1][aces] = 1.0
    oop, ip = _tiny_ranges(ranges)
    assert sorted(np.flatnonzero(oop)) == sorted(aces[:2])
    assert np.count_nonzero(ip) == 2
    oop_cards = set(COMBOS[np.flatnonzero(oop)].ravel())
    assert not oop_cards & set(COMBOS[np.flatnonzero(ip)].ravel())
