"""Run numbered batches of MCCFR iterations on tables someone else owns: the unit of work of a
training run, the same in the main process and in every worker.

Batch ``k`` of size ``B`` is iterations ``k B + 1 .. (k + 1) B`` (the last one may stop early at
the run's iteration limit). Its deals and samples come from generators seeded from
``(seed, k)`` alone, so a batch's updates do not depend on which process runs it or on what ran
before in that process: a run is a function of its seed and of the order its batches reach the
tables. With one process the order is the batch numbers, so a seeded run is reproducible bit for
bit however it is stopped and resumed; with several (lock-free "Hogwild" updates, as Pluribus),
a checkpoint resumes with any number of workers.

A batch can run in pieces (`Pace`): its deals and samples are drawn in sequence from its two
generators, so cutting it changes nothing in the result, and a worker deep inside a long batch
(a large batch size, a big tree, more workers than cores) can show it is alive between pieces.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from holdem.cfr.game import SolverGame
from holdem.cfr.mccfr import MCCFROptions, MCCFRState, run_iterations
from holdem.cfr.rng import new_state, next_u64

_MIX = 0x9E3779B97F4A7C15


def batch_generators(seed: int, batch: int) -> tuple[np.ndarray, np.ndarray]:
    """The deal and walk generator states of batch ``batch`` of a run seeded ``seed``."""
    root = new_state((seed * _MIX + batch) % (1 << 64))
    return new_state(int(next_u64(root))), new_state(int(next_u64(root)))


@dataclass(frozen=True)
class Tables:
    """The arrays batches update: regrets, strategy sums, and this process's counters."""

    regret: np.ndarray
    strategy_sum: np.ndarray
    counters: np.ndarray


@dataclass
class Pace:
    """Runs iterations in pieces of about ``seconds`` of kernel time, calling ``beat()`` after
    each (a worker's heartbeat). The piece size follows the measured time per iteration; it
    starts at one iteration and grows at most eightfold per piece, so a first slow iteration
    (pages touched for the first time) does not make the next piece huge."""

    beat: Callable[[], None]
    seconds: float = 0.1
    piece: int = 1

    def run(self, game: SolverGame, options: MCCFROptions, state: MCCFRState, count: int) -> None:
        left = count
        while left > 0:
            n = min(self.piece, left)
            started = time.perf_counter()
            run_iterations(game, options, state, n)
            spent = time.perf_counter() - started
            left -= n
            self.beat()
            fitting = int(n * self.seconds / max(spent, 1e-9))
            self.piece = max(1, min(8 * n, fitting))


def batch_span(batch: int, batch_size: int, limit: int | None) -> int:
    """Iterations in batch ``batch`` (0 when it starts at or past ``limit``)."""
    first = batch * batch_size
    if limit is None:
        return batch_size
    return max(0, min(batch_size, limit - first))


def run_batches(
    game: SolverGame,
    options: MCCFROptions,
    tables: Tables,
    seed: int,
    batch_size: int,
    first_batch: int,
    n_batches: int,
    limit: int | None = None,
    pace: Pace | None = None,
) -> int:
    """Run batches ``first_batch .. first_batch + n_batches - 1``; returns the iterations run.

    With ``pace``, each batch runs in its pieces (the same result)."""
    options = replace(options, batch=batch_size)
    done = 0
    for batch in range(first_batch, first_batch + n_batches):
        count = batch_span(batch, batch_size, limit)
        if count == 0:
            break
        deal_rng, walk_rng = batch_generators(seed, batch)
        state = MCCFRState(
            tables.regret,
            tables.strategy_sum,
            deal_rng,
            walk_rng,
            tables.counters,
            iteration=batch * batch_size,
        )
        if pace is None:
            run_iterations(game, options, state, count)
        else:
            pace.run(game, options, state, count)
        done += count
    return done
