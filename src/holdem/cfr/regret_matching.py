"""Regret matching over dense tables, and turning strategy sums into a policy.

Tables are flat arrays with one row of ``n_actions[node]`` entries per (node, bucket):
``table[offsets[node] + bucket * strides[street[node]] + a]`` (see
`holdem.abstraction.betting_tree.TableLayout`).
Regret matching plays each action in proportion to its positive regret, uniformly when no
regret is positive (S. Hart and A. Mas-Colell, "A Simple Adaptive Procedure Leading to
Correlated Equilibrium", Econometrica 2000, https://doi.org/10.1111/1468-0262.00153).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from holdem.abstraction.betting_tree import DECISION, MAX_ACTIONS, BettingTree, TableLayout


@njit(cache=True, nogil=True, inline="always")
def match_row(regret: np.ndarray, start: int, n: int, out: np.ndarray) -> None:
    """Regret-matching strategy of the row ``regret[start:start+n]`` into ``out[:n]``."""
    total = 0.0
    for a in range(n):
        r = float(regret[start + a])
        if r > 0.0:
            total += r
    if total > 0.0:
        for a in range(n):
            r = float(regret[start + a])
            out[a] = r / total if r > 0.0 else 0.0
    else:
        for a in range(n):
            out[a] = 1.0 / n


@njit(cache=True, nogil=True)
def fill_rows(
    kind: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    n_buckets: np.ndarray,
    source: np.ndarray,
    out: np.ndarray,
    matching: bool,
) -> None:
    """Every row of ``out``: regret matching of ``source`` if ``matching``, else its
    normalisation (uniform where the row sums to zero)."""
    buffer = np.empty(MAX_ACTIONS, np.float64)
    for node in range(kind.shape[0]):
        if kind[node] != DECISION:
            continue
        n = n_actions[node]
        for bucket in range(n_buckets[street[node]]):
            start = offsets[node] + bucket * strides[street[node]]
            if matching:
                match_row(source, start, n, buffer)
                for a in range(n):
                    out[start + a] = buffer[a]
                continue
            total = 0.0
            for a in range(n):
                total += source[start + a]
            for a in range(n):
                out[start + a] = source[start + a] / total if total > 0.0 else 1.0 / n


def _apply(tree: BettingTree, layout: TableLayout, table: np.ndarray, matching: bool) -> np.ndarray:
    if table.shape != (layout.size,):
        raise ValueError(f"table has shape {table.shape}, the layout needs ({layout.size},)")
    out = np.empty(layout.size, np.float64)
    n_buckets = np.asarray(layout.n_buckets, np.int64)
    fill_rows(
        tree.kind,
        tree.street,
        tree.n_actions,
        layout.offsets,
        layout.strides,
        n_buckets,
        table,
        out,
        matching,
    )
    return out


def regret_matching_table(tree: BettingTree, layout: TableLayout, regret: np.ndarray) -> np.ndarray:
    """The current strategy of every row of ``regret``, as a float64 table of the same layout."""
    return _apply(tree, layout, regret, True)


def normalize_table(tree: BettingTree, layout: TableLayout, sums: np.ndarray) -> np.ndarray:
    """The policy of strategy sums: each row divided by its total, uniform where it is zero."""
    return _apply(tree, layout, sums, False)


def uniform_table(tree: BettingTree, layout: TableLayout) -> np.ndarray:
    """The policy that plays every action of every row with the same probability."""
    return _apply(tree, layout, np.zeros(layout.size), False)
