"""External-sampling Monte Carlo CFR: one Numba traversal for every game.

Each iteration draws one deal (from the card model, before the traversal) and then, for each
seat in turn (alternating traversers), walks the tree: at the traverser's nodes every action is
explored and its regret updated; at the other seats' nodes one action is sampled from their
current strategy, which is also added to their strategy sums (simple averaging).
M. Lanctot, K. Waugh, M. Zinkevich and M. Bowling, "Monte Carlo Sampling for Regret
Minimization in Extensive Games", NIPS 2009, https://papers.nips.cc/paper/3713.

Options as in Pluribus (see `holdem.cfr.schedules`): linear discounting, negative-regret
pruning, and regrets stored as int32 with a floor (rounded after scaling by ``regret_scale``) or
as float32. Tables are flat: ``regret[offsets[node] + bucket * n_actions[node] + a]``, the
strategy sums (float64) the same. The traversal uses an explicit stack, no recursion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numba import njit

from holdem.abstraction.betting_tree import DECISION
from holdem.cfr.game import SolverGame
from holdem.cfr.payoff import terminal_value
from holdem.cfr.regret_matching import match_row, normalize_table, regret_matching_table
from holdem.cfr.rng import new_state, next_float, next_u64
from holdem.cfr.schedules import LinearDiscount, PruneSchedule

PLURIBUS_FLOOR = -310_000_000
"""Pluribus's floor on int32 regrets, far from the int32 limit so sums cannot wrap."""

_INT32_MAX = 2_147_483_647.0

# Kernel counters: traverser decisions visited, actions pruned, traversals that pruned.
VISITS, PRUNED_ACTIONS, PRUNED_TRAVERSALS = 0, 1, 2


@njit(cache=True, nogil=True)
def _store(regret: np.ndarray, i: int, x: float, floor: float, is_int: bool) -> None:
    """Write a regret: at least ``floor``; rounded and kept inside int32 for integer tables."""
    if x < floor:
        x = floor
    if is_int:
        x = min(np.floor(x + 0.5), _INT32_MAX)
    regret[i] = x


@njit(cache=True, nogil=True)
def _sample(probs: np.ndarray, n: int, u: float) -> int:
    """The action a with ``sum(probs[:a]) <= u < sum(probs[:a+1])`` (the last one on round-off)."""
    total = 0.0
    for a in range(n - 1):
        total += probs[a]
        if u < total:
            return a
    return n - 1


@njit(cache=True, nogil=True)
def _traverse(seat: int, kind: np.ndarray, player: np.ndarray, street: np.ndarray,
              n_actions: np.ndarray, first_child: np.ndarray, chips: np.ndarray,
              folded: np.ndarray, offsets: np.ndarray, buckets: np.ndarray, ranks: np.ndarray,
              regret: np.ndarray, strategy_sum: np.ndarray, rng: np.ndarray, prune: bool,
              threshold: float, floor: float, scale: float, is_int: bool,
              counters: np.ndarray, st_node: np.ndarray, st_cursor: np.ndarray,
              st_sigma: np.ndarray, st_value: np.ndarray, st_explore: np.ndarray,
              scratch: np.ndarray) -> float:
    """One external-sampling traversal for ``seat`` of the deal ``buckets``/``ranks``.

    Returns the sampled value of the root for ``seat`` (chips).
    """
    last_street = buckets.shape[1] - 1
    depth = -1
    node = 0
    while True:
        while kind[node] == DECISION and player[node] != seat:
            mover = player[node]
            n = n_actions[node]
            row = offsets[node] + buckets[mover, street[node]] * n
            match_row(regret, row, n, scratch)
            for a in range(n):
                strategy_sum[row + a] += scratch[a]
            node = first_child[node] + _sample(scratch, n, next_float(rng))
        if kind[node] == DECISION:
            depth += 1
            counters[VISITS] += 1
            n = n_actions[node]
            row = offsets[node] + buckets[seat, street[node]] * n
            st_node[depth] = node
            match_row(regret, row, n, st_sigma[depth])
            explored = 0
            for a in range(n):
                child = first_child[node] + a
                skip = (prune and street[node] != last_street and kind[child] == DECISION
                        and regret[row + a] < threshold)
                st_explore[depth, a] = not skip
                if not skip:
                    explored += 1
            if explored == 0:
                st_explore[depth, :n] = True
                explored = n
            counters[PRUNED_ACTIONS] += n - explored
            cursor = 0
            while not st_explore[depth, cursor]:
                cursor += 1
            st_cursor[depth] = cursor
            node = first_child[node] + cursor
            continue
        value = terminal_value(node, seat, kind, chips, folded, ranks)
        descend = False
        while depth >= 0:
            parent = st_node[depth]
            n = n_actions[parent]
            cursor = st_cursor[depth]
            st_value[depth, cursor] = value
            cursor += 1
            while cursor < n and not st_explore[depth, cursor]:
                cursor += 1
            if cursor < n:
                st_cursor[depth] = cursor
                node = first_child[parent] + cursor
                descend = True
                break
            row = offsets[parent] + buckets[seat, street[parent]] * n
            value = 0.0
            for a in range(n):
                if st_explore[depth, a]:
                    value += st_sigma[depth, a] * st_value[depth, a]
            for a in range(n):
                if st_explore[depth, a]:
                    x = float(regret[row + a]) + scale * (st_value[depth, a] - value)
                    _store(regret, row + a, x, floor, is_int)
            depth -= 1
        if not descend:
            return value


@njit(cache=True, nogil=True)
def _run_batch(kind: np.ndarray, player: np.ndarray, street: np.ndarray, n_actions: np.ndarray,
               first_child: np.ndarray, chips: np.ndarray, folded: np.ndarray,
               offsets: np.ndarray, deal_buckets: np.ndarray, deal_ranks: np.ndarray,
               regret: np.ndarray, strategy_sum: np.ndarray, rng: np.ndarray, first: int,
               prune_after: int, threshold: float, probability: float, floor: float,
               scale: float, is_int: bool, counters: np.ndarray, max_depth: int,
               max_actions: int) -> None:
    """Iterations ``first`` .. ``first + len(deal_ranks) - 1``, one dealt deal each.

    ``deal_buckets``: int32 ``(n_iterations, n_players, n_streets)``; ``deal_ranks``: int32
    ``(n_iterations, n_players)``. Traversals after iteration ``prune_after`` prune with
    ``probability``.
    """
    n_players = chips.shape[1]
    st_node = np.empty(max_depth, np.int64)
    st_cursor = np.empty(max_depth, np.int64)
    st_sigma = np.empty((max_depth, max_actions), np.float64)
    st_value = np.empty((max_depth, max_actions), np.float64)
    st_explore = np.empty((max_depth, max_actions), np.bool_)
    scratch = np.empty(max_actions, np.float64)
    for i in range(deal_ranks.shape[0]):
        t = first + i
        for seat in range(n_players):
            prune = False
            if t > prune_after:
                prune = next_float(rng) < probability
                if prune:
                    counters[PRUNED_TRAVERSALS] += 1
            _traverse(seat, kind, player, street, n_actions, first_child, chips, folded,
                      offsets, deal_buckets[i], deal_ranks[i], regret, strategy_sum, rng, prune,
                      threshold, floor, scale, is_int, counters, st_node, st_cursor, st_sigma,
                      st_value, st_explore, scratch)


@njit(cache=True, nogil=True)
def _discount(regret: np.ndarray, strategy_sum: np.ndarray, factor: float, is_int: bool) -> None:
    """Multiply both tables by ``factor`` (integer regrets rounded to the nearest integer)."""
    for i in range(regret.shape[0]):
        x = regret[i] * factor
        regret[i] = np.floor(x + 0.5) if is_int else x
    for i in range(strategy_sum.shape[0]):
        strategy_sum[i] *= factor


@dataclass(frozen=True)
class MCCFROptions:
    """How external-sampling MCCFR stores regrets and which schedules it follows.

    ``regret_dtype``: ``"float32"`` or ``"int32"``. Regrets are stored as ``regret_scale`` times
    chips; for int32 that sets the rounding step (1 / regret_scale chips). ``regret_floor`` is
    in stored units; None means none for float32 and Pluribus's -310,000,000 for int32.
    ``batch``: iterations dealt and run per kernel call.
    """

    regret_dtype: Literal["float32", "int32"] = "float32"
    regret_scale: float = 1.0
    regret_floor: float | None = None
    discount: LinearDiscount | None = None
    prune: PruneSchedule | None = None
    batch: int = 4096

    def __post_init__(self) -> None:
        if self.regret_dtype not in ("float32", "int32"):
            raise ValueError(
                f"regret_dtype must be 'float32' or 'int32', got {self.regret_dtype!r}"
            )
        if not self.regret_scale > 0:
            raise ValueError(f"regret_scale must be positive, got {self.regret_scale!r}")
        if self.regret_dtype == "int32" and self.regret_floor is not None and not (
            -_INT32_MAX <= self.regret_floor <= 0
        ):
            raise ValueError(f"an int32 regret floor must be in [-2**31 + 1, 0], "
                             f"got {self.regret_floor!r}")
        if self.batch < 1:
            raise ValueError(f"batch must be 1 iteration or more, got {self.batch}")

    @property
    def floor(self) -> float:
        if self.regret_floor is not None:
            return float(self.regret_floor)
        return float(PLURIBUS_FLOOR) if self.regret_dtype == "int32" else -np.inf


@dataclass
class MCCFRStats:
    """What the solver did: counts that show each option really acted."""

    iterations: int = 0
    traverser_visits: int = 0
    pruned_actions: int = 0
    pruned_traversals: int = 0
    discounts: list[tuple[int, float]] = field(default_factory=list)


class ExternalSamplingSolver:
    """External-sampling MCCFR on a game: ``run`` iterations, then read ``average_policy``.

    Reproducible: the same game, options and seed give the same tables, however the
    iterations are split between ``run`` calls. Deals and the traversal's samples come from
    two generators seeded from ``seed``.
    """

    def __init__(self, game: SolverGame, options: MCCFROptions | None = None,
                 seed: int = 0) -> None:
        self.game = game
        self.options = options or MCCFROptions()
        self.iteration = 0
        self.regret = np.zeros(game.layout.size, np.dtype(self.options.regret_dtype))
        self.strategy_sum = np.zeros(game.layout.size, np.float64)
        self.stats = MCCFRStats()
        self._deal_rng = new_state(seed)
        self._walk_rng = new_state(int(next_u64(new_state(seed))))
        self._max_depth = game.tree.decision_depth()
        self._max_actions = int(game.tree.n_actions.max())
        self._counters = np.zeros(3, np.int64)

    def run(self, n_iterations: int) -> None:
        """Run ``n_iterations`` more iterations, applying the schedules as they fall due."""
        if n_iterations < 0:
            raise ValueError(f"n_iterations must be 0 or more, got {n_iterations}")
        options = self.options
        stop = self.iteration + n_iterations
        while self.iteration < stop:
            count = min(options.batch, stop - self.iteration)
            due = options.discount.next_after(self.iteration) if options.discount else None
            if due is not None:
                count = min(count, due - self.iteration)
            self._run_batch(count)
            factor = options.discount.factor(self.iteration) if options.discount else None
            if factor is not None:
                _discount(self.regret, self.strategy_sum, factor, options.regret_dtype == "int32")
                self.stats.discounts.append((self.iteration, factor))

    def _run_batch(self, count: int) -> None:
        options, tree = self.options, self.game.tree
        buckets, ranks = self.game.cards.deal_batch(self._deal_rng, count)
        prune = options.prune
        _run_batch(
            tree.kind, tree.player, tree.street, tree.n_actions, tree.first_child, tree.chips,
            tree.folded, self.game.layout.offsets, buckets, ranks, self.regret,
            self.strategy_sum, self._walk_rng, self.iteration + 1,
            prune.start if prune else np.iinfo(np.int64).max,
            prune.threshold if prune else 0.0, prune.probability if prune else 0.0,
            options.floor, options.regret_scale, options.regret_dtype == "int32",
            self._counters, self._max_depth, self._max_actions,
        )
        self.iteration += count
        self.stats.iterations = self.iteration
        self.stats.traverser_visits = int(self._counters[VISITS])
        self.stats.pruned_actions = int(self._counters[PRUNED_ACTIONS])
        self.stats.pruned_traversals = int(self._counters[PRUNED_TRAVERSALS])

    def average_policy(self) -> np.ndarray:
        """The average strategy (the policy that converges to an equilibrium)."""
        return normalize_table(self.game.tree, self.game.layout, self.strategy_sum)

    def current_policy(self) -> np.ndarray:
        """The regret-matching strategy of the current regrets."""
        return regret_matching_table(self.game.tree, self.game.layout, self.regret)
