"""Snapshots and the final blueprint: the policies a run leaves, as Pluribus kept them.

Pluribus (Brown and Sandholm, Science 2019, supplementary materials) kept strategy sums for
the preflop only; its blueprint's later streets are the mean of snapshots of the current
strategy taken along the run. Both files here are folders of ``.npy`` arrays plus
``manifest.json`` (`holdem.storage.array_files`):

- ``summed``: float32 average-strategy probabilities of rows ``0..summed_rows`` (the preflop,
  or every row when the run keeps sums everywhere);
- ``rest``: uint8 compact probabilities (`holdem.training.table_policies`) of the later rows: in a
  snapshot the current strategy when it was taken; in the blueprint the weighted mean of the
  snapshots' after a warm-up (`holdem.training.averaging`).

A snapshot is a usable policy at its time; the blueprint (``logdir/blueprint``) is the final
one. Their manifests name the betting config and card abstraction with their checksums, so a
reader can refuse other files (`read_policy_folder`), and carry a SHA-256 of each array as
written, so a reader refuses a damaged one (`check_policy_arrays`). Format 3 added those
digests; files of format 2 (the same arrays, no digests) are read with a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
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
from holdem.training.table_policies import QUANTUM, average_rows, current_rows, expand_compact
from holdem.training.training_game import TrainingGame, load_training_game

SNAPSHOT_FORMAT = "holdem-snapshot"
BLUEPRINT_FORMAT = "holdem-blueprint"
FORMAT_VERSION = 3
NO_DIGESTS_VERSION = 2
"""The format before array digests: still read, unchecked, with a warning."""
_MEAN_STEP = 1 << 24
_POLICY_ARRAYS = ("summed", "rest")
_log = logging.getLogger(__name__)


def _manifest(
    kind: str, training: TrainingGame, summed_rows: int, info: dict[str, Any]
) -> dict[str, Any]:
    layout = training.game.layout
    return {
        "format": kind,
        "format_version": FORMAT_VERSION,
        "files": training.describe_files(),
        "n_players": training.game.tree.n_players,
        "n_buckets": list(layout.n_buckets),
        "table_size": layout.size,
        "summed_rows": summed_rows,
        "rest_encoding": f"uint8, round({QUANTUM} * p), rows renormalised on read",
        **info,
    }


def write_snapshot(
    path: Path,
    training: TrainingGame,
    regret: np.ndarray,
    strategy_sum: np.ndarray,
    info: dict[str, Any],
) -> Path:
    """The average of the summed rows and the current strategy of the rest, at ``path``."""
    tree, layout = training.game.tree, training.game.layout
    summed_rows = strategy_sum.shape[0]
    arrays = {
        "summed": average_rows(tree, layout, strategy_sum, 0, summed_rows, np.float32),
        "rest": current_rows(tree, layout, regret, summed_rows, layout.size, np.uint8),
    }
    manifest = _manifest(SNAPSHOT_FORMAT, training, summed_rows, info)
    return write_arrays(path, arrays, manifest, digests=True)


def write_blueprint(
    path: Path,
    training: TrainingGame,
    strategy_sum: np.ndarray,
    snapshots: Sequence[tuple[Path, int]],
    info: dict[str, Any],
) -> Path:
    """The final policy: summed rows averaged, later rows the weighted mean of the snapshots'
    ``rest``.

    ``snapshots`` are (folder, whole weight) pairs whose weights sum to at most 257
    (`holdem.training.averaging` chooses them): the mean adds the weighted uint8 entries in
    uint16, exactly, and renormalises each row.
    """
    tree, layout = training.game.tree, training.game.layout
    summed_rows = strategy_sum.shape[0]
    rest_size = layout.size - summed_rows
    used = [(folder, weight) for folder, weight in snapshots if weight > 0]
    if rest_size and not used:
        raise ValueError("a blueprint with unsummed rows needs at least one snapshot")
    if sum(weight for _, weight in used) * QUANTUM > np.iinfo(np.uint16).max:
        raise ValueError("the snapshot weights must sum to at most 257 (uint16 sums)")
    _check_snapshots([folder for folder, _ in used])
    total = np.zeros(rest_size, np.uint16)
    for snapshot, weight in used:
        arrays, _ = read_arrays(snapshot)
        rest = arrays["rest"]
        for start in range(0, rest_size, _MEAN_STEP):
            piece = rest[start : start + _MEAN_STEP]
            total[start : start + _MEAN_STEP] += piece.astype(np.uint16) * np.uint16(weight)
    arrays = {
        "summed": average_rows(tree, layout, strategy_sum, 0, summed_rows, np.float32),
        "rest": average_rows(
            tree, layout, total, summed_rows, layout.size, np.uint8, sums_first=summed_rows
        ),
    }
    manifest = _manifest(BLUEPRINT_FORMAT, training, summed_rows, info)
    return write_arrays(path, arrays, manifest, digests=True)


def check_policy_arrays(
    path: Path, arrays: dict[str, np.ndarray], manifest: dict[str, Any], warn: bool = True
) -> bool:
    """Check a blueprint's or snapshot's format version and array digests; False when it is of
    format 2 without digests (unchecked; logged as a one-line warning when ``warn``).

    A missing array, or one that does not match its digest, raises a one-line ValueError naming
    the file and the array."""
    version = require_version(
        path, manifest, "policy", FORMAT_VERSION, NODE_MAJOR_TABLES, also=(NO_DIGESTS_VERSION,)
    )
    for name in _POLICY_ARRAYS:
        if name not in arrays:
            raise ValueError(f"{path}: the {name} array is missing")
    if version == NO_DIGESTS_VERSION and "digests" not in manifest:
        if warn:
            _log.warning(
                "%s: a format-%d %s carries no array digests, so its arrays are not checked",
                path,
                version,
                "snapshot" if manifest.get("format") == SNAPSHOT_FORMAT else "blueprint",
            )
        return False
    check_digests(
        path, arrays, manifest, _POLICY_ARRAYS, "the file is damaged or was altered; do not use it"
    )
    return True


def _check_snapshots(snapshots: list[Path]) -> None:
    """Check every snapshot a blueprint averages; one warning for those without digests."""
    unchecked = 0
    for snapshot in snapshots:
        arrays, manifest = read_arrays(snapshot)
        unchecked += not check_policy_arrays(snapshot, arrays, manifest, warn=False)
    if unchecked:
        _log.warning(
            "%d of the %d snapshots averaged into the blueprint (format %d) carry no array "
            "digests, so they are not checked",
            unchecked,
            len(snapshots),
            NO_DIGESTS_VERSION,
        )


def read_policy_folder(path: Path, training: TrainingGame) -> np.ndarray:
    """The float32 policy table of a blueprint or snapshot folder, for ``training``'s files.

    Raises a one-line ValueError when the folder is not a policy or was trained on other files.
    """
    arrays, manifest = read_arrays(path)
    if manifest.get("format") not in (BLUEPRINT_FORMAT, SNAPSHOT_FORMAT):
        raise ValueError(f"{path}: not a blueprint or snapshot (format {manifest.get('format')!r})")
    check_policy_arrays(path, arrays, manifest)
    training.check_same_files(manifest.get("files", {}), str(path))
    summed, rest = arrays["summed"], arrays["rest"]
    layout = training.game.layout
    if summed.shape[0] + rest.shape[0] != layout.size:
        raise ValueError(
            f"{path}: holds {summed.shape[0] + rest.shape[0]} entries, the tree needs {layout.size}"
        )
    policy = np.empty(layout.size, np.float32)
    policy[: summed.shape[0]] = summed
    if rest.shape[0]:
        policy[summed.shape[0] :] = expand_compact(
            training.game.tree, layout, np.asarray(rest), summed.shape[0]
        )
    return policy


def policy_game(path: Path) -> TrainingGame:
    """The game a blueprint or snapshot folder was trained on, from the files its manifest
    names (checked against their checksums)."""
    _, manifest = read_arrays(path)
    if manifest.get("format") not in (BLUEPRINT_FORMAT, SNAPSHOT_FORMAT):
        raise ValueError(f"{path}: not a blueprint or snapshot (format {manifest.get('format')!r})")
    files = manifest.get("files", {})
    buckets = files.get("buckets")
    training = load_training_game(
        Path(files.get("betting", "")),
        None if buckets == "lossless-preflop" else Path(buckets),
        n_players=manifest.get("n_players"),
    )
    training.check_same_files(files, str(path))
    return training
