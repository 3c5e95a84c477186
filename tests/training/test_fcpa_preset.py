"""configs/fcpa.yaml is OpenSpiel's universal_poker fcpa betting tree, sequence for sequence.

OpenSpiel's tree is walked from its public API for one chance-sampled deal (the betting of fcpa
does not depend on the cards); every state is named by its ACPC betting string (``cc/r300c/``,
raises as ``r<chips put in after the raise>``, rounds split by ``/``), which is also how we
write our nodes' histories. Both trees must hold the same decision sequences, with the same
seat to act and number of actions, and the same terminals, with the same kind and chips put in.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyspiel
import pytest
import yaml

from holdem.abstraction.betting_config import betting_spec_from_dict, load_betting_spec
from holdem.abstraction.betting_tree import (
    CALL,
    DECISION,
    FOLD,
    FOLD_END,
    BettingTree,
    compile_tree,
)
from holdem.cfr.mccfr import NODES, MCCFROptions, MCCFRState, run_iterations
from holdem.training.training_game import load_training_game

ROOT = Path(__file__).resolve().parents[2]
FCPA = ROOT / "configs/fcpa.yaml"
GAME_STRING = (
    "universal_poker(betting=nolimit,numPlayers=2,numRounds=4,blind=100 50,"
    "firstPlayer=2 1 1 1,numSuits=4,numRanks=13,numHoleCards=2,numBoardCards=0 3 1 1,"
    "stack={stack} {stack},bettingAbstraction=fcpa)"
)
_ACPC_BETTING = re.compile(r"^ACPC State: STATE:\d+:([^:]*):", re.MULTILINE)
_SPENT = re.compile(r"Spent: \[P0: (\d+)\s+P1: (\d+)\s*\]")

Decisions = dict[str, tuple[int, int]]
"""Betting string -> (our seat to act, number of actions)."""
Terminals = dict[str, tuple[str, int, int]]
"""Betting string -> ("fold" or "showdown", small blind's chips in, big blind's chips in)."""


def openspiel_tree(stack: int, seed: int) -> tuple[Decisions, Terminals]:
    """Every betting sequence of OpenSpiel's fcpa game, for one deal sampled with ``seed``.

    OpenSpiel's player 0 posts the big blind, so its player p is our seat 1 - p. A terminal's
    string drops the round separators ACPC adds after an all-in call.
    """
    rng = np.random.default_rng(seed)
    game = pyspiel.load_game(GAME_STRING.format(stack=stack))
    decisions: Decisions = {}
    terminals: Terminals = {}
    pending = [game.new_initial_state()]
    while pending:
        state = pending.pop()
        while state.is_chance_node():
            state.apply_action(int(rng.choice(state.legal_actions())))
        text = str(state)
        match = _ACPC_BETTING.search(text)
        assert match is not None, text
        betting = match.group(1)
        if state.is_terminal():
            spent = _SPENT.search(text)
            assert spent is not None, text
            big, small = (int(x) for x in spent.groups())
            kind = "fold" if betting.endswith("f") else "showdown"
            terminals[betting.rstrip("/")] = (kind, small, big)
        else:
            actions = state.legal_actions()
            decisions[betting] = (1 - state.current_player(), len(actions))
            pending.extend(state.child(a) for a in actions)
    return decisions, terminals


def our_tree(tree: BettingTree) -> tuple[Decisions, Terminals]:
    """The same description of our compiled tree (nodes are numbered parents first)."""
    betting = [""] * tree.n_nodes
    decisions: Decisions = {}
    terminals: Terminals = {}
    for node in range(tree.n_nodes):
        if node > 0:
            parent = int(tree.parent[node])
            kind = int(tree.action_kind[node])
            token = {FOLD: "f", CALL: "c"}.get(kind, f"r{int(tree.action_to[node])}")
            betting[node] = betting[parent] + token
            if tree.kind[node] == DECISION:
                betting[node] += "/" * int(tree.street[node] - tree.street[parent])
        if tree.kind[node] == DECISION:
            decisions[betting[node]] = (int(tree.player[node]), int(tree.n_actions[node]))
        else:
            kind_name = "fold" if tree.kind[node] == FOLD_END else "showdown"
            small, big = (int(x) for x in tree.chips[node])
            terminals[betting[node]] = (kind_name, small, big)
    return decisions, terminals


def fcpa_tree(stack: int) -> BettingTree:
    data = yaml.safe_load(FCPA.read_text(encoding="utf-8"))
    data["game"]["stack"] = stack
    return compile_tree(betting_spec_from_dict(data, str(FCPA)))


@pytest.mark.parametrize(
    ("stack", "seed"),
    [(10000, 0), (10000, 1), (20000, 2)],
    ids=["100bb-deal0", "100bb-deal1", "200bb-hunl-string"],
)
def test_fcpa_is_openspiels_betting_tree(stack: int, seed: int) -> None:
    ours = our_tree(fcpa_tree(stack))
    theirs = openspiel_tree(stack, seed)
    assert len(ours[0]) == len(theirs[0]) == 1360
    assert len(ours[1]) == len(theirs[1]) == 2002
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]


def test_the_preset_file_is_the_100bb_game() -> None:
    spec = load_betting_spec(FCPA)
    assert spec.n_players == 2 and spec.stack == 10000 and spec.blinds == (50, 100)
    tree = compile_tree(spec)
    decisions, _ = our_tree(tree)
    assert decisions[""] == (0, 4)  # small blind: fold, call, pot (to 300), all-in
    assert tree.action_labels(0) == ["f", "c", "r300", "r10000"]


def test_the_raise_cap_never_binds() -> None:
    """OpenSpiel has no cap; pot raises reach all-in before ours (20) would stop them."""
    data = yaml.safe_load(FCPA.read_text(encoding="utf-8"))
    for street in data["betting"].values():
        street["max_raises"] = 6
    capped = compile_tree(betting_spec_from_dict(data, "capped"))
    assert capped.n_nodes == fcpa_tree(10000).n_nodes


def test_the_preset_trains_with_a_bucket_file(bucket_file: Path) -> None:
    training = load_training_game(FCPA, bucket_file)
    options = MCCFROptions(
        regret_dtype="int32", averaging="sampled", average_interval=2, average_streets=1
    )
    state = MCCFRState.fresh(training.game, options, seed=3)
    run_iterations(training.game, options, state, 50)
    assert state.iteration == 50 and state.counters[NODES] > 0
    assert np.count_nonzero(state.regret) > 0 and np.count_nonzero(state.strategy_sum) > 0
