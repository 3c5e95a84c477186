"""The betting-tree compiler as it was first written: slow, obvious Python, node by node.

It is the reference that `holdem.abstraction.betting_tree.compile_tree` (a Numba kernel) must
match array for array, error for error. About 3 to 6 microseconds per node.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.abstraction.betting_spec import BettingSpec
from holdem.abstraction.betting_tree import (
    CALL,
    DECISION,
    FOLD,
    FOLD_END,
    MAX_ACTIONS,
    RAISE,
    SHOWDOWN,
    BettingTree,
)


@dataclass
class _Draft:
    """A node being built: the betting state the compiler needs to expand it."""

    street: int
    to_act: int
    chips: tuple[int, ...]
    folded: int
    pending: int
    raises: int
    last_increment: int


def _next_seat(mask: int, after: int, n_players: int) -> int:
    """The first seat in ``mask`` strictly after seat ``after``, going round the table."""
    for step in range(1, n_players + 1):
        seat = (after + step) % n_players
        if mask >> seat & 1:
            return seat
    raise AssertionError("no seat left to act")


def _popcount(mask: int) -> int:
    return bin(mask).count("1")


class Compiler:
    """Expands drafts breadth-first into the flat arrays."""

    def __init__(self, spec: BettingSpec, max_nodes: int) -> None:
        self.spec = spec
        self.max_nodes = max_nodes
        self.everyone = (1 << spec.n_players) - 1
        self.drafts: list[_Draft | None] = []
        self.columns: dict[str, list[int]] = {
            name: []
            for name in (
                "kind",
                "player",
                "street",
                "n_actions",
                "first_child",
                "folded",
                "parent",
                "action_kind",
                "action_to",
            )
        }
        self.chips: list[tuple[int, ...]] = []

    def add(self, kind: int, draft: _Draft, parent: int, action: int, action_to: int) -> None:
        if len(self.drafts) >= self.max_nodes:
            raise ValueError(
                f"the betting tree exceeds max_nodes={self.max_nodes}: use fewer bet sizes, a "
                "lower raise cap, or raise max_nodes"
            )
        self.drafts.append(draft if kind == DECISION else None)
        col = self.columns
        col["kind"].append(kind)
        col["player"].append(draft.to_act if kind == DECISION else -1)
        col["street"].append(draft.street)
        col["n_actions"].append(0)
        col["first_child"].append(-1)
        col["folded"].append(draft.folded)
        col["parent"].append(parent)
        col["action_kind"].append(action)
        col["action_to"].append(action_to)
        self.chips.append(draft.chips)

    def all_in_mask(self, chips: tuple[int, ...]) -> int:
        return sum(1 << s for s, c in enumerate(chips) if c >= self.spec.stack)

    def street_start(self, street: int, chips: tuple[int, ...], folded: int) -> tuple[int, _Draft]:
        """Node kind and draft at the start of ``street`` (a showdown if at most one can act)."""
        can_act = self.everyone & ~folded & ~self.all_in_mask(chips)
        if street >= self.spec.n_streets or _popcount(can_act) <= 1:
            last = min(street, self.spec.n_streets) - 1
            return SHOWDOWN, _Draft(last, -1, chips, folded, 0, 0, 0)
        first = self.spec.streets[street].first_player
        to_act = _next_seat(can_act, first - 1, self.spec.n_players)
        return DECISION, _Draft(street, to_act, chips, folded, can_act, 0, 0)

    def after(
        self,
        d: _Draft,
        chips: tuple[int, ...],
        folded: int,
        pending: int,
        raises: int,
        last_increment: int,
    ) -> tuple[int, _Draft]:
        """The node kind and draft after seat ``d.to_act`` acted."""
        if _popcount(self.everyone & ~folded) == 1:
            return FOLD_END, _Draft(d.street, -1, chips, folded, 0, 0, 0)
        if pending == 0:
            return self.street_start(d.street + 1, chips, folded)
        to_act = _next_seat(pending, d.to_act, self.spec.n_players)
        return DECISION, _Draft(d.street, to_act, chips, folded, pending, raises, last_increment)

    def raise_targets(self, d: _Draft) -> list[int]:
        """Chips the acting seat would have in after each allowed raise, smallest first."""
        spec, seat = self.spec, d.to_act
        street = spec.streets[d.street]
        top = max(d.chips)
        to_call = top - d.chips[seat]
        others_can_act = self.everyone & ~d.folded & ~self.all_in_mask(d.chips) & ~(1 << seat)
        if d.raises >= street.max_raises or spec.stack - d.chips[seat] <= to_call:
            return []
        if others_can_act == 0:
            return []
        targets: set[int] = set()
        pot = sum(d.chips)
        min_increment = max(spec.big_blind, d.last_increment)
        for size in street.sizes_at(d.raises):
            if size.kind == "chips":
                increment = int(size.amount)
            else:
                increment = max(round(size.amount * (pot + to_call)), min_increment)
            targets.add(min(top + increment, spec.stack))
        if street.all_in:
            targets.add(spec.stack)
        return sorted(targets)

    def expand(self, node: int) -> None:
        d = self.drafts[node]
        assert d is not None
        seat, chips = d.to_act, d.chips
        top = max(chips)
        to_call = top - chips[seat]
        others = d.pending & ~(1 << seat)
        children: list[tuple[int, _Draft, int, int]] = []
        if to_call > 0:
            folded = d.folded | 1 << seat
            kind, draft = self.after(d, chips, folded, others, d.raises, d.last_increment)
            children.append((kind, draft, FOLD, chips[seat]))
        limp_refused = not self.spec.streets[d.street].limp and d.raises == 0 and to_call > 0
        if not limp_refused:
            called = list(chips)
            called[seat] = min(top, self.spec.stack)
            kind, draft = self.after(d, tuple(called), d.folded, others, d.raises, d.last_increment)
            children.append((kind, draft, CALL, called[seat]))
        for target in self.raise_targets(d):
            raised = list(chips)
            raised[seat] = target
            reopened = self.everyone & ~d.folded & ~self.all_in_mask(tuple(raised)) & ~(1 << seat)
            increment = max(d.last_increment, target - top)
            kind, draft = self.after(d, tuple(raised), d.folded, reopened, d.raises + 1, increment)
            children.append((kind, draft, RAISE, target))
        if len(children) > MAX_ACTIONS:
            raise ValueError(
                f"a node offers {len(children)} actions, more than {MAX_ACTIONS}: use fewer sizes"
            )
        self.columns["first_child"][node] = len(self.drafts)
        self.columns["n_actions"][node] = len(children)
        for kind, draft, action, action_to in children:
            self.add(kind, draft, node, action, action_to)

    def run(self) -> BettingTree:
        spec = self.spec
        chips = tuple(spec.forced_bet(s) for s in range(spec.n_players))
        kind, root = self.street_start(0, chips, 0)
        self.add(kind, root, -1, -1, -1)
        node = 0
        while node < len(self.drafts):
            if self.drafts[node] is not None:
                self.expand(node)
                self.drafts[node] = None
            node += 1
        arrays = {name: np.asarray(values, dtype=np.int32) for name, values in self.columns.items()}
        return BettingTree(
            spec=spec,
            chips=np.asarray(self.chips, dtype=np.int32).reshape(-1, spec.n_players),
            **arrays,
        )


def reference_compile_tree(spec: BettingSpec, max_nodes: int = 20_000_000) -> BettingTree:
    """Build the betting tree of ``spec`` breadth-first in pure Python."""
    return Compiler(spec, max_nodes).run()
