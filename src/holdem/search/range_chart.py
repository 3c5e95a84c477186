"""The range of the seat to act in a real situation, as a blueprint's play leaves it, by class.

A chart of a postflop situation (``holdem chart RUN --board "Qs 7h 2c" --history "r300 c /
x"``) cannot show every hand at full height: the seat to act got there by its earlier actions,
and the hands it holds are those that take them. Its range is Bayes' rule over the blueprint's
play (`holdem.search.beliefs.hand_ranges`, the beliefs real-time search starts from): every
combination starts at 1, is multiplied by the probability the blueprint takes each of the
seat's actions with it (`holdem.eval.lbr_model.BlueprintRange`: by bucket, the translated
lines mixed as `Blueprint.action_probabilities` mixes them), and combinations touching the board
are 0.

`range_chart` gathers the 1,326 combinations into the 169 classes as `holdem.search.spot_chart`
does a solved node: a class's ``combos`` is the sum of its combinations' reach (6 for a pair the
seat always played this way, 3 when a board card removes half of them), its strategy the
reach-weighted mean of its combinations' action probabilities now. The picture draws each bar as
tall as the share of the class's combinations in the range, like a spot chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from holdem.cards.combos import combo_classes
from holdem.cards.encoding import format_cards
from holdem.cards.preflop_matchups import N_CLASSES, class_sizes
from holdem.eval.lbr_model import BlueprintRange
from holdem.policy.blueprint import Blueprint
from holdem.policy.chart import action_mark, action_order
from holdem.policy.hand_grid import ActionMark, GridPicture, action_colours, action_symbols
from holdem.policy.situation import Situation, action_text, history_text, position_of
from holdem.rules.actions import Action, ActionKind
from holdem.search.beliefs import Likelihood, hand_ranges
from holdem.search.spot_chart import combos_text


@dataclass(frozen=True, eq=False)
class RangeChart:
    """The seat to act's range and play by class (module docstring).

    ``combos[c]``: the combinations of class ``c`` in the range (reach-weighted);
    ``strategy[c, i]``: the class's probability of ``actions[i]`` (0 where ``combos`` is 0);
    ``labels`` and ``marks`` the actions in words and their kind and size.
    """

    title: str
    subtitle: str
    actions: tuple[Action, ...]
    labels: tuple[str, ...]
    marks: tuple[ActionMark, ...]
    combos: np.ndarray
    strategy: np.ndarray

    def frequencies(self) -> np.ndarray:
        """Each action's share of the whole range (every combination by its reach)."""
        total = self.combos.sum()
        if not total > 0:
            return np.zeros(len(self.actions))
        return np.asarray(self.combos @ self.strategy / total)

    def picture(self) -> GridPicture:
        """The chart as a `GridPicture`: bars as tall as the class's share in the range."""
        sizes = class_sizes()
        return GridPicture(
            self.title,
            self.subtitle,
            self.strategy,
            tuple(action_colours(self.marks)),
            tuple(action_symbols(self.marks)),
            self.labels,
            tuple(
                f"{label}: {share:.1%} of the range"
                for label, share in zip(self.labels, self.frequencies(), strict=True)
            ),
            "bar height: the share of the class's combinations in the range (number written "
            "under the label); each bar splits the class's play left to right",
            self.combos / sizes,
            tuple(combos_text(x) if x > 0 else "" for x in self.combos),
        )


def range_chart(blueprint: Blueprint, situation: Situation) -> RangeChart:
    """The chart of the seat to act in ``situation`` (any street; see the module docstring).

    Raises ValueError when the blueprint's play leaves no combination in the range (it never
    takes the history's actions with any hand).
    """
    used = set(situation.board)
    spare = [c for c in range(52) if c not in used][:2]
    state = situation.state(spare)
    model = BlueprintRange(blueprint)

    def likelihood_of(index: int, seat: int) -> Likelihood:
        return model.likelihoods

    reach = hand_ranges(state, likelihood_of)[situation.hero]
    if not reach.sum() > 0:
        raise ValueError(
            f"history {history_text(state)!r}: the blueprint never plays it with any hand, so "
            f"{situation.position} has no range there"
        )
    spot = blueprint.spot(state)
    actions = sorted(
        dict.fromkeys(a for line in spot.lines for a in line.actions),
        key=action_order,
    )
    per_combo = np.stack([model.likelihoods(state, a) for a in actions], axis=1)
    classes = combo_classes()
    combos = np.bincount(classes, weights=reach, minlength=N_CLASSES)
    strategy = np.stack(
        [
            np.bincount(classes, weights=reach * per_combo[:, i], minlength=N_CLASSES)
            for i in range(len(actions))
        ],
        axis=1,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        strategy = np.where(combos[:, None] > 0, strategy / combos[:, None], 0.0)
    street = state.street.name.lower()
    legal = state.legal_actions()
    facing = f", to call {legal.call_amount}" if legal.call_amount else ""
    name = blueprint.path.parent.name if blueprint.kind == "blueprint" else blueprint.path.name
    title = f"{situation.position}'s range on the {street}" + (
        f" [{format_cards(state.board)}]" if state.board else ""
    )
    others = ", ".join(
        f"{position_of(situation.config, s)} folds"
        for s, a in situation.actions
        if a.kind is ActionKind.FOLD
    )
    subtitle = (
        f"after {history_text(state) or 'no action'}"
        + (f" ({others})" if others else "")
        + f"; pot {state.total_pot}{facing}; {combos_text(combos.sum())} combinations, by the "
        f"{blueprint.kind} of {name}'s play"
    )
    return RangeChart(
        title,
        subtitle,
        tuple(actions),
        tuple(action_text(a, state) for a in actions),
        tuple(action_mark(a, state) for a in actions),
        combos,
        strategy,
    )
