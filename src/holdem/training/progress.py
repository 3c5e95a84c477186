"""What a person watching a run sees: a live table (rich) of the run and of each worker, or,
where the output is not a terminal (a log file, CI), one line per report.

Built from the trainer's report records (the lines of ``metrics.jsonl``) plus what the command
knows (budget, last checkpoint and snapshot): iterations, iterations and tree nodes per second
overall and per worker, tree nodes per iteration (which grow as the strategies learn and reach
later streets, so iterations per second fall while the trainer's speed at its work holds),
elapsed and remaining time, memory, exact exploitability where the game has one. On a Ray
cluster, each node in place of each worker (its workers and rate) and the last sync's seconds
and bytes.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table


def _duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def progress_view(
    record: dict[str, Any],
    time_budget: float | None,
    iterations: int | None,
    last_checkpoint: str = "-",
    last_snapshot: str = "-",
) -> Group:
    """A rich renderable of one report record (see `holdem.training.trainer.Trainer._report`)."""
    run = Table(show_header=False, box=None, padding=(0, 2))
    left = "-" if time_budget is None else _duration(time_budget - record["seconds"])
    target = f" of {iterations:,}" if iterations else ""
    rows = [
        ("iterations", f"{record['iteration']:,}{target}"),
        ("iterations/s", f"{record['iterations_per_second']:,.0f}"),
        ("tree nodes/s", f"{record['nodes_per_second'] / 1e6:,.2f} M"),
        ("tree nodes per iteration", f"{record['nodes_per_iteration']:,.0f}"),
        ("elapsed / left", f"{_duration(record['seconds'])} / {left}"),
        ("memory (this process)", f"{record['rss_bytes'] / 2**20:,.0f} MB"),
        ("tables", f"{record['table_bytes'] / 2**20:,.0f} MB"),
        (
            "mean positive regret per street",
            " ".join(f"{r:.3g}" for r in record["avg_positive_regret"]),
        ),
        ("infosets touched", " ".join(f"{t:,}" for t in record["infosets_touched"])),
        ("last checkpoint", last_checkpoint),
        ("last snapshot", last_snapshot),
    ]
    if "exploitability_bb" in record:
        rows.insert(3, ("exploitability (bb/hand)", f"{record['exploitability_bb']:.5f}"))
    cluster = record.get("cluster")
    if cluster is not None:
        rows.append(("Ray cluster", sync_text(cluster)))
    for name, value in rows:
        run.add_row(name, value)
    if cluster is not None:
        return Group(run, _nodes_table(cluster))
    workers = Table(title="workers", title_justify="left")
    for column in ("worker", "pid", "iterations", "iterations/s", "restarts"):
        workers.add_column(column, justify="right")
    for worker in record.get("workers", []):
        workers.add_row(
            str(worker["index"]),
            str(worker["pid"] or "main"),
            f"{worker['iterations']:,}",
            f"{worker['iterations_per_second']:,.0f}",
            str(worker["restarts"]),
        )
    return Group(run, workers)


def sync_text(cluster: dict[str, Any]) -> str:
    """A cluster's nodes and its last sync, in a few words."""
    lost = f", {cluster['nodes_lost']} lost" if cluster["nodes_lost"] else ""
    return (
        f"{len(cluster['nodes'])} node(s){lost}; sync {cluster['syncs']:,}: "
        f"{cluster['sync_seconds']:.2f} s, {cluster['sync_bytes'] / 2**20:,.1f} MB"
    )


def _nodes_table(cluster: dict[str, Any]) -> Table:
    nodes = Table(title="nodes", title_justify="left")
    for column in ("node", "host", "workers", "iterations", "iterations/s"):
        nodes.add_column(column, justify="right")
    for node in cluster["nodes"]:
        nodes.add_row(
            str(node["index"]),
            node["host"],
            str(node["workers"]),
            f"{node['iterations']:,}",
            f"{node['iterations_per_second']:,.0f}",
        )
    return nodes


def progress_line(record: dict[str, Any], time_budget: float | None) -> str:
    """One report record as a log line: the same figures as `progress_view`, for an output
    that is not a terminal (``nohup ... > train.log``), where a live table cannot redraw."""
    regrets = " ".join(f"{r:.3g}" for r in record["avg_positive_regret"])
    left = "" if time_budget is None else f" ({_duration(time_budget - record['seconds'])} left)"
    line = (
        f"iter {record['iteration']:>13,}  {_duration(record['seconds'])}{left}  "
        f"{record['iterations_per_second']:>9,.0f} it/s  "
        f"{record['nodes_per_second'] / 1e6:6.2f}M nodes/s "
        f"({record['nodes_per_iteration']:,.0f}/it)  "
        f"{record['rss_bytes'] / 2**20:,.0f} MB  regret+ {regrets}"
    )
    workers = record.get("workers", [])
    cluster = record.get("cluster")
    if cluster is not None:
        rates = " ".join(
            f"{n['iterations_per_second']:,.0f}x{n['workers']}" for n in cluster["nodes"]
        )
        line += f"  {sync_text(cluster)}  nodes it/s {rates}"
    elif len(workers) > 1:
        rates = " ".join(f"{w['iterations_per_second']:,.0f}" for w in workers)
        restarts = sum(w["restarts"] for w in workers)
        line += f"  workers it/s {rates}" + (f" ({restarts} restarts)" if restarts else "")
    if "exploitability_bb" in record:
        line += f"  exploitability {record['exploitability_bb']:.5f} bb/hand"
    return line
