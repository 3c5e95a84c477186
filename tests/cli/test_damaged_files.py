"""A damaged file in a run (a zero-length ``.npy``, as an interrupted copy leaves) is one line
naming it, in every command that reads a blueprint or a checkpoint."""

import shutil
import subprocess
import sys

import pytest

from holdem.cli.main import main
from holdem.training.checkpoint import list_checkpoints
from tests.policy.runs import train_push_fold


@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    """A push/fold run whose blueprint and checkpoint each hold an empty array file."""
    root = tmp_path_factory.mktemp("damaged")
    run = shutil.copytree(train_push_fold(root / "good", 20_000), root / "run")
    (run / "blueprint" / "rest.npy").write_bytes(b"")
    (list_checkpoints(run / "checkpoints")[-1] / "regret.npy").write_bytes(b"")
    return run


COMMANDS = {
    "strategy": (["strategy", "{run}", "--hand", "AsKd"], "rest.npy"),
    "chart": (["chart", "{run}", "--position", "SB", "--terminal"], "rest.npy"),
    "eval": (["eval", "--policy", "{run}", "--opponent", "call", "--num-workers", "1"], "rest.npy"),
    "lbr": (["lbr", "{run}", "--hands", "10", "--num-workers", "1"], "rest.npy"),
    "policy export": (["policy", "export", "{run}/blueprint", "--out", "{tmp}/p.json"], "rest.npy"),
    "train --resume-from": (["train", "--resume-from", "{run}", "--iters", "10"], "regret.npy"),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_an_empty_array_file_is_one_line_naming_it(damaged, tmp_path, capsys, command):
    template, name = COMMANDS[command]
    argv = [part.format(run=damaged, tmp=tmp_path) for part in template]
    code = main(argv)
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 2, out
    assert len(lines) == 1 and lines[0].startswith("error:"), out
    assert f"{name} is empty (0 bytes)" in lines[0]


def test_play_names_the_empty_file(damaged):
    done = subprocess.run(
        [sys.executable, "-m", "holdem.cli.main", "play", str(damaged)],
        input="q\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.startswith("error:") and "rest.npy is empty" in done.stdout
