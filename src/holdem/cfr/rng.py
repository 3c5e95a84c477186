"""A small seeded random generator for Numba kernels: SplitMix64 over a one-element state array.

Kernels take the state array and advance it in place, so a run is reproducible from its seed and
no kernel touches a global generator. Reference: Steele, Lea and Flood, "Fast splittable
pseudorandom number generators", OOPSLA 2014, https://doi.org/10.1145/2660193.2660195.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV_2_53 = 1.0 / 9007199254740992.0


def new_state(seed: int) -> np.ndarray:
    """A fresh generator state (uint64 array of one element) from a non-negative seed."""
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed!r}")
    return np.array([seed % (1 << 64)], dtype=np.uint64)


@njit(cache=True, nogil=True, inline="always")
def next_u64(state: np.ndarray) -> np.uint64:
    """The next 64 random bits."""
    x = state[0] + _GOLDEN
    state[0] = x
    z = (x ^ (x >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True, inline="always")
def next_float(state: np.ndarray) -> float:
    """A uniform float in [0, 1) with 53 random bits."""
    return float(next_u64(state) >> _S11) * _INV_2_53


@njit(cache=True, nogil=True)
def next_below(state: np.ndarray, n: int) -> int:
    """A uniform integer in [0, n) (n small: the bias of the float method is below 2**-50)."""
    return int(next_float(state) * n)
