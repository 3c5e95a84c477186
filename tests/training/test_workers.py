"""Training on spawned workers: pickling under spawn, shared tables, faults named and survived,
no orphaned process or leaked shared memory. Every test carries a timeout."""

import multiprocessing
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from holdem.training import batches, worker
from holdem.training.checkpoint import list_checkpoints, load_checkpoint
from holdem.training.config import train_config_from_dict
from holdem.training.exact import exact_evaluator
from holdem.training.metrics import read_metrics
from holdem.training.shared_arrays import check_capacity, leaked_blocks
from holdem.training.supervisor import PoolSettings, WorkerError
from holdem.training.trainer import Trainer
from holdem.training.training_game import load_training_game

ROOT = Path(__file__).resolve().parents[2]
PUSHFOLD = ROOT / "configs/pushfold_10bb.yaml"


def pushfold_config(**changes):
    data = {
        "betting": str(PUSHFOLD),
        "seed": 3,
        "iterations": 1_000_000,
        "time_budget": None,
        "batch": 2048,
        "regrets": {"dtype": "int32", "scale": 10.0},
        "discount": {"interval": 100_000, "cutoff": 10_000_000},
        "report_interval": 0.5,
        "checkpoint_interval": None,
        "snapshot_interval": None,
    }
    data.update(changes)
    return train_config_from_dict(data)


def run(config, logdir, workers, settings=None, resume=None, notes=None):
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(
        config,
        training,
        logdir,
        evaluator=exact_evaluator(training),
        num_workers=workers,
        pool_settings=settings,
        say=(notes.append if notes is not None else print),
    )
    trainer.allocate(resume)
    return trainer, trainer.train()


def children_of(pid):
    """Live worker processes whose parent is ``pid`` (Linux /proc; Python's resource tracker,
    which lives as long as the process that started it, is not a worker)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z" and not _is_tracker(int(entry)):
                found.append(int(entry))
    return found


@pytest.fixture(autouse=True)
def no_leaks():
    before = set(children_of(os.getpid()))
    yield
    assert leaked_blocks(os.getpid()) == [], "shared memory blocks left behind"
    deadline = time.monotonic() + 5
    while set(children_of(os.getpid())) - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not set(children_of(os.getpid())) - before, "worker processes left behind"


def test_everything_a_worker_runs_pickles_under_spawn():
    assert multiprocessing.get_context("spawn").get_start_method() == "spawn"
    for function in (
        worker.worker_main,
        worker.build_game,
        worker.with_pruning,
        batches.run_batches,
    ):
        assert pickle.loads(pickle.dumps(function)) is function
    config = pushfold_config()
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(config, training, Path("/nonexistent"), num_workers=2)
    from holdem.training.supervisor import WorkerPool

    pool = WorkerPool(training, trainer._options, None, 0, 64, None, 2)
    try:
        pool.allocate("regret", 10, "i4")
        spec = pool._spec(1)
        assert pickle.loads(pickle.dumps(spec)) == spec
    finally:
        pool.close()


@pytest.mark.timeout(240)
def test_two_workers_reach_the_one_worker_bound_on_push_fold(tmp_path):
    # Measured when written after 1M iterations: 0.00451 (seed 3) and 0.00406 (seed 4) bb/hand
    # with one process, 0.00477 and 0.00406 with two.
    _, one = run(pushfold_config(), tmp_path / "one", 1)
    _, two = run(pushfold_config(), tmp_path / "two", 2)
    bound = 0.006
    assert one.last_report["exploitability_bb"] < bound
    assert two.last_report["exploitability_bb"] < bound
    assert two.iterations == 1_000_000
    workers = two.last_report["workers"]
    assert len(workers) == 2 and all(w["iterations"] > 0 for w in workers)
    assert sum(w["iterations"] for w in workers) == 1_000_000
    assert (tmp_path / "two" / "blueprint" / "manifest.json").is_file()


@pytest.mark.timeout(240)
def test_a_checkpoint_of_two_workers_resumes_with_one(tmp_path):
    _, first = run(pushfold_config(iterations=499_712), tmp_path, 2)  # 244 batches of 2048
    resumed = load_checkpoint(first.checkpoint)
    assert (resumed.state.iteration, resumed.state.next_batch) == (499_712, 244)
    _, result = run(pushfold_config(), tmp_path, 1, resume=resumed)
    assert result.iterations == 1_000_000
    assert result.last_report["workers"][0]["iterations"] == 1_000_000 - 499_712
    assert result.last_report["exploitability_bb"] < 0.006


@pytest.mark.timeout(240)
def test_a_worker_that_raises_stops_the_run_with_its_traceback_and_a_checkpoint(tmp_path):
    settings = PoolSettings(faults={1: "raise:3"})
    with pytest.raises(WorkerError, match="injected fault in worker 1") as error:
        run(pushfold_config(iterations=None, time_budget=120), tmp_path, 2, settings)
    assert "Traceback" in str(error.value) and "worker.py" in str(error.value)
    assert list_checkpoints(tmp_path / "checkpoints")


@pytest.mark.timeout(240)
@pytest.mark.parametrize("fault", ["exit:2", "hang:2", "torn:2"])
def test_a_worker_that_dies_or_hangs_is_named_and_restarted(tmp_path, fault):
    notes = []
    settings = PoolSettings(faults={0: fault}, hang_timeout=2.0, max_restarts=3)
    # The restarted worker gets the same fault spec, so it fails again: three restarts, then
    # the run stops with a checkpoint; the other worker keeps training meanwhile. A worker that
    # dies halfway through a message ("torn") must not leave the others unable to report.
    started = time.monotonic()
    _, result = run(
        pushfold_config(iterations=None, time_budget=120), tmp_path, 2, settings, notes=notes
    )
    assert result.reason.startswith("worker failure"), result.reason
    assert "worker 0 (pid" in result.reason and "restart(s) already used" in result.reason
    assert len(notes) == 3, (notes, result.reason)
    assert all("worker 0 (pid" in n and "restarting" in n for n in notes), notes
    what = "stopped reporting" if fault.startswith("hang") else "died"
    assert all(what in n for n in notes)
    assert time.monotonic() - started < 4 * (2.0 + 5.0) + 60
    # Only completed chunks count: the total is what the workers reported as done.
    assert result.iterations == sum(w["iterations"] for w in result.last_report["workers"])
    assert load_checkpoint(result.checkpoint).state.iteration == result.iterations


def test_too_little_shared_memory_is_one_line_with_the_fix():
    with pytest.raises(ValueError, match=r"--shm-size=\d+g") as error:
        check_capacity(1 << 60)
    assert "\n" not in str(error.value)


@pytest.mark.timeout(300)
def test_ctrl_c_checkpoints_stops_the_workers_and_leaves_nothing(tmp_path):
    logdir = tmp_path / "run"
    command = [
        sys.executable,
        "-m",
        "holdem.cli.train_blueprint",
        "--config",
        str(ROOT / "configs/blueprint_pushfold_10bb.yaml"),
        "--logdir",
        str(logdir),
        "--num-workers",
        "2",
        "--time-budget",
        "600",
        "--tensorboard",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        metrics = logdir / "metrics.jsonl"
        deadline = time.monotonic() + 240
        while not (metrics.exists() and len(read_metrics(metrics)) >= 2):
            assert time.monotonic() < deadline, "no metrics within 240 s"
            assert process.poll() is None, process.stdout.read().decode()
            time.sleep(0.2)
        workers = [w for w in children_of(process.pid) if _is_python(w)]
        assert len(workers) >= 2
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, out.decode()
    assert list_checkpoints(logdir / "checkpoints")
    assert leaked_blocks(process.pid) == []
    time.sleep(0.5)
    assert not [w for w in workers if os.path.exists(f"/proc/{w}") and _is_alive(w)]
    events = list((logdir / "tensorboard").glob("events.out.tfevents.*"))
    assert events and events[0].stat().st_size > 0


def _is_tracker(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"resource_tracker" in f.read()
    except OSError:
        return False


def _is_python(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"python" in f.read()
    except OSError:
        return False


def _is_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_batches_do_not_depend_on_the_process_that_runs_them():
    config = pushfold_config()
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(config, training, Path("/nonexistent"))
    options = trainer._options
    size = training.game.layout.size
    whole = batches.Tables(
        np.zeros(size, np.int32), np.zeros(size, np.float32), np.zeros(5, np.int64)
    )
    batches.run_batches(training.game, options, whole, 5, 100, 0, 6)
    split = batches.Tables(
        np.zeros(size, np.int32), np.zeros(size, np.float32), np.zeros(5, np.int64)
    )
    for batch in range(6):
        batches.run_batches(training.game, options, split, 5, 100, batch, 1)
    assert np.array_equal(whole.regret, split.regret)
    assert np.array_equal(whole.strategy_sum, split.strategy_sum)
    other = batches.Tables(
        np.zeros(size, np.int32), np.zeros(size, np.float32), np.zeros(5, np.int64)
    )
    batches.run_batches(training.game, options, other, 6, 100, 0, 6)
    assert not np.array_equal(whole.regret, other.regret)


@pytest.mark.timeout(240)
def test_a_worker_killed_with_sigkill_is_named_and_replaced(tmp_path):
    notes = []
    killed = []
    config = pushfold_config(iterations=3_000_000, report_interval=0.2)
    training = load_training_game(config.betting, config.buckets)

    def kill_once(record):
        workers = record["workers"]
        if not killed and all(w["iterations"] > 0 for w in workers):
            killed.append(workers[1]["pid"])
            os.kill(workers[1]["pid"], signal.SIGKILL)

    trainer = Trainer(
        config, training, tmp_path, num_workers=2, on_report=kill_once, say=notes.append
    )
    trainer.allocate()
    started = time.monotonic()
    result = trainer.train()
    assert killed and result.reason == "budget"
    assert len(notes) == 1 and f"worker 1 (pid {killed[0]}) died (exit code -9)" in notes[0]
    # The batches the killed worker held are not counted (nor run again).
    held = re.search(r"during batches (\d+)\.\.(\d+)", notes[0])
    lost_batches = range(int(held[1]), int(held[2]) + 1) if held else range(0)
    lost = sum(batches.batch_span(b, config.batch, 3_000_000) for b in lost_batches)
    assert result.iterations == 3_000_000 - lost
    assert "restarting it (1 of 3)" in notes[0]
    assert result.last_report["workers"][1]["pid"] != killed[0]
    assert time.monotonic() - started < 120


def rich_config(bucket_file, **changes):
    """``hu_rich`` with 8 buckets per street (the size of the ``tiny`` preset): 1.2M table
    entries, big enough that a write of the tables overlaps a worker's updates."""
    data = {
        "betting": str(ROOT / "configs/hu_rich.yaml"),
        "buckets": str(bucket_file),
        "seed": 11,
        "iterations": None,
        "time_budget": 120,
        "batch": 8,
        "regrets": {"dtype": "int32", "scale": 1.0},
        "average": {"update": "sampled", "interval": 1, "sums": "preflop"},
        "report_interval": 1000,
        "checkpoint_interval": None,
        "snapshot_interval": None,
    }
    data.update(changes)
    return train_config_from_dict(data)


@pytest.mark.timeout(240)
def test_a_failure_checkpoint_is_written_after_the_other_workers_stop(bucket_file, tmp_path):
    # Worker 2 exits inside a chunk (chunks hold many batches of 8) with no restart left, while
    # workers 0 and 1 are inside theirs. The checkpoint must wait for them: its digests are of
    # the bytes written, it loads, and it resumes.
    settings = PoolSettings(faults={2: "exit:200"}, max_restarts=0)
    config = rich_config(bucket_file)
    _, result = run(config, tmp_path, 3, settings)
    assert result.reason.startswith("worker failure") and "worker 2 (pid" in result.reason
    loaded = load_checkpoint(result.checkpoint)
    assert loaded.state.iteration == result.iterations > 0
    assert result.iterations == sum(w["iterations"] for w in result.last_report["workers"])
    # Batches handed out but not completed are not run again: 8 more batches after them.
    limit = (loaded.state.next_batch + 8) * 8
    _, resumed = run(rich_config(bucket_file, iterations=limit), tmp_path, 1, resume=loaded)
    assert resumed.reason == "budget" and resumed.iterations == result.iterations + 64


def test_pieces_of_a_batch_give_the_same_tables_as_the_whole_batch():
    config = pushfold_config()
    training = load_training_game(config.betting, config.buckets)
    options = Trainer(config, training, Path("/nonexistent"))._options
    size = training.game.layout.size

    def tables():
        return batches.Tables(
            np.zeros(size, np.int32), np.zeros(size, np.float32), np.zeros(5, np.int64)
        )

    whole, cut = tables(), tables()
    batches.run_batches(training.game, options, whole, 5, 1000, 0, 3)
    beats = []
    pace = batches.Pace(lambda: beats.append(1), seconds=0.0)  # pieces of one iteration
    batches.run_batches(training.game, options, cut, 5, 1000, 0, 3, pace=pace)
    assert len(beats) == 3000
    for name in ("regret", "strategy_sum", "counters"):
        assert np.array_equal(getattr(whole, name), getattr(cut, name)), name


@pytest.mark.timeout(240)
def test_a_worker_whose_batch_outlasts_the_hang_timeout_is_not_killed(tmp_path):
    # Worker 0's batches take at least 64 x 0.05 = 3.2 s, with a beat every 0.05 s inside:
    # longer than the hang timeout (1 s), which one beat per batch would trip.
    notes = []
    settings = PoolSettings(faults={0: "slow:0.05"}, hang_timeout=1.0, max_restarts=3)
    # Few batches: worker 1 runs all but the first while worker 0 is inside its one batch.
    config = pushfold_config(batch=64, iterations=64 * 40)
    _, result = run(config, tmp_path, 2, settings, notes=notes)
    assert notes == [] and result.reason == "budget"
    assert result.last_report["workers"][0]["iterations"] >= 64
    assert result.last_report["workers"][0]["restarts"] == 0


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_six_workers_on_two_cores_with_large_batches_are_not_taken_for_hung(bucket_file, tmp_path):
    # Batches of 10,000 iterations on hu_rich, six workers sharing two cores (pinned here, and
    # inherited by the spawned workers): a batch takes far longer than the 4 s hang timeout,
    # which one beat per batch tripped.
    notes = []
    config = rich_config(bucket_file, batch=10_000, time_budget=120, report_interval=10)
    training = load_training_game(config.betting, config.buckets)
    trainer = Trainer(config, training, tmp_path, num_workers=6, say=notes.append)
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, sorted(cores)[:2])
    try:
        trainer.allocate()
        result = trainer.train()
    finally:
        os.sched_setaffinity(0, cores)
    assert [n for n in notes if "restarting" in n] == [] and result.reason == "budget"
    workers = result.last_report["workers"]
    assert len(workers) == 6 and all(w["restarts"] == 0 for w in workers)
    assert all(w["iterations"] >= 10_000 for w in workers)


@pytest.mark.timeout(240)
def test_after_a_failure_a_worker_inside_its_chunk_is_waited_for_while_it_beats(tmp_path):
    # Worker 1 exits for good after 30 batches (well under a second, but late enough that
    # worker 0 has started on a loaded machine) while worker 0 is inside a batch of at least
    # 3.2 s (beating every 0.05 s): longer than stop_timeout, yet it finishes and counts.
    settings = PoolSettings(
        faults={0: "slow:0.05", 1: "exit:30"}, max_restarts=0, stop_timeout=0.5, hang_timeout=2.0
    )
    config = pushfold_config(batch=64, iterations=None, time_budget=120)
    # compiled here first: with no cached kernel, worker 0 could still be compiling when worker
    # 1 ends (seen on a run with every cache deleted), and then it has no batch to finish
    run(pushfold_config(batch=64, iterations=64), tmp_path / "warm", 1)
    _, result = run(config, tmp_path, 2, settings)
    assert result.reason.startswith("worker failure") and "worker 1 (pid" in result.reason
    assert result.last_report["workers"][0]["iterations"] == 64
    assert result.iterations == sum(w["iterations"] for w in result.last_report["workers"])
    assert load_checkpoint(result.checkpoint).state.iteration == result.iterations


def test_blocks_of_a_process_that_is_gone_are_removed_and_said(tmp_path):
    from multiprocessing import resource_tracker, shared_memory

    from holdem.training.shared_arrays import remove_orphaned_blocks

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(gone.stdout)
    names = [f"holdem_{dead}_test0000_regret", f"holdem_{os.getpid()}_test0000_mine"]
    blocks = []
    for name in names:
        blocks.append(shared_memory.SharedMemory(name=name, create=True, size=1 << 20))
    # The dead process's block is left behind on purpose: the tracker must not remove it.
    resource_tracker.unregister(blocks[0]._name, "shared_memory")
    notes = []
    try:
        freed = remove_orphaned_blocks(notes.append)
        assert leaked_blocks(dead) == [] and leaked_blocks(os.getpid()) == [names[1]]
        assert freed >= 1 << 20
        assert len(notes) == 1 and f"process(es) {dead}, which are gone" in notes[0]
        assert remove_orphaned_blocks(notes.append) == 0 and len(notes) == 1
    finally:
        for block in blocks:
            block.close()
        blocks[1].unlink()
