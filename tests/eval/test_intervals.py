"""Confidence intervals: known quantiles, and coverage on a simulated source of known mean."""

import math

import numpy as np
import pytest

from holdem.eval.intervals import mean_interval, normal_quantile

# A poker-like result per unit (chips): mostly small pots, some large, a few all-ins, skewed.
OUTCOMES = np.array([-150, -50, 50, 150, -1_000, 1_200, -10_000, 10_000])
WEIGHTS = np.array([0.25, 0.2, 0.2, 0.25, 0.04, 0.03, 0.015, 0.015])
MEAN = float(OUTCOMES @ WEIGHTS)


def test_normal_quantiles():
    assert normal_quantile(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert normal_quantile(0.99) == pytest.approx(2.575829, abs=1e-6)
    with pytest.raises(ValueError, match="confidence"):
        normal_quantile(1.0)


def test_interval_of_a_small_sample_by_hand():
    interval = mean_interval(np.array([1.0, 2.0, 3.0, 6.0]))
    std_error = math.sqrt(((1 - 3) ** 2 + 1 + 0 + 9) / 3) / 2
    assert interval.mean == 3.0 and interval.n == 4
    assert interval.std_error == pytest.approx(std_error)
    assert interval.half_width == pytest.approx(1.959964 * std_error, rel=1e-6)
    scaled = interval.scaled(10)
    assert (scaled.mean, scaled.low) == pytest.approx((30.0, 10 * interval.low))
    with pytest.raises(ValueError, match="at least 2"):
        mean_interval(np.array([1.0]))
    with pytest.raises(ValueError, match="finite"):
        mean_interval(np.array([1.0, np.nan]))


@pytest.mark.parametrize(("confidence", "units"), [(0.95, 400), (0.95, 2_000), (0.9, 1_000)])
def test_intervals_cover_the_known_mean_as_often_as_they_claim(confidence, units):
    repetitions = 3_000
    covered = 0
    for r in range(repetitions):
        rng = np.random.default_rng([7, r, units])
        sample = rng.choice(OUTCOMES, size=units, p=WEIGHTS)
        covered += mean_interval(sample, confidence).covers(MEAN)
    rate = covered / repetitions
    # The binomial spread of the rate is sqrt(p (1 - p) / 3000) <= 0.0055; allow 3.5 of it.
    assert abs(rate - confidence) < 3.5 * math.sqrt(confidence * (1 - confidence) / repetitions)
