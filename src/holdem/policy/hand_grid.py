"""The 13x13 grid of hand classes, each cell a bar of the class's action mix, as a PNG or text.

Shared by a blueprint's preflop charts (`holdem.policy.chart`) and a solved spot's node charts
(`holdem.search.spot_chart`), so both read alike: the usual grid
(`holdem.training.pushfold.grid_classes`: aces first, pairs on the diagonal, suited hands above
it, offsuit below), each cell one bar split left to right among the actions. Each kind of
action keeps its colour across charts (`action_colour`): fold blue, check or call green, a bet
or raise by its size as a fraction of the pot from orange to red, all-in the darkest red. A
`GridPicture` may also give each cell a height (the bar fills that share of the cell, e.g. the
share of the class's combinations in a range) and a caption written small. In a terminal
without colour (piped, or ``NO_COLOR``) the bars are drawn with one letter per action
(`action_symbols`) instead.

This module knows nothing of blueprints or spots: it draws arrays, which keeps its imports
light (matplotlib only when a PNG is drawn).
"""

from __future__ import annotations

import csv
import io
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
"""Bets and raises from the smallest (orange) to the largest (dark red); the last, the darkest,
is all-in's alone."""
RAISE_SPAN = (0.25, 2.0)
"""Pot fractions of a bet or raise at the first and the last of the non-all-in raise colours:
smaller ones take the first, larger ones the last."""
_EMPTY_CELL = "#eeeeee"
ACTION_KINDS = ("fold", "check", "call", "raise", "all-in")


@dataclass(frozen=True)
class ActionMark:
    """What fixes an action's colour and letter in a chart: its ``kind`` (one of
    `ACTION_KINDS`; a bet is a ``raise``) and, for a bet or raise, ``pot_fraction``: the chips
    it puts in beyond a call, as a fraction of the pot after that call (a pot-sized bet is 1)."""

    kind: str
    pot_fraction: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ACTION_KINDS:
            raise ValueError(f"action kind {self.kind!r}: give one of {', '.join(ACTION_KINDS)}")


def action_colour(mark: ActionMark) -> str:
    """The colour of an action, the same in every chart: fold blue, check or call green,
    all-in the darkest red, a bet or raise by its size along the other `RAISE_COLOURS`, on a
    log scale over `RAISE_SPAN` (a half-pot bet has one colour wherever it is drawn)."""
    if mark.kind == "fold":
        return FOLD_COLOUR
    if mark.kind in ("check", "call"):
        return PASSIVE_COLOUR
    if mark.kind == "all-in":
        return RAISE_COLOURS[-1]
    low, high = RAISE_SPAN
    fraction = min(max(mark.pot_fraction, low), high)
    return _ramp(np.log(fraction / low) / np.log(high / low), RAISE_COLOURS[:-1])


def action_colours(marks: Sequence[ActionMark]) -> list[str]:
    """`action_colour` of each action."""
    return [action_colour(mark) for mark in marks]


def action_symbols(marks: Sequence[ActionMark]) -> list[str]:
    """One character per action, for a chart drawn without colour: ``f`` fold, ``x`` check,
    ``c`` call, ``a`` all-in, ``r`` a single bet or raise, or ``1``, ``2``... for several,
    from the smallest."""
    raises = sorted((m.pot_fraction, i) for i, m in enumerate(marks) if m.kind == "raise")
    digit = {i: str(n + 1) for n, (_, i) in enumerate(raises)}
    letters = {"fold": "f", "check": "x", "call": "c", "all-in": "a"}
    return [
        letters.get(m.kind) or ("r" if len(raises) == 1 else digit[i]) for i, m in enumerate(marks)
    ]


def _ramp(position: float, colours: Sequence[str]) -> str:
    """The colour at ``position`` (0 to 1) along ``colours``, blended in RGB."""
    stops = np.array([[int(c[k : k + 2], 16) for k in (1, 3, 5)] for c in colours], float)
    x = position * (len(stops) - 1)
    low = min(int(x), len(stops) - 2)
    rgb = stops[low] + (x - low) * (stops[low + 1] - stops[low])
    return "#" + "".join(f"{round(v):02x}" for v in rgb)


@dataclass(frozen=True, eq=False)
class GridPicture:
    """What a grid chart shows.

    ``probabilities[c, i]``: the probability class ``c`` (0..168, `holdem.cards.preflop_matchups`
    order) takes action ``i``; ``colours[i]``, ``symbols[i]`` (one character, for a terminal
    without colour), ``labels[i]`` (the action in words) and ``legend[i]`` (its text, with its
    share) per action. ``heights[c]`` in 0..1 is the share of the cell the bar fills from the bottom
    (``None``: every bar full height); a class of height 0 is drawn empty and greyed.
    ``captions[c]`` is written small at the foot of the cell (``None``: nothing).
    """

    title: str
    subtitle: str
    probabilities: np.ndarray
    colours: tuple[str, ...]
    symbols: tuple[str, ...]
    labels: tuple[str, ...]
    legend: tuple[str, ...]
    footnote: str
    heights: np.ndarray | None = None
    captions: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        k = len(self.colours)
        if (
            self.probabilities.shape != (N_CLASSES, k)
            or len(self.legend) != k
            or len(self.symbols) != k
            or len(self.labels) != k
        ):
            raise ValueError(
                f"grid picture: probabilities {self.probabilities.shape} need ({N_CLASSES}, {k}) "
                f"for {k} colours, {len(self.symbols)} symbols, {len(self.labels)} labels and "
                f"{len(self.legend)} legend entries"
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


def _bar(probabilities: np.ndarray, styles: Sequence[str], width: int, plain: bool) -> Text:
    """``width`` blocks split among the actions by largest remainders: coloured blocks, or
    with ``plain`` each action's symbol (``styles`` are then the symbols)."""
    exact = probabilities * width
    counts = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - counts))[: width - int(counts.sum())]:
        counts[i] += 1
    text = Text()
    for count, style in zip(counts, styles, strict=True):
        if count and plain:
            text.append(style * int(count))
        elif count:
            text.append(" " * int(count), style=f"on {style}")
    return text


def grid_table(picture: GridPicture, cell_width: int = 5, plain: bool = False) -> Group:
    """A rich rendering: the 13x13 grid (label over a bar per cell, the caption under it) and
    the legend. A cell's height shows as the bar's length (at least one block when the class is
    there at all). The bar is coloured blocks, or with ``plain`` (a terminal without colour)
    the actions' symbols, so ``ffaaa`` is 40% fold and 60% all-in."""
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
    styles = picture.symbols if plain else picture.colours
    for row in range(13):
        cells = []
        for col in range(13):
            c = int(classes[row, col])
            share = picture.height(c)
            style = "bold" if row == col else ""
            lines = [Text(class_label(c).ljust(cell_width), style=style if share > 0 else "dim")]
            blocks = max(1, round(share * cell_width)) if share > 0 else 0
            bar = _bar(picture.probabilities[c], styles, blocks, plain) if blocks else Text()
            lines.append(bar + Text(" " * (cell_width - blocks)))
            if picture.captions is not None:
                lines.append(Text(picture.captions[c][:cell_width], style="dim"))
            cells.append(Text("\n").join(lines))
        grid.add_row(*cells)
    legend = Text()
    for colour, symbol, label in zip(picture.colours, picture.symbols, picture.legend, strict=True):
        if plain:
            legend.append(f"{symbol} = {label}   ")
        else:
            legend.append("   ", style=f"on {colour}")
            legend.append(f" {label}   ")
    return Group(grid, legend)


def grid_csv(picture: GridPicture, height_name: str = "share") -> str:
    """The picture as CSV text: one row per class in the grid's reading order (AA, AKs, ...,
    22), its label, its height as ``height_name`` when the picture has heights, and its
    probability of each action (the columns headed by the actions' labels)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    heights = picture.heights is not None
    writer.writerow(["hand", *([height_name] if heights else []), *picture.labels])
    for c in grid_classes().ravel():
        extra = [f"{picture.height(int(c)):.6g}"] if heights else []
        writer.writerow(
            [class_label(int(c)), *extra, *(f"{p:.6f}" for p in picture.probabilities[c])]
        )
    return out.getvalue()
