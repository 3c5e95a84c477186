"""Depth-limited solving: at the end of the first street each player picks how to play the rest.

A subgame that stops at the end of its first street (`holdem.search.spot_tree`, ``depth_limited``)
needs values at its leaves, but a leaf of an imperfect-information game has no single value: it
depends on how both players play on from there. Depth-limited solving (Brown, Sandholm and Amos,
"Depth-limited solving for imperfect-information games", NeurIPS 2018) lets a player choose at
each leaf among k continuation strategies, so that the subgame's strategy must be sound against
each of them; Pluribus (Brown and Sandholm, Science 2019, supplementary "depth-limited search")
lets every player still in the hand choose, at once, among four: the blueprint, and the
blueprint with its fold, call or raise probabilities multiplied by 5 and renormalised
(`STRATEGIES`, `BIAS`). The choice is a decision of the subgame like any other: each player has
regrets and an average over its k strategies per hand at each leaf, updated by the solver's
discounted CFR (`holdem.search.vector_cfr.continuation_values`).

A leaf's values come from the rest of the game played to the end on every runout: for each
terminal of the rest (a fold or a showdown) and each player, the probability that its hand's
own actions take the path there. The sources of the rest:

- `SpotContinuation`: the strategy of a full solve of the same spot, on exact cards (the proof
  of depth-limited solving on a game small enough to solve whole, and a flop solved
  depth-limited against a full solution).

Runouts are every card sequence that completes the board, each of probability ``1 / (unseen
cards)`` per card for a pair of hands (hands holding a runout card take no path), as the full
solver's chance nodes weigh them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import permutations
from typing import TYPE_CHECKING, Protocol

import numpy as np

from holdem.search.spot_tree import ACTION, CHANCE, FOLD, SHOWDOWN, SpotTree
from holdem.search.terminal_values import showdown_plans
from holdem.search.vector_cfr import continuation_values

if TYPE_CHECKING:
    from holdem.search.solver import SpotSolver

STRATEGIES = ("blueprint", "fold", "call", "raise")
"""The continuation strategies, in choice order: the source's own, then biased to each class."""
BIAS = 5.0
"""The factor on the biased class's probabilities (Pluribus)."""


def action_class(text: str) -> int:
    """The class of an action text, as an index of `STRATEGIES`: 1 fold, 2 check or call, 3 bet,
    raise or all-in."""
    if text == "f":
        return 1
    return 2 if text in ("x", "c") else 3


def biased(strategy: np.ndarray, classes: np.ndarray, choice: int) -> np.ndarray:
    """``strategy`` (..., k, H) with the probabilities of actions of class ``choice`` (``classes``
    per action) multiplied by `BIAS` and renormalised per hand; ``choice`` 0 leaves it as it is."""
    if choice == 0 or not (classes == choice).any():
        return strategy
    factor = np.where(classes == choice, BIAS, 1.0)[:, None]
    scaled = strategy * factor
    return scaled / scaled.sum(axis=-2, keepdims=True)


def normalised(sums: np.ndarray) -> np.ndarray:
    """(..., k, H) the positive parts of ``sums`` over their total per hand (axis -2), uniform
    where they are all 0: a strategy from regrets or from strategy sums."""
    positive = np.maximum(np.asarray(sums, np.float64), 0.0)
    total = positive.sum(axis=-2, keepdims=True)
    return np.where(total > 0, positive / np.where(total > 0, total, 1.0), 1.0 / sums.shape[-2])


@dataclass(frozen=True)
class LeafRest:
    """The rest of the game below one leaf: its terminals and each player's paths into them.

    ``folder[z]``: who folded at terminal ``z`` (-1 at a showdown); ``commit[z, p]``: the chips
    player ``p`` has in then; ``paths[p][s, r, z, h]``: the probability that player ``p``'s
    hand ``h`` playing continuation strategy ``s`` on runout ``r`` takes its actions on the way
    to ``z`` (0 for a hand holding a runout card)."""

    folder: np.ndarray
    commit: np.ndarray
    paths: tuple[np.ndarray, np.ndarray]


class ContinuationSource(Protocol):
    """Where the rest of the game below a depth-limited subgame's leaves comes from."""

    def runouts(self, board: tuple[int, ...]) -> tuple[np.ndarray, float]:
        """The runouts the leaves are valued on (R, cards) and the weight of each for a pair of
        hands sharing no card with it."""
        ...

    def rest(self, path: list[str], runouts: np.ndarray, hands: tuple[np.ndarray, ...]) -> LeafRest:
        """The rest below the leaf reached by the action texts ``path`` from the spot's start,
        on ``runouts`` (R, cards) with the players' live ``hands`` (H_p, 2)."""
        ...


def live_on_runouts(hands: np.ndarray, runouts: np.ndarray) -> np.ndarray:
    """(R, H) 1.0 where hand ``h`` holds none of runout ``r``'s cards, else 0.0."""
    held = np.zeros((len(runouts), len(hands)), bool)
    for column in range(runouts.shape[1]):
        held |= (hands[None, :, :] == runouts[:, column, None, None]).any(axis=2)
    return (~held).astype(np.float64)


def rest_paths(
    tree: SpotTree,
    first: int,
    end: int,
    runouts: np.ndarray,
    hands: tuple[np.ndarray, ...],
    strategy: Callable[[int], np.ndarray],
    strategies: int,
) -> LeafRest:
    """The `LeafRest` of the subtree ``first .. end - 1`` of ``tree`` (a chance node's, numbered
    depth first) where ``strategy(node)`` (R, k, H) gives the acting player's probabilities per
    runout at each action node, for the first ``strategies`` of `STRATEGIES`."""
    nodes = range(first, end)
    terminals = [n for n in nodes if tree.kind[n] in (FOLD, SHOWDOWN)]
    folder = np.array([tree.player[n] if tree.kind[n] == FOLD else -1 for n in terminals])
    paths = []
    for p in (0, 1):
        live = live_on_runouts(hands[p], runouts)
        out = np.zeros((strategies, len(runouts), len(terminals), len(hands[p])), np.float32)
        for choice in range(strategies):
            reach = {first: live}
            for node in nodes:
                here = reach.pop(node)
                if tree.kind[node] in (FOLD, SHOWDOWN):
                    out[choice, :, terminals.index(node)] = here
                    continue
                kids = tree.children_of(node)
                if tree.kind[node] != ACTION or tree.player[node] != p:
                    for kid in kids:
                        reach[int(kid)] = here
                    continue
                classes = np.array([action_class(t) for t in tree.actions_of(node)])
                shares = biased(strategy(node), classes, choice)
                for a, kid in enumerate(kids):
                    reach[int(kid)] = here * shares[:, a]
        paths.append(out)
    commit = tree.commit[terminals].reshape(-1, 2)
    return LeafRest(folder.astype(np.int64).reshape(-1), commit, (paths[0], paths[1]))


def runouts_of(board: tuple[int, ...]) -> tuple[np.ndarray, float]:
    """Every sequence of cards that completes ``board`` to five (R, 5 - len(board)), and the
    probability of each for a pair of hands sharing no card with it."""
    deck = [c for c in range(52) if c not in board]
    missing = 5 - len(board)
    runouts = np.array(list(permutations(deck, missing)), np.int64).reshape(-1, missing)
    weight = 1.0
    for dealt in range(missing):
        weight /= 52 - len(board) - dealt - 4
    return runouts, weight


class SpotContinuation:
    """The rest of the game played by a full solve of the same spot (its average strategy, or
    the biased variants of it), on exact cards. The solver must be built without suit
    isomorphism, so that every runout has its own table copy."""

    def __init__(self, solver: SpotSolver, strategies: int = len(STRATEGIES)) -> None:
        if len(solver.symmetries) != 1:
            raise ValueError("the full spot's solver must be built with isomorphism=False")
        if not 1 <= strategies <= len(STRATEGIES):
            raise ValueError(f"strategies must be 1 to {len(STRATEGIES)}, got {strategies}")
        self.solver = solver
        self.strategies = strategies

    def runouts(self, board: tuple[int, ...]) -> tuple[np.ndarray, float]:
        """Every runout (`runouts_of`)."""
        return runouts_of(board)

    def rest(self, path: list[str], runouts: np.ndarray, hands: tuple[np.ndarray, ...]) -> LeafRest:
        solver, tree = self.solver, self.solver.tree
        leaf = 0
        for text in path:
            child = tree.child(leaf, text)
            if child is None:
                raise ValueError(f"the full spot has no line {''.join(path)!r}")
            leaf = child
        if tree.kind[leaf] != CHANCE:
            raise ValueError(f"line {''.join(path)!r} does not end the spot's first street")
        for p in (0, 1):
            if not np.array_equal(hands[p], solver.game.hands[p]):
                raise ValueError("the full spot's ranges differ from the subgame's")
        deck = solver.game.deck.tolist()
        slots = np.array([[deck.index(int(c)) for c in row] for row in runouts], np.int64)
        # each node's table copy per runout: the cards dealt above it (vector_cfr's numbering)
        copy_at_depth = [np.zeros(len(runouts), np.int64), slots[:, 0]]
        if runouts.shape[1] == 2:
            second = slots[:, 1] - (slots[:, 1] > slots[:, 0])
            copy_at_depth.append(slots[:, 0] * (len(deck) - 1) + second)

        def strategy(node: int) -> np.ndarray:
            return self._strategies(node)[copy_at_depth[int(tree.chance_depth[node])]]

        end = int(solver.game.subtree_end[leaf])
        return rest_paths(tree, leaf, end, runouts, hands, strategy, self.strategies)

    def _strategies(self, node: int) -> np.ndarray:
        """(copies, k, H) the average strategy at every copy of ``node``."""
        solver = self.solver
        player = int(solver.tree.player[node])
        k, n_hands = int(solver.tree.n_children[node]), len(solver.combos[player])
        start = int(solver.game.offset[node])
        sums = solver.strategy_sum[start:]
        copies = int(self._copies(node))
        return normalised(sums[: copies * k * n_hands].reshape(copies, k, n_hands))

    def _copies(self, node: int) -> int:
        depth = int(self.solver.tree.chance_depth[node])
        n_deck = len(self.solver.game.deck)
        return (1, n_deck, n_deck * (n_deck - 1))[depth]


class Continuation:
    """The leaves of a depth-limited solver: the rest below each (from a `ContinuationSource`)
    and both players' choice tables, regrets and average sums over `STRATEGIES` per hand."""

    def __init__(self, source: ContinuationSource, solver: SpotSolver) -> None:
        board = solver.spot.board
        game = solver.game
        self.runouts, self.weight = source.runouts(board)
        boards = np.concatenate(
            [np.broadcast_to(np.array(board, np.int64), (len(self.runouts), len(board))),
             self.runouts],
            axis=1,
        )  # fmt: skip
        self.hands = (game.hands[0], game.hands[1])
        self.same = (game.same[0], game.same[1])
        self.plans = showdown_plans(boards, self.hands)
        self.card_start = (game.card_start[0], game.card_start[1])
        self.first_start = (game.first_start[0], game.first_start[1])
        tree: SpotTree = solver.tree
        self.rests = [
            source.rest(tree.path(leaf), self.runouts, self.hands) for leaf in solver.leaves
        ]
        self.k = self.rests[0].paths[0].shape[0] if self.rests else 1
        self.sizes = tuple(self.k * len(h) for h in self.hands)
        n_leaves = len(self.rests)
        self.regret = tuple(np.zeros(n_leaves * size, np.float32) for size in self.sizes)
        self.strategy_sum = tuple(np.zeros(n_leaves * size, np.float32) for size in self.sizes)

    @property
    def memory_bytes(self) -> int:
        """Bytes of the paths and the choice tables."""
        paths = sum(path.nbytes for rest in self.rests for path in rest.paths)
        tables = sum(t.nbytes for t in (*self.regret, *self.strategy_sum))
        return int(paths + tables)

    def values(
        self,
        leaf: int,
        trav: int,
        reach_t: np.ndarray,
        reach_o: np.ndarray,
        mode: int,
        discounts: np.ndarray,
        out: np.ndarray,
    ) -> None:
        """The traverser's values at leaf number ``leaf`` into ``out``; in `MODE_CFR` its choice
        regrets and sums take this iteration's (`continuation_values`)."""
        rest, opp = self.rests[leaf], 1 - trav
        continuation_values(
            rest.paths[trav], rest.paths[opp], rest.folder, rest.commit,
            self.plans, self.card_start[opp], self.weight,
            self.hands[trav], self.hands[opp], self.first_start[opp], self.same[trav],
            self.regret[trav], self.strategy_sum[trav], self.regret[opp], self.strategy_sum[opp],
            leaf * self.sizes[trav], leaf * self.sizes[opp], trav, reach_t, reach_o,
            mode, discounts, out,
        )  # fmt: skip

    def choices(self, leaf: int, player: int, current: bool = False) -> np.ndarray:
        """(k, H) ``player``'s probabilities of each continuation strategy at leaf ``leaf``:
        the average, or with ``current`` the last iteration's."""
        table = (self.regret if current else self.strategy_sum)[player]
        size = self.sizes[player]
        return normalised(table[leaf * size : (leaf + 1) * size].reshape(self.k, -1))
