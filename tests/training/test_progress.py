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
