"""The range chart of a postflop situation: each class's reach and play, checked against the
blueprint asked hand by hand."""

import numpy as np
import pytest

from holdem.cards.combos import COMBOS, blocked_combos, combo_classes
from holdem.cards.encoding import parse_cards
from holdem.cards.preflop_matchups import class_label
from holdem.policy.situation import parse_situation
from holdem.search.beliefs import replay
from holdem.search.range_chart import range_chart
from tests.policy.runs import random_blueprint, save_bucket_file


@pytest.fixture(scope="module")
def blueprint(tmp_path_factory):
    buckets = save_bucket_file(tmp_path_factory.mktemp("range_chart") / "buckets.npz", seed=2)
    return random_blueprint(2, buckets, seed=5)


def _reference(blueprint, situation, combo):
    """The reach of one combination for the seat to act, and its play now, asking the
    blueprint with the seat holding it at each of its earlier decisions (the slow way)."""
    hero = situation.hero
    cards = (int(COMBOS[combo, 0]), int(COMBOS[combo, 1]))
    full = situation.state(cards)
    reach = 1.0
    for i, record in enumerate(full.history):
        if record.seat == hero:
            walk = replay(full, i)
            reach *= dict(blueprint.action_probabilities(walk)).get(record.action, 0.0)
    return reach, dict(blueprint.action_probabilities(full))


def test_a_class_holds_its_combinations_by_their_reach_and_plays_their_mean(blueprint):
    config = blueprint.table_config()
    board = parse_cards("Qs 7h 2c")
    # SB limps, BB checks; on the flop the BB checks: the SB's range is its limping hands.
    situation = parse_situation(config, "c x / x", board)
    chart = range_chart(blueprint, situation)
    assert chart.title == "SB's range on the flop [Qs 7h 2c]"
    classes = combo_classes()
    blocked = set(int(i) for i in np.flatnonzero(blocked_combos(board)))
    for label in ("AA", "QQ", "KQs", "72o"):
        c = next(k for k in range(169) if class_label(k) == label)
        combos = [i for i in np.flatnonzero(classes == c) if int(i) not in blocked]
        reaches, plays = zip(
            *(_reference(blueprint, situation, int(i)) for i in combos), strict=True
        )
        assert chart.combos[c] == pytest.approx(sum(reaches))
        expected = [
            sum(r * play.get(a, 0.0) for r, play in zip(reaches, plays, strict=True)) / sum(reaches)
            for a in chart.actions
        ]
        assert chart.strategy[c] == pytest.approx(expected)
    # Board cards leave QQ three combinations at most, 72o nine.
    qq = next(k for k in range(169) if class_label(k) == "QQ")
    assert chart.combos[qq] <= 3 + 1e-9
    picture = chart.picture()
    assert picture.heights is not None and picture.heights.max() <= 1.0
    assert chart.frequencies().sum() == pytest.approx(1.0)


def test_a_history_the_blueprint_never_plays_has_no_range(blueprint, monkeypatch):
    from holdem.eval.lbr_model import BlueprintRange

    monkeypatch.setattr(
        BlueprintRange, "likelihoods", lambda self, state, action, among=None: np.zeros(1326)
    )
    situation = parse_situation(blueprint.table_config(), "c x / x", parse_cards("Qs 7h 2c"))
    with pytest.raises(ValueError, match="never plays it with any hand"):
        range_chart(blueprint, situation)
