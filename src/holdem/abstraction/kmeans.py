"""k-means in Numba: k-means++ seeding, Lloyd iterations, threaded assignment; L2 or L1/EMD.

Seeding follows David Arthur and Sergei Vassilvitskii, *k-means++: The Advantages of Careful
Seeding*, SODA 2007 (http://ilpubs.stanford.edu:8090/778/1/2006-13.pdf): each next center is a
point drawn with probability proportional to its weight times its squared distance to the
nearest center chosen so far. We use greedy k-means++, as scikit-learn does: ``2 + ln k``
candidates per step, keeping the one that lowers the total potential most, because plain
k-means++ can put two seeds in one tight cluster and Lloyd's iterations cannot undo that (a
test here found it). The iterations are Lloyd's (Stuart Lloyd, *Least squares quantization in
PCM*, IEEE Transactions on Information Theory, 1982, https://doi.org/10.1109/TIT.1982.1056489):
assign every point to its nearest center, then move each center to the weighted mean of its
points.

Two metrics: ``"l2"`` (squared Euclidean) and ``"l1"``. For one-dimensional histograms over
ordered bins of equal width, the earth mover's distance is the L1 distance between cumulative
sums, so clustering the cumulative sums under ``"l1"`` is k-means under EMD, the potential-aware
abstraction of Sam Ganzfried and Tuomas Sandholm, *Potential-Aware Imperfect-Recall Abstraction
with Earth Mover's Distance in Imperfect-Information Games*, AAAI 2014
(https://www.cs.cmu.edu/~sandholm/potential-aware_imperfect-recall.aaai14.pdf). As in that
paper, centers are means of the assigned points (the mean of cumulative sums is the cumulative
sum of the mean histogram, so a center is again a distribution). With the mean update under L1
the objective need not fall at every step, so iterations stop when no label changes, when the
share of changed labels drops to ``tol``, or after ``max_iter``.

Determinism: every random draw comes from ``numpy.random.Generator(seed)`` in Python and is
passed into the kernels; per-point work in blocks run by threads (`holdem.parallel`) is
independent of the thread count, and sums run over fixed blocks merged in order. So a seed
gives one result on any number of threads. Points are rows of a C-contiguous 2-D array of any
numeric dtype (uint8 cumulative counts keep the Hold'em turn features at a quarter of float32
memory); centers are float32.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit

from holdem.parallel import map_blocks

METRICS = {"l2": 0, "l1": 1}
_L2 = 0
_N_CHUNKS = 16  # fixed, so sums merge in the same order on any thread count
_BLOCK = 4096  # points per thread task of the assignment and the seeding

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class KMeansResult:
    """A fitted clustering: ``centers`` (k, d) float32, ``labels`` (n,) int32 of the fit data."""

    centers: np.ndarray
    labels: np.ndarray
    inertia: float
    iterations: int
    converged: bool


@njit(cache=True, nogil=True, fastmath=True)
def _assign_rows(
    points: np.ndarray,
    centers_t: np.ndarray,
    metric: int,
    labels: np.ndarray,
    distances: np.ndarray,
) -> int:
    """Nearest center of every point into ``labels`` and ``distances``; returns labels changed.

    ``centers_t`` is the (d, k) transpose of the centers: the innermost loop then runs over
    the centers with no reduction, which vectorises (several times faster than row by row).
    Ties go to the lowest center index.
    """
    n = points.shape[0]
    d = points.shape[1]
    k = centers_t.shape[1]
    changed = 0
    acc = np.empty(k, np.float32)
    for i in range(n):
        acc[:] = 0.0
        for j in range(d):
            x = np.float32(points[i, j])
            if metric == _L2:
                for c in range(k):
                    t = x - centers_t[j, c]
                    acc[c] += t * t
            else:
                for c in range(k):
                    acc[c] += abs(x - centers_t[j, c])
        best = np.inf
        arg = 0
        for c in range(k):
            if acc[c] < best:
                best = acc[c]
                arg = c
        if labels[i] != arg:
            changed += 1
            labels[i] = arg
        distances[i] = best
    return changed


def _assign(
    points: np.ndarray,
    centers_t: np.ndarray,
    metric: int,
    labels: np.ndarray,
    distances: np.ndarray,
) -> int:
    """`_assign_rows` over blocks of ``_BLOCK`` points on Numba's thread count.

    Each block goes in as float32 (the kernel converts every coordinate to float32 anyway), so
    the kernel compiles once, not once more per dtype of the points.
    """
    changed = map_blocks(
        lambda lo, hi: _assign_rows(
            np.asarray(points[lo:hi], np.float32),
            centers_t,
            metric,
            labels[lo:hi],
            distances[lo:hi],
        ),
        points.shape[0],
        _BLOCK,
    )
    return int(sum(changed))


@njit(cache=True, nogil=True, fastmath=True)
def _trial_block(
    points_t: np.ndarray,
    weights: np.ndarray,
    trials: np.ndarray,
    metric: int,
    nearest: np.ndarray,
    out: np.ndarray,
    lo: int,
    hi: int,
) -> np.ndarray:
    """`_trial_nearest` on the points ``lo .. hi - 1``: fills their columns of ``out`` and
    returns the (t,) potentials of that block."""
    d = points_t.shape[0]
    t = trials.shape[0]
    partial = np.zeros(t, np.float64)
    acc = np.empty(hi - lo, np.float32)
    for c in range(t):
        acc[:] = 0.0
        for j in range(d):
            y = trials[c, j]
            row = points_t[j, lo:hi]
            if metric == _L2:
                for i in range(hi - lo):
                    z = np.float32(row[i]) - y
                    acc[i] += z * z
            else:
                for i in range(hi - lo):
                    acc[i] += abs(np.float32(row[i]) - y)
        total = 0.0
        for i in range(hi - lo):
            v = min(nearest[lo + i], acc[i])
            out[c, lo + i] = v
            vv = np.float64(v)
            total += weights[lo + i] * (vv if metric == _L2 else vv * vv)
        partial[c] = total
    return partial


def _trial_nearest(
    points_t: np.ndarray,
    weights: np.ndarray,
    trials: np.ndarray,
    metric: int,
    nearest: np.ndarray,
    out: np.ndarray,
) -> np.ndarray:
    """Nearest-center distances if each trial center were added, and each trial's potential.

    ``points_t`` is the (d, n) transpose of the points, so the innermost loop runs along
    points and vectorises. ``trials`` is (t, d); ``out`` (t, n) receives
    ``min(nearest, distance to trial)``. Returns (t,) potentials: the sum of weight times
    ``out`` (squared L2) or ``out ** 2`` (L1), summed over fixed blocks merged in order.
    """
    partials = map_blocks(
        lambda lo, hi: _trial_block(points_t, weights, trials, metric, nearest, out, lo, hi),
        points_t.shape[1],
        _BLOCK,
    )
    potential = np.zeros(trials.shape[0], np.float64)
    for partial in partials:
        potential += partial
    return potential


def _draw(cumulative: np.ndarray, u: float) -> int:
    """First index whose cumulative weight exceeds ``u * total`` (a weighted draw)."""
    i = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return min(i, cumulative.shape[0] - 1)


def _seed(
    points: np.ndarray, weights: np.ndarray, k: int, metric: int, uniforms: np.ndarray
) -> np.ndarray:
    """Greedy k-means++: indices of ``k`` seed points.

    ``uniforms`` is (k, t) in [0, 1). The first center is drawn by weight with
    ``uniforms[0, 0]``; each later step draws ``t`` candidates by weight times squared distance
    and keeps the one whose addition leaves the smallest potential (first on ties). Python
    around the threaded `_trial_nearest`: the work is there, ``k`` steps of bookkeeping are not.
    """
    n = points.shape[0]
    t = uniforms.shape[1]
    points_t = np.ascontiguousarray(points.T)
    chosen = np.empty(k, np.int64)
    chosen[0] = _draw(np.cumsum(weights), uniforms[0, 0])
    out = np.empty((t, n), np.float32)
    nearest = np.full(n, np.inf, np.float32)
    _trial_nearest(
        points_t, weights, points[chosen[:1]].astype(np.float32), metric, nearest, out[:1]
    )
    nearest[:] = out[0]
    for c in range(1, k):
        x = nearest.astype(np.float64)
        cumulative = np.cumsum(weights * (x if metric == _L2 else x * x))
        if cumulative[-1] <= 0:
            # every point sits on a center: fewer distinct points than k; the extra clusters
            # stay empty and are refilled, if possible, by the update step
            chosen[c] = chosen[c - 1]
            continue
        picks = np.array([_draw(cumulative, u) for u in uniforms[c]], np.int64)
        potential = _trial_nearest(
            points_t, weights, points[picks].astype(np.float32), metric, nearest, out
        )
        best = int(np.argmin(potential))
        chosen[c] = picks[best]
        nearest[:] = out[best]
    return chosen


@njit(cache=True, nogil=True)
def _chunk_sum(
    points: np.ndarray, weights: np.ndarray, labels: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sums (k, d) and masses (k,) of each label's points in one chunk of rows."""
    d = points.shape[1]
    sums = np.zeros((k, d), np.float64)
    mass = np.zeros(k, np.float64)
    for i in range(points.shape[0]):
        c = labels[i]
        w = weights[i]
        mass[c] += w
        for j in range(d):
            sums[c, j] += w * np.float64(points[i, j])
    return sums, mass


def _chunk_sums(
    points: np.ndarray, weights: np.ndarray, labels: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sums of each label's points over ``_N_CHUNKS`` fixed chunks, merged in order."""
    n = points.shape[0]
    parts = map_blocks(
        lambda lo, hi: _chunk_sum(points[lo:hi], weights[lo:hi], labels[lo:hi], k),
        n,
        max(1, -(-n // _N_CHUNKS)),
    )
    total = np.zeros((k, points.shape[1]), np.float64)
    total_mass = np.zeros(k, np.float64)
    for sums, mass in parts:
        total += sums
        total_mass += mass
    return total, total_mass


def _check(points: np.ndarray, k: int, metric: str) -> np.ndarray:
    points = np.asarray(points)
    if points.ndim != 2 or points.shape[0] == 0 or points.shape[1] == 0:
        raise ValueError(f"points must be a non-empty 2-D array (n, d), got shape {points.shape}")
    if not np.issubdtype(points.dtype, np.number):
        raise ValueError(f"points must be numeric, got dtype {points.dtype}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {sorted(METRICS)}, got {metric!r}")
    if not 1 <= k <= points.shape[0]:
        raise ValueError(f"k must lie in 1..{points.shape[0]} (the number of points), got {k}")
    return np.ascontiguousarray(points)


def _weights(weights: np.ndarray | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n, np.float64)
    w = np.asarray(weights, np.float64)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(
            f"weights must be {n} finite non-negative numbers with a positive sum, got {w.shape}"
        )
    return w


def n_trials(k: int) -> int:
    """Candidates per greedy k-means++ step: 2 + floor(ln k)."""
    return 2 + int(np.log(k))


def kmeans_plus_plus(
    points: np.ndarray,
    k: int,
    metric: str = "l1",
    seed: int = 0,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Greedy k-means++ seed centers (k, d) float32, drawn with ``Generator(seed)``."""
    points = _check(points, k, metric)
    w = _weights(weights, points.shape[0])
    uniforms = np.random.default_rng(seed).random((k, n_trials(k)))
    chosen = _seed(points, w, k, METRICS[metric], uniforms)
    return points[chosen].astype(np.float32)


def kmeans_fit(
    points: np.ndarray,
    k: int,
    metric: str = "l1",
    seed: int = 0,
    max_iter: int = 100,
    tol: float = 0.0,
    weights: np.ndarray | None = None,
    progress: ProgressFn | None = None,
) -> KMeansResult:
    """Cluster the rows of ``points`` into ``k`` clusters (k-means++ then Lloyd).

    ``weights`` (n,) scale each point's pull (default 1). Stops when the share of points whose
    label changed is at most ``tol`` (0: none changed) or after ``max_iter`` iterations.
    ``progress(done, max_iter)`` is called after each iteration. An empty cluster takes the
    point farthest from its center, so no center is lost while points remain to take.
    """
    points = _check(points, k, metric)
    if max_iter < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter}")
    if not 0.0 <= tol < 1.0:
        raise ValueError(f"tol must lie in [0, 1), got {tol}")
    n = points.shape[0]
    w = _weights(weights, n)
    code = METRICS[metric]
    centers = kmeans_plus_plus(points, k, metric, seed, w)
    labels = np.full(n, -1, np.int32)
    distances = np.empty(n, np.float32)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):
        changed = _assign(points, np.ascontiguousarray(centers.T), code, labels, distances)
        if progress is not None:
            progress(iterations, max_iter)
        if changed <= tol * n and iterations > 1:
            converged = True
            break
        sums, mass = _chunk_sums(points, w, labels, k)
        filled = mass > 0
        centers = centers.copy()
        centers[filled] = (sums[filled] / mass[filled, None]).astype(np.float32)
        empty = np.flatnonzero(~filled)
        if empty.size:
            far = np.argsort(-(distances * (w > 0)), kind="stable")[: empty.size]
            centers[empty[: far.size]] = points[far].astype(np.float32)
    inertia = float(np.dot(w, distances.astype(np.float64)))
    return KMeansResult(centers, labels, inertia, iterations, converged)


def kmeans_assign(
    points: np.ndarray,
    centers: np.ndarray,
    metric: str = "l1",
    chunk: int = 1 << 20,
    progress: ProgressFn | None = None,
) -> np.ndarray:
    """Label (int32) of the nearest center for every row of ``points``, ``chunk`` rows a call.

    ``progress(done_rows, total_rows)`` runs after each chunk. Works on memory-mapped points.
    """
    centers = np.ascontiguousarray(centers, np.float32)
    if centers.ndim != 2 or centers.shape[0] == 0:
        raise ValueError(f"centers must be a non-empty 2-D array, got shape {centers.shape}")
    points = _check(points, 1, metric)
    if points.shape[1] != centers.shape[1]:
        raise ValueError(
            f"points have {points.shape[1]} columns but centers have {centers.shape[1]}"
        )
    n = points.shape[0]
    labels = np.full(n, -1, np.int32)
    distances = np.empty(min(chunk, n), np.float32)
    centers_t = np.ascontiguousarray(centers.T)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        block = np.ascontiguousarray(points[start:stop])
        _assign(block, centers_t, METRICS[metric], labels[start:stop], distances[: stop - start])
        if progress is not None:
            progress(stop, n)
    return labels


def emd_1d(a: np.ndarray, b: np.ndarray) -> float:
    """Earth mover's distance between two histograms over the same equal-width ordered bins.

    Both are normalised to mass 1 first; the result is in bin widths (divide by the number of
    bins for a distance on [0, 1]). It is the L1 distance between the cumulative sums.
    """
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"histograms must be 1-D of one length, got {a.shape} and {b.shape}")
    return float(np.abs(np.cumsum(a / a.sum()) - np.cumsum(b / b.sum())).sum())
