"""The betting tree as flat arrays, and the compiler that builds it from a `BettingSpec`.

Nodes are numbered breadth-first from the root (node 0), so a child always has a larger number
than its parent and the children of a node are consecutive: the children of decision node ``n``
are ``first_child[n] + a`` for ``a`` in ``0..n_actions[n]-1``, in the order fold (when facing a
bet), check or call, then raises from smallest to largest.

Per node (arrays of length ``n_nodes``, int32 unless said otherwise):

- ``kind``: ``DECISION``, ``FOLD_END`` (all but one player folded) or ``SHOWDOWN``;
- ``player``: seat to act (-1 at terminals); ``street``: betting round (at a terminal, the round
  where the hand ended); ``n_actions``; ``first_child`` (-1 at terminals);
- ``chips[node, seat]``: chips that seat has put in, antes and blinds included (int32, shape
  ``(n_nodes, n_players)``); ``folded``: bit ``seat`` set when that seat has folded;
- ``parent``, ``action_kind`` (``FOLD``, ``CALL`` or ``RAISE``) and ``action_to`` (the acting
  seat's chips after the action) describe the edge into the node (-1 at the root).

The solver's tables are dense rows per (node, bucket); `TableLayout` gives the row offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from holdem.abstraction.betting_spec import BettingSpec

DECISION = 0
FOLD_END = 1
SHOWDOWN = 2

FOLD = 0
CALL = 1
RAISE = 2

MAX_ACTIONS = 64
"""Most actions a node may offer; kernels size their per-node buffers with it."""

_HISTORY_TOKEN = re.compile(r"f|c|r\d*")


@dataclass(frozen=True)
class TableLayout:
    """Where each decision node's rows start in a dense (node, bucket, action) table.

    ``index = offsets[node] + bucket * n_actions[node] + action``; ``offsets`` is int64 with -1
    at terminals; ``size`` is the table length; ``n_buckets[street]`` the buckets per street.
    """

    offsets: np.ndarray
    size: int
    n_buckets: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class BettingTree:
    """A compiled betting tree (see the module docstring for the arrays)."""

    spec: BettingSpec
    kind: np.ndarray
    player: np.ndarray
    street: np.ndarray
    n_actions: np.ndarray
    first_child: np.ndarray
    chips: np.ndarray
    folded: np.ndarray
    parent: np.ndarray
    action_kind: np.ndarray
    action_to: np.ndarray

    @property
    def n_nodes(self) -> int:
        return int(self.kind.shape[0])

    @property
    def n_players(self) -> int:
        return self.spec.n_players

    @property
    def n_streets(self) -> int:
        return self.spec.n_streets

    def decision_depth(self) -> int:
        """Most decision nodes on one path from the root: the stack depth a traversal needs."""
        depth = np.zeros(self.n_nodes, np.int64)
        for node in range(1, self.n_nodes):
            depth[node] = depth[self.parent[node]] + 1
        return int(depth[self.kind == DECISION].max()) + 1

    def decision_nodes(self) -> np.ndarray:
        """Numbers of the decision nodes, in increasing order."""
        return np.flatnonzero(self.kind == DECISION)

    def children(self, node: int) -> range:
        """Numbers of the children of ``node`` (empty at a terminal)."""
        first = int(self.first_child[node])
        return range(first, first + int(self.n_actions[node])) if first >= 0 else range(0)

    def action_label(self, child: int) -> str:
        """The letter of the action leading to ``child``: ``f``, ``c`` or ``r``.

        When its parent offers more than one raise, a raise is ``r`` followed by the acting
        seat's chips after the raise (``r300``), so labels stay unique.
        """
        kind = int(self.action_kind[child])
        if kind < 0:
            raise ValueError("the root has no action label")
        if kind == FOLD:
            return "f"
        if kind == CALL:
            return "c"
        parent = int(self.parent[child])
        raises = sum(1 for c in self.children(parent) if self.action_kind[c] == RAISE)
        return "r" if raises == 1 else f"r{int(self.action_to[child])}"

    def action_labels(self, node: int) -> list[str]:
        """Labels of the actions at decision node ``node``, in action order."""
        return [self.action_label(c) for c in self.children(node)]

    def history(self, node: int) -> str:
        """Actions from the root to ``node``: each street's letters, streets joined by ``/``.

        A node on a later street than its parent starts a new street, so ``rc/`` is the first
        decision of the second street after raise, call.
        """
        parts: list[str] = []
        while node > 0:
            parent = int(self.parent[node])
            label = self.action_label(node)
            if self.kind[node] == DECISION and self.street[node] > self.street[parent]:
                label += "/" * int(self.street[node] - self.street[parent])
            parts.append(label)
            node = parent
        return "".join(reversed(parts))

    def node_of(self, history: str) -> int:
        """The node reached by a history string as written by `history`.

        Raises ValueError naming the history when an action is not available.
        """
        node = 0
        for street_number, street_text in enumerate(history.split("/")):
            if street_number > 0 and int(self.street[node]) != street_number:
                raise ValueError(f"history {history!r} starts street {street_number} too early")
            position = 0
            while position < len(street_text):
                match = _HISTORY_TOKEN.match(street_text, position)
                if match is None or self.kind[node] != DECISION:
                    rest = street_text[position:]
                    raise ValueError(f"history {history!r}: no action at {rest!r}")
                labels = self.action_labels(node)
                if match.group() not in labels:
                    raise ValueError(
                        f"history {history!r}: action {match.group()!r} is not available after "
                        f"{self.history(node)!r} (available: {', '.join(labels)})"
                    )
                node = int(self.first_child[node]) + labels.index(match.group())
                position = match.end()
        if self.history(node) != history:
            raise ValueError(f"history {history!r} does not end where a node starts")
        return node

    def layout(self, n_buckets: Sequence[int]) -> TableLayout:
        """Row offsets of a dense table with ``n_buckets[street]`` buckets per street."""
        if len(n_buckets) != self.n_streets:
            raise ValueError(
                f"need one bucket count per street ({self.n_streets}), got {list(n_buckets)}"
            )
        if any(b < 1 for b in n_buckets):
            raise ValueError(f"bucket counts must be positive, got {list(n_buckets)}")
        per_street = np.asarray(n_buckets, dtype=np.int64)
        rows = np.where(
            self.kind == DECISION, per_street[self.street] * self.n_actions.astype(np.int64), 0
        )
        offsets = np.concatenate(([0], np.cumsum(rows)[:-1])).astype(np.int64)
        offsets[self.kind != DECISION] = -1
        return TableLayout(offsets, int(rows.sum()), tuple(int(b) for b in n_buckets))


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


class _Compiler:
    """Expands drafts breadth-first into the flat arrays."""

    def __init__(self, spec: BettingSpec, max_nodes: int) -> None:
        self.spec = spec
        self.max_nodes = max_nodes
        self.everyone = (1 << spec.n_players) - 1
        self.drafts: list[_Draft | None] = []
        self.columns: dict[str, list[int]] = {
            name: []
            for name in (
                "kind", "player", "street", "n_actions", "first_child",
                "folded", "parent", "action_kind", "action_to",
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

    def after(self, d: _Draft, chips: tuple[int, ...], folded: int, pending: int,
              raises: int, last_increment: int) -> tuple[int, _Draft]:
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
            spec=spec, chips=np.asarray(self.chips, dtype=np.int32).reshape(-1, spec.n_players),
            **arrays,
        )


def compile_tree(spec: BettingSpec, max_nodes: int = 20_000_000) -> BettingTree:
    """Build the betting tree of ``spec`` breadth-first.

    Cost is linear in the number of nodes (pure Python, about a microsecond or a few per node).
    Raises ValueError when the tree would exceed ``max_nodes`` nodes.
    """
    return _Compiler(spec, max_nodes).run()
