"""A training worker: a process started with ``spawn`` that runs batches on shared tables.

Everything here is importable at module level and every argument is a small picklable value
(`WorkerSpec`), so the same code runs under ``spawn`` on Linux and macOS. A worker attaches to
the run's shared arrays (`holdem.training.shared_arrays`: tables, the betting tree, heartbeats),
opens the card abstraction memory-mapped (pages shared with every other process), runs one
iteration on scratch tables as a self-test, reports ``ready``, then runs the chunks of batches
the supervisor sends (`holdem.training.batches.run_batches`), writing a heartbeat before every
batch and after every piece of about 0.1 s of work inside it (`holdem.training.batches.Pace`),
so that a long batch on a busy machine is not taken for a hang, and its counters into its own
row. Its messages on its own report pipe (the writing end of a ``multiprocessing.Pipe``):

- ``("ready", index, pid, kernels_compiled)``
- ``("done", index, first_batch, n_batches, iterations, seconds)``
- ``("error", index, traceback_text)``, after which it exits.

It ignores SIGINT (Ctrl-C in a terminal reaches every process of the group; the supervisor
decides), and exits by itself if its parent dies, so no worker outlives a killed run.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import struct
import time
import traceback
from dataclasses import dataclass, replace
from multiprocessing import parent_process
from typing import Any

import numpy as np

from holdem.abstraction.betting_spec import BettingSpec
from holdem.abstraction.betting_tree import BettingTree, TableLayout
from holdem.abstraction.betting_tree_kernel import NODE_ARRAYS
from holdem.cfr.game import SolverGame
from holdem.cfr.holdem_cards import HoldemCards
from holdem.cfr.mccfr import MCCFROptions, MCCFRState, run_iterations
from holdem.cfr.schedules import PruneSchedule
from holdem.training.batches import Pace, Tables, run_batches
from holdem.training.shared_arrays import ArrayBlock, AttachedArrays

TREE_ARRAYS = (*NODE_ARRAYS, "chips")
"""Every array of a `BettingTree`: what a worker attaches to."""
_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs, as picklable values: shared blocks, the game's description, options.

    ``options`` has no pruning: ``prune`` is its threshold and probability, and each command
    says the iteration it starts after (None: not yet). ``fault`` makes the worker fail on
    purpose after that many batches (``"raise:N"``, ``"hang:N"``, ``"exit:N"``, or ``"torn:N"``,
    which exits halfway through writing a message), or makes every batch slow but alive
    (``"slow:S"``: pieces of one iteration, each followed by a sleep of S seconds), for the
    tests of the supervisor; None in real runs.
    """

    index: int
    blocks: dict[str, ArrayBlock]
    betting: BettingSpec
    n_buckets: tuple[int, ...]
    street_ends: tuple[int, ...]
    strides: tuple[int, ...]
    buckets_path: str | None
    options: MCCFROptions
    prune: PruneSchedule | None
    seed: int
    batch_size: int
    limit: int | None
    fault: str | None = None


def with_pruning(
    options: MCCFROptions, prune: PruneSchedule | None, prune_from: int | None
) -> MCCFROptions:
    """``options`` pruning after iteration ``prune_from`` with ``prune``'s threshold, if both."""
    if prune is None or prune_from is None:
        return replace(options, prune=None)
    return replace(options, prune=replace(prune, start=prune_from))


def build_game(spec: WorkerSpec, arrays: dict[str, np.ndarray]) -> SolverGame:
    """The solver game over the shared tree arrays and the memory-mapped card abstraction."""
    tree = BettingTree(spec=spec.betting, **{name: arrays[name] for name in TREE_ARRAYS})
    offsets = arrays["offsets"]
    strides = np.asarray(spec.strides, np.int64)
    layout = TableLayout(
        offsets, int(spec.street_ends[-1]), spec.n_buckets, spec.street_ends, strides
    )
    if spec.buckets_path is None:
        cards = HoldemCards(spec.betting.n_players)
    else:
        cards = HoldemCards.load(spec.buckets_path, spec.betting.n_players, verify=False)
    return SolverGame("worker", tree, cards, layout)


def self_test(game: SolverGame, options: MCCFROptions) -> None:
    """One iteration on private scratch tables: the kernels load and run in this process."""
    scratch = MCCFRState.fresh(game, options, 0)
    run_iterations(game, options, scratch, 1)


def _compiled_count() -> int:
    """Kernels this process compiled instead of loading from the cache (0 when all loaded)."""
    from holdem.cfr import mccfr

    total = 0
    for kernel in (mccfr._run_batch, mccfr._average_walk):
        total += sum(kernel.stats.cache_misses.values())
    return total


def _parent_alive() -> bool:
    parent = parent_process()
    return parent is None or parent.is_alive()


def _pace(spec: WorkerSpec, heartbeat: np.ndarray) -> Pace:
    """The pace of this worker's batches: a heartbeat after every piece."""

    def beat() -> None:
        heartbeat[spec.index] = time.monotonic()

    kind, _, value = (spec.fault or "").partition(":")
    if kind != "slow":
        return Pace(beat)

    def slow_beat() -> None:
        time.sleep(float(value))
        beat()

    return Pace(slow_beat, seconds=0.0)


def _fault(spec: WorkerSpec, batches_done: int, results: Any) -> None:
    if spec.fault is None:
        return
    kind, _, after = spec.fault.partition(":")
    if kind == "slow" or batches_done < int(after or 0):
        return
    if kind == "raise":
        raise RuntimeError(f"injected fault in worker {spec.index}")
    if kind == "hang":
        while True:
            time.sleep(1)
    if kind == "exit":
        os._exit(3)
    if kind == "torn":
        # Dies halfway through a message: a length header promising more than follows.
        os.write(results.fileno(), struct.pack("!i", 1000) + bytes(10))
        os._exit(3)


def worker_main(spec: WorkerSpec, commands: Any, results: Any) -> None:
    """The body of a worker process (see the module docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    attached = None
    try:
        attached = AttachedArrays(spec.blocks)
        arrays = attached.arrays
        game = build_game(spec, arrays)
        self_test(game, spec.options)
        tables = Tables(arrays["regret"], arrays["strategy_sum"], arrays["counters"][spec.index])
        heartbeat = arrays["heartbeat"]
        heartbeat[spec.index] = time.monotonic()
        pace = _pace(spec, heartbeat)
        results.send(("ready", spec.index, os.getpid(), _compiled_count()))
        batches_done = 0
        while True:
            try:
                command = commands.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not _parent_alive():
                    return
                continue
            if command[0] == "stop":
                return
            _, first, count, prune_from = command
            options = with_pruning(spec.options, spec.prune, prune_from)
            started = time.perf_counter()
            iterations = 0
            for batch in range(first, first + count):
                heartbeat[spec.index] = time.monotonic()
                _fault(spec, batches_done, results)
                iterations += run_batches(
                    game, options, tables, spec.seed, spec.batch_size, batch, 1, spec.limit, pace
                )
                batches_done += 1
            heartbeat[spec.index] = time.monotonic()
            results.send(
                ("done", spec.index, first, count, iterations, time.perf_counter() - started)
            )
    except BaseException:
        # The supervisor may have closed the pipe already (it is stopping the run).
        with contextlib.suppress(OSError):
            results.send(("error", spec.index, traceback.format_exc()))
    finally:
        if attached is not None:
            attached.close()
