"""k-means and EMD: known clusterings, determinism, and every kernel against a slow version."""

import itertools

import numba
import numpy as np
import pytest

from holdem.abstraction.kmeans import (
    METRICS,
    _assign,
    _chunk_sums,
    _seed,
    emd_1d,
    kmeans_assign,
    kmeans_fit,
    kmeans_plus_plus,
    n_trials,
)


def _blobs(rng, centers, per, spread):
    points = np.concatenate([c + rng.normal(size=(per, len(c))) * spread for c in centers])
    truth = np.repeat(np.arange(len(centers)), per)
    order = rng.permutation(len(points))
    return points[order], truth[order]


def _same_partition(labels, truth):
    pairs = set(zip(labels.tolist(), truth.tolist(), strict=True))
    return len(pairs) == len(set(labels.tolist())) == len(set(truth.tolist()))


@pytest.mark.parametrize("metric", ["l2", "l1"])
def test_recovers_well_separated_clusters_exactly(metric):
    rng = np.random.default_rng(7)
    centers = rng.uniform(-100, 100, size=(6, 4))
    points, truth = _blobs(rng, centers, 200, 0.5)
    result = kmeans_fit(points.astype(np.float32), 6, metric, seed=3)
    assert result.converged
    assert _same_partition(result.labels, truth)
    found = {tuple(np.round(c)) for c in result.centers}
    assert found == {tuple(np.round(points[truth == t].mean(axis=0))) for t in range(6)}


def test_recovers_clusters_of_histograms_under_emd():
    # three families of 46-outcome equity histograms (weak, drawing, strong); members differ
    # from their family's shape by moving up to 3 outcomes one bin, an EMD of at most 3 counts,
    # while the families lie over 60 counts apart
    rng = np.random.default_rng(0)
    shapes = [[32, 10, 4, 0, 0], [22, 1, 0, 1, 22], [0, 0, 4, 10, 32]]
    rows, truth = [], []
    for t, shape in enumerate(shapes):
        for _ in range(100):
            hist = np.array(shape)
            for _ in range(3):
                src = rng.choice(np.flatnonzero(hist))
                dst = src + rng.choice([-1, 1])
                if 0 <= dst < len(hist):
                    hist[src] -= 1
                    hist[dst] += 1
            rows.append(np.cumsum(hist)[:-1])
            truth.append(t)
    points = np.array(rows, np.uint8)
    for seed in range(5):
        result = kmeans_fit(points, 3, "l1", seed=seed)
        assert _same_partition(result.labels, np.array(truth))


@pytest.mark.parametrize("metric", ["l2", "l1"])
def test_same_seed_same_result_and_seeds_differ(metric):
    rng = np.random.default_rng(1)
    points = rng.integers(0, 47, size=(3000, 9)).astype(np.uint8)
    a = kmeans_fit(points, 12, metric, seed=5, max_iter=20)
    b = kmeans_fit(points, 12, metric, seed=5, max_iter=20)
    assert np.array_equal(a.centers, b.centers)
    assert np.array_equal(a.labels, b.labels)
    assert a.inertia == b.inertia
    seeds = {kmeans_plus_plus(points, 12, metric, seed=s).tobytes() for s in range(4)}
    assert len(seeds) == 4


def test_iterations_never_increase_l2_inertia():
    rng = np.random.default_rng(2)
    points = rng.normal(size=(2000, 3)).astype(np.float32)
    inertias = [kmeans_fit(points, 8, "l2", seed=0, max_iter=m).inertia for m in (1, 2, 4, 8, 16)]
    assert all(b <= a * (1 + 1e-6) for a, b in itertools.pairwise(inertias))


def _slow_distance(x, c, metric):
    x = x.astype(np.float64)
    c = c.astype(np.float64)
    return float(((x - c) ** 2).sum()) if metric == "l2" else float(np.abs(x - c).sum())


@pytest.mark.parametrize("metric", ["l2", "l1"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_assign_kernel_matches_slow_argmin(metric, dtype):
    rng = np.random.default_rng(3)
    points = rng.integers(0, 40, size=(5000, 7)).astype(dtype)
    centers = rng.uniform(0, 40, size=(9, 7)).astype(np.float32)
    labels = np.full(len(points), -1, np.int32)
    distances = np.empty(len(points), np.float32)
    changed = _assign(points, np.ascontiguousarray(centers.T), METRICS[metric], labels, distances)
    assert changed == len(points)
    for i in range(0, len(points), 7):
        d = [_slow_distance(points[i], c, metric) for c in centers]
        assert labels[i] == int(np.argmin(d))
        assert distances[i] == pytest.approx(min(d), rel=1e-5)
    assert np.array_equal(kmeans_assign(points, centers, metric, chunk=777), labels)


def _slow_seed(points, weights, k, metric, uniforms):
    """Greedy k-means++ written plainly, with the same uniforms for each draw."""

    def potential_terms(nearest):
        return weights * (nearest if metric == "l2" else nearest**2)

    def draw(mass, u):
        cumulative = np.cumsum(mass)
        return min(int(np.searchsorted(cumulative, u * cumulative[-1], "right")), len(mass) - 1)

    chosen = [draw(weights, uniforms[0, 0])]
    nearest = np.array([_slow_distance(p, points[chosen[0]], metric) for p in points])
    for c in range(1, k):
        mass = potential_terms(nearest)
        best = None
        for s in range(uniforms.shape[1]):
            trial = draw(mass, uniforms[c, s])
            after = np.minimum(nearest, [_slow_distance(p, points[trial], metric) for p in points])
            total = potential_terms(after).sum()
            if best is None or total < best[0] * (1 - 1e-9):
                best = (total, trial, after)
        chosen.append(best[1])
        nearest = best[2]
    return chosen


@pytest.mark.parametrize("metric", ["l2", "l1"])
def test_seed_kernel_matches_slow_greedy_kmeans_plus_plus(metric):
    rng = np.random.default_rng(4)
    points = rng.integers(0, 20, size=(300, 4)).astype(np.float32)
    weights = rng.uniform(0.5, 2.0, size=300)
    uniforms = rng.random((10, n_trials(10)))
    fast = _seed(points, weights, 10, METRICS[metric], uniforms)
    assert fast.tolist() == _slow_seed(points, weights, 10, metric, uniforms)


def test_chunk_sums_kernel_matches_slow_sums():
    rng = np.random.default_rng(5)
    points = rng.integers(0, 50, size=(1001, 5)).astype(np.uint8)
    weights = rng.uniform(0, 3, size=1001)
    labels = rng.integers(0, 6, size=1001).astype(np.int32)
    sums, mass = _chunk_sums(points, weights, labels, 7)
    for c in range(7):
        members = labels == c
        assert mass[c] == pytest.approx(weights[members].sum())
        assert np.allclose(sums[c], (weights[members, None] * points[members]).sum(axis=0))
    assert mass[6] == 0


def test_weights_act_like_repeated_points():
    points = np.array([[0.0], [1.0], [10.0], [11.0]], np.float32)
    weighted = kmeans_fit(points, 2, "l2", seed=0, weights=np.array([3.0, 1.0, 1.0, 1.0]))
    centers = sorted(weighted.centers[:, 0].tolist())
    assert centers == pytest.approx([0.25, 10.5])


def test_fewer_distinct_points_than_clusters_is_handled():
    points = np.array([[1.0], [1.0], [2.0], [2.0], [2.0]], np.float32)
    result = kmeans_fit(points, 3, "l2", seed=0)
    assert sorted(set(result.labels.tolist())) != []
    assert set(np.round(result.centers[:, 0], 6).tolist()) <= {1.0, 2.0}


def _transport_lp(a, b):
    """EMD by the transport linear program (ground distance |i - j| between bins)."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    n = len(a)
    cost = np.abs(np.subtract.outer(np.arange(n), np.arange(n))).ravel()
    rows = np.zeros((n, n * n))
    cols = np.zeros((n, n * n))
    for i in range(n):
        rows[i, i * n : (i + 1) * n] = 1
        cols[i, i::n] = 1
    res = linprog(cost, A_eq=np.vstack([rows, cols]), b_eq=np.concatenate([a, b]), bounds=(0, None))
    return res.fun


def _transport_north_west(a, b):
    """EMD by moving mass: fill the transport plan bin by bin from the left (no scipy needed).

    On a line, sending the leftmost remaining supply to the leftmost remaining demand is an
    optimal plan, so its cost is the earth mover's distance.
    """
    supply = list(a)
    demand = list(b)
    i = j = 0
    cost = 0.0
    while i < len(supply) and j < len(demand):
        moved = min(supply[i], demand[j])
        cost += moved * abs(i - j)
        supply[i] -= moved
        demand[j] -= moved
        if supply[i] <= 1e-15:
            i += 1
        if j < len(demand) and demand[j] <= 1e-15:
            j += 1
    return cost


def test_emd_equals_moving_the_mass():
    rng = np.random.default_rng(10)
    for n in (1, 2, 5, 9, 30):
        for _ in range(20):
            a = rng.integers(0, 10, size=n).astype(float) + 0.1
            b = rng.integers(0, 10, size=n).astype(float) + 0.1
            a /= a.sum()
            b /= b.sum()
            assert emd_1d(a, b) == pytest.approx(_transport_north_west(a, b), abs=1e-9)


def test_emd_equals_transport_program_and_wasserstein():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(6)
    for n in (2, 5, 9):
        for _ in range(5):
            a = rng.integers(0, 10, size=n).astype(float) + 0.1
            b = rng.integers(0, 10, size=n).astype(float) + 0.1
            a /= a.sum()
            b /= b.sum()
            ours = emd_1d(a, b)
            assert ours == pytest.approx(_transport_lp(a, b), abs=1e-7)
            positions = np.arange(n)
            assert ours == pytest.approx(stats.wasserstein_distance(positions, positions, a, b))


def test_l1_on_cumulative_counts_is_emd():
    rng = np.random.default_rng(8)
    ha = rng.multinomial(46, np.ones(10) / 10)
    hb = rng.multinomial(46, np.ones(10) / 10)
    ca = np.cumsum(ha)[:-1][None, :].astype(np.uint8)
    centers = np.cumsum(hb)[:-1][None, :].astype(np.float32)
    distances = np.empty(1, np.float32)
    _assign(ca, np.ascontiguousarray(centers.T), METRICS["l1"], np.zeros(1, np.int32), distances)
    assert distances[0] / 46 == pytest.approx(emd_1d(ha, hb))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: kmeans_fit(p, 0), "k must lie in 1..10"),
        (lambda p: kmeans_fit(p, 11), "k must lie in 1..10"),
        (lambda p: kmeans_fit(p, 2, "cosine"), "metric must be one of"),
        (lambda p: kmeans_fit(p[0], 2), "2-D array"),
        (lambda p: kmeans_fit(p, 2, weights=-np.ones(10)), "weights must be"),
        (lambda p: kmeans_fit(p, 2, max_iter=0), "max_iter"),
        (lambda p: kmeans_assign(p, np.zeros((2, 3), np.float32)), "columns"),
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    points = np.zeros((10, 2), np.float32)
    with pytest.raises(ValueError, match=message):
        call(points)


def test_result_does_not_depend_on_the_thread_count():
    rng = np.random.default_rng(9)
    points = rng.random((20_000, 6)).astype(np.float32)
    weights = rng.uniform(0.1, 1.0, size=20_000)
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = kmeans_fit(points, 10, "l1", seed=2, max_iter=15, weights=weights)
    finally:
        numba.set_num_threads(threads)
    many = kmeans_fit(points, 10, "l1", seed=2, max_iter=15, weights=weights)
    assert np.array_equal(one.centers, many.centers)
    assert np.array_equal(one.labels, many.labels)
    assert one.inertia == many.inertia
