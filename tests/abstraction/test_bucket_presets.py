"""Bucket presets and the validation of a BucketSpec."""

import pytest

from holdem.abstraction.bucket_presets import PRESETS, BucketSpec, preset


def test_presets_have_the_documented_counts():
    assert PRESETS["pluribus"].counts() == {"preflop": 169, "flop": 200, "turn": 200, "river": 200}
    assert PRESETS["mid"].counts()["preflop"] == 169
    assert max(PRESETS["tiny"].counts().values()) <= 16
    assert list(PRESETS) == ["tiny", "small", "mid", "pluribus"]
    for name, spec in PRESETS.items():
        assert spec.preset == name


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(ValueError, match="tiny, small, mid, pluribus"):
        preset("huge")


def test_replace_overrides_and_marks_the_preset_custom():
    spec = preset("tiny").replace(k_flop=12, k_river=None)
    assert spec.k_flop == 12
    assert spec.k_river == preset("tiny").k_river
    assert spec.preset == "tiny+custom"
    assert preset("tiny").replace(seed=4).preset == "tiny"
    assert preset("tiny").replace().preset == "tiny"
    with pytest.raises(ValueError, match="unknown BucketSpec field"):
        preset("tiny").replace(k_fop=3)


def test_ochs_lifts_the_river_bucket_limit():
    assert BucketSpec(river_feature="ochs", k_river=5000).k_river == 5000


def test_dict_round_trip():
    spec = preset("mid").replace(seed=9, flop_feature="runout-equity")
    assert BucketSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(ValueError, match="unknown BucketSpec key"):
        BucketSpec.from_dict({**spec.to_dict(), "colour": "red"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"k_preflop": 170}, "k_preflop must be an integer in 1..169"),
        ({"k_flop": 0}, "k_flop must be an integer in 1..65535"),
        ({"k_turn": 70000}, "k_turn must be an integer in 1..65535"),
        ({"k_river": 2000}, "k_river must be an integer in 1..1981"),
        ({"k_river": 2.5}, "k_river must be an integer"),
        ({"k_turn": True}, "k_turn must be an integer"),
        ({"n_bins": 1}, "n_bins must lie in 2..255"),
        ({"sample_size": -1}, "sample_size"),
        ({"sample_size": 100}, "smaller than a bucket count"),
        ({"max_iter": 0}, "max_iter"),
        ({"tol": 1.0}, "tol"),
        ({"seed": -1}, "seed"),
        ({"flop_feature": "magic"}, "flop_feature must be one of"),
        ({"river_feature": "magic"}, "river_feature must be one of"),
        ({"river_feature": "ochs", "sample_size": 0}, "set sample_size > 0"),
        ({"river_feature": "ochs", "ochs_clusters": 0}, "ochs_clusters must be an integer"),
    ],
)
def test_bad_values_are_clear_errors(changes, message):
    with pytest.raises(ValueError, match=message):
        BucketSpec(**changes)
