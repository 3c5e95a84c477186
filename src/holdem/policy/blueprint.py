"""`Blueprint`: a trained policy that answers for any real Hold'em state.

``Blueprint.load(path)`` opens a run's blueprint, a snapshot or a checkpoint
(`holdem.policy.loading`). ``action_probabilities(state)`` takes a real `HandState` (2 to 6
seats as the blueprint was trained, any blinds, antes and stacks: bet sizes are compared as
fractions of the pot) and returns the real actions of the seat to act with their
probabilities:

1. follow the hand's betting into the tree (`holdem.policy.follower.TreeFollower`: real bets
   translated by the randomised pseudo-harmonic mapping, cached per betting history); a bet
   between two tree sizes gives two lines (tree paths) with the mapping's probabilities;
2. read the seat's bucket on the current street from its hole cards and the board (the card
   abstraction's table at the canonical hand index; preflop with lossless buckets, the class);
3. read the blueprint's row for (node, bucket) of each line and give each tree action's
   probability, times the line's, to the real action it becomes (fold, check or call, raise to
   a legal number of chips), merging actions that become the same one.

``act(state, rng)`` instead draws each real action's translation once per hand from ``rng``
(`TreeFollower.choose`) and plays the row of the line drawn: see `holdem.policy.follower` for
why, and for what happens off the tree (raises past the cap, re-entry at the next street).
`Blueprint.spot` tells which case applies and what was translated.

Cost (``benchmarks/bench_policy.py``, one core of the shared 2-core machine, CPU time): a
query whose betting history was seen before is a few dictionary look-ups, 230,000 to 450,000
queries per second; a history never seen before (each decision of a new hand) resumes the
walk of the hand's previous decision and costs 30 to 110 microseconds, 9,000 to 34,000 per
second heads-up and with six seats (a spot has 1.45 lines on average on ``hu_small`` and 1.9
with six seats, each with its own real actions and row; before the randomised translation and
the re-entry it was one line, and off the tree no row: 27,000 to 42,000 per second), against
10,000 to 36,000 for the spot alone walked from the start without the caches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from holdem.abstraction.betting_tree import BettingTree, TableLayout
from holdem.cards.isomorphism import index_masks, suit_rank_bit
from holdem.cfr.holdem_cards import HoldemCards
from holdem.policy.draw import draw_action
from holdem.policy.follower import Spot, TreeFollower
from holdem.policy.loading import load_policy
from holdem.policy.stored_rows import PolicyRows
from holdem.rules.actions import Action
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig
from holdem.training.training_game import TrainingGame

_MAX_CACHED = 500_000


class Blueprint:
    """A trained policy over a betting tree and a card abstraction; see the module docstring.

    Build it with `Blueprint.load`. ``kind`` is ``blueprint``, ``snapshot`` or ``checkpoint``;
    ``tree``, ``layout`` and ``cards`` are the game it was trained on.
    """

    def __init__(
        self,
        path: Path,
        kind: str,
        manifest: dict[str, Any],
        training: TrainingGame,
        rows: PolicyRows,
    ) -> None:
        self.path = path
        self.kind = kind
        self.manifest = manifest
        self.training = training
        self.rows = rows
        self.follower = TreeFollower(training.game.tree)
        cards = training.cards
        tables: list[np.ndarray | None] = [None, None, None, None]
        if cards.abstraction is not None:
            abstraction_tables = cards.abstraction.tables
            for street, name in enumerate(("preflop", "flop", "turn", "river")):
                if cards.n_buckets[street] > 1:
                    tables[street] = abstraction_tables[name]
        self._tables = tables
        self._buckets: dict[tuple[int, int, tuple[int, ...]], int] = {}
        self._answers: dict[int, tuple[Spot, dict[int, list[tuple[Action, float]]]]] = {}

    @classmethod
    def load(
        cls,
        path: str | Path,
        betting: str | Path | None = None,
        buckets: str | Path | None = None,
        verify: bool = True,
    ) -> Blueprint:
        """Open a blueprint, snapshot or checkpoint folder (or a run's logdir: its blueprint).

        The betting config and bucket file are those the manifest names, or ``betting`` and
        ``buckets`` when they moved; their checksums must match the manifest's. Raises a
        one-line ValueError naming the folder or file and what to change.
        """
        loaded = load_policy(path, betting, buckets, verify)
        return cls(loaded.path, loaded.kind, loaded.manifest, loaded.training, loaded.rows)

    # -- the game -----------------------------------------------------------------------------

    @property
    def tree(self) -> BettingTree:
        return self.training.game.tree

    @property
    def layout(self) -> TableLayout:
        return self.training.game.layout

    @property
    def cards(self) -> HoldemCards:
        return self.training.cards

    @property
    def n_players(self) -> int:
        return self.tree.n_players

    @property
    def iteration(self) -> int | None:
        """The training iteration the policy was written at, when the manifest says."""
        value = self.manifest.get("iteration")
        return int(value) if isinstance(value, int) else None

    def describe(self) -> str:
        """One line: the folder, its kind and iteration, players, stack and blinds."""
        spec = self.tree.spec
        at = f", iteration {self.iteration:,}" if self.iteration is not None else ""
        blinds = "/".join(str(b) for b in spec.blinds)
        buckets = self.training.buckets_path
        return (
            f"{self.path} ({self.kind}{at}): {self.n_players} players, stack {spec.stack}, "
            f"blinds {blinds}, {self.training.betting_path.name}, "
            f"{buckets.name if buckets else 'lossless-preflop'}"
        )

    def table_config(
        self, stack: int | None = None, blinds: tuple[int, int] | None = None
    ) -> TableConfig:
        """The real table of the blueprint's own game (or with another ``stack`` or
        ``blinds``): seats numbered as the tree's, seat 0 the small blind."""
        spec = self.tree.spec
        n = self.n_players
        small, big = blinds if blinds is not None else (spec.blinds[0], spec.blinds[1])
        return TableConfig(
            (stack if stack is not None else spec.stack,) * n,
            small,
            big,
            spec.ante,
            0 if n == 2 else n - 1,
        )

    # -- queries ------------------------------------------------------------------------------

    def spot(self, state: HandState) -> Spot:
        """Where ``state`` stands in the tree and the real actions of its seat to act."""
        return self.follower.spot(state)

    def clear_caches(self) -> None:
        """Forget every cached spot, bucket and answer (a long session's memory is bounded
        anyway: each cache empties itself past a few hundred thousand entries)."""
        self.follower.clear_caches()
        self._buckets.clear()
        self._answers.clear()

    def bucket(self, state: HandState, seat: int | None = None) -> int:
        """The bucket of ``seat`` (default: the seat to act) on the state's street."""
        if seat is None:
            seat = self.follower.check_state(state)
        street = int(state.street)
        c0, c1 = state.hole_cards[seat]
        board = state.board
        key = (c0 * 64 + c1, street, board)
        found = self._buckets.get(key)
        if found is not None:
            return found
        table = self._tables[street]
        if table is None:
            found = hand_index_preflop(c0, c1) if street == 0 else 0
        else:
            board_mask = 0
            for card in board:
                board_mask |= suit_rank_bit(card)
            found = int(table[index_masks(suit_rank_bit(c0) | suit_rank_bit(c1), board_mask)])
        if len(self._buckets) >= _MAX_CACHED:
            self._buckets.clear()
        self._buckets[key] = found
        return found

    def bucket_label(self, state: HandState, seat: int | None = None) -> str:
        """The bucket as policy files name it: ``AKs`` for lossless preflop classes, else
        ``<street>:b<number>`` (``flop:b47``)."""
        return self.cards.bucket_label(int(state.street), self.bucket(state, seat))

    def tree_probabilities(self, node: int, bucket: int) -> list[float]:
        """The blueprint's probabilities of ``node``'s actions (tree order) for ``bucket``."""
        if self.layout.offsets[node] < 0:
            raise ValueError(f"node {node} is not a decision node")
        street = int(self.tree.street[node])
        if not 0 <= bucket < self.layout.n_buckets[street]:
            raise ValueError(
                f"bucket {bucket} is out of range: the street has {self.layout.n_buckets[street]}"
            )
        return self.rows.row(self.layout.row(node, street, bucket), int(self.tree.n_actions[node]))

    def node_probabilities(self, node: int) -> np.ndarray:
        """(buckets, actions) the blueprint's probabilities of ``node``'s actions for every
        bucket of its street at once (`tree_probabilities` row by row)."""
        if self.layout.offsets[node] < 0:
            raise ValueError(f"node {node} is not a decision node")
        street = int(self.tree.street[node])
        return self.rows.node_rows(self.layout, node, street, int(self.tree.n_actions[node]))

    def action_probabilities(self, state: HandState) -> list[tuple[Action, float]]:
        """The real actions of the seat to act in ``state`` and their probabilities (sum 1):
        the mixture over the translations of the history (`Spot.lines`).

        Raises ValueError when nobody is to act or the table has another number of seats than
        the blueprint; never for a situation the tree lacks (see the module docstring).
        """
        spot = self.follower.spot(state)
        on_tree = spot.on_tree or any(line.on_tree for line in spot.others)
        return list(self._cached(spot, self.bucket(state) if on_tree else 0))

    def _cached(self, spot: Spot, bucket: int) -> list[tuple[Action, float]]:
        # Answers per spot object (the entry keeps the spot alive, so its id stays its own).
        entry = self._answers.get(id(spot))
        if entry is None or entry[0] is not spot:
            if len(self._answers) >= _MAX_CACHED:
                self._answers.clear()
            entry = (spot, {})
            self._answers[id(spot)] = entry
        found = entry[1].get(bucket)
        if found is None:
            found = self._answer(spot, bucket)
            entry[1][bucket] = found
        return found

    def _answer(self, spot: Spot, bucket: int) -> list[tuple[Action, float]]:
        if not spot.others:
            return self._line_answer(spot, bucket)
        total: dict[Action, float] = {}
        for line in spot.lines:
            for action, p in self._line_answer(line, bucket):
                total[action] = total.get(action, 0.0) + line.probability * p
        return list(total.items())

    def _line_answer(self, line: Spot, bucket: int) -> list[tuple[Action, float]]:
        """One line's answer, as if it were the only one."""
        if not line.on_tree:
            return [(line.actions[0], 1.0)]
        row = self.tree_probabilities(line.node, bucket)
        return [
            (action, sum(row[i] for i in sources))
            for action, sources in zip(line.actions, line.sources, strict=True)
        ]

    def act(self, state: HandState, rng: np.random.Generator) -> Action:
        """An action for the seat to act: the hand's line of the translations, each drawn once
        per real action from ``rng`` (`TreeFollower.choose`), then an action from that line's
        probabilities, drawn with ``rng``."""
        spot = self.follower.spot(state)
        line = self.follower.choose(state, spot, rng)
        bucket = self.bucket(state) if line.on_tree else 0
        # One line: the cached answer; several: the drawn line's own row, not the mixture.
        choices = self._line_answer(line, bucket) if spot.others else self._cached(spot, bucket)
        return draw_action(choices, rng)


def hand_index_preflop(c0: int, c1: int) -> int:
    """The canonical preflop class (0..168) of two hole cards."""
    return int(index_masks(suit_rank_bit(c0) | suit_rank_bit(c1), 0))
