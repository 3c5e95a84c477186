"""Merge what the replicas of a run's tables changed, where several machines train one run.

On a cluster (`holdem.training.cluster`) every node trains its own replica of the regret and
strategy-sum tables, starting at each sync from the same merged tables, the driver's. MCCFR's
updates are sums, so the run's tables after a sync are the driver's plus every node's change
since the last one. A node sends what it changed (`changed_entries`): the positions and new
values of the entries it changed, or its whole table when that is smaller (more than half of
an int32 table changed, as in a small game after seconds; a large game's minute touches a small
share). The driver adds each node's change to its own value (`merge_changes`), in int64 for
int32 regrets, which saturate as the kernel's own updates do: at the floor below and at the
int32 limit above. What changed anywhere goes back to every node (`entries_at`,
`apply_changes`), so all replicas equal the driver's tables again. With one node its values
are taken as they are, so a cluster of one node trains bit for bit the run one machine trains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

INT32_MAX = int(np.iinfo(np.int32).max)
_BLOCK = 1 << 24
"""Entries handled at once (bounds the scratch to 16 M entries)."""

EVERY_ENTRY = None
"""The positions a merge changed when they may be all of them (a whole table was sent)."""


@dataclass(frozen=True)
class TableChanges:
    """Entries of a table: ``index`` (ascending positions) and their ``values``; with ``whole``,
    ``values`` is the whole table and ``index`` is empty."""

    index: np.ndarray
    values: np.ndarray
    whole: bool = False

    @property
    def nbytes(self) -> int:
        return int(self.index.nbytes + self.values.nbytes)

    def in_block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """The positions in ``start .. stop - 1`` (as offsets from ``start``) and values."""
        if self.whole:
            return np.arange(stop - start), self.values[start:stop]
        first, last = np.searchsorted(self.index, (start, stop))
        return self.index[first:last].astype(np.int64) - start, self.values[first:last]


def changed_entries(table: np.ndarray, base: np.ndarray) -> TableChanges:
    """What ``table`` changed from ``base``: the changed entries' positions (uint32 when the
    table is small enough, else int64) and values, or the whole table when that is smaller."""
    if table.shape != base.shape or table.dtype != base.dtype:
        raise ValueError(
            f"a table is {table.dtype}{list(table.shape)}, its base "
            f"{base.dtype}{list(base.shape)}: every node must train the same game"
        )
    index_type = _positions_type(table.size)
    pieces: list[np.ndarray] = []
    count = 0
    entry_bytes = np.dtype(index_type).itemsize + table.dtype.itemsize
    for start in range(0, table.size, _BLOCK):
        stop = min(start + _BLOCK, table.size)
        found = np.flatnonzero(table[start:stop] != base[start:stop])
        count += found.size
        if count * entry_bytes >= table.nbytes:
            return TableChanges(np.zeros(0, index_type), table.copy(), whole=True)
        pieces.append((found + start).astype(index_type))
    index = np.concatenate(pieces) if pieces else np.zeros(0, index_type)
    return TableChanges(index, table[index])


def nonzero_entries(table: np.ndarray) -> TableChanges:
    """The entries of ``table`` that are not zero: all a fresh replica needs to equal it."""
    return changed_entries(table, np.zeros(table.shape, table.dtype))


def merge_changes(
    tables: np.ndarray, changes: Sequence[TableChanges], floor: float
) -> np.ndarray | None:
    """Add every node's change (its new values minus ``tables``'s) into ``tables``; returns
    the positions that changed (ascending), or `EVERY_ENTRY` when a whole table came.

    ``floor`` bounds regrets from below (``-inf`` for none, as for strategy sums); int32
    tables also stop at the int32 limit. One node's values are taken as they are."""
    if not changes:
        return np.zeros(0, np.int64)
    if len(changes) == 1:
        apply_changes(changes[0], tables)
        return EVERY_ENTRY if changes[0].whole else changes[0].index.astype(np.int64)
    if any(change.whole for change in changes):
        for start in range(0, tables.size, _BLOCK):
            stop = min(start + _BLOCK, tables.size)
            _merge_block(tables, changes, floor, start, stop)
        return EVERY_ENTRY
    positions = np.unique(np.concatenate([c.index.astype(np.int64) for c in changes]))
    _merge_at(tables, changes, floor, positions)
    return positions


def _merge_block(
    tables: np.ndarray, changes: Sequence[TableChanges], floor: float, start: int, stop: int
) -> None:
    old = tables[start:stop].astype(_wide(tables))
    total = old.copy()
    for change in changes:
        offsets, values = change.in_block(start, stop)
        total[offsets] += values.astype(total.dtype) - old[offsets]
    tables[start:stop] = _bounded(total, tables.dtype, floor)


def _merge_at(
    tables: np.ndarray, changes: Sequence[TableChanges], floor: float, positions: np.ndarray
) -> None:
    old = tables[positions].astype(_wide(tables))
    total = old.copy()
    for change in changes:
        where = np.searchsorted(positions, change.index.astype(np.int64))
        total[where] += change.values.astype(total.dtype) - old[where]
    tables[positions] = _bounded(total, tables.dtype, floor)


def _wide(tables: np.ndarray) -> type[np.signedinteger] | type[np.floating]:
    return np.int64 if np.issubdtype(tables.dtype, np.integer) else np.float64


def _bounded(total: np.ndarray, dtype: np.dtype, floor: float) -> np.ndarray:
    """``total`` kept within the kernel's bounds: the floor, and for int32 the int32 limit."""
    if np.issubdtype(dtype, np.integer):
        low = max(floor, float(np.iinfo(dtype).min))
        return np.clip(total, int(np.ceil(low)), INT32_MAX)
    return np.maximum(total, floor) if floor > -np.inf else total


def entries_at(tables: np.ndarray, positions: np.ndarray | None) -> TableChanges:
    """``tables``'s entries at ``positions`` (`EVERY_ENTRY`: the whole table), to send."""
    if positions is EVERY_ENTRY:
        return TableChanges(np.zeros(0, _positions_type(tables.size)), tables.copy(), whole=True)
    return TableChanges(positions.astype(_positions_type(tables.size)), tables[positions])


def _positions_type(size: int) -> type[np.unsignedinteger] | type[np.signedinteger]:
    return np.uint32 if size <= np.iinfo(np.uint32).max else np.int64


def apply_changes(changes: TableChanges, *tables: np.ndarray) -> None:
    """Write the entries into each of ``tables`` (a node's replica and its base)."""
    for table in tables:
        if changes.whole:
            np.copyto(table, changes.values)
        else:
            table[changes.index] = changes.values
