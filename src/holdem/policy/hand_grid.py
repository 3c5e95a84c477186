"""The 13x13 grid of hand classes, each cell a bar of the class's action mix, as a PNG or text.

Shared by a blueprint's preflop charts (`holdem.policy.chart`) and a solved spot's node charts
(`holdem.search.spot_chart`), so both read alike: the usual grid
(`holdem.training.pushfold.grid_classes`: aces first, pairs on the diagonal, suited hands above
it, offsuit below), each cell one bar split left to right among the actions, fold blue, check
or call green, bets and raises from orange (the smallest) to dark red (the largest, all-in the
darkest). A `GridPicture` may also give each cell a height (the bar fills that share of the
cell, e.g. the share of the class's combinations in a range) and a caption written small.

This module knows nothing of blueprints or spots: it draws arrays, which keeps its imports
light (matplotlib only when a PNG is drawn).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from holdem.cards.preflop_matchups import N_CLASSES, class_label
from holdem.storage.atomic import atomic_file
from holdem.training.pushfold import grid_classes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHART_PIXELS = (1200, 1300)
"""Width and height of a chart PNG (at `CHART_DPI`)."""
CHART_DPI = 100
FOLD_COLOUR = "#5d7fa6"
PASSIVE_COLOUR = "#43a047"
RAISE_COLOURS = ("#f5a623", "#e8743b", "#d64545", "#a82828", "#6b1515")
"""Bets and raises from the smallest (orange) to the largest (dark red); a single one is red."""
_EMPTY_CELL = "#eeeeee"


def action_colours(kinds: Sequence[str]) -> list[str]:
    """One colour per action from its kind: ``"fold"`` blue, ``"passive"`` (check or call)
    green, ``"raise"`` (a bet, raise or all-in; given from the smallest to the largest) along
    `RAISE_COLOURS`.

    The raises take evenly spaced points along `RAISE_COLOURS` (blended between its stops), so
    however many sizes a tree has, no two share a colour and the largest is the darkest.
    """
    unknown = sorted(set(kinds) - {"fold", "passive", "raise"})
    if unknown:
        raise ValueError(f"action kind {unknown[0]!r}: give fold, passive or raise")
    n_raises = sum(kind == "raise" for kind in kinds)
    out = []
    seen = 0
    for kind in kinds:
        if kind == "fold":
            out.append(FOLD_COLOUR)
        elif kind == "passive":
            out.append(PASSIVE_COLOUR)
        elif n_raises == 1:
            out.append(RAISE_COLOURS[2])
        else:
            out.append(_ramp(seen / (n_raises - 1)))
            seen += 1
    return out


def _ramp(position: float) -> str:
    """The colour at ``position`` (0 to 1) along `RAISE_COLOURS`, blended in RGB."""
    stops = np.array([[int(c[k : k + 2], 16) for k in (1, 3, 5)] for c in RAISE_COLOURS], float)
    x = position * (len(stops) - 1)
    low = min(int(x), len(stops) - 2)
    rgb = stops[low] + (x - low) * (stops[low + 1] - stops[low])
    return "#" + "".join(f"{round(v):02x}" for v in rgb)


@dataclass(frozen=True, eq=False)
class GridPicture:
    """What a grid chart shows.

    ``probabilities[c, i]``: the probability class ``c`` (0..168, `holdem.cards.preflop_matchups`
    order) takes action ``i``; ``colours[i]`` and ``legend[i]`` (its text, with its share) per
    action. ``heights[c]`` in 0..1 is the share of the cell the bar fills from the bottom
    (``None``: every bar full height); a class of height 0 is drawn empty and greyed.
    ``captions[c]`` is written small at the foot of the cell (``None``: nothing).
    """

    title: str
    subtitle: str
    probabilities: np.ndarray
    colours: tuple[str, ...]
    legend: tuple[str, ...]
    footnote: str
    heights: np.ndarray | None = None
    captions: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        k = len(self.colours)
        if self.probabilities.shape != (N_CLASSES, k) or len(self.legend) != k:
            raise ValueError(
                f"grid picture: probabilities {self.probabilities.shape} need ({N_CLASSES}, {k}) "
                f"for {k} colours and {len(self.legend)} legend entries"
            )
        if self.heights is not None and self.heights.shape != (N_CLASSES,):
            raise ValueError(f"grid picture: heights {self.heights.shape} need ({N_CLASSES},)")
        if self.captions is not None and len(self.captions) != N_CLASSES:
            raise ValueError(f"grid picture: {len(self.captions)} captions for {N_CLASSES} classes")

    def height(self, c: int) -> float:
        """The share of class ``c``'s cell its bar fills."""
        return 1.0 if self.heights is None else float(np.clip(self.heights[c], 0.0, 1.0))


def grid_figure(picture: GridPicture) -> Figure:
    """A matplotlib figure of ``picture``, `CHART_PIXELS` at `CHART_DPI` (save it as PNG)."""
    from matplotlib import patheffects
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    width, height = CHART_PIXELS
    figure = Figure(figsize=(width / CHART_DPI, height / CHART_DPI), dpi=CHART_DPI)
    axes = figure.add_axes((0.03, 0.115, 0.94, 0.8))
    axes.set_xlim(0, 13)
    axes.set_ylim(13, 0)
    axes.set_aspect("equal")
    axes.axis("off")
    classes = grid_classes()
    outline = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    gap = 0.04
    size = 1 - 2 * gap
    for row in range(13):
        for col in range(13):
            c = int(classes[row, col])
            x0, y0 = col + gap, row + gap
            axes.add_patch(Rectangle((x0, y0), size, size, facecolor=_EMPTY_CELL, linewidth=0))
            # The y axis points down: a bar of height h fills the cell's lower h.
            tall = size * picture.height(c)
            left = x0
            for p, colour in zip(picture.probabilities[c], picture.colours, strict=True):
                if p <= 0 or tall <= 0:
                    continue
                axes.add_patch(
                    Rectangle((left, y0 + size - tall), size * p, tall, facecolor=colour, lw=0)
                )
                left += size * p
            edge = "#222222" if row == col else "#ffffff"
            axes.add_patch(
                Rectangle((x0, y0), size, size, fill=False, edgecolor=edge, linewidth=1.2)
            )
            caption = picture.captions[c] if picture.captions is not None else ""
            axes.text(
                col + 0.5,
                row + (0.42 if caption else 0.5),
                class_label(c),
                ha="center",
                va="center",
                fontsize=12,
                fontweight="bold",
                color="#111111" if picture.height(c) > 0 else "#aaaaaa",
                path_effects=outline,
            )
            if caption:
                axes.text(
                    col + 0.5,
                    row + 1 - gap - 0.06,
                    caption,
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    color="#222222",
                    path_effects=outline,
                )
    figure.suptitle(picture.title, fontsize=19, fontweight="bold", y=0.985)
    figure.text(
        0.5, 0.932, picture.subtitle, ha="center", fontsize=12.5, color="#333333", wrap=True
    )
    handles = [
        Patch(facecolor=colour, label=label)
        for colour, label in zip(picture.colours, picture.legend, strict=True)
    ]
    figure.legend(
        handles=handles,
        loc="lower center",
        ncol=2 if len(handles) <= 4 else 3,
        fontsize=13 if len(handles) <= 6 else 11,
        frameon=False,
        bbox_to_anchor=(0.5, 0.035),
        handlelength=2.5,
        handleheight=1.2,
    )
    figure.text(0.5, 0.015, picture.footnote, ha="center", fontsize=10, color="#666666")
    return figure


def save_grid_png(picture: GridPicture, path: str) -> None:
    """Write ``picture`` as a PNG of `CHART_PIXELS` (the Agg renderer: no display needed),
    atomically (`holdem.storage.atomic`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = grid_figure(picture)
    FigureCanvasAgg(figure)
    with atomic_file(path) as stream:
        figure.savefig(stream, dpi=CHART_DPI, format="png")


def _bar(probabilities: np.ndarray, styles: Sequence[str], width: int) -> Text:
    """``width`` blocks split among the actions by largest remainders."""
    exact = probabilities * width
    counts = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - counts))[: width - int(counts.sum())]:
        counts[i] += 1
    text = Text()
    for count, style in zip(counts, styles, strict=True):
        if count:
            text.append(" " * int(count), style=f"on {style}")
    return text


def grid_table(picture: GridPicture, cell_width: int = 5) -> Group:
    """A rich rendering: the 13x13 grid (label over a coloured bar per cell, the caption under
    it) and the legend. A cell's height shows as the bar's length (at least one block when the
    class is there at all)."""
    grid = Table(
        title=f"{picture.title}\n{picture.subtitle}",
        show_header=False,
        padding=(0, 0),
        show_lines=False,
        box=None,
    )
    for _ in range(13):
        grid.add_column(width=cell_width + 1)
    classes = grid_classes()
    for row in range(13):
        cells = []
        for col in range(13):
            c = int(classes[row, col])
            share = picture.height(c)
            style = "bold" if row == col else ""
            lines = [Text(class_label(c).ljust(cell_width), style=style if share > 0 else "dim")]
            blocks = max(1, round(share * cell_width)) if share > 0 else 0
            bar = _bar(picture.probabilities[c], picture.colours, blocks) if blocks else Text()
            lines.append(bar + Text(" " * (cell_width - blocks)))
            if picture.captions is not None:
                lines.append(Text(picture.captions[c][:cell_width], style="dim"))
            cells.append(Text("\n").join(lines))
        grid.add_row(*cells)
    legend = Text()
    for colour, label in zip(picture.colours, picture.legend, strict=True):
        legend.append("   ", style=f"on {colour}")
        legend.append(f" {label}   ")
    return Group(grid, legend)
