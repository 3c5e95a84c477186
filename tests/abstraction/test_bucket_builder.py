"""build_buckets: its helpers against plain numpy, and the tiny preset end to end (slow)."""

import numpy as np
import pytest

from holdem.abstraction.bucket_builder import (
    _finish_street,
    _moments,
    _renumber,
    bucket_statistics,
    build_buckets,
)
from holdem.abstraction.bucket_presets import STREETS, preset
from holdem.abstraction.buckets import CardAbstraction
from holdem.cards.equity import equity_vs_random
from holdem.cards.isomorphism import N_INDICES, hand_index, unindex_batch


def test_moments_kernel_matches_numpy():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 9, size=100_001).astype(np.int32)
    values = rng.random(100_001).astype(np.float32)
    moments = _moments(labels, values, 1.0, 10)
    assert np.allclose(_moments(labels, values, 4.0, 10)[:, 1:], moments[:, 1:] / [4.0, 16.0])
    for c in range(10):
        v = values[labels == c].astype(np.float64)
        assert moments[c, 0] == len(v)
        assert moments[c, 1] == pytest.approx(v.sum())
        assert moments[c, 2] == pytest.approx((v**2).sum())
    stats = bucket_statistics(moments)
    assert stats[3, 1] == pytest.approx(values[labels == 3].mean(), rel=1e-6)
    assert stats[3, 2] == pytest.approx(values[labels == 3].std(), rel=1e-4)
    assert np.isnan(stats[9, 1])


def test_renumbering_orders_buckets_by_mean_equity():
    labels = np.array([2, 2, 0, 1, 1, 0, 3], np.int32)
    equity = np.array([0.9, 0.8, 0.1, 0.5, 0.4, 0.2, 0.6], np.float32)
    table, stats = _finish_street(labels, equity, 5)
    assert table.tolist() == [3, 3, 0, 1, 1, 0, 2]
    assert stats[:4, 1] == pytest.approx([0.15, 0.45, 0.6, 0.85])
    assert stats[:, 0].tolist() == [2, 2, 1, 2, 0]
    assert _renumber(stats).tolist() == [0, 1, 2, 3, 4]


@pytest.fixture(scope="module")
def tiny():
    return build_buckets(preset("tiny"))


@pytest.mark.slow
def test_tiny_build_covers_every_hand_with_every_bucket(tiny):
    for street, n in zip(STREETS, N_INDICES, strict=True):
        table = tiny.tables[street]
        assert table.shape == (n,)
        assert np.bincount(table, minlength=8).min() > 0
        assert table.max() == 7
        means = tiny.stats[street][:, 1]
        assert np.all(np.diff(means) > 0)
        assert tiny.stats[street][:, 0].sum() == n


@pytest.mark.slow
def test_tiny_river_buckets_are_equity_intervals(tiny):
    rng = np.random.default_rng(1)
    indices = rng.choice(N_INDICES[3], 400, replace=False)
    pairs = []
    for index, hand in zip(indices, unindex_batch(3, indices), strict=True):
        e = equity_vs_random([int(c) for c in hand[:2]], [int(c) for c in hand[2:]]).equity
        pairs.append((e, int(tiny.tables["river"][index])))
    pairs.sort()
    buckets = [b for _, b in pairs]
    assert buckets == sorted(buckets)


@pytest.mark.slow
def test_tiny_preflop_puts_aces_on_top_and_trash_at_the_bottom(tiny):
    assert tiny.bucket("AsAh") == 7
    assert tiny.bucket("Kd Kc") == 7
    assert tiny.bucket("3c2d") == 0
    assert tiny.tables["preflop"][hand_index("7c2d")] <= 1
    # the preflop statistics hold exact equity against a random hand: AA is 85.20%
    aa = tiny.stats["preflop"][7]
    assert aa[1] - 2 * aa[2] < 0.8520 < aa[1] + 2 * aa[2] + 1e-9


@pytest.mark.slow
def test_tiny_build_is_deterministic_and_round_trips(tiny, tmp_path):
    again = build_buckets(preset("tiny"))
    assert again.checksum == tiny.checksum
    path = tiny.save(tmp_path / "tiny.npz")
    loaded = CardAbstraction.load(path)
    assert loaded.checksum == tiny.checksum
    assert loaded.counts == {s: 8 for s in STREETS}
    q = loaded.quality()
    for street in STREETS:
        assert q[street]["within_std"] < q[street]["overall_std"] / 2


@pytest.mark.slow
def test_tiny_build_with_ochs_river_buckets(tiny):
    ochs = build_buckets(preset("tiny").replace(river_feature="ochs", ochs_clusters=4))
    river = ochs.tables["river"]
    assert np.bincount(river, minlength=8).min() > 0
    assert river.max() == 7
    assert np.all(np.diff(ochs.stats["river"][:, 1]) > 0)
    assert len(ochs.manifest["build"]["fit"]["river"]["opponent_clusters"]) == 169
    assert "OCHS" in ochs.manifest["features"]["river"]
    # the other streets do not depend on the river feature
    for street in ("preflop", "flop", "turn"):
        assert np.array_equal(ochs.tables[street], tiny.tables[street])
    assert not np.array_equal(river, tiny.tables["river"])
