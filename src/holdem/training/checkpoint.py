"""A training run's whole state, and checkpoints: that state saved so a run continues bit for bit.

`RunState` is everything a run changes: the MCCFR tables and counters, the batches handed out
and the iterations completed (each batch's generators derive from the seed and its number,
`holdem.training.batches`), the seconds trained, the schedule's progress (discounts applied,
the iteration pruning started after) and the snapshots taken. A
checkpoint is a folder of ``.npy`` arrays plus ``manifest.json`` (`holdem.storage.array_files`,
written atomically) holding that state, the resolved config, and the checksums of the betting
tree and card abstraction, plus a SHA-256 of every array so that a damaged or truncated
checkpoint is refused on load instead of training on garbage.

Folders are named ``iter_<iteration, 12 digits>`` under ``logdir/checkpoints/``; the newest
``keep`` are kept, older ones deleted only after the new one is complete.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from holdem.storage.array_files import read_arrays, require_version, write_arrays

FORMAT = "holdem-checkpoint"
FORMAT_VERSION = 2
NODE_MAJOR_TABLES = (
    "its tables are laid out node by node, this version's bucket by bucket inside each street "
    "(faster): train it again"
)
"""Why files of format version 1 (checkpoints, blueprints, snapshots) cannot be read."""
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


def array_digest(array: np.ndarray) -> str:
    """``"sha256:<hex>"`` of an array's dtype, shape and bytes (read in 64 MB steps)."""
    digest = hashlib.sha256(f"{array.dtype.str}:{array.shape}\n".encode())
    flat = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    step = 1 << 26
    for start in range(0, flat.size, step):
        digest.update(flat[start : start + step].data)
    return f"sha256:{digest.hexdigest()}"


def checkpoint_name(iteration: int) -> str:
    return f"iter_{iteration:012d}"


def save_checkpoint(
    folder: Path, state: RunState, config: dict[str, Any], files: dict[str, str], keep: int
) -> Path:
    """Write ``state`` to ``folder/iter_<n>`` atomically, then keep only the newest ``keep``."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {name: getattr(state, name) for name in _ARRAYS}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "next_batch": state.next_batch,
        "iteration": state.iteration,
        "seconds": state.seconds,
        "discounts_done": state.discounts_done,
        "prune_from": state.prune_from,
        "snapshots": state.snapshots,
        "config": config,
        "files": files,
        "digests": {name: array_digest(a) for name, a in arrays.items()},
    }
    path = write_arrays(folder / checkpoint_name(state.iteration), arrays, manifest)
    for old in list_checkpoints(folder)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return path


def list_checkpoints(folder: Path) -> list[Path]:
    """Complete checkpoint folders under ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("iter_*") if (p / "manifest.json").is_file())


@dataclass
class LoadedCheckpoint:
    """A checkpoint read back: its state (arrays memory-mapped, read-only: copy them into the
    tables of the run that resumes), its config and files."""

    path: Path
    state: RunState
    config: dict[str, Any]
    files: dict[str, str]


def load_checkpoint(path: str | Path) -> LoadedCheckpoint:
    """Read a checkpoint folder (or ``logdir/checkpoints``: its newest), checking every array.

    A missing, foreign, truncated or altered checkpoint raises a one-line ValueError naming it.
    """
    path = Path(path)
    if path.is_dir() and not (path / "manifest.json").exists():
        found = list_checkpoints(path) or list_checkpoints(path / "checkpoints")
        if not found:
            raise ValueError(f"{path}: no checkpoint here (expected iter_* folders)")
        path = found[-1]
    if not path.exists():
        raise ValueError(f"{path}: no such checkpoint")
    arrays, manifest = read_arrays(path)
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{path}: not a training checkpoint (format {manifest.get('format')!r})")
    require_version(path, manifest, "checkpoint", FORMAT_VERSION, NODE_MAJOR_TABLES)
    digests = manifest.get("digests", {})
    for name in _ARRAYS:
        if name not in arrays:
            raise ValueError(f"{path}: the checkpoint has no {name} array")
        if array_digest(arrays[name]) != digests.get(name):
            raise ValueError(
                f"{path}: the {name} array does not match its checksum: the checkpoint is "
                "damaged; resume from an earlier one"
            )
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
        return LoadedCheckpoint(path, state, dict(manifest["config"]), dict(manifest["files"]))
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: the checkpoint manifest is incomplete: {error}") from None
