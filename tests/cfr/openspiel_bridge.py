"""Map OpenSpiel's kuhn_poker and leduc_poker onto our trees, to use OpenSpiel as a reference.

OpenSpiel deals cards as chance actions (Kuhn: 0..n for J, Q, K, A; Leduc: 0..5 with rank =
card // 2) and names actions by number (Kuhn: 0 pass, 1 bet; Leduc: 0 fold, 1 call, 2 raise).
We walk its whole game tree alongside ours, so every information state gets our (node, bucket).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyspiel

from holdem.abstraction.betting_tree import CALL, DECISION, FOLD, RAISE
from holdem.cfr.game import SolverGame
from holdem.cfr.leduc import fill_deal

OPENSPIEL_NAME = {"kuhn": "kuhn_poker", "kuhn3": "kuhn_poker(players=3)", "leduc": "leduc_poker"}


@dataclass
class Infostate:
    """One OpenSpiel information state: our node and bucket, and OpenSpiel action -> ours."""

    node: int
    bucket: int
    actions: dict[int, int] = field(default_factory=dict)


@dataclass
class Terminal:
    """One OpenSpiel terminal history: our node, the deal's ranks, OpenSpiel's returns."""

    node: int
    ranks: np.ndarray
    returns: list[float]


def _our_action(game: SolverGame, node: int, action: int) -> int:
    tree = game.tree
    kinds = [int(tree.action_kind[c]) for c in tree.children(node)]
    if game.name.startswith("kuhn"):
        facing = FOLD in kinds
        wanted = (FOLD if facing else CALL) if action == 0 else (CALL if facing else RAISE)
    else:
        wanted = {0: FOLD, 1: CALL, 2: RAISE}[action]
    return kinds.index(wanted)


def _bucket(game: SolverGame, cards: list[int], seat: int, street: int) -> int:
    if game.name.startswith("kuhn"):
        return cards[seat]
    rank = cards[seat] // 2
    return rank if street == 0 else 3 * rank + cards[2] // 2


def _ranks(game: SolverGame, cards: list[int]) -> np.ndarray:
    if game.name.startswith("kuhn"):
        return np.array(cards[: game.tree.n_players], np.int32)
    buckets = np.zeros((1, 2, 2), np.int32)
    ranks = np.zeros((1, 2), np.int32)
    public = cards[2] if len(cards) > 2 else next(c for c in range(6) if c not in cards)
    fill_deal(cards[0], cards[1], public, buckets, ranks, 0)
    return ranks[0]


def walk(game: SolverGame) -> tuple[dict[str, Infostate], list[Terminal]]:
    """Every OpenSpiel information state and terminal history of the game, mapped to ours."""
    os_game = pyspiel.load_game(OPENSPIEL_NAME[game.name])
    infostates: dict[str, Infostate] = {}
    terminals: list[Terminal] = []
    stack = [(os_game.new_initial_state(), 0, [])]
    while stack:
        state, node, cards = stack.pop()
        if state.is_terminal():
            terminals.append(Terminal(node, _ranks(game, cards), state.returns()))
            continue
        if state.is_chance_node():
            for outcome, _ in state.chance_outcomes():
                stack.append((state.child(outcome), node, [*cards, outcome]))
            continue
        assert game.tree.kind[node] == DECISION
        seat = state.current_player()
        assert seat == game.tree.player[node]
        key = state.information_state_string()
        bucket = _bucket(game, cards, seat, int(game.tree.street[node]))
        info = infostates.setdefault(key, Infostate(node, bucket))
        assert (info.node, info.bucket) == (node, bucket)
        for action in state.legal_actions():
            ours = _our_action(game, node, action)
            info.actions[action] = ours
            stack.append((state.child(action), int(game.tree.first_child[node]) + ours, cards))
    return infostates, terminals


def to_openspiel_policy(
    game: SolverGame, table: np.ndarray, infostates: dict[str, Infostate]
) -> pyspiel.TabularPolicy:
    """Our policy table as an OpenSpiel tabular policy."""
    rows = {}
    for key, info in infostates.items():
        street = int(game.tree.street[info.node])
        start = game.layout.row(info.node, street, info.bucket)
        rows[key] = [(action, float(table[start + ours])) for action, ours in info.actions.items()]
    return pyspiel.TabularPolicy(rows)


def openspiel_exploitability(
    game: SolverGame, table: np.ndarray, infostates: dict[str, Infostate]
) -> float:
    """OpenSpiel's exploitability of our policy table."""
    os_game = pyspiel.load_game(OPENSPIEL_NAME[game.name])
    return pyspiel.exploitability(os_game, to_openspiel_policy(game, table, infostates))
