"""Exact measures of a training run where the game allows them: push/fold for now.

A blueprint of a push/fold tree (`holdem.training.pushfold`) has an exact best response, so a
run on it reports its exploitability in big blinds per hand as it trains, the proof that the
Hold'em path (card model, kernel, schedule, averaging) learns the right thing. Other trees have
no exact measure here (they are measured by local best response and matches instead).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from rich.console import RenderableType

from holdem.training.pushfold import PushFold, class_grid, combo_fraction, read_push_fold
from holdem.training.training_game import TrainingGame


def _push_fold_stack(training: TrainingGame) -> float | None:
    """The stack in big blinds when ``training`` is a push/fold game, else None."""
    game = training.game
    if game.layout.n_buckets[0] != 169:
        return None
    try:
        read_push_fold(game.tree, game.layout, np.zeros(game.layout.size))
    except ValueError:
        return None
    return game.tree.spec.stack / game.tree.spec.big_blind


def exact_evaluator(training: TrainingGame) -> Callable[[np.ndarray], dict[str, float]] | None:
    """A function of the average policy giving exact measures, or None for other games."""
    stack = _push_fold_stack(training)
    if stack is None:
        return None
    game = PushFold(stack)
    tree, layout = training.game.tree, training.game.layout

    def evaluate(policy: np.ndarray) -> dict[str, float]:
        jam, call = read_push_fold(tree, layout, policy)
        report = game.report(jam, call)
        return {
            "exploitability_bb": report.exploitability,
            "sb_value_bb": report.expected[0],
            "jam_fraction": combo_fraction(jam),
            "call_fraction": combo_fraction(call),
        }

    return evaluate


def exact_summary(training: TrainingGame, policy: np.ndarray) -> list[RenderableType]:
    """Pictures of the average policy where the game is exact: push/fold's jam and call
    ranges as 13x13 grids (per class probability); nothing for other games."""
    stack = _push_fold_stack(training)
    if stack is None:
        return []
    jam, call = read_push_fold(training.game.tree, training.game.layout, policy)
    return [
        class_grid(jam, f"small blind jams {combo_fraction(jam):.1%} of hands at {stack:g} bb"),
        class_grid(call, f"big blind calls {combo_fraction(call):.1%} of hands at {stack:g} bb"),
    ]
