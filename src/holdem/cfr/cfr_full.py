"""Full-width CFR+ and Discounted CFR over a betting tree and every deal of a small game.

Each iteration updates the seats in turn (alternating updates). For the updating seat p, every
deal is traversed with the current strategies of all seats; at p's rows the instantaneous
regret of action a is ``w * pi_-p * (v(a) - v)`` (``w`` the deal's probability, ``pi_-p`` the
others' reach) and ``pi_p * sigma(a)`` joins the strategy sum with the iteration's weight.
After all deals, p's cumulative regrets take the iteration's regrets:

- CFR+: ``R = max(R + r, 0)``; strategy weight ``t`` (linear averaging). O. Tammelin, "Solving
  Large Imperfect Information Games Using CFR+", 2014, https://arxiv.org/abs/1407.5042.
- DCFR(alpha, beta, gamma): ``R = R + r``, then positive entries times ``t^a / (t^a + 1)``,
  negative ones times ``t^b / (t^b + 1)``; strategy weight ``t^gamma`` (the paper multiplies
  the sum by ``(t / (t + 1))^gamma`` each iteration, which weights iteration t in proportion to
  ``t^gamma`` as here). N. Brown and T. Sandholm, "Solving Imperfect-Information Games via
  Discounted Regret Minimization", AAAI 2019, https://arxiv.org/abs/1809.04040.

Tables are float64, laid out as ``table[offsets[node] + bucket * strides[street[node]] + a]``
(`holdem.abstraction.betting_tree.TableLayout`).
Cost per iteration: n_players traversals of (tree nodes x deals) steps.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.betting_tree import DECISION
from holdem.cfr.card_model import require_exact
from holdem.cfr.game import SolverGame
from holdem.cfr.payoff import terminal_value
from holdem.cfr.regret_matching import fill_rows, normalize_table, regret_matching_table

ALGORITHMS = ("cfr+", "dcfr")


@njit(cache=True, nogil=True)
def _traverse(
    kind: np.ndarray,
    player: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    first_child: np.ndarray,
    chips: np.ndarray,
    folded: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    sigma: np.ndarray,
    buckets: np.ndarray,
    ranks: np.ndarray,
    weights: np.ndarray,
    seat: int,
    strategy_weight: float,
    instant: np.ndarray,
    strategy_sum: np.ndarray,
    max_depth: int,
    max_actions: int,
) -> None:
    """One pass of every deal for ``seat``: adds into ``instant`` and ``strategy_sum``."""
    st_node = np.empty(max_depth, np.int64)
    st_cursor = np.empty(max_depth, np.int64)
    st_self = np.empty(max_depth, np.float64)
    st_other = np.empty(max_depth, np.float64)
    st_value = np.empty((max_depth, max_actions), np.float64)
    for d in range(weights.shape[0]):
        deal_buckets = buckets[d]
        deal_ranks = ranks[d]
        depth = 0
        st_node[0] = 0
        st_cursor[0] = 0
        st_self[0] = 1.0
        st_other[0] = weights[d]
        while depth >= 0:
            node = st_node[depth]
            cursor = st_cursor[depth]
            n = n_actions[node]
            mover = player[node]
            row = offsets[node] + deal_buckets[mover, street[node]] * strides[street[node]]
            if cursor < n:
                child = first_child[node] + cursor
                st_cursor[depth] = cursor + 1
                reach_self = st_self[depth]
                reach_other = st_other[depth]
                if mover == seat:
                    reach_self *= sigma[row + cursor]
                else:
                    reach_other *= sigma[row + cursor]
                if kind[child] != DECISION:
                    st_value[depth, cursor] = terminal_value(
                        child, seat, kind, chips, folded, deal_ranks
                    )
                elif reach_self == 0.0 and reach_other == 0.0:
                    st_value[depth, cursor] = 0.0
                else:
                    depth += 1
                    st_node[depth] = child
                    st_cursor[depth] = 0
                    st_self[depth] = reach_self
                    st_other[depth] = reach_other
                continue
            value = 0.0
            for a in range(n):
                value += sigma[row + a] * st_value[depth, a]
            if mover == seat:
                for a in range(n):
                    instant[row + a] += st_other[depth] * (st_value[depth, a] - value)
                    strategy_sum[row + a] += strategy_weight * st_self[depth] * sigma[row + a]
            depth -= 1
            if depth >= 0:
                st_value[depth, st_cursor[depth] - 1] = value


@njit(cache=True, nogil=True)
def _update_regrets(
    kind: np.ndarray,
    player: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    n_buckets: np.ndarray,
    regret: np.ndarray,
    instant: np.ndarray,
    seat: int,
    plus: bool,
    positive_factor: float,
    negative_factor: float,
) -> None:
    """Add ``instant`` into ``seat``'s rows of ``regret`` (then floor or discount); zero it."""
    for node in range(kind.shape[0]):
        if kind[node] != DECISION or player[node] != seat:
            continue
        n = n_actions[node]
        stride = strides[street[node]]
        for bucket in range(n_buckets[street[node]]):
            start = offsets[node] + bucket * stride
            for i in range(start, start + n):
                r = regret[i] + instant[i]
                instant[i] = 0.0
                if plus:
                    r = max(r, 0.0)
                elif r > 0.0:
                    r *= positive_factor
                else:
                    r *= negative_factor
                regret[i] = r


@njit(cache=True, nogil=True)
def _iterate(
    kind: np.ndarray,
    player: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    first_child: np.ndarray,
    chips: np.ndarray,
    folded: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    n_buckets: np.ndarray,
    buckets: np.ndarray,
    ranks: np.ndarray,
    weights: np.ndarray,
    regret: np.ndarray,
    strategy_sum: np.ndarray,
    first: int,
    count: int,
    plus: bool,
    alpha: float,
    beta: float,
    gamma: float,
    max_depth: int,
    max_actions: int,
) -> None:
    """Iterations ``first`` .. ``first + count - 1`` (numbered from 1)."""
    n_players = chips.shape[1]
    sigma = np.empty(regret.shape[0], np.float64)
    instant = np.zeros(regret.shape[0], np.float64)
    for t in range(first, first + count):
        if plus:
            weight = float(t)
            positive_factor = 1.0
            negative_factor = 1.0
        else:
            weight = float(t) ** gamma
            positive_factor = t**alpha / (t**alpha + 1.0)
            negative_factor = t**beta / (t**beta + 1.0)
        for seat in range(n_players):
            fill_rows(kind, street, n_actions, offsets, strides, n_buckets, regret, sigma, True)
            _traverse(
                kind,
                player,
                street,
                n_actions,
                first_child,
                chips,
                folded,
                offsets,
                strides,
                sigma,
                buckets,
                ranks,
                weights,
                seat,
                weight,
                instant,
                strategy_sum,
                max_depth,
                max_actions,
            )
            _update_regrets(
                kind,
                player,
                street,
                n_actions,
                offsets,
                strides,
                n_buckets,
                regret,
                instant,
                seat,
                plus,
                positive_factor,
                negative_factor,
            )


class FullWidthSolver:
    """CFR+ or DCFR on a small game: ``run`` iterations, then read ``average_policy``.

    ``algorithm`` is ``"cfr+"`` or ``"dcfr"``; ``alpha``, ``beta``, ``gamma`` are DCFR's
    discount parameters (defaults 1.5, 0, 2 as recommended by Brown and Sandholm). The game's
    card model must list its deals (an `ExactCardModel`); a sampled-only one raises ValueError.
    """

    def __init__(
        self,
        game: SolverGame,
        algorithm: str = "cfr+",
        alpha: float = 1.5,
        beta: float = 0.0,
        gamma: float = 2.0,
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r}: choose one of {ALGORITHMS}")
        exact = require_exact(game.cards)
        self.game = game
        self.algorithm = algorithm
        self.alpha, self.beta, self.gamma = alpha, beta, gamma
        self.iteration = 0
        self.regret = np.zeros(game.layout.size, np.float64)
        self.strategy_sum = np.zeros(game.layout.size, np.float64)
        self._deals = exact.exact_deals()
        self._n_buckets = np.asarray(game.layout.n_buckets, np.int64)
        self._max_depth = game.tree.decision_depth()
        self._max_actions = int(game.tree.n_actions.max())

    def run(self, n_iterations: int) -> None:
        """Run ``n_iterations`` more iterations."""
        if n_iterations < 0:
            raise ValueError(f"n_iterations must be 0 or more, got {n_iterations}")
        tree, deals = self.game.tree, self._deals
        _iterate(
            tree.kind,
            tree.player,
            tree.street,
            tree.n_actions,
            tree.first_child,
            tree.chips,
            tree.folded,
            self.game.layout.offsets,
            self.game.layout.strides,
            self._n_buckets,
            deals.buckets,
            deals.ranks,
            deals.weights,
            self.regret,
            self.strategy_sum,
            self.iteration + 1,
            n_iterations,
            self.algorithm == "cfr+",
            self.alpha,
            self.beta,
            self.gamma,
            self._max_depth,
            self._max_actions,
        )
        self.iteration += n_iterations

    def average_policy(self) -> np.ndarray:
        """The weighted average of the strategies played so far (the policy that converges)."""
        return normalize_table(self.game.tree, self.game.layout, self.strategy_sum)

    def current_policy(self) -> np.ndarray:
        """The regret-matching strategy of the current regrets."""
        return regret_matching_table(self.game.tree, self.game.layout, self.regret)
