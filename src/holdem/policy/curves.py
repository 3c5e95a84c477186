"""Training curves of a blueprint run, drawn from its ``metrics.jsonl``.

A run writes one JSON record per report (`holdem.training.metrics`): iterations, seconds,
iterations and tree nodes per second, the positive regret per (infoset, action) on each
street, and, where the game has an exact best response (push/fold), ``exploitability_bb``.
`curves_figure` draws four panels against the iterations, every axis in one number style
(`axis_number`: ``30M``, ``1.5k``, ``0.02``):

- iterations per second;
- tree nodes per second, the stable measure of speed (an iteration visits more nodes as the
  strategies stop folding at random, so iterations per second fall while nodes per second
  hold, README "Training a blueprint");
- the *average* positive regret per (infoset, action) on each street (log scale; streets whose
  regret is always 0, as after the preflop of push/fold, are left out): the cumulative regret
  a run stores divided by its iterations. The cumulative regret of sampled CFR grows (like the
  square root of the iterations) while the strategy converges, and drawn as it is it reads as
  divergence; its average falls to 0 as CFR learns (Zinkevich et al., NIPS 2007), and that is
  the number that shows whether a run learns: the earlier system's regrets stayed 0 and
  nobody saw it;
- exploitability in big blinds per hand (log scales; CFR's error falls like a power of the
  iterations), or a line saying the game has no exact best response.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from holdem.storage.atomic import atomic_file
from holdem.training.metrics import read_metric_lines

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CURVES_PIXELS = (1500, 900)
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


def axis_number(value: float, _position: object = None) -> str:
    """A tick label: thousands and millions as ``1.5k``, ``30M``, ``2G``; smaller numbers as
    they are (``0.02``, ``500``). The one style of every axis of the curves."""
    size = abs(value)
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def _number_axes(ax: Any) -> None:
    """`axis_number` labels on both axes; a log axis gets labels at 1, 2 and 5 of each decade
    only (matplotlib labels the minor ticks of a short log axis, and they collide)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
        if scale == "log":
            axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0), numticks=12))
            axis.set_minor_formatter(NullFormatter())
        axis.set_major_formatter(FuncFormatter(axis_number))


def curves_figure(records: list[dict[str, Any]], title: str = "") -> Figure:
    """A figure of `CURVES_PIXELS`, four panels (see the module docstring)."""
    from matplotlib.figure import Figure

    style = {"marker": "o", "markersize": 3} if len(records) <= 40 else {}
    # A report at iteration 0 (a resumed or just-started run) has no speed or regret yet.
    records = [r for r in records if int(r["iteration"]) > 0] or records
    iterations = [int(r["iteration"]) for r in records]
    exploitability = [
        (i, float(r["exploitability_bb"]))
        for i, r in zip(iterations, records, strict=True)
        if isinstance(r.get("exploitability_bb"), int | float)
    ]
    width, height = CURVES_PIXELS
    figure = Figure(figsize=(width / CURVES_DPI, height / CURVES_DPI), dpi=CURVES_DPI)
    (speed, nodes), (regret, exact) = figure.subplots(2, 2)
    for ax, key, name, colour in (
        (speed, "iterations_per_second", "iterations per second", "#444"),
        (nodes, "nodes_per_second", "tree nodes per second (the stable measure)", "#16a085"),
    ):
        points = [
            (i, float(r[key]))
            for i, r in zip(iterations, records, strict=True)
            if isinstance(r.get(key), int | float)
        ]
        if points:
            ax.plot(*zip(*points, strict=True), color=colour, **style)
        else:
            ax.text(0.5, 0.5, "not in this run's reports", ha="center", transform=ax.transAxes)
        ax.set_title(name)
        ax.set_ylabel("per second")
        ax.set_ylim(bottom=0)
    drawn = 0
    for street, (name, colour) in enumerate(zip(STREET_NAMES, STREET_COLOURS, strict=True)):
        points = [
            (i, float(r["avg_positive_regret"][street]) / i)
            for i, r in zip(iterations, records, strict=True)
            if len(r.get("avg_positive_regret", ())) > street and i > 0
        ]
        points = [(i, v) for i, v in points if v > 0]
        if points:
            regret.plot(*zip(*points, strict=True), label=name, color=colour, **style)
            drawn += 1
    regret.set_title("average positive regret per (infoset, action): cumulative / iterations")
    regret.set_ylabel("chips per iteration")
    if drawn:
        regret.set_yscale("log")
        regret.legend()
    else:
        regret.text(
            0.5, 0.5, "no positive regret reported", ha="center", transform=regret.transAxes
        )
    exact.set_title("exploitability (exact best response)")
    if exploitability:
        exact.plot(*zip(*exploitability, strict=True), color="#8e44ad", **style)
        exact.set_ylabel("big blinds per hand")
        if all(v > 0 for _, v in exploitability):
            exact.set_yscale("log")
        if len(exploitability) > 2 and all(i > 0 for i, _ in exploitability):
            exact.set_xscale("log")  # CFR's error falls like a power of the iterations
    else:
        exact.text(
            0.5,
            0.5,
            "this game has no exact best response (push/fold has one)",
            ha="center",
            transform=exact.transAxes,
        )
    for ax in (speed, nodes, regret, exact):
        ax.grid(True, alpha=0.3)
        ax.set_xlabel("iterations")
        _number_axes(ax)
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
