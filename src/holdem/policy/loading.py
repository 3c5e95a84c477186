"""Open what a training run leaves as a policy: its blueprint, a snapshot or a checkpoint.

Each is a folder of ``.npy`` arrays plus ``manifest.json`` whose ``files`` entry names the
betting config and the card abstraction it was trained with, and their checksums
(`holdem.training.training_game.TrainingGame.describe_files`). `load_policy` finds those files
(where the manifest says, or where the caller says they moved to), compiles the tree, opens the
buckets, refuses files whose checksums differ, and returns the policy's rows
(`holdem.policy.stored_rows.PolicyRows`), memory-mapped:

- blueprint and snapshot (`holdem.training.artifacts`): the preflop average strategy and the
  later streets' compact probabilities (a snapshot's current strategy, the blueprint's mean),
  both checked against their SHA-256 (files of format 2 have none: a warning says so);
- checkpoint (`holdem.training.checkpoint`): the preflop average from its strategy sums and the
  later streets' current strategy from its regrets, as a snapshot taken at that moment would
  hold them (`holdem.training.table_policies`). Both arrays are checked against their SHA-256.

Every problem is a one-line ValueError that names the folder or file and what to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from holdem.policy.stored_rows import PolicyRows
from holdem.storage.array_files import (
    NODE_MAJOR_TABLES,
    check_digests,
    read_arrays,
    require_version,
)
from holdem.training.artifacts import BLUEPRINT_FORMAT, SNAPSHOT_FORMAT, check_policy_arrays
from holdem.training.checkpoint import FORMAT as CHECKPOINT_FORMAT
from holdem.training.checkpoint import FORMAT_VERSION as CHECKPOINT_FORMAT_VERSION
from holdem.training.checkpoint import list_checkpoints
from holdem.training.config import LOSSLESS_PREFLOP
from holdem.training.training_game import TrainingGame, load_training_game

KINDS = {
    BLUEPRINT_FORMAT: "blueprint",
    SNAPSHOT_FORMAT: "snapshot",
    CHECKPOINT_FORMAT: "checkpoint",
}


@dataclass(frozen=True, eq=False)
class LoadedPolicy:
    """A policy folder opened: its kind (``blueprint``, ``snapshot`` or ``checkpoint``), the
    game it was trained on and its rows."""

    path: Path
    kind: str
    manifest: dict[str, Any]
    training: TrainingGame
    rows: PolicyRows


def resolve_policy_folder(path: str | Path) -> Path:
    """The policy folder ``path`` means: itself when it holds ``manifest.json``; for a run's
    logdir its ``blueprint/`` (or, before one is written, its newest checkpoint); for a
    ``checkpoints/`` folder its newest checkpoint."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path}: no such folder: give a run's blueprint, snapshot or checkpoint")
    if (path / "manifest.json").is_file():
        return path
    if (path / "blueprint" / "manifest.json").is_file():
        return path / "blueprint"
    found = list_checkpoints(path) or list_checkpoints(path / "checkpoints")
    if found:
        return found[-1]
    raise ValueError(
        f"{path}: not a blueprint, snapshot or checkpoint (no manifest.json): give a run's "
        "blueprint/, snapshots/iter_* or checkpoints/iter_* folder"
    )


def _find_file(recorded: str, override: Path | None, policy: Path, what: str, flag: str) -> Path:
    """The file ``recorded`` in the manifest, or ``override``; a relative recorded path is also
    looked for beside the run (the policy folder's parents)."""
    if override is not None:
        if not override.exists():
            raise ValueError(f"{override}: no such {what} file")
        return override
    candidate = Path(recorded)
    if candidate.exists():
        return candidate
    if not candidate.is_absolute():
        for parent in policy.resolve().parents:
            if (parent / candidate).exists():
                return parent / candidate
    raise ValueError(
        f"{policy}: its {what} {recorded} is missing: give where it is now with {flag} FILE"
    )


def _training_game(
    path: Path, files: dict[str, str], betting: Path | None, buckets: Path | None, verify: bool
) -> TrainingGame:
    if not isinstance(files, dict) or "betting" not in files or "buckets" not in files:
        raise ValueError(f"{path}: the manifest does not name its betting config and buckets")
    betting_file = _find_file(files["betting"], betting, path, "betting config", "--betting")
    if files["buckets"] == LOSSLESS_PREFLOP and buckets is None:
        bucket_file = None
    else:
        bucket_file = _find_file(files["buckets"], buckets, path, "bucket file", "--buckets")
    training = load_training_game(betting_file, bucket_file, verify=verify)
    training.check_same_files(files, str(path))
    return training


def _policy_arrays(
    path: Path, arrays: dict[str, np.ndarray], manifest: dict[str, Any], training: TrainingGame
) -> PolicyRows:
    check_policy_arrays(path, arrays, manifest)
    for name in ("summed", "rest"):
        if arrays[name].ndim != 1:
            raise ValueError(f"{path}: the {name} array is not one-dimensional")
    summed, rest = arrays["summed"], arrays["rest"]
    if rest.dtype != np.uint8:
        raise ValueError(f"{path}: the rest array is {rest.dtype}, expected uint8")
    return _checked_rows(path, summed, rest, False, training)


def _checkpoint_arrays(
    path: Path, arrays: dict[str, np.ndarray], manifest: dict[str, Any], training: TrainingGame
) -> PolicyRows:
    require_version(path, manifest, "checkpoint", CHECKPOINT_FORMAT_VERSION, NODE_MAJOR_TABLES)
    names = ("regret", "strategy_sum")
    check_digests(path, arrays, manifest, names, "the checkpoint is damaged; use another one")
    for name in names:
        if arrays[name].ndim != 1:
            raise ValueError(f"{path}: the {name} array is not one-dimensional")
    sums, regret = arrays["strategy_sum"], arrays["regret"]
    layout = training.game.layout
    if regret.shape[0] != layout.size:
        raise ValueError(f"{path}: holds {regret.shape[0]} regrets, the tree needs {layout.size}")
    return _checked_rows(path, sums, regret[sums.shape[0] :], True, training)


def _checked_rows(
    path: Path, summed: np.ndarray, rest: np.ndarray, regrets: bool, training: TrainingGame
) -> PolicyRows:
    layout = training.game.layout
    total = summed.shape[0] + rest.shape[0]
    if total != layout.size:
        raise ValueError(f"{path}: holds {total} entries, the tree needs {layout.size}")
    if summed.shape[0] not in (0, *layout.street_ends):
        raise ValueError(
            f"{path}: {summed.shape[0]} summed entries do not end a street's rows "
            f"({', '.join(str(e) for e in layout.street_ends)})"
        )
    # Plain ndarray views of the memory maps: slicing a memmap costs several times more.
    return PolicyRows(np.asarray(summed), np.asarray(rest), regrets)


def load_policy(
    path: str | Path,
    betting: str | Path | None = None,
    buckets: str | Path | None = None,
    verify: bool = True,
) -> LoadedPolicy:
    """Open a blueprint, snapshot or checkpoint folder (or a run's logdir: its blueprint).

    ``betting`` and ``buckets`` replace the files the manifest names (when they moved); either
    way their checksums must match the manifest's. ``verify`` also checks the bucket tables
    against their own checksum (reads them once). Raises a one-line ValueError otherwise.
    """
    folder = resolve_policy_folder(path)
    arrays, manifest = read_arrays(folder)
    kind = KINDS.get(str(manifest.get("format")))
    if kind is None:
        raise ValueError(
            f"{folder}: not a blueprint, snapshot or checkpoint (format {manifest.get('format')!r})"
        )
    training = _training_game(
        folder,
        manifest.get("files", {}),
        None if betting is None else Path(betting),
        None if buckets is None else Path(buckets),
        verify,
    )
    if kind == "checkpoint":
        rows = _checkpoint_arrays(folder, arrays, manifest, training)
    else:
        rows = _policy_arrays(folder, arrays, manifest, training)
    return LoadedPolicy(folder, kind, manifest, training, rows)
