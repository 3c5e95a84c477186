"""Which snapshots a blueprint's later streets average, and with what weights.

Streets without strategy sums are averaged from snapshots of the current strategy
(`holdem.training.artifacts`). The current strategy of early iterations is far from the
equilibrium, so counting every snapshot equally keeps the early play in the blueprint for the
whole run. Two remedies, both from the papers that built the method:

- a warm-up: Pluribus (N. Brown and T. Sandholm, "Superhuman AI for multiplayer poker", Science
  2019, supplementary materials) averaged only the snapshots taken after its first 800 minutes;
- linear weights: linear CFR (N. Brown and T. Sandholm, "Solving Imperfect-Information Games
  via Discounted Regret Minimization", AAAI 2019, https://arxiv.org/abs/1809.04040) weighs
  iteration t's strategy by t. A snapshot taken at iteration t_k stands for the iterations
  since the snapshot before it, (t_{k-1}, t_k], so its linear weight is the sum of their
  numbers, proportional to t_k^2 - t_{k-1}^2 (a short last interval counts for less).

Neither lowered LBR on the ``make run`` game (``benchmarks/results/averaging.json``), so the
defaults (`holdem.training.config.DEFAULT_WARMUP`, ``DEFAULT_WEIGHTS``) count every snapshot
equally; the options stay for longer runs, to be measured there.

The blueprint adds the snapshots' uint8 entries in uint16, so the weights are whole numbers
whose sum is at most `MAX_WEIGHT` (the sum of 257 entries of 255 still fits): the real weights
are scaled to the largest whole numbers that fit, equal weights staying equal. More than 257
snapshots after the warm-up are thinned evenly first (the last one always kept).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from holdem.training.artifacts import policy_game, write_blueprint
from holdem.training.checkpoint import load_checkpoint
from holdem.training.config import Point, warmup_to_yaml

MAX_WEIGHT = 257
"""The largest sum of whole weights: 257 * 255 = 65,535 fits uint16."""


def snapshot_weights(
    snapshots: Sequence[Mapping[str, Any]],
    warmup: Point | float,
    weights: Literal["equal", "linear"],
    final_iteration: int,
) -> list[int]:
    """Whole weights, one per snapshot (0: left out), summing to at most `MAX_WEIGHT`.

    ``snapshots`` are a run's records in order (``iteration`` and ``seconds`` each, as
    `holdem.training.checkpoint.RunState.snapshots`). A snapshot counts when it is at or past
    ``warmup`` (a `Point`, or a share of ``final_iteration``); the last one always counts, so
    a warm-up longer than the run still leaves a blueprint.
    """
    count = len(snapshots)
    if count == 0:
        return []
    kept = [i for i, s in enumerate(snapshots) if _past(s, warmup, final_iteration)]
    if not kept or kept[-1] != count - 1:
        kept.append(count - 1)
    if len(kept) > MAX_WEIGHT:
        picks = np.linspace(0, len(kept) - 1, MAX_WEIGHT).round().astype(int)
        kept = [kept[i] for i in sorted(set(picks.tolist()))]
    real = np.ones(len(kept), np.float64)
    if weights == "linear":
        ends = np.array([float(snapshots[i]["iteration"]) for i in kept])
        before = float(snapshots[kept[0] - 1]["iteration"]) if kept[0] > 0 else 0.0
        starts = np.concatenate(([before], ends[:-1]))
        linear = ends**2 - starts**2
        if linear.max() > 0:
            real = np.maximum(linear, 0.0)
    scaled = real / real.max()
    for top in range(MAX_WEIGHT, 0, -1):
        whole = np.floor(scaled * top + 0.5).astype(np.int64)
        if whole.sum() <= MAX_WEIGHT:
            break
    out = [0] * count
    for i, w in zip(kept, whole.tolist(), strict=True):
        out[i] = int(w)
    return out


def _past(snapshot: Mapping[str, Any], warmup: Point | float, final_iteration: int) -> bool:
    iteration = int(snapshot["iteration"])
    if isinstance(warmup, Point):
        return warmup.reached(iteration, float(snapshot["seconds"]))
    return iteration >= warmup * final_iteration


def averaged_snapshots(
    folder: Path,
    records: Sequence[Mapping[str, Any]],
    warmup: Point | float,
    weights: Literal["equal", "linear"],
    final_iteration: int,
) -> tuple[list[tuple[Path, int]], dict[str, Any]]:
    """The ``(snapshot folder, whole weight)`` pairs a blueprint averages from a run's snapshot
    ``records`` (`snapshot_weights`; those of weight 0 left out), and what its manifest records
    of the averaging."""
    whole = snapshot_weights(records, warmup, weights, final_iteration)
    pairs = [(folder / str(s["name"]), w) for s, w in zip(records, whole, strict=True) if w > 0]
    info = {
        "snapshot_averaging": {"warmup": warmup_to_yaml(warmup), "weights": weights},
        "snapshots_averaged": {
            str(s["name"]): w for s, w in zip(records, whole, strict=True) if w > 0
        },
    }
    return pairs, info


def rebuild_blueprint(
    logdir: Path, out: Path, warmup: Point | float, weights: Literal["equal", "linear"]
) -> Path:
    """A blueprint at ``out`` from a run's newest checkpoint (its preflop sums and its list of
    snapshots) and the snapshots in ``logdir/snapshots``, averaged with ``warmup`` and
    ``weights``: variants of one run that differ only in the averaging.

    Raises a one-line ValueError when the checkpoint, or a snapshot it names, is missing.
    """
    loaded = load_checkpoint(logdir)
    records = loaded.state.snapshots
    if not records:
        raise ValueError(f"{loaded.path}: the run took no snapshot")
    folders = [logdir / "snapshots" / str(s["name"]) for s in records]
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        raise ValueError(f"{missing[0]}: a snapshot the checkpoint lists is missing")
    training = policy_game(folders[-1])
    training.check_same_files(loaded.files, f"checkpoint {loaded.path}")
    pairs, averaging = averaged_snapshots(
        logdir / "snapshots", records, warmup, weights, loaded.state.iteration
    )
    config = dict(loaded.config)
    config["average"] = {
        **config.get("average", {}),
        "warmup": warmup_to_yaml(warmup),
        "weights": weights,
    }
    info = {
        "iteration": loaded.state.iteration,
        "seconds": loaded.state.seconds,
        "config": config,
        "rebuilt_from": str(loaded.path),
        **averaging,
    }
    return write_blueprint(out, training, loaded.state.strategy_sum, pairs, info)
