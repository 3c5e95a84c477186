"""A training run's whole state, and checkpoints: that state saved so a run continues bit for bit.

`RunState` is everything a run changes: the MCCFR tables and counters, the batches handed out
and the iterations completed (each batch's generators derive from the seed and its number,
`holdem.training.batches`), the seconds trained, the schedule's progress (discounts applied,
the iteration pruning started after) and the snapshots taken. A
checkpoint is a folder of ``.npy`` arrays plus ``manifest.json`` (`holdem.storage.array_files`,
written atomically) holding that state, the resolved config, the batch size (batch ``k``
covers iterations ``k B + 1 .. (k + 1) B``, so a resumed run must keep ``B``), and the
checksums of the betting tree and card abstraction, plus a SHA-256 of every array as written
so that a damaged or truncated checkpoint is refused on load instead of training on garbage.

Folders are named ``iter_<iteration, 12 digits>`` under ``logdir/checkpoints/``. Their order is
the order they were written (``written_at`` in the manifest), not their names: a run resumed
from an older checkpoint writes lower-numbered folders after higher ones. The newest ``keep``
are kept, older ones deleted only after the new one is complete; a folder given to
`load_checkpoint` yields its newest checkpoint that verifies.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from holdem.storage.array_files import (
    NODE_MAJOR_TABLES,
    check_digests,
    read_arrays,
    require_version,
    write_arrays,
)

FORMAT = "holdem-checkpoint"
FORMAT_VERSION = 2
_ARRAYS = ("regret", "strategy_sum", "counters")


@dataclass
class RunState:
    """Everything a training run changes (see the module docstring).

    ``counters`` are the kernel counters (`holdem.cfr.mccfr.VISITS` ...) of the run before the
    current engine started (its workers count in their own rows); ``next_batch`` is the first
    batch not yet handed out (`holdem.training.batches`); ``iteration`` counts the iterations of
    completed batches.
    """

    regret: np.ndarray
    strategy_sum: np.ndarray
    counters: np.ndarray
    next_batch: int = 0
    iteration: int = 0
    seconds: float = 0.0
    discounts_done: int = 0
    prune_from: int | None = None
    snapshots: list[dict[str, Any]] = field(default_factory=list)


def checkpoint_name(iteration: int) -> str:
    return f"iter_{iteration:012d}"


def save_checkpoint(
    folder: Path,
    state: RunState,
    config: dict[str, Any],
    files: dict[str, str],
    keep: int,
    batch_size: int,
) -> Path:
    """Write ``state`` to ``folder/iter_<n>`` atomically, then keep only the ``keep`` written
    last. No process may change the tables meanwhile: the digests are of the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {name: getattr(state, name) for name in _ARRAYS}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "written_at": time.time(),
        "batch_size": batch_size,
        "next_batch": state.next_batch,
        "iteration": state.iteration,
        "seconds": state.seconds,
        "discounts_done": state.discounts_done,
        "prune_from": state.prune_from,
        "snapshots": state.snapshots,
        "config": config,
        "files": files,
    }
    path = write_arrays(folder / checkpoint_name(state.iteration), arrays, manifest, digests=True)
    for old in list_checkpoints(folder)[:-keep]:
        if old != path:
            shutil.rmtree(old, ignore_errors=True)
    return path


def _written_at(path: Path) -> float:
    """When a checkpoint was written: its manifest's ``written_at``, or (older checkpoints, or
    an unreadable manifest) the manifest file's modification time."""
    manifest = path / "manifest.json"
    try:
        written = json.loads(manifest.read_text(encoding="utf-8")).get("written_at")
    except (OSError, ValueError, AttributeError):
        written = None
    if isinstance(written, (int, float)):
        return float(written)
    try:
        return manifest.stat().st_mtime
    except OSError:
        return 0.0


def list_checkpoints(folder: Path) -> list[Path]:
    """Complete checkpoint folders under ``folder``, in the order they were written (oldest
    first; names break ties)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("iter_*") if (p / "manifest.json").is_file()]
    return sorted(found, key=lambda p: (_written_at(p), p.name))


@dataclass
class LoadedCheckpoint:
    """A checkpoint read back: its state (arrays memory-mapped, read-only: copy them into the
    tables of the run that resumes), its config and files."""

    path: Path
    state: RunState
    config: dict[str, Any]
    files: dict[str, str]
    batch_size: int
    skipped: tuple[str, ...] = ()
    """One line per newer checkpoint of the folder that did not verify: which and why."""

    def check_batch_size(self, batch_size: int) -> None:
        """Refuse to continue with batches of another size: batch ``k`` covers iterations
        ``k B + 1 .. (k + 1) B``, so a new ``B`` would renumber the iterations of the batches
        not yet run and bend every schedule in iterations."""
        if batch_size != self.batch_size:
            raise ValueError(
                f"checkpoint {self.path} was trained with batches of {self.batch_size} "
                f"iterations and cannot continue with {batch_size}: pass --batch-size "
                f"{self.batch_size}"
            )

    def check_budget(self, time_budget: float | None, iterations: int | None) -> None:
        """Refuse to continue when a budget is already spent: budgets are totals over the whole
        run, resumes included, so such a resume would train nothing and still rewrite the
        blueprint and the checkpoint. The message gives the budget that trains as much again."""
        state = self.state
        totals = "budgets are totals, resumes included"
        if time_budget is not None and state.seconds >= time_budget:
            raise ValueError(
                f"checkpoint {self.path} already trained {state.seconds:,.1f} s, past the time "
                f"budget of {time_budget:g} s ({totals}): to train {time_budget:g} s more, give "
                f"--time-budget {math.ceil(state.seconds + time_budget)}"
            )
        if iterations is not None and state.next_batch * self.batch_size >= iterations:
            raise ValueError(
                f"checkpoint {self.path} already ran {state.iteration:,} iterations, past the "
                f"budget of {iterations:,} ({totals}): to run {iterations:,} more, give --iters "
                f"{state.iteration + iterations}"
            )


def load_checkpoint(path: str | Path) -> LoadedCheckpoint:
    """Read a checkpoint folder, checking every array; for ``logdir/checkpoints`` (or a
    logdir), its newest checkpoint that verifies, naming the newer ones skipped.

    A missing, foreign, truncated or altered checkpoint raises a one-line ValueError naming it.
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path}: no such checkpoint")
    if not path.is_dir() or (path / "manifest.json").exists():
        return _load_one(path)
    found = list_checkpoints(path) or list_checkpoints(path / "checkpoints")
    if not found:
        raise ValueError(f"{path}: no checkpoint here (expected iter_* folders)")
    skipped: list[str] = []
    for candidate in reversed(found):
        try:
            loaded = _load_one(candidate)
        except ValueError as error:
            skipped.append(f"skipped {error}")
            continue
        loaded.skipped = tuple(skipped)
        return loaded
    raise ValueError(
        f"{path}: none of its {len(found)} checkpoints verifies; the newest: {skipped[0]}"
    )


def _load_one(path: Path) -> LoadedCheckpoint:
    arrays, manifest = read_arrays(path)
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{path}: not a training checkpoint (format {manifest.get('format')!r})")
    require_version(path, manifest, "checkpoint", FORMAT_VERSION, NODE_MAJOR_TABLES)
    for name in _ARRAYS:
        if name not in arrays:
            raise ValueError(f"{path}: the checkpoint has no {name} array")
    advice = "the checkpoint is damaged; resume from an earlier one"
    check_digests(path, arrays, manifest, _ARRAYS, advice)
    try:
        state = RunState(
            **{name: arrays[name] for name in _ARRAYS},
            next_batch=int(manifest["next_batch"]),
            iteration=int(manifest["iteration"]),
            seconds=float(manifest["seconds"]),
            discounts_done=int(manifest["discounts_done"]),
            prune_from=None if manifest["prune_from"] is None else int(manifest["prune_from"]),
            snapshots=list(manifest["snapshots"]),
        )
        config = dict(manifest["config"])
        # Checkpoints before the explicit field: the batch of the config the run last trained
        # with, which is the size its batch numbers were handed out in since it resumed.
        batch_size = manifest.get("batch_size")
        batch_size = int(config["batch"] if batch_size is None else batch_size)
        return LoadedCheckpoint(path, state, config, dict(manifest["files"]), batch_size)
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: the checkpoint manifest is incomplete: {error}") from None
