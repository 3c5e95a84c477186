"""Preflop charts of a blueprint: the 13x13 grid of hand classes, each cell its action mix.

`preflop_chart` asks a `Blueprint` about one preflop situation (a position, and what happened
before it: `holdem.policy.situation`) for every one of the 169 classes, through the same
`Blueprint.action_probabilities` that play uses, so the chart shows what the blueprint does at
a real table. The grid is the usual one (`holdem.training.pushfold.grid_classes`): aces first,
pairs on the diagonal, suited hands above it, offsuit below.

Two renderings: `chart_figure` (matplotlib: in each cell one bar split left to right into
fold, check or call, and the raises from the smallest to all-in, coloured from green through
orange to dark red; a legend with each action's share of the 1,326 starting hands) and
`chart_table` (rich, for a terminal: the same bar drawn with coloured blocks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from holdem.cards.isomorphism import hand_from_index
from holdem.cards.preflop_matchups import N_CLASSES, N_COMBOS, class_label, class_sizes
from holdem.policy.blueprint import Blueprint
from holdem.policy.situation import Situation, action_text, position_of
from holdem.rules.actions import Action, ActionKind
from holdem.training.pushfold import grid_classes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHART_PIXELS = (1200, 1300)
"""Width and height of a chart PNG (at `CHART_DPI`)."""
CHART_DPI = 100
FOLD_COLOUR = "#5d7fa6"
PASSIVE_COLOUR = "#43a047"
RAISE_COLOURS = ("#f5a623", "#e8743b", "#d64545", "#a82828", "#6b1515")
"""Raises from the smallest (orange) to the largest (dark red); a single raise is red."""


@dataclass(frozen=True, eq=False)
class PreflopChart:
    """The blueprint's action mix for every preflop class in one situation.

    ``actions`` are the real actions offered (fold, check or call, raises by amount),
    ``labels`` them in words, ``probabilities[c, i]`` the probability class ``c`` takes
    ``actions[i]``; ``title`` says who acts after what, ``situation`` whose policy it is and
    the stakes;
    ``notes`` what the tree had to translate (empty when the spot is exactly on the tree).
    """

    title: str
    situation: str
    actions: tuple[Action, ...]
    labels: tuple[str, ...]
    probabilities: np.ndarray
    on_tree: bool
    notes: tuple[str, ...]

    def frequencies(self) -> np.ndarray:
        """Each action's share of all 1,326 starting hands (combinations weight the classes)."""
        weights = class_sizes().astype(np.float64) / N_COMBOS
        return np.asarray(weights @ self.probabilities)

    def colours(self) -> list[str]:
        """One colour per action: fold blue, check or call green, raises yellow to dark red.

        The raises take evenly spaced points along `RAISE_COLOURS` (blended between its
        stops), so however many sizes a tree has, no two raises share a colour and the
        largest is the darkest.
        """
        raises = [i for i, a in enumerate(self.actions) if a.kind is ActionKind.RAISE]
        out = []
        for i, action in enumerate(self.actions):
            if action.kind is ActionKind.FOLD:
                out.append(FOLD_COLOUR)
            elif action.kind is not ActionKind.RAISE:
                out.append(PASSIVE_COLOUR)
            elif len(raises) == 1:
                out.append(RAISE_COLOURS[2])
            else:
                out.append(_ramp(raises.index(i) / (len(raises) - 1)))
        return out


def _ramp(position: float) -> str:
    """The colour at ``position`` (0 to 1) along `RAISE_COLOURS`, blended in RGB."""
    stops = np.array([[int(c[k : k + 2], 16) for k in (1, 3, 5)] for c in RAISE_COLOURS], float)
    x = position * (len(stops) - 1)
    low = min(int(x), len(stops) - 2)
    rgb = stops[low] + (x - low) * (stops[low + 1] - stops[low])
    return "#" + "".join(f"{round(v):02x}" for v in rgb)


def _describe(situation: Situation) -> tuple[str, str]:
    """What happened before the hero acts, and the stakes."""
    config = situation.config
    folds = [position_of(config, s) for s, a in situation.actions if a.kind is ActionKind.FOLD]
    others = []
    replay = Situation(config, (), situation.board, situation.hero).state(_spare_hand(situation))
    for seat, action in situation.actions:
        if action.kind is not ActionKind.FOLD:
            others.append(f"{position_of(config, seat)} {action_text(action, replay)}")
        replay.apply(action, seat)
    hero = situation.position
    text = f"{hero} first in" if not others else f"{hero} facing {', '.join(others)}"
    if folds:
        text += f" ({', '.join(folds)} fold)"
    big = config.big_blind
    depth = min(config.stacks) / big
    return text, f"{depth:g} bb deep, blinds {config.small_blind}/{big}"


def _spare_hand(situation: Situation) -> tuple[int, int]:
    used = set(situation.board)
    free = [c for c in range(52) if c not in used]
    return free[0], free[1]


def preflop_chart(blueprint: Blueprint, situation: Situation) -> PreflopChart:
    """The chart of ``situation`` (a preflop one, see `holdem.policy.situation`).

    Raises ValueError when the situation is after the preflop.
    """
    if situation.board:
        raise ValueError("charts show the preflop: the situation is on a later street")
    probe = situation.state(_spare_hand(situation))
    if int(probe.street) != 0:
        raise ValueError("charts show the preflop: the history reaches a later street")
    spot = blueprint.spot(probe)
    actions = list(spot.actions)
    rows: list[dict[Action, float]] = []
    for c in range(N_CLASSES):
        hand = tuple(int(x) for x in hand_from_index(0, c))
        answer = dict(blueprint.action_probabilities(situation.state(hand)))
        for action in answer:
            if action not in actions:
                actions.append(action)
        rows.append(answer)
    actions.sort(key=lambda a: (_KIND_ORDER[a.kind], a.amount))
    probabilities = np.array([[row.get(a, 0.0) for a in actions] for row in rows])
    labels = tuple(_label(a, probe, situation) for a in actions)
    name = blueprint.path.parent.name if blueprint.kind == "blueprint" else blueprint.path.name
    at = f", iteration {blueprint.iteration:,}" if blueprint.iteration is not None else ""
    title, stakes = _describe(situation)
    return PreflopChart(
        title,
        f"{blueprint.kind} of {name}{at}; {stakes}",
        tuple(actions),
        labels,
        probabilities,
        any(line.on_tree for line in spot.lines),
        tuple(dict.fromkeys(note for line in spot.lines for note in line.notes)),
    )


_KIND_ORDER = {ActionKind.FOLD: 0, ActionKind.CHECK: 1, ActionKind.CALL: 2, ActionKind.RAISE: 3}


def _label(action: Action, state: Any, situation: Situation) -> str:
    text = action_text(action, state)
    if action.kind is ActionKind.RAISE:
        text += f" ({action.amount / situation.config.big_blind:g} bb)"
    return text


# -- pictures ---------------------------------------------------------------------------------


def chart_figure(chart: PreflopChart) -> Figure:
    """A matplotlib figure of ``chart``, `CHART_PIXELS` at `CHART_DPI` (save it as PNG)."""
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
    colours = chart.colours()
    classes = grid_classes()
    outline = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    gap = 0.04
    for row in range(13):
        for col in range(13):
            c = int(classes[row, col])
            x0, y0 = col + gap, row + gap
            size = 1 - 2 * gap
            axes.add_patch(Rectangle((x0, y0), size, size, facecolor="#eeeeee", linewidth=0))
            left = x0
            for p, colour in zip(chart.probabilities[c], colours, strict=True):
                if p <= 0:
                    continue
                axes.add_patch(Rectangle((left, y0), size * p, size, facecolor=colour, linewidth=0))
                left += size * p
            edge = "#222222" if row == col else "#ffffff"
            axes.add_patch(
                Rectangle((x0, y0), size, size, fill=False, edgecolor=edge, linewidth=1.2)
            )
            axes.text(
                col + 0.5,
                row + 0.5,
                class_label(c),
                ha="center",
                va="center",
                fontsize=12,
                fontweight="bold",
                color="#111111",
                path_effects=outline,
            )
    figure.suptitle(chart.title, fontsize=19, fontweight="bold", y=0.985)
    subtitle = chart.situation
    if not chart.on_tree:
        subtitle += "  (off the tree: fallback action)"
    elif chart.notes:
        subtitle += "  (translated: " + "; ".join(chart.notes) + ")"
    figure.text(0.5, 0.932, subtitle, ha="center", fontsize=12.5, color="#333333", wrap=True)
    shares = chart.frequencies()
    handles = [
        Patch(facecolor=colour, label=f"{label}: {share:.1%} of hands")
        for colour, label, share in zip(colours, chart.labels, shares, strict=True)
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
    figure.text(
        0.5,
        0.015,
        "pairs on the diagonal, suited above it, offsuit below; each bar splits the class's "
        "play left to right",
        ha="center",
        fontsize=10,
        color="#666666",
    )
    return figure


def save_chart_png(chart: PreflopChart, path: str) -> None:
    """Write ``chart`` as a PNG of `CHART_PIXELS` (the Agg renderer: no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = chart_figure(chart)
    FigureCanvasAgg(figure)
    figure.savefig(path, dpi=CHART_DPI, format="png")


def _bar(probabilities: np.ndarray, styles: list[str], width: int) -> Text:
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


def chart_table(chart: PreflopChart, cell_width: int = 5) -> Group:
    """A rich rendering: the 13x13 grid (label over a coloured bar per cell) and a legend."""
    colours = chart.colours()
    grid = Table(
        title=f"{chart.title}\n{chart.situation}",
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
            name = Text(class_label(c).ljust(cell_width), style="bold" if row == col else "")
            cells.append(Text("\n").join([name, _bar(chart.probabilities[c], colours, cell_width)]))
        grid.add_row(*cells)
    legend = Text()
    for colour, label, share in zip(colours, chart.labels, chart.frequencies(), strict=True):
        legend.append("   ", style=f"on {colour}")
        legend.append(f" {label} {share:.1%}   ")
    parts: list[Any] = [grid, legend]
    if not chart.on_tree:
        parts.append(Text("off the tree: every hand plays the fallback action", style="yellow"))
    for note in chart.notes:
        parts.append(Text(note, style="dim"))
    return Group(*parts)
