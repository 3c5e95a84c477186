"""Killing the multiprocessing resource tracker during a parallel run: the run ends as usual,
with one warning line instead of a screen of ``KeyError`` tracebacks, and leaves no process and
no shared-memory block behind. The test cleans up whatever it started, whatever happens."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from multiprocessing import resource_tracker
from pathlib import Path

import pytest

from holdem.resource_tracker import revive_quietly
from holdem.training.metrics import read_metrics
from holdem.training.shared_arrays import SHM_FOLDER, leaked_blocks
from tests.processes import all_gone, cmdline, processes_with

ROOT = Path(__file__).resolve().parents[1]


def test_a_live_tracker_is_left_alone():
    resource_tracker.ensure_running()
    assert revive_quietly() is False


def _is_worker(pid: int) -> bool:
    return b"spawn_main" in cmdline(pid)


@pytest.mark.timeout(300)
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", ["train", "eval"])
def test_killing_the_resource_tracker_prints_no_traceback_and_leaves_nothing(tmp_path, command):
    """Mid-run (two workers at work) the tracker is killed, then the run stopped by SIGTERM."""
    marker = f"HOLDEM_TRACKER_TEST={uuid.uuid4().hex}"
    metrics = tmp_path / "run" / "metrics.jsonl"
    if command == "train":
        argv = ["holdem.cli.train_blueprint", "--logdir", str(metrics.parent), "--config"]
        argv += [str(ROOT / "configs/blueprint_pushfold_10bb.yaml"), "--time-budget", "600"]
    else:
        argv = ["holdem.cli.eval_blueprint", "--policy", "tag", "--opponent", "call"]
        argv += ["--hands", "100000000"]
    name, value = marker.split("=")
    process = subprocess.Popen(
        [sys.executable, "-m", *argv, "--num-workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, name: value, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 240

        def working() -> bool:
            if command == "train":
                return metrics.exists() and len(read_metrics(metrics)) >= 2
            return len([p for p in processes_with(marker) if _is_worker(p)]) >= 2

        while not working():
            assert time.monotonic() < deadline, "the workers did not start within 240 s"
            assert process.poll() is None, process.communicate()
            time.sleep(0.2)
        time.sleep(1.0)
        (tracker,) = [p for p in processes_with(marker) if b"resource_tracker" in cmdline(p)]
        os.kill(tracker, signal.SIGKILL)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in processes_with(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for block in leaked_blocks(process.pid):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(SHM_FOLDER, block))
    assert process.returncode == 130, out.decode() + err.decode()
    assert b"Traceback" not in err and b"KeyError" not in err, err.decode()
    if command == "train":
        assert b"resource tracker was killed during the run" in out
    assert leaked_blocks(process.pid) == []
    assert all_gone(marker, 10), [cmdline(p) for p in processes_with(marker)]
