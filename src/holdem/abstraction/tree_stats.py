"""Size of a betting tree: nodes and infosets per street and per player, and table memory.

An infoset is a (decision node, bucket) pair: what the acting player knows at the node. The
dense tables the solver allocates hold one row of ``n_actions`` entries per infoset, for the
regrets (4 bytes each, int32 or float32) and for the strategy sums (8 bytes each, float64).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from holdem.abstraction.betting_tree import DECISION, FOLD_END, SHOWDOWN, BettingTree

REGRET_BYTES = 4
STRATEGY_BYTES = 8


@dataclass(frozen=True)
class TreeStats:
    """Counts of one tree under given bucket counts; arrays are indexed by street (and seat)."""

    n_nodes: int
    n_decision: np.ndarray  # (n_streets,)
    n_fold_ends: int
    n_showdowns: int
    infosets: np.ndarray  # (n_streets, n_players)
    entries: np.ndarray  # (n_streets,) table entries: infosets times actions
    n_buckets: tuple[int, ...]

    @property
    def total_infosets(self) -> int:
        return int(self.infosets.sum())

    @property
    def total_entries(self) -> int:
        return int(self.entries.sum())

    @property
    def regret_bytes(self) -> int:
        return self.total_entries * REGRET_BYTES

    @property
    def strategy_bytes(self) -> int:
        return self.total_entries * STRATEGY_BYTES


def tree_stats(tree: BettingTree, n_buckets: Sequence[int]) -> TreeStats:
    """Nodes, infosets and table entries of ``tree`` with ``n_buckets[street]`` buckets."""
    layout = tree.layout(n_buckets)
    decision = tree.kind == DECISION
    streets, players = tree.street[decision], tree.player[decision]
    buckets = np.asarray(layout.n_buckets, np.int64)
    n_streets, n_players = tree.n_streets, tree.n_players
    n_decision = np.bincount(streets, minlength=n_streets).astype(np.int64)
    nodes_by = np.zeros((n_streets, n_players), np.int64)
    np.add.at(nodes_by, (streets, players), 1)
    actions = np.bincount(
        streets, weights=tree.n_actions[decision].astype(np.float64), minlength=n_streets
    ).astype(np.int64)
    return TreeStats(
        n_nodes=tree.n_nodes,
        n_decision=n_decision,
        n_fold_ends=int(np.count_nonzero(tree.kind == FOLD_END)),
        n_showdowns=int(np.count_nonzero(tree.kind == SHOWDOWN)),
        infosets=nodes_by * buckets[:, None],
        entries=actions * buckets,
        n_buckets=layout.n_buckets,
    )
