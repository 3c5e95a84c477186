"""Kuhn and Leduc as tree + card model + payoff, checked history by history against OpenSpiel."""

import numpy as np
import pytest

from holdem.abstraction.betting_tree import DECISION
from holdem.cfr.game import kuhn_game, load_game
from holdem.cfr.payoff import terminal_value
from holdem.cfr.rng import new_state
from tests.cfr.openspiel_bridge import walk


def game_named(name):
    return kuhn_game(3) if name == "kuhn3" else load_game(name)


@pytest.mark.parametrize(("name", "n_infostates"), [("kuhn", 12), ("kuhn3", 48), ("leduc", 936)])
def test_every_openspiel_history_maps_to_our_tree_with_the_same_payoffs(name, n_infostates):
    game = game_named(name)
    tree = game.tree
    infostates, terminals = walk(game)
    assert len(infostates) == n_infostates
    # Every legal OpenSpiel action is one of ours and vice versa.
    for info in infostates.values():
        assert sorted(info.actions.values()) == list(range(tree.n_actions[info.node]))
    reached = {info.node for info in infostates.values()}
    assert reached == set(tree.decision_nodes().tolist())
    for end in terminals:
        assert tree.kind[end.node] != DECISION
        for seat in range(tree.n_players):
            value = terminal_value(end.node, seat, tree.kind, tree.chips, tree.folded, end.ranks)
            assert value == pytest.approx(end.returns[seat], abs=1e-12)


@pytest.mark.parametrize("name", ["kuhn", "kuhn3", "leduc"])
def test_exact_deals_are_the_sampled_distribution(name):
    game = game_named(name)
    deals = game.cards.exact_deals()
    assert deals.weights.sum() == pytest.approx(1.0, abs=1e-12)
    buckets, ranks = game.cards.deal_batch(new_state(7), 200_000)
    sampled = np.concatenate((buckets.reshape(len(ranks), -1), ranks), axis=1)
    exact = np.concatenate((deals.buckets.reshape(deals.n_deals, -1), deals.ranks), axis=1)
    index = {tuple(row): i for i, row in enumerate(exact.tolist())}
    counts = np.zeros(deals.n_deals)
    for row in sampled.tolist():
        counts[index[tuple(row)]] += 1
    expected = deals.weights * len(ranks)
    # Chi-square with n_deals - 1 degrees of freedom; 3x the mean is far in the tail.
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 3 * deals.n_deals


def test_leduc_deal_table_counts():
    deals = load_game("leduc").cards.exact_deals()
    # 27 rank triples less the 3 that need three cards of one rank; 120 ordered deals in all.
    assert deals.n_deals == 24
    ways = np.round(deals.weights * 120).astype(int)
    # Distinct ranks: 2 * 2 * 2 suit choices; one rank twice: 2 * 1 * 2.
    assert sorted(ways.tolist()) == [4] * 18 + [8] * 6


def test_sampling_is_reproducible_from_the_seed():
    cards = load_game("leduc").cards
    first = cards.deal_batch(new_state(3), 100)
    again = cards.deal_batch(new_state(3), 100)
    other = cards.deal_batch(new_state(4), 100)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


def test_multiway_payoffs_split_and_fold():
    from holdem.abstraction.betting_spec import BetSize, BettingSpec, StreetBetting
    from holdem.abstraction.betting_tree import compile_tree

    spec = BettingSpec(
        n_players=3, stack=10, ante=1,
        streets=(StreetBetting(sizes=((BetSize.fixed(2),),), max_raises=1),),
    )
    tree = compile_tree(spec)
    ranks = np.array([5, 5, 1], np.int32)
    everyone_checks = tree.node_of("ccc")
    values = [terminal_value(everyone_checks, s, tree.kind, tree.chips, tree.folded, ranks)
              for s in range(3)]
    assert values == [0.5, 0.5, -1.0]
    two_fold = tree.node_of("rff")
    values = [terminal_value(two_fold, s, tree.kind, tree.chips, tree.folded, ranks)
              for s in range(3)]
    assert values == [2.0, -1.0, -1.0]
    one_folds = tree.node_of("rfc")
    values = [terminal_value(one_folds, s, tree.kind, tree.chips, tree.folded, ranks)
              for s in range(3)]
    assert values == [4.0, -1.0, -3.0]
