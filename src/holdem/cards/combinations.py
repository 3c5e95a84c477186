"""Stepping through k-subsets in lexicographic order, for enumerations inside Numba kernels."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def next_combination(pick: np.ndarray, k: int, n: int) -> bool:
    """Advance ``pick[:k]`` (increasing indices into ``0..n-1``) to the next k-subset.

    Start from ``pick[:k] = 0, 1, ..., k-1``; returns False, leaving ``pick`` unchanged, after the
    last subset ``n-k, ..., n-1``. C(n, k) subsets are visited in lexicographic order.
    """
    i = k - 1
    while i >= 0 and pick[i] == n - k + i:
        i -= 1
    if i < 0:
        return False
    pick[i] += 1
    for j in range(i + 1, k):
        pick[j] = pick[j - 1] + 1
    return True
