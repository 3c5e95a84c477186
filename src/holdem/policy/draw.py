"""Drawing one real action from a policy's answer."""

from __future__ import annotations

import numpy as np

from holdem.rules.actions import Action


def draw_action(choices: list[tuple[Action, float]], rng: np.random.Generator) -> Action:
    """An action of ``choices`` (actions and probabilities summing to 1) drawn with one
    ``rng.random()``; the most likely one if rounding leaves the draw past the total."""
    draw = rng.random()
    total = 0.0
    for action, p in choices:
        total += p
        if draw < total:
            return action
    return max(choices, key=lambda pair: pair[1])[0]
