"""The merge of a cluster's replicas: each node's changed entries, summed into the driver's
tables, saturating as the kernel's own int32 updates do, then written back to every replica."""

import numpy as np
import pytest

from holdem.cfr.mccfr import PLURIBUS_FLOOR
from holdem.training.replica_merge import (
    INT32_MAX,
    apply_changes,
    changed_entries,
    entries_at,
    merge_changes,
    nonzero_entries,
)


def test_a_node_sends_only_what_it_changed_or_its_table_when_that_is_smaller():
    base = np.array([10, -20, 0, 5, 7], np.int32)
    table = np.array([15, -20, 0, 9, 7], np.int32)
    changes = changed_entries(table, base)
    assert changes.index.tolist() == [0, 3] and changes.values.tolist() == [15, 9]
    assert changes.index.dtype == np.uint32 and not changes.whole
    assert changes.nbytes == 2 * 4 + 2 * 4
    # Three of five entries at 8 bytes each would outweigh the table's 20 bytes.
    table[2] = 1
    whole = changed_entries(table, base)
    assert whole.whole and whole.values.tolist() == table.tolist() and whole.nbytes == 20


def test_changes_since_the_start_add_up_and_go_back_to_every_replica():
    start = np.array([10, -20, 0, 5, 0, 0, 0, 0], np.int32)
    a = np.array([15, -20, 3, 5, 0, 0, 0, 0], np.int32)  # +5, 0, +3, 0
    b = np.array([10, -30, 1, 9, 0, 0, 0, 0], np.int32)  # 0, -10, +1, +4
    driver = start.copy()
    changes = [changed_entries(a, start), changed_entries(b, start)]
    assert not any(c.whole for c in changes)  # 2 and 3 entries of 8 bytes < 32 bytes
    changed = merge_changes(driver, changes, PLURIBUS_FLOOR)
    assert driver.tolist() == [15, -30, 4, 9, 0, 0, 0, 0]
    assert changed.tolist() == [0, 1, 2, 3]
    base_a = start.copy()
    apply_changes(entries_at(driver, changed), a, base_a)
    assert a.tolist() == base_a.tolist() == driver.tolist()


def test_a_whole_table_and_changed_entries_merge_alike(monkeypatch):
    import holdem.training.replica_merge as module

    monkeypatch.setattr(module, "_BLOCK", 3)
    rng = np.random.default_rng(1)
    start = rng.integers(-1000, 1000, 10).astype(np.int32)
    a, b = start.copy(), start.copy()
    a[:8] += rng.integers(1, 50, 8).astype(np.int32)  # most of it: sent whole
    b[[2, 9]] -= 7  # two entries
    expected = start.astype(np.int64) + (a - start) + (b - start)
    driver = start.copy()
    changes = [changed_entries(a, start), changed_entries(b, start)]
    assert changes[0].whole and not changes[1].whole
    assert merge_changes(driver, changes, -5000.0) is module.EVERY_ENTRY
    assert driver.tolist() == expected.tolist()
    back = entries_at(driver, module.EVERY_ENTRY)
    apply_changes(back, b)
    assert back.whole and b.tolist() == driver.tolist()


def test_int32_sums_saturate_at_the_floor_and_the_limit_as_the_kernel_does():
    floor = -1000.0
    start = np.array([-900, INT32_MAX - 10, 0], np.int32)
    a = np.array([-1000, INT32_MAX, 2_000_000_000], np.int32)
    b = np.array([-950, INT32_MAX - 5, 2_000_000_000], np.int32)
    driver = start.copy()
    merge_changes(driver, [changed_entries(a, start), changed_entries(b, start)], floor)
    # -900 - 100 - 50 stops at the floor; the limit holds; 4e9 in int64 stops at the limit.
    assert driver.tolist() == [-1000, INT32_MAX, INT32_MAX]


def test_float_sums_add_without_a_floor_and_blocks_do_not_matter(monkeypatch):
    import holdem.training.replica_merge as module

    monkeypatch.setattr(module, "_BLOCK", 7)
    rng = np.random.default_rng(0)
    start = rng.random(1000)
    replicas = [start.copy() for _ in range(3)]
    for replica in replicas:
        touched = rng.choice(1000, 300, replace=False)
        replica[touched] += rng.random(300)
    expected = start + sum(r - start for r in replicas)
    driver = start.copy()
    merge_changes(driver, [changed_entries(r, start) for r in replicas], float("-inf"))
    np.testing.assert_allclose(driver, expected, rtol=1e-12)


def test_one_node_s_values_are_taken_bit_for_bit():
    start = np.array([0.1, 0.2, 0.3])
    replica = np.array([0.7, 1e-17, 0.3])  # start + (replica - start) would round
    driver = start.copy()
    merge_changes(driver, [changed_entries(replica, start)], float("-inf"))
    assert driver.tobytes() == replica.tobytes()


def test_a_replica_of_another_game_is_refused():
    with pytest.raises(ValueError, match="every node must train the same game"):
        changed_entries(np.zeros(3, np.int32), np.zeros(4, np.int32))


def test_a_node_that_syncs_and_discounts_keeps_the_one_machine_tables_bit_for_bit():
    # The sync protocol without Ray: a NodeRunner (in this process) trains batches, the driver
    # merges its changes, discounts, and sends the merged entries back; the node's replica and
    # the driver's tables then equal, bit for bit, tables trained and discounted in one place.
    from holdem.cfr.mccfr import discount_tables
    from holdem.training.batches import Tables, run_batches
    from holdem.training.cluster import NodeRunner, NodeSpec
    from holdem.training.trainer import kernel_options_for
    from holdem.training.training_game import load_training_game
    from tests.training.test_workers import pushfold_config

    config = pushfold_config()
    training = load_training_game(config.betting, config.buckets)
    options = kernel_options_for(config)
    game = training.game
    spec = NodeSpec(
        betting=str(training.betting_path),
        buckets=None,
        n_players=2,
        files=training.describe_files(),
        options=options,
        prune=None,
        seed=config.seed,
        batch_size=config.batch,
        limit=None,
        n_workers=1,
        pool_settings=None,
    )
    node = NodeRunner(spec)
    node.prepare()
    regret = np.zeros(game.layout.size, np.int32)
    sums = np.zeros(options.summed_rows(game), np.float64)
    node.join((nonzero_entries(regret), nonzero_entries(sums)))
    alone = Tables(regret.copy(), sums.copy(), np.zeros(5, np.int64))
    first = 0
    for count, factor in ((20, 0.5), (30, 2 / 3), (25, None)):
        node.run(first, count, None)
        run_batches(game, options, alone, config.seed, config.batch, first, count)
        first += count
        regret_changes, sum_changes = node.changes()
        changed = (
            merge_changes(regret, [regret_changes], PLURIBUS_FLOOR),
            merge_changes(sums, [sum_changes], float("-inf")),
        )
        discounts = []
        if factor is not None:
            discount_tables(regret, sums, factor, options)
            discount_tables(alone.regret, alone.strategy_sum, factor, options)
            discounts.append(factor)
        node.update((discounts, entries_at(regret, changed[0]), entries_at(sums, changed[1])))
    node.close()
    for mine, theirs in ((regret, alone.regret), (sums, alone.strategy_sum)):
        assert mine.tobytes() == theirs.tobytes()
    assert node.regret.tobytes() == regret.tobytes() == node.base_regret.tobytes()
    assert node.sums.tobytes() == sums.tobytes()
    assert np.count_nonzero(regret) > 100
