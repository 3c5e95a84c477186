"""TensorBoard scalars of a run, written with tensorboardX (an optional extra: ``tensorboard``).

One scalar per report for: iterations per second and tree nodes per second (overall and per
worker), mean positive regret per street, infosets touched per street, memory, and exact
exploitability where the game has one; the x axis is the iteration count. Events go to
``logdir/tensorboard``; view them with ``tensorboard --logdir <logdir>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STREETS = ("preflop", "flop", "turn", "river")


class TensorBoardLog:
    """Writes report records as TensorBoard scalars; `close` flushes the event file."""

    def __init__(self, logdir: Path) -> None:
        try:
            from tensorboardX import SummaryWriter
        except ImportError:
            raise ValueError(
                "--tensorboard needs tensorboardX: pip install 'holdem[tensorboard]' "
                "(or pass --no-tensorboard)"
            ) from None
        self.folder = logdir / "tensorboard"
        self._writer = SummaryWriter(str(self.folder))

    def write(self, record: dict[str, Any]) -> None:
        step = int(record["iteration"])
        add = self._writer.add_scalar
        add("rate/iterations_per_second", record["iterations_per_second"], step)
        add("rate/nodes_per_second", record["nodes_per_second"], step)
        add("rate/nodes_per_iteration", record["nodes_per_iteration"], step)
        for worker in record.get("workers", []):
            add(
                f"workers/{worker['index']}/iterations_per_second",
                worker["iterations_per_second"],
                step,
            )
        for name, value in zip(STREETS, record["avg_positive_regret"], strict=False):
            add(f"regret/mean_positive/{name}", value, step)
        for name, value in zip(STREETS, record["infosets_touched"], strict=False):
            add(f"infosets_touched/{name}", value, step)
        add("strategy/average_entropy_summed_rows", record["average_entropy_summed_rows"], step)
        add("memory/rss_bytes", record["rss_bytes"], step)
        add("memory/table_bytes", record["table_bytes"], step)
        for key in ("exploitability_bb", "jam_fraction", "call_fraction"):
            if key in record:
                add(f"exact/{key}", record[key], step)
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()
