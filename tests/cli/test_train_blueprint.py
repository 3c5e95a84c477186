"""``holdem train``: a push/fold run and its export, argument errors, SIGTERM and resume."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from holdem.cli.main import build_parser, main
from holdem.cli.train_blueprint import prepare
from holdem.training.checkpoint import list_checkpoints
from holdem.training.metrics import read_metrics

ROOT = Path(__file__).resolve().parents[2]
PUSHFOLD = str(ROOT / "configs/blueprint_pushfold_10bb.yaml")


def test_push_fold_trains_to_a_small_exact_exploitability_and_exports(tmp_path, capsys):
    logdir = tmp_path / "run"
    logdir.mkdir()
    (logdir / "metrics.jsonl").write_text('{"iteration": 5}\n')  # an earlier run's
    argv = ["train", "--config", PUSHFOLD, "--logdir", str(logdir), "--iters", "2000000"]
    code = main([*argv, "--overwrite"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "exploitability" in out and "small blind jams" in out and "AKs" in out
    records = read_metrics(logdir / "metrics.jsonl")
    assert records[-1]["iteration"] == 2_000_000
    # Measured when written (seed 0): 0.450 bb/hand at the first report, 0.00255 after 2M.
    assert records[-1]["exploitability_bb"] < 0.004
    assert records[-1]["exploitability_bb"] < records[0]["exploitability_bb"] / 10
    policy = tmp_path / "policy.json"
    assert main(["policy", "export", str(logdir / "blueprint"), "--out", str(policy)]) == 0
    rows = json.loads(policy.read_text())
    assert len(rows) == 2 * 169
    assert set(rows["AA|"]) == {"f", "r"} and rows["AA|"]["r"] > 0.99
    assert set(rows["72o|r"]) == {"f", "c"} and rows["72o|r"]["f"] > 0.99


def _error_of(argv, capsys):
    code = main(["train", *argv])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert code == 2, out
    assert len(lines) == 1 and lines[0].startswith("error:"), out
    assert "Traceback" not in out
    return lines[0]


def test_mistakes_are_one_line_each_before_any_work(tmp_path, capsys):
    hu_small = str(ROOT / "configs/hu_small.yaml")
    config = tmp_path / "c.yaml"
    config.write_text(f"betting: {hu_small}\nbuckets: {tmp_path / 'buckets_mid.pkl'}\n")
    logdir = ["--logdir", str(tmp_path / "run")]
    assert "--config" in _error_of(logdir, capsys)
    assert "--time-budget must be a positive" in _error_of(
        ["--config", PUSHFOLD, "--time-budget", "-5", *logdir], capsys
    )
    assert "--iters must be 1 or more" in _error_of(
        ["--config", PUSHFOLD, "--iters", "0", *logdir], capsys
    )
    missing = _error_of(["--config", str(config), *logdir], capsys)
    assert "holdem buckets build --preset mid --out" in missing and "buckets_mid.pkl" in missing
    (tmp_path / "buckets_mid.pkl").write_bytes(b"\x80\x04\x95" + bytes(100))
    assert "buckets_mid.pkl" in _error_of(["--config", str(config), *logdir], capsys)
    assert "decisions after the preflop" in _error_of(
        ["--config", str(config), "--buckets", "lossless-preflop", *logdir], capsys
    )
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    assert "cannot write there" in _error_of(
        ["--config", PUSHFOLD, "--logdir", str(blocker / "run")], capsys
    )
    leduc = tmp_path / "leduc_blueprint.yaml"
    leduc.write_text(f"betting: {ROOT / 'configs/leduc.yaml'}\n")
    assert "holdem solve" in _error_of(["--config", str(leduc), *logdir], capsys)
    assert "no checkpoint here" in _error_of(["--resume-from", str(tmp_path)], capsys)
    earlier = tmp_path / "earlier"
    (earlier / "checkpoints").mkdir(parents=True)
    assert "--overwrite" in _error_of(["--config", PUSHFOLD, "--logdir", str(earlier)], capsys)


def test_opponent_averaging_beyond_two_players_is_refused_in_one_line(tmp_path, capsys):
    betting = tmp_path / "pushfold_3.yaml"
    betting.write_text(
        "game: {players: 3, stack: 1000, blinds: [50, 100]}\n"
        "betting:\n"
        "  preflop: {all_in: true, max_raises: 1, limp: false}\n"
        "  flop: {max_raises: 0}\n  turn: {max_raises: 0}\n  river: {max_raises: 0}\n"
    )
    config = tmp_path / "c.yaml"
    config.write_text(f"betting: {betting}\naverage: {{update: opponent, sums: all}}\n")
    logdir = ["--logdir", str(tmp_path / "run")]
    line = _error_of(["--config", str(config), *logdir], capsys)
    assert "average.update: opponent averaging is biased" in line and "(3 here)" in line
    heads_up = tmp_path / "hu.yaml"
    pushfold = ROOT / "configs/pushfold_10bb.yaml"
    heads_up.write_text(f"betting: {pushfold}\naverage: {{update: opponent, sums: all}}\n")
    line = _error_of(["--config", str(heads_up), "--num-players", "4", *logdir], capsys)
    assert "average.update" in line and "(4 here)" in line


def _wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def test_sigterm_writes_a_checkpoint_and_the_run_resumes(tmp_path):
    logdir = tmp_path / "run"
    command = [sys.executable, "-m", "holdem.cli.train_blueprint", "--logdir", str(logdir)]
    process = subprocess.Popen(
        [*command, "--config", PUSHFOLD, "--time-budget", "600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        metrics = logdir / "metrics.jsonl"
        _wait_for(lambda: metrics.exists() and len(read_metrics(metrics)) >= 2, 240, "metrics")
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, out.decode()
    assert b"stopped (SIGTERM)" in out
    (checkpoint,) = list_checkpoints(logdir / "checkpoints")
    assert not (logdir / "blueprint").exists()
    reached = int(checkpoint.name.split("_")[1])
    resumed = subprocess.run(
        [*command, "--resume-from", str(checkpoint), "--iters", str(reached + 100_000)],
        capture_output=True,
        timeout=240,
    )
    assert resumed.returncode == 0, resumed.stdout.decode() + resumed.stderr.decode()
    assert read_metrics(logdir / "metrics.jsonl")[-1]["iteration"] == reached + 100_000
    assert (logdir / "blueprint" / "manifest.json").is_file()


def test_times_on_the_command_line_are_written_as_in_configs():
    args = build_parser("train").parse_args(
        ["train", "--config", PUSHFOLD, "--time-budget", "10m", "--snapshot-interval", "90s"]
    )
    config, *_ = prepare(args)
    assert (config.time_budget, config.snapshot_interval) == (600.0, 90.0)


def test_a_resume_whose_budget_is_spent_stops_before_writing(tmp_path, capsys):
    """Budgets are totals: a resume with a budget the run already used says so and writes
    nothing (it used to train 0 iterations and rewrite the blueprint and checkpoint)."""
    logdir = tmp_path / "run"
    assert main(["train", "--config", PUSHFOLD, "--logdir", str(logdir), "--iters", "20000"]) == 0
    capsys.readouterr()
    before = {p: p.stat().st_mtime_ns for p in logdir.rglob("*")}
    line = _error_of(["--resume-from", str(logdir), "--iters", "10000"], capsys)
    assert "already ran 20,000 iterations" in line and "budgets are totals" in line
    assert "--iters 30000" in line
    line = _error_of(["--resume-from", str(logdir), "--time-budget", "0.001"], capsys)
    assert "past the time budget of 0.001 s" in line and "--time-budget" in line
    assert {p: p.stat().st_mtime_ns for p in logdir.rglob("*")} == before


def test_a_resumed_run_keeps_its_seed(tmp_path, capsys):
    assert "keeps its generators" in _error_of(
        ["--resume-from", str(tmp_path), "--seed", "3"], capsys
    )


@pytest.mark.timeout(420)
def test_the_users_command_runs_as_typed(tmp_path):
    """The command of the field reports, with a short budget and a bucket file named .pkl."""
    from holdem.abstraction.random_abstraction import random_abstraction

    assets = tmp_path / "assets" / "abstraction"
    assets.mkdir(parents=True)
    # The mid preset's counts; the file name ends in .pkl but holds our format, no pickle.
    random_abstraction({"preflop": 169, "flop": 100, "turn": 100, "river": 100}, 0).save(
        assets / "buckets_mid.pkl"
    )
    command = [
        sys.executable,
        "-m",
        "holdem.cli.train_blueprint",
        "--config",
        str(ROOT / "configs/blueprint_training_5h_parallel.yaml"),
        "--time-budget",
        "12",
        "--snapshot-interval",
        "4",
        "--buckets",
        "assets/abstraction/buckets_mid.pkl",
        "--logdir",
        "runs/blueprint_8h",
        "--tensorboard",
        "--num-workers",
        "2",
        "--batch-size",
        "100",
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=400)
    out = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, out
    assert "compiled" not in out  # workers load the kernels the parent compiled
    # Not a terminal: one line per report, with the time left and each worker's rate.
    assert "left)" in out and "workers it/s" in out
    logdir = tmp_path / "runs" / "blueprint_8h"
    for name in ("config.yaml", "metrics.jsonl", "blueprint/manifest.json"):
        assert (logdir / name).is_file(), name
    assert list_checkpoints(logdir / "checkpoints")
    assert len(list((logdir / "snapshots").iterdir())) >= 2
    assert list((logdir / "tensorboard").glob("events.out.tfevents.*"))
    last = read_metrics(logdir / "metrics.jsonl")[-1]
    assert len(last["workers"]) == 2 and all(w["iterations"] > 0 for w in last["workers"])
    assert all(r > 0 for r in last["avg_positive_regret"])


def test_a_resume_keeps_its_batch_size_and_names_a_skipped_checkpoint(tmp_path, capsys):
    logdir = tmp_path / "run"
    first = ["--logdir", str(logdir), "--iters", "20000", "--batch-size", "500"]
    assert main(["train", "--config", PUSHFOLD, *first]) == 0
    capsys.readouterr()
    line = _error_of(["--resume-from", str(logdir), "--batch-size", "1000"], capsys)
    assert "batches of 500 iterations" in line and "--batch-size 500" in line
    # Without the flag the checkpoint's batch size is kept, whatever the config file says.
    assert (
        main(["train", "--config", PUSHFOLD, "--resume-from", str(logdir), "--iters", "40000"]) == 0
    )
    newest = list_checkpoints(logdir / "checkpoints")[-1]
    assert newest.name == "iter_000000040000"
    regret = newest / "regret.npy"
    data = bytearray(regret.read_bytes())
    data[-1] ^= 0xFF
    regret.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["train", "--resume-from", str(logdir), "--iters", "60000"]) == 0
    out = capsys.readouterr().out
    (warning,) = [line for line in out.splitlines() if line.startswith("warning: skipped")]
    assert str(newest) in warning and "regret array does not match its checksum" in warning
    assert "resuming at iteration 20,000" in out


def test_ray_flags_set_the_cluster_and_off_trains_a_cluster_run_here(tmp_path, capsys):
    def config_of(*flags):
        args = build_parser("train").parse_args(["train", *flags])
        return prepare(args)[0]

    on_cluster = config_of(
        "--config", PUSHFOLD, "--ray", "head:6379", "--sync-interval", "2m", "--num-workers", "3"
    )
    assert on_cluster.cluster.ray == "head:6379"
    assert (on_cluster.cluster.sync_interval, on_cluster.cluster.workers_per_node) == (120.0, 3)
    configured = tmp_path / "cluster.yaml"
    configured.write_text(
        f"betting: {ROOT / 'configs/pushfold_10bb.yaml'}\ncluster: {{ray: auto}}\n"
    )
    assert config_of("--config", str(configured)).cluster.ray == "auto"
    assert config_of("--config", str(configured), "--ray", "off").cluster is None
    assert config_of("--config", PUSHFOLD).cluster is None
    logdir = ["--logdir", str(tmp_path / "run")]
    assert "add --ray auto" in _error_of(
        ["--config", PUSHFOLD, "--sync-interval", "1m", *logdir], capsys
    )
    # Nothing listens on port 1: refused at once, in one line, before any training.
    code = main(["train", "--config", PUSHFOLD, "--ray", "127.0.0.1:1", *logdir])
    out = capsys.readouterr().out
    assert code == 2 and "Traceback" not in out
    assert out.strip().splitlines()[-1].startswith("error: --ray 127.0.0.1:1: nothing answers")


def test_a_run_on_one_machine_never_imports_ray(tmp_path):
    script = (
        "import sys\n"
        "from holdem.cli.main import main\n"
        f"code = main(['train', '--config', {PUSHFOLD!r}, '--iters', '20000', '--logdir', "
        f"{str(tmp_path / 'run')!r}])\n"
        "assert code == 0, code\n"
        "print('ray imported' if 'ray' in sys.modules else 'no ray')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "no ray"
