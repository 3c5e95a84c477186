"""Solve a spot: discounted CFR (or CFR+) on exact cards, with its exact exploitability.

`SpotSolver(spot)` builds the tree, the live hands of both players and their ranks on every
river board, allocates the tables (float32 regrets and strategy sums, or 16-bit ones with
``compress``; one row per hand and action at every node copy: `holdem.search.vector_cfr`), and
then:

- `iterate(n)`: ``n`` iterations, alternating updates (OOP, then IP, each against the other's
  current strategy);
- `exploitability()`: both best responses against the average strategies, exactly, as the
  mean gain in % of the pot (PioSOLVER's and TexasSolver's measure);
- `solve(...)`: iterate until an exploitability, an iteration count or a time is reached.

With a ``continuation`` (`holdem.search.continuation`) the solve is depth-limited: the tree
stops at the end of the first street, and each of its leaves takes its values from the rest of
the game as the continuation strategies that both players choose there play it.

Iterations run the first street on the calling thread and the subtrees below its chance nodes
(one per card and line) on every Numba thread; each card's values land in their own row and are
summed in card order, so the result does not depend on the thread count.

Discounted CFR's defaults are the paper's (alpha 1.5, beta 0, gamma 2: Brown and Sandholm, AAAI
2019, section 4), with the average strategy restarted when the iteration count (from 0) reaches a
power of 4, as postflop-solver does (b-inary, its README's "implementation details"): the first
iterations' strategies, far from the equilibrium, leave the average. On TexasSolver's spots this
reaches 0.3% of the pot in 120 iterations instead of 140 on the river and 150 instead of 160 on
the turn. The restarts stop at `LAST_RESTART`: a later one throws good iterations away (a river
solved for 20,000 iterations ended at 1.3e-4% of the pot with a restart at 16,384, 5.5e-5%
without). CFR+ floors regrets at 0 and weighs iteration ``t`` by ``t`` in the average (Tammelin,
Burch, Johanson and Bowling, IJCAI 2015).
"""

from __future__ import annotations

import time
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from holdem.cards.combos import COMBOS
from holdem.parallel import even_block, map_blocks
from holdem.search.continuation import Continuation, ContinuationSource
from holdem.search.runouts import LAST_BOARD, runout_equity
from holdem.search.spot import Spot
from holdem.search.spot_tree import ACTION, CHANCE, SpotTree, build_tree
from holdem.search.suits import (
    Permutation,
    canonical_deal,
    hand_permutation,
    inverse,
    map_card,
    second_deal,
    spot_symmetries,
)
from holdem.search.terminal_values import card_start, first_card_start, showdown_plans
from holdem.search.vector_cfr import (
    MODE_AVERAGE,
    MODE_BEST_RESPONSE,
    MODE_CFR,
    PHASE_ALL,
    PHASE_COLLECT,
    PHASE_FINISH,
    REGRET_STEPS,
    SUM_STEPS,
    node_strategy,
    walk,
    walk_tasks,
)

ALGORITHMS = ("dcfr", "cfr+")
LAST_RESTART = 256
"""The last iteration (counted from 0, a power of 4) where discounted CFR's average restarts."""

SpotGame = namedtuple(
    "SpotGame",
    "kind player street child_start n_children children subtree_end commit chance_depth leaf_index "
    "leaves offset block_offset "
    "lock_offset lock_values deck copy_of_slot first_slot second_representative second_mapping "
    "second_copy hand_perms board_size hands first_start same card_start card_hands plans "
    "runout_equity",
)
"""The arrays `holdem.search.vector_cfr.walk` reads (its docstring gives the layout)."""


@dataclass(frozen=True)
class Progress:
    """One line of a solve's progress."""

    iterations: int
    exploitability_pct: float
    seconds: float


def _subtree_end(tree: SpotTree) -> np.ndarray:
    """One past the last node below each node (the nodes are numbered depth first)."""
    end = np.arange(1, tree.n_nodes + 1, dtype=np.int64)
    for node in range(tree.n_nodes - 1, 0, -1):
        parent = tree.parent[node]
        end[parent] = max(end[parent], end[node])
    return end


def _player_hands(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The combination indices with weight > 0 and their (H, 2) cards."""
    live = np.flatnonzero(weights > 0)
    return live, np.ascontiguousarray(COMBOS[live])


def _card_lists(hands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR of the hands holding each card: ``lists[start[c] : start[c + 1]]``, each card's in
    hand order (a stable sort of the hands' cards)."""
    return card_start(hands), np.argsort(hands.ravel(), kind="stable") // 2


def _river_boards(
    board: tuple[int, ...], deck: np.ndarray, first_slots: np.ndarray, second_copy: np.ndarray
) -> np.ndarray:
    """(n, 5) every river board in copy order (see `holdem.search.vector_cfr`): the first card
    dealt runs over ``first_slots`` (the representatives of its suit classes), the second over
    the slots with a copy in ``second_copy`` (`holdem.search.suits.second_deal`)."""
    if len(board) == 5:
        return np.array([board], np.int64)
    if len(board) == 4:
        return np.array([(*board, deck[s]) for s in first_slots], np.int64)
    rows = [
        (*board, deck[first], deck[second])
        for row, first in enumerate(first_slots)
        for second in np.flatnonzero(second_copy[row] >= 0)
    ]
    return np.array(rows, np.int64)


def _keeps_locks(
    perm: Permutation,
    locks: Mapping[int, np.ndarray],
    players: np.ndarray,
    combos: list[np.ndarray],
) -> bool:
    """Whether renaming suits by ``perm`` maps every locked strategy to itself (a lock that
    differs between suit-equivalent hands breaks the symmetry)."""
    for node, values in locks.items():
        player = int(players[node])
        rows = np.asarray(values, np.float64).reshape(-1, len(combos[player]))
        if not np.array_equal(rows[:, hand_permutation(combos[player], perm)], rows):
            return False
    return True


class SpotSolver:
    """Vector CFR on one spot (module docstring). Locks fix a player's strategy at a node:
    ``locks[node] = (k, H) array`` of that player's action probabilities per live hand.
    ``compress`` keeps the tables in 16 bits with a scale per node copy (half the memory;
    `holdem.search.vector_cfr._update_compressed`)."""

    def __init__(
        self,
        spot: Spot,
        algorithm: str = "dcfr",
        locks: Mapping[int, np.ndarray] | None = None,
        alpha: float = 1.5,
        beta: float = 0.0,
        gamma: float = 2.0,
        isomorphism: bool = True,
        continuation: ContinuationSource | None = None,
        compress: bool = False,
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm {algorithm!r}: use one of {', '.join(ALGORITHMS)}")
        self.spot = spot
        self.algorithm = algorithm
        self.alpha, self.beta, self.gamma = alpha, beta, gamma
        self.tree: SpotTree = build_tree(spot, depth_limited=continuation is not None)
        tree = self.tree
        self.combos = []
        hands = []
        for weights in spot.ranges:
            live, cards = _player_hands(weights)
            self.combos.append(live)
            hands.append(cards)
        self.weights = tuple(spot.ranges[p][self.combos[p]].astype(np.float64) for p in (0, 1))
        same = []
        for p in (0, 1):
            where = {int(c): i for i, c in enumerate(self.combos[1 - p])}
            same.append(np.array([where.get(int(c), -1) for c in self.combos[p]], np.int64))
        lists = [_card_lists(h) for h in hands]
        on_board = set(spot.board)
        deck = np.array([c for c in range(52) if c not in on_board], np.int64)
        self.symmetries: list[Permutation] = [(0, 1, 2, 3)]
        if isomorphism and len(spot.board) < 5 and continuation is None:
            self.symmetries = [
                perm
                for perm in spot_symmetries(spot.board, spot.ranges)
                if _keeps_locks(perm, locks or {}, tree.player, self.combos)
            ]
        self.representative, self.mapping = canonical_deal(deck, self.symmetries)
        self.first_slots = np.unique(self.representative)
        copy_of_slot = np.full(len(deck), -1, np.int64)
        copy_of_slot[self.first_slots] = np.arange(len(self.first_slots))
        self.second_representative, self.second_mapping, second_copy = second_deal(
            deck, self.symmetries, self.first_slots
        )
        self.hand_perms = tuple(
            np.array([hand_permutation(self.combos[p], perm) for perm in self.symmetries])
            for p in (0, 1)
        )
        # a depth-limited tree has no showdown: its leaves rank their runouts' boards themselves
        boards = _river_boards(spot.board, deck, self.first_slots, second_copy)
        plans = showdown_plans(boards[: 0 if continuation else None], (hands[0], hands[1]))
        # the boards before the last card of the all-in lines, one per copy at their depth
        runouts = [n for n in range(tree.n_nodes) if tree.deals_the_last_card(n)]
        last_boards = np.zeros((0, LAST_BOARD), np.int64)
        if runouts and len(spot.board) == LAST_BOARD:
            last_boards = np.array([spot.board], np.int64)
        elif runouts:
            last_boards = np.array([(*spot.board, deck[s]) for s in self.first_slots], np.int64)
        copies = {0: 1, 1: len(self.first_slots), 2: int((second_copy >= 0).sum())}
        offset = np.full(tree.n_nodes, -1, np.int64)
        block_offset = np.full(tree.n_nodes, -1, np.int64)
        size = blocks = 0
        for node in range(tree.n_nodes):
            if tree.kind[node] == ACTION:
                offset[node], block_offset[node] = size, blocks
                n_hands = len(self.combos[tree.player[node]])
                n_copies = copies[int(tree.chance_depth[node])]
                size += int(tree.n_children[node]) * n_hands * n_copies
                blocks += n_copies
        self.table_size = size
        leaves = [
            n for n in range(tree.n_nodes) if tree.kind[n] == CHANCE and tree.chance_depth[n] == 0
        ]
        leaf_index = np.full(tree.n_nodes, -1, np.int64)
        leaf_index[leaves] = np.arange(len(leaves))
        self.leaves = leaves
        lock_offset = np.full(tree.n_nodes, -1, np.int64)
        lock_parts = []
        at = 0
        for node, values in sorted((locks or {}).items()):
            lock_offset[node] = at
            lock_parts.append(np.ascontiguousarray(values, np.float64).ravel())
            at += lock_parts[-1].size
        self.game = SpotGame(
            kind=tree.kind.astype(np.int64),
            player=tree.player.astype(np.int64),
            street=tree.street.astype(np.int64),
            subtree_end=_subtree_end(tree),
            child_start=tree.child_start,
            n_children=tree.n_children,
            children=tree.children,
            commit=tree.commit,
            chance_depth=tree.chance_depth.astype(np.int64),
            leaf_index=leaf_index,
            leaves=np.array(leaves, np.int64).reshape(-1),
            offset=offset,
            block_offset=block_offset,
            lock_offset=lock_offset,
            lock_values=np.concatenate(lock_parts) if lock_parts else np.zeros(1),
            deck=deck,
            copy_of_slot=copy_of_slot,
            first_slot=self.first_slots.astype(np.int64),
            second_representative=self.second_representative,
            second_mapping=self.second_mapping,
            second_copy=second_copy,
            hand_perms=self.hand_perms,
            board_size=np.int64(len(spot.board)),
            hands=(hands[0], hands[1]),
            first_start=(first_card_start(hands[0]), first_card_start(hands[1])),
            same=(same[0], same[1]),
            card_start=(lists[0][0], lists[1][0]),
            card_hands=(lists[0][1], lists[1][1]),
            plans=plans,
            runout_equity=runout_equity(last_boards, (hands[0], hands[1])),
        )
        self.compressed = compress
        self.regret = np.zeros(size, np.int16 if compress else np.float32)
        self.strategy_sum = np.zeros(size, np.uint16 if compress else np.float32)
        self.scales = np.zeros((2, blocks if compress else 0))
        self.continuation = Continuation(continuation, self) if continuation else None
        self.iterations = 0
        self._below: dict[int, list[int]] = {}
        self._task_rows: dict[int, np.ndarray] = {}
        # the mass of (OOP hand, IP hand) pairs that share no card: a value per game divides by it
        self.pair_mass = float(self.weights[0] @ self.opponent_mass(0, self.weights[1]))
        if self.pair_mass <= 0:
            raise ValueError(
                "every OOP combination shares a card with every IP combination: no deal is "
                "possible; widen a range"
            )

    @property
    def memory_bytes(self) -> int:
        """Bytes of the regret and strategy-sum tables with their scales, the all-in runouts'
        equities (`holdem.search.runouts`) and a depth-limited solve's leaves."""
        leaves = self.continuation.memory_bytes if self.continuation else 0
        tables = self.regret.nbytes + self.strategy_sum.nbytes + self.scales.nbytes
        return int(tables + self.game.runout_equity.nbytes + leaves)

    def _discounts(self, t: int) -> np.ndarray:
        """The factors on the sums of iterations before ``t`` (1-based) as ``t`` adds its own."""
        if self.algorithm == "cfr+":
            return np.array([1.0, 0.0, (t - 1) / t, 1.0])
        done = t - 1
        positive = done**self.alpha / (done**self.alpha + 1)
        negative = done**self.beta / (done**self.beta + 1) if done > 0 else 0.0
        # iterations since the average's last restart (module docstring)
        restart = 1 << ((min(done, LAST_RESTART).bit_length() - 1) & ~1) if done > 0 else 0
        since = done - restart
        return np.array([positive, negative, (since / (since + 1)) ** self.gamma, 0.0])

    def _values(
        self,
        trav: int,
        mode: int,
        discounts: np.ndarray,
        node: int = 0,
        copy: int = 0,
        reaches: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """The traverser's counterfactual values at ``node`` (the root by default, reached with
        the range weights): one walk, threads below the first street's chance nodes."""
        if reaches is None:
            reaches = self.weights
        g, tables = self.game, (self.regret, self.strategy_sum, self.scales)
        reach_t = reaches[trav].copy()
        reach_o = reaches[1 - trav].copy()
        out = np.zeros_like(reach_t)
        n_leaves, n_deck = max(1, len(self.leaves)), len(g.deck)
        leaf_t = np.zeros((n_leaves, len(reach_t)))
        leaf_o = np.zeros((n_leaves, len(reach_o)))
        leaf_values = np.zeros((n_leaves, len(reach_t)))
        leaf_buffers = (leaf_t, leaf_o, leaf_values)
        if not self.leaves or self.tree.chance_depth[node] > 0:
            args = (reach_t, reach_o, mode, PHASE_ALL, discounts)
            walk(g, *tables, node, copy, trav, *args, *leaf_buffers, out)
            return out
        args = (reach_t, reach_o, mode, PHASE_COLLECT, discounts)
        walk(g, *tables, node, 0, trav, *args, *leaf_buffers, out)
        below = self._leaves_below(node)
        if self.continuation is not None:
            leaves = self.continuation

            def run_leaves(lo: int, hi: int) -> None:
                for leaf in below[lo:hi]:
                    reaches = (leaf_t[leaf], leaf_o[leaf])
                    leaves.values(leaf, trav, *reaches, mode, discounts, leaf_values[leaf])

            map_blocks(run_leaves, len(below), 1)
            args = (reach_t, reach_o, mode, PHASE_FINISH, discounts)
            walk(g, *tables, node, 0, trav, *args, *leaf_buffers, out)
            return out
        per_card = np.zeros((n_leaves, n_deck, len(reach_t)))
        tasks = self._tasks(node)

        def run(lo: int, hi: int) -> None:
            part = tasks[lo:hi]
            walk_tasks(g, *tables, part, trav, mode, discounts, *leaf_buffers, per_card)

        map_blocks(run, len(tasks), even_block(len(tasks)))
        # a card that a suit permutation takes its class's representative to has the
        # representative's values, each hand's read at the hand the permutation came from
        for slot in np.flatnonzero(self.representative != np.arange(n_deck)):
            source = per_card[:, self.representative[slot]]
            per_card[:, slot] = source[:, self.hand_perms[trav][self.mapping[slot]]]
        leaf_values[:] = per_card.sum(axis=1) / (52 - len(self.spot.board) - 4)
        args = (reach_t, reach_o, mode, PHASE_FINISH, discounts)
        walk(g, *tables, node, 0, trav, *args, *leaf_buffers, out)
        return out

    def _leaves_below(self, node: int) -> list[int]:
        """The first street's chance nodes (numbers in ``leaves``) at or below ``node``, every
        one even where the traverser never goes: its regrets below are counterfactual and must
        still be updated."""
        if node not in self._below:
            leaves = range(max(1, len(self.leaves)))
            self._below[node] = [leaf for leaf in leaves if self._descends(self.leaves[leaf], node)]
        return self._below[node]

    def _tasks(self, node: int) -> np.ndarray:
        """(n, 2) the ``(leaf, slot)`` walks of the threads below ``node``: card-major, so every
        block of tasks mixes cheap lines (all-in) with dear ones; a turn spot's all-in leaves
        take none (`_runout`)."""
        if node not in self._task_rows:
            below = [leaf for leaf in self._leaves_below(node) if not self._runout(leaf)]
            pairs = [(leaf, slot) for slot in self.first_slots for leaf in below]
            self._task_rows[node] = np.array(pairs, np.int64)
        return self._task_rows[node]

    def _runout(self, leaf: int) -> bool:
        """Whether the first street's chance node number ``leaf`` deals the last card of an
        all-in line (a turn spot's): the walk takes its values from the runouts' equity
        (`holdem.search.vector_cfr.walk`), so no thread has a task below it."""
        return self.tree.deals_the_last_card(self.leaves[leaf])

    def _descends(self, node: int, ancestor: int) -> bool:
        """Whether ``node`` is ``ancestor`` or below it."""
        while node > ancestor:
            node = int(self.tree.parent[node])
        return node == ancestor

    def iterate(self, n: int = 1) -> None:
        """``n`` iterations of alternating updates."""
        for _ in range(n):
            self.iterations += 1
            discounts = self._discounts(self.iterations)
            for trav in (0, 1):
                self._values(trav, MODE_CFR, discounts)

    def game_values(self, mode: int = MODE_AVERAGE) -> tuple[float, float]:
        """Each player's value per game in chips (the pot at the start counts as half each):
        of the average strategies, or of a best response against the other's average."""
        values = []
        for p in (0, 1):
            cfv = self._values(p, mode, np.zeros(4))
            values.append(float(self.weights[p] @ cfv) / self.pair_mass)
        return values[0], values[1]

    def exploitability(self) -> float:
        """The mean best-response gain against the average strategies, in % of the pot."""
        br0, br1 = self.game_values(MODE_BEST_RESPONSE)
        return (br0 + br1) / 2 / self.spot.pot * 100

    def solve(
        self,
        accuracy_pct: float = 0.3,
        max_iterations: int = 1000,
        seconds: float | None = None,
        check_every: int = 10,
        report: Callable[[Progress], None] | None = None,
    ) -> Progress:
        """Iterate until the exploitability is at most ``accuracy_pct`` % of the pot, or
        ``max_iterations`` or ``seconds`` are spent. The exploitability is checked every
        ``check_every`` iterations and when the time or the iterations run out. The time counts
        the checks: no iteration starts that would end, with the last check after it, past
        ``seconds`` (each timed as the last one; a check as at least an iteration: the first
        iteration touches fresh tables and is slower), so a search meets its budget. Returns the
        last check; ``report`` sees each."""
        started = time.perf_counter()
        last = Progress(self.iterations, self.exploitability(), 0.0)
        # a check walks the tree twice as an iteration does (the first check of a process may
        # include loading the kernels, so it is not timed)
        check_cost = 0.0
        iteration_cost = 0.0
        if report is not None:
            report(last)
        while self.iterations < max_iterations:
            began = time.perf_counter()
            self.iterate(1)
            now = time.perf_counter()
            iteration_cost = now - began
            ahead = iteration_cost + max(check_cost, iteration_cost)
            out_of_time = seconds is not None and now - started + ahead >= seconds
            last_one = self.iterations >= max_iterations
            if self.iterations % check_every and not (out_of_time or last_one):
                continue
            checked = time.perf_counter()
            last = Progress(self.iterations, self.exploitability(), time.perf_counter() - started)
            check_cost = time.perf_counter() - checked
            if report is not None:
                report(last)
            if last.exploitability_pct <= accuracy_pct or out_of_time:
                break
        return last

    def strategy(self, node: int, copy: int = 0, current: bool = False) -> np.ndarray:
        """(k, H) the average strategy at ``node`` copy ``copy`` of the player to act there, or
        with ``current`` the last iteration's (regret matching)."""
        player = int(self.tree.player[node])
        out = np.empty((int(self.tree.n_children[node]), len(self.combos[player])))
        table = self.regret if current else self.strategy_sum
        node_strategy(self.game, table, node, copy, out)
        return out

    def table_rows(self, node: int, copy: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(k, H) float64 the regrets and strategy sums at ``node`` copy ``copy`` (decoded by
        their scales when the tables are compressed)."""
        k, n_hands = int(self.tree.n_children[node]), len(self.combos[int(self.tree.player[node])])
        start = int(self.game.offset[node]) + copy * k * n_hands
        rows = [
            t[start : start + k * n_hands].reshape(k, n_hands)
            for t in (self.regret, self.strategy_sum)
        ]
        regrets, sums = (r.astype(np.float64) for r in rows)
        if self.compressed:
            block = int(self.game.block_offset[node]) + copy
            regrets *= self.scales[0, block] / REGRET_STEPS
            sums *= self.scales[1, block] / SUM_STEPS
        return regrets, sums

    def canonical(self, dealt: tuple[int, ...]) -> tuple[tuple[int, ...], Permutation]:
        """The cards ``dealt`` with suits renamed so that each is its class's representative
        (the first under the spot's symmetries, the second under those fixing the first), and
        the permutation taking them back."""
        if not dealt:
            return dealt, (0, 1, 2, 3)
        deck = self.game.deck.tolist()
        perm = self.symmetries[int(self.mapping[deck.index(dealt[0])])]
        solved = tuple(map_card(c, inverse(perm)) for c in dealt)
        if len(solved) > 1:
            row = int(self.game.copy_of_slot[deck.index(solved[0])])
            inner = self.symmetries[int(self.second_mapping[row, deck.index(solved[1])])]
            solved = tuple(map_card(c, inverse(inner)) for c in solved)
            perm = (perm[inner[0]], perm[inner[1]], perm[inner[2]], perm[inner[3]])
        return solved, perm

    def copy_of(self, dealt: tuple[int, ...]) -> int:
        """The table copy of the nodes below the cards ``dealt`` (turn, then river); each must
        be its suit class's representative (`canonical`)."""
        deck = self.game.deck.tolist()
        if not dealt:
            return 0
        first = deck.index(dealt[0])
        if self.representative[first] != first:
            raise ValueError(f"{dealt[0]} is not its class's representative: use canonical()")
        row = int(self.game.copy_of_slot[first])
        if len(dealt) == 1:
            return row
        copy = int(self.game.second_copy[row, deck.index(dealt[1])])
        if copy < 0:
            raise ValueError(f"{dealt[1]} is not its class's representative: use canonical()")
        return copy

    def reach_at(self, node: int, dealt: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Both players' reach of each live hand at ``node`` below the cards ``dealt``: range
        weight times the average strategy's probabilities of the actions on the way (0 for a
        hand holding a dealt card)."""
        tree = self.tree
        path = []
        child = node
        while tree.parent[child] >= 0:
            path.append((int(tree.parent[child]), child))
            child = int(tree.parent[child])
        reaches = [self.weights[0].copy(), self.weights[1].copy()]
        for parent, child in reversed(path):
            depth = int(tree.chance_depth[parent])
            if tree.kind[parent] == CHANCE:
                card = dealt[depth]
                for p in (0, 1):
                    holds = (self.game.hands[p] == card).any(axis=1)
                    reaches[p][holds] = 0.0
                continue
            player = int(tree.player[parent])
            action = int(np.flatnonzero(tree.children_of(parent) == child)[0])
            strategy = self.strategy(parent, self.copy_of(dealt[:depth]))
            reaches[player] *= strategy[action]
        return reaches[0], reaches[1]

    def values_at(
        self,
        node: int,
        dealt: tuple[int, ...],
        player: int,
        reaches: tuple[np.ndarray, np.ndarray],
        mode: int = MODE_AVERAGE,
    ) -> np.ndarray:
        """``player``'s counterfactual value of each live hand at ``node`` below ``dealt``."""
        return self._values(player, mode, np.zeros(4), node, self.copy_of(dealt), reaches)

    def opponent_mass(self, player: int, reach_opponent: np.ndarray) -> np.ndarray:
        """For each live hand of ``player``, the opponent's reach over hands sharing no card."""
        hands, other = self.game.hands[player], self.game.hands[1 - player]
        per_card = np.zeros(52)
        np.add.at(per_card, other[:, 0], reach_opponent)
        np.add.at(per_card, other[:, 1], reach_opponent)
        mass = reach_opponent.sum() - per_card[hands[:, 0]] - per_card[hands[:, 1]]
        same = self.game.same[player]
        has = same >= 0
        mass[has] += reach_opponent[same[has]]
        return mass
