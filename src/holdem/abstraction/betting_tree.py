"""The betting tree as flat arrays, and `compile_tree`, which builds it from a `BettingSpec`.

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

The nine per-node arrays are the rows of one ``(9, n_nodes)`` block, each contiguous. The
compiler itself is Numba code in `holdem.abstraction.betting_tree_kernel`.

The solver's tables are dense rows per (node, bucket); `TableLayout` gives the row offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from holdem.abstraction.betting_spec import BettingSpec
from holdem.abstraction.betting_tree_kernel import (
    CALL,
    DECISION,
    FOLD,
    FOLD_END,
    FULL,
    MAX_ACTIONS,
    NODE_ARRAYS,
    RAISE,
    SHOWDOWN,
    TOO_WIDE,
    count_nodes,
    fill,
    preorder_ranks,
    spec_arrays,
)

__all__ = [
    "CALL",
    "DECISION",
    "FOLD",
    "FOLD_END",
    "MAX_ACTIONS",
    "RAISE",
    "SHOWDOWN",
    "BettingTree",
    "TableLayout",
    "TreeTooLargeError",
    "compile_tree",
]

_HISTORY_TOKEN = re.compile(r"f|c|r\d*")


@dataclass(frozen=True)
class TableLayout:
    """Where each (decision node, bucket) row lies in a dense (node, bucket, action) table.

    ``index = offsets[node] + bucket * strides[street[node]] + action``. The table is one block
    per street (all preflop rows first, then the flop's, ...), so ``street_ends[s]`` (one per
    street) is where street ``s``'s block ends: a table of the first ``s + 1`` streets only
    (Pluribus keeps strategy sums for the preflop alone) is the prefix
    ``table[:street_ends[s]]``. Inside a street's block the rows are bucket-major: bucket 0's
    rows of every decision node of the street, then bucket 1's, ..., so ``strides[s]`` is the
    number of actions summed over the street's decision nodes; the nodes come in depth-first
    order (`holdem.abstraction.betting_tree_kernel.preorder_ranks`). One deal keeps a seat in
    one bucket per street, so the rows a traversal touches lie close together (a subtree's side
    by side) instead of one bucket block apart: on `hu_rich` with the `mid` buckets the
    trainer's kernel visits 1.3 times the tree nodes per CPU second that it did with rows node
    by node (`benchmarks/results/train*.json`; the depth-first order's part, 1.044x, in
    `layout.json`). ``offsets`` is int64 with -1 at terminals; ``size`` is the table length;
    ``n_buckets[s]`` the buckets per street.
    """

    offsets: np.ndarray
    size: int
    n_buckets: tuple[int, ...]
    street_ends: tuple[int, ...]
    strides: np.ndarray

    def rows_through(self, street: int) -> int:
        """Length of the table prefix that holds the rows of streets ``0..street``."""
        return self.street_ends[street]

    def row(self, node: int, street: int, bucket: int) -> int:
        """Index of the first action of ``node``'s row for ``bucket`` (``street``: the node's)."""
        return int(self.offsets[node]) + bucket * int(self.strides[street])

    def node_rows(self, table: np.ndarray, node: int, street: int, n_actions: int) -> np.ndarray:
        """``node``'s rows of ``table`` as a ``(n_buckets[street], n_actions)`` view."""
        start = self.street_ends[street - 1] if street > 0 else 0
        stride = int(self.strides[street])
        block = table[start : self.street_ends[street]].reshape(self.n_buckets[street], stride)
        local = int(self.offsets[node]) - start
        return block[:, local : local + n_actions]


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
        """Most decision nodes on one path from the root: the stack depth a traversal needs.

        Nodes are numbered breadth-first, so each level of the tree is a range of numbers and
        the next level holds the children of this one's decision nodes, in order. Computed
        once per tree (solvers ask for it at every batch).
        """
        cached = self.__dict__.get("_decision_depth")
        if cached is not None:
            return int(cached)
        deepest, level, start, end = 0, 0, 0, 1
        while start < end:
            decisions = np.flatnonzero(self.kind[start:end] == DECISION)
            if decisions.size == 0:
                break
            deepest = level
            last = start + int(decisions[-1])
            start, end = end, int(self.first_child[last] + self.n_actions[last])
            level += 1
        self.__dict__["_decision_depth"] = deepest + 1
        return deepest + 1

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

    def layout(self, n_buckets: Sequence[int], depth_first: bool = True) -> TableLayout:
        """Row offsets of a dense table with ``n_buckets[street]`` buckets per street: one block
        per street, bucket-major inside it (see `TableLayout`), the nodes of a street in
        depth-first order, or in node numbers (breadth-first) when not ``depth_first``, as
        `benchmarks/bench_layout.py` compares them."""
        if len(n_buckets) != self.n_streets:
            raise ValueError(
                f"need one bucket count per street ({self.n_streets}), got {list(n_buckets)}"
            )
        if any(b < 1 for b in n_buckets):
            raise ValueError(f"bucket counts must be positive, got {list(n_buckets)}")
        per_street = np.asarray(n_buckets, dtype=np.int64)
        decision = self.kind == DECISION
        width = np.where(decision, self.n_actions.astype(np.int64), 0)
        strides = np.bincount(self.street, weights=width, minlength=self.n_streets)
        strides = strides.astype(np.int64)
        blocks = strides * per_street
        starts = np.cumsum(blocks) - blocks
        if depth_first:
            ranks = preorder_ranks(self.kind, self.first_child, self.n_actions)
            order = np.lexsort((ranks, self.street))
        else:
            order = np.argsort(self.street, kind="stable")
        street_of = self.street[order]
        earlier_streets = np.cumsum(strides) - strides
        within = np.cumsum(width[order]) - width[order] - earlier_streets[street_of]
        offsets = np.full(self.n_nodes, -1, np.int64)
        offsets[order] = starts[street_of] + within
        offsets[~decision] = -1
        street_ends = tuple(int(x) for x in np.cumsum(blocks))
        return TableLayout(
            offsets, int(blocks.sum()), tuple(int(b) for b in n_buckets), street_ends, strides
        )


class TreeTooLargeError(ValueError):
    """`compile_tree` met more nodes than its limit.

    ``reached`` is the node count at which counting stopped (just past ``limit``: the full size
    is never counted, it could take minutes), so a command can say how far it got.
    """

    def __init__(self, reached: int, limit: int) -> None:
        super().__init__(
            f"the betting tree exceeds max_nodes={limit}: use fewer bet sizes, a lower raise "
            "cap, or raise max_nodes"
        )
        self.reached = reached
        self.limit = limit


def compile_tree(spec: BettingSpec, max_nodes: int = 20_000_000) -> BettingTree:
    """Build the betting tree of ``spec``, nodes numbered breadth-first.

    A depth-first count sizes the arrays exactly, then a breadth-first pass fills them: tens of
    nanoseconds per node (the 6.1-million-node 6-max preset takes about a second, mostly the
    operating system handing over fresh memory). Memory is the tree, about ``4 * (9 +
    n_players)`` bytes per node, plus 12 bytes per node while it is built.

    Raises `TreeTooLargeError` (a ValueError) when the tree would exceed ``max_nodes`` nodes, or
    ValueError when a node would offer more than `MAX_ACTIONS` actions, whichever a breadth-first
    build meets first (to tell which, a tree over the limit is built up to ``max_nodes`` nodes
    before the error).
    """
    if spec.stack > np.iinfo(np.int32).max:
        raise ValueError(f"stack {spec.stack} does not fit the int32 chip arrays: use fewer chips")
    arrays = spec_arrays(spec)
    limit = max(0, min(max_nodes, np.iinfo(np.int64).max - MAX_ACTIONS))
    counted = count_nodes(*arrays, limit)
    capacity = min(counted, limit)
    if capacity > np.iinfo(np.int32).max:
        raise ValueError(
            f"the betting tree has {capacity} nodes, more than int32 node numbers allow: use "
            "fewer bet sizes or a lower raise cap"
        )
    nodes = np.empty((len(NODE_ARRAYS), capacity), np.int32)
    chips = np.empty((capacity, spec.n_players), np.int32)
    status, value = fill(*arrays, nodes, chips, np.empty((capacity, 3), np.int32))
    if status == TOO_WIDE:
        raise ValueError(f"a node offers {value} actions, more than {MAX_ACTIONS}: use fewer sizes")
    if status == FULL:
        raise TreeTooLargeError(counted, max_nodes)
    assert value == capacity, "the count and fill passes disagree"
    return BettingTree(spec=spec, chips=chips, **dict(zip(NODE_ARRAYS, nodes, strict=True)))
