"""What a card abstraction is built from: bucket counts, features and k-means settings per preset.

``BucketSpec`` is the whole recipe; ``build_buckets`` turns it into tables and records it in the
file's manifest. Presets, from a test-sized one to the counts of Pluribus (Brown and Sandholm,
*Superhuman AI for multiplayer poker*, Science 2019, https://doi.org/10.1126/science.aay2400:
169 lossless preflop hands and 200 buckets on each later street):

    preset     preflop  flop  turn  river  bins  fit sample
    tiny             8     8     8      8    16     100,000
    small          169    50    50     50    30     200,000
    mid            169   100   100    100    40     500,000
    pluribus       169   200   200    200    50   2,000,000

Every preset covers every canonical hand; the sample is how many hands k-means fits on before
every hand is assigned to its nearest center. Measured on 2 cores (``benchmarks/bench_buckets.py``,
warm Numba cache, quiet machine): tiny 16 s, small 19 s, mid 38 s, pluribus 137 s with a peak of
2.1 GB. Flop features default to the 47 turn cards: the 1,081-runout histograms cost 18 s
instead of 0.8 s on ``small`` and left a wider spread of equity inside flop buckets (within-bucket
standard deviation 0.0163 against 0.0128).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from holdem.abstraction.features import FLOP_FEATURES
from holdem.abstraction.river_equity import EQUITY_SCALE
from holdem.cards.isomorphism import N_INDICES

STREETS = ("preflop", "flop", "turn", "river")
RIVER_FEATURES = ("equity", "ochs")
MAX_BUCKETS = 65535  # tables are uint16 at most
MAX_RIVER_BUCKETS = EQUITY_SCALE + 1  # river buckets split the 1,981 distinct equities


@dataclass(frozen=True)
class BucketSpec:
    """Recipe of a card abstraction.

    ``k_*`` are bucket counts per street (``k_preflop = 169`` is lossless). ``n_bins`` is the
    number of equity bins of the potential-aware histograms (flop, turn, and preflop when
    clustered). ``sample_size`` caps the hands k-means fits on per street (0: all).
    ``max_iter`` and ``tol`` stop Lloyd's iterations (``tol``: share of labels changed).
    ``flop_feature`` is ``"turn-equity"`` (47 turn cards) or ``"runout-equity"`` (1,081
    runouts). ``river_feature`` is ``"equity"`` (against a random hand, 1-D) or ``"ochs"``
    (against each of ``ochs_clusters`` clusters of opponent preflop hands).
    """

    preset: str = "custom"
    k_preflop: int = 169
    k_flop: int = 200
    k_turn: int = 200
    k_river: int = 200
    n_bins: int = 50
    sample_size: int = 500_000
    max_iter: int = 100
    tol: float = 1e-4
    seed: int = 0
    flop_feature: str = "turn-equity"
    river_feature: str = "equity"
    ochs_clusters: int = 8

    def __post_init__(self) -> None:
        limits = {
            "k_preflop": N_INDICES[0],
            "k_flop": MAX_BUCKETS,
            "k_turn": MAX_BUCKETS,
            "k_river": MAX_RIVER_BUCKETS if self.river_feature == "equity" else MAX_BUCKETS,
            "ochs_clusters": N_INDICES[0],
        }
        for name, top in limits.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise ValueError(f"{name} must be an integer in 1..{top}, got {value!r}")
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, int):
            raise ValueError(f"n_bins must be an integer, got {self.n_bins!r}")
        if not 2 <= self.n_bins <= 255:
            raise ValueError(f"n_bins must lie in 2..255, got {self.n_bins}")
        if not isinstance(self.sample_size, int) or self.sample_size < 0:
            raise ValueError(
                f"sample_size must be 0 (all) or a positive integer, got {self.sample_size!r}"
            )
        if 0 < self.sample_size < max(self.k_flop, self.k_turn):
            raise ValueError(
                f"sample_size {self.sample_size} is smaller than a bucket count "
                f"(flop {self.k_flop}, turn {self.k_turn}): raise it or use 0 for all hands"
            )
        if not isinstance(self.max_iter, int) or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")
        if not 0.0 <= self.tol < 1.0:
            raise ValueError(f"tol must lie in [0, 1), got {self.tol!r}")
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**63:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        if self.flop_feature not in FLOP_FEATURES:
            raise ValueError(
                f"flop_feature must be one of {', '.join(FLOP_FEATURES)}, got {self.flop_feature!r}"
            )
        if self.river_feature not in RIVER_FEATURES:
            raise ValueError(
                f"river_feature must be one of {', '.join(RIVER_FEATURES)}, "
                f"got {self.river_feature!r}"
            )
        if self.river_feature == "ochs" and self.sample_size == 0:
            raise ValueError(
                "river_feature 'ochs' fits on a sample of river hands: set sample_size > 0 "
                "(all 123 million hands' features would not fit in memory)"
            )

    def counts(self) -> dict[str, int]:
        """Bucket count per street name."""
        return {
            "preflop": self.k_preflop,
            "flop": self.k_flop,
            "turn": self.k_turn,
            "river": self.k_river,
        }

    def replace(self, **changes: Any) -> BucketSpec:
        """A copy with some fields changed (``None`` values are ignored); validated again."""
        kept = {key: value for key, value in changes.items() if value is not None}
        unknown = set(kept) - {field.name for field in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown BucketSpec field(s): {', '.join(sorted(unknown))}")
        if kept and "preset" not in kept:
            base = self.preset.split("+")[0]
            kept["preset"] = base if kept.keys() <= {"seed"} else f"{base}+custom"
        return dataclasses.replace(self, **kept)

    def to_dict(self) -> dict[str, Any]:
        """Plain fields, for the JSON manifest."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BucketSpec:
        """Inverse of ``to_dict``; unknown keys are an error."""
        unknown = set(data) - {field.name for field in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"unknown BucketSpec key(s): {', '.join(sorted(unknown))}")
        return cls(**data)


PRESETS: dict[str, BucketSpec] = {
    "tiny": BucketSpec(
        preset="tiny",
        k_preflop=8,
        k_flop=8,
        k_turn=8,
        k_river=8,
        n_bins=16,
        sample_size=100_000,
        max_iter=30,
        tol=1e-3,
    ),
    "small": BucketSpec(
        preset="small",
        k_preflop=169,
        k_flop=50,
        k_turn=50,
        k_river=50,
        n_bins=30,
        sample_size=200_000,
        max_iter=50,
        tol=1e-3,
    ),
    "mid": BucketSpec(
        preset="mid",
        k_preflop=169,
        k_flop=100,
        k_turn=100,
        k_river=100,
        n_bins=40,
        sample_size=500_000,
        max_iter=100,
        tol=1e-4,
    ),
    "pluribus": BucketSpec(
        preset="pluribus",
        k_preflop=169,
        k_flop=200,
        k_turn=200,
        k_river=200,
        n_bins=50,
        sample_size=2_000_000,
        max_iter=100,
        tol=1e-4,
    ),
}


def preset(name: str) -> BucketSpec:
    """The named preset; a ValueError lists the known names."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown bucket preset {name!r}: use one of {', '.join(PRESETS)}"
        ) from None
