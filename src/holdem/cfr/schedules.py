"""Schedules of Monte Carlo CFR: linear discounting of the tables, and negative-regret pruning.

Both follow Pluribus (N. Brown and T. Sandholm, "Superhuman AI for multiplayer poker", Science
2019, https://doi.org/10.1126/science.aay2400, supplementary algorithm 1), counted in
iterations instead of minutes:

- Linear CFR discounting: after every ``interval`` iterations, up to iteration ``cutoff``, the
  regrets and the strategy sums are multiplied by ``d = k / (k + 1)`` where ``k = t / interval``
  (Pluribus: every 10 minutes for its first 400). Iteration k's weight then grows linearly, as
  in Linear CFR (N. Brown and T. Sandholm, AAAI 2019, https://arxiv.org/abs/1809.04040).
- Pruning: after iteration ``start``, each traversal is a pruned one with probability
  ``probability`` (Pluribus: 0.95 after 200 minutes). A pruned traversal skips the traverser's
  actions whose regret is below ``threshold`` (Pluribus: -300,000,000 with a floor of
  -310,000,000), except on the last betting round and for actions that end the hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinearDiscount:
    """The k-th discount (k = 1, 2, ...) falls at ``k * interval``, up to ``cutoff``, and
    multiplies the tables by ``k / (k + 1)``.

    ``interval`` and ``cutoff`` count on one clock: iterations for the kernel
    (`holdem.cfr.mccfr.MCCFROptions`, whole numbers), iterations or seconds of training for a
    blueprint run (`holdem.training.run_schedule`).
    """

    interval: float
    cutoff: float

    def __post_init__(self) -> None:
        if not self.interval > 0:
            raise ValueError(f"discount interval must be positive, got {self.interval}")
        if self.cutoff < 0:
            raise ValueError(f"discount cutoff must be 0 or more, got {self.cutoff}")

    def point(self, k: int) -> float | None:
        """Where the ``k``-th discount falls on the clock, or None past the cutoff."""
        at = k * self.interval
        return at if at <= self.cutoff else None

    @staticmethod
    def step_factor(k: int) -> float:
        """The factor of the ``k``-th discount."""
        return k / (k + 1)

    def factor(self, t: int) -> float | None:
        """The factor applied after iteration ``t`` (numbered from 1), or None when none is due."""
        if t % self.interval != 0 or self.point(int(t // self.interval)) is None:
            return None
        return self.step_factor(int(t // self.interval))

    def next_after(self, t: int) -> int | None:
        """The first iteration after ``t`` at which a discount is due, or None."""
        due = self.point(int(t // self.interval) + 1)
        return None if due is None else int(due)


@dataclass(frozen=True)
class PruneSchedule:
    """Prune with ``probability`` after iteration ``start`` the actions with regret < ``threshold``.

    ``threshold`` is in the units the regrets are stored in (chips times the regret scale).
    """

    start: int
    threshold: float
    probability: float = 0.95

    def __post_init__(self) -> None:
        if self.start < 0:
            raise ValueError(f"prune start must be 0 or more iterations, got {self.start}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"prune probability must be in [0, 1], got {self.probability}")
        if not self.threshold < 0:
            raise ValueError(f"prune threshold must be a negative regret, got {self.threshold}")
