"""Exact best response, expected values, NashConv and exploitability of a tabular policy.

For each seat b the others' policy is fixed; b's best response picks, in each of its information
sets, the action of highest value. An information set of b is a decision node plus b's buckets
on every street so far, encoded as ``key[s] = key[s-1] * n_buckets[s] + bucket[s]``, so b is
given perfect recall even when the buckets alone would not provide it.

Two passes over the tree with every deal of the game (`ExactCardModel.exact_deals`): top-down,
the chance-and-others reach of each (node, deal); bottom-up, for each (node, key) the summed
counterfactual value, taking the best action at b's nodes. NashConv is the sum over seats of
(best response value - value of the policy); exploitability is NashConv / n_players, in chips
per game, as in OpenSpiel's ``exploitability`` (NashConv: M. Lanctot et al., "A Unified
Game-Theoretic Approach to Multiagent Reinforcement Learning", NIPS 2017,
https://arxiv.org/abs/1711.00832). Walking public states with the others' reach over hidden
cards follows M. Johanson et al., "Accelerating Best Response Calculation in Large Extensive
Games", IJCAI 2011.

Cost: ``n_nodes * n_deals`` for the reaches, ``n_nodes * prod(n_buckets)`` for the values; only
for games small enough to enumerate (Kuhn, Leduc).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from holdem.abstraction.betting_tree import DECISION
from holdem.cfr.card_model import require_exact
from holdem.cfr.game import SolverGame
from holdem.cfr.payoff import terminal_value


@dataclass(frozen=True)
class PolicyReport:
    """Per-seat values of a policy: ``best_response[s]`` and ``expected[s]`` in chips per game."""

    best_response: tuple[float, ...]
    expected: tuple[float, ...]

    @property
    def nash_conv(self) -> float:
        return sum(b - e for b, e in zip(self.best_response, self.expected, strict=True))

    @property
    def exploitability(self) -> float:
        return self.nash_conv / len(self.expected)


@njit(cache=True, nogil=True)
def _seat_value(
    kind: np.ndarray,
    player: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    first_child: np.ndarray,
    chips: np.ndarray,
    folded: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    policy: np.ndarray,
    buckets: np.ndarray,
    ranks: np.ndarray,
    weights: np.ndarray,
    keys: np.ndarray,
    n_keys: np.ndarray,
    n_buckets: np.ndarray,
    seat: int,
    best: bool,
) -> float:
    """Value of ``seat`` against ``policy``: best response if ``best``, else the policy's own.

    ``keys[d, s]``: seat's information key on street s in deal d; ``n_keys[s]`` their count.
    """
    n_nodes = kind.shape[0]
    n_deals = weights.shape[0]
    reach = np.empty((n_nodes, n_deals), np.float64)
    reach[0, :] = weights
    for node in range(n_nodes):
        if kind[node] != DECISION:
            continue
        p = player[node]
        s = street[node]
        n = n_actions[node]
        for a in range(n):
            child = first_child[node] + a
            for d in range(n_deals):
                if p == seat:
                    reach[child, d] = reach[node, d]
                else:
                    row = offsets[node] + buckets[d, p, s] * strides[s]
                    reach[child, d] = reach[node, d] * policy[row + a]
    values = np.zeros((n_nodes, n_keys[n_keys.shape[0] - 1]), np.float64)
    for node in range(n_nodes - 1, -1, -1):
        s = street[node]
        if kind[node] != DECISION:
            for d in range(n_deals):
                if reach[node, d] != 0.0:
                    v = terminal_value(node, seat, kind, chips, folded, ranks[d])
                    values[node, keys[d, s]] += reach[node, d] * v
            continue
        n = n_actions[node]
        for k in range(n_keys[s]):
            chosen = -np.inf
            total = 0.0
            for a in range(n):
                child = first_child[node] + a
                q = 0.0
                if street[child] == s:
                    q = values[child, k]
                else:
                    width = n_buckets[s + 1]
                    for b in range(width):
                        q += values[child, k * width + b]
                if player[node] != seat:
                    total += q
                elif best:
                    chosen = max(chosen, q)
                else:
                    total += policy[offsets[node] + (k % n_buckets[s]) * strides[s] + a] * q
            values[node, k] = chosen if player[node] == seat and best else total
    result = 0.0
    for k in range(n_keys[0]):
        result += values[0, k]
    return result


def _keys(buckets: np.ndarray, n_buckets: tuple[int, ...], seat: int) -> tuple[np.ndarray, ...]:
    n_deals, _, n_streets = buckets.shape
    keys = np.zeros((n_deals, n_streets), np.int64)
    n_keys = np.zeros(n_streets, np.int64)
    running = np.zeros(n_deals, np.int64)
    count = 1
    for s in range(n_streets):
        running = running * n_buckets[s] + buckets[:, seat, s]
        count *= n_buckets[s]
        keys[:, s] = running
        n_keys[s] = count
    return keys, n_keys


def evaluate_policy(game: SolverGame, policy: np.ndarray) -> PolicyReport:
    """Best-response and expected values of every seat for a policy table.

    ``policy[layout.row(node, street, bucket) + a]`` is the probability of action a;
    each row must sum to 1 (check with `check_policy_table`). The game's card model must list
    its deals (an `ExactCardModel`); a sampled-only one (Hold'em) raises ValueError.
    """
    check_policy_table(game, policy)
    tree, layout = game.tree, game.layout
    deals = require_exact(game.cards).exact_deals()
    n_buckets = np.asarray(layout.n_buckets, np.int64)
    best, expected = [], []
    for seat in range(tree.n_players):
        keys, n_keys = _keys(deals.buckets, layout.n_buckets, seat)
        args = (
            tree.kind,
            tree.player,
            tree.street,
            tree.n_actions,
            tree.first_child,
            tree.chips,
            tree.folded,
            layout.offsets,
            layout.strides,
            policy,
            deals.buckets,
            deals.ranks,
            deals.weights,
            keys,
            n_keys,
            n_buckets,
            seat,
        )
        best.append(float(_seat_value(*args, True)))
        expected.append(float(_seat_value(*args, False)))
    return PolicyReport(tuple(best), tuple(expected))


def exploitability(game: SolverGame, policy: np.ndarray) -> float:
    """NashConv / n_players of a policy table, in chips per game (0 exactly at an equilibrium)."""
    return evaluate_policy(game, policy).exploitability


def check_policy_table(game: SolverGame, policy: np.ndarray, tolerance: float = 1e-6) -> None:
    """Raise ValueError unless ``policy`` fits the game's layout and each row is a distribution."""
    size = game.layout.size
    if policy.shape != (size,):
        raise ValueError(f"policy table has shape {policy.shape}, the game needs ({size},)")
    if not np.all(np.isfinite(policy)) or np.any(policy < 0):
        raise ValueError("policy table has negative or non-finite probabilities")
    tree, layout = game.tree, game.layout
    for node in tree.decision_nodes():
        rows = layout.node_rows(
            policy, int(node), int(tree.street[node]), int(tree.n_actions[node])
        )
        bad = np.flatnonzero(np.abs(rows.sum(axis=1) - 1.0) > tolerance)
        if bad.size:
            key = game.infoset_key(int(node), int(bad[0]))
            raise ValueError(f"policy row {key!r} sums to {rows[bad[0]].sum()!r}, not 1")
