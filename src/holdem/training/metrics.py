"""What a training run reports: regret statistics per street, memory, and ``metrics.jsonl``.

A report (`progress_record`, one line of ``metrics.jsonl``) gives the run's progress since the
last one (iterations and nodes per second), each worker's counts, the kernel's counters, the
schedule's state, memory, regrets per street and the entropy of the average strategy's summed
rows.

Average positive regret per (infoset, action), street by street, is the quantity CFR drives
down (the average strategy's exploitability is bounded by the sum over infosets of the
positive regret over the iterations, Zinkevich et al., NIPS 2007); a run whose regrets stay 0
learns nothing, which is how the earlier system's failure went unseen. "Touched" rows are the
(infoset) rows with any nonzero regret: the part of the tree the sampler has reached.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit

from holdem.abstraction.betting_tree import DECISION, BettingTree, TableLayout
from holdem.cfr.game import SolverGame
from holdem.cfr.mccfr import NODES, PRUNED_TRAVERSALS, VISITS
from holdem.training.checkpoint import RunState


@njit(cache=True, nogil=True)
def _street_regrets(
    kind: np.ndarray,
    street: np.ndarray,
    n_actions: np.ndarray,
    offsets: np.ndarray,
    strides: np.ndarray,
    n_buckets: np.ndarray,
    regret: np.ndarray,
    positive: np.ndarray,
    entries: np.ndarray,
    touched: np.ndarray,
    rows: np.ndarray,
) -> None:
    for node in range(kind.shape[0]):
        if kind[node] != DECISION:
            continue
        s = street[node]
        n = n_actions[node]
        for bucket in range(n_buckets[s]):
            row = offsets[node] + bucket * strides[s]
            hit = False
            for a in range(n):
                r = float(regret[row + a])
                if r > 0.0:
                    positive[s] += r
                if r != 0.0:
                    hit = True
            entries[s] += n
            rows[s] += 1
            if hit:
                touched[s] += 1


def regret_summary(
    tree: BettingTree, layout: TableLayout, regret: np.ndarray, scale: float
) -> dict[str, Any]:
    """Per street: mean positive regret per (infoset, action) in chips, rows touched, rows."""
    n = tree.n_streets
    positive = np.zeros(n)
    entries = np.zeros(n, np.int64)
    touched = np.zeros(n, np.int64)
    rows = np.zeros(n, np.int64)
    _street_regrets(
        tree.kind,
        tree.street,
        tree.n_actions,
        layout.offsets,
        layout.strides,
        np.asarray(layout.n_buckets, np.int64),
        regret,
        positive,
        entries,
        touched,
        rows,
    )
    return {
        "avg_positive_regret": [
            float(p / scale / e) if e else 0.0 for p, e in zip(positive, entries, strict=True)
        ],
        "infosets_touched": touched.tolist(),
        "infosets": rows.tolist(),
    }


def resident_bytes() -> int:
    """This process's resident memory in bytes (0 where the system does not say)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) if sys.platform == "darwin" else int(peak) * 1024
    except (ImportError, OSError):
        return 0


def progress_record(
    game: SolverGame,
    state: RunState,
    counters: np.ndarray,
    since: tuple[int, float, int],
    workers: list[dict[str, Any]],
    table_bytes: int,
    bytes_per_entry: float,
    regret_scale: float,
    average: np.ndarray,
) -> dict[str, Any]:
    """A report of the run in ``state``: ``counters`` are the kernel's totals, ``since`` the
    (iteration, seconds, nodes) of the last report, ``average`` the average strategy of the
    summed rows (float32, `holdem.training.table_policies.average_rows`)."""
    iterations, seconds, nodes = since
    spent = max(state.seconds - seconds, 1e-9)
    visited = int(counters[NODES]) - int(nodes)
    record: dict[str, Any] = {
        "iteration": state.iteration,
        "seconds": round(state.seconds, 3),
        "wall_time": time.time(),
        "iterations_per_second": (state.iteration - iterations) / spent,
        "nodes_per_second": visited / spent,
        "nodes_per_iteration": visited / max(state.iteration - iterations, 1),
        "workers": workers,
        "traverser_visits": int(counters[VISITS]),
        "pruned_traversals": int(counters[PRUNED_TRAVERSALS]),
        "pruning": state.prune_from is not None,
        "discounts": state.discounts_done,
        "rss_bytes": resident_bytes(),
        "table_bytes": table_bytes,
        "bytes_per_entry": bytes_per_entry,
    }
    record.update(regret_summary(game.tree, game.layout, state.regret, regret_scale))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(average > 0, -average * np.log(average), 0.0)
    summed_infosets = max(1, record["infosets"][0])
    record["average_entropy_summed_rows"] = float(terms.sum()) / summed_infosets
    return record


class MetricsLog:
    """``metrics.jsonl``: one JSON object per line, appended and flushed per report."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, record: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")
            f.flush()
            os.fsync(f.fileno())


def read_metrics(path: Path) -> list[dict[str, Any]]:
    """Every record of a ``metrics.jsonl`` (a last line cut short by a crash is skipped)."""
    return [record for _, record in read_metric_lines(path) if isinstance(record, dict)]


def read_metric_lines(path: Path) -> list[tuple[int, Any]]:
    """Each non-blank line of a ``metrics.jsonl`` as (line number from 1, its JSON value, or
    None where it is not JSON: a last line cut short by a crash, or a damaged one), so a reader
    can say which lines it left out."""
    out: list[tuple[int, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError:
            out.append((number, None))
    return out
