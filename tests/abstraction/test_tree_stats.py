from pathlib import Path

import numpy as np
import pytest

from holdem.abstraction.betting_config import load_betting_spec
from holdem.abstraction.betting_tree import DECISION, FOLD_END, SHOWDOWN, compile_tree
from holdem.abstraction.tree_stats import tree_stats
from holdem.cli.main import main

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


def test_tree_stats_command_prints_the_counts(capsys):
    assert main(["tree", "stats", str(CONFIGS / "hu_small.yaml"), "--buckets", "169,50,40,30"]) == 0
    out = capsys.readouterr().out
    tree = compile_tree(load_betting_spec(CONFIGS / "hu_small.yaml"))
    stats = tree_stats(tree, (169, 50, 40, 30))
    assert f"{stats.total_infosets:,}" in out
    assert f"nodes {tree.n_nodes:,}" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--buckets", "169,200"], "needs 4 positive counts"),
        (["--buckets", "a,b,c,d"], "whole numbers"),
    ],
)
def test_tree_stats_command_rejects_bad_buckets(capsys, argv, message):
    assert main(["tree", "stats", str(CONFIGS / "hu_small.yaml"), *argv]) == 2
    assert message in capsys.readouterr().out


def test_tree_stats_command_names_a_missing_config(capsys):
    assert main(["tree", "stats", "nowhere.yaml"]) == 2
    assert "nowhere.yaml: no such file" in capsys.readouterr().out
