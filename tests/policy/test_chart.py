"""Preflop charts (values, PNG, terminal) and training curves."""

from itertools import pairwise

import numpy as np
import pytest
from rich.console import Console

from holdem.cards.isomorphism import hand_from_index
from holdem.cards.preflop_matchups import N_CLASSES
from holdem.policy.chart import (
    action_mark,
    chart_table,
    default_facing,
    first_to_act,
    preflop_chart,
    save_chart_png,
)
from holdem.policy.curves import CURVES_PIXELS, load_metrics, save_curves_png
from holdem.policy.hand_grid import CHART_PIXELS, grid_csv
from holdem.policy.situation import parse_situation
from holdem.rules.actions import Action, ActionKind
from holdem.training.pushfold import grid_classes, read_push_fold
from tests.policy.pictures import png_size


def test_a_push_fold_chart_holds_the_blueprint_rows(pushfold):
    config = pushfold.table_config()
    chart = preflop_chart(pushfold, parse_situation(config, "", (), "SB"))
    assert chart.actions == (Action.fold(), Action.raise_to(1000))
    assert chart.labels == ("fold", "all-in 1000 (10 bb)")
    assert chart.title == "SB first in"
    assert "10 bb deep" in chart.situation
    policy = np.array(
        [pushfold.tree_probabilities(0, c) for c in range(N_CLASSES)], dtype=np.float64
    )
    layout_table = np.zeros(pushfold.layout.size)
    pushfold.layout.node_rows(layout_table, 0, 0, policy.shape[1])[:] = policy
    jam, _ = read_push_fold(pushfold.tree, pushfold.layout, layout_table)
    assert chart.probabilities[:, 1] == pytest.approx(jam, abs=1e-9)
    assert chart.frequencies().sum() == pytest.approx(1.0)
    facing = preflop_chart(pushfold, parse_situation(config, "a", (), "BB"))
    assert facing.actions == (Action.fold(), Action.call())
    assert facing.title == "BB facing SB all-in 1000"


def test_default_position_and_facing(hu):
    config = hu.table_config()
    assert first_to_act(config) == "SB"
    assert default_facing(hu, config, "SB") is None
    facing = default_facing(hu, config, "BB")
    assert facing is not None and facing.startswith("SB:")
    # The open chosen is the one the SB's first-in chart plays most often (folds aside).
    first_in = preflop_chart(hu, parse_situation(config, "", (), "SB"))
    shares = {a: s for a, s in zip(first_in.actions, first_in.frequencies(), strict=True)}
    chosen = parse_situation(config, facing, (), "BB").actions[-1][1]
    assert shares[chosen] == max(s for a, s in shares.items() if a.kind is not ActionKind.FOLD)


def test_every_class_sums_to_one_on_a_deeper_tree(hu):
    chart = preflop_chart(hu, parse_situation(hu.table_config(), "r500", (), "BB"))
    assert chart.probabilities.shape == (N_CLASSES, len(chart.actions))
    assert chart.probabilities.sum(axis=1) == pytest.approx(np.ones(N_CLASSES))
    kinds = [a.kind for a in chart.actions]
    assert kinds[:2] == [ActionKind.FOLD, ActionKind.CALL] and ActionKind.RAISE in kinds
    # Each row is what action_probabilities answers for a hand of that class.
    situation = parse_situation(hu.table_config(), "r500", (), "BB")
    for c in (0, 84, 168):
        hand = [int(x) for x in hand_from_index(0, c)]
        answer = dict(hu.action_probabilities(situation.state(hand)))
        assert [answer.get(a, 0.0) for a in chart.actions] == pytest.approx(chart.probabilities[c])
    assert len(set(chart.colours())) == len(chart.actions)


def test_charts_draw_a_png_of_the_chart_size_and_a_terminal_grid(hu, tmp_path):
    chart = preflop_chart(hu, parse_situation(hu.table_config(), "", (), "SB"))
    path = tmp_path / "chart.png"
    save_chart_png(chart, str(path))
    assert png_size(path) == CHART_PIXELS
    console = Console(width=120, record=True, color_system="truecolor", force_terminal=True)
    console.print(chart_table(chart))
    text = console.export_text()
    assert "AKs" in text and "72o" in text and "SB first in" in text
    assert "fold" in text and "raise to 500" in text


def test_charts_are_preflop_only(hu):
    from holdem.cards.encoding import parse_cards

    situation = parse_situation(hu.table_config(), "r500 c", parse_cards("2c 3d 4h"))
    with pytest.raises(ValueError, match="preflop"):
        preflop_chart(hu, situation)


def test_curves_of_a_run(pushfold_run, tmp_path):
    file, records, skipped = load_metrics(pushfold_run)
    assert file.name == "metrics.jsonl" and records[-1]["iteration"] == 100_000 and not skipped
    path = tmp_path / "curves.png"
    save_curves_png(records, path, "push/fold")
    assert png_size(path) == CURVES_PIXELS
    with pytest.raises(ValueError, match=r"no metrics\.jsonl"):
        load_metrics(tmp_path)
    (tmp_path / "metrics.jsonl").write_text('{"cut short')
    with pytest.raises(ValueError, match="holds no report"):
        load_metrics(tmp_path)


def test_each_kind_of_action_keeps_its_colour_from_chart_to_chart(hu):
    from holdem.policy.hand_grid import (
        FOLD_COLOUR,
        PASSIVE_COLOUR,
        RAISE_COLOURS,
        ActionMark,
        action_colour,
        action_symbols,
    )

    config = hu.table_config()
    first_in = preflop_chart(hu, parse_situation(config, "", (), "SB"))
    facing = preflop_chart(hu, parse_situation(config, "r500", (), "BB"))
    for chart in (first_in, facing):
        for action, mark, colour in zip(chart.actions, chart.marks, chart.colours(), strict=True):
            if action.kind is ActionKind.FOLD:
                assert colour == FOLD_COLOUR
            elif action.kind is not ActionKind.RAISE:
                assert colour == PASSIVE_COLOUR
            elif mark.kind == "all-in":
                assert colour == RAISE_COLOURS[-1]
            else:
                assert colour == action_colour(mark) != RAISE_COLOURS[-1]
    # All-in has the same colour in both charts, though the charts offer different raises.
    assert "all-in" in [m.kind for m in first_in.marks] and "all-in" in [
        m.kind for m in facing.marks
    ]
    # A raise's colour follows its size in pots, not its rank among the chart's raises.
    half, pot, two = (action_colour(ActionMark("raise", f)) for f in (0.5, 1.0, 2.0))
    assert len({half, pot, two, RAISE_COLOURS[-1]}) == 4
    brightness = [sum(int(c[k : k + 2], 16) for k in (1, 3, 5)) for c in (half, pot, two)]
    assert brightness == sorted(brightness, reverse=True)
    # SB raises to 250 at 50/100: 150 beyond the call into a pot of 200 after it.
    sb = parse_situation(config, "", (), "SB").state((0, 1))
    assert action_mark(Action.raise_to(250), sb).pot_fraction == pytest.approx(0.75)
    marks = [ActionMark(k) for k in ("fold", "call", "all-in")]
    assert action_symbols([*marks, ActionMark("raise", 1.0), ActionMark("raise", 0.5)]) == [
        "f",
        "c",
        "a",
        "2",
        "1",
    ]
    assert action_symbols([*marks, ActionMark("raise", 1.0)])[-1] == "r"


def test_a_chart_without_colour_writes_letters_and_its_csv_the_numbers(pushfold):
    chart = preflop_chart(pushfold, parse_situation(pushfold.table_config(), "", (), "SB"))
    console = Console(width=120, record=True, color_system=None)
    console.print(chart_table(chart, plain=True))
    text = console.export_text()
    assert "aaaaa" in text and "f = fold" in text and "a = all-in 1000" in text
    rows = grid_csv(chart.picture()).splitlines()
    assert rows[0] == "hand,fold,all-in 1000 (10 bb)" and rows[1].startswith("AA,")
    assert len(rows) == 1 + N_CLASSES
    aa = [float(x) for x in rows[1].split(",")[1:]]
    assert aa == pytest.approx(chart.probabilities[int(grid_classes()[0, 0])], abs=1e-6)


def _long_run_records() -> list[dict]:
    """Reports of a run between 30M and 40M iterations: its exploitability panel's log axis
    spans less than a decade (where matplotlib labelled minor ticks that collided)."""
    return [
        {
            "iteration": i,
            "iterations_per_second": 60_000.0,
            "nodes_per_second": 4.5e7,
            "avg_positive_regret": [3.0 * i**0.5, 2.0 * i**0.5, 0.0, 0.0],
            "exploitability_bb": 50.0 / i**0.5,
        }
        for i in range(30_000_000, 40_000_001, 1_000_000)
    ]


def test_curves_have_a_speed_a_nodes_and_an_average_regret_panel():
    from holdem.policy.curves import curves_figure

    records = _long_run_records()
    figure = curves_figure(records)
    speed, nodes, regret, exact = figure.axes
    assert speed.get_title() == "iterations per second"
    assert nodes.get_title() == "tree nodes per second (the stable measure)"
    assert [float(y) for y in nodes.lines[0].get_ydata()] == [4.5e7] * len(records)
    assert regret.get_title().startswith("average positive regret")
    preflop = regret.lines[0]
    i = records[-1]["iteration"]
    assert preflop.get_ydata()[-1] == pytest.approx(3.0 * i**0.5 / i)  # cumulative / iterations
    assert exact.get_xscale() == "log"


def test_curve_tick_labels_share_one_style_and_never_overlap():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from holdem.policy.curves import axis_number, curves_figure

    figure = curves_figure(_long_run_records())
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [
                t for t in axis.get_ticklabels(which="both") if t.get_visible() and t.get_text()
            ]
            texts = [t.get_text() for t in labels]
            assert all("times" not in t and "^" not in t and "e+" not in t for t in texts), texts
            boxes = sorted(
                (t.get_window_extent(renderer) for t in labels),
                key=lambda b: b.x0 if axis is ax.xaxis else b.y0,
            )
            for a, b in pairwise(boxes):
                if axis is ax.xaxis:
                    assert a.x1 <= b.x0, (ax.get_title(), texts)
                else:
                    assert a.y1 <= b.y0, (ax.get_title(), texts)
    assert [axis_number(v) for v in (3e7, 1500, 500, 0.02, 2e9)] == [
        "30M", "1.5k", "500", "0.02", "2G",
    ]  # fmt: skip
