"""The solve runner: budgets, checkpoints on solver time, argument checks."""

import itertools

import pytest

from holdem.cfr.game import load_game
from holdem.cfr.runner import make_solver, solve


def test_iteration_budget_and_checkpoints():
    seen = []
    result = solve(load_game("kuhn"), "dcfr", seconds=60.0, iterations=5000,
                   on_checkpoint=seen.append)
    assert result.iterations == 5000
    assert seen == result.checkpoints
    assert seen[-1].iteration == 5000
    assert seen[-1].exploitability == pytest.approx(result.report.exploitability)
    for before, after in itertools.pairwise(seen):
        assert after.iteration > before.iteration and after.seconds > before.seconds


def test_time_budget_stops_the_run():
    result = solve(load_game("kuhn"), "es-mccfr", seconds=0.05)
    assert result.seconds >= 0.05
    assert result.checkpoints[-1].seconds == result.seconds
    assert result.checkpoints[-1].iteration == result.iterations > 0


def test_the_clock_is_the_callers():
    readings = []

    def clock():
        readings.append(len(readings) * 1e-4)
        return readings[-1]

    # Every reading advances 0.1 ms, so each solver run counts 0.1 ms whatever its size.
    result = solve(load_game("kuhn"), "cfr+", seconds=0.002, iterations=100, clock=clock)
    assert result.seconds == pytest.approx(1e-4 * len(readings) / 2)
    assert result.iterations <= 100


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seconds": 0.0}, "seconds must be positive"),
        ({"seconds": 1.0, "iterations": 0}, "iterations must be 1 or more"),
        ({"seconds": 1.0, "checkpoint_growth": 1.0}, "checkpoint_growth"),
    ],
)
def test_bad_budgets(kwargs, message):
    with pytest.raises(ValueError, match=message):
        solve(load_game("kuhn"), "cfr+", **kwargs)


def test_unknown_algorithm():
    with pytest.raises(ValueError, match="unknown algorithm 'cfr'"):
        make_solver(load_game("kuhn"), "cfr")
