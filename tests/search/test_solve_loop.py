"""The solve loop's stops: accuracy, iterations, and time read after every iteration."""

from holdem.search.solver import SpotSolver
from holdem.search.spot import BetTree, Spot

SPOT = Spot.build(
    "Qs Jh 2h 8d 3c", 100, 400, "AA,KK,JTs", "QQ-99,KQ", BetTree.uniform([75], [], True)
)


def test_out_of_time_stops_after_the_iteration_and_checks_it() -> None:
    solver = SpotSolver(SPOT)
    seen = []
    last = solver.solve(accuracy_pct=0.0, max_iterations=50, seconds=0.0, report=seen.append)
    # the uniform strategy's check, then one iteration and its check: not ten iterations
    assert [p.iterations for p in seen] == [0, 1] and last.iterations == 1


def test_iterations_and_accuracy_stop_on_a_check() -> None:
    solver = SpotSolver(SPOT)
    seen = []
    last = solver.solve(accuracy_pct=0.0, max_iterations=25, report=seen.append)
    assert [p.iterations for p in seen] == [0, 10, 20, 25] and last.iterations == 25
    solver = SpotSolver(SPOT)
    last = solver.solve(accuracy_pct=5.0, max_iterations=1000)
    assert last.exploitability_pct <= 5.0 and last.iterations % 10 == 0
