"""``holdem strategy``: probabilities of a hand in a real situation, and one-line mistakes."""

import json
import shutil

import pytest

from holdem.cli.main import main
from tests.policy.runs import HU_SMALL, save_bucket_file, train_hu_small, train_push_fold


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("strategy")
    buckets = save_bucket_file(root / "buckets.npz")
    return train_push_fold(root / "pushfold", 50_000), train_hu_small(root / "hu", buckets)


def _out(argv, capsys):
    code = main(["strategy", *argv])
    return code, capsys.readouterr().out


def test_push_fold_rows_are_printed(runs, capsys):
    pushfold, _ = runs
    code, out = _out([str(pushfold), "--hand", "AsAh"], capsys)
    assert code == 0, out
    assert "SB to act on the preflop" in out and "bucket AA" in out
    assert "fold" in out and "all-in 1000" in out
    code, out = _out([str(pushfold / "blueprint"), "--hand", "7c2d", "--history", "a"], capsys)
    assert code == 0 and "BB to act" in out and "call 900" in out and "tree node 2 'r'" in out
    code, out = _out([str(pushfold), "--hand", "7c2d", "--history", "c"], capsys)
    assert code == 0 and "the tree takes no limp" in out and "check" in out and "1.000" in out


def test_postflop_with_translation_and_other_stakes(runs, capsys):
    _, hu = runs
    argv = [str(hu), "--hand", "QhJh", "--board", "Qs 7h 2c", "--history", "r300 c / x r200"]
    code, out = _out(argv, capsys)
    assert code == 0, out
    assert "BB to act on the flop [Qs 7h 2c], pot 800, to call 200" in out
    assert "translated" in out and "note: SB raise to 300" in out
    code, out = _out([*argv[:3], "--stack", "400", "--blinds", "1/2"], capsys)
    assert code == 0 and "pot 3, to call 1" in out


def test_search_prints_the_searched_strategy_beside_the_blueprints(runs, capsys):
    _, hu = runs
    board = "Qs 7h 2c 8d 3c"
    argv = [str(hu), "--hand", "QhJh", "--board", board, "--history", "r300 c / x x / x x /"]
    code, out = _out([*argv, "--search", "--search-seconds", "5"], capsys)
    assert code == 0, out
    assert "search: a subgame from the start of the river" in out and "(played)" in out
    assert "blueprint" in out and "search" in out and "check" in out
    flop = [str(hu), "--hand", "QhJh", "--board", "Qs 7h 2c", "--history", "r300 c /", "--search"]
    assert "--search: the flop is not searched" in _error(flop, capsys)
    code, out = _out([*flop, "--search-streets", "flop", "--search-flop-runouts", "2"], capsys)
    assert code == 0, out
    assert "search: a subgame from the start of the flop" in out and "(played)" in out
    assert "--search-streets 'preflop'" in _error([*flop, "--search-streets", "preflop"], capsys)
    assert "--search-flop-runouts 0" in _error(
        [*flop, "--search-streets", "flop", "--search-flop-runouts", "0"], capsys
    )
    assert "--search-seconds 0" in _error([*argv, "--search", "--search-seconds", "0"], capsys)
    assert "--search-range-mass 0" in _error(
        [*argv, "--search", "--search-range-mass", "0"], capsys
    )
    assert "--search-opponent-floor 1" in _error(
        [*argv, "--search", "--search-opponent-floor", "1"], capsys
    )


def _error(argv, capsys):
    code, out = _out(argv, capsys)
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 2, out
    assert len(lines) == 1 and lines[0].startswith("error:"), out
    return lines[0]


def test_mistakes_are_one_line(runs, capsys, tmp_path):
    _, hu = runs
    assert "exactly two cards" in _error([str(hu), "--hand", "AsKdQh"], capsys)
    assert "in --hand and in --board" in _error(
        [str(hu), "--hand", "AsKd", "--board", "As7h2c", "--history", "c c"], capsys
    )
    assert "'zz' is not an action" in _error([str(hu), "--hand", "AsKd", "--history", "zz"], capsys)
    assert "give a board" in _error([str(hu), "--hand", "AsKd", "--history", "c c x"], capsys)
    assert "--blinds" in _error([str(hu), "--hand", "AsKd", "--blinds", "100"], capsys)
    assert "no such folder" in _error([str(tmp_path / "none"), "--hand", "AsKd"], capsys)
    moved = tmp_path / "moved"
    shutil.copytree(hu / "blueprint", moved)
    manifest = json.loads((moved / "manifest.json").read_text())
    manifest["files"]["betting"] = str(tmp_path / "gone.yaml")
    (moved / "manifest.json").write_text(json.dumps(manifest))
    assert "--betting FILE" in _error([str(moved), "--hand", "AsKd"], capsys)
    code, out = _out([str(moved), "--hand", "AsKd", "--betting", str(HU_SMALL)], capsys)
    assert code == 0, out
