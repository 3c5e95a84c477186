"""The schedule of a blueprint run, applied between batches: discounts and the start of pruning.

N. Brown and T. Sandholm, "Superhuman AI for multiplayer poker" (Science 2019,
https://doi.org/10.1126/science.aay2400, supplementary algorithm 1), each step in iterations or
in seconds of training:

- linear discounting (`holdem.cfr.schedules.LinearDiscount`): after each ``discount.interval``,
  up to ``discount.cutoff``, regrets and sums are multiplied by k / (k + 1) (the k-th step;
  Pluribus: every 10 minutes for 400);
- negative-regret pruning after ``prune.start`` (the kernel prunes with its probability, never
  on the last street nor for actions that end the hand; regrets have a floor below the
  threshold).

Steps are applied at a barrier (no chunk in flight). An iteration-based step is placed exactly:
the batches handed out stop at the batch that reaches the next iteration-based discount
(`RunSchedule.horizon`), so a seeded run discounts at the same iterations however its batches
are cut into chunks. The clock of iteration-based steps is the iteration the handed-out
batches reach (``next_batch * batch``).
"""

from __future__ import annotations

import numpy as np

from holdem.cfr.mccfr import MCCFROptions, discount_tables
from holdem.cfr.schedules import LinearDiscount, PruneSchedule
from holdem.training.checkpoint import RunState
from holdem.training.config import TrainConfig


class RunSchedule:
    """The discounts and the start of pruning of a run with ``config``."""

    def __init__(self, config: TrainConfig) -> None:
        self.batch = config.batch
        self.prune = config.prune
        discount = config.discount
        self.discount = (
            None
            if discount is None
            else LinearDiscount(discount.interval.amount, discount.cutoff.amount)
        )
        self.discount_in_iterations = discount is not None and discount.interval.in_iterations

    def prune_template(self) -> PruneSchedule | None:
        """The kernel's pruning, its start left for each chunk to set (`holdem.training.worker`)."""
        if self.prune is None:
            return None
        return PruneSchedule(0, self.prune.threshold, self.prune.probability)

    def first_prune_from(self) -> int | None:
        """Where a fresh run prunes from: an iteration-based start is known before it begins."""
        if self.prune is not None and self.prune.start.in_iterations:
            return int(self.prune.start.amount)
        return None

    def horizon(self, state: RunState, last_batch: int | None) -> int:
        """The first batch not to hand out yet: the run's end or the batch that reaches the
        next iteration-based discount (applied at the barrier after it)."""
        horizon = last_batch if last_batch is not None else np.iinfo(np.int64).max
        if self.discount is not None and self.discount_in_iterations:
            due = self.discount.point(state.discounts_done + 1)
            if due is not None:
                horizon = min(horizon, -(-int(due) // self.batch))
        return int(horizon)

    def due(self, state: RunState) -> bool:
        """Whether a discount or the start of pruning is due (a barrier is needed)."""
        if self.discount is not None:
            point = self.discount.point(state.discounts_done + 1)
            if point is not None and self._discount_clock(state) >= point:
                return True
        return self._prune_starts(state)

    def apply(self, state: RunState, options: MCCFROptions) -> list[float]:
        """Discounts that fell due, and the start of pruning (at a barrier); returns the
        factors the tables were multiplied by (a cluster's nodes apply them too)."""
        factors = []
        while self.discount is not None:
            k = state.discounts_done + 1
            point = self.discount.point(k)
            if point is None or self._discount_clock(state) < point:
                break
            factor = LinearDiscount.step_factor(k)
            discount_tables(state.regret, state.strategy_sum, factor, options)
            factors.append(factor)
            state.discounts_done = k
        if self._prune_starts(state):
            state.prune_from = self._position(state)
        return factors

    def _position(self, state: RunState) -> int:
        """The iteration the handed-out batches reach (schedule points compare with it)."""
        return state.next_batch * self.batch

    def _discount_clock(self, state: RunState) -> float:
        return self._position(state) if self.discount_in_iterations else state.seconds

    def _prune_starts(self, state: RunState) -> bool:
        return bool(
            self.prune is not None
            and state.prune_from is None
            and self.prune.start.reached(self._position(state), state.seconds)
        )
