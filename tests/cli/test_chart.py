"""``holdem chart`` (PNG and terminal) and ``holdem plot`` (training curves)."""

import json

import pytest

from holdem.cli.main import main
from holdem.policy.curves import CURVES_PIXELS
from holdem.policy.hand_grid import CHART_PIXELS
from tests.policy.pictures import png_size
from tests.policy.runs import train_push_fold


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
    assert "4 reports, up to iteration 8,000" in capsys.readouterr().out


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
    missing = str(tmp_path / "no" / "x.png")
    assert "does not exist" in _error([*chart, "--position", "SB", "--out", missing], capsys)
    assert "not at a table of 2" in _error([*chart, "--position", "CO"], capsys)
    assert "is illegal for SB" in _error([*chart, "--position", "BB", "--facing", "r1"], capsys)
    assert "no metrics.jsonl" in _error(["plot", str(tmp_path), "--out", "c.png"], capsys)
