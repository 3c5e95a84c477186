"""Probability rows of a trained policy, read one (node, bucket) row at a time from its arrays.

A policy table has one row of ``n_actions[node]`` entries per (node, bucket), where
`holdem.abstraction.betting_tree.TableLayout.row` says, rows grouped by street so that the
first ``summed_rows`` entries (the preflop, usually) come from strategy sums and the rest from
the current strategy, as a run keeps them (`holdem.training.artifacts`). `PolicyRows` answers
a row from the arrays as they lie on disk, memory-mapped, without building the float32 table
that `read_policy_folder` returns: a blueprint of the ``6max`` preset has over a billion
entries, and a query reads one row.

The sources, by what a folder holds:

- blueprint or snapshot: ``summed`` float32 probabilities, ``rest`` uint8 compact probabilities
  (``round(255 * p)``, each row divided by its sum on read);
- checkpoint: ``strategy_sum`` (each row normalised) and ``regret`` (regret matching: each
  action in proportion to its positive regret, uniform when none is positive).

Either way a row that sums to zero (never reached in training) reads as uniform, as
`holdem.training.table_policies` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.abstraction.betting_tree import TableLayout


@dataclass(frozen=True, eq=False)
class PolicyRows:
    """Rows ``0..summed.size`` from ``summed``, the rest from ``rest``.

    ``summed`` holds a blueprint's probabilities or a checkpoint's raw strategy sums: both are
    divided by their row sum (for probabilities that only removes float32 rounding).
    ``rest_regrets``: whether ``rest`` holds regrets (a checkpoint's, read by regret matching)
    or compact probabilities.
    """

    summed: np.ndarray
    rest: np.ndarray
    rest_regrets: bool

    @property
    def size(self) -> int:
        """Entries in the whole table."""
        return int(self.summed.shape[0] + self.rest.shape[0])

    def row(self, start: int, n: int) -> list[float]:
        """The probabilities of the row of ``n`` actions at table entry ``start`` (sum 1)."""
        split = self.summed.shape[0]
        if start < split:
            values = self.summed[start : start + n].tolist()
        else:
            values = self.rest[start - split : start - split + n].tolist()
            if self.rest_regrets:
                values = [v if v > 0 else 0.0 for v in values]
        total = float(sum(values))
        if total > 0:
            return [float(v) / total for v in values]
        return [1.0 / n] * n

    def node_rows(self, layout: TableLayout, node: int, street: int, n: int) -> np.ndarray:
        """(buckets, n) float64: every bucket's row of ``node`` (``street``: the node's) at once,
        each normalised as `row` does; a strided read of the arrays, no copy of the street."""
        split = self.summed.shape[0]
        start = layout.street_ends[street - 1] if street > 0 else 0
        end = layout.street_ends[street]
        if start < split < end:  # a street across the split: row by row
            first = layout.row(node, street, 0)
            stride = int(layout.strides[street])
            rows = [self.row(first + b * stride, n) for b in range(layout.n_buckets[street])]
            return np.array(rows, np.float64).reshape(-1, n)
        source, shift = (self.summed, 0) if end <= split else (self.rest, split)
        block = source[start - shift : end - shift].reshape(layout.n_buckets[street], -1)
        local = int(layout.offsets[node]) - start
        values = block[:, local : local + n].astype(np.float64)
        if source is self.rest and self.rest_regrets:
            np.maximum(values, 0.0, out=values)
        total = values.sum(axis=1, keepdims=True)
        return np.where(total > 0, values / np.where(total > 0, total, 1.0), 1.0 / n)
