"""Training curves of a blueprint run, drawn from its ``metrics.jsonl``.

A run writes one JSON record per report (`holdem.training.metrics`): iterations, seconds,
iterations per second, mean positive regret per (infoset, action) on each street, and, where
the game has an exact best response (push/fold), ``exploitability_bb``. `curves_figure` draws
them side by side against the iterations: speed, the regret per street (log scale; streets
whose regret is always 0, as after the preflop of push/fold, are left out), and
exploitability when present (log scale, big blinds per hand). These are the numbers that show
whether a run learns: the earlier system's regrets stayed 0 and nobody saw it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from holdem.storage.atomic import atomic_file
from holdem.training.metrics import read_metric_lines

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CURVES_PIXELS = (1500, 500)
"""Width and height of a curves PNG (at `CURVES_DPI`)."""
CURVES_DPI = 100
STREET_NAMES = ("preflop", "flop", "turn", "river")
STREET_COLOURS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#d62728")


def load_metrics(path: str | Path) -> tuple[Path, list[dict[str, Any]], list[int]]:
    """The file, the reports of a run's ``metrics.jsonl`` (``path`` is the logdir or the file
    itself) and the numbers of its lines that are not a report, skipped (for a warning).

    Raises a one-line ValueError when there is no such file or it holds no report.
    """
    path = Path(path)
    file = path / "metrics.jsonl" if path.is_dir() else path
    if not file.is_file():
        raise ValueError(
            f"{path}: no metrics.jsonl here: give a run's logdir (holdem train --logdir)"
        )
    lines = read_metric_lines(file)
    records = [r for _, r in lines if isinstance(r, dict) and "iteration" in r]
    skipped = [n for n, r in lines if not (isinstance(r, dict) and "iteration" in r)]
    if not records:
        raise ValueError(f"{file}: holds no report yet (a run writes one every report_interval)")
    return file, records, skipped


def curves_figure(records: list[dict[str, Any]], title: str = "") -> Figure:
    """A figure of `CURVES_PIXELS`: speed, regret per street, exploitability (when present)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import EngFormatter

    style = {"marker": "o", "markersize": 3} if len(records) <= 40 else {}
    # A report at iteration 0 (a resumed or just-started run) has no speed or regret yet.
    records = [r for r in records if int(r["iteration"]) > 0] or records
    iterations = [int(r["iteration"]) for r in records]
    exploitability = [
        (i, float(r["exploitability_bb"]))
        for i, r in zip(iterations, records, strict=True)
        if isinstance(r.get("exploitability_bb"), int | float)
    ]
    panels = 3 if exploitability else 2
    width, height = CURVES_PIXELS
    figure = Figure(figsize=(width / CURVES_DPI, height / CURVES_DPI), dpi=CURVES_DPI)
    axes = figure.subplots(1, panels)
    speed = axes[0]
    speed_values = [r.get("iterations_per_second", 0.0) for r in records]
    speed.plot(iterations, speed_values, color="#444", **style)
    speed.yaxis.set_major_formatter(EngFormatter())
    speed.set_title("speed")
    speed.set_xlabel("iterations")
    speed.set_ylabel("iterations per second")
    speed.set_ylim(bottom=0)
    regret = axes[1]
    drawn = 0
    for street, (name, colour) in enumerate(zip(STREET_NAMES, STREET_COLOURS, strict=True)):
        points = [
            (i, float(r["avg_positive_regret"][street]))
            for i, r in zip(iterations, records, strict=True)
            if len(r.get("avg_positive_regret", ())) > street
        ]
        points = [(i, v) for i, v in points if v > 0]
        if points:
            regret.plot(*zip(*points, strict=True), label=name, color=colour, **style)
            drawn += 1
    regret.set_title("mean positive regret per (infoset, action)")
    regret.set_xlabel("iterations")
    regret.set_ylabel("chips")
    if drawn:
        regret.set_yscale("log")
        regret.legend()
    else:
        regret.text(
            0.5, 0.5, "no positive regret reported", ha="center", transform=regret.transAxes
        )
    if exploitability:
        exact = axes[2]
        exact.plot(*zip(*exploitability, strict=True), color="#8e44ad", **style)
        exact.set_title("exploitability (exact best response)")
        exact.set_xlabel("iterations")
        exact.set_ylabel("big blinds per hand")
        if all(v > 0 for _, v in exploitability):
            exact.set_yscale("log")
        if len(exploitability) > 2 and all(i > 0 for i, _ in exploitability):
            exact.set_xscale("log")  # CFR's error falls like a power of the iterations
    for ax in axes:
        ax.grid(True, alpha=0.3)
        if ax.get_xscale() == "linear":
            ax.xaxis.set_major_formatter(EngFormatter())
    if title:
        figure.suptitle(title, fontsize=14)
    figure.tight_layout()
    return figure


def save_curves_png(records: list[dict[str, Any]], path: str | Path, title: str = "") -> None:
    """Write the curves as a PNG of `CURVES_PIXELS` (the Agg renderer: no display needed),
    atomically (`holdem.storage.atomic`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = curves_figure(records, title)
    FigureCanvasAgg(figure)
    with atomic_file(path) as stream:
        figure.savefig(stream, dpi=CURVES_DPI, format="png")
