"""Exact best response and exploitability: known values, OpenSpiel, and a slow Python version."""

import numpy as np
import pytest

from holdem.cfr.best_response import evaluate_policy, exploitability
from holdem.cfr.game import kuhn_game, load_game
from holdem.cfr.policy_io import policy_from_dict
from holdem.cfr.regret_matching import uniform_table
from tests.cfr import reference
from tests.cfr.openspiel_bridge import openspiel_exploitability, walk


def random_policy(game, seed, concentration=1.0):
    """Rows drawn from a Dirichlet distribution (small concentration: near-deterministic rows)."""
    rng = np.random.default_rng(seed)
    table = np.empty(game.layout.size)
    tree, layout = game.tree, game.layout
    for node in tree.decision_nodes():
        n = int(tree.n_actions[node])
        for bucket in range(layout.n_buckets[tree.street[node]]):
            start = layout.row(node, int(tree.street[node]), bucket)
            table[start : start + n] = rng.dirichlet(np.full(n, concentration))
    return table


def kuhn_equilibrium(alpha):
    """Kuhn's equilibrium family for the first player's bluffing frequency alpha in [0, 1/3],
    as a policy-file mapping."""
    bet = {"J": alpha, "Q": 0.0, "K": 3 * alpha}
    call_after_check = {"J": 0.0, "Q": alpha + 1 / 3, "K": 1.0}
    bet_after_check = {"J": 1 / 3, "Q": 0.0, "K": 1.0}
    call_a_bet = {"J": 0.0, "Q": 1 / 3, "K": 1.0}
    mapping = {}
    for card in "JQK":
        mapping[f"{card}|"] = {"c": 1 - bet[card], "r": bet[card]}
        mapping[f"{card}|c"] = {"c": 1 - bet_after_check[card], "r": bet_after_check[card]}
        mapping[f"{card}|r"] = {"f": 1 - call_a_bet[card], "c": call_a_bet[card]}
        mapping[f"{card}|cr"] = {"f": 1 - call_after_check[card], "c": call_after_check[card]}
    return mapping


def test_kuhn_uniform_exploitability_is_11_over_24():
    game = load_game("kuhn")
    assert exploitability(game, uniform_table(game.tree, game.layout)) == pytest.approx(
        11 / 24, abs=1e-12
    )


def test_three_player_kuhn_uniform_nash_conv_matches_openspiel():
    # pyspiel.nash_conv(kuhn_poker(players=3), uniform) = 2.0625 (33/16).
    game = kuhn_game(3)
    report = evaluate_policy(game, uniform_table(game.tree, game.layout))
    assert report.nash_conv == pytest.approx(33 / 16, abs=1e-12)
    assert report.exploitability == pytest.approx(33 / 48, abs=1e-12)


def test_leduc_uniform_exploitability():
    game = load_game("leduc")
    report = evaluate_policy(game, uniform_table(game.tree, game.layout))
    assert report.nash_conv == pytest.approx(4.7472222222, abs=1e-9)
    assert report.exploitability == pytest.approx(2.3736111111, abs=1e-9)
    assert sum(report.expected) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 1 / 6, 1 / 3])
def test_kuhn_equilibria_are_unexploitable_and_worth_minus_one_eighteenth(alpha):
    game = load_game("kuhn")
    report = evaluate_policy(game, policy_from_dict(game, kuhn_equilibrium(alpha)))
    assert report.exploitability == pytest.approx(0.0, abs=1e-12)
    assert report.expected[0] == pytest.approx(-1 / 18, abs=1e-12)


def test_kuhn_second_player_who_never_bluffs_is_exploitable():
    game = load_game("kuhn")
    mapping = kuhn_equilibrium(1 / 6)
    mapping["J|c"] = {"c": 1.0, "r": 0.0}
    report = evaluate_policy(game, policy_from_dict(game, mapping))
    # Without J's bluffs a bet after a check always shows K or better, so folding Q gains.
    assert report.exploitability > 1e-3
    assert report.best_response[0] > report.expected[0] + 1e-3


def game_named(name):
    return kuhn_game(3) if name == "kuhn3" else load_game(name)


@pytest.mark.parametrize("name", ["kuhn", "kuhn3", "leduc"])
def test_random_policies_match_openspiel(name):
    game = game_named(name)
    infostates, _ = walk(game)
    for seed, concentration in [(0, 1.0), (1, 0.3), (2, 5.0), (3, 0.05)]:
        table = random_policy(game, seed, concentration)
        ours = exploitability(game, table)
        assert ours == pytest.approx(openspiel_exploitability(game, table, infostates), abs=1e-10)


@pytest.mark.parametrize("name", ["kuhn", "kuhn3", "leduc"])
def test_kernel_matches_the_slow_python_version(name):
    game = game_named(name)
    table = random_policy(game, 11, 0.5)
    report = evaluate_policy(game, table)
    for seat in range(game.tree.n_players):
        assert report.best_response[seat] == pytest.approx(
            reference.seat_value(game, table, seat, True), abs=1e-12
        )
        assert report.expected[seat] == pytest.approx(
            reference.seat_value(game, table, seat, False), abs=1e-12
        )


def test_malformed_tables_are_refused():
    game = load_game("kuhn")
    with pytest.raises(ValueError, match="shape"):
        exploitability(game, np.ones(3))
    bad = uniform_table(game.tree, game.layout)
    bad[0] = 0.9
    with pytest.raises(ValueError, match="'J\\|' sums to"):
        exploitability(game, bad)
