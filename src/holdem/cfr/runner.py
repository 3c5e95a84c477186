"""Run a solver on a small game for a time or an iteration budget, measuring exploitability.

Solver time and evaluation time are kept apart: the clock that decides when to stop and that
the checkpoints report counts only the solver's iterations, so exploitability curves of
different solvers compare fairly whatever the cost of evaluating them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from holdem.cfr.best_response import PolicyReport, evaluate_policy
from holdem.cfr.cfr_full import FullWidthSolver
from holdem.cfr.game import SolverGame
from holdem.cfr.mccfr import ExternalSamplingSolver, MCCFROptions

ALGORITHMS = ("es-mccfr", "cfr+", "dcfr")


@dataclass(frozen=True)
class Checkpoint:
    """Exploitability of the average policy after ``iteration`` iterations and ``seconds``."""

    iteration: int
    seconds: float
    exploitability: float


@dataclass
class SolveResult:
    """The outcome of `solve`: the average policy, its report, and the checkpoints on the way."""

    algorithm: str
    iterations: int
    seconds: float
    policy: np.ndarray
    report: PolicyReport
    checkpoints: list[Checkpoint] = field(default_factory=list)


def make_solver(game: SolverGame, algorithm: str, seed: int = 0,
                options: MCCFROptions | None = None) -> ExternalSamplingSolver | FullWidthSolver:
    """A solver of ``algorithm`` (one of `ALGORITHMS`) on ``game``."""
    if algorithm == "es-mccfr":
        return ExternalSamplingSolver(game, options, seed)
    if algorithm in ("cfr+", "dcfr"):
        return FullWidthSolver(game, algorithm)
    raise ValueError(f"unknown algorithm {algorithm!r}: choose one of {', '.join(ALGORITHMS)}")


def solve(game: SolverGame, algorithm: str, seconds: float, iterations: int | None = None,
          seed: int = 0, options: MCCFROptions | None = None, checkpoint_growth: float = 1.25,
          on_checkpoint: Callable[[Checkpoint], None] | None = None,
          clock: Callable[[], float] = time.perf_counter) -> SolveResult:
    """Run until ``seconds`` of solver time or ``iterations`` iterations, whichever comes first.

    Exploitability is measured at checkpoints spaced by a factor ``checkpoint_growth`` in
    solver time (first after about a millisecond), and at the end. ``clock`` measures solver
    time (wall time by default; benchmarks on a shared machine pass ``time.process_time``).
    """
    if not seconds > 0:
        raise ValueError(f"seconds must be positive, got {seconds!r}")
    if iterations is not None and iterations < 1:
        raise ValueError(f"iterations must be 1 or more, got {iterations!r}")
    if not checkpoint_growth > 1:
        raise ValueError(f"checkpoint_growth must exceed 1, got {checkpoint_growth!r}")
    # A throwaway run compiles (or loads) the kernels, so compiling is not on the clock.
    make_solver(game, algorithm, seed, options).run(1)
    solver = make_solver(game, algorithm, seed, options)
    elapsed = 0.0
    per_iteration = 0.0
    checkpoints: list[Checkpoint] = []
    next_checkpoint = 1e-3
    budget = iterations if iterations is not None else np.iinfo(np.int64).max
    while solver.iteration < budget and elapsed < seconds:
        target = min(next_checkpoint, seconds)
        count = 1 if per_iteration == 0.0 else int(max(1, (target - elapsed) / per_iteration))
        count = min(count, budget - solver.iteration)
        started = clock()
        solver.run(count)
        spent = clock() - started
        elapsed += spent
        per_iteration = max(spent / count, 1e-9)
        if elapsed >= next_checkpoint or solver.iteration >= budget or elapsed >= seconds:
            point = Checkpoint(
                solver.iteration, elapsed,
                evaluate_policy(game, solver.average_policy()).exploitability,
            )
            checkpoints.append(point)
            if on_checkpoint is not None:
                on_checkpoint(point)
            while next_checkpoint <= elapsed:
                next_checkpoint *= checkpoint_growth
    policy = solver.average_policy()
    return SolveResult(algorithm, solver.iteration, elapsed, policy,
                       evaluate_policy(game, policy), checkpoints)
