"""External-sampling Monte Carlo CFR: one Numba traversal for every game.

Each iteration draws one deal (from the card model, before the traversal) and then, for each
seat in turn (alternating traversers), walks the tree: at the traverser's nodes every action is
explored and its regret updated; at the other seats' nodes one action is sampled from their
current strategy. M. Lanctot, K. Waugh, M. Zinkevich and M. Bowling, "Monte Carlo Sampling for
Regret Minimization in Extensive Games", NIPS 2009, https://papers.nips.cc/paper/3713.

The average strategy is accumulated in one of two ways (``MCCFROptions.averaging``):

- ``"opponent"``: at the other seats' nodes of a traversal, their current strategy is added to
  their strategy sums (simple averaging). A node is reached with the probability of the sampled
  seats' actions, so each iteration is weighted by the reach of every seat but the traverser and
  the owner: constant (chance only) with two players, a bias with three or more.
- ``"sampled"``: Pluribus's update (N. Brown and T. Sandholm, "Superhuman AI for multiplayer
  poker", Science 2019, supplementary algorithm 1, UPDATE-STRATEGY): every ``average_interval``
  iterations, for each seat, a walk of the same deal samples that seat's own actions from its
  current strategy (adding 1 to the sampled action's sum) and follows every action of the
  others. An infoset's sum then grows by its owner's reach times its strategy, right for any
  number of players.

Strategy sums may cover only the first streets (``average_streets``; Pluribus: the preflop),
the rows of later streets being averaged from snapshots of the current strategy instead.

Options as in Pluribus (see `holdem.cfr.schedules`): linear discounting, negative-regret
pruning (with a floor), and regrets stored as int32 with a floor (rounded after scaling by
``regret_scale``) or as float32. Tables are flat: ``regret[offsets[node] + bucket *
strides[street[node]] + a]``, the strategy sums (float64 or float32) the same, one block per
street, bucket-major inside it (`holdem.abstraction.betting_tree.TableLayout`). The traversal
uses an explicit stack, no recursion.
"""

from __future__ import annotations

from collections.abc import Callable
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

# Kernel counters: traverser decisions visited, actions pruned, traversals that pruned, nodes
# entered by the traversals (decisions of every seat and terminals), average-strategy updates.
VISITS, PRUNED_ACTIONS, PRUNED_TRAVERSALS, NODES, AVERAGE_UPDATES = range(5)
N_COUNTERS = 5


@njit(cache=True, nogil=True, inline="always")
def _store(regret: np.ndarray, i: int, x: float, floor: float, is_int: bool) -> None:
    """Write a regret: at least ``floor``; rounded and kept inside int32 for integer tables."""
    if x < floor:
        x = floor
    if is_int:
        x = min(np.floor(x + 0.5), _INT32_MAX)
    regret[i] = x


@njit(cache=True, nogil=True, inline="always")
def _sample(probs: np.ndarray, n: int, u: float) -> int:
    """The action a with ``sum(probs[:a]) <= u < sum(probs[:a+1])`` (the last one on round-off)."""
    total = 0.0
    for a in range(n - 1):
        total += probs[a]
        if u < total:
            return a
    return n - 1


@njit(cache=True, nogil=True)
def _average_walk(
    seat: int,
    kind: np.ndarray,
    player: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    first_child: np.ndarray,
    folded: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    buckets: np.ndarray,
    regret: np.ndarray,
    strategy_sum: np.ndarray,
    rng: np.ndarray,
    counters: np.ndarray,
    pending: np.ndarray,
    scratch: np.ndarray,
) -> None:
    """Pluribus's UPDATE-STRATEGY for ``seat`` on one deal, over the rows that have sums.

    Samples ``seat``'s own actions (adding 1 to the sum of the sampled action) and follows every
    action of the other seats; stops where ``seat`` has folded or the rows leave the summed
    streets. ``pending`` is a node stack (its length bounds depth times actions).
    """
    summed_rows = strategy_sum.shape[0]
    top = 0
    pending[0] = 0
    top = 1
    while top > 0:
        top -= 1
        node = pending[top]
        if kind[node] != DECISION or folded[node] >> seat & 1:
            continue
        n = n_actions[node]
        mover = player[node]
        row = offsets[node] + buckets[mover, street[node]] * strides[street[node]]
        if row >= summed_rows:
            continue
        if mover == seat:
            match_row(regret, row, n, scratch)
            a = _sample(scratch, n, next_float(rng))
            strategy_sum[row + a] += 1.0
            counters[AVERAGE_UPDATES] += 1
            pending[top] = first_child[node] + a
            top += 1
        else:
            for a in range(n):
                pending[top] = first_child[node] + a
                top += 1


@njit(cache=True, nogil=True)
def _run_batch(
    kind: np.ndarray,
    player: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    first_child: np.ndarray,
    chips: np.ndarray,
    folded: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    deal_buckets: np.ndarray,
    deal_ranks: np.ndarray,
    regret: np.ndarray,
    strategy_sum: np.ndarray,
    rng: np.ndarray,
    first: int,
    prune_after: int,
    threshold: float,
    probability: float,
    floor: float,
    scale: float,
    is_int: bool,
    average_interval: int,
    counters: np.ndarray,
    max_depth: int,
    max_actions: int,
) -> None:
    """Iterations ``first`` .. ``first + len(deal_ranks) - 1``, one dealt deal each: for each
    seat, one external-sampling traversal of the deal (explicit stack), then the sampled
    average update when due.

    ``deal_buckets``: int32 ``(n_iterations, n_players, n_streets)``; ``deal_ranks``: int32
    ``(n_iterations, n_players)``. Traversals after iteration ``prune_after`` prune with
    ``probability``. ``average_interval`` 0 sums strategies at the other seats' nodes of each
    traversal; k > 0 runs Pluribus's sampled update after every k-th iteration instead.

    The traversal is written inside this function rather than called per traversal: Numba
    counts references to every array argument at each call (two atomic operations per array),
    which cost about a fifth of the time when the traversal was a function of its own.
    """
    n_players = chips.shape[1]
    st_node = np.empty(max_depth, np.int64)
    st_cursor = np.empty(max_depth, np.int64)
    st_sigma = np.empty((max_depth, max_actions), np.float64)
    st_value = np.empty((max_depth, max_actions), np.float64)
    st_explore = np.empty((max_depth, max_actions), np.bool_)
    scratch = np.empty(max_actions, np.float64)
    pending = np.empty(max_depth * max_actions + 1, np.int64)
    last_street = deal_buckets.shape[2] - 1
    summed_rows = strategy_sum.shape[0]
    opponent_sums = average_interval == 0
    nodes = 0
    visits = 0
    pruned = 0
    for i in range(deal_ranks.shape[0]):
        t = first + i
        ranks = deal_ranks[i]
        for seat in range(n_players):
            prune = False
            if t > prune_after:
                prune = next_float(rng) < probability
                if prune:
                    counters[PRUNED_TRAVERSALS] += 1
            depth = -1
            node = 0
            while True:
                while kind[node] == DECISION and player[node] != seat:
                    nodes += 1
                    mover = player[node]
                    n = n_actions[node]
                    s = street[node]
                    row = offsets[node] + deal_buckets[i, mover, s] * strides[s]
                    match_row(regret, row, n, scratch)
                    if opponent_sums and row < summed_rows:
                        for a in range(n):
                            strategy_sum[row + a] += scratch[a]
                    node = first_child[node] + _sample(scratch, n, next_float(rng))
                nodes += 1
                if kind[node] == DECISION:
                    depth += 1
                    visits += 1
                    n = n_actions[node]
                    s = street[node]
                    row = offsets[node] + deal_buckets[i, seat, s] * strides[s]
                    st_node[depth] = node
                    match_row(regret, row, n, scratch)
                    for a in range(n):
                        st_sigma[depth, a] = scratch[a]
                    explored = 0
                    for a in range(n):
                        child = first_child[node] + a
                        skip = (
                            prune
                            and s != last_street
                            and kind[child] == DECISION
                            and regret[row + a] < threshold
                        )
                        st_explore[depth, a] = not skip
                        if not skip:
                            explored += 1
                    if explored == 0:
                        for a in range(n):
                            st_explore[depth, a] = True
                        explored = n
                    pruned += n - explored
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
                    s = street[parent]
                    row = offsets[parent] + deal_buckets[i, seat, s] * strides[s]
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
                    break
        if average_interval > 0 and t % average_interval == 0:
            for seat in range(n_players):
                _average_walk(
                    seat,
                    kind,
                    player,
                    street,
                    n_actions,
                    first_child,
                    folded,
                    offsets,
                    strides,
                    deal_buckets[i],
                    regret,
                    strategy_sum,
                    rng,
                    counters,
                    pending,
                    scratch,
                )
    counters[NODES] += nodes
    counters[VISITS] += visits
    counters[PRUNED_ACTIONS] += pruned


@njit(cache=True, nogil=True)
def _discount(table: np.ndarray, factor: float, is_int: bool) -> None:
    """Multiply a table by ``factor`` (integers rounded to the nearest), writing only nonzero
    entries, so that pages never visited stay unallocated."""
    for i in range(table.shape[0]):
        x = table[i]
        if x != 0:
            y = x * factor
            table[i] = np.floor(y + 0.5) if is_int else y


@dataclass(frozen=True)
class MCCFROptions:
    """How external-sampling MCCFR stores regrets and sums and which schedules it follows.

    ``regret_dtype``: ``"float32"`` or ``"int32"``. Regrets are stored as ``regret_scale`` times
    chips; for int32 that sets the rounding step (1 / regret_scale chips). ``regret_floor`` is
    in stored units; None means none for float32 and Pluribus's -310,000,000 for int32.
    Pruning needs a floor below its threshold: without one, regrets of pruned actions sink
    without bound and recover too slowly (on Leduc, float32 regrets pruned below -200 with no
    floor stalled at exploitability 0.10 to 0.16, against 0.015 to 0.020 without pruning).
    ``averaging``: ``"opponent"`` or ``"sampled"`` (see the module docstring), the latter every
    ``average_interval`` iterations; ``average_streets``: how many leading streets keep strategy
    sums (None: all); ``sum_dtype``: the sums' type. ``batch``: iterations dealt and run per
    kernel call.
    """

    regret_dtype: Literal["float32", "int32"] = "float32"
    regret_scale: float = 1.0
    regret_floor: float | None = None
    discount: LinearDiscount | None = None
    prune: PruneSchedule | None = None
    averaging: Literal["opponent", "sampled"] = "opponent"
    average_interval: int = 1
    average_streets: int | None = None
    sum_dtype: Literal["float64", "float32"] = "float64"
    batch: int = 4096

    def __post_init__(self) -> None:
        if self.regret_dtype not in ("float32", "int32"):
            raise ValueError(
                f"regret_dtype must be 'float32' or 'int32', got {self.regret_dtype!r}"
            )
        if not self.regret_scale > 0:
            raise ValueError(f"regret_scale must be positive, got {self.regret_scale!r}")
        if (
            self.regret_dtype == "int32"
            and self.regret_floor is not None
            and not (-_INT32_MAX <= self.regret_floor <= 0)
        ):
            raise ValueError(
                f"an int32 regret floor must be in [-2**31 + 1, 0], got {self.regret_floor!r}"
            )
        if self.prune is not None and not -np.inf < self.floor < self.prune.threshold:
            raise ValueError(
                f"pruning below {self.prune.threshold:g} needs a regret floor below that "
                f"threshold (got {self.floor:g}): set regret_floor, e.g. "
                f"{1.05 * self.prune.threshold:g} (Pluribus: threshold -300M, floor -310M)"
            )
        if self.averaging not in ("opponent", "sampled"):
            raise ValueError(f"averaging must be 'opponent' or 'sampled', got {self.averaging!r}")
        if self.average_interval < 1:
            raise ValueError(
                f"average_interval must be 1 iteration or more, got {self.average_interval}"
            )
        if self.discount is not None and (
            self.discount.interval < 1 or self.discount.interval % 1 != 0
        ):
            raise ValueError(
                "discount interval must be a whole number of iterations, 1 or more, got "
                f"{self.discount.interval}"
            )
        if self.average_streets is not None and self.average_streets < 1:
            raise ValueError(
                f"average_streets must be 1 or more streets, got {self.average_streets}"
            )
        if self.sum_dtype not in ("float64", "float32"):
            raise ValueError(f"sum_dtype must be 'float64' or 'float32', got {self.sum_dtype!r}")
        if self.batch < 1:
            raise ValueError(f"batch must be 1 iteration or more, got {self.batch}")

    @property
    def floor(self) -> float:
        if self.regret_floor is not None:
            return float(self.regret_floor)
        return float(PLURIBUS_FLOOR) if self.regret_dtype == "int32" else -np.inf

    def summed_rows(self, game: SolverGame) -> int:
        """Length of the strategy-sum table: the rows of the first ``average_streets`` streets."""
        streets = game.tree.n_streets if self.average_streets is None else self.average_streets
        return game.layout.rows_through(min(streets, game.tree.n_streets) - 1)


@dataclass
class MCCFRState:
    """Everything an MCCFR run changes: tables, iteration count, generators, counters.

    The arrays may belong to someone else (shared memory, a checkpoint being restored): the
    kernels write into them in place. ``deal_rng`` draws the deals, ``walk_rng`` the samples of
    the traversals; ``counters`` are indexed by `VISITS`, `PRUNED_ACTIONS`,
    `PRUNED_TRAVERSALS`, `NODES` and `AVERAGE_UPDATES`.
    """

    regret: np.ndarray
    strategy_sum: np.ndarray
    deal_rng: np.ndarray
    walk_rng: np.ndarray
    counters: np.ndarray
    iteration: int = 0

    @classmethod
    def fresh(cls, game: SolverGame, options: MCCFROptions, seed: int) -> MCCFRState:
        """Zero tables of the sizes ``options`` need, generators seeded from ``seed``."""
        return cls(
            regret=np.zeros(game.layout.size, np.dtype(options.regret_dtype)),
            strategy_sum=np.zeros(options.summed_rows(game), np.dtype(options.sum_dtype)),
            deal_rng=new_state(seed),
            walk_rng=new_state(int(next_u64(new_state(seed)))),
            counters=np.zeros(N_COUNTERS, np.int64),
        )


def discount_tables(
    regret: np.ndarray, strategy_sum: np.ndarray, factor: float, options: MCCFROptions
) -> None:
    """Multiply the regrets and strategy sums by ``factor`` (linear CFR's discount step)."""
    _discount(regret, factor, options.regret_dtype == "int32")
    _discount(strategy_sum, factor, False)


def run_iterations(
    game: SolverGame,
    options: MCCFROptions,
    state: MCCFRState,
    count: int,
    on_discount: Callable[[int, float], None] | None = None,
) -> None:
    """Run ``count`` more iterations on ``state``, applying ``options``' schedules as they fall
    due (``on_discount(iteration, factor)`` is told of each discount)."""
    if count < 0:
        raise ValueError(f"the iteration count must be 0 or more, got {count}")
    tree = game.tree
    max_depth = tree.decision_depth()
    max_actions = int(tree.n_actions.max())
    prune = options.prune
    stop = state.iteration + count
    while state.iteration < stop:
        size = min(options.batch, stop - state.iteration)
        due = options.discount.next_after(state.iteration) if options.discount else None
        if due is not None:
            size = min(size, due - state.iteration)
        buckets, ranks = game.cards.deal_batch(state.deal_rng, size)
        _run_batch(
            tree.kind,
            tree.player,
            tree.street,
            tree.n_actions,
            tree.first_child,
            tree.chips,
            tree.folded,
            game.layout.offsets,
            game.layout.strides,
            buckets,
            ranks,
            state.regret,
            state.strategy_sum,
            state.walk_rng,
            state.iteration + 1,
            prune.start if prune else np.iinfo(np.int64).max,
            prune.threshold if prune else 0.0,
            prune.probability if prune else 0.0,
            options.floor,
            options.regret_scale,
            options.regret_dtype == "int32",
            options.average_interval if options.averaging == "sampled" else 0,
            state.counters,
            max_depth,
            max_actions,
        )
        state.iteration += size
        factor = options.discount.factor(state.iteration) if options.discount else None
        if factor is not None:
            discount_tables(state.regret, state.strategy_sum, factor, options)
            if on_discount is not None:
                on_discount(state.iteration, factor)


@dataclass
class MCCFRStats:
    """What the solver did: counts that show each option really acted."""

    iterations: int = 0
    traverser_visits: int = 0
    pruned_actions: int = 0
    pruned_traversals: int = 0
    nodes: int = 0
    average_updates: int = 0
    discounts: list[tuple[int, float]] = field(default_factory=list)


class ExternalSamplingSolver:
    """External-sampling MCCFR on a game: ``run`` iterations, then read ``average_policy``.

    Reproducible: the same game, options and seed give the same tables, however the
    iterations are split between ``run`` calls. Deals and the traversal's samples come from
    two generators seeded from ``seed``.
    """

    def __init__(
        self, game: SolverGame, options: MCCFROptions | None = None, seed: int = 0
    ) -> None:
        self.game = game
        self.options = options or MCCFROptions()
        if self.options.summed_rows(game) != game.layout.size:
            raise ValueError(
                "ExternalSamplingSolver averages every street: leave average_streets unset"
            )
        self.state = MCCFRState.fresh(game, self.options, seed)
        self.stats = MCCFRStats()

    @property
    def iteration(self) -> int:
        return self.state.iteration

    @property
    def regret(self) -> np.ndarray:
        return self.state.regret

    @property
    def strategy_sum(self) -> np.ndarray:
        return self.state.strategy_sum

    def run(self, n_iterations: int) -> None:
        """Run ``n_iterations`` more iterations, applying the schedules as they fall due."""
        if n_iterations < 0:
            raise ValueError(f"n_iterations must be 0 or more, got {n_iterations}")
        run_iterations(
            self.game,
            self.options,
            self.state,
            n_iterations,
            lambda t, factor: self.stats.discounts.append((t, factor)),
        )
        counters = self.state.counters
        self.stats.iterations = self.state.iteration
        self.stats.traverser_visits = int(counters[VISITS])
        self.stats.pruned_actions = int(counters[PRUNED_ACTIONS])
        self.stats.pruned_traversals = int(counters[PRUNED_TRAVERSALS])
        self.stats.nodes = int(counters[NODES])
        self.stats.average_updates = int(counters[AVERAGE_UPDATES])

    def average_policy(self) -> np.ndarray:
        """The average strategy (the policy that converges to an equilibrium)."""
        return normalize_table(self.game.tree, self.game.layout, self.strategy_sum)

    def current_policy(self) -> np.ndarray:
        """The regret-matching strategy of the current regrets."""
        return regret_matching_table(self.game.tree, self.game.layout, self.regret)
