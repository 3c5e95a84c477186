"""The pseudo-harmonic mapping, tested on the properties its paper states."""

import numpy as np
import pytest

from holdem.abstraction.translation import (
    pseudo_harmonic_probability,
    pseudo_harmonic_threshold,
    translate_bet,
    translation_probabilities,
)

PAIRS = [(0.0, 0.5), (0.5, 1.0), (1.0, 2.0), (0.33, 0.75), (2.0, 8.0)]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_exact_at_the_endpoints(a, b):
    assert pseudo_harmonic_probability(a, a, b) == 1.0
    assert pseudo_harmonic_probability(b, a, b) == 0.0
    assert translate_bet(a, [a, b]) == 0
    assert translate_bet(b, [a, b]) == 1


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_strictly_decreasing_between_the_endpoints(a, b):
    xs = np.linspace(a, b, 201)
    f = np.array([pseudo_harmonic_probability(x, a, b) for x in xs])
    assert np.all(np.diff(f) < 0)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_preserves_the_call_frequency_of_the_clairvoyance_game(a, b):
    # In the game the mapping is derived from, a bet of x times the pot is called with
    # probability 1 / (1 + x); mixing a and b with f must give the same frequency.
    for x in np.linspace(a, b, 17):
        f = pseudo_harmonic_probability(x, a, b)
        assert f / (1 + a) + (1 - f) / (1 + b) == pytest.approx(1 / (1 + x))


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_deterministic_variant_switches_at_the_threshold(a, b):
    t = pseudo_harmonic_threshold(a, b)
    assert a < t < b
    assert pseudo_harmonic_probability(t, a, b) == pytest.approx(0.5)
    assert translate_bet(t - 1e-9, [a, b]) == 0
    assert translate_bet(t + 1e-9, [a, b]) == 1


def test_half_pot_and_pot_threshold_value():
    assert pseudo_harmonic_threshold(0.5, 1.0) == pytest.approx(2.5 / 3.5)


def test_scale_invariance_in_chips():
    # Only the pot fraction matters: scaling pot and bet alike maps the same way.
    sizes = [0.5, 1.0, 2.0]
    for pot, bet in [(100, 73), (1000, 730), (37, 27.01)]:
        assert translate_bet(bet / pot, sizes) == translate_bet(0.73, sizes)


def test_out_of_range_bets_map_to_the_nearest_endpoint():
    sizes = [0.5, 1.0, 2.0]
    assert translate_bet(0.1, sizes) == 0
    assert translate_bet(5.0, sizes) == 2
    assert translation_probabilities(5.0, sizes).tolist() == [0.0, 0.0, 1.0]


def test_randomised_variant_samples_the_mapping():
    rng = np.random.default_rng(3)
    sizes = [0.5, 1.0, 2.0]
    x = 0.8
    draws = np.array([translate_bet(x, sizes, rng) for _ in range(40_000)])
    expected = translation_probabilities(x, sizes)
    assert expected[2] == 0.0 and expected[0] + expected[1] == pytest.approx(1.0)
    assert expected[0] == pytest.approx(pseudo_harmonic_probability(x, 0.5, 1.0))
    assert np.mean(draws == 0) == pytest.approx(expected[0], abs=0.01)
    assert set(draws.tolist()) == {0, 1}


@pytest.mark.parametrize(
    ("x", "sizes", "message"),
    [(0.5, [], "no bet sizes"), (0.5, [1.0, 0.5], "increasing"), (-0.1, [0.5], "non-negative")],
)
def test_bad_input_is_named(x, sizes, message):
    with pytest.raises(ValueError, match=message):
        translate_bet(x, sizes)
