"""A trained blueprint as an agent: exact zero against itself, antisymmetry, the table it was
trained for, and the same numbers from two workers (where it travels as a path) as from one."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from holdem.cli.main import main
from holdem.eval.blueprint_agent import BlueprintAgent
from holdem.eval.match import MatchConfig, play_match
from holdem.eval.registry import make_agent

pytest.importorskip("holdem.policy.blueprint", reason="the policy room (Blueprint) is missing")

ROOT = Path(__file__).resolve().parents[2]
PUSHFOLD = ROOT / "configs/blueprint_pushfold_10bb.yaml"


@pytest.fixture(scope="module")
def pushfold(tmp_path_factory) -> Path:
    """The blueprint of a short push/fold run at 10 big blinds (trained in a few seconds)."""
    logdir = tmp_path_factory.mktemp("eval_pushfold") / "run"
    argv = ["train", "--config", str(PUSHFOLD), "--logdir", str(logdir), "--iters", "100000"]
    assert main(argv) == 0
    return logdir / "blueprint"


def test_a_blueprint_against_itself_scores_exactly_zero_and_swaps_antisymmetrically(pushfold):
    agent = make_agent(str(pushfold))
    assert isinstance(agent, BlueprintAgent)
    assert agent.n_players == 2 and agent.stack_bb == 10.0
    config = MatchConfig(stack=1_000)
    itself = play_match(agent, agent, 300, config, seed=2)
    assert not itself.unit_chips.any()
    forward = play_match(agent, make_agent("tag"), 300, config, seed=2)
    backward = play_match(make_agent("tag"), agent, 300, config, seed=2)
    assert forward.unit_chips.any()
    np.testing.assert_array_equal(forward.unit_chips, -backward.unit_chips)
    # push/fold jams or folds the small blind: against a folder it never loses more than 50
    # and wins the big blind whenever it jams
    folder = play_match(agent, make_agent("fold"), 300, config, seed=2)
    assert folder.mbb_per_hand().mean > 0


def test_the_cli_takes_the_blueprints_table_and_refuses_another_seat_count(pushfold, capsys):
    out = pushfold.parent / "eval.json"
    argv = ["eval", "--policy", str(pushfold), "--opponent", "call", "--hands", "50"]
    assert main([*argv, "--num-workers", "1", "--out", str(out)]) == 0
    document = json.loads(out.read_text())
    assert document["table"]["stack"] == 1_000 and document["table"]["n_seats"] == 2
    capsys.readouterr()
    assert main([*argv, "--players", "3"]) == 2
    line = capsys.readouterr().out.strip()
    assert "plays 2 seats but the table has 3" in line and "\n" not in line


def test_two_workers_load_the_blueprint_and_match_one_worker(pushfold, tmp_path):
    argv = ["--policy", str(pushfold), "--opponent", "random", "--opponent", str(pushfold)]
    argv += ["--hands", "600", "--seed", "8"]
    two = tmp_path / "two.json"
    command = [sys.executable, "-m", "holdem.cli.eval_blueprint", *argv]
    done = subprocess.run(
        [*command, "--num-workers", "2", "--out", str(two)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=dict(os.environ),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    one = tmp_path / "one.json"
    assert main(["eval", *argv, "--num-workers", "1", "--out", str(one)]) == 0
    for a, b in zip(
        json.loads(one.read_text())["matches"], json.loads(two.read_text())["matches"], strict=True
    ):
        assert (a["mbb_per_hand"], a["chips_won"], a["actions"]) == (
            b["mbb_per_hand"],
            b["chips_won"],
            b["actions"],
        )
        assert b["workers"] == 2
