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
    assert "before BB acts" in _error([*chart, "--position", "BB"], capsys)
    assert "is illegal for SB" in _error([*chart, "--position", "BB", "--facing", "r1"], capsys)
    assert "no metrics.jsonl" in _error(["plot", str(tmp_path), "--out", "c.png"], capsys)
