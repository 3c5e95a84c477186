"""Blueprint: known rows at known spots, every kind of policy folder, any stakes, bad inputs."""

import json
import shutil

import numpy as np
import pytest

from holdem.cards.isomorphism import hand_from_index
from holdem.cards.preflop_matchups import N_CLASSES, class_label
from holdem.policy.blueprint import Blueprint
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig
from holdem.training.artifacts import policy_game, read_policy_folder
from holdem.training.checkpoint import list_checkpoints
from holdem.training.table_policies import average_rows, current_rows
from tests.policy.runs import HU_SMALL, save_bucket_file


def _class_hand(c):
    return [int(x) for x in hand_from_index(0, c)]


def _spare(hand, n_seats=2):
    free = [c for c in range(51, -1, -1) if c not in hand]
    return [(free[2 * i], free[2 * i + 1]) for i in range(n_seats - 1)]


def _table_rows(folder):
    training = policy_game(folder)
    return training, read_policy_folder(folder, training)


def _row(training, table, node, bucket):
    tree, layout = training.game.tree, training.game.layout
    n = int(tree.n_actions[node])
    start = layout.row(node, int(tree.street[node]), bucket)
    return table[start : start + n]


def test_push_fold_root_answers_are_the_blueprint_rows_of_each_class(pushfold, pushfold_run):
    training, table = _table_rows(pushfold_run / "blueprint")
    config = pushfold.table_config()
    for c in range(N_CLASSES):
        hand = _class_hand(c)
        state = HandState.new(config, [hand, *_spare(hand)])
        answer = pushfold.action_probabilities(state)
        fold, jam = _row(training, table, 0, c)
        assert [a for a, _ in answer] == [Action.fold(), Action.raise_to(1000)], class_label(c)
        assert answer[0][1] == pytest.approx(fold, abs=1e-6)
        assert answer[1][1] == pytest.approx(jam, abs=1e-6)
    aces = HandState.new(config, ["AsAh", "7c2d"])
    assert pushfold.action_probabilities(aces)[1][1] > 0.95  # aces jam


def test_after_the_small_blind_all_in_the_big_blind_gets_its_call_fold_row(pushfold, pushfold_run):
    training, table = _table_rows(pushfold_run / "blueprint")
    config = pushfold.table_config()
    bb_node = pushfold.tree.node_of("r")
    for c in (0, 50, 100, 168):
        hand = _class_hand(c)
        state = HandState.new(config, [*_spare(hand), hand])
        state.apply(Action.raise_to(1000))
        answer = pushfold.action_probabilities(state)
        fold, call = _row(training, table, bb_node, c)
        assert answer == [
            (Action.fold(), pytest.approx(fold, abs=1e-6)),
            (Action.call(), pytest.approx(call, abs=1e-6)),
        ]
        spot = pushfold.spot(state)
        assert spot.on_tree and spot.exact and spot.history == "r"


def test_other_stakes_compare_as_pot_fractions(pushfold):
    """Blinds 1/2 and 25 bb real stacks: an all-in is the tree's all-in, rows unchanged."""
    canonical = HandState.new(pushfold.table_config(), ["7c2d", "KsQs"])
    canonical.apply(Action.raise_to(1000))
    other = HandState.new(TableConfig((50, 50), 1, 2, 0, 0), ["7c2d", "KsQs"])
    other.apply(Action.raise_to(50))
    mine = pushfold.action_probabilities(canonical)
    theirs = pushfold.action_probabilities(other)
    assert [p for _, p in mine] == pytest.approx([p for _, p in theirs])
    # The button on seat 1 this time: seats renumber, the answer does not.
    moved = HandState.new(TableConfig((50, 50), 1, 2, 0, 1), ["KsQs", "7c2d"])
    moved.apply(Action.raise_to(50))
    assert [p for _, p in pushfold.action_probabilities(moved)] == pytest.approx(
        [p for _, p in theirs]
    )
    # A smaller raise than all-in maps to the tree's only raise, and the small blind's options
    # follow the real table: its all-in is the real stack.
    opener = HandState.new(TableConfig((5000, 5000), 25, 50, 0, 0), ["AsAh", "7c2d"])
    assert pushfold.action_probabilities(opener)[1][0] == Action.raise_to(5000)


def test_a_limp_where_the_tree_takes_none_maps_to_the_smallest_raise(pushfold):
    # Push/fold's only raise is the all-in: the big blind, facing no real bet, checks where the
    # tree would fold or call; later streets are past the tree's end, so it checks or calls.
    state = HandState.new(pushfold.table_config(), ["7c2d", "AsAh"], "KhQd9s5c3h")
    state.apply(Action.call())
    spot = pushfold.spot(state)
    assert spot.on_tree and "the tree takes no limp, mapped to" in spot.notes[0]
    assert pushfold.action_probabilities(state) == [(Action.check(), 1.0)]
    state.apply(Action.check())
    assert pushfold.action_probabilities(state) == [(Action.check(), 1.0)]  # flop: past the end
    state.apply(Action.check())
    assert pushfold.action_probabilities(state) == [(Action.check(), 1.0)]
    state.apply(Action.raise_to(200))
    assert pushfold.action_probabilities(state) == [(Action.call(), 1.0)]


def test_snapshot_and_checkpoint_answer_their_own_tables(hu_run):
    snapshot = list_checkpoints(hu_run / "snapshots")[-1]
    training, table = _table_rows(snapshot)
    blueprint = Blueprint.load(snapshot)
    assert blueprint.kind == "snapshot"
    checkpoint_path = list_checkpoints(hu_run / "checkpoints")[-1]
    checkpoint = Blueprint.load(checkpoint_path)
    assert checkpoint.kind == "checkpoint"
    sums = np.load(checkpoint_path / "strategy_sum.npy")
    regret = np.load(checkpoint_path / "regret.npy")
    tree, layout = training.game.tree, training.game.layout
    split = sums.shape[0]
    expected = np.concatenate(
        [
            average_rows(tree, layout, sums, 0, split, np.float32),
            current_rows(tree, layout, regret, split, layout.size, np.float32),
        ]
    )
    for node in tree.decision_nodes()[::7]:
        street = int(tree.street[node])
        for bucket in range(layout.n_buckets[street]):
            got = blueprint.tree_probabilities(int(node), bucket)
            # Later streets are uint8 there; both readers divide each row by its sum.
            assert got == pytest.approx(_row(training, table, node, bucket), abs=1e-6)
            got = checkpoint.tree_probabilities(int(node), bucket)
            assert got == pytest.approx(_row(training, expected, node, bucket), abs=1e-6)
    # A logdir means its blueprint; a checkpoints folder its newest checkpoint.
    assert Blueprint.load(hu_run).kind == "blueprint"
    assert Blueprint.load(hu_run / "checkpoints").path == checkpoint_path


def _random_action(state, rng):
    legal = state.legal_actions()
    kinds = legal.kinds()
    kind = kinds[rng.integers(len(kinds))]
    if kind is ActionKind.RAISE:
        assert legal.min_raise_to is not None and legal.max_raise_to is not None
        return Action.raise_to(int(rng.integers(legal.min_raise_to, legal.max_raise_to + 1)))
    return Action(kind)


def check_answers(blueprint, config, hands, seed):
    """Random play (random sizes, half the time the blueprint's choice): every answer is a
    set of distinct legal actions summing to 1; the lines of a spot sum to 1, each on the tree
    at a decision of the seat to act on the real street; and the follower's cached walk, resumed
    decision by decision, gives the spot a fresh follower walks from the start."""
    from holdem.policy.follower import TreeFollower, tree_seat

    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(hands):
        state = HandState.deal_random(config, rng)
        while not state.is_terminal:
            answer = blueprint.action_probabilities(state)
            actions = [a for a, _ in answer]
            assert len(set(actions)) == len(actions)
            assert sum(p for _, p in answer) == pytest.approx(1.0)
            assert all(p >= 0 for _, p in answer)
            assert all(state.can_apply(a) for a in actions), (answer, state)
            spot = blueprint.spot(state)
            assert sum(line.probability for line in spot.lines) == pytest.approx(1.0)
            assert spot.probability == max(line.probability for line in spot.lines)
            assert spot == TreeFollower(blueprint.tree).spot(state)
            for line in spot.lines:
                if line.on_tree:
                    assert blueprint.tree.street[line.node] == int(state.street)
                    assert blueprint.tree.player[line.node] == tree_seat(config, state.to_act)
                    checked += 1
            if rng.random() < 0.5:
                state.apply(blueprint.act(state, rng))
            else:
                state.apply(_random_action(state, rng))
    return checked


@pytest.mark.parametrize("folder", ["blueprint", "snapshot", "checkpoint"])
def test_a_nodes_rows_of_every_bucket_at_once_are_its_rows_one_by_one(hu_run, folder):
    path = {
        "blueprint": hu_run / "blueprint",
        "snapshot": list_checkpoints(hu_run / "snapshots")[-1],
        "checkpoint": list_checkpoints(hu_run / "checkpoints")[-1],
    }[folder]
    blueprint = Blueprint.load(path)
    for node in blueprint.tree.decision_nodes()[::5]:
        street = int(blueprint.tree.street[node])
        rows = blueprint.node_probabilities(int(node))
        assert rows.shape == (blueprint.layout.n_buckets[street], blueprint.tree.n_actions[node])
        for bucket in range(0, rows.shape[0], 3):
            expected = blueprint.tree_probabilities(int(node), bucket)
            np.testing.assert_allclose(rows[bucket], expected, atol=1e-12)


def test_random_heads_up_play_gets_legal_answers_that_sum_to_one(hu):
    assert check_answers(hu, hu.table_config(), 60, 1) > 100
    deep = TableConfig((30_000, 12_000), 50, 100, 10, 1)  # uneven stacks and an ante
    assert check_answers(hu, deep, 40, 2) > 50


def test_act_draws_actions_with_their_probabilities(hu):
    state = HandState.new(hu.table_config(), ["AsKd", "7c2d"])
    answer = dict(hu.action_probabilities(state))
    rng = np.random.default_rng(0)
    draws = [hu.act(state, rng) for _ in range(4000)]
    for action, p in answer.items():
        assert draws.count(action) / len(draws) == pytest.approx(p, abs=0.03)


def test_bad_inputs_are_one_line_errors(hu_run, pushfold, tmp_path, policy_buckets):
    def error(call):
        with pytest.raises(ValueError) as info:
            call()
        message = str(info.value)
        assert "\n" not in message
        return message

    assert "no such folder" in error(lambda: Blueprint.load(tmp_path / "nowhere"))
    assert "no manifest.json" in error(lambda: Blueprint.load(tmp_path))
    moved = tmp_path / "moved"
    shutil.copytree(hu_run / "blueprint", moved)
    manifest = json.loads((moved / "manifest.json").read_text())
    manifest["files"]["betting"] = str(tmp_path / "gone.yaml")
    (moved / "manifest.json").write_text(json.dumps(manifest))
    assert "--betting" in error(lambda: Blueprint.load(moved))
    assert Blueprint.load(moved, betting=HU_SMALL).kind == "blueprint"
    other = save_bucket_file(tmp_path / "other.npz", seed=9)
    assert "card abstraction" in error(lambda: Blueprint.load(hu_run, buckets=other))
    push_fold_config = pushfold.training.betting_path
    assert "betting tree" in error(lambda: Blueprint.load(hu_run, betting=push_fold_config))
    damaged = tmp_path / "damaged"
    shutil.copytree(list_checkpoints(hu_run / "checkpoints")[-1], damaged)
    regret = np.load(damaged / "regret.npy")
    regret[0] += 1
    np.save(damaged / "regret.npy", regret)
    assert "checksum" in error(lambda: Blueprint.load(damaged))
    three = HandState.new(TableConfig((100, 100, 100), 1, 2), ["AsKd", "7c2d", "9h9d"])
    assert "plays 2 seats" in error(lambda: pushfold.action_probabilities(three))
    over = HandState.new(pushfold.table_config(), ["AsKd", "7c2d"])
    over.apply(Action.fold())
    assert "hand is over" in error(lambda: pushfold.action_probabilities(over))
