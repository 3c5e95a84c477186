"""Following real hands into the tree; and the tree compiler checked against the rules engine.

Random paths through compiled trees are played in `holdem.rules` (itself checked against
PokerKit): at every node the engine must have the same seat to act, accept the tree's raise
amounts, and agree on the chips put in; following the real hand back (`TreeFollower`) must land
on the node, exactly, at every decision.
"""

from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.betting_config import betting_spec_from_dict, load_betting_spec
from holdem.abstraction.betting_tree import DECISION, FOLD_END, compile_tree
from holdem.abstraction.translation import translation_probabilities
from holdem.policy.follower import TreeFollower, real_seat, tree_seat
from holdem.rules.actions import Action
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig
from tests.tree_actions import real_action

CONFIGS = Path(__file__).resolve().parents[2] / "configs"

THREE_WAY = {
    "game": {"players": 3, "stack": 2000, "blinds": [10, 20]},
    "betting": {
        "preflop": {"sizes": [[1.0], [0.75]], "all_in": True, "max_raises": 2},
        "flop": {"sizes": [[0.5, 1.0]], "all_in": True, "max_raises": 2},
        "turn": {"sizes": [[1.0]], "max_raises": 1},
        "river": {"sizes": [[0.5]], "all_in": True, "max_raises": 1},
    },
}


def _table(spec, button):
    n = spec.n_players
    small, big = spec.blinds[0], spec.blinds[1]
    return TableConfig((spec.stack,) * n, small, big, spec.ante, button)


def _play_random_path(tree, spec, button, rng, follower):
    state = HandState.deal_random(_table(spec, button), rng)
    node = 0
    while tree.kind[node] == DECISION:
        assert state.to_act is not None
        spot = follower.spot(state)
        assert spot.on_tree and spot.exact and not spot.others, spot.notes
        assert spot.node == node and spot.history == tree.history(node)
        assert tree_seat(state.config, state.to_act) == tree.player[node]
        assert real_seat(state.config, int(tree.player[node])) == state.to_act
        child = int(rng.choice(list(tree.children(node))))
        state.apply(real_action(tree, child, state))
        node = child
        if tree.kind[node] == DECISION:
            assert int(tree.street[node]) == int(state.street)
            chips = [
                int(tree.chips[node, tree_seat(state.config, s)]) for s in range(state.n_seats)
            ]
            assert chips == list(state.contributions)
    assert state.is_terminal
    payoffs = state.payoffs
    if tree.kind[node] == FOLD_END:
        chips = tree.chips[node]
        winner = [s for s in range(tree.n_players) if not tree.folded[node] >> s & 1]
        assert len(winner) == 1
        for s in range(state.n_seats):
            t = tree_seat(state.config, s)
            expected = int(chips.sum() - chips[t]) if t == winner[0] else -int(chips[t])
            assert payoffs[s] == expected
    return state, node


@pytest.mark.parametrize(
    ("spec_source", "buttons"),
    [("hu_small", (0, 1)), ("three_way", (0, 1, 2)), ("hu_rich", (1,))],
)
def test_tree_paths_play_out_in_the_rules_engine_and_are_followed_back(spec_source, buttons):
    if spec_source == "three_way":
        spec = betting_spec_from_dict(THREE_WAY)
    else:
        spec = load_betting_spec(CONFIGS / f"{spec_source}.yaml")
    tree = compile_tree(spec)
    rng = np.random.default_rng(17)
    follower = TreeFollower(tree)
    for hand in range(300):
        state, _ = _play_random_path(tree, spec, buttons[hand % len(buttons)], rng, follower)
        assert follower.marks(state) == (0,) * len(state.history)


def test_unfinished_hands_are_followed_to_the_current_node():
    spec = load_betting_spec(CONFIGS / "hu_small.yaml")
    tree = compile_tree(spec)
    rng = np.random.default_rng(5)
    state = HandState.deal_random(_table(spec, 1), rng)
    # The small blind raises by twice the pot after calling (2 x 200): to 500, a tree size.
    state.apply(Action.raise_to(500))
    spot = TreeFollower(tree).spot(state)
    assert spot.exact and spot.history == "r500"
    assert tree.kind[spot.node] == DECISION
    assert tree.player[spot.node] == tree_seat(state.config, state.to_act)


def test_off_tree_sizes_are_translated_by_the_pseudo_harmonic_mapping():
    spec = load_betting_spec(CONFIGS / "hu_rich.yaml")
    tree = compile_tree(spec)
    # Real blinds 1/2 and 200 big blinds deep: the chips differ from the tree's, fractions do not.
    state = HandState.new(TableConfig((400, 400), 1, 2, 0, 0), ["AsKs", "7d7c"], "")
    state.apply(Action.raise_to(9))  # small blind raises to 4.5 big blinds
    spot = TreeFollower(tree).spot(state)
    assert not spot.exact
    assert "mapped to" in spot.notes[0]
    # Facing the big blind the tree's raises are 0.5 .. 3 pot and all-in, over a pot of 200 after
    # calling; the real raise is 7 over a pot of 4 after calling: 1.75 pot, between two sizes.
    raises = [c for c in tree.children(0) if tree.action_kind[c] == 2]
    fractions = [(int(tree.action_to[c]) - 100) / 200 for c in raises]
    probabilities = translation_probabilities(7 / 4, fractions)
    expected = {raises[i]: p for i, p in enumerate(probabilities) if p > 0}
    assert len(expected) == 2
    assert {line.node: line.probability for line in spot.lines} == pytest.approx(expected)
    assert spot.node == max(expected, key=expected.__getitem__)  # the most likely comes first
    assert spot.history == tree.history(spot.node)


def test_a_real_all_in_maps_to_the_trees_all_in():
    spec = load_betting_spec(CONFIGS / "hu_small.yaml")
    tree = compile_tree(spec)
    state = HandState.new(TableConfig((300, 300), 1, 2, 0, 0), ["AsKs", "7d7c"], "")
    state.apply(Action.raise_to(300))
    spot = TreeFollower(tree).spot(state)
    assert spot.exact
    assert tree.action_to[spot.node] == spec.stack


def test_a_raise_beyond_the_cap_with_no_earlier_raise_of_the_raiser_is_a_call():
    spec = betting_spec_from_dict(THREE_WAY)
    tree = compile_tree(spec)
    state = HandState.new(
        TableConfig((2000, 2000, 2000), 10, 20, 0, 2), ["AsKs", "7d7c", "2c3d"], ""
    )
    # Under the gun is the button (seat 2) three-handed; raise, re-raise, re-re-raise: past the
    # cap of two raises, and the big blind had no node of its own before: read as a call, and
    # the button keeps its fold or call row facing the small blind's raise.
    state.apply(Action.raise_to(80))
    state.apply(Action.raise_to(300))
    state.apply(Action.raise_to(900))
    spot = TreeFollower(tree).spot(state)
    assert not spot.exact and spot.on_tree
    assert spot.notes[-1] == "BB raise to 900: the tree allows no raise here, mapped to call"
    assert spot.actions == (Action.fold(), Action.call())
    assert spot.history == "r70r190c"


def test_a_tree_for_other_players_is_refused():
    tree = compile_tree(load_betting_spec(CONFIGS / "hu_small.yaml"))
    state = HandState.new(TableConfig((100, 100, 100), 1, 2), ["AsKs", "7d7c", "2c3d"], "")
    with pytest.raises(ValueError, match="plays 2 seats, the hand has 3"):
        TreeFollower(tree).spot(state)


def test_a_limp_in_a_tree_without_limps_maps_to_the_smallest_raise():
    config = Path(__file__).resolve().parents[2] / "configs/pushfold_10bb.yaml"
    tree = compile_tree(load_betting_spec(config))
    hand = HandState.new(
        TableConfig(stacks=(1000, 1000), small_blind=50, big_blind=100), ["AsKs", "7d7c"]
    )
    hand.apply(Action.call())
    spot = TreeFollower(tree).spot(hand)
    assert spot.history == "r" and not spot.exact
    assert "the tree takes no limp" in spot.notes[0]
