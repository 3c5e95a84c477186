"""``holdem lbr``: a run with its table and JSON, one-line errors, and a two-worker run stopped
by SIGTERM or a killed worker that leaves no process behind."""

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
from tests.processes import all_gone, cmdline, processes_with

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_prints_a_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "lbr.json"
    code = main(["lbr", "fold", "--hands", "30", "--num-workers", "1", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "+750.0 ± 0.0" in printed and "+1000.0 ± 0.0" in printed and "+500.0 ± 0.0" in printed
    assert (
        "action set: fold, check/call, bet 1 pot, all-in" in printed and f"wrote {out}" in printed
    )
    document = json.loads(out.read_text())
    assert document["format"] == "holdem-lbr" and document["opponent"] == "fold"
    assert document["deals"] == 30 and document["hands"] == 60
    assert document["mbb_per_hand"] == {"mean": 750.0, "ci95": [750.0, 750.0], "std_error": 0.0}
    assert document["mbb_per_hand_small_blind"]["mean"] == 1000.0
    assert document["action_set"]["pot_fractions"] == [1.0]
    assert document["table"]["stack"] == 10_000 and document["seed"] == 0


def test_the_action_set_flags(tmp_path, capsys):
    out = tmp_path / "lbr.json"
    argv = ["lbr", "call", "--hands", "4", "--num-workers", "1", "--out", str(out)]
    argv += ["--bet-sizes", "0.5,2", "--no-all-in", "--no-limp", "--raise-streets", "flop,river"]
    assert main(argv) == 0, capsys.readouterr().out
    actions = json.loads(out.read_text())["action_set"]
    assert actions["pot_fractions"] == [0.5, 2.0] and actions["all_in"] is False
    assert actions["limp"] is False and actions["raise_streets"] == ["flop", "river"]
    assert actions["label"] == (
        "fold, check/call, bet 0.5 pot, bet 2 pot (raises on flop, river) (no limp)"
    )


def test_the_actions_flag_takes_the_lbr_tables_notation(tmp_path, capsys):
    out = tmp_path / "lbr.json"
    argv = ["lbr", "call", "--hands", "4", "--num-workers", "1", "--out", str(out)]
    code = main([*argv, "--actions", "C/C/FCPA/FCPA"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    actions = json.loads(out.read_text())["action_set"]
    assert actions["raise_streets"] == actions["fold_streets"] == ["turn", "river"]
    line = _error_of(["call", "--actions", "C/C/FCPA/FCPA", "--bet-sizes", "2"], capsys)
    assert "--actions replaces --bet-sizes" in line
    assert "--actions 'FC/FC'" in _error_of(["call", "--actions", "FC/FC"], capsys)


def _error_of(argv, capsys):
    code = main(["lbr", *argv])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 2, out
    assert len(lines) == 1 and lines[0].startswith("error:"), out
    return lines[0]


def test_mistakes_are_one_line_each_before_any_work(tmp_path, capsys):
    assert "--hands must be 2 or more" in _error_of(["call", "--hands", "1"], capsys)
    assert "--seed must be 0 or more" in _error_of(["call", "--seed", "-1"], capsys)
    assert "--num-workers must be 0" in _error_of(["call", "--num-workers", "-2"], capsys)
    assert "'x' is not a number" in _error_of(["call", "--bet-sizes", "1,x"], capsys)
    assert "positive fraction" in _error_of(["call", "--bet-sizes", "-1"], capsys)
    assert "'flp' is not a street" in _error_of(["call", "--raise-streets", "flp"], capsys)
    assert "is a folder; give a file name" in _error_of(["call", "--out", str(tmp_path)], capsys)
    (tmp_path / "file").write_text("")
    blocked = tmp_path / "file" / "r.json"
    assert "is a file, so no folder" in _error_of(["call", "--out", str(blocked)], capsys)
    unknown = _error_of(["shark"], capsys)
    assert "'shark' is neither a baseline nor" in unknown and "random, call, raise-pot" in unknown
    assert "did you mean tag?" in _error_of(["rule-bott"], capsys)
    not_a_policy = tmp_path / "folder"
    not_a_policy.mkdir()
    assert str(not_a_policy) in _error_of([str(not_a_policy)], capsys)


def test_the_module_runs_as_a_command():
    done = subprocess.run(
        [sys.executable, "-m", "holdem.cli.lbr", "random", "--hands", "3", "--num-workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "LBR against random" in done.stdout


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "worker killed"])
def test_a_stopped_run_leaves_no_worker_behind(tmp_path, how):
    marker = f"HOLDEM_LBR_TEST={uuid.uuid4().hex}"
    name, value = marker.split("=")
    argv = ["call", "--hands", "10000000", "--num-workers", "2", "--out", str(tmp_path / "x")]
    process = subprocess.Popen(
        [sys.executable, "-m", "holdem.cli.lbr", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env={**os.environ, name: value},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while len(processes_with(marker)) < 3:  # the command and its two workers
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        time.sleep(2)
        if how == "worker killed":
            workers = [p for p in processes_with(marker) if b"spawn_main" in cmdline(p)]
            os.kill(workers[0], signal.SIGKILL)
        else:
            process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=120)
        assert all_gone(marker, 30), f"workers left after {how}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)
    text = out.decode()
    if how == "SIGTERM":
        assert process.returncode == 130, text
        assert "stopped (SIGTERM): no result written" in text
    else:
        assert process.returncode == 1, text
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) == 1 and "worker process ended abruptly" in lines[0], text
    assert not (tmp_path / "x").exists()
