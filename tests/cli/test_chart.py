"""``holdem chart`` (PNG and terminal) and ``holdem plot`` (training curves)."""

import json
from pathlib import Path

import pytest

from holdem.cli.main import main
from holdem.policy.curves import CURVES_PIXELS
from holdem.policy.hand_grid import CHART_PIXELS
from tests.policy.pictures import png_size
from tests.policy.runs import save_bucket_file, train_hu_small, train_push_fold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pushfold(tmp_path_factory):
    return train_push_fold(tmp_path_factory.mktemp("chart") / "pushfold", 50_000)


def test_charts_as_png_and_in_the_terminal(pushfold, tmp_path, capsys):
    out = tmp_path / "sb.png"
    assert main(["chart", str(pushfold), "--position", "SB", "--out", str(out)]) == 0
    assert png_size(out) == CHART_PIXELS
    assert "wrote" in capsys.readouterr().out
    assert main(["chart", str(pushfold), "--position", "BB", "--facing", "a", "--terminal"]) == 0
    text = capsys.readouterr().out
    assert "BB facing SB all-in 1000" in text and "AKs" in text and "call 900" in text


def test_chart_defaults_to_the_first_to_act_and_the_bb_to_facing_its_open(pushfold, capsys):
    # No --position: the first to act preflop (heads-up the SB), said in the title.
    assert main(["chart", str(pushfold), "--terminal"]) == 0
    assert "SB first in (first to act)" in capsys.readouterr().out
    # The BB alone: facing the SB's most frequent open (at 10 bb push/fold: all-in).
    assert main(["chart", str(pushfold), "--position", "BB", "--terminal"]) == 0
    text = capsys.readouterr().out
    assert "BB facing SB all-in 1000" in text and "SB's most frequent open" in text
    assert "call 900" in text


def test_a_piped_chart_keeps_the_strategy_in_letters_and_csv(pushfold, tmp_path, capsys):
    # capsys is not a terminal: no colour, so the cells carry the actions' letters.
    assert main(["chart", str(pushfold), "--position", "SB", "--terminal"]) == 0
    text = capsys.readouterr().out
    assert "aaaaa" in text and "a = all-in 1000 (10 bb)" in text
    assert main(["chart", str(pushfold), "--position", "SB", "--csv", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "hand,fold,all-in 1000 (10 bb)" and len(lines) == 170
    out = tmp_path / "sb.csv"
    assert main(["chart", str(pushfold), "--position", "SB", "--csv", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert out.read_text().splitlines() == lines
    assert "ending in .csv" in _error(["chart", str(pushfold), "--csv", "x.txt"], capsys)


def test_a_postflop_chart_draws_the_range_of_the_seat_to_act(tmp_path_factory, capsys):
    root = tmp_path_factory.mktemp("range_chart")
    run = train_hu_small(root / "hu", save_bucket_file(root / "buckets.npz"), 500)
    flop = ["chart", str(run), "--board", "Qs 7h 2c", "--history", "c x / x"]
    assert main([*flop, "--terminal"]) == 0
    text = capsys.readouterr().out
    assert "SB's range on the flop [Qs 7h 2c]" in text and "of the range" in text
    png = root / "range.png"
    assert main([*flop, "--out", str(png)]) == 0
    assert png_size(png) == CHART_PIXELS
    assert f"wrote {png}: SB's range on the flop" in capsys.readouterr().out
    assert main([*flop, "--csv", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("hand,in range,check,") and len(lines) == 170
    qq = next(line for line in lines if line.startswith("QQ,"))
    assert float(qq.split(",")[1]) <= 0.5  # the board's queen leaves 3 of 6 combinations
    assert "--facing and --history" in _error([*flop, "--facing", "a"], capsys)
    no_board = ["chart", str(run), "--history", "c x / x"]
    assert "give a board of at least 3 cards" in _error(no_board, capsys)


def test_plot_draws_the_curves_of_a_run(pushfold, tmp_path, capsys):
    out = tmp_path / "curves.png"
    assert main(["plot", str(pushfold), "--out", str(out)]) == 0
    assert png_size(out) == CURVES_PIXELS
    # A run with exact exploitability (as holdem train writes for push/fold) gets its panel.
    metrics = tmp_path / "run" / "metrics.jsonl"
    metrics.parent.mkdir()
    records = [
        {
            "iteration": i,
            "iterations_per_second": 1e5,
            "avg_positive_regret": [10.0 / i, 0.0, 0.0, 0.0],
            "exploitability_bb": 1.0 / i,
        }
        for i in (1000, 2000, 4000, 8000)
    ]
    metrics.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert main(["plot", str(metrics.parent), "--out", str(out)]) == 0
    assert png_size(out) == CURVES_PIXELS
    printed = capsys.readouterr().out
    assert "4 reports, up to iteration 8,000" in printed and "warning" not in printed


def test_plot_says_which_lines_of_metrics_it_skipped(tmp_path, capsys):
    metrics = tmp_path / "run" / "metrics.jsonl"
    metrics.parent.mkdir()
    good = [json.dumps({"iteration": i, "iterations_per_second": 1e5}) for i in (1000, 2000)]
    metrics.write_text("\n".join([good[0], '{"iteration": 15', "[1, 2]", good[1], '{"cut']))
    assert main(["plot", str(metrics.parent), "--out", str(tmp_path / "c.png")]) == 0
    (warning,) = [line for line in capsys.readouterr().out.splitlines() if "warning" in line]
    assert warning == (
        f"warning: {metrics}: skipped 3 line(s) that are not a report (line 2, 3, 5): damaged, "
        "or cut short by a crash"
    )


def _error(argv, capsys):
    code = main(argv)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 2, out
    assert len(lines) == 1 and lines[0].startswith("error:"), out
    return lines[0]


def test_mistakes_are_one_line(pushfold, tmp_path, capsys):
    chart = ["chart", str(pushfold)]
    assert "ending in .png" in _error([*chart, "--position", "SB", "--out", "x.jpg"], capsys)
    (tmp_path / "file").write_text("")
    blocked = str(tmp_path / "file" / "x.png")
    assert "is a file, so no folder" in _error(
        [*chart, "--position", "SB", "--out", blocked], capsys
    )
    assert "not at a table of 2" in _error([*chart, "--position", "CO"], capsys)
    assert "is illegal for SB" in _error([*chart, "--position", "BB", "--facing", "r1"], capsys)
    assert "no metrics.jsonl" in _error(["plot", str(tmp_path), "--out", "c.png"], capsys)


def test_the_six_max_run_of_the_chart_help_is_one_a_config_trains(tmp_path):
    from holdem.cli import chart
    from holdem.policy.chart import preflop_chart
    from holdem.policy.situation import parse_situation
    from holdem.training.config import load_train_config
    from tests.policy.runs import random_blueprint

    doc = chart.__doc__ or ""
    assert 'runs/six_max --position BB --facing "CO:r350"' in doc
    assert "holdem train --config configs/blueprint_6max.yaml --logdir runs/six_max" in doc
    config = load_train_config(ROOT / "configs/blueprint_6max.yaml")
    # A blueprint of that game (random rows: the shape is what matters): the CO's open to 350
    # is on its tree exactly, so the example's chart needs no translation.
    blueprint = random_blueprint(6, save_bucket_file(tmp_path / "b.npz"), betting=config.betting)
    situation = parse_situation(blueprint.table_config(), "CO:r350", (), "BB")
    drawn = preflop_chart(blueprint, situation)
    assert drawn.on_tree and drawn.notes == ()
    assert drawn.title == "BB facing CO raise to 350 (UTG, HJ, BTN, SB fold)"
