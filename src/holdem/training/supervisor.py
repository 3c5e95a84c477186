"""Who runs the batches: the main process itself, or a supervised pool of spawned workers.

Both engines take chunks of consecutive batches (`holdem.training.batches`) and report each
chunk when it is complete; the trainer counts only completed chunks, so no iteration is counted
that was not run. `InProcessEngine` runs a chunk at once in the main process (``--num-workers
1``). `WorkerPool` keeps the tables in shared memory and one
process per worker, started with the ``spawn`` context on every platform:

- start-up self-test: every worker attaches, runs one iteration on scratch tables and reports
  ready within ``start_timeout`` seconds, or the run stops with a clear message; workers load
  the kernels the parent compiled (Numba's cache), and one that had to compile is named;
- health, checked on every poll: a worker whose process died, or that holds a chunk without a
  heartbeat for ``hang_timeout`` seconds, is named (index, pid, what happened), killed, and
  restarted up to ``max_restarts`` times in all, after which `WorkerFailedError` stops the run;
  its chunk is not counted (updates it made stay, as any lock-free update does);
- a worker's exception arrives as `WorkerError` carrying the worker's traceback;
- each worker reports on a pipe of its own, so a worker killed while it writes (``kill -9``,
  the kernel's OOM killer) takes only its own pipe with it; a queue shared by all would be
  left with its lock held or half a message in it, and every other worker would then block;
- `drain` waits for the chunks in flight, a barrier before schedule steps and checkpoints;
- `stop_workers`, after a failure: every worker finishes its chunk and exits (or is killed),
  so the checkpoint that follows reads tables nobody changes;
- `close` stops the workers (then terminates, then kills stragglers) and unlinks every shared
  block, on every exit path.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

import numpy as np

from holdem.cfr.mccfr import N_COUNTERS, MCCFROptions
from holdem.cfr.schedules import PruneSchedule
from holdem.resource_tracker import revive_quietly
from holdem.training.batches import Tables, run_batches
from holdem.training.shared_arrays import SharedArrays
from holdem.training.training_game import TrainingGame
from holdem.training.worker import TREE_ARRAYS, WorkerSpec, with_pruning, worker_main


def _alive(process: Any) -> bool:
    return process is not None and bool(process.is_alive())


def _end(process: Any) -> None:
    """Terminate a worker process, then kill it if it is still there a second later."""
    process.terminate()
    process.join(1.0)
    if process.is_alive():
        process.kill()
        process.join(1.0)


class WorkerError(RuntimeError):
    """A worker raised; the message holds its traceback."""


class WorkerFailedError(RuntimeError):
    """Workers kept dying or hanging past the restart budget; the message says which."""


@dataclass
class CompletedChunk:
    """Batches ``first .. first + count - 1`` as completed by a worker."""

    worker: int
    first: int
    count: int
    iterations: int
    seconds: float


@dataclass
class WorkerStatus:
    """What the supervisor knows of one worker."""

    index: int
    pid: int = 0
    busy: tuple[int, int] | None = None
    iterations: int = 0
    seconds: float = 0.0
    restarts: int = 0
    last_rate: float = 0.0


class InProcessEngine:
    """Runs each chunk at once in the main process, on tables in its own memory."""

    def __init__(
        self,
        training: TrainingGame,
        options: MCCFROptions,
        prune: PruneSchedule | None,
        seed: int,
        batch_size: int,
        limit: int | None,
    ) -> None:
        self.training = training
        self.options = options
        self.prune = prune
        self.seed = seed
        self.batch_size = batch_size
        self.limit = limit
        self.workers = [WorkerStatus(0)]
        self.counters = np.zeros((1, N_COUNTERS), np.int64)
        self.tables: Tables | None = None
        self._done: list[CompletedChunk] = []

    def allocate(self, name: str, size: int, dtype: str) -> np.ndarray:
        """A zeroed table (pages allocated when first written)."""
        return np.zeros(size, np.dtype(dtype))

    def start(self, regret: np.ndarray, strategy_sum: np.ndarray) -> None:
        self.tables = Tables(regret, strategy_sum, self.counters[0])

    def idle(self) -> list[int]:
        return [0]

    def assign(self, worker: int, first: int, count: int, prune_from: int | None) -> None:
        assert self.tables is not None
        started = time.perf_counter()
        options = with_pruning(self.options, self.prune, prune_from)
        iterations = run_batches(
            self.training.game,
            options,
            self.tables,
            self.seed,
            self.batch_size,
            first,
            count,
            self.limit,
        )
        seconds = time.perf_counter() - started
        status = self.workers[0]
        status.iterations += iterations
        status.seconds += seconds
        status.last_rate = iterations / max(seconds, 1e-9)
        self._done.append(CompletedChunk(0, first, count, iterations, seconds))

    def collect(self, timeout: float) -> list[CompletedChunk]:
        return self.take_completed()

    def take_completed(self) -> list[CompletedChunk]:
        done, self._done = self._done, []
        return done

    def in_flight(self) -> int:
        return 0

    def drain(self) -> list[CompletedChunk]:
        return self.collect(0.0)

    def stop_workers(self) -> list[CompletedChunk]:
        return self.take_completed()

    def close(self) -> None:
        return None

    def report_fields(self) -> dict[str, Any]:
        """What this engine adds to a report record: nothing."""
        return {}

    def note_discount(self, factor: float) -> None:
        """The trainer discounted the tables, which this engine shares: nothing to do."""


@dataclass
class PoolSettings:
    """Timeouts and limits of the worker pool (seconds)."""

    start_timeout: float = 120.0
    hang_timeout: float = 4.0
    max_restarts: int = 3
    stop_timeout: float = 5.0
    faults: dict[int, str] = field(default_factory=dict)


class WorkerPool:
    """``n_workers`` spawned processes training on shared tables (see the module docstring)."""

    def __init__(
        self,
        training: TrainingGame,
        options: MCCFROptions,
        prune: PruneSchedule | None,
        seed: int,
        batch_size: int,
        limit: int | None,
        n_workers: int,
        settings: PoolSettings | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        self.training = training
        self.settings = settings or PoolSettings()
        self.say = say
        self.n_workers = n_workers
        self._context = multiprocessing.get_context("spawn")
        self._shared = SharedArrays()
        self._processes: list[Any] = [None] * n_workers
        self._commands: list[Any] = [None] * n_workers
        self._reports: list[Connection | None] = [None] * n_workers
        self.workers = [WorkerStatus(i) for i in range(n_workers)]
        self._restarts = 0
        self._tracker_revived = False
        self._completed: list[CompletedChunk] = []
        self._spec_values = dict(
            options=options, prune=prune, seed=seed, batch_size=batch_size, limit=limit
        )
        self.counters = self._shared.create("counters", (n_workers, N_COUNTERS), "i8")
        self._heartbeat = self._shared.create("heartbeat", (n_workers,), "f8")

    # -- life cycle ---------------------------------------------------------------------------

    def allocate(self, name: str, size: int, dtype: str) -> np.ndarray:
        """A zeroed table in shared memory (pages allocated when first written)."""
        return self._shared.create(name, (size,), dtype)

    def start(self, regret: np.ndarray, strategy_sum: np.ndarray) -> None:
        """Share the tree, start every worker and wait for its self-test. The tables must come
        from `allocate`."""
        game = self.training.game
        for name in TREE_ARRAYS:
            self._shared.share(name, getattr(game.tree, name))
        self._shared.share("offsets", game.layout.offsets)
        for index in range(self.n_workers):
            self._spawn(index)
        self._wait_ready(list(range(self.n_workers)))

    def _spec(self, index: int) -> WorkerSpec:
        game, training = self.training.game, self.training
        return WorkerSpec(
            index=index,
            blocks=dict(self._shared.blocks),
            betting=game.tree.spec,
            n_buckets=game.layout.n_buckets,
            street_ends=game.layout.street_ends,
            strides=tuple(int(x) for x in game.layout.strides),
            buckets_path=str(training.buckets_path) if training.buckets_path else None,
            fault=self.settings.faults.get(index),
            **self._spec_values,  # type: ignore[arg-type]
        )

    def _spawn(self, index: int) -> None:
        self._revive_tracker()
        commands = self._context.Queue()
        reports, reporter = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=worker_main,
            args=(self._spec(index), commands, reporter),
            name=f"holdem-worker-{index}",
            daemon=True,
        )
        process.start()
        # Only the worker holds the writing end now, so its death reads as the pipe's end.
        reporter.close()
        self._close_channels(index)
        self._processes[index] = process
        self._commands[index] = commands
        self._reports[index] = reports
        status = self.workers[index]
        status.pid = process.pid or 0
        status.busy = None

    def _wait_ready(self, indices: list[int]) -> None:
        waiting = set(indices)
        deadline = time.monotonic() + self.settings.start_timeout
        while waiting:
            left = deadline - time.monotonic()
            if left <= 0:
                names = ", ".join(
                    f"worker {i} (pid {self.workers[i].pid})" for i in sorted(waiting)
                )
                raise WorkerFailedError(
                    f"start-up self-test: {names} did not report ready within "
                    f"{self.settings.start_timeout:g} s"
                )
            for index in list(waiting):
                process = self._processes[index]
                if process.exitcode is not None:
                    error = self._drain_errors()
                    raise WorkerFailedError(
                        f"start-up self-test: worker {index} (pid {process.pid}) exited with "
                        f"code {process.exitcode} before it was ready" + error
                    )
            for message in self._receive(min(0.2, left)):
                if message[0] == "ready":
                    _, index, pid, compiled = message
                    waiting.discard(index)
                    if compiled:
                        self.say(
                            f"warning: worker {index} (pid {pid}) compiled {compiled} kernel(s) "
                            "instead of loading them from Numba's cache; check NUMBA_CACHE_DIR"
                        )
                else:
                    self._handle(message)

    def _drain_errors(self) -> str:
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            for message in self._receive(0.1):
                if message[0] == "error":
                    return f":\n{message[2]}"
        return ""

    def _receive(self, timeout: float) -> list[tuple[Any, ...]]:
        """The messages the workers have sent, waiting up to ``timeout`` seconds for the first.
        A pipe whose worker is gone is closed here; the health check names the worker."""
        pipes = [pipe for pipe in self._reports if pipe is not None]
        if not pipes:
            return []
        messages: list[tuple[Any, ...]] = []
        for pipe in wait(pipes, timeout):
            assert isinstance(pipe, Connection)
            try:
                while pipe.poll():
                    messages.append(pipe.recv())
            except (EOFError, OSError):
                pipe.close()
                self._reports[self._reports.index(pipe)] = None
        return messages

    def _close_channels(self, index: int) -> None:
        """Close worker ``index``'s command queue and report pipe, if it has them."""
        commands, reports = self._commands[index], self._reports[index]
        if commands is not None:
            commands.close()
            commands.join_thread()
        if reports is not None:
            reports.close()
        self._commands[index] = None
        self._reports[index] = None

    def stop_workers(self) -> list[CompletedChunk]:
        """Ask every worker to stop after its chunk and wait, recording the chunks completed
        meanwhile: a worker inside a chunk as long as it beats (its chunk's updates then count),
        an idle one ``stop_timeout`` seconds; then terminate, then kill. On return no worker
        process changes the tables. Errors that arrive meanwhile are dropped (the run is already
        stopping)."""
        for index, process in enumerate(self._processes):
            if process is not None and process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    self._commands[index].put(("stop",))
        asked = time.monotonic()
        while True:
            self._take_messages(0.05)
            now = time.monotonic()
            alive = [w for w in self.workers if _alive(self._processes[w.index])]
            if not alive:
                break
            for status in alive:
                silent = now - float(self._heartbeat[status.index])
                if (status.busy is None and now - asked > self.settings.stop_timeout) or (
                    status.busy is not None and silent > self.settings.hang_timeout
                ):
                    _end(self._processes[status.index])
        self._take_messages(0.0)
        for status in self.workers:
            status.busy = None
        return self.take_completed()

    def _take_messages(self, timeout: float) -> None:
        """Record the chunks reported done, waiting up to ``timeout`` for the first message;
        other messages are dropped."""
        for message in self._receive(timeout):
            if message[0] == "done":
                self._handle(message)

    def _revive_tracker(self) -> None:
        """If the resource tracker was killed, start a quiet one and say so, once: the new one
        would print a traceback for each block and semaphore we remove (`revive_quietly`)."""
        if revive_quietly() and not self._tracker_revived:
            self._tracker_revived = True
            self.say(
                "warning: the multiprocessing resource tracker was killed during the run; a new "
                "one was started (holdem removes its shared memory itself)"
            )

    def close(self) -> None:
        """Unlink the shared blocks, then stop every worker (ask, then terminate, then kill).

        The names go first (the memory goes with the last mapping), so a process killed
        while it waits for its workers, as a cluster node may be, leaves no block behind."""
        self._revive_tracker()
        self._shared.close()
        self.stop_workers()
        # Dropped now, so their semaphores are released before the interpreter exits.
        for index in range(self.n_workers):
            self._close_channels(index)
        self._processes = [None] * self.n_workers

    # -- work ---------------------------------------------------------------------------------

    def report_fields(self) -> dict[str, Any]:
        """What this engine adds to a report record: nothing (its workers are in every one)."""
        return {}

    def note_discount(self, factor: float) -> None:
        """The trainer discounted the tables, which the workers share: nothing to do."""

    def idle(self) -> list[int]:
        return [w.index for w in self.workers if w.busy is None]

    def in_flight(self) -> int:
        return sum(1 for w in self.workers if w.busy is not None)

    def assign(self, worker: int, first: int, count: int, prune_from: int | None) -> None:
        self._heartbeat[worker] = time.monotonic()
        self.workers[worker].busy = (first, count)
        self._commands[worker].put(("run", first, count, prune_from))

    def _handle(self, message: tuple[Any, ...]) -> None:
        """Record a worker's message: a completed chunk, or its exception (raised here)."""
        if message[0] == "error":
            raise WorkerError(f"worker {message[1]} raised:\n{message[2]}")
        if message[0] == "done":
            _, index, first, count, iterations, seconds = message
            status = self.workers[index]
            if status.busy == (first, count):
                status.busy = None
                status.iterations += iterations
                status.seconds += seconds
                status.last_rate = iterations / max(seconds, 1e-9)
                self._completed.append(CompletedChunk(index, first, count, iterations, seconds))

    def collect(self, timeout: float) -> list[CompletedChunk]:
        """Chunks completed: waits up to ``timeout`` seconds for the first message, then takes
        what is there; then checks every worker's health (which may raise)."""
        self._poll(timeout)
        return self.take_completed()

    def _poll(self, timeout: float) -> None:
        """`collect` without taking: the chunks completed stay in ``_completed`` if a health
        check raises, for the trainer to count (`take_completed`) before it checkpoints."""
        for message in self._receive(timeout):
            self._handle(message)
        self._check_health()

    def take_completed(self) -> list[CompletedChunk]:
        """The completed chunks not yet handed over (also after a failure was raised)."""
        done, self._completed = self._completed, []
        return done

    def drain(self) -> list[CompletedChunk]:
        """Wait for every chunk in flight (a barrier), still watching the workers' health. The
        chunks are taken only at the end: a worker failure in the middle leaves those already
        done to `take_completed`, so the iterations in the tables are all counted."""
        while self.in_flight():
            self._poll(0.1)
        return self.take_completed()

    def _check_health(self) -> None:
        now = time.monotonic()
        for status in self.workers:
            process = self._processes[status.index]
            problem = None
            if process.exitcode is not None:
                problem = f"died (exit code {process.exitcode})"
            elif status.busy is not None:
                silent = now - float(self._heartbeat[status.index])
                if silent > self.settings.hang_timeout:
                    problem = f"stopped reporting for {silent:.1f} s"
            if problem is not None:
                self._replace(status, problem)

    def _replace(self, status: WorkerStatus, problem: str) -> None:
        process = self._processes[status.index]
        lost = status.busy
        what = f"worker {status.index} (pid {status.pid}) {problem}" + (
            f" during batches {lost[0]}..{lost[0] + lost[1] - 1}" if lost else ""
        )
        if process.is_alive():
            process.kill()
        process.join(2.0)
        status.busy = None
        if self._restarts >= self.settings.max_restarts:
            raise WorkerFailedError(
                f"{what}; {self._restarts} restart(s) already used, so the run stops"
            )
        self._restarts += 1
        status.restarts += 1
        self.say(
            f"{what}; its batches are not counted; restarting it "
            f"({self._restarts} of {self.settings.max_restarts})"
        )
        self._spawn(status.index)
        self._wait_ready([status.index])


def local_engine(
    training: TrainingGame,
    options: MCCFROptions,
    prune: PruneSchedule | None,
    seed: int,
    batch_size: int,
    limit: int | None,
    n_workers: int,
    settings: PoolSettings | None = None,
    say: Callable[[str], None] = print,
) -> InProcessEngine | WorkerPool:
    """The engine of one machine: this process for one worker, else a `WorkerPool`."""
    if n_workers > 1:
        return WorkerPool(
            training, options, prune, seed, batch_size, limit, n_workers, settings, say
        )
    return InProcessEngine(training, options, prune, seed, batch_size, limit)
