"""The betting-tree compiler: exact small trees, no-limit sizes, invariants, layout, errors."""

import dataclasses

import numpy as np
import pytest

from holdem.abstraction.betting_config import betting_spec_from_dict
from holdem.abstraction.betting_spec import BetSize, BettingSpec, StreetBetting
from holdem.abstraction.betting_tree import (
    CALL,
    DECISION,
    FOLD,
    FOLD_END,
    RAISE,
    SHOWDOWN,
    compile_tree,
)
from holdem.cfr.kuhn import KUHN_BETTING
from holdem.cfr.leduc import LEDUC_BETTING
from holdem.rules.actions import Action
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig


def no_limit(
    n_players=2, stack=10, blinds=(1, 2), fractions=(1.0,), all_in=True, streets=1, max_raises=3
):
    street = StreetBetting(
        sizes=(tuple(BetSize.pot_fraction(f) for f in fractions),),
        max_raises=max_raises,
        all_in=all_in,
    )
    return BettingSpec(n_players=n_players, stack=stack, blinds=blinds, streets=(street,) * streets)


def test_kuhn_tree_is_the_textbook_tree():
    tree = compile_tree(KUHN_BETTING)
    histories = [tree.history(n) for n in range(tree.n_nodes)]
    assert histories == ["", "c", "r", "cc", "cr", "rf", "rc", "crf", "crc"]
    kinds = {h: int(k) for h, k in zip(histories, tree.kind, strict=True)}
    assert [h for h, k in kinds.items() if k == DECISION] == ["", "c", "r", "cr"]
    assert [h for h, k in kinds.items() if k == FOLD_END] == ["rf", "crf"]
    assert [h for h, k in kinds.items() if k == SHOWDOWN] == ["cc", "rc", "crc"]
    assert tree.chips[tree.node_of("crc")].tolist() == [2, 2]
    assert tree.chips[tree.node_of("rf")].tolist() == [2, 1]
    assert tree.folded[tree.node_of("rf")] == 0b10
    assert tree.player[tree.node_of("cr")] == 0


def test_leduc_tree_counts_and_contributions():
    tree = compile_tree(LEDUC_BETTING)
    decision = tree.kind == DECISION
    # 6 first-round decision nodes, 5 ways into round two, 6 decision nodes in each.
    assert decision.sum() == 6 + 5 * 6
    assert (tree.street[decision] == 0).sum() == 6
    assert (tree.kind == FOLD_END).sum() == 4 + 5 * 4
    assert (tree.kind == SHOWDOWN).sum() == 5 * 5
    assert tree.chips[tree.node_of("rrc/rrc")].tolist() == [1 + 4 + 8, 1 + 4 + 8]
    assert tree.chips[tree.node_of("cc/cr")].tolist() == [1, 5]
    assert tree.action_labels(tree.node_of("rr")) == ["f", "c"]


def test_children_follow_their_parent_and_are_consecutive():
    tree = compile_tree(no_limit(n_players=3, stack=20, blinds=(1, 2, 0), streets=2))
    for node in tree.decision_nodes():
        kids = list(tree.children(int(node)))
        assert kids[0] > node
        assert all(tree.parent[k] == node for k in kids)
        kinds = [int(tree.action_kind[k]) for k in kids]
        assert kinds == sorted(kinds)
        raises = [int(tree.action_to[k]) for k in kids if tree.action_kind[k] == RAISE]
        assert raises == sorted(set(raises))


def test_no_limit_pot_raise_and_all_in_from_the_small_blind():
    tree = compile_tree(no_limit())
    # SB (seat 0) faces 1 more chip: pot 3 + 1 call = 4, a pot raise adds 4 to the 2 bet.
    assert tree.action_labels(0) == ["f", "c", "r6", "r10"]
    after = tree.node_of("r6")
    # BB faces 4 more: pot 8 + 4 = 12 on top of 6 exceeds the stack, so it is the all-in only.
    assert tree.action_labels(after) == ["f", "c", "r"]
    assert tree.action_to[tree.first_child[after] + 2] == 10
    # The big blind keeps its option after a limp, then the hand ends at a showdown.
    limp = tree.node_of("c")
    assert tree.player[limp] == 1 and tree.action_labels(limp) == ["c", "r6", "r10"]
    assert tree.kind[tree.node_of("cc")] == SHOWDOWN


def test_min_raise_lifts_small_pot_fractions():
    tree = compile_tree(no_limit(stack=100, fractions=(0.1, 1.0), all_in=False))
    # 0.1 * (3 + 1) rounds to 0: the raise is lifted to the big blind, to 4 chips.
    assert tree.action_labels(0) == ["f", "c", "r4", "r6"]
    # After a raise of 4 (2 -> 6), a re-raise must add at least 4: 0.1 pot becomes 6 -> 10.
    assert tree.action_labels(tree.node_of("r6")) == ["f", "c", "r10", "r18"]


def test_all_in_players_stop_acting_and_the_hand_goes_to_showdown():
    tree = compile_tree(no_limit(stack=10, streets=3))
    node = tree.node_of("r10c")
    assert tree.kind[node] == SHOWDOWN
    assert tree.street[node] == 0
    assert tree.chips[node].tolist() == [10, 10]


@pytest.mark.parametrize(
    "spec",
    [
        no_limit(n_players=3, stack=20, blinds=(1, 2, 0), streets=2),
        no_limit(n_players=4, stack=12, blinds=(0, 1, 2, 0), streets=2, fractions=(0.5, 1.0)),
        LEDUC_BETTING,
    ],
)
def test_invariants_on_every_node(spec):
    tree = compile_tree(spec)
    n = spec.n_players
    for node in range(1, tree.n_nodes):
        parent = int(tree.parent[node])
        actor = int(tree.player[parent])
        before, after = tree.chips[parent], tree.chips[node]
        assert np.all(after >= before) and np.all(after <= spec.stack)
        assert np.all(np.delete(after, actor) == np.delete(before, actor))
        facing = before.max() > before[actor]
        kind = int(tree.action_kind[node])
        assert (kind == FOLD) <= facing
        if kind == CALL:
            assert after[actor] == min(before.max(), spec.stack)
        if kind == RAISE:
            assert after[actor] > before.max()
        if tree.kind[node] == DECISION:
            seat = int(tree.player[node])
            assert not tree.folded[node] >> seat & 1
            assert tree.chips[node, seat] < spec.stack
        live = [s for s in range(n) if not tree.folded[node] >> s & 1]
        if tree.kind[node] == FOLD_END:
            assert len(live) == 1
        if tree.kind[node] == SHOWDOWN:
            top = tree.chips[node].max()
            assert all(tree.chips[node, s] in (top, spec.stack) for s in live)
            assert len(live) >= 2


def test_raise_cap_per_street():
    tree = compile_tree(LEDUC_BETTING)
    for node in tree.decision_nodes():
        history = tree.history(int(node)).split("/")[-1]
        can_raise = RAISE in [int(tree.action_kind[c]) for c in tree.children(int(node))]
        assert can_raise == (history.count("r") < 2)


def test_history_round_trip_and_bad_histories():
    tree = compile_tree(LEDUC_BETTING)
    for node in range(tree.n_nodes):
        assert tree.node_of(tree.history(node)) == node
    with pytest.raises(ValueError, match="'f' is not available"):
        tree.node_of("f")
    with pytest.raises(ValueError, match="too early"):
        tree.node_of("r/c")
    with pytest.raises(ValueError, match="does not end"):
        tree.node_of("rc")


def test_layout_rows_tile_each_street_bucket_by_bucket():
    tree = compile_tree(LEDUC_BETTING)
    n_buckets = (3, 9)
    layout = tree.layout(n_buckets)
    position = 0
    ends = []
    depth_first = []

    def walk(node):
        depth_first.append(node)
        if tree.kind[node] == DECISION:
            for child in tree.children(node):
                walk(child)

    walk(0)
    for street in range(tree.n_streets):
        nodes = [n for n in depth_first if tree.kind[n] == DECISION and tree.street[n] == street]
        assert layout.strides[street] == sum(int(tree.n_actions[n]) for n in nodes)
        for bucket in range(n_buckets[street]):
            for node in nodes:
                assert layout.row(node, street, bucket) == position
                position += int(tree.n_actions[node])
        ends.append(position)
    assert all(layout.offsets[n] == -1 for n in range(tree.n_nodes) if tree.kind[n] != DECISION)
    assert layout.size == position
    assert layout.street_ends == tuple(ends)
    assert layout.rows_through(0) == 3 * sum(
        int(tree.n_actions[n]) for n in tree.decision_nodes() if tree.street[n] == 0
    )
    by_numbers = tree.layout(n_buckets, depth_first=False)
    for street in range(tree.n_streets):
        nodes = [n for n in tree.decision_nodes().tolist() if tree.street[n] == street]
        assert sorted(nodes, key=lambda n: by_numbers.offsets[n]) == nodes
        assert sorted(nodes, key=lambda n: layout.offsets[n]) != nodes
        first = min(nodes, key=lambda n: layout.offsets[n])
        assert by_numbers.row(nodes[0], street, 1) == layout.row(first, street, 1)
    table = np.arange(layout.size)
    node = int(tree.decision_nodes()[-1])
    street, n = int(tree.street[node]), int(tree.n_actions[node])
    rows = layout.node_rows(table, node, street, n)
    assert rows.shape == (9, n)
    for bucket in range(9):
        start = layout.row(node, street, bucket)
        assert rows[bucket].tolist() == list(range(start, start + n))
    with pytest.raises(ValueError, match="one bucket count per street"):
        tree.layout((3,))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: BetSize("limit", 2), "'chips' or 'pot'"),
        (lambda: BetSize.fixed(1.5), "whole number"),
        (lambda: BetSize.pot_fraction(0), "positive"),
        (lambda: StreetBetting(sizes=(), max_raises=1), "no bet sizes"),
        (lambda: StreetBetting(sizes=((),), max_raises=1), "empty"),
        (lambda: no_limit(n_players=1, blinds=(1,)), "n_players"),
        (lambda: no_limit(blinds=(1, 2, 3)), "one amount per seat"),
        (lambda: no_limit(stack=2), "must exceed"),
        (lambda: no_limit(blinds=(0, 0)), "nothing to win"),
        (lambda: StreetBetting(sizes=(), max_raises=0, limp=False), "limp is off"),
        (lambda: without_limps(no_limit(streets=2), street=1), "street 1: limp is off"),
        (
            lambda: BettingSpec(
                n_players=2,
                stack=10,
                ante=1,
                streets=(StreetBetting(sizes=(), max_raises=1, all_in=True, limp=False),),
            ),
            "street 0: limp is off",
        ),
    ],
)
def test_bad_specs_are_refused_with_the_value(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_first_player_must_be_a_seat():
    street = StreetBetting(sizes=((BetSize.fixed(1),),), max_raises=1, first_player=2)
    with pytest.raises(ValueError, match="first_player 2"):
        BettingSpec(n_players=2, stack=10, ante=1, streets=(street,))


def test_tree_size_limit():
    with pytest.raises(ValueError, match="max_nodes=50"):
        compile_tree(LEDUC_BETTING, max_nodes=50)


def test_sizes_that_round_to_the_same_chips_collapse_to_one_action():
    # Facing the big blind the pot after calling is 4: 0.5 and 0.6 of it both round to 2 chips.
    tree = compile_tree(no_limit(stack=100, fractions=(0.5, 0.6, 1.0), all_in=False))
    assert tree.action_labels(0) == ["f", "c", "r4", "r6"]


@pytest.mark.parametrize(
    "spec",
    [
        KUHN_BETTING,
        LEDUC_BETTING,
        no_limit(n_players=3, stack=20, blinds=(1, 2, 0), streets=2),
        no_limit(n_players=4, stack=12, blinds=(0, 1, 2, 0), streets=3, fractions=(0.5, 1.0)),
    ],
)
def test_decision_depth_is_the_longest_run_of_decisions(spec):
    tree = compile_tree(spec)
    depth = np.zeros(tree.n_nodes, np.int64)
    for node in range(1, tree.n_nodes):
        depth[node] = depth[tree.parent[node]] + 1
    assert tree.decision_depth() == depth[tree.kind == DECISION].max() + 1


def without_limps(spec, street=0):
    """``spec`` with limping forbidden on ``street``."""
    streets = list(spec.streets)
    streets[street] = dataclasses.replace(streets[street], limp=False)
    return dataclasses.replace(spec, streets=tuple(streets))


def test_without_limps_the_small_blind_folds_or_raises_and_the_rest_is_unchanged():
    tree = compile_tree(without_limps(no_limit(stack=100, streets=2)))
    assert tree.action_labels(0) == ["f", "r6", "r100"]
    assert [int(tree.action_kind[c]) for c in tree.children(0)] == [FOLD, RAISE, RAISE]
    # Facing a raise, calling is back; so is every check and call on the next street.
    assert tree.action_labels(tree.node_of("r6")) == ["f", "c", "r18", "r100"]
    assert tree.action_labels(tree.node_of("r6c/")) == ["c", "r18", "r100"]
    # Exactly the limp's subtree is gone.
    with_limps = compile_tree(no_limit(stack=100, streets=2))
    assert with_limps.n_nodes - tree.n_nodes == _subtree_size(with_limps, with_limps.node_of("c"))


def _subtree_size(tree, node):
    size, stack = 0, [node]
    while stack:
        n = stack.pop()
        size += 1
        stack.extend(tree.children(n))
    return size


def holdem_no_limit(n_players, stack, fractions=(1.0,)):
    """A four-round Hold'em spec in Hold'em seat order, blinds 1 and 2, limping forbidden."""
    body = {"sizes": [list(fractions)], "all_in": True, "max_raises": 2}
    return betting_spec_from_dict(
        {
            "game": {"players": n_players, "stack": stack, "blinds": [1, 2]},
            "betting": {
                "preflop": {**body, "limp": False},
                "flop": body,
                "turn": body,
                "river": body,
            },
        }
    )


def test_without_limps_three_handed_only_raises_enter_the_pot():
    spec = holdem_no_limit(3, 20)
    tree = compile_tree(spec)
    assert tree.player[0] == 2  # under the gun faces the big blind: fold or raise
    assert tree.action_labels(0) == ["f", "r7", "r20"]
    node = tree.node_of("f")  # the small blind, still facing only the big blind
    assert tree.player[node] == 0 and tree.action_labels(node) == ["f", "r6", "r20"]
    for node in tree.decision_nodes():
        history = tree.history(int(node))
        if "/" not in history and "r" not in history:
            assert CALL not in [int(tree.action_kind[c]) for c in tree.children(int(node))]


def test_without_limps_the_big_blind_still_checks():
    # The big blind acts first here: it has matched the largest bet, so it may check; after
    # its check the small blind, facing only the blinds, must fold or raise.
    street = StreetBetting(
        sizes=((BetSize.pot_fraction(1.0),),), max_raises=2, all_in=True, first_player=1
    )
    spec = without_limps(BettingSpec(n_players=2, stack=30, blinds=(1, 2), streets=(street,)))
    tree = compile_tree(spec)
    assert tree.player[0] == 1 and tree.action_labels(0) == ["c", "r5", "r30"]
    check = tree.node_of("c")
    assert tree.player[check] == 0 and tree.action_labels(check) == ["f", "r6", "r30"]


def _play_in_the_rules_engine(tree, spec, rng):
    """A random path of ``tree`` played in `holdem.rules`: every action the tree offers on the
    way must be legal there, and the seat to act and the chips put in must agree."""
    n = spec.n_players
    button = 0 if n == 2 else n - 1  # so that the small blind is seat 0, as in the tree
    table = TableConfig((spec.stack,) * n, spec.blinds[0], spec.blinds[1], spec.ante, button)
    state = HandState.deal_random(table, rng)
    node = 0
    while tree.kind[node] == DECISION:
        assert state.to_act == tree.player[node]
        assert int(state.street) == tree.street[node]
        before_round = state.contributions[state.to_act] - state.bets[state.to_act]
        offered = []
        for child in tree.children(node):
            kind = int(tree.action_kind[child])
            if kind == FOLD:
                action = Action.fold()
            elif kind == CALL:
                action = Action.call() if state.legal_actions().can_call else Action.check()
            else:
                action = Action.raise_to(int(tree.action_to[child]) - before_round)
            assert state.can_apply(action), (tree.history(child), str(state.legal_actions()))
            offered.append(action)
        pick = int(rng.integers(len(offered)))
        state.apply(offered[pick])
        node = int(tree.first_child[node]) + pick
        if tree.kind[node] == DECISION:
            assert list(state.contributions) == tree.chips[node].tolist()
    assert state.is_terminal  # the deal holds a full board, so the hand ran to its end
    return node


@pytest.mark.parametrize(
    "spec",
    [
        holdem_no_limit(2, 100, (0.5, 1.0)),
        holdem_no_limit(3, 40),
        holdem_no_limit(6, 30),
    ],
)
def test_trees_without_limps_play_legally_in_the_rules_engine(spec):
    tree = compile_tree(spec)
    rng = np.random.default_rng(3)
    ends = set()
    for _ in range(200):
        ends.add(_play_in_the_rules_engine(tree, spec, rng))
    assert len(ends) > 20
