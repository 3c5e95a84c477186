"""Preflop charts of a blueprint: the 13x13 grid of hand classes, each cell its action mix.

`preflop_chart` asks a `Blueprint` about one preflop situation (a position, and what happened
before it: `holdem.policy.situation`) for every one of the 169 classes, through the same
`Blueprint.action_probabilities` that play uses, so the chart shows what the blueprint does at
a real table. The grid is the usual one (`holdem.training.pushfold.grid_classes`): aces first,
pairs on the diagonal, suited hands above it, offsuit below.

Two renderings, both drawn by `holdem.policy.hand_grid`: `chart_figure` (matplotlib: in each
cell one bar split left to right into fold, check or call, and the raises from the smallest to
all-in; a legend with each action's share of the
1,326 starting hands) and `chart_table` (rich, for a terminal: the same bar drawn with coloured
blocks, or letters where there is no colour). Each kind of action keeps its colour from chart to
chart (`action_mark`, `holdem.policy.hand_grid.action_colour`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Group
from rich.text import Text

from holdem.cards.isomorphism import hand_from_index
from holdem.cards.preflop_matchups import N_CLASSES, N_COMBOS, class_sizes
from holdem.policy.blueprint import Blueprint
from holdem.policy.hand_grid import (
    ActionMark,
    GridPicture,
    action_colours,
    action_symbols,
    grid_figure,
    grid_table,
    save_grid_png,
)
from holdem.policy.situation import (
    Situation,
    action_text,
    parse_situation,
    position_of,
    seat_of,
)
from holdem.rules.actions import Action, ActionKind
from holdem.rules.state import HandState
from holdem.rules.table import TableConfig

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True, eq=False)
class PreflopChart:
    """The blueprint's action mix for every preflop class in one situation.

    ``actions`` are the real actions offered (fold, check or call, raises by amount),
    ``labels`` them in words, ``probabilities[c, i]`` the probability class ``c`` takes
    ``actions[i]``; ``title`` says who acts after what, ``situation`` whose policy it is and
    the stakes;
    ``notes`` what the tree had to translate (empty when the spot is exactly on the tree);
    ``marks`` each action's kind and size, which fix its colour and letter.
    """

    title: str
    situation: str
    actions: tuple[Action, ...]
    labels: tuple[str, ...]
    probabilities: np.ndarray
    on_tree: bool
    notes: tuple[str, ...]
    marks: tuple[ActionMark, ...]

    def frequencies(self) -> np.ndarray:
        """Each action's share of all 1,326 starting hands (combinations weight the classes)."""
        weights = class_sizes().astype(np.float64) / N_COMBOS
        return np.asarray(weights @ self.probabilities)

    def colours(self) -> list[str]:
        """One colour per action, the same in every chart
        (`holdem.policy.hand_grid.action_colour`)."""
        return action_colours(self.marks)

    def picture(self) -> GridPicture:
        """The chart as a `GridPicture` (every class full height: a chart covers every hand)."""
        subtitle = self.situation
        if not self.on_tree:
            subtitle += "  (off the tree: fallback action)"
        elif self.notes:
            subtitle += "  (translated: " + "; ".join(self.notes) + ")"
        return GridPicture(
            self.title,
            subtitle,
            self.probabilities,
            tuple(self.colours()),
            tuple(action_symbols(self.marks)),
            self.labels,
            tuple(
                f"{label}: {share:.1%} of hands"
                for label, share in zip(self.labels, self.frequencies(), strict=True)
            ),
            "pairs on the diagonal, suited above it, offsuit below; each bar splits the class's "
            "play left to right",
        )


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


def first_to_act(config: TableConfig) -> str:
    """The position that acts first preflop (heads-up the SB, otherwise the seat after the
    BB): the seat a chart is for when no ``--position`` is given."""
    return position_of(config, parse_situation(config).hero)


def default_facing(blueprint: Blueprint, config: TableConfig, position: str) -> str | None:
    """What a chart of ``position`` faces when nothing is given: None for a seat that is to
    act after the seats before it fold; for the big blind, where they would end the hand, the
    first to act's most frequent way in (``"UTG:r250"``, ``"SB:a"``), in the history syntax.

    The most frequent way in is the non-fold action with the largest share of the 1,326
    starting hands in that seat's own first-in chart.
    """
    if seat_of(config, position) != config.big_blind_seat:
        return None
    opener = first_to_act(config)
    first_in = parse_situation(config, "", (), opener)
    chart = preflop_chart(blueprint, first_in)
    shares = chart.frequencies()
    ways_in = [i for i, a in enumerate(chart.actions) if a.kind is not ActionKind.FOLD]
    action = chart.actions[max(ways_in, key=lambda i: shares[i])]
    if action.kind is ActionKind.RAISE:
        legal = first_in.state(_spare_hand(first_in)).legal_actions()
        token = "a" if action.amount == legal.max_raise_to else f"r{action.amount}"
    else:
        token = "c"
    return f"{opener}:{token}"


def preflop_chart(blueprint: Blueprint, situation: Situation, defaulted: str = "") -> PreflopChart:
    """The chart of ``situation`` (a preflop one, see `holdem.policy.situation`); ``defaulted``
    says in the title what was chosen for the user (``"first to act"``), if anything.

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
    actions.sort(key=action_order)
    probabilities = np.array([[row.get(a, 0.0) for a in actions] for row in rows])
    labels = tuple(_label(a, probe, situation) for a in actions)
    name = blueprint.path.parent.name if blueprint.kind == "blueprint" else blueprint.path.name
    at = f", iteration {blueprint.iteration:,}" if blueprint.iteration is not None else ""
    title, stakes = _describe(situation)
    return PreflopChart(
        f"{title} ({defaulted})" if defaulted else title,
        f"{blueprint.kind} of {name}{at}; {stakes}",
        tuple(actions),
        labels,
        probabilities,
        any(line.on_tree for line in spot.lines),
        tuple(dict.fromkeys(note for line in spot.lines for note in line.notes)),
        tuple(action_mark(a, probe) for a in actions),
    )


def action_mark(action: Action, state: HandState) -> ActionMark:
    """The kind and size of ``action`` taken in ``state`` (before it), which fix its colour
    in a chart: a raise's size is the chips beyond a call over the pot after the call."""
    if action.kind is not ActionKind.RAISE:
        return ActionMark(action.kind.value)
    seat = state.to_act
    if seat is not None and action.amount == state.stacks[seat] + state.bets[seat]:
        return ActionMark("all-in")
    to_call = state.max_bet - (state.bets[seat] if seat is not None else 0)
    return ActionMark("raise", (action.amount - state.max_bet) / (state.total_pot + to_call))


_KIND_ORDER = {ActionKind.FOLD: 0, ActionKind.CHECK: 1, ActionKind.CALL: 2, ActionKind.RAISE: 3}


def action_order(action: Action) -> tuple[int, int]:
    """The key that sorts a chart's actions: fold, check, call, then raises by size."""
    return _KIND_ORDER[action.kind], action.amount


def _label(action: Action, state: Any, situation: Situation) -> str:
    text = action_text(action, state)
    if action.kind is ActionKind.RAISE:
        text += f" ({action.amount / situation.config.big_blind:g} bb)"
    return text


# -- pictures ---------------------------------------------------------------------------------


def chart_figure(chart: PreflopChart) -> Figure:
    """A matplotlib figure of ``chart`` (`holdem.policy.hand_grid.grid_figure`)."""
    return grid_figure(chart.picture())


def save_chart_png(chart: PreflopChart, path: str) -> None:
    """Write ``chart`` as a PNG (`holdem.policy.hand_grid.save_grid_png`)."""
    save_grid_png(chart.picture(), path)


def chart_table(chart: PreflopChart, cell_width: int = 5, plain: bool = False) -> Group:
    """A rich rendering: the 13x13 grid (label over a bar per cell: coloured, or with ``plain``
    the actions' letters) and a legend."""
    parts: list[Any] = [grid_table(chart.picture(), cell_width, plain)]
    if not chart.on_tree:
        parts.append(Text("off the tree: every hand plays the fallback action", style="yellow"))
    for note in chart.notes:
        parts.append(Text(note, style="dim"))
    return Group(*parts)
