"""Policies over a range of table rows: the average from strategy sums, the current strategy
from regrets, compact (uint8) or float32, without ever building a float64 copy of the table.

A blueprint of the `6max` preset has about 1.5 billion (infoset, action) entries, so its
policies are written for a range of rows at a time: rows ``first`` to ``end`` of the layout
(`holdem.abstraction.betting_tree.TableLayout`, rows grouped by street) into an array of
``end - first`` entries. Compact policies store ``round(255 * p)`` per action; readers divide
each row by its sum (which rounding keeps within a few 255ths of 255).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.betting_tree import DECISION, MAX_ACTIONS, BettingTree, TableLayout
from holdem.cfr.regret_matching import match_row

QUANTUM = 255
"""The sum of a compact (uint8) policy row before rounding."""


@njit(cache=True, nogil=True)
def _fill_rows(
    kind: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    n_buckets: np.ndarray,
    source: np.ndarray,
    source_first: int,
    first: int,
    end: int,
    matching: bool,
    quantum: float,
    out: np.ndarray,
) -> None:
    """Rows ``first..end`` of the table: regret matching of ``source`` or its normalisation
    (uniform where a row sums to zero), written to ``out[row - first]``, times ``quantum`` and
    rounded when ``quantum`` > 0. ``source[i - source_first]`` holds table entry ``i``."""
    buffer = np.empty(MAX_ACTIONS, np.float64)
    for node in range(kind.shape[0]):
        if kind[node] != DECISION:
            continue
        n = n_actions[node]
        stride = strides[street[node]]
        buckets = n_buckets[street[node]]
        if offsets[node] + (buckets - 1) * stride < first or offsets[node] >= end:
            continue  # every row of the node is outside the range (another street's block)
        for bucket in range(buckets):
            row = offsets[node] + bucket * stride
            if row < first or row >= end:
                continue
            if matching:
                match_row(source, row - source_first, n, buffer)
            else:
                total = 0.0
                for a in range(n):
                    total += source[row - source_first + a]
                for a in range(n):
                    buffer[a] = source[row - source_first + a] / total if total > 0.0 else 1.0 / n
            for a in range(n):
                p = buffer[a]
                out[row - first + a] = np.floor(p * quantum + 0.5) if quantum > 0 else p


def _rows(
    tree: BettingTree,
    layout: TableLayout,
    source: np.ndarray,
    source_first: int,
    first: int,
    end: int,
    matching: bool,
    dtype: np.dtype,
) -> np.ndarray:
    if not 0 <= first <= end <= layout.size:
        raise ValueError(f"rows {first}..{end} are outside the table (0..{layout.size})")
    if source_first > first or source_first + source.shape[0] < end:
        raise ValueError(
            f"the source holds rows {source_first}..{source_first + source.shape[0]}, "
            f"not all of {first}..{end}"
        )
    out = np.zeros(end - first, dtype)
    quantum = float(QUANTUM) if dtype == np.uint8 else 0.0
    _fill_rows(
        tree.kind,
        tree.street,
        tree.n_actions,
        layout.offsets,
        layout.strides,
        np.asarray(layout.n_buckets, np.int64),
        source,
        source_first,
        first,
        end,
        matching,
        quantum,
        out,
    )
    return out


def current_rows(
    tree: BettingTree, layout: TableLayout, regret: np.ndarray, first: int, end: int, dtype: type
) -> np.ndarray:
    """The current (regret-matching) strategy of rows ``first..end``: float32 or compact uint8."""
    return _rows(tree, layout, regret, 0, first, end, True, np.dtype(dtype))


def average_rows(
    tree: BettingTree,
    layout: TableLayout,
    sums: np.ndarray,
    first: int,
    end: int,
    dtype: type,
    sums_first: int = 0,
) -> np.ndarray:
    """Rows ``first..end`` of strategy sums (``sums[i - sums_first]`` is entry i) normalised."""
    return _rows(tree, layout, sums, sums_first, first, end, False, np.dtype(dtype))


def expand_compact(
    tree: BettingTree, layout: TableLayout, compact: np.ndarray, first: int
) -> np.ndarray:
    """Float32 probabilities of compact rows starting at ``first`` (each row renormalised)."""
    return average_rows(
        tree, layout, compact, first, first + compact.shape[0], np.float32, sums_first=first
    )
