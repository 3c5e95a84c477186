"""Confidence intervals for a match's mean result.

A match yields one number per independent unit (a duplicate deal played in every seat, or a
group of independent hands with the policy once in each seat). The mean of ``n`` such units is
close to normal for the sample sizes of poker evaluation (thousands of units; the central
limit theorem), so the interval is the normal approximation

    mean +- z * s / sqrt(n),    s the sample standard deviation (n - 1 in the denominator),

with ``z`` the two-sided normal quantile (1.95996 for 95 %). Its coverage on a skewed,
heavy-tailed source with a known mean is checked in ``tests/eval/test_intervals.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class MeanInterval:
    """A sample mean, its standard error and a two-sided confidence interval around it."""

    mean: float
    std_error: float
    low: float
    high: float
    n: int
    confidence: float

    @property
    def half_width(self) -> float:
        """Half the interval's width (``z`` standard errors)."""
        return (self.high - self.low) / 2

    def scaled(self, factor: float) -> MeanInterval:
        """The same interval in other units (``factor`` > 0, e.g. chips to milli big blinds)."""
        if not factor > 0:
            raise ValueError(f"a unit conversion factor must be positive, got {factor}")
        return MeanInterval(
            self.mean * factor,
            self.std_error * factor,
            self.low * factor,
            self.high * factor,
            self.n,
            self.confidence,
        )

    def covers(self, value: float) -> bool:
        """True when ``value`` lies in the closed interval."""
        return self.low <= value <= self.high


def normal_quantile(confidence: float) -> float:
    """``z`` with P(-z < Z < z) = ``confidence`` for a standard normal Z (1.95996 for 0.95)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def mean_interval(values: np.ndarray, confidence: float = 0.95) -> MeanInterval:
    """The normal-approximation interval for the mean of independent ``values`` (at least 2).

    Raises ValueError for fewer than two values (no spread can be estimated) or a value that is
    not finite.
    """
    data = np.asarray(values, dtype=np.float64).ravel()
    if data.size < 2:
        raise ValueError(f"an interval needs at least 2 independent values, got {data.size}")
    if not np.isfinite(data).all():
        raise ValueError("values hold NaN or infinity; every result must be a finite number")
    z = normal_quantile(confidence)
    mean = float(data.mean())
    std_error = float(data.std(ddof=1)) / math.sqrt(data.size)
    return MeanInterval(
        mean, std_error, mean - z * std_error, mean + z * std_error, int(data.size), confidence
    )
