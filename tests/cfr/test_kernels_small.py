"""Small kernels against written-out versions: the generator, payoffs, regret matching."""

import numpy as np
import pytest

from holdem.cfr.game import load_game
from holdem.cfr.payoff import terminal_value
from holdem.cfr.regret_matching import match_row, normalize_table, regret_matching_table
from holdem.cfr.rng import new_state, next_below, next_float, next_u64
from tests.cfr import reference


def test_splitmix64_reference_outputs():
    # First outputs for seed 0 of the reference C code of Vigna's splitmix64.c.
    state = new_state(0)
    assert [int(next_u64(state)) for _ in range(3)] == [
        0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F,
    ]
    python = reference.SplitMix(12345)
    state = new_state(12345)
    for _ in range(1000):
        assert next_float(state) == python.next_float()


def test_next_below_is_uniform():
    state = new_state(9)
    counts = np.bincount([next_below(state, 6) for _ in range(60_000)], minlength=6)
    assert counts.shape == (6,)
    assert np.all(np.abs(counts - 10_000) < 6 * np.sqrt(10_000 * 5 / 6))


def test_bad_seed():
    with pytest.raises(ValueError, match="seed"):
        new_state(-1)


def test_terminal_values_match_the_written_out_rule():
    game = load_game("leduc")
    tree = game.tree
    deals = game.cards.exact_deals()
    terminals = np.flatnonzero(tree.kind != 0)
    for node in terminals.tolist():
        for d in range(deals.n_deals):
            for seat in range(2):
                assert terminal_value(node, seat, tree.kind, tree.chips, tree.folded,
                                      deals.ranks[d]) == reference.payoff(
                    game, node, seat, deals.ranks[d])


def test_regret_matching_rows():
    out = np.empty(4)
    for row in ([3.0, -1.0, 1.0, 0.0], [-1.0, -2.0, 0.0, -5.0], [0.0, 0.0, 0.0, 7.0]):
        regret = np.array(row, np.float32)
        match_row(regret, 0, 4, out)
        assert out.tolist() == pytest.approx(reference.match_sequential(regret))
    ints = np.array([0, 5, 15, -7], np.int32)
    match_row(ints, 1, 3, out)
    assert out[:3].tolist() == [0.25, 0.75, 0.0]


def test_tables_of_policies():
    game = load_game("kuhn")
    rng = np.random.default_rng(0)
    regret = rng.normal(size=game.layout.size)
    sums = rng.uniform(size=game.layout.size)
    sums[:2] = 0.0
    current = regret_matching_table(game.tree, game.layout, regret)
    average = normalize_table(game.tree, game.layout, sums)
    for _, _, start, n in reference.rows(game):
        assert current[start : start + n].tolist() == pytest.approx(
            reference.match_sequential(regret[start : start + n]))
        row = sums[start : start + n]
        expected = row / row.sum() if row.sum() > 0 else np.full(n, 1 / n)
        assert average[start : start + n] == pytest.approx(expected)
    with pytest.raises(ValueError, match="shape"):
        normalize_table(game.tree, game.layout, sums[:-1])
