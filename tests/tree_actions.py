"""The real action of a betting tree's action, for tests that walk a tree and a hand together."""

from holdem.abstraction.betting_tree import CALL, FOLD, BettingTree
from holdem.rules.actions import Action
from holdem.rules.state import HandState


def real_action(tree: BettingTree, child: int, state: HandState) -> Action:
    """The real action that the tree action leading to ``child`` is in ``state``: the tree's
    raises are totals for the hand, a real raise is a total for the betting round."""
    kind = int(tree.action_kind[child])
    if kind == FOLD:
        return Action.fold()
    if kind == CALL:
        return Action.call() if state.legal_actions().can_call else Action.check()
    seat = state.to_act
    assert seat is not None
    before_round = state.contributions[seat] - state.bets[seat]
    return Action.raise_to(int(tree.action_to[child]) - before_round)
