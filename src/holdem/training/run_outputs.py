"""What a run leaves in its logdir besides metrics: checkpoints, snapshots and the blueprint.

- ``checkpoints/iter_<n>``: the whole `RunState` (`holdem.training.checkpoint`), written at a
  barrier (no chunk in flight), so that a resumed run continues bit for bit;
- ``snapshots/iter_<n>``: a usable policy now (sums averaged, later streets' current strategy,
  `holdem.training.artifacts.write_snapshot`), recorded in the state's list of snapshots;
- ``blueprint/``: the final policy, later streets averaged over the snapshots taken after the
  warm-up (`holdem.training.averaging`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from holdem.training.artifacts import write_blueprint, write_snapshot
from holdem.training.averaging import averaged_snapshots
from holdem.training.checkpoint import RunState, checkpoint_name, save_checkpoint
from holdem.training.config import TrainConfig
from holdem.training.training_game import TrainingGame


def save_run_checkpoint(
    logdir: Path,
    state: RunState,
    counters: np.ndarray,
    config: TrainConfig,
    training: TrainingGame,
) -> Path:
    """Save ``state``, with the kernel's total ``counters``, to ``checkpoints/iter_<n>``
    (atomic; keeps the newest ``config.keep_checkpoints``)."""
    saved = RunState(
        state.regret,
        state.strategy_sum,
        counters,
        next_batch=state.next_batch,
        iteration=state.iteration,
        seconds=state.seconds,
        discounts_done=state.discounts_done,
        prune_from=state.prune_from,
        snapshots=state.snapshots,
    )
    return save_checkpoint(
        logdir / "checkpoints",
        saved,
        config.to_dict(),
        training.describe_files(),
        config.keep_checkpoints,
        config.batch,
    )


def save_run_snapshot(logdir: Path, state: RunState, training: TrainingGame) -> Path:
    """Write ``snapshots/iter_<n>`` and record it in ``state.snapshots`` (once per iteration)."""
    name = checkpoint_name(state.iteration)
    path = write_snapshot(
        logdir / "snapshots" / name,
        training,
        state.regret,
        state.strategy_sum,
        {"iteration": state.iteration, "seconds": state.seconds},
    )
    if not state.snapshots or state.snapshots[-1]["name"] != name:
        state.snapshots.append(
            {"name": name, "iteration": state.iteration, "seconds": state.seconds}
        )
    return path


def save_run_blueprint(
    logdir: Path, state: RunState, training: TrainingGame, config: TrainConfig
) -> Path:
    """The final policy in ``blueprint/`` (see `holdem.training.artifacts`)."""
    folder = logdir / "snapshots"
    records = [s for s in state.snapshots if (folder / s["name"]).exists()]
    pairs, averaging = averaged_snapshots(
        folder, records, config.average_warmup, config.average_weights, state.iteration
    )
    info = {"iteration": state.iteration, "seconds": state.seconds, **averaging}
    return write_blueprint(
        logdir / "blueprint",
        training,
        state.strategy_sum,
        pairs,
        {**info, "config": config.to_dict()},
    )
