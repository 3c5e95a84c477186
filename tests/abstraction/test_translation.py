"""The pseudo-harmonic mapping, tested on the properties and values its paper states."""

import numpy as np
import pytest

from holdem.abstraction.translation import pseudo_harmonic_probability, translation_probabilities

PAIRS = [(0.0, 0.5), (0.5, 1.0), (1.0, 2.0), (0.33, 0.75), (2.0, 8.0)]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_exact_at_the_endpoints(a, b):
    assert pseudo_harmonic_probability(a, a, b) == 1.0
    assert pseudo_harmonic_probability(b, a, b) == 0.0
    assert translation_probabilities(a, [a, b]).tolist() == [1.0, 0.0]
    assert translation_probabilities(b, [a, b]).tolist() == [0.0, 1.0]


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


def test_known_values_of_the_formula():
    # f(x) = (B - x)(1 + A) / ((B - A)(1 + x)), worked by hand.
    assert pseudo_harmonic_probability(0.75, 0.5, 1.0) == pytest.approx(0.25 * 1.5 / (0.5 * 1.75))
    assert pseudo_harmonic_probability(0.75, 0.5, 1.0) == pytest.approx(3 / 7)
    assert pseudo_harmonic_probability(1.5, 1.0, 2.0) == pytest.approx(0.4)
    # Indifference of half pot and pot: x = (A + B + 2AB) / (A + B + 2) = 2.5 / 3.5.
    assert pseudo_harmonic_probability(2.5 / 3.5, 0.5, 1.0) == pytest.approx(0.5)


def test_the_bottom_interval_runs_from_a_check_to_the_smallest_size():
    # A check or call is size 0: f(x) = (B - x) / (B (1 + x)). A 1 big blind bet into a 40 big
    # blind pot (x = 0.025) is a check 92.7 % of the time against a half-pot smallest size.
    sizes = [0.0, 0.5, 1.0]
    p = translation_probabilities(0.025, sizes)
    assert p[0] == pytest.approx(0.475 / (0.5 * 1.025))
    assert p[0] == pytest.approx(0.9268, abs=1e-4)
    assert p[1] == pytest.approx(1 - p[0]) and p[2] == 0.0
    # Without a size 0 (a node with no check or call) it maps up to the smallest size.
    assert translation_probabilities(0.025, [0.5, 1.0]).tolist() == [1.0, 0.0]


def test_scale_invariance_in_chips():
    # Only the pot fraction matters: scaling pot and bet alike maps the same way.
    sizes = [0.5, 1.0, 2.0]
    for pot, bet in [(100, 73), (1000, 730), (37, 27.01)]:
        assert translation_probabilities(bet / pot, sizes) == pytest.approx(
            translation_probabilities(0.73, sizes), abs=1e-3
        )


def test_out_of_range_bets_map_to_the_nearest_endpoint():
    sizes = [0.5, 1.0, 2.0]
    assert translation_probabilities(0.1, sizes).tolist() == [1.0, 0.0, 0.0]
    assert translation_probabilities(5.0, sizes).tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("x", "sizes", "message"),
    [(0.5, [], "no bet sizes"), (0.5, [1.0, 0.5], "increasing"), (-0.1, [0.5], "non-negative")],
)
def test_bad_input_is_named(x, sizes, message):
    with pytest.raises(ValueError, match=message):
        translation_probabilities(x, sizes)
