"""``build_buckets``: from a ``BucketSpec`` to a ``CardAbstraction``, street by street.

1. river equity: exact equity against a random hand of all 123,156,254 canonical river hands
   (``river_equity``); every other street's features are read from it;
2. turn: per hand, the histogram of river equity over the 46 river cards (``features``); k-means
   under EMD fitted on a sample, then every hand assigned;
3. flop: histograms of turn expected equity over the 47 turn cards (or of final equity over the
   1,081 runouts); same clustering;
4. preflop: lossless (bucket = canonical index) at 169 buckets, else k-means under EMD on
   histograms of flop expected equity over the 19,600 flops;
5. river buckets: 1-D k-means on the equity, whose 1,981 possible values are clustered with
   their hand counts as weights (exactly k-means over every hand); or, with ``ochs``, k-means
   on equity against clusters of opponent preflop hands (``ochs``; the clusters come from the
   preflop features, hence last).

Every street's buckets are then renumbered by increasing mean equity (preflop only when
clustered), and per-bucket statistics of expected equity are kept as a quality figure.
Memory at Pluribus scale (measured peak 2.1 GB): river equity 246 MB, river table 123 MB, turn
features 13,960,050 x (n_bins - 1) bytes (684 MB at 50 bins), the k-means sample as float32
(392 MB at 2 million hands) with a transposed copy while seeding, and a few arrays of 4 bytes
per turn hand.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

import numba
import numpy as np
from numba import njit

from holdem.abstraction.bucket_presets import STREETS, BucketSpec
from holdem.abstraction.buckets import CardAbstraction, table_dtype
from holdem.abstraction.features import n_outcomes, outcome_histograms
from holdem.abstraction.kmeans import kmeans_assign, kmeans_fit
from holdem.abstraction.ochs import ochs_features, ochs_river_table, pair_clusters
from holdem.abstraction.river_equity import EQUITY_SCALE, river_equity_table
from holdem.cards.boards import N_HOLE_PAIRS, canonical_boards
from holdem.cards.isomorphism import N_INDICES
from holdem.parallel import map_blocks

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each stage advances."""

_N_CHUNKS = 64
_FLOAT_FIT_BYTES = 1 << 30  # fit on a float32 copy when it takes at most this much


@njit(cache=True, nogil=True)
def _chunk_moments(labels: np.ndarray, values: np.ndarray, scale: float, k: int) -> np.ndarray:
    """Per label: (count, sum, sum of squares) of ``values / scale`` over one chunk of rows."""
    partial = np.zeros((k, 3), np.float64)
    for i in range(labels.shape[0]):
        v = np.float64(values[i]) / scale
        c = labels[i]
        partial[c, 0] += 1.0
        partial[c, 1] += v
        partial[c, 2] += v * v
    return partial


def _moments(labels: np.ndarray, values: np.ndarray, scale: float, k: int) -> np.ndarray:
    """`_chunk_moments` over ``_N_CHUNKS`` fixed chunks run by threads, merged in order."""
    n = labels.shape[0]
    parts = map_blocks(
        lambda lo, hi: _chunk_moments(labels[lo:hi], values[lo:hi], scale, k),
        n,
        max(1, -(-n // _N_CHUNKS)),
    )
    total = np.zeros((k, 3), np.float64)
    for part in parts:
        total += part
    return total


def bucket_statistics(moments: np.ndarray) -> np.ndarray:
    """(k, 3) hands, mean and standard deviation of equity per bucket from ``_moments`` sums."""
    count = moments[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, moments[:, 1] / count, np.nan)
        var = np.where(count > 0, moments[:, 2] / count - mean**2, np.nan)
    return np.stack([count, mean, np.sqrt(np.maximum(var, 0.0))], axis=1)


def _renumber(stats: np.ndarray) -> np.ndarray:
    """``new[old]``: buckets ordered by mean equity, empty buckets last, ties by old number."""
    mean = np.where(np.isnan(stats[:, 1]), np.inf, stats[:, 1])
    order = np.lexsort((np.arange(stats.shape[0]), mean))
    new = np.empty(stats.shape[0], np.int64)
    new[order] = np.arange(stats.shape[0])
    return new


class _Stages:
    """Times the stages and forwards progress."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    def reporter(self, stage: str) -> Callable[[int, int], None]:
        """``report(done, total)`` for one stage."""

        def report(done: int, total: int) -> None:
            if self.progress is not None:
                self.progress(stage, done, total)

        return report

    def run(self, stage: str, total: int, work: Callable[..., Any]) -> Any:
        """``work(progress=...)`` timed as ``stage`` of ``total`` steps."""
        report = self.reporter(stage)
        report(0, total)
        start = time.perf_counter()
        result = work(progress=report)
        self.seconds[stage] = round(time.perf_counter() - start, 3)
        report(total, total)
        return result


def _cluster(
    stages: _Stages,
    street: str,
    points: np.ndarray,
    k: int,
    n_outcomes: int,
    spec: BucketSpec,
    fit_info: dict[str, Any],
) -> np.ndarray:
    """Labels (int32) of every row of ``points``: k-means (L1 = EMD on cumulative counts).

    ``fit_info[street]`` records the fit, with the mean EMD of a fitted hand to its center in
    units of equity (L1 of cumulative counts / outcomes / bins).
    """
    n = points.shape[0]
    rng = np.random.default_rng([spec.seed, STREETS.index(street)])
    size = n if spec.sample_size == 0 else min(n, spec.sample_size)
    sample = np.sort(rng.choice(n, size, replace=False)) if size < n else None
    fit_points = points if sample is None else points[sample]
    if fit_points.size * 4 <= _FLOAT_FIT_BYTES:
        # the fit kernels then compile once (float32) for every street and feature dtype
        fit_points = fit_points.astype(np.float32)
    result = stages.run(
        f"{street} k-means",
        spec.max_iter,
        partial(
            kmeans_fit,
            fit_points,
            k,
            "l1",
            seed=int(rng.integers(2**63)),
            max_iter=spec.max_iter,
            tol=spec.tol,
        ),
    )
    fit_info[street] = {
        "fit_hands": int(size),
        "iterations": result.iterations,
        "converged": result.converged,
        "mean_emd": result.inertia / size / n_outcomes / spec.n_bins,
    }
    if sample is None:
        return result.labels
    return stages.run(
        f"{street} assign",
        n,
        partial(kmeans_assign, points, result.centers, "l1"),
    )


def _finish_street(
    labels: np.ndarray, equity: np.ndarray, k: int, renumber: bool = True, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """(table, stats) of one street from cluster labels and each hand's ``equity * scale``."""
    stats = bucket_statistics(_moments(labels, equity, scale, k))
    if not renumber:
        return labels.astype(table_dtype(k)), stats
    new = _renumber(stats)
    order = np.argsort(new)
    return new.astype(table_dtype(k))[labels], stats[order]


def _river_by_equity(
    stages: _Stages, spec: BucketSpec, river_eq: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """River table and statistics from 1-D k-means on equity against a random hand."""
    counts = np.bincount(river_eq, minlength=EQUITY_SCALE + 1)
    values = np.flatnonzero(counts)
    if spec.k_river > values.size:
        raise ValueError(
            f"k_river {spec.k_river} exceeds the {values.size} distinct river equities"
        )
    points = (values / EQUITY_SCALE).astype(np.float32)[:, None]
    fit = stages.run(
        "river k-means",
        spec.max_iter,
        partial(
            kmeans_fit,
            points,
            spec.k_river,
            "l2",
            seed=spec.seed,
            max_iter=spec.max_iter,
            tol=0.0,
            weights=counts[values],
        ),
    )
    equity = np.arange(EQUITY_SCALE + 1, dtype=np.float64) / EQUITY_SCALE
    label_of_value = kmeans_assign(equity.astype(np.float32)[:, None], fit.centers, "l2")
    moments = np.zeros((spec.k_river, 3))
    np.add.at(moments[:, 0], label_of_value, counts)
    np.add.at(moments[:, 1], label_of_value, counts * equity)
    np.add.at(moments[:, 2], label_of_value, counts * equity**2)
    stats = bucket_statistics(moments)
    new = _renumber(stats)
    table = new.astype(table_dtype(spec.k_river))[label_of_value][river_eq]
    return table, stats[np.argsort(new)]


def _river_by_ochs(
    stages: _Stages,
    spec: BucketSpec,
    boards: np.ndarray,
    river_eq: np.ndarray,
    pre_cdf: np.ndarray,
    fit_info: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray]:
    """River table and statistics from L2 k-means on OCHS features (``ochs``)."""
    m = spec.ochs_clusters
    pre_fit = kmeans_fit(pre_cdf.astype(np.float32), m, "l1", seed=spec.seed, max_iter=100)
    cluster = pair_clusters(pre_fit.labels)
    rng = np.random.default_rng([spec.seed, STREETS.index("river")])
    n_boards = min(boards.shape[0], -(-spec.sample_size // N_HOLE_PAIRS))
    sample = boards[np.sort(rng.choice(boards.shape[0], n_boards, replace=False))]
    points = stages.run("river OCHS sample", 1, lambda progress: ochs_features(sample, cluster, m))
    if spec.k_river > points.shape[0]:
        raise ValueError(f"k_river {spec.k_river} exceeds the {points.shape[0]} sampled hands")
    fit = stages.run(
        "river k-means",
        spec.max_iter,
        partial(
            kmeans_fit,
            points,
            spec.k_river,
            "l2",
            seed=int(rng.integers(2**63)),
            max_iter=spec.max_iter,
            tol=spec.tol,
        ),
    )
    fit_info["river"] = {
        "fit_hands": int(points.shape[0]),
        "iterations": fit.iterations,
        "converged": fit.converged,
        "opponent_clusters": pre_fit.labels.tolist(),
    }
    del points
    table = np.zeros(N_INDICES[3], table_dtype(spec.k_river))
    stages.run(
        "river assign",
        boards.shape[0],
        partial(ochs_river_table, boards, cluster, fit.centers, table),
    )
    return _finish_street(table, river_eq, spec.k_river, scale=float(EQUITY_SCALE))


def build_buckets(spec: BucketSpec, progress: Progress | None = None) -> CardAbstraction:
    """Build every street's bucket table for ``spec`` (see the module docstring)."""
    start = time.perf_counter()
    stages = _Stages(progress)
    tables: dict[str, np.ndarray] = {}
    stats: dict[str, np.ndarray] = {}
    fit_info: dict[str, Any] = {}
    bins = spec.n_bins

    boards = canonical_boards(5)
    river_eq = stages.run("river equity", boards.shape[0], partial(river_equity_table, boards))

    turn_cdf, turn_mean = stages.run(
        "turn features",
        N_INDICES[2],
        partial(outcome_histograms, 2, 1, river_eq, EQUITY_SCALE, bins),
    )
    labels = _cluster(stages, "turn", turn_cdf, spec.k_turn, 46, spec, fit_info)
    del turn_cdf
    tables["turn"], stats["turn"] = _finish_street(labels, turn_mean, spec.k_turn)
    del labels

    if spec.flop_feature == "turn-equity":
        source, n_add, scale = turn_mean, 1, 1.0
    else:
        source, n_add, scale = river_eq, 2, float(EQUITY_SCALE)
    flop_cdf, flop_mean = stages.run(
        "flop features",
        N_INDICES[1],
        partial(outcome_histograms, 1, n_add, source, scale, bins),
    )
    del turn_mean, source
    labels = _cluster(stages, "flop", flop_cdf, spec.k_flop, n_outcomes(1, n_add), spec, fit_info)
    tables["flop"], stats["flop"] = _finish_street(labels, flop_mean, spec.k_flop)

    pre_cdf, pre_mean = stages.run(
        "preflop features",
        N_INDICES[0],
        partial(outcome_histograms, 0, 3, flop_mean, 1.0, bins),
    )
    if spec.k_preflop == N_INDICES[0]:
        labels = np.arange(N_INDICES[0], dtype=np.int32)
        tables["preflop"], stats["preflop"] = _finish_street(
            labels, pre_mean, spec.k_preflop, renumber=False
        )
    else:
        labels = _cluster(
            stages, "preflop", pre_cdf, spec.k_preflop, n_outcomes(0, 3), spec, fit_info
        )
        tables["preflop"], stats["preflop"] = _finish_street(labels, pre_mean, spec.k_preflop)

    if spec.river_feature == "equity":
        tables["river"], stats["river"] = _river_by_equity(stages, spec, river_eq)
    else:
        tables["river"], stats["river"] = _river_by_ochs(
            stages, spec, boards, river_eq, pre_cdf, fit_info
        )

    build = {
        "seconds": round(time.perf_counter() - start, 3),
        "stage_seconds": stages.seconds,
        "fit": fit_info,
        "threads": numba.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return CardAbstraction.from_tables(tables, spec, stats, feature_descriptions(spec), build)


def feature_descriptions(spec: BucketSpec) -> dict[str, str]:
    """What each street was clustered on, in words, for the manifest."""
    hist = f"k-means under EMD on {spec.n_bins}-bin histograms of"
    if spec.flop_feature == "turn-equity":
        flop = f"{hist} turn expected equity over the 47 turn cards"
    else:
        flop = f"{hist} final equity over the 1,081 turn and river runouts"
    preflop = (
        "lossless: bucket = canonical preflop index"
        if spec.k_preflop == N_INDICES[0]
        else f"{hist} flop expected equity over the 19,600 flops"
    )
    if spec.river_feature == "equity":
        river = "1-D k-means on exact equity against a uniformly random hand"
    else:
        river = (
            f"k-means (L2) on OCHS: exact equity against each of {spec.ochs_clusters} clusters "
            "of opponent preflop hands"
        )
    return {
        "preflop": preflop,
        "flop": flop,
        "turn": f"{hist} river equity over the 46 river cards",
        "river": river,
        "equity": "against one uniformly random opponent hand, exact enumeration",
    }
