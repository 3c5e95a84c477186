"""What a person watching a run sees: the live table and the log line built from one report."""

from __future__ import annotations

import io

from rich.console import Console

from holdem.training.progress import progress_line, progress_view

RECORD = {
    "iteration": 1_234_567,
    "seconds": 75.0,
    "iterations_per_second": 20_000.0,
    "nodes_per_second": 13_500_000.0,
    "nodes_per_iteration": 675.0,
    "rss_bytes": 512 * 2**20,
    "table_bytes": 60 * 2**20,
    "avg_positive_regret": [120.0, 80.0, 40.0, 20.0],
    "infosets_touched": [10, 20, 30, 40],
    "workers": [
        {
            "index": 0,
            "pid": 101,
            "iterations": 600_000,
            "iterations_per_second": 9_500.0,
            "restarts": 0,
        },
        {
            "index": 1,
            "pid": 102,
            "iterations": 634_567,
            "iterations_per_second": 10_500.0,
            "restarts": 1,
        },
    ],
}


def test_log_line_has_time_left_rates_memory_and_each_worker() -> None:
    line = progress_line(RECORD, time_budget=3600.0)
    assert "iter     1,234,567" in line
    assert "0:01:15 (0:58:45 left)" in line
    assert "20,000 it/s" in line and "13.50M nodes/s (675/it)" in line and "512 MB" in line
    assert "workers it/s 9,500 10,500 (1 restarts)" in line
    assert "exploitability" not in line


def test_log_line_without_budget_or_workers_and_with_exploitability() -> None:
    record = {**RECORD, "workers": RECORD["workers"][:1], "exploitability_bb": 0.00042}
    line = progress_line(record, time_budget=None)
    assert "left" not in line and "workers" not in line
    assert line.endswith("exploitability 0.00042 bb/hand")


def test_live_view_names_every_worker_and_the_files() -> None:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(progress_view(RECORD, 3600.0, None, "iter_000001234567", "snap_3"))
    text = console.export_text()
    expected_texts = (
        "1,234,567",
        "0:58:45",
        "675",
        "iter_000001234567",
        "snap_3",
        "9,500",
        "10,500",
    )
    for expected in expected_texts:
        assert expected in text


CLUSTER = {
    "address": "head:6379",
    "sync_interval": 60.0,
    "syncs": 12,
    "sync_seconds": 1.25,
    "sync_bytes": 150 * 2**20,
    "sync_seconds_total": 14.0,
    "sync_bytes_total": 1800 * 2**20,
    "nodes_lost": 1,
    "nodes": [
        {"index": 0, "host": "vm-a (10.0.0.1)", "node_id": "aa", "workers": 16,
         "iterations": 900_000, "iterations_per_second": 31_000.0},
        {"index": 2, "host": "vm-b (10.0.0.2)", "node_id": "bb", "workers": 8,
         "iterations": 334_567, "iterations_per_second": 15_500.0},
    ],
}  # fmt: skip


def test_a_cluster_run_shows_its_nodes_their_workers_and_the_last_sync() -> None:
    record = {**RECORD, "cluster": CLUSTER}
    line = progress_line(record, time_budget=None)
    assert "2 node(s), 1 lost; sync 12: 1.25 s, 150.0 MB" in line
    assert "nodes it/s 31,000x16 15,500x8" in line and "workers it/s" not in line
    console = Console(file=io.StringIO(), width=140, color_system=None)
    console.print(progress_view(record, None, None))
    text = console.file.getvalue()
    assert "Ray cluster" in text and "2 node(s), 1 lost; sync 12: 1.25 s, 150.0 MB" in text
    assert "vm-a (10.0.0.1)" in text and "vm-b (10.0.0.2)" in text
    assert "900,000" in text and "15,500" in text and "16" in text
