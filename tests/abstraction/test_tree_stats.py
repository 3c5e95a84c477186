from pathlib import Path

import numpy as np

from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_tree import DECISION, FOLD_END, SHOWDOWN, compile_tree
from holdem.abstraction.tree_stats import tree_stats

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def test_counts_agree_with_a_walk_over_every_node():
    tree = compile_tree(load_betting_spec(CONFIGS / "hu_small.yaml"))
    buckets = (169, 50, 40, 30)
    stats = tree_stats(tree, buckets)
    infosets = np.zeros((4, 2), np.int64)
    entries = np.zeros(4, np.int64)
    kinds = {DECISION: 0, FOLD_END: 0, SHOWDOWN: 0}
    for node in range(tree.n_nodes):
        kinds[int(tree.kind[node])] += 1
        if tree.kind[node] == DECISION:
            street, seat = int(tree.street[node]), int(tree.player[node])
            infosets[street, seat] += buckets[street]
            entries[street] += buckets[street] * int(tree.n_actions[node])
    assert np.array_equal(stats.infosets, infosets)
    assert np.array_equal(stats.entries, entries)
    assert stats.total_entries == tree.layout(buckets).size
    assert (stats.n_fold_ends, stats.n_showdowns) == (kinds[FOLD_END], kinds[SHOWDOWN])
    assert stats.regret_bytes == 4 * stats.total_entries
    assert stats.strategy_bytes == 8 * stats.total_entries
