"""The blueprint trainer: external-sampling MCCFR on a Hold'em game with the Pluribus schedule.

One `Trainer` is one run, with explicit stages (configured, allocated, training, finished; a
call out of order fails with a sentence). Its loop runs batches of iterations with the proven
kernel (`holdem.cfr.mccfr.run_iterations`) on tables it owns, and between batches applies the
schedule of N. Brown and T. Sandholm, "Superhuman AI for multiplayer poker" (Science 2019,
supplementary algorithm 1), each step in iterations or in seconds of training:

- linear discounting: after each ``discount.interval``, up to ``discount.cutoff``, regrets and
  sums are multiplied by k / (k + 1) (the k-th step; Pluribus: every 10 minutes for 400);
- negative-regret pruning after ``prune.start`` (the kernel prunes with its probability, never
  on the last street nor for actions that end the hand; regrets have a floor below the
  threshold);
- the average strategy: sums for the preflop (or every street) with Pluribus's sampled update,
  later streets from snapshots of the current strategy (`holdem.training.artifacts`).

It also writes what a run leaves in ``logdir``: ``config.yaml``, ``metrics.jsonl`` (every
``report_interval`` seconds), ``snapshots/`` (every ``snapshot_interval`` seconds, and at the
end), ``checkpoints/`` (every ``checkpoint_interval`` seconds, and at the end or on a stop
request) and ``blueprint/``. Iteration counts and schedules in iterations are reproducible bit
for bit, whatever the batch sizes and however often the run is stopped and resumed.
"""

from __future__ import annotations

import enum
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np

from holdem.cfr.mccfr import (
    NODES,
    PRUNED_TRAVERSALS,
    VISITS,
    MCCFROptions,
    MCCFRState,
    discount_tables,
    run_iterations,
)
from holdem.cfr.schedules import PruneSchedule
from holdem.storage.atomic import write_text
from holdem.training.artifacts import write_blueprint, write_snapshot
from holdem.training.checkpoint import (
    LoadedCheckpoint,
    RunState,
    checkpoint_name,
    save_checkpoint,
)
from holdem.training.config import TrainConfig
from holdem.training.metrics import MetricsLog, regret_summary, resident_bytes
from holdem.training.policy_rows import average_rows
from holdem.training.training_game import TrainingGame

Evaluator = Callable[[np.ndarray], dict[str, float]]
"""Exact measures of an average policy (a float table of the layout), e.g. exploitability."""

_BATCH_SECONDS = 0.25


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


class StopRequest:
    """Set by SIGINT or SIGTERM (or a caller); the trainer stops after the current batch."""

    def __init__(self) -> None:
        self.reason: str | None = None

    def __bool__(self) -> bool:
        return self.reason is not None

    def set(self, reason: str) -> None:
        self.reason = self.reason or reason

    @contextmanager
    def on_signals(self) -> Iterator[StopRequest]:
        """Catch SIGINT and SIGTERM while inside (main thread only), then restore handlers."""

        def handler(number: int, frame: FrameType | None) -> None:
            self.set(signal.Signals(number).name)

        previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for number, old in previous.items():
                signal.signal(number, old)


class Trainer:
    """One blueprint run on ``training`` with ``config``, writing into ``logdir``."""

    def __init__(
        self,
        config: TrainConfig,
        training: TrainingGame,
        logdir: Path,
        evaluator: Evaluator | None = None,
        on_report: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.config = config
        self.training = training
        self.logdir = logdir
        self.evaluator = evaluator
        self.on_report = on_report
        self.stage = Stage.CONFIGURED
        self.state: RunState | None = None
        self._options = self._kernel_options(None)
        self._last_report: dict[str, Any] = {}

    # -- stages -------------------------------------------------------------------------------

    def allocate(self, resume: LoadedCheckpoint | None = None) -> None:
        """Create zeroed tables (or take a checkpoint's state) and the logdir's folders."""
        self._require(Stage.CONFIGURED, "allocate")
        game = self.training.game
        if resume is None:
            self.state = RunState(MCCFRState.fresh(game, self._options, self.config.seed))
        else:
            self.training.check_same_files(resume.files, f"checkpoint {resume.path}")
            state = resume.state
            expected = {
                "regret": (game.layout.size, self._options.regret_dtype),
                "strategy_sum": (self._options.summed_rows(game), self._options.sum_dtype),
            }
            for name, (size, dtype) in expected.items():
                array = getattr(state.mccfr, name)
                if array.shape != (size,) or array.dtype != np.dtype(dtype):
                    raise ValueError(
                        f"checkpoint {resume.path}: {name} is {array.dtype}{list(array.shape)}, "
                        f"this config needs {dtype}[{size}] (regrets or average settings differ)"
                    )
            self.state = state
        for sub in ("checkpoints", "snapshots"):
            (self.logdir / sub).mkdir(parents=True, exist_ok=True)
        write_text(self.logdir / "config.yaml", self.config.to_yaml())
        self.stage = Stage.ALLOCATED

    def train(self, stop: StopRequest | None = None) -> TrainResult:
        """Train until the iteration or time budget, or a stop request; then checkpoint,
        snapshot and write the blueprint (a stop request writes the checkpoint only)."""
        self._require(Stage.ALLOCATED, "train")
        assert self.state is not None
        self.stage = Stage.TRAINING
        stop = stop if stop is not None else StopRequest()
        state, config = self.state, self.config
        metrics = MetricsLog(self.logdir / "metrics.jsonl")
        self._options = self._kernel_options(state.prune_from)
        # Compile (or load) every kernel before the clock starts, on a throwaway copy.
        self._warm_up()
        next_report = state.seconds
        next_snapshot = state.seconds + (config.snapshot_interval or float("inf"))
        next_checkpoint = state.seconds + (config.checkpoint_interval or float("inf"))
        last = (state.iteration, state.seconds, int(state.mccfr.counters[NODES]))
        per_iteration = 0.0
        reason = "budget"
        while True:
            if stop:
                reason = stop.reason or "stopped"
                break
            remaining = self._iterations_left()
            if remaining == 0 or (
                config.time_budget is not None and state.seconds >= config.time_budget
            ):
                break
            count = self._batch_size(per_iteration, remaining)
            started = time.perf_counter()
            run_iterations(self.training.game, self._options, state.mccfr, count)
            spent = time.perf_counter() - started
            state.seconds += spent
            per_iteration = spent / count
            self._apply_schedule()
            if state.seconds >= next_report:
                self._report(last, metrics)
                last = (state.iteration, state.seconds, int(state.mccfr.counters[NODES]))
                next_report = state.seconds + config.report_interval
            if state.seconds >= next_snapshot:
                self.snapshot()
                next_snapshot = state.seconds + (config.snapshot_interval or float("inf"))
            if state.seconds >= next_checkpoint:
                self.checkpoint()
                next_checkpoint = state.seconds + (config.checkpoint_interval or float("inf"))
        self._report(last, metrics)
        blueprint = None
        if reason == "budget":
            self.snapshot()
            checkpoint = self.checkpoint()
            blueprint = self.write_blueprint()
            self.stage = Stage.FINISHED
        else:
            checkpoint = self.checkpoint()
            self.stage = Stage.FINISHED
        return TrainResult(
            state.iteration, state.seconds, reason, blueprint, checkpoint, self._last_report
        )

    # -- artifacts ----------------------------------------------------------------------------

    def checkpoint(self) -> Path:
        """Save the whole state to ``checkpoints/iter_<n>`` (atomic; keeps the newest K)."""
        assert self.state is not None
        return save_checkpoint(
            self.logdir / "checkpoints",
            self.state,
            self.config.to_dict(),
            self.training.describe_files(),
            self.config.keep_checkpoints,
        )

    def snapshot(self) -> Path:
        """Write a usable policy now: sums averaged, later streets' current strategy."""
        assert self.state is not None
        state = self.state
        name = checkpoint_name(state.iteration)
        path = write_snapshot(
            self.logdir / "snapshots" / name,
            self.training,
            state.mccfr.regret,
            state.mccfr.strategy_sum,
            {"iteration": state.iteration, "seconds": state.seconds},
        )
        if not state.snapshots or state.snapshots[-1]["name"] != name:
            state.snapshots.append(
                {"name": name, "iteration": state.iteration, "seconds": state.seconds}
            )
        return path

    def write_blueprint(self) -> Path:
        """The final policy in ``logdir/blueprint`` (see `holdem.training.artifacts`)."""
        assert self.state is not None
        state = self.state
        folders = [self.logdir / "snapshots" / s["name"] for s in state.snapshots]
        return write_blueprint(
            self.logdir / "blueprint",
            self.training,
            state.mccfr.strategy_sum,
            [f for f in folders if f.exists()],
            {
                "iteration": state.iteration,
                "seconds": state.seconds,
                "config": self.config.to_dict(),
            },
        )

    def average_policy(self) -> np.ndarray:
        """Float32 average strategy of the summed rows (the whole table when sums cover it)."""
        assert self.state is not None
        game = self.training.game
        sums = self.state.mccfr.strategy_sum
        return average_rows(game.tree, game.layout, sums, 0, sums.shape[0], np.float32)

    def bytes_per_entry(self) -> float:
        """Table bytes per (infoset, action): regrets plus strategy sums over all entries."""
        assert self.state is not None
        mccfr = self.state.mccfr
        return (mccfr.regret.nbytes + mccfr.strategy_sum.nbytes) / max(1, mccfr.regret.size)

    # -- internals ----------------------------------------------------------------------------

    def _require(self, stage: Stage, action: str) -> None:
        if self.stage is not stage:
            raise RuntimeError(
                f"cannot {action} a run that is {self.stage.value}; it must be {stage.value}"
            )

    def _kernel_options(self, prune_from: int | None) -> MCCFROptions:
        config = self.config
        prune = None
        if config.prune is not None and prune_from is not None:
            prune = PruneSchedule(prune_from, config.prune.threshold, config.prune.probability)
        return MCCFROptions(
            regret_dtype=config.regret_dtype,
            regret_scale=config.regret_scale,
            regret_floor=config.floor if config.floor > float("-inf") else None,
            prune=prune,
            averaging=config.average_update,
            average_interval=config.average_interval,
            average_streets=1 if config.average_sums == "preflop" else None,
            sum_dtype="float32",
            batch=config.batch,
        )

    def _warm_up(self) -> None:
        game = self.training.game
        scratch = MCCFRState.fresh(game, self._options, 0)
        run_iterations(game, self._options, scratch, 1)
        regret_summary(game.tree, game.layout, scratch.regret, 1.0)
        average_rows(game.tree, game.layout, scratch.strategy_sum, 0, 0, np.float32)

    def _iterations_left(self) -> int:
        assert self.state is not None
        config, state = self.config, self.state
        left = np.iinfo(np.int64).max
        if config.iterations is not None:
            left = max(0, config.iterations - state.iteration)
        return int(left)

    def _batch_size(self, per_iteration: float, remaining: int) -> int:
        """About a quarter second of work, never past an iteration-based schedule point."""
        assert self.state is not None
        config, state = self.config, self.state
        count = config.batch if per_iteration == 0.0 else int(_BATCH_SECONDS / per_iteration)
        count = max(1, min(count, remaining))
        discount = config.discount
        if discount is not None and discount.interval.in_iterations:
            due = int((state.discounts_done + 1) * discount.interval.amount)
            if due <= discount.cutoff.amount:
                count = min(count, due - state.iteration)
        prune = config.prune
        if prune is not None and state.prune_from is None and prune.start.in_iterations:
            count = min(count, max(1, int(prune.start.amount) - state.iteration))
        return max(1, count)

    def _apply_schedule(self) -> None:
        """Discounts that fell due, and the start of pruning."""
        assert self.state is not None
        config, state = self.config, self.state
        discount = config.discount
        while discount is not None:
            k = state.discounts_done + 1
            point = k * discount.interval.amount
            if point > discount.cutoff.amount:
                break
            now = state.iteration if discount.interval.in_iterations else state.seconds
            if now < point:
                break
            discount_tables(state.mccfr, k / (k + 1), self._options)
            state.discounts_done = k
        prune = config.prune
        if (
            prune is not None
            and state.prune_from is None
            and prune.start.reached(state.iteration, state.seconds)
        ):
            state.prune_from = (
                int(prune.start.amount) if prune.start.in_iterations else state.iteration
            )
            self._options = self._kernel_options(state.prune_from)

    def _report(self, last: tuple[int, float, int], metrics: MetricsLog) -> dict[str, Any]:
        assert self.state is not None
        state, game = self.state, self.training.game
        counters = state.mccfr.counters
        iterations, seconds, nodes = last
        spent = max(state.seconds - seconds, 1e-9)
        record: dict[str, Any] = {
            "iteration": state.iteration,
            "seconds": round(state.seconds, 3),
            "wall_time": time.time(),
            "iterations_per_second": (state.iteration - iterations) / spent,
            "nodes_per_second": (int(counters[NODES]) - nodes) / spent,
            "traverser_visits": int(counters[VISITS]),
            "pruned_traversals": int(counters[PRUNED_TRAVERSALS]),
            "pruning": state.prune_from is not None,
            "discounts": state.discounts_done,
            "rss_bytes": resident_bytes(),
            "table_bytes": state.mccfr.regret.nbytes + state.mccfr.strategy_sum.nbytes,
            "bytes_per_entry": self.bytes_per_entry(),
        }
        record.update(
            regret_summary(game.tree, game.layout, state.mccfr.regret, self.config.regret_scale)
        )
        if self.evaluator is not None:
            record.update(self.evaluator(self.average_policy()))
        metrics.write(record)
        self._last_report = record
        if self.on_report is not None:
            self.on_report(record)
        return record
