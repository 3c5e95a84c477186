"""Train a blueprint: external-sampling MCCFR on a Hold'em betting tree, with the Pluribus schedule.

python -m holdem.cli.train_blueprint --config configs/blueprint_pushfold_10bb.yaml
holdem train --config configs/blueprint_hu_open.yaml --logdir runs/hu_open --time-budget 600
holdem train --resume-from runs/hu_open/checkpoints --time-budget 1200
holdem train --config configs/blueprint_hu_open.yaml --ray auto

With --ray (or a cluster: key in the config) the run trains on every machine of a Ray cluster,
one actor per machine, their tables merged every --sync-interval; the files it writes are the
same, and a run resumes on a cluster or on one machine alike (--ray off).

Flags override the config file. Budgets count training time and iterations over the whole run,
resumes included. Ctrl-C or SIGTERM writes a checkpoint, then exits.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from holdem.cli.help_text import HelpParser
from holdem.cli.interruptible import EXIT_INTERRUPTED
from holdem.training.checkpoint import LoadedCheckpoint, load_checkpoint
from holdem.training.config import (
    LOSSLESS_PREFLOP,
    ClusterConfig,
    TrainConfig,
    check_players,
    duration_seconds,
    load_train_config,
    train_config_from_dict,
)
from holdem.training.exact import exact_evaluator, exact_summary
from holdem.training.progress import progress_line, progress_view
from holdem.training.stop_request import StopRequest
from holdem.training.supervisor import WorkerError
from holdem.training.tensorboard import TensorBoardLog
from holdem.training.trainer import Trainer, TrainResult
from holdem.training.training_game import TrainingGame, load_training_game


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="training config YAML (configs/blueprint_*.yaml)"
    )
    parser.add_argument(
        "--buckets", type=str, default=None, help=f"bucket file, or {LOSSLESS_PREFLOP}"
    )
    parser.add_argument(
        "--logdir", type=Path, default=None, help="run folder (default runs/<config>)"
    )
    parser.add_argument("--iters", type=int, default=None, help="stop after this many iterations")
    parser.add_argument(
        "--time-budget",
        default=None,
        help="stop after this much training, over the whole run: seconds, or 90s, 10m, 2h",
    )
    parser.add_argument(
        "--snapshot-interval", default=None, help="time between policy snapshots (600, 10m)"
    )
    parser.add_argument(
        "--checkpoint-interval", default=None, help="time between checkpoints (3600, 1h)"
    )
    parser.add_argument(
        "--resume-from", type=Path, default=None, help="checkpoint folder (or a run's logdir)"
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (fresh runs only)")
    parser.add_argument(
        "--num-workers",
        type=int,
        default=None,
        help="training processes: 1 trains in this process, 0 uses every core (default 1; "
        "with --ray, per machine, default one per CPU)",
    )
    parser.add_argument(
        "--ray",
        default=None,
        metavar="ADDRESS",
        help="train on a Ray cluster: auto (the one this machine belongs to), its address "
        "(host:6379), or off to train on this machine a run configured for a cluster",
    )
    parser.add_argument(
        "--sync-interval",
        default=None,
        help="with --ray: time between merges of the machines' tables (60, 1m; default 60)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=None, help="iterations a worker runs between reports"
    )
    parser.add_argument(
        "--num-players", type=int, default=None, help="players (2..6), replacing the config's"
    )
    parser.add_argument(
        "--tensorboard",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="write TensorBoard scalars to LOGDIR/tensorboard (metrics.jsonl is always written)",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="start afresh in a logdir that holds an earlier run (deleting that run's files)",
    )


DURATION_FLAGS = ("time_budget", "snapshot_interval", "checkpoint_interval", "sync_interval")
"""Flags that take a time as configs write it (`holdem.training.config.duration_seconds`)."""


def _check_numbers(args: argparse.Namespace) -> None:
    """Check the flags before any loading; the time flags become seconds (floats)."""
    if args.iters is not None and args.iters < 1:
        raise ValueError(f"--iters must be 1 or more, got {args.iters}")
    for flag in DURATION_FLAGS:
        text = getattr(args, flag)
        if text is None:
            continue
        seconds = duration_seconds(text)
        if seconds is None or not seconds > 0:
            name = "--" + flag.replace("_", "-")
            raise ValueError(
                f"{name} must be a positive number of seconds or a time like 10m, got {text!r}"
            )
        setattr(args, flag, seconds)
    if args.seed is not None and args.seed < 0:
        raise ValueError(f"--seed must be 0 or more, got {args.seed}")
    if args.config is None and args.resume_from is None:
        raise ValueError("give --config FILE (or --resume-from CHECKPOINT to continue a run)")
    if args.num_workers is not None and args.num_workers < 0:
        raise ValueError(f"--num-workers must be 0 (every core) or more, got {args.num_workers}")
    if args.batch_size is not None and args.batch_size < 1:
        raise ValueError(f"--batch-size must be 1 iteration or more, got {args.batch_size}")
    if args.num_players is not None and not 2 <= args.num_players <= 6:
        raise ValueError(f"--num-players must be between 2 and 6, got {args.num_players}")
    if args.seed is not None and args.resume_from is not None:
        raise ValueError("--seed starts a new run; a resumed run keeps its generators")
    if args.ray is not None and not args.ray.strip():
        raise ValueError("--ray needs auto, a cluster's address (host:6379) or off")


RUN_FILES = ("checkpoints", "snapshots", "blueprint", "metrics.jsonl", "config.yaml")


def _check_logdir(logdir: Path, fresh: bool, overwrite: bool) -> None:
    """The logdir must be writable, and a fresh run must not mix with an earlier one's files."""
    earlier = [name for name in RUN_FILES if (logdir / name).exists()]
    if fresh and earlier and not overwrite:
        raise ValueError(
            f"--logdir {logdir} holds an earlier run ({', '.join(earlier)}): continue it with "
            f"--resume-from {logdir}, pick another --logdir, or pass --overwrite to delete it"
        )
    try:
        logdir.mkdir(parents=True, exist_ok=True)
        probe = logdir / f".write-test-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise ValueError(f"--logdir {logdir}: cannot write there ({error.strerror})") from None
    if fresh and overwrite:
        for name in earlier:
            target = logdir / name
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()


def prepare(
    args: argparse.Namespace,
) -> tuple[TrainConfig, TrainingGame, Path, LoadedCheckpoint | None]:
    """Everything checked and loaded before training starts; ValueError says what to change."""
    _check_numbers(args)
    resume = load_checkpoint(args.resume_from) if args.resume_from is not None else None
    if args.config is not None:
        config = load_train_config(args.config)
    else:
        assert resume is not None
        config = train_config_from_dict(resume.config, f"checkpoint {resume.path}")
    if args.buckets is not None:
        buckets = None if args.buckets == LOSSLESS_PREFLOP else Path(args.buckets).resolve()
        config = replace(config, buckets=buckets)
    batch = args.batch_size
    if resume is not None and batch is None:
        batch = resume.batch_size
    config = config.with_overrides(
        iterations=args.iters,
        time_budget=args.time_budget,
        snapshot_interval=args.snapshot_interval,
        checkpoint_interval=args.checkpoint_interval,
        seed=args.seed,
        batch=batch,
        num_players=args.num_players,
    )
    config = _with_cluster_flags(config, args)
    if resume is not None:
        resume.check_batch_size(config.batch)
        resume.check_budget(config.time_budget, config.iterations)
    if args.logdir is not None:
        logdir = args.logdir
    elif resume is not None:
        logdir = resume.path.parent.parent
    else:
        logdir = Path("runs") / Path(args.config).stem
    training = load_training_game(config.betting, config.buckets, n_players=config.num_players)
    check_players(config, training.game.tree.n_players)
    _check_logdir(logdir, resume is None, args.overwrite)
    if resume is not None:
        training.check_same_files(resume.files, f"checkpoint {resume.path}")
    return config, training, logdir, resume


def _with_cluster_flags(config: TrainConfig, args: argparse.Namespace) -> TrainConfig:
    """``config`` with ``--ray``, ``--sync-interval`` and, on a cluster, ``--num-workers`` (per
    machine) applied."""
    cluster = config.cluster
    if args.ray is not None:
        address = args.ray.strip()
        cluster = None if address == "off" else replace(cluster or ClusterConfig(), ray=address)
    if cluster is None:
        if args.sync_interval is not None:
            raise ValueError("--sync-interval is for a run on a Ray cluster: add --ray auto")
        return replace(config, cluster=None)
    if args.sync_interval is not None:
        cluster = replace(cluster, sync_interval=args.sync_interval)
    if args.num_workers:
        cluster = replace(cluster, workers_per_node=args.num_workers)
    return replace(config, cluster=cluster)


def summary_table(result: TrainResult, trainer: Trainer) -> Table:
    table = Table(title="training run", show_header=False)
    record = result.last_report
    rows = [
        ("iterations", f"{result.iterations:,}"),
        ("training seconds", f"{result.seconds:,.1f}"),
        ("iterations per second", f"{record.get('iterations_per_second', 0):,.0f}"),
        ("nodes per second", f"{record.get('nodes_per_second', 0):,.0f}"),
        ("nodes per iteration", f"{record.get('nodes_per_iteration', 0):,.0f}"),
        ("table bytes per (infoset, action)", f"{trainer.bytes_per_entry():.2f}"),
        ("ended by", result.reason),
        ("checkpoint", str(result.checkpoint)),
        (
            "blueprint",
            str(result.blueprint) if result.blueprint else "(not written: stopped early)",
        ),
    ]
    if "exploitability_bb" in record:
        rows.insert(4, ("exploitability (bb/hand)", f"{record['exploitability_bb']:.6f}"))
    for name, value in rows:
        table.add_row(name, value)
    return table


def worker_count(requested: int | None, say: Callable[[str], None]) -> int:
    """None means 1, 0 every core; more workers than cores works, with a warning."""
    cores = os.cpu_count() or 1
    if requested is None:
        return 1
    if requested == 0:
        return cores
    if requested > cores:
        say(f"warning: {requested} workers on {cores} cores: they will share the cores")
    return requested


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        config, training, logdir, resume = prepare(args)
        for line in resume.skipped if resume is not None else ():
            console.print(f"warning: {line}", soft_wrap=True)
        workers = (
            worker_count(args.num_workers, lambda text: console.print(text, soft_wrap=True))
            if config.cluster is None
            else 1
        )
        board = TensorBoardLog(logdir) if args.tensorboard else None
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    game = training.game
    where = f"{workers} worker(s)"
    if config.cluster is not None:
        per_node = config.cluster.workers_per_node or "one per CPU"
        where = (
            f"the Ray cluster at {config.cluster.ray} (workers per machine: {per_node}, "
            f"syncs every {config.cluster.sync_interval:g} s)"
        )
    console.print(
        f"training [bold]{config.betting.name}[/bold] ({game.tree.n_players} players, "
        f"{game.tree.n_nodes:,} nodes, {game.layout.size:,} table entries) with "
        f"{training.buckets_path or LOSSLESS_PREFLOP} on {where} -> {logdir}"
        + (f", resuming at iteration {resume.state.iteration:,}" if resume else ""),
        soft_wrap=True,
    )
    with console.status(
        "preparing the exact evaluation (a first run computes the preflop matchups)"
    ):
        evaluator = exact_evaluator(training)
    live = Live(console=console, auto_refresh=False) if console.is_terminal else None
    files = {"checkpoint": "-", "snapshot": "-"}

    def report(record: dict[str, Any]) -> None:
        if board is not None:
            board.write(record)
        if live is None:
            console.print(progress_line(record, config.time_budget), soft_wrap=True)
            return
        live.update(
            progress_view(
                record,
                config.time_budget,
                config.iterations,
                files["checkpoint"],
                files["snapshot"],
            ),
            refresh=True,
        )

    trainer = Trainer(
        config,
        training,
        logdir,
        evaluator=evaluator,
        on_report=report,
        num_workers=workers,
        say=lambda text: console.print(text, soft_wrap=True),
        on_file=lambda kind, path: files.__setitem__(kind, str(path)),
    )
    try:
        trainer.allocate(resume)
    except ValueError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    try:
        with StopRequest().on_signals() as stop, live or contextlib.nullcontext():
            result = trainer.train(stop)
    except WorkerError as error:
        console.print(f"[red]a worker failed; a checkpoint was written.[/red]\n{error}")
        return 1
    finally:
        if board is not None:
            board.close()
    console.print(summary_table(result, trainer))
    for renderable in exact_summary(training, trainer.average_policy()):
        console.print(renderable)
    if result.reason.startswith("worker failure"):
        console.print(f"[red]{result.reason}[/red]", soft_wrap=True)
        return 1
    if result.reason != "budget":
        console.print(
            f"stopped ({result.reason}); continue with: holdem train --resume-from "
            f"{result.checkpoint}",
            soft_wrap=True,
        )
        return EXIT_INTERRUPTED
    return 0


def main() -> int:
    parser = HelpParser(prog="python -m holdem.cli.train_blueprint", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
