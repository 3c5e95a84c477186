"""The blueprint trainer: external-sampling MCCFR on a Hold'em game with the Pluribus schedule.

One `Trainer` is one run, with explicit stages (configured, allocated, training, finished; a
call out of order fails with a sentence). Its loop hands out chunks of batches of iterations of
the proven kernel (`holdem.cfr.mccfr.run_iterations`) to an engine (this process, or a pool of
workers: `holdem.training.supervisor`) on tables it owns, and at barriers between them applies
the Pluribus schedule (`holdem.training.run_schedule`: discounting, the start of pruning). The
average strategy: sums for the preflop (or every street) with Pluribus's sampled update, later
streets from snapshots of the current strategy taken after a warm-up, weighted
(`holdem.training.averaging`).

It also writes what a run leaves in ``logdir``: ``config.yaml``, ``metrics.jsonl`` (every
``report_interval`` seconds, `holdem.training.metrics`), ``snapshots/`` (every
``snapshot_interval`` seconds, and at the end), ``checkpoints/`` (every
``checkpoint_interval`` seconds, and at the end or on a stop request) and ``blueprint/``
(`holdem.training.run_outputs`). A `holdem.training.stop_request.StopRequest` (SIGINT,
SIGTERM) ends the run after the current chunk, with a checkpoint.

With one worker, a seeded run is reproducible bit for bit however often it is stopped and
resumed, as long as it keeps its batch size: batch ``k`` covers iterations ``k B + 1 .. (k + 1)
B`` with generators seeded from ``k``, so another ``B`` would be another run, and a resume with
another batch size is refused. How the batches are cut into chunks for the workers changes
nothing.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from holdem.cfr.mccfr import NODES, MCCFROptions, MCCFRState, run_iterations
from holdem.storage.atomic import write_text
from holdem.training.checkpoint import LoadedCheckpoint, RunState
from holdem.training.config import TrainConfig, check_players
from holdem.training.metrics import MetricsLog, progress_record, regret_summary
from holdem.training.run_outputs import save_run_blueprint, save_run_checkpoint, save_run_snapshot
from holdem.training.run_schedule import RunSchedule
from holdem.training.shared_arrays import check_capacity, remove_orphaned_blocks
from holdem.training.stop_request import StopRequest
from holdem.training.supervisor import (
    CompletedChunk,
    InProcessEngine,
    PoolSettings,
    WorkerFailedError,
    WorkerPool,
    local_engine,
)
from holdem.training.table_policies import average_rows
from holdem.training.training_game import TrainingGame
from holdem.training.worker import TREE_ARRAYS

if TYPE_CHECKING:
    from holdem.training.cluster import ClusterEngine

Evaluator = Callable[[np.ndarray], dict[str, float]]
"""Exact measures of an average policy (a float table of the layout), e.g. exploitability."""

_CHUNK_SECONDS = 0.25
"""Aim of a chunk's length: short enough for prompt barriers and hang detection."""


def kernel_options_for(config: TrainConfig) -> MCCFROptions:
    """The kernel's options for ``config``, without pruning (each chunk of a run adds it from
    the iteration where pruning starts)."""
    return MCCFROptions(
        regret_dtype=config.regret_dtype,
        regret_scale=config.regret_scale,
        regret_floor=config.floor if config.floor > float("-inf") else None,
        averaging=config.average_update,
        average_interval=config.average_interval,
        average_streets=1 if config.average_sums == "preflop" else None,
        sum_dtype="float64",
        batch=config.batch,
    )


class Stage(enum.Enum):
    CONFIGURED = "configured"
    ALLOCATED = "allocated"
    TRAINING = "training"
    FINISHED = "finished"


@dataclass
class TrainResult:
    """How a run ended and where its files are."""

    iterations: int
    seconds: float
    reason: str
    blueprint: Path | None
    checkpoint: Path
    last_report: dict[str, Any]


class Trainer:
    """One blueprint run on ``training`` with ``config``, writing into ``logdir``.

    ``num_workers`` 1 trains in this process; more start a `WorkerPool` of spawned processes
    on tables in shared memory. With a ``cluster`` in the config, the run trains on a Ray
    cluster instead (`holdem.training.cluster`; Ray is imported only then). ``say`` prints the
    supervisor's notices (a worker restarted, a node lost).
    """

    def __init__(
        self,
        config: TrainConfig,
        training: TrainingGame,
        logdir: Path,
        evaluator: Evaluator | None = None,
        on_report: Callable[[dict[str, Any]], None] | None = None,
        num_workers: int = 1,
        pool_settings: PoolSettings | None = None,
        say: Callable[[str], None] = print,
        on_file: Callable[[str, Path], None] | None = None,
    ) -> None:
        if num_workers < 1:
            raise ValueError(f"num_workers must be 1 or more, got {num_workers}")
        check_players(config, training.game.tree.n_players)
        self.config = config
        self.training = training
        self.logdir = logdir
        self.evaluator = evaluator
        self.on_report = on_report
        self.num_workers = num_workers
        self.pool_settings = pool_settings
        self.say = say
        self.on_file = on_file
        self.stage = Stage.CONFIGURED
        self.state: RunState | None = None
        self.engine: InProcessEngine | WorkerPool | ClusterEngine | None = None
        self._mark: tuple[int, float, int] = (0, 0.0, 0)
        self._options = kernel_options_for(config)
        self._schedule = RunSchedule(config)
        self._last_report: dict[str, Any] = {}

    # -- stages -------------------------------------------------------------------------------

    def table_bytes(self) -> int:
        """Bytes of the regret and strategy-sum tables this run allocates."""
        game = self.training.game
        regret = game.layout.size * np.dtype(self._options.regret_dtype).itemsize
        sums = self._options.summed_rows(game) * np.dtype(self._options.sum_dtype).itemsize
        return regret + sums

    def shared_bytes(self) -> int:
        """Shared memory a worker pool needs: the tables, the tree and its row offsets."""
        tree = self.training.game.tree
        tree_bytes = sum(getattr(tree, name).nbytes for name in TREE_ARRAYS)
        return self.table_bytes() + tree_bytes + self.training.game.layout.offsets.nbytes

    def allocate(self, resume: LoadedCheckpoint | None = None) -> None:
        """Create the engine and zeroed tables (or a checkpoint's state), and the logdir."""
        self._require(Stage.CONFIGURED, "allocate")
        game, config = self.training.game, self.config
        if resume is not None:
            self.training.check_same_files(resume.files, f"checkpoint {resume.path}")
            resume.check_batch_size(config.batch)
        prune = self._schedule.prune_template()
        engine: InProcessEngine | WorkerPool | ClusterEngine
        if config.cluster is not None:
            from holdem.training.cluster import ClusterEngine

            engine = ClusterEngine(
                self.training,
                self._options,
                prune,
                config.seed,
                config.batch,
                config.iterations,
                config.cluster,
                self.pool_settings,
                self.say,
            )
        else:
            if self.num_workers > 1:
                remove_orphaned_blocks(self.say)
                check_capacity(self.shared_bytes())
            engine = local_engine(
                self.training,
                self._options,
                prune,
                config.seed,
                config.batch,
                config.iterations,
                self.num_workers,
                self.pool_settings,
                self.say,
            )
        self.engine = engine
        regret = engine.allocate("regret", game.layout.size, self._options.regret_dtype)
        sums = engine.allocate(
            "strategy_sum", self._options.summed_rows(game), self._options.sum_dtype
        )
        if resume is None:
            counters = np.zeros(engine.counters.shape[1], np.int64)
            self.state = RunState(regret, sums, counters)
            self.state.prune_from = self._schedule.first_prune_from()
        else:
            old = resume.state
            for name, mine in (("regret", regret), ("strategy_sum", sums)):
                theirs = getattr(old, name)
                # Format-2 checkpoints hold float32 sums: they widen exactly into float64.
                widens = name == "strategy_sum" and theirs.dtype == np.float32
                if theirs.shape != mine.shape or (theirs.dtype != mine.dtype and not widens):
                    raise ValueError(
                        f"checkpoint {resume.path}: {name} is {theirs.dtype}{list(theirs.shape)}, "
                        f"this config needs {mine.dtype}{list(mine.shape)} (regrets or average "
                        "settings differ)"
                    )
                _copy_nonzero(theirs, mine)
            self.state = RunState(
                regret,
                sums,
                np.array(old.counters, np.int64),
                next_batch=old.next_batch,
                iteration=old.iteration,
                seconds=old.seconds,
                discounts_done=old.discounts_done,
                prune_from=old.prune_from,
                snapshots=list(old.snapshots),
            )
        for sub in ("checkpoints", "snapshots"):
            (self.logdir / sub).mkdir(parents=True, exist_ok=True)
        write_text(self.logdir / "config.yaml", self.config.to_yaml())
        self.stage = Stage.ALLOCATED

    def train(self, stop: StopRequest | None = None) -> TrainResult:
        """Train until the iteration or time budget, or a stop request; then checkpoint,
        snapshot and write the blueprint (a stop request, or a worker failure, writes the
        checkpoint only). A worker's exception is re-raised after the checkpoint."""
        self._require(Stage.ALLOCATED, "train")
        assert self.state is not None and self.engine is not None
        self.stage = Stage.TRAINING
        stop = stop if stop is not None else StopRequest()
        self._warm_up()
        failure: BaseException | None = None
        reason = "budget"
        try:
            self.engine.start(self.state.regret, self.state.strategy_sum)
            reason = self._loop(stop)
        except (RuntimeError, OSError) as error:
            failure, reason = error, "worker failure"
        finally:
            try:
                if failure is None:
                    self._account(self.engine.drain())
            except (RuntimeError, OSError) as error:
                failure, reason = error, "worker failure"
            self._account(self.engine.take_completed())
            if failure is not None:
                # The other workers may still be inside a chunk: stop them before the
                # checkpoint reads the tables, or it saves a table still changing.
                self._account(self.engine.stop_workers())
        try:
            self._report(self._mark, MetricsLog(self.logdir / "metrics.jsonl"))
            blueprint = None
            if reason == "budget":
                self.snapshot()
                checkpoint = self.checkpoint()
                blueprint = self.write_blueprint()
            else:
                checkpoint = self.checkpoint()
        finally:
            self.engine.close()
            self.stage = Stage.FINISHED
        if failure is not None and not isinstance(failure, WORKER_FAILURES):
            raise failure
        return TrainResult(
            self.state.iteration,
            self.state.seconds,
            reason if failure is None else f"{reason}: {failure}",
            blueprint,
            checkpoint,
            self._last_report,
        )

    def _loop(self, stop: StopRequest) -> str:
        """Hand out chunks until a budget or a stop; returns why it stopped."""
        assert self.state is not None and self.engine is not None
        state, config, engine = self.state, self.config, self.engine
        metrics = MetricsLog(self.logdir / "metrics.jsonl")
        batch = config.batch
        last_batch = _ceil_div(config.iterations, batch) if config.iterations else None
        next_report = state.seconds
        next_snapshot = state.seconds + (config.snapshot_interval or float("inf"))
        next_checkpoint = state.seconds + (config.checkpoint_interval or float("inf"))
        self._mark = (state.iteration, state.seconds, int(self._total_counters()[NODES]))
        chunk = 1
        tick = time.perf_counter()
        while True:
            for done in engine.collect(0.05 if engine.in_flight() else 0.0):
                self._account([done])
                if done.count:
                    per_batch = done.seconds / done.count
                    chunk = max(1, int(_CHUNK_SECONDS / max(per_batch, 1e-6)))
            now = time.perf_counter()
            state.seconds += now - tick
            tick = now
            if stop:
                return stop.reason or "stopped"
            out_of_batches = last_batch is not None and state.next_batch >= last_batch
            out_of_time = config.time_budget is not None and state.seconds >= config.time_budget
            if (out_of_batches and not engine.in_flight()) or out_of_time:
                return "budget"
            if state.seconds >= next_report:
                self._report(self._mark, metrics)
                self._mark = (state.iteration, state.seconds, int(self._total_counters()[NODES]))
                next_report = state.seconds + config.report_interval
            barrier = self._schedule.due(state)
            snapshot_due = state.seconds >= next_snapshot
            checkpoint_due = state.seconds >= next_checkpoint
            if barrier or snapshot_due or checkpoint_due:
                self._account(engine.drain())
                now = time.perf_counter()
                state.seconds += now - tick
                for factor in self._schedule.apply(state, self._options):
                    engine.note_discount(factor)
                if snapshot_due:
                    self.snapshot()
                    next_snapshot = state.seconds + (config.snapshot_interval or float("inf"))
                if checkpoint_due:
                    self.checkpoint()
                    next_checkpoint = state.seconds + (config.checkpoint_interval or float("inf"))
                tick = time.perf_counter()
                continue
            horizon = self._schedule.horizon(state, last_batch)
            idle = engine.idle()
            for position, worker in enumerate(idle):
                if state.next_batch >= horizon:
                    break
                fair_share = _ceil_div(horizon - state.next_batch, len(idle) - position)
                count = min(chunk, fair_share)
                engine.assign(worker, state.next_batch, count, state.prune_from)
                state.next_batch += count

    # -- artifacts ----------------------------------------------------------------------------

    def checkpoint(self) -> Path:
        """Save the whole state to ``checkpoints/iter_<n>`` (atomic; keeps the newest K).

        Call it at a barrier (no chunk in flight), as the trainer does."""
        assert self.state is not None
        path = save_run_checkpoint(
            self.logdir, self.state, self._total_counters(), self.config, self.training
        )
        if self.on_file is not None:
            self.on_file("checkpoint", path)
        return path

    def snapshot(self) -> Path:
        """Write a usable policy now: sums averaged, later streets' current strategy."""
        assert self.state is not None
        path = save_run_snapshot(self.logdir, self.state, self.training)
        if self.on_file is not None:
            self.on_file("snapshot", path)
        return path

    def write_blueprint(self) -> Path:
        """The final policy in ``logdir/blueprint`` (see `holdem.training.run_outputs`)."""
        assert self.state is not None
        return save_run_blueprint(self.logdir, self.state, self.training, self.config)

    def average_policy(self) -> np.ndarray:
        """Float32 average strategy of the summed rows (the whole table when sums cover it)."""
        assert self.state is not None
        game = self.training.game
        sums = self.state.strategy_sum
        return average_rows(game.tree, game.layout, sums, 0, sums.shape[0], np.float32)

    def bytes_per_entry(self) -> float:
        """Table bytes per (infoset, action): regrets plus strategy sums over all entries."""
        return self.table_bytes() / max(1, self.training.game.layout.size)

    # -- internals ----------------------------------------------------------------------------

    def _require(self, stage: Stage, action: str) -> None:
        if self.stage is not stage:
            raise RuntimeError(
                f"cannot {action} a run that is {self.stage.value}; it must be {stage.value}"
            )

    def _warm_up(self) -> None:
        """Compile (or load) every kernel in this process before the clock and the workers
        start, on throwaway tables."""
        game = self.training.game
        scratch = MCCFRState.fresh(game, self._options, 0)
        run_iterations(game, self._options, scratch, 1)
        regret_summary(game.tree, game.layout, scratch.regret, 1.0)
        average_rows(game.tree, game.layout, scratch.strategy_sum, 0, 0, np.float32)

    def _total_counters(self) -> np.ndarray:
        assert self.state is not None and self.engine is not None
        return self.state.counters + self.engine.counters.sum(axis=0)

    def _account(self, chunks: list[CompletedChunk]) -> None:
        assert self.state is not None
        for chunk in chunks:
            self.state.iteration += chunk.iterations

    def _report(self, last: tuple[int, float, int], metrics: MetricsLog) -> dict[str, Any]:
        assert self.state is not None and self.engine is not None
        workers = [
            {
                "index": w.index,
                "pid": w.pid,
                "iterations": w.iterations,
                "iterations_per_second": w.last_rate,
                "restarts": w.restarts,
            }
            for w in self.engine.workers
        ]
        average = self.average_policy()
        record = progress_record(
            self.training.game,
            self.state,
            self._total_counters(),
            last,
            workers,
            self.table_bytes(),
            self.bytes_per_entry(),
            self.config.regret_scale,
            average,
        )
        record.update(self.engine.report_fields())
        if self.evaluator is not None:
            record.update(self.evaluator(average))
        metrics.write(record)
        self._last_report = record
        if self.on_report is not None:
            self.on_report(record)
        return record


WORKER_FAILURES = (WorkerFailedError,)
"""Failures that end a run with a checkpoint and a result (not re-raised)."""


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _copy_nonzero(source: np.ndarray, target: np.ndarray, step: int = 1 << 24) -> None:
    """Copy ``source`` into the zeroed ``target`` writing only nonzero runs, so that pages of
    untouched rows stay unallocated."""
    flat_source, flat_target = source.reshape(-1), target.reshape(-1)
    for start in range(0, flat_source.size, step):
        piece = np.asarray(flat_source[start : start + step])
        nonzero = np.flatnonzero(piece)
        flat_target[start + nonzero] = piece[nonzero]
