"""The rest of a hand after a flop or turn subgame, played by a Hold'em blueprint.

A flop search (`holdem.search.search_policy`) stops at the end of the flop (a turn search may
stop at the end of the turn); each of its leaves is valued by the rest of the hand as the
blueprint plays it, or the blueprint biased toward folding, calling or raising
(`holdem.search.continuation`). Played exactly, that rest is the
blueprint's whole turn and river tree on every runout, hundreds of terminals on 2,162 runouts,
which no 2-core machine walks a few hundred times in 3 seconds. Two reductions make it fit, both
approximations (the README, "Real-time search", gives what they cost):

- **A coarse tree.** The rest is the tree of a pot-sized bet and all-in on the turn and river,
  facing a bet fold, call or all-in (`REST_SIZES`). At each of its nodes the blueprint's own
  probabilities (by bucket, through its translation of the real history, as
  `holdem.eval.lbr_model.BlueprintRange` reads them) are merged by kind: every bet or raise
  short of all-in into the pot-sized one, all-in into all-in (into the other when a node lacks
  one).
- **Sampled runouts** from the flop: ``runouts`` turn cards drawn without repeat, each with one
  river card, the same for every leaf and iteration; each runout weighs ``1 / (runouts * P)``
  with ``P`` the chance that a runout misses both hands' four cards, so values are unbiased on
  average over the draws. From the turn every river card is dealt, as the full solver does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from holdem.cards.combos import blocked_combos, combo_index
from holdem.eval.lbr_model import BlueprintRange
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState
from holdem.search.continuation import STRATEGIES, LeafRest, live_on_runouts, rest_paths
from holdem.search.spot import BetTree, Spot
from holdem.search.spot_tree import build_tree

REST_SIZES = BetTree.uniform([100.0], [], True)
"""The coarse tree of the rest: a pot-sized bet or all-in, facing a bet fold, call or all-in."""


def real_action(text: str, legal: Any) -> Action:
    """The real action of a subgame action's text where the seat has ``legal`` actions."""
    if text == "f":
        return Action.fold()
    if text == "x":
        return Action.check()
    if text == "c":
        return Action.call()
    if text == "a":
        return Action.raise_to(int(legal.max_raise_to))
    to = int(text[1:])
    return Action.raise_to(max(int(legal.min_raise_to), min(to, int(legal.max_raise_to))))


def _placeholder_cards(state: HandState, n: int) -> list[int]:
    """``n`` cards that nobody holds and the board lacks: the rest's betting does not depend on
    the cards, only its buckets do, and those are read per runout."""
    used = set(state.board) | {c for hole in state.hole_cards for c in hole}
    return [c for c in range(52) if c not in used][:n]


class BlueprintContinuation:
    """The `holdem.search.continuation.ContinuationSource` of a Hold'em blueprint, for a flop or
    turn subgame that starts at ``start`` (the real state at the round's first decision) with
    ``oop_seat`` first to act (module docstring)."""

    def __init__(
        self,
        blueprint: Any,
        start: HandState,
        oop_seat: int,
        runouts: int = 12,
        seed: int = 0,
        strategies: int = len(STRATEGIES),
    ) -> None:
        if runouts < 1:
            raise ValueError(f"runouts {runouts}: give 1 or more")
        self.blueprint = blueprint
        self.model = BlueprintRange(blueprint)
        self.start = start
        self.seats = (oop_seat, 1 - oop_seat)
        self.n_runouts = runouts
        self.seed = seed
        self.strategies = strategies

    def runouts(self, board: tuple[int, ...]) -> tuple[np.ndarray, float]:
        """From the flop: ``runouts`` turn cards drawn with the seed, each with one river card;
        from the turn: every river card (exact)."""
        deck = np.array([c for c in range(52) if c not in board], np.int64)
        n = len(deck)
        if len(board) == 4:
            return deck.reshape(-1, 1), 1.0 / (n - 4)
        rng = np.random.default_rng(self.seed)
        turns = rng.choice(deck, size=min(self.n_runouts, n), replace=False)
        rows = [(t, rng.choice(deck[deck != t])) for t in turns]
        misses = (n - 4) * (n - 5) / (n * (n - 1))
        return np.array(rows, np.int64), 1.0 / (len(rows) * misses)

    def rest(self, path: list[str], runouts: np.ndarray, hands: tuple[np.ndarray, ...]) -> LeafRest:
        state = self.start.clone()
        for text in path:
            if text == "/":
                continue
            state.apply(real_action(text, state.legal_actions()))
        contributed = [
            state.contributions[s] - self.start.contributions[s] for s in self.seats
        ]  # fmt: skip
        half = self.start.total_pot / 2
        commit = (half + contributed[0], half + contributed[1])
        stack = min(state.stacks[s] for s in self.seats)
        board = tuple(state.board) + tuple(_placeholder_cards(state, 1))
        if stack <= 0 or state.is_terminal:
            # all-in on the flop: the board runs out to a showdown
            spot = None
        else:
            # the rest's tree does not depend on the ranges: any that the board leaves
            ranges = np.where(blocked_combos(board), 0.0, 1.0)
            spot = Spot(board, round(commit[0] * 2), stack, (ranges, ranges), REST_SIZES)
        if spot is None:
            return self._showdown_only(commit, runouts, hands)
        tree = build_tree(spot)
        combos = [np.array([combo_index(int(a), int(b)) for a, b in h]) for h in hands]
        buckets = self._runout_buckets(runouts)
        cache: dict[int, np.ndarray] = {}

        def strategy(node: int) -> np.ndarray:
            found = cache.get(node)
            if found is None:
                found = self._node_strategy(tree, node, state, buckets, combos)
                cache[node] = found
            return found

        return rest_paths(tree, 0, tree.n_nodes, runouts, hands, strategy, self.strategies)

    def _showdown_only(
        self, commit: tuple[float, float], runouts: np.ndarray, hands: tuple[np.ndarray, ...]
    ) -> LeafRest:
        """The rest of an all-in: one showdown, every live hand reaches it."""
        paths = []
        for h in hands:
            live = live_on_runouts(h, runouts).astype(np.float32)[None, :, None, :]
            paths.append(np.repeat(live, self.strategies, axis=0))
        folder = np.array([-1], np.int64)
        return LeafRest(folder, np.array([commit], np.float64), (paths[0], paths[1]))

    def _runout_buckets(self, runouts: np.ndarray) -> dict[int, np.ndarray]:
        """Per street after the subgame's (2 turn, 3 river) the (R, 1326) bucket of every
        combination per runout."""
        board = tuple(self.start.board)
        out = {}
        for dealt in range(1, runouts.shape[1] + 1):
            out[len(board) - 2 + dealt] = np.stack(
                [self.model.buckets(board + tuple(int(c) for c in row[:dealt])) for row in runouts]
            )
        return out

    def _node_strategy(
        self,
        tree: Any,
        node: int,
        leaf_state: HandState,
        buckets: dict[int, np.ndarray],
        combos: list[np.ndarray],
    ) -> np.ndarray:
        """(R, k, H) the blueprint's probabilities of the coarse node's actions per runout, for
        the acting player's hands: its real actions merged by kind (module docstring)."""
        state = leaf_state.clone()
        texts = tree.path(node)
        for text in ["/", *texts]:
            if text == "/":
                state.deal_board(_placeholder_cards(state, state.awaiting_cards))
                continue
            state.apply(real_action(text, state.legal_actions()))
        player = int(tree.player[node])
        seat = self.seats[player]
        assert state.to_act == seat
        actions = tree.actions_of(node)
        legal = state.legal_actions()
        street = int(state.street)
        per_hand = buckets[street][:, combos[player]]
        out = np.zeros((per_hand.shape[0], len(actions), per_hand.shape[1]))
        for line in self.blueprint.spot(state).lines:
            if not line.on_tree:
                out += line.probability / len(actions)
                continue
            for action, sources in zip(line.actions, line.sources, strict=True):
                target = _coarse_index(action, actions, legal)
                by_bucket = self.model.bucket_probabilities(line.node, tuple(sources))
                out[:, target] += line.probability * by_bucket[per_hand]
        total = out.sum(axis=1, keepdims=True)
        return np.where(total > 0, out / np.where(total > 0, total, 1.0), 1.0 / len(actions))


def _coarse_index(action: Action, texts: list[str], legal: Any) -> int:
    """Which of a coarse node's actions (``texts``) a real action merges into."""
    if action.kind is ActionKind.FOLD:
        return texts.index("f")
    if action.kind in (ActionKind.CHECK, ActionKind.CALL):
        return texts.index("x") if "x" in texts else texts.index("c")
    sized = [i for i, t in enumerate(texts) if t[0] in "br"]
    all_in = texts.index("a") if "a" in texts else None
    if action.amount is not None and action.amount >= int(legal.max_raise_to):
        return all_in if all_in is not None else sized[-1]
    return sized[0] if sized else all_in  # type: ignore[return-value]
