"""Action translation: map a real bet of any size to the bet sizes of the abstraction.

The pseudo-harmonic mapping of Ganzfried and Sandholm, *Action Translation in Extensive-Form
Games with Large Action Spaces: Axioms, Paradoxes, and the Pseudo-Harmonic Mapping*, IJCAI 2013
(https://www.cs.cmu.edu/~sandholm/reverse%20mapping.ijcai13.pdf). Bets are measured as
fractions of the pot. For a real bet ``x`` between two abstract sizes ``A < x < B`` the mapping
picks ``A`` with probability

    f(x) = (B - x) * (1 + A) / ((B - A) * (1 + x))

and ``B`` otherwise. It is 1 at ``x = A``, 0 at ``x = B``, decreasing in between, and it depends
only on pot fractions, so scaling pot and bets alike changes nothing (the paper's axioms). The
mapping is randomised: a caller draws the abstract size once per real action
(`holdem.policy.follower`). Its bottom interval runs from a check or call, size ``A = 0``, to the
smallest bet size: where the abstract node offers a check or call the caller includes ``0`` in
``sizes``, so a bet far below the smallest size mostly reads as a check or call
(``f(x) = (B - x) / (B (1 + x))``). Without a size 0 a bet below the smallest size, and any bet
above the largest, maps to that endpoint.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise

import numpy as np


def pseudo_harmonic_probability(x: float, a: float, b: float) -> float:
    """Probability of translating a bet of pot fraction ``x`` down to ``a`` (the rest to ``b``).

    Requires ``0 <= a < b`` and ``a <= x <= b``.
    """
    if not 0 <= a < b:
        raise ValueError(f"abstract sizes must satisfy 0 <= a < b, got a={a}, b={b}")
    if not a <= x <= b:
        raise ValueError(f"bet fraction {x} lies outside [{a}, {b}]")
    return (b - x) * (1 + a) / ((b - a) * (1 + x))


def _bracket(x: float, sizes: Sequence[float]) -> tuple[int, int]:
    """Indices of the abstract sizes just below and just above ``x`` (equal when exact or out)."""
    if len(sizes) == 0:
        raise ValueError("the abstraction offers no bet sizes to translate to")
    if any(s >= t for s, t in pairwise(sizes)):
        raise ValueError(f"abstract sizes must be strictly increasing, got {list(sizes)}")
    if x < 0:
        raise ValueError(f"a bet is a non-negative fraction of the pot, got {x}")
    hi = bisect_left(sizes, x)
    if hi == len(sizes):
        return hi - 1, hi - 1
    if sizes[hi] == x or hi == 0:
        return hi, hi
    return hi - 1, hi


def translate(x: float, sizes: Sequence[float]) -> tuple[tuple[int, float], ...]:
    """The abstract sizes a real bet of pot fraction ``x`` maps to, as ``(index in sizes,
    probability)``: one pair (probability 1) or two, the lower size first. ``sizes``: strictly
    increasing pot fractions, ``0`` for a check or call. ValueError for no sizes, unordered
    sizes or a negative ``x``."""
    lo, hi = _bracket(x, sizes)
    if lo == hi:
        return ((lo, 1.0),)
    p_low = pseudo_harmonic_probability(x, sizes[lo], sizes[hi])
    return ((lo, p_low), (hi, 1.0 - p_low))


def translation_probabilities(x: float, sizes: Sequence[float]) -> np.ndarray:
    """`translate` as the probability of each abstract size: an array like ``sizes``."""
    probabilities = np.zeros(len(sizes))
    for index, p in translate(x, sizes):
        probabilities[index] = p
    return probabilities
