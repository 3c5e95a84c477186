"""Follow a real hand into the betting tree: which node of the abstraction it corresponds to.

A blueprint only knows the abstract game. To ask it about a real situation, each real action is
replayed in the tree: folds, checks and calls map to the tree's fold and call; a bet or raise
of any size maps to one of the node's raises by the pseudo-harmonic mapping on pot fractions
(`holdem.abstraction.translation`), and an all-in to the tree's all-in where it offers one.

Sizes are compared as fractions of the pot, so the real game's chips need not be the tree's
(blinds of 1 and 2 follow a tree built with blinds of 50 and 100). Seats are renumbered so that
the small blind is seat 0, as in the tree (`holdem.abstraction.betting_config`). Where the real
hand does something the tree cannot (a raise beyond the tree's cap, or a betting round the tree
already closed after an earlier translation), the nearest tree action is taken and the position is
marked inexact, with a note saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.abstraction.betting_tree import CALL, DECISION, FOLD, RAISE, BettingTree
from holdem.abstraction.translation import translate_bet
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState

_SAME_FRACTION = 1e-6


@dataclass(frozen=True)
class TreePosition:
    """Where a real hand stands in the tree.

    ``node`` is the tree node reached, ``history`` its action string (`BettingTree.history`),
    ``exact`` whether every real action had an abstract action of the same kind and size, and
    ``notes`` one line per real action that had to be translated or approximated.
    """

    node: int
    history: str
    exact: bool
    notes: tuple[str, ...]


def tree_seat(state: HandState, seat: int) -> int:
    """The tree's number of a real seat: the small blind is tree seat 0."""
    return (seat - state.config.small_blind_seat) % state.n_seats


def real_seat(state: HandState, seat: int) -> int:
    """The real seat of a tree seat (the inverse of `tree_seat`)."""
    return (seat + state.config.small_blind_seat) % state.n_seats


def _children_of_kind(tree: BettingTree, node: int, kind: int) -> list[int]:
    return [c for c in tree.children(node) if tree.action_kind[c] == kind]


def _raise_fractions(tree: BettingTree, node: int, raises: list[int]) -> list[float]:
    """Each raise child's increment over the largest bet, as a fraction of the pot after call."""
    chips = tree.chips[node].astype(np.int64)
    top = int(chips.max())
    pot_after_call = int(chips.sum()) + top - int(chips[tree.player[node]])
    return [(int(tree.action_to[c]) - top) / pot_after_call for c in raises]


def _replay_of(state: HandState) -> HandState:
    return HandState.new(state.config, state.hole_cards, state.board)


def follow_state(
    tree: BettingTree, state: HandState, rng: np.random.Generator | None = None
) -> TreePosition:
    """The tree node a real hand has reached, translating real bet sizes into the tree's.

    With ``rng`` bets are translated by the randomised pseudo-harmonic mapping, otherwise by
    the deterministic one. Raises ValueError when the tree is not a Hold'em tree for as many
    players as the hand has seats.
    """
    if tree.n_players != state.n_seats or tree.n_streets != 4 or not tree.spec.blinds:
        raise ValueError(
            f"the tree is not a no-limit Hold'em tree for {state.n_seats} players "
            f"({tree.n_players} players, {tree.n_streets} rounds): load a matching config"
        )
    replay = _replay_of(state)
    node = 0
    notes: list[str] = []
    for record in state.history:
        street = int(record.street)
        while tree.kind[node] == DECISION and tree.street[node] < street:
            node, note = _call_child(tree, node, "the tree's betting round was still open")
            notes.append(
                note or "the tree's betting round was still open when the real one closed: called"
            )
        if tree.kind[node] != DECISION or tree.street[node] > street:
            notes.append(
                f"seat {record.seat} {record.action} has no counterpart: the tree already "
                f"closed that betting round"
            )
            replay.apply(record.action, record.seat)
            continue
        child, note = _translate(tree, node, replay, record.seat, record.action, rng)
        if note:
            notes.append(note)
        replay.apply(record.action, record.seat)
        node = child
    return TreePosition(node, tree.history(node), not notes, tuple(notes))


def _call_child(tree: BettingTree, node: int, prefix: str) -> tuple[int, str]:
    """The check/call child of ``node``; where the tree offers none (a limp in a tree built
    with ``limp: false``), its smallest raise, with a note saying so."""
    calls = _children_of_kind(tree, node, CALL)
    if calls:
        return calls[0], ""
    smallest = _children_of_kind(tree, node, RAISE)[0]
    return smallest, (
        f"{prefix}: the tree offers no call here (no limps), mapped to its smallest raise "
        f"{tree.action_label(smallest)}"
    )


def _translate(
    tree: BettingTree,
    node: int,
    replay: HandState,
    seat: int,
    action: Action,
    rng: np.random.Generator | None,
) -> tuple[int, str]:
    """The child of ``node`` for a real action, and a note when it is not an exact match."""
    calls = _children_of_kind(tree, node, CALL)
    folds = _children_of_kind(tree, node, FOLD)
    raises = _children_of_kind(tree, node, RAISE)
    prefix = f"seat {seat} {action}"
    if tree_seat(replay, seat) != tree.player[node]:
        prefix += f" (the tree has seat {real_seat(replay, int(tree.player[node]))} to act)"
    if action.kind is ActionKind.FOLD:
        if folds:
            return folds[0], ""
        return calls[0], f"{prefix}: the tree faces no bet here, mapped to check"
    if action.kind in (ActionKind.CHECK, ActionKind.CALL):
        return _call_child(tree, node, prefix)
    if not raises:
        return calls[0], f"{prefix}: the tree allows no more raises here, mapped to call"
    top = replay.max_bet
    pot_after_call = replay.total_pot + top - replay.bets[seat]
    fraction = (action.amount - top) / pot_after_call
    all_in = action.amount == replay.stacks[seat] + replay.bets[seat]
    if all_in and tree.action_to[raises[-1]] == tree.spec.stack:
        return raises[-1], ""
    fractions = _raise_fractions(tree, node, raises)
    choice = translate_bet(fraction, fractions, rng)
    if abs(fractions[choice] - fraction) <= _SAME_FRACTION * max(1.0, fraction):
        return raises[choice], ""
    return raises[choice], (
        f"{prefix} ({fraction:.3f} pot) mapped to {tree.action_label(raises[choice])} "
        f"({fractions[choice]:.3f} pot)"
    )
