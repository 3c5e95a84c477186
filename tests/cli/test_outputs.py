"""One rule for every command's output path: missing folders are created, and a path that
cannot be written is refused before any work, in one line naming the flag."""

from pathlib import Path

import pytest

from holdem.cli.main import main
from holdem.cli.outputs import check_output
from tests.policy.runs import train_push_fold

RIVER = ["--board", "Qs Jh 2h 8d 3c", "--pot", "1000", "--stack", "9500"]
RIVER += ["--oop", "AA,KK,QQ", "--ip", "JJ-99", "--bets", "75", "--iterations", "4"]


def test_check_output_allows_missing_folders_and_names_what_is_in_the_way(tmp_path):
    check_output(tmp_path / "new" / "deeper" / "x.json")
    check_output(tmp_path / "new" / "folder", folder=True)
    (tmp_path / "file").write_text("")
    for path, folder, message in [
        (tmp_path, False, "is a folder; give a file name like x.json"),
        (tmp_path / "file", True, "is a file; give the name of a folder"),
        (tmp_path / "file" / "x.json", False, "file is a file, so no folder can be made there"),
        (tmp_path / "file" / "a" / "b", True, "file is a file, so no folder can be made there"),
    ]:
        with pytest.raises(ValueError, match=message) as error:
            check_output(path, "--out", "x.json", folder=folder)
        assert str(error.value).startswith(f"--out {path}")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    return train_push_fold(tmp_path_factory.mktemp("outputs") / "run", 20_000)


COMMANDS = {
    "solve": ["solve", "kuhn", "--seconds", "0.2", "--out", "{out}.json"],
    "policy export": ["policy", "export", "{run}/blueprint", "--out", "{out}.json"],
    "average": ["average", "{run}", "--out", "{out}"],
    "chart": ["chart", "{run}", "--position", "SB", "--out", "{out}.png"],
    "plot": ["plot", "{run}", "--out", "{out}.png"],
    "eval": [
        "eval",
        "--policy",
        "{run}",
        "--opponent",
        "call",
        "--hands",
        "4",
        "--out",
        "{out}.json",
    ],
    "lbr": ["lbr", "{run}", "--hands", "4", "--num-workers", "1", "--out", "{out}.json"],
    "spot": ["spot", *RIVER, "--out", "{out}.json"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_creates_missing_output_folders(run, tmp_path, capsys, command):
    out = tmp_path / "new" / "deeper" / "result"
    argv = [part.format(run=run, out=out) for part in COMMANDS[command]]
    argv += ["--num-workers", "1"] if command == "eval" else []
    code = main(argv)
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert [p for p in out.parent.iterdir() if not p.name.startswith(".")], printed


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_file_in_the_way_before_any_work(run, tmp_path, capsys, command):
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "result"
    code = main([part.format(run=run, out=out) for part in COMMANDS[command]])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"error: --out {out}") and "is a file, so no folder" in lines[0]


def test_spot_chart_creates_missing_folders_too(tmp_path, capsys):
    solution = tmp_path / "spot.json"
    assert main(["spot", *RIVER, "--out", str(solution)]) == 0
    png = tmp_path / "charts" / "x.png"
    assert main(["spot", "chart", str(solution), "--node", "x", "--out", str(png)]) == 0
    assert png.is_file(), capsys.readouterr().out
