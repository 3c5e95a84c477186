"""The ``holdem solve`` command: runs, progress and table, policy file, argument errors."""

import argparse

import pytest

from holdem.cfr.best_response import exploitability
from holdem.cfr.game import load_game
from holdem.cfr.policy_io import read_policy
from holdem.cli import solve


def main(argv):
    """Parse and run like ``holdem solve`` (``argv`` starts with the word ``solve``)."""
    assert argv[0] == "solve"
    parser = argparse.ArgumentParser(prog="holdem solve")
    solve.add_arguments(parser)
    return solve.run(parser.parse_args(argv[1:]))


def test_cfr_plus_on_leduc_writes_a_good_policy(tmp_path, capsys):
    out = tmp_path / "leduc.json"
    code = main(
        [
            "solve",
            "leduc",
            "--algo",
            "cfr+",
            "--seconds",
            "30",
            "--iterations",
            "300",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "iteration" in text and "exploitability" in text
    assert "300" in text
    game = load_game("leduc")
    # DCFR/CFR+ after 300 Leduc iterations: measured 3e-3; the test only asserts it learned.
    assert exploitability(game, read_policy(out, game)) < 0.01


def test_es_mccfr_with_every_option(tmp_path, capsys):
    out = tmp_path / "kuhn.json"
    code = main(
        [
            "solve",
            "kuhn",
            "--algo",
            "es-mccfr",
            "--seconds",
            "30",
            "--iterations",
            "20000",
            "--seed",
            "3",
            "--regrets",
            "int32",
            "--regret-scale",
            "1000",
            "--discount-interval",
            "1000",
            "--prune-start",
            "100",
            "--prune-threshold=-1e6",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    game = load_game("kuhn")
    assert exploitability(game, read_policy(out, game)) < 0.02
    assert "20,000" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--seconds", "0"], "--seconds must be positive"),
        (["--iterations", "0"], "--iterations must be 1 or more"),
        (["--seed", "-2"], "--seed must be 0 or more"),
        (["--algo", "es-mccfr", "--discount-cutoff", "10"], "needs --discount-interval"),
        (["--algo", "es-mccfr", "--regret-scale", "0"], "regret_scale must be positive"),
        (["--algo", "es-mccfr", "--prune-start", "5", "--prune-threshold", "3"], "negative regret"),
        (["--algo", "cfr+", "--regrets", "int32"], "--regrets is an es-mccfr option, which --algo"),
        (["--regret-floor", "-5"], "--regret-floor is an es-mccfr option"),
    ],
)
def test_bad_arguments_print_one_line(argv, message, capsys):
    assert main(["solve", "kuhn", *argv]) == 2
    assert message in capsys.readouterr().out


def test_out_must_not_be_a_directory(tmp_path, capsys):
    assert main(["solve", "kuhn", "--out", str(tmp_path)]) == 2
    assert "is a folder; give a file name like policy.json" in capsys.readouterr().out


def test_unknown_game_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "poker"])
    assert "invalid choice: 'poker'" in capsys.readouterr().err
