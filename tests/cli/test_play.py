"""``holdem play`` driven by scripted keystrokes in a child process, with a seed."""

import subprocess
import sys

import pytest

from tests.policy.runs import ROOT, save_bucket_file, train_hu_small


@pytest.fixture(scope="module")
def hu(tmp_path_factory):
    root = tmp_path_factory.mktemp("play")
    return train_hu_small(root / "hu", save_bucket_file(root / "buckets.npz"))


def _play(args, keys):
    done = subprocess.run(
        [sys.executable, "-m", "holdem.cli.main", "play", *args],
        input=keys,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_a_scripted_session_plays_answers_mistakes_and_reports(hu):
    keys = "zz\nr 1\nbet\n" + "c\n" * 300
    code, out, err = _play([str(hu), "--seed", "7", "--hands", "5"], keys)
    assert code == 0, err
    assert "Traceback" not in out + err
    assert "Hand 1: you are SB" in out and "Hand 5: you are SB" in out
    assert "Your cards:" in out and "You may: f (fold), c (call 50), r <200..10000>" in out
    assert "Not allowed: 'zz' is not an action" in out
    assert "Not allowed: you cannot raise to 1: the minimum raise is to 200" in out
    assert "needs an amount" in out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("Session: 5 hands, you ") and "bb/100" in summary
    # The same seed and keys give the same session.
    assert _play([str(hu), "--seed", "7", "--hands", "5"], keys)[1] == out


def test_a_session_against_the_searching_blueprint(hu):
    """Calling down 8 hands: the bot searches the turn and river as it plays."""
    args = [str(hu), "--seed", "7", "--hands", "8", "--search", "--search-seconds", "0.3"]
    args += ["--search-streets", "turn,river"]
    code, out, err = _play(args, "c\n" * 200)
    assert code == 0, err
    assert "Traceback" not in out + err
    assert "searching the turn and river" in out.splitlines()[0]
    assert "-- turn:" in out
    assert out.strip().splitlines()[-1].startswith("Session: 8 hands")
    code, out, _ = _play([str(hu), "--search", "--search-seconds", "-1"], "")
    assert code == 2 and out.startswith("error: --search-seconds -1")


def test_quit_and_end_of_input_end_the_session_with_its_result(hu):
    code, out, _ = _play([str(hu), "--seed", "1"], "q\n")
    assert code == 0 and out.strip().splitlines()[-1].startswith("Session: 0 hands")
    code, out, _ = _play([str(hu), "--seed", "1"], "c\nc\n")
    assert code == 0 and "Session:" in out.strip().splitlines()[-1]


def test_bad_arguments_are_one_line(hu, tmp_path):
    code, out, _ = _play([str(tmp_path), "--seed", "1"], "")
    assert code == 2 and out.startswith("error:") and len(out.strip().splitlines()) == 1
    code, out, _ = _play([str(hu), "--hands", "0"], "")
    assert code == 2 and "--hands must be 1 or more" in out
    made = tmp_path / "no" / "hands.txt"  # missing folders are made, as for every output
    code, out, _ = _play([str(hu), "--seed", "1", "--log", str(made)], "q\n")
    assert code == 0 and made.is_file(), out
    code, out, _ = _play([str(hu), "--log", str(tmp_path)], "")
    assert code == 2 and out.startswith("error: --log ") and "is a folder" in out
    code, out, _ = _play([str(hu), "--log", str(tmp_path / "h.txt"), "--log-format", "xml"], "")
    assert code == 2 and out.startswith("error: --log-format 'xml' is not a format: use one of")


@pytest.mark.parametrize("log_format", ["pokerstars", "acpc"])
def test_a_session_writes_its_hands_to_the_log(hu, tmp_path, log_format):
    log = tmp_path / "hands.txt"
    args = [str(hu), "--seed", "3", "--hands", "3", "--hints", "--log", str(log)]
    code, out, err = _play([*args, "--log-format", log_format], "c\n" * 100)
    assert code == 0, err
    assert "Hint: the blueprint here with your hand plays " in out
    assert f"3 hands appended to {log}" in out
    text = log.read_text()
    if log_format == "pokerstars":
        assert text.count("PokerStars Hand #") == 3 and "Dealt to you [" in text
    else:
        lines = text.splitlines()
        assert len(lines) == 3 and all(line.startswith("STATE:") for line in lines)
        assert lines[0].startswith("STATE:0:") and lines[0].endswith(":blueprint|you")
