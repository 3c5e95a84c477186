"""``holdem eval``: a run with its table and JSON, one-line errors, and a two-worker run in a
child process that gives the one-worker numbers and leaves no process behind."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from holdem.cli.main import main
from tests.policy.runs import ROOT, save_bucket_file, train_hu_small, train_push_fold
from tests.processes import all_gone, cmdline, processes_with


def test_a_run_prints_a_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "eval.json"
    argv = ["eval", "--policy", "raise-pot", "--opponent", "fold", "--opponent", "tag"]
    code = main([*argv, "--hands", "300", "--num-workers", "1", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "fold" in printed and "+750.0 ± 0.0" in printed and f"wrote {out}" in printed
    document = json.loads(out.read_text())
    assert document["format"] == "holdem-eval" and document["policy"] == "raise-pot"
    assert document["table"] == {
        "n_seats": 2, "small_blind": 50, "big_blind": 100, "stack": 10_000, "ante": 0,
        "duplicate": True,
    }  # fmt: skip
    fold, tag = document["matches"]
    assert fold["opponent"] == "fold" and tag["opponent"] == "tag"
    assert fold["hands"] == 600 and fold["units"] == 300
    assert fold["mbb_per_hand"] == 750.0 and fold["mbb_per_hand_ci95"] == [750.0, 750.0]
    assert fold["bb_per_100"] == 75.0
    low, high = tag["mbb_per_hand_ci95"]
    assert low < tag["mbb_per_hand"] < high


def test_six_seats_without_duplicate(tmp_path, capsys):
    out = tmp_path / "six.json"
    argv = ["eval", "--policy", "fold", "--opponent", "raise-pot", "--players", "6"]
    argv += ["--no-duplicate", "--hands", "60", "--num-workers", "1", "--out", str(out)]
    argv += ["--small-blind", "1", "--big-blind", "2", "--stack-bb", "50", "--ante", "1"]
    assert main(argv) == 0, capsys.readouterr().out
    (match,) = json.loads(out.read_text())["matches"]
    assert match["hands"] == 60 and match["units"] == 10
    assert match["mbb_per_hand"] == pytest.approx(-1000 * (1 + 2 + 6) / 6 / 2)


@pytest.mark.filterwarnings("ignore:The field 'time_zone_abbreviation'")
@pytest.mark.parametrize("players", [2, 3])
def test_every_hand_is_logged_as_pokerstars_writes_it(tmp_path, capsys, players):
    from pokerkit.notation import HandHistory

    out, log = tmp_path / "eval.json", tmp_path / "hands.txt"
    argv = ["eval", "--policy", "tag", "--opponent", "raise-pot", "--players", str(players)]
    argv += ["--hands", "30", "--num-workers", "1", "--out", str(out), "--log", str(log)]
    assert main(argv) == 0
    assert f"{30 * players} hands appended to {log}" in capsys.readouterr().out
    (match,) = json.loads(out.read_text())["matches"]
    histories = list(HandHistory.from_pokerstars(log.read_text(), error_status=True))
    assert len(histories) == match["hands"] == 30 * players
    won = 0
    for history in histories:
        final = list(history)[-1]
        for name, start, end in zip(
            history.players, history.starting_stacks, final.stacks, strict=True
        ):
            won += end - start if name.startswith("tag") else 0  # tag_1 multiway
    assert won == match["chips_won"]
    assert "--log-format" in _error_of(
        ["--policy", "tag", "--opponent", "call", "--log-format", "acpc", "--ante", "5"], capsys
    )


def _error_of(argv, capsys):
    code = main(["eval", *argv])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 2, out
    assert len(lines) == 1 and lines[0].startswith("error:"), out
    return lines[0]


def test_mistakes_are_one_line_each_before_any_work(tmp_path, capsys):
    ok = ["--policy", "tag", "--opponent", "call"]
    assert "--hands must be 1 or more" in _error_of([*ok, "--hands", "0"], capsys)
    assert "at least 2" in _error_of([*ok, "--hands", "1"], capsys)
    assert "--seed must be 0 or more" in _error_of([*ok, "--seed", "-1"], capsys)
    assert "--num-workers must be 0" in _error_of([*ok, "--num-workers", "-2"], capsys)
    assert "--players must be from 2 to 6 seats" in _error_of([*ok, "--players", "9"], capsys)
    assert "--small-blind must be from 1 chip to the big blind (100), got 200" in _error_of(
        [*ok, "--small-blind", "200"], capsys
    )
    assert "--big-blind must be 1 chip or more, got 0" in _error_of(
        [*ok, "--big-blind", "0"], capsys
    )
    assert "--ante must be 0 chips or more" in _error_of([*ok, "--ante", "-1"], capsys)
    assert "--stack-bb" in _error_of([*ok, "--stack-bb", "0"], capsys)
    assert "not a whole number of chips" in _error_of([*ok, "--stack-bb", "10.005"], capsys)
    assert "multiple of the 2 seats" in _error_of([*ok, "--no-duplicate", "--hands", "5"], capsys)
    assert "is a folder; give a file name" in _error_of([*ok, "--out", str(tmp_path)], capsys)
    (tmp_path / "file").write_text("")
    blocked = tmp_path / "file" / "r.json"
    assert "is a file, so no folder" in _error_of([*ok, "--out", str(blocked)], capsys)
    unknown = _error_of(["--policy", "tag", "--opponent", "shark"], capsys)
    assert "'shark' is neither a baseline nor an existing path" in unknown
    assert "the baselines are random, call, raise-pot, fold, tag" in unknown
    assert "did you mean call?" in _error_of(["--policy", "tag", "--opponent", "calll"], capsys)
    assert "'nope'" in _error_of(["--policy", "nope", "--opponent", "call"], capsys)
    not_a_policy = tmp_path / "folder"
    not_a_policy.mkdir()
    assert str(not_a_policy) in _error_of(
        ["--policy", "tag", "--opponent", str(not_a_policy)], capsys
    )


def test_policies_of_other_games_are_named_in_a_warning(tmp_path, capsys):
    """A 10 bb blueprint against a 5 bb one plays, with a line saying the games differ."""
    ten, five = tmp_path / "ten", tmp_path / "five"
    train_push_fold(ten, 2_000)
    train_push_fold(five, 2_000, betting=ROOT / "configs/pushfold_5bb.yaml")
    argv = ["eval", "--policy", str(ten), "--opponent", str(five), "--opponent", "call"]
    assert main([*argv, "--hands", "10", "--num-workers", "1"]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {five} was trained with stacks of 5 big blinds but the table plays 10 (set "
        "--stack-bb to choose the table's)"
    ]
    assert main([*argv, "--hands", "10", "--num-workers", "1", "--ante", "10"]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if "ante" in line]
    assert warnings == [
        f"warning: {path} was trained with an ante of 0 big blinds but the table's is 0.1 (set "
        "--ante to choose the table's, in chips)"
        for path in (ten, five)
    ]


@pytest.fixture(scope="module")
def hu(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval_search")
    return train_hu_small(root / "hu", save_bucket_file(root / "buckets.npz"))


def test_a_blueprint_searches_on_the_side_asked(hu, tmp_path, capsys):
    out = tmp_path / "eval.json"
    argv = ["eval", "--policy", str(hu), "--opponent", "call", "--hands", "4"]
    argv += ["--num-workers", "1", "--search", "--search-seconds", "0.3", "--out", str(out)]
    code = main(argv)
    printed = capsys.readouterr().out
    assert code == 0, printed
    document = json.loads(out.read_text())
    assert document["policy"] == f"{hu} with search"
    assert document["matches"][0]["opponent"] == "call"
    line = _error_of(
        ["--policy", str(hu), "--opponent", "call", "--search", "--search-side", "opponents"],
        capsys,
    )
    assert "no blueprint on that side" in line


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_two_workers_in_a_child_process_match_one_worker_and_leave_no_process(tmp_path, capsys):
    marker = f"HOLDEM_EVAL_TEST={uuid.uuid4().hex}"
    out = tmp_path / "two.json"
    argv = ["--policy", "tag", "--opponent", "random", "--hands", "700", "--seed", "4"]
    command = [sys.executable, "-m", "holdem.cli.eval_blueprint", *argv]
    log = ["--log-format", "acpc", "--log"]
    done = subprocess.run(
        [*command, "--num-workers", "2", "--out", str(out), *log, str(tmp_path / "two.acpc")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, marker.split("=")[0]: marker.split("=")[1]},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    deadline = time.monotonic() + 30
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(marker) == []
    (two,) = json.loads(out.read_text())["matches"]
    assert two["workers"] == 2
    alone = tmp_path / "one.json"
    argv_one = [*argv, "--num-workers", "1", "--out", str(alone), *log, str(tmp_path / "one.acpc")]
    assert main(["eval", *argv_one]) == 0
    capsys.readouterr()
    hands = (tmp_path / "one.acpc").read_text()
    assert hands.count("STATE:") == 1_400 and hands == (tmp_path / "two.acpc").read_text()
    (one,) = json.loads(alone.read_text())["matches"]
    for key in (
        "mbb_per_hand",
        "mbb_per_hand_ci95",
        "chips_won",
        "actions",
        "mbb_per_hand_by_seat",
    ):
        assert one[key] == two[key], key


def _start_long_run(tmp_path, marker: str) -> subprocess.Popen:
    """A long two-worker run in its own process group, with ``marker`` in its environment."""
    name, value = marker.split("=")
    argv = ["--policy", "tag", "--opponent", "call", "--hands", "10000000", "--num-workers", "2"]
    return subprocess.Popen(
        [sys.executable, "-m", "holdem.cli.eval_blueprint", *argv, "--out", str(tmp_path / "x")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env={**os.environ, name: value},
        start_new_session=True,
    )


def _wait_for_workers(marker: str) -> None:
    deadline = time.monotonic() + 120
    while len(processes_with(marker)) < 3:  # the command and its two workers
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.2)
    time.sleep(2)  # let them play


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL", "worker killed"])
def test_a_stopped_run_leaves_no_worker_behind(tmp_path, how):
    marker = f"HOLDEM_EVAL_TEST={uuid.uuid4().hex}"
    process = _start_long_run(tmp_path, marker)
    try:
        _wait_for_workers(marker)
        # SIGTERM to the command alone: it stops its pool. SIGKILL: the workers notice that
        # their parent is gone and exit on their own. A worker killed: the command says so.
        if how == "worker killed":
            workers = [p for p in processes_with(marker) if b"spawn_main" in cmdline(p)]
            os.kill(workers[0], signal.SIGKILL)
        else:
            process.send_signal(getattr(signal, how))
        out, _ = process.communicate(timeout=60)
        assert all_gone(marker, 30), f"workers left after {how}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)
    if how == "SIGTERM":
        assert process.returncode == 130, out.decode()
        assert b"stopped (SIGTERM): no result written" in out
    if how == "worker killed":
        assert process.returncode == 1, out.decode()
        lines = [line for line in out.decode().splitlines() if line.strip()]
        assert len(lines) == 1 and "worker process ended abruptly" in lines[0], out.decode()
    assert not (tmp_path / "x").exists()
