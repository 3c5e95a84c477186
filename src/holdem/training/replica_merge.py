"""Merge what the replicas of a run's tables changed, where several machines train one run.

On a cluster (`holdem.training.cluster`) every node trains its own replica of the regret and
strategy-sum tables, starting at each sync from the same merged tables, the driver's. MCCFR's
updates are sums, so the run's tables after a sync are the driver's plus every node's change
since the last one. A node sends only the entries it changed (`changed_entries`: positions and
new values, a small share of a large table in a minute); the driver adds each node's change to
its own value (`merge_changes`), in int64 for int32 regrets, which saturate as the kernel's own
updates do: at the floor below and at the int32 limit above. The entries that changed anywhere
go back to every node (`apply_changes`), so all replicas equal the driver's tables again. With
one node its new values are taken as they are, so a cluster of one node trains bit for bit the
run one machine trains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

INT32_MAX = int(np.iinfo(np.int32).max)
_BLOCK = 1 << 24
"""Entries compared at once when looking for changes (bounds the scratch to 16 MB)."""


@dataclass(frozen=True)
class TableChanges:
    """Entries of a table: ``index`` (ascending positions) and their ``values``."""

    index: np.ndarray
    values: np.ndarray

    @property
    def nbytes(self) -> int:
        return int(self.index.nbytes + self.values.nbytes)


def changed_entries(table: np.ndarray, base: np.ndarray) -> TableChanges:
    """The entries where ``table`` differs from ``base`` and their values in ``table``.

    Positions are uint32 when the table is small enough (4 bytes an entry), else int64."""
    if table.shape != base.shape or table.dtype != base.dtype:
        raise ValueError(
            f"a table is {table.dtype}{list(table.shape)}, its base "
            f"{base.dtype}{list(base.shape)}: every node must train the same game"
        )
    index_type = _positions_type(table.size)
    pieces = []
    for start in range(0, table.size, _BLOCK):
        stop = min(start + _BLOCK, table.size)
        found = np.flatnonzero(table[start:stop] != base[start:stop])
        pieces.append((found + start).astype(index_type))
    index = np.concatenate(pieces) if pieces else np.zeros(0, index_type)
    return TableChanges(index, table[index])


def nonzero_entries(table: np.ndarray) -> TableChanges:
    """The entries of ``table`` that are not zero: all a fresh replica needs to equal it."""
    return changed_entries(table, np.zeros(table.shape, table.dtype))


def merge_changes(tables: np.ndarray, changes: Sequence[TableChanges], floor: float) -> np.ndarray:
    """Add every node's change (its new values minus ``tables``'s) into ``tables``; returns the
    positions that changed (ascending).

    ``floor`` bounds regrets from below (``-inf`` for none, as for strategy sums); int32
    tables also stop at the int32 limit. One node's values are taken as they are."""
    if not changes:
        return np.zeros(0, np.int64)
    if len(changes) == 1:
        tables[changes[0].index] = changes[0].values
        return changes[0].index.astype(np.int64)
    is_int = np.issubdtype(tables.dtype, np.integer)
    wide = np.int64 if is_int else np.float64
    index = np.concatenate([c.index.astype(np.int64) for c in changes])
    change = np.concatenate([c.values.astype(wide) - tables[c.index].astype(wide) for c in changes])
    order = np.argsort(index, kind="stable")
    index, change = index[order], change[order]
    positions, starts = np.unique(index, return_index=True)
    merged = tables[positions].astype(wide) + np.add.reduceat(change, starts)
    if is_int:
        low = max(floor, float(np.iinfo(tables.dtype).min))
        np.clip(merged, int(np.ceil(low)), INT32_MAX, out=merged)
    elif floor > -np.inf:
        np.maximum(merged, floor, out=merged)
    tables[positions] = merged
    return positions


def entries_at(tables: np.ndarray, positions: np.ndarray) -> TableChanges:
    """``tables``'s entries at ``positions``, to send (positions as uint32 where they fit)."""
    return TableChanges(positions.astype(_positions_type(tables.size)), tables[positions])


def _positions_type(size: int) -> type[np.unsignedinteger] | type[np.signedinteger]:
    return np.uint32 if size <= np.iinfo(np.uint32).max else np.int64


def apply_changes(changes: TableChanges, *tables: np.ndarray) -> None:
    """Write the merged entries into each of ``tables`` (a node's replica and its base)."""
    for table in tables:
        table[changes.index] = changes.values
