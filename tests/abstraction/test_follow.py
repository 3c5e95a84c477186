"""Following real hands into the tree; and the tree compiler checked against the rules engine.

Random paths through compiled trees are played in `holdem.rules` (itself checked against
PokerKit): at every node the engine must have the same seat to act, accept the tree's raise
amounts, and agree on the chips put in; following the real hand back must land on the node.
"""

from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.betting_config import betting_spec_from_dict, load_betting_spec
from holdem.abstraction.betting_tree import CALL, DECISION, FOLD, FOLD_END, compile_tree
from holdem.abstraction.follow import follow_state, real_seat, tree_seat
from holdem.abstraction.translation import translate_bet
from holdem.rules.actions import Action
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig

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


def _real_action(tree, node, child, state):
    kind = int(tree.action_kind[child])
    if kind == FOLD:
        return Action.fold()
    if kind == CALL:
        return Action.call() if state.legal_actions().can_call else Action.check()
    seat = state.to_act
    before_round = state.contributions[seat] - state.bets[seat]
    return Action.raise_to(int(tree.action_to[child]) - before_round)


def _play_random_path(tree, spec, button, rng):
    state = HandState.deal_random(_table(spec, button), rng)
    node = 0
    while tree.kind[node] == DECISION:
        assert state.to_act is not None
        assert tree_seat(state, state.to_act) == tree.player[node]
        assert real_seat(state, int(tree.player[node])) == state.to_act
        child = int(rng.choice(list(tree.children(node))))
        state.apply(_real_action(tree, node, child, state))
        node = child
        if tree.kind[node] == DECISION:
            assert int(tree.street[node]) == int(state.street)
            chips = [int(tree.chips[node, tree_seat(state, s)]) for s in range(state.n_seats)]
            assert chips == list(state.contributions)
    assert state.is_terminal
    payoffs = state.payoffs
    if tree.kind[node] == FOLD_END:
        chips = tree.chips[node]
        winner = [s for s in range(tree.n_players) if not tree.folded[node] >> s & 1]
        assert len(winner) == 1
        for s in range(state.n_seats):
            t = tree_seat(state, s)
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
    for hand in range(300):
        state, node = _play_random_path(tree, spec, buttons[hand % len(buttons)], rng)
        position = follow_state(tree, state)
        assert position.exact, position.notes
        assert position.node == node
        assert position.history == tree.history(node)


def test_unfinished_hands_are_followed_to_the_current_node():
    spec = load_betting_spec(CONFIGS / "hu_small.yaml")
    tree = compile_tree(spec)
    rng = np.random.default_rng(5)
    state = HandState.deal_random(_table(spec, 1), rng)
    # The small blind raises by twice the pot after calling (2 x 200): to 500, a tree size.
    state.apply(Action.raise_to(500))
    position = follow_state(tree, state)
    assert position.exact and position.history == "r500"
    assert tree.kind[position.node] == DECISION
    assert tree.player[position.node] == tree_seat(state, state.to_act)


def test_off_tree_sizes_are_translated_by_the_pseudo_harmonic_mapping():
    spec = load_betting_spec(CONFIGS / "hu_rich.yaml")
    tree = compile_tree(spec)
    # Real blinds 1/2 and 200 big blinds deep: the chips differ from the tree's, fractions do not.
    state = HandState.new(TableConfig((400, 400), 1, 2, 0, 0), ["AsKs", "7d7c"], "")
    state.apply(Action.raise_to(9))  # small blind raises to 4.5 big blinds
    position = follow_state(tree, state)
    assert not position.exact
    assert "mapped to" in position.notes[0]
    # Facing the big blind the tree's raises are 0.5 .. 3 pot and all-in, over a pot of 200 after
    # calling; the real raise is 7 over a pot of 4 after calling: 1.75 pot.
    raises = [c for c in tree.children(0) if tree.action_kind[c] == 2]
    fractions = [(int(tree.action_to[c]) - 100) / 200 for c in raises]
    expected = raises[translate_bet(7 / 4, fractions)]
    assert position.node == expected
    assert position.history == tree.history(expected)


def test_a_real_all_in_maps_to_the_trees_all_in():
    spec = load_betting_spec(CONFIGS / "hu_small.yaml")
    tree = compile_tree(spec)
    state = HandState.new(TableConfig((300, 300), 1, 2, 0, 0), ["AsKs", "7d7c"], "")
    state.apply(Action.raise_to(300))
    position = follow_state(tree, state)
    assert position.exact
    assert tree.action_to[position.node] == spec.stack


def test_a_raise_beyond_the_cap_is_approximated_and_noted():
    spec = betting_spec_from_dict(THREE_WAY)
    tree = compile_tree(spec)
    state = HandState.new(
        TableConfig((2000, 2000, 2000), 10, 20, 0, 2), ["AsKs", "7d7c", "2c3d"], ""
    )
    # Under the gun is the button (seat 2) three-handed; raise, re-raise, re-re-raise.
    state.apply(Action.raise_to(80))
    state.apply(Action.raise_to(300))
    state.apply(Action.raise_to(900))
    position = follow_state(tree, state)
    assert not position.exact
    assert any("no more raises" in note for note in position.notes)


def test_a_tree_for_other_players_is_refused():
    tree = compile_tree(load_betting_spec(CONFIGS / "hu_small.yaml"))
    state = HandState.new(TableConfig((100, 100, 100), 1, 2), ["AsKs", "7d7c", "2c3d"], "")
    with pytest.raises(ValueError, match="not a no-limit Hold'em tree for 3 players"):
        follow_state(tree, state)


def test_a_limp_in_a_tree_without_limps_maps_to_the_smallest_raise():
    config = Path(__file__).resolve().parents[2] / "configs/pushfold_10bb.yaml"
    tree = compile_tree(load_betting_spec(config))
    hand = HandState.new(
        TableConfig(stacks=(1000, 1000), small_blind=50, big_blind=100), ["AsKs", "7d7c"]
    )
    hand.apply(Action.call())
    position = follow_state(tree, hand)
    assert position.history == "r" and not position.exact
    assert "no limps" in position.notes[0]
