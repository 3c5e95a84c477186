"""Fold and showdown values of the spot solver's kernels against a brute force over every pair
of hands, ranked by PHEvaluator."""

import numpy as np
import phevaluator
import pytest

from holdem.cards.combos import COMBOS
from holdem.cards.encoding import parse_cards
from holdem.search.terminal_values import (
    card_start,
    first_card_start,
    fold_values,
    fold_values_after_showdown,
    scratch_size,
    showdown_plans,
    showdown_values,
)


def _brute_force(board, hands_t, hands_o, reach_o, stake):
    """Per traverser hand: the fold mass (reach of the opponent hands sharing no card) and the
    showdown value (stake won from each such hand it beats, lost to each that beats it)."""
    board = [int(c) for c in board]
    ranks_t = [phevaluator.evaluate_cards(*board, *map(int, h)) for h in hands_t]
    ranks_o = [phevaluator.evaluate_cards(*board, *map(int, h)) for h in hands_o]
    mass = np.zeros(len(hands_t))
    showdown = np.zeros(len(hands_t))
    for h, mine in enumerate(hands_t):
        for o, theirs in enumerate(hands_o):
            if set(mine) & set(theirs):
                continue
            mass[h] += reach_o[o]
            # PHEvaluator: lower is better
            showdown[h] += stake * reach_o[o] * np.sign(ranks_o[o] - ranks_t[h])
    return mass, showdown


def _hands(rng, board, n):
    live = [c for c in range(len(COMBOS)) if not set(COMBOS[c]) & set(board)]
    chosen = np.sort(rng.choice(live, size=n, replace=False))
    return chosen, np.ascontiguousarray(COMBOS[chosen])


@pytest.mark.parametrize(
    "board",
    ["Qs Jh 2h 8d 3c", "Ah Kh Qh Jh Th", "7c 7d 7h 2s 2c", "As 2s 3s 4d 9c"],
)
def test_showdown_and_fold_values_equal_a_brute_force(board: str) -> None:
    rng = np.random.default_rng(len(board) + ord(board[0]))
    cards = parse_cards(board)
    ids_t, hands_t = _hands(rng, cards, 180)
    ids_o, hands_o = _hands(rng, cards, 150)
    where = {int(c): i for i, c in enumerate(ids_o)}
    same_t = np.array([where.get(int(c), -1) for c in ids_t], np.int64)
    assert (same_t >= 0).any(), "the test wants combinations both players hold"
    reach_o = rng.random(len(hands_o))
    reach_o[rng.random(len(hands_o)) < 0.3] = 0.0
    plans = showdown_plans(np.array([cards]), (hands_t, hands_o))
    stake = 37.5
    mass, expected = _brute_force(cards, hands_t, hands_o, reach_o, stake)

    # the kernels read and write rows of bigger arrays: the reach in row 1, the values in row 2
    reach_rows = np.vstack([np.full(len(hands_o), np.nan), reach_o, np.full(len(hands_o), np.nan)])
    scratch = np.empty(scratch_size(len(hands_o)))
    out = np.full((3, len(hands_t)), np.nan)
    showdown_values(
        stake, plans.order[1][0], plans.flat[1][0], card_start(hands_o), plans.bounds[0][0],
        reach_rows, 1, scratch, out, 2,
    )  # fmt: skip
    assert out[2] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert np.isnan(out[:2]).all()

    # a fold on its own, in the same scratch, leaves the showdown's sums to the fold after it
    alone = np.full((3, len(hands_t)), np.nan)
    first_o = first_card_start(hands_o)
    other = np.vstack([reach_o[::-1], reach_o])
    fold_values(-12.0, hands_t, hands_o, first_o, same_t, other, 1, scratch, alone, 1)
    assert alone[1] == pytest.approx(-12.0 * mass, rel=1e-9, abs=1e-9)
    fold_values(5.0, hands_t, hands_o, first_o, same_t, other, 0, scratch, alone, 0)
    after = np.full((3, len(hands_t)), np.nan)
    fold_values_after_showdown(-12.0, hands_t, same_t, reach_rows, 1, scratch, after, 0)
    assert after[0] == pytest.approx(-12.0 * mass, rel=1e-9, abs=1e-9)


def test_showdown_plans_of_the_other_side_are_the_mirror() -> None:
    """Player 1 against player 0 on the same board: the values of a zero-sum showdown, seen
    from both sides, add up to zero over the pairs (the sum of reach-weighted values)."""
    rng = np.random.default_rng(5)
    cards = parse_cards("Kd 9s 5c 5h 2d")
    _, hands_0 = _hands(rng, cards, 120)
    _, hands_1 = _hands(rng, cards, 140)
    plans = showdown_plans(np.array([cards]), (hands_0, hands_1))
    reach = (rng.random(len(hands_0)), rng.random(len(hands_1)))
    values = []
    for t in (0, 1):
        o = 1 - t
        out = np.empty((1, len(reach[t])))
        showdown_values(
            1.0, plans.order[o][0], plans.flat[o][0], card_start((hands_0, hands_1)[o]),
            plans.bounds[t][0], reach[o].reshape(1, -1), 0,
            np.empty(scratch_size(len(reach[o]))), out, 0,
        )  # fmt: skip
        values.append(float(reach[t] @ out[0]))
    assert values[0] == pytest.approx(-values[1], rel=1e-9)
