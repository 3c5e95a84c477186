"""Slow, obvious Python versions of the kernels, for differential tests on small games."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from holdem.abstraction.betting_tree import DECISION
from holdem.cfr.game import SolverGame
from holdem.cfr.payoff import terminal_value


def payoff(game: SolverGame, node: int, seat: int, ranks: np.ndarray) -> float:
    """Net chips of ``seat`` at a terminal, written out for two players."""
    tree = game.tree
    chips = tree.chips[node]
    folded = int(tree.folded[node])
    if folded:
        return float(chips[1 - seat]) if folded != 1 << seat else -float(chips[seat])
    if ranks[seat] == ranks[1 - seat]:
        return 0.0
    return float(chips[1 - seat]) if ranks[seat] > ranks[1 - seat] else -float(chips[seat])


def seat_value(game: SolverGame, policy: np.ndarray, seat: int, best: bool) -> float:
    """Best-response (or on-policy) value of ``seat`` by recursion, grouping deals by its buckets.

    ``items`` holds (deal, reach) pairs that ``seat`` cannot tell apart at ``node``.
    """
    tree, layout = game.tree, game.layout
    deals = game.cards.exact_deals()

    def row(node: int, bucket: int) -> np.ndarray:
        n = int(tree.n_actions[node])
        start = int(layout.offsets[node]) + bucket * n
        return policy[start : start + n]

    def value(node: int, items: list[tuple[int, float]]) -> float:
        if tree.kind[node] != DECISION:
            return sum(r * terminal_value(node, seat, tree.kind, tree.chips, tree.folded,
                                          deals.ranks[d]) for d, r in items)
        street = int(tree.street[node])
        mover = int(tree.player[node])
        if mover == seat:
            bucket = int(deals.buckets[items[0][0], seat, street])
            actions = [split(child, items) for child in tree.children(node)]
            if best:
                return max(actions)
            return float(np.dot(row(node, bucket), actions))
        total = 0.0
        for a, child in enumerate(tree.children(node)):
            moved = [(d, r * row(node, int(deals.buckets[d, mover, street]))[a]) for d, r in items]
            total += split(child, moved)
        return total

    def split(node: int, items: list[tuple[int, float]]) -> float:
        """Recurse after separating the deals ``seat``'s bucket on this street tells apart."""
        groups: dict[int, list[tuple[int, float]]] = defaultdict(list)
        street = int(tree.street[node])
        for d, r in items:
            groups[int(deals.buckets[d, seat, street])].append((d, r))
        return sum(value(node, group) for group in groups.values())

    return split(0, [(d, float(w)) for d, w in enumerate(deals.weights)])
