"""``CardAbstraction``: one bucket table per street, indexed by the canonical hand index.

``table[street][hand_index(hole, board)]`` is the bucket of a hand, with the indices of
``holdem.cards.isomorphism`` (169 / 1,286,792 / 13,960,050 / 123,156,254 per street). Tables are
uint8 when a street has at most 256 buckets, else uint16, so a lookup inside a kernel is one
index computation and one array read (``bucket_of``). Buckets are numbered by increasing mean
equity against a random hand (bucket 0 is the weakest).

On disk (``holdem.storage.array_files``): arrays ``preflop``, ``flop``, ``turn``, ``river``,
``stats_<street>`` (per bucket: hands, mean and standard deviation of their expected equity)
and a JSON manifest with the format name and version, the preset and its full ``BucketSpec``,
bucket counts, feature descriptions, the seed, build timings and a SHA-256 checksum of the four
tables. A trainer records the checksum so a checkpoint can refuse another abstraction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit

from holdem.abstraction.bucket_presets import STREETS, BucketSpec
from holdem.cards.combos import COMBOS, blocked_combos
from holdem.cards.encoding import parse_cards
from holdem.cards.isomorphism import (
    N_BOARD_CARDS,
    N_INDICES,
    hand_index,
    index_batch,
    index_masks,
)
from holdem.storage.array_files import read_arrays, write_arrays

FORMAT = "holdem-card-abstraction"
FORMAT_VERSION = 1
STAT_COLUMNS = ("hands", "mean_equity", "std_equity")


@njit(cache=True, nogil=True, inline="always")
def bucket_of(table: np.ndarray, hole_mask: int, board_mask: int) -> int:
    """Bucket of a hand from its street's table and its suit-rank masks (``SUITED_BIT`` ORs).

    ``hole_mask`` has the two hole cards, ``board_mask`` the 0, 3, 4 or 5 board cards; pass the
    table of the street those board cards make.
    """
    return table[index_masks(hole_mask, board_mask)]


@njit(cache=True, nogil=True)
def buckets_of(
    table: np.ndarray, hole_masks: np.ndarray, board_masks: np.ndarray, out: np.ndarray
) -> None:
    """Buckets of several hands of one street into ``out`` (int64), like ``bucket_of`` each.

    Every index is computed before any table read, so the reads' cache misses overlap: on the
    123 MB river table this is about 3.5 times faster than one ``bucket_of`` after another
    (``benchmarks/bench_buckets.py``). Use it for all players' hands of a deal.
    """
    for i in range(hole_masks.shape[0]):
        out[i] = index_masks(hole_masks[i], board_masks[i])
    for i in range(hole_masks.shape[0]):
        out[i] = table[out[i]]


def table_dtype(k: int) -> np.dtype:
    """uint8 for up to 256 buckets, else uint16."""
    return np.dtype(np.uint8) if k <= 256 else np.dtype(np.uint16)


def tables_checksum(tables: dict[str, np.ndarray]) -> str:
    """``"sha256:<hex>"`` over each street's name, dtype, shape and bytes, in street order."""
    digest = hashlib.sha256()
    for street in STREETS:
        table = np.ascontiguousarray(tables[street])
        digest.update(f"{street}:{table.dtype.str}:{table.shape}\n".encode())
        step = 1 << 26
        flat = table.reshape(-1).view(np.uint8)
        for start in range(0, flat.size, step):
            digest.update(flat[start : start + step].data)
    return f"sha256:{digest.hexdigest()}"


@dataclass(frozen=True)
class CardAbstraction:
    """Bucket tables per street plus the manifest that says how they were built."""

    tables: dict[str, np.ndarray]
    manifest: dict[str, Any]
    stats: dict[str, np.ndarray] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def from_tables(
        cls,
        tables: dict[str, np.ndarray],
        spec: BucketSpec,
        stats: dict[str, np.ndarray],
        features: dict[str, str],
        build: dict[str, Any],
    ) -> CardAbstraction:
        """Wrap freshly built tables: checks them and writes the manifest with the checksum."""
        counts = spec.counts()
        for street, k in counts.items():
            _check_table(Path("<built>"), street, tables.get(street), k, verify=True)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "preset": spec.preset,
            "spec": spec.to_dict(),
            "counts": counts,
            "seed": spec.seed,
            "features": features,
            "indices": dict(zip(STREETS, N_INDICES, strict=True)),
            "tables": {s: str(tables[s].dtype) for s in STREETS},
            "stat_columns": list(STAT_COLUMNS),
            "checksum": tables_checksum(tables),
            "build": build,
        }
        return cls(dict(tables), manifest, dict(stats))

    @property
    def counts(self) -> dict[str, int]:
        """Buckets per street."""
        return dict(self.manifest["counts"])

    @property
    def checksum(self) -> str:
        """SHA-256 of the tables, as recorded in the manifest."""
        return str(self.manifest["checksum"])

    @property
    def spec(self) -> BucketSpec:
        """The recipe the tables were built from."""
        return BucketSpec.from_dict(self.manifest["spec"])

    def bucket(self, hole: str | list[int], board: str | list[int] = "") -> int:
        """Bucket of one hand given as text (``"AsKd"``, ``"Qh Jh 2c"``) or card integers."""
        board_cards = parse_cards(board) if isinstance(board, str) else [int(c) for c in board]
        index = hand_index(hole, board_cards)
        return int(self.tables[STREETS[N_BOARD_CARDS.index(len(board_cards))]][index])

    def buckets(self, hands: np.ndarray) -> np.ndarray:
        """Buckets of many hands of one street: (n, 2 + board) cards, hole cards first."""
        hands = np.asarray(hands)
        if hands.ndim != 2 or hands.shape[1] not in (2, 5, 6, 7):
            raise ValueError(f"hands must have shape (n, 2|5|6|7), got {hands.shape}")
        street = {2: 0, 5: 1, 6: 2, 7: 3}[hands.shape[1]]
        return self.tables[STREETS[street]][index_batch(hands)]

    def bucket_hands(self, board: list[int], bucket: int) -> np.ndarray:
        """The hole-card combinations (indices of `holdem.cards.combos.COMBOS`, ascending) in
        ``bucket`` on ``board`` (0, 3, 4 or 5 cards: the street). A bucket of a later street
        groups hands over every board; this lists the ones it holds on this board. Cost: the
        buckets of the up to 1,326 combinations (one table read each)."""
        live = np.flatnonzero(~blocked_combos(board))
        hands = np.empty((live.size, 2 + len(board)), np.int64)
        hands[:, :2] = COMBOS[live]
        hands[:, 2:] = np.asarray(board, np.int64)
        return np.asarray(live[self.buckets(hands) == bucket])

    def quality(self) -> dict[str, dict[str, float]]:
        """Per street: bucket sizes and the spread of equity inside buckets (lower is better).

        Sizes count canonical hands. ``within_std`` is the standard deviation of expected equity
        (against a random hand) inside a bucket, averaged over buckets weighted by their hands;
        ``overall_std`` is the same spread with every hand in one bucket, for scale. Equity
        spreads need the build's statistics; without them only sizes are given.
        """
        out: dict[str, dict[str, float]] = {}
        for street in STREETS:
            k = self.counts[street]
            stats = self.stats.get(street)
            if stats is not None and stats.shape == (k, len(STAT_COLUMNS)):
                sizes = stats[:, 0]
            else:
                stats = None
                sizes = np.bincount(self.tables[street], minlength=k).astype(np.float64)
            used = sizes > 0
            row = {
                "buckets": float(k),
                "empty": float(k - used.sum()),
                "hands": float(sizes.sum()),
                "min_hands": float(sizes[used].min()),
                "median_hands": float(np.median(sizes[used])),
                "max_hands": float(sizes.max()),
            }
            if stats is not None:
                n = sizes[used]
                mean = stats[used, 1]
                std = stats[used, 2]
                grand = float((n * mean).sum() / n.sum())
                total_var = float((n * (std**2 + (mean - grand) ** 2)).sum() / n.sum())
                row["within_std"] = float((n * std).sum() / n.sum())
                row["overall_std"] = total_var**0.5
            out[street] = row
        return out

    def save(self, path: str | Path) -> Path:
        """Write atomically to ``path`` (``.npz`` file, or a folder for any other name)."""
        arrays = {street: self.tables[street] for street in STREETS}
        arrays.update({f"stats_{street}": s for street, s in self.stats.items()})
        return write_arrays(path, arrays, self.manifest)

    @classmethod
    def load(cls, path: str | Path, verify: bool = True) -> CardAbstraction:
        """Open a saved abstraction, tables memory-mapped.

        Checks the format, version, table shapes and dtypes always; with ``verify`` also the
        checksum and that no bucket exceeds its street's count (this reads every table once).
        A wrong, truncated or foreign file raises a one-line ValueError naming the file.
        """
        path = Path(path)
        arrays, manifest = read_arrays(path)
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{path}: not a card abstraction (format {manifest.get('format')!r})")
        version = manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise ValueError(
                f"{path}: card abstraction format version {version!r} is not supported "
                f"(this holdem reads version {FORMAT_VERSION}): rebuild it with "
                "holdem buckets build"
            )
        counts = manifest.get("counts")
        if not isinstance(counts, dict) or set(counts) != set(STREETS):
            raise ValueError(f"{path}: the manifest has no bucket count for every street")
        for street in STREETS:
            _check_table(path, street, arrays.get(street), counts[street], verify)
        tables = {street: arrays[street] for street in STREETS}
        if verify:
            found = tables_checksum(tables)
            if found != manifest.get("checksum"):
                raise ValueError(
                    f"{path}: checksum mismatch (manifest {manifest.get('checksum')}, tables "
                    f"{found}): the file is damaged or was changed"
                )
        stats = {s: arrays[f"stats_{s}"] for s in STREETS if f"stats_{s}" in arrays}
        return cls(tables, manifest, stats, path)


def _check_table(path: Path, street: str, table: Any, k: Any, verify: bool) -> None:
    street_number = STREETS.index(street)
    if not isinstance(k, int) or not 1 <= k <= 65535:
        raise ValueError(f"{path}: bucket count of the {street} is {k!r}, not in 1..65535")
    if table is None:
        raise ValueError(f"{path}: no {street} table")
    expected = (N_INDICES[street_number],)
    if table.shape != expected:
        raise ValueError(f"{path}: the {street} table has shape {table.shape}, expected {expected}")
    if table.dtype != table_dtype(k):
        raise ValueError(
            f"{path}: the {street} table has dtype {table.dtype}, expected {table_dtype(k)} "
            f"for {k} buckets"
        )
    if verify and int(table.max()) >= k:
        raise ValueError(f"{path}: the {street} table holds bucket {int(table.max())} >= {k}")
